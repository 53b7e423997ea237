"""The test suite, a package so tests, fixture scripts and bench/ import shared helpers one way:
`from tests.helpers.<kit> import ...` (the repository root is on the path: pyproject's pytest
`pythonpath`, or the few lines at the top of a script)."""

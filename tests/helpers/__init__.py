"""Helpers shared by the tests (and bench/): builders, kits and checks; fixtures stay in the
conftest.py files. Nothing here imports pytest, so bench/ runs without the test extras."""

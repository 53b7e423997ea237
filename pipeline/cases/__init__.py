"""Each case's one truth: its timeline of events (pipeline/ledger/timeline.py), read here.

Views never work a case's state out for themselves: the tracker's cells, `status`,
`sessions`, the digest, letters, notices and reports ask this room. Each subject keeps its own
module: how its events are written (their keys, so a retry writes nothing twice) and what they
say (acknowledgement.py, suspension.py, paperwork.py, ...); case.py is the reading they share.
"""

from pipeline.cases.case import Case, case_of, cases_of

__all__ = ["Case", "case_of", "cases_of"]

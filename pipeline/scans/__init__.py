"""Paper coming back: the code printed on each page the pipeline makes (code.py), reading
scans and photos back by that code (read.py) and filing what was read to its referral
(filing.py). A scan is filed by its code alone, never by reading handwriting as answers."""

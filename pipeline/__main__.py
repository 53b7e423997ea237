"""`python -m pipeline` is the same as the `family-time` command."""

import sys

from pipeline.cli import main

sys.exit(main())

"""``python -m rse_xl``: the same command line as ``rse-xl``, when the script folder is not on PATH."""

import sys

from rse_xl.cli import main

sys.exit(main())

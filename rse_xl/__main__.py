"""``python -m rse_xl``: the same command line as ``rse-xl``, when the script folder is not on PATH."""

from rse_xl.cli import lancer

lancer()

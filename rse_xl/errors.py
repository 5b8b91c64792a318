"""Misuse and environment problems: raised, turned by the CLI into one French line."""

from __future__ import annotations


class RseXlError(Exception):
    """Base of every error rse-xl raises on purpose; the message is French and says what to do."""


class ReferentielError(RseXlError):
    """The référentiel file is malformed."""


class EntreeError(RseXlError):
    """A bad argument or option (unknown office, bad year…)."""


class FichierError(RseXlError):
    """A file that cannot be read or written (missing, locked, not a workbook…)."""

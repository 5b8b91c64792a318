"""Helpers shared by test modules (imported by name: tests/ is on sys.path)."""

from __future__ import annotations

import shutil

import pytest


def soffice_ou_skip() -> None:
    """Skip the calling test when LibreOffice is not installed."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) n'est pas installé : sudo apt-get install libreoffice-calc-nogui")

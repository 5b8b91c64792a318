"""Shared inputs of the VBA tests: real xlwings modules and a small hand-written project."""

from __future__ import annotations

from pathlib import Path

import pytest
from vba_helpers import SMALL_MODULE

from rse_xl.vba import Module, read_modules_from_files


@pytest.fixture(scope="session")
def xlwings_dir() -> Path:
    """Return the folder of the installed xlwings package, which ships real .bas and .cls files."""
    xlwings = pytest.importorskip("xlwings")
    return Path(xlwings.__file__).parent


@pytest.fixture(scope="session")
def project_modules(xlwings_dir: Path) -> list[Module]:
    """Two standard modules (xlwings.bas, a small one) and one class module (Dictionary.cls if shipped)."""
    paths = [xlwings_dir / "xlwings.bas"]
    dictionary = xlwings_dir / "addin" / "Dictionary.cls"
    if not dictionary.is_file():
        pytest.skip("xlwings ne fournit pas addin/Dictionary.cls")
    modules = read_modules_from_files([*paths, dictionary])
    return [modules[0], SMALL_MODULE, modules[1]]

"""Shared fixtures: a blank office workbook per office, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rse_xl.modele import Plan, ecrire_classeur, trouver_office
from rse_xl.referentiel import Convention, referentiel

RACINE = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def conv() -> Convention:
    return referentiel()


@pytest.fixture(scope="session")
def classeur_vierge(tmp_path_factory: pytest.TempPathFactory, conv: Convention) -> tuple[Path, Plan]:
    """A blank workbook for Brest métropole habitat (read-only: copy it before changing it)."""
    chemin = tmp_path_factory.mktemp("vierge") / "bmh.xlsx"
    plan = ecrire_classeur(chemin, trouver_office(conv, "BMH"))
    return chemin, plan


@pytest.fixture
def copie_vierge(classeur_vierge: tuple[Path, Plan], tmp_path: Path) -> Path:
    chemin = tmp_path / "bmh.xlsx"
    shutil.copy(classeur_vierge[0], chemin)
    return chemin

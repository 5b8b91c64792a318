"""The summary and the filled master are byte for byte those recorded in tests/donnees/sorties_synthese.json.

Any change of a written byte (a cell, a format, a chart, a link, the order of the parts) fails here. When a
change of the outputs is wanted, rewrite the reference with ``python tests/sorties_de_reference.py`` and
say why in the commit. What is fixed or masked before hashing: see tests/sorties_de_reference.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sorties_de_reference import REFERENCE, empreintes, generer

ATTENDU: dict[str, dict[str, str]] = json.loads(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sorties(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generer(tmp_path_factory.mktemp("reference"))


def test_les_memes_sorties(sorties: dict[str, Path]) -> None:
    assert sorted(sorties) == sorted(ATTENDU)


@pytest.mark.parametrize("nom", sorted(ATTENDU))
def test_chaque_partie_identique(sorties: dict[str, Path], nom: str) -> None:
    obtenu = empreintes(sorties[nom])
    assert sorted(obtenu) == sorted(ATTENDU[nom]), f"{nom} : parties ajoutées ou retirées"
    differentes = [partie for partie, empreinte in ATTENDU[nom].items() if obtenu[partie] != empreinte]
    assert not differentes, f"{nom} : parties modifiées {differentes}"

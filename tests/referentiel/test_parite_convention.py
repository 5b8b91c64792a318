"""Parity of the référentiel with the convention text, read by a small parser of its own.

The parser here is deliberately independent of the package and of the script that produced
``convention.yaml``: it walks the text line by line and only normalises whitespace and strips
markdown ``**``. Every fiche title, action title, indicator label, yearly target and calendar
step of the référentiel must be the text's, word for word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from rse_xl.referentiel import charger_referentiel

TEXTE = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_3ac2f28e1ab176a5.txt"

ENTETE_FICHE = re.compile(r"^FICHE ACTION #(\d+)$")
LIGNE_CALENDRIER = re.compile(r"^- (\d{4}) : (.+)$")
LIGNE_CIBLE = re.compile(r"^(\d{4})\t(.+)$")


def _propre(texte: str) -> str:
    return " ".join(texte.replace("**", "").split())


@dataclass
class ActionLue:
    titre: str
    libelle: str = ""
    cibles: dict[int, str] = field(default_factory=dict)
    calendrier: dict[int, str] = field(default_factory=dict)


@dataclass
class FicheLue:
    numero: int
    titre: str = ""
    actions: list[ActionLue] = field(default_factory=list)


def _lire(chemin: Path) -> list[FicheLue]:
    fiches: list[FicheLue] = []
    vues: list[str] = []  # non-empty lines seen since the fiche header
    for brute in chemin.read_text(encoding="utf-8").splitlines():
        # tabs separate the columns of the indicator tables: keep them, strip the rest
        ligne = brute.replace("**", "").strip(" ")
        if not ligne.strip():
            continue
        if m := ENTETE_FICHE.match(ligne):
            fiches.append(FicheLue(int(m.group(1))))
            vues = []
            continue
        fiche = fiches[-1]
        if not fiche.titre:
            fiche.titre = _propre(ligne)
            continue
        if ligne == "FINALITÉS :":
            # the action title is the line just above, maybe led by its number
            titre = vues[-1]
            titre = re.sub(r"^\d\s+", "", titre) if re.match(r"^\d\s+\S", titre) else titre
            fiche.actions.append(ActionLue(_propre(titre)))
        elif ligne.startswith("ANNÉE\t"):
            fiche.actions[-1].libelle = _propre(ligne.split("\t", 1)[1])
        elif (m := LIGNE_CIBLE.match(ligne)) and fiche.actions:
            fiche.actions[-1].cibles[int(m.group(1))] = _propre(m.group(2))
        elif (m := LIGNE_CALENDRIER.match(_propre(ligne))) and fiche.actions:
            fiche.actions[-1].calendrier[int(m.group(1))] = m.group(2)
        vues.append(ligne)
    return fiches


@pytest.fixture(scope="module")
def texte() -> list[FicheLue]:
    if not TEXTE.is_file():
        pytest.skip(
            f"texte de la convention absent ({TEXTE}) : parité non vérifiable hors de l'espace de travail"
        )
    return _lire(TEXTE)


@pytest.fixture(scope="module")
def convention():
    return charger_referentiel()


def test_le_parser_lit_toute_la_convention(texte):
    assert [f.numero for f in texte] == list(range(1, 17))
    actions = [a for f in texte for a in f.actions]
    assert len(actions) == 36
    for a in actions:
        assert a.libelle, a.titre
        assert sorted(a.cibles) == [2025, 2026, 2027], a.titre
        assert sorted(a.calendrier) == [2025, 2026, 2027], a.titre


def test_fiches(texte, convention):
    assert [(f.numero, f.titre) for f in convention.fiches] == [(f.numero, f.titre) for f in texte]


def test_actions_dans_l_ordre(texte, convention):
    lues = [(f.numero, i, a.titre) for f in texte for i, a in enumerate(f.actions, start=1)]
    referentiel = [(f.numero, a.numero, a.titre) for f in convention.fiches for a in f.actions]
    assert referentiel == lues


def _paires(texte, convention):
    lues = [a for f in texte for a in f.actions]
    actions = [a for f in convention.fiches for a in f.actions]
    assert len(lues) == len(actions)
    return list(zip(actions, lues, strict=True))


def test_libelles_des_indicateurs(texte, convention):
    for action, lue in _paires(texte, convention):
        assert action.indicateur.libelle == lue.libelle, action.code


def test_textes_des_cibles(texte, convention):
    for action, lue in _paires(texte, convention):
        assert {annee: c.texte for annee, c in action.indicateur.cibles.items()} == lue.cibles, action.code


def test_etapes_du_calendrier(texte, convention):
    for action, lue in _paires(texte, convention):
        assert action.calendrier == lue.calendrier, action.code

"""`rse-xl retours`: each office gets its own workbook back, every problem marked on its cell.

What must hold: the original is never modified; the copy reads exactly as the original (every value, every
register row at its row number, the same problems); each problem located on a cell gets a note there; a
copy returned twice carries one set of notes, not two.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rse_xl.consolidation import consolider
from rse_xl.layout import nom_defini
from rse_xl.lecture import ClasseurLu, lire_classeur
from rse_xl.modele import Formule, Saisie, ecrire_classeur, trouver_office
from rse_xl.referentiel import Registre, referentiel
from rse_xl.retours import ONGLET_RETOURS, ecrire_retours

CONV = referentiel()
RACINE = Path(__file__).resolve().parent.parent
DEMO = RACINE / "workbooks"
JOUR = dt.date(2026, 11, 30)
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}


def lu_en_clair(lu: ClasseurLu) -> dict[str, Any]:
    """Everything read that an office typed, and the problems found, in comparable form."""
    return {
        "identite": {k: (v.valeur, v.brut) for k, v in lu.identite.items()},
        "tenus": {k: (v.valeur, v.brut) for k, v in lu.reponses_tenus.items() if v.brut not in (None, "")},
        "saisies": {k: (v.valeur, v.brut, v.cellule) for k, v in lu.saisies.items()},
        "registres": {
            r: [(ligne.numero, ligne.valeurs, ligne.exclue) for ligne in lignes]
            for r, lignes in lu.registres.items()
        },
        # A copy is written with the current template: an older one's advice to migrate is what it loses.
        "problemes": sorted(
            (p.code, p.onglet or "", p.cellule or "", p.valeur or "")
            for p in lu.problemes
            if p.code != "modele-a-migrer"
        ),
    }


def empreintes(dossier: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(dossier.glob("*.xlsx"))}


def notes(chemin: Path) -> dict[str, list[str]]:
    """The cell notes of a workbook, by sheet XML part: the A1 of each note."""
    with zipfile.ZipFile(chemin) as z:
        parties = {n: z.read(n) for n in z.namelist() if re.fullmatch(r"xl/comments\d+\.xml", n)}
    return {n: re.findall(r'<comment ref="([A-Z]+\d+)"', x.decode()) for n, x in parties.items()}


def retourner(dossier: Path, sortie: Path) -> list[Any]:
    conso = consolider(sorted(dossier.glob("*.xlsx")), annee=2026, aujourdhui=JOUR)
    return ecrire_retours(conso, sortie)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Any]]:
    entrees = tmp_path_factory.mktemp("entrees")
    for p in DEMO.glob("*.xlsx"):
        shutil.copy(p, entrees / p.name)
    avant = empreintes(entrees)
    sortie = tmp_path_factory.mktemp("retours")
    retours = retourner(entrees, sortie)
    assert empreintes(entrees) == avant  # the originals, byte for byte
    return entrees, sortie, retours


def test_la_copie_se_lit_comme_l_original(demo: tuple[Path, Path, list[Any]]) -> None:
    entrees, _sortie, retours = demo
    assert sorted(r.chemin.name for r in retours) == sorted(p.name for p in entrees.glob("*.xlsx"))
    for r in retours:
        assert lu_en_clair(lire_classeur(r.chemin)) == lu_en_clair(lire_classeur(r.source))


def test_chaque_probleme_sur_sa_cellule(demo: tuple[Path, Path, list[Any]]) -> None:
    """One note per cell with a problem; the first sheet lists every problem of the file with a link."""
    import openpyxl

    _, _, retours = demo
    conso = consolider(sorted(r.source for r in retours), annee=2026, aujourdhui=JOUR)
    for r in retours:
        problemes = [p for p in conso.rapport.problemes if Path(p.fichier).name == r.source.name]
        assert problemes and r.problemes == len(problemes)
        cellules = {(p.onglet, p.cellule) for p in problemes if p.cellule}
        wb = openpyxl.load_workbook(r.chemin)
        assert wb.sheetnames[0] == ONGLET_RETOURS
        trouvees = {
            (ws.title, c.coordinate)
            for ws in wb.worksheets
            for ligne in ws.iter_rows()
            for c in ligne
            if c.comment
        }
        assert trouvees == cellules
        for onglet, cellule in cellules:
            note = wb[onglet][cellule].comment.text
            messages = [p.message for p in problemes if (p.onglet, p.cellule) == (onglet, cellule)]
            assert all(m in note for m in messages)
        liste = wb[ONGLET_RETOURS]
        lignes = [ligne for ligne in liste.iter_rows(min_row=12, values_only=True) if ligne[0]]
        assert len(lignes) == len(problemes)
        gravites = [ligne[0] for ligne in lignes]
        assert gravites == sorted(gravites, key=lambda g: g != "Erreur")  # errors first
        liens = [c.hyperlink.location for c in liste["F"][11:] if c.hyperlink]
        assert len(liens) == len([p for p in problemes if p.cellule])


def test_deux_retours_ne_cumulent_pas_les_notes(demo: tuple[Path, Path, list[Any]], tmp_path: Path) -> None:
    """The returned copy, sent back and returned again: the same notes, once each."""
    _, sortie, retours = demo
    deuxieme = retourner(sortie, tmp_path / "deuxieme")
    for premier, second in zip(
        sorted(retours, key=lambda r: r.chemin.name),
        sorted(deuxieme, key=lambda r: r.chemin.name),
        strict=True,
    ):
        assert sorted(itertools.chain(*notes(premier.chemin).values())) == sorted(
            itertools.chain(*notes(second.chemin).values())
        )
        assert lu_en_clair(lire_classeur(second.chemin)) == lu_en_clair(lire_classeur(premier.source))


def test_erreurs_formules_et_lignes_sous_le_tableau(tmp_path: Path) -> None:
    """An error stays an error, a formula without result stays one, rows under a table come back."""
    entrees = tmp_path / "entrees"
    entrees.mkdir()
    office = trouver_office(CONV, "BMH")
    marche = {
        "reference": "M-1",
        "objet": "Entretien",
        "nature": "Services",
        "procedure": "Appel d'offres ouvert",
        "negociation": "Non",
        "date_lancement": dt.date(2026, 3, 2),
        "montant_ht": 50_000.0,
        "clause_variation": "Oui",
        "criteres_env": "Oui",
        "clause_insertion": "Non",
        "reserve": "Non",
    }
    saisie = Saisie(
        valeurs={
            "ID_OFFICE": office.nom,
            nom_defini(ACTIONS["F01.A1"], 2026, "REALISE"): Formule("1/0", "#DIV/0!"),
            nom_defini(ACTIONS["F01.A1"], 2026, "CIBLE"): Formule("2+3", ""),
            nom_defini(ACTIONS["F01.A1"], 2025, "REALISE"): "douze",
        },
        registres={Registre.MARCHES: [marche, {}, {**marche, "reference": "M-3", "montant_ht": "85 000 €"}]},
        sous_tableaux={Registre.MARCHES: [{**marche, "reference": "M-sous"}]},
    )
    ecrire_classeur(entrees / "BMH.xlsx", office, saisie)
    avant = empreintes(entrees)
    (retour,) = retourner(entrees, tmp_path / "retours")
    assert empreintes(entrees) == avant
    original, copie = (
        lu_en_clair(lire_classeur(entrees / "BMH.xlsx")),
        lu_en_clair(lire_classeur(retour.chemin)),
    )
    assert copie == original
    codes = {p[0] for p in original["problemes"]}
    assert {"erreur-formule", "formule-sans-resultat", "type-invalide", "lignes-hors-tableau"} <= codes
    numeros = [n for n, _, _ in original["registres"][Registre.MARCHES]]
    assert numeros == [5, 7]  # the empty row between them is kept: every note stays on its row


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graine=st.integers(min_value=0, max_value=10_000), code=st.sampled_from(["ARC", "BMH", "NMH"]))
def test_classeurs_remplis_au_hasard(tmp_path: Path, graine: int, code: str) -> None:
    """Randomly filled workbooks, with the demo's anomalies: the copy reads as the original."""
    from rse_xl.demo import generer_saisie

    dossier = tmp_path / f"e{graine}{code}"
    dossier.mkdir()
    office = trouver_office(CONV, code)
    ecrire_classeur(dossier / f"{code}.xlsx", office, generer_saisie(office, graine=graine, anomalies=True))
    (retour,) = retourner(dossier, tmp_path / f"r{graine}{code}")
    assert lu_en_clair(lire_classeur(retour.chemin)) == lu_en_clair(lire_classeur(dossier / f"{code}.xlsx"))


def test_commande(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rse_xl.cli import main

    entrees = tmp_path / "classeurs"
    shutil.copytree(DEMO, entrees)
    code = main(["retours", str(entrees), "--date-reference", "30/11/2026", "--json"])
    sortie, _ = capsys.readouterr()
    assert code == 0, sortie
    resultat = json.loads(sortie)
    assert Path(resultat["dossier"]) == (tmp_path / "classeurs_retours").resolve()
    assert {r["office"] for r in resultat["retours"]} == {"ARC", "BMH", "NMH"}
    # Into the offices' folder itself: refused before anything is read, the originals are never replaced.
    avant = empreintes(entrees)
    code = main(["retours", str(entrees), "-o", str(entrees)])
    _, erreur = capsys.readouterr()
    assert code == 2 and "originaux ne sont jamais remplacés" in erreur
    assert empreintes(entrees) == avant


def _noms_de_saisie() -> list[str]:
    from rse_xl.layout import IDENTITE, champs_action, nom_registre_tenu, registres_declarables

    noms = [c.nom for c in IDENTITE if c.nom != "ID_OFFICE"]
    noms += [nom_registre_tenu(s.registre, a) for s in registres_declarables() for a in CONV.periode]
    noms += [
        nom_defini(a, an, ch) for a in ACTIONS.values() for an in CONV.periode for ch in champs_action(a)
    ]
    return noms


NOMS_DE_SAISIE = _noms_de_saisie()
VALEURS_BRUTES = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.integers(min_value=-10_000, max_value=10**9),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31)),
    st.sampled_from(["Oui", "Non", "Réalisé", "En cours", "12 %", "1 234,5", "85 000 €", "#N/A"]),
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(valeurs=st.dictionaries(st.sampled_from(NOMS_DE_SAISIE), VALEURS_BRUTES, max_size=40))
def test_aller_retour_sur_tout_le_modele(
    tmp_path_factory: pytest.TempPathFactory, valeurs: dict[str, Any]
) -> None:
    """Read → write → read over the whole layout: any raw value typed in any input cell (text, numbers,
    dates, the texts people type) is read back the same from the written copy, with the same problems."""
    dossier = tmp_path_factory.mktemp("hasard")
    office = trouver_office(CONV, "NMH")
    ecrire_classeur(dossier / "NMH.xlsx", office, Saisie(valeurs={"ID_OFFICE": office.nom, **valeurs}))
    (retour,) = retourner(dossier, dossier / "retours")
    assert lu_en_clair(lire_classeur(retour.chemin)) == lu_en_clair(lire_classeur(dossier / "NMH.xlsx"))

"""« Campagne incomplète » (`rse-xl demo --incomplet`): its summary, against figures computed by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from rse_xl.cli import app
from rse_xl.consolidation import Consolidation, consolider
from rse_xl.demo import LIGNES_SOUS_TABLEAU, generer_saisie
from rse_xl.indicateurs import INTER
from rse_xl.layout import Champ, nom_defini
from rse_xl.modele import Saisie
from rse_xl.referentiel import Registre, referentiel
from rse_xl.synthese import ecrire_synthese

CONV = referentiel()
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}
AUJOURDHUI = dt.date(2026, 11, 30)
MOTORISES = ("Voiture", "Véhicule utilitaire", "Deux-roues motorisé")


@pytest.fixture(scope="module")
def campagne(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Saisie]]:
    dossier = tmp_path_factory.mktemp("incomplete")
    resultat = CliRunner().invoke(app, ["demo", "--incomplet", "-o", str(dossier)])
    assert resultat.exit_code == 0, resultat.output
    saisies = {o.code: generer_saisie(o, incomplet=True) for o in CONV.offices}
    return dossier, saisies


@pytest.fixture(scope="module")
def conso(campagne: tuple[Path, dict[str, Saisie]]) -> Consolidation:
    dossier, _ = campagne
    return consolider(sorted(dossier.glob("*.xlsx")), annee=2026, aujourdhui=AUJOURDHUI)


def r(conso: Consolidation, office: str, action: str, annee: int = 2026):
    resultat = conso.resultat(office, action, annee)
    assert resultat is not None
    return resultat


def _sondes(saisie: Saisie, annee: int) -> int:
    return sum(
        ligne.get("locataires_sondes") or 0
        for ligne in saisie.registres[Registre.DONNEES_ANNUELLES]
        if ligne.get("annee") == annee
    )


def test_office_en_retard(campagne, conso: Consolidation) -> None:
    _, s = campagne
    inter = r(conso, INTER, "F15.A1")
    assert inter.realise == _sondes(s["ARC"], 2026) + _sondes(s["BMH"], 2026)
    cible = nom_defini(ACTIONS["F15.A1"], 2026, Champ.CIBLE)
    assert inter.cible == s["ARC"].valeurs[cible] + s["BMH"].valeurs[cible]
    assert inter.couverture == "Incomplet : 2 offices sur 3" and inter.hors_total == {"NMH": "non renseigné"}
    avant = _sondes(s["ARC"], 2025) + _sondes(s["BMH"], 2025)
    assert inter.evolution == inter.realise - avant
    # Every 2026 figure of the registers NMH has not kept is left out, not counted as zero.
    assert r(conso, "NMH", "F01.A1").realise is None
    assert r(conso, INTER, "F01.A1").hors_total == {"NMH": "non renseigné"}


def test_onglet_renomme(campagne, conso: Consolidation) -> None:
    _, s = campagne
    codes = [(p.code, p.office) for p in conso.rapport.problemes]
    assert ("onglet-renomme", "BMH") in codes and ("onglet-manquant", "BMH") not in codes
    fin = dt.date(2027, 1, 1)
    flotte = [
        v
        for v in s["BMH"].registres[Registre.VEHICULES]
        if v["type"] in MOTORISES
        and v["date_entree"] < fin
        and (v.get("date_sortie") is None or v["date_sortie"] >= fin)
    ]
    electriques = sum(v["energie"] == "Électrique" for v in flotte)
    bmh = r(conso, "BMH", "F12.A1")
    assert bmh.realise == pytest.approx(electriques / len(flotte))
    assert bmh.cible == s["BMH"].valeurs[nom_defini(ACTIONS["F12.A1"], 2026, Champ.CIBLE)]
    assert bmh.sources["cible"].startswith("'F12 Mobilité durable'!")


def test_lignes_sous_le_tableau(campagne, conso: Consolidation) -> None:
    _, s = campagne
    (p,) = [p for p in conso.rapport.problemes if p.code == "lignes-hors-tableau"]
    premiere = 4 + len(s["ARC"].registres[Registre.JOURNAL]) + 200 + 1  # header row 4, rows, 200 empty rows
    assert p.office == "ARC" and p.cellule == f"A{premiere}"
    assert f"lignes {premiere}, {premiere + 1}" in p.message and len(LIGNES_SOUS_TABLEAU) == 2


def test_dpe_change_de_methode(campagne, conso: Consolidation) -> None:
    _, s = campagne
    compte = seule = 0
    for o in s["ARC"].registres[Registre.OPERATIONS]:
        livree = o.get("date_livraison")
        if o["type"] != "Réhabilitation" or livree is None or livree.year != 2026:
            continue
        if o.get("dpe_avant") in ("E", "F", "G") and o.get("dpe_apres") in ("A", "B", "C", "D"):
            methode = o["methode_avant"] != o["methode_apres"] and o["conso_avant"] == o["conso_apres"]
            if methode:
                seule += o["logements"]
            else:
                compte += o["logements"]
    arc = r(conso, "ARC", "F02.A2")
    assert seule >= 24 and arc.details["sortis_methode_seule"] == seule
    assert arc.realise == compte


def test_synthese_de_la_campagne(conso: Consolidation, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(ecrire_synthese(conso, tmp_path / "synthese.xlsx"))
    ws = wb["Synthèse"]
    ligne = next(k for k in range(1, ws.max_row + 1) if ws.cell(k, 2).value == "F15.A1")
    assert ws.cell(ligne, 5 + 4 * 4).value == "Incomplet : 2 offices sur 3"
    assert "F12 Mobilité" in wb.sheetnames  # the summary keeps the convention's names


def test_dossier_par_defaut_n_ecrase_pas_la_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    resultat = CliRunner().invoke(app, ["demo", "--incomplet"])
    assert resultat.exit_code == 0, resultat.output
    assert sorted(p.name for p in (tmp_path / "campagne_incomplete").glob("*.xlsx")) == [
        "RSE_2025-2027_ARC.xlsx",
        "RSE_2025-2027_BMH.xlsx",
        "RSE_2025-2027_NMH.xlsx",
    ]
    assert not (tmp_path / "workbooks").exists()


def test_resume_de_la_commande(campagne, tmp_path: Path) -> None:
    """NMH has filled nothing of 2026 (no step, no value, no register row of 2026): all 36 actions are partial."""
    dossier, _ = campagne
    resultat = CliRunner().invoke(
        app,
        [
            "consolider",
            str(dossier),
            "--annee",
            "2026",
            "--date-reference",
            "2026-11-30",
            "-o",
            str(tmp_path / "s.xlsx"),
        ],
    )
    assert resultat.exit_code == 0, resultat.output
    assert "36 indicateur(s) inter-offices incomplet(s)" in resultat.output

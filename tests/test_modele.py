"""The office workbook: sheets, defined names, protection, validations, committed templates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from rse_xl.layout import (
    CHAMP_CALCULE,
    IDENTITE,
    ONGLET_IDENTITE,
    ONGLET_LISEZ_MOI,
    ONGLET_LISTES,
    ONGLET_TECHNIQUE,
    REGISTRES,
    Champ,
    a_un_calcul,
    champs_action,
    nom_defini,
)
from rse_xl.modele import Plan, ecrire_classeur, nom_fichier_modele, trouver_office
from rse_xl.referentiel import ANNEES, Convention, Mesure, referentiel

RACINE = Path(__file__).resolve().parent.parent

ACTIONS = [a for f in referentiel().fiches for a in f.actions]


@pytest.fixture(scope="module")
def wb(classeur_vierge: tuple[Path, Plan]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(classeur_vierge[0])


def test_onglets(wb: openpyxl.Workbook, conv: Convention) -> None:
    attendus = [
        ONGLET_LISEZ_MOI,
        ONGLET_IDENTITE,
        *[f.onglet for f in conv.fiches],
        *[r.onglet for r in REGISTRES.values()],
        ONGLET_LISTES,
        ONGLET_TECHNIQUE,
    ]
    assert wb.sheetnames == attendus
    assert wb.sheetnames[2] == "F01 Eau" and wb.sheetnames[17] == "F16 Coopération"
    assert wb[ONGLET_TECHNIQUE].sheet_state == "veryHidden"
    assert wb[ONGLET_LISTES].sheet_state == "veryHidden"
    assert all(len(n) <= 31 for n in wb.sheetnames)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.code)
def test_noms_definis_et_verrous(wb: openpyxl.Workbook, action) -> None:
    """Every input cell of every action and year has its documented name, and is unlocked unless fixed."""
    for annee in ANNEES:
        cible = action.indicateur.cibles[annee]
        for champ in champs_action(action):
            nom = nom_defini(action, annee, champ)
            assert re.fullmatch(r"F\d\d_A\d_20\d\d_[A-Z]+", nom)
            assert nom in wb.defined_names, nom
            ((onglet, ref),) = wb.defined_names[nom].destinations
            assert onglet.startswith(action.code[:3])
            cell = wb[onglet][ref.replace("$", "")]
            fige = champ is Champ.CIBLE and (cible.valeur_fixe is not None or cible.mesure is Mesure.JALON)
            assert cell.protection.locked is fige, nom
            if champ is Champ.CIBLE and cible.valeur_fixe is not None:
                assert cell.value == cible.valeur_fixe
        assert (nom_defini(action, annee, CHAMP_CALCULE) in wb.defined_names) is a_un_calcul(action)


def test_listes_deroulantes_etapes(wb: openpyxl.Workbook) -> None:
    ws = wb["F03 Relation fournisseurs"]
    listes = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    etapes = [dv for dv in listes if "Réalisé" in (dv.formula1 or "")]
    assert etapes, "liste déroulante des états d'étape absente"
    assert all(dv.error and "Choisissez" in dv.error for dv in etapes)


def test_identite_et_protection(wb: openpyxl.Workbook, conv: Convention) -> None:
    for champ in IDENTITE:
        assert champ.nom in wb.defined_names
    ((onglet, ref),) = wb.defined_names["ID_OFFICE"].destinations
    assert wb[onglet][ref.replace("$", "")].value == "Brest métropole habitat"
    for nom in wb.sheetnames:
        assert wb[nom].protection.sheet, f"onglet {nom} non protégé"


def test_registres_sont_des_tableaux(wb: openpyxl.Workbook) -> None:
    for spec in REGISTRES.values():
        ws = wb[spec.onglet]
        assert spec.table in ws.tables
        table = ws.tables[spec.table]
        entetes = [c.name for c in table.tableColumns]
        assert entetes == [c.entete for c in spec.colonnes]
    donnees = wb[REGISTRES[next(iter(r for r in REGISTRES if r.value == "donnees_annuelles"))].onglet]
    assert [donnees.cell(5 + i, 1).value for i in range(3)] == list(ANNEES)


def test_formules_en_direct(wb: openpyxl.Workbook) -> None:
    ((onglet, ref),) = wb.defined_names["F03_A3_2026_CALCULE"].destinations
    formule = wb[onglet][ref.replace("$", "")].value
    assert formule.startswith("=IFERROR(") and "tMarches[Clause de variation des prix]" in formule
    assert "RSE_SEUIL_MARCHES_HT" in formule


def test_office_inconnu(tmp_path: Path, conv: Convention) -> None:
    from rse_xl.errors import EntreeError

    with pytest.raises(EntreeError, match="Office inconnu"):
        trouver_office(conv, "OPH de Quimper")
    assert trouver_office(conv, "  brest MÉTROPOLE habitat ".replace("É", "é")).code == "BMH"


def _parties(chemin: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(chemin) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("office", referentiel().offices, ids=lambda o: o.code)
def test_modeles_commites_a_jour(office, tmp_path: Path) -> None:
    """templates/ holds exactly what the code generates: regenerate them with `rse-xl modele` when this fails."""
    commite = RACINE / "templates" / nom_fichier_modele(office)
    assert commite.exists(), f"{commite} manquant : rse-xl modele --office {office.code} -o {commite}"
    neuf = tmp_path / commite.name
    ecrire_classeur(neuf, office)
    a, b = _parties(commite), _parties(neuf)
    assert sorted(a) == sorted(b)
    differentes = [n for n in a if a[n] != b[n]]
    assert not differentes, f"modèle {commite.name} périmé : parties {differentes}"

"""Returned and migrated workbooks, opened by LibreOffice Calc as staff and coordinators do.

What must hold: Calc opens each of them (the three demo offices' returned copies, the migrated version-1
workbook), keeps every sheet and every cell note where rse-xl put it, and, after recalculating every formula,
computes in the « Selon les registres » cells what Python computes from the same rows; read back after the
trip through Calc, each still reads as the office's workbook with the same entries.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from aides import soffice_ou_skip
from test_retours import lu_en_clair

from rse_xl.consolidation import consolider
from rse_xl.layout import nom_defini
from rse_xl.lecture import lire_classeur
from rse_xl.libreoffice import convertir
from rse_xl.migration import migrer
from rse_xl.referentiel import referentiel
from rse_xl.regles import calculer, regle_de
from rse_xl.retours import ecrire_retours

pytestmark = pytest.mark.libreoffice
CONV = referentiel()
RACINE = Path(__file__).resolve().parent.parent
V1 = RACINE / "tests" / "donnees" / "v1" / "RSE_2025-2027_BMH_v1.xlsx"
CAS = ["retour-ARC", "retour-BMH", "retour-NMH", "migre-BMH-v1"]


@pytest.fixture(scope="module")
def ecrits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each workbook rse-xl hands back to an office: the three returned copies and the migrated one."""
    soffice_ou_skip()
    entrees = tmp_path_factory.mktemp("entrees")
    for p in (RACINE / "workbooks").glob("*.xlsx"):
        shutil.copy(p, entrees / p.name)
    conso = consolider(sorted(entrees.glob("*.xlsx")), annee=2026, aujourdhui=dt.date(2026, 11, 30))
    retours = ecrire_retours(conso, tmp_path_factory.mktemp("retours"))
    assert sorted(r.office or "" for r in retours) == ["ARC", "BMH", "NMH"]
    cas = {f"retour-{r.office}": r.chemin for r in retours}
    cas["migre-BMH-v1"] = migrer(V1, tmp_path_factory.mktemp("migre") / V1.name, CONV).chemin
    return cas


@pytest.fixture(scope="module", params=CAS)
def par_calc(
    request: pytest.FixtureRequest, ecrits: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
):
    """One of them, and the same workbook as Calc saves it after recalculating every formula."""
    source = ecrits[request.param]
    sortie = convertir(
        source, "xlsx:Calc MS Excel 2007 XML", tmp_path_factory.mktemp("calc"), timeout=180, recalculer=True
    )
    return source, sortie


def notes(chemin: Path) -> set[tuple[str, str]]:
    wb = openpyxl.load_workbook(chemin)
    return {
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for ligne in ws.iter_rows()
        for c in ligne
        if c.comment
    }


def test_calc_garde_les_onglets_et_les_notes(par_calc: tuple[Path, Path]) -> None:
    source, sortie = par_calc
    assert (
        openpyxl.load_workbook(sortie, read_only=True).sheetnames
        == openpyxl.load_workbook(source, read_only=True).sheetnames
    )
    attendues = notes(source)
    if "migre" not in source.parent.name:
        assert attendues  # a returned demo copy always carries notes: the check below compares something
    assert notes(sortie) == attendues


def test_formules_recalculees_par_calc_egales_a_python(par_calc: tuple[Path, Path]) -> None:
    source, sortie = par_calc
    lu = lire_classeur(source, CONV)
    wb = openpyxl.load_workbook(sortie, data_only=True)
    ecarts: list[Any] = []
    comparees = 0
    for fiche in CONV.fiches:
        for action in fiche.actions:
            if regle_de(action) is None:
                continue
            registre = action.indicateur.source.registre
            assert registre is not None
            for annee in CONV.periode:
                attendu = calculer(action, annee, {registre: lu.lignes_valides(registre)}, CONV.parametres)
                assert attendu is not None
                ((onglet, ref),) = wb.defined_names[nom_defini(action, annee, "CALCULE")].destinations
                obtenu = wb[onglet][ref.replace("$", "")].value
                comparees += 1
                if attendu.valeur is None:
                    if obtenu not in (None, ""):
                        ecarts.append((action.code, annee, None, obtenu))
                elif not isinstance(obtenu, int | float) or abs(obtenu - attendu.valeur) > 1e-6 * max(
                    1, abs(attendu.valeur)
                ):
                    ecarts.append((action.code, annee, attendu.valeur, obtenu))
    assert comparees == 33 * 3
    assert not ecarts, f"{source.name} : formules de Calc ≠ Python : {ecarts}"


def test_relu_apres_calc_comme_avant(par_calc: tuple[Path, Path]) -> None:
    """Saved by Calc, the workbook is still the office's: readable, same office, same entries."""
    source, sortie = par_calc
    avant, apres = lire_classeur(source, CONV), lire_classeur(sortie, CONV)
    assert apres.lisible and apres.office is not None and avant.office is not None
    assert apres.office.code == avant.office.code
    a, b = lu_en_clair(avant), lu_en_clair(apres)
    for partie in ("identite", "tenus", "saisies", "registres"):
        assert b[partie] == a[partie], partie

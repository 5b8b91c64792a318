"""LibreOffice Calc as the real client: it opens our workbooks and computes what Python computes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from aides import soffice_ou_skip

from rse_xl.cellules import depuis_a1
from rse_xl.demo import generer_saisie
from rse_xl.layout import Champ, nom_defini
from rse_xl.lecture import lire_classeur
from rse_xl.libreoffice import convertir
from rse_xl.modele import (
    COL_ANNEE,
    COL_CONTROLE,
    COL_REALISE,
    ecrire_classeur,
    nom_fichier_modele,
    trouver_office,
)
from rse_xl.referentiel import referentiel
from rse_xl.regles import calculer, regle_de

pytestmark = pytest.mark.libreoffice
CONV = referentiel()
RACINE = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=[o.code for o in CONV.offices])
def recalcule(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A filled workbook, and the same workbook after LibreOffice recalculated every formula."""
    soffice_ou_skip()
    office = trouver_office(CONV, request.param)
    dossier = tmp_path_factory.mktemp(f"lo_{office.code}")
    # ARC's « campagne incomplète » adds an exit from E/F/G by the DPE method alone (not counted by 2.2).
    saisie = generer_saisie(office, graine=7, anomalies=False, incomplet=office.code == "ARC")
    source = dossier / "source.xlsx"
    ecrire_classeur(source, office, saisie)
    sortie = convertir(source, "xlsx:Calc MS Excel 2007 XML", dossier / "calc", timeout=180, recalculer=True)
    return office, saisie, source, sortie


def test_formules_egales_a_python(recalcule) -> None:
    """Each live formula, as LibreOffice computes it, equals the value Python derives from the same rows."""
    office, _saisie, source, sortie = recalcule
    lu = lire_classeur(source, CONV)
    wb = openpyxl.load_workbook(sortie, data_only=True)
    ecarts = []
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
    assert not ecarts, f"{office.code} : formules ≠ Python : {ecarts}"


def test_colonne_controle_ok(recalcule) -> None:
    """With typed values equal to the registers, every live check says OK."""
    _office, saisie, _source, sortie = recalcule
    wb = openpyxl.load_workbook(sortie, data_only=True)
    annees = (2025, 2026)
    # One live check per action computed from the registers and per year typed: every one must be compared.
    attendues = len(annees) * sum(regle_de(a) is not None for f in CONV.fiches for a in f.actions)
    assert attendues == 2 * 33
    comparees = 0
    for fiche in CONV.fiches:
        for action in fiche.actions:
            if regle_de(action) is None:
                continue
            for annee in annees:
                ((onglet, ref),) = wb.defined_names[nom_defini(action, annee, Champ.REALISE)].destinations
                ligne, col = depuis_a1(ref.replace("$", ""))
                assert col == COL_REALISE and wb[onglet].cell(ligne + 1, COL_ANNEE + 1).value == annee
                # The block's header row is just above its first year (1-based: ``ligne`` is 0-based).
                entete = ligne - CONV.periode.index(annee)
                assert wb[onglet].cell(entete, COL_CONTROLE + 1).value == "Contrôle"
                controle = wb[onglet].cell(ligne + 1, COL_CONTROLE + 1).value
                if saisie.valeurs.get(nom_defini(action, annee, Champ.REALISE)) is not None:
                    assert controle == "OK", (action.code, annee, controle)
                    comparees += 1
    assert comparees == attendues


@pytest.mark.parametrize("office", CONV.offices, ids=lambda o: o.code)
def test_modeles_commites_s_ouvrent(office, tmp_path: Path) -> None:
    soffice_ou_skip()
    modele = RACINE / "templates" / nom_fichier_modele(office)
    sortie = convertir(modele, "xlsx:Calc MS Excel 2007 XML", tmp_path, timeout=180)
    attendus = openpyxl.load_workbook(modele, read_only=True).sheetnames
    assert openpyxl.load_workbook(sortie, read_only=True).sheetnames == attendus
    lu = lire_classeur(sortie, CONV)
    assert lu.lisible and lu.office is not None and lu.office.code == office.code


def test_valeurs_en_cache_egales_au_calcul_de_libreoffice(recalcule) -> None:
    """Every formula of the fiche sheets is written with the result LibreOffice computes (register value,
    live check, achievement), so clients that do not recalculate on opening show the right figures."""
    _office, _saisie, source, sortie = recalcule
    avant = openpyxl.load_workbook(source, data_only=True)
    apres = openpyxl.load_workbook(sortie, data_only=True)
    formules = openpyxl.load_workbook(source)
    ecarts = []
    for fiche in CONV.fiches:
        ws_f, ws_a, ws_b = formules[fiche.onglet], avant[fiche.onglet], apres[fiche.onglet]
        for ligne in ws_f.iter_rows():
            for cellule in ligne:
                if not (isinstance(cellule.value, str) and cellule.value.startswith("=")):
                    continue
                cache = ws_a[cellule.coordinate].value
                calc = ws_b[cellule.coordinate].value
                if cache in (None, "") and calc in (None, ""):
                    continue
                if isinstance(calc, int | float) and isinstance(cache, int | float):
                    if abs(calc - cache) <= 1e-9 * max(1, abs(calc)):
                        continue
                elif cache == calc:
                    continue
                ecarts.append((fiche.onglet, cellule.coordinate, cache, calc))
    assert not ecarts, ecarts[:10]


def test_seuil_des_marches_dans_les_formules(tmp_path: Path) -> None:
    """The live formula of 3.3 and 14.1 counts contracts « > 40 000 € HT » as Python does, to the cent: with
    contracts of 39 999,99 €, exactly 40 000 € and 40 000,01 €, LibreOffice and Python both count one."""
    import datetime as dt

    from rse_xl.modele import Saisie
    from rse_xl.referentiel import Registre

    soffice_ou_skip()

    def marche(n: int, montant: float) -> dict[str, object]:
        return {
            "reference": f"M-2026-{n:02d}",
            "objet": f"Marché {n}",
            "nature": "Services",
            "procedure": "Appel d'offres ouvert",
            "negociation": "Non",
            "date_lancement": dt.date(2026, 3, 2),
            "date_notification": dt.date(2026, 5, 4),
            "montant_ht": montant,
            "clause_variation": "Oui",
            "criteres_env": "Oui",
            "clause_insertion": "Non",
            "reserve": "Non",
        }

    office = trouver_office(CONV, "BMH")
    lignes = [marche(1, 39_999.99), marche(2, 40_000.0), marche(3, 40_000.01)]
    source = tmp_path / "seuil.xlsx"
    ecrire_classeur(source, office, Saisie(registres={Registre.MARCHES: lignes}))
    sortie = convertir(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "calc", timeout=180, recalculer=True)
    lu = lire_classeur(source, CONV)
    wb = openpyxl.load_workbook(sortie, data_only=True)
    actions = {a.code: a for f in CONV.fiches for a in f.actions}
    for code in ("F03.A3", "F14.A1"):
        action = actions[code]
        attendu = calculer(
            action, 2026, {Registre.MARCHES: lu.lignes_valides(Registre.MARCHES)}, CONV.parametres
        )
        assert attendu is not None and (attendu.numerateur, attendu.denominateur) == (1, 1), code
        ((onglet, ref),) = wb.defined_names[nom_defini(action, 2026, "CALCULE")].destinations
        assert wb[onglet][ref.replace("$", "")].value == pytest.approx(attendu.valeur), code


def test_classes_dpe_dans_les_formules(tmp_path: Path) -> None:
    """The live formula of 2.2 counts the dwellings leaving E, F or G for A to D, as Python does: F → E stays
    a passoire (E is one), D → C was never one; F → D and G → A leave. Both count 5 + 3 = 8."""

    from rse_xl.modele import Saisie
    from rse_xl.referentiel import Registre

    soffice_ou_skip()

    from test_mutants_indicateurs import operation  # a renovation delivered on 01/06/2026

    lignes = [
        operation("OP-1", 10, "F", "E"),
        operation("OP-2", 5, "F", "D"),
        operation("OP-3", 4, "E", "E"),
        operation("OP-4", 3, "G", "A"),
        operation("OP-5", 7, "D", "C"),
    ]
    source = tmp_path / "dpe.xlsx"
    ecrire_classeur(source, trouver_office(CONV, "NMH"), Saisie(registres={Registre.OPERATIONS: lignes}))
    sortie = convertir(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "calc", timeout=180, recalculer=True)
    lu = lire_classeur(source, CONV)
    action = next(a for f in CONV.fiches for a in f.actions if a.code == "F02.A2")
    attendu = calculer(
        action, 2026, {Registre.OPERATIONS: lu.lignes_valides(Registre.OPERATIONS)}, CONV.parametres
    )
    assert attendu is not None and attendu.valeur == 8
    wb = openpyxl.load_workbook(sortie, data_only=True)
    ((onglet, ref),) = wb.defined_names[nom_defini(action, 2026, "CALCULE")].destinations
    assert wb[onglet][ref.replace("$", "")].value == 8

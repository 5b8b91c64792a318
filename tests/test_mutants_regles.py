"""The register rules, figure by figure: each value, numerator and detail a person reads in the summary.

Written from the survivors of the mutation run on ``rse_xl/regles/`` (bench/MUTATION.md): the count behind a
figure, the DPE exits the method alone explains, whether a register counts as kept for a year, and the rows
grouped once per register.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from test_regles import LENDEMAIN, PREMIER, VEILLE, Y, calc, journal, marche, operation, vehicule

from rse_xl.lecture.donnees import ClasseurLu, LigneRegistre
from rse_xl.referentiel import Registre
from rse_xl.regles import LignesIndexees, commun, lignes_valides, methode_seule, tenu_pour

DERNIER = dt.date(Y, 12, 31)


# --- counts: the value is the number of rows, not only the rows -------------------------------------------


def test_comptes_de_lignes() -> None:
    ops = [
        operation(biosource=True, date_lancement=PREMIER, date_pemd=DERNIER),
        operation(biosource=True, date_pemd=PREMIER),
        operation(biosource=False, date_pemd=VEILLE),
        operation(biosource=True, date_lancement=LENDEMAIN),
    ]
    for code in ("F05.A3", "F06.A2"):
        c = calc(code, ops)
        assert (c.valeur, len(c.lignes)) == (2, 2), code
    reserves = [
        marche(reserve="SIAE"),
        marche(reserve="EA-ESAT"),
        marche(reserve="Non"),
        marche(reserve="SIAE"),
    ]
    c = calc("F10.A2", reserves)
    assert (c.valeur, c.lignes) == (3, (0, 1, 3))


def test_journal_illustre_compte_les_lignes() -> None:
    lignes = [
        journal(PREMIER, "F07.A1", illustration="photo.jpg"),
        journal(DERNIER, "F07.A1", illustration="affiche.pdf"),
        journal(DERNIER, "F07.A1"),
    ]
    c = calc("F07.A1", lignes)
    assert c.valeur == len(c.lignes) == 2


def test_taux_de_negociation() -> None:
    lignes = [
        marche(negociation=True),
        marche(negociation=False),
        marche(negociation=False),
        marche(negociation="Oui"),  # not read as a boolean: not counted as negotiated
    ]
    c = calc("F08.A1", lignes)
    assert (c.numerateur, c.denominateur, c.valeur) == (1, 4, 0.25)


def test_vehicules_entres_electriques() -> None:
    lignes = [
        vehicule(dt.date(Y, 3, 1)),
        vehicule(dt.date(Y, 4, 1), energie="Diesel"),
        vehicule(dt.date(Y, 5, 1), energie="Essence"),
    ]
    d = calc("F12.A1", lignes).details
    assert (d["vehicules_entres"], d["vehicules_entres_electriques"]) == (3, 1)
    assert d["part_renouvellements_electriques"] == pytest.approx(1 / 3)


# --- DPE: an exit the method alone explains ---------------------------------------------------------------


def _dpe(**kw: Any) -> dict[str, Any]:
    base = {
        "dpe_avant": "F",
        "dpe_apres": "D",
        "logements": 10,
        "date_livraison": dt.date(Y, 6, 1),
        "methode_avant": "DPE 2021",
        "methode_apres": "DPE 2026 (coefficient électricité 1,9)",
        "conso_avant": 250.0,
        "conso_apres": 250.0,
    }
    return operation(**{**base, **kw})


@pytest.mark.parametrize(
    ("champs", "seule"),
    [
        ({}, True),
        ({"methode_avant": None}, False),
        ({"methode_apres": ""}, False),
        ({"methode_apres": "DPE 2021"}, False),  # the same method: the works explain the change
        ({"conso_apres": 180.0}, False),  # energy use fell: the works explain it
        ({"conso_avant": None}, False),
        ({"conso_apres": "250"}, False),  # a text is not an energy use
        ({"conso_avant": True, "conso_apres": True}, False),  # nor is a boolean (True == True)
        ({"conso_avant": 1, "conso_apres": True}, False),
        ({"conso_avant": True, "conso_apres": 1}, False),
        ({"conso_avant": 250, "conso_apres": 250.0}, True),
    ],
)
def test_methode_seule(champs: dict[str, Any], seule: bool) -> None:
    assert methode_seule(_dpe(**champs)) is seule


def test_sorties_par_la_seule_methode_a_part() -> None:
    """F02.A2: exits the method alone explains are shown apart (summed), never in the headline figure."""
    lignes = [
        _dpe(logements=10),
        _dpe(logements=4, dpe_avant="G", dpe_apres="C"),
        _dpe(logements=3, conso_apres=120.0),  # real works: counted
        _dpe(logements=2, methode_apres="DPE 2021", conso_apres=250.0),  # same method: counted
    ]
    c = calc("F02.A2", lignes)
    assert c.valeur == 3 + 2
    assert c.details["sortis_methode_seule"] == 10 + 4
    assert c.details["logements_methode_differente"] == 10 + 4 + 3


# --- the share of travel in the carbon assessment: one figure missing ---------------------------------------


def _donnee(annee: int = Y, **kw: Any) -> dict[str, Any]:
    return {"annee": annee, **kw}


def test_part_deplacements_une_donnee_manque() -> None:
    seul_num = calc("F12.A2", [_donnee(bilan_deplacements=120.0), _donnee(Y - 1, bilan_total=900.0)])
    assert (seul_num.valeur, seul_num.numerateur, seul_num.denominateur) == (None, 120.0, None)
    assert seul_num.lignes == (0,)
    seul_den = calc("F12.A2", [_donnee(Y - 1, bilan_deplacements=5.0), _donnee(bilan_total=900.0)])
    assert (seul_den.valeur, seul_den.numerateur, seul_den.denominateur) == (None, None, 900.0)
    assert seul_den.lignes == (1,)
    complet = calc("F12.A2", [_donnee(bilan_total=1000.0), _donnee(bilan_deplacements=250.0)])
    assert (complet.valeur, complet.numerateur, complet.denominateur) == (0.25, 250.0, 1000.0)
    assert complet.lignes == (0, 1)


# --- is a register kept for the year ------------------------------------------------------------------------


def test_registre_tenu_par_une_date_de_l_annee() -> None:
    autre_annee = [marche(notifie=VEILLE), marche(notifie=LENDEMAIN, date_lancement=LENDEMAIN)]
    assert not tenu_pour(Registre.MARCHES, autre_annee, Y)
    assert tenu_pour(Registre.MARCHES, autre_annee, Y - 1)
    assert tenu_pour(Registre.MARCHES, autre_annee, Y + 1)
    # any date column counts: an evaluation dated in the year, the contract notified the year before
    evalue = [marche(notifie=VEILLE, date_lancement=VEILLE, date_evaluation=DERNIER)]
    assert tenu_pour(Registre.MARCHES, evalue, Y)
    assert not tenu_pour(Registre.MARCHES, [], Y)
    assert not tenu_pour(Registre.JOURNAL, [{"action": "F01.A1", "date": "2026"}], Y)


def test_registre_tenu_par_son_annee() -> None:
    lignes = [_donnee(Y - 1, robinetteries=3)]
    assert tenu_pour(Registre.DONNEES_ANNUELLES, lignes, Y - 1)
    assert not tenu_pour(Registre.DONNEES_ANNUELLES, lignes, Y)
    assert tenu_pour(Registre.REEMPLOI, [{"annee": Y, "materiau": "Bois"}], Y)
    assert not tenu_pour(Registre.REEMPLOI, [{"annee": Y + 1, "materiau": "Bois"}], Y)


@pytest.mark.parametrize(
    ("entree", "sortie", "tenu"),
    [
        (dt.date(Y - 3, 5, 1), None, True),  # in service all year, no date in it
        (dt.date(Y - 3, 5, 1), PREMIER, True),  # left on 1 January: in service that day
        (dt.date(Y - 3, 5, 1), VEILLE, False),  # left on 31 December of the year before
        (dt.date(Y - 3, 5, 1), dt.date(Y + 2, 1, 1), True),
        (LENDEMAIN, None, False),  # entered on 1 January of the year after
        (dt.date(Y + 1, 6, 1), None, False),
        (None, None, False),
        ("2020", None, False),  # an entry that is not a date
    ],
)
def test_flotte_en_service_pendant_l_annee(entree: Any, sortie: Any, tenu: bool) -> None:
    ligne = {"type": "VL", "energie": "Diesel", "date_entree": entree, "date_sortie": sortie}
    # dates of other years only: what decides is the period in service
    assert tenu_pour(Registre.VEHICULES, [ligne], Y) is tenu


def test_periode_en_service_des_equipements_et_des_travaux() -> None:
    equipement = {"date_service": dt.date(Y - 5, 1, 1), "date_retrait": LENDEMAIN}
    assert tenu_pour(Registre.EQUIPEMENTS, [equipement], Y)
    assert not tenu_pour(Registre.EQUIPEMENTS, [{**equipement, "date_retrait": VEILLE}], Y)
    travaux = operation(date_lancement=dt.date(Y - 1, 3, 1), date_livraison=dt.date(Y + 1, 3, 1))
    assert tenu_pour(Registre.OPERATIONS, [travaux], Y)
    assert not tenu_pour(Registre.OPERATIONS, [{**travaux, "date_livraison": VEILLE}], Y)
    # the works register does not use the fleet's columns
    assert not tenu_pour(Registre.OPERATIONS, [{"date_entree": dt.date(Y - 1, 1, 1), "date_sortie": None}], Y)


# --- valid rows, taken once ---------------------------------------------------------------------------------


def _lu(*lignes: tuple[dict[str, Any], bool]) -> ClasseurLu:
    lu = ClasseurLu(chemin=Path("RSE_BMH.xlsx"))
    lu.registres[Registre.MARCHES] = [
        LigneRegistre(numero=5 + n, valeurs=v, cellules={}, exclue=exclue)
        for n, (v, exclue) in enumerate(lignes)
    ]
    return lu


def test_lignes_valides_sans_cache() -> None:
    a, b = marche(10), marche(20)
    lu = _lu((a, False), (b, True))
    premiere = lignes_valides(lu, Registre.MARCHES)
    assert premiere == [a] and not isinstance(premiere, LignesIndexees)
    assert lu.lignes_indexees == {}
    assert lignes_valides(lu, Registre.VEHICULES) == []


def test_lignes_valides_prises_une_fois() -> None:
    a, b, c = marche(10), marche(20), marche(30)
    lu = _lu((a, False), (b, True), (c, False))
    valides: dict[Registre, LignesIndexees] = {}
    lignes = lignes_valides(lu, Registre.MARCHES, valides)
    assert isinstance(lignes, LignesIndexees) and lignes == [a, c]
    assert valides == {Registre.MARCHES: lignes}
    assert lu.lignes_indexees[Registre.MARCHES] is lignes
    assert lignes_valides(lu, Registre.MARCHES, valides) is lignes
    # a second pass (validation, then indicators) reuses the grouped rows kept on the workbook
    assert lignes_valides(lu, Registre.MARCHES, {}) is lignes
    # … unless a row was excluded or replaced since
    lu.registres[Registre.MARCHES][2].exclue = True
    apres_exclusion = lignes_valides(lu, Registre.MARCHES, {})
    assert apres_exclusion is not lignes and apres_exclusion == [a]
    lu.registres[Registre.MARCHES][2] = LigneRegistre(numero=7, valeurs=dict(c), cellules={})
    remplacee = lignes_valides(lu, Registre.MARCHES, {})
    assert remplacee is not apres_exclusion and remplacee == [a, c]
    assert lu.lignes_indexees[Registre.MARCHES] is remplacee


def test_lignes_regroupees_une_fois(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows of a register are grouped once per (kind, column): each rule reuses the grouping."""
    appels: list[tuple[str, str]] = []
    vrai = commun._grouper

    def compte(lignes: Any, sorte: str, cle: str, cle2: str = "") -> Any:
        appels.append((sorte, cle))
        return vrai(lignes, sorte, cle, cle2)

    monkeypatch.setattr(commun, "_grouper", compte)
    lignes = LignesIndexees([marche(50_000), marche(60_000, notifie=VEILLE)])
    assert commun._de_l_annee(lignes, "date_notification", Y) == [0]
    assert commun._de_l_annee(lignes, "date_notification", Y - 1) == [1]
    assert commun._de_l_annee(lignes, "date_lancement", Y) == [0]
    assert appels == [("annee", "date_notification"), ("annee", "date_lancement")]


def test_texte_d_une_formule_guillemets_doubles() -> None:
    """A text in a live formula is quoted the Excel way: a quote inside it is doubled, nothing else changes."""
    assert commun._texte_xl("Réhabilitation") == '"Réhabilitation"'
    assert commun._texte_xl('Marché "vert"') == '"Marché ""vert"""'
    assert commun._ou_xl("A1:A9", ['x"y', "E"]) == '((A1:A9="x""y")+(A1:A9="E"))'

"""Each register rule at its boundaries: the 40 000 € HT threshold to the cent, dates on 31/12 and 01/01.

Pure Python on rows built here (no workbook): fast enough to run for every mutant of ``bench/mutation.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rse_xl.referentiel import Registre, referentiel
from rse_xl.regles import REGLES, LignesIndexees, calculer, normaliser_element, regle_de

CONV = referentiel()
P = CONV.parametres
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}
Y = 2026
VEILLE = dt.date(Y - 1, 12, 31)  # last day of the year before
PREMIER = dt.date(Y, 1, 1)
DERNIER = dt.date(Y, 12, 31)
LENDEMAIN = dt.date(Y + 1, 1, 1)  # first day of the year after


def calc(code: str, lignes: list[dict[str, Any]], annee: int = Y, parametres=P):
    action = ACTIONS[code]
    regle = regle_de(action)
    assert regle is not None
    resultat = calculer(action, annee, {regle.registre: lignes}, parametres)
    assert resultat is not None
    return resultat


def marche(montant: Any = 50_000.0, notifie: dt.date = dt.date(Y, 5, 4), **kw: Any) -> dict[str, Any]:
    return {
        "nature": "Services",
        "negociation": False,
        "date_lancement": notifie - dt.timedelta(days=30),
        "date_notification": notifie,
        "montant_ht": montant,
        "clause_variation": True,
        "criteres_env": True,
        "clause_insertion": False,
        "reserve": "Non",
        **kw,
    }


# --- Marchés: « > à 40 000 € HT », strictly greater --------------------------------------------------------


@pytest.mark.parametrize("code", ["F03.A3", "F14.A1"])
def test_seuil_des_marches_au_centime(code: str) -> None:
    lignes = [marche(39_999.99), marche(40_000), marche(40_000.0), marche(40_000.01)]
    c = calc(code, lignes)
    assert c.lignes == (3,)  # only the contract above 40 000 €: at exactly 40 000 € it is not counted
    assert (c.numerateur, c.denominateur, c.valeur) == (1, 1, 1.0)


def test_seuil_des_marches_est_un_parametre() -> None:
    """The threshold comes from the settings (it moved in 2026), not from the code."""
    lignes = [marche(50_000), marche(90_000), marche(90_000.01, clause_variation=False)]
    assert calc("F03.A3", lignes).lignes == (0, 1, 2)
    releve = P.model_copy(update={"seuil_marches_ht": 90_000})
    c = calc("F03.A3", lignes, parametres=releve)
    assert c.lignes == (2,) and c.valeur == 0.0
    assert calc("F03.A3", lignes, parametres=P.model_copy(update={"seuil_marches_ht": 0})).lignes == (0, 1, 2)


def test_taux_marches_numerateur_et_montants_illisibles() -> None:
    lignes = [
        marche(50_000, clause_variation=True, criteres_env=False),
        marche(60_000, clause_variation=False, criteres_env=True),
        marche(70_000, clause_variation="Oui", criteres_env=None),  # not a boolean: not counted as yes
        marche(None),
        marche("50 000"),  # a text the reader could not convert is never compared to the threshold
        marche(45_000, notifie=VEILLE),
        marche(45_000, notifie=LENDEMAIN),
        marche(45_000, notifie=PREMIER, clause_variation=True),
        marche(45_000, notifie=DERNIER, clause_variation=False),
    ]
    variation = calc("F03.A3", lignes)
    assert variation.lignes == (0, 1, 2, 7, 8)
    assert (variation.numerateur, variation.denominateur) == (2, 5)
    assert variation.valeur == pytest.approx(0.4)
    env = calc("F14.A1", lignes)
    assert (env.numerateur, env.denominateur) == (3, 5)  # 60 000 € and the two of 45 000 € (default yes)


def test_taux_sans_marche_au_dessus_du_seuil() -> None:
    c = calc("F03.A3", [marche(10_000), marche(40_000)])
    assert (c.valeur, c.numerateur, c.denominateur, c.lignes) == (None, 0, 0, ())


def test_marches_negociation_par_date_de_lancement() -> None:
    lignes = [
        marche(date_lancement=VEILLE, negociation=True),
        marche(date_lancement=PREMIER, negociation=True),
        marche(date_lancement=DERNIER, negociation=False),
        marche(date_lancement=LENDEMAIN, negociation=True),
        marche(1.0, date_lancement=dt.date(Y, 6, 1), negociation="Oui"),  # any amount; "Oui" not a yes
    ]
    c = calc("F08.A1", lignes)
    assert c.lignes == (1, 2, 4)
    assert (c.numerateur, c.denominateur) == (1, 3)
    assert calc("F08.A1", [marche(date_lancement=VEILLE)]).valeur is None


def test_marches_evalues_par_date_d_evaluation() -> None:
    lignes = [
        marche(date_evaluation=VEILLE),
        marche(date_evaluation=PREMIER),
        marche(date_evaluation=dt.datetime(Y, 12, 31, 23, 59)),  # a time of day on the last day
        marche(date_evaluation=LENDEMAIN),
        marche(date_evaluation=None),
        marche(date_evaluation="31/12/2026"),  # unread text: not a date
    ]
    c = calc("F03.A2", lignes)
    assert (c.valeur, c.lignes) == (2, (1, 2))


def test_heures_insertion() -> None:
    lignes = [
        marche(notifie=VEILLE, heures_insertion=100),
        marche(notifie=PREMIER, heures_insertion=12.5),
        marche(notifie=DERNIER, heures_insertion=7),
        marche(notifie=LENDEMAIN, heures_insertion=1000),
        marche(notifie=dt.date(Y, 6, 1), heures_insertion=None),
        marche(notifie=dt.date(Y, 6, 2), heures_insertion="beaucoup"),
    ]
    c = calc("F09.A1", lignes)
    assert c.valeur == 19.5
    assert c.lignes == (1, 2, 4, 5)  # every contract notified in the year is looked at
    assert calc("F09.A1", [marche(notifie=VEILLE, heures_insertion=3)]).valeur == 0


def test_insertion_hors_travaux() -> None:
    lignes = [
        marche(nature="Services", clause_insertion=True),
        marche(nature="Fournitures", clause_insertion=True, notifie=PREMIER),
        marche(nature="Prestations intellectuelles", clause_insertion=True, notifie=DERNIER),
        marche(nature="Travaux", clause_insertion=True),
        marche(nature=None, clause_insertion=True),
        marche(nature="Services", clause_insertion=False),
        marche(nature="Services", clause_insertion="Oui"),
        marche(nature="Services", clause_insertion=True, notifie=VEILLE),
        marche(nature="Services", clause_insertion=True, notifie=LENDEMAIN),
    ]
    c = calc("F09.A2", lignes)
    assert (c.valeur, c.lignes) == (3, (0, 1, 2))


def test_marches_reserves() -> None:
    lignes = [
        marche(reserve="SIAE", notifie=PREMIER),
        marche(reserve="EA-ESAT", notifie=DERNIER),
        marche(reserve="Non"),
        marche(reserve=None),
        marche(reserve="SIAE", notifie=VEILLE),
        marche(reserve="EA-ESAT", notifie=LENDEMAIN),
    ]
    assert calc("F10.A2", lignes).lignes == (0, 1)


# --- Journal des actions ---------------------------------------------------------------------------------------


def journal(jour: Any, action: str = "F01.A1", **kw: Any) -> dict[str, Any]:
    return {"date": jour, "action": action, **kw}


def test_journal_nombre_du_1er_janvier_au_31_decembre() -> None:
    lignes = [
        journal(VEILLE),
        journal(PREMIER),
        journal(DERNIER),
        journal(dt.datetime(Y, 12, 31, 18, 30)),
        journal(LENDEMAIN),
        journal(dt.date(Y, 6, 1), action="F04.A2"),
        journal(None),
    ]
    c = calc("F01.A1", lignes)
    assert (c.valeur, c.lignes) == (3, (1, 2, 3))
    assert calc("F01.A1", lignes, annee=Y - 1).lignes == (0,)
    assert calc("F01.A1", lignes, annee=Y + 1).lignes == (4,)


def test_journal_illustre() -> None:
    lignes = [
        journal(PREMIER, "F07.A1", illustration="https://x/1.jpg"),
        journal(DERNIER, "F07.A1", illustration=""),
        journal(DERNIER, "F07.A1", illustration=None),
        journal(DERNIER, "F07.A1"),
        journal(VEILLE, "F07.A1", illustration="https://x/2.jpg"),
        journal(DERNIER, "F07.A1", illustration="https://x/3.jpg"),
    ]
    assert calc("F07.A1", lignes).lignes == (0, 5)


def test_journal_distinct_identifiants_communs() -> None:
    lignes = [
        journal(PREMIER, "F16.A2", commun="EXPE-1"),
        journal(DERNIER, "F16.A2", commun=" expé-1 "),  # the same item, typed differently
        journal(DERNIER, "F16.A2", commun=None),  # the office's own item
        journal(DERNIER, "F16.A2", commun=""),  # another own item
        journal(VEILLE, "F16.A2", commun="EXPE-2"),
        journal(LENDEMAIN, "F16.A2", commun="EXPE-3"),
    ]
    c = calc("F16.A2", lignes)
    assert c.valeur == 3 and c.lignes == (0, 1, 2, 3)
    assert c.elements == frozenset({"commun:expe-1", "ligne:2", "ligne:3"})


def test_normaliser_element() -> None:
    assert normaliser_element("  Béton /  GRAVATS ") == "beton / gravats"
    assert normaliser_element("Œuvre") == normaliser_element("œuvre")


# --- Opérations --------------------------------------------------------------------------------------------


def operation(**kw: Any) -> dict[str, Any]:
    return {"type": "Réhabilitation", "logements": 10, "date_lancement": dt.date(Y, 3, 1), **kw}


def test_logements_efg() -> None:
    lignes = [
        operation(dpe_avant="E", logements=10, date_lancement=PREMIER),
        operation(dpe_avant="F", logements=20, date_lancement=DERNIER),
        operation(dpe_avant="G", logements=5),
        operation(dpe_avant="D", logements=100),
        operation(dpe_avant="F", logements=100, type="Construction"),
        operation(dpe_avant="F", logements=100, date_lancement=VEILLE),
        operation(dpe_avant="F", logements=100, date_lancement=LENDEMAIN),
        operation(dpe_avant="E", logements=None),
        operation(dpe_avant="E", logements=True),  # a boolean is not a number of dwellings
        operation(dpe_avant="E", logements="12"),
    ]
    c = calc("F02.A1", lignes)
    assert c.valeur == 35
    assert c.lignes == (0, 1, 2, 7, 8, 9)


def test_comparaison_dpe() -> None:
    livre = dt.date(Y, 6, 1)
    lignes = [
        operation(dpe_avant="F", dpe_apres="C", logements=40, date_livraison=PREMIER),
        operation(dpe_avant="E", dpe_apres="D", logements=10, date_livraison=DERNIER),
        operation(dpe_avant="E", dpe_apres="E", logements=5, date_livraison=livre),
        operation(dpe_avant="D", dpe_apres="E", logements=2, date_livraison=livre),  # worse: gain −1
        operation(dpe_avant="C", dpe_apres="B", logements=3, date_livraison=livre),
        operation(
            dpe_avant="G",
            dpe_apres="A",
            logements=1,
            date_livraison=livre,
            methode_avant="DPE 2021",
            methode_apres="DPE 2026 (coefficient électricité 1,9)",
        ),
        operation(dpe_avant="G", dpe_apres="F", logements=4, date_livraison=livre, methode_avant="DPE 2021"),
        operation(dpe_avant="F", dpe_apres=None, logements=100, date_livraison=livre),
        operation(dpe_avant="F", dpe_apres="A", logements=100, date_livraison=VEILLE),
        operation(dpe_avant="F", dpe_apres="A", logements=100, date_livraison=LENDEMAIN),
        operation(dpe_avant="F", dpe_apres="A", logements=100, date_livraison=livre, type="Construction"),
        operation(dpe_avant="H", dpe_apres="A", logements=100, date_livraison=livre),
    ]
    c = calc("F02.A2", lignes)
    assert c.lignes == (0, 1, 2, 3, 4, 5, 6)
    assert c.valeur == 40 + 10 + 1  # left E/F/G: F→C, E→D, G→A; not E→E, G→F
    d = c.details
    assert d["logements_compares"] == 65
    assert (d["avant_F"], d["avant_E"], d["avant_G"], d["avant_D"], d["avant_C"]) == (40, 15, 5, 2, 3)
    assert (d["apres_C"], d["apres_D"], d["apres_E"], d["apres_B"], d["apres_A"], d["apres_F"]) == (
        40,
        10,
        7,
        3,
        1,
        4,
    )
    gain = 40 * 3 + 10 * 1 + 0 - 2 + 3 + 6 + 4
    assert d["gain_total_classes"] == gain
    assert d["gain_moyen_classes"] == pytest.approx(gain / 65)
    assert d["logements_methode_differente"] == 1
    vide = calc("F02.A2", [operation(dpe_avant="F", dpe_apres="A", date_livraison=VEILLE)])
    assert (
        vide.valeur == 0
        and "gain_moyen_classes" not in vide.details
        and vide.details["gain_total_classes"] == 0
    )


def test_biosource_et_pemd() -> None:
    lignes = [
        operation(biosource=True, date_lancement=PREMIER, date_pemd=VEILLE),
        operation(biosource=True, date_lancement=DERNIER, date_pemd=PREMIER),
        operation(biosource=False, date_pemd=DERNIER),
        operation(biosource="Oui", date_pemd=LENDEMAIN),
        operation(biosource=True, date_lancement=VEILLE),
        operation(biosource=True, date_lancement=LENDEMAIN),
    ]
    assert calc("F05.A3", lignes).lignes == (0, 1)
    assert calc("F06.A2", lignes).lignes == (1, 2)


def test_logements_de_repos_en_chantier_dans_l_annee() -> None:
    lignes = [
        operation(logements_repos=2, date_lancement=DERNIER),  # started on the last day
        operation(logements_repos=2, date_lancement=LENDEMAIN),  # starts the year after
        operation(logements_repos=2, date_lancement=VEILLE, date_livraison=PREMIER),  # delivered on day one
        operation(logements_repos=2, date_lancement=dt.date(Y - 2, 1, 1), date_livraison=VEILLE),  # done
        operation(logements_repos=2, date_lancement=dt.date(Y - 2, 1, 1)),  # not delivered yet
        operation(logements_repos=0, date_lancement=PREMIER),
        operation(logements_repos=None, date_lancement=PREMIER),
        operation(logements_repos=2, date_lancement=PREMIER, type="Construction"),
        operation(logements_repos=2, date_lancement=None),
        operation(
            logements_repos=1, date_lancement=PREMIER, date_livraison="bientôt"
        ),  # unread: not delivered
    ]
    c = calc("F11.A2", lignes)
    assert (c.valeur, c.lignes) == (4, (0, 2, 4, 9))


# --- Véhicules ----------------------------------------------------------------------------------------------


def vehicule(entree: Any, sortie: Any = None, energie: str = "Électrique", type_: str = "Voiture") -> dict:
    return {"type": type_, "energie": energie, "date_entree": entree, "date_sortie": sortie}


def test_flotte_au_31_decembre() -> None:
    ancien = dt.date(Y - 3, 5, 1)
    lignes = [
        vehicule(DERNIER),  # arrived on 31/12: in the fleet at year end
        vehicule(LENDEMAIN),  # arrives the year after
        vehicule(ancien, DERNIER),  # left on 31/12: no longer in the fleet at year end
        vehicule(ancien, LENDEMAIN, energie="Diesel"),  # leaves the year after: still there
        vehicule(ancien, energie="Essence"),
        vehicule(ancien, type_="Vélo"),  # not motorised
        vehicule(None),
        vehicule(PREMIER, energie="Hybride rechargeable", type_="Véhicule utilitaire"),
        vehicule(ancien, "plus tard"),  # unread exit date: still there
    ]
    c = calc("F12.A1", lignes)
    assert c.lignes == (0, 3, 4, 7, 8)
    assert (c.numerateur, c.denominateur) == (2, 5)
    # Renewals of the year: entries from 01/01 to 31/12, motorised vehicles only.
    assert c.details == {
        "vehicules_entres": 2,
        "vehicules_entres_electriques": 1,
        "part_renouvellements_electriques": 0.5,  # 1 electric of the 2 renewals (#12)
    }
    assert calc("F12.A1", [vehicule(LENDEMAIN)]).valeur is None


# --- Équipements numériques -----------------------------------------------------------------------------------


def equipement(service: Any, retrait: Any, type_: Any = "Écran") -> dict[str, Any]:
    return {"type": type_, "date_service": service, "date_retrait": retrait}


def test_duree_de_vie_par_type() -> None:
    lignes = [
        equipement(dt.date(Y - 4, 1, 1), PREMIER),  # 1461 days
        equipement(dt.date(Y - 2, 12, 31), DERNIER),  # 730 days
        equipement(dt.date(Y - 6, 1, 1), PREMIER, type_="Serveur"),
        equipement(dt.date(Y - 1, 1, 1), PREMIER, type_=None),
        equipement(None, PREMIER),
        equipement(dt.date(Y - 4, 1, 1), VEILLE),
        equipement(dt.date(Y - 4, 1, 1), LENDEMAIN),
    ]
    c = calc("F13.A1", lignes)
    ecrans = [1461 / 365.25, 730 / 365.25]
    serveur = (dt.date(Y, 1, 1) - dt.date(Y - 6, 1, 1)).days / 365.25
    inconnu = 365 / 365.25
    assert c.lignes == (0, 1, 2, 3)
    assert c.details["moyenne:Écran"] == pytest.approx(sum(ecrans) / 2)
    assert c.details["nombre:Écran"] == 2 and c.details["nombre:Serveur"] == 1
    assert c.details["moyenne:Non précisé"] == pytest.approx(inconnu)
    assert c.denominateur == 4 and c.numerateur == pytest.approx(sum(ecrans) + serveur + inconnu)
    assert c.valeur == pytest.approx((sum(ecrans) + serveur + inconnu) / 4)
    vide = calc("F13.A1", [equipement(None, PREMIER)])
    assert (vide.valeur, vide.numerateur, vide.denominateur) == (None, 0, 0)


# --- Matériaux réemploi, données annuelles -------------------------------------------------------------------


def test_types_de_materiaux_distincts() -> None:
    lignes = [
        {"annee": Y, "materiau": "Bois"},
        {"annee": Y, "materiau": " bois "},
        {"annee": Y, "materiau": "Béton / gravats"},
        {"annee": Y, "materiau": ""},
        {"annee": Y, "materiau": None},
        {"annee": Y - 1, "materiau": "Verre"},
        {"annee": Y + 1, "materiau": "Métaux"},
    ]
    c = calc("F06.A1", lignes)
    assert c.valeur == 2 and c.lignes == (0, 1, 2)
    assert c.elements == frozenset({"bois", "beton / gravats"})


def test_donnees_annuelles() -> None:
    lignes = [
        {"annee": Y - 1, "stockage_to": 100.0, "bilan_total": 1000.0, "bilan_deplacements": 500.0},
        {"annee": Y, "stockage_to": 8.0, "bilan_total": 800.0, "bilan_deplacements": 80.0},
        {
            "annee": Y,
            "stockage_to": 2,
            "bilan_total": None,
            "bilan_deplacements": "x",
        },  # counted twice: summed
        {"annee": Y + 1, "stockage_to": 1000.0},
    ]
    stockage = calc("F13.A2", lignes)
    assert (stockage.valeur, stockage.lignes) == (10.0, (1, 2))
    part = calc("F12.A2", lignes)
    assert part.valeur == pytest.approx(0.1) and (part.numerateur, part.denominateur) == (80.0, 800.0)
    assert part.lignes == (1,)
    assert calc("F15.A1", lignes).valeur is None  # no survey figure for the year: nothing, not zero
    sans_total = calc("F12.A2", [{"annee": Y, "bilan_deplacements": 5.0}])
    assert (sans_total.valeur, sans_total.numerateur, sans_total.denominateur) == (None, 5.0, None)
    total_nul = calc("F12.A2", [{"annee": Y, "bilan_deplacements": 0.0, "bilan_total": 0.0}])
    assert total_nul.valeur is None
    assert calc("F01.A2", [{"annee": Y, "robinetteries": 7}, {"annee": Y, "robinetteries": 3}]).valeur == 10


# --- Calculs mémorisés --------------------------------------------------------------------------------------


def test_calculs_memorises_par_parametres() -> None:
    """Rows grouped once give the same results as a list, and a change of settings is not served stale."""
    lignes = [marche(40_000), marche(50_000), marche(95_000)]
    indexees = LignesIndexees(lignes)
    action = ACTIONS["F03.A3"]
    registres = {Registre.MARCHES: indexees}
    premier = calculer(action, Y, registres, P)
    assert premier == calc("F03.A3", lignes)
    assert calculer(action, Y, registres, P) is premier
    releve = P.model_copy(update={"seuil_marches_ht": 90_000})
    assert calculer(action, Y, registres, releve).lignes == (2,)
    assert calculer(action, Y, registres, P).lignes == (1, 2)


def test_actions_sans_regle() -> None:
    assert calculer(ACTIONS["F04.A1"], Y, {}, P) is None
    assert calculer(ACTIONS["F01.A1"], Y, {}, P) == calc("F01.A1", [])
    assert set(REGLES) == {a.indicateur.source.regle for a in ACTIONS.values() if a.indicateur.source.regle}

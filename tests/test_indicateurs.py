"""Indicators with hand-computed expectations, for every kind, per office and for the offices together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from rse_xl.consolidation import Consolidation, consolider
from rse_xl.indicateurs import INTER, Origine, Statut
from rse_xl.layout import Champ, nom_defini
from rse_xl.modele import Saisie, ecrire_classeur, trouver_office
from rse_xl.referentiel import Registre, referentiel

CONV = referentiel()
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}
AUJOURDHUI = dt.date(2026, 11, 30)


def n(code: str, annee: int, champ: Champ) -> str:
    return nom_defini(ACTIONS[code], annee, champ)


def marche(notifie: dt.date, montant: float, clause: bool, **kw: Any) -> dict[str, Any]:
    return {
        "reference": f"M-{notifie}-{montant}",
        "objet": "Objet",
        "nature": "Services",
        "procedure": "Appel d'offres ouvert",
        "negociation": False,
        "date_lancement": notifie - dt.timedelta(days=60),
        "date_notification": notifie,
        "montant_ht": montant,
        "clause_variation": clause,
        "criteres_env": False,
        "clause_insertion": False,
        "reserve": "Non",
        **kw,
    }


def journal(code: str, jour: dt.date, commun: str | None = None, **kw: Any) -> dict[str, Any]:
    return {"date": jour, "action": code, "intitule": "x", "type": "Atelier", "commun": commun, **kw}


def equipement(service: dt.date, retrait: dt.date, type_: str = "Ordinateur portable") -> dict[str, Any]:
    return {
        "identifiant": f"EQ-{service}-{retrait}",
        "type": type_,
        "date_service": service,
        "date_retrait": retrait,
    }


D26 = dt.date(2026, 5, 4)

ARC = Saisie(
    valeurs={
        # 3.3: 1 contract above 40 k€ out of 1 with a price clause → 100 %.
        n("F03.A3", 2026, Champ.CIBLE): 0.8,
        # 13.2 storage, lower is better: target 10 To, achieved 8 To.
        n("F13.A2", 2026, Champ.CIBLE): 10,
        # 12.2: decrease of 5 % targeted.
        n("F12.A2", 2026, Champ.CIBLE): 0.05,
        # 3.2 in 2025 is a milestone, done.
        n("F03.A2", 2025, Champ.ETAPE): "Réalisé",
        n("F03.A2", 2025, Champ.JUSTIFICATIF): "https://intranet/process.pdf",
        # A typed value that disagrees with the registers: the registers win.
        n("F01.A1", 2026, Champ.REALISE): 5,
        n("F01.A1", 2026, Champ.CIBLE): 4,
        # An invalid typed value with no register behind it.
        n("F15.A1", 2026, Champ.REALISE): "douze",
        n("F15.A1", 2026, Champ.CIBLE): 100,
        n("F13.A1", 2026, Champ.CIBLE): 5,
    },
    registres={
        Registre.MARCHES: [marche(D26, 50_000, True), marche(D26, 20_000, False)],
        Registre.JOURNAL: [
            journal("F16.A2", D26, "EXPE-1"),
            journal("F16.A2", D26, "EXPE-2"),
            journal("F01.A1", D26),
            journal("F01.A1", D26 + dt.timedelta(days=3)),
        ],
        Registre.DONNEES_ANNUELLES: [
            {"annee": 2025, "bilan_total": 1000.0, "bilan_deplacements": 100.0, "stockage_to": 9.0},
            {"annee": 2026, "bilan_total": 1000.0, "bilan_deplacements": 90.0, "stockage_to": 8.0},
        ],
        Registre.REEMPLOI: [
            {"annee": 2026, "materiau": "Bois"},
            {"annee": 2026, "materiau": "Métaux"},
        ],
        Registre.EQUIPEMENTS: [
            equipement(dt.date(2022, 5, 4), dt.date(2026, 5, 4)),  # 4 years
            equipement(dt.date(2020, 5, 4), dt.date(2026, 5, 4)),  # 6 years
        ],
        Registre.OPERATIONS: [
            {
                "reference": "OP-A",
                "nom": "Lilas",
                "type": "Réhabilitation",
                "logements": 40,
                "date_lancement": dt.date(2025, 2, 1),
                "date_livraison": dt.date(2026, 6, 1),
                "dpe_avant": "F",
                "dpe_apres": "C",
                "biosource": False,
            }
        ],
    },
)

BMH = Saisie(
    valeurs={
        n("F03.A3", 2026, Champ.CIBLE): 0.5,
        n("F13.A2", 2026, Champ.CIBLE): 10,
        n("F03.A2", 2025, Champ.ETAPE): "Non démarré",
        n("F13.A1", 2026, Champ.CIBLE): 7,
    },
    registres={
        # 1 of 4 contracts above the threshold has the clause → 25 %.
        Registre.MARCHES: [marche(D26, 60_000, True)] + [marche(D26, 45_000, False) for _ in range(3)],
        Registre.JOURNAL: [journal("F16.A2", D26, "expe-1 ")],  # same item, typed differently
        Registre.DONNEES_ANNUELLES: [{"annee": 2026, "stockage_to": 12.0}],
        Registre.REEMPLOI: [{"annee": 2026, "materiau": "bois"}, {"annee": 2026, "materiau": "Verre"}],
        Registre.EQUIPEMENTS: [equipement(dt.date(2018, 5, 4), dt.date(2026, 5, 4))],  # 8 years
        Registre.OPERATIONS: [
            {
                "reference": "OP-B",
                "nom": "Iris",
                "type": "Réhabilitation",
                "logements": 10,
                "date_lancement": dt.date(2025, 2, 1),
                "date_livraison": dt.date(2026, 9, 1),
                "dpe_avant": "E",
                "dpe_apres": "E",
                "biosource": False,
            }
        ],
    },
)

NMH = Saisie(
    valeurs={n("F03.A3", 2026, Champ.CIBLE): 0.3},
    registres={
        # 0 of 5 → 0 %.
        Registre.MARCHES: [marche(D26, 90_000, False) for _ in range(5)],
        Registre.JOURNAL: [journal("F16.A2", D26, "EXPE-1"), journal("F16.A2", D26)],  # shared + own
    },
)


@pytest.fixture(scope="module")
def conso(tmp_path_factory: pytest.TempPathFactory) -> Consolidation:
    dossier = tmp_path_factory.mktemp("indicateurs")
    chemins = []
    for code, saisie in (("ARC", ARC), ("BMH", BMH), ("NMH", NMH)):
        chemin = dossier / f"{code}.xlsx"
        ecrire_classeur(chemin, trouver_office(CONV, code), saisie)
        chemins.append(chemin)
    return consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI)


def r(conso: Consolidation, office: str, action: str, annee: int = 2026):
    resultat = conso.resultat(office, action, annee)
    assert resultat is not None
    return resultat


def test_taux_ratio_des_sommes(conso: Consolidation) -> None:
    assert r(conso, "ARC", "F03.A3").realise == pytest.approx(1.0)
    assert r(conso, "BMH", "F03.A3").realise == pytest.approx(0.25)
    assert r(conso, "NMH", "F03.A3").realise == pytest.approx(0.0)
    inter = r(conso, INTER, "F03.A3")
    assert (inter.numerateur, inter.denominateur) == (2, 10)
    assert inter.realise == pytest.approx(0.2)  # not the mean of the rates, 0.4167
    assert inter.details["moyenne_des_taux_non_retenue"] == pytest.approx((1 + 0.25 + 0) / 3)
    # Inter target: offices' targets weighted by their denominators: (0.8·1 + 0.5·4 + 0.3·5) / 10.
    assert inter.cible == pytest.approx(0.43)
    assert inter.statut is Statut.EN_RETARD
    assert r(conso, "ARC", "F03.A3").statut is Statut.ATTEINT


def test_comptage_commun_elements_distincts(conso: Consolidation) -> None:
    assert r(conso, "ARC", "F16.A2").realise == 2
    assert r(conso, "BMH", "F16.A2").realise == 1
    assert r(conso, "NMH", "F16.A2").realise == 2
    inter = r(conso, INTER, "F16.A2")
    assert inter.realise == 3  # EXPE-1 once, EXPE-2, and NMH's own experiment
    assert inter.details["somme_des_offices"] == 5
    assert inter.cible == 1  # joint target of the convention for 2026
    assert inter.statut is Statut.ATTEINT


def test_ensemble_distinct_union(conso: Consolidation) -> None:
    assert r(conso, "ARC", "F06.A1").realise == 2
    assert r(conso, "BMH", "F06.A1").realise == 2
    assert r(conso, INTER, "F06.A1").realise == 3  # bois, métaux, verre


def test_moins_est_mieux(conso: Consolidation) -> None:
    arc, bmh = r(conso, "ARC", "F13.A2"), r(conso, "BMH", "F13.A2")
    assert arc.atteinte == pytest.approx(10 / 8) and arc.statut is Statut.ATTEINT
    assert bmh.atteinte == pytest.approx(10 / 12) and bmh.statut is Statut.EN_BONNE_VOIE
    inter = r(conso, INTER, "F13.A2")
    assert inter.realise == 20 and inter.cible == 20 and inter.statut is Statut.ATTEINT
    assert arc.tendance == "amélioration"  # 9 → 8 To


def test_part_avec_reference(conso: Consolidation) -> None:
    a25, a26 = r(conso, "ARC", "F12.A2", 2025), r(conso, "ARC", "F12.A2")
    assert a25.realise == pytest.approx(0.10) and a26.realise == pytest.approx(0.09)
    assert a26.atteinte == pytest.approx(0.10 / 0.05)  # share down 10 %, 5 % targeted
    assert a26.statut is Statut.ATTEINT
    assert a25.statut is Statut.NON_RENSEIGNE  # 2025 is a milestone (« État des lieux ») with no step state


def test_moyenne_ponderee_par_type(conso: Consolidation) -> None:
    arc = r(conso, "ARC", "F13.A1")
    assert arc.realise == pytest.approx((4 + 6) / 2, abs=0.01)
    inter = r(conso, INTER, "F13.A1")
    assert inter.realise == pytest.approx((4 + 6 + 8) / 3, abs=0.01)  # not the mean of means, 6.5
    assert inter.details["nombre:Ordinateur portable"] == 3
    assert inter.cible == pytest.approx((5 * 2 + 7 * 1) / 3)


def test_comparaison_dpe(conso: Consolidation) -> None:
    arc, bmh, inter = (r(conso, o, "F02.A2") for o in ("ARC", "BMH", INTER))
    assert arc.realise == 40 and arc.details["gain_moyen_classes"] == 3
    assert bmh.realise == 0 and bmh.details["gain_moyen_classes"] == 0
    assert inter.realise == 40
    assert inter.details["logements_compares"] == 50
    assert inter.details["avant_F"] == 40 and inter.details["apres_E"] == 10
    assert inter.details["gain_moyen_classes"] == pytest.approx(120 / 50)


def test_jalon(conso: Consolidation) -> None:
    assert r(conso, "ARC", "F03.A2", 2025).statut is Statut.ATTEINT
    assert r(conso, "BMH", "F03.A2", 2025).statut is Statut.EN_RETARD  # 2025 is over
    assert r(conso, "NMH", "F03.A2", 2025).statut is Statut.NON_RENSEIGNE
    inter = r(conso, INTER, "F03.A2", 2025)
    assert inter.details["offices_realise"] == 1 and inter.etape == "1 / 3 réalisé"
    assert inter.statut is Statut.EN_RETARD  # one office is late: the offices together are late


def test_annee_a_venir_sans_donnees(conso: Consolidation) -> None:
    """2027 is still to come on 30/11/2026: empty registers give no value, not a zero « En retard »."""
    arc = r(conso, "ARC", "F01.A1", 2027)
    assert arc.realise is None and arc.statut is Statut.NON_RENSEIGNE
    assert r(conso, "ARC", "F01.A1", 2026).realise == 2


def test_registres_retenus_et_ecart_montre(conso: Consolidation) -> None:
    arc = r(conso, "ARC", "F01.A1")
    assert arc.origine is Origine.REGISTRES
    assert arc.sources["realise"].endswith("I10") and arc.sources["cible"].endswith("E10")  # the formula cell
    assert (arc.realise, arc.realise_saisi, arc.realise_registres) == (2, 5, 2)
    assert arc.ecart
    assert arc.atteinte == pytest.approx(0.5)


def test_valeur_invalide_ecartee(conso: Consolidation) -> None:
    arc = r(conso, "ARC", "F15.A1")
    assert arc.exclu and arc.realise is None
    assert arc.statut is Statut.NON_RENSEIGNE
    assert "écarté" in (arc.motif or "")
    assert r(conso, INTER, "F15.A1").exclu


def test_office_sans_donnees(conso: Consolidation) -> None:
    nmh = r(conso, "NMH", "F13.A2")
    assert nmh.realise is None and nmh.statut is Statut.NON_RENSEIGNE
    bmh = r(conso, "BMH", "F16.A2")
    assert bmh.cible == 1 and bmh.statut is Statut.ATTEINT  # joint target, fixed by the convention
    assert r(conso, INTER, "F13.A2").offices == 2


def test_donnees_identiques_deux_fois(tmp_path: Path) -> None:
    """Same inputs, same data: two consolidations give identical Données rows."""
    chemins = sorted((Path(__file__).resolve().parent.parent / "workbooks").glob("*.xlsx"))
    a = consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI).donnees()
    b = consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI).donnees()
    assert a == b and len(a) > 1000


def test_controles_seuls(tmp_path: Path) -> None:
    """Checks only (the master's Valider button): same report and files, no indicator."""
    chemins = sorted((Path(__file__).resolve().parent.parent / "workbooks").glob("*.xlsx"))
    complet = consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI)
    seul = consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI, indicateurs=False)
    assert seul.resultats == []
    assert seul.rapport.en_dict() == complet.rapport.en_dict()
    assert [f.empreinte for f in seul.fichiers] == [f.empreinte for f in complet.fichiers]
    assert [o.code for o in seul.offices] == [o.code for o in complet.offices]

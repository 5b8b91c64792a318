"""Statuses at their thresholds: exactly at each ``seuils_statut`` value, just under, and custom settings.

The first tests call the indicator functions on numbers (fast: run for every mutant by bench/mutation.py);
the last one consolidates a workbook through the CLI with ``--parametres`` and reads the statuses back.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rse_xl.cli import main
from rse_xl.indicateurs import (
    INTER,
    Resultat,
    Statut,
    _statut_valeur,
    _tendance,
    atteinte,
    resultats_inter,
    statut_etape,
)
from rse_xl.layout import Champ, nom_defini
from rse_xl.modele import Saisie, ecrire_classeur, trouver_office
from rse_xl.referentiel import Convention, Mesure, Registre, referentiel
from rse_xl.referentiel.models import SeuilsStatut

CONV = referentiel()
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}


def avec_seuils(atteint: float, en_bonne_voie: float) -> Convention:
    parametres = CONV.parametres.model_copy(
        update={"seuils_statut": SeuilsStatut(atteint=atteint, en_bonne_voie=en_bonne_voie)}
    )
    return CONV.model_copy(update={"parametres": parametres})


@pytest.mark.parametrize(
    ("valeur", "statut"),
    [
        (1.0, Statut.ATTEINT),  # exactly at « atteint »
        (3 / 3, Statut.ATTEINT),
        (1.5, Statut.ATTEINT),
        (0.999, Statut.EN_BONNE_VOIE),  # just under
        (0.8, Statut.EN_BONNE_VOIE),  # exactly at « en bonne voie »
        (4 / 5, Statut.EN_BONNE_VOIE),
        (2.4 / 3, Statut.EN_BONNE_VOIE),  # 0.7999999999999999: 80 % all the same, float noise aside
        (0.799, Statut.EN_RETARD),  # just under
        (0.0, Statut.EN_RETARD),
        (None, Statut.NON_RENSEIGNE),
    ],
)
def test_statut_aux_seuils_du_referentiel(valeur: float | None, statut: Statut) -> None:
    assert CONV.parametres.seuils_statut == SeuilsStatut(atteint=1.0, en_bonne_voie=0.8)
    assert _statut_valeur(valeur, CONV) is statut


@pytest.mark.parametrize(
    ("valeur", "statut"),
    [
        (0.9, Statut.ATTEINT),
        (0.899, Statut.EN_BONNE_VOIE),
        (0.5, Statut.EN_BONNE_VOIE),
        (0.499, Statut.EN_RETARD),
    ],
)
def test_statut_aux_seuils_personnalises(valeur: float, statut: Statut) -> None:
    assert _statut_valeur(valeur, avec_seuils(0.9, 0.5)) is statut


def test_atteinte_a_la_hausse() -> None:
    f01 = ACTIONS["F01.A1"]
    assert atteinte(f01, 4, 4) == 1.0
    assert atteinte(f01, 5, 4) == 0.8
    assert atteinte(f01, 4, 0) == 0.0
    assert atteinte(f01, 0, 3) == 1.0  # a target of zero is met by anything
    assert atteinte(f01, -1, 0) == 1.0
    assert atteinte(f01, None, 3) is None and atteinte(f01, 3, None) is None


def test_atteinte_a_la_baisse() -> None:
    """13.2 storage: less is better, achievement is target / achieved."""
    stockage = ACTIONS["F13.A2"]
    assert atteinte(stockage, 10, 8) == 1.25
    assert atteinte(stockage, 10, 10) == 1.0
    assert atteinte(stockage, 8, 10) == 0.8
    assert atteinte(stockage, 10, 0) == 1.0  # nothing stored: target met
    assert atteinte(stockage, 0, 0) == 1.0
    assert atteinte(stockage, -1, 0) == 0.0
    assert atteinte(stockage, 10, -2) == 1.0


def test_atteinte_part_avec_reference() -> None:
    """12.2: the target is a decrease of X of the share vs the baseline year."""
    part = ACTIONS["F12.A2"]
    assert atteinte(part, 0.05, 0.095, reference=0.10) == pytest.approx(1.0)  # down 5 %, 5 % targeted
    assert atteinte(part, 0.05, 0.096, reference=0.10) == pytest.approx(0.8)  # down 4 %: 80 %
    assert atteinte(part, 0.05, 0.09, reference=None) is None
    assert atteinte(part, 0.05, 0.09, reference=0) is None
    assert atteinte(part, 0, 0.10, reference=0.10) == 1.0  # no decrease asked, none made
    assert atteinte(part, 0, 0.11, reference=0.10) == 0.0  # no decrease asked, but it went up
    assert atteinte(part, -0.1, 0.105, reference=0.10) == 1.0  # a rise of up to 10 % allowed
    assert atteinte(part, -0.1, 0.12, reference=0.10) == 0.0


@pytest.mark.parametrize(
    ("etape", "annee", "statut"),
    [
        ("Réalisé", 2025, Statut.ATTEINT),
        ("Réalisé", 2027, Statut.ATTEINT),
        (None, 2025, Statut.NON_RENSEIGNE),
        ("En cours", 2025, Statut.EN_RETARD),  # its year is over
        ("Non démarré", 2025, Statut.EN_RETARD),
        ("En cours", 2026, Statut.EN_BONNE_VOIE),  # the current year
        ("Non démarré", 2026, Statut.EN_RETARD),
        ("En cours", 2027, Statut.EN_BONNE_VOIE),
        ("Non démarré", 2027, Statut.NON_RENSEIGNE),  # a year still to come
    ],
)
def test_statut_etape_par_annee(etape: str | None, annee: int, statut: Statut) -> None:
    assert statut_etape(etape, annee, 2026) is statut


def test_statut_etape_le_31_decembre_et_le_1er_janvier(tmp_path: Path) -> None:
    """A step of 2026 not done is « En retard » from the 1st of January 2027, not on the 31st of December:
    the date of the consolidation is what says which year is under way."""
    from rse_xl.consolidation import consolider

    conv = referentiel()
    action = next(a for f in conv.fiches for a in f.actions if a.code == "F04.A1")
    chemin = tmp_path / "bmh.xlsx"
    ecrire_classeur(
        chemin,
        trouver_office(conv, "BMH"),
        Saisie(valeurs={nom_defini(action, 2026, Champ.ETAPE): "En cours"}),
    )
    for jour, statut in (
        (dt.date(2026, 12, 31), Statut.EN_BONNE_VOIE),
        (dt.date(2027, 1, 1), Statut.EN_RETARD),
    ):
        r = consolider([chemin], annee=2026, aujourdhui=jour).resultat("BMH", "F04.A1", 2026)
        assert r is not None and r.statut is statut, jour


def test_tendance_selon_le_sens() -> None:
    hausse, baisse = ACTIONS["F01.A1"], ACTIONS["F13.A2"]
    assert _tendance(hausse, 1.0) == "amélioration" and _tendance(hausse, -1.0) == "dégradation"
    assert _tendance(baisse, 1.0) == "dégradation" and _tendance(baisse, -1.0) == "amélioration"
    assert _tendance(hausse, 0.0) == "stable" and _tendance(hausse, 1e-12) == "stable"
    assert _tendance(hausse, None) is None


def _office(code: str, action: str, cible: float | None, realise: float | None, **kw) -> Resultat:
    return Resultat(
        office=code, action=action, annee=2026, mesure=Mesure.VALEUR, cible=cible, realise=realise, **kw
    )


def test_inter_somme_des_cibles_au_seuil() -> None:
    """The offices together: 8 done out of 10 targeted is exactly 80 %, « En bonne voie »."""
    par_office = {
        "ARC": [_office("ARC", "F01.A1", 6, 5)],
        "BMH": [_office("BMH", "F01.A1", 4, 3)],
    }
    (inter,) = [r for r in resultats_inter(par_office, CONV) if r.action == "F01.A1" and r.annee == 2026]
    assert inter.office == INTER
    assert (inter.cible, inter.realise, inter.offices) == (10, 8, 2)
    assert inter.atteinte == pytest.approx(0.8) and inter.statut is Statut.EN_BONNE_VOIE
    # BMH's target unknown: target and achieved over the offices that have both (#12), ARC alone here,
    # 5 / 6 = 83 % « En bonne voie », and the line says BMH is left out.
    par_office["BMH"] = [_office("BMH", "F01.A1", None, 3)]
    (inter,) = [r for r in resultats_inter(par_office, CONV) if r.action == "F01.A1" and r.annee == 2026]
    assert (inter.cible, inter.realise, inter.offices) == (6, 5, 1)
    assert inter.hors_total == {"BMH": "sans objectif"}
    assert inter.statut is Statut.EN_BONNE_VOIE


def test_inter_taux_cible_ponderee() -> None:
    par_office = {
        "ARC": [_office("ARC", "F03.A3", 0.5, 0.4, numerateur=4, denominateur=10)],
        "BMH": [_office("BMH", "F03.A3", 1.0, 1.0, numerateur=10, denominateur=10)],
        "NMH": [_office("NMH", "F03.A3", 0.9, None)],  # nothing achieved: not in the ratio
    }
    (inter,) = [r for r in resultats_inter(par_office, CONV) if r.action == "F03.A3" and r.annee == 2026]
    assert (inter.numerateur, inter.denominateur) == (14, 20)
    assert inter.realise == pytest.approx(0.7) and inter.cible == pytest.approx(0.75)
    assert inter.offices == 2
    assert inter.atteinte == pytest.approx(0.7 / 0.75) and inter.statut is Statut.EN_BONNE_VOIE


# --- Behaviour: custom thresholds from --parametres change the statuses ------------------------------------


def test_seuils_personnalises_par_parametres_changent_les_statuts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """3 of 4 targeted is 75 %: « En retard » by the référentiel (80 %), « En bonne voie » at 75 %, and
    « Atteint » when the settings put « atteint » at 75 %; the threshold of contracts moves 3.3 too."""
    action = ACTIONS["F01.A1"]
    jour = dt.date(2026, 5, 4)
    saisie = Saisie(
        valeurs={
            nom_defini(action, 2026, Champ.CIBLE): 4,
            nom_defini(ACTIONS["F03.A3"], 2026, Champ.CIBLE): 1.0,
        },
        registres={
            Registre.JOURNAL: [
                {"date": jour, "action": "F01.A1", "intitule": f"Action {i}", "type": "Atelier"}
                for i in range(3)
            ],
            Registre.MARCHES: [
                {
                    "reference": f"M{i}",
                    "objet": "Objet",
                    "nature": "Services",
                    "procedure": "Appel d'offres ouvert",
                    "negociation": False,
                    "date_lancement": dt.date(2026, 1, 5),
                    "date_notification": jour,
                    "montant_ht": montant,
                    "clause_variation": clause,
                    "criteres_env": False,
                    "clause_insertion": False,
                    "reserve": "Non",
                }
                for i, (montant, clause) in enumerate(
                    [(40_000.0, True), (40_000.01, False), (60_000.01, True)]
                )
            ],
        },
    )
    classeur = tmp_path / "bmh.xlsx"
    ecrire_classeur(classeur, trouver_office(CONV, "BMH"), saisie)

    def statuts(reglages: str | None) -> tuple[str, str, float]:
        args = ["consolider", str(classeur), "-o", str(tmp_path / "s.xlsx"), "--date-reference", "2026-11-30"]
        if reglages is not None:
            fichier = tmp_path / "reglages.yaml"
            fichier.write_text(reglages, encoding="utf-8")
            args += ["--parametres", str(fichier)]
        main([*args, "--json"])
        sortie = json.loads(capsys.readouterr().out)
        par_action = {
            r["action"]: r for r in sortie["resultats"] if r["office"] == "BMH" and r["annee"] == 2026
        }
        assert par_action["F01.A1"]["atteinte"] == pytest.approx(0.75)
        return par_action["F01.A1"]["statut"], par_action["F03.A3"]["statut"], par_action["F03.A3"]["realise"]

    assert statuts(None) == ("En retard", "En retard", 0.5)  # 1 of the 2 contracts above 40 000 €
    assert statuts("parametres:\n  seuils_statut:\n    en_bonne_voie: 0.75\n")[0] == "En bonne voie"
    assert statuts("parametres:\n  seuils_statut: {atteint: 0.75, en_bonne_voie: 0.5}\n")[0] == "Atteint"
    # Above 50 000 € only the contract of 60 000,01 € is counted, and it has the clause.
    assert statuts("parametres:\n  seuil_marches_ht: 50000\n")[1:] == ("Atteint", 1.0)

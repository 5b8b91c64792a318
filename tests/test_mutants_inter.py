"""The offices together, from per-office results written by hand: each case is one rule of DESIGN.md
(« Indicateurs inter-offices ») at a point the consolidated campaigns of the other tests do not reach.

Written from the survivors of the mutation run on ``rse_xl/indicateurs.py`` (bench/MUTATION.md): a target
of zero, a target the convention fixes per office, two offices left out, steps all done or half done, a
rate typed alone in a milestone year, equipment types sharing a name across offices, renewals next to a
typed ratio, thresholds of the statuses and of the trend at their tolerance.
"""

from __future__ import annotations

from typing import Any

import pytest

from rse_xl.indicateurs import INTER, Resultat, Statut, atteinte, resultats_inter, statut_etape
from rse_xl.referentiel import referentiel

CONV = referentiel()
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}


def res(office: str, code: str, annee: int = 2026, **champs: Any) -> Resultat:
    """A per-office result as ``resultats_office`` makes it: the convention's measure for that year."""
    return Resultat(
        office=office,
        action=code,
        annee=annee,
        mesure=ACTIONS[code].indicateur.cibles[annee].mesure,
        **champs,
    )


def inter(code: str, annee: int, *resultats: Resultat) -> Resultat:
    par_office: dict[str, list[Resultat]] = {}
    for r in resultats:
        par_office.setdefault(r.office, []).append(r)
    trouve = [r for r in resultats_inter(par_office, CONV) if r.action == code and r.annee == annee]
    assert len(trouve) == 1
    assert trouve[0].office == INTER
    return trouve[0]


def test_cible_fixee_pour_chaque_office_additionnee() -> None:
    """5.2: the convention sets 3 for 2026 *per office* (not a joint target): together, 3 + 3 + 3."""
    r = inter(
        "F05.A2",
        2026,
        *(res(o, "F05.A2", realise=v, cible=3.0) for o, v in (("ARC", 2.0), ("BMH", 3.0), ("NMH", 4.0))),
    )
    assert (r.cible, r.realise, r.atteinte, r.statut) == (9.0, 9.0, 1.0, Statut.ATTEINT)


def test_objectif_zero_d_un_office() -> None:
    """A target of 0 is a target: it adds 0 to the sum, and weighs 0 in a rate's weighted target."""
    somme = inter(
        "F01.A1",
        2026,
        res("ARC", "F01.A1", realise=1.0, cible=0.0),
        res("BMH", "F01.A1", realise=2.0, cible=2.0),
    )
    assert (somme.cible, somme.realise, somme.atteinte) == (2.0, 3.0, 1.5)
    taux = inter(
        "F08.A1",
        2026,
        res("ARC", "F08.A1", realise=0.5, numerateur=1.0, denominateur=2.0, cible=0.0),
        res("BMH", "F08.A1", realise=0.75, numerateur=3.0, denominateur=4.0, cible=0.5),
    )
    # (0 × 2 + 0,5 × 4) / 6
    assert taux.cible == pytest.approx(2 / 6) and taux.realise == pytest.approx(4 / 6)


def test_deux_offices_ecartes_nommes() -> None:
    r = inter(
        "F01.A1",
        2026,
        res("BMH", "F01.A1", exclu=True, motif="réalisé écarté (erreur de validation)"),
        res("ARC", "F01.A1", exclu=True, motif="réalisé écarté (erreur de validation)"),
        res("NMH", "F01.A1", realise=1.0, cible=1.0),
    )
    assert r.motif == (
        "valeur(s) écartée(s) : ARC, BMH ; hors du total inter-offices : ARC (valeur écartée), BMH (valeur écartée)"
    )
    assert (r.exclu, r.realise, r.statut) == (True, 1.0, Statut.ATTEINT)


def test_aucun_office() -> None:
    """Nothing consolidated: no step « 0 / 0 », no zero, no target but a joint one: every result is empty."""
    tous = resultats_inter({}, CONV)
    assert len(tous) == len(ACTIONS) * len(CONV.periode)
    for r in tous:
        ind = ACTIONS[r.action].indicateur
        commune = ind.cibles[r.annee].valeur_fixe if ind.commun else None
        assert (r.etape, r.realise, r.cible, r.atteinte, r.offices_total) == (None, None, commune, None, 0), r
        assert r.statut is Statut.NON_RENSEIGNE and r.couverture is None


@pytest.mark.parametrize(
    ("etapes", "statut"),
    [
        (("Réalisé", "Réalisé", "Réalisé"), Statut.ATTEINT),
        (("Réalisé", "Réalisé", None), Statut.EN_BONNE_VOIE),  # done where known, one office still silent
        (("En cours", "En cours", "En cours"), Statut.EN_BONNE_VOIE),
        (("Réalisé", "En cours", "Non démarré"), Statut.EN_RETARD),
        ((None, None, None), Statut.NON_RENSEIGNE),
    ],
)
def test_statut_des_jalons_ensemble(etapes: tuple[str | None, ...], statut: Statut) -> None:
    """4.1 in 2026, the current year: each office judged by its step, then the offices together."""
    offices = [
        res(o, "F04.A1", etape=e, statut=statut_etape(e, 2026, 2026))
        for o, e in zip(("ARC", "BMH", "NMH"), etapes, strict=True)
    ]
    assert inter("F04.A1", 2026, *offices).statut is statut


def test_taux_saisi_seul_une_annee_jalon() -> None:
    """3.3 in 2025 is a step; BMH typed a rate without numerator and denominator: it enters neither the
    ratio of sums that year nor the offices the 2026 change is taken over."""
    arc25 = res(
        "ARC",
        "F03.A3",
        2025,
        etape="Réalisé",
        statut=Statut.ATTEINT,
        realise=0.5,
        numerateur=1.0,
        denominateur=2.0,
    )
    bmh25 = res("BMH", "F03.A3", 2025, etape="En cours", statut=Statut.EN_RETARD, realise=0.4)
    arc26 = res("ARC", "F03.A3", 2026, realise=0.75, numerateur=3.0, denominateur=4.0)
    bmh26 = res("BMH", "F03.A3", 2026, realise=0.25, numerateur=1.0, denominateur=4.0)
    r25 = inter("F03.A3", 2025, arc25, bmh25, arc26, bmh26)
    assert (r25.numerateur, r25.denominateur, r25.realise) == (1.0, 2.0, 0.5)
    assert r25.details["moyenne_des_taux_non_retenue"] == 0.5
    r26 = inter("F03.A3", 2026, arc25, bmh25, arc26, bmh26)
    assert r26.realise == 0.5  # (3 + 1) / (4 + 4)
    # Over ARC alone, 50 % → 75 %, not the 50 % → 50 % of both offices.
    assert r26.evolution == 0.25 and r26.tendance == "amélioration"
    assert r26.motif == "évolution calculée sur les offices présents les deux années : ARC"


def test_moyennes_par_type_de_plusieurs_offices() -> None:
    """13.1: a type's mean over the offices is weighted by each office's count; a type whose name holds a
    colon is still one type."""
    tablette = "Tablette : 10 pouces"
    arc = res(
        "ARC", "F13.A1", realise=19 / 3, numerateur=19.0, denominateur=3.0, cible=5.0,
        details={"moyenne:Écran": 8.0, "nombre:Écran": 2.0, f"moyenne:{tablette}": 3.0, f"nombre:{tablette}": 1.0},
    )  # fmt: skip
    bmh = res(
        "BMH", "F13.A1", realise=5.0, numerateur=5.0, denominateur=1.0, cible=5.0,
        details={"moyenne:Écran": 5.0, "nombre:Écran": 1.0},
    )  # fmt: skip
    r = inter("F13.A1", 2026, arc, bmh)
    assert (r.numerateur, r.denominateur, r.realise) == (24.0, 4.0, 6.0)
    assert r.details == {
        "moyenne:Écran": 7.0,  # (8 × 2 + 5 × 1) / 3
        "nombre:Écran": 3.0,
        f"moyenne:{tablette}": 3.0,
        f"nombre:{tablette}": 1.0,
    }


def test_renouvellements_a_cote_d_un_ratio_saisi() -> None:
    """12.1: BMH typed its share (1 of 4), so it recorded no renewal: the renewals are ARC's alone."""
    arc = res(
        "ARC", "F12.A1", realise=0.5, numerateur=1.0, denominateur=2.0,
        details={"vehicules_entres": 2.0, "vehicules_entres_electriques": 1.0, "part_renouvellements_electriques": 0.5},
    )  # fmt: skip
    bmh = res("BMH", "F12.A1", realise=0.25, numerateur=1.0, denominateur=4.0)
    r = inter("F12.A1", 2026, arc, bmh)
    assert r.realise == pytest.approx(2 / 6)
    assert r.details["vehicules_entres"] == 2.0
    assert r.details["vehicules_entres_electriques"] == 1.0
    assert r.details["part_renouvellements_electriques"] == 0.5


def test_somme_des_offices_avec_un_zero() -> None:
    """16.1: an office with a real zero adds nothing to « somme des offices »."""
    r = inter(
        "F16.A1",
        2026,
        res("ARC", "F16.A1", realise=0.0),
        res("BMH", "F16.A1", realise=2.0, elements=frozenset({"commun:a", "commun:b"})),
    )
    assert r.realise == 2.0 and r.details["somme_des_offices"] == 2.0


def test_tendance_d_un_indicateur_a_la_baisse() -> None:
    """13.2 (lower is better): 10 → 10,5 is worse, 10 → 9,5 better."""
    for apres, tendance in ((10.5, "dégradation"), (9.5, "amélioration"), (10.0, "stable")):
        r = inter(
            "F13.A2",
            2026,
            res("ARC", "F13.A2", 2025, realise=10.0),
            res("ARC", "F13.A2", 2026, realise=apres),
        )
        assert (r.evolution, r.tendance) == (apres - 10.0, tendance)


def test_tendance_a_la_tolerance() -> None:
    """« stable » is a change under 1e-9 (rounding); exactly 1e-9 is a change."""
    for apres, tendance in ((1e-9, "amélioration"), (0.9e-9, "stable")):
        r = inter(
            "F01.A1", 2026, res("ARC", "F01.A1", 2025, realise=0.0), res("ARC", "F01.A1", 2026, realise=apres)
        )
        assert r.tendance == tendance, apres


@pytest.mark.parametrize(
    ("realise", "statut"),
    [
        (1.0 - 1e-9, Statut.ATTEINT),  # within rounding of the « Atteint » threshold
        (1.0 - 2e-9, Statut.EN_BONNE_VOIE),
        (0.8 - 1e-9, Statut.EN_BONNE_VOIE),
        (0.8 - 2e-9, Statut.EN_RETARD),
    ],
)
def test_statut_a_la_tolerance_des_seuils(realise: float, statut: Statut) -> None:
    r = inter("F01.A1", 2026, res("ARC", "F01.A1", realise=realise, cible=1.0))
    assert r.atteinte == realise and r.statut is statut


def test_atteinte_a_la_baisse_sous_un() -> None:
    """Lower is better: 0,5 for a target of 0,25 is half the way, whatever the scale."""
    assert atteinte(ACTIONS["F13.A2"], 0.25, 0.5) == 0.5
    assert atteinte(ACTIONS["F13.A2"], 0.25, 0.0) == 1.0

"""Every field of a result, per office and for the offices together, as the *Données* sheet and ``--json`` show it.

Written from the survivors of the mutation run on ``rse_xl/indicateurs.py`` (bench/MUTATION.md): where the
retained value comes from (registers, typed value, typed ratio, step), why a value is left out and what the
message says, the cell each figure comes from, the items of a joint count, the change vs the previous year,
and how each kind is added up across offices. Each expected dict is written by hand from the rows below.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from test_indicateurs import equipement, journal, marche

from rse_xl.consolidation import Consolidation, consolider
from rse_xl.indicateurs import INTER, en_dict
from rse_xl.layout import Champ, nom_defini, nom_registre_tenu
from rse_xl.modele import Plan, Saisie, ecrire_classeur, trouver_office
from rse_xl.referentiel import Registre, referentiel

CONV = referentiel()
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}
AUJOURDHUI = dt.date(2026, 11, 30)  # current year 2026: 2025 is over, 2027 still to come
D25 = dt.date(2025, 4, 7)
D26 = dt.date(2026, 5, 4)


def n(code: str, annee: int, champ: Champ | str) -> str:
    return nom_defini(ACTIONS[code], annee, champ)


def vehicule(immatriculation: str, entree: dt.date, energie: str) -> dict[str, Any]:
    return {"immatriculation": immatriculation, "type": "Voiture", "energie": energie, "date_entree": entree}


def operation(ref: str, logements: int, avant: str, apres: str) -> dict[str, Any]:
    return {
        "reference": ref,
        "nom": ref,
        "type": "Réhabilitation",
        "logements": logements,
        "date_lancement": dt.date(2025, 2, 3),
        "date_livraison": dt.date(2026, 6, 1),
        "dpe_avant": avant,
        "dpe_apres": apres,
        "biosource": False,
    }


ARC = Saisie(
    valeurs={
        # 1.1: typed 1 in 2025 (no journal row that year); in 2026 a typed value that fails validation, the
        # journal's two workshops retained.
        n("F01.A1", 2025, Champ.REALISE): 1,
        n("F01.A1", 2025, Champ.CIBLE): 3,
        n("F01.A1", 2026, Champ.REALISE): "douze",
        n("F01.A1", 2026, Champ.CIBLE): 4,
        n("F01.A1", 2026, Champ.COMMENTAIRE): "Deux ateliers",
        n("F01.A1", 2026, Champ.JUSTIFICATIF): "https://intranet/f01",
        # 4.1, a milestone: under way in 2025 (now over) and in 2026.
        n("F04.A1", 2025, Champ.ETAPE): "En cours",
        n("F04.A1", 2026, Champ.ETAPE): "En cours",
        # 3.3 in 2025 is a step of a rate indicator.
        n("F03.A2", 2025, Champ.ETAPE): "Réalisé",
        n("F03.A3", 2025, Champ.ETAPE): "Réalisé",
        n("F03.A3", 2026, Champ.CIBLE): 0.8,
        # 13.1: mean service life, target 5 years.
        n("F13.A1", 2026, Champ.CIBLE): 5,
        # 12.1: share of electric vehicles, target 40 %.
        n("F12.A1", 2026, Champ.CIBLE): 0.4,
        n("F02.A2", 2026, Champ.CIBLE): 30,
        # 12.2: 10 % in 2025, 9 % in 2026: a decrease of 10 %, twice the 5 % targeted.
        n("F12.A2", 2026, Champ.CIBLE): 0.05,
        # 6.1: the union has no target, whatever an office types.
        n("F06.A1", 2026, Champ.CIBLE): 1,
    },
    registres={
        Registre.JOURNAL: [
            journal("F01.A1", D26),
            journal("F01.A1", D26 + dt.timedelta(days=7)),
            journal("F16.A2", D26, "EXPE-1"),
        ],
        Registre.MARCHES: [marche(D26, 50_000, True), marche(D26, 60_000, False)],
        Registre.EQUIPEMENTS: [
            equipement(dt.date(2022, 5, 4), dt.date(2026, 5, 4)),  # 1 461 days: 4 years
            equipement(dt.date(2018, 5, 4), dt.date(2026, 5, 4), "Écran"),  # 2 922 days: 8 years
        ],
        Registre.VEHICULES: [
            vehicule("AA-001-AA", dt.date(2020, 1, 6), "Diesel"),
            vehicule("AA-002-AA", dt.date(2026, 3, 2), "Électrique"),
        ],
        Registre.OPERATIONS: [operation("OP-A", 40, "F", "C")],
        Registre.DONNEES_ANNUELLES: [
            {"annee": 2025, "bilan_total": 1000.0, "bilan_deplacements": 100.0},
            {"annee": 2026, "bilan_total": 1000.0, "bilan_deplacements": 90.0},
        ],
        Registre.REEMPLOI: [{"annee": 2026, "materiau": "Bois"}, {"annee": 2026, "materiau": "Métaux"}],
    },
)

BMH = Saisie(
    valeurs={
        # No journal row at all: the typed values stand.
        n("F01.A1", 2025, Champ.REALISE): 2,
        n("F01.A1", 2026, Champ.REALISE): 3,
        n("F01.A1", 2026, Champ.CIBLE): 2,
        n("F16.A2", 2026, Champ.REALISE): 2,
        # 3.3: the ratio typed in the fiche (3 contracts of 4), no contract register.
        n("F03.A3", 2026, Champ.NUMERATEUR): 3,
        n("F03.A3", 2026, Champ.DENOMINATEUR): 4,
        n("F03.A3", 2026, Champ.CIBLE): 0.5,
        # 14.1: a rate typed alone, without its numerator and denominator.
        n("F14.A1", 2026, Champ.REALISE): 0.4,
        n("F14.A1", 2026, Champ.CIBLE): 0.5,
        # 13.1 typed: 5 years, target 7.
        n("F13.A1", 2026, Champ.REALISE): 5,
        n("F13.A1", 2026, Champ.CIBLE): 7,
        # 1.2: a target typed wrongly.
        n("F01.A2", 2026, Champ.REALISE): 10,
        n("F01.A2", 2026, Champ.CIBLE): "beaucoup",
        n("F04.A1", 2025, Champ.ETAPE): "Réalisé",
        n("F04.A1", 2026, Champ.ETAPE): "Réalisé",
        # 15.1: a typed value that fails validation, no register behind it.
        n("F15.A1", 2026, Champ.REALISE): "douze",
        n("F15.A1", 2026, Champ.CIBLE): 100,
        n("F02.A2", 2026, Champ.CIBLE): 5,
        n("F03.A3", 2025, Champ.ETAPE): "Non démarré",
        # 12.1: the fleet register declared not kept for 2026, a typed share instead.
        nom_registre_tenu(Registre.VEHICULES, 2026): "Non",
        n("F12.A1", 2026, Champ.REALISE): 0.3,
        n("F12.A1", 2026, Champ.CIBLE): 0.5,
    },
    registres={
        Registre.VEHICULES: [vehicule("BB-001-BB", dt.date(2021, 1, 4), "Électrique")],
        Registre.OPERATIONS: [operation("OP-B", 10, "E", "D"), operation("OP-C", 5, "G", "F")],
        Registre.REEMPLOI: [{"annee": 2026, "materiau": "bois"}, {"annee": 2026, "materiau": "Verre"}],
    },
)

NMH = Saisie(
    valeurs={
        # The contract register declared not kept for 2026 (there is none), nothing typed: no value at all.
        nom_registre_tenu(Registre.MARCHES, 2026): "Non",
        n("F01.A1", 2026, Champ.CIBLE): 5,
        # 12.2: share of travel in the carbon footprint, 15 % in 2025, 12 % in 2026: a decrease of 20 %.
        n("F12.A2", 2026, Champ.CIBLE): 0.1,
        # 13.2: a value with no target.
        n("F13.A2", 2026, Champ.REALISE): 12,
        n("F04.A1", 2026, Champ.ETAPE): "Non démarré",
        n("F12.A1", 2026, Champ.CIBLE): 0.5,
    },
    registres={
        # 12.1: 1 electric vehicle of 3 at year end; the 2 renewals of 2026 are not electric.
        Registre.VEHICULES: [
            vehicule("NN-001-NN", dt.date(2024, 9, 2), "Électrique"),
            vehicule("NN-002-NN", dt.date(2026, 2, 2), "Diesel"),
            vehicule("NN-003-NN", dt.date(2026, 10, 1), "Essence"),
        ],
        Registre.DONNEES_ANNUELLES: [
            {"annee": 2025, "bilan_total": 2000.0, "bilan_deplacements": 300.0},
            {"annee": 2026, "bilan_total": 2000.0, "bilan_deplacements": 240.0},
        ],
        Registre.JOURNAL: [journal("F16.A2", D26, "expe-1"), journal("F01.A1", D26)],
    },
)


@pytest.fixture(scope="module")
def campagne(tmp_path_factory: pytest.TempPathFactory) -> tuple[Consolidation, dict[str, Plan]]:
    dossier = tmp_path_factory.mktemp("mutants_indicateurs")
    chemins, plans = [], {}
    for code, saisie in (("ARC", ARC), ("BMH", BMH), ("NMH", NMH)):
        chemin = dossier / f"{code}.xlsx"
        plans[code] = ecrire_classeur(chemin, trouver_office(CONV, code), saisie)
        chemins.append(chemin)
    return consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI), plans


def r(campagne: tuple[Consolidation, dict[str, Plan]], office: str, code: str, annee: int = 2026) -> Any:
    resultat = campagne[0].resultat(office, code, annee)
    assert resultat is not None, (office, code, annee)
    return resultat


def egal(obtenu: Any, attendu: Any, chemin: str = "") -> None:
    """Equal, floats to 1e-9 (a sum of shares is not exact), dicts key by key, booleans as booleans."""
    if isinstance(attendu, dict):
        assert isinstance(obtenu, dict), chemin
        assert sorted(obtenu) == sorted(attendu), f"{chemin} : clés {sorted(obtenu)} ≠ {sorted(attendu)}"
        for cle, valeur in attendu.items():
            egal(obtenu[cle], valeur, f"{chemin}.{cle}")
    elif isinstance(attendu, bool) or attendu is None:
        assert obtenu is attendu, f"{chemin} : {obtenu!r} au lieu de {attendu!r}"
    elif isinstance(attendu, float | int):
        assert isinstance(obtenu, float | int) and not isinstance(obtenu, bool), f"{chemin} : {obtenu!r}"
        assert obtenu == pytest.approx(attendu, rel=1e-9, abs=1e-12), f"{chemin} : {obtenu!r} ≠ {attendu!r}"
    else:
        assert obtenu == attendu, f"{chemin} : {obtenu!r} ≠ {attendu!r}"


CHAMPS_SOURCES = (Champ.ETAPE, Champ.CIBLE, Champ.REALISE, Champ.NUMERATEUR, Champ.DENOMINATEUR)


def sources(plan: Plan, code: str, annee: int, registres: bool = False) -> dict[str, str]:
    """The cells of the fiche the office types in, where the builder put them (no target cell where the
    convention sets the target, or in a milestone year); with ``registres``, « réalisé » is the calculated
    cell."""
    cible = ACTIONS[code].indicateur.cibles[annee]
    sans_cible = cible.valeur_fixe is not None or cible.mesure.value == "jalon"
    s = {
        champ.value.lower(): plan.reference(n(code, annee, champ))
        for champ in CHAMPS_SOURCES
        if n(code, annee, champ) in plan.cellules and not (champ is Champ.CIBLE and sans_cible)
    }
    if registres:
        s["realise"] = plan.reference(n(code, annee, "CALCULE"))
    return s


def attendu(office: str, code: str, annee: int = 2026, **champs: Any) -> dict[str, Any]:
    """The ``--json`` of a result: nothing but what is named, the convention's measure and target text."""
    cible = ACTIONS[code].indicateur.cibles[annee]
    d: dict[str, Any] = {
        "office": office,
        "action": code,
        "annee": annee,
        "mesure": cible.mesure.value,
        "cible": None,
        "cible_texte": cible.texte,
        "realise": None,
        "realise_saisi": None,
        "realise_registres": None,
        "origine": "consolidation" if office == INTER else None,
        "numerateur": None,
        "denominateur": None,
        "etape": None,
        "atteinte": None,
        "statut": "Non renseigné",
        "evolution": None,
        "tendance": None,
        "exclu": False,
        "motif": None,
        "offices": 0,
        "offices_total": 3 if office == INTER else 0,
        "couverture": None,
        "hors_total": {},
        "details": {},
        "sources": {},
    }
    assert set(champs) <= set(d), set(champs) - set(d)
    d.update(champs)
    return d


# --- one office: where the value comes from, and why -----------------------------------------------------


def test_saisie_d_une_annee_sans_registre_puis_registres(campagne) -> None:
    """1.1 at ARC: 2025 typed (the journal has no row of 2025), 2026 from the journal (its typed value is
    invalid), 2027 still to come with nothing recorded (not a zero)."""
    plan = campagne[1]["ARC"]
    egal(
        en_dict(r(campagne, "ARC", "F01.A1", 2025)),
        attendu(
            "ARC", "F01.A1", 2025,
            cible=3, realise=1, realise_saisi=1, origine="saisie", atteinte=1 / 3, statut="En retard",
            motif="registre « Journal des actions » non tenu pour 2025 (aucune ligne datée de 2025) : "
            "valeur saisie retenue",
            sources=sources(plan, "F01.A1", 2025),
        ),
    )  # fmt: skip
    resultat = r(campagne, "ARC", "F01.A1")
    egal(
        en_dict(resultat),
        attendu(
            "ARC", "F01.A1",
            cible=4, realise=2, realise_registres=2, origine="registres", atteinte=0.5, statut="En retard",
            evolution=1, tendance="amélioration",
            motif="réalisé saisi écarté (erreur de validation) ; valeur des registres retenue",
            sources=sources(plan, "F01.A1", 2026, registres=True),
        ),
    )  # fmt: skip
    assert resultat.commentaire == "Deux ateliers"
    assert resultat.justificatif == "https://intranet/f01"
    assert resultat.elements == frozenset() and not resultat.ecart
    egal(
        en_dict(r(campagne, "ARC", "F01.A1", 2027)),
        attendu("ARC", "F01.A1", 2027, sources=sources(plan, "F01.A1", 2027)),
    )
    # The office's own step and comment cells stay empty: nothing to show.
    assert r(campagne, "ARC", "F01.A1", 2025).commentaire is None
    assert r(campagne, "ARC", "F01.A1", 2025).justificatif is None


def test_registre_absent_valeur_saisie(campagne) -> None:
    """1.1 at BMH: no journal row at all, the typed values stand, with no message."""
    egal(
        en_dict(r(campagne, "BMH", "F01.A1")),
        attendu(
            "BMH", "F01.A1",
            cible=2, realise=3, realise_saisi=3, origine="saisie", atteinte=1.5, statut="Atteint",
            evolution=1, tendance="amélioration",
            sources=sources(campagne[1]["BMH"], "F01.A1", 2026),
        ),
    )  # fmt: skip


def test_registre_declare_non_tenu(campagne) -> None:
    """« Non » on the Identité sheet: the typed value stands (BMH's fleet), or there is none (NMH's contracts)."""
    egal(
        en_dict(r(campagne, "BMH", "F12.A1")),
        attendu(
            "BMH", "F12.A1",
            cible=0.5, realise=0.3, realise_saisi=0.3, origine="saisie", atteinte=0.6, statut="En retard",
            evolution=0.3 - 1, tendance="dégradation",  # 2025 from the register: 1 electric of 1
            motif="registre « Véhicules » déclaré non tenu pour 2026 (onglet Identité) : valeur saisie retenue",
            sources=sources(campagne[1]["BMH"], "F12.A1", 2026),
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, "NMH", "F03.A3")),
        attendu(
            "NMH", "F03.A3",
            motif="registre « Marchés » déclaré non tenu pour 2026 (onglet Identité) : aucune valeur retenue",
            sources=sources(campagne[1]["NMH"], "F03.A3", 2026),
        ),
    )  # fmt: skip


def test_jalon_selon_l_etape(campagne) -> None:
    """4.1 is a milestone: under way is late once its year is over, on track in the current year."""
    plan = campagne[1]["ARC"]
    egal(
        en_dict(r(campagne, "ARC", "F04.A1", 2025)),
        attendu(
            "ARC", "F04.A1", 2025, origine="étape", etape="En cours", statut="En retard",
            sources=sources(plan, "F04.A1", 2025),
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, "ARC", "F04.A1")),
        attendu(
            "ARC", "F04.A1", origine="étape", etape="En cours", statut="En bonne voie",
            sources=sources(plan, "F04.A1", 2026),
        ),
    )  # fmt: skip


def test_annee_jalon_d_un_taux(campagne) -> None:
    """3.3 in 2025 is a step: judged by it (« Réalisé »), no value (no contract of 2025)."""
    egal(
        en_dict(r(campagne, "ARC", "F03.A3", 2025)),
        attendu(
            "ARC", "F03.A3", 2025, etape="Réalisé", statut="Atteint",
            motif="registre « Marchés » non tenu pour 2025 (aucune ligne datée de 2025) : aucune valeur retenue",
            sources=sources(campagne[1]["ARC"], "F03.A3", 2025),
        ),
    )  # fmt: skip


def test_taux_des_registres_et_ratio_saisi(campagne) -> None:
    """3.3: ARC's contracts (1 of the 2 above 40 000 € with a price clause); BMH's typed ratio, 3 of 4."""
    egal(
        en_dict(r(campagne, "ARC", "F03.A3")),
        attendu(
            "ARC", "F03.A3",
            cible=0.8, realise=0.5, realise_registres=0.5, origine="registres", numerateur=1, denominateur=2,
            atteinte=0.625, statut="En retard", sources=sources(campagne[1]["ARC"], "F03.A3", 2026, True),
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, "BMH", "F03.A3")),
        attendu(
            "BMH", "F03.A3",
            cible=0.5, realise=0.75, origine="ratio saisi", numerateur=3, denominateur=4, atteinte=1.5,
            statut="Atteint", sources=sources(campagne[1]["BMH"], "F03.A3", 2026),
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, "BMH", "F14.A1")),
        attendu(
            "BMH", "F14.A1",
            cible=0.5, realise=0.4, realise_saisi=0.4, origine="saisie", atteinte=0.8, statut="En bonne voie",
            sources=sources(campagne[1]["BMH"], "F14.A1", 2026),
        ),
    )  # fmt: skip


def test_moyenne_par_type(campagne) -> None:
    """13.1: ARC's two retired devices (4 and 8 years); BMH's typed 5 years counts as one device."""
    egal(
        en_dict(r(campagne, "ARC", "F13.A1")),
        attendu(
            "ARC", "F13.A1",
            cible=5, realise=6, realise_registres=6, origine="registres", numerateur=12, denominateur=2,
            atteinte=1.2, statut="Atteint",
            details={
                "moyenne:Ordinateur portable": 4, "nombre:Ordinateur portable": 1,
                "moyenne:Écran": 8, "nombre:Écran": 1,
            },
            sources=sources(campagne[1]["ARC"], "F13.A1", 2026, registres=True),
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, "BMH", "F13.A1")),
        attendu(
            "BMH", "F13.A1",
            cible=7, realise=5, realise_saisi=5, origine="saisie", numerateur=5, denominateur=1,
            atteinte=5 / 7, statut="En retard", sources=sources(campagne[1]["BMH"], "F13.A1", 2026),
        ),
    )  # fmt: skip


def test_elements_d_un_comptage_commun(campagne) -> None:
    """16.2: a shared item is named as typed in the journal (normalised); a typed count is the office's own."""
    arc, bmh, nmh = (r(campagne, o, "F16.A2") for o in ("ARC", "BMH", "NMH"))
    assert arc.elements == frozenset({"commun:expe-1"}) and arc.realise == 1
    assert bmh.elements == frozenset({"BMH:saisie:0", "BMH:saisie:1"}) and bmh.origine == "saisie"
    assert nmh.elements == frozenset({"commun:expe-1"})
    egal(
        en_dict(bmh),
        attendu(
            "BMH", "F16.A2",
            cible=1, realise=2, realise_saisi=2, origine="saisie", atteinte=2, statut="Atteint",
            sources=sources(campagne[1]["BMH"], "F16.A2", 2026),
        ),
    )  # fmt: skip
    # The journal's own rows (no shared identifier) are items of their office: NMH's workshop of 1.1.
    assert r(campagne, "NMH", "F01.A1").realise == 1


def test_valeurs_ecartees(campagne) -> None:
    """A target typed wrongly leaves the value unjudged (« Non renseigné », not « Sans objectif »); an
    achieved value typed wrongly with no register leaves nothing."""
    egal(
        en_dict(r(campagne, "BMH", "F01.A2")),
        attendu(
            "BMH", "F01.A2",
            realise=10, realise_saisi=10, origine="saisie", exclu=True,
            motif="objectif-cible écarté (erreur de validation)",
            sources=sources(campagne[1]["BMH"], "F01.A2", 2026),
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, "BMH", "F15.A1")),
        attendu(
            "BMH", "F15.A1", cible=100, exclu=True, motif="réalisé écarté (erreur de validation)",
            sources=sources(campagne[1]["BMH"], "F15.A1", 2026),
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, "NMH", "F13.A2")),
        attendu(
            "NMH", "F13.A2", realise=12, realise_saisi=12, origine="saisie", statut="Sans objectif",
            sources=sources(campagne[1]["NMH"], "F13.A2", 2026),
        ),
    )  # fmt: skip


def test_baisse_par_rapport_a_l_annee_de_reference(campagne) -> None:
    """12.2: the 2025 share is the baseline (shown for information, 2025 is a step); 2026 is judged on the
    decrease from it: ARC 10 % → 9 %, a decrease of 10 % for 5 % targeted."""
    plan = campagne[1]["ARC"]
    egal(
        en_dict(r(campagne, "ARC", "F12.A2", 2025)),
        attendu(
            "ARC", "F12.A2", 2025,
            realise=0.1, realise_registres=0.1, origine="registres", numerateur=100, denominateur=1000,
            sources=sources(plan, "F12.A2", 2025, registres=True),
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, "ARC", "F12.A2")),
        attendu(
            "ARC", "F12.A2",
            cible=0.05, realise=0.09, realise_registres=0.09, origine="registres", numerateur=90,
            denominateur=1000, atteinte=2, statut="Atteint", evolution=-0.01, tendance="amélioration",
            sources=sources(plan, "F12.A2", 2026, registres=True),
        ),
    )  # fmt: skip


def test_flotte_et_renouvellements(campagne) -> None:
    """12.1 at NMH: 1 electric vehicle of 3 on 31/12/2026 (1 of 1 in 2025), neither renewal electric."""
    egal(
        en_dict(r(campagne, "NMH", "F12.A1")),
        attendu(
            "NMH", "F12.A1",
            cible=0.5, realise=1 / 3, realise_registres=1 / 3, origine="registres", numerateur=1,
            denominateur=3, atteinte=2 / 3, statut="En retard", evolution=1 / 3 - 1, tendance="dégradation",
            details={
                "vehicules_entres": 2, "vehicules_entres_electriques": 0, "part_renouvellements_electriques": 0,
            },
            sources=sources(campagne[1]["NMH"], "F12.A1", 2026, registres=True),
        ),
    )  # fmt: skip


# --- the offices together --------------------------------------------------------------------------------


def test_inter_somme_et_evolution_sur_les_offices_communs(campagne) -> None:
    """1.1: 2 + 3 + 1 against 4 + 2 + 5. In 2025 only ARC had a target (BMH's value had none): the change
    is taken over ARC alone, 1 → 2."""
    egal(
        en_dict(r(campagne, INTER, "F01.A1", 2025)),
        attendu(
            INTER, "F01.A1", 2025,
            cible=3, realise=1, atteinte=1 / 3, statut="En retard", offices=1,
            couverture="Incomplet : 1 office sur 3",
            hors_total={"BMH": "sans objectif", "NMH": "non renseigné"},
            motif="hors du total inter-offices : BMH (sans objectif), NMH (non renseigné)",
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, INTER, "F01.A1")),
        attendu(
            INTER, "F01.A1",
            cible=11, realise=6, atteinte=6 / 11, statut="En retard", offices=3,
            couverture="Complet : 3 offices sur 3", evolution=1, tendance="amélioration",
            details={"evolution_offices": 1},
            motif="évolution calculée sur les offices présents les deux années : ARC",
        ),
    )  # fmt: skip


def test_inter_jalons(campagne) -> None:
    """4.1: done when all are done, late as soon as one is late; an office with no step is left out."""
    egal(
        en_dict(r(campagne, INTER, "F04.A1", 2025)),
        attendu(
            INTER, "F04.A1", 2025,
            cible=3, realise=1, atteinte=1 / 3, etape="1 / 3 réalisé", statut="En retard", offices=2,
            couverture="Incomplet : 2 offices sur 3", hors_total={"NMH": "étape non renseignée"},
            details={"offices_realise": 1, "offices_renseignes": 2},
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, INTER, "F04.A1")),
        attendu(
            INTER, "F04.A1",
            cible=3, realise=1, atteinte=1 / 3, etape="1 / 3 réalisé", statut="En retard", offices=3,
            couverture="Complet : 3 offices sur 3", details={"offices_realise": 1, "offices_renseignes": 3},
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, INTER, "F04.A1", 2027)),
        attendu(
            INTER, "F04.A1", 2027,
            cible=3, realise=0, atteinte=0, etape="0 / 3 réalisé", couverture="Aucun office renseigné (sur 3)",
            hors_total={o: "étape non renseignée" for o in ("ARC", "BMH", "NMH")},
            details={"offices_realise": 0, "offices_renseignes": 0},
        ),
    )  # fmt: skip
    # 3.3 in 2025: a step of a rate, ARC done, BMH not started (late): late.
    egal(
        en_dict(r(campagne, INTER, "F03.A3", 2025)),
        attendu(
            INTER, "F03.A3", 2025,
            etape="1 / 3 réalisé", statut="En retard", offices=2, couverture="Incomplet : 2 offices sur 3",
            hors_total={"NMH": "étape non renseignée"}, details={"offices_realise": 1, "offices_renseignes": 2},
        ),
    )  # fmt: skip


def test_inter_taux_ratio_des_sommes(campagne) -> None:
    """3.3: (1 + 3) / (2 + 4), target weighted by the denominators (0,8 × 2 + 0,5 × 4) / 6 = 0,6."""
    egal(
        en_dict(r(campagne, INTER, "F03.A3")),
        attendu(
            INTER, "F03.A3",
            cible=0.6, realise=4 / 6, numerateur=4, denominateur=6, atteinte=(4 / 6) / 0.6, statut="Atteint",
            offices=2, couverture="Incomplet : 2 offices sur 3", hors_total={"NMH": "non renseigné"},
            motif="hors du total inter-offices : NMH (non renseigné)",
            details={"moyenne_des_taux_non_retenue": (0.5 + 0.75) / 2},
        ),
    )  # fmt: skip


def test_inter_taux_sans_numerateur(campagne) -> None:
    """14.1: BMH typed a rate alone (no numerator, no denominator): it cannot enter a ratio of sums. ARC's
    contracts (none with an environmental criterion) make 0 of 2, with no target: « Sans objectif »."""
    egal(
        en_dict(r(campagne, INTER, "F14.A1")),
        attendu(
            INTER, "F14.A1",
            realise=0, numerateur=0, denominateur=2, statut="Sans objectif", offices=1,
            couverture="Incomplet : 1 office sur 3",
            hors_total={"BMH": "taux sans numérateur ni dénominateur", "NMH": "non renseigné"},
            motif="hors du total inter-offices : BMH (taux sans numérateur ni dénominateur), NMH (non renseigné)",
            details={"moyenne_des_taux_non_retenue": 0},
        ),
    )  # fmt: skip


def test_inter_flotte_renouvellements_et_evolution(campagne) -> None:
    """12.1: (1 + 1) / (2 + 3); renewals 1 electric of 3 (not the mean of 100 % and 0 %); the change over
    ARC and NMH, present both years: (0 + 1) / (1 + 1) = 50 % → 40 %."""
    egal(
        en_dict(r(campagne, INTER, "F12.A1")),
        attendu(
            INTER, "F12.A1",
            cible=(0.4 * 2 + 0.5 * 3) / 5, realise=0.4, numerateur=2, denominateur=5,
            atteinte=0.4 / 0.46, statut="En bonne voie", offices=2, couverture="Incomplet : 2 offices sur 3",
            evolution=-0.1, tendance="dégradation",
            hors_total={"BMH": "taux sans numérateur ni dénominateur"},
            motif="hors du total inter-offices : BMH (taux sans numérateur ni dénominateur) ; "
            "évolution calculée sur les offices présents les deux années : ARC, NMH",
            details={
                "moyenne_des_taux_non_retenue": (0.5 + 1 / 3) / 2,
                "vehicules_entres": 3, "vehicules_entres_electriques": 1,
                "part_renouvellements_electriques": 1 / 3, "evolution_offices": 2,
            },
        ),
    )  # fmt: skip


def test_inter_moyenne_ponderee(campagne) -> None:
    """13.1: (12 + 5) / (2 + 1) years, target (5 × 2 + 7 × 1) / 3; the means by type come from ARC alone."""
    egal(
        en_dict(r(campagne, INTER, "F13.A1")),
        attendu(
            INTER, "F13.A1",
            cible=17 / 3, realise=17 / 3, numerateur=17, denominateur=3, atteinte=1, statut="Atteint",
            offices=2, couverture="Incomplet : 2 offices sur 3", hors_total={"NMH": "non renseigné"},
            motif="hors du total inter-offices : NMH (non renseigné)",
            details={
                "moyenne:Ordinateur portable": 4, "nombre:Ordinateur portable": 1,
                "moyenne:Écran": 8, "nombre:Écran": 1,
            },
        ),
    )  # fmt: skip


def test_inter_comptage_commun_et_union(campagne) -> None:
    """16.2: EXPE-1 (ARC and NMH) once, BMH's two: 3 items, 4 by adding up. 6.1: bois, métaux, verre, and
    no target for the union, whatever ARC typed."""
    inter = r(campagne, INTER, "F16.A2")
    assert inter.elements == frozenset({"commun:expe-1", "BMH:saisie:0", "BMH:saisie:1"})
    egal(
        en_dict(inter),
        attendu(
            INTER, "F16.A2",
            cible=1, realise=3, atteinte=3, statut="Atteint", offices=3, couverture="Complet : 3 offices sur 3",
            details={"somme_des_offices": 4},
        ),
    )  # fmt: skip
    union = r(campagne, INTER, "F06.A1")
    assert union.elements == frozenset({"bois", "metaux", "verre"})
    egal(
        en_dict(union),
        attendu(
            INTER, "F06.A1",
            realise=3, statut="Sans objectif", offices=2, couverture="Incomplet : 2 offices sur 3",
            hors_total={"NMH": "non renseigné"}, motif="hors du total inter-offices : NMH (non renseigné)",
            details={"somme_des_offices": 4},
        ),
    )  # fmt: skip


def test_inter_dpe(campagne) -> None:
    """2.2: 40 + 10 dwellings out of E-G; the classes added up; mean gain 135 / 55 classes (not the mean of
    ARC's 3 and BMH's 1). Both had 0 in 2025 (works launched, none delivered): a change of 50."""
    egal(
        en_dict(r(campagne, INTER, "F02.A2")),
        attendu(
            INTER, "F02.A2",
            cible=35, realise=50, atteinte=50 / 35, statut="Atteint", offices=2,
            couverture="Incomplet : 2 offices sur 3", evolution=50, tendance="amélioration",
            hors_total={"NMH": "non renseigné"},
            motif="hors du total inter-offices : NMH (non renseigné)",
            details={
                "avant_F": 40, "apres_C": 40, "avant_E": 10, "apres_D": 10, "avant_G": 5, "apres_F": 5,
                "logements_compares": 55, "gain_total_classes": 135, "gain_moyen_classes": 135 / 55,
            },
        ),
    )  # fmt: skip


def test_inter_valeurs_ecartees(campagne) -> None:
    """1.2: BMH's value has no readable target: counted, named among the values left out; 15.1: nothing."""
    egal(
        en_dict(r(campagne, INTER, "F01.A2")),
        attendu(
            INTER, "F01.A2",
            realise=10, statut="Sans objectif", exclu=True, offices=1, couverture="Incomplet : 1 office sur 3",
            hors_total={"ARC": "non renseigné", "NMH": "non renseigné"},
            motif="valeur(s) écartée(s) : BMH ; hors du total inter-offices : ARC (non renseigné), "
            "NMH (non renseigné)",
        ),
    )  # fmt: skip
    egal(
        en_dict(r(campagne, INTER, "F15.A1")),
        attendu(
            INTER, "F15.A1",
            exclu=True, couverture="Aucun office renseigné (sur 3)",
            hors_total={"ARC": "non renseigné", "BMH": "valeur écartée", "NMH": "non renseigné"},
            motif="valeur(s) écartée(s) : BMH ; hors du total inter-offices : ARC (non renseigné), "
            "BMH (valeur écartée), NMH (non renseigné)",
        ),
    )  # fmt: skip


def test_inter_baisse_par_rapport_a_la_reference(campagne) -> None:
    """12.2: 400 / 3 000 in 2025, 330 / 3 000 in 2026: a decrease of 17,5 % for a target weighted by the
    denominators, (5 % × 1 000 + 10 % × 2 000) / 3 000."""
    egal(
        en_dict(r(campagne, INTER, "F12.A2", 2025)),
        attendu(
            INTER, "F12.A2", 2025,
            realise=400 / 3000, numerateur=400, denominateur=3000, etape="0 / 3 réalisé",
            couverture="Aucun office renseigné (sur 3)",
            hors_total={o: "étape non renseignée" for o in ("ARC", "BMH", "NMH")},
            details={"offices_realise": 0, "offices_renseignes": 0, "moyenne_des_taux_non_retenue": 0.125},
        ),
    )  # fmt: skip
    baisse = (400 / 3000 - 330 / 3000) / (400 / 3000)
    cible = (0.05 * 1000 + 0.1 * 2000) / 3000
    egal(
        en_dict(r(campagne, INTER, "F12.A2")),
        attendu(
            INTER, "F12.A2",
            cible=cible, realise=0.11, numerateur=330, denominateur=3000, atteinte=baisse / cible,
            statut="Atteint", offices=2, couverture="Incomplet : 2 offices sur 3",
            evolution=0.11 - 400 / 3000, tendance="amélioration", hors_total={"BMH": "non renseigné"},
            motif="hors du total inter-offices : BMH (non renseigné)",
            details={"moyenne_des_taux_non_retenue": (0.09 + 0.12) / 2},
        ),
    )  # fmt: skip


def test_annee_de_reference_choisie(tmp_path: Path) -> None:
    """12.2 with ``annee_reference: 2026`` (``--parametres``): 2026 is the baseline, judged against nothing;
    2027 is judged on the decrease from 2026 (ARC 9 % → 8,1 %, NMH 12 % → 10,8 %: 10 % each), not from 2025."""
    parametres = CONV.parametres.model_copy(update={"annee_reference": 2026})
    convention = CONV.model_copy(update={"parametres": parametres})
    bilans = {"ARC": (1000.0, 100.0, 90.0, 81.0, 0.05), "NMH": (2000.0, 300.0, 240.0, 216.0, 0.1)}
    chemins = []
    for code, (total, d25, d26, d27, cible) in bilans.items():
        saisie = Saisie(
            valeurs={n("F12.A2", 2026, Champ.CIBLE): cible, n("F12.A2", 2027, Champ.CIBLE): cible},
            registres={
                Registre.DONNEES_ANNUELLES: [
                    {"annee": a, "bilan_total": total, "bilan_deplacements": d}
                    for a, d in ((2025, d25), (2026, d26), (2027, d27))
                ]
            },
        )
        chemin = tmp_path / f"{code}.xlsx"
        ecrire_classeur(chemin, trouver_office(convention, code), saisie)
        chemins.append(chemin)
    conso = consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI, convention=convention)
    for office in ("ARC", "NMH", INTER):
        base = conso.resultat(office, "F12.A2", 2026)
        assert base is not None and base.atteinte is None and base.statut == "Non renseigné", office
    arc, nmh, inter = (conso.resultat(o, "F12.A2", 2027) for o in ("ARC", "NMH", INTER))
    assert arc is not None and arc.realise == pytest.approx(0.081) and arc.atteinte == pytest.approx(2.0)
    assert nmh is not None and nmh.atteinte == pytest.approx(1.0) and nmh.statut == "Atteint"
    assert inter is not None and inter.realise == pytest.approx(297 / 3000)
    # (330 − 297) / 330 = 10 % for a target of (5 % × 1 000 + 10 % × 2 000) / 3 000.
    assert inter.atteinte == pytest.approx(0.1 / (250 / 3000)) and inter.statut == "Atteint"


def test_registre_tenu_dans_l_annee_compte_zero(campagne) -> None:
    """4.2 at NMH: its journal has rows of 2026 (for 1.1 and 16.2), none for 4.2: the journal is kept this
    year, and 4.2 is a real zero from the registers, in the current year as in any past one."""
    egal(
        en_dict(r(campagne, "NMH", "F04.A2")),
        attendu(
            "NMH", "F04.A2", realise=0, realise_registres=0, origine="registres", statut="Sans objectif",
            sources=sources(campagne[1]["NMH"], "F04.A2", 2026, registres=True),
        ),
    )  # fmt: skip


def test_classeur_sans_cellules() -> None:
    """A workbook read with none of the fiche cells (sheets deleted): every result is empty, nothing is
    « left out » (no value was refused), and a comment left as an empty text is no comment."""
    from rse_xl.indicateurs import resultats_office
    from rse_xl.lecture import ClasseurLu, ValeurLue

    lu = ClasseurLu(chemin=Path("nmh.xlsx"), office=trouver_office(CONV, "NMH"))
    lu.saisies[("F01.A1", 2026, Champ.COMMENTAIRE)] = ValeurLue("", "", "F01 Eau", "L10")
    resultats = resultats_office(lu, CONV, 2026)
    assert len(resultats) == sum(len(f.actions) for f in CONV.fiches) * 3
    assert not any(x.exclu or x.motif or x.sources for x in resultats)
    assert all(x.commentaire is None and x.justificatif is None and x.etape is None for x in resultats)
    assert {x.statut.value for x in resultats} == {"Non renseigné"}


@pytest.mark.parametrize(
    ("numerateur", "denominateur", "realise", "origine"),
    [
        (3, None, None, None),  # a numerator alone is no ratio
        (None, 4, None, None),  # nor is a denominator alone
        (3, 0, None, None),  # nor a zero denominator
        (1, 1, 1.0, "ratio saisi"),  # 1 of 1 is 100 %
        (0, 4, 0.0, "ratio saisi"),
    ],
)
def test_ratio_saisi_incomplet(numerateur: Any, denominateur: Any, realise: Any, origine: Any) -> None:
    """3.3 in 2026, no contract register: the rate is the ratio typed, when both terms are there."""
    from rse_xl.indicateurs import resultats_office
    from rse_xl.lecture import ClasseurLu, ValeurLue

    lu = ClasseurLu(chemin=Path("arc.xlsx"), office=trouver_office(CONV, "ARC"))
    for champ, valeur, cellule in (
        (Champ.NUMERATEUR, numerateur, "F20"),
        (Champ.DENOMINATEUR, denominateur, "F21"),
    ):
        if valeur is not None:
            lu.saisies[("F03.A3", 2026, champ)] = ValeurLue(valeur, valeur, "F03 Achats", cellule)
    (x,) = (x for x in resultats_office(lu, CONV, 2026) if x.action == "F03.A3" and x.annee == 2026)
    assert x.realise == realise and (x.origine.value if x.origine else None) == origine
    assert (x.numerateur, x.denominateur) == ((numerateur, denominateur) if origine else (None, None))


def test_lignes_du_journal_propres_a_chaque_office(tmp_path: Path) -> None:
    """16.1: a journal row with no shared identifier is an item of its office alone: ARC's first row and
    BMH's first row are two items together, not one."""
    chemins = []
    for code in ("ARC", "BMH"):
        chemin = tmp_path / f"{code}.xlsx"
        ecrire_classeur(
            chemin, trouver_office(CONV, code), Saisie(registres={Registre.JOURNAL: [journal("F16.A1", D26)]})
        )
        chemins.append(chemin)
    conso = consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI)
    for code in ("ARC", "BMH"):
        office = conso.resultat(code, "F16.A1", 2026)
        assert office is not None and office.realise == 1
        assert len(office.elements) == 1 and next(iter(office.elements)).startswith(f"{code}:ligne:")
    ensemble = conso.resultat(INTER, "F16.A1", 2026)
    assert ensemble is not None and ensemble.realise == 2 and len(ensemble.elements) == 2

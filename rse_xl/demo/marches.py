"""Register of contracts (Marchés)."""

from __future__ import annotations

import datetime as dt
import random

from rse_xl.demo.contexte import Contexte, Ligne, date_entre, jour_ouvre, lognormal, pondere
from rse_xl.demo.donnees import LOTS, MARCHES_RESERVES, MEDIANES_MONTANT, OBJETS_MARCHES
from rse_xl.layout import PROCEDURES_NEGOCIATION

SEUIL_PROCEDURE_FORMALISEE = 221_000  # fournitures et services ; travaux : seuil bien au-delà des montants


def _procedure(rng: random.Random, nature: str, montant: float) -> str:
    """A procedure consistent with the nature and the amount of the contract."""
    if montant < 40_000 and rng.random() < 0.25:
        return "Marché négocié sans publicité ni mise en concurrence"
    if rng.random() < 0.12:
        return "Accord-cadre (marché subséquent)"
    if nature != "Travaux" and montant >= SEUIL_PROCEDURE_FORMALISEE:
        return pondere(
            rng,
            {
                "Appel d'offres ouvert": 0.65,
                "Appel d'offres restreint": 0.1,
                "Procédure avec négociation": 0.17,
                "Dialogue compétitif": 0.08,
            },
        )
    if nature == "Travaux" and montant >= 1_000_000:
        return "Appel d'offres ouvert" if rng.random() < 0.6 else "Procédure adaptée (MAPA)"
    return "Procédure adaptée (MAPA)" if rng.random() < 0.85 else "Appel d'offres ouvert"


def _negociation(rng: random.Random, procedure: str, annee: int) -> bool:
    if procedure in PROCEDURES_NEGOCIATION:
        return rng.random() < (0.88 if annee <= 2025 else 0.95)
    if procedure == "Accord-cadre (marché subséquent)":
        return rng.random() < 0.1
    return False


def _delai_notification(rng: random.Random, procedure: str) -> int:
    if procedure.startswith("Dialogue"):
        return rng.randint(150, 250)
    if procedure.startswith("Appel d'offres") or procedure.startswith("Procédure avec"):
        return rng.randint(75, 160)
    return rng.randint(25, 90)


def _objet(ctx: Contexte, modele: str) -> str:
    rng = ctx.rng
    return modele.format(
        n=rng.choice((12, 16, 24, 32, 40, 48, 60, 72, 96, 120)),
        res=ctx.residence(),
        quartier=ctx.quartier(),
        lot=rng.choice(LOTS),
    )


def _criteres_env(rng: random.Random, lancement: dt.date, base: float) -> bool:
    """Environmental criteria spread; the 22 August 2026 legal deadline makes them nearly systematic."""
    if lancement >= dt.date(2026, 8, 22):
        p = 0.97
    elif lancement.year >= 2026:
        p = base + 0.2
    else:
        p = base
    return rng.random() < p


def lignes_marches(ctx: Contexte) -> list[Ligne]:
    rng = ctx.rng
    n = ctx.taille("marches")
    base_env = {"ARC": 0.55, "BMH": 0.45, "NMH": 0.6}.get(ctx.code, 0.5)
    lignes: list[Ligne] = []
    debut = dt.date(ctx.annees[0] - 1, 10, 1) if ctx.annees else ctx.limite
    for _ in range(n):
        nature = pondere(
            rng, {"Travaux": 0.45, "Fournitures": 0.15, "Services": 0.25, "Prestations intellectuelles": 0.15}
        )
        mediane, sigma = MEDIANES_MONTANT[nature]
        montant = round(lognormal(rng, mediane, sigma, 5_000, 2_000_000), 2)
        lancement = jour_ouvre(date_entre(rng, debut, ctx.limite - dt.timedelta(days=5)))
        lignes.append(
            _marche(
                ctx,
                _objet(ctx, rng.choice(OBJETS_MARCHES[nature])),
                nature,
                montant,
                lancement,
                "Non",
                base_env,
            )
        )
    # Reserved contracts (10.2): one or two a year, at least one notified in the current year.
    for annee in ctx.annees:
        nb = ctx.taille(f"reserves:{annee}")
        for _ in range(nb):
            objet, nature, reserve = rng.choice(MARCHES_RESERVES)
            notification = jour_ouvre(date_entre(rng, dt.date(annee, 2, 1), ctx.fin_annee(annee)))
            lancement = jour_ouvre(notification - dt.timedelta(days=rng.randint(30, 75)))
            montant = round(lognormal(rng, 55_000, 0.6, 12_000, 300_000), 2)
            ligne = _marche(ctx, objet, nature, montant, lancement, reserve, base_env, notification)
            lignes.append(ligne)
    lignes.sort(key=lambda r: (r["date_lancement"], r["objet"]))
    compteurs: dict[int, int] = {}
    for r in lignes:
        annee = r["date_lancement"].year
        compteurs[annee] = compteurs.get(annee, 0) + 1
        r["reference"] = ctx.p.format_marche.format(
            code=ctx.code, aa=f"{annee % 100:02d}", aaaa=annee, n=compteurs[annee]
        )
    return lignes


def _marche(
    ctx: Contexte,
    objet: str,
    nature: str,
    montant: float,
    lancement: dt.date,
    reserve: str,
    base_env: float,
    notification: dt.date | None = None,
) -> Ligne:
    rng = ctx.rng
    procedure = "Procédure adaptée (MAPA)" if reserve != "Non" else _procedure(rng, nature, montant)
    if notification is None:
        notification = jour_ouvre(lancement + dt.timedelta(days=_delai_notification(rng, procedure)))
    notifie = notification if notification <= ctx.limite else None
    if nature == "Travaux":
        insertion = reserve == "Non" and montant >= 90_000 and rng.random() < 0.8
    elif nature == "Services":
        insertion = reserve == "Non" and rng.random() < 0.35
    else:
        insertion = rng.random() < 0.08
    heures = None
    if insertion and notifie is not None:
        # Hours per euro: labour-intensive works and services carry most of them.
        bornes = {"Travaux": (0.0008, 0.0015), "Services": (0.0006, 0.0012)}.get(nature, (0.0002, 0.0005))
        heures = max(35, round(montant * rng.uniform(*bornes)))
    variation_p = 0.85 if montant > 40_000 else 0.4
    evaluation = None
    if notifie is not None and nature in ("Travaux", "Services") and rng.random() < 0.45:
        d = jour_ouvre(notifie + dt.timedelta(days=rng.randint(180, 420)))
        evaluation = d if d <= ctx.limite else None
    variantes_tirage = rng.random()
    return {
        "reference": "",
        "objet": objet,
        "nature": nature,
        "procedure": procedure,
        "negociation": _negociation(rng, procedure, lancement.year),
        "date_lancement": lancement,
        "date_notification": notifie,
        "montant_ht": montant,
        "clause_variation": rng.random() < variation_p + (0.05 if lancement.year >= 2026 else 0),
        "criteres_env": _criteres_env(rng, lancement, base_env),
        "clause_insertion": insertion,
        "heures_insertion": heures,
        "reserve": reserve,
        "variantes": None if variantes_tirage < 0.1 else variantes_tirage < 0.25,
        "date_evaluation": evaluation,
    }

"""Register of operations (Opérations): rehabilitations, constructions, demolitions."""

from __future__ import annotations

import datetime as dt
import random

from rse_xl.demo.contexte import Contexte, Ligne, date_entre, jour_ouvre, pondere
from rse_xl.demo.donnees import CONSOMMATIONS
from rse_xl.layout import CLASSES_DPE, METHODES_DPE

METHODE_2021, METHODE_2026 = METHODES_DPE


def _conso(rng: random.Random, classe: str) -> float:
    return round(rng.uniform(*CONSOMMATIONS[classe]), 1)


def lignes_operations(ctx: Contexte) -> list[Ligne]:
    rng = ctx.rng
    n = ctx.taille("operations")
    # Rehabilitations cycle through phases so that every year has deliveries and launches.
    phases: list[tuple[str, int]] = []
    for livree, lancee in zip(ctx.annees, reversed(ctx.annees), strict=True):
        phases += [("livree", livree), ("en_cours", lancee)]
    phases.append(("en_cours", ctx.annee_courante))
    lignes: list[Ligne] = []
    noms: list[str] = []
    rehab = 0
    for _ in range(n):
        type_op = pondere(rng, {"Réhabilitation": 0.6, "Construction": 0.3, "Démolition": 0.1})
        nom = f"{ctx.residence()} – {ctx.quartier()}"
        tranche = 1 + noms.count(nom)
        noms.append(nom)
        nom_affiche = nom if tranche == 1 else f"{nom} (tranche {tranche})"
        if type_op == "Réhabilitation":
            phase = phases[rehab % len(phases)]
            rehab += 1
            ligne = _rehabilitation(ctx, phase)
        elif type_op == "Construction":
            ligne = _construction(ctx)
        else:
            ligne = _demolition(ctx)
        ligne["nom"] = nom_affiche
        lignes.append(ligne)
    lignes.sort(key=lambda r: (r["date_lancement"], r["nom"]))
    compteurs: dict[int, int] = {}
    for r in lignes:
        annee = r["date_lancement"].year
        compteurs[annee] = compteurs.get(annee, 0) + 1
        r["reference"] = f"OP-{ctx.code}-{annee}-{compteurs[annee]:02d}"
    return [{"reference": r.pop("reference"), "nom": r.pop("nom"), **r} for r in lignes]


def _rehabilitation(ctx: Contexte, phase: tuple[str, int]) -> Ligne:
    rng = ctx.rng
    etat, annee = phase
    livraison: dt.date | None = None
    if etat == "livree":
        livraison = jour_ouvre(
            date_entre(rng, dt.date(annee, 1, 20), ctx.fin_annee(annee) - dt.timedelta(days=10))
        )
        lancement = jour_ouvre(livraison - dt.timedelta(days=rng.randint(300, 600)))
    else:  # works launched that year, still under way
        debut = dt.date(annee, 2, 1)
        lancement = jour_ouvre(date_entre(rng, debut, max(debut, ctx.limite - dt.timedelta(days=30))))
    # 2026 launches give priority to F and G (calendar of 2.1).
    poids_avant = (
        {"D": 0.05, "E": 0.3, "F": 0.4, "G": 0.25}
        if lancement.year >= 2026
        else {"D": 0.07, "E": 0.45, "F": 0.32, "G": 0.16}
    )
    avant = pondere(rng, poids_avant)
    apres = CLASSES_DPE[max(1, min(3, CLASSES_DPE.index(avant) - rng.randint(2, 4)))]
    methode_apres = METHODE_2021
    if livraison is not None and livraison.year >= 2026 and rng.random() < 0.3:
        methode_apres = METHODE_2026
    logements = rng.randint(20, 180)
    pemd = None
    if logements >= 40 and rng.random() < 0.55:
        pemd = jour_ouvre(lancement - dt.timedelta(days=rng.randint(30, 240)))
    return {
        "reference": "",
        "nom": "",
        "type": "Réhabilitation",
        "logements": logements,
        "date_lancement": lancement,
        "date_livraison": livraison,
        "dpe_avant": avant,
        "dpe_apres": apres,
        "methode_avant": METHODE_2021,
        "methode_apres": methode_apres,
        "conso_avant": _conso(rng, avant),
        "conso_apres": _conso(rng, apres),
        "biosource": rng.random() < (0.25 if lancement.year < 2026 else 0.4),
        "date_pemd": pemd,
        "logements_repos": rng.randint(1, 3) if rng.random() < 0.45 else None,
    }


def _construction(ctx: Contexte) -> Ligne:
    rng = ctx.rng
    debut = dt.date(ctx.annees[0] - 2, 6, 1) if ctx.annees else ctx.limite - dt.timedelta(days=700)
    lancement = jour_ouvre(date_entre(rng, debut, ctx.limite - dt.timedelta(days=30)))
    livraison = jour_ouvre(lancement + dt.timedelta(days=rng.randint(540, 840)))
    livree = livraison <= ctx.limite
    classe = "A" if rng.random() < 0.35 else "B"
    methode = METHODE_2026 if livree and livraison.year >= 2026 and rng.random() < 0.5 else METHODE_2021
    return {
        "reference": "",
        "nom": "",
        "type": "Construction",
        "logements": rng.randint(12, 80),
        "date_lancement": lancement,
        "date_livraison": livraison if livree else None,
        "dpe_avant": None,
        "dpe_apres": classe,
        "methode_avant": None,
        "methode_apres": methode,
        "conso_avant": None,
        "conso_apres": _conso(rng, classe),
        "biosource": rng.random() < (0.35 if lancement.year < 2026 else 0.5),
        "date_pemd": None,
        "logements_repos": None,
    }


def _demolition(ctx: Contexte) -> Ligne:
    rng = ctx.rng
    debut = dt.date(ctx.annees[0] - 1, 6, 1) if ctx.annees else ctx.limite - dt.timedelta(days=500)
    lancement = jour_ouvre(date_entre(rng, debut, ctx.limite - dt.timedelta(days=30)))
    fin = jour_ouvre(lancement + dt.timedelta(days=rng.randint(90, 270)))
    avant = pondere(rng, {"E": 0.3, "F": 0.4, "G": 0.3})
    return {
        "reference": "",
        "nom": "",
        "type": "Démolition",
        "logements": rng.randint(20, 120),
        "date_lancement": lancement,
        "date_livraison": fin if fin <= ctx.limite else None,
        "dpe_avant": avant,
        "dpe_apres": None,
        "methode_avant": METHODE_2021,
        "methode_apres": None,
        "conso_avant": _conso(rng, avant),
        "conso_apres": None,
        "biosource": False,
        # A PEMD diagnosis is compulsory before a demolition.
        "date_pemd": jour_ouvre(lancement - dt.timedelta(days=rng.randint(60, 240))),
        "logements_repos": None,
    }

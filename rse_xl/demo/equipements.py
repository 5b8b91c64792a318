"""Register of digital equipment (Équipements numériques)."""

from __future__ import annotations

import datetime as dt
import random

from rse_xl.demo.contexte import Contexte, Ligne, date_entre, jour_ouvre, pondere
from rse_xl.demo.donnees import DEVENIRS_SORTIE, EQUIPEMENTS


def _duree_vie(rng: random.Random, type_equipement: str, annee_retrait: int) -> float:
    """Lifetime in years, 3 to 9, by type; items retired from 2026 on are kept a little longer (13.1)."""
    _, _, moyenne, ecart = EQUIPEMENTS[type_equipement]
    allongement = 0.3 if annee_retrait >= 2026 else 0.0
    return min(9.0, max(3.0, rng.gauss(moyenne + allongement, ecart)))


def lignes_equipements(ctx: Contexte) -> list[Ligne]:
    rng = ctx.rng
    n = ctx.taille("equipements")
    types = list(EQUIPEMENTS)
    parts = [EQUIPEMENTS[t][1] for t in types]
    lignes: list[Ligne] = []
    for i in range(n):
        type_equipement = rng.choices(types, weights=parts)[0]
        tirage = rng.random()
        # About a quarter of the stock leaves each year; the first items guarantee one exit per year.
        annee_retrait = None
        if i < len(ctx.annees):
            annee_retrait = ctx.annees[i]
        else:
            for k, annee in enumerate(ctx.annees):
                if tirage < 0.24 * (k + 1):
                    annee_retrait = annee
                    break
        if annee_retrait is not None:
            retrait: dt.date | None = jour_ouvre(
                date_entre(rng, dt.date(annee_retrait, 1, 10), ctx.fin_annee(annee_retrait))
            )
            assert retrait is not None
            duree = _duree_vie(rng, type_equipement, annee_retrait)
            service = retrait - dt.timedelta(days=round(duree * 365.25))
            devenir: str | None = pondere(rng, DEVENIRS_SORTIE)
        else:
            retrait = None
            duree = _duree_vie(rng, type_equipement, ctx.annee_courante + 1)
            service = ctx.limite - dt.timedelta(days=rng.randint(0, round(duree * 0.95 * 365.25)))
            devenir = "En service" if rng.random() < 0.7 else None
        lignes.append(
            {
                "identifiant": "",
                "type": type_equipement,
                "date_service": jour_ouvre(service),
                "date_retrait": retrait,
                "devenir": devenir,
            }
        )
    # Asset tags are numbered in the order of purchase.
    lignes.sort(key=lambda r: (r["date_service"], r["type"]))
    premier = rng.randint(1000, 4000)
    for k, r in enumerate(lignes):
        r["identifiant"] = f"{EQUIPEMENTS[r['type']][0]}-{ctx.code}-{premier + k:05d}"
    return lignes

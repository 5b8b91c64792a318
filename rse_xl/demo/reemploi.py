"""Registers of recovered materials (Matériaux réemploi) and of annual data (Données annuelles)."""

from __future__ import annotations

from collections.abc import Sequence

from rse_xl.demo.contexte import Contexte, Ligne
from rse_xl.demo.donnees import FILIERES_MATERIAUX, MATERIAUX_COMMUNS, QUANTITES_UNITES, UNITES_MATERIAUX


def lignes_reemploi(ctx: Contexte, operations: Sequence[Ligne]) -> list[Ligne]:
    rng = ctx.rng
    propres = list(ctx.p.materiaux)
    lignes: list[Ligne] = []
    for k, annee in enumerate(ctx.annees):
        n = ctx.taille(f"reemploi:{annee}")
        # The strategy widens: the office's own types come in progressively, then all of them.
        if k == 0:
            retenus = sorted(rng.sample(range(len(propres)), max(1, len(propres) - 2)))
            types = [*MATERIAUX_COMMUNS, *(propres[i] for i in retenus)]
        else:
            types = [*MATERIAUX_COMMUNS, *propres]
        chantiers = [
            o["nom"]
            for o in operations
            if o["type"] in ("Réhabilitation", "Démolition") and o["date_lancement"].year <= annee
        ]
        for i in range(n):
            materiau = types[i] if i < len(types) else rng.choice(types)
            unite = UNITES_MATERIAUX.get(materiau, "u")
            bas, haut = QUANTITES_UNITES[unite]
            quantite: float = (
                rng.randint(int(bas), int(haut)) if unite == "u" else round(rng.uniform(bas, haut), 1)
            )
            lignes.append(
                {
                    "annee": annee,
                    "materiau": materiau,
                    "operation": rng.choice(chantiers) if chantiers else None,
                    "filiere": rng.choice(FILIERES_MATERIAUX.get(materiau, ("Réemploi", "Réutilisation"))),
                    "quantite": quantite,
                    "unite": unite,
                }
            )
    return lignes


# --- Données annuelles -------------------------------------------------------------------------------------


def lignes_donnees_annuelles(ctx: Contexte) -> list[Ligne]:
    rng = ctx.rng
    p = ctx.p
    lignes: list[Ligne] = []
    robinetteries = rng.randint(*p.robinetteries)
    total = rng.uniform(*p.bilan_total)
    part = rng.uniform(*p.part_deplacements)
    stockage = rng.uniform(*p.stockage)
    for k, annee in enumerate(ctx.annees):
        if k:
            # Travel share and storage go down, replacements go up (the actions work).
            robinetteries = round(robinetteries * rng.uniform(1.1, 1.4))
            total *= rng.uniform(0.95, 1.03)
            part *= rng.uniform(0.82, 0.94)
            stockage *= rng.uniform(0.85, 0.95)
        bilan = round(total, 1)
        lignes.append(
            {
                "annee": annee,
                "robinetteries": robinetteries,
                "bilan_total": bilan,
                "bilan_deplacements": round(bilan * part, 1),
                "stockage_to": round(stockage, 1),
                "locataires_sondes": rng.randint(*p.sondes),
            }
        )
    return lignes

"""Register of vehicles (Véhicules): the fleet, greening as it renews."""

from __future__ import annotations

import datetime as dt
import random

from rse_xl.demo.contexte import Contexte, Ligne, date_entre, jour_ouvre, pondere
from rse_xl.demo.donnees import SERIES_SIV

LETTRES_SIV = "ABCDEFGHJKLMNPQRSTVWXYZ"  # no I, O, U


def _part_electrique(type_vehicule: str, annee: int) -> float:
    """Share of electric vehicles among the entries of a year: the fleet greens as it renews."""
    voiture = {2018: 0.03, 2020: 0.15, 2022: 0.35, 2024: 0.55, 2025: 0.72, 2026: 0.82}
    utilitaire = {2018: 0.02, 2020: 0.08, 2022: 0.2, 2024: 0.4, 2025: 0.6, 2026: 0.7}
    table = voiture if type_vehicule == "Voiture" else utilitaire
    for borne in sorted(table):
        if annee <= borne:
            return table[borne]
    return table[max(table)]


def _energie(rng: random.Random, type_vehicule: str, annee: int, bonus: float) -> str:
    if type_vehicule == "Vélo":
        return "Aucune"
    if type_vehicule == "Vélo à assistance électrique":
        return "Électrique"
    if type_vehicule == "Deux-roues motorisé":
        return "Électrique" if rng.random() < 0.6 else "Essence"
    if rng.random() < min(0.95, _part_electrique(type_vehicule, annee) + bonus):
        return "Électrique"
    if type_vehicule == "Véhicule utilitaire":
        return pondere(rng, {"Diesel": 0.7, "GNV / bioGNV": 0.15, "Essence": 0.1, "Hybride": 0.05})
    if annee <= 2019:
        return pondere(rng, {"Diesel": 0.6, "Essence": 0.3, "Hybride": 0.1})
    return pondere(
        rng,
        {"Diesel": 0.2, "Essence": 0.2, "Hybride": 0.35, "Hybride rechargeable": 0.2, "GNV / bioGNV": 0.05},
    )


def lignes_vehicules(ctx: Contexte) -> list[Ligne]:
    """The fleet: vehicles bought since 2014; old thermal ones leave and are mostly replaced in kind."""
    rng = ctx.rng
    n = ctx.taille("vehicules")
    annees_entree = list(range(2014, ctx.annee_courante + 1))
    poids = [1.0 + 0.35 * (a - 2014) for a in annees_entree]
    plaques: list[str] = []
    lignes: list[Ligne] = []
    velos = 0

    def plaque(type_vehicule: str, annee: int) -> str:
        nonlocal velos
        if type_vehicule.startswith("Vélo"):
            velos += 1
            return f"{'VAE' if type_vehicule.endswith('électrique') else 'VELO'}-{ctx.code}-{velos:03d}"
        texte = ""
        while not texte or texte in plaques:
            serie = SERIES_SIV.get(annee, "HM")
            debut = LETTRES_SIV.index(serie[1])
            texte = (
                f"{serie[0]}{rng.choice(LETTRES_SIV[debut : debut + 4])}-"
                f"{rng.randint(100, 999)}-{rng.choice(LETTRES_SIV)}{rng.choice(LETTRES_SIV)}"
            )
        plaques.append(texte)
        return texte

    def ajouter(type_vehicule: str, entree: dt.date, bonus: float = 0.0) -> Ligne:
        energie = _energie(rng, type_vehicule, entree.year, ctx.p.bonus_electrique + bonus)
        ligne = {
            "immatriculation": plaque(type_vehicule, entree.year),
            "type": type_vehicule,
            "energie": energie,
            "date_entree": entree,
            "date_sortie": None,
        }
        lignes.append(ligne)
        return ligne

    while len(lignes) < n:
        type_vehicule = pondere(
            rng,
            {
                "Voiture": 0.55,
                "Véhicule utilitaire": 0.3,
                "Deux-roues motorisé": 0.03,
                "Vélo": 0.04,
                "Vélo à assistance électrique": 0.08,
            },
        )
        annee = rng.choices(annees_entree, weights=poids)[0]
        if type_vehicule.startswith("Vélo"):
            annee = max(annee, 2020)  # the bike fleet is recent
        fin = ctx.limite if annee == ctx.annee_courante else dt.date(annee, 12, 20)
        ligne = ajouter(type_vehicule, jour_ouvre(date_entre(rng, dt.date(annee, 1, 5), fin)))
        # Old vehicles leave as the fleet renews, thermal ones first (vehicles gone before the register
        # began are not listed).
        p_sortie = 0.5 if annee <= 2019 else 0.15 if annee <= 2021 else 0.0
        if ligne["energie"] == "Électrique":
            p_sortie *= 0.3
        if not ctx.annees or rng.random() >= p_sortie:
            continue
        sortie = jour_ouvre(date_entre(rng, dt.date(ctx.annees[0], 1, 15), ctx.limite))
        ligne["date_sortie"] = sortie
        remplacement = jour_ouvre(sortie + dt.timedelta(days=rng.randint(0, 45)))
        if len(lignes) < n and remplacement <= ctx.limite and rng.random() < 0.85:
            ajouter(type_vehicule, remplacement, bonus=0.15)  # renewals go electric first (12.1)
    lignes.sort(key=lambda r: (r["date_entree"], r["immatriculation"]))
    return lignes

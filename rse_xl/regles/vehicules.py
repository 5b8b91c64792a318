"""Rules on the fleet register (« Véhicules »)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rse_xl.layout import VEHICULES_MOTORISES
from rse_xl.referentiel import Action, Parametres, Registre
from rse_xl.regles.commun import Calcul, Ligne, _col, _de_l_annee, _fin, _fin_xl, _ou_xl, _ratio, _taux_xl


def _dans_flotte(r: Ligne, y: int) -> bool:
    """In the fleet on 31 December of year y."""
    entree, sortie = r.get("date_entree"), r.get("date_sortie")
    if not isinstance(entree, dt.date) or entree >= _fin(y):
        return False
    return not isinstance(sortie, dt.date) or sortie >= _fin(y)


def _vehicules_electriques(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = [i for i, r in enumerate(lignes) if r.get("type") in VEHICULES_MOTORISES and _dans_flotte(r, y)]
    num = sum(1 for i in idx if lignes[i].get("energie") == "Électrique")
    entrees = [
        r
        for r in map(lignes.__getitem__, _de_l_annee(lignes, "date_entree", y))
        if r.get("type") in VEHICULES_MOTORISES
    ]
    details: dict[str, float] = {"vehicules_entres": len(entrees)}
    details["vehicules_entres_electriques"] = sum(1 for r in entrees if r.get("energie") == "Électrique")
    if entrees:  # 12.1, 2026 step: « part de véhicules renouvelés en électrique »
        details["part_renouvellements_electriques"] = details["vehicules_entres_electriques"] / len(entrees)
    c = _ratio(num, len(idx))
    return Calcul(c.valeur, c.numerateur, c.denominateur, details=details, lignes=tuple(idx))


def _vehicules_electriques_xl(a: Action, y: int) -> str:
    v = Registre.VEHICULES
    entree, sortie = _col(v, "date_entree"), _col(v, "date_sortie")
    flotte = (
        f"{_ou_xl(_col(v, 'type'), VEHICULES_MOTORISES)}*({entree}>0)*({entree}<{_fin_xl(y)})"
        f'*(({sortie}="")+({sortie}>={_fin_xl(y)}))'
    )
    num = f'SUMPRODUCT({flotte}*({_col(v, "energie")}="Électrique"))'
    return _taux_xl(num, f"SUMPRODUCT({flotte})")

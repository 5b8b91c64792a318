"""Rules on the digital equipment register (« Équipements numériques »)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from rse_xl.referentiel import Action, Parametres, Registre
from rse_xl.regles.commun import Calcul, Ligne, _col, _de_l_annee, _masque_annee_xl


def _equipements_duree_vie(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    par_type: dict[str, list[float]] = defaultdict(list)
    idx = []
    for i in _de_l_annee(lignes, "date_retrait", y):
        r = lignes[i]
        service, retrait = r.get("date_service"), r["date_retrait"]
        if isinstance(service, dt.date):
            idx.append(i)
            par_type[str(r.get("type") or "Non précisé")].append((retrait - service).days / 365.25)
    details: dict[str, float] = {}
    for t, durees in sorted(par_type.items()):
        details[f"moyenne:{t}"] = sum(durees) / len(durees)
        details[f"nombre:{t}"] = len(durees)
    toutes = [d for durees in par_type.values() for d in durees]
    moyenne = sum(toutes) / len(toutes) if toutes else None
    return Calcul(
        moyenne, numerateur=sum(toutes), denominateur=len(toutes), details=details, lignes=tuple(idx)
    )


def _equipements_duree_vie_xl(a: Action, y: int) -> str:
    e = Registre.EQUIPEMENTS
    retrait, service = _col(e, "date_retrait"), _col(e, "date_service")
    masque = f"{_masque_annee_xl(retrait, y)}*({service}>0)"
    return f'IFERROR(SUMPRODUCT({masque}*({retrait}-{service}))/SUMPRODUCT({masque})/365.25,"")'

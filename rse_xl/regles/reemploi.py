"""Rules on the reused materials register (« Matériaux réemploi »)."""

from __future__ import annotations

from collections.abc import Sequence

from rse_xl.referentiel import Action, Parametres, Registre
from rse_xl.regles.commun import Calcul, Ligne, _col, _distincts_xl, _groupe, normaliser_element


def _reemploi_types(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    types: set[str] = set()
    idx = []
    for i in _groupe(lignes, "valeur", "annee", y):
        r = lignes[i]
        if r.get("materiau"):
            idx.append(i)
            types.add(normaliser_element(str(r["materiau"])))
    return Calcul(len(types), elements=frozenset(types), lignes=tuple(idx))


def _reemploi_types_xl(a: Action, y: int) -> str:
    r = Registre.REEMPLOI
    annee, mat = _col(r, "annee"), _col(r, "materiau")
    return _distincts_xl(f'(({annee}={y})*({mat}<>""))', f"{mat},{mat},{annee},{y}")

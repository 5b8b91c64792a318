"""Rules on the yearly figures register (« Données annuelles »)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from rse_xl.referentiel import Action, Parametres, Registre
from rse_xl.regles.commun import Calcul, Ligne, _col, _groupe, _ratio, _taux_xl


def _donnee(lignes: Sequence[Ligne], y: int, cle: str) -> tuple[float | None, tuple[int, ...]]:
    idx = tuple(
        i for i in _groupe(lignes, "valeur", "annee", y) if isinstance(lignes[i].get(cle), int | float)
    )
    if not idx:
        return None, ()
    return sum(lignes[i][cle] for i in idx), idx


def _donnee_simple_calcul(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres, *, cle: str) -> Calcul:
    valeur, idx = _donnee(lignes, y, cle)
    return Calcul(valeur, lignes=idx)


def _donnee_simple_formule(a: Action, y: int, *, cle: str) -> str:
    d = Registre.DONNEES_ANNUELLES
    annee, col = _col(d, "annee"), _col(d, cle)
    return f'IF(COUNTIFS({annee},{y},{col},"<>")=0,"",SUMIFS({col},{annee},{y}))'


# partial of module-level functions rather than closures: see regles/marches.py, _taux_marches.
def _donnee_simple(cle: str) -> Callable[[Sequence[Ligne], Action, int, Parametres], Calcul]:
    """The year's figure in column ``cle`` of the yearly register (empty when no row of the year gives it)."""
    return functools.partial(_donnee_simple_calcul, cle=cle)


def _donnee_simple_xl(cle: str) -> Callable[[Action, int], str]:
    return functools.partial(_donnee_simple_formule, cle=cle)


def _donnees_part_deplacements(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    num, i1 = _donnee(lignes, y, "bilan_deplacements")
    den, i2 = _donnee(lignes, y, "bilan_total")
    if num is None or den is None:
        return Calcul(None, num, den, lignes=i1 + i2)
    c = _ratio(num, den)
    return Calcul(c.valeur, num, den, lignes=tuple(sorted(set(i1 + i2))))


def _donnees_part_deplacements_xl(a: Action, y: int) -> str:
    d = Registre.DONNEES_ANNUELLES
    annee = _col(d, "annee")
    num = f"SUMIFS({_col(d, 'bilan_deplacements')},{annee},{y})"
    den = f"SUMIFS({_col(d, 'bilan_total')},{annee},{y})"
    vide = f'COUNTIFS({annee},{y},{_col(d, "bilan_deplacements")},"<>")=0'
    return f'IF({vide},"",{_taux_xl(num, den)})'

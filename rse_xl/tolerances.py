"""How far a typed value may be from the value derived from the registers and still agree."""

from __future__ import annotations

from rse_xl.referentiel import Action, TypeIndicateur

# Typed rates are usually rounded to the percent point; means of lifetimes to a tenth of a year.
TOLERANCE_TAUX = 0.005
TOLERANCE_MOYENNE = 0.06  # a mean typed to one decimal is within 0.05, plus float noise
TOLERANCE_RELATIVE_QUANTITE = 0.005
TOLERANCE_COMPTAGE = 1e-9


def _regle(action: Action) -> tuple[float, float]:
    """(absolute, relative) tolerance for this action's indicator."""
    kind = action.indicateur.type
    if kind in (TypeIndicateur.TAUX, TypeIndicateur.PART_REFERENCE):
        return TOLERANCE_TAUX, 0.0
    if kind is TypeIndicateur.MOYENNE_PAR_TYPE:
        return TOLERANCE_MOYENNE, 0.0
    if kind is TypeIndicateur.QUANTITE:
        return TOLERANCE_COMPTAGE, TOLERANCE_RELATIVE_QUANTITE
    return TOLERANCE_COMPTAGE, 0.0


def concordent(action: Action, saisi: float, calcule: float) -> bool:
    """True when a typed value agrees with the registers' value."""
    absolue, relative = _regle(action)
    return abs(saisi - calcule) <= max(absolue, relative * abs(calcule))


def tolerance_xl(action: Action, cellule_calculee: str) -> str:
    """The same tolerance as an Excel expression."""
    absolue, relative = _regle(action)
    if relative:
        return f"MAX({absolue},{relative}*ABS({cellule_calculee}))"
    return repr(absolue)

"""Rules on the journal of actions (« Journal des actions »)."""

from __future__ import annotations

from collections.abc import Sequence

from rse_xl.referentiel import Action, Parametres, Registre
from rse_xl.regles.commun import (
    Calcul,
    Ligne,
    _col,
    _dans_annee_xl,
    _distincts_xl,
    _groupe,
    _masque_annee_xl,
    _texte_xl,
    normaliser_element,
)


def _journal(lignes: Sequence[Ligne], a: Action, y: int) -> list[int]:
    """Rows of the journal for this action and year, in order."""
    return list(_groupe(lignes, "annee-valeur", "date", (y, a.code), "action"))


def _journal_nombre(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(_journal(lignes, a, y))
    return Calcul(len(idx), lignes=idx)


def _journal_nombre_xl(a: Action, y: int) -> str:
    j = Registre.JOURNAL
    return f"COUNTIFS({_col(j, 'action')},{_texte_xl(a.code)},{_dans_annee_xl(_col(j, 'date'), y)})"


def _journal_illustre(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(i for i in _journal(lignes, a, y) if lignes[i].get("illustration"))
    return Calcul(len(idx), lignes=idx)


def _journal_illustre_xl(a: Action, y: int) -> str:
    return _journal_nombre_xl(a, y)[:-1] + f',{_col(Registre.JOURNAL, "illustration")},"<>")'


def _journal_distinct(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    elements: set[str] = set()
    idx = _journal(lignes, a, y)
    for i in idx:
        commun = lignes[i].get("commun")
        # A shared identifier names one item for all offices; a row without one is the office's own item.
        elements.add(f"commun:{normaliser_element(str(commun))}" if commun else f"ligne:{i}")
    return Calcul(len(elements), elements=frozenset(elements), lignes=tuple(idx))


def _journal_distinct_xl(a: Action, y: int) -> str:
    j = Registre.JOURNAL
    act, date, com = _col(j, "action"), _col(j, "date"), _col(j, "commun")
    code = _texte_xl(a.code)
    sans_id = f'COUNTIFS({act},{code},{_dans_annee_xl(date, y)},{com},"")'
    masque = f'(({act}={code})*{_masque_annee_xl(date, y)}*({com}<>""))'
    return sans_id + "+" + _distincts_xl(masque, f"{act},{act},{com},{com},{_dans_annee_xl(date, y)}")

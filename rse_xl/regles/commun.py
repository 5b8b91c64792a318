"""What the rules share: the result type, the grouped register rows, the Excel formula fragments."""

from __future__ import annotations

import datetime as dt
import operator
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rse_xl.layout import REGISTRES
from rse_xl.referentiel import Action, Parametres, Registre

if TYPE_CHECKING:
    from rse_xl.lecture import ClasseurLu

Ligne = Mapping[str, Any]
Registres = Mapping[Registre, Sequence[Ligne]]


@dataclass(frozen=True)
class Calcul:
    """What a rule derives for one office and one year."""

    valeur: float | None
    numerateur: float | None = None
    denominateur: float | None = None
    elements: frozenset[str] = frozenset()  # items, for distinct counts and unions across offices
    details: Mapping[str, float] = field(default_factory=dict)  # secondary measures (per type, DPE…)
    lignes: tuple[int, ...] = ()  # indexes of the register rows used, for drill-down


def _ratio(num: float, den: float) -> Calcul:
    return Calcul(num / den if den else None, num, den)


def _annee(d: Any, y: int) -> bool:
    return isinstance(d, dt.date) and d.year == y


def _fin(y: int) -> dt.date:
    return dt.date(y + 1, 1, 1)


def normaliser_element(texte: str) -> str:
    """Key of a free-text item (material type, shared identifier): case, accents and spaces ignored."""
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.casefold().split())


# --- Groupings of register rows -----------------------------------------------------------------------------
# A rule selects the rows of one year (of one action); scanning every row for each of the 36 actions × 3
# years is what costs. The rows are grouped once, by the year of a date column or by a column's value.


class LignesIndexees(list[Ligne]):
    """Register rows (a list, as the rules expect) that keep their groupings and results once worked out.

    Build it from a snapshot of the rows and do not change the rows afterwards: it would not see it.
    """

    def __init__(self, lignes: Iterable[Ligne] = ()) -> None:
        super().__init__(lignes)
        self.groupes: dict[tuple[str, ...], Mapping[Any, list[int]]] = {}
        self.calculs: dict[tuple[str, str, int], tuple[Parametres, Calcul]] = {}


def lignes_valides(
    lu: ClasseurLu, registre: Registre, valides: dict[Registre, LignesIndexees] | None = None
) -> Sequence[Ligne]:
    """``lu.lignes_valides(registre)``, taken once per register into ``valides`` when given.

    The grouped rows are kept on the workbook too, so that validation and indicators group and compute them
    once: they are reused while the valid rows are the very same (none excluded or replaced since).
    """
    if valides is None:
        return lu.lignes_valides(registre)
    lignes = valides.get(registre)
    if lignes is None:
        instantane = lu.lignes_valides(registre)
        connues = lu.lignes_indexees.get(registre)
        if (
            isinstance(connues, LignesIndexees)
            and len(connues) == len(instantane)
            and all(map(operator.is_, connues, instantane))
        ):
            lignes = connues
        else:
            lignes = lu.lignes_indexees[registre] = LignesIndexees(instantane)
        valides[registre] = lignes
    return lignes


def _grouper(lignes: Sequence[Ligne], sorte: str, cle: str, cle2: str = "") -> Mapping[Any, list[int]]:
    groupes: dict[Any, list[int]] = defaultdict(list)
    if sorte == "annee":  # rows whose column holds a date, by its year
        for i, r in enumerate(lignes):
            d = r.get(cle)
            if isinstance(d, dt.date):
                groupes[d.year].append(i)
    elif sorte == "annee-valeur":  # the same, by year and the value of a second column
        for i, r in enumerate(lignes):
            d = r.get(cle)
            if isinstance(d, dt.date):
                groupes[(d.year, r.get(cle2))].append(i)
    else:  # rows by the column's value
        for i, r in enumerate(lignes):
            groupes[r.get(cle)].append(i)
    return groupes


def _groupe(lignes: Sequence[Ligne], sorte: str, cle: str, valeur: Any, cle2: str = "") -> Sequence[int]:
    """Indexes (in order) of the rows whose date column ``cle`` falls in year ``valeur`` (sorte "annee"),
    whose column ``cle`` equals ``valeur`` (sorte "valeur"), or both: ``valeur`` = (year, value of ``cle2``)
    (sorte "annee-valeur")."""
    if isinstance(lignes, LignesIndexees):
        groupes = lignes.groupes.get((sorte, cle, cle2))
        if groupes is None:
            groupes = lignes.groupes[(sorte, cle, cle2)] = _grouper(lignes, sorte, cle, cle2)
    else:
        groupes = _grouper(lignes, sorte, cle, cle2)
    return groupes.get(valeur, ())


def _de_l_annee(lignes: Sequence[Ligne], cle: str, y: int) -> Sequence[int]:
    """Rows whose date column ``cle`` is in year ``y`` (what ``_annee(r.get(cle), y)`` selects)."""
    return _groupe(lignes, "annee", cle, y)


# --- Excel formula fragments -------------------------------------------------------------------------------


def _col(registre: Registre, cle: str) -> str:
    return REGISTRES[registre].ref(cle)


def _debut_xl(y: int) -> str:
    return f"DATE({y},1,1)"


def _fin_xl(y: int) -> str:
    return f"DATE({y + 1},1,1)"


def _dans_annee_xl(ref: str, y: int) -> str:
    """COUNTIFS criteria pair selecting dates of year y (times of day included)."""
    return f'{ref},">="&{_debut_xl(y)},{ref},"<"&{_fin_xl(y)}'


def _masque_annee_xl(ref: str, y: int) -> str:
    """Array mask (1/0) of dates in year y, for SUMPRODUCT."""
    return f"({ref}>={_debut_xl(y)})*({ref}<{_fin_xl(y)})"


def _texte_xl(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _ou_xl(ref: str, valeurs: Iterable[str]) -> str:
    return "(" + "+".join(f"({ref}={_texte_xl(v)})" for v in valeurs) + ")"


def _taux_xl(num: str, den: str) -> str:
    return f'IFERROR(({num})/({den}),"")'


def _distincts_xl(masque: str, criteres: str) -> str:
    """Distinct non-empty items under a mask: each matching row counts 1 / (number of its twins)."""
    return f"SUMPRODUCT({masque}/(COUNTIFS({criteres})+1-{masque}))"


# --- Rules -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regle:
    nom: str
    registre: Registre
    calculer: Callable[[Sequence[Ligne], Action, int, Parametres], Calcul]
    formule: Callable[[Action, int], str]


def _compter(lignes: Sequence[Ligne], garder: Callable[[Ligne], bool]) -> Calcul:
    idx = tuple(i for i, r in enumerate(lignes) if garder(r))
    return Calcul(len(idx), lignes=idx)

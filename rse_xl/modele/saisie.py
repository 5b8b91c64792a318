"""What goes into an office workbook (values, register rows, formulas) and where it went (the plan)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rse_xl.cellules import reference
from rse_xl.referentiel import Registre


@dataclass(frozen=True)
class Formule:
    """A formula to put in a cell with its cached result (tests and demos of what users do to cells)."""

    texte: str
    resultat: Any = 0


@dataclass
class Saisie:
    """Values to put in a workbook: by defined name, and register rows by column key (for demos, tests)."""

    valeurs: Mapping[str, Any] = field(default_factory=dict)
    registres: Mapping[Registre, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    # Rows typed right under a register table, outside it (what LibreOffice leaves: it does not extend tables).
    sous_tableaux: Mapping[Registre, Sequence[Mapping[str, Any]]] = field(default_factory=dict)


@dataclass
class Plan:
    """Where the builder put every named cell: defined name → (sheet, row, col)."""

    cellules: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    def reference(self, nom: str) -> str:
        onglet, ligne, col = self.cellules[nom]
        return reference(onglet, ligne, col)

"""Cell positions as Excel shows them (``'F03 Achats'!D12``), converted in one place."""

from __future__ import annotations

import re
from functools import lru_cache

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def colonne_lettres(col: int) -> str:
    """0-based column index → letters (0 → A, 26 → AA)."""
    lettres = ""
    col += 1
    while col:
        col, reste = divmod(col - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


def lettres_colonne(lettres: str) -> int:
    """Letters → 0-based column index (A → 0)."""
    n = 0
    for c in lettres.upper():
        n = n * 26 + ord(c) - 64
    return n - 1


def a1(ligne: int, col: int, absolu: bool = False) -> str:
    """0-based (row, col) → ``D12`` (or ``$D$12``)."""
    d = "$" if absolu else ""
    return f"{d}{colonne_lettres(col)}{d}{ligne + 1}"


def depuis_a1(ref: str) -> tuple[int, int]:
    """``D12`` or ``$D$12`` → 0-based (row, col)."""
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"référence de cellule invalide : {ref!r}")
    return int(m.group(2)) - 1, lettres_colonne(m.group(1))


@lru_cache(maxsize=1024)  # the same few sheets are named for every problem and every source cell
def nom_onglet(onglet: str) -> str:
    """Sheet name as it must appear in a formula: quoted when it has spaces or punctuation."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", onglet) and not _A1.match(onglet):
        return onglet
    return "'" + onglet.replace("'", "''") + "'"


def reference(onglet: str, ligne: int, col: int, absolu: bool = False) -> str:
    """``'F03 Relation fournisseurs'!D12``"""
    return f"{nom_onglet(onglet)}!{a1(ligne, col, absolu)}"


def decouper_reference(ref: str) -> tuple[str, str]:
    """``'F03 X'!$D$12`` → (``F03 X``, ``D12``)."""
    onglet, _, cellule = ref.rpartition("!")
    if onglet.startswith("'") and onglet.endswith("'"):
        onglet = onglet[1:-1].replace("''", "'")
    return onglet, cellule.replace("$", "")


def cle_cellule(cellule: str | None) -> tuple[int, int]:
    """Sort key of a cell or range (``D12``, ``E12:F12``) in reading order; no cell sorts first."""
    if not cellule:
        return (-1, -1)
    try:
        return depuis_a1(cellule.split(":", 1)[0])
    except ValueError:
        return (-1, -1)

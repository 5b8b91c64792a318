"""XlsxWriter helpers shared by every workbook rse-xl writes (office workbooks, summary, master)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from rse_xl.layout import MOT_DE_PASSE_PROTECTION

MAX_TEXTE = 32_767  # characters in a cell (UTF-16 units)


def proteger(ws: Worksheet, *, tri: bool = False, lignes: bool = False) -> None:
    """Protect a sheet's structure with the documented password; staff keep resizing and selecting cells.

    ``tri``: filters and sorting stay allowed; ``lignes``: rows and hyperlinks can be inserted (registers).
    """
    options = {
        "format_columns": True,
        "format_rows": True,
        "select_locked_cells": True,
        "select_unlocked_cells": True,
    }
    if tri:
        options |= {"autofilter": True, "sort": True}
    if lignes:
        options |= {"insert_rows": True, "delete_rows": True, "insert_hyperlinks": True}
    ws.protect(MOT_DE_PASSE_PROTECTION, options)


def longueur_utf16(texte: str) -> int:
    return len(texte.encode("utf-16-le")) // 2


def tronquer(texte: str, maximum: int = MAX_TEXTE) -> str:
    """Cut a text to ``maximum`` UTF-16 units (Excel's measure), ending with « … » when cut."""
    if len(texte) <= maximum // 2 or longueur_utf16(texte) <= maximum:
        return texte
    coupe = texte[: maximum - 1]
    while longueur_utf16(coupe) > maximum - 1:
        coupe = coupe[:-1]
    return coupe + "…"


def ecrire_valeur(ws: Worksheet, ligne: int, col: int, valeur: Any, fmt: Format | None) -> None:
    """Write a Python value as the matching Excel type; text always as text (never a formula or a link)."""
    if valeur is None or valeur == "" or (isinstance(valeur, float) and not math.isfinite(valeur)):
        ws.write_blank(ligne, col, None, fmt)
    elif isinstance(valeur, bool):
        ws.write_string(ligne, col, "Oui" if valeur else "Non", fmt)
    elif isinstance(valeur, dt.datetime):
        ws.write_datetime(ligne, col, valeur, fmt)
    elif isinstance(valeur, dt.date):
        ws.write_datetime(ligne, col, dt.datetime.combine(valeur, dt.time()), fmt)
    elif isinstance(valeur, int | float):
        ws.write_number(ligne, col, valeur, fmt)
    else:
        ws.write_string(ligne, col, tronquer(str(valeur)), fmt)

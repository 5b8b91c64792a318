"""The Données sheet: every figure as one row of the table tDonnees (pivot tables, Power BI)."""

from __future__ import annotations

import math
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from rse_xl.consolidation import Consolidation
from rse_xl.export import COLONNES_DONNEES, lignes_donnees
from rse_xl.synthese.commun import ONGLET_DONNEES, ecrire_nombre, ecrire_texte, mise_en_page
from rse_xl.synthese.formats import Formats
from rse_xl.xlsx import MAX_TEXTE, tronquer


def ecrire_donnees(ws: Worksheet, conso: Consolidation, f: Formats) -> None:
    """Write the Données sheet ``ws``: the rows of :func:`rse_xl.export.lignes_donnees`, 14 cells each."""
    ws.set_tab_color("#7F7F7F")
    lignes = lignes_donnees(conso)
    largeurs = (24, 11, 7, 9, 7, 24, 12, 14, 14, 24, 13, 9, 28, 22)
    for col, largeur in enumerate(largeurs):
        ws.set_column(col, col, largeur)
    titres = [titre for _, titre in COLONNES_DONNEES]
    n = max(len(lignes), 1)
    ws.add_table(
        0,
        0,
        n,
        len(titres) - 1,
        {
            "name": "tDonnees",
            "style": "Table Style Light 9",
            "columns": [{"header": t, "header_format": f.entete} for t in titres],
        },
    )
    # No number format (General): Excel shows 12 and 0,4567 as they are, with no trailing separator.
    brut = f(valign="bottom")
    # The bulk of the workbook (rows × 14 cells): bound methods and exact-type tests, no helper per cell.
    texte, nombre, vide = ws.write_string, ws.write_number, ws.write_blank
    colonnes = list(enumerate(titres))
    for i, ligne in enumerate(lignes, start=1):
        for j, titre in colonnes:
            v = ligne[titre]
            genre = type(v)
            if genre is str:
                if not v:
                    vide(i, j, None, brut)
                else:
                    # Half the limit in characters cannot exceed it in UTF-16 units: no need to measure.
                    texte(i, j, v if len(v) <= MAX_TEXTE // 2 else tronquer(v), brut)
            elif genre is float:
                if math.isfinite(v):
                    nombre(i, j, v, brut)
                else:
                    vide(i, j, None, brut)
            elif genre is int:
                nombre(i, j, v, brut)
            elif v is None:
                vide(i, j, None, brut)
            elif isinstance(v, bool):
                texte(i, j, "Oui" if v else "Non", brut)
            else:  # any other type (subclasses included): the general rules
                _brut(ws, i, j, v, brut)
    ws.freeze_panes(1, 0)
    mise_en_page(ws, conso, ONGLET_DONNEES, repeter=(0, 0))


def _brut(ws: Worksheet, ligne: int, col: int, v: Any, fmt: Format) -> None:
    """A value of the Données sheet: « Oui »/« Non » for a boolean, a number, else text."""
    if isinstance(v, bool):
        ws.write_string(ligne, col, "Oui" if v else "Non", fmt)
    elif isinstance(v, int):
        ws.write_number(ligne, col, v, fmt)
    elif isinstance(v, float):
        ecrire_nombre(ws, ligne, col, v, fmt)
    else:
        ecrire_texte(ws, ligne, col, v, fmt)

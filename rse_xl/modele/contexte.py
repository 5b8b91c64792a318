"""The state shared by the sheet writers of one workbook, and their common steps."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rse_xl.cellules import reference
from rse_xl.modele.saisie import Formule, Plan, Saisie
from rse_xl.modele.styles import _Styles
from rse_xl.referentiel import Convention, Office
from rse_xl.xlsx import ecrire_valeur


class _Contexte:
    """What every sheet writer is given: the workbook being written, for which office, with which values and
    formats, and the plan of the named cells so far."""

    def __init__(self, wb: Workbook, office: Office, saisie: Saisie, convention: Convention) -> None:
        self.wb = wb
        self.office = office
        self.saisie = saisie
        self.conv = convention
        self.st = _Styles(wb)
        self.plan = Plan()

    def nommer(self, ws: Worksheet, nom: str, ligne: int, col: int) -> None:
        self.wb.define_name(nom, "=" + reference(ws.get_name(), ligne, col, absolu=True))
        self.plan.cellules[nom] = (ws.get_name(), ligne, col)

    def ecrire_valeur(self, ws: Worksheet, ligne: int, col: int, valeur: Any, fmt: Format) -> None:
        """Write a Python value as the matching Excel type (text stays text); a Formule as a formula."""
        if isinstance(valeur, Formule):
            ws.write_formula(ligne, col, valeur.texte, fmt, valeur.resultat)
        else:
            ecrire_valeur(ws, ligne, col, valeur, fmt)

    def mise_en_page(self, ws: Worksheet, repeter: int | None = None) -> None:
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(0.4, 0.4, 0.6, 0.6)
        ws.set_header(f"&L&8{self.office.nom}&R&8&A")
        ws.set_footer("&L&8Convention RSE inter-offices 2025-2027&R&8Page &P / &N")
        if repeter is not None:
            ws.repeat_rows(repeter)

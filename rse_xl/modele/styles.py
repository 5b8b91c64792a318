"""The colours and cell formats of an office workbook."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

JAUNE = "#FFF2CC"
GRIS = "#EDEDED"
BLEU = "#1F4E79"
BLEU_CLAIR = "#DDEBF7"
VERT = "#E2EFDA"


class _Styles:
    """The workbook's cell formats, created once."""

    def __init__(self, wb: Workbook) -> None:
        f = wb.add_format
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        self.titre = f({**base, "bold": True, "font_size": 16, "font_color": BLEU, "valign": "vcenter"})
        self.sous_titre = f({**base, "italic": True, "font_color": "#595959", "text_wrap": True})
        self.texte = f({**base, "text_wrap": True})
        self.gras = f({**base, "bold": True, "text_wrap": True})
        self.bandeau = f({**base, "bold": True, "font_size": 12, "font_color": "white", "bg_color": BLEU})
        self.info = f({**base, "text_wrap": True, "bg_color": BLEU_CLAIR})
        self.entete = f(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "bg_color": BLEU_CLAIR,
                "border": 1,
                "valign": "vcenter",
            }
        )
        self.annee = f({**base, "bold": True, "border": 1, "align": "center"})
        self.fige = f({**base, "text_wrap": True, "border": 1, "bg_color": GRIS})
        self.fige_nombre = f({**base, "border": 1, "bg_color": GRIS, "num_format": "#,##0.##"})
        self.fige_pct = f({**base, "border": 1, "bg_color": GRIS, "num_format": "0.0%"})
        self.calcule = f({**base, "border": 1, "bg_color": VERT, "num_format": "#,##0.##"})
        self.calcule_pct = f({**base, "border": 1, "bg_color": VERT, "num_format": "0.0%"})
        self.calcule_texte = f({**base, "border": 1, "bg_color": VERT, "align": "center"})
        saisie = {**base, "border": 1, "bg_color": JAUNE, "locked": False}
        self.saisie = f({**saisie, "text_wrap": True})
        self.saisie_nombre = f({**saisie, "num_format": "#,##0.##"})
        self.saisie_entier = f({**saisie, "num_format": "#,##0"})
        self.saisie_pct = f({**saisie, "num_format": "0.0%"})
        self.saisie_date = f({**saisie, "num_format": "dd/mm/yyyy"})
        self.saisie_montant = f({**saisie, "num_format": '#,##0.00 "€"'})
        self.saisie_lien = f({**saisie, "font_color": "blue", "underline": 1})
        self.cache = f({**base})

"""The cell formats of the summary: its colours, one shared Format per set of properties, the named ones.

One :class:`Formats` per workbook, shared by every sheet: the same properties give the same Format whichever
sheet asks, and the formats are added to the workbook in the order they are first asked for.
"""

from __future__ import annotations

from itertools import chain
from typing import Any, NamedTuple

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from rse_xl.indicateurs import Statut

BLEU = "#1F4E79"
BLEU_CLAIR = "#DDEBF7"
BLEU_PALE = "#F2F7FC"
GRIS_BORDURE = "#BFBFBF"
GRIS_TEXTE = "#595959"
ORANGE = "#C55A11"  # an inter-office figure that covers only some of the offices

# Status → (cell fill, font colour, chart colour).
COULEURS_STATUT: dict[Statut, tuple[str, str, str]] = {
    Statut.ATTEINT: ("#C6EFCE", "#006100", "#4E9A3A"),
    Statut.EN_BONNE_VOIE: ("#FFEB9C", "#7F6000", "#F2B705"),
    Statut.EN_RETARD: ("#FFC7CE", "#9C0006", "#C0392B"),
    Statut.NON_RENSEIGNE: ("#E7E6E6", "#595959", "#A6A6A6"),
    Statut.SANS_OBJECTIF: ("#D6DCE4", "#333F4F", "#8497B0"),
}
COULEURS_COLONNES = ("#2E75B6", "#ED7D31", "#70AD47", "#7030A0", "#00B0F0", "#FFC000")
COULEUR_INTER = "#1F3864"

# Number formats of a Réalisé or Cible figure (see commun.format_nombre).
FORMAT_POURCENT = "0.0%"
FORMAT_ENTIER = "#,##0"
FORMAT_DECIMAL = "#,##0.0#"
FORMATS_NOMBRE = (FORMAT_POURCENT, FORMAT_ENTIER, FORMAT_DECIMAL)

BASE: dict[str, Any] = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
CADRE: dict[str, Any] = {"border": 1, "border_color": GRIS_BORDURE}


class FormatsValeur(NamedTuple):
    """The formats a Réalisé or Cible cell may take, for one emphasis of its row."""

    vide: Format
    jalon: Format  # « jalon » in the Cible column of a milestone year
    etape: Format  # the step's state in the Réalisé column of a milestone year
    ecartee: Format  # « écartée »: the value failed the checks
    nombres: dict[str, Format]  # by number format (FORMATS_NOMBRE)


class FormatsLigne(NamedTuple):
    """The formats of one row of a fiche's figures or follow-up table, for one emphasis."""

    centre: Format
    simple: Format
    pourcent: Format
    valeur: FormatsValeur
    fleche: Format  # « ↗ » link to the source cell
    etape: Format  # the step's state (wrapped)
    texte: Format  # office text: comment, evidence, remarks (wrapped, never bold)
    texte_ecarte: Format  # remarks about a value left out, in red
    lien: Format  # evidence that is a web link


class Formats:
    """Cell formats made on demand and shared: ``formats(CADRE, bold=True)`` is the one Format of those properties.

    The formats every sheet uses are attributes (``titre``, ``entete``, ``cellule``…), made first.
    """

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._par_appel: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._cache_valeur: dict[tuple[tuple[str, Any], ...], FormatsValeur] = {}
        self._cache_lignes: dict[tuple[bool, bool, bool], FormatsLigne] = {}
        f = self
        self.titre = f(bold=True, font_size=16, font_color=BLEU, valign="vcenter")
        self.sous_titre = f(italic=True, font_color=GRIS_TEXTE, text_wrap=True)
        self.texte = f(text_wrap=True)
        self.gras = f(bold=True, text_wrap=True)
        self.bandeau = f(bold=True, font_size=12, font_color="white", bg_color=BLEU, valign="vcenter")
        self.bandeau_action = f(
            bold=True, font_size=11, font_color="white", bg_color="#2E75B6", valign="vcenter", text_wrap=True
        )
        self.entete = f(
            CADRE, bold=True, text_wrap=True, bg_color=BLEU_CLAIR, valign="vcenter", align="center"
        )
        self.entete_gauche = f(CADRE, bold=True, text_wrap=True, bg_color=BLEU_CLAIR, valign="vcenter")
        self.lien = f(font_color="#0563C1", underline=1)
        self.lien_cadre = f(CADRE, font_color="#0563C1", underline=1, text_wrap=True)
        self.lien_fleche = f(CADRE, font_color="#0563C1", align="center")
        self.cellule = f(CADRE, text_wrap=True)
        self.cellule_centre = f(CADRE, align="center")
        self.entier = f(CADRE, num_format="#,##0")
        self.pourcent = f(CADRE, num_format="0%")
        self.date = f(CADRE, num_format="dd/mm/yyyy", align="left")
        self.date_heure = f(CADRE, num_format="dd/mm/yyyy hh:mm", align="left")
        # Conditional formats carry only what they change (fill, font colour).
        self.cf_statut = {
            statut: wb.add_format({"bg_color": fond, "font_color": police})
            for statut, (fond, police, _) in COULEURS_STATUT.items()
        }

    def __call__(self, *bases: dict[str, Any], **props: Any) -> Format:
        # Called thousands of times: the same properties given in the same order are looked up without the
        # merge and sort that find the one Format of a set of properties.
        appel = tuple(chain.from_iterable(b.items() for b in bases)) + tuple(props.items())
        fmt = self._par_appel.get(appel)
        if fmt is None:
            d: dict[str, Any] = dict(BASE)
            for b in bases:
                d.update(b)
            d.update(props)
            cle = tuple(sorted(d.items()))
            if cle not in self._cache:
                self._cache[cle] = self._wb.add_format(d)
            fmt = self._par_appel[appel] = self._cache[cle]
        return fmt

    def valeur(self, extra: dict[str, Any]) -> FormatsValeur:
        """The formats of a Réalisé or Cible cell with this emphasis, made once."""
        cle = tuple(extra.items())
        formats = self._cache_valeur.get(cle)
        if formats is None:
            f, cadre = self, {**CADRE, **extra}
            formats = self._cache_valeur[cle] = FormatsValeur(
                vide=f(cadre),
                jalon=f(cadre, italic=True, font_color=GRIS_TEXTE, align="center"),
                etape=f(cadre, italic=True, align="center"),
                ecartee=f(cadre, italic=True, font_color="#9C0006", align="center"),
                nombres={n: f(cadre, num_format=n) for n in FORMATS_NOMBRE},
            )
        return formats

    def ligne(self, inter: bool, premiere: bool, courante: bool) -> FormatsLigne:
        """The formats of a row of a fiche's tables, made once per emphasis.

        The offices together are bold on a pale fill, a rule opens each year, the chosen year is shaded.
        """
        cle = (inter, premiere, courante)
        formats = self._cache_lignes.get(cle)
        if formats is None:
            extra: dict[str, Any] = {"bold": True, "bg_color": BLEU_PALE} if inter else {}
            if premiere:
                extra = {**extra, "top": 2, "top_color": BLEU}
            if courante:
                extra = {**extra, "bg_color": "#FFF9E6" if not inter else "#FCEFC7"}
            f = self
            formats = self._cache_lignes[cle] = FormatsLigne(
                centre=f(CADRE, extra, align="center"),
                simple=f(CADRE, extra),
                pourcent=f(CADRE, extra, num_format="0%"),
                valeur=self.valeur(extra),
                fleche=f(CADRE, extra, align="center", font_color="#0563C1", bold=True),
                etape=f(CADRE, extra, text_wrap=True),
                texte=f(CADRE, extra, text_wrap=True, bold=False),
                texte_ecarte=f(CADRE, extra, {"font_color": "#9C0006"}, text_wrap=True, bold=False),
                lien=f(CADRE, extra, text_wrap=True, bold=False, font_color="#0563C1", underline=1),
            )
        return formats

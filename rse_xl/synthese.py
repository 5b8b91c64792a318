"""The coordinator's summary workbook: results per office and together, drill-down, checks, data and log.

Written with XlsxWriter, in French. Every text that comes from an office (comments, evidence, values quoted
by a problem, file names, referents) is written with ``write_string`` — or as the display text of a link
for http(s) evidence only — so that ``=HYPERLINK(…)`` or ``+cmd|…`` typed in an office workbook stays text.
The workbook holds no formula at all: every figure was computed by Python. Excel's limits are enforced here
rather than by XlsxWriter's warnings: strings are cut at 32 767 characters, a URL too long or past the
65 530 links of a sheet is written as plain text.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rse_xl.cellules import cle_cellule, nom_onglet
from rse_xl.consolidation import Consolidation
from rse_xl.controles import Gravite, Probleme
from rse_xl.errors import FichierError
from rse_xl.export import COLONNES_DONNEES, lignes_donnees
from rse_xl.fichiers import NATURE_SYNTHESE, PROPRIETE_MARQUE, ecriture_atomique, raison
from rse_xl.indicateurs import INTER, TYPES_AVEC_RATIO, Resultat, Statut
from rse_xl.lecture import LONGUEUR_TEXTE_MAX
from rse_xl.referentiel import Action, Convention, Fiche, Mesure, Sens, TypeIndicateur
from rse_xl.xlsx import MAX_TEXTE, ecrire_valeur, longueur_utf16, tronquer

ONGLET_ACCUEIL = "Accueil"
BANDEAU_DEMONSTRATION = (
    "DÉMONSTRATION — chiffres fictifs des classeurs de démonstration livrés avec rse-xl : ce n'est pas la "
    "synthèse de vrais offices. Pour vos classeurs : rse-xl consolider DOSSIER."
)
ONGLET_SYNTHESE = "Synthèse"
ONGLET_CONTROLES = "Contrôles"
ONGLET_DONNEES = "Données"
ONGLET_JOURNAL = "Journal"
# The result sheets besides the fiche sheets; Accueil is not one of them: the master keeps its own.
ONGLETS_RESULTATS: tuple[str, ...] = (ONGLET_SYNTHESE, ONGLET_CONTROLES, ONGLET_DONNEES, ONGLET_JOURNAL)

# in_memory: the XML parts are built in memory and zipped once, instead of ~100 temporary files.
OPTIONS_CLASSEUR = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}

MAX_URL = 2_079  # characters of a link or of its anchor
MAX_LIENS = 65_530  # hyperlinks per worksheet
MAX_INFOBULLE = 255
PLAFOND_ATTEINTE = 1.5

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
TENDANCES = {"amélioration": "↗ amélioration", "dégradation": "↘ dégradation", "stable": "→ stable"}

# Number formats of a Réalisé or Cible figure (see _format_nombre).
FORMAT_POURCENT = "0.0%"
FORMAT_ENTIER = "#,##0"
FORMAT_DECIMAL = "#,##0.0#"
FORMATS_NOMBRE = (FORMAT_POURCENT, FORMAT_ENTIER, FORMAT_DECIMAL)

BASE: dict[str, Any] = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
CADRE: dict[str, Any] = {"border": 1, "border_color": GRIS_BORDURE}

_URL_WEB = re.compile(r"https?://[^\s\"<>\\^`{|}]+", re.IGNORECASE)


# --- public API ----------------------------------------------------------------------------------------------


def onglets_resultats(conv: Convention, *, accueil: bool = True) -> list[str]:
    """Every sheet name :func:`remplir_classeur` writes, in order (without Accueil when ``accueil=False``)."""
    return [
        *([ONGLET_ACCUEIL] if accueil else []),
        ONGLET_SYNTHESE,
        *(f.onglet for f in conv.fiches),
        ONGLET_CONTROLES,
        ONGLET_DONNEES,
        ONGLET_JOURNAL,
    ]


def ecrire_synthese(conso: Consolidation, chemin: Path, *, ecraser: bool = False) -> Path:
    """Write the summary workbook atomically, keeping the previous one as ``NAME.bak.xlsx``; return its path."""
    chemin = Path(chemin)
    if chemin.is_dir():
        raise FichierError(f"« {chemin} » est un dossier : indiquez le nom du classeur de synthèse (.xlsx).")
    try:
        with ecriture_atomique(
            chemin,
            sauvegarde=True,
            nature=NATURE_SYNTHESE,
            entrees=[f.chemin for f in conso.fichiers],
            ecraser=ecraser,
        ) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), OPTIONS_CLASSEUR)
            wb.set_custom_property(PROPRIETE_MARQUE, NATURE_SYNTHESE)
            wb.set_properties(
                {
                    "title": f"Synthèse RSE {conso.annee} — {conso.convention.titre}",
                    "subject": "Synthèse de la convention RSE inter-offices",
                    "author": "rse-xl",
                    "comments": f"rse-xl {conso.version_outil}",
                    "created": conso.genere_le,
                }
            )
            remplir_classeur(wb, conso, chemin.parent)
            try:
                wb.close()
            except XlsxWriterException as exc:
                raise FichierError(
                    f"Impossible d'écrire le classeur de synthèse « {chemin} » : {exc}."
                ) from exc
    except OSError as exc:
        raise FichierError(
            f"Impossible d'écrire le classeur de synthèse « {chemin} » ({raison(exc)}) : vérifiez que le "
            "dossier existe et qu'il est accessible en écriture. Rien n'a été remplacé."
        ) from exc
    return chemin


def remplir_classeur(
    wb: Workbook, conso: Consolidation, dossier_sortie: Path, *, accueil: bool = True
) -> None:
    """Render every sheet of the summary into an open workbook (links to office files relative to the output)."""
    # Whatever options the caller gave, write() must never turn text into a formula, link or number.
    wb.strings_to_formulas = False
    wb.strings_to_urls = False
    wb.strings_to_numbers = False
    _Redacteur(wb, conso, Path(dossier_sortie), accueil).rediger()


# --- helpers -------------------------------------------------------------------------------------------------


def _url_acceptable(url: str) -> bool:
    if len(url) <= MAX_URL // 2:  # too short to exceed the limit in UTF-16 units: no need to measure
        return True
    lien, _, ancre = url.partition("#")
    return longueur_utf16(lien) <= MAX_URL and longueur_utf16(ancre) <= MAX_URL


def url_web(texte: str | None) -> str | None:
    """The text if it is a plain http(s) URL that Excel can hold as a link, else None."""
    if not texte:
        return None
    texte = texte.strip()
    return texte if _URL_WEB.fullmatch(texte) and _url_acceptable(texte) else None


def chemin_relatif(chemin: str, dossier: Path) -> str:
    """Path of an input file relative to the output folder; absolute when that is impossible (other drive)."""
    try:
        return os.path.relpath(os.path.abspath(chemin), os.path.abspath(dossier))
    except ValueError:  # Windows: another drive
        return os.path.abspath(chemin)


def _fr(valeur: float, pct: bool = False) -> str:
    """A number written the French way for a sentence: 1 234,5 or 45,0 %."""
    if pct:
        return f"{valeur * 100:.1f} %".replace(".", ",")
    if float(valeur).is_integer():
        return f"{valeur:,.0f}".replace(",", "\u202f")
    return f"{valeur:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")


def _pct(action: Action) -> bool:
    return action.indicateur.type in TYPES_AVEC_RATIO


def _format_nombre(action: Action, valeur: float) -> str:
    if _pct(action):
        return FORMAT_POURCENT
    return FORMAT_ENTIER if float(valeur).is_integer() else FORMAT_DECIMAL


def _hauteur(textes: Iterable[tuple[str | None, float]], minimum: float = 15.0) -> float:
    """Row height (points) for wrapped texts in cells of these widths: merged cells are never autofitted."""
    lignes = 1
    for texte, largeur in textes:
        if texte:
            lignes = max(lignes, _lignes(texte, max(1, int(largeur * 1.2))))
    return min(409.0, max(minimum, 13.0 * lignes + 3))


def _lignes(texte: str, par_ligne: int) -> int:
    """Lines a text takes when wrapped at word boundaries (a word too long is cut, as Excel does)."""
    if len(texte) <= par_ligne and "\n" not in texte:  # fits on one line: no need to wrap word by word
        return 1
    total = 0
    for paragraphe in texte.split("\n"):
        n, courant = 1, 0
        for mot in paragraphe.split():
            if courant and courant + 1 + len(mot) > par_ligne:
                n, courant = n + 1, 0
            if len(mot) > par_ligne:
                n += (courant + len(mot) - 1) // par_ligne
                courant = (courant + len(mot)) % par_ligne or par_ligne
            else:
                courant += len(mot) + (1 if courant else 0)
        total += n
    return total


def _unite(action: Action, conv: Convention) -> str:
    ind = action.indicateur
    if ind.type is TypeIndicateur.PART_REFERENCE:
        return f"% (baisse vs {conv.parametres.annee_reference})"
    return ind.unite


class _Formats:
    """Cell formats made on demand and shared: one Format per distinct set of properties."""

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._par_appel: dict[tuple[tuple[str, Any], ...], Format] = {}

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


class _FormatsValeur(NamedTuple):
    """The formats a Réalisé or Cible cell may take, for one emphasis of its row."""

    vide: Format
    jalon: Format  # « jalon » in the Cible column of a milestone year
    etape: Format  # the step's state in the Réalisé column of a milestone year
    ecartee: Format  # « écartée »: the value failed the checks
    nombres: dict[str, Format]  # by number format (FORMATS_NOMBRE)


class _FormatsLigne(NamedTuple):
    """The formats of one row of a fiche's figures or follow-up table, for one emphasis."""

    centre: Format
    simple: Format
    pourcent: Format
    valeur: _FormatsValeur
    fleche: Format  # « ↗ » link to the source cell
    etape: Format  # the step's state (wrapped)
    texte: Format  # office text: comment, evidence, remarks (wrapped, never bold)
    texte_ecarte: Format  # remarks about a value left out, in red
    lien: Format  # evidence that is a web link


# --- the writer ----------------------------------------------------------------------------------------------


class _Redacteur:
    def __init__(self, wb: Workbook, conso: Consolidation, dossier: Path, accueil: bool) -> None:
        self.wb = wb
        self.conso = conso
        self.conv = conso.convention
        self.annee = conso.annee
        self.dossier = dossier
        self.accueil = accueil
        self.f = _Formats(wb)
        self._cache_valeur: dict[tuple[tuple[str, Any], ...], _FormatsValeur] = {}
        self._cache_lignes: dict[tuple[bool, bool, bool], _FormatsLigne] = {}
        self.liens: Counter[str] = Counter()
        self.ancres: dict[str, tuple[str, str]] = {}  # action code → (sheet, cell) of its block
        self.colonnes = conso.colonnes
        self.noms_offices = {o.code: o.nom for o in self.conv.offices} | dict(self.colonnes)
        self.relatifs: dict[str, str] = {f.chemin: chemin_relatif(f.chemin, dossier) for f in conso.fichiers}
        self.noms_fichiers: dict[str, str] = {f.chemin: Path(f.chemin).name for f in conso.fichiers}
        self.ws: dict[str, Worksheet] = {}
        # Named formats.
        f = self.f
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

    # -- low-level writers ------------------------------------------------------------------------------------

    def _texte(
        self, ws: Worksheet, ligne: int, col: int, texte: Any, fmt: Format, maximum: int = MAX_TEXTE
    ) -> None:
        """Write a text as text, whatever it looks like; blank when empty."""
        if texte is None or texte == "":
            ws.write_blank(ligne, col, None, fmt)
        else:
            ws.write_string(ligne, col, tronquer(str(texte), maximum), fmt)

    def _nombre(self, ws: Worksheet, ligne: int, col: int, valeur: float | None, fmt: Format) -> None:
        if valeur is None or (isinstance(valeur, float) and not math.isfinite(valeur)):
            ws.write_blank(ligne, col, None, fmt)
        else:
            ws.write_number(ligne, col, valeur, fmt)

    def _lien(
        self,
        ws: Worksheet,
        ligne: int,
        col: int,
        url: str,
        texte: str,
        fmt: Format,
        fmt_sans_lien: Format | None = None,
        infobulle: str | None = None,
    ) -> bool:
        """A hyperlink, or the text alone when Excel could not hold it (too long, too many links)."""
        texte = tronquer(texte)
        nom = ws.get_name()
        if self.liens[nom] < MAX_LIENS and _url_acceptable(url):
            try:
                rc = ws.write_url(
                    ligne,
                    col,
                    url,
                    fmt,
                    string=texte,
                    tip=tronquer(infobulle, MAX_INFOBULLE) if infobulle else None,
                )
            except ValueError:  # XlsxWriter refuses the URL (unknown kind, too long once escaped)
                rc = -3
            if rc == 0:
                self.liens[nom] += 1
                return True
        ws.write_string(ligne, col, texte, fmt_sans_lien or fmt)
        return False

    def _lien_interne(
        self, ws: Worksheet, ligne: int, col: int, onglet: str, cellule: str, texte: str, fmt: Format
    ) -> None:
        self._lien(ws, ligne, col, f"internal:{nom_onglet(onglet)}!{cellule}", texte, fmt)

    def _lien_source(
        self,
        ws: Worksheet,
        ligne: int,
        col: int,
        fichier: str,
        position: str | None,
        texte: str,
        fmt: Format,
        fmt_sans_lien: Format,
    ) -> None:
        """Link to a cell of an office workbook (relative path), opening the file at that cell."""
        relatif = self.relatifs.get(fichier) or chemin_relatif(fichier, self.dossier)
        if "#" in relatif:  # XlsxWriter splits the link at the first #: such a path cannot be linked
            ws.write_string(ligne, col, texte, fmt_sans_lien)
            return
        url = "external:" + relatif + (f"#{position}" if position else "")
        nom = self.noms_fichiers.get(fichier) or Path(fichier).name
        infobulle = f"Ouvrir {nom}" + (f" à la cellule {position}" if position else "")
        self._lien(ws, ligne, col, url, texte, fmt, fmt_sans_lien, infobulle)

    def _mise_en_page(
        self, ws: Worksheet, titre: str, repeter: tuple[int, int] | None = None, a3: bool = False
    ) -> None:
        ws.set_landscape()
        ws.set_paper(8 if a3 else 9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(0.4, 0.4, 0.6, 0.6)
        demo = "DÉMONSTRATION (chiffres fictifs) — " if self.conso.demonstration else ""
        ws.set_header(
            f"&L&8{demo}Convention RSE inter-offices — campagne {self.annee}, situation au "
            f"{self.conso.aujourdhui:%d/%m/%Y}&R&8{titre}"
        )
        ws.set_footer(
            f"&L&8Générée le {self.conso.genere_le:%d/%m/%Y à %H:%M} par rse-xl {self.conso.version_outil}"
            "&R&8Page &P / &N"
        )
        if repeter is not None:
            ws.repeat_rows(*repeter)

    def _statuts_cf(self, ws: Worksheet, premiere: int, derniere: int, col: int) -> None:
        """Status colours as conditional formats: they follow a value edited or sorted in Excel."""
        if derniere < premiere:
            return
        for statut, cf in self.cf_statut.items():
            ws.conditional_format(
                premiere,
                col,
                derniere,
                col,
                {
                    "type": "cell",
                    "criteria": "equal to",
                    "value": f'"{statut.value}"',
                    "format": cf,
                },
            )

    def _barres(self, ws: Worksheet, premiere: int, derniere: int, col: int) -> None:
        """Data bars on achievement: 0 % to 100 %, a value above 100 % fills the cell."""
        if derniere < premiere:
            return
        ws.conditional_format(
            premiere,
            col,
            derniere,
            col,
            {
                "type": "data_bar",
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 1,
                "bar_color": "#9BC2E6",
                "bar_solid": True,
                "bar_no_border": True,
            },
        )

    # -- the whole workbook -----------------------------------------------------------------------------------

    def rediger(self) -> None:
        for nom in onglets_resultats(self.conv, accueil=self.accueil):
            self.ws[nom] = self.wb.add_worksheet(nom)
        # Fiche sheets first: the summary links to the blocks they place.
        for fiche in self.conv.fiches:
            self._fiche(fiche)
        self._synthese()
        self._controles()
        self._donnees()
        self._journal()
        if self.accueil:
            self._accueil()
            self.ws[ONGLET_ACCUEIL].activate()

    def _valeur(
        self,
        ws: Worksheet,
        ligne: int,
        col: int,
        action: Action,
        r: Resultat | None,
        champ: str,
        formats: _FormatsValeur,
    ) -> None:
        """Réalisé or Cible of one result: a number, or the step's state for a milestone year."""
        if r is None:
            ws.write_blank(ligne, col, None, formats.vide)
            return
        jalon = r.mesure is Mesure.JALON or action.indicateur.type is TypeIndicateur.JALON
        if jalon:
            if champ == "cible":
                ws.write_string(ligne, col, "jalon", formats.jalon)
            else:
                self._texte(ws, ligne, col, r.etape, formats.etape)
            return
        valeur = getattr(r, champ)
        if champ == "realise" and valeur is None and r.exclu:
            ws.write_string(ligne, col, "écartée", formats.ecartee)
            return
        if valeur is None:
            ws.write_blank(ligne, col, None, formats.vide)
            return
        ws.write_number(ligne, col, valeur, formats.nombres[_format_nombre(action, valeur)])

    def _formats_valeur(self, extra: dict[str, Any]) -> _FormatsValeur:
        """The formats of a Réalisé or Cible cell with this emphasis, made once."""
        cle = tuple(extra.items())
        formats = self._cache_valeur.get(cle)
        if formats is None:
            f, cadre = self.f, {**CADRE, **extra}
            formats = self._cache_valeur[cle] = _FormatsValeur(
                vide=f(cadre),
                jalon=f(cadre, italic=True, font_color=GRIS_TEXTE, align="center"),
                etape=f(cadre, italic=True, align="center"),
                ecartee=f(cadre, italic=True, font_color="#9C0006", align="center"),
                nombres={n: f(cadre, num_format=n) for n in FORMATS_NOMBRE},
            )
        return formats

    def _formats_ligne(self, inter: bool, premiere: bool, courante: bool) -> _FormatsLigne:
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
            f = self.f
            formats = self._cache_lignes[cle] = _FormatsLigne(
                centre=f(CADRE, extra, align="center"),
                simple=f(CADRE, extra),
                pourcent=f(CADRE, extra, num_format="0%"),
                valeur=self._formats_valeur(extra),
                fleche=f(CADRE, extra, align="center", font_color="#0563C1", bold=True),
                etape=f(CADRE, extra, text_wrap=True),
                texte=f(CADRE, extra, text_wrap=True, bold=False),
                texte_ecarte=f(CADRE, extra, {"font_color": "#9C0006"}, text_wrap=True, bold=False),
                lien=f(CADRE, extra, text_wrap=True, bold=False, font_color="#0563C1", underline=1),
            )
        return formats

    # -- Synthèse ---------------------------------------------------------------------------------------------

    def _synthese(self) -> None:
        ws = self.ws[ONGLET_SYNTHESE]
        conso, annee, f = self.conso, self.annee, self.f
        ws.hide_gridlines(2)
        ws.set_tab_color(BLEU)
        n_col = len(self.colonnes)
        couverture = 4 + 4 * n_col  # after the offices together: which offices their figures cover
        derniere = couverture
        ws.set_column(couverture, couverture, 25)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 8)
        ws.set_column(2, 2, 46)
        ws.set_column(3, 3, 14)
        for k in range(n_col):
            c = 4 + 4 * k
            ws.set_column(c, c + 1, 10)
            ws.set_column(c + 2, c + 2, 9)
            ws.set_column(c + 3, c + 3, 13)
        ws.set_row(0, 26)
        ws.merge_range(0, 0, 0, derniere, "", self.titre)
        ws.write_string(0, 0, f"Synthèse {annee} — {self.conv.titre}", self.titre)
        seuils = self.conv.parametres.seuils_statut
        offices = ", ".join(nom for code, nom in self.colonnes if code != INTER) or "aucun office retenu"
        explication = (
            f"Situation au {conso.aujourdhui:%d/%m/%Y} pour l'année {annee} — offices consolidés : {offices}. "
            "Atteinte = réalisé / cible (cible / réalisé quand l'objectif est une baisse) ; statut « Atteint » dès "
            f"{seuils.atteint:.0%}, « En bonne voie » dès {seuils.en_bonne_voie:.0%}. Cliquez un code d'action "
            "pour voir le détail des trois années, les commentaires et les sources."
        ).replace("%", " %")
        ws.set_row(1, 30)
        ws.merge_range(1, 0, 1, derniere, "", self.sous_titre)
        ws.write_string(1, 0, explication, self.sous_titre)
        entete_groupe, entete = 3, 4
        premiere = entete + 1
        # The action rows are counted in advance: the dashboard goes below them.
        n_lignes = sum(1 + len(fi.actions) for fi in self.conv.fiches)
        tableau_de_bord = premiere + n_lignes + 2
        self._lien_interne(
            ws, 2, 2, ONGLET_SYNTHESE, f"A{tableau_de_bord + 1}", "→ Tableau de bord (graphiques)", self.lien
        )
        ws.set_row(entete, 30)
        for col, titre in enumerate(("Fiche", "Action", "Intitulé de l'action", "Unité")):
            ws.merge_range(
                entete_groupe, col, entete, col, titre, self.entete_gauche if col == 2 else self.entete
            )
        for k, (code, nom) in enumerate(self.colonnes):
            c = 4 + 4 * k
            fond = BLEU if code == INTER else "#2E75B6"
            fmt = f(CADRE, bold=True, font_color="white", bg_color=fond, align="center", valign="vcenter")
            ws.merge_range(entete_groupe, c, entete_groupe, c + 3, "", fmt)
            ws.write_string(entete_groupe, c, nom, fmt)
            for j, titre in enumerate(("Réalisé", "Cible", "Atteinte", "Statut")):
                ws.write_string(entete, c + j, titre, self.entete)
        ws.merge_range(
            entete_groupe, couverture, entete, couverture, "Offices couverts (inter-offices)", self.entete
        )
        ligne = premiere
        for fiche in self.conv.fiches:
            ws.set_row(ligne, 18)
            fmt_fiche = f(
                bold=True, font_color=BLEU, bg_color=BLEU_CLAIR, valign="vcenter", top=1, top_color=BLEU
            )
            ws.merge_range(ligne, 0, ligne, derniere, "", fmt_fiche)
            self._lien_interne(ws, ligne, 0, fiche.onglet, "A1", f"{fiche.code} — {fiche.titre}", fmt_fiche)
            ligne += 1
            for action in fiche.actions:
                self._ligne_synthese(ws, ligne, fiche, action)
                ligne += 1
        fin = ligne - 1
        for k in range(n_col):
            c = 4 + 4 * k
            self._barres(ws, premiere, fin, c + 2)
            self._statuts_cf(ws, premiere, fin, c + 3)
        ws.freeze_panes(premiere, 4)
        ws.autofilter(entete, 0, fin, derniere)
        self._tableau_de_bord(ws, tableau_de_bord)
        ws.set_h_pagebreaks([tableau_de_bord])
        self._mise_en_page(ws, ONGLET_SYNTHESE, repeter=(entete_groupe, entete), a3=True)

    def _ligne_synthese(self, ws: Worksheet, ligne: int, fiche: Fiche, action: Action) -> None:
        f = self.f
        ws.write_string(ligne, 0, fiche.code, self.cellule_centre)
        onglet, cellule = self.ancres.get(action.code, (fiche.onglet, "A1"))
        self._lien_interne(ws, ligne, 1, onglet, cellule, action.code, self.lien_fleche)
        unite = _unite(action, self.conv)
        ws.set_row(ligne, _hauteur([(action.titre, 46), (unite, 14)]))
        ws.write_string(ligne, 2, action.titre, self.cellule)
        ws.write_string(ligne, 3, unite, f(CADRE, text_wrap=True, font_color=GRIS_TEXTE))
        for k, (code, _) in enumerate(self.colonnes):
            c = 4 + 4 * k
            r = self.conso.resultat(code, action.code, self.annee)
            extra: dict[str, Any] = {"bold": True} if code == INTER else {}
            gauche = {"left": 2, "left_color": BLEU}
            self._valeur(ws, ligne, c, action, r, "realise", self._formats_valeur({**extra, **gauche}))
            self._valeur(ws, ligne, c + 1, action, r, "cible", self._formats_valeur(extra))
            self._nombre(ws, ligne, c + 2, r.atteinte if r else None, f(CADRE, extra, num_format="0%"))
            self._texte(ws, ligne, c + 3, r.statut.value if r else None, f(CADRE, extra, align="center"))
            if code == INTER:
                texte = r.couverture if r else None
                incomplet = r is not None and r.offices < r.offices_total
                fmt = f(CADRE, text_wrap=True, bold=incomplet, font_color=ORANGE if incomplet else GRIS_TEXTE)
                self._texte(ws, ligne, 4 + 4 * len(self.colonnes), texte, fmt)

    def _tableau_de_bord(self, ws: Worksheet, ligne: int) -> None:
        """Two native charts, each fed by a small table on the sheet (chart series reference cells)."""
        f, annee = self.f, self.annee
        nom = ONGLET_SYNTHESE
        n_actions = sum(len(fi.actions) for fi in self.conv.fiches)
        ws.set_row(ligne, 20)
        ws.merge_range(ligne, 0, ligne, 3 + 4 * len(self.colonnes), "", self.bandeau)
        ws.write_string(ligne, 0, f"Tableau de bord {annee}", self.bandeau)
        # (a) actions per status per column.
        t = ligne + 2
        ws.set_row(t, 30)
        ws.write_string(t, 2, f"Nombre d'actions par statut en {annee}", self.entete_gauche)
        statuts = list(Statut)
        for j, statut in enumerate(statuts):
            ws.write_string(t, 3 + j, statut.value, self.entete)
        for i, (code, libelle) in enumerate(self.colonnes):
            compte = Counter(
                r.statut
                for fi in self.conv.fiches
                for a in fi.actions
                if (r := self.conso.resultat(code, a.code, annee)) is not None
            )
            ws.write_string(t + 1 + i, 2, libelle, f(CADRE, bold=code == INTER))
            for j, statut in enumerate(statuts):
                ws.write_number(t + 1 + i, 3 + j, compte.get(statut, 0), self.entier)
        fin_a = t + len(self.colonnes)
        graphe = self.wb.add_chart({"type": "column", "subtype": "stacked"})
        for j, statut in enumerate(statuts):
            graphe.add_series(
                {
                    "name": [nom, t, 3 + j],
                    "categories": [nom, t + 1, 2, fin_a, 2],
                    "values": [nom, t + 1, 3 + j, fin_a, 3 + j],
                    "fill": {"color": COULEURS_STATUT[statut][2]},
                    "border": {"color": "white"},
                    "gap": 70,
                    "data_labels": {
                        "value": True,
                        "num_format": "0;;;",
                        "font": {"color": "white", "bold": True},
                    },
                }
            )
        graphe.set_title({"name": f"Statut des {n_actions} actions en {annee}", "name_font": {"size": 12}})
        graphe.set_y_axis(
            {
                "name": "Nombre d'actions",
                "min": 0,
                "max": n_actions,
                "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
            }
        )
        graphe.set_legend({"position": "bottom"})
        graphe.set_size({"width": 620, "height": 340})
        graphe.set_chartarea({"border": {"none": True}})
        ws.insert_chart(t, 9, graphe, {"x_offset": 10, "y_offset": 0})
        # (b) mean achievement per fiche, inter-office, each action capped.
        t2 = max(fin_a + 3, t + 19)
        ws.write_string(t2, 2, f"Fiche (inter-offices, {annee})", self.entete_gauche)
        ws.write_string(t2, 3, "Atteinte moyenne (plafonnée à 150 %)", self.entete)
        ws.write_string(t2, 4, "Actions chiffrées", self.entete)
        ws.set_row(t2, 56)
        points: list[dict[str, Any] | None] = []
        for i, fiche in enumerate(self.conv.fiches):
            valeurs = [
                min(r.atteinte, PLAFOND_ATTEINTE)
                for a in fiche.actions
                if (r := self.conso.resultat(INTER, a.code, annee)) is not None and r.atteinte is not None
            ]
            moyenne = sum(valeurs) / len(valeurs) if valeurs else None
            # Short names (« F03 Relation fournisseurs ») keep the chart's category axis readable; a fiche with
            # no achievement says why its bar is empty.
            categorie = fiche.onglet if valeurs else f"{fiche.onglet} ({self._sans_atteinte(fiche)})"
            ws.write_string(t2 + 1 + i, 2, categorie, self.cellule)
            self._nombre(ws, t2 + 1 + i, 3, moyenne, self.pourcent)
            ws.write_number(t2 + 1 + i, 4, len(valeurs), self.entier)
            statut = Statut.NON_RENSEIGNE
            if moyenne is not None:
                s = self.conv.parametres.seuils_statut
                statut = (
                    Statut.ATTEINT
                    if moyenne >= s.atteint
                    else Statut.EN_BONNE_VOIE
                    if moyenne >= s.en_bonne_voie
                    else Statut.EN_RETARD
                )
            points.append({"fill": {"color": COULEURS_STATUT[statut][2]}})
        fin_b = t2 + len(self.conv.fiches)
        ws.write_string(
            fin_b + 1,
            2,
            "Une fiche sans barre n'a aucune action chiffrée cette année : « sans objectif » quand des réalisés "
            "n'ont pas de cible, « non renseigné » quand il n'y a pas de réalisé, « étapes » quand l'année est "
            "jugée sur l'état des étapes.",
            self.sous_titre,
        )
        self._barres(ws, t2 + 1, fin_b, 3)
        barres = self.wb.add_chart({"type": "bar"})
        barres.add_series(
            {
                "name": "Atteinte moyenne inter-offices",
                "categories": [nom, t2 + 1, 2, fin_b, 2],
                "values": [nom, t2 + 1, 3, fin_b, 3],
                "points": points,
                "gap": 40,
                "data_labels": {"value": True, "num_format": "0%", "font": {"size": 8}},
            }
        )
        barres.set_title(
            {
                "name": f"Atteinte moyenne par fiche en {annee} (inter-offices, plafonnée à 150 %)",
                "name_font": {"size": 12},
            }
        )
        barres.set_x_axis(
            {
                "min": 0,
                "max": PLAFOND_ATTEINTE,
                "major_unit": 0.25,
                "num_format": "0%",
                "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
            }
        )
        barres.set_y_axis({"reverse": True, "num_font": {"size": 9}})
        barres.set_legend({"none": True})
        barres.set_size({"width": 620, "height": 440})
        barres.set_chartarea({"border": {"none": True}})
        ws.insert_chart(t2, 9, barres, {"x_offset": 10, "y_offset": 0})

    def _sans_atteinte(self, fiche: Fiche) -> str:
        """Why a fiche has no inter-office achievement in the chosen year: no target, no value, or steps."""
        resultats = [self.conso.resultat(INTER, a.code, self.annee) for a in fiche.actions]
        if all(
            r is None or r.mesure is Mesure.JALON or r.statut is Statut.NON_RENSEIGNE for r in resultats
        ) and any(r is not None and r.mesure is Mesure.JALON for r in resultats):
            return "étapes"
        if any(r is not None and r.statut is Statut.SANS_OBJECTIF for r in resultats):
            return "sans objectif"
        return "non renseigné"

    # -- fiche sheets -----------------------------------------------------------------------------------------

    def _fiche(self, fiche: Fiche) -> None:
        ws = self.ws[fiche.onglet]
        ws.hide_gridlines(2)
        ws.set_tab_color("#9BC2E6")
        largeurs = (7, 24, 13, 13, 10, 14, 15, 8, 8, 48, 36)
        for col, largeur in enumerate(largeurs):
            ws.set_column(col, col, largeur)
        self.largeurs_fiche = largeurs
        der = len(largeurs) - 1
        ws.set_row(0, 28)
        ws.merge_range(0, 0, 0, der, "", self.titre)
        ws.write_string(0, 0, f"Fiche action n°{fiche.numero} — {fiche.titre}", self.titre)
        objectifs = "Objectifs : " + " • ".join(fiche.objectifs)
        ws.set_row(1, _hauteur([(objectifs, sum(largeurs))], 28))
        ws.merge_range(1, 0, 1, der, "", self.sous_titre)
        ws.write_string(1, 0, objectifs, self.sous_titre)
        self._lien_interne(ws, 2, 0, ONGLET_SYNTHESE, "A1", "← Retour à la synthèse", self.lien)
        ligne = premiere = self._vue_fiche(ws, fiche, 4)
        for action in fiche.actions:
            ligne = self._bloc_action(ws, fiche, action, ligne) + 2
        ws.freeze_panes(1, 0)
        self._statuts_cf(ws, premiere, ligne, 5)
        self._mise_en_page(ws, fiche.onglet, repeter=(0, 0))

    def _vue_fiche(self, ws: Worksheet, fiche: Fiche, ligne: int) -> int:
        """Overview of the chosen year: a small table and its chart; returns the next free row."""
        f, annee, nom = self.f, self.annee, fiche.onglet
        ws.set_row(ligne, 20)
        ws.merge_range(ligne, 0, ligne, 10, "", self.bandeau)
        ws.write_string(ligne, 0, f"Vue d'ensemble {annee}", self.bandeau)
        t = ligne + 2
        actions = list(fiche.actions)
        chiffre = any(
            (r := self.conso.resultat(code, a.code, annee)) is not None and r.atteinte is not None
            for a in actions
            for code, _ in self.colonnes
        )
        graphe = self.wb.add_chart({"type": "column"})
        if chiffre:
            ws.write_string(t, 1, f"Atteinte {annee}", self.entete_gauche)
            for j, a in enumerate(actions):
                ws.write_string(t, 2 + j, a.code, self.entete)
            for i, (code, libelle) in enumerate(self.colonnes):
                atteintes = [
                    r.atteinte if (r := self.conso.resultat(code, a.code, annee)) is not None else None
                    for a in actions
                ]
                renseigne = any(x is not None for x in atteintes)
                # A column with no achievement at all is not drawn: its row says so instead of an empty legend.
                texte = libelle if renseigne else f"{libelle} (non renseigné)"
                ws.write_string(t + 1 + i, 1, texte, f(CADRE, bold=code == INTER))
                for j, x in enumerate(atteintes):
                    self._nombre(ws, t + 1 + i, 2 + j, x, self.pourcent)
                if not renseigne:
                    continue
                couleur = COULEUR_INTER if code == INTER else COULEURS_COLONNES[i % len(COULEURS_COLONNES)]
                graphe.add_series(
                    {
                        "name": [nom, t + 1 + i, 1],
                        "categories": [nom, t, 2, t, 1 + len(actions)],
                        "values": [nom, t + 1 + i, 2, t + 1 + i, 1 + len(actions)],
                        "fill": {"color": couleur},
                        "gap": 80,
                    }
                )
            graphe.set_title(
                {"name": f"Atteinte {annee} par action (axe limité à 150 %)", "name_font": {"size": 11}}
            )
            graphe.set_y_axis(
                {
                    "min": 0,
                    "max": PLAFOND_ATTEINTE,
                    "major_unit": 0.25,
                    "num_format": "0%",
                    "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
                }
            )
            note = (
                "Atteinte = réalisé / cible (inversée quand l'objectif est une baisse). Une étape (jalon) n'a pas "
                "d'atteinte chiffrée : voir son état dans le détail de l'action."
            )
        else:
            statuts = list(Statut)
            ws.write_string(t, 1, f"Actions par statut en {annee}", self.entete_gauche)
            for j, statut in enumerate(statuts):
                ws.write_string(t, 2 + j, statut.value, self.entete)
            for i, (code, libelle) in enumerate(self.colonnes):
                ws.write_string(t + 1 + i, 1, libelle, f(CADRE, bold=code == INTER))
                compte = Counter(
                    r.statut for a in actions if (r := self.conso.resultat(code, a.code, annee)) is not None
                )
                for j, statut in enumerate(statuts):
                    ws.write_number(t + 1 + i, 2 + j, compte.get(statut, 0), self.entier)
            graphe = self.wb.add_chart({"type": "column", "subtype": "stacked"})
            for j, statut in enumerate(statuts):
                graphe.add_series(
                    {
                        "name": [nom, t, 2 + j],
                        "categories": [nom, t + 1, 1, t + len(self.colonnes), 1],
                        "values": [nom, t + 1, 2 + j, t + len(self.colonnes), 2 + j],
                        "fill": {"color": COULEURS_STATUT[statut][2]},
                        "gap": 80,
                    }
                )
            graphe.set_title({"name": f"Étapes {annee} : actions par statut", "name_font": {"size": 11}})
            graphe.set_y_axis({"min": 0, "major_unit": 1, "name": "Nombre d'actions"})
            note = f"En {annee}, les actions de cette fiche sont des étapes (jalons) : elles sont jugées sur leur état."
        ws.set_row(t, 30)
        fin = t + len(self.colonnes)
        ws.merge_range(fin + 2, 1, fin + 4, 5, "", self.sous_titre)
        ws.write_string(fin + 2, 1, note, self.sous_titre)
        graphe.set_legend({"position": "bottom"})
        graphe.set_size({"width": 560, "height": 300})
        graphe.set_chartarea({"border": {"none": True}})
        ws.insert_chart(t, 7, graphe, {"x_offset": 10, "y_offset": 0})
        return max(fin + 6, t + 16)

    def _bloc_action(self, ws: Worksheet, fiche: Fiche, action: Action, ligne: int) -> int:
        """One action: header band, indicator, the figures table and, under it, the follow-up table."""
        ind = action.indicateur
        der = 10
        largeur = sum(self.largeurs_fiche)
        self.ancres[action.code] = (fiche.onglet, f"A{ligne + 1}")
        bandeau = f"{action.code} — {action.titre}"
        ws.set_row(ligne, _hauteur([(bandeau, largeur * 0.85)], 22))
        ws.merge_range(ligne, 0, ligne, der, "", self.bandeau_action)
        ws.write_string(ligne, 0, bandeau, self.bandeau_action)
        sens = "à la baisse" if ind.sens is Sens.BAISSE else "à la hausse"
        infos = (
            f"Indicateur : {ind.libelle} — unité : {_unite(action, self.conv)} — objectif {sens} — "
            f"consolidation inter-offices : {_AGREGATION[ind.type]}."
        )
        calendrier = "Calendrier : " + " ; ".join(f"{a} : {action.calendrier[a]}" for a in self.conv.periode)
        for k, texte in enumerate((infos, calendrier)):
            ws.set_row(ligne + 1 + k, _hauteur([(texte, largeur)]))
            ws.merge_range(ligne + 1 + k, 0, ligne + 1 + k, der, "", self.gras if k == 0 else self.texte)
            ws.write_string(ligne + 1 + k, 0, texte, self.gras if k == 0 else self.texte)
        # Figures: years × (offices + together).
        e = ligne + 4
        titres = (
            "Année",
            "Office",
            "Cible",
            "Réalisé",
            "Atteinte",
            "Statut",
            "Tendance",
            "Source cible",
            "Source réalisé",
        )
        ws.set_row(e, 30)
        for col, titre in enumerate(titres):
            ws.write_string(e, col, titre, self.entete)
        r_ligne = e + 1
        for annee in self.conv.periode:
            for i, (code, libelle) in enumerate(self.colonnes):
                r = self.conso.resultat(code, action.code, annee)
                fl = self._formats_ligne(code == INTER, i == 0, annee == self.annee)
                ws.write_number(r_ligne, 0, annee, fl.centre)
                ws.write_string(r_ligne, 1, libelle, fl.simple)
                self._valeur(ws, r_ligne, 2, action, r, "cible", fl.valeur)
                self._valeur(ws, r_ligne, 3, action, r, "realise", fl.valeur)
                self._nombre(ws, r_ligne, 4, r.atteinte if r else None, fl.pourcent)
                self._texte(ws, r_ligne, 5, r.statut.value if r else None, fl.centre)
                tendance = TENDANCES.get(r.tendance or "", r.tendance) if r else None
                self._texte(ws, r_ligne, 6, tendance, fl.simple)
                if code == INTER and r is not None and r.offices < r.offices_total:
                    # Which offices the figures of the offices together cover, where the sources would be.
                    ws.merge_range(r_ligne, 7, r_ligne, 8, "", fl.simple)
                    self._texte(ws, r_ligne, 7, r.couverture, fl.simple)
                else:
                    for col, champ in ((7, "cible"), (8, "realise")):
                        self._source(ws, r_ligne, col, code, action, r, champ, fl)
                r_ligne += 1
        self._barres(ws, e + 1, r_ligne - 1, 4)
        # Follow-up: step, comment, evidence, remarks.
        d = r_ligne + 1
        ws.set_row(d, 30)
        for col, titre in (
            (0, "Année"),
            (1, "Office"),
            (2, "État de l'étape"),
            (9, "Justificatif"),
            (10, "Remarques"),
        ):
            ws.write_string(d, col, titre, self.entete)
        ws.merge_range(d, 3, d, 8, "Commentaire de l'office", self.entete)
        r_ligne = d + 1
        largeur_commentaire = sum(self.largeurs_fiche[3:9])
        for annee in self.conv.periode:
            for i, (code, libelle) in enumerate(self.colonnes):
                r = self.conso.resultat(code, action.code, annee)
                inter = code == INTER
                commentaire = tronquer(r.commentaire, LONGUEUR_TEXTE_MAX) if r and r.commentaire else None
                justificatif = tronquer(r.justificatif, LONGUEUR_TEXTE_MAX) if r and r.justificatif else None
                remarques = _remarques(action, r) if r else None
                if inter and not (r and (r.etape or remarques)):
                    continue  # the offices together have no comment: a row only when there is a step or a remark
                ws.set_row(
                    r_ligne,
                    _hauteur(
                        [
                            (commentaire, largeur_commentaire),
                            (justificatif, self.largeurs_fiche[9]),
                            (remarques, self.largeurs_fiche[10]),
                        ]
                    ),
                )
                fl = self._formats_ligne(inter, i == 0, False)
                ws.write_number(r_ligne, 0, annee, fl.centre)
                ws.write_string(r_ligne, 1, libelle, fl.simple)
                self._texte(ws, r_ligne, 2, r.etape if r else None, fl.etape)
                ws.merge_range(r_ligne, 3, r_ligne, 8, "", fl.texte)
                self._texte(ws, r_ligne, 3, commentaire, fl.texte)
                url = url_web(justificatif)
                if url is not None:
                    self._lien(ws, r_ligne, 9, url, url, fl.lien, fl.texte)
                else:
                    self._texte(ws, r_ligne, 9, justificatif, fl.texte)
                self._texte(ws, r_ligne, 10, remarques, fl.texte_ecarte if r and r.exclu else fl.texte)
                r_ligne += 1
        return r_ligne - 1

    def _source(
        self,
        ws: Worksheet,
        ligne: int,
        col: int,
        code: str,
        action: Action,
        r: Resultat | None,
        champ: str,
        fl: _FormatsLigne,
    ) -> None:
        """A « ↗ » link to the office cell the figure was read from (drill-down)."""
        fmt = fl.centre
        info = self.conso.fichier_de(code) if code != INTER else None
        montre: Any = getattr(r, champ) if r else None
        if r is not None and (r.mesure is Mesure.JALON or action.indicateur.type is TypeIndicateur.JALON):
            # A milestone year shows the step's state in the Réalisé column: link to that cell.
            champ, montre = ("etape", r.etape) if champ == "realise" else (champ, None)
        position = r.sources.get(champ) if r else None
        if info is None or position is None or montre is None:
            ws.write_blank(ligne, col, None, fmt)
            return
        self._lien_source(
            ws,
            ligne,
            col,
            info.chemin,
            position,
            "↗",
            fl.fleche,
            fmt,
        )

    def _titre_et_colonnes(self, ws: Worksheet, titre: str, colonnes: Iterable[tuple[str, float]]) -> None:
        """A listing sheet's title row and its column widths (the headers are written with the table)."""
        for col, (_, largeur) in enumerate(colonnes):
            ws.set_column(col, col, largeur)
        ws.set_row(0, 26)
        ws.write_string(0, 0, titre, self.titre)

    # -- Contrôles --------------------------------------------------------------------------------------------

    def _controles(self) -> None:
        ws = self.ws[ONGLET_CONTROLES]
        rapport = self.conso.rapport
        stats = rapport.statistiques()
        ws.hide_gridlines(2)
        ws.set_tab_color("#C00000" if stats["erreurs"] else "#70AD47")
        colonnes = (
            ("Gravité", 13),
            ("Code", 22),
            ("Office", 22),
            ("Fichier", 26),
            ("Onglet", 20),
            ("Cellule", 9),
            ("Valeur trouvée", 24),
            ("Message", 70),
            ("Lien", 8),
        )
        self._titre_et_colonnes(ws, "Contrôles des classeurs des offices", colonnes)
        ws.merge_range(1, 0, 1, 7, "", self.sous_titre)
        ws.set_row(1, 30)
        ws.write_string(
            1,
            0,
            f"{stats['erreurs']} erreur(s), {stats['avertissements']} avertissement(s) dans {len(self.conso.fichiers)} "
            "classeur(s). Une erreur écarte la valeur concernée de la consolidation ; un avertissement la garde "
            "mais signale un point à vérifier. « Ouvrir » ouvre le classeur de l'office sur la cellule en cause.",
            self.sous_titre,
        )
        problemes = sorted(rapport.problemes, key=self._cle_probleme)
        if not problemes:
            ws.write_string(
                3,
                0,
                f"Aucun problème détecté dans les {len(self.conso.fichiers)} classeur(s) lu(s).",
                self.f(bold=True, font_color="#006100"),
            )
            self._mise_en_page(ws, ONGLET_CONTROLES)
            return
        debut = 3
        fin = debut + len(problemes)
        ws.add_table(
            debut,
            0,
            fin,
            len(colonnes) - 1,
            {
                "name": "tControles",
                "style": "Table Style Light 1",
                "columns": [{"header": titre, "header_format": self.entete} for titre, _ in colonnes],
            },
        )
        for i, p in enumerate(problemes):
            ligne = debut + 1 + i
            self._ligne_probleme(ws, ligne, p)
        for valeur, (fond, police) in (
            ("erreur", ("#FFC7CE", "#9C0006")),
            ("avertissement", ("#FFEB9C", "#7F6000")),
        ):
            ws.conditional_format(
                debut + 1,
                0,
                fin,
                0,
                {
                    "type": "cell",
                    "criteria": "equal to",
                    "value": f'"{valeur}"',
                    "format": self.wb.add_format({"bg_color": fond, "font_color": police, "bold": True}),
                },
            )
        ws.freeze_panes(debut + 1, 0)
        self._mise_en_page(ws, ONGLET_CONTROLES, repeter=(debut, debut))

    def _cle_probleme(self, p: Probleme) -> tuple[Any, ...]:
        office = self.noms_offices.get(p.office or "", "\uffff")
        return (
            p.gravite is not Gravite.ERREUR,
            office,
            p.fichier,
            p.onglet or "",
            cle_cellule(p.cellule),
            p.code,
        )

    def _ligne_probleme(self, ws: Worksheet, ligne: int, p: Probleme) -> None:
        c = self.cellule
        ws.write_string(ligne, 0, p.gravite.value, self.cellule_centre)
        ws.write_string(ligne, 1, p.code, c)
        office = self.noms_offices.get(p.office, p.office) if p.office else "Office non identifié"
        ws.set_row(
            ligne,
            _hauteur(
                [(p.message, 70), (p.valeur, 24), (office, 22), (Path(p.fichier).name, 26), (p.onglet, 20)]
            ),
        )
        self._texte(ws, ligne, 2, office, c)
        self._texte(ws, ligne, 3, Path(p.fichier).name, c)
        self._texte(ws, ligne, 4, p.onglet, c)
        self._texte(ws, ligne, 5, p.cellule, self.cellule_centre)
        self._texte(ws, ligne, 6, p.valeur, c)
        self._texte(ws, ligne, 7, p.message, c)
        position = None
        if p.onglet:
            position = f"{nom_onglet(p.onglet)}!{p.cellule or 'A1'}"
        if Path(p.fichier).suffix.lower() in (".xlsx", ".xlsm"):
            self._lien_source(ws, ligne, 8, p.fichier, position, "Ouvrir", self.lien_cadre, c)
        else:
            ws.write_blank(ligne, 8, None, c)

    # -- Données ----------------------------------------------------------------------------------------------

    def _donnees(self) -> None:
        ws = self.ws[ONGLET_DONNEES]
        ws.set_tab_color("#7F7F7F")
        lignes = lignes_donnees(self.conso)
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
                "columns": [{"header": t, "header_format": self.entete} for t in titres],
            },
        )
        # No number format (General): Excel shows 12 and 0,4567 as they are, with no trailing separator.
        brut = self.f(valign="bottom")
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
                    self._brut(ws, i, j, v, brut)
        ws.freeze_panes(1, 0)
        self._mise_en_page(ws, ONGLET_DONNEES, repeter=(0, 0))

    def _brut(self, ws: Worksheet, ligne: int, col: int, v: Any, fmt: Format) -> None:
        """A value of the Données sheet: « Oui »/« Non » for a boolean, a number, else text."""
        if isinstance(v, bool):
            ws.write_string(ligne, col, "Oui" if v else "Non", fmt)
        elif isinstance(v, int):
            ws.write_number(ligne, col, v, fmt)
        elif isinstance(v, float):
            self._nombre(ws, ligne, col, v, fmt)
        else:
            self._texte(ws, ligne, col, v, fmt)

    # -- Journal ----------------------------------------------------------------------------------------------

    def _journal(self) -> None:
        ws = self.ws[ONGLET_JOURNAL]
        conso = self.conso
        ws.hide_gridlines(2)
        ws.set_tab_color("#7F7F7F")
        colonnes = (
            ("Chemin", 46),
            ("Fichier", 28),
            ("Taille (octets)", 12),
            ("SHA-256", 66),
            ("Modifié le", 16),
            ("Version du modèle", 10),
            ("Office", 24),
            ("État de la saisie", 12),
            ("Référent", 20),
            ("Retenu", 8),
            ("Erreurs", 8),
            ("Avertissements", 13),
            ("Référentiel du classeur (SHA-256)", 66),
            ("Version rse-xl du classeur", 12),
        )
        self._titre_et_colonnes(ws, "Journal de la consolidation", colonnes)
        stats = conso.rapport.statistiques()
        infos: list[tuple[str, Any, Format]] = [
            ("Version de rse-xl", conso.version_outil, self.cellule),
            ("Référentiel (SHA-256)", conso.empreinte_referentiel, self.cellule),
            ("Consolidation lancée le", conso.genere_le, self.date_heure),
            ("Situation au", conso.aujourdhui, self.date),
            ("Année de campagne", conso.annee, self.f(CADRE, align="left")),
            ("Fichiers lus", len(conso.fichiers), self.f(CADRE, align="left")),
            ("Fichiers retenus", sum(fi.retenu for fi in conso.fichiers), self.f(CADRE, align="left")),
            ("Erreurs", stats["erreurs"], self.f(CADRE, align="left")),
            ("Avertissements", stats["avertissements"], self.f(CADRE, align="left")),
        ]
        for i, (libelle, valeur, fmt) in enumerate(infos):
            ws.write_string(2 + i, 0, libelle, self.f(CADRE, bold=True, bg_color=BLEU_CLAIR))
            ws.merge_range(2 + i, 1, 2 + i, 3, "", fmt)
            self._ecrire(ws, 2 + i, 1, valeur, fmt)
        debut = 3 + len(infos)
        fichiers = conso.fichiers
        n = max(len(fichiers), 1)
        ws.add_table(
            debut,
            0,
            debut + n,
            len(colonnes) - 1,
            {
                "name": "tFichiers",
                "style": "Table Style Light 9",
                "columns": [{"header": t, "header_format": self.entete} for t, _ in colonnes],
            },
        )
        c = self.cellule
        for i, fi in enumerate(fichiers):
            ligne = debut + 1 + i
            ws.set_row(ligne, _hauteur([(fi.chemin, 46), (fi.fichier, 28), (fi.referent, 20)]))
            valeurs: list[tuple[Any, Format]] = [
                (fi.chemin, c),
                (fi.fichier, c),
                (fi.taille, self.entier),
                (fi.empreinte, c),
                (fi.modifie, self.date_heure),
                (fi.modele_version, self.cellule_centre),
                (fi.office_nom or fi.office, c),
                (fi.etat, c),
                (fi.referent, c),
                ("Oui" if fi.retenu else "Non", self.cellule_centre),
                (fi.erreurs, self.entier),
                (fi.avertissements, self.entier),
                (fi.referentiel_empreinte, c),
                (fi.outil_version, c),
            ]
            for j, (v, fmt) in enumerate(valeurs):
                self._ecrire(ws, ligne, j, v, fmt)
        ws.freeze_panes(debut + 1, 0)
        self._mise_en_page(ws, ONGLET_JOURNAL, repeter=(debut, debut))

    def _ecrire(self, ws: Worksheet, ligne: int, col: int, valeur: Any, fmt: Format) -> None:
        """A Python value as the matching Excel type; text always as text."""
        ecrire_valeur(ws, ligne, col, valeur, fmt)

    # -- Accueil ----------------------------------------------------------------------------------------------

    def _accueil(self) -> None:
        ws = self.ws[ONGLET_ACCUEIL]
        conso, f = self.conso, self.f
        ws.hide_gridlines(2)
        ws.set_tab_color(BLEU)
        largeurs = (28, 30, 15, 22, 13, 9, 9, 14)
        for col, largeur in enumerate(largeurs):
            ws.set_column(col, col, largeur)
        der = len(largeurs) - 1
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, der, "", self.titre)
        ws.write_string(0, 0, f"{self.conv.titre} — synthèse {conso.annee}", self.titre)
        ws.merge_range(1, 0, 1, der, "", self.sous_titre)
        ws.write_string(
            1,
            0,
            f"Campagne {conso.annee} · situation au {conso.aujourdhui:%d/%m/%Y} · générée le "
            f"{conso.genere_le:%d/%m/%Y à %H:%M} par rse-xl {conso.version_outil}",
            self.sous_titre,
        )
        ligne = 3
        if conso.demonstration:
            alerte = f(bold=True, font_size=12, font_color="#9C0006", bg_color="#FFC7CE", text_wrap=True)
            ws.set_row(2, 34)
            ws.merge_range(2, 0, 2, der, "", alerte)
            ws.write_string(2, 0, BANDEAU_DEMONSTRATION, alerte)
            ligne = 4
        ws.set_row(ligne, 20)
        ws.merge_range(ligne, 0, ligne, der, "", self.bandeau)
        ws.write_string(ligne, 0, "Classeurs des offices", self.bandeau)
        ligne += 1
        titres = (
            "Office",
            "Fichier",
            "État de la saisie",
            "Référent",
            "Mis à jour le",
            "Retenu",
            "Erreurs",
            "Avertissements",
        )
        for col, titre in enumerate(titres):
            ws.write_string(ligne, col, titre, self.entete)
        premiere = ligne + 1
        for fi in sorted(conso.fichiers, key=lambda x: (x.office_nom or "\uffff", x.fichier)):
            ligne += 1
            ws.set_row(ligne, _hauteur([(fi.fichier, 30), (fi.referent, 22), (fi.office_nom, 28)]))
            self._texte(ws, ligne, 0, fi.office_nom or "Office non identifié", self.cellule)
            self._lien_source(
                ws, ligne, 1, fi.chemin, None, tronquer(fi.fichier), self.lien_cadre, self.cellule
            )
            self._texte(ws, ligne, 2, fi.etat or "non renseigné", self.cellule_centre)
            self._texte(ws, ligne, 3, fi.referent, self.cellule)
            self._ecrire(ws, ligne, 4, fi.date_maj, self.date)
            ws.write_string(ligne, 5, "Oui" if fi.retenu else "Non", self.cellule_centre)
            ws.write_number(ligne, 6, fi.erreurs, self.entier)
            ws.write_number(ligne, 7, fi.avertissements, self.entier)
        if not conso.fichiers:
            ligne += 1
            ws.write_string(ligne, 0, "Aucun classeur lu.", self.cellule)
        for valeur, fond, police in (
            ("Brouillon", "#FFEB9C", "#7F6000"),
            ("Soumis", BLEU_CLAIR, BLEU),
            ("Validé", "#C6EFCE", "#006100"),
        ):
            ws.conditional_format(
                premiere,
                2,
                ligne,
                2,
                {
                    "type": "cell",
                    "criteria": "equal to",
                    "value": f'"{valeur}"',
                    "format": self.wb.add_format({"bg_color": fond, "font_color": police}),
                },
            )
        ws.conditional_format(
            premiere,
            5,
            ligne,
            5,
            {
                "type": "cell",
                "criteria": "equal to",
                "value": '"Non"',
                "format": self.wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
            },
        )
        stats = conso.rapport.statistiques()
        ligne += 2
        fmt_bilan = f(bold=True, font_color="#9C0006" if stats["erreurs"] else "#006100")
        ws.merge_range(ligne, 0, ligne, 2, "", fmt_bilan)
        ws.write_string(
            ligne,
            0,
            f"Contrôles : {stats['erreurs']} erreur(s), {stats['avertissements']} avertissement(s)",
            fmt_bilan,
        )
        self._lien_interne(ws, ligne, 3, ONGLET_CONTROLES, "A1", "→ voir l'onglet Contrôles", self.lien)
        ligne += 2
        ws.set_row(ligne, 20)
        ws.merge_range(ligne, 0, ligne, der, "", self.bandeau)
        ws.write_string(ligne, 0, "Sommaire", self.bandeau)
        descriptions = {
            ONGLET_SYNTHESE: f"Les 36 actions en {conso.annee} : réalisé, cible, atteinte et statut par office et "
            "inter-offices ; tableau de bord en bas de l'onglet.",
            ONGLET_CONTROLES: "Les erreurs et avertissements trouvés dans les classeurs, avec un lien vers la cellule.",
            ONGLET_DONNEES: "Toutes les valeurs en tableau (tDonnees), prêtes pour un tableau croisé dynamique ou Power BI.",
            ONGLET_JOURNAL: "Traçabilité : version de l'outil, empreintes SHA-256 du référentiel et des fichiers lus.",
        }
        for nom in onglets_resultats(self.conv, accueil=False):
            ligne += 1
            self._lien_interne(ws, ligne, 0, nom, "A1", nom, self.lien)
            fiche = next((fi for fi in self.conv.fiches if fi.onglet == nom), None)
            texte = descriptions.get(nom) or (
                f"Fiche action n°{fiche.numero} : {fiche.titre}" if fiche is not None else ""
            )
            ws.merge_range(ligne, 1, ligne, der, "", self.texte)
            ws.write_string(ligne, 1, texte, self.texte)
            ws.set_row(ligne, _hauteur([(texte, sum(largeurs[1:]))]))
        ligne += 2
        ws.set_row(ligne, 20)
        ws.merge_range(ligne, 0, ligne, der, "", self.bandeau)
        ws.write_string(ligne, 0, "Comment lire cette synthèse", self.bandeau)
        seuils = self.conv.parametres.seuils_statut
        aide = (
            "Chaque indicateur est recalculé par rse-xl à partir des classeurs des offices : registres (marchés, "
            "opérations, journal des actions…) quand la convention le permet, sinon valeur saisie. Aucune formule "
            "n'est gardée : les chiffres sont ceux de la date de génération.",
            f"Atteinte = réalisé / cible ; pour un objectif à la baisse (part des déplacements, stockage), "
            f"cible / réalisé. Statut « Atteint » dès {seuils.atteint * 100:.0f} %, « En bonne voie » dès "
            f"{seuils.en_bonne_voie * 100:.0f} %, sinon « En retard ». « Non renseigné » : donnée manquante ; "
            "« Sans objectif » : réalisé connu mais aucune cible.",
            "Inter-offices : les trois offices ensemble selon la règle de chaque indicateur — somme des nombres, "
            "rapport des sommes pour un taux (jamais la moyenne des taux), éléments communs comptés une fois, "
            "nombre d'offices ayant franchi une étape.",
            "Données partielles : un chiffre inter-offices ne couvre que les offices qui ont un réalisé et, quand "
            "la cible est la leur, une cible ; réalisé, cible et atteinte portent sur ces mêmes offices, "
            "l'évolution sur les offices présents les deux années. La colonne « Offices couverts » de la "
            "synthèse dit « Incomplet : 2 offices sur 3 » et la remarque nomme les offices hors du total.",
            "Un registre ne fait foi pour une année que s'il a au moins une ligne datée de cette année ; sinon "
            "la valeur saisie est retenue (remarque de la fiche, colonne « Origine » de l'onglet Données).",
            "Une année où la convention fixe une étape (jalon) est jugée sur l'état de l'étape : « Réalisé » = "
            "atteint ; non réalisé à la fin de son année = en retard.",
            "Dans les onglets de fiche, la flèche ↗ ouvre le classeur de l'office sur la cellule d'origine (les "
            "classeurs doivent rester à la même place relative que cette synthèse). Une valeur « écartée » a "
            "échoué aux contrôles : elle n'entre pas dans la consolidation (voir l'onglet Contrôles).",
        )
        for texte in aide:
            ligne += 1
            ws.merge_range(ligne, 0, ligne, der, "", self.texte)
            ws.write_string(ligne, 0, "• " + texte, self.texte)
            ws.set_row(ligne, _hauteur([(texte, sum(largeurs))]))
        self._mise_en_page(ws, ONGLET_ACCUEIL)


_AGREGATION = {
    TypeIndicateur.COMPTAGE: "somme des offices",
    TypeIndicateur.COMPTAGE_COMMUN: "éléments distincts (une action commune compte une fois)",
    TypeIndicateur.ENSEMBLE_DISTINCT: "union des types",
    TypeIndicateur.QUANTITE: "somme des offices",
    TypeIndicateur.TAUX: "rapport des sommes (numérateurs / dénominateurs)",
    TypeIndicateur.PART_REFERENCE: "rapport des sommes, évolution par rapport à l'année de référence",
    TypeIndicateur.MOYENNE_PAR_TYPE: "moyenne pondérée par le nombre d'équipements",
    TypeIndicateur.COMPARAISON_DPE: "cumul des logements comparés",
    TypeIndicateur.JALON: "nombre d'offices ayant réalisé l'étape",
}


def _remarques(action: Action, r: Resultat) -> str | None:
    """What a reader must know about a figure: value left out, typed vs registers, the ratio behind a rate."""
    pct = _pct(action)
    morceaux: list[str] = []
    if r.exclu and r.office != INTER:
        morceaux.append("Valeur écartée" + (f" : {r.motif}" if r.motif else ""))
    elif r.motif:
        morceaux.append(r.motif[:1].upper() + r.motif[1:])
    if r.ecart:
        assert r.realise_saisi is not None and r.realise_registres is not None
        morceaux.append(
            f"Réalisé saisi : {_fr(r.realise_saisi, pct)} ; selon les registres : "
            f"{_fr(r.realise_registres, pct)} (valeur des registres retenue)"
        )
    if pct and r.numerateur is not None and r.denominateur:
        morceaux.append(f"Ratio : {_fr(r.numerateur)} / {_fr(r.denominateur)}")
    if r.details.get("vehicules_entres"):
        morceaux.append(
            f"Renouvellements : {_fr(r.details.get('vehicules_entres_electriques', 0))} électrique(s) sur "
            f"{_fr(r.details['vehicules_entres'])} véhicule(s) entré(s) "
            f"({_fr(r.details.get('part_renouvellements_electriques', 0), True)})"
        )
    if r.details.get("sortis_methode_seule"):
        morceaux.append(
            f"{_fr(r.details['sortis_methode_seule'])} logement(s) sorti(s) de E/F/G par le seul changement de "
            "méthode DPE (consommation inchangée) : non comptés"
        )
    if r.office == INTER and r.details.get("somme_des_offices") not in (None, r.realise):
        morceaux.append(
            f"Somme des offices : {_fr(r.details['somme_des_offices'])} (éléments communs comptés une fois)"
        )
    return " — ".join(morceaux) or None

"""What every sheet of the summary shares: sheet names, Excel's limits, cell writers, links and page setup.

Every text that comes from an office is written with ``write_string`` (:func:`ecrire_texte`) — or as the display
text of a link for http(s) evidence only — so that ``=HYPERLINK(…)`` or ``+cmd|…`` stays text. A URL too long
or past the 65 530 links of a sheet is written as plain text (:class:`Liens`).
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from rse_xl.cellules import nom_onglet
from rse_xl.consolidation import Consolidation
from rse_xl.indicateurs import TYPES_AVEC_RATIO, Resultat
from rse_xl.referentiel import Action, Convention, Mesure, TypeIndicateur
from rse_xl.synthese.formats import (
    FORMAT_DECIMAL,
    FORMAT_ENTIER,
    FORMAT_POURCENT,
    Formats,
    FormatsValeur,
)
from rse_xl.xlsx import MAX_TEXTE, longueur_utf16, tronquer

ONGLET_ACCUEIL = "Accueil"
ONGLET_SYNTHESE = "Synthèse"
ONGLET_CONTROLES = "Contrôles"
ONGLET_DONNEES = "Données"
ONGLET_JOURNAL = "Journal"
# The result sheets besides the fiche sheets; Accueil is not one of them: the master keeps its own.
ONGLETS_RESULTATS: tuple[str, ...] = (ONGLET_SYNTHESE, ONGLET_CONTROLES, ONGLET_DONNEES, ONGLET_JOURNAL)

MAX_URL = 2_079  # characters of a link or of its anchor
MAX_LIENS = 65_530  # hyperlinks per worksheet
MAX_INFOBULLE = 255
PLAFOND_ATTEINTE = 1.5

_URL_WEB = re.compile(r"https?://[^\s\"<>\\^`{|}]+", re.IGNORECASE)


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


# --- texts and numbers ---------------------------------------------------------------------------------------


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


def fr(valeur: float, pct: bool = False) -> str:
    """A number written the French way for a sentence: 1 234,5 or 45,0 %."""
    if pct:
        return f"{valeur * 100:.1f} %".replace(".", ",")
    if float(valeur).is_integer():
        return f"{valeur:,.0f}".replace(",", "\u202f")
    return f"{valeur:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")


def est_ratio(action: Action) -> bool:
    """Whether the action's figures are ratios (shown as percentages)."""
    return action.indicateur.type in TYPES_AVEC_RATIO


def format_nombre(action: Action, valeur: float) -> str:
    if est_ratio(action):
        return FORMAT_POURCENT
    return FORMAT_ENTIER if float(valeur).is_integer() else FORMAT_DECIMAL


def libelle_unite(action: Action, conv: Convention) -> str:
    ind = action.indicateur
    if ind.type is TypeIndicateur.PART_REFERENCE:
        return f"% (baisse vs {conv.parametres.annee_reference})"
    return ind.unite


def hauteur(textes: Iterable[tuple[str | None, float]], minimum: float = 15.0) -> float:
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


# --- cell writers --------------------------------------------------------------------------------------------


def ecrire_texte(
    ws: Worksheet, ligne: int, col: int, texte: Any, fmt: Format, maximum: int = MAX_TEXTE
) -> None:
    """Write a text as text, whatever it looks like; blank when empty."""
    if texte is None or texte == "":
        ws.write_blank(ligne, col, None, fmt)
    else:
        ws.write_string(ligne, col, tronquer(str(texte), maximum), fmt)


def ecrire_nombre(ws: Worksheet, ligne: int, col: int, valeur: float | None, fmt: Format) -> None:
    if valeur is None or (isinstance(valeur, float) and not math.isfinite(valeur)):
        ws.write_blank(ligne, col, None, fmt)
    else:
        ws.write_number(ligne, col, valeur, fmt)


def ecrire_mesure(
    ws: Worksheet,
    ligne: int,
    col: int,
    action: Action,
    r: Resultat | None,
    champ: str,
    formats: FormatsValeur,
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
            ecrire_texte(ws, ligne, col, r.etape, formats.etape)
        return
    v = getattr(r, champ)
    if champ == "realise" and v is None and r.exclu:
        ws.write_string(ligne, col, "écartée", formats.ecartee)
        return
    if v is None:
        ws.write_blank(ligne, col, None, formats.vide)
        return
    ws.write_number(ligne, col, v, formats.nombres[format_nombre(action, v)])


# --- links ---------------------------------------------------------------------------------------------------


class Liens:
    """The hyperlinks of one workbook: counted per sheet, to office files relative to the output folder."""

    def __init__(self, conso: Consolidation, dossier: Path) -> None:
        self.dossier = dossier
        self.compte: Counter[str] = Counter()
        self.relatifs: dict[str, str] = {f.chemin: chemin_relatif(f.chemin, dossier) for f in conso.fichiers}
        self.noms_fichiers: dict[str, str] = {f.chemin: Path(f.chemin).name for f in conso.fichiers}

    def lien(
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
        if self.compte[nom] < MAX_LIENS and _url_acceptable(url):
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
                self.compte[nom] += 1
                return True
        ws.write_string(ligne, col, texte, fmt_sans_lien or fmt)
        return False

    def interne(
        self, ws: Worksheet, ligne: int, col: int, onglet: str, cellule: str, texte: str, fmt: Format
    ) -> None:
        """A link to a cell of another sheet of the summary."""
        self.lien(ws, ligne, col, f"internal:{nom_onglet(onglet)}!{cellule}", texte, fmt)

    def source(
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
        self.lien(ws, ligne, col, url, texte, fmt, fmt_sans_lien, infobulle)


# --- sheet layout --------------------------------------------------------------------------------------------


def mise_en_page(
    ws: Worksheet,
    conso: Consolidation,
    titre: str,
    repeter: tuple[int, int] | None = None,
    a3: bool = False,
) -> None:
    """Landscape, one page wide, the campaign in the header and the generation in the footer."""
    ws.set_landscape()
    ws.set_paper(8 if a3 else 9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(0.4, 0.4, 0.6, 0.6)
    demo = "DÉMONSTRATION (chiffres fictifs) — " if conso.demonstration else ""
    ws.set_header(
        f"&L&8{demo}Convention RSE inter-offices — campagne {conso.annee}, situation au "
        f"{conso.aujourdhui:%d/%m/%Y}&R&8{titre}"
    )
    ws.set_footer(
        f"&L&8Générée le {conso.genere_le:%d/%m/%Y à %H:%M} par rse-xl {conso.version_outil}&R&8Page &P / &N"
    )
    if repeter is not None:
        ws.repeat_rows(*repeter)


def titre_et_colonnes(
    ws: Worksheet, formats: Formats, titre: str, colonnes: Iterable[tuple[str, float]]
) -> None:
    """A listing sheet's title row and its column widths (the headers are written with the table)."""
    for col, (_, largeur) in enumerate(colonnes):
        ws.set_column(col, col, largeur)
    ws.set_row(0, 26)
    ws.write_string(0, 0, titre, formats.titre)


def statuts_cf(ws: Worksheet, formats: Formats, premiere: int, derniere: int, col: int) -> None:
    """Status colours as conditional formats: they follow a value edited or sorted in Excel."""
    if derniere < premiere:
        return
    for statut, cf in formats.cf_statut.items():
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


def barres_de_donnees(ws: Worksheet, premiere: int, derniere: int, col: int) -> None:
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

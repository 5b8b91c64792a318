"""The coordinator's master workbook (.xlsm): its buttons, which run rse-xl through xlwings, its settings, results.

The VBA project (our ``RseXl.bas`` and xlwings' standalone modules) and the ``xlwings.conf`` settings come from
:mod:`rse_xl.projet_xlwings`. With the ``xlwings.conf`` sheet this is xlwings' standalone mode: no add-in to
install, no VBA reference, no licence key.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rse_xl.cellules import reference
from rse_xl.consolidation import Consolidation
from rse_xl.errors import EntreeError, FichierError
from rse_xl.fichiers import NATURE_MAITRE, PROPRIETE_MARQUE, ecriture_atomique, raison
from rse_xl.layout import MOT_DE_PASSE_PROTECTION
from rse_xl.projet_xlwings import (
    BOOLEENS_XLWINGS,
    modules_vba,
    reglages_xlwings,
    version_xlwings_vba,
)
from rse_xl.referentiel import Convention, referentiel
from rse_xl.synthese import OPTIONS_CLASSEUR, chemin_relatif, remplir_classeur
from rse_xl.vba import Module, build_vba_project
from rse_xl.xlsx import proteger

ONGLET_ACCUEIL = "Accueil"
ONGLET_PARAMETRES = "Paramètres"
ONGLET_CONF = "xlwings.conf"  # the exact name xlwings.bas looks for: PROJECT_NAME & ".conf"

CODE_CLASSEUR = "ThisWorkbook"
# VBA code names of the sheets (ASCII, ≤ 31 characters): the document modules of the project carry them.
CODES_ONGLETS = {ONGLET_ACCUEIL: "shAccueil", ONGLET_PARAMETRES: "shParametres", ONGLET_CONF: "shXlwingsConf"}
PREFIXE_CODE_RESULTAT = "shResultat"

PARAM_ANNEE = "PARAM_ANNEE"
PARAM_DATE_REFERENCE = "PARAM_DATE_REFERENCE"
PARAM_DOSSIER = "PARAM_DOSSIER"
PARAM_SYNTHESE = "PARAM_SYNTHESE"
PARAM_EXPORT_CSV = "PARAM_EXPORT_CSV"
PARAM_RETOURS = "PARAM_RETOURS"  # absent from masters written before « Retours aux offices »: optional
OUI, NON = "oui", "non"

CREE_LE = dt.datetime(2025, 1, 1)  # the blank master's fixed date: same inputs give the same bytes
JAUNE = "#FFF2CC"  # input cells, as in the office workbooks
BLEU = "#1F4E79"
BLEU_CLAIR = "#DDEBF7"
GRIS_TEXTE = "#595959"


@dataclass(frozen=True)
class Bouton:
    """One button of the Accueil sheet and the VBA macro it runs (a ``Sub`` of RseXl.bas)."""

    macro: str
    libelle: str
    aide: str


BOUTONS: tuple[Bouton, ...] = (
    Bouton(
        "Valider",
        "Valider",
        "Contrôle les classeurs des offices sans les modifier. Résultat : l'onglet « Contrôles » "
        "(les résultats d'une consolidation précédente sont retirés).",
    ),
    Bouton(
        "Consolider",
        "Consolider",
        "Contrôle, puis calcule les indicateurs de chaque office et des trois offices ensemble. Résultats : "
        "onglets Synthèse, F01 à F16, Contrôles, Données et Journal.",
    ),
    Bouton(
        "GenererSynthese",
        "Générer la synthèse",
        "Comme « Consolider », puis écrit le classeur de synthèse (.xlsx) — et l'export CSV si demandé — "
        "à l'emplacement indiqué dans Paramètres.",
    ),
    Bouton(
        "RetoursAuxOffices",
        "Retours aux offices",
        "Écrit pour chaque office une copie de son classeur où chaque problème est marqué sur sa cellule "
        "(couleur et note), avec la liste en premier onglet, dans le dossier des retours (Paramètres). "
        "Les classeurs reçus ne sont pas modifiés.",
    ),
    Bouton(
        "Diagnostic",
        "Diagnostic",
        "Vérifie que ce PC peut faire tourner les boutons : versions de Python, rse-xl et xlwings, dossier du "
        "maître (OneDrive, SharePoint), classeurs des offices et dossier de la synthèse. Ne modifie rien.",
    ),
)


@dataclass(frozen=True)
class Parametre:
    """One input cell of the Paramètres sheet, reached by its defined name."""

    nom: str
    libelle: str
    aide: str
    genre: str  # "annee", "date", "chemin" or "oui_non"
    section: str


def nom_parametre_fichier(code_office: str) -> str:
    """Defined name of the cell that holds one office's workbook path (``PARAM_FICHIER_ARC``)."""
    return f"PARAM_FICHIER_{code_office}"


def parametres(conv: Convention) -> list[Parametre]:
    """The settings of the master, in the order of the sheet."""
    debut, fin = conv.periode[0], conv.periode[-1]
    return [
        Parametre(
            PARAM_ANNEE,
            "Année de campagne",
            f"Année de la synthèse, de {debut} à {fin}. Vide : l'année en cours, ramenée dans la période.",
            "annee",
            "Campagne",
        ),
        Parametre(
            PARAM_DATE_REFERENCE,
            "Date de référence",
            "Date du jour à retenir pour les contrôles d'échéance (jj/mm/aaaa). Vide : aujourd'hui. "
            "Sert à rejouer une campagne passée.",
            "date",
            "Campagne",
        ),
        Parametre(
            PARAM_DOSSIER,
            "Dossier des classeurs des offices",
            "Dossier où sont les classeurs des offices (.xlsx, .xlsm, sous-dossiers compris), chemin complet "
            "(C:\\RSE\\2026) ou relatif au dossier du maître (classeurs). Ou bien renseignez les fichiers ci-dessous.",
            "chemin",
            "Classeurs des offices",
        ),
        *(
            Parametre(
                nom_parametre_fichier(o.code),
                f"Fichier de {o.nom}",
                f"Chemin du classeur de {o.nom} (complet, ou relatif au dossier du maître). "
                "Vide si le dossier ci-dessus le contient.",
                "chemin",
                "Classeurs des offices",
            )
            for o in conv.offices
        ),
        Parametre(
            PARAM_SYNTHESE,
            "Classeur de synthèse",
            "Fichier .xlsx écrit par « Générer la synthèse ». Vide : synthese_RSE_<année>.xlsx dans le dossier "
            "du maître. L'ancienne synthèse est gardée en .bak.xlsx.",
            "chemin",
            "Sorties",
        ),
        Parametre(
            PARAM_RETOURS,
            "Dossier des retours aux offices",
            "Dossier où « Retours aux offices » écrit la copie annotée du classeur de chaque office (chemin "
            "complet, ou relatif au dossier du maître). Vide : retours_offices dans le dossier du maître.",
            "chemin",
            "Sorties",
        ),
        Parametre(
            PARAM_EXPORT_CSV,
            "Export CSV des données",
            "oui : « Générer la synthèse » écrit aussi les données en CSV (séparateur ;), à côté de la synthèse.",
            "oui_non",
            "Sorties",
        ),
    ]


# --- the workbook ---------------------------------------------------------------------------------------------


def ecrire_maitre(
    chemin: Path,
    conso: Consolidation | None = None,
    *,
    interpreter: str | None = None,
    ecraser: bool = False,
) -> Path:
    """Write the master workbook atomically (previous one kept as ``NAME.bak.xlsm``): blank, or with results."""
    chemin = Path(chemin)
    if chemin.suffix.lower() != ".xlsm":
        raise EntreeError(f"« {chemin.name} » : le classeur maître s'écrit en .xlsm (classeur avec macros).")
    if chemin.is_dir():
        raise FichierError(f"« {chemin} » est un dossier : indiquez le nom du classeur maître (.xlsm).")
    modules = modules_vba()
    version = version_xlwings_vba()
    try:
        with ecriture_atomique(
            chemin,
            sauvegarde=True,
            nature=NATURE_MAITRE,
            entrees=[f.chemin for f in conso.fichiers] if conso else (),
            ecraser=ecraser,
        ) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), OPTIONS_CLASSEUR)
            _Redacteur(wb, conso, chemin.parent, interpreter, modules, version).rediger()
            try:
                wb.close()
            except XlsxWriterException as exc:
                raise FichierError(f"Impossible d'écrire le classeur maître « {chemin} » : {exc}.") from exc
    except OSError as exc:
        raise FichierError(
            f"Impossible d'écrire le classeur maître « {chemin} » ({raison(exc)}) : vérifiez que le dossier "
            "existe et qu'il est accessible en écriture. L'ancien fichier est intact."
        ) from exc
    return chemin


def noms_de_code(onglets: Sequence[str]) -> list[str]:
    """The VBA code name of each sheet, in order: fixed for the master's own sheets, numbered for results."""
    codes = []
    resultats = 0
    for nom in onglets:
        if nom in CODES_ONGLETS:
            codes.append(CODES_ONGLETS[nom])
        else:
            resultats += 1
            codes.append(f"{PREFIXE_CODE_RESULTAT}{resultats:02d}")
    return codes


class _Redacteur:
    def __init__(
        self,
        wb: Workbook,
        conso: Consolidation | None,
        dossier: Path,
        interpreter: str | None,
        modules: list[Module],
        version_xlwings: str | None,
    ) -> None:
        self.wb = wb
        self.conso = conso
        self.conv = conso.convention if conso else referentiel()
        self.dossier = dossier
        self.interpreter = interpreter
        self.modules = modules
        self.version_xlwings = version_xlwings
        f = wb.add_format
        base: dict[str, Any] = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        self.titre = f({**base, "bold": True, "font_size": 16, "font_color": BLEU, "valign": "vcenter"})
        self.sous_titre = f({**base, "italic": True, "font_color": GRIS_TEXTE, "text_wrap": True})
        self.texte = f({**base, "text_wrap": True})
        self.gras = f({**base, "bold": True, "text_wrap": True})
        self.bandeau = f({**base, "bold": True, "font_size": 12, "font_color": "white", "bg_color": BLEU})
        self.entete = f({**base, "bold": True, "bg_color": BLEU_CLAIR, "border": 1, "valign": "vcenter"})
        self.cadre = f({**base, "text_wrap": True, "border": 1})
        self.nom = f({**base, "border": 1, "font_name": "Consolas", "font_color": GRIS_TEXTE})
        saisie: dict[str, Any] = {**base, "border": 1, "bg_color": JAUNE, "locked": False}
        self.saisie = f({**saisie, "text_wrap": True})
        self.saisie_entier = f({**saisie, "num_format": "0", "align": "left"})
        self.saisie_date = f({**saisie, "num_format": "dd/mm/yyyy", "align": "left"})
        self.cle = f({**base, "bold": True})
        self.valeur = f({**base, "bg_color": JAUNE, "border": 1, "text_wrap": True, "align": "left"})

    def rediger(self) -> None:
        wb = self.wb
        wb.set_custom_property(PROPRIETE_MARQUE, NATURE_MAITRE)
        wb.set_properties(
            {
                "title": "Classeur maître RSE — boutons Valider, Consolider, Générer la synthèse, Retours aux offices, Diagnostic",
                "subject": "Classeur maître de la convention RSE inter-offices",
                "author": "rse-xl",
                "comments": "Classeur maître rse-xl (xlwings autonome)",
                "created": self.conso.genere_le if self.conso else CREE_LE,
            }
        )
        accueil = wb.add_worksheet(ONGLET_ACCUEIL)
        parametres_ws = wb.add_worksheet(ONGLET_PARAMETRES)
        self._accueil(accueil)
        self._parametres(parametres_ws)
        if self.conso is not None:
            remplir_classeur(wb, self.conso, self.dossier, accueil=False)
        self._conf(wb.add_worksheet(ONGLET_CONF))

        wb.set_vba_name(CODE_CLASSEUR)
        feuilles = wb.worksheets()
        codes = noms_de_code([ws.get_name() for ws in feuilles])
        for ws, code in zip(feuilles, codes, strict=True):
            ws.set_vba_name(code)
        projet = build_vba_project(self.modules, workbook_codename=CODE_CLASSEUR, sheet_codenames=codes)
        wb.add_vba_project(io.BytesIO(projet), is_stream=True)  # type: ignore[arg-type]
        accueil.activate()

    # -- Accueil ------------------------------------------------------------------------------------------------

    def _accueil(self, ws: Worksheet) -> None:
        ws.hide_gridlines(2)
        ws.set_column(0, 0, 2)
        ws.set_column(1, 1, 26)
        ws.set_column(2, 2, 2)
        ws.set_column(3, 3, 90)
        ws.set_row(0, 30)
        ws.write_string(0, 1, "Convention RSE inter-offices — classeur maître", self.titre)
        ws.merge_range(1, 1, 1, 3, "", self.sous_titre)
        ws.write_string(
            1,
            1,
            "Contrôle et consolidation des classeurs d'Archipel habitat, Brest métropole habitat et Nantes "
            "Métropole Habitat, sans quitter Excel.",
            self.sous_titre,
        )
        ligne = 3
        for bouton in BOUTONS:
            ws.set_row(ligne, 36)
            ws.insert_button(
                ligne,
                1,
                {
                    "macro": bouton.macro,
                    "caption": bouton.libelle,
                    "width": 180,
                    "height": 40,
                    "x_offset": 2,
                    "y_offset": 4,
                    "description": bouton.aide,
                },
            )
            ws.set_row(ligne + 1, 8)
            ws.write_string(ligne, 3, bouton.aide, self.texte)
            ligne += 2
        ligne += 1
        ws.write_string(ligne, 1, "Mode d'emploi", self.bandeau)
        ws.write_blank(ligne, 2, None, self.bandeau)
        ws.write_blank(ligne, 3, None, self.bandeau)
        etapes = [
            "1. Onglet « Paramètres » : indiquez l'année, puis le dossier des classeurs des offices ou le "
            "fichier de chaque office (cases jaunes).",
            "2. Cliquez « Valider » : les problèmes trouvés (erreurs, avertissements) s'affichent dans l'onglet "
            "« Contrôles », avec un lien vers la cellule en cause. Les classeurs des offices ne sont jamais modifiés.",
            "3. Quand les erreurs sont corrigées par les offices, cliquez « Consolider » : les résultats remplacent "
            "ceux de la fois précédente. Un message donne le nombre d'erreurs et d'avertissements.",
            "4. « Générer la synthèse » écrit en plus le classeur de synthèse à diffuser (voir Paramètres). "
            "Enregistrez le maître si vous voulez garder les résultats affichés.",
            "Premier usage sur un PC : Python et rse-xl doivent être installés, les macros de ce fichier "
            "autorisées, et le chemin de Python indiqué dans l'onglet « xlwings.conf » s'il n'est pas dans le "
            "PATH (voir la documentation, section « Classeur maître »). Cliquez alors « Diagnostic » : chaque "
            "ligne dit OK, ou ce qu'il faut corriger.",
            "Sans Excel, la même chose en ligne de commande : rse-xl valider <dossier> ; rse-xl consolider "
            "<dossier> -o synthese.xlsx.",
        ]
        for texte in etapes:
            ligne += 1
            ws.set_row(ligne, 28)
            ws.merge_range(ligne, 1, ligne, 3, "", self.texte)
            ws.write_string(ligne, 1, texte, self.texte)
        ligne += 2
        apropos = "Macros : module RseXl (rse-xl) et module xlwings autonome"
        if self.version_xlwings:
            apropos += f" {self.version_xlwings} — installez la même version de xlwings dans Python"
        ws.merge_range(ligne, 1, ligne, 3, "", self.sous_titre)
        ws.write_string(ligne, 1, apropos + ".", self.sous_titre)
        _mise_en_page(ws)
        ws.protect(MOT_DE_PASSE_PROTECTION, {"select_locked_cells": True, "select_unlocked_cells": True})

    # -- Paramètres ---------------------------------------------------------------------------------------------

    def _parametres(self, ws: Worksheet) -> None:
        ws.hide_gridlines(2)
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 56)
        ws.set_column(2, 2, 26)
        ws.set_column(3, 3, 80)
        ws.set_row(0, 28)
        ws.write_string(0, 0, "Paramètres", self.titre)
        ws.merge_range(1, 0, 1, 3, "", self.sous_titre)
        ws.set_row(1, 30)
        ws.write_string(
            1,
            0,
            "Renseignez les cases jaunes. Un chemin relatif part du dossier de ce classeur maître ; pour un maître "
            "ouvert depuis SharePoint ou OneDrive sans dossier synchronisé, indiquez des chemins complets. "
            "Chaque case porte un nom (colonne C) que les macros lisent.",
            self.sous_titre,
        )
        valeurs = self._valeurs_initiales()
        ligne = 2
        section = None
        for p in parametres(self.conv):
            if p.section != section:
                section = p.section
                ligne += 1
                for col, titre in enumerate((section, "Valeur", "Nom défini", "Explication")):
                    ws.write_string(ligne, col, titre, self.entete)
            ligne += 1
            ws.set_row(ligne, 30)
            ws.write_string(ligne, 0, p.libelle, self.cadre)
            self._saisie(ws, ligne, p, valeurs.get(p.nom))
            ws.write_string(ligne, 2, p.nom, self.nom)
            ws.write_string(ligne, 3, p.aide, self.cadre)
            self.wb.define_name(p.nom, "=" + reference(ONGLET_PARAMETRES, ligne, 1, absolu=True))
            ws.data_validation(ligne, 1, ligne, 1, self._validation(p))
        _mise_en_page(ws)
        proteger(ws)

    def _valeurs_initiales(self) -> dict[str, Any]:
        """A filled master (rse-xl consolider -o X.xlsm) remembers its year and the files it read."""
        valeurs: dict[str, Any] = {PARAM_EXPORT_CSV: NON}
        if self.conso is None:
            return valeurs
        valeurs[PARAM_ANNEE] = self.conso.annee
        for office in self.conso.offices:
            fichier = self.conso.fichier_de(office.code)
            if fichier is not None:
                valeurs[nom_parametre_fichier(office.code)] = chemin_relatif(fichier.chemin, self.dossier)
        return valeurs

    def _saisie(self, ws: Worksheet, ligne: int, p: Parametre, valeur: Any) -> None:
        fmt: Format = {"annee": self.saisie_entier, "date": self.saisie_date}.get(p.genre, self.saisie)
        if valeur is None:
            ws.write_blank(ligne, 1, None, fmt)
        elif isinstance(valeur, int):
            ws.write_number(ligne, 1, valeur, fmt)
        else:
            ws.write_string(ligne, 1, str(valeur), fmt)

    def _validation(self, p: Parametre) -> dict[str, Any]:
        titre = p.libelle[:32]
        aide = p.aide if len(p.aide) <= 255 else p.aide[:254] + "…"
        commun = {"input_title": titre, "input_message": aide, "error_title": "Valeur non prévue"}
        if p.genre == "annee":
            annees = [str(a) for a in self.conv.periode]
            return {
                **commun,
                "validate": "list",
                "source": annees,
                "error_message": f"Choisissez une année de la convention : {', '.join(annees)} (ou laissez vide).",
            }
        if p.genre == "date":
            debut, fin = self.conv.periode[0] - 1, self.conv.periode[-1] + 1
            return {
                **commun,
                "validate": "date",
                "criteria": "between",
                "minimum": dt.date(debut, 1, 1),
                "maximum": dt.date(fin, 12, 31),
                "error_message": f"Saisissez une date au format jj/mm/aaaa, entre {debut} et {fin} (ou laissez vide).",
            }
        if p.genre == "oui_non":
            return {
                **commun,
                "validate": "list",
                "source": [OUI, NON],
                "error_message": "Choisissez « oui » ou « non » dans la liste.",
            }
        return {
            **commun,
            "validate": "length",
            "criteria": "<=",
            "value": 1000,
            "error_message": "Chemin trop long : 1 000 caractères au plus. Sans guillemets ni formule.",
        }

    # -- xlwings.conf -------------------------------------------------------------------------------------------

    def _conf(self, ws: Worksheet) -> None:
        # xlwings.bas reads keys from A1 down to the first empty cell, values in column B: no title row,
        # no blank row inside the block. Column C and D are for people only.
        ws.set_tab_color("#7F7F7F")
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 50)
        ws.set_column(2, 2, 70)
        ws.set_column(3, 3, 2)
        ws.set_column(4, 4, 80)
        for ligne, (cle, valeur, aide) in enumerate(reglages_xlwings(self.interpreter)):
            ws.set_row(ligne, 40)
            ws.write_string(ligne, 0, cle, self.cle)
            if valeur in BOOLEENS_XLWINGS:
                ws.write_string(ligne, 1, valeur, self.valeur)
                ws.data_validation(
                    ligne,
                    1,
                    ligne,
                    1,
                    {
                        "validate": "list",
                        "source": list(BOOLEENS_XLWINGS),
                        "error_title": "xlwings.conf",
                        "error_message": "Choisissez False ou True (en anglais) : xlwings lit ce texte.",
                    },
                )
            elif valeur:
                ws.write_string(ligne, 1, valeur, self.valeur)
            else:
                ws.write_blank(ligne, 1, None, self.valeur)
            ws.write_string(ligne, 2, aide, self.sous_titre)
        notes = [
            "Réglages de xlwings pour ce classeur (mode autonome, sans complément).",
            "xlwings lit les clés de la colonne A depuis A1 jusqu'à la première case vide, et leur valeur en "
            "colonne B : n'insérez pas de ligne vide, ne mettez pas de guillemets, ne renommez pas l'onglet.",
            "Chemin de Python propre à chaque PC : laissez Interpreter_Win vide si « python » est dans le PATH, "
            "ou utilisez une variable (%LOCALAPPDATA%, %USERPROFILE%) pour qu'un même chemin vaille sur tous les PC.",
            "Pour régénérer ce classeur avec un autre chemin : rse-xl maitre --interpreter CHEMIN.",
        ]
        for ligne, note in enumerate(notes):
            ws.write_string(ligne, 4, note, self.sous_titre if ligne else self.gras)
        _mise_en_page(ws)


def _mise_en_page(ws: Worksheet) -> None:
    """A4 landscape, one page wide: the sheets print as they show."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)

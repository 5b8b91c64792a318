"""Build an office workbook (classeur d'office) from the référentiel, blank or filled, with XlsxWriter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rse_xl import __version__
from rse_xl.cellules import a1, colonne_lettres, nom_onglet, reference
from rse_xl.errors import EntreeError
from rse_xl.fichiers import NATURE_OFFICE, PROPRIETE_MARQUE, ecriture_atomique
from rse_xl.layout import (
    CHAMP_CALCULE,
    DATE_MAX,
    DATE_MIN,
    ETATS_ETAPE,
    ETATS_SAISIE,
    IDENTITE,
    MODELE_IDENTIFIANT,
    MODELE_VERSION,
    MOT_DE_PASSE_PROTECTION,
    NOM_MODELE_IDENTIFIANT,
    NOM_MODELE_VERSION,
    NOM_OFFICE_CODE,
    NOM_OUTIL_VERSION,
    NOM_REFERENTIEL_EMPREINTE,
    NOM_SEUIL_MARCHES,
    ONGLET_IDENTITE,
    ONGLET_LISEZ_MOI,
    ONGLET_LISTES,
    ONGLET_TECHNIQUE,
    REGISTRES,
    TYPES_AVEC_RATIO,
    Champ,
    Colonne,
    SpecRegistre,
    TypeColonne,
    champs_action,
    nom_defini,
)
from rse_xl.referentiel import (
    ANNEES,
    Action,
    Convention,
    Fiche,
    Mesure,
    Office,
    Registre,
    Sens,
    TypeIndicateur,
    empreinte_referentiel,
    referentiel,
)
from rse_xl.regles import regle_de
from rse_xl.tolerances import concordent, tolerance_xl
from rse_xl.xlsx import ecrire_valeur, proteger

# Columns of a fiche sheet (0-based).
COL_ANNEE, COL_ETAPE_TEXTE, COL_ETAPE = 0, 1, 2
COL_CIBLE_TEXTE, COL_CIBLE, COL_REALISE = 3, 4, 5
COL_NUM, COL_DEN, COL_CALCULE, COL_CONTROLE, COL_ATTEINTE = 6, 7, 8, 9, 10
COL_COMMENTAIRE, COL_JUSTIFICATIF = 11, 12
DERNIERE_COL = COL_JUSTIFICATIF
COLONNES_CHAMPS = {
    Champ.ETAPE: COL_ETAPE,
    Champ.CIBLE: COL_CIBLE,
    Champ.REALISE: COL_REALISE,
    Champ.NUMERATEUR: COL_NUM,
    Champ.DENOMINATEUR: COL_DEN,
    Champ.COMMENTAIRE: COL_COMMENTAIRE,
    Champ.JUSTIFICATIF: COL_JUSTIFICATIF,
}
ENTETES_FICHE = (
    ("Année", 8),
    ("Étape prévue au calendrier", 38),
    ("État de l'étape", 14),
    ("Objectif-cible de la convention", 30),
    ("Objectif-cible de l'office", 14),
    ("Réalisé", 13),
    ("Numérateur", 12),
    ("Dénominateur", 12),
    ("Selon les registres", 13),
    ("Contrôle", 13),
    ("Atteinte", 10),
    ("Commentaire", 38),
    ("Justificatif (lien)", 30),
)

JAUNE = "#FFF2CC"
GRIS = "#EDEDED"
BLEU = "#1F4E79"
BLEU_CLAIR = "#DDEBF7"
VERT = "#E2EFDA"


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


def trouver_office(convention: Convention, nom_ou_code: str) -> Office:
    """The office named (or coded) so, whatever the case and spacing."""
    cle = " ".join(nom_ou_code.split()).casefold()
    for office in convention.offices:
        if cle in (office.nom.casefold(), office.code.casefold()):
            return office
    noms = ", ".join(f"« {o.nom} » ({o.code})" for o in convention.offices)
    raise EntreeError(f"Office inconnu : « {nom_ou_code} ». Offices de la convention : {noms}.")


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


def ecrire_classeur(
    chemin: Path,
    office: Office,
    saisie: Saisie | None = None,
    convention: Convention | None = None,
    *,
    ecraser: bool = False,
) -> Plan:
    """Write one office's workbook (blank, or filled from ``saisie``) atomically; return its plan.

    An existing file is replaced only if it is a workbook rse-xl wrote that nobody saved since (or with
    ``ecraser``); an office's filled workbook never is (``fichiers.verifier_cible``).
    """
    chemin = Path(chemin)
    if chemin.suffix.lower() != ".xlsx":
        raise EntreeError(
            f"« {chemin.name} » : le classeur d'office s'écrit en .xlsx (par exemple RSE_BMH.xlsx)."
        )
    convention = convention or referentiel()
    with ecriture_atomique(chemin, nature=NATURE_OFFICE, ecraser=ecraser) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                # Office text is data, never a formula or a link (DESIGN: what must never happen).
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        plan = _Constructeur(wb, office, saisie or Saisie(), convention).construire()
        wb.close()
    return plan


class _Constructeur:
    def __init__(self, wb: Workbook, office: Office, saisie: Saisie, convention: Convention) -> None:
        self.wb = wb
        self.office = office
        self.saisie = saisie
        self.conv = convention
        self.st = _Styles(wb)
        self.plan = Plan()

    # -- helpers --------------------------------------------------------------------------------------------

    def _nommer(self, ws: Worksheet, nom: str, ligne: int, col: int) -> None:
        self.wb.define_name(nom, "=" + reference(ws.get_name(), ligne, col, absolu=True))
        self.plan.cellules[nom] = (ws.get_name(), ligne, col)

    def _ecrire_valeur(self, ws: Worksheet, ligne: int, col: int, valeur: Any, fmt: Format) -> None:
        """Write a Python value as the matching Excel type (text stays text); a Formule as a formula."""
        if isinstance(valeur, Formule):
            ws.write_formula(ligne, col, valeur.texte, fmt, valeur.resultat)
        else:
            ecrire_valeur(ws, ligne, col, valeur, fmt)

    def _mise_en_page(self, ws: Worksheet, repeter: int | None = None) -> None:
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(0.4, 0.4, 0.6, 0.6)
        ws.set_header(f"&L&8{self.office.nom}&R&8&A")
        ws.set_footer("&L&8Convention RSE inter-offices 2025-2027&R&8Page &P / &N")
        if repeter is not None:
            ws.repeat_rows(repeter)

    # -- workbook -------------------------------------------------------------------------------------------

    def construire(self) -> Plan:
        self.wb.set_custom_property(PROPRIETE_MARQUE, NATURE_OFFICE)
        self.wb.set_properties(
            {
                "title": f"Suivi RSE 2025-2027 — {self.office.nom}",
                "subject": "Classeur d'office de la convention RSE inter-offices",
                "author": "rse-xl",
                "comments": f"{MODELE_IDENTIFIANT} v{MODELE_VERSION}",
                "created": dt.datetime(2025, 1, 1),  # fixed: same inputs give the same bytes
            }
        )
        self._lisez_moi()
        self._identite()
        for fiche in self.conv.fiches:
            self._fiche(fiche)
        for spec in REGISTRES.values():
            self._registre(spec)
        self._listes()
        self._technique()
        self.wb.worksheets()[0].activate()
        return self.plan

    def _lisez_moi(self) -> None:
        ws = self.wb.add_worksheet(ONGLET_LISEZ_MOI)
        ws.hide_gridlines(2)
        ws.set_column(0, 0, 3)
        ws.set_column(1, 1, 110)
        st = self.st
        ws.set_row(0, 28)
        ws.write_string(0, 1, f"Suivi de la convention RSE 2025-2027 — {self.office.nom}", st.titre)
        lignes: list[tuple[str, Format]] = [
            (
                "Ce classeur sert à suivre les 16 fiches action de la convention RSE signée par Archipel habitat, "
                "Brest métropole habitat et Nantes Métropole Habitat. Il est lu par l'outil rse-xl du coordinateur, "
                "qui contrôle les saisies, consolide les trois offices et produit la synthèse.",
                st.texte,
            ),
            ("", st.texte),
            ("Comment remplir ce classeur", st.gras),
            (
                "1. Onglet « Identité » : choisissez votre office, indiquez le référent, son e-mail et l'état de la "
                "saisie (Brouillon pendant le travail, Soumis quand c'est prêt).",
                st.texte,
            ),
            (
                "2. Registres (onglets « Marchés », « Opérations », « Véhicules », « Équipements numériques », "
                "« Journal des actions », « Matériaux réemploi », « Données annuelles ») : une ligne par fait. "
                "Les indicateurs en sont déduits : saisissez les faits une fois, pas les totaux. Écrivez dans les "
                "lignes du tableau : une ligne écrite sous le tableau n'est pas comptée (agrandissez le tableau).",
                st.texte,
            ),
            (
                "3. Un onglet par fiche (F01 … F16) : pour chaque action et chaque année, l'état de l'étape du "
                "calendrier, votre objectif-cible quand la convention le laisse à l'office, le réalisé, un "
                "commentaire et un lien vers un justificatif.",
                st.texte,
            ),
            (
                "4. La colonne verte « Selon les registres » se calcule toute seule à partir des registres. La colonne "
                "« Contrôle » signale un écart entre votre réalisé et les registres : corrigez l'un ou l'autre. Un "
                "registre ne fait foi pour une année que s'il a au moins une ligne datée de cette année (une date, "
                "ou l'année dans « Données annuelles » ; pour les véhicules, les équipements et les opérations, une "
                "ligne en service ou en chantier dans l'année) : sinon, c'est votre réalisé saisi qui est retenu.",
                st.texte,
            ),
            ("", st.texte),
            ("Règles de saisie", st.gras),
            (
                "• Cellules jaunes : à saisir. Cellules grises ou vertes : protégées (calculées ou issues de la "
                "convention). Les listes déroulantes proposent les seules valeurs acceptées.",
                st.texte,
            ),
            (
                "• Nombres : 12,5 ou 1 234 ; taux : 45 % ; dates : jj/mm/aaaa. Un objectif fixé par la convention est "
                "déjà rempli et verrouillé.",
                st.texte,
            ),
            (
                "• Une étape « Réalisé » doit avoir un justificatif (lien vers le document, la page intranet, la photo…).",
                st.texte,
            ),
            (
                "• Une action menée avec les autres offices (ateliers 16.1, expérimentations 16.2…) porte dans le "
                "Journal le même « Identifiant commun » dans les trois classeurs : elle ne sera comptée qu'une fois.",
                st.texte,
            ),
            (
                "• Ne renommez ni ne supprimez les onglets, les tableaux ou les en-têtes de colonnes : l'outil les "
                "retrouve par leur nom. Les registres ont des lignes vides prêtes ; pour en ajouter, insérez des lignes "
                "à l'intérieur du tableau.",
                st.texte,
            ),
            (
                f"• Protection : les onglets sont protégés sans secret, mot de passe « {MOT_DE_PASSE_PROTECTION} », "
                "pour éviter les modifications involontaires de la structure.",
                st.texte,
            ),
            ("", st.texte),
            ("Calendrier de la campagne", st.gras),
        ]
        for annee in ANNEES:
            lignes.append(
                (
                    f"• {annee} : objectifs-cibles {annee} saisis avant le 31/03/{annee} ; point d'étape au "
                    f"30/09/{annee} ; réalisés {annee} saisis et classeur « Soumis » avant le 31/01/{annee + 1} ; "
                    f"consolidation et comité de suivi en février {annee + 1}.",
                    st.texte,
                )
            )
        lignes += [
            ("", st.texte),
            ("Légende des couleurs", st.gras),
        ]
        ligne = 2
        for texte, fmt in lignes:
            ws.write_string(ligne, 1, texte, fmt)
            ligne += 1
        for texte, fmt in (
            ("Cellule à saisir", self.st.saisie),
            ("Valeur calculée depuis les registres", self.st.calcule),
            ("Texte de la convention ou valeur verrouillée", self.st.fige),
        ):
            ws.write_string(ligne, 1, texte, fmt)
            ligne += 1
        self._mise_en_page(ws)
        ws.protect(MOT_DE_PASSE_PROTECTION)

    def _identite(self) -> None:
        ws = self.wb.add_worksheet(ONGLET_IDENTITE)
        st = self.st
        ws.hide_gridlines(2)
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 40)
        ws.set_column(2, 2, 60)
        ws.write_string(0, 0, "Identité du classeur", st.titre)
        ws.set_row(0, 26)
        ws.write_string(2, 0, "Champ", st.entete)
        ws.write_string(2, 1, "Valeur", st.entete)
        ws.write_string(2, 2, "Aide", st.entete)
        for i, champ in enumerate(IDENTITE):
            ligne = 3 + i
            ws.write_string(ligne, 0, champ.libelle + (" *" if champ.requis else ""), st.gras)
            ws.write_string(ligne, 2, champ.aide, st.sous_titre)
            defaut: Any = self.office.nom if champ.nom == "ID_OFFICE" else None
            if champ.nom == "ID_ETAT":
                defaut = "Brouillon"
            valeur = self.saisie.valeurs.get(champ.nom, defaut)
            fmt = st.saisie_date if champ.nom == "ID_DATE" else st.saisie
            self._ecrire_valeur(ws, ligne, 1, valeur, fmt)
            self._nommer(ws, champ.nom, ligne, 1)
            cellule = a1(ligne, 1)
            if champ.nom == "ID_OFFICE":
                ws.data_validation(cellule, self._validation_liste("LISTE_OFFICES", "l'office"))
            elif champ.nom == "ID_ETAT":
                ws.data_validation(
                    cellule, self._validation_liste_inline(ETATS_SAISIE, "l'état de la saisie")
                )
            elif champ.nom == "ID_DATE":
                ws.data_validation(cellule, self._validation_date())
            elif champ.nom == "ID_EMAIL":
                ws.data_validation(
                    cellule,
                    {
                        "validate": "custom",
                        "value": f'=ISNUMBER(SEARCH("@",{cellule}))',
                        "error_title": "Adresse e-mail",
                        "error_message": "Saisissez une adresse e-mail complète, par exemple prenom.nom@office.fr.",
                        "input_title": "E-mail",
                        "input_message": "Adresse e-mail du référent.",
                    },
                )
        ligne = 4 + len(IDENTITE)
        ws.write_string(ligne, 0, "* champ obligatoire", st.sous_titre)
        ws.write_string(ligne + 1, 0, "Convention", st.gras)
        ws.write_string(ligne + 1, 1, self.conv.titre, st.fige)
        ws.write_string(ligne + 2, 0, "Modèle", st.gras)
        ws.write_string(
            ligne + 2, 1, f"{MODELE_IDENTIFIANT} version {MODELE_VERSION} (rse-xl {__version__})", st.fige
        )
        ws.freeze_panes(3, 0)
        self._mise_en_page(ws)
        proteger(ws, tri=True)

    # -- fiche sheets ---------------------------------------------------------------------------------------

    def _fiche(self, fiche: Fiche) -> None:
        ws = self.wb.add_worksheet(fiche.onglet)
        st = self.st
        ws.hide_gridlines(2)
        for col, (_, largeur) in enumerate(ENTETES_FICHE):
            ws.set_column(col, col, largeur)
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, DERNIERE_COL, f"Fiche action n°{fiche.numero} — {fiche.titre}", st.titre)
        objectifs = "Objectifs : " + " • ".join(fiche.objectifs)
        ws.set_row(1, 15 * max(2, 1 + len(objectifs) // 180))
        ws.merge_range(1, 0, 1, DERNIERE_COL, objectifs, st.sous_titre)
        ws.merge_range(
            2,
            0,
            2,
            DERNIERE_COL,
            "Cellules jaunes : à saisir. Colonne verte : calculée depuis les registres. "
            "« Contrôle » compare votre réalisé aux registres ; « Atteinte » = réalisé / objectif-cible.",
            st.info,
        )
        ws.freeze_panes(1, 1)
        ligne = 4
        for action in fiche.actions:
            ligne = self._bloc_action(ws, action, ligne) + 1
        self._mise_en_page(ws, repeter=0)
        proteger(ws, tri=True)

    def _bloc_action(self, ws: Worksheet, action: Action, ligne: int) -> int:
        st = self.st
        ind = action.indicateur
        ws.set_row(ligne, 20)
        ws.merge_range(ligne, 0, ligne, DERNIERE_COL, f"{action.code} — {action.titre}", st.bandeau)
        pilotes = "Pilote(s) : " + " ; ".join(action.pilotes) if action.pilotes else "Pilote(s) : —"
        ws.merge_range(ligne + 1, 0, ligne + 1, 5, pilotes, st.texte)
        ws.merge_range(ligne + 1, 6, ligne + 1, DERNIERE_COL, "Source : " + ind.source.description, st.texte)
        sens = "à la baisse" if ind.sens is Sens.BAISSE else "à la hausse"
        texte_ind = f"Indicateur : {ind.libelle} (unité : {ind.unite} ; sens : {sens})"
        if ind.precision:
            texte_ind = f"{ind.precision} — {texte_ind}"
        ws.set_row(ligne + 2, 28)
        ws.merge_range(ligne + 2, 0, ligne + 2, DERNIERE_COL, texte_ind, st.gras)
        entete = ligne + 3
        ws.set_row(entete, 30)
        for col, (titre, _) in enumerate(ENTETES_FICHE):
            ws.write_string(entete, col, titre, st.entete)
        champs = champs_action(action)
        pct = ind.type in TYPES_AVEC_RATIO
        for k, annee in enumerate(ANNEES):
            r = entete + 1 + k
            ws.set_row(r, 42)
            cible = ind.cibles[annee]
            ws.write_number(r, COL_ANNEE, annee, st.annee)
            ws.write_string(r, COL_ETAPE_TEXTE, action.calendrier[annee], st.fige)
            ws.write_string(r, COL_CIBLE_TEXTE, cible.texte, st.fige)
            for champ in Champ:
                col = COLONNES_CHAMPS[champ]
                nom = nom_defini(action, annee, champ)
                if champ not in champs:
                    ws.write_blank(r, col, None, st.fige)
                    continue
                fmt, validation = self._format_champ(action, annee, champ, pct)
                valeur = self.saisie.valeurs.get(nom)
                if champ is Champ.CIBLE and cible.valeur_fixe is not None:
                    # Fixed by the convention: prefilled and locked.
                    ws.write_number(r, col, cible.valeur_fixe, st.fige_pct if pct else st.fige_nombre)
                elif champ is Champ.CIBLE and cible.mesure is Mesure.JALON:
                    ws.write_string(r, col, "Jalon", st.fige)
                else:
                    self._ecrire_valeur(ws, r, col, valeur, fmt)
                    if validation:
                        ws.data_validation(r, col, r, col, validation)
                self._nommer(ws, nom, r, col)
            self._formules(ws, action, annee, r, entete + 1, pct)
        return entete + 1 + len(ANNEES)

    def _format_champ(
        self, action: Action, annee: int, champ: Champ, pct: bool
    ) -> tuple[Format, dict[str, Any] | None]:
        st = self.st
        kind = action.indicateur.type
        if champ is Champ.ETAPE:
            return st.saisie, self._validation_liste_inline(ETATS_ETAPE, "l'état de l'étape")
        if champ is Champ.COMMENTAIRE:
            return st.saisie, {
                "validate": "length",
                "criteria": "<=",
                "value": 2000,
                "error_message": "Commentaire trop long : 2 000 caractères au plus.",
            }
        if champ is Champ.JUSTIFICATIF:
            return st.saisie_lien, None
        if champ in (Champ.NUMERATEUR, Champ.DENOMINATEUR):
            entier = kind is TypeIndicateur.TAUX
            return (st.saisie_entier if entier else st.saisie_nombre), self._validation_nombre(entier, None)
        # CIBLE / REALISE
        if pct:
            return st.saisie_pct, self._validation_nombre(False, 1.0)
        entier = kind in (
            TypeIndicateur.COMPTAGE,
            TypeIndicateur.COMPTAGE_COMMUN,
            TypeIndicateur.ENSEMBLE_DISTINCT,
            TypeIndicateur.COMPARAISON_DPE,
        )
        return (st.saisie_entier if entier else st.saisie_nombre), self._validation_nombre(entier, None)

    def _formules(self, ws: Worksheet, action: Action, annee: int, r: int, premiere: int, pct: bool) -> None:
        """Live feedback: the register-derived value, the check against the typed one, the achievement.

        Each formula is written with the result Python computes from the same inputs as its cached value, so
        that a client which does not recalculate on opening (a file preview, LibreOffice by default) shows
        the right figures too. Those cached results are never read back.
        """
        st = self.st
        kind = action.indicateur.type
        realise, cible, calcule = a1(r, COL_REALISE), a1(r, COL_CIBLE), a1(r, COL_CALCULE)
        regle = regle_de(action)
        v_realise = _nombre(self.saisie.valeurs.get(nom_defini(action, annee, Champ.REALISE)))
        v_cible = action.indicateur.cibles[annee].valeur_fixe
        if v_cible is None:
            v_cible = _nombre(self.saisie.valeurs.get(nom_defini(action, annee, Champ.CIBLE)))
        v_calcule: float | None = None
        utilise = False
        if regle is not None:
            lignes = self.saisie.registres.get(regle.registre, ())
            utilise = bool(lignes)
            v_calcule = regle.calculer(lignes, action, annee, self.conv.parametres).valeur
            nom = nom_defini(action, annee, CHAMP_CALCULE)
            fmt = st.calcule_pct if pct else st.calcule
            if nom in self.saisie.valeurs:  # what a user who typed over the formula leaves behind
                self._ecrire_valeur(ws, r, COL_CALCULE, self.saisie.valeurs[nom], fmt)
            else:
                ws.write_formula(r, COL_CALCULE, "=" + regle.formule(action, annee), fmt, _cache(v_calcule))
            self._nommer(ws, nom, r, COL_CALCULE)
            tol = tolerance_xl(action, calcule)
            controle = ""
            if v_realise is not None and v_calcule is not None:
                controle = "OK" if concordent(action, v_realise, v_calcule) else "≠ registres"
            ws.write_formula(
                r,
                COL_CONTROLE,
                f'=IF(OR({realise}="",{calcule}=""),"",IF(ABS({realise}-{calcule})<={tol},"OK","≠ registres"))',
                st.calcule_texte,
                controle,
            )
        elif kind in TYPES_AVEC_RATIO:
            num, den = a1(r, COL_NUM), a1(r, COL_DEN)
            ws.write_formula(
                r, COL_CALCULE, f'=IF(OR({num}="",{den}="",{den}=0),"",{num}/{den})', st.calcule_pct, ""
            )
        else:
            ws.write_blank(r, COL_CALCULE, None, st.fige)
        if kind is TypeIndicateur.JALON:
            ws.write_blank(r, COL_CONTROLE, None, st.fige)
            ws.write_blank(r, COL_ATTEINTE, None, st.fige)
            return
        if regle is None:
            ws.write_blank(r, COL_CONTROLE, None, st.fige)
        # The value judged is the registers' when the register is kept, else the typed one: the consolidation's
        # choice (DESIGN.md), so that staff see the status the coordinator will see.
        if regle is not None:
            tenu = f"COUNTA({REGISTRES[regle.registre].ref(REGISTRES[regle.registre].colonnes[0].cle)})>0"
            valeur = f'IF(AND({tenu},{calcule}<>""),{calcule},{realise})'
            v_valeur = v_calcule if utilise and v_calcule is not None else v_realise
        else:
            valeur, v_valeur = realise, v_realise
        reference = None
        if kind is TypeIndicateur.PART_REFERENCE:
            base = a1(premiere, COL_REALISE, absolu=True)
            base_calc = a1(premiere, COL_CALCULE, absolu=True)
            ref = f'IF({base_calc}<>"",{base_calc},{base})'
            formule = (
                f'=IFERROR(IF(OR({cible}="",{valeur}="",{ref}=""),"",(({ref}-{valeur})/{ref})/{cible}),"")'
            )
            reference = self._reference_12_2(action)
        elif action.indicateur.sens is Sens.BAISSE:
            formule = f'=IFERROR(IF(OR({cible}="",{valeur}="",{valeur}=0),"",{cible}/{valeur}),"")'
        else:
            formule = f'=IFERROR(IF(OR({cible}="",{valeur}="",{cible}=0),"",{valeur}/{cible}),"")'
        ws.write_formula(
            r,
            COL_ATTEINTE,
            formule,
            st.calcule_pct,
            _cache(_atteinte_cache(action, v_cible, v_valeur, reference)),
        )

    def _reference_12_2(self, action: Action) -> float | None:
        """Baseline share of 12.2 as the Atteinte formula sees it (registers first, else typed)."""
        annee = self.conv.parametres.annee_reference
        regle = regle_de(action)
        if regle is not None:
            lignes = self.saisie.registres.get(regle.registre, ())
            v = regle.calculer(lignes, action, annee, self.conv.parametres).valeur
            if v is not None:
                return v
        return _nombre(self.saisie.valeurs.get(nom_defini(action, annee, Champ.REALISE)))

    # -- validations ----------------------------------------------------------------------------------------

    def _validation_liste_inline(self, valeurs: Sequence[str], quoi: str) -> dict[str, Any]:
        return {
            "validate": "list",
            "source": list(valeurs),
            "error_title": "Valeur non prévue",
            "error_message": f"Choisissez {quoi} dans la liste : {', '.join(valeurs)}.",
        }

    def _validation_liste(self, nom_liste: str, quoi: str, stricte: bool = True) -> dict[str, Any]:
        v: dict[str, Any] = {
            "validate": "list",
            "source": f"={nom_liste}",
            "error_title": "Valeur non prévue",
            "error_message": f"Choisissez {quoi} dans la liste déroulante.",
        }
        if not stricte:
            v["error_type"] = "information"
            v["error_message"] = f"Cette valeur n'est pas dans la liste proposée pour {quoi}. La garder ?"
        return v

    def _validation_nombre(self, entier: bool, maximum: float | None) -> dict[str, Any]:
        if maximum is not None:
            return {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": maximum,
                "error_title": "Taux attendu",
                "error_message": "Saisissez un taux entre 0 % et 100 %, par exemple 45 %.",
            }
        return {
            "validate": "integer" if entier else "decimal",
            "criteria": ">=",
            "value": 0,
            "error_title": "Nombre attendu",
            "error_message": (
                "Saisissez un nombre entier positif ou nul, par exemple 12."
                if entier
                else "Saisissez un nombre positif ou nul, par exemple 12,5."
            ),
        }

    def _validation_date(self, debut: int = 2024, fin: int = 2028) -> dict[str, Any]:
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(debut, 1, 1),
            "maximum": dt.date(fin, 12, 31),
            "error_title": "Date attendue",
            "error_message": f"Saisissez une date au format jj/mm/aaaa, entre {debut} et {fin}.",
        }

    # -- registers ------------------------------------------------------------------------------------------

    def _registre(self, spec: SpecRegistre) -> None:
        ws = self.wb.add_worksheet(spec.onglet)
        st = self.st
        ws.write_string(0, 0, spec.titre, st.titre)
        ws.set_row(0, 26)
        ws.write_string(1, 0, spec.aide, st.sous_titre)
        debut = 3  # header row of the table
        lignes = list(self.saisie.registres.get(spec.registre, ()))
        if spec.lignes_fixes:
            par_annee = {r.get("annee"): r for r in lignes}
            lignes = [{**par_annee.get(a, {}), "annee": a} for a in spec.lignes_fixes]
            n = len(lignes)
        else:
            n = len(lignes) + spec.lignes_vides
        n = max(n, 1)
        colonnes = []
        for j, col in enumerate(spec.colonnes):
            fmt = self._format_colonne(col)
            if spec.lignes_fixes and col.cle == "annee":
                fmt = st.fige
            colonnes.append({"header": col.entete, "format": fmt, "header_format": st.entete})
            ws.set_column(j, j, col.largeur, fmt)
        ws.add_table(
            debut,
            0,
            debut + n,
            len(spec.colonnes) - 1,
            {"name": spec.table, "columns": colonnes, "style": "Table Style Light 9", "autofilter": True},
        )
        for i, ligne in enumerate(lignes):
            for j, col in enumerate(spec.colonnes):
                valeur = ligne.get(col.cle)
                fmt = st.fige if spec.lignes_fixes and col.cle == "annee" else self._format_colonne(col)
                self._ecrire_valeur(ws, debut + 1 + i, j, valeur, fmt)
        for i, ligne in enumerate(self.saisie.sous_tableaux.get(spec.registre, ())):
            for j, col in enumerate(spec.colonnes):
                self._ecrire_valeur(ws, debut + n + 1 + i, j, ligne.get(col.cle), self._format_colonne(col))
        for j, col in enumerate(spec.colonnes):
            if spec.lignes_fixes and col.cle == "annee":
                continue
            validation = self._validation_colonne(col)
            if validation:
                validation.setdefault("input_title", col.entete[:32])
                if col.aide:
                    validation.setdefault("input_message", col.aide[:255])
                ws.data_validation(debut + 1, j, debut + n, j, validation)
        ws.freeze_panes(debut + 1, 1)
        self._mise_en_page(ws, repeter=debut)
        proteger(ws, tri=True, lignes=True)

    def _format_colonne(self, col: Colonne) -> Format:
        st = self.st
        return {
            TypeColonne.DATE: st.saisie_date,
            TypeColonne.ENTIER: st.saisie_entier,
            TypeColonne.DECIMAL: st.saisie_nombre,
            TypeColonne.MONTANT: st.saisie_montant,
            TypeColonne.LIEN: st.saisie_lien,
            TypeColonne.ANNEE: st.saisie_entier,
        }.get(col.type, st.saisie)

    def _validation_colonne(self, col: Colonne) -> dict[str, Any] | None:
        t = col.type
        if t is TypeColonne.DATE:
            # Registers hold older facts too (a vehicle bought in 2016, a computer in service since 2019).
            return self._validation_date(DATE_MIN.year, DATE_MAX.year)
        if t in (TypeColonne.ENTIER, TypeColonne.DECIMAL, TypeColonne.MONTANT):
            return self._validation_nombre(t is TypeColonne.ENTIER, None)
        if t is TypeColonne.ANNEE:
            return {
                "validate": "integer",
                "criteria": "between",
                "minimum": ANNEES[0],
                "maximum": ANNEES[-1],
                "error_title": "Année attendue",
                "error_message": f"Saisissez une année de la convention : {', '.join(map(str, ANNEES))}.",
            }
        if t is TypeColonne.CODE_ACTION:
            return self._validation_liste("LISTE_ACTIONS", "le code de l'action (F01.A1 … F16.A2)")
        if t is TypeColonne.SUGGESTION:
            return self._validation_liste(_nom_liste(col), col.entete.lower(), stricte=False)
        if t in (TypeColonne.LISTE, TypeColonne.OUI_NON):
            if sum(len(v) + 1 for v in col.valeurs) < 250:
                return self._validation_liste_inline(col.valeurs, col.entete.lower())
            return self._validation_liste(_nom_liste(col), col.entete.lower())
        return None

    # -- hidden sheets --------------------------------------------------------------------------------------

    def _listes(self) -> None:
        ws = self.wb.add_worksheet(ONGLET_LISTES)
        listes: dict[str, Sequence[str]] = {
            "LISTE_OFFICES": [o.nom for o in self.conv.offices],
            "LISTE_ACTIONS": [a.code for f in self.conv.fiches for a in f.actions],
        }
        for spec in REGISTRES.values():
            for col in spec.colonnes:
                if col.valeurs and (
                    col.type is TypeColonne.SUGGESTION or sum(len(v) + 1 for v in col.valeurs) >= 250
                ):
                    listes[_nom_liste(col)] = col.valeurs
        for j, (nom, valeurs) in enumerate(listes.items()):
            ws.write_string(0, j, nom)
            for i, v in enumerate(valeurs):
                ws.write_string(1 + i, j, v)
            lettre = colonne_lettres(j)
            self.wb.define_name(nom, f"={nom_onglet(ONGLET_LISTES)}!${lettre}$2:${lettre}${1 + len(valeurs)}")
        ws.very_hidden()
        ws.protect(MOT_DE_PASSE_PROTECTION)

    def _technique(self) -> None:
        ws = self.wb.add_worksheet(ONGLET_TECHNIQUE)
        ws.set_column(0, 1, 40)
        valeurs: list[tuple[str, str, Any]] = [
            (NOM_MODELE_IDENTIFIANT, "Identifiant du modèle", MODELE_IDENTIFIANT),
            (NOM_MODELE_VERSION, "Version du modèle", MODELE_VERSION),
            (NOM_REFERENTIEL_EMPREINTE, "Empreinte SHA-256 du référentiel", empreinte_referentiel()),
            (NOM_OUTIL_VERSION, "Version de rse-xl", __version__),
            (NOM_OFFICE_CODE, "Code de l'office", self.office.code),
            (
                NOM_SEUIL_MARCHES,
                "Seuil des marchés (€ HT) pour 3.3 et 14.1",
                self.conv.parametres.seuil_marches_ht,
            ),
        ]
        for i, (nom, libelle, valeur) in enumerate(valeurs):
            ws.write_string(i, 0, libelle)
            self._ecrire_valeur(ws, i, 1, self.saisie.valeurs.get(nom, valeur), self.st.cache)
            self._nommer(ws, nom, i, 1)
        ws.very_hidden()
        ws.protect(MOT_DE_PASSE_PROTECTION)


def _nom_liste(col: Colonne) -> str:
    return "LISTE_" + col.cle.upper()


def _nombre(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _cache(v: float | None) -> float | str:
    """Cached result of a formula: the number, or the empty text the formula shows when it has none."""
    return "" if v is None else v


def _atteinte_cache(
    action: Action, cible: float | None, valeur: float | None, reference: float | None
) -> float | None:
    """What the Atteinte formula computes (same arithmetic as rse_xl.indicateurs.atteinte, with Excel's blanks)."""
    if cible is None or valeur is None:
        return None
    if action.indicateur.type is TypeIndicateur.PART_REFERENCE:
        return None if not reference or not cible else ((reference - valeur) / reference) / cible
    if action.indicateur.sens is Sens.BAISSE:
        return None if valeur == 0 else cible / valeur
    return None if cible == 0 else valeur / cible


def nom_fichier_modele(office: Office) -> str:
    """``RSE_2025-2027_BMH.xlsx``: the file name of an office's workbook."""
    return f"RSE_2025-2027_{office.code}.xlsx"

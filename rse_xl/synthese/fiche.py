"""The fiche sheets (F01–F16): per fiche, an overview of the chosen year, then one block per action.

A block holds the action's indicator and calendar, its figures for every year × (offices + together) with
« ↗ » links to the office cells they were read from, and the follow-up table (steps, comments, evidence,
remarks). Where each block starts is planned before anything is written (:func:`ancres`): the Synthèse sheet
links each action code to its block.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rse_xl.consolidation import Consolidation
from rse_xl.indicateurs import INTER, Resultat, Statut
from rse_xl.lecture import LONGUEUR_TEXTE_MAX
from rse_xl.referentiel import Action, Fiche, Mesure, Sens, TypeIndicateur
from rse_xl.synthese.commun import (
    ONGLET_SYNTHESE,
    PLAFOND_ATTEINTE,
    Liens,
    barres_de_donnees,
    ecrire_mesure,
    ecrire_nombre,
    ecrire_texte,
    est_ratio,
    fr,
    hauteur,
    libelle_unite,
    mise_en_page,
    statuts_cf,
    url_web,
)
from rse_xl.synthese.formats import (
    CADRE,
    COULEUR_INTER,
    COULEURS_COLONNES,
    COULEURS_STATUT,
    Formats,
    FormatsLigne,
)
from rse_xl.xlsx import tronquer

LARGEURS = (7, 24, 13, 13, 10, 14, 15, 8, 8, 48, 36)  # column widths of a fiche sheet
DEBUT_VUE = 4  # row of the overview's band
TENDANCES = {"amélioration": "↗ amélioration", "dégradation": "↘ dégradation", "stable": "→ stable"}


def ecrire_fiche(
    wb: Workbook, ws: Worksheet, conso: Consolidation, fiche: Fiche, f: Formats, liens: Liens
) -> None:
    """Write the sheet ``ws`` of ``fiche``; its charts are made by ``wb``."""
    _Fiche(wb, ws, conso, fiche, f, liens).ecrire()


def ancres(conso: Consolidation) -> dict[str, tuple[str, str]]:
    """Action code → (sheet, cell) where its block starts in its fiche sheet."""
    return {
        action.code: (fiche.onglet, f"A{debut + 1}")
        for fiche in conso.convention.fiches
        for action, debut, _ in _plan(conso, fiche)
    }


# --- the plan of a sheet: where each block starts, which follow-up rows it has ---------------------------


class _LigneSuivi(NamedTuple):
    """One row of an action's follow-up table."""

    annee: int
    code: str  # office code, or INTER
    libelle: str
    premiere: bool  # the first column of its year
    resultat: Resultat | None
    commentaire: str | None
    justificatif: str | None
    remarques: str | None


def _debut_blocs(n_colonnes: int) -> int:
    """First row of the action blocks: below the overview's table, its note (3 rows) and its chart (16 rows)."""
    t = DEBUT_VUE + 2
    fin = t + n_colonnes
    return max(fin + 6, t + 16)


def _lignes_suivi(conso: Consolidation, action: Action) -> list[_LigneSuivi]:
    """Every office each year; the offices together only when there is a step or a remark."""
    lignes = []
    for annee in conso.convention.periode:
        for i, (code, libelle) in enumerate(conso.colonnes):
            r = conso.resultat(code, action.code, annee)
            commentaire = tronquer(r.commentaire, LONGUEUR_TEXTE_MAX) if r and r.commentaire else None
            justificatif = tronquer(r.justificatif, LONGUEUR_TEXTE_MAX) if r and r.justificatif else None
            remarques = _remarques(action, r) if r else None
            if code == INTER and not (r and (r.etape or remarques)):
                continue  # the offices together have no comment: a row only when there is a step or a remark
            lignes.append(_LigneSuivi(annee, code, libelle, i == 0, r, commentaire, justificatif, remarques))
    return lignes


def _plan(conso: Consolidation, fiche: Fiche) -> list[tuple[Action, int, list[_LigneSuivi]]]:
    """(action, first row of its block, its follow-up rows) for each action of the fiche, in order.

    A block: band, indicator, calendar, a blank row, the figures' header and rows (years × columns), a blank
    row, the follow-up's header and rows; then two blank rows before the next one.
    """
    n_chiffres = len(conso.convention.periode) * len(conso.colonnes)
    ligne = _debut_blocs(len(conso.colonnes))
    plan = []
    for action in fiche.actions:
        suivi = _lignes_suivi(conso, action)
        plan.append((action, ligne, suivi))
        ligne += 8 + n_chiffres + len(suivi)
    return plan


# --- the writer of one fiche sheet ---------------------------------------------------------------------------


class _Fiche:
    def __init__(
        self, wb: Workbook, ws: Worksheet, conso: Consolidation, fiche: Fiche, f: Formats, liens: Liens
    ) -> None:
        self.wb, self.ws, self.conso, self.fiche, self.f, self.liens = wb, ws, conso, fiche, f, liens
        self.conv = conso.convention
        self.annee = conso.annee
        self.colonnes = conso.colonnes

    def ecrire(self) -> None:
        ws, fiche = self.ws, self.fiche
        ws.hide_gridlines(2)
        ws.set_tab_color("#9BC2E6")
        largeurs = LARGEURS
        for col, largeur in enumerate(largeurs):
            ws.set_column(col, col, largeur)
        der = len(largeurs) - 1
        ws.set_row(0, 28)
        ws.merge_range(0, 0, 0, der, "", self.f.titre)
        ws.write_string(0, 0, f"Fiche action n°{fiche.numero} — {fiche.titre}", self.f.titre)
        objectifs = "Objectifs : " + " • ".join(fiche.objectifs)
        ws.set_row(1, hauteur([(objectifs, sum(largeurs))], 28))
        ws.merge_range(1, 0, 1, der, "", self.f.sous_titre)
        ws.write_string(1, 0, objectifs, self.f.sous_titre)
        self.liens.interne(ws, 2, 0, ONGLET_SYNTHESE, "A1", "← Retour à la synthèse", self.f.lien)
        self._vue(DEBUT_VUE)
        ligne = premiere = _debut_blocs(len(self.colonnes))
        for action, debut, suivi in _plan(self.conso, fiche):
            assert debut == ligne, "the plan of the blocks is the one written"
            ligne = self._bloc(action, debut, suivi) + 2
        ws.freeze_panes(1, 0)
        statuts_cf(ws, self.f, premiere, ligne, 5)
        mise_en_page(ws, self.conso, fiche.onglet, repeter=(0, 0))

    def _vue(self, ligne: int) -> None:
        """Overview of the chosen year from row ``ligne``: a small table and its chart (see _debut_blocs)."""
        ws, f, annee, nom = self.ws, self.f, self.annee, self.fiche.onglet
        ws.set_row(ligne, 20)
        ws.merge_range(ligne, 0, ligne, 10, "", self.f.bandeau)
        ws.write_string(ligne, 0, f"Vue d'ensemble {annee}", self.f.bandeau)
        t = ligne + 2
        actions = list(self.fiche.actions)
        chiffre = any(
            (r := self.conso.resultat(code, a.code, annee)) is not None and r.atteinte is not None
            for a in actions
            for code, _ in self.colonnes
        )
        graphe = self.wb.add_chart({"type": "column"})
        if chiffre:
            ws.write_string(t, 1, f"Atteinte {annee}", self.f.entete_gauche)
            for j, a in enumerate(actions):
                ws.write_string(t, 2 + j, a.code, self.f.entete)
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
                    ecrire_nombre(ws, t + 1 + i, 2 + j, x, self.f.pourcent)
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
            ws.write_string(t, 1, f"Actions par statut en {annee}", self.f.entete_gauche)
            for j, statut in enumerate(statuts):
                ws.write_string(t, 2 + j, statut.value, self.f.entete)
            for i, (code, libelle) in enumerate(self.colonnes):
                ws.write_string(t + 1 + i, 1, libelle, f(CADRE, bold=code == INTER))
                compte = Counter(
                    r.statut for a in actions if (r := self.conso.resultat(code, a.code, annee)) is not None
                )
                for j, statut in enumerate(statuts):
                    ws.write_number(t + 1 + i, 2 + j, compte.get(statut, 0), self.f.entier)
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
        ws.merge_range(fin + 2, 1, fin + 4, 5, "", self.f.sous_titre)
        ws.write_string(fin + 2, 1, note, self.f.sous_titre)
        graphe.set_legend({"position": "bottom"})
        graphe.set_size({"width": 560, "height": 300})
        graphe.set_chartarea({"border": {"none": True}})
        ws.insert_chart(t, 7, graphe, {"x_offset": 10, "y_offset": 0})

    def _bloc(self, action: Action, ligne: int, suivi: list[_LigneSuivi]) -> int:
        """One action from row ``ligne``: header band, indicator, the figures and the follow-up tables.

        Returns its last row.
        """
        ws = self.ws
        ind = action.indicateur
        der = 10
        largeur = sum(LARGEURS)
        bandeau = f"{action.code} — {action.titre}"
        ws.set_row(ligne, hauteur([(bandeau, largeur * 0.85)], 22))
        ws.merge_range(ligne, 0, ligne, der, "", self.f.bandeau_action)
        ws.write_string(ligne, 0, bandeau, self.f.bandeau_action)
        sens = "à la baisse" if ind.sens is Sens.BAISSE else "à la hausse"
        infos = (
            f"Indicateur : {ind.libelle} — unité : {libelle_unite(action, self.conv)} — objectif {sens} — "
            f"consolidation inter-offices : {_AGREGATION[ind.type]}."
        )
        calendrier = "Calendrier : " + " ; ".join(f"{a} : {action.calendrier[a]}" for a in self.conv.periode)
        for k, texte in enumerate((infos, calendrier)):
            ws.set_row(ligne + 1 + k, hauteur([(texte, largeur)]))
            ws.merge_range(ligne + 1 + k, 0, ligne + 1 + k, der, "", self.f.gras if k == 0 else self.f.texte)
            ws.write_string(ligne + 1 + k, 0, texte, self.f.gras if k == 0 else self.f.texte)
        fin = self._chiffres(action, ligne + 4)
        return self._suivi(fin + 2, suivi)

    def _chiffres(self, action: Action, e: int) -> int:
        """The figures table from row ``e``, years × (offices + together); returns its last row."""
        ws = self.ws
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
            ws.write_string(e, col, titre, self.f.entete)
        r_ligne = e + 1
        for annee in self.conv.periode:
            for i, (code, libelle) in enumerate(self.colonnes):
                r = self.conso.resultat(code, action.code, annee)
                fl = self.f.ligne(code == INTER, i == 0, annee == self.annee)
                ws.write_number(r_ligne, 0, annee, fl.centre)
                ws.write_string(r_ligne, 1, libelle, fl.simple)
                ecrire_mesure(ws, r_ligne, 2, action, r, "cible", fl.valeur)
                ecrire_mesure(ws, r_ligne, 3, action, r, "realise", fl.valeur)
                ecrire_nombre(ws, r_ligne, 4, r.atteinte if r else None, fl.pourcent)
                ecrire_texte(ws, r_ligne, 5, r.statut.value if r else None, fl.centre)
                tendance = TENDANCES.get(r.tendance or "", r.tendance) if r else None
                ecrire_texte(ws, r_ligne, 6, tendance, fl.simple)
                if code == INTER and r is not None and r.offices < r.offices_total:
                    # Which offices the figures of the offices together cover, where the sources would be.
                    ws.merge_range(r_ligne, 7, r_ligne, 8, "", fl.simple)
                    ecrire_texte(ws, r_ligne, 7, r.couverture, fl.simple)
                else:
                    for col, champ in ((7, "cible"), (8, "realise")):
                        self._source(ws, r_ligne, col, code, action, r, champ, fl)
                r_ligne += 1
        barres_de_donnees(ws, e + 1, r_ligne - 1, 4)
        return r_ligne - 1

    def _suivi(self, d: int, suivi: list[_LigneSuivi]) -> int:
        """The follow-up table from row ``d`` (step, comment, evidence, remarks); returns its last row."""
        ws = self.ws
        ws.set_row(d, 30)
        for col, titre in (
            (0, "Année"),
            (1, "Office"),
            (2, "État de l'étape"),
            (9, "Justificatif"),
            (10, "Remarques"),
        ):
            ws.write_string(d, col, titre, self.f.entete)
        ws.merge_range(d, 3, d, 8, "Commentaire de l'office", self.f.entete)
        r_ligne = d + 1
        largeur_commentaire = sum(LARGEURS[3:9])
        for s in suivi:
            r = s.resultat
            ws.set_row(
                r_ligne,
                hauteur(
                    [
                        (s.commentaire, largeur_commentaire),
                        (s.justificatif, LARGEURS[9]),
                        (s.remarques, LARGEURS[10]),
                    ]
                ),
            )
            fl = self.f.ligne(s.code == INTER, s.premiere, False)
            ws.write_number(r_ligne, 0, s.annee, fl.centre)
            ws.write_string(r_ligne, 1, s.libelle, fl.simple)
            ecrire_texte(ws, r_ligne, 2, r.etape if r else None, fl.etape)
            ws.merge_range(r_ligne, 3, r_ligne, 8, "", fl.texte)
            ecrire_texte(ws, r_ligne, 3, s.commentaire, fl.texte)
            url = url_web(s.justificatif)
            if url is not None:
                self.liens.lien(ws, r_ligne, 9, url, url, fl.lien, fl.texte)
            else:
                ecrire_texte(ws, r_ligne, 9, s.justificatif, fl.texte)
            ecrire_texte(ws, r_ligne, 10, s.remarques, fl.texte_ecarte if r and r.exclu else fl.texte)
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
        fl: FormatsLigne,
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
        self.liens.source(
            ws,
            ligne,
            col,
            info.chemin,
            position,
            "↗",
            fl.fleche,
            fmt,
        )


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
    pct = est_ratio(action)
    morceaux: list[str] = []
    if r.exclu and r.office != INTER:
        morceaux.append("Valeur écartée" + (f" : {r.motif}" if r.motif else ""))
    elif r.motif:
        morceaux.append(r.motif[:1].upper() + r.motif[1:])
    if r.ecart:
        assert r.realise_saisi is not None and r.realise_registres is not None
        morceaux.append(
            f"Réalisé saisi : {fr(r.realise_saisi, pct)} ; selon les registres : "
            f"{fr(r.realise_registres, pct)} (valeur des registres retenue)"
        )
    if pct and r.numerateur is not None and r.denominateur:
        morceaux.append(f"Ratio : {fr(r.numerateur)} / {fr(r.denominateur)}")
    if r.details.get("vehicules_entres"):
        morceaux.append(
            f"Renouvellements : {fr(r.details.get('vehicules_entres_electriques', 0))} électrique(s) sur "
            f"{fr(r.details['vehicules_entres'])} véhicule(s) entré(s) "
            f"({fr(r.details.get('part_renouvellements_electriques', 0), True)})"
        )
    if r.details.get("sortis_methode_seule"):
        morceaux.append(
            f"{fr(r.details['sortis_methode_seule'])} logement(s) sorti(s) de E/F/G par le seul changement de "
            "méthode DPE (consommation inchangée) : non comptés"
        )
    if r.office == INTER and r.details.get("somme_des_offices") not in (None, r.realise):
        morceaux.append(
            f"Somme des offices : {fr(r.details['somme_des_offices'])} (éléments communs comptés une fois)"
        )
    return " — ".join(morceaux) or None

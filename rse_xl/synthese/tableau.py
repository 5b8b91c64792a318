"""The Synthèse sheet: every action of the chosen year per office and together, and its dashboard (charts).

Each action code links to its block in the fiche sheets (the anchors :func:`rse_xl.synthese.fiche.ancres`
computes); the dashboard below the table holds two native charts fed by small tables on the sheet.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rse_xl.consolidation import Consolidation
from rse_xl.indicateurs import INTER, Statut
from rse_xl.referentiel import Action, Fiche, Mesure
from rse_xl.synthese.commun import (
    ONGLET_SYNTHESE,
    PLAFOND_ATTEINTE,
    Liens,
    barres_de_donnees,
    ecrire_mesure,
    ecrire_nombre,
    ecrire_texte,
    hauteur,
    libelle_unite,
    mise_en_page,
    statuts_cf,
)
from rse_xl.synthese.formats import BLEU, BLEU_CLAIR, CADRE, COULEURS_STATUT, GRIS_TEXTE, ORANGE, Formats


def ecrire_tableau(
    wb: Workbook,
    ws: Worksheet,
    conso: Consolidation,
    f: Formats,
    liens: Liens,
    ancres: dict[str, tuple[str, str]],
) -> None:
    """Write the Synthèse sheet ``ws``; ``ancres``: action code → (sheet, cell) of its block; charts from ``wb``."""
    _Synthese(wb, ws, conso, f, liens, ancres).ecrire()


class _Synthese:
    def __init__(
        self,
        wb: Workbook,
        ws: Worksheet,
        conso: Consolidation,
        f: Formats,
        liens: Liens,
        ancres: dict[str, tuple[str, str]],
    ) -> None:
        self.wb, self.ws, self.conso, self.f, self.liens, self.ancres = wb, ws, conso, f, liens, ancres
        self.conv = conso.convention
        self.annee = conso.annee
        self.colonnes = conso.colonnes

    def ecrire(self) -> None:
        ws = self.ws
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
        ws.merge_range(0, 0, 0, derniere, "", self.f.titre)
        ws.write_string(0, 0, f"Synthèse {annee} — {self.conv.titre}", self.f.titre)
        seuils = self.conv.parametres.seuils_statut
        offices = ", ".join(nom for code, nom in self.colonnes if code != INTER) or "aucun office retenu"
        explication = (
            f"Situation au {conso.aujourdhui:%d/%m/%Y} pour l'année {annee} — offices consolidés : {offices}. "
            "Atteinte = réalisé / cible (cible / réalisé quand l'objectif est une baisse) ; statut « Atteint » dès "
            f"{seuils.atteint:.0%}, « En bonne voie » dès {seuils.en_bonne_voie:.0%}. Cliquez un code d'action "
            "pour voir le détail des trois années, les commentaires et les sources."
        ).replace("%", " %")
        ws.set_row(1, 30)
        ws.merge_range(1, 0, 1, derniere, "", self.f.sous_titre)
        ws.write_string(1, 0, explication, self.f.sous_titre)
        entete_groupe, entete = 3, 4
        premiere = entete + 1
        # The action rows are counted in advance: the dashboard goes below them.
        n_lignes = sum(1 + len(fi.actions) for fi in self.conv.fiches)
        tableau_de_bord = premiere + n_lignes + 2
        self.liens.interne(
            ws,
            2,
            2,
            ONGLET_SYNTHESE,
            f"A{tableau_de_bord + 1}",
            "→ Tableau de bord (graphiques)",
            self.f.lien,
        )
        ws.set_row(entete, 30)
        for col, titre in enumerate(("Fiche", "Action", "Intitulé de l'action", "Unité")):
            ws.merge_range(
                entete_groupe, col, entete, col, titre, self.f.entete_gauche if col == 2 else self.f.entete
            )
        for k, (code, nom) in enumerate(self.colonnes):
            c = 4 + 4 * k
            fond = BLEU if code == INTER else "#2E75B6"
            fmt = f(CADRE, bold=True, font_color="white", bg_color=fond, align="center", valign="vcenter")
            ws.merge_range(entete_groupe, c, entete_groupe, c + 3, "", fmt)
            ws.write_string(entete_groupe, c, nom, fmt)
            for j, titre in enumerate(("Réalisé", "Cible", "Atteinte", "Statut")):
                ws.write_string(entete, c + j, titre, self.f.entete)
        ws.merge_range(
            entete_groupe, couverture, entete, couverture, "Offices couverts (inter-offices)", self.f.entete
        )
        ligne = premiere
        for fiche in self.conv.fiches:
            ws.set_row(ligne, 18)
            fmt_fiche = f(
                bold=True, font_color=BLEU, bg_color=BLEU_CLAIR, valign="vcenter", top=1, top_color=BLEU
            )
            ws.merge_range(ligne, 0, ligne, derniere, "", fmt_fiche)
            self.liens.interne(ws, ligne, 0, fiche.onglet, "A1", f"{fiche.code} — {fiche.titre}", fmt_fiche)
            ligne += 1
            for action in fiche.actions:
                self._ligne(ws, ligne, fiche, action)
                ligne += 1
        fin = ligne - 1
        for k in range(n_col):
            c = 4 + 4 * k
            barres_de_donnees(ws, premiere, fin, c + 2)
            statuts_cf(ws, self.f, premiere, fin, c + 3)
        ws.freeze_panes(premiere, 4)
        ws.autofilter(entete, 0, fin, derniere)
        self._tableau_de_bord(ws, tableau_de_bord)
        ws.set_h_pagebreaks([tableau_de_bord])
        mise_en_page(ws, self.conso, ONGLET_SYNTHESE, repeter=(entete_groupe, entete), a3=True)

    def _ligne(self, ws: Worksheet, ligne: int, fiche: Fiche, action: Action) -> None:
        f = self.f
        ws.write_string(ligne, 0, fiche.code, self.f.cellule_centre)
        onglet, cellule = self.ancres.get(action.code, (fiche.onglet, "A1"))
        self.liens.interne(ws, ligne, 1, onglet, cellule, action.code, self.f.lien_fleche)
        unite = libelle_unite(action, self.conv)
        ws.set_row(ligne, hauteur([(action.titre, 46), (unite, 14)]))
        ws.write_string(ligne, 2, action.titre, self.f.cellule)
        ws.write_string(ligne, 3, unite, f(CADRE, text_wrap=True, font_color=GRIS_TEXTE))
        for k, (code, _) in enumerate(self.colonnes):
            c = 4 + 4 * k
            r = self.conso.resultat(code, action.code, self.annee)
            extra: dict[str, Any] = {"bold": True} if code == INTER else {}
            gauche = {"left": 2, "left_color": BLEU}
            ecrire_mesure(ws, ligne, c, action, r, "realise", self.f.valeur({**extra, **gauche}))
            ecrire_mesure(ws, ligne, c + 1, action, r, "cible", self.f.valeur(extra))
            ecrire_nombre(ws, ligne, c + 2, r.atteinte if r else None, f(CADRE, extra, num_format="0%"))
            ecrire_texte(ws, ligne, c + 3, r.statut.value if r else None, f(CADRE, extra, align="center"))
            if code == INTER:
                texte = r.couverture if r else None
                incomplet = r is not None and r.offices < r.offices_total
                fmt = f(CADRE, text_wrap=True, bold=incomplet, font_color=ORANGE if incomplet else GRIS_TEXTE)
                ecrire_texte(ws, ligne, 4 + 4 * len(self.colonnes), texte, fmt)

    def _tableau_de_bord(self, ws: Worksheet, ligne: int) -> None:
        """Two native charts, each fed by a small table on the sheet (chart series reference cells)."""
        f, annee = self.f, self.annee
        nom = ONGLET_SYNTHESE
        n_actions = sum(len(fi.actions) for fi in self.conv.fiches)
        ws.set_row(ligne, 20)
        ws.merge_range(ligne, 0, ligne, 3 + 4 * len(self.colonnes), "", self.f.bandeau)
        ws.write_string(ligne, 0, f"Tableau de bord {annee}", self.f.bandeau)
        # (a) actions per status per column.
        t = ligne + 2
        ws.set_row(t, 30)
        ws.write_string(t, 2, f"Nombre d'actions par statut en {annee}", self.f.entete_gauche)
        statuts = list(Statut)
        for j, statut in enumerate(statuts):
            ws.write_string(t, 3 + j, statut.value, self.f.entete)
        for i, (code, libelle) in enumerate(self.colonnes):
            compte = Counter(
                r.statut
                for fi in self.conv.fiches
                for a in fi.actions
                if (r := self.conso.resultat(code, a.code, annee)) is not None
            )
            ws.write_string(t + 1 + i, 2, libelle, f(CADRE, bold=code == INTER))
            for j, statut in enumerate(statuts):
                ws.write_number(t + 1 + i, 3 + j, compte.get(statut, 0), self.f.entier)
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
        ws.write_string(t2, 2, f"Fiche (inter-offices, {annee})", self.f.entete_gauche)
        ws.write_string(t2, 3, "Atteinte moyenne (plafonnée à 150 %)", self.f.entete)
        ws.write_string(t2, 4, "Actions chiffrées", self.f.entete)
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
            ws.write_string(t2 + 1 + i, 2, categorie, self.f.cellule)
            ecrire_nombre(ws, t2 + 1 + i, 3, moyenne, self.f.pourcent)
            ws.write_number(t2 + 1 + i, 4, len(valeurs), self.f.entier)
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
            self.f.sous_titre,
        )
        barres_de_donnees(ws, t2 + 1, fin_b, 3)
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

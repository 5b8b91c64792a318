"""The Journal sheet: traceability of the consolidation (tool, reference, dates) and of every file read."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from rse_xl.consolidation import Consolidation
from rse_xl.synthese.commun import ONGLET_JOURNAL, hauteur, mise_en_page, titre_et_colonnes
from rse_xl.synthese.formats import BLEU_CLAIR, CADRE, Formats
from rse_xl.xlsx import ecrire_valeur


def ecrire_journal(ws: Worksheet, conso: Consolidation, f: Formats) -> None:
    """Write the Journal sheet ``ws``: the run, then one table row (tFichiers) per file read."""
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
    titre_et_colonnes(ws, f, "Journal de la consolidation", colonnes)
    stats = conso.rapport.statistiques()
    infos: list[tuple[str, Any, Format]] = [
        ("Version de rse-xl", conso.version_outil, f.cellule),
        ("Référentiel (SHA-256)", conso.empreinte_referentiel, f.cellule),
        ("Consolidation lancée le", conso.genere_le, f.date_heure),
        ("Situation au", conso.aujourdhui, f.date),
        ("Année de campagne", conso.annee, f(CADRE, align="left")),
        ("Fichiers lus", len(conso.fichiers), f(CADRE, align="left")),
        ("Fichiers retenus", sum(fi.retenu for fi in conso.fichiers), f(CADRE, align="left")),
        ("Erreurs", stats["erreurs"], f(CADRE, align="left")),
        ("Avertissements", stats["avertissements"], f(CADRE, align="left")),
    ]
    for i, (libelle, valeur, fmt) in enumerate(infos):
        ws.write_string(2 + i, 0, libelle, f(CADRE, bold=True, bg_color=BLEU_CLAIR))
        ws.merge_range(2 + i, 1, 2 + i, 3, "", fmt)
        ecrire_valeur(ws, 2 + i, 1, valeur, fmt)
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
            "columns": [{"header": t, "header_format": f.entete} for t, _ in colonnes],
        },
    )
    c = f.cellule
    for i, fi in enumerate(fichiers):
        ligne = debut + 1 + i
        ws.set_row(ligne, hauteur([(fi.chemin, 46), (fi.fichier, 28), (fi.referent, 20)]))
        valeurs: list[tuple[Any, Format]] = [
            (fi.chemin, c),
            (fi.fichier, c),
            (fi.taille, f.entier),
            (fi.empreinte, c),
            (fi.modifie, f.date_heure),
            (fi.modele_version, f.cellule_centre),
            (fi.office_nom or fi.office, c),
            (fi.etat, c),
            (fi.referent, c),
            ("Oui" if fi.retenu else "Non", f.cellule_centre),
            (fi.erreurs, f.entier),
            (fi.avertissements, f.entier),
            (fi.referentiel_empreinte, c),
            (fi.outil_version, c),
        ]
        for j, (v, fmt) in enumerate(valeurs):
            ecrire_valeur(ws, ligne, j, v, fmt)
    ws.freeze_panes(debut + 1, 0)
    mise_en_page(ws, conso, ONGLET_JOURNAL, repeter=(debut, debut))

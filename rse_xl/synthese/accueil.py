"""The Accueil sheet: what the summary is, the offices' workbooks, the table of contents, how to read it."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rse_xl.consolidation import Consolidation
from rse_xl.synthese.commun import (
    ONGLET_ACCUEIL,
    ONGLET_CONTROLES,
    ONGLET_DONNEES,
    ONGLET_JOURNAL,
    ONGLET_SYNTHESE,
    Liens,
    ecrire_texte,
    hauteur,
    mise_en_page,
    onglets_resultats,
)
from rse_xl.synthese.formats import BLEU, BLEU_CLAIR, Formats
from rse_xl.xlsx import ecrire_valeur, tronquer

BANDEAU_DEMONSTRATION = (
    "DÉMONSTRATION — chiffres fictifs des classeurs de démonstration livrés avec rse-xl : ce n'est pas la "
    "synthèse de vrais offices. Pour vos classeurs : rse-xl consolider DOSSIER."
)


def ecrire_accueil(wb: Workbook, ws: Worksheet, conso: Consolidation, f: Formats, liens: Liens) -> None:
    """Write the Accueil sheet ``ws``; its conditional formats are added to ``wb``."""
    conv = conso.convention
    ws.hide_gridlines(2)
    ws.set_tab_color(BLEU)
    largeurs = (28, 30, 15, 22, 13, 9, 9, 14)
    for col, largeur in enumerate(largeurs):
        ws.set_column(col, col, largeur)
    der = len(largeurs) - 1
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, der, "", f.titre)
    ws.write_string(0, 0, f"{conv.titre} — synthèse {conso.annee}", f.titre)
    ws.merge_range(1, 0, 1, der, "", f.sous_titre)
    ws.write_string(
        1,
        0,
        f"Campagne {conso.annee} · situation au {conso.aujourdhui:%d/%m/%Y} · générée le "
        f"{conso.genere_le:%d/%m/%Y à %H:%M} par rse-xl {conso.version_outil}",
        f.sous_titre,
    )
    ligne = 3
    if conso.demonstration:
        alerte = f(bold=True, font_size=12, font_color="#9C0006", bg_color="#FFC7CE", text_wrap=True)
        ws.set_row(2, 34)
        ws.merge_range(2, 0, 2, der, "", alerte)
        ws.write_string(2, 0, BANDEAU_DEMONSTRATION, alerte)
        ligne = 4
    ws.set_row(ligne, 20)
    ws.merge_range(ligne, 0, ligne, der, "", f.bandeau)
    ws.write_string(ligne, 0, "Classeurs des offices", f.bandeau)
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
        ws.write_string(ligne, col, titre, f.entete)
    premiere = ligne + 1
    for fi in sorted(conso.fichiers, key=lambda x: (x.office_nom or "\uffff", x.fichier)):
        ligne += 1
        ws.set_row(ligne, hauteur([(fi.fichier, 30), (fi.referent, 22), (fi.office_nom, 28)]))
        ecrire_texte(ws, ligne, 0, fi.office_nom or "Office non identifié", f.cellule)
        liens.source(ws, ligne, 1, fi.chemin, None, tronquer(fi.fichier), f.lien_cadre, f.cellule)
        ecrire_texte(ws, ligne, 2, fi.etat or "non renseigné", f.cellule_centre)
        ecrire_texte(ws, ligne, 3, fi.referent, f.cellule)
        ecrire_valeur(ws, ligne, 4, fi.date_maj, f.date)
        ws.write_string(ligne, 5, "Oui" if fi.retenu else "Non", f.cellule_centre)
        ws.write_number(ligne, 6, fi.erreurs, f.entier)
        ws.write_number(ligne, 7, fi.avertissements, f.entier)
    if not conso.fichiers:
        ligne += 1
        ws.write_string(ligne, 0, "Aucun classeur lu.", f.cellule)
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
                "format": wb.add_format({"bg_color": fond, "font_color": police}),
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
            "format": wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
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
    liens.interne(ws, ligne, 3, ONGLET_CONTROLES, "A1", "→ voir l'onglet Contrôles", f.lien)
    ligne += 2
    ws.set_row(ligne, 20)
    ws.merge_range(ligne, 0, ligne, der, "", f.bandeau)
    ws.write_string(ligne, 0, "Sommaire", f.bandeau)
    descriptions = {
        ONGLET_SYNTHESE: f"Les 36 actions en {conso.annee} : réalisé, cible, atteinte et statut par office et "
        "inter-offices ; tableau de bord en bas de l'onglet.",
        ONGLET_CONTROLES: "Les erreurs et avertissements trouvés dans les classeurs, avec un lien vers la cellule.",
        ONGLET_DONNEES: "Toutes les valeurs en tableau (tDonnees), prêtes pour un tableau croisé dynamique ou Power BI.",
        ONGLET_JOURNAL: "Traçabilité : version de l'outil, empreintes SHA-256 du référentiel et des fichiers lus.",
    }
    for nom in onglets_resultats(conv, accueil=False):
        ligne += 1
        liens.interne(ws, ligne, 0, nom, "A1", nom, f.lien)
        fiche = next((fi for fi in conv.fiches if fi.onglet == nom), None)
        texte = descriptions.get(nom) or (
            f"Fiche action n°{fiche.numero} : {fiche.titre}" if fiche is not None else ""
        )
        ws.merge_range(ligne, 1, ligne, der, "", f.texte)
        ws.write_string(ligne, 1, texte, f.texte)
        ws.set_row(ligne, hauteur([(texte, sum(largeurs[1:]))]))
    ligne += 2
    ws.set_row(ligne, 20)
    ws.merge_range(ligne, 0, ligne, der, "", f.bandeau)
    ws.write_string(ligne, 0, "Comment lire cette synthèse", f.bandeau)
    seuils = conv.parametres.seuils_statut
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
        ws.merge_range(ligne, 0, ligne, der, "", f.texte)
        ws.write_string(ligne, 0, "• " + texte, f.texte)
        ws.set_row(ligne, hauteur([(texte, sum(largeurs))]))
    mise_en_page(ws, conso, ONGLET_ACCUEIL)

"""The Lisez-moi sheet: what the workbook is for and how to fill it in."""

from __future__ import annotations

from xlsxwriter.format import Format

from rse_xl.layout import MOT_DE_PASSE_PROTECTION, ONGLET_LISEZ_MOI
from rse_xl.modele.contexte import _Contexte
from rse_xl.referentiel import ANNEES


def ecrire_lisez_moi(c: _Contexte) -> None:
    """The Lisez-moi sheet, first of the workbook."""
    ws = c.wb.add_worksheet(ONGLET_LISEZ_MOI)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 3)
    ws.set_column(1, 1, 110)
    st = c.st
    ws.set_row(0, 28)
    ws.write_string(0, 1, f"Suivi de la convention RSE 2025-2027 — {c.office.nom}", st.titre)
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
        ("Cellule à saisir", c.st.saisie),
        ("Valeur calculée depuis les registres", c.st.calcule),
        ("Texte de la convention ou valeur verrouillée", c.st.fige),
    ):
        ws.write_string(ligne, 1, texte, fmt)
        ligne += 1
    c.mise_en_page(ws)
    ws.protect(MOT_DE_PASSE_PROTECTION)

"""The Contrôles sheet: the errors and warnings found in the offices' workbooks, each with a link to its cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from rse_xl.cellules import cle_cellule, nom_onglet
from rse_xl.consolidation import Consolidation
from rse_xl.controles import Gravite, Probleme
from rse_xl.synthese.commun import (
    ONGLET_CONTROLES,
    Liens,
    ecrire_texte,
    hauteur,
    mise_en_page,
    titre_et_colonnes,
)
from rse_xl.synthese.formats import Formats


def ecrire_controles(wb: Workbook, ws: Worksheet, conso: Consolidation, f: Formats, liens: Liens) -> None:
    """Write the Contrôles sheet ``ws`` (table tControles, errors first); its conditional formats go to ``wb``."""
    noms_offices = {o.code: o.nom for o in conso.convention.offices} | dict(conso.colonnes)
    rapport = conso.rapport
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
    titre_et_colonnes(ws, f, "Contrôles des classeurs des offices", colonnes)
    ws.merge_range(1, 0, 1, 7, "", f.sous_titre)
    ws.set_row(1, 30)
    ws.write_string(
        1,
        0,
        f"{stats['erreurs']} erreur(s), {stats['avertissements']} avertissement(s) dans {len(conso.fichiers)} "
        "classeur(s). Une erreur écarte la valeur concernée de la consolidation ; un avertissement la garde "
        "mais signale un point à vérifier. « Ouvrir » ouvre le classeur de l'office sur la cellule en cause.",
        f.sous_titre,
    )
    problemes = sorted(rapport.problemes, key=lambda p: _cle_probleme(p, noms_offices))
    if not problemes:
        ws.write_string(
            3,
            0,
            f"Aucun problème détecté dans les {len(conso.fichiers)} classeur(s) lu(s).",
            f(bold=True, font_color="#006100"),
        )
        if conso.retours:
            _retours(ws, 5, conso, f, liens, noms_offices)
        mise_en_page(ws, conso, ONGLET_CONTROLES)
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
            "columns": [{"header": titre, "header_format": f.entete} for titre, _ in colonnes],
        },
    )
    for i, p in enumerate(problemes):
        ligne = debut + 1 + i
        _ligne_probleme(ws, ligne, p, f, liens, noms_offices)
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
                "format": wb.add_format({"bg_color": fond, "font_color": police, "bold": True}),
            },
        )
    if conso.retours:
        _retours(ws, fin + 2, conso, f, liens, noms_offices)
    ws.freeze_panes(debut + 1, 0)
    mise_en_page(ws, conso, ONGLET_CONTROLES, repeter=(debut, debut))


def _retours(
    ws: Worksheet, ligne: int, conso: Consolidation, f: Formats, liens: Liens, noms_offices: dict[str, str]
) -> None:
    """Under the table: each office and the annotated copy of its workbook written by « Retours aux offices »."""
    ws.write_string(ligne, 0, "Copies annotées renvoyées aux offices", f(bold=True))
    for i, (code, chemin) in enumerate(
        sorted(conso.retours.items(), key=lambda kv: noms_offices.get(kv[0], kv[0]))
    ):
        ecrire_texte(ws, ligne + 1 + i, 2, noms_offices.get(code, code), f.cellule)
        ecrire_texte(ws, ligne + 1 + i, 3, Path(chemin).name, f.cellule)
        liens.source(ws, ligne + 1 + i, 8, chemin, None, "Ouvrir", f.lien_cadre, f.cellule)


def _cle_probleme(p: Probleme, noms_offices: dict[str, str]) -> tuple[Any, ...]:
    office = noms_offices.get(p.office or "", "\uffff")
    return (
        p.gravite is not Gravite.ERREUR,
        office,
        p.fichier,
        p.onglet or "",
        cle_cellule(p.cellule),
        p.code,
    )


def _ligne_probleme(
    ws: Worksheet, ligne: int, p: Probleme, f: Formats, liens: Liens, noms_offices: dict[str, str]
) -> None:
    c = f.cellule
    ws.write_string(ligne, 0, p.gravite.value, f.cellule_centre)
    ws.write_string(ligne, 1, p.code, c)
    office = noms_offices.get(p.office, p.office) if p.office else "Office non identifié"
    ws.set_row(
        ligne,
        hauteur([(p.message, 70), (p.valeur, 24), (office, 22), (Path(p.fichier).name, 26), (p.onglet, 20)]),
    )
    ecrire_texte(ws, ligne, 2, office, c)
    ecrire_texte(ws, ligne, 3, Path(p.fichier).name, c)
    ecrire_texte(ws, ligne, 4, p.onglet, c)
    ecrire_texte(ws, ligne, 5, p.cellule, f.cellule_centre)
    ecrire_texte(ws, ligne, 6, p.valeur, c)
    ecrire_texte(ws, ligne, 7, p.message, c)
    position = None
    if p.onglet:
        position = f"{nom_onglet(p.onglet)}!{p.cellule or 'A1'}"
    if Path(p.fichier).suffix.lower() in (".xlsx", ".xlsm"):
        liens.source(ws, ligne, 8, p.fichier, position, "Ouvrir", f.lien_cadre, c)
    else:
        ws.write_blank(ligne, 8, None, c)

"""The register sheets: one table each, with the formats and validations of its columns."""

from __future__ import annotations

from xlsxwriter.format import Format

from rse_xl.layout import Colonne, SpecRegistre, TypeColonne
from rse_xl.modele.contexte import _Contexte
from rse_xl.modele.validations import validation_colonne
from rse_xl.xlsx import proteger


def ecrire_registre(c: _Contexte, spec: SpecRegistre) -> None:
    """One register sheet: its table (rows of ``c.saisie`` or blank ones), formats and validations."""
    ws = c.wb.add_worksheet(spec.onglet)
    st = c.st
    ws.write_string(0, 0, spec.titre, st.titre)
    ws.set_row(0, 26)
    ws.write_string(1, 0, spec.aide, st.sous_titre)
    debut = 3  # header row of the table
    lignes = list(c.saisie.registres.get(spec.registre, ()))
    if spec.lignes_fixes:
        par_annee = {r.get("annee"): r for r in lignes}
        lignes = [{**par_annee.get(a, {}), "annee": a} for a in spec.lignes_fixes]
        n = len(lignes)
    else:
        n = len(lignes) + spec.lignes_vides
    n = max(n, 1)
    colonnes = []
    for j, col in enumerate(spec.colonnes):
        fmt = _format_colonne(c, col)
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
            fmt = st.fige if spec.lignes_fixes and col.cle == "annee" else _format_colonne(c, col)
            c.ecrire_valeur(ws, debut + 1 + i, j, valeur, fmt)
    for i, ligne in enumerate(c.saisie.sous_tableaux.get(spec.registre, ())):
        for j, col in enumerate(spec.colonnes):
            c.ecrire_valeur(ws, debut + n + 1 + i, j, ligne.get(col.cle), _format_colonne(c, col))
    for j, col in enumerate(spec.colonnes):
        if spec.lignes_fixes and col.cle == "annee":
            continue
        validation = validation_colonne(col)
        if validation:
            validation.setdefault("input_title", col.entete[:32])
            if col.aide:
                validation.setdefault("input_message", col.aide[:255])
            ws.data_validation(debut + 1, j, debut + n, j, validation)
    ws.freeze_panes(debut + 1, 1)
    c.mise_en_page(ws, repeter=debut)
    proteger(ws, tri=True, lignes=True)


def _format_colonne(c: _Contexte, col: Colonne) -> Format:
    st = c.st
    return {
        TypeColonne.DATE: st.saisie_date,
        TypeColonne.ENTIER: st.saisie_entier,
        TypeColonne.DECIMAL: st.saisie_nombre,
        TypeColonne.MONTANT: st.saisie_montant,
        TypeColonne.LIEN: st.saisie_lien,
        TypeColonne.ANNEE: st.saisie_entier,
    }.get(col.type, st.saisie)

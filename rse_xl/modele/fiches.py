"""The fiche sheets: one block per action, its inputs year by year and the live formulas beside them."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from rse_xl.cellules import a1
from rse_xl.layout import (
    CHAMP_CALCULE,
    ETATS_ETAPE,
    REGISTRES,
    TYPES_AVEC_RATIO,
    Champ,
    champs_action,
    nom_defini,
)
from rse_xl.modele.contexte import _Contexte
from rse_xl.modele.validations import validation_liste_inline, validation_nombre
from rse_xl.referentiel import ANNEES, Action, Fiche, Mesure, Sens, TypeIndicateur
from rse_xl.regles import regle_de
from rse_xl.tolerances import concordent, tolerance_xl
from rse_xl.xlsx import proteger

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


def ecrire_fiche(c: _Contexte, fiche: Fiche) -> None:
    """One fiche sheet: its title and objectives, then one block per action."""
    ws = c.wb.add_worksheet(fiche.onglet)
    st = c.st
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
        ligne = _bloc_action(c, ws, action, ligne) + 1
    c.mise_en_page(ws, repeter=0)
    proteger(ws, tri=True)


def _bloc_action(c: _Contexte, ws: Worksheet, action: Action, ligne: int) -> int:
    st = c.st
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
            fmt, validation = _format_champ(c, action, annee, champ, pct)
            valeur = c.saisie.valeurs.get(nom)
            if champ is Champ.CIBLE and cible.valeur_fixe is not None:
                # Fixed by the convention: prefilled and locked.
                ws.write_number(r, col, cible.valeur_fixe, st.fige_pct if pct else st.fige_nombre)
            elif champ is Champ.CIBLE and cible.mesure is Mesure.JALON:
                ws.write_string(r, col, "Jalon", st.fige)
            else:
                c.ecrire_valeur(ws, r, col, valeur, fmt)
                if validation:
                    ws.data_validation(r, col, r, col, validation)
            c.nommer(ws, nom, r, col)
        _formules(c, ws, action, annee, r, entete + 1, pct)
    return entete + 1 + len(ANNEES)


def _format_champ(
    c: _Contexte, action: Action, annee: int, champ: Champ, pct: bool
) -> tuple[Format, dict[str, Any] | None]:
    st = c.st
    kind = action.indicateur.type
    if champ is Champ.ETAPE:
        return st.saisie, validation_liste_inline(ETATS_ETAPE, "l'état de l'étape")
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
        return (st.saisie_entier if entier else st.saisie_nombre), validation_nombre(entier, None)
    # CIBLE / REALISE
    if pct:
        return st.saisie_pct, validation_nombre(False, 1.0)
    entier = kind in (
        TypeIndicateur.COMPTAGE,
        TypeIndicateur.COMPTAGE_COMMUN,
        TypeIndicateur.ENSEMBLE_DISTINCT,
        TypeIndicateur.COMPARAISON_DPE,
    )
    return (st.saisie_entier if entier else st.saisie_nombre), validation_nombre(entier, None)


def _formules(
    c: _Contexte, ws: Worksheet, action: Action, annee: int, r: int, premiere: int, pct: bool
) -> None:
    """Live feedback: the register-derived value, the check against the typed one, the achievement.

    Each formula is written with the result Python computes from the same inputs as its cached value, so
    that a client which does not recalculate on opening (a file preview, LibreOffice by default) shows
    the right figures too. Those cached results are never read back.
    """
    st = c.st
    kind = action.indicateur.type
    realise, cible, calcule = a1(r, COL_REALISE), a1(r, COL_CIBLE), a1(r, COL_CALCULE)
    regle = regle_de(action)
    v_realise = _nombre(c.saisie.valeurs.get(nom_defini(action, annee, Champ.REALISE)))
    v_cible = action.indicateur.cibles[annee].valeur_fixe
    if v_cible is None:
        v_cible = _nombre(c.saisie.valeurs.get(nom_defini(action, annee, Champ.CIBLE)))
    v_calcule: float | None = None
    utilise = False
    if regle is not None:
        lignes = c.saisie.registres.get(regle.registre, ())
        utilise = bool(lignes)
        v_calcule = regle.calculer(lignes, action, annee, c.conv.parametres).valeur
        nom = nom_defini(action, annee, CHAMP_CALCULE)
        fmt = st.calcule_pct if pct else st.calcule
        if nom in c.saisie.valeurs:  # what a user who typed over the formula leaves behind
            c.ecrire_valeur(ws, r, COL_CALCULE, c.saisie.valeurs[nom], fmt)
        else:
            ws.write_formula(r, COL_CALCULE, "=" + regle.formule(action, annee), fmt, _cache(v_calcule))
        c.nommer(ws, nom, r, COL_CALCULE)
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
        formule = f'=IFERROR(IF(OR({cible}="",{valeur}="",{ref}=""),"",(({ref}-{valeur})/{ref})/{cible}),"")'
        reference = _reference_12_2(c, action)
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


def _reference_12_2(c: _Contexte, action: Action) -> float | None:
    """Baseline share of 12.2 as the Atteinte formula sees it (registers first, else typed)."""
    annee = c.conv.parametres.annee_reference
    regle = regle_de(action)
    if regle is not None:
        lignes = c.saisie.registres.get(regle.registre, ())
        v = regle.calculer(lignes, action, annee, c.conv.parametres).valeur
        if v is not None:
            return v
    return _nombre(c.saisie.valeurs.get(nom_defini(action, annee, Champ.REALISE)))


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

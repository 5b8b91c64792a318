"""The way back to the offices: each office's workbook returned with every problem marked on its cell.

``rse-xl retours`` consolidates the folder (the same report as ``valider``/``consolider``), then writes, for
every office workbook read, a copy that is still that office's workbook — same template, names, tables,
lists and protection, written by the writer of ``rse-xl modele`` from what was read — in which:

- every problem located on a cell is marked in place: a conditional format that stands out (the cell's own
  format is untouched) and a note with the French message and the value found; a problem on a register row
  marks the whole row too;
- a first sheet « Retours du coordinateur » lists every problem, errors first, each with a link to its cell,
  with the date, the campaign and the hash of the file the consolidation read.

The original is never written to (it is only read). Reading the copy gives the values of the original:
values are written back raw (text stays text, an error stays an error), register rows at their row
numbers. Annotations are never read back: a copy returned twice carries the notes of the last return only.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rse_xl.cellules import depuis_a1, reference
from rse_xl.controles import Gravite, Probleme
from rse_xl.errors import EntreeError
from rse_xl.fichiers import texte_chemin
from rse_xl.layout import MODELE_VERSION, REGISTRES, nom_defini
from rse_xl.lecture import ClasseurLu, lire_classeur
from rse_xl.ooxml import ERREURS_CONNUES

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from rse_xl.consolidation import Consolidation
    from rse_xl.modele import Saisie
    from rse_xl.referentiel import Convention

__all__ = ["ONGLET_RETOURS", "Retour", "ecrire_retours", "saisie_depuis"]

ONGLET_RETOURS = "Retours du coordinateur"
PREMIERE_LIGNE_REGISTRE = 5  # the first data row of a register table in the template (header on row 4)
AUTEUR = "rse-xl (coordinateur)"
COULEURS = {Gravite.ERREUR: ("#FFC7CE", "#C00000"), Gravite.AVERTISSEMENT: ("#FFEB9C", "#BF8F00")}
COULEUR_LIGNE = "#FCE4D6"


@dataclass
class Retour:
    """One returned workbook: where it was written, from which file, and what it carries."""

    source: Path
    chemin: Path
    office: str | None
    problemes: int
    marques: int  # problems marked on their cell
    non_places: list[Probleme] = field(default_factory=list)  # listed, but with no cell to mark


def saisie_depuis(lu: ClasseurLu, convention: Convention, problemes: Sequence[Probleme] = ()) -> Saisie:
    """What ``rse-xl modele`` needs to write back the values read in ``lu``, raw: every named input
    (identity, fiche fields), every register row at its row number, errors as errors, formulas without a
    result as formulas without a result."""
    from rse_xl.modele import Formule, Saisie

    erreurs = {(p.onglet, p.cellule): p.valeur for p in problemes if p.code == "erreur-formule" and p.cellule}
    sans_resultat = {
        (p.onglet, p.cellule): p.valeur for p in problemes if p.code == "formule-sans-resultat" and p.cellule
    }

    def brut(onglet: str, cellule: str, valeur: Any) -> Any:
        erreur = erreurs.get((onglet, cellule))
        if erreur in ERREURS_CONNUES:
            return Formule(erreur, erreur)  # the error literal as a formula, and as its result
        formule = sans_resultat.get((onglet, cellule))
        if formule and formule.startswith("=") and formule != "=…":
            return Formule(formule[1:], "")
        return valeur

    valeurs: dict[str, Any] = {}
    for nom, v in (*lu.identite.items(), *lu.reponses_tenus.items()):
        valeurs[nom] = brut(v.onglet, v.cellule, v.brut)
    actions = {a.code: a for f in convention.fiches for a in f.actions}
    for (code, annee, champ), v in lu.saisies.items():
        valeurs[nom_defini(actions[code], annee, champ)] = brut(v.onglet, v.cellule, v.brut)
    registres: dict[Any, list[dict[str, Any]]] = {}
    for registre, lignes in lu.registres.items():
        spec = REGISTRES[registre]
        en_ordre = sorted(lignes, key=lambda r: r.numero)
        if spec.lignes_fixes:
            registres[registre] = [
                {**_bruts(r, spec.onglet, brut), "annee": r.valeurs.get("annee")} for r in en_ordre
            ]
            continue
        rangees: list[dict[str, Any]] = []
        for ligne in en_ordre:
            # Rows at their numbers: a row left empty inside the table stays empty, so every cell keeps its
            # address and the office finds each note where the report says.
            while PREMIERE_LIGNE_REGISTRE + len(rangees) < ligne.numero:
                rangees.append({})
            rangees.append(_bruts(ligne, spec.onglet, brut))
        registres[registre] = rangees
    return Saisie(valeurs=valeurs, registres=registres, sous_tableaux=_sous_tableaux(lu, problemes))


def _sous_tableaux(lu: ClasseurLu, problemes: Sequence[Probleme]) -> dict[Any, list[dict[str, Any]]]:
    """Rows typed under a register table (``lignes-hors-tableau``), read again from the original: they are
    the office's entries, written back under the table as they were (still outside it, still reported)."""
    import python_calamine as pc

    par_onglet = {spec.onglet: (registre, spec) for registre, spec in REGISTRES.items()}
    sous: dict[Any, list[dict[str, Any]]] = {}
    plages = [p for p in problemes if p.code == "lignes-hors-tableau" and p.onglet in par_onglet and p.valeur]
    if not plages:
        return sous
    try:
        with open(lu.chemin, "rb") as f:
            wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(f.read()))
    except Exception:  # the file was read a moment ago; if it cannot be now, the rows stay listed only
        return sous
    for p in plages:
        registre, spec = par_onglet[p.onglet or ""]
        debut, _, fin = (p.valeur or "").partition(":")
        try:
            (l0, c0), (l1, _c1) = depuis_a1(debut), depuis_a1(fin or debut)
            grille = wb.get_sheet_by_name(p.onglet or "").to_python(skip_empty_area=False)
        except Exception:
            continue
        lignes = []
        for n in range(l0, min(l1, len(grille) - 1) + 1):
            rangee = grille[n]
            lignes.append(
                {col.cle: rangee[c0 + j] for j, col in enumerate(spec.colonnes) if c0 + j < len(rangee)}
            )
        sous[registre] = lignes
    return sous


def _bruts(ligne: Any, onglet: str, brut: Callable[[str, str, Any], Any]) -> dict[str, Any]:
    return {cle: brut(onglet, ligne.cellules.get(cle, ""), b) for cle, b in ligne.bruts.items()}


def ecrire_retours(
    consolidation: Consolidation,
    dossier: Path,
    *,
    ecraser: bool = False,
) -> list[Retour]:
    """Write the annotated copy of every office workbook the consolidation read, into ``dossier``.

    The copies are also recorded on ``consolidation.retours`` (office → path), so a summary written from this
    consolidation afterwards lists them, with a link, under its Contrôles table."""
    dossier = Path(dossier)
    if dossier.exists() and not dossier.is_dir():
        raise EntreeError(
            f"« {texte_chemin(dossier)} » est un fichier : indiquez un dossier pour les retours."
        )
    dossier.mkdir(parents=True, exist_ok=True)
    conv = consolidation.convention
    par_fichier: dict[str, list[Probleme]] = defaultdict(list)
    for p in consolidation.rapport.problemes:
        par_fichier[p.fichier].append(p)
    retours = []
    for info in consolidation.fichiers:
        source = Path(info.chemin)
        lu = lire_classeur(source, conv)
        if not lu.lisible or lu.office is None:
            continue  # nothing of the office's to write back: the report says why
        problemes = par_fichier.get(texte_chemin(source), [])
        cible = dossier / source.name
        if cible.resolve() == source.resolve():
            raise EntreeError(
                f"Le dossier des retours est celui des classeurs des offices ({texte_chemin(dossier)}) : "
                "choisissez un autre dossier, les originaux ne sont jamais remplacés."
            )
        retours.append(_ecrire_retour(lu, problemes, cible, consolidation, info.empreinte, ecraser))
    consolidation.retours = {r.office: str(r.chemin.resolve()) for r in retours if r.office}
    return retours


def _ecrire_retour(
    lu: ClasseurLu,
    problemes: list[Probleme],
    cible: Path,
    conso: Consolidation,
    empreinte: str,
    ecraser: bool,
) -> Retour:
    from rse_xl.modele import ecrire_classeur

    assert lu.office is not None
    conv = conso.convention
    retour = Retour(
        source=lu.chemin, chemin=cible, office=lu.office.code, problemes=len(problemes), marques=0
    )
    feuilles: list[Any] = []

    def avant(wb: Workbook) -> None:
        feuilles.append(wb.add_worksheet(ONGLET_RETOURS))  # first: the sheet the office sees on opening

    def apres(wb: Workbook, _plan: Any) -> None:
        renommes = _renommes(lu, conv)
        places = _marquer(wb, problemes, renommes)
        retour.marques = len(places)
        retour.non_places = [p for p in problemes if id(p) not in places]
        _onglet_retours(wb, feuilles[0], problemes, places, lu, conso, empreinte, renommes)
        feuilles[0].activate()

    ecrire_classeur(
        cible,
        lu.office,
        saisie_depuis(lu, conv, problemes),
        conv,
        ecraser=ecraser,
        entrees=[lu.chemin],
        avant=avant,
        apres=apres,
    )
    return retour


def _renommes(lu: ClasseurLu, convention: Convention) -> dict[str, str]:
    """Fiche sheets the office renamed (name in its file → the template's name, which the copy has back)."""
    fiches = {a.code: f for f in convention.fiches for a in f.actions}
    return {
        v.onglet: fiches[code].onglet
        for (code, _, _), v in lu.saisies.items()
        if v.onglet != fiches[code].onglet
    }


def _marquer(wb: Workbook, problemes: list[Probleme], renommes: dict[str, str]) -> set[int]:
    """Mark each problem's cell (one note per cell, all its problems in it); ids of the problems placed."""
    par_cellule: dict[tuple[str, str], list[Probleme]] = defaultdict(list)
    for p in problemes:
        if p.onglet and p.cellule:
            par_cellule[(renommes.get(p.onglet, p.onglet), p.cellule)].append(p)
    formats = {
        g: wb.add_format({"bg_color": fond, "border": 2, "border_color": bord})
        for g, (fond, bord) in COULEURS.items()
    }
    format_ligne = wb.add_format({"bg_color": COULEUR_LIGNE})
    registres = {spec.onglet: spec for spec in REGISTRES.values()}
    places: set[int] = set()
    for (onglet, cellule), liste in par_cellule.items():
        ws = wb.get_worksheet_by_name(onglet)
        if ws is None:
            continue  # a sheet renamed by the office: listed on the first sheet, not marked
        try:
            ligne, col = depuis_a1(cellule)
        except ValueError:
            continue
        liste.sort(key=lambda p: p.gravite is not Gravite.ERREUR)
        gravite = liste[0].gravite
        texte = "\n\n".join(_note(p) for p in liste)
        ws.write_comment(ligne, col, texte, {"author": AUTEUR, "x_scale": 3, "y_scale": 2.5})
        ws.conditional_format(
            ligne, col, ligne, col, {"type": "formula", "criteria": "TRUE", "format": formats[gravite]}
        )
        spec = registres.get(onglet)
        if spec is not None and ligne >= PREMIERE_LIGNE_REGISTRE - 1:
            ws.conditional_format(
                ligne,
                0,
                ligne,
                len(spec.colonnes) - 1,
                {"type": "formula", "criteria": "TRUE", "format": format_ligne},
            )
        places.update(id(p) for p in liste)
    return places


def _note(p: Probleme) -> str:
    titre = "Erreur" if p.gravite is Gravite.ERREUR else "Avertissement"
    texte = f"{titre} : {p.message}"
    if p.valeur not in (None, ""):
        texte += f"\nValeur trouvée : {p.valeur}"
    return texte


def _onglet_retours(
    wb: Workbook,
    ws: Worksheet,
    problemes: list[Probleme],
    places: set[int],
    lu: ClasseurLu,
    conso: Consolidation,
    empreinte: str,
    renommes: dict[str, str],
) -> None:
    from rse_xl.xlsx import ecrire_valeur

    titre = wb.add_format({"bold": True, "font_size": 16, "font_color": "#1F4E79"})
    gras = wb.add_format({"bold": True})
    entete = wb.add_format(
        {"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF", "text_wrap": True, "border": 1}
    )
    texte = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    lien = wb.add_format({"font_color": "#0563C1", "underline": 1, "valign": "top", "border": 1})
    couleurs = {
        g: wb.add_format({"bold": True, "valign": "top", "border": 1, "bg_color": c[0]})
        for g, c in COULEURS.items()
    }
    office = lu.office.nom if lu.office else "?"
    ws.write_string(0, 0, f"Retours du coordinateur — {office}", titre)
    infos = [
        ("Consolidation du", f"{conso.genere_le:%d/%m/%Y à %H:%M}"),
        ("Campagne", str(conso.annee)),
        ("Fichier contrôlé", texte_chemin(lu.chemin.name)),
        ("Empreinte du fichier contrôlé (Journal)", empreinte),
        (
            "Problèmes",
            f"{sum(p.gravite is Gravite.ERREUR for p in problemes)} erreur(s), "
            f"{sum(p.gravite is Gravite.AVERTISSEMENT for p in problemes)} avertissement(s)",
        ),
    ]
    if lu.modele_version is not None and lu.modele_version < MODELE_VERSION:
        infos.append(
            (
                "Modèle",
                f"votre classeur était du modèle version {lu.modele_version} : cette copie est au modèle actuel "
                f"(version {MODELE_VERSION}), toutes vos saisies reprises. Continuez dans cette copie.",
            )
        )
    for i, (cle, valeur) in enumerate(infos, start=2):
        ws.write_string(i, 0, cle, gras)
        ws.write_string(i, 1, valeur)
    ws.write_string(
        8,
        0,
        "Chaque problème est marqué sur sa cellule (couleur et note). Corrigez dans ce classeur, enregistrez-le, "
        "et renvoyez-le : il reste votre classeur, l'onglet « Retours du coordinateur » est ignoré à la lecture.",
    )
    debut = 10
    for j, (nom, largeur) in enumerate(
        (
            ("Gravité", 14),
            ("Onglet", 24),
            ("Cellule", 10),
            ("Problème", 90),
            ("Valeur trouvée", 24),
            ("Aller", 10),
        )
    ):
        ws.write_string(debut, j, nom, entete)
        ws.set_column(j, j, largeur)
    ordre = sorted(
        problemes, key=lambda p: (p.gravite is not Gravite.ERREUR, p.onglet or "", _rang(p.cellule))
    )
    for i, p in enumerate(ordre, start=debut + 1):
        ws.write_string(
            i, 0, "Erreur" if p.gravite is Gravite.ERREUR else "Avertissement", couleurs[p.gravite]
        )
        ws.write_string(i, 1, p.onglet or "", texte)
        ws.write_string(i, 2, p.cellule or "", texte)
        ws.write_string(i, 3, p.message, texte)
        ecrire_valeur(ws, i, 4, p.valeur, texte)
        if p.onglet and p.cellule and id(p) in places:
            ligne, col = depuis_a1(p.cellule)
            cible = reference(renommes.get(p.onglet, p.onglet), ligne, col)
            ws.write_url(i, 5, f"internal:{cible}", lien, "Ouvrir")
        else:
            ws.write_blank(i, 5, None, texte)
    ws.autofilter(debut, 0, debut + max(len(ordre), 1), 5)
    ws.freeze_panes(debut + 1, 0)


def _rang(cellule: str | None) -> tuple[int, int]:
    if not cellule:
        return (0, 0)
    try:
        return depuis_a1(cellule)
    except ValueError:
        return (0, 0)

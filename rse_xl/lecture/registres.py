"""The register tables: their rows, read a column at a time when every cell is plain, else cell by cell."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from rse_xl import conversion as cv
from rse_xl.cellules import colonne_lettres
from rse_xl.layout import CLASSES_DPE, REGISTRES, Colonne, SpecRegistre, TypeColonne
from rse_xl.lecture.donnees import ClasseurLu, LigneRegistre, _Colonnes
from rse_xl.lecture.feuilles import _Feuilles
from rse_xl.ooxml import Paquet, formules_et_resultats
from rse_xl.referentiel import Convention


class _Registres:
    """The register tables of one workbook, found by their table names, into ``lu.registres``."""

    def __init__(self, lu: ClasseurLu, paquet: Paquet, feuilles: _Feuilles, convention: Convention) -> None:
        self.lu = lu
        self.paquet = paquet
        self.feuilles = feuilles
        self.conv = convention

    def lire(self) -> None:
        wb = self.feuilles.wb
        assert wb is not None
        tables = set(wb.table_names or [])
        for spec in REGISTRES.values():
            if spec.table not in tables:
                if self.paquet.feuille(spec.onglet) is None:
                    self.lu.signaler("onglet-manquant", onglet=spec.onglet)
                else:
                    self.lu.signaler("tableau-manquant", onglet=spec.onglet, table=spec.table)
                continue
            self._registre(spec)

    def _registre(self, spec: SpecRegistre) -> None:
        wb = self.feuilles.wb
        assert wb is not None
        lu = self.lu
        table = wb.get_table_by_name(spec.table)
        onglet = table.sheet
        entetes = {cv.cle_liste(str(c)): j for j, c in enumerate(table.columns)}
        positions: dict[str, int] = {}
        for col in spec.colonnes:
            j = entetes.get(cv.cle_liste(col.entete))
            if j is None:
                lu.signaler("colonne-manquante", onglet=onglet, colonne=col.entete, table=spec.table)
            else:
                positions[col.cle] = j
        lu.registres_presents.add(spec.registre)
        if table.start is None or table.end is None:  # a table with no cell at all
            lu.registres[spec.registre] = []
            return
        debut_ligne, debut_col = table.start
        fin_ligne, fin_col = table.end
        self._sous_le_tableau(spec, onglet, fin_ligne, debut_col, fin_col)
        donnees: list[list[Any]]
        try:
            donnees = table.to_python()
        except BaseException as exc:  # calamine panics (a BaseException) on some out-of-range dates
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            grille = self.feuilles.grille(onglet)  # the whole sheet, read again or by the slower reader
            if grille is None:  # reported once on the sheet; the register counts as not there
                lu.registres_presents.discard(spec.registre)
                return
            donnees = [
                [(r[j] if j < len(r) else None) for j in range(debut_col, fin_col + 1)]
                for r in grille[debut_ligne : fin_ligne + 1]
            ]
        erreurs = self.feuilles.speciales(onglet)
        cles = list(positions)
        js = [positions[cle] for cle in cles]
        colonnes = [spec.colonne(cle) for cle in cles]
        lettres = [colonne_lettres(debut_col + j) for j in js]
        formules = self._formules_registre(spec, onglet, debut_ligne, fin_ligne, set(lettres))
        if formules:
            # a formula without a stored result reads as an empty cell: it is an error on its cell instead
            erreurs = {**erreurs, **formules}
        if not erreurs:
            en_bloc = _registre_en_bloc(donnees, debut_ligne, cles, js, colonnes, lettres, spec, self.conv)
            if en_bloc is not None:
                lu.registres[spec.registre] = en_bloc
                return
        lignes: list[LigneRegistre] = []
        lecteurs = [_lecteurs_colonne(col, self.conv) for col in colonnes]
        rapides = [rapide for rapide, _ in lecteurs]
        convertisseurs = [complet for _, complet in lecteurs]
        # Rows left empty but the year (prefilled key rows of Données annuelles) are skipped too.
        js_fixes = [j for cle, j in positions.items() if cle != "annee"] if spec.lignes_fixes else None
        vide: list[Any] = []
        for i, brute in enumerate(donnees):
            n = debut_ligne + i
            largeur = len(brute)
            if len(vide) != largeur:
                vide = [""] * largeur
            if brute == vide:  # the usual empty row of the table: every cell ""
                if (
                    not erreurs
                    or js_fixes is not None
                    or not any(f"{lettre}{n + 1}" in erreurs for lettre in lettres)
                ):
                    continue
            else:
                if all(cv.est_vide(brute[j]) for j in js if j < largeur) and not (
                    erreurs and any(f"{lettre}{n + 1}" in erreurs for lettre in lettres)
                ):
                    continue
                if js_fixes is not None and all(cv.est_vide(brute[j]) for j in js_fixes if j < largeur):
                    continue  # a year row left empty
            numero = str(n + 1)
            cellules = [lettre + numero for lettre in lettres]
            bruts = [brute[j] if j < largeur else None for j in js]
            ligne = LigneRegistre(
                numero=n + 1,
                valeurs={},
                cellules=dict(zip(cles, cellules, strict=True)),
                bruts=dict(zip(cles, bruts, strict=True)),
            )
            valeurs = ligne.valeurs
            for k, cle in enumerate(cles):
                brut = bruts[k]
                if brut is None or (brut.__class__ is str and not brut):
                    if erreurs and cellules[k] in erreurs:
                        self._erreur_registre(ligne, cle, onglet, cellules[k], erreurs)
                    else:
                        valeurs[cle] = None  # an empty cell reads as nothing, whatever its column
                    continue
                if erreurs and cellules[k] in erreurs:
                    self._erreur_registre(ligne, cle, onglet, cellules[k], erreurs)
                    continue
                valeur = rapides[k](brut)
                if valeur is cv.LENT:
                    r = convertisseurs[k](brut)
                    if not r.ok:
                        ligne.exclue = True
                        valeurs[cle] = None
                        self._signaler_colonne(r, colonnes[k], onglet, cellules[k], brut)
                        continue
                    if r.note:
                        lu.signaler(
                            "lecture-interpretee",
                            onglet=onglet,
                            cellule=cellules[k],
                            valeur=cv.decrire(brut),
                            note=r.note,
                        )
                    valeur = r.valeur
                if isinstance(valeur, int | float) and not isinstance(valeur, bool) and valeur < 0:
                    ligne.exclue = True
                    lu.signaler(
                        "nombre-negatif",
                        onglet=onglet,
                        cellule=cellules[k],
                        valeur=cv.decrire(brut),
                        quoi=colonnes[k].entete.lower(),
                    )
                    valeurs[cle] = None
                    continue
                valeurs[cle] = valeur
            lignes.append(ligne)
        lu.registres[spec.registre] = lignes

    def _sous_le_tableau(
        self, spec: SpecRegistre, onglet: str, fin: int, debut_col: int, fin_col: int
    ) -> None:
        """Rows typed right under a register table, outside it (LibreOffice does not extend a table when one
        types below it): not counted, but never silent."""
        derniere = self.paquet.derniere_ligne(onglet)
        if derniere is not None and derniere <= fin:
            return  # the sheet's used range ends with the table: nothing below (the usual case, no grid read)
        grille = self.feuilles.grille(onglet) or []
        lignes = [
            n + 1
            for n in range(fin + 1, min(len(grille), fin + 1 + LIGNES_SOUS_TABLEAU))
            if any(not cv.est_vide(x) for x in grille[n][debut_col : fin_col + 1])
        ]
        if not lignes:
            return
        premiere, derniere_lue = colonne_lettres(debut_col) + str(lignes[0]), colonne_lettres(fin_col)
        self.lu.signaler(
            "lignes-hors-tableau",
            onglet=onglet,
            cellule=premiere,
            valeur=f"{premiere}:{derniere_lue}{lignes[-1]}",
            nombre=str(len(lignes)),
            table=spec.table,
            lignes=_plages_lignes(lignes),
        )

    def _formules_registre(
        self, spec: SpecRegistre, onglet: str, debut: int, fin: int, lettres: set[str]
    ) -> dict[str, str]:
        """Formulas in the register's cells: those without a stored result (cell → formula, reported as
        errors on their cells by the caller); those with one are read, and said in one warning."""
        sans: dict[str, str] = {}
        avec: list[tuple[int, str, str]] = []
        f = self.paquet.feuille(onglet)
        xml = self.paquet.lire(f.chemin) if f is not None and f.chemin else b""
        for cellule, (texte, calcule) in formules_et_resultats(xml).items():
            m = _REF_A1.fullmatch(cellule)
            if m is None or m.group(1) not in lettres or not debut + 1 < int(m.group(2)) <= fin + 1:
                continue  # the header row, or a cell outside the table's columns
            if calcule:
                avec.append((int(m.group(2)), cellule, texte))
            else:
                sans[cellule] = _SANS_RESULTAT + texte
        if avec:
            avec.sort()
            self.lu.signaler(
                "formules-registre",
                onglet=onglet,
                cellule=avec[0][1],
                nombre=str(len(avec)),
                table=spec.table,
                formule=avec[0][2],
            )
        return sans

    def _erreur_registre(
        self, ligne: LigneRegistre, cle: str, onglet: str, cellule: str, erreurs: dict[str, str]
    ) -> None:
        erreur = erreurs[cellule]
        if erreur.startswith(_SANS_RESULTAT):
            self.lu.signaler(
                "formule-sans-resultat", onglet=onglet, cellule=cellule, valeur=erreur[len(_SANS_RESULTAT) :]
            )
        else:
            self.lu.signaler("erreur-formule", onglet=onglet, cellule=cellule, valeur=erreur)
        ligne.valeurs[cle] = None
        ligne.exclue = True

    def _signaler_colonne(self, r: cv.Lu, col: Colonne, onglet: str, cellule: str, brut: Any) -> None:
        valeur = cv.decrire(brut)
        if r.code == "valeur-hors-liste":
            if col.type is TypeColonne.CODE_ACTION:
                self.lu.signaler("code-action-inconnu", onglet=onglet, cellule=cellule, valeur=valeur)
            elif col.valeurs == CLASSES_DPE:
                self.lu.signaler("classe-dpe-invalide", onglet=onglet, cellule=cellule, valeur=valeur)
            else:
                self.lu.signaler(
                    "valeur-hors-liste",
                    onglet=onglet,
                    cellule=cellule,
                    valeur=valeur,
                    colonne=col.entete,
                    valeurs=", ".join(col.valeurs),
                )
            return
        attendu, conseil = _ATTENDUS.get(col.type, ("une valeur valide", "corrigez la saisie"))
        self.lu.signaler(
            r.code or "type-invalide",
            onglet=onglet,
            cellule=cellule,
            valeur=valeur,
            attendu=attendu,
            conseil=conseil,
            quoi=col.entete.lower(),
        )


_REF_A1 = re.compile(r"([A-Z]{1,3})(\d+)")
_SANS_RESULTAT = "\x00"  # marks, among a register's error cells, a formula without a stored result


def _registre_en_bloc(
    donnees: list[list[Any]],
    debut_ligne: int,
    cles: list[str],
    js: list[int],
    colonnes: list[Colonne],
    lettres: list[str],
    spec: SpecRegistre,
    conv: Convention,
) -> list[LigneRegistre] | None:
    """The rows of a register read column by column, when every cell is plain; None otherwise.

    Plain: no error cell, and every value already of its column's type (no note, no problem), which is
    what a register filled through the lists and formats of the template holds. The result is then the
    same as the cell-by-cell reading of ``_Registres._registre``, which handles every other case.
    """
    if len(js) < 2 or not donnees:
        return None
    largeur = len(donnees[0])
    if max(js) >= largeur or len(set(map(len, donnees))) != 1:
        return None
    vide = [""] * largeur
    prendre = itemgetter(*js)
    # Rows with something in the table (a C comparison each), their values column by column; a row whose
    # values all read as nothing is then left out (every plain empty value reads as None).
    numeros = [i for i, brute in enumerate(donnees) if brute != vide]
    if not numeros:
        return []
    bruts = list(map(prendre, map(donnees.__getitem__, numeros)))
    converties = []
    for col, valeurs_colonne in zip(colonnes, zip(*bruts, strict=True), strict=True):
        lues = _colonne_en_bloc(col, valeurs_colonne, _lecteurs_colonne(col, conv)[0])
        if lues is None:
            return None
        converties.append(lues)
    valeurs = list(zip(*converties, strict=True))
    # Kept: rows with a value; in Données annuelles, a value besides the prefilled year.
    hors_annee = [k for k, cle in enumerate(cles) if cle != "annee"] if spec.lignes_fixes else None
    garder = [
        v.count(None) != len(v) and (hors_annee is None or any(v[k] is not None for k in hors_annee))
        for v in valeurs
    ]
    colonnes_lues = _Colonnes(tuple(cles), frozenset(cles), tuple(lettres))
    n = len(garder)
    return list(
        map(
            LigneRegistre.differee,
            compress(map((debut_ligne + 1).__add__, numeros), garder),
            compress(map(dict, map(zip, repeat(cles, n), valeurs)), garder),
            repeat(colonnes_lues, n),
            compress(bruts, garder),
        )
    )


LIGNES_SOUS_TABLEAU = 1000  # rows looked at under a register table for rows typed outside it


def _plages_lignes(numeros: Sequence[int]) -> str:
    """``[205, 206, 207, 210]`` → « lignes 205 à 207, 210 »."""
    plages: list[list[int]] = []
    for n in numeros:
        if plages and n == plages[-1][1] + 1:
            plages[-1][1] = n
        else:
            plages.append([n, n])
    textes = [f"{a} à {b}" if b > a + 1 else (f"{a}, {b}" if b == a + 1 else str(a)) for a, b in plages]
    return ("lignes " if len(numeros) > 1 else "ligne ") + ", ".join(textes)


_DATETIME = dt.datetime


def _colonne_en_bloc(col: Colonne, brutes: tuple[Any, ...], rapide: Callable[[Any], Any]) -> list[Any] | None:
    """The values of one column when they are all plain (see ``_registre_en_bloc``), else None.

    ``rapide`` is the column's fast reader (``_lecteurs_colonne``): a value it leaves to the full converter,
    or a negative number (reported by the cell-by-cell reading), sends the register down that reading.
    """
    t = col.type
    types = set(map(type, brutes))
    homogene = _colonne_homogene(t, types, brutes, rapide)
    if homogene is not None:
        return homogene
    if t in (TypeColonne.TEXTE, TypeColonne.LIEN):
        if not types <= {str}:
            return None
        textes = list(map(str.strip, brutes))
        if not all(map(str.isprintable, textes)) and any(map(cv.a_controles, textes)):
            return None
        return [texte or None for texte in textes]
    lues = [None if b == "" or b is None else rapide(b) for b in brutes]
    if cv.LENT in lues or any((x.__class__ is float or x.__class__ is int) and x < 0 for x in lues):
        return None
    return lues


_OUI_NON = {"Oui": True, "Non": False, True: True, False: False, "": None, None: None}


def _colonne_homogene(
    t: TypeColonne, types: set[type], brutes: tuple[Any, ...], rapide: Callable[[Any], Any]
) -> list[Any] | None:
    """The common cases of ``_colonne_en_bloc`` worked out a column at once, without a step per cell:
    every cell a date, every cell a number, every value from the list… None when the column is not one."""
    if t in (TypeColonne.DECIMAL, TypeColonne.MONTANT):
        if types <= {float, int} and all(map(math.isfinite, brutes)) and min(brutes) >= 0:
            return list(brutes)
    elif t is TypeColonne.ENTIER:
        if types == {float} and all(map(float.is_integer, brutes)) and min(brutes) >= 0:
            return list(map(int, brutes))
    elif t is TypeColonne.ANNEE:
        if (
            types == {float}
            and all(map(float.is_integer, brutes))
            and 1900 <= min(brutes) <= max(brutes) <= 2100
        ):
            return list(map(int, brutes))
    elif t is TypeColonne.DATE:
        if types == {_DATETIME}:
            return list(map(_DATETIME.date, brutes))
    elif t is TypeColonne.OUI_NON:
        if types <= {str, bool, type(None)} and set(brutes) <= _OUI_NON.keys():
            return list(map(_OUI_NON.__getitem__, brutes))
    elif t not in (TypeColonne.TEXTE, TypeColonne.LIEN) and types <= {str, type(None)}:
        valeurs = set(brutes)
        valeurs.discard("")
        valeurs.discard(None)
        if all(rapide(v) is not cv.LENT for v in valeurs):  # each distinct value once, as the list has it
            return [b or None for b in brutes]
    return None


_ATTENDUS = {
    TypeColonne.ENTIER: ("un nombre entier", "saisissez un nombre entier, par exemple 12"),
    TypeColonne.DECIMAL: ("un nombre", "saisissez un nombre, par exemple 12,5"),
    TypeColonne.MONTANT: ("un montant", "saisissez un montant en euros HT, par exemple 45 000"),
    TypeColonne.DATE: ("une date", "saisissez une date au format jj/mm/aaaa"),
    TypeColonne.ANNEE: ("une année de la convention", "saisissez 2025, 2026 ou 2027"),
    TypeColonne.OUI_NON: ("Oui ou Non", "choisissez Oui ou Non"),
}


_LECTEURS: dict[TypeColonne, tuple[Callable[[Any], Any], Callable[[Any], cv.Lu]]] = {
    TypeColonne.TEXTE: (cv.texte_simple, cv.en_texte),
    TypeColonne.LIEN: (cv.texte_simple, cv.en_texte),
    TypeColonne.ENTIER: (cv.entier_simple, cv.en_entier),
    TypeColonne.DECIMAL: (cv.nombre_simple, cv.en_nombre),
    TypeColonne.MONTANT: (cv.nombre_simple, cv.en_nombre),
    TypeColonne.DATE: (cv.date_simple, cv.en_date),
    TypeColonne.ANNEE: (cv.annee_simple, cv.en_annee),
    TypeColonne.OUI_NON: (cv.booleen_simple, cv.en_booleen),
}


def _lecteurs_colonne(col: Colonne, conv: Convention) -> tuple[Callable[[Any], Any], Callable[[Any], cv.Lu]]:
    """(fast path, full converter) of one register column."""
    if col.type in _LECTEURS:
        return _LECTEURS[col.type]
    if col.type is TypeColonne.CODE_ACTION:
        codes = tuple(a.code for f in conv.fiches for a in f.actions)
        return (
            cv.choix_simple([c for c in codes if c == c.upper().replace(" ", "")]),
            lambda b: cv.en_choix(str(b).upper().replace(" ", "") if isinstance(b, str) else b, codes),
        )
    stricte = col.type is not TypeColonne.SUGGESTION
    return cv.choix_simple(col.valeurs), lambda b: cv.en_choix(b, col.valeurs, stricte=stricte)

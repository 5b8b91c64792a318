"""Low-level access to the sheets of a workbook: the fast reader, its fallbacks, the cells read by name."""

from __future__ import annotations

import io
from collections.abc import Callable, Container
from typing import Any

import python_calamine as pc

from rse_xl import conversion as cv
from rse_xl.cellules import a1
from rse_xl.fichiers import texte_chemin
from rse_xl.lecture.donnees import ClasseurLu, ValeurLue
from rse_xl.ooxml import CellulesFormules, Paquet, cellules_formules, formule_de

_A1: dict[tuple[int, int], str] = {}


def _a1(ligne: int, col: int) -> str:
    """``a1`` memoised: the same few hundred input cells are named in every workbook."""
    try:
        return _A1[ligne, col]
    except KeyError:
        if len(_A1) > 100_000:
            _A1.clear()
        texte = _A1[ligne, col] = a1(ligne, col)
        return texte


class _Feuilles:
    """The sheets of one workbook as python-calamine reads them, each read once and kept.

    When the fast reader refuses a cell, the package is read again from a copy with such cells rewritten
    (``Paquet.copie_assainie``), and a sheet it still cannot take is read by openpyxl. Besides the values:
    each sheet's error cells, formula cells and merged ranges. The dictionaries are filled in place and never
    replaced, so that the fiche and register readers may hold them (see ``_Fiches``).
    """

    def __init__(self, lu: ClasseurLu, paquet: Paquet) -> None:
        self.lu = lu
        self.paquet = paquet
        self.grilles: dict[str, list[list[Any]]] = {}
        self.erreurs: dict[str, dict[str, str]] = {}
        self.formules: dict[str, Container[str]] = {}
        self.fusions: dict[str, list[tuple[int, int, int, int]]] = {}
        self.onglets_fiches: set[str] = set()  # the fiche sheets, under the names they have in this file
        self.wb: pc.CalamineWorkbook | None = None
        self.formules_saisies: dict[str, Container[str]] = {}  # sheet → formula cells
        self.illisibles: set[str] = set()  # sheets neither reader could read (reported once)
        self._copie: bytes | None = None  # the package with its unreadable cells rewritten, once made
        self._tout_assaini = False  # every sheet already looked at for cells the fast reader refuses

    def ouvrir(self) -> bool:
        try:
            if self.paquet.assainies:
                # cells the fast reader cannot take (#SPILL!, NaN…) are rewritten in a copy held in memory
                self.wb = pc.CalamineWorkbook.from_filelike(
                    io.BytesIO(self._copie_assainie()), load_tables=True
                )
            elif texte_chemin(self.lu.chemin) != str(self.lu.chemin):
                # a file name that is not UTF-8 cannot be handed to the fast reader; its bytes can
                with open(self.lu.chemin, "rb") as f:
                    self.wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(f.read()), load_tables=True)
            else:
                self.wb = pc.CalamineWorkbook.from_path(str(self.lu.chemin), load_tables=True)
        except pc.PasswordError:
            self.lu.signaler("fichier-protege")
            return False
        except Exception as exc:  # calamine raises several error types for broken packages
            self.lu.signaler("fichier-illisible", detail=f"{type(exc).__name__} : {exc}")
            return False
        return True

    def grille(self, onglet: str) -> list[list[Any]] | None:
        if onglet not in self.grilles:
            if onglet in self.illisibles:
                return None
            feuille: Any = None
            for essai in (1, 2):
                assert self.wb is not None
                try:
                    feuille = self.wb.get_sheet_by_name(onglet)
                    self.grilles[onglet] = feuille.to_python(skip_empty_area=False)
                    break
                except pc.WorksheetNotFound:
                    return None
                except BaseException as exc:  # calamine panics (a BaseException) on some out-of-range dates
                    if isinstance(exc, KeyboardInterrupt | SystemExit):
                        raise
                    feuille = None
                    if essai == 1 and self._assainir_apres_refus():
                        continue  # the cells it refused are rewritten: read the sheet again
                    grille = self._grille_secours(onglet)  # the slower reader takes the whole sheet
                    if grille is None:
                        return None
                    self.grilles[onglet] = grille
                    break
            fusions = (feuille.merged_cell_ranges if feuille is not None else None) or []
            self.fusions[onglet] = [(d[0], d[1], f[0], f[1]) for d, f in fusions]
            self.speciales(onglet)
        return self.grilles[onglet]

    def _assainir_apres_refus(self) -> bool:
        """After the fast reader refused a cell (an error literal or a Boolean it does not know), rewrite every
        such cell in the copy it reads, once, and reopen it; False when there was nothing to rewrite."""
        if self._tout_assaini:
            return False
        self._tout_assaini = True
        avant = dict(self.paquet.assainies)
        if not self.paquet.assainir_tout() or self.paquet.assainies == avant:
            return False
        self._copie = None
        try:
            self.wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(self._copie_assainie()), load_tables=True)
        except Exception:  # the first opening worked: keep it, the slower reader does the rest
            return False
        return True

    def _copie_assainie(self) -> bytes:
        if self._copie is None:
            self._copie = self.paquet.copie_assainie()
        return self._copie

    def speciales(self, onglet: str) -> dict[str, str]:
        """Error cells of a sheet (and formula cells of fiche sheets), scanned once."""
        if onglet not in self.erreurs:
            self.erreurs[onglet], self.formules[onglet] = self.paquet.cellules_speciales(
                onglet,
                formules=onglet in self.onglets_fiches or (onglet[:1] == "F" and onglet[1:3].isdigit()),
            )
        return self.erreurs[onglet]

    def _grille_secours(self, onglet: str) -> list[list[Any]] | None:
        """The sheet's values read by openpyxl: slower, but it survives cells the fast reader chokes on.

        None, and one entry naming the sheet, when neither reader can read it."""
        import warnings

        import openpyxl

        source: Any = io.BytesIO(self._copie_assainie()) if self.paquet.assainies else self.lu.chemin
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
                try:
                    ws = wb[onglet]
                    return [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
                finally:
                    wb.close()
        except Exception as exc:  # whatever stops both readers, only this sheet is lost
            self.illisibles.add(onglet)
            self.lu.signaler("onglet-illisible", onglet=onglet, detail=f"{type(exc).__name__} : {exc}"[:200])
            return None

    def brut(self, onglet: str, ligne: int, col: int) -> Any:
        grille = self.grille(onglet) or []
        if ligne < len(grille) and col < len(grille[ligne]):
            return grille[ligne][col]
        return None

    def position(self, nom: str) -> tuple[str, int, int] | None:
        return self.paquet.position(nom)

    def lire_nomme(
        self, nom: str, convertir: Callable[[Any], cv.Lu], *, signaler_absent: bool = True, **contexte: Any
    ) -> ValeurLue | None:
        cible = self.position(nom)
        if cible is None or self.grille(cible[0]) is None:
            if signaler_absent and (cible is None or cible[0] not in self.illisibles):
                self.lu.signaler("nom-manquant", nom=nom, **contexte)
            return None
        onglet, ligne, col = cible
        formules = self.formules_saisies.get(onglet)
        if formules is None:
            formules = self.formules_de_saisie(onglet)
        cellule = _a1(ligne, col)
        formule = self.formule(onglet, cellule) if cellule in formules else None
        if formule is not None:
            v = self.formule_en_saisie(onglet, cellule, self.brut(onglet, ligne, col), formule, {}, contexte)
            if v is not None:
                return v
        return self.convertir(onglet, ligne, col, convertir, **contexte)

    def convertir(
        self, onglet: str, ligne: int, col: int, convertir: Callable[[Any], cv.Lu], **contexte: Any
    ) -> ValeurLue:
        cellule = _a1(ligne, col)
        brut = self.brut(onglet, ligne, col)
        erreurs = self.erreurs.get(onglet)
        erreur = erreurs.get(cellule) if erreurs else None
        if erreur is not None:
            self.lu.signaler("erreur-formule", onglet=onglet, cellule=cellule, valeur=erreur, **contexte)
            return ValeurLue(None, erreur, onglet, cellule, valide=False)
        resultat = convertir(brut)
        valeur = ValeurLue(resultat.valeur, brut, onglet, cellule, valide=resultat.ok)
        if not resultat.ok:
            self._signaler_conversion(resultat, valeur, **contexte)
            valeur.valeur = None
        elif resultat.note:
            self.lu.signaler(
                "lecture-interpretee",
                onglet=onglet,
                cellule=cellule,
                valeur=cv.decrire(brut),
                note=resultat.note,
                **contexte,
            )
        return valeur

    def _signaler_conversion(
        self,
        r: cv.Lu,
        v: ValeurLue,
        attendu: str = "une valeur valide",
        conseil: str = "corrigez la saisie",
        quoi: str = "nombre",
        **contexte: Any,
    ) -> None:
        code = r.code or "type-invalide"
        self.lu.signaler(
            code,
            onglet=v.onglet,
            cellule=v.cellule,
            valeur=cv.decrire(v.brut),
            attendu=attendu,
            conseil=conseil,
            quoi=quoi,
            **contexte,
        )

    def formules_de_saisie(self, onglet: str) -> Container[str]:
        """The cells of a sheet holding a formula, found once (from its ``<f`` tags: a fiche sheet's few
        dozen live formulas); what a formula in an input cell is, is looked at only for such a cell."""
        f = self.paquet.feuille(onglet)
        try:
            xml = self.paquet.lire(f.chemin) if f is not None and f.chemin else b""
        except KeyError:
            xml = b""
        vues = self.formules.get(onglet)
        if isinstance(vues, CellulesFormules):
            formules: Container[str] = vues.toutes()  # shared with the look at computed cells
        else:
            formules = cellules_formules(xml) if b"<f" in xml or b":f" in xml else frozenset()
        self.formules_saisies[onglet] = formules
        return formules

    def formule(self, onglet: str, cellule: str) -> tuple[str, bool] | None:
        f = self.paquet.feuille(onglet)
        return formule_de(self.paquet.lire(f.chemin), cellule) if f is not None and f.chemin else None

    def formule_en_saisie(
        self,
        onglet: str,
        cellule: str,
        brut: Any,
        formule: tuple[str, bool],
        aide: dict[str, Any],
        ctx: dict[str, Any],
    ) -> ValeurLue | None:
        """A formula typed in an input cell. Without a stored result it is an error on the cell (never an
        empty input); with one, the result is read as if typed (None: the caller converts it), and a warning
        says a formula was found."""
        texte, calcule = formule
        if cellule in self.speciales(onglet):
            return None  # a formula whose result is an error: the error is what to report
        if not calcule or cv.est_vide(brut):
            self.lu.signaler(
                "formule-sans-resultat", onglet=onglet, cellule=cellule, valeur=texte, **aide, **ctx
            )
            return ValeurLue(None, texte, onglet, cellule, valide=False)
        self.lu.signaler(
            "formule-en-saisie", onglet=onglet, cellule=cellule, formule=texte, valeur=cv.decrire(brut), **ctx
        )
        return None

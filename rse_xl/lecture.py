"""Read an office workbook into typed records, each value with the sheet and cell it came from.

Inputs are found by the layout's defined names and table names, never by coordinates, so rows inserted by
a user shift nothing. Reading never raises on bad data: every problem becomes a :class:`Probleme`, and a
value that could not be read is kept as ``None`` with ``valide=False``. The file is opened read-only.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from stat import S_ISDIR, S_ISFIFO, S_ISREG
from typing import Any

import python_calamine as pc

from rse_xl import conversion as cv
from rse_xl.cellules import a1, colonne_lettres, depuis_a1
from rse_xl.controles import Gravite, Probleme, probleme
from rse_xl.fichiers import empreinte, raison, texte_chemin
from rse_xl.layout import (
    CHAMP_CALCULE,
    CLASSES_DPE,
    ETATS_ETAPE,
    IDENTITE,
    NOM_MODELE_IDENTIFIANT,
    NOM_MODELE_VERSION,
    NOM_OFFICE_CODE,
    NOM_OUTIL_VERSION,
    NOM_REFERENTIEL_EMPREINTE,
    ONGLET_IDENTITE,
    REGISTRES,
    TYPES_AVEC_RATIO,
    VERSIONS_CONNUES,
    Champ,
    Colonne,
    SpecRegistre,
    TypeColonne,
    a_un_calcul,
    champs_action,
    nom_defini,
)
from rse_xl.ooxml import (
    CellulesFormules,
    Nature,
    Paquet,
    PaquetError,
    cellules_formules,
    formule_de,
    formules_et_resultats,
    nature_fichier,
)
from rse_xl.referentiel import (
    ANNEES,
    Action,
    Convention,
    Fiche,
    Mesure,
    Office,
    Registre,
    TypeIndicateur,
    referentiel,
)

LONGUEUR_TEXTE_MAX = 2000

# Indicator kinds counted in whole units.
TYPES_ENTIERS = (
    TypeIndicateur.COMPTAGE,
    TypeIndicateur.COMPTAGE_COMMUN,
    TypeIndicateur.ENSEMBLE_DISTINCT,
    TypeIndicateur.COMPARAISON_DPE,
)


@dataclass
class ValeurLue:
    """One input value: typed (``None`` when empty or unreadable), with its raw content and position."""

    valeur: Any
    brut: Any
    onglet: str
    cellule: str
    valide: bool = True

    @property
    def renseignee(self) -> bool:
        return self.valeur is not None and self.valeur != ""


@dataclass
class LigneRegistre:
    numero: int  # Excel row number
    valeurs: dict[str, Any]
    cellules: dict[str, str]  # column key → A1
    bruts: dict[str, Any] = field(default_factory=dict)
    exclue: bool = False  # an error on the row keeps it out of every figure

    @classmethod
    def differee(
        cls, numero: int, valeurs: dict[str, Any], colonnes: _Colonnes, bruts: tuple[Any, ...]
    ) -> LigneRegistre:
        """A row whose ``cellules`` and ``bruts`` are built when first used: most rows never need them.

        A register holds thousands of cells; only the rows a problem is reported on need their A1 positions.
        The row is the same as one built with every field (equality, repr, pickling).
        """
        ligne = cls.__new__(cls)
        ligne.__dict__ = {
            "numero": numero,
            "valeurs": valeurs,
            "exclue": False,
            "_differe": (colonnes, bruts),
        }
        return ligne

    def __getattr__(self, nom: str) -> Any:
        # Called only for a missing attribute: the deferred fields of a row made by differee().
        differe = self.__dict__.get("_differe") if nom in ("cellules", "bruts") else None
        if differe is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {nom!r}")
        colonnes, bruts = differe
        numero = str(self.numero)
        self.__dict__["cellules"] = dict(
            zip(colonnes.cles, [x + numero for x in colonnes.lettres], strict=True)
        )
        self.__dict__["bruts"] = dict(zip(colonnes.cles, bruts, strict=True))
        self.__dict__.pop("_differe", None)
        return self.__dict__[nom]

    def a_la_colonne(self, cle: str) -> bool:
        """Does the row's table have this column (without building ``cellules``)?"""
        differe = self.__dict__.get("_differe")
        return cle in differe[0].presentes if differe is not None else cle in self.cellules


def colonnes_communes(lignes: Sequence[LigneRegistre]) -> frozenset[str] | None:
    """The columns of rows all read at once from one table (see ``LigneRegistre.differee``); else None."""
    if not lignes:
        return None
    differes: list[Any] = list(map(dict.get, map(vars, lignes), repeat("_differe")))  # no step per row
    if None in differes or len(set(map(id, map(itemgetter(0), differes)))) != 1:
        return None
    colonnes: _Colonnes = differes[0][0]
    return colonnes.presentes


@dataclass(frozen=True)
class _Colonnes:
    """The columns of a register table that were found: keys, their set, and their letters in Excel."""

    cles: tuple[str, ...]
    presentes: frozenset[str]
    lettres: tuple[str, ...]


@dataclass
class ClasseurLu:
    """Everything read from one office workbook, and what went wrong while reading it."""

    chemin: Path
    taille: int = 0
    empreinte: str = ""
    modifie: dt.datetime | None = None
    nature: Nature = Nature.INCONNU
    lisible: bool = False
    modele_version: int | None = None
    referentiel_empreinte: str | None = None
    outil_version: str | None = None
    office_modele: str | None = None  # office code the template was generated for
    office: Office | None = None
    identite: dict[str, ValeurLue] = field(default_factory=dict)
    saisies: dict[tuple[str, int, Champ], ValeurLue] = field(default_factory=dict)
    calcules: dict[tuple[str, int], ValeurLue] = field(default_factory=dict)
    registres: dict[Registre, list[LigneRegistre]] = field(default_factory=dict)
    registres_presents: set[Registre] = field(default_factory=set)
    doublon: bool = False  # the same office is in another file too
    problemes: list[Probleme] = field(default_factory=list)
    # Valid register rows grouped for the rules (see regles.lignes_valides), shared by validation and
    # indicators; not part of what was read.
    lignes_indexees: dict[Registre, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def fichier(self) -> str:
        return texte_chemin(self.chemin.name)

    @property
    def office_code(self) -> str | None:
        return self.office.code if self.office else None

    def signaler(self, code: str, **kw: Any) -> Probleme:
        p = probleme(code, fichier=texte_chemin(self.chemin), office=self.office_code, **kw)
        self.problemes.append(p)
        return p

    def saisie(self, action: str, annee: int, champ: Champ) -> ValeurLue | None:
        return self.saisies.get((action, annee, champ))

    def lignes_valides(self, registre: Registre) -> list[dict[str, Any]]:
        return [ligne.valeurs for ligne in self.registres.get(registre, ()) if not ligne.exclue]

    @property
    def nb_erreurs(self) -> int:
        return sum(1 for p in self.problemes if p.gravite is Gravite.ERREUR)


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


def oublier_memoires() -> None:
    """Forget what reading keeps from one workbook to the next (parsed layouts, cell names).

    Only a benchmark needs it, to time a first reading as a new process would.
    """
    from rse_xl import ooxml

    _A1.clear()
    _PLANS.clear()
    _OFFICES.clear()
    ooxml._CLASSEURS.clear()
    ooxml._POSITIONS.clear()


# A text file under these names is a sheet exported by a spreadsheet, to re-save as .xlsx.
EXTENSIONS_TEXTE = (".csv", ".tsv", ".txt")

_DESCRIPTION_NATURE = {
    Nature.TEXTE: "fichier texte",
    Nature.VIDE: "fichier vide",
    Nature.INCONNU: "contenu binaire inconnu",
    Nature.CFB_AUTRE: "document Office d'un autre type",
}


def _nature_speciale(mode: int) -> str:
    if S_ISDIR(mode):
        return "c'est un dossier, pas un fichier"
    if S_ISFIFO(mode):
        return "tube nommé, pas un fichier ordinaire"
    return "périphérique ou fichier spécial, pas un fichier ordinaire"


def lire_classeur(chemin: Path, convention: Convention | None = None) -> ClasseurLu:
    """Read one office workbook; never raises on bad content (problems are in ``ClasseurLu.problemes``)."""
    convention = convention or referentiel()
    lu = ClasseurLu(chemin=Path(chemin))
    try:
        stat = os.stat(lu.chemin)
        if not S_ISREG(stat.st_mode):
            # A named pipe or a device would block the first read forever: never opened.
            lu.signaler("type-fichier-inconnu", detail=_nature_speciale(stat.st_mode))
            return lu
        lu.taille = stat.st_size
        lu.modifie = dt.datetime.fromtimestamp(stat.st_mtime)
        lu.empreinte = empreinte(lu.chemin)
        lu.nature = nature_fichier(lu.chemin)
    except OSError as exc:
        lu.signaler("fichier-introuvable", detail=raison(exc))
        return lu
    if lu.nature is Nature.XLS:
        lu.signaler("format-xls")
        return lu
    if lu.nature is Nature.CHIFFRE:
        lu.signaler("fichier-protege")
        return lu
    if lu.nature is Nature.TEXTE and lu.chemin.suffix.lower() in EXTENSIONS_TEXTE:
        lu.signaler("format-autre-tableur", detail=f"Fichier {lu.chemin.suffix[1:].upper()} (texte)")
        return lu
    if lu.nature is not Nature.ZIP_AUTRE:
        lu.signaler("type-fichier-inconnu", detail=_DESCRIPTION_NATURE.get(lu.nature, lu.nature.value))
        return lu
    try:
        paquet = Paquet.ouvrir(lu.chemin)
    except PaquetError as exc:
        lu.signaler(exc.code, detail=exc.detail, **({"onglet": exc.onglet} if exc.onglet else {}))
        return lu
    try:
        lu.nature = paquet.nature
        _Lecteur(lu, paquet, convention).lire()
    finally:
        paquet.fermer()
    return lu


class _Lecteur:
    def __init__(self, lu: ClasseurLu, paquet: Paquet, convention: Convention) -> None:
        self.lu = lu
        self.paquet = paquet
        self.conv = convention
        self.grilles: dict[str, list[list[Any]]] = {}
        self.erreurs: dict[str, dict[str, str]] = {}
        self.formules: dict[str, Container[str]] = {}
        self.fusions: dict[str, list[tuple[int, int, int, int]]] = {}
        self.entrees: dict[str, set[tuple[int, int]]] = {}  # sheet → (row, col) of the inputs read there
        self.onglets_fiches: set[str] = set()  # the fiche sheets, under the names they have in this file
        self.wb: pc.CalamineWorkbook | None = None
        self.formules_saisies: dict[str, Container[str]] = {}  # sheet → formula cells
        self.illisibles: set[str] = set()  # sheets neither reader could read (reported once)
        self._copie: bytes | None = None  # the package with its unreadable cells rewritten, once made
        self._tout_assaini = False  # every sheet already looked at for cells the fast reader refuses

    # -- low level ------------------------------------------------------------------------------------------

    def _ouvrir(self) -> bool:
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

    def _grille(self, onglet: str) -> list[list[Any]] | None:
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
            self._speciales(onglet)
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

    def _speciales(self, onglet: str) -> dict[str, str]:
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

    def _brut(self, onglet: str, ligne: int, col: int) -> Any:
        grille = self._grille(onglet) or []
        if ligne < len(grille) and col < len(grille[ligne]):
            return grille[ligne][col]
        return None

    def _nomme(self, nom: str) -> tuple[str, int, int] | None:
        return self.paquet.position(nom)

    def _lire_nomme(
        self, nom: str, convertir: Callable[[Any], cv.Lu], *, signaler_absent: bool = True, **contexte: Any
    ) -> ValeurLue | None:
        cible = self._nomme(nom)
        if cible is None or self._grille(cible[0]) is None:
            if signaler_absent and (cible is None or cible[0] not in self.illisibles):
                self.lu.signaler("nom-manquant", nom=nom, **contexte)
            return None
        onglet, ligne, col = cible
        formules = self.formules_saisies.get(onglet)
        if formules is None:
            formules = self._formules_saisies(onglet)
        cellule = _a1(ligne, col)
        formule = self._formule(onglet, cellule) if cellule in formules else None
        if formule is not None:
            v = self._formule_en_saisie(
                onglet, cellule, self._brut(onglet, ligne, col), formule, {}, contexte
            )
            if v is not None:
                return v
        return self._convertir(onglet, ligne, col, convertir, **contexte)

    def _convertir(
        self, onglet: str, ligne: int, col: int, convertir: Callable[[Any], cv.Lu], **contexte: Any
    ) -> ValeurLue:
        cellule = _a1(ligne, col)
        brut = self._brut(onglet, ligne, col)
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

    # -- workbook -------------------------------------------------------------------------------------------

    def lire(self) -> None:
        lu, paquet = self.lu, self.paquet
        if NOM_MODELE_IDENTIFIANT not in paquet.noms:
            lu.signaler("modele-inconnu", detail="nom défini RSE_MODELE absent")
            return
        if not self._ouvrir():
            return
        lu.lisible = True
        if lu.nature is Nature.XLSM:
            lu.signaler("macros-ignorees")
        ident = self._lire_nomme(NOM_MODELE_IDENTIFIANT, cv.en_texte)
        if ident is None or ident.valeur != "rse-xl/classeur-office":
            lu.signaler(
                "modele-inconnu", detail=f"identifiant « {cv.decrire(ident.brut if ident else None)} »"
            )
            lu.lisible = False
            return
        version = self._lire_nomme(NOM_MODELE_VERSION, cv.en_entier)
        lu.modele_version = version.valeur if version else None
        if lu.modele_version not in VERSIONS_CONNUES:
            connues = ", ".join(map(str, VERSIONS_CONNUES))
            v = cv.decrire(version.brut if version else None)
            if isinstance(lu.modele_version, int) and lu.modele_version < min(VERSIONS_CONNUES):
                lu.signaler("version-modele-ancienne", version=v)
            else:
                lu.signaler("version-modele-inconnue", version=v, connues=connues)
            lu.lisible = False
            return
        emp = self._lire_nomme(NOM_REFERENTIEL_EMPREINTE, cv.en_texte)
        lu.referentiel_empreinte = emp.valeur if emp else None
        outil = self._lire_nomme(NOM_OUTIL_VERSION, cv.en_texte, signaler_absent=False)
        lu.outil_version = outil.valeur if outil else None
        code = self._lire_nomme(NOM_OFFICE_CODE, cv.en_texte, signaler_absent=False)
        lu.office_modele = code.valeur if code else None
        self._identite()
        for fiche in self.conv.fiches:
            onglet = self._onglet_fiche(fiche)
            if onglet is None:
                lu.signaler("onglet-manquant", onglet=fiche.onglet)
                continue
            for action in fiche.actions:
                self._action(action)
            self._fusions(onglet)
        self._registres()

    def _onglet_fiche(self, fiche: Fiche) -> str | None:
        """The sheet of a fiche: by its name, else where its defined names point (Excel and LibreOffice
        update them when a sheet is renamed), with a warning."""
        if self.paquet.feuille(fiche.onglet) is not None:
            self.onglets_fiches.add(fiche.onglet)
            return fiche.onglet
        for action in fiche.actions:
            for annee in ANNEES:
                for champ in champs_action(action):
                    position = self.paquet.position(nom_defini(action, annee, champ))
                    if position is not None and self.paquet.feuille(position[0]) is not None:
                        self.onglets_fiches.add(position[0])
                        self.lu.signaler("onglet-renomme", onglet=position[0], attendu=fiche.onglet)
                        return position[0]
        return None

    def _identite(self) -> None:
        lu = self.lu
        if self.paquet.feuille(ONGLET_IDENTITE) is None:
            lu.signaler("onglet-manquant", onglet=ONGLET_IDENTITE)
        for champ in IDENTITE:
            conv = cv.en_date if champ.nom == "ID_DATE" else cv.en_texte
            v = self._lire_nomme(champ.nom, conv, attendu="une date", conseil="saisissez jj/mm/aaaa")
            if v is not None:
                lu.identite[champ.nom] = v
        office = lu.identite.get("ID_OFFICE")
        if office is None or not office.renseignee:
            lu.signaler(
                "office-manquant",
                onglet=office.onglet if office else ONGLET_IDENTITE,
                cellule=office.cellule if office else None,
            )
            return
        trouve = _offices_par_cle(self.conv).get(cv.cle_liste(str(office.valeur)))
        if trouve is None:
            office.valide = False
            lu.signaler(
                "office-inconnu",
                onglet=office.onglet,
                cellule=office.cellule,
                valeur=cv.decrire(office.brut),
                offices=", ".join(o.nom for o in self.conv.offices),
            )
            return
        lu.office = trouve

    def _action(self, action: Action) -> None:
        lu, paquet, grilles = self.lu, self.paquet, self.grilles
        saisies = lu.saisies
        code = action.code
        for annee, ctx, champs, nom_calcule in _plan_action(action):
            for champ, nom, convertir, rapide, aide in champs:
                cible = paquet.position(nom)
                grille = None if cible is None else grilles.get(cible[0]) or self._grille(cible[0])
                if cible is None or grille is None:
                    if cible is None or cible[0] not in self.illisibles:  # else said once for the sheet
                        lu.signaler("nom-manquant", nom=nom, **aide, **ctx)
                    continue
                onglet, ligne, col = cible
                cellule = _a1(ligne, col)
                brut = grille[ligne][col] if ligne < len(grille) and col < len(grille[ligne]) else None
                erreurs = self.erreurs.get(onglet)
                if erreurs and cellule in erreurs:
                    valeur = cv.LENT
                elif brut is None or brut == "":
                    valeur = None  # an empty cell reads as nothing, whatever the field
                else:
                    valeur = rapide(brut)
                formules = self.formules_saisies.get(onglet)
                if formules is None:
                    formules = self._formules_saisies(onglet)
                formule = self._formule(onglet, cellule) if cellule in formules else None
                if formule is not None:
                    v = self._formule_en_saisie(onglet, cellule, brut, formule, aide, ctx)
                    if v is not None:
                        saisies[(code, annee, champ)] = v
                        continue
                if valeur is cv.LENT:
                    v = self._convertir(onglet, ligne, col, convertir, **aide, **ctx)
                else:
                    v = ValeurLue(valeur, brut, onglet, cellule)
                saisies[(code, annee, champ)] = v
                entrees = self.entrees.get(onglet)
                if entrees is None:
                    entrees = self.entrees[onglet] = set()
                entrees.add((ligne, col))
                if v.valeur is not None:
                    self._verifier_valeur(action, champ, v, ctx)
            if nom_calcule is not None:
                cible_nom = self._nomme(nom_calcule)
                if cible_nom is None:
                    continue
                onglet, ligne, col = cible_nom
                cellule = _a1(ligne, col)
                brut = self._brut(onglet, ligne, col)
                # A cached result is never trusted; only whether the formula is still there matters.
                lu.calcules[(code, annee)] = ValeurLue(brut, brut, onglet, cellule)
                if not cv.est_vide(brut) and cellule not in self.formules.get(onglet, ()):
                    lu.signaler(
                        "formule-ecrasee", onglet=onglet, cellule=cellule, valeur=cv.decrire(brut), **ctx
                    )

    def _formules_saisies(self, onglet: str) -> Container[str]:
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

    def _formule(self, onglet: str, cellule: str) -> tuple[str, bool] | None:
        f = self.paquet.feuille(onglet)
        return formule_de(self.paquet.lire(f.chemin), cellule) if f is not None and f.chemin else None

    def _formule_en_saisie(
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
        if cellule in self._speciales(onglet):
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

    def _verifier_valeur(self, action: Action, champ: Champ, v: ValeurLue, ctx: dict[str, Any]) -> None:
        """Range checks that depend on the indicator's kind."""
        if v.valeur is None or not v.valide:
            return
        kind = action.indicateur.type
        if champ in (Champ.COMMENTAIRE, Champ.JUSTIFICATIF):
            if len(str(v.valeur)) > LONGUEUR_TEXTE_MAX:
                self.lu.signaler(
                    "texte-trop-long",
                    onglet=v.onglet,
                    cellule=v.cellule,
                    longueur=f"{len(str(v.valeur)):,}".replace(",", " "),
                    maximum="2 000",
                    **ctx,
                )
            return
        if not isinstance(v.valeur, int | float):
            return
        quoi = f"{action.indicateur.unite} ({action.code})"
        if v.valeur < 0:
            v.valide = False
            self.lu.signaler(
                "nombre-negatif",
                onglet=v.onglet,
                cellule=v.cellule,
                valeur=cv.decrire(v.brut),
                quoi=quoi,
                **ctx,
            )
            return
        if champ in (Champ.CIBLE, Champ.REALISE) and kind in TYPES_AVEC_RATIO and v.valeur > 1:
            v.valide = False
            self.lu.signaler(
                "taux-hors-bornes", onglet=v.onglet, cellule=v.cellule, valeur=f"{v.valeur:.0%}", **ctx
            )

    def _fusions(self, onglet: str) -> None:
        """Merged ranges that swallow an input cell."""
        fusions = self.fusions.get(onglet)
        entrees = self.entrees.get(onglet)
        if not fusions or not entrees:
            return
        lignes = {ligne for ligne, _ in entrees}
        for l1, c1, l2, c2 in fusions:
            if not any(l1 <= ligne <= l2 for ligne in lignes):
                continue  # the usual title and label merges: no input on their rows
            touche = [(ligne, col) for ligne, col in entrees if l1 <= ligne <= l2 and c1 <= col <= c2]
            if touche:
                plage = f"{a1(l1, c1)}:{a1(l2, c2)}"
                self.lu.signaler("cellule-fusionnee", onglet=onglet, cellule=a1(l1, c1), plage=plage)
                for v in self.lu.saisies.values():
                    if v.onglet == onglet and depuis_a1(v.cellule) in touche:
                        v.valide = False

    # -- registers ------------------------------------------------------------------------------------------

    def _registres(self) -> None:
        assert self.wb is not None
        tables = set(self.wb.table_names or [])
        for spec in REGISTRES.values():
            if spec.table not in tables:
                if self.paquet.feuille(spec.onglet) is None:
                    self.lu.signaler("onglet-manquant", onglet=spec.onglet)
                else:
                    self.lu.signaler("tableau-manquant", onglet=spec.onglet, table=spec.table)
                continue
            self._registre(spec)

    def _registre(self, spec: SpecRegistre) -> None:
        assert self.wb is not None
        lu = self.lu
        table = self.wb.get_table_by_name(spec.table)
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
            grille = self._grille(onglet)  # the whole sheet, read again or by the slower reader
            if grille is None:  # reported once on the sheet; the register counts as not there
                lu.registres_presents.discard(spec.registre)
                return
            donnees = [
                [(r[j] if j < len(r) else None) for j in range(debut_col, fin_col + 1)]
                for r in grille[debut_ligne : fin_ligne + 1]
            ]
        erreurs = self._speciales(onglet)
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
        grille = self._grille(onglet) or []
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
    same as the cell-by-cell reading of ``_Lecteur._registre``, which handles every other case.
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


_OFFICES: dict[int, tuple[Convention, dict[str, Office]]] = {}


def _offices_par_cle(conv: Convention) -> dict[str, Office]:
    """The convention's offices by name and by code, compared as list values; worked out once per convention
    (a federation may declare hundreds of offices)."""
    connu = _OFFICES.get(id(conv))
    if connu is not None and connu[0] is conv:
        return connu[1]
    noms = {cv.cle_liste(o.nom): o for o in conv.offices} | {cv.cle_liste(o.code): o for o in conv.offices}
    if len(_OFFICES) > 64:
        _OFFICES.clear()
    _OFFICES[id(conv)] = (conv, noms)
    return noms


_ATTENDUS = {
    TypeColonne.ENTIER: ("un nombre entier", "saisissez un nombre entier, par exemple 12"),
    TypeColonne.DECIMAL: ("un nombre", "saisissez un nombre, par exemple 12,5"),
    TypeColonne.MONTANT: ("un montant", "saisissez un montant en euros HT, par exemple 45 000"),
    TypeColonne.DATE: ("une date", "saisissez une date au format jj/mm/aaaa"),
    TypeColonne.ANNEE: ("une année de la convention", "saisissez 2025, 2026 ou 2027"),
    TypeColonne.OUI_NON: ("Oui ou Non", "choisissez Oui ou Non"),
}


_EN_ETAPE: Callable[[Any], cv.Lu] = partial(cv.en_choix, valeurs=ETATS_ETAPE)


def _convertisseur(kind: TypeIndicateur, champ: Champ) -> tuple[Callable[[Any], cv.Lu], dict[str, Any]]:
    """How to read one fiche field, and how to explain a bad value."""
    if champ is Champ.ETAPE:
        return _EN_ETAPE, {
            "attendu": "un état d'étape",
            "conseil": "choisissez Non démarré, En cours ou Réalisé",
        }
    if champ in (Champ.COMMENTAIRE, Champ.JUSTIFICATIF):
        return cv.en_texte, {}
    if champ in (Champ.NUMERATEUR, Champ.DENOMINATEUR):
        if kind is TypeIndicateur.TAUX:
            return cv.en_entier, {
                "attendu": "un nombre entier",
                "conseil": "saisissez un nombre de marchés, de véhicules…",
                "quoi": "nombre",
            }
        return cv.en_nombre, {"attendu": "un nombre", "conseil": "saisissez un nombre, par exemple 1 234,5"}
    if kind in TYPES_AVEC_RATIO:
        return cv.en_taux, {"attendu": "un taux", "conseil": "saisissez un pourcentage, par exemple 45 %"}
    if kind in TYPES_ENTIERS:
        return cv.en_entier, {
            "attendu": "un nombre entier",
            "conseil": "saisissez un nombre entier, par exemple 12",
            "quoi": "nombre",
        }
    return cv.en_nombre, {"attendu": "un nombre", "conseil": "saisissez un nombre, par exemple 12,5"}


# The fast path of each fiche converter (see conversion.LENT).
_RAPIDES: dict[Callable[[Any], cv.Lu], Callable[[Any], Any]] = {
    _EN_ETAPE: cv.choix_simple(ETATS_ETAPE),
    cv.en_texte: cv.texte_simple,
    cv.en_entier: cv.entier_simple,
    cv.en_nombre: cv.nombre_simple,
    cv.en_taux: cv.taux_simple,
}

_Champs = list[tuple[Champ, str, Callable[[Any], cv.Lu], Callable[[Any], Any], dict[str, Any]]]
_PLANS: dict[int, tuple[Action, list[tuple[int, dict[str, Any], _Champs, str | None]]]] = {}


def _plan_action(action: Action) -> list[tuple[int, dict[str, Any], _Champs, str | None]]:
    """What to read for one action, year by year: its fields (name, converter) and its formula cell.

    It depends on the référentiel only, so it is worked out once per action (the entry keeps the action
    alive, so its id is never reused while cached).
    """
    entree = _PLANS.get(id(action))
    if entree is not None and entree[0] is action:
        return entree[1]
    kind = action.indicateur.type
    plan = []
    for annee in ANNEES:
        cible = action.indicateur.cibles[annee]
        verrouillee = cible.valeur_fixe is not None or cible.mesure is Mesure.JALON
        champs: _Champs = []
        for champ in champs_action(action):
            if champ is Champ.CIBLE and verrouillee:
                continue  # locked: the convention's target, not the office's
            convertir, aide = _convertisseur(kind, champ)
            champs.append((champ, nom_defini(action, annee, champ), convertir, _RAPIDES[convertir], aide))
        calcule = nom_defini(action, annee, CHAMP_CALCULE) if a_un_calcul(action) else None
        plan.append((annee, {"action": action.code, "annee": annee}, champs, calcule))
    if len(_PLANS) > 10_000:
        _PLANS.clear()
    _PLANS[id(action)] = (action, plan)
    return plan


# Readers of a register column by type: (fast path for a cell already of the right type, full converter).
# The fast path returns ``_LENT`` when the cell needs the full converter; both give the same value.
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

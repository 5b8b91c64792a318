"""Read an office workbook into typed records, each value with the sheet and cell it came from.

Inputs are found by the layout's defined names and table names, never by coordinates, so rows inserted by
a user shift nothing. Reading never raises on bad data: every problem becomes a :class:`Probleme`, and a
value that could not be read is kept as ``None`` with ``valide=False``. The file is opened read-only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as pc

from rse_xl import conversion as cv
from rse_xl.cellules import a1, depuis_a1
from rse_xl.controles import Gravite, Probleme, probleme
from rse_xl.fichiers import empreinte, raison
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
from rse_xl.ooxml import Nature, Paquet, PaquetError, nature_fichier
from rse_xl.referentiel import (
    ANNEES,
    Action,
    Convention,
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

    @property
    def fichier(self) -> str:
        return self.chemin.name

    @property
    def office_code(self) -> str | None:
        return self.office.code if self.office else None

    def signaler(self, code: str, **kw: Any) -> Probleme:
        p = probleme(code, fichier=str(self.chemin), office=self.office_code, **kw)
        self.problemes.append(p)
        return p

    def saisie(self, action: str, annee: int, champ: Champ) -> ValeurLue | None:
        return self.saisies.get((action, annee, champ))

    def lignes_valides(self, registre: Registre) -> list[dict[str, Any]]:
        return [ligne.valeurs for ligne in self.registres.get(registre, ()) if not ligne.exclue]

    @property
    def nb_erreurs(self) -> int:
        return sum(1 for p in self.problemes if p.gravite is Gravite.ERREUR)


_DESCRIPTION_NATURE = {
    Nature.TEXTE: "fichier texte",
    Nature.VIDE: "fichier vide",
    Nature.INCONNU: "contenu binaire inconnu",
    Nature.CFB_AUTRE: "document Office d'un autre type",
}


def lire_classeur(chemin: Path, convention: Convention | None = None) -> ClasseurLu:
    """Read one office workbook; never raises on bad content (problems are in ``ClasseurLu.problemes``)."""
    convention = convention or referentiel()
    lu = ClasseurLu(chemin=Path(chemin))
    try:
        stat = os.stat(lu.chemin)
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
    if lu.nature is not Nature.ZIP_AUTRE:
        lu.signaler("type-fichier-inconnu", detail=_DESCRIPTION_NATURE.get(lu.nature, lu.nature.value))
        return lu
    try:
        paquet = Paquet.ouvrir(lu.chemin)
    except PaquetError as exc:
        lu.signaler(exc.code, detail=exc.detail)
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
        self.formules: dict[str, set[str]] = {}
        self.fusions: dict[str, list[tuple[int, int, int, int]]] = {}
        self.wb: pc.CalamineWorkbook | None = None

    # -- low level ------------------------------------------------------------------------------------------

    def _ouvrir(self) -> bool:
        try:
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
            assert self.wb is not None
            try:
                feuille = self.wb.get_sheet_by_name(onglet)
            except Exception:
                return None
            try:
                self.grilles[onglet] = feuille.to_python(skip_empty_area=False)
            except BaseException as exc:  # calamine panics (a BaseException) on some out-of-range dates
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
                self.grilles[onglet] = self._grille_secours(onglet)
            self.fusions[onglet] = [(d[0], d[1], f[0], f[1]) for d, f in (feuille.merged_cell_ranges or [])]
            self._speciales(onglet)
        return self.grilles[onglet]

    def _speciales(self, onglet: str) -> dict[str, str]:
        """Error cells of a sheet (and formula cells of fiche sheets), scanned once."""
        if onglet not in self.erreurs:
            self.erreurs[onglet], self.formules[onglet] = self.paquet.cellules_speciales(
                onglet, formules=onglet[:1] == "F" and onglet[1:3].isdigit()
            )
        return self.erreurs[onglet]

    def _grille_secours(self, onglet: str) -> list[list[Any]]:
        """The sheet's values read by openpyxl: slower, but it survives cells the fast reader chokes on."""
        import warnings

        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(self.lu.chemin, read_only=True, data_only=True)
            try:
                ws = wb[onglet]
                return [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)]
            finally:
                wb.close()

    def _brut(self, onglet: str, ligne: int, col: int) -> Any:
        grille = self._grille(onglet) or []
        if ligne < len(grille) and col < len(grille[ligne]):
            return grille[ligne][col]
        return None

    def _nomme(self, nom: str) -> tuple[str, int, int] | None:
        cible = self.paquet.cible_nom(nom)
        if cible is None:
            return None
        onglet, cellule = cible
        try:
            ligne, col = depuis_a1(cellule)
        except ValueError:
            return None
        return onglet, ligne, col

    def _lire_nomme(
        self, nom: str, convertir: Callable[[Any], cv.Lu], *, signaler_absent: bool = True, **contexte: Any
    ) -> ValeurLue | None:
        cible = self._nomme(nom)
        if cible is None or self._grille(cible[0]) is None:
            if signaler_absent:
                self.lu.signaler("nom-manquant", nom=nom, **contexte)
            return None
        onglet, ligne, col = cible
        return self._convertir(onglet, ligne, col, convertir, **contexte)

    def _convertir(
        self, onglet: str, ligne: int, col: int, convertir: Callable[[Any], cv.Lu], **contexte: Any
    ) -> ValeurLue:
        cellule = a1(ligne, col)
        brut = self._brut(onglet, ligne, col)
        erreur = self.erreurs.get(onglet, {}).get(cellule)
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
            if paquet.feuille(fiche.onglet) is None:
                lu.signaler("onglet-manquant", onglet=fiche.onglet)
                continue
            for action in fiche.actions:
                self._action(action)
            self._fusions(fiche.onglet)
        self._registres()

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
        noms = {cv.cle_liste(o.nom): o for o in self.conv.offices} | {
            cv.cle_liste(o.code): o for o in self.conv.offices
        }
        trouve = noms.get(cv.cle_liste(str(office.valeur)))
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
        kind = action.indicateur.type
        for annee in ANNEES:
            cible = action.indicateur.cibles[annee]
            ctx: dict[str, Any] = {"action": action.code, "annee": annee}
            for champ in champs_action(action):
                if champ is Champ.CIBLE and (cible.valeur_fixe is not None or cible.mesure is Mesure.JALON):
                    continue  # locked: the convention's target, not the office's
                conv, aide = _convertisseur(kind, champ)
                v = self._lire_nomme(nom_defini(action, annee, champ), conv, **aide, **ctx)
                if v is None:
                    continue
                self.lu.saisies[(action.code, annee, champ)] = v
                self._verifier_valeur(action, champ, v, ctx)
            if a_un_calcul(action):
                nom = nom_defini(action, annee, CHAMP_CALCULE)
                cible_nom = self._nomme(nom)
                if cible_nom is None:
                    continue
                onglet, ligne, col = cible_nom
                cellule = a1(ligne, col)
                brut = self._brut(onglet, ligne, col)
                # A cached result is never trusted; only whether the formula is still there matters.
                self.lu.calcules[(action.code, annee)] = ValeurLue(brut, brut, onglet, cellule)
                if cellule not in self.formules.get(onglet, set()) and not cv.est_vide(brut):
                    self.lu.signaler(
                        "formule-ecrasee", onglet=onglet, cellule=cellule, valeur=cv.decrire(brut), **ctx
                    )

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
        entrees = {(v.onglet, v.cellule) for v in self.lu.saisies.values()}
        for l1, c1, l2, c2 in self.fusions.get(onglet, []):
            touche = [
                (ligne, col)
                for ligne in range(l1, l2 + 1)
                for col in range(c1, c2 + 1)
                if (onglet, a1(ligne, col)) in entrees
            ]
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
        donnees: list[list[Any]]
        try:
            donnees = table.to_python()
        except BaseException as exc:  # calamine panics (a BaseException) on some out-of-range dates
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            grille = self._grille_secours(onglet)
            donnees = [
                [(r[j] if j < len(r) else None) for j in range(debut_col, fin_col + 1)]
                for r in grille[debut_ligne : fin_ligne + 1]
            ]
        erreurs = self._speciales(onglet)
        lignes: list[LigneRegistre] = []
        convertisseurs = {cle: _convertisseur_colonne(spec.colonne(cle), self.conv) for cle in positions}
        for i, brute in enumerate(donnees):
            n = debut_ligne + i
            if all(cv.est_vide(brute[j]) for j in positions.values() if j < len(brute)) and not any(
                a1(n, debut_col + j) in erreurs for j in positions.values()
            ):
                continue
            if spec.lignes_fixes and all(
                cv.est_vide(brute[j]) for cle, j in positions.items() if cle != "annee" and j < len(brute)
            ):
                continue  # a year row left empty
            ligne = LigneRegistre(numero=n + 1, valeurs={}, cellules={})
            for cle, j in positions.items():
                col = spec.colonne(cle)
                cellule = a1(n, debut_col + j)
                brut = brute[j] if j < len(brute) else None
                ligne.cellules[cle] = cellule
                ligne.bruts[cle] = brut
                if cellule in erreurs:
                    lu.signaler("erreur-formule", onglet=onglet, cellule=cellule, valeur=erreurs[cellule])
                    ligne.valeurs[cle] = None
                    ligne.exclue = True
                    continue
                r = convertisseurs[cle](brut)
                if not r.ok:
                    ligne.exclue = True
                    ligne.valeurs[cle] = None
                    self._signaler_colonne(r, col, onglet, cellule, brut)
                    continue
                if r.note:
                    lu.signaler(
                        "lecture-interpretee",
                        onglet=onglet,
                        cellule=cellule,
                        valeur=cv.decrire(brut),
                        note=r.note,
                    )
                if isinstance(r.valeur, int | float) and not isinstance(r.valeur, bool) and r.valeur < 0:
                    ligne.exclue = True
                    lu.signaler(
                        "nombre-negatif",
                        onglet=onglet,
                        cellule=cellule,
                        valeur=cv.decrire(brut),
                        quoi=col.entete.lower(),
                    )
                    ligne.valeurs[cle] = None
                    continue
                ligne.valeurs[cle] = r.valeur
            lignes.append(ligne)
        lu.registres[spec.registre] = lignes

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


_ATTENDUS = {
    TypeColonne.ENTIER: ("un nombre entier", "saisissez un nombre entier, par exemple 12"),
    TypeColonne.DECIMAL: ("un nombre", "saisissez un nombre, par exemple 12,5"),
    TypeColonne.MONTANT: ("un montant", "saisissez un montant en euros HT, par exemple 45 000"),
    TypeColonne.DATE: ("une date", "saisissez une date au format jj/mm/aaaa"),
    TypeColonne.ANNEE: ("une année de la convention", "saisissez 2025, 2026 ou 2027"),
    TypeColonne.OUI_NON: ("Oui ou Non", "choisissez Oui ou Non"),
}


def _convertisseur(kind: TypeIndicateur, champ: Champ) -> tuple[Callable[[Any], cv.Lu], dict[str, Any]]:
    """How to read one fiche field, and how to explain a bad value."""
    if champ is Champ.ETAPE:
        return (lambda b: cv.en_choix(b, ETATS_ETAPE)), {
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


def _convertisseur_colonne(col: Colonne, conv: Convention) -> Callable[[Any], cv.Lu]:
    t = col.type
    if t in (TypeColonne.TEXTE, TypeColonne.LIEN):
        return cv.en_texte
    if t is TypeColonne.ENTIER:
        return cv.en_entier
    if t in (TypeColonne.DECIMAL, TypeColonne.MONTANT):
        return cv.en_nombre
    if t is TypeColonne.DATE:
        return cv.en_date
    if t is TypeColonne.ANNEE:
        return cv.en_annee
    if t is TypeColonne.OUI_NON:
        return cv.en_booleen
    if t is TypeColonne.CODE_ACTION:
        codes = tuple(a.code for f in conv.fiches for a in f.actions)
        return lambda b: cv.en_choix(str(b).upper().replace(" ", "") if isinstance(b, str) else b, codes)
    if t is TypeColonne.SUGGESTION:
        return lambda b: cv.en_choix(b, col.valeurs, stricte=False)
    return lambda b: cv.en_choix(b, col.valeurs)

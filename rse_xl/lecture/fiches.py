"""The fiche sheets: each action's inputs, year by year, and the checks on what was typed."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rse_xl import conversion as cv
from rse_xl.cellules import a1, depuis_a1
from rse_xl.layout import (
    CHAMP_CALCULE,
    ETATS_ETAPE,
    TYPES_AVEC_RATIO,
    Champ,
    a_un_calcul,
    champs_action,
    nom_defini,
)
from rse_xl.lecture.donnees import ClasseurLu, ValeurLue
from rse_xl.lecture.feuilles import _a1, _Feuilles
from rse_xl.ooxml import Paquet
from rse_xl.referentiel import ANNEES, Action, Fiche, Mesure, TypeIndicateur

LONGUEUR_TEXTE_MAX = 2000

# Indicator kinds counted in whole units.
TYPES_ENTIERS = (
    TypeIndicateur.COMPTAGE,
    TypeIndicateur.COMPTAGE_COMMUN,
    TypeIndicateur.ENSEMBLE_DISTINCT,
    TypeIndicateur.COMPARAISON_DPE,
)


class _Fiches:
    """The fiche sheets of one workbook: each action's inputs and computed cells, into ``lu``.

    What the per-cell loop of ``lire_action`` uses from the sheets is bound here once (the containers of
    ``_Feuilles`` are filled in place and never replaced), so that loop takes no step through ``feuilles``.
    """

    def __init__(self, lu: ClasseurLu, paquet: Paquet, feuilles: _Feuilles) -> None:
        self.lu = lu
        self.paquet = paquet
        self.entrees: dict[str, set[tuple[int, int]]] = {}  # sheet → (row, col) of the inputs read there
        self.grilles = feuilles.grilles
        self.erreurs = feuilles.erreurs
        self.formules = feuilles.formules
        self.fusions = feuilles.fusions
        self.formules_saisies = feuilles.formules_saisies
        self.illisibles = feuilles.illisibles
        self.onglets_fiches = feuilles.onglets_fiches
        self.grille = feuilles.grille
        self.brut = feuilles.brut
        self.position = feuilles.position
        self.convertir = feuilles.convertir
        self.formules_de_saisie = feuilles.formules_de_saisie
        self.formule = feuilles.formule
        self.formule_en_saisie = feuilles.formule_en_saisie

    def onglet_de(self, fiche: Fiche) -> str | None:
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

    def lire_action(self, action: Action) -> None:
        lu, paquet, grilles = self.lu, self.paquet, self.grilles
        saisies = lu.saisies
        code = action.code
        for annee, ctx, champs, nom_calcule in _plan_action(action):
            for champ, nom, convertir, rapide, aide in champs:
                cible = paquet.position(nom)
                grille = None if cible is None else grilles.get(cible[0]) or self.grille(cible[0])
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
                    formules = self.formules_de_saisie(onglet)
                formule = self.formule(onglet, cellule) if cellule in formules else None
                if formule is not None:
                    v = self.formule_en_saisie(onglet, cellule, brut, formule, aide, ctx)
                    if v is not None:
                        saisies[(code, annee, champ)] = v
                        continue
                if valeur is cv.LENT:
                    v = self.convertir(onglet, ligne, col, convertir, **aide, **ctx)
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
                cible_nom = self.position(nom_calcule)
                if cible_nom is None:
                    continue
                onglet, ligne, col = cible_nom
                cellule = _a1(ligne, col)
                brut = self.brut(onglet, ligne, col)
                # A cached result is never trusted; only whether the formula is still there matters.
                lu.calcules[(code, annee)] = ValeurLue(brut, brut, onglet, cellule)
                if not cv.est_vide(brut) and cellule not in self.formules.get(onglet, ()):
                    lu.signaler(
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

    def verifier_fusions(self, onglet: str) -> None:
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

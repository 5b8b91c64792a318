"""Indicators: per office from its workbook, and for the offices together by the rule of each kind.

Python recomputes every figure from the raw inputs (register rows and typed values); no cached formula
result is ever used. Inter-office figures follow DESIGN.md: sums, ratio of sums (never a mean of rates),
distinct items for joint counts and unions, means weighted by counts, DPE distributions, change vs the
consolidated baseline for 12.2, and lower-is-better indicators judged the right way round.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rse_xl.cellules import nom_onglet
from rse_xl.layout import ETATS_ETAPE, REGISTRES, TYPES_AVEC_RATIO, Champ, a_un_calcul
from rse_xl.lecture import ClasseurLu, ValeurLue
from rse_xl.referentiel import Action, Convention, Mesure, Registre, Sens, TypeIndicateur
from rse_xl.regles import Calcul, LignesIndexees, calculer, lignes_valides, tenu_pour

INTER = "INTER"  # office code of the inter-office column
LIBELLE_INTER = "Inter-offices"


class Statut(StrEnum):
    ATTEINT = "Atteint"
    EN_BONNE_VOIE = "En bonne voie"
    EN_RETARD = "En retard"
    NON_RENSEIGNE = "Non renseigné"
    SANS_OBJECTIF = "Sans objectif"


class Origine(StrEnum):
    """Where the achieved value retained comes from."""

    REGISTRES = "registres"
    SAISIE = "saisie"
    RATIO_SAISI = "ratio saisi"  # numerator / denominator typed in the fiche
    ETAPE = "étape"
    CONSOLIDATION = "consolidation"


@dataclass
class Resultat:
    """One indicator for one office (or the offices together), one action and one year."""

    office: str  # office code, or INTER
    action: str
    annee: int
    mesure: Mesure
    cible: float | None = None
    cible_texte: str = ""
    realise: float | None = None  # the value retained and judged
    realise_saisi: float | None = None
    realise_registres: float | None = None
    origine: Origine | None = None
    numerateur: float | None = None
    denominateur: float | None = None
    etape: str | None = None
    atteinte: float | None = None  # 1.0 = target reached (inverted for lower-is-better)
    statut: Statut = Statut.NON_RENSEIGNE
    evolution: float | None = None  # change of the retained value vs the previous year
    tendance: str | None = None  # "amélioration" / "dégradation" / "stable", direction-aware
    exclu: bool = False  # a value failed validation and was left out
    motif: str | None = None  # why, in French
    commentaire: str | None = None
    justificatif: str | None = None
    offices: int = 0  # inter-office: offices whose figure entered the result
    offices_total: int = 0  # inter-office: offices consolidated (those the result should cover)
    hors_total: dict[str, str] = field(default_factory=dict)  # inter-office: office left out → why
    details: dict[str, float] = field(default_factory=dict)
    elements: frozenset[str] = frozenset()
    sources: dict[str, str] = field(default_factory=dict)  # measure → "'F03 X'!F12" for drill-down

    @property
    def couverture(self) -> str | None:
        """Inter-office: which share of the offices the figure covers (« Incomplet : 2 offices sur 3 »)."""
        if self.office != INTER or not self.offices_total:
            return None
        n, k = self.offices_total, self.offices
        if k >= n:
            return f"Complet : {n} office{'s' if n > 1 else ''} sur {n}"
        if k == 0:
            return f"Aucun office renseigné (sur {n})"
        return f"Incomplet : {k} office{'s' if k > 1 else ''} sur {n}"

    @property
    def ecart(self) -> bool:
        """Typed value and register value both present and different."""
        return (
            self.realise_saisi is not None
            and self.realise_registres is not None
            and abs(self.realise_saisi - self.realise_registres) > 1e-9
        )


def _statut_valeur(atteinte: float | None, conv: Convention) -> Statut:
    if atteinte is None:
        return Statut.NON_RENSEIGNE
    s = conv.parametres.seuils_statut
    if atteinte >= s.atteint - 1e-9:
        return Statut.ATTEINT
    if atteinte >= s.en_bonne_voie - 1e-9:
        return Statut.EN_BONNE_VOIE
    return Statut.EN_RETARD


def statut_etape(etape: str | None, annee: int, annee_courante: int) -> Statut:
    """A milestone judged by its step state: late once its year is over and it is not done."""
    if etape == ETATS_ETAPE[2]:
        return Statut.ATTEINT
    if etape is None:
        return Statut.NON_RENSEIGNE
    if annee < annee_courante:
        return Statut.EN_RETARD
    if etape == ETATS_ETAPE[1]:
        return Statut.EN_BONNE_VOIE
    return Statut.EN_RETARD if annee == annee_courante else Statut.NON_RENSEIGNE


def atteinte(
    action: Action, cible: float | None, realise: float | None, reference: float | None = None
) -> float | None:
    """Achievement ratio, 1.0 when the target is met; lower-is-better inverted; 12.2 vs its baseline."""
    if cible is None or realise is None:
        return None
    kind = action.indicateur.type
    if kind is TypeIndicateur.PART_REFERENCE:
        # Target: a decrease of X (fraction) of the share vs the baseline year.
        if reference is None or reference == 0:
            return None
        baisse = (reference - realise) / reference
        if cible <= 0:
            return 1.0 if baisse >= cible else 0.0
        return baisse / cible
    if action.indicateur.sens is Sens.BAISSE:
        if realise <= 0:
            return 1.0 if cible >= 0 else 0.0
        return cible / realise
    if cible <= 0:
        return 1.0
    return realise / cible


def _tendance(action: Action, evolution: float | None) -> str | None:
    if evolution is None:
        return None
    if abs(evolution) < 1e-9:
        return "stable"
    mieux = evolution > 0 if action.indicateur.sens is Sens.HAUSSE else evolution < 0
    return "amélioration" if mieux else "dégradation"


def _evolution(action: Action, r: Resultat, precedent: Resultat | None) -> None:
    """Change of the retained value vs the previous year, and whether it is for the better."""
    if precedent is not None and r.realise is not None and precedent.realise is not None:
        r.evolution = r.realise - precedent.realise
        r.tendance = _tendance(action, r.evolution)


def _nombre(v: ValeurLue | None) -> tuple[float | None, bool]:
    """(number, was it invalid?) of a typed value."""
    if v is None:
        return None, False
    if not v.valide:
        return None, True
    return (float(v.valeur), False) if isinstance(v.valeur, int | float) else (None, False)


def _texte(v: ValeurLue | None) -> str | None:
    if v is None or not v.valide or v.valeur in (None, ""):
        return None
    return str(v.valeur)


def _ref(v: ValeurLue | None) -> str | None:
    if v is None:
        return None
    return f"{nom_onglet(v.onglet)}!{v.cellule}"


def resultats_office(lu: ClasseurLu, convention: Convention, annee_courante: int) -> list[Resultat]:
    """Every action × year of one office's workbook."""
    assert lu.office is not None
    resultats: list[Resultat] = []
    valides: dict[Registre, LignesIndexees] = {}  # each register's valid rows, grouped once for every rule
    for fiche in convention.fiches:
        for action in fiche.actions:
            precedent: Resultat | None = None
            reference: float | None = None
            for annee in convention.periode:
                r = _resultat_office(lu, action, annee, convention, annee_courante, reference, valides)
                if (
                    action.indicateur.type is TypeIndicateur.PART_REFERENCE
                    and annee == convention.parametres.annee_reference
                ):
                    reference = r.realise
                _evolution(action, r, precedent)
                resultats.append(r)
                precedent = r
    return resultats


def _resultat_office(
    lu: ClasseurLu,
    action: Action,
    annee: int,
    conv: Convention,
    annee_courante: int,
    reference: float | None,
    valides: dict[Registre, LignesIndexees] | None = None,
) -> Resultat:
    ind = action.indicateur
    cible_conv = ind.cibles[annee]
    code = action.code
    r = Resultat(
        office=lu.office_code or "",
        action=code,
        annee=annee,
        mesure=cible_conv.mesure,
        cible_texte=cible_conv.texte,
    )
    etape = lu.saisie(code, annee, Champ.ETAPE)
    r.etape = _texte(etape)
    r.commentaire = _texte(lu.saisie(code, annee, Champ.COMMENTAIRE))
    r.justificatif = _texte(lu.saisie(code, annee, Champ.JUSTIFICATIF))
    for champ in (Champ.ETAPE, Champ.CIBLE, Champ.REALISE, Champ.NUMERATEUR, Champ.DENOMINATEUR):
        ref = _ref(lu.saisie(code, annee, champ))
        if ref:
            r.sources[champ.value.lower()] = ref
    # Target: fixed by the convention, else the office's.
    cible_invalide = False
    if cible_conv.valeur_fixe is not None:
        r.cible = cible_conv.valeur_fixe
    elif cible_conv.mesure is Mesure.VALEUR:
        r.cible, cible_invalide = _nombre(lu.saisie(code, annee, Champ.CIBLE))
        if cible_invalide:
            r.exclu, r.motif = True, "objectif-cible écarté (erreur de validation)"
    if ind.type is TypeIndicateur.JALON:
        r.statut = statut_etape(r.etape, annee, annee_courante)
        r.origine = Origine.ETAPE
        return r
    # Achieved value: the registers where the référentiel says so, else the typed value.
    saisi, saisi_invalide = _nombre(lu.saisie(code, annee, Champ.REALISE))
    r.realise_saisi = saisi
    calcul: Calcul | None = None
    if a_un_calcul(action):
        registre = ind.source.registre
        assert registre is not None
        lignes = lignes_valides(lu, registre, valides)
        declare = lu.registres_tenus.get((registre, annee))  # the office's answer (template version 2)
        if declare is False:
            r.motif = (
                f"registre « {REGISTRES[registre].onglet} » déclaré non tenu pour {annee} (onglet Identité) : "
                f"{'valeur saisie retenue' if saisi is not None else 'aucune valeur retenue'}"
            )
        elif lignes or declare:
            calcul = calculer(action, annee, {registre: lignes}, conv.parametres)
            if calcul is not None and annee > annee_courante and not calcul.lignes and not declare:
                calcul = None  # a year still to come with nothing recorded: not a zero
            if calcul is not None and not declare and not tenu_pour(registre, lignes, annee):
                # Not a row of that year in the whole register: it is not kept for it, the typed value stands.
                calcul = None
                r.motif = (
                    f"registre « {REGISTRES[registre].onglet} » non tenu pour {annee} (aucune ligne datée de "
                    f"{annee}) : {'valeur saisie retenue' if saisi is not None else 'aucune valeur retenue'}"
                )
            if calcul is not None and calcul.valeur is not None:
                r.realise_registres = float(calcul.valeur)
    if calcul is not None and calcul.valeur is not None:
        r.realise = float(calcul.valeur)
        r.origine = Origine.REGISTRES
        calcule = _ref(lu.calcules.get((code, annee)))  # the cell of the live formula, for drill-down
        if calcule:
            r.sources["realise"] = calcule
        if saisi_invalide:
            r.motif = "réalisé saisi écarté (erreur de validation) ; valeur des registres retenue"
        r.numerateur, r.denominateur = calcul.numerateur, calcul.denominateur
        r.details.update(calcul.details)
        # Register rows of one office are its own items; shared identifiers and material types are not.
        r.elements = frozenset(f"{r.office}:{e}" if e.startswith("ligne:") else e for e in calcul.elements)
    elif ind.type in TYPES_AVEC_RATIO and (ratio := _ratio_saisi(lu, code, annee)) is not None:
        num, den = ratio
        r.numerateur, r.denominateur = num, den
        r.realise = num / den  # _ratio_saisi refuses a zero denominator
        r.origine = Origine.RATIO_SAISI
    elif saisi is not None:
        r.realise = saisi
        r.origine = Origine.SAISIE
        if ind.type in (TypeIndicateur.COMPTAGE_COMMUN, TypeIndicateur.ENSEMBLE_DISTINCT):
            # Items unknown: each typed unit counts as an item of this office alone.
            r.elements = frozenset(f"{r.office}:saisie:{k}" for k in range(int(saisi)))
        if ind.type is TypeIndicateur.MOYENNE_PAR_TYPE:
            r.numerateur, r.denominateur = saisi, 1.0
    elif saisi_invalide:
        r.exclu, r.motif = True, "réalisé écarté (erreur de validation)"
    if r.mesure is Mesure.JALON:
        # A milestone year of a numeric indicator: judged by its step, the value is shown for information.
        r.statut = statut_etape(r.etape, annee, annee_courante)
        return r
    if r.cible is None:
        # "Sans objectif": a value with no target to judge it by. Nothing typed, or a target typed wrongly
        # (it exists, it is just unreadable), is "Non renseigné".
        r.statut = (
            Statut.SANS_OBJECTIF if r.realise is not None and not cible_invalide else Statut.NON_RENSEIGNE
        )
        return r
    r.atteinte = atteinte(action, r.cible, r.realise, reference)
    r.statut = _statut_valeur(r.atteinte, conv)
    return r


def _ratio_saisi(lu: ClasseurLu, code: str, annee: int) -> tuple[float, float] | None:
    num, _ = _nombre(lu.saisie(code, annee, Champ.NUMERATEUR))
    den, _ = _nombre(lu.saisie(code, annee, Champ.DENOMINATEUR))
    if num is None or den is None or den == 0:
        return None
    return num, den


# --- inter-office --------------------------------------------------------------------------------------------


def resultats_inter(par_office: Mapping[str, Sequence[Resultat]], convention: Convention) -> list[Resultat]:
    """The offices together, by the consolidation rule of each indicator's kind.

    Partial data, one rule for every kind (README, « Données partielles ») : the figure of a year covers the
    offices that have a value, and a target when the offices' targets are added up; achieved value and
    target are taken over those same offices, the others are named in ``hors_total``. The change vs the
    previous year is taken over the offices covered both years.
    """
    index: dict[tuple[str, int], list[Resultat]] = defaultdict(list)
    for resultats in par_office.values():
        for r in resultats:
            index[(r.action, r.annee)].append(r)
    sortie: list[Resultat] = []
    for fiche in convention.fiches:
        for action in fiche.actions:
            precedent: Resultat | None = None
            base_precedente: list[Resultat] = []
            reference: list[Resultat] = []
            for annee in convention.periode:
                offices = index.get((action.code, annee), [])
                r, base = _inter(action, annee, offices, convention, reference)
                if (
                    action.indicateur.type is TypeIndicateur.PART_REFERENCE
                    and annee == convention.parametres.annee_reference
                ):
                    reference = base
                _evolution_inter(action, r, base, precedent, base_precedente)
                sortie.append(r)
                precedent, base_precedente = r, base
    return sortie


def _evolution_inter(
    action: Action,
    r: Resultat,
    base: list[Resultat],
    precedent: Resultat | None,
    base_precedente: list[Resultat],
) -> None:
    """Change vs the previous year over the offices covered both years (a late office changes nothing)."""
    if precedent is None or r.realise is None or precedent.realise is None:
        return
    avant = {o.office for o in base_precedente}
    apres = {o.office for o in base}
    if avant == apres:
        _evolution(action, r, precedent)
        return
    communs = avant & apres
    if not communs:
        return
    v1 = _agregat(action, [o for o in base_precedente if o.office in communs])
    v2 = _agregat(action, [o for o in base if o.office in communs])
    if v1 is None or v2 is None:
        return
    r.evolution = v2 - v1
    r.tendance = _tendance(action, r.evolution)
    r.details["evolution_offices"] = float(len(communs))
    _ajouter_motif(
        r, "évolution calculée sur les offices présents les deux années : " + ", ".join(sorted(communs))
    )


def _agregat(action: Action, offices: list[Resultat]) -> float | None:
    """The achieved value of these offices together, by the rule of the indicator's kind."""
    tmp = Resultat(office=INTER, action=action.code, annee=0, mesure=Mesure.VALEUR)
    _valeurs_inter(tmp, action, offices)
    return tmp.realise


def _ajouter_motif(r: Resultat, texte: str) -> None:
    r.motif = f"{r.motif} ; {texte}" if r.motif else texte


def _statut_jalons(offices: Sequence[Resultat]) -> Statut:
    """A step of the offices together: done when all are done, late as soon as one is late."""
    statuts = [o.statut for o in offices if o.statut is not Statut.NON_RENSEIGNE]
    if not statuts:
        return Statut.NON_RENSEIGNE
    if len(statuts) == len(offices) and all(s is Statut.ATTEINT for s in statuts):
        return Statut.ATTEINT
    if Statut.EN_RETARD in statuts:
        return Statut.EN_RETARD
    return Statut.EN_BONNE_VOIE


def _somme(valeurs: Iterable[float | None]) -> float | None:
    vs = [v for v in valeurs if v is not None]
    return sum(vs) if vs else None


def _chiffre(kind: TypeIndicateur, o: Resultat) -> bool:
    """Does this office's result carry what its kind adds up (a value; numerator and denominator)?"""
    if kind in TYPES_AVEC_RATIO or kind is TypeIndicateur.MOYENNE_PAR_TYPE:
        return o.numerateur is not None and bool(o.denominateur)
    return o.realise is not None


def _pourquoi_hors_total(kind: TypeIndicateur, o: Resultat) -> str:
    if o.realise is not None and not _chiffre(kind, o):
        return "taux sans numérateur ni dénominateur"
    if _chiffre(kind, o):
        return "sans objectif"
    if o.exclu:
        return "valeur écartée"
    return "non renseigné"


def _inter(
    action: Action,
    annee: int,
    offices: list[Resultat],
    conv: Convention,
    reference: list[Resultat],
) -> tuple[Resultat, list[Resultat]]:
    """The offices together for one year, and the offices whose figures it covers."""
    ind = action.indicateur
    cible_conv = ind.cibles[annee]
    r = Resultat(
        office=INTER,
        action=action.code,
        annee=annee,
        mesure=cible_conv.mesure,
        cible_texte=cible_conv.texte,
        origine=Origine.CONSOLIDATION,
        offices_total=len(offices),
    )
    kind = ind.type
    r.exclu = any(o.exclu for o in offices)
    if r.exclu:
        r.motif = "valeur(s) écartée(s) : " + ", ".join(sorted(o.office for o in offices if o.exclu))
    if kind is TypeIndicateur.JALON or cible_conv.mesure is Mesure.JALON:
        faits = [o for o in offices if o.etape == ETATS_ETAPE[2]]
        renseignes = [o for o in offices if o.etape is not None]
        r.details["offices_realise"] = len(faits)
        r.details["offices_renseignes"] = len(renseignes)
        r.etape = f"{len(faits)} / {len(offices)} réalisé" if offices else None
        r.hors_total = {o.office: "étape non renseignée" for o in offices if o.etape is None}
        if kind is TypeIndicateur.JALON:
            r.realise = float(len(faits)) if offices else None
            r.cible = float(len(offices)) if offices else None
            r.atteinte = (len(faits) / len(offices)) if offices else None
        else:
            _valeurs_inter(r, action, [o for o in offices if _chiffre(kind, o)])
        r.offices = len(renseignes)
        r.statut = _statut_jalons(offices)
        # The offices a later year is compared with: those with a step state, or a value for a numeric kind.
        return r, renseignes if kind is TypeIndicateur.JALON else [o for o in offices if _chiffre(kind, o)]
    chiffres = [o for o in offices if _chiffre(kind, o)]
    # A target of the offices together is the sum (or weighted mean) of theirs, unless the convention sets
    # it for them together (a joint target) or sets none (the union of 6.1).
    cible_commune = ind.commun and cible_conv.valeur_fixe is not None
    sans_cible = kind is TypeIndicateur.ENSEMBLE_DISTINCT
    avec_cible = [o for o in chiffres if o.cible is not None]
    base = chiffres if cible_commune or sans_cible or not avec_cible else avec_cible
    r.hors_total = {o.office: _pourquoi_hors_total(kind, o) for o in offices if o not in base}
    if r.hors_total:
        _ajouter_motif(
            r,
            "hors du total inter-offices : "
            + ", ".join(f"{code} ({raison})" for code, raison in sorted(r.hors_total.items())),
        )
    _valeurs_inter(r, action, base)
    if cible_commune:
        r.cible = cible_conv.valeur_fixe  # a joint target: the offices together
    elif sans_cible or not avec_cible:
        r.cible = None
    elif kind in TYPES_AVEC_RATIO or kind is TypeIndicateur.MOYENNE_PAR_TYPE:
        total = sum(o.denominateur or 0 for o in base)
        r.cible = sum((o.cible or 0) * (o.denominateur or 0) for o in base) / total if total else None
    else:
        r.cible = sum(o.cible or 0 for o in base)
    if r.cible is None:
        r.statut = Statut.SANS_OBJECTIF if r.realise is not None else Statut.NON_RENSEIGNE
        return r, base
    ref: float | None = None
    if kind is TypeIndicateur.PART_REFERENCE:
        # The baseline of the same offices: a late office is compared with nothing else than itself.
        codes = {o.office for o in base}
        ref = _agregat(action, [o for o in reference if o.office in codes])
    r.atteinte = atteinte(action, r.cible, r.realise, ref)
    r.statut = _statut_valeur(r.atteinte, conv)
    return r, base


def _valeurs_inter(r: Resultat, action: Action, offices: list[Resultat]) -> None:
    """Achieved value of the offices together, by kind."""
    kind = action.indicateur.type
    r.offices = len(offices)
    if not offices:
        return
    if kind in (TypeIndicateur.COMPTAGE, TypeIndicateur.QUANTITE):
        r.realise = _somme(o.realise for o in offices)
    elif kind in (TypeIndicateur.COMPTAGE_COMMUN, TypeIndicateur.ENSEMBLE_DISTINCT):
        r.elements = frozenset().union(*(o.elements for o in offices))
        r.realise = float(len(r.elements))
        r.details["somme_des_offices"] = sum(o.realise or 0 for o in offices)
    elif kind in TYPES_AVEC_RATIO:
        # Every office here has a numerator and a non-zero denominator (_chiffre).
        r.numerateur = _somme(o.numerateur for o in offices)
        r.denominateur = _somme(o.denominateur for o in offices)
        r.realise = r.numerateur / r.denominateur if r.numerateur is not None and r.denominateur else None
        r.details["moyenne_des_taux_non_retenue"] = sum(o.realise or 0 for o in offices) / len(offices)
        # 12.1: the share of renewals that were electric, a ratio of sums too.
        if any("vehicules_entres" in o.details for o in offices):
            # An office whose ratio was typed has no renewals recorded: it adds none.
            entres = sum(o.details.get("vehicules_entres", 0) for o in offices)
            electriques = sum(o.details.get("vehicules_entres_electriques", 0) for o in offices)
            r.details["vehicules_entres"] = entres
            r.details["vehicules_entres_electriques"] = electriques
            if entres:
                r.details["part_renouvellements_electriques"] = electriques / entres
    elif kind is TypeIndicateur.MOYENNE_PAR_TYPE:
        n = _somme(o.denominateur for o in offices)
        total = _somme(o.numerateur for o in offices)
        r.numerateur, r.denominateur = total, n
        r.realise = total / n if total is not None and n else None
        sommes: dict[str, float] = defaultdict(float)
        nombres: dict[str, float] = defaultdict(float)
        for o in offices:
            for cle, v in o.details.items():
                if cle.startswith("moyenne:"):
                    t = cle.split(":", 1)[1]
                    k = o.details[f"nombre:{t}"]  # the equipment rule writes both
                    sommes[t] += v * k
                    nombres[t] += k
        for t in sorted(nombres):
            if nombres[t]:
                r.details[f"moyenne:{t}"] = sommes[t] / nombres[t]
                r.details[f"nombre:{t}"] = nombres[t]
    elif kind is TypeIndicateur.COMPARAISON_DPE:
        r.realise = _somme(o.realise for o in offices)
        cumul: dict[str, float] = defaultdict(float)
        for o in offices:
            for cle, v in o.details.items():
                if cle != "gain_moyen_classes":
                    cumul[cle] += v
        r.details.update(cumul)
        if cumul.get("logements_compares"):
            r.details["gain_moyen_classes"] = cumul["gain_total_classes"] / cumul["logements_compares"]


def en_dict(r: Resultat) -> dict[str, Any]:
    return {
        "office": r.office,
        "action": r.action,
        "annee": r.annee,
        "mesure": r.mesure.value,
        "cible": r.cible,
        "cible_texte": r.cible_texte,
        "realise": r.realise,
        "realise_saisi": r.realise_saisi,
        "realise_registres": r.realise_registres,
        "origine": r.origine.value if r.origine else None,
        "numerateur": r.numerateur,
        "denominateur": r.denominateur,
        "etape": r.etape,
        "atteinte": r.atteinte,
        "statut": r.statut.value,
        "evolution": r.evolution,
        "tendance": r.tendance,
        "exclu": r.exclu,
        "motif": r.motif,
        "offices": r.offices,
        "offices_total": r.offices_total,
        "couverture": r.couverture,
        "hors_total": dict(r.hors_total),
        "details": dict(r.details),
        "sources": dict(r.sources),
    }

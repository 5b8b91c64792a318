"""Rules that derive an indicator from register rows, each with its twin Excel formula.

One rule, two renderings: ``calculer`` is what Python consolidates, ``formule`` is the live value shown to
staff in the fiche sheet. The LibreOffice test checks that both agree on the same rows.
"""

from __future__ import annotations

import datetime as dt
import operator
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rse_xl.layout import (
    CLASSES_DPE,
    CLASSES_PASSOIRES,
    NOM_SEUIL_MARCHES,
    REGISTRES,
    VEHICULES_MOTORISES,
    TypeColonne,
)
from rse_xl.referentiel import Action, Parametres, Registre

if TYPE_CHECKING:
    from rse_xl.lecture import ClasseurLu

Ligne = Mapping[str, Any]
Registres = Mapping[Registre, Sequence[Ligne]]


@dataclass(frozen=True)
class Calcul:
    """What a rule derives for one office and one year."""

    valeur: float | None
    numerateur: float | None = None
    denominateur: float | None = None
    elements: frozenset[str] = frozenset()  # items, for distinct counts and unions across offices
    details: Mapping[str, float] = field(default_factory=dict)  # secondary measures (per type, DPE…)
    lignes: tuple[int, ...] = ()  # indexes of the register rows used, for drill-down


def _ratio(num: float, den: float) -> Calcul:
    return Calcul(num / den if den else None, num, den)


def _annee(d: Any, y: int) -> bool:
    return isinstance(d, dt.date) and d.year == y


def _fin(y: int) -> dt.date:
    return dt.date(y + 1, 1, 1)


def normaliser_element(texte: str) -> str:
    """Key of a free-text item (material type, shared identifier): case, accents and spaces ignored."""
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.casefold().split())


# --- Groupings of register rows -----------------------------------------------------------------------------
# A rule selects the rows of one year (of one action); scanning every row for each of the 36 actions × 3
# years is what costs. The rows are grouped once, by the year of a date column or by a column's value.


class LignesIndexees(list[Ligne]):
    """Register rows (a list, as the rules expect) that keep their groupings and results once worked out.

    Build it from a snapshot of the rows and do not change the rows afterwards: it would not see it.
    """

    def __init__(self, lignes: Iterable[Ligne] = ()) -> None:
        super().__init__(lignes)
        self.groupes: dict[tuple[str, ...], Mapping[Any, list[int]]] = {}
        self.calculs: dict[tuple[str, str, int], tuple[Parametres, Calcul]] = {}


def lignes_valides(
    lu: ClasseurLu, registre: Registre, valides: dict[Registre, LignesIndexees] | None = None
) -> Sequence[Ligne]:
    """``lu.lignes_valides(registre)``, taken once per register into ``valides`` when given.

    The grouped rows are kept on the workbook too, so that validation and indicators group and compute them
    once: they are reused while the valid rows are the very same (none excluded or replaced since).
    """
    if valides is None:
        return lu.lignes_valides(registre)
    lignes = valides.get(registre)
    if lignes is None:
        instantane = lu.lignes_valides(registre)
        connues = lu.lignes_indexees.get(registre)
        if (
            isinstance(connues, LignesIndexees)
            and len(connues) == len(instantane)
            and all(map(operator.is_, connues, instantane))
        ):
            lignes = connues
        else:
            lignes = lu.lignes_indexees[registre] = LignesIndexees(instantane)
        valides[registre] = lignes
    return lignes


def _grouper(lignes: Sequence[Ligne], sorte: str, cle: str, cle2: str = "") -> Mapping[Any, list[int]]:
    groupes: dict[Any, list[int]] = defaultdict(list)
    if sorte == "annee":  # rows whose column holds a date, by its year
        for i, r in enumerate(lignes):
            d = r.get(cle)
            if isinstance(d, dt.date):
                groupes[d.year].append(i)
    elif sorte == "annee-valeur":  # the same, by year and the value of a second column
        for i, r in enumerate(lignes):
            d = r.get(cle)
            if isinstance(d, dt.date):
                groupes[(d.year, r.get(cle2))].append(i)
    else:  # rows by the column's value
        for i, r in enumerate(lignes):
            groupes[r.get(cle)].append(i)
    return groupes


def _groupe(lignes: Sequence[Ligne], sorte: str, cle: str, valeur: Any, cle2: str = "") -> Sequence[int]:
    """Indexes (in order) of the rows whose date column ``cle`` falls in year ``valeur`` (sorte "annee"),
    whose column ``cle`` equals ``valeur`` (sorte "valeur"), or both: ``valeur`` = (year, value of ``cle2``)
    (sorte "annee-valeur")."""
    if isinstance(lignes, LignesIndexees):
        groupes = lignes.groupes.get((sorte, cle, cle2))
        if groupes is None:
            groupes = lignes.groupes[(sorte, cle, cle2)] = _grouper(lignes, sorte, cle, cle2)
    else:
        groupes = _grouper(lignes, sorte, cle, cle2)
    return groupes.get(valeur, ())


def _de_l_annee(lignes: Sequence[Ligne], cle: str, y: int) -> Sequence[int]:
    """Rows whose date column ``cle`` is in year ``y`` (what ``_annee(r.get(cle), y)`` selects)."""
    return _groupe(lignes, "annee", cle, y)


# --- Excel formula fragments -------------------------------------------------------------------------------


def _col(registre: Registre, cle: str) -> str:
    return REGISTRES[registre].ref(cle)


def _debut_xl(y: int) -> str:
    return f"DATE({y},1,1)"


def _fin_xl(y: int) -> str:
    return f"DATE({y + 1},1,1)"


def _dans_annee_xl(ref: str, y: int) -> str:
    """COUNTIFS criteria pair selecting dates of year y (times of day included)."""
    return f'{ref},">="&{_debut_xl(y)},{ref},"<"&{_fin_xl(y)}'


def _masque_annee_xl(ref: str, y: int) -> str:
    """Array mask (1/0) of dates in year y, for SUMPRODUCT."""
    return f"({ref}>={_debut_xl(y)})*({ref}<{_fin_xl(y)})"


def _texte_xl(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _ou_xl(ref: str, valeurs: Iterable[str]) -> str:
    return "(" + "+".join(f"({ref}={_texte_xl(v)})" for v in valeurs) + ")"


def _taux_xl(num: str, den: str) -> str:
    return f'IFERROR(({num})/({den}),"")'


def _distincts_xl(masque: str, criteres: str) -> str:
    """Distinct non-empty items under a mask: each matching row counts 1 / (number of its twins)."""
    return f"SUMPRODUCT({masque}/(COUNTIFS({criteres})+1-{masque}))"


# --- Rules -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regle:
    nom: str
    registre: Registre
    calculer: Callable[[Sequence[Ligne], Action, int, Parametres], Calcul]
    formule: Callable[[Action, int], str]


def _compter(lignes: Sequence[Ligne], garder: Callable[[Ligne], bool]) -> Calcul:
    idx = tuple(i for i, r in enumerate(lignes) if garder(r))
    return Calcul(len(idx), lignes=idx)


# Journal des actions


def _journal(lignes: Sequence[Ligne], a: Action, y: int) -> list[int]:
    """Rows of the journal for this action and year, in order."""
    return list(_groupe(lignes, "annee-valeur", "date", (y, a.code), "action"))


def _journal_nombre(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(_journal(lignes, a, y))
    return Calcul(len(idx), lignes=idx)


def _journal_nombre_xl(a: Action, y: int) -> str:
    j = Registre.JOURNAL
    return f"COUNTIFS({_col(j, 'action')},{_texte_xl(a.code)},{_dans_annee_xl(_col(j, 'date'), y)})"


def _journal_illustre(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(i for i in _journal(lignes, a, y) if lignes[i].get("illustration"))
    return Calcul(len(idx), lignes=idx)


def _journal_illustre_xl(a: Action, y: int) -> str:
    return _journal_nombre_xl(a, y)[:-1] + f',{_col(Registre.JOURNAL, "illustration")},"<>")'


def _journal_distinct(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    elements: set[str] = set()
    idx = _journal(lignes, a, y)
    for i in idx:
        commun = lignes[i].get("commun")
        # A shared identifier names one item for all offices; a row without one is the office's own item.
        elements.add(f"commun:{normaliser_element(str(commun))}" if commun else f"ligne:{i}")
    return Calcul(len(elements), elements=frozenset(elements), lignes=tuple(idx))


def _journal_distinct_xl(a: Action, y: int) -> str:
    j = Registre.JOURNAL
    act, date, com = _col(j, "action"), _col(j, "date"), _col(j, "commun")
    code = _texte_xl(a.code)
    sans_id = f'COUNTIFS({act},{code},{_dans_annee_xl(date, y)},{com},"")'
    masque = f'(({act}={code})*{_masque_annee_xl(date, y)}*({com}<>""))'
    return sans_id + "+" + _distincts_xl(masque, f"{act},{act},{com},{com},{_dans_annee_xl(date, y)}")


# Marchés


def _notifie(r: Ligne, y: int) -> bool:
    return _annee(r.get("date_notification"), y)


def _marches_evalues(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(_de_l_annee(lignes, "date_evaluation", y))
    return Calcul(len(idx), lignes=idx)


def _marches_evalues_xl(a: Action, y: int) -> str:
    return f"COUNTIFS({_dans_annee_xl(_col(Registre.MARCHES, 'date_evaluation'), y)})"


def _taux_marches(cle: str) -> Callable[[Sequence[Ligne], Action, int, Parametres], Calcul]:
    def calculer(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
        idx = [
            i
            for i in _de_l_annee(lignes, "date_notification", y)
            if isinstance(lignes[i].get("montant_ht"), int | float)
            and lignes[i]["montant_ht"] > p.seuil_marches_ht
        ]
        num = sum(1 for i in idx if lignes[i].get(cle) is True)
        c = _ratio(num, len(idx))
        return Calcul(c.valeur, c.numerateur, c.denominateur, lignes=tuple(idx))

    return calculer


def _taux_marches_xl(cle: str) -> Callable[[Action, int], str]:
    def formule(a: Action, y: int) -> str:
        m = Registre.MARCHES
        den = (
            f"COUNTIFS({_dans_annee_xl(_col(m, 'date_notification'), y)},"
            f'{_col(m, "montant_ht")},">"&{NOM_SEUIL_MARCHES}'
        )
        return _taux_xl(den + f',{_col(m, cle)},"Oui")', den + ")")

    return formule


def _marches_negociation(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = list(_de_l_annee(lignes, "date_lancement", y))
    num = sum(1 for i in idx if lignes[i].get("negociation") is True)
    c = _ratio(num, len(idx))
    return Calcul(c.valeur, c.numerateur, c.denominateur, lignes=tuple(idx))


def _marches_negociation_xl(a: Action, y: int) -> str:
    m = Registre.MARCHES
    den = f"COUNTIFS({_dans_annee_xl(_col(m, 'date_lancement'), y)}"
    return _taux_xl(den + f',{_col(m, "negociation")},"Oui")', den + ")")


def _marches_heures_insertion(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(_de_l_annee(lignes, "date_notification", y))
    total = sum(
        lignes[i]["heures_insertion"]
        for i in idx
        if isinstance(lignes[i].get("heures_insertion"), int | float)
    )
    return Calcul(total, lignes=idx)


def _marches_heures_insertion_xl(a: Action, y: int) -> str:
    m = Registre.MARCHES
    return f"SUMIFS({_col(m, 'heures_insertion')},{_dans_annee_xl(_col(m, 'date_notification'), y)})"


def _marches_insertion_hors_travaux(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(
        i
        for i in _de_l_annee(lignes, "date_notification", y)
        if lignes[i].get("nature") not in (None, "Travaux") and lignes[i].get("clause_insertion") is True
    )
    return Calcul(len(idx), lignes=idx)


def _marches_insertion_hors_travaux_xl(a: Action, y: int) -> str:
    m = Registre.MARCHES
    return (
        f"COUNTIFS({_dans_annee_xl(_col(m, 'date_notification'), y)},"
        f'{_col(m, "nature")},"<>Travaux",{_col(m, "nature")},"<>",{_col(m, "clause_insertion")},"Oui")'
    )


def _marches_reserves(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(
        i
        for i in _de_l_annee(lignes, "date_notification", y)
        if lignes[i].get("reserve") in ("SIAE", "EA-ESAT")
    )
    return Calcul(len(idx), lignes=idx)


def _marches_reserves_xl(a: Action, y: int) -> str:
    m = Registre.MARCHES
    base = f"COUNTIFS({_dans_annee_xl(_col(m, 'date_notification'), y)},{_col(m, 'reserve')},"
    return f'{base}"SIAE")+{base}"EA-ESAT")'


# Opérations


def _operations_logements_efg(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(
        i
        for i in _de_l_annee(lignes, "date_lancement", y)
        if lignes[i].get("type") == "Réhabilitation" and lignes[i].get("dpe_avant") in CLASSES_PASSOIRES
    )
    return Calcul(sum(_nombre(lignes[i].get("logements")) for i in idx), lignes=idx)


def _nombre(v: Any) -> float:
    return v if isinstance(v, int | float) and not isinstance(v, bool) else 0


def _operations_logements_efg_xl(a: Action, y: int) -> str:
    o = Registre.OPERATIONS
    return "+".join(
        f'SUMIFS({_col(o, "logements")},{_col(o, "type")},"Réhabilitation",'
        f'{_dans_annee_xl(_col(o, "date_lancement"), y)},{_col(o, "dpe_avant")},"{c}")'
        for c in CLASSES_PASSOIRES
    )


def _operations_dpe(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(
        i
        for i in _de_l_annee(lignes, "date_livraison", y)
        if lignes[i].get("type") == "Réhabilitation"
        and lignes[i].get("dpe_avant") in CLASSES_DPE
        and lignes[i].get("dpe_apres") in CLASSES_DPE
    )
    details: dict[str, float] = defaultdict(float)
    sortis = 0.0
    gain = 0.0
    for i in idx:
        r = lignes[i]
        n = _nombre(r.get("logements"))
        avant, apres = r["dpe_avant"], r["dpe_apres"]
        details[f"avant_{avant}"] += n
        details[f"apres_{apres}"] += n
        details["logements_compares"] += n
        gain += n * (CLASSES_DPE.index(avant) - CLASSES_DPE.index(apres))
        if avant in CLASSES_PASSOIRES and apres not in CLASSES_PASSOIRES:
            if methode_seule(r):
                details["sortis_methode_seule"] += n  # shown apart, never in the headline
            else:
                sortis += n
        if r.get("methode_avant") and r.get("methode_apres") and r["methode_avant"] != r["methode_apres"]:
            details["logements_methode_differente"] += n
    if details["logements_compares"]:
        details["gain_moyen_classes"] = gain / details["logements_compares"]
    details["gain_total_classes"] = gain
    return Calcul(sortis, details=dict(details), lignes=idx)


def methode_seule(r: Ligne) -> bool:
    """A class change the DPE method alone explains: methods differ, energy use typed and unchanged."""
    m1, m2 = r.get("methode_avant"), r.get("methode_apres")
    c1, c2 = r.get("conso_avant"), r.get("conso_apres")
    return bool(
        m1
        and m2
        and m1 != m2
        and isinstance(c1, int | float)
        and isinstance(c2, int | float)
        and not isinstance(c1, bool)
        and not isinstance(c2, bool)
        and c1 == c2
    )


def _operations_dpe_xl(a: Action, y: int) -> str:
    o = Registre.OPERATIONS
    m1, m2 = _col(o, "methode_avant"), _col(o, "methode_apres")
    c1, c2 = _col(o, "conso_avant"), _col(o, "conso_apres")
    # An exit the method alone explains (methods differ, energy use unchanged) is not counted.
    seule = f'({m1}<>"")*({m2}<>"")*({m1}<>{m2})*ISNUMBER({c1})*ISNUMBER({c2})*({c1}={c2})'
    return (
        f'SUMPRODUCT({_col(o, "logements")}*({_col(o, "type")}="Réhabilitation")'
        f"*{_masque_annee_xl(_col(o, 'date_livraison'), y)}"
        f"*{_ou_xl(_col(o, 'dpe_avant'), CLASSES_PASSOIRES)}"
        f"*{_ou_xl(_col(o, 'dpe_apres'), CLASSES_DPE[:4])}"
        f"*(1-{seule}))"
    )


def _operations_biosource(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(i for i in _de_l_annee(lignes, "date_lancement", y) if lignes[i].get("biosource") is True)
    return Calcul(len(idx), lignes=idx)


def _operations_biosource_xl(a: Action, y: int) -> str:
    o = Registre.OPERATIONS
    return f'COUNTIFS({_col(o, "biosource")},"Oui",{_dans_annee_xl(_col(o, "date_lancement"), y)})'


def _operations_pemd(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(_de_l_annee(lignes, "date_pemd", y))
    return Calcul(len(idx), lignes=idx)


def _operations_pemd_xl(a: Action, y: int) -> str:
    return f"COUNTIFS({_dans_annee_xl(_col(Registre.OPERATIONS, 'date_pemd'), y)})"


def _en_chantier(r: Ligne, y: int) -> bool:
    """Works under way at some point of year y: started before its end, not delivered before its start."""
    debut, livraison = r.get("date_lancement"), r.get("date_livraison")
    if not isinstance(debut, dt.date) or debut >= _fin(y):
        return False
    return not isinstance(livraison, dt.date) or livraison >= dt.date(y, 1, 1)


def _operations_logements_repos(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    return _compter(
        lignes,
        lambda r: (
            r.get("type") == "Réhabilitation" and _nombre(r.get("logements_repos")) > 0 and _en_chantier(r, y)
        ),
    )


def _operations_logements_repos_xl(a: Action, y: int) -> str:
    o = Registre.OPERATIONS
    base = (
        f'COUNTIFS({_col(o, "type")},"Réhabilitation",{_col(o, "logements_repos")},">0",'
        f'{_col(o, "date_lancement")},"<"&{_fin_xl(y)},'
        f"{_col(o, 'date_livraison')},"
    )
    return f'{base}">="&{_debut_xl(y)})+{base}"")'


# Véhicules


def _dans_flotte(r: Ligne, y: int) -> bool:
    """In the fleet on 31 December of year y."""
    entree, sortie = r.get("date_entree"), r.get("date_sortie")
    if not isinstance(entree, dt.date) or entree >= _fin(y):
        return False
    return not isinstance(sortie, dt.date) or sortie >= _fin(y)


def _vehicules_electriques(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = [i for i, r in enumerate(lignes) if r.get("type") in VEHICULES_MOTORISES and _dans_flotte(r, y)]
    num = sum(1 for i in idx if lignes[i].get("energie") == "Électrique")
    entrees = [
        r
        for r in map(lignes.__getitem__, _de_l_annee(lignes, "date_entree", y))
        if r.get("type") in VEHICULES_MOTORISES
    ]
    details: dict[str, float] = {"vehicules_entres": len(entrees)}
    details["vehicules_entres_electriques"] = sum(1 for r in entrees if r.get("energie") == "Électrique")
    if entrees:  # 12.1, 2026 step: « part de véhicules renouvelés en électrique »
        details["part_renouvellements_electriques"] = details["vehicules_entres_electriques"] / len(entrees)
    c = _ratio(num, len(idx))
    return Calcul(c.valeur, c.numerateur, c.denominateur, details=details, lignes=tuple(idx))


def _vehicules_electriques_xl(a: Action, y: int) -> str:
    v = Registre.VEHICULES
    entree, sortie = _col(v, "date_entree"), _col(v, "date_sortie")
    flotte = (
        f"{_ou_xl(_col(v, 'type'), VEHICULES_MOTORISES)}*({entree}>0)*({entree}<{_fin_xl(y)})"
        f'*(({sortie}="")+({sortie}>={_fin_xl(y)}))'
    )
    num = f'SUMPRODUCT({flotte}*({_col(v, "energie")}="Électrique"))'
    return _taux_xl(num, f"SUMPRODUCT({flotte})")


# Équipements numériques


def _equipements_duree_vie(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    par_type: dict[str, list[float]] = defaultdict(list)
    idx = []
    for i in _de_l_annee(lignes, "date_retrait", y):
        r = lignes[i]
        service, retrait = r.get("date_service"), r["date_retrait"]
        if isinstance(service, dt.date):
            idx.append(i)
            par_type[str(r.get("type") or "Non précisé")].append((retrait - service).days / 365.25)
    details: dict[str, float] = {}
    for t, durees in sorted(par_type.items()):
        details[f"moyenne:{t}"] = sum(durees) / len(durees)
        details[f"nombre:{t}"] = len(durees)
    toutes = [d for durees in par_type.values() for d in durees]
    moyenne = sum(toutes) / len(toutes) if toutes else None
    return Calcul(
        moyenne, numerateur=sum(toutes), denominateur=len(toutes), details=details, lignes=tuple(idx)
    )


def _equipements_duree_vie_xl(a: Action, y: int) -> str:
    e = Registre.EQUIPEMENTS
    retrait, service = _col(e, "date_retrait"), _col(e, "date_service")
    masque = f"{_masque_annee_xl(retrait, y)}*({service}>0)"
    return f'IFERROR(SUMPRODUCT({masque}*({retrait}-{service}))/SUMPRODUCT({masque})/365.25,"")'


# Matériaux réemploi


def _reemploi_types(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    types: set[str] = set()
    idx = []
    for i in _groupe(lignes, "valeur", "annee", y):
        r = lignes[i]
        if r.get("materiau"):
            idx.append(i)
            types.add(normaliser_element(str(r["materiau"])))
    return Calcul(len(types), elements=frozenset(types), lignes=tuple(idx))


def _reemploi_types_xl(a: Action, y: int) -> str:
    r = Registre.REEMPLOI
    annee, mat = _col(r, "annee"), _col(r, "materiau")
    return _distincts_xl(f'(({annee}={y})*({mat}<>""))', f"{mat},{mat},{annee},{y}")


# Données annuelles


def _donnee(lignes: Sequence[Ligne], y: int, cle: str) -> tuple[float | None, tuple[int, ...]]:
    idx = tuple(
        i for i in _groupe(lignes, "valeur", "annee", y) if isinstance(lignes[i].get(cle), int | float)
    )
    if not idx:
        return None, ()
    return sum(lignes[i][cle] for i in idx), idx


def _donnee_simple(cle: str) -> Callable[[Sequence[Ligne], Action, int, Parametres], Calcul]:
    def calculer(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
        valeur, idx = _donnee(lignes, y, cle)
        return Calcul(valeur, lignes=idx)

    return calculer


def _donnee_simple_xl(cle: str) -> Callable[[Action, int], str]:
    def formule(a: Action, y: int) -> str:
        d = Registre.DONNEES_ANNUELLES
        annee, col = _col(d, "annee"), _col(d, cle)
        return f'IF(COUNTIFS({annee},{y},{col},"<>")=0,"",SUMIFS({col},{annee},{y}))'

    return formule


def _donnees_part_deplacements(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    num, i1 = _donnee(lignes, y, "bilan_deplacements")
    den, i2 = _donnee(lignes, y, "bilan_total")
    if num is None or den is None:
        return Calcul(None, num, den, lignes=i1 + i2)
    c = _ratio(num, den)
    return Calcul(c.valeur, num, den, lignes=tuple(sorted(set(i1 + i2))))


def _donnees_part_deplacements_xl(a: Action, y: int) -> str:
    d = Registre.DONNEES_ANNUELLES
    annee = _col(d, "annee")
    num = f"SUMIFS({_col(d, 'bilan_deplacements')},{annee},{y})"
    den = f"SUMIFS({_col(d, 'bilan_total')},{annee},{y})"
    vide = f'COUNTIFS({annee},{y},{_col(d, "bilan_deplacements")},"<>")=0'
    return f'IF({vide},"",{_taux_xl(num, den)})'


REGLES: dict[str, Regle] = {
    r.nom: r
    for r in (
        Regle("journal_nombre", Registre.JOURNAL, _journal_nombre, _journal_nombre_xl),
        Regle("journal_illustre", Registre.JOURNAL, _journal_illustre, _journal_illustre_xl),
        Regle("journal_distinct", Registre.JOURNAL, _journal_distinct, _journal_distinct_xl),
        Regle("marches_evalues", Registre.MARCHES, _marches_evalues, _marches_evalues_xl),
        Regle(
            "marches_clause_variation",
            Registre.MARCHES,
            _taux_marches("clause_variation"),
            _taux_marches_xl("clause_variation"),
        ),
        Regle(
            "marches_criteres_env",
            Registre.MARCHES,
            _taux_marches("criteres_env"),
            _taux_marches_xl("criteres_env"),
        ),
        Regle("marches_negociation", Registre.MARCHES, _marches_negociation, _marches_negociation_xl),
        Regle(
            "marches_heures_insertion",
            Registre.MARCHES,
            _marches_heures_insertion,
            _marches_heures_insertion_xl,
        ),
        Regle(
            "marches_insertion_hors_travaux",
            Registre.MARCHES,
            _marches_insertion_hors_travaux,
            _marches_insertion_hors_travaux_xl,
        ),
        Regle("marches_reserves", Registre.MARCHES, _marches_reserves, _marches_reserves_xl),
        Regle(
            "operations_logements_efg",
            Registre.OPERATIONS,
            _operations_logements_efg,
            _operations_logements_efg_xl,
        ),
        Regle("operations_dpe", Registre.OPERATIONS, _operations_dpe, _operations_dpe_xl),
        Regle("operations_biosource", Registre.OPERATIONS, _operations_biosource, _operations_biosource_xl),
        Regle("operations_pemd", Registre.OPERATIONS, _operations_pemd, _operations_pemd_xl),
        Regle(
            "operations_logements_repos",
            Registre.OPERATIONS,
            _operations_logements_repos,
            _operations_logements_repos_xl,
        ),
        Regle("vehicules_electriques", Registre.VEHICULES, _vehicules_electriques, _vehicules_electriques_xl),
        Regle(
            "equipements_duree_vie", Registre.EQUIPEMENTS, _equipements_duree_vie, _equipements_duree_vie_xl
        ),
        Regle("reemploi_types", Registre.REEMPLOI, _reemploi_types, _reemploi_types_xl),
        Regle(
            "donnees_robinetteries",
            Registre.DONNEES_ANNUELLES,
            _donnee_simple("robinetteries"),
            _donnee_simple_xl("robinetteries"),
        ),
        Regle(
            "donnees_part_deplacements",
            Registre.DONNEES_ANNUELLES,
            _donnees_part_deplacements,
            _donnees_part_deplacements_xl,
        ),
        Regle(
            "donnees_stockage",
            Registre.DONNEES_ANNUELLES,
            _donnee_simple("stockage_to"),
            _donnee_simple_xl("stockage_to"),
        ),
        Regle(
            "donnees_locataires_sondes",
            Registre.DONNEES_ANNUELLES,
            _donnee_simple("locataires_sondes"),
            _donnee_simple_xl("locataires_sondes"),
        ),
    )
}


# Registers whose rows last (a fleet, equipment in service, works under way): a row in progress during the
# year is a row of that year too, even with no date in it.
PERIODES_EN_SERVICE = {
    Registre.VEHICULES: ("date_entree", "date_sortie"),
    Registre.EQUIPEMENTS: ("date_service", "date_retrait"),
    Registre.OPERATIONS: ("date_lancement", "date_livraison"),
}


def tenu_pour(registre: Registre, lignes: Sequence[Ligne], annee: int) -> bool:
    """Is the register kept for this year: at least one row dated in it (any date column, or its « Année »)?

    A register is the source of a year's figure only then; otherwise the value typed in the fiche stands
    (README, « Registre ou saisie »). For the fleet, the equipment and the works, a row in service (under way)
    during the year counts.
    """
    for col in REGISTRES[registre].colonnes:
        if col.type is TypeColonne.DATE and _de_l_annee(lignes, col.cle, annee):
            return True
        if col.type is TypeColonne.ANNEE and _groupe(lignes, "valeur", col.cle, annee):
            return True
    periode = PERIODES_EN_SERVICE.get(registre)
    if periode is not None:
        debut, fin = periode
        for r in lignes:
            entree, sortie = r.get(debut), r.get(fin)
            if (
                isinstance(entree, dt.date)
                and entree < _fin(annee)
                and (not isinstance(sortie, dt.date) or sortie >= dt.date(annee, 1, 1))
            ):
                return True
    return False


def regle_de(action: Action) -> Regle | None:
    """The rule that derives this action's indicator, if a register feeds it."""
    nom = action.indicateur.source.regle
    return REGLES[nom] if nom else None


def calculer(action: Action, annee: int, registres: Registres, parametres: Parametres) -> Calcul | None:
    """Derive one action's indicator for one year from the office's register rows."""
    regle = regle_de(action)
    if regle is None:
        return None
    lignes = registres.get(regle.registre, ())
    if not isinstance(lignes, LignesIndexees):
        return regle.calculer(lignes, action, annee, parametres)
    cle = (regle.nom, action.code, annee)
    connu = lignes.calculs.get(cle)
    if connu is not None and connu[0] is parametres:
        return connu[1]
    calcul = regle.calculer(lignes, action, annee, parametres)
    lignes.calculs[cle] = (parametres, calcul)
    return calcul

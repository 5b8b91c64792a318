"""Rules that derive an indicator from register rows, each with its twin Excel formula.

One rule, two renderings: ``calculer`` is what Python consolidates, ``formule`` is the live value shown to
staff in the fiche sheet. The LibreOffice test checks that both agree on the same rows.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rse_xl.layout import (
    CLASSES_DPE,
    CLASSES_PASSOIRES,
    NOM_SEUIL_MARCHES,
    REGISTRES,
    VEHICULES_MOTORISES,
)
from rse_xl.referentiel import Action, Parametres, Registre

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


def _journal_nombre(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    return _compter(lignes, lambda r: r.get("action") == a.code and _annee(r.get("date"), y))


def _journal_nombre_xl(a: Action, y: int) -> str:
    j = Registre.JOURNAL
    return f"COUNTIFS({_col(j, 'action')},{_texte_xl(a.code)},{_dans_annee_xl(_col(j, 'date'), y)})"


def _journal_illustre(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    return _compter(
        lignes,
        lambda r: r.get("action") == a.code and _annee(r.get("date"), y) and bool(r.get("illustration")),
    )


def _journal_illustre_xl(a: Action, y: int) -> str:
    return _journal_nombre_xl(a, y)[:-1] + f',{_col(Registre.JOURNAL, "illustration")},"<>")'


def _journal_distinct(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    elements: set[str] = set()
    idx = []
    for i, r in enumerate(lignes):
        if r.get("action") == a.code and _annee(r.get("date"), y):
            idx.append(i)
            commun = r.get("commun")
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
    return _compter(lignes, lambda r: _annee(r.get("date_evaluation"), y))


def _marches_evalues_xl(a: Action, y: int) -> str:
    return f"COUNTIFS({_dans_annee_xl(_col(Registre.MARCHES, 'date_evaluation'), y)})"


def _taux_marches(cle: str) -> Callable[[Sequence[Ligne], Action, int, Parametres], Calcul]:
    def calculer(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
        idx = [
            i
            for i, r in enumerate(lignes)
            if _notifie(r, y)
            and isinstance(r.get("montant_ht"), int | float)
            and r["montant_ht"] > p.seuil_marches_ht
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
    idx = [i for i, r in enumerate(lignes) if _annee(r.get("date_lancement"), y)]
    num = sum(1 for i in idx if lignes[i].get("negociation") is True)
    c = _ratio(num, len(idx))
    return Calcul(c.valeur, c.numerateur, c.denominateur, lignes=tuple(idx))


def _marches_negociation_xl(a: Action, y: int) -> str:
    m = Registre.MARCHES
    den = f"COUNTIFS({_dans_annee_xl(_col(m, 'date_lancement'), y)}"
    return _taux_xl(den + f',{_col(m, "negociation")},"Oui")', den + ")")


def _marches_heures_insertion(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(i for i, r in enumerate(lignes) if _notifie(r, y))
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
    return _compter(
        lignes,
        lambda r: (
            _notifie(r, y) and r.get("nature") not in (None, "Travaux") and r.get("clause_insertion") is True
        ),
    )


def _marches_insertion_hors_travaux_xl(a: Action, y: int) -> str:
    m = Registre.MARCHES
    return (
        f"COUNTIFS({_dans_annee_xl(_col(m, 'date_notification'), y)},"
        f'{_col(m, "nature")},"<>Travaux",{_col(m, "nature")},"<>",{_col(m, "clause_insertion")},"Oui")'
    )


def _marches_reserves(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    return _compter(lignes, lambda r: _notifie(r, y) and r.get("reserve") in ("SIAE", "EA-ESAT"))


def _marches_reserves_xl(a: Action, y: int) -> str:
    m = Registre.MARCHES
    base = f"COUNTIFS({_dans_annee_xl(_col(m, 'date_notification'), y)},{_col(m, 'reserve')},"
    return f'{base}"SIAE")+{base}"EA-ESAT")'


# Opérations


def _operations_logements_efg(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(
        i
        for i, r in enumerate(lignes)
        if r.get("type") == "Réhabilitation"
        and _annee(r.get("date_lancement"), y)
        and r.get("dpe_avant") in CLASSES_PASSOIRES
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
        for i, r in enumerate(lignes)
        if r.get("type") == "Réhabilitation"
        and _annee(r.get("date_livraison"), y)
        and r.get("dpe_avant") in CLASSES_DPE
        and r.get("dpe_apres") in CLASSES_DPE
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
            sortis += n
        if r.get("methode_avant") and r.get("methode_apres") and r["methode_avant"] != r["methode_apres"]:
            details["logements_methode_differente"] += n
    if details["logements_compares"]:
        details["gain_moyen_classes"] = gain / details["logements_compares"]
    details["gain_total_classes"] = gain
    return Calcul(sortis, details=dict(details), lignes=idx)


def _operations_dpe_xl(a: Action, y: int) -> str:
    o = Registre.OPERATIONS
    return (
        f'SUMPRODUCT({_col(o, "logements")}*({_col(o, "type")}="Réhabilitation")'
        f"*{_masque_annee_xl(_col(o, 'date_livraison'), y)}"
        f"*{_ou_xl(_col(o, 'dpe_avant'), CLASSES_PASSOIRES)}"
        f"*{_ou_xl(_col(o, 'dpe_apres'), CLASSES_DPE[:4])})"
    )


def _operations_biosource(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    return _compter(lignes, lambda r: r.get("biosource") is True and _annee(r.get("date_lancement"), y))


def _operations_biosource_xl(a: Action, y: int) -> str:
    o = Registre.OPERATIONS
    return f'COUNTIFS({_col(o, "biosource")},"Oui",{_dans_annee_xl(_col(o, "date_lancement"), y)})'


def _operations_pemd(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    return _compter(lignes, lambda r: _annee(r.get("date_pemd"), y))


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
    entrees = [r for r in lignes if r.get("type") in VEHICULES_MOTORISES and _annee(r.get("date_entree"), y)]
    details: dict[str, float] = {"vehicules_entres": len(entrees)}
    details["vehicules_entres_electriques"] = sum(1 for r in entrees if r.get("energie") == "Électrique")
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
    for i, r in enumerate(lignes):
        service, retrait = r.get("date_service"), r.get("date_retrait")
        if isinstance(retrait, dt.date) and retrait.year == y and isinstance(service, dt.date):
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
    for i, r in enumerate(lignes):
        if r.get("annee") == y and r.get("materiau"):
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
        i for i, r in enumerate(lignes) if r.get("annee") == y and isinstance(r.get(cle), int | float)
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


def regle_de(action: Action) -> Regle | None:
    """The rule that derives this action's indicator, if a register feeds it."""
    nom = action.indicateur.source.regle
    return REGLES[nom] if nom else None


def calculer(action: Action, annee: int, registres: Registres, parametres: Parametres) -> Calcul | None:
    """Derive one action's indicator for one year from the office's register rows."""
    regle = regle_de(action)
    if regle is None:
        return None
    return regle.calculer(registres.get(regle.registre, ()), action, annee, parametres)

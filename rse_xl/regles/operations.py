"""Rules on the works register (« Opérations »): DPE classes, bio-sourced materials, PEMD."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rse_xl.layout import CLASSES_DPE, CLASSES_PASSOIRES
from rse_xl.referentiel import Action, Parametres, Registre
from rse_xl.regles.commun import (
    Calcul,
    Ligne,
    _col,
    _compter,
    _dans_annee_xl,
    _de_l_annee,
    _debut_xl,
    _fin,
    _fin_xl,
    _masque_annee_xl,
    _ou_xl,
)


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

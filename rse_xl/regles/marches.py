"""Rules on the public contracts register (« Marchés »)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from rse_xl.layout import NOM_SEUIL_MARCHES
from rse_xl.referentiel import Action, Parametres, Registre
from rse_xl.regles.commun import Calcul, Ligne, _annee, _col, _dans_annee_xl, _de_l_annee, _ratio, _taux_xl


def _notifie(r: Ligne, y: int) -> bool:
    return _annee(r.get("date_notification"), y)


def _marches_evalues(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres) -> Calcul:
    idx = tuple(_de_l_annee(lignes, "date_evaluation", y))
    return Calcul(len(idx), lignes=idx)


def _marches_evalues_xl(a: Action, y: int) -> str:
    return f"COUNTIFS({_dans_annee_xl(_col(Registre.MARCHES, 'date_evaluation'), y)})"


def _taux_marches_calcul(lignes: Sequence[Ligne], a: Action, y: int, p: Parametres, *, cle: str) -> Calcul:
    idx = [
        i
        for i in _de_l_annee(lignes, "date_notification", y)
        if isinstance(lignes[i].get("montant_ht"), int | float)
        and lignes[i]["montant_ht"] > p.seuil_marches_ht
    ]
    num = sum(1 for i in idx if lignes[i].get(cle) is True)
    c = _ratio(num, len(idx))
    return Calcul(c.valeur, c.numerateur, c.denominateur, lignes=tuple(idx))


def _taux_marches_formule(a: Action, y: int, *, cle: str) -> str:
    m = Registre.MARCHES
    den = (
        f"COUNTIFS({_dans_annee_xl(_col(m, 'date_notification'), y)},"
        f'{_col(m, "montant_ht")},">"&{NOM_SEUIL_MARCHES}'
    )
    return _taux_xl(den + f',{_col(m, cle)},"Oui")', den + ")")


# Module-level functions bound by partial, not closures: a closure built at import time is out of reach of
# the mutation run (bench/mutation.py), whose mutants take effect when a module-level function is called.
def _taux_marches(cle: str) -> Callable[[Sequence[Ligne], Action, int, Parametres], Calcul]:
    """Among the contracts notified in the year over the threshold (« > 40 000 € HT »), the share with ``cle``."""
    return functools.partial(_taux_marches_calcul, cle=cle)


def _taux_marches_xl(cle: str) -> Callable[[Action, int], str]:
    return functools.partial(_taux_marches_formule, cle=cle)


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

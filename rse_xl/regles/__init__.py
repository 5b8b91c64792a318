"""Rules that derive an indicator from register rows, each with its twin Excel formula.

One rule, two renderings: ``calculer`` is what Python consolidates, ``formule`` is the live value shown to
staff in the fiche sheet. The LibreOffice test checks that both agree on the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rse_xl.layout import REGISTRES, TypeColonne
from rse_xl.referentiel import Action, Parametres, Registre
from rse_xl.regles.commun import (
    Calcul,
    Ligne,
    LignesIndexees,
    Registres,
    Regle,
    _de_l_annee,
    _fin,
    _groupe,
    lignes_valides,
    normaliser_element,
)
from rse_xl.regles.donnees import (
    _donnee_simple,
    _donnee_simple_xl,
    _donnees_part_deplacements,
    _donnees_part_deplacements_xl,
)
from rse_xl.regles.equipements import _equipements_duree_vie, _equipements_duree_vie_xl
from rse_xl.regles.journal import (
    _journal_distinct,
    _journal_distinct_xl,
    _journal_illustre,
    _journal_illustre_xl,
    _journal_nombre,
    _journal_nombre_xl,
)
from rse_xl.regles.marches import (
    _marches_evalues,
    _marches_evalues_xl,
    _marches_heures_insertion,
    _marches_heures_insertion_xl,
    _marches_insertion_hors_travaux,
    _marches_insertion_hors_travaux_xl,
    _marches_negociation,
    _marches_negociation_xl,
    _marches_reserves,
    _marches_reserves_xl,
    _taux_marches,
    _taux_marches_xl,
)
from rse_xl.regles.operations import (
    _operations_biosource,
    _operations_biosource_xl,
    _operations_dpe,
    _operations_dpe_xl,
    _operations_logements_efg,
    _operations_logements_efg_xl,
    _operations_logements_repos,
    _operations_logements_repos_xl,
    _operations_pemd,
    _operations_pemd_xl,
    methode_seule,
)
from rse_xl.regles.reemploi import _reemploi_types, _reemploi_types_xl
from rse_xl.regles.vehicules import _vehicules_electriques, _vehicules_electriques_xl

__all__ = [
    "PERIODES_EN_SERVICE",
    "REGLES",
    "Calcul",
    "Ligne",
    "LignesIndexees",
    "Registres",
    "Regle",
    "calculer",
    "lignes_valides",
    "methode_seule",
    "normaliser_element",
    "regle_de",
    "tenu_pour",
]


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

"""Demo office workbooks: realistic, deterministic registers and fiche values for the three offices.

Used for the shipped demo workbooks, for the LibreOffice test (live formulas against Python) and for
benchmarks (``echelle`` multiplies the register sizes). The same arguments give the same data, and so the
same bytes: one ``random.Random`` seeded by a string per office, never the global generator, and no
iteration over sets (their order changes from one process to the next).

The fixed data (office profiles, words of every register, comments, anomalies) is in ``donnees/*.yaml``,
loaded and checked by :mod:`rse_xl.demo.donnees`; the generators are in Python, one module per register
(``marches``, ``operations``, ``vehicules``, ``equipements``, ``journal``, ``reemploi``), plus ``fiches``
(fiche values and identity) and ``anomalies`` (deliberate problems, « campagne incomplète »).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from rse_xl.demo.anomalies import (
    anomalies_fiches,
    anomalies_registres,
    incomplet_fiches,
    incomplet_registres,
    renommer_onglet,
)
from rse_xl.demo.contexte import JOURS_FERIES, Contexte, Ligne, profil
from rse_xl.demo.donnees import (
    ACTEURS_BIOSOURCES,
    ACTEURS_INSERTION,
    ANOMALIES_DEMO,
    COMMENTAIRE_FORMULE,
    COMMENTAIRE_PLUS,
    COMMENTAIRES_A_VENIR,
    COMMENTAIRES_EN_COURS,
    COMMENTAIRES_REALISE,
    CONSOMMATIONS,
    DEVENIRS_SORTIE,
    DOUBLONS_COMMUNS,
    ELEMENTS_COMMUNS,
    EQUIPEMENTS,
    EXPERIMENTATIONS,
    FILIERES_MATERIAUX,
    JOURNAL,
    LIGNES_SOUS_TABLEAU,
    LOTS,
    MARCHES_RESERVES,
    MATERIAUX_COMMUNS,
    MEDIANES_MONTANT,
    OBJETS_MARCHES,
    OFFICE_EN_RETARD,
    ONGLET_RENOMME,
    OPERATION_METHODE_SEULE,
    PART_ILLUSTREE,
    PROFILS,
    QUANTITES_UNITES,
    SERIES_SIV,
    SERVICES_5S,
    TOUS,
    UNITES_MATERIAUX,
    VOLUMES_JOURNAL,
    AnomalieDemo,
    DonneesDemo,
    ElementCommun,
    ModeleJournal,
    Profil,
    charger_donnees,
)
from rse_xl.demo.equipements import lignes_equipements
from rse_xl.demo.fiches import identite, valeurs_fiches
from rse_xl.demo.journal import actions_journal, lignes_journal
from rse_xl.demo.marches import SEUIL_PROCEDURE_FORMALISEE, lignes_marches
from rse_xl.demo.operations import METHODE_2021, METHODE_2026, lignes_operations
from rse_xl.demo.reemploi import lignes_donnees_annuelles, lignes_reemploi
from rse_xl.demo.vehicules import LETTRES_SIV, lignes_vehicules
from rse_xl.errors import EntreeError
from rse_xl.layout import PROCEDURES_NEGOCIATION
from rse_xl.modele import Saisie, ecrire_classeur, nom_fichier_modele
from rse_xl.referentiel import Office, Registre, referentiel

__all__ = [
    "ACTEURS_BIOSOURCES",
    "ACTEURS_INSERTION",
    "ANOMALIES_DEMO",
    "COMMENTAIRES_A_VENIR",
    "COMMENTAIRES_EN_COURS",
    "COMMENTAIRES_REALISE",
    "COMMENTAIRE_FORMULE",
    "COMMENTAIRE_PLUS",
    "CONSOMMATIONS",
    "DEVENIRS_SORTIE",
    "DOUBLONS_COMMUNS",
    "ELEMENTS_COMMUNS",
    "EQUIPEMENTS",
    "EXPERIMENTATIONS",
    "FILIERES_MATERIAUX",
    "JOURNAL",
    "JOURS_FERIES",
    "LETTRES_SIV",
    "LIGNES_SOUS_TABLEAU",
    "LOTS",
    "MARCHES_RESERVES",
    "MATERIAUX_COMMUNS",
    "MEDIANES_MONTANT",
    "METHODE_2021",
    "METHODE_2026",
    "OBJETS_MARCHES",
    "OFFICE_EN_RETARD",
    "ONGLET_RENOMME",
    "OPERATION_METHODE_SEULE",
    "PART_ILLUSTREE",
    "PROCEDURES_NEGOCIATION",
    "PROFILS",
    "QUANTITES_UNITES",
    "SERIES_SIV",
    "SERVICES_5S",
    "SEUIL_PROCEDURE_FORMALISEE",
    "TOUS",
    "UNITES_MATERIAUX",
    "VOLUMES_JOURNAL",
    "AnomalieDemo",
    "DonneesDemo",
    "ElementCommun",
    "Ligne",
    "ModeleJournal",
    "Profil",
    "actions_journal",
    "charger_donnees",
    "ecrire_demo",
    "generer_saisie",
    "profil",
    "renommer_onglet",
]


def _registres(ctx: Contexte) -> dict[Registre, list[Ligne]]:
    """The office's register rows (typed Python values), drawn in a fixed order."""
    operations = lignes_operations(ctx)
    return {
        Registre.MARCHES: lignes_marches(ctx),
        Registre.OPERATIONS: operations,
        Registre.VEHICULES: lignes_vehicules(ctx),
        Registre.EQUIPEMENTS: lignes_equipements(ctx),
        Registre.JOURNAL: lignes_journal(ctx),
        Registre.REEMPLOI: lignes_reemploi(ctx, operations),
        Registre.DONNEES_ANNUELLES: lignes_donnees_annuelles(ctx),
    }


def generer_saisie(
    office: Office,
    *,
    graine: int = 0,
    echelle: float = 1.0,
    annee_courante: int = 2026,
    anomalies: bool = True,
    incomplet: bool = False,
) -> Saisie:
    """A filled workbook's content for one office: registers, fiche values and identity, reproducibly.

    ``incomplet``: the « campagne incomplète » (one office late, rows under a table, a DPE method change).
    """
    if not echelle > 0:
        raise EntreeError(f"L'échelle doit être un nombre positif, reçu : {echelle!r}.")
    conv = referentiel()
    rng = random.Random(f"{office.code}-{graine}")
    ctx = Contexte(office, rng, echelle, annee_courante)
    registres = _registres(ctx)
    if anomalies:
        anomalies_registres(office.code, registres)
    if incomplet:
        incomplet_registres(office.code, registres, annee_courante)
    valeurs = identite(ctx)
    valeurs.update(valeurs_fiches(ctx, conv, registres))
    if anomalies:
        anomalies_fiches(conv, office.code, valeurs, annee_courante)
    sous_tableaux: dict[Registre, list[Ligne]] = {}
    if incomplet:
        incomplet_fiches(conv, office.code, valeurs, annee_courante)
        if office.code == "ARC":
            sous_tableaux[Registre.JOURNAL] = [dict(r) for r in LIGNES_SOUS_TABLEAU]
    return Saisie(valeurs=valeurs, registres=registres, sous_tableaux=sous_tableaux)


def ecrire_demo(
    dossier: Path,
    *,
    graine: int = 0,
    echelle: float = 1.0,
    offices: Sequence[Office] | None = None,
    anomalies: bool = True,
    ecraser: bool = False,
    incomplet: bool = False,
) -> list[Path]:
    """Write one demo workbook per office in ``dossier`` (by default the three of the convention).

    ``incomplet``: the « campagne incomplète » set (see ``generer_saisie``), a fiche sheet renamed besides.
    """
    conv = referentiel()
    chemins = []
    for office in offices if offices is not None else conv.offices:
        chemin = Path(dossier) / nom_fichier_modele(office)
        saisie = generer_saisie(
            office, graine=graine, echelle=echelle, anomalies=anomalies, incomplet=incomplet
        )
        ecrire_classeur(chemin, office, saisie, conv, ecraser=ecraser)
        if incomplet and office.code == ONGLET_RENOMME[0]:
            renommer_onglet(chemin, ONGLET_RENOMME[1], ONGLET_RENOMME[2])
        chemins.append(chemin)
    return chemins

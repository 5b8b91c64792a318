"""The demo's fixed data: YAML files beside the code (``donnees/``), loaded and checked by pydantic.

One file per register (its words and distributions), plus the office profiles, the inter-office items, the
fiche comments, the deliberate anomalies and the « campagne incomplète ». Each file has a model; a malformed
file, or files that disagree (an office, an action or a shared item unknown), raise
:class:`~rse_xl.errors.ReferentielError` naming the file. The generators read the constants at the end of this
module, typed as the generators use them (tuples, dicts in the files' order: the draws depend on it).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, ValidationError, model_validator

from rse_xl.errors import ReferentielError
from rse_xl.layout import (
    CLASSES_DPE,
    DEVENIRS_EQUIPEMENT,
    ETATS_SAISIE,
    FILIERES_REEMPLOI,
    MARCHE_RESERVE,
    METHODES_DPE,
    NATURES_MARCHE,
    PUBLICS,
    TYPES_EQUIPEMENT,
    TYPES_JOURNAL,
    TYPES_OPERATION,
)
from rse_xl.referentiel import _AliasInterdit, _charger_yaml_sans_alias, referentiel

DOSSIER = "donnees"


# --- Field checks --------------------------------------------------------------------------------------------


def _parmi(valeurs: Iterable[str]) -> AfterValidator:
    permises = tuple(valeurs)

    def verifier(v: str) -> str:
        if v not in permises:
            raise ValueError(f"« {v} » n'est pas parmi {', '.join(permises)}")
        return v

    return AfterValidator(verifier)


N = TypeVar("N", int, float)


def _ordonnees(bornes: tuple[N, N]) -> tuple[N, N]:
    if bornes[0] > bornes[1]:
        raise ValueError(f"bornes dans le désordre : {list(bornes)}")
    return bornes


def _champs_modele(modele: str) -> set[str]:
    return {champ.split(".")[0].split("[")[0] for _, champ, _, _ in string.Formatter().parse(modele) if champ}


def _champs_permis(modeles: Iterable[str], permis: set[str], quoi: str) -> None:
    for modele in modeles:
        inconnus = _champs_modele(modele) - permis
        if inconnus:
            raise ValueError(
                f"{quoi} « {modele} » : champ(s) {', '.join(sorted(inconnus))} inconnu(s) "
                f"(permis : {', '.join(sorted(permis))})"
            )


Bornes = Annotated[tuple[int, int], AfterValidator(_ordonnees)]
BornesReelles = Annotated[tuple[float, float], AfterValidator(_ordonnees)]
Textes = Annotated[tuple[str, ...], Field(min_length=1)]


class _Modele(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Office profiles (offices.yaml) -------------------------------------------------------------------------


class Profil(_Modele):
    """What makes one office's demo data its own: places, people and sizes."""

    domaine: str
    format_marche: str  # reference of a contract: {code}, {aa}, {aaaa}, {n}
    quartiers: Textes
    residences: Textes
    referents: Annotated[tuple[tuple[str, str, str], ...], Field(min_length=1)]  # (prénom, nom, fonction)
    telephone: str  # first digits
    etat: Annotated[str, _parmi(ETATS_SAISIE)]
    marches: Bornes
    operations: Bornes
    vehicules: Bornes
    equipements: Bornes
    journal: float  # multiplier of the journal's base counts
    reemploi: Annotated[tuple[Bornes, ...], Field(min_length=1)]  # rows (first year, following years)
    materiaux: Textes  # own material types, besides MATERIAUX_COMMUNS
    bonus_electrique: float
    robinetteries: Bornes
    bilan_total: BornesReelles
    part_deplacements: BornesReelles
    stockage: BornesReelles
    sondes: Bornes
    naturaliste: str

    @model_validator(mode="after")
    def _format(self) -> Profil:
        _champs_permis([self.format_marche], {"code", "aa", "aaaa", "n"}, "format_marche")
        return self


class _FichierOffices(RootModel[dict[str, Profil]]):
    pass


# --- Items shared by the offices (communs.yaml) -------------------------------------------------------------


class ElementCommun(_Modele):
    """An inter-office workshop or experiment: the same identifier in every office that took part."""

    action: str
    commun: str
    date: dt.date
    intitule: str
    type: Annotated[str, _parmi(TYPES_JOURNAL)]
    offices: Textes


class _FichierCommuns(_Modele):
    elements: tuple[ElementCommun, ...]
    doublons: dict[str, tuple[str, ...]] = {}


# --- Registers ----------------------------------------------------------------------------------------------


class _Reserve(_Modele):
    objet: str
    nature: Annotated[str, _parmi(NATURES_MARCHE)]
    reserve: Annotated[str, _parmi(MARCHE_RESERVE[1:])]


class _Montant(_Modele):
    mediane: float = Field(gt=0)
    sigma: float = Field(ge=0)


class _FichierMarches(_Modele):
    objets: dict[Annotated[str, _parmi(NATURES_MARCHE)], Textes]
    lots: Textes
    reserves: Annotated[tuple[_Reserve, ...], Field(min_length=1)]
    montants: dict[Annotated[str, _parmi(NATURES_MARCHE)], _Montant]

    @model_validator(mode="after")
    def _coherent(self) -> _FichierMarches:
        if list(self.objets) != list(NATURES_MARCHE) or list(self.montants) != list(NATURES_MARCHE):
            raise ValueError(
                f"objets et montants : une entrée par nature, dans l'ordre {list(NATURES_MARCHE)}"
            )
        _champs_permis(
            [o for objets in self.objets.values() for o in objets], {"n", "res", "quartier", "lot"}, "objet"
        )
        return self


class _FichierOperations(_Modele):
    consommations: dict[Annotated[str, _parmi(CLASSES_DPE)], Bornes]

    @model_validator(mode="after")
    def _toutes_classes(self) -> _FichierOperations:
        if list(self.consommations) != list(CLASSES_DPE):
            raise ValueError(f"consommations : une entrée par classe DPE, dans l'ordre {list(CLASSES_DPE)}")
        return self


class _FichierVehicules(_Modele):
    series_siv: dict[int, Annotated[str, Field(pattern=r"^[A-HJ-NP-TV-Z]{2}$")]] = Field(min_length=1)


class _TypeEquipement(_Modele):
    prefixe: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    part: float = Field(gt=0)
    duree_moyenne: float = Field(gt=0)
    ecart_type: float = Field(ge=0)


class _FichierEquipements(_Modele):
    types: dict[Annotated[str, _parmi(TYPES_EQUIPEMENT)], _TypeEquipement] = Field(min_length=1)
    devenirs_sortie: dict[Annotated[str, _parmi(DEVENIRS_EQUIPEMENT)], float] = Field(min_length=1)


class ModeleJournal(_Modele):
    """A kind of journal entry of one action: title template, type, public, participants."""

    intitule: str
    type: Annotated[str, _parmi(TYPES_JOURNAL)]
    public: Annotated[str, _parmi(PUBLICS)]
    participants: Bornes | None = None
    annees: tuple[int, ...] = ()  # empty: any year


CHAMPS_INTITULE = {
    "res",
    "quartier",
    "acteur_bio",
    "acteur_insertion",
    "naturaliste",
    "service",
    "experimentation",
    "trimestre",
}


class _ActionJournal(_Modele):
    volumes: dict[int, Bornes] = Field(min_length=1)  # rows per year at scale 1
    part_illustree: float | None = Field(default=None, ge=0, le=1)
    modeles: Annotated[tuple[ModeleJournal, ...], Field(min_length=1)]


class _FichierJournal(_Modele):
    acteurs_biosources: Textes
    acteurs_insertion: Textes
    services_5s: Textes
    experimentations: Textes
    actions: dict[str, _ActionJournal] = Field(min_length=1)

    @model_validator(mode="after")
    def _champs(self) -> _FichierJournal:
        modeles = [m.intitule for a in self.actions.values() for m in a.modeles]
        _champs_permis(modeles, CHAMPS_INTITULE, "intitulé")
        _champs_permis(self.services_5s, {"quartier"}, "service")
        return self


class _FichierReemploi(_Modele):
    materiaux_communs: Textes
    unites: dict[str, str]
    filieres: dict[str, Annotated[tuple[Annotated[str, _parmi(FILIERES_REEMPLOI)], ...], Field(min_length=1)]]
    quantites: dict[str, tuple[int | float, int | float]]

    @model_validator(mode="after")
    def _unites_connues(self) -> _FichierReemploi:
        manquantes = sorted({*self.unites.values(), "u"} - set(self.quantites))
        if manquantes:
            raise ValueError(f"quantites : bornes manquantes pour l'unité {', '.join(manquantes)}")
        for unite, bornes in self.quantites.items():
            _ordonnees(bornes)
            if unite == "u" and not all(float(b).is_integer() for b in bornes):
                raise ValueError("quantites : les bornes en unités (u) sont des nombres entiers")
        return self


# --- Fiche sheets, anomalies, « campagne incomplète » --------------------------------------------------------


class _Commentaires(_Modele):
    realise: Textes
    en_cours: Textes
    a_venir: Textes

    @model_validator(mode="after")
    def _champs(self) -> _Commentaires:
        _champs_permis(self.realise + self.en_cours, {"annee", "suivante"}, "commentaire")
        _champs_permis(self.a_venir, {"annee", "precedente"}, "commentaire")
        return self


class _FichierFiches(_Modele):
    commentaires: _Commentaires


class AnomalieDemo(_Modele):
    """A deliberate problem of a demo workbook that the validator should report as a warning."""

    office: str  # office code
    quoi: str
    ou: str  # defined name, or register and row


class _FichierAnomalies(_Modele):
    anomalies: tuple[AnomalieDemo, ...]
    commentaire_formule: str
    commentaire_plus: str
    commentaire_ecart_journal: str


class _OngletRenomme(_Modele):
    office: str
    ancien: str
    nouveau: str


class _LigneSousTableau(_Modele):
    date: dt.date
    action: str
    intitule: str
    type: Annotated[str, _parmi(TYPES_JOURNAL)]
    public: Annotated[str, _parmi(PUBLICS)]
    participants: int | None


class _Operation(_Modele):
    reference: str
    nom: str
    type: Annotated[str, _parmi(TYPES_OPERATION)]
    logements: int
    date_lancement: dt.date
    date_livraison: dt.date | None
    dpe_avant: Annotated[str, _parmi(CLASSES_DPE)] | None
    dpe_apres: Annotated[str, _parmi(CLASSES_DPE)] | None
    methode_avant: Annotated[str, _parmi(METHODES_DPE)] | None
    methode_apres: Annotated[str, _parmi(METHODES_DPE)] | None
    conso_avant: float | None
    conso_apres: float | None
    biosource: bool
    date_pemd: dt.date | None
    logements_repos: int | None


class _FichierIncomplet(_Modele):
    office_en_retard: str
    onglet_renomme: _OngletRenomme
    lignes_sous_tableau: tuple[_LigneSousTableau, ...]
    operation_methode_seule: _Operation


# --- Loading ------------------------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


class DonneesDemo(_Modele):
    """Every file of ``donnees/``, checked one by one and against one another."""

    offices: _FichierOffices
    communs: _FichierCommuns
    marches: _FichierMarches
    operations: _FichierOperations
    vehicules: _FichierVehicules
    equipements: _FichierEquipements
    journal: _FichierJournal
    reemploi: _FichierReemploi
    fiches: _FichierFiches
    anomalies: _FichierAnomalies
    incomplet: _FichierIncomplet


def _lire(dossier: Path | None, nom: str) -> str:
    if dossier is not None:
        return (Path(dossier) / nom).read_text(encoding="utf-8")
    return resources.files(__package__).joinpath(DOSSIER, nom).read_text(encoding="utf-8")


def _charger(dossier: Path | None, nom: str, modele: type[M]) -> M:
    fichier = f"{nom}.yaml"
    try:
        return modele.model_validate(_charger_yaml_sans_alias(_lire(dossier, fichier)))
    except _AliasInterdit as exc:
        raise ReferentielError(
            f"Données de démonstration invalides ({fichier}) : ancres et alias YAML non acceptés "
            f"(ligne {exc.ligne})."
        ) from exc
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ReferentielError(f"Données de démonstration invalides ({fichier}) : {exc}") from exc


def charger_donnees(dossier: Path | None = None) -> DonneesDemo:
    """Load and check the demo's data files (the shipped ones by default, else those of ``dossier``)."""
    fichiers: dict[str, Any] = {
        nom: _charger(dossier, nom, champ.annotation)  # type: ignore[arg-type]
        for nom, champ in DonneesDemo.model_fields.items()
    }
    donnees = DonneesDemo(**fichiers)
    _verifier_ensemble(donnees)
    return donnees


def _verifier_ensemble(d: DonneesDemo) -> None:
    """What no single file can check: the offices, actions and shared items one file names in another."""
    conv = referentiel()
    offices = set(d.offices.root)
    actions = {a.code for f in conv.fiches for a in f.actions}
    journal = [
        a.code
        for f in conv.fiches
        for a in f.actions
        if (a.indicateur.source.regle or "").startswith("journal_")
    ]
    communs = {e.commun for e in d.communs.elements}
    erreurs: list[str] = []

    def inconnus(quoi: str, noms: Iterable[str], connus: set[str], fichier: str) -> None:
        for nom in sorted(set(noms) - connus):
            erreurs.append(f"{fichier} : {quoi} inconnu(e) « {nom} »")

    inconnus("office", [o for e in d.communs.elements for o in e.offices], offices, "communs.yaml")
    inconnus("office", d.communs.doublons, offices, "communs.yaml")
    inconnus("élément commun", [c for v in d.communs.doublons.values() for c in v], communs, "communs.yaml")
    inconnus("action", [e.action for e in d.communs.elements], actions, "communs.yaml")
    inconnus("action", d.journal.actions, actions, "journal.yaml")
    inconnus("office", [a.office for a in d.anomalies.anomalies], offices, "anomalies.yaml")
    i = d.incomplet
    inconnus("office", [i.office_en_retard, i.onglet_renomme.office], offices, "incomplet.yaml")
    inconnus("action", [r.action for r in i.lignes_sous_tableau], actions, "incomplet.yaml")
    if sorted(d.journal.actions) != sorted(journal):
        erreurs.append(
            "journal.yaml : une entrée par action comptée dans le Journal, attendu "
            f"{', '.join(sorted(journal))}"
        )
    if "ARC" not in offices:
        erreurs.append("offices.yaml : le profil ARC sert aux offices hors convention, il est requis")
    if erreurs:
        raise ReferentielError("Données de démonstration incohérentes : " + " ; ".join(erreurs) + ".")


@cache
def donnees() -> DonneesDemo:
    """The shipped demo data (cached)."""
    return charger_donnees()


# --- The constants the generators use -----------------------------------------------------------------------

_D = donnees()

PROFILS: dict[str, Profil] = dict(_D.offices.root)

TOUS = ("ARC", "BMH", "NMH")
ELEMENTS_COMMUNS: tuple[ElementCommun, ...] = _D.communs.elements
DOUBLONS_COMMUNS: dict[str, tuple[str, ...]] = dict(_D.communs.doublons)

OBJETS_MARCHES: dict[str, tuple[str, ...]] = dict(_D.marches.objets)
LOTS: tuple[str, ...] = _D.marches.lots
MARCHES_RESERVES: tuple[tuple[str, str, str], ...] = tuple(
    (r.objet, r.nature, r.reserve) for r in _D.marches.reserves
)
MEDIANES_MONTANT: dict[str, tuple[float, float]] = {
    nature: (m.mediane, m.sigma) for nature, m in _D.marches.montants.items()
}

CONSOMMATIONS: dict[str, tuple[int, int]] = dict(_D.operations.consommations)  # kWhEP/m².an by DPE class

SERIES_SIV: dict[int, str] = dict(_D.vehicules.series_siv)

EQUIPEMENTS: dict[str, tuple[str, float, float, float]] = {  # type: (prefix, share, mean life, sd) years
    t: (e.prefixe, e.part, e.duree_moyenne, e.ecart_type) for t, e in _D.equipements.types.items()
}
DEVENIRS_SORTIE: dict[str, float] = dict(_D.equipements.devenirs_sortie)

ACTEURS_BIOSOURCES: tuple[str, ...] = _D.journal.acteurs_biosources
ACTEURS_INSERTION: tuple[str, ...] = _D.journal.acteurs_insertion
SERVICES_5S: tuple[str, ...] = _D.journal.services_5s
EXPERIMENTATIONS: tuple[str, ...] = _D.journal.experimentations
JOURNAL: dict[str, tuple[ModeleJournal, ...]] = {c: a.modeles for c, a in _D.journal.actions.items()}
# Rows per action and year at scale 1, before the office's multiplier.
VOLUMES_JOURNAL: dict[str, dict[int, tuple[int, int]]] = {
    c: dict(a.volumes) for c, a in _D.journal.actions.items()
}
PART_ILLUSTREE: dict[str, float] = {
    c: a.part_illustree for c, a in _D.journal.actions.items() if a.part_illustree is not None
}

MATERIAUX_COMMUNS: tuple[str, ...] = _D.reemploi.materiaux_communs
UNITES_MATERIAUX: dict[str, str] = dict(_D.reemploi.unites)
FILIERES_MATERIAUX: dict[str, tuple[str, ...]] = dict(_D.reemploi.filieres)
QUANTITES_UNITES: dict[str, tuple[int | float, int | float]] = dict(_D.reemploi.quantites)

COMMENTAIRES_REALISE: tuple[str, ...] = _D.fiches.commentaires.realise
COMMENTAIRES_EN_COURS: tuple[str, ...] = _D.fiches.commentaires.en_cours
COMMENTAIRES_A_VENIR: tuple[str, ...] = _D.fiches.commentaires.a_venir

ANOMALIES_DEMO: tuple[AnomalieDemo, ...] = _D.anomalies.anomalies
COMMENTAIRE_FORMULE = _D.anomalies.commentaire_formule
COMMENTAIRE_PLUS = _D.anomalies.commentaire_plus
COMMENTAIRE_ECART_JOURNAL = _D.anomalies.commentaire_ecart_journal

OFFICE_EN_RETARD = _D.incomplet.office_en_retard  # has filled nothing of the current year yet
ONGLET_RENOMME = (  # office, sheet, the name it was given
    _D.incomplet.onglet_renomme.office,
    _D.incomplet.onglet_renomme.ancien,
    _D.incomplet.onglet_renomme.nouveau,
)
# ARC: typed under the Journal table, outside it.
LIGNES_SOUS_TABLEAU: tuple[dict[str, Any], ...] = tuple(
    r.model_dump() for r in _D.incomplet.lignes_sous_tableau
)
# ARC: E (DPE 2021) → D (DPE 2026) without works on energy use.
OPERATION_METHODE_SEULE: dict[str, Any] = _D.incomplet.operation_methode_seule.model_dump()

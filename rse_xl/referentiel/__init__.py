"""The référentiel: the convention as data, loaded once and checked by pydantic."""

from __future__ import annotations

import hashlib
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from rse_xl.errors import ReferentielError
from rse_xl.referentiel.models import (
    ANNEES,
    Action,
    Cible,
    Convention,
    Fiche,
    Indicateur,
    Mesure,
    Office,
    Parametres,
    Registre,
    Sens,
    TypeIndicateur,
)

__all__ = [
    "ANNEES",
    "Action",
    "Cible",
    "Convention",
    "Fiche",
    "Indicateur",
    "Mesure",
    "Office",
    "Parametres",
    "Registre",
    "Sens",
    "TypeIndicateur",
    "charger_referentiel",
    "empreinte_referentiel",
    "referentiel",
]

FICHIER = "convention.yaml"


def _texte_defaut() -> bytes:
    return resources.files(__package__).joinpath(FICHIER).read_bytes()


def charger_referentiel(chemin: Path | None = None) -> Convention:
    """Load and check a référentiel file (the shipped one by default)."""
    brut = chemin.read_bytes() if chemin else _texte_defaut()
    try:
        donnees = yaml.safe_load(brut)
        convention = Convention.model_validate(donnees)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ReferentielError(f"Référentiel invalide ({chemin or FICHIER}) : {exc}") from exc
    _verifier_unicite(convention)
    return convention


def _verifier_unicite(convention: Convention) -> None:
    doublons = [
        k
        for k, n in Counter(
            [f"fiche {f.numero}" for f in convention.fiches]
            + [a.code for f in convention.fiches for a in f.actions]
            + [f"onglet {f.onglet}" for f in convention.fiches]
            + [f"office {o.code}" for o in convention.offices]
            + [f"office {o.nom}" for o in convention.offices]
        ).items()
        if n > 1
    ]
    if doublons:
        raise ReferentielError(f"Référentiel invalide : doublons {', '.join(doublons)}")
    numeros = [f.numero for f in convention.fiches]
    if numeros != list(range(1, len(numeros) + 1)):
        raise ReferentielError(f"Référentiel invalide : fiches non numérotées de 1 à n ({numeros})")


@cache
def referentiel() -> Convention:
    """The shipped référentiel (cached)."""
    return charger_referentiel()


@cache
def empreinte_referentiel() -> str:
    """SHA-256 of the shipped référentiel file, recorded in every workbook made from it."""
    return hashlib.sha256(_texte_defaut()).hexdigest()

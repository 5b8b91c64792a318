"""The référentiel: the convention as data, loaded once and checked by pydantic."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from rse_xl.errors import EntreeError, ReferentielError
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
    "charger_parametres",
    "charger_referentiel",
    "empreinte_referentiel",
    "referentiel",
]

FICHIER = "convention.yaml"
_CHARGEUR_RAPIDE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _texte_defaut() -> bytes:
    return resources.files(__package__).joinpath(FICHIER).read_bytes()


def charger_referentiel(chemin: Path | None = None) -> Convention:
    """Load and check a référentiel file (the shipped one by default)."""
    brut = chemin.read_bytes() if chemin else _texte_defaut()
    try:
        # The shipped file is parsed by libyaml when present (ten times faster: it is read at every start);
        # a user's file by the pure-Python loader, whose error messages are the documented ones.
        chargeur = _CHARGEUR_RAPIDE if chemin is None else yaml.SafeLoader
        donnees = yaml.load(brut, Loader=chargeur)  # both are safe loaders
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


# --- Settings file ---------------------------------------------------------------------------------------------


class _Reglages(BaseModel):
    """A settings file: offices beyond the convention's, and settings of the référentiel."""

    model_config = ConfigDict(extra="forbid")

    offices: list[Office] = []
    parametres: dict[str, Any] = {}


_TAILLE_MAX_REGLAGES = 20_000_000  # characters: 10 000 offices take about 0.6 MB


class _AliasInterdit(yaml.YAMLError):
    def __init__(self, ligne: int) -> None:
        super().__init__("alias")
        self.ligne = ligne


_Chargeur: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 3 times faster


def _charger_yaml_sans_alias(texte: str) -> object:
    """The document, after a pass over its events that refuses anchors and aliases (no "billion laughs").

    Events are read one at a time and aliases are not expanded by the parser, so the check costs what the
    text costs, whatever the aliases would have grown into.
    """
    for evenement in yaml.parse(texte, Loader=_Chargeur):
        if isinstance(evenement, yaml.AliasEvent) or getattr(evenement, "anchor", None):
            raise _AliasInterdit(evenement.start_mark.line + 1)
    return yaml.load(texte, Loader=_Chargeur)


def charger_parametres(chemin: Path, convention: Convention | None = None) -> Convention:
    """The convention with the offices and settings of a YAML settings file (``--parametres``).

    ``offices`` are added to the convention's (an office of the convention may be listed again, as it is);
    ``parametres`` overrides only the settings it names. Anything wrong raises :class:`EntreeError`, in
    French, quoting the file and what to fix.
    """
    convention = convention or referentiel()
    chemin = Path(chemin)
    nom = f"Fichier de réglages « {chemin} »"
    try:
        texte = chemin.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EntreeError(f"{nom} introuvable : vérifiez le chemin.") from None
    except UnicodeDecodeError:
        raise EntreeError(f"{nom} illisible : enregistrez-le en texte UTF-8.") from None
    except OSError as exc:
        raise EntreeError(f"{nom} illisible ({exc.strerror}).") from None
    if len(texte) > _TAILLE_MAX_REGLAGES:
        raise EntreeError(
            f"{nom} trop gros ({len(texte) // 1_000_000} Mo) : un fichier de réglages tient en moins de "
            f"{_TAILLE_MAX_REGLAGES // 1_000_000} Mo."
        )
    try:
        donnees = _charger_yaml_sans_alias(texte)
    except _AliasInterdit as exc:
        raise EntreeError(
            f"{nom} : les ancres et alias YAML (& et *) ne sont pas acceptés (ligne {exc.ligne}) : "
            "écrivez chaque valeur en entier."
        ) from None
    except yaml.YAMLError as exc:
        ou = ""
        marque = getattr(exc, "problem_mark", None)
        if marque is not None:
            ou = f" ligne {marque.line + 1}, colonne {marque.column + 1}"
        probleme = getattr(exc, "problem", None) or str(exc)
        raise EntreeError(f"{nom} : YAML invalide{ou} ({probleme}).") from None
    if donnees is None:
        raise EntreeError(f"{nom} vide : indiquez des « offices » et/ou des « parametres ».")
    if not isinstance(donnees, dict):
        raise EntreeError(
            f"{nom} : le fichier doit être une table avec les clés « offices » et/ou « parametres »."
        )
    # A key written with nothing under it (YAML null) is an empty list, or no setting.
    donnees = {cle: ({} if cle == "parametres" else []) if v is None else v for cle, v in donnees.items()}
    try:
        reglages = _Reglages.model_validate(donnees)
    except ValidationError as exc:
        raise EntreeError(f"{nom} : {_erreurs_en_francais(exc)}.") from None
    offices = _offices(nom, convention.offices, reglages.offices)
    parametres = convention.parametres
    if reglages.parametres:
        base = parametres.model_dump()
        fusion = {**base, **reglages.parametres}
        seuils = reglages.parametres.get("seuils_statut")
        if isinstance(seuils, dict):
            fusion["seuils_statut"] = {**base["seuils_statut"], **seuils}
        try:
            parametres = Parametres.model_validate(fusion)
        except ValidationError as exc:
            raise EntreeError(f"{nom} : {_erreurs_en_francais(exc, ('parametres',))}.") from None
        _verifier_parametres(nom, parametres, convention)
    return convention.model_copy(update={"offices": offices, "parametres": parametres})


def _offices(nom: str, existants: Sequence[Office], ajoutes: Sequence[Office]) -> list[Office]:
    """The convention's offices then the file's; a code or a name (case, accents and spaces aside) once."""
    from rse_xl.conversion import cle_liste

    offices = list(existants)
    presents = set(offices)
    # Each key (code or name, case and accents aside) to the office that has it: one look-up per office,
    # so that a file of 10 000 offices costs no more than reading it.
    par_cle: dict[str, Office] = {}
    for existant in offices:
        for valeur in (existant.code, existant.nom):
            par_cle.setdefault(cle_liste(valeur), existant)
    for office in ajoutes:
        if office in presents:
            continue  # an office of the convention, listed as it is
        for valeur in (office.code, office.nom):
            autre = par_cle.get(cle_liste(valeur))
            if autre is not None:
                raise EntreeError(
                    f"{nom} : l'office « {office.nom} » ({office.code}) reprend "
                    f"{'le code' if valeur == office.code else 'le nom'} « {valeur} » de l'office "
                    f"« {autre.nom} » ({autre.code}) : chaque office a son code et son nom."
                )
        for valeur in (office.code, office.nom):
            par_cle.setdefault(cle_liste(valeur), office)
        offices.append(office)
        presents.add(office)
    return offices


def _verifier_parametres(nom: str, p: Parametres, convention: Convention) -> None:
    s = p.seuils_statut
    if not 0 < s.en_bonne_voie <= s.atteint:
        raise EntreeError(
            f"{nom} : parametres, seuils_statut : il faut 0 < en_bonne_voie ≤ atteint "
            f"(trouvé en_bonne_voie = {s.en_bonne_voie}, atteint = {s.atteint})."
        )
    if p.seuil_marches_ht < 0:
        raise EntreeError(f"{nom} : parametres, seuil_marches_ht : un montant positif est attendu.")
    if p.annee_reference not in convention.periode:
        annees = ", ".join(map(str, convention.periode))
        raise EntreeError(
            f"{nom} : parametres, annee_reference : {p.annee_reference} n'est pas une année de la "
            f"convention ({annees})."
        )


_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu",
    "string_type": "un texte est attendu",
    "string_too_short": "un texte non vide est attendu",
    "float_type": "un nombre est attendu",
    "float_parsing": "un nombre est attendu",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "list_type": "une liste est attendue (une ligne « - » par élément)",
    "dict_type": "une table est attendue (des lignes « clé: valeur »)",
    "model_type": "une table est attendue (des lignes « clé: valeur »)",
    "model_attributes_type": "une table est attendue (des lignes « clé: valeur »)",
}


def _erreurs_en_francais(exc: ValidationError, prefixe: tuple[str | int, ...] = ()) -> str:
    """pydantic's errors, where and what, in French."""
    messages = []
    for e in exc.errors():
        lieu = [*prefixe, *e["loc"]]
        ou = ", ".join(f"n° {x + 1}" if isinstance(x, int) else str(x) for x in lieu)
        if e["type"] == "string_pattern_mismatch" and lieu[-1:] == ["code"]:
            quoi = f"« {e['input']} » : un code d'office s'écrit en 2 à 6 lettres majuscules, par exemple QUB"
        elif e["type"] == "string_type" and isinstance(e["input"], bool):
            quoi = (
                f"« {e['input']} » : un texte est attendu ; YAML lit yes/no, on/off… comme vrai/faux : "
                'écrivez la valeur entre guillemets, par exemple code: "NO"'
            )
        elif e["type"] in _MESSAGES:
            valeur = "" if e["type"] in ("missing", "extra_forbidden") else f"« {e['input']} » : "
            quoi = valeur + _MESSAGES[e["type"]]
        else:
            quoi = f"« {e.get('input')} » : valeur invalide ({e['msg']})"
        messages.append(f"{ou} : {quoi}" if ou else quoi)
    if len(messages) > _ERREURS_AFFICHEES:
        reste = len(messages) - _ERREURS_AFFICHEES
        messages = [
            *messages[:_ERREURS_AFFICHEES],
            f"et {reste} autre{'s' if reste > 1 else ''} erreur{'s' if reste > 1 else ''}",
        ]
    return " ; ".join(messages)


_ERREURS_AFFICHEES = 10  # a file with thousands of bad entries is told in a line, not a screenful

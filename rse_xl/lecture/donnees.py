"""What reading a workbook gives: values with their cell, register rows, the workbook read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from rse_xl.controles import Gravite, Probleme, probleme
from rse_xl.fichiers import texte_chemin
from rse_xl.layout import Champ
from rse_xl.ooxml import Nature
from rse_xl.referentiel import Office, Registre


@dataclass
class ValeurLue:
    """One input value: typed (``None`` when empty or unreadable), with its raw content and position."""

    valeur: Any
    brut: Any
    onglet: str
    cellule: str
    valide: bool = True

    @property
    def renseignee(self) -> bool:
        return self.valeur is not None and self.valeur != ""


@dataclass
class LigneRegistre:
    numero: int  # Excel row number
    valeurs: dict[str, Any]
    cellules: dict[str, str]  # column key → A1
    bruts: dict[str, Any] = field(default_factory=dict)
    exclue: bool = False  # an error on the row keeps it out of every figure

    @classmethod
    def differee(
        cls, numero: int, valeurs: dict[str, Any], colonnes: _Colonnes, bruts: tuple[Any, ...]
    ) -> LigneRegistre:
        """A row whose ``cellules`` and ``bruts`` are built when first used: most rows never need them.

        A register holds thousands of cells; only the rows a problem is reported on need their A1 positions.
        The row is the same as one built with every field (equality, repr, pickling).
        """
        ligne = cls.__new__(cls)
        ligne.__dict__ = {
            "numero": numero,
            "valeurs": valeurs,
            "exclue": False,
            "_differe": (colonnes, bruts),
        }
        return ligne

    def __getattr__(self, nom: str) -> Any:
        # Called only for a missing attribute: the deferred fields of a row made by differee().
        differe = self.__dict__.get("_differe") if nom in ("cellules", "bruts") else None
        if differe is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {nom!r}")
        colonnes, bruts = differe
        numero = str(self.numero)
        self.__dict__["cellules"] = dict(
            zip(colonnes.cles, [x + numero for x in colonnes.lettres], strict=True)
        )
        self.__dict__["bruts"] = dict(zip(colonnes.cles, bruts, strict=True))
        self.__dict__.pop("_differe", None)
        return self.__dict__[nom]

    def a_la_colonne(self, cle: str) -> bool:
        """Does the row's table have this column (without building ``cellules``)?"""
        differe = self.__dict__.get("_differe")
        return cle in differe[0].presentes if differe is not None else cle in self.cellules


def colonnes_communes(lignes: Sequence[LigneRegistre]) -> frozenset[str] | None:
    """The columns of rows all read at once from one table (see ``LigneRegistre.differee``); else None."""
    if not lignes:
        return None
    differes: list[Any] = list(map(dict.get, map(vars, lignes), repeat("_differe")))  # no step per row
    if None in differes or len(set(map(id, map(itemgetter(0), differes)))) != 1:
        return None
    colonnes: _Colonnes = differes[0][0]
    return colonnes.presentes


@dataclass(frozen=True)
class _Colonnes:
    """The columns of a register table that were found: keys, their set, and their letters in Excel."""

    cles: tuple[str, ...]
    presentes: frozenset[str]
    lettres: tuple[str, ...]


@dataclass
class ClasseurLu:
    """Everything read from one office workbook, and what went wrong while reading it."""

    chemin: Path
    taille: int = 0
    empreinte: str = ""
    modifie: dt.datetime | None = None
    nature: Nature = Nature.INCONNU
    lisible: bool = False
    modele_version: int | None = None
    referentiel_empreinte: str | None = None
    outil_version: str | None = None
    office_modele: str | None = None  # office code the template was generated for
    office: Office | None = None
    identite: dict[str, ValeurLue] = field(default_factory=dict)
    saisies: dict[tuple[str, int, Champ], ValeurLue] = field(default_factory=dict)
    calcules: dict[tuple[str, int], ValeurLue] = field(default_factory=dict)
    registres: dict[Registre, list[LigneRegistre]] = field(default_factory=dict)
    registres_presents: set[Registre] = field(default_factory=set)
    # (register, year) → the answer of the Identité sheet (template version 2): kept or not; absent: not said
    registres_tenus: dict[tuple[Registre, int], bool] = field(default_factory=dict)
    reponses_tenus: dict[str, ValeurLue] = field(default_factory=dict)  # defined name → the cell as read
    doublon: bool = False  # the same office is in another file too
    problemes: list[Probleme] = field(default_factory=list)
    # Valid register rows grouped for the rules (see regles.lignes_valides), shared by validation and
    # indicators; not part of what was read.
    lignes_indexees: dict[Registre, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def fichier(self) -> str:
        return texte_chemin(self.chemin.name)

    @property
    def office_code(self) -> str | None:
        return self.office.code if self.office else None

    def signaler(self, code: str, **kw: Any) -> Probleme:
        p = probleme(code, fichier=texte_chemin(self.chemin), office=self.office_code, **kw)
        self.problemes.append(p)
        return p

    def saisie(self, action: str, annee: int, champ: Champ) -> ValeurLue | None:
        return self.saisies.get((action, annee, champ))

    def lignes_valides(self, registre: Registre) -> list[dict[str, Any]]:
        return [ligne.valeurs for ligne in self.registres.get(registre, ()) if not ligne.exclue]

    @property
    def nb_erreurs(self) -> int:
        return sum(1 for p in self.problemes if p.gravite is Gravite.ERREUR)

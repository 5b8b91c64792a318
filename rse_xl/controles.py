"""The problems and the report of the checks: bad data is data, never an exception.

Every problem found in a workbook is a :class:`Probleme` with a kebab-case code from :data:`CATALOGUE`, a
severity (*erreur* blocks the value from consolidation, *avertissement* does not), where it is (office,
file, sheet, cell) and a French message that says what to fix. A :class:`Rapport` collects them all.
The catalogue itself lives in :mod:`rse_xl.catalogue`; its names are importable from here too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from rse_xl.catalogue import CATALOGUE, CONTROLES, ENREGISTRER_EN_XLSX, Controle, Gravite

__all__ = [
    "CATALOGUE",
    "CONTROLES",
    "ENREGISTRER_EN_XLSX",
    "Controle",
    "Gravite",
    "Probleme",
    "Rapport",
    "probleme",
]


@dataclass(frozen=True)
class Probleme:
    """One problem found in one place."""

    code: str
    gravite: Gravite
    message: str
    fichier: str
    office: str | None = None  # office code
    onglet: str | None = None
    cellule: str | None = None  # A1, as Excel shows it
    valeur: str | None = None  # the value found, as a short text
    action: str | None = None
    annee: int | None = None

    def en_dict(self) -> dict[str, Any]:
        return {**asdict(self), "gravite": self.gravite.value}


def probleme(
    code: str,
    *,
    fichier: str,
    office: str | None = None,
    onglet: str | None = None,
    cellule: str | None = None,
    valeur: str | None = None,
    action: str | None = None,
    annee: int | None = None,
    **params: Any,
) -> Probleme:
    """Build a problem from the catalogue; the message template gets the parameters and the value."""
    controle = CATALOGUE[code]
    return Probleme(
        code=code,
        gravite=controle.gravite,
        message=controle.message(valeur=valeur, annee=annee, onglet=onglet, **params),
        fichier=fichier,
        office=office,
        onglet=onglet,
        cellule=cellule,
        valeur=valeur,
        action=action,
        annee=annee,
    )


@dataclass
class Rapport:
    """Every problem of one run, like frictionless' Report: ``valid``, counts, and the list."""

    problemes: list[Probleme] = field(default_factory=list)
    fichiers: list[str] = field(default_factory=list)

    def ajouter(self, problemes: Iterable[Probleme]) -> None:
        self.problemes.extend(problemes)

    @property
    def erreurs(self) -> list[Probleme]:
        return [p for p in self.problemes if p.gravite is Gravite.ERREUR]

    @property
    def avertissements(self) -> list[Probleme]:
        return [p for p in self.problemes if p.gravite is Gravite.AVERTISSEMENT]

    @property
    def valide(self) -> bool:
        return not self.erreurs

    def statistiques(self) -> dict[str, Any]:
        return {
            "fichiers": len(self.fichiers),
            "erreurs": len(self.erreurs),
            "avertissements": len(self.avertissements),
            "par_code": dict(sorted(Counter(p.code for p in self.problemes).items())),
        }

    def aplatir(self, champs: Sequence[str]) -> list[list[Any]]:
        """``[[code, cellule], …]`` — handy in tests, like frictionless' ``flatten``."""
        return [[getattr(p, c) for c in champs] for p in self.problemes]

    def en_dict(self) -> dict[str, Any]:
        return {
            "valide": self.valide,
            "statistiques": self.statistiques(),
            "fichiers": list(self.fichiers),
            "problemes": [p.en_dict() for p in self.problemes],
        }

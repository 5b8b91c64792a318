"""Pydantic models of the référentiel: the convention transcribed as data."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ANNEES = (2025, 2026, 2027)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TypeIndicateur(StrEnum):
    """How an indicator is measured for one office, and so how it consolidates (DESIGN.md)."""

    COMPTAGE = "comptage"  # number; inter-office: sum
    COMPTAGE_COMMUN = "comptage_commun"  # items that may be shared; inter-office: distinct items
    ENSEMBLE_DISTINCT = "ensemble_distinct"  # number of distinct types; inter-office: size of the union
    QUANTITE = "quantite"  # amount (hours, To); inter-office: sum
    TAUX = "taux"  # numerator / denominator; inter-office: ratio of sums
    PART_REFERENCE = "part_reference"  # share, judged by its change vs the baseline year
    MOYENNE_PAR_TYPE = "moyenne_par_type"  # mean per type; inter-office: weighted by count
    COMPARAISON_DPE = "comparaison_dpe"  # DPE classes before / after rehabilitation
    JALON = "jalon"  # state of a step: non démarré / en cours / réalisé


class Sens(StrEnum):
    HAUSSE = "hausse"  # higher is better
    BAISSE = "baisse"  # lower is better


class Mesure(StrEnum):
    """What an office reports for one year: the state of a step, or a value."""

    JALON = "jalon"
    VALEUR = "valeur"


class Registre(StrEnum):
    """Registers of the office workbook from which indicators are derived."""

    MARCHES = "marches"
    OPERATIONS = "operations"
    VEHICULES = "vehicules"
    EQUIPEMENTS = "equipements"
    JOURNAL = "journal"
    REEMPLOI = "reemploi"
    DONNEES_ANNUELLES = "donnees_annuelles"


class Cible(_Model):
    """The target of one year, as the convention words it, and what it implies."""

    texte: str = Field(description="Le texte de la convention, mot pour mot.")
    mesure: Mesure
    valeur_fixe: float | None = Field(
        default=None, description="Cible chiffrée fixée par la convention (sinon fixée par chaque office)."
    )
    jalon: str | None = Field(
        default=None, description="Étape qualitative incluse dans la cible, s'il y en a."
    )

    @model_validator(mode="after")
    def _coherente(self) -> Cible:
        if self.mesure is Mesure.JALON and self.valeur_fixe is not None:
            raise ValueError("une cible de type jalon n'a pas de valeur chiffrée")
        if self.mesure is Mesure.JALON and not self.jalon:
            raise ValueError("une cible de type jalon doit nommer son étape (champ jalon)")
        if self.valeur_fixe is not None:
            nombres = {float(n.replace(",", ".")) for n in re.findall(r"\d+(?:,\d+)?", self.texte)}
            if not nombres:
                raise ValueError(f"cible fixe {self.valeur_fixe} sans nombre dans le texte « {self.texte} »")
        return self

    @property
    def fixee_par_office(self) -> bool:
        return self.mesure is Mesure.VALEUR and self.valeur_fixe is None


class Source(_Model):
    """Where an indicator's achieved value comes from: a register (with a rule) or a typed entry."""

    registre: Registre | None = None
    regle: str | None = Field(
        default=None,
        description="Nom de la règle de calcul (voir rse_xl.indicators), si dérivée d'un registre.",
    )
    description: str = Field(description="Comment la valeur est obtenue, en français.")

    @model_validator(mode="after")
    def _regle_si_registre(self) -> Source:
        if (self.registre is None) != (self.regle is None):
            raise ValueError("registre et règle vont ensemble")
        return self


class Indicateur(_Model):
    libelle: str = Field(description="Intitulé exact de la convention.")
    precision: str | None = Field(default=None, description="Texte qui précède le tableau, s'il y en a un.")
    type: TypeIndicateur
    unite: str
    sens: Sens = Sens.HAUSSE
    commun: bool = Field(default=False, description="Objectif commun aux trois offices (16.1, 16.2).")
    source: Source
    cibles: dict[int, Cible]

    @field_validator("cibles")
    @classmethod
    def _trois_annees(cls, v: dict[int, Cible]) -> dict[int, Cible]:
        if tuple(sorted(v)) != ANNEES:
            raise ValueError(f"les cibles doivent couvrir exactement {ANNEES}, trouvé {sorted(v)}")
        return v

    @property
    def agregation(self) -> str:
        return AGREGATION[self.type]


AGREGATION: dict[TypeIndicateur, str] = {
    TypeIndicateur.COMPTAGE: "somme",
    TypeIndicateur.COMPTAGE_COMMUN: "elements_distincts",
    TypeIndicateur.ENSEMBLE_DISTINCT: "union",
    TypeIndicateur.QUANTITE: "somme",
    TypeIndicateur.TAUX: "ratio_des_sommes",
    TypeIndicateur.PART_REFERENCE: "ratio_des_sommes_vs_reference",
    TypeIndicateur.MOYENNE_PAR_TYPE: "moyenne_ponderee",
    TypeIndicateur.COMPARAISON_DPE: "distribution_dpe",
    TypeIndicateur.JALON: "offices_realises",
}


class Action(_Model):
    code: str = Field(pattern=r"^F\d{2}\.A\d$")
    numero: int = Field(ge=1, le=9)
    numerotee: bool = Field(
        default=True, description="Le numéro figure-t-il dans le texte de la convention ?"
    )
    titre: str
    finalites: list[str] = []
    declinaisons: list[str] = []
    calendrier: dict[int, str]
    pilotes: list[str] = []
    moyens: list[str] = []
    sources: list[str] = []
    indicateur: Indicateur

    @field_validator("calendrier")
    @classmethod
    def _calendrier_complet(cls, v: dict[int, str]) -> dict[int, str]:
        if tuple(sorted(v)) != ANNEES:
            raise ValueError(f"le calendrier doit couvrir exactement {ANNEES}, trouvé {sorted(v)}")
        return v

    @property
    def nom_defini(self) -> str:
        """Prefix of the defined names of this action's cells: ``F03_A2``."""
        return self.code.replace(".", "_")


class Fiche(_Model):
    numero: int = Field(ge=1, le=99)
    titre: str
    nom_court: str = Field(max_length=26, description="Nom court pour l'onglet (« F01 Eau »).")
    contexte: str
    objectifs: list[str]
    actions: list[Action]

    @property
    def code(self) -> str:
        return f"F{self.numero:02d}"

    @property
    def onglet(self) -> str:
        return f"{self.code} {self.nom_court}"

    @model_validator(mode="after")
    def _codes_actions(self) -> Fiche:
        for i, action in enumerate(self.actions, start=1):
            attendu = f"{self.code}.A{i}"
            if action.code != attendu or action.numero != i:
                raise ValueError(
                    f"action n°{i} de la fiche {self.numero} : code {action.code}, attendu {attendu}"
                )
        return self


class Office(_Model):
    code: str = Field(pattern=r"^[A-Z]{2,6}$")
    nom: str


class SeuilsStatut(_Model):
    """Achievement thresholds (réalisé / cible) for the statuses."""

    atteint: float = 1.0
    en_bonne_voie: float = 0.8


class Parametres(_Model):
    """Settings that the convention leaves open or that the law moves."""

    seuil_marches_ht: float = Field(
        default=40_000, description="Seuil en € HT des marchés comptés par 3.3 et 14.1 (« > à 40 000 € HT »)."
    )
    annee_reference: int = Field(
        default=2025, description="Année de référence de 12.2 (« diminution de X % »)."
    )
    date_critere_environnemental: dt.date = Field(
        default=dt.date(2026, 8, 21),
        description=(
            "Date à partir de laquelle toute consultation lancée comporte au moins un critère d'attribution "
            "environnemental (code de la commande publique, art. L. 2152-7 ; loi n° 2021-1104, art. 35 ; "
            "décret n° 2022-767)."
        ),
    )
    seuils_statut: SeuilsStatut = SeuilsStatut()


class Convention(_Model):
    titre: str
    periode: tuple[int, int, int] = ANNEES
    offices: list[Office]
    parametres: Parametres = Parametres()
    fiches: list[Fiche]

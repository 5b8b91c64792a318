"""The office workbook's layout: sheet names, defined names and register tables.

This module is the contract between the template builder, the reader, the validator and other teams'
scripts: every input is found by a defined name (``F03_A3_2026_REALISE``) or a table column
(``tMarches[Montant HT]``), never by coordinates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from rse_xl.referentiel import ANNEES, Action, Registre, TypeIndicateur

MODELE_IDENTIFIANT = "rse-xl/classeur-office"
# Bump when a defined name, a table or a column changes; readers accept only known versions.
# Version 2 adds, on the Identité sheet, an explicit answer per register and year: « tenu » or not. Without it
# (version 1, or the answer left empty) a register is kept for a year when a row is dated in it.
MODELE_VERSION = 2
VERSIONS_CONNUES = (1, 2)
# What each version brought, said to the staff of an office whose workbook is older (« modele-a-migrer »).
APPORTS_VERSIONS = {2: "permet de dire, registre par registre, s'il est tenu chaque année (onglet Identité)"}

MOT_DE_PASSE_PROTECTION = "rse"  # documented: protection guards the structure, not secrets

ONGLET_LISEZ_MOI = "Lisez-moi"
ONGLET_IDENTITE = "Identité"
ONGLET_TECHNIQUE = "_rse_xl"
ONGLET_LISTES = "_listes"

ETATS_ETAPE = ("Non démarré", "En cours", "Réalisé")
ETATS_SAISIE = ("Brouillon", "Soumis", "Validé")
OUI_NON = ("Oui", "Non")
CLASSES_DPE = ("A", "B", "C", "D", "E", "F", "G")
CLASSES_PASSOIRES = ("E", "F", "G")

# Plausible dates in a register; outside, the validator rejects the date as a typo.
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2035, 12, 31)


class Champ(StrEnum):
    """Input fields of one action for one year; the suffix of its defined name."""

    ETAPE = "ETAPE"
    CIBLE = "CIBLE"
    REALISE = "REALISE"
    NUMERATEUR = "NUMERATEUR"
    DENOMINATEUR = "DENOMINATEUR"
    COMMENTAIRE = "COMMENTAIRE"
    JUSTIFICATIF = "JUSTIFICATIF"


# Formula cells that carry a defined name too, so that a formula overwritten by a user is detected.
CHAMP_CALCULE = "CALCULE"

TYPES_AVEC_RATIO = (TypeIndicateur.TAUX, TypeIndicateur.PART_REFERENCE)


def nom_defini(action: Action, annee: int, champ: Champ | str) -> str:
    """Defined name of one input cell: ``F03_A3_2026_REALISE``."""
    return f"{action.nom_defini}_{annee}_{champ}"


def champs_action(action: Action) -> tuple[Champ, ...]:
    """The input fields that exist for this action (a milestone has no value, a rate has a ratio)."""
    kind = action.indicateur.type
    if kind is TypeIndicateur.JALON:
        return (Champ.ETAPE, Champ.COMMENTAIRE, Champ.JUSTIFICATIF)
    champs = [Champ.ETAPE, Champ.CIBLE, Champ.REALISE]
    if kind in TYPES_AVEC_RATIO:
        champs += [Champ.NUMERATEUR, Champ.DENOMINATEUR]
    return (*champs, Champ.COMMENTAIRE, Champ.JUSTIFICATIF)


def a_un_calcul(action: Action) -> bool:
    return action.indicateur.source.registre is not None


# --- Identity sheet -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChampIdentite:
    nom: str  # defined name
    libelle: str
    aide: str
    requis: bool = True


IDENTITE = (
    ChampIdentite("ID_OFFICE", "Office", "Choisissez votre office dans la liste."),
    ChampIdentite("ID_REFERENT", "Référent RSE", "Prénom et nom de la personne qui tient ce classeur."),
    ChampIdentite("ID_FONCTION", "Fonction", "Fonction du référent.", requis=False),
    ChampIdentite("ID_EMAIL", "E-mail", "Adresse e-mail du référent (prenom.nom@office.fr)."),
    ChampIdentite("ID_TELEPHONE", "Téléphone", "Numéro où joindre le référent.", requis=False),
    ChampIdentite("ID_ETAT", "État de la saisie", "Brouillon pendant la saisie, Soumis quand c'est prêt."),
    ChampIdentite("ID_DATE", "Date de mise à jour", "Date de la dernière mise à jour (jj/mm/aaaa)."),
)

# Cells of the hidden technical sheet.
NOM_MODELE_IDENTIFIANT = "RSE_MODELE"
NOM_MODELE_VERSION = "RSE_MODELE_VERSION"
NOM_REFERENTIEL_EMPREINTE = "RSE_REFERENTIEL_EMPREINTE"
NOM_OUTIL_VERSION = "RSE_OUTIL_VERSION"
NOM_OFFICE_CODE = "RSE_OFFICE_CODE"
NOM_SEUIL_MARCHES = "RSE_SEUIL_MARCHES_HT"


# --- Registers ------------------------------------------------------------------------------------------


class TypeColonne(StrEnum):
    TEXTE = "texte"
    ENTIER = "entier"  # whole number ≥ 0
    DECIMAL = "decimal"  # number ≥ 0
    MONTANT = "montant"  # € HT, ≥ 0
    DATE = "date"
    LISTE = "liste"  # closed list
    SUGGESTION = "suggestion"  # list offered, other values accepted
    OUI_NON = "oui_non"
    LIEN = "lien"
    CODE_ACTION = "code_action"
    ANNEE = "annee"


@dataclass(frozen=True)
class Colonne:
    cle: str  # key of the typed record
    entete: str  # header in Excel = structured-reference column name (no ' [ ] #)
    type: TypeColonne
    requis: bool = False
    valeurs: tuple[str, ...] = ()
    aide: str = ""
    largeur: float = 16

    def __post_init__(self) -> None:
        if any(c in self.entete for c in "'[]#"):
            raise ValueError(f"en-tête interdit dans une référence structurée : {self.entete!r}")


@dataclass(frozen=True)
class SpecRegistre:
    registre: Registre
    onglet: str
    table: str
    titre: str
    aide: str
    colonnes: tuple[Colonne, ...]
    lignes_vides: int = 200  # preformatted empty rows offered to staff
    lignes_fixes: tuple[int, ...] = field(default=())  # prefilled key rows (Données annuelles: the years)

    def colonne(self, cle: str) -> Colonne:
        for c in self.colonnes:
            if c.cle == cle:
                return c
        raise KeyError(cle)

    def ref(self, cle: str) -> str:
        """Structured reference of a column, for formulas: ``tMarches[Montant HT]``."""
        return f"{self.table}[{self.colonne(cle).entete}]"


NATURES_MARCHE = ("Travaux", "Fournitures", "Services", "Prestations intellectuelles")
PROCEDURES = (
    "Appel d'offres ouvert",
    "Appel d'offres restreint",
    "Procédure adaptée (MAPA)",
    "Procédure avec négociation",
    "Dialogue compétitif",
    "Marché négocié sans publicité ni mise en concurrence",
    "Accord-cadre (marché subséquent)",
)
# Procedures that allow negotiation by nature (the column « Négociation possible » says it per contract).
PROCEDURES_NEGOCIATION = (
    "Procédure adaptée (MAPA)",
    "Procédure avec négociation",
    "Dialogue compétitif",
    "Marché négocié sans publicité ni mise en concurrence",
)
MARCHE_RESERVE = ("Non", "SIAE", "EA-ESAT")
TYPES_OPERATION = ("Construction", "Réhabilitation", "Démolition")
METHODES_DPE = ("DPE 2021", "DPE 2026 (coefficient électricité 1,9)")
TYPES_VEHICULE = (
    "Voiture",
    "Véhicule utilitaire",
    "Deux-roues motorisé",
    "Vélo",
    "Vélo à assistance électrique",
)
VEHICULES_MOTORISES = ("Voiture", "Véhicule utilitaire", "Deux-roues motorisé")
ENERGIES = (
    "Électrique",
    "Hybride rechargeable",
    "Hybride",
    "Essence",
    "Diesel",
    "GNV / bioGNV",
    "Hydrogène",
    "Aucune",
)
TYPES_EQUIPEMENT = (
    "Ordinateur portable",
    "Ordinateur fixe",
    "Écran",
    "Smartphone",
    "Tablette",
    "Imprimante",
    "Serveur",
    "Équipement réseau",
)
DEVENIRS_EQUIPEMENT = (
    "En service",
    "Réemploi interne",
    "Don / reconditionnement",
    "Revente",
    "Recyclage (DEEE)",
)
TYPES_JOURNAL = (
    "Communication",
    "Sensibilisation",
    "Événement",
    "Rencontre",
    "Réunion",
    "Atelier",
    "Formation",
    "Envoi",
    "Chantier 5S",
    "Expérimentation",
    "Projet",
    "Enquête",
)
PUBLICS = (
    "Locataires",
    "Personnel",
    "Fournisseurs",
    "Acteurs du territoire",
    "Autres offices",
    "Tous publics",
)
MATERIAUX = (
    "Bois",
    "Métaux",
    "Béton / gravats",
    "Plâtre",
    "Verre",
    "Menuiseries",
    "Sanitaires",
    "Radiateurs",
    "Carrelage / faïence",
    "Isolants",
    "Terres",
    "Équipements électriques",
    "Portes",
    "Mobilier",
)
FILIERES_REEMPLOI = ("Réemploi", "Réutilisation", "Recyclage", "Valorisation énergétique")

REGISTRES: dict[Registre, SpecRegistre] = {
    r.registre: r
    for r in (
        SpecRegistre(
            Registre.MARCHES,
            "Marchés",
            "tMarches",
            "Registre des marchés",
            "Une ligne par marché (ou lot) lancé ou notifié. Alimente 3.2, 3.3, 8.1, 9.1, 9.2, 10.2 et 14.1.",
            (
                Colonne(
                    "reference", "Référence", TypeColonne.TEXTE, True, aide="Numéro du marché ou du lot."
                ),
                Colonne("objet", "Objet", TypeColonne.TEXTE, True, largeur=34),
                Colonne("nature", "Nature", TypeColonne.LISTE, True, NATURES_MARCHE, largeur=22),
                Colonne("procedure", "Procédure", TypeColonne.LISTE, True, PROCEDURES, largeur=30),
                Colonne("negociation", "Négociation possible", TypeColonne.OUI_NON, True, OUI_NON),
                Colonne("date_lancement", "Date de lancement", TypeColonne.DATE, True),
                Colonne("date_notification", "Date de notification", TypeColonne.DATE),
                Colonne("montant_ht", "Montant HT", TypeColonne.MONTANT, True, aide="Montant en € HT."),
                Colonne(
                    "clause_variation", "Clause de variation des prix", TypeColonne.OUI_NON, True, OUI_NON
                ),
                Colonne("criteres_env", "Critères environnementaux", TypeColonne.OUI_NON, True, OUI_NON),
                Colonne("clause_insertion", "Clause insertion", TypeColonne.OUI_NON, True, OUI_NON),
                Colonne("heures_insertion", "Heures insertion", TypeColonne.DECIMAL),
                Colonne("reserve", "Marché réservé", TypeColonne.LISTE, True, MARCHE_RESERVE),
                Colonne("variantes", "Variantes libres", TypeColonne.OUI_NON, False, OUI_NON),
                Colonne("date_evaluation", "Date évaluation fournisseur", TypeColonne.DATE),
            ),
        ),
        SpecRegistre(
            Registre.OPERATIONS,
            "Opérations",
            "tOperations",
            "Registre des opérations",
            "Une ligne par opération de construction, réhabilitation ou démolition. "
            "Alimente 2.1, 2.2, 5.3, 6.2 et 11.2.",
            (
                Colonne("reference", "Référence", TypeColonne.TEXTE, True),
                Colonne("nom", "Opération", TypeColonne.TEXTE, True, largeur=30),
                Colonne("type", "Type", TypeColonne.LISTE, True, TYPES_OPERATION),
                Colonne("logements", "Logements", TypeColonne.ENTIER, True),
                Colonne(
                    "date_lancement", "Date de lancement", TypeColonne.DATE, True, aide="Début des travaux."
                ),
                Colonne("date_livraison", "Date de livraison", TypeColonne.DATE),
                Colonne("dpe_avant", "DPE avant", TypeColonne.LISTE, False, CLASSES_DPE),
                Colonne("dpe_apres", "DPE après", TypeColonne.LISTE, False, CLASSES_DPE),
                Colonne(
                    "methode_avant", "Méthode DPE avant", TypeColonne.LISTE, False, METHODES_DPE, largeur=24
                ),
                Colonne(
                    "methode_apres", "Méthode DPE après", TypeColonne.LISTE, False, METHODES_DPE, largeur=24
                ),
                Colonne("conso_avant", "Consommation avant", TypeColonne.DECIMAL, aide="kWhEP/m².an"),
                Colonne("conso_apres", "Consommation après", TypeColonne.DECIMAL, aide="kWhEP/m².an"),
                Colonne("biosource", "Matériaux biosourcés", TypeColonne.OUI_NON, True, OUI_NON),
                Colonne("date_pemd", "Date diagnostic PEMD", TypeColonne.DATE),
                Colonne("logements_repos", "Logements de repos", TypeColonne.ENTIER),
            ),
        ),
        SpecRegistre(
            Registre.VEHICULES,
            "Véhicules",
            "tVehicules",
            "Registre de la flotte",
            "Une ligne par véhicule ou vélo de la flotte, sortis compris. Alimente 12.1.",
            (
                Colonne("immatriculation", "Immatriculation", TypeColonne.TEXTE, True),
                Colonne("type", "Type", TypeColonne.LISTE, True, TYPES_VEHICULE, largeur=26),
                Colonne("energie", "Énergie", TypeColonne.LISTE, True, ENERGIES, largeur=20),
                Colonne("date_entree", "Date entrée", TypeColonne.DATE, True),
                Colonne("date_sortie", "Date sortie", TypeColonne.DATE),
            ),
        ),
        SpecRegistre(
            Registre.EQUIPEMENTS,
            "Équipements numériques",
            "tEquipements",
            "Registre des équipements numériques",
            "Une ligne par équipement (ou lot homogène d'un seul type). Alimente 13.1.",
            (
                Colonne("identifiant", "Identifiant", TypeColonne.TEXTE, True),
                Colonne("type", "Type", TypeColonne.LISTE, True, TYPES_EQUIPEMENT, largeur=22),
                Colonne("date_service", "Date mise en service", TypeColonne.DATE, True),
                Colonne("date_retrait", "Date retrait", TypeColonne.DATE),
                Colonne("devenir", "Devenir", TypeColonne.LISTE, False, DEVENIRS_EQUIPEMENT, largeur=24),
            ),
        ),
        SpecRegistre(
            Registre.JOURNAL,
            "Journal des actions",
            "tJournal",
            "Journal des actions",
            "Une ligne par action menée : communication, événement, rencontre, atelier… "
            "Alimente tous les indicateurs « nombre d'actions ».",
            (
                Colonne("date", "Date", TypeColonne.DATE, True),
                Colonne(
                    "action", "Action", TypeColonne.CODE_ACTION, True, aide="Code de l'action (F01.A1…)."
                ),
                Colonne("intitule", "Intitulé", TypeColonne.TEXTE, True, largeur=36),
                Colonne("type", "Type", TypeColonne.LISTE, True, TYPES_JOURNAL),
                Colonne("public", "Public", TypeColonne.LISTE, False, PUBLICS, largeur=20),
                Colonne("participants", "Participants", TypeColonne.ENTIER),
                Colonne("illustration", "Lien illustration", TypeColonne.LIEN, largeur=28),
                Colonne(
                    "commun",
                    "Identifiant commun",
                    TypeColonne.TEXTE,
                    aide="Même identifiant dans les trois offices pour une action menée ensemble (ex. ATELIER-2026-01).",
                    largeur=20,
                ),
            ),
        ),
        SpecRegistre(
            Registre.REEMPLOI,
            "Matériaux réemploi",
            "tReemploi",
            "Matériaux réemployés ou valorisés",
            "Une ligne par type de matériau réemployé ou valorisé, par opération et par année. Alimente 6.1.",
            (
                Colonne("annee", "Année", TypeColonne.ANNEE, True),
                Colonne("materiau", "Type de matériau", TypeColonne.SUGGESTION, True, MATERIAUX, largeur=24),
                Colonne("operation", "Opération", TypeColonne.TEXTE, False, largeur=26),
                Colonne("filiere", "Filière", TypeColonne.LISTE, False, FILIERES_REEMPLOI, largeur=22),
                Colonne("quantite", "Quantité", TypeColonne.DECIMAL),
                Colonne("unite", "Unité", TypeColonne.TEXTE, False, largeur=10),
            ),
        ),
        SpecRegistre(
            Registre.DONNEES_ANNUELLES,
            "Données annuelles",
            "tDonnees",
            "Données annuelles",
            "Une ligne par année : ce qui n'a pas de registre propre. Alimente 1.2, 12.2, 13.2 et 15.1.",
            (
                Colonne("annee", "Année", TypeColonne.ANNEE, True),
                Colonne("robinetteries", "Robinetteries remplacées", TypeColonne.ENTIER, largeur=20),
                Colonne("bilan_total", "Bilan carbone total tCO2e", TypeColonne.DECIMAL, largeur=20),
                Colonne("bilan_deplacements", "Déplacements tCO2e", TypeColonne.DECIMAL, largeur=20),
                Colonne("stockage_to", "Stockage numérique To", TypeColonne.DECIMAL, largeur=20),
                Colonne("locataires_sondes", "Locataires sondés", TypeColonne.ENTIER, largeur=18),
            ),
            lignes_vides=0,
            lignes_fixes=ANNEES,
        ),
    )
}


def nom_registre_tenu(registre: Registre, annee: int) -> str:
    """Defined name of the answer « this register is kept for this year » (template version 2)."""
    return f"REG_TENU_{registre.name}_{annee}"


def registres_declarables() -> tuple[SpecRegistre, ...]:
    """The registers whose keeping is answered year by year (all but the yearly data, kept by year already)."""
    return tuple(spec for spec in REGISTRES.values() if not spec.lignes_fixes)

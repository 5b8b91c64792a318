"""Demo office workbooks: realistic, deterministic registers and fiche values for the three offices.

Used for the shipped demo workbooks, for the LibreOffice test (live formulas against Python) and for
benchmarks (``echelle`` multiplies the register sizes). The same arguments give the same data, and so the
same bytes: one ``random.Random`` seeded by a string per office, never the global generator, and no
iteration over sets (their order changes from one process to the next).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rse_xl.errors import EntreeError
from rse_xl.layout import (
    CLASSES_DPE,
    METHODES_DPE,
    PROCEDURES_NEGOCIATION,
    TYPES_AVEC_RATIO,
    Champ,
    champs_action,
    nom_defini,
)
from rse_xl.modele import Saisie, ecrire_classeur, nom_fichier_modele
from rse_xl.referentiel import ANNEES, Action, Convention, Office, Registre, Sens, TypeIndicateur, referentiel
from rse_xl.regles import Calcul, calculer, regle_de
from rse_xl.tolerances import concordent

Ligne = dict[str, Any]


# --- Deliberate problems -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnomalieDemo:
    """A deliberate problem of a demo workbook that the validator should report as a warning."""

    office: str  # office code
    quoi: str
    ou: str  # defined name, or register and row


ANOMALIES_DEMO: tuple[AnomalieDemo, ...] = (
    AnomalieDemo(
        "ARC",
        "Commentaire qui ressemble à une formule Excel (=HYPERLINK…) : doit rester du texte",
        "F07_A1_2026_COMMENTAIRE",
    ),
    AnomalieDemo(
        "ARC",
        "Ligne du Journal des actions sans Public",
        "tJournal : première ligne F04.A2 de 2026, colonne Public vide",
    ),
    AnomalieDemo(
        "BMH",
        "Réalisé saisi différent de la valeur des registres (2 actions de plus que le Journal)",
        "F01_A1_2026_REALISE",
    ),
    AnomalieDemo(
        "BMH",
        "Commentaire commençant par « + » : doit rester du texte",
        "F09_A1_2025_COMMENTAIRE",
    ),
    AnomalieDemo(
        "NMH",
        "Étape « Réalisé » sans justificatif",
        "F07_A2_2025_ETAPE / F07_A2_2025_JUSTIFICATIF",
    ),
    AnomalieDemo(
        "NMH",
        "Réhabilitation livrée sans classe DPE après",
        "tOperations : première réhabilitation livrée en 2026, colonne DPE après vide",
    ),
)

COMMENTAIRE_FORMULE = '=HYPERLINK("http://exemple.invalid";"clic")'
COMMENTAIRE_PLUS = "+12 % d'heures d'insertion par rapport à 2024 grâce aux lots de second œuvre."

# --- Items shared by the three offices (F16) -----------------------------------------------------------------


@dataclass(frozen=True)
class ElementCommun:
    """An inter-office workshop or experiment: the same identifier in every office that took part."""

    action: str
    commun: str
    date: dt.date
    intitule: str
    type: str
    offices: tuple[str, ...]


TOUS = ("ARC", "BMH", "NMH")

# Fixed, independent of the seed and of the office, so that the three demo workbooks agree.
ELEMENTS_COMMUNS: tuple[ElementCommun, ...] = (
    ElementCommun(
        "F16.A1",
        "RENCONTRE-2025-01",
        dt.date(2025, 3, 18),
        "Rencontre annuelle inter-offices : thématiques de coopération 2025-2027",
        "Rencontre",
        TOUS,
    ),
    ElementCommun(
        "F16.A1",
        "RENCONTRE-2025-02",
        dt.date(2025, 10, 7),
        "Séminaire inter-offices : stratégie commune d'achats responsables et échéances",
        "Réunion",
        TOUS,
    ),
    ElementCommun(
        "F16.A1",
        "ATELIER-2026-01",
        dt.date(2026, 3, 24),
        "Atelier collaboratif : bilan 2025 et feuille de route des achats groupés",
        "Atelier",
        TOUS,
    ),
    ElementCommun(
        "F16.A1",
        "ATELIER-2026-02",
        dt.date(2026, 6, 16),
        "Atelier collaboratif : réemploi des matériaux en réhabilitation",
        "Atelier",
        TOUS,
    ),
    ElementCommun(
        "F16.A1",
        "ATELIER-2026-03",
        dt.date(2026, 10, 13),
        "Atelier collaboratif : clauses d'insertion dans les marchés de services",
        "Atelier",
        ("BMH", "NMH"),
    ),
    ElementCommun(
        "F16.A2",
        "EXPE-2025-01",
        dt.date(2025, 11, 20),
        "Base de données commune des expérimentations en cours",
        "Projet",
        TOUS,
    ),
    ElementCommun(
        "F16.A2",
        "EXPE-2026-01",
        dt.date(2026, 2, 10),
        "Expérimentation partagée : compteurs d'eau connectés et alertes de fuite",
        "Expérimentation",
        TOUS,
    ),
    ElementCommun(
        "F16.A2",
        "EXPE-2026-02",
        dt.date(2026, 9, 8),
        "Expérimentation partagée : isolant biosourcé en ouate de cellulose",
        "Expérimentation",
        ("ARC", "BMH"),
    ),
)
# BMH logs the first 2026 workshop twice (morning and afternoon sessions): it still counts once.
DOUBLONS_COMMUNS = {"BMH": ("ATELIER-2026-01",)}

# --- Office profiles ---------------------------------------------------------------------------------------

MATERIAUX_COMMUNS = ("Bois", "Métaux")


@dataclass(frozen=True)
class Profil:
    """What makes one office's demo data its own: places, people and sizes."""

    domaine: str
    format_marche: str  # reference of a contract: {code}, {aa}, {aaaa}, {n}
    quartiers: tuple[str, ...]
    residences: tuple[str, ...]
    referents: tuple[tuple[str, str, str], ...]  # (prénom, nom, fonction)
    telephone: str  # first digits
    etat: str
    marches: tuple[int, int]
    operations: tuple[int, int]
    vehicules: tuple[int, int]
    equipements: tuple[int, int]
    journal: float  # multiplier of the journal's base counts
    reemploi: tuple[tuple[int, int], tuple[int, int]]  # rows (first year, second year)
    materiaux: tuple[str, ...]  # own material types, besides MATERIAUX_COMMUNS
    bonus_electrique: float
    robinetteries: tuple[int, int]
    bilan_total: tuple[float, float]
    part_deplacements: tuple[float, float]
    stockage: tuple[float, float]
    sondes: tuple[int, int]
    naturaliste: str


PROFILS: dict[str, Profil] = {
    "ARC": Profil(
        domaine="archipel-habitat.fr",
        format_marche="{code}-{aa}-{n:03d}",
        quartiers=(
            "Maurepas",
            "Le Blosne",
            "Villejean",
            "Bréquigny",
            "Cleunay",
            "Cesson-Sévigné",
            "Saint-Jacques-de-la-Lande",
            "Bruz",
            "Chantepie",
            "Pacé",
        ),
        residences=(
            "Les Horizons",
            "Le Gros Chêne",
            "Les Hautes-Ourmes",
            "Le Landrel",
            "Les Longs Champs",
            "Le Gast",
            "Les Glénan",
            "Le Banat",
            "Les Champs-Manceaux",
            "La Poterie",
            "Le Moulin du Comte",
            "Les Lilas",
        ),
        referents=(
            ("Maëlle", "Guillou", "Chargée de mission RSE"),
            ("Nicolas", "Le Roux", "Responsable qualité et RSE"),
            ("Sophie", "Rouxel", "Chargée de mission développement durable"),
        ),
        telephone="02 99 22",
        etat="Soumis",
        marches=(50, 62),
        operations=(20, 26),
        vehicules=(40, 50),
        equipements=(130, 170),
        journal=1.2,
        reemploi=((6, 10), (8, 14)),
        materiaux=("Menuiseries", "Radiateurs", "Sanitaires", "Béton / gravats", "Portes"),
        bonus_electrique=0.05,
        robinetteries=(700, 1100),
        bilan_total=(7500.0, 9500.0),
        part_deplacements=(0.09, 0.13),
        stockage=(55.0, 80.0),
        sondes=(180, 350),
        naturaliste="Bretagne Vivante",
    ),
    "BMH": Profil(
        domaine="bmh.fr",
        format_marche="{aaaa}-{code}-{n:03d}",
        quartiers=(
            "Bellevue",
            "Pontanézen",
            "Recouvrance",
            "Kerourien",
            "Lambézellec",
            "Saint-Marc",
            "Kérédern",
            "Guipavas",
            "Le Relecq-Kerhuon",
            "Plougastel-Daoulas",
        ),
        residences=(
            "Ker Héol",
            "Ker Avel",
            "Ty Nevez",
            "Les Mouettes",
            "Les Goélands",
            "Le Phare",
            "Les Abers",
            "Kerbernier",
            "Les Hortensias",
            "Le Vallon",
            "Kéranroux",
            "Les Quatre Moulins",
        ),
        referents=(
            ("Yann", "Le Gall", "Responsable qualité et RSE"),
            ("Anne", "Kerbrat", "Chargée de mission RSE"),
            ("Erwan", "Le Bris", "Chef de projet développement durable"),
        ),
        telephone="02 98 46",
        etat="Brouillon",
        marches=(67, 74),
        operations=(15, 20),
        vehicules=(32, 40),
        equipements=(105, 135),
        journal=1.05,
        reemploi=((6, 8), (8, 12)),
        # « Ardoises » is not among the suggested types: free text, as staff may type.
        materiaux=("Béton / gravats", "Plâtre", "Verre", "Carrelage / faïence", "Ardoises"),
        bonus_electrique=0.0,
        robinetteries=(450, 800),
        bilan_total=(5200.0, 7000.0),
        part_deplacements=(0.10, 0.14),
        stockage=(35.0, 55.0),
        sondes=(120, 260),
        naturaliste="Bretagne Vivante",
    ),
    "NMH": Profil(
        domaine="nmh.fr",
        format_marche="{code}{aaaa}M{n:03d}",
        quartiers=(
            "Bellevue",
            "Malakoff",
            "Les Dervallières",
            "La Bottière",
            "Le Breil",
            "Nantes Nord",
            "Le Clos Toreau",
            "La Halvêque",
            "Pin Sec",
            "Île de Nantes",
        ),
        residences=(
            "Les Tilleuls",
            "Les Iris",
            "La Petite Sensive",
            "Le Bois Hardy",
            "Les Marsauderies",
            "La Boissière",
            "Les Renardières",
            "Le Ranzay",
            "Les Castors",
            "Le Grand Clos",
            "Port Boyer",
            "La Mutualité",
        ),
        referents=(
            ("Claire", "Moreau", "Directrice de l'innovation et de la RSE"),
            ("Julien", "Girard", "Chargé de mission RSE"),
            ("Camille", "Bertin", "Responsable développement durable"),
        ),
        telephone="02 40 67",
        etat="Soumis",
        marches=(52, 61),
        operations=(24, 29),
        vehicules=(48, 58),
        equipements=(160, 195),
        journal=1.35,
        reemploi=((7, 11), (9, 16)),
        materiaux=("Isolants", "Terres", "Équipements électriques", "Mobilier", "Menuiseries", "Radiateurs"),
        bonus_electrique=0.1,
        robinetteries=(900, 1500),
        bilan_total=(11000.0, 15000.0),
        part_deplacements=(0.07, 0.11),
        stockage=(80.0, 130.0),
        sondes=(300, 700),
        naturaliste="la LPO Loire-Atlantique",
    ),
}


def profil(office: Office) -> Profil:
    """The office's demo profile; an office outside the convention borrows Archipel habitat's, renamed."""
    p = PROFILS.get(office.code)
    if p is not None:
        return p
    return replace(PROFILS["ARC"], domaine=f"{office.code.lower()}.fr", format_marche="{code}-{aa}-{n:03d}")


# --- Small helpers -----------------------------------------------------------------------------------------


def _ascii(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()


def _slug(texte: str, longueur: int = 48) -> str:
    """URL fragment of a title: ascii, lower case, words joined by hyphens."""
    mots = "".join(c if c.isalnum() else " " for c in _ascii(texte).lower()).split()
    return "-".join(mots)[:longueur].rstrip("-")


def _date_entre(rng: random.Random, debut: dt.date, fin: dt.date) -> dt.date:
    return debut + dt.timedelta(days=rng.randint(0, max(0, (fin - debut).days)))


JOURS_FERIES = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))  # fixed dates only


def _ouvre(d: dt.date) -> bool:
    return d.weekday() < 5 and (d.month, d.day) not in JOURS_FERIES


def _jour_ouvre(d: dt.date) -> dt.date:
    """The working day on or just before d (or just after, not to leave its year)."""
    recul = d
    while not _ouvre(recul):
        recul -= dt.timedelta(days=1)
    if recul.year == d.year:
        return recul
    while not _ouvre(d):
        d += dt.timedelta(days=1)
    return d


def _lognormal(rng: random.Random, mediane: float, sigma: float, bas: float, haut: float) -> float:
    return min(haut, max(bas, rng.lognormvariate(math.log(mediane), sigma)))


def _pondere(rng: random.Random, poids: Mapping[str, float]) -> str:
    cles = list(poids)
    return rng.choices(cles, weights=[poids[k] for k in cles])[0]


class _Contexte:
    """What every register generator needs: the office, its profile, the seeded generator, the dates."""

    def __init__(self, office: Office, rng: random.Random, echelle: float, annee_courante: int) -> None:
        self.office = office
        self.code = office.code
        self.p = profil(office)
        self.rng = rng
        self.echelle = echelle
        self.annee_courante = annee_courante
        self.annees = tuple(a for a in ANNEES if a <= annee_courante)
        # Registers are kept up to date until mid-November; the workbook is saved a few days later.
        self.limite = dt.date(annee_courante, 11, 14)
        self.bases = self._tirer_tailles()

    def _tirer_tailles(self) -> dict[str, int]:
        """Register sizes at scale 1, drawn first so that they do not depend on echelle."""
        rng, p = self.rng, self.p
        bases = {
            "marches": rng.randint(*p.marches),
            "operations": rng.randint(*p.operations),
            "vehicules": rng.randint(*p.vehicules),
            "equipements": rng.randint(*p.equipements),
        }
        for k, annee in enumerate(self.annees):
            bases[f"reserves:{annee}"] = rng.randint(1, 2 if annee < self.annee_courante else 3)
            bases[f"reemploi:{annee}"] = rng.randint(*p.reemploi[min(k, len(p.reemploi) - 1)])
            for code, volumes in VOLUMES_JOURNAL.items():
                bases[f"journal:{code}:{annee}"] = rng.randint(*volumes.get(annee, volumes[max(volumes)]))
        return bases

    def taille(self, cle: str, facteur: float = 1.0, minimum: int = 1) -> int:
        """Rows of a register (or of a part of it): the base size times echelle, so linear in echelle."""
        return max(minimum, round(self.bases[cle] * facteur * self.echelle))

    def fin_annee(self, annee: int) -> dt.date:
        return min(dt.date(annee, 12, 15), self.limite)

    def date_dans(self, annee: int, debut: tuple[int, int] = (1, 8)) -> dt.date:
        return _jour_ouvre(_date_entre(self.rng, dt.date(annee, *debut), self.fin_annee(annee)))

    def residence(self) -> str:
        return self.rng.choice(self.p.residences)

    def quartier(self) -> str:
        return self.rng.choice(self.p.quartiers)


# --- Marchés -----------------------------------------------------------------------------------------------

OBJETS_MARCHES: dict[str, tuple[str, ...]] = {
    "Travaux": (
        "Réhabilitation thermique de {n} logements – {res} – lot {lot}",
        "Remplacement des menuiseries extérieures – {res}",
        "Isolation thermique par l'extérieur – {res}",
        "Remplacement des chaufferies collectives – {res}",
        "Réfection des toitures-terrasses – {res}",
        "Mise en conformité des ascenseurs – secteur {quartier}",
        "Construction de {n} logements – {res} – lot {lot}",
        "Entretien courant plomberie-sanitaires – secteur {quartier}",
        "Réfection des halls et cages d'escalier – {res}",
        "Installation de VMC hygroréglable – {res}",
        "Désamiantage et curage avant réhabilitation – {res}",
    ),
    "Fournitures": (
        "Fourniture de robinetteries hydro-économes et de mousseurs",
        "Fourniture de matériel informatique reconditionné",
        "Acquisition de véhicules utilitaires électriques",
        "Fourniture de produits d'entretien écolabellisés",
        "Fourniture de mobilier de bureau de réemploi",
        "Fourniture de papier recyclé et de consommables",
        "Fourniture de vélos à assistance électrique",
        "Fourniture d'équipements de protection individuelle",
        "Fourniture de compteurs d'eau connectés",
    ),
    "Services": (
        "Entretien des espaces verts – secteur {quartier}",
        "Nettoyage des parties communes – secteur {quartier}",
        "Maintenance des chaudières individuelles gaz",
        "Enlèvement des encombrants – secteur {quartier}",
        "Maintenance des installations de ventilation",
        "Entretien et dépannage des ascenseurs",
        "Astreinte technique et télésurveillance",
        "Dératisation, désinsectisation et désinfection",
        "Relève et maintenance des compteurs d'eau",
        "Hébergement et infogérance des serveurs",
    ),
    "Prestations intellectuelles": (
        "Maîtrise d'œuvre – réhabilitation {res}",
        "Diagnostics PEMD avant travaux",
        "Audits énergétiques et DPE selon la méthode en vigueur",
        "Assistance à maîtrise d'ouvrage – bilan carbone",
        "Coordination SPS – {res}",
        "Contrôle technique – {res}",
        "Étude de faisabilité – ossature bois et matériaux biosourcés",
        "Accompagnement de la démarche RSE",
        "Ordonnancement, pilotage et coordination – {res}",
    ),
}
LOTS = (
    "gros œuvre",
    "menuiseries extérieures",
    "isolation",
    "chauffage-ventilation",
    "électricité",
    "plâtrerie-peinture",
    "couverture-étanchéité",
    "plomberie-sanitaires",
)
MARCHES_RESERVES = (
    ("Entretien des espaces verts – lot réservé", "Services", "SIAE"),
    ("Nettoyage des locaux administratifs – marché réservé", "Services", "EA-ESAT"),
    ("Collecte et tri des encombrants – marché réservé", "Services", "SIAE"),
    ("Mise sous pli des avis d'échéance – marché réservé", "Services", "EA-ESAT"),
    ("Numérisation des archives – marché réservé", "Services", "EA-ESAT"),
    ("Peinture des cages d'escalier en site occupé – lot réservé", "Travaux", "SIAE"),
    ("Blanchisserie des tenues de travail – marché réservé", "Services", "EA-ESAT"),
)
MEDIANES_MONTANT = {
    "Travaux": (160_000.0, 1.1),
    "Fournitures": (45_000.0, 1.0),
    "Services": (75_000.0, 1.0),
    "Prestations intellectuelles": (45_000.0, 0.9),
}
SEUIL_PROCEDURE_FORMALISEE = 221_000  # fournitures et services ; travaux : seuil bien au-delà des montants


def _procedure(rng: random.Random, nature: str, montant: float) -> str:
    """A procedure consistent with the nature and the amount of the contract."""
    if montant < 40_000 and rng.random() < 0.25:
        return "Marché négocié sans publicité ni mise en concurrence"
    if rng.random() < 0.12:
        return "Accord-cadre (marché subséquent)"
    if nature != "Travaux" and montant >= SEUIL_PROCEDURE_FORMALISEE:
        return _pondere(
            rng,
            {
                "Appel d'offres ouvert": 0.65,
                "Appel d'offres restreint": 0.1,
                "Procédure avec négociation": 0.17,
                "Dialogue compétitif": 0.08,
            },
        )
    if nature == "Travaux" and montant >= 1_000_000:
        return "Appel d'offres ouvert" if rng.random() < 0.6 else "Procédure adaptée (MAPA)"
    return "Procédure adaptée (MAPA)" if rng.random() < 0.85 else "Appel d'offres ouvert"


def _negociation(rng: random.Random, procedure: str, annee: int) -> bool:
    if procedure in PROCEDURES_NEGOCIATION:
        return rng.random() < (0.88 if annee <= 2025 else 0.95)
    if procedure == "Accord-cadre (marché subséquent)":
        return rng.random() < 0.1
    return False


def _delai_notification(rng: random.Random, procedure: str) -> int:
    if procedure.startswith("Dialogue"):
        return rng.randint(150, 250)
    if procedure.startswith("Appel d'offres") or procedure.startswith("Procédure avec"):
        return rng.randint(75, 160)
    return rng.randint(25, 90)


def _objet(ctx: _Contexte, modele: str) -> str:
    rng = ctx.rng
    return modele.format(
        n=rng.choice((12, 16, 24, 32, 40, 48, 60, 72, 96, 120)),
        res=ctx.residence(),
        quartier=ctx.quartier(),
        lot=rng.choice(LOTS),
    )


def _criteres_env(rng: random.Random, lancement: dt.date, base: float) -> bool:
    """Environmental criteria spread; the 22 August 2026 legal deadline makes them nearly systematic."""
    if lancement >= dt.date(2026, 8, 22):
        p = 0.97
    elif lancement.year >= 2026:
        p = base + 0.2
    else:
        p = base
    return rng.random() < p


def _marches(ctx: _Contexte) -> list[Ligne]:
    rng = ctx.rng
    n = ctx.taille("marches")
    base_env = {"ARC": 0.55, "BMH": 0.45, "NMH": 0.6}.get(ctx.code, 0.5)
    lignes: list[Ligne] = []
    debut = dt.date(ctx.annees[0] - 1, 10, 1) if ctx.annees else ctx.limite
    for _ in range(n):
        nature = _pondere(
            rng, {"Travaux": 0.45, "Fournitures": 0.15, "Services": 0.25, "Prestations intellectuelles": 0.15}
        )
        mediane, sigma = MEDIANES_MONTANT[nature]
        montant = round(_lognormal(rng, mediane, sigma, 5_000, 2_000_000), 2)
        lancement = _jour_ouvre(_date_entre(rng, debut, ctx.limite - dt.timedelta(days=5)))
        lignes.append(
            _marche(
                ctx,
                _objet(ctx, rng.choice(OBJETS_MARCHES[nature])),
                nature,
                montant,
                lancement,
                "Non",
                base_env,
            )
        )
    # Reserved contracts (10.2): one or two a year, at least one notified in the current year.
    for annee in ctx.annees:
        nb = ctx.taille(f"reserves:{annee}")
        for _ in range(nb):
            objet, nature, reserve = rng.choice(MARCHES_RESERVES)
            notification = _jour_ouvre(_date_entre(rng, dt.date(annee, 2, 1), ctx.fin_annee(annee)))
            lancement = _jour_ouvre(notification - dt.timedelta(days=rng.randint(30, 75)))
            montant = round(_lognormal(rng, 55_000, 0.6, 12_000, 300_000), 2)
            ligne = _marche(ctx, objet, nature, montant, lancement, reserve, base_env, notification)
            lignes.append(ligne)
    lignes.sort(key=lambda r: (r["date_lancement"], r["objet"]))
    compteurs: dict[int, int] = {}
    for r in lignes:
        annee = r["date_lancement"].year
        compteurs[annee] = compteurs.get(annee, 0) + 1
        r["reference"] = ctx.p.format_marche.format(
            code=ctx.code, aa=f"{annee % 100:02d}", aaaa=annee, n=compteurs[annee]
        )
    return lignes


def _marche(
    ctx: _Contexte,
    objet: str,
    nature: str,
    montant: float,
    lancement: dt.date,
    reserve: str,
    base_env: float,
    notification: dt.date | None = None,
) -> Ligne:
    rng = ctx.rng
    procedure = "Procédure adaptée (MAPA)" if reserve != "Non" else _procedure(rng, nature, montant)
    if notification is None:
        notification = _jour_ouvre(lancement + dt.timedelta(days=_delai_notification(rng, procedure)))
    notifie = notification if notification <= ctx.limite else None
    if nature == "Travaux":
        insertion = reserve == "Non" and montant >= 90_000 and rng.random() < 0.8
    elif nature == "Services":
        insertion = reserve == "Non" and rng.random() < 0.35
    else:
        insertion = rng.random() < 0.08
    heures = None
    if insertion and notifie is not None:
        # Hours per euro: labour-intensive works and services carry most of them.
        bornes = {"Travaux": (0.0008, 0.0015), "Services": (0.0006, 0.0012)}.get(nature, (0.0002, 0.0005))
        heures = max(35, round(montant * rng.uniform(*bornes)))
    variation_p = 0.85 if montant > 40_000 else 0.4
    evaluation = None
    if notifie is not None and nature in ("Travaux", "Services") and rng.random() < 0.45:
        d = _jour_ouvre(notifie + dt.timedelta(days=rng.randint(180, 420)))
        evaluation = d if d <= ctx.limite else None
    variantes_tirage = rng.random()
    return {
        "reference": "",
        "objet": objet,
        "nature": nature,
        "procedure": procedure,
        "negociation": _negociation(rng, procedure, lancement.year),
        "date_lancement": lancement,
        "date_notification": notifie,
        "montant_ht": montant,
        "clause_variation": rng.random() < variation_p + (0.05 if lancement.year >= 2026 else 0),
        "criteres_env": _criteres_env(rng, lancement, base_env),
        "clause_insertion": insertion,
        "heures_insertion": heures,
        "reserve": reserve,
        "variantes": None if variantes_tirage < 0.1 else variantes_tirage < 0.25,
        "date_evaluation": evaluation,
    }


# --- Opérations --------------------------------------------------------------------------------------------

CONSOMMATIONS = {  # kWhEP/m².an, bounds of each DPE class
    "A": (45, 70),
    "B": (71, 110),
    "C": (111, 180),
    "D": (181, 250),
    "E": (251, 330),
    "F": (331, 420),
    "G": (421, 520),
}
METHODE_2021, METHODE_2026 = METHODES_DPE


def _conso(rng: random.Random, classe: str) -> float:
    return round(rng.uniform(*CONSOMMATIONS[classe]), 1)


def _operations(ctx: _Contexte) -> list[Ligne]:
    rng = ctx.rng
    n = ctx.taille("operations")
    # Rehabilitations cycle through phases so that every year has deliveries and launches.
    phases: list[tuple[str, int]] = []
    for livree, lancee in zip(ctx.annees, reversed(ctx.annees), strict=True):
        phases += [("livree", livree), ("en_cours", lancee)]
    phases.append(("en_cours", ctx.annee_courante))
    lignes: list[Ligne] = []
    noms: list[str] = []
    rehab = 0
    for _ in range(n):
        type_op = _pondere(rng, {"Réhabilitation": 0.6, "Construction": 0.3, "Démolition": 0.1})
        nom = f"{ctx.residence()} – {ctx.quartier()}"
        tranche = 1 + noms.count(nom)
        noms.append(nom)
        nom_affiche = nom if tranche == 1 else f"{nom} (tranche {tranche})"
        if type_op == "Réhabilitation":
            phase = phases[rehab % len(phases)]
            rehab += 1
            ligne = _rehabilitation(ctx, phase)
        elif type_op == "Construction":
            ligne = _construction(ctx)
        else:
            ligne = _demolition(ctx)
        ligne["nom"] = nom_affiche
        lignes.append(ligne)
    lignes.sort(key=lambda r: (r["date_lancement"], r["nom"]))
    compteurs: dict[int, int] = {}
    for r in lignes:
        annee = r["date_lancement"].year
        compteurs[annee] = compteurs.get(annee, 0) + 1
        r["reference"] = f"OP-{ctx.code}-{annee}-{compteurs[annee]:02d}"
    return [{"reference": r.pop("reference"), "nom": r.pop("nom"), **r} for r in lignes]


def _rehabilitation(ctx: _Contexte, phase: tuple[str, int]) -> Ligne:
    rng = ctx.rng
    etat, annee = phase
    livraison: dt.date | None = None
    if etat == "livree":
        livraison = _jour_ouvre(
            _date_entre(rng, dt.date(annee, 1, 20), ctx.fin_annee(annee) - dt.timedelta(days=10))
        )
        lancement = _jour_ouvre(livraison - dt.timedelta(days=rng.randint(300, 600)))
    else:  # works launched that year, still under way
        debut = dt.date(annee, 2, 1)
        lancement = _jour_ouvre(_date_entre(rng, debut, max(debut, ctx.limite - dt.timedelta(days=30))))
    # 2026 launches give priority to F and G (calendar of 2.1).
    poids_avant = (
        {"D": 0.05, "E": 0.3, "F": 0.4, "G": 0.25}
        if lancement.year >= 2026
        else {"D": 0.07, "E": 0.45, "F": 0.32, "G": 0.16}
    )
    avant = _pondere(rng, poids_avant)
    apres = CLASSES_DPE[max(1, min(3, CLASSES_DPE.index(avant) - rng.randint(2, 4)))]
    methode_apres = METHODE_2021
    if livraison is not None and livraison.year >= 2026 and rng.random() < 0.3:
        methode_apres = METHODE_2026
    logements = rng.randint(20, 180)
    pemd = None
    if logements >= 40 and rng.random() < 0.55:
        pemd = _jour_ouvre(lancement - dt.timedelta(days=rng.randint(30, 240)))
    return {
        "reference": "",
        "nom": "",
        "type": "Réhabilitation",
        "logements": logements,
        "date_lancement": lancement,
        "date_livraison": livraison,
        "dpe_avant": avant,
        "dpe_apres": apres,
        "methode_avant": METHODE_2021,
        "methode_apres": methode_apres,
        "conso_avant": _conso(rng, avant),
        "conso_apres": _conso(rng, apres),
        "biosource": rng.random() < (0.25 if lancement.year < 2026 else 0.4),
        "date_pemd": pemd,
        "logements_repos": rng.randint(1, 3) if rng.random() < 0.45 else None,
    }


def _construction(ctx: _Contexte) -> Ligne:
    rng = ctx.rng
    debut = dt.date(ctx.annees[0] - 2, 6, 1) if ctx.annees else ctx.limite - dt.timedelta(days=700)
    lancement = _jour_ouvre(_date_entre(rng, debut, ctx.limite - dt.timedelta(days=30)))
    livraison = _jour_ouvre(lancement + dt.timedelta(days=rng.randint(540, 840)))
    livree = livraison <= ctx.limite
    classe = "A" if rng.random() < 0.35 else "B"
    methode = METHODE_2026 if livree and livraison.year >= 2026 and rng.random() < 0.5 else METHODE_2021
    return {
        "reference": "",
        "nom": "",
        "type": "Construction",
        "logements": rng.randint(12, 80),
        "date_lancement": lancement,
        "date_livraison": livraison if livree else None,
        "dpe_avant": None,
        "dpe_apres": classe,
        "methode_avant": None,
        "methode_apres": methode,
        "conso_avant": None,
        "conso_apres": _conso(rng, classe),
        "biosource": rng.random() < (0.35 if lancement.year < 2026 else 0.5),
        "date_pemd": None,
        "logements_repos": None,
    }


def _demolition(ctx: _Contexte) -> Ligne:
    rng = ctx.rng
    debut = dt.date(ctx.annees[0] - 1, 6, 1) if ctx.annees else ctx.limite - dt.timedelta(days=500)
    lancement = _jour_ouvre(_date_entre(rng, debut, ctx.limite - dt.timedelta(days=30)))
    fin = _jour_ouvre(lancement + dt.timedelta(days=rng.randint(90, 270)))
    avant = _pondere(rng, {"E": 0.3, "F": 0.4, "G": 0.3})
    return {
        "reference": "",
        "nom": "",
        "type": "Démolition",
        "logements": rng.randint(20, 120),
        "date_lancement": lancement,
        "date_livraison": fin if fin <= ctx.limite else None,
        "dpe_avant": avant,
        "dpe_apres": None,
        "methode_avant": METHODE_2021,
        "methode_apres": None,
        "conso_avant": _conso(rng, avant),
        "conso_apres": None,
        "biosource": False,
        # A PEMD diagnosis is compulsory before a demolition.
        "date_pemd": _jour_ouvre(lancement - dt.timedelta(days=rng.randint(60, 240))),
        "logements_repos": None,
    }


# --- Véhicules ---------------------------------------------------------------------------------------------

# First two letters of the SIV registration plates issued each year (approximate, plates are sequential).
SERIES_SIV = {
    2014: "DF",
    2015: "DL",
    2016: "EB",
    2017: "ES",
    2018: "FA",
    2019: "FK",
    2020: "FS",
    2021: "GA",
    2022: "GH",
    2023: "GQ",
    2024: "GX",
    2025: "HB",
    2026: "HG",
    2027: "HM",
}
LETTRES_SIV = "ABCDEFGHJKLMNPQRSTVWXYZ"  # no I, O, U


def _part_electrique(type_vehicule: str, annee: int) -> float:
    """Share of electric vehicles among the entries of a year: the fleet greens as it renews."""
    voiture = {2018: 0.03, 2020: 0.15, 2022: 0.35, 2024: 0.55, 2025: 0.72, 2026: 0.82}
    utilitaire = {2018: 0.02, 2020: 0.08, 2022: 0.2, 2024: 0.4, 2025: 0.6, 2026: 0.7}
    table = voiture if type_vehicule == "Voiture" else utilitaire
    for borne in sorted(table):
        if annee <= borne:
            return table[borne]
    return table[max(table)]


def _energie(rng: random.Random, type_vehicule: str, annee: int, bonus: float) -> str:
    if type_vehicule == "Vélo":
        return "Aucune"
    if type_vehicule == "Vélo à assistance électrique":
        return "Électrique"
    if type_vehicule == "Deux-roues motorisé":
        return "Électrique" if rng.random() < 0.6 else "Essence"
    if rng.random() < min(0.95, _part_electrique(type_vehicule, annee) + bonus):
        return "Électrique"
    if type_vehicule == "Véhicule utilitaire":
        return _pondere(rng, {"Diesel": 0.7, "GNV / bioGNV": 0.15, "Essence": 0.1, "Hybride": 0.05})
    if annee <= 2019:
        return _pondere(rng, {"Diesel": 0.6, "Essence": 0.3, "Hybride": 0.1})
    return _pondere(
        rng,
        {"Diesel": 0.2, "Essence": 0.2, "Hybride": 0.35, "Hybride rechargeable": 0.2, "GNV / bioGNV": 0.05},
    )


def _vehicules(ctx: _Contexte) -> list[Ligne]:
    """The fleet: vehicles bought since 2014; old thermal ones leave and are mostly replaced in kind."""
    rng = ctx.rng
    n = ctx.taille("vehicules")
    annees_entree = list(range(2014, ctx.annee_courante + 1))
    poids = [1.0 + 0.35 * (a - 2014) for a in annees_entree]
    plaques: list[str] = []
    lignes: list[Ligne] = []
    velos = 0

    def plaque(type_vehicule: str, annee: int) -> str:
        nonlocal velos
        if type_vehicule.startswith("Vélo"):
            velos += 1
            return f"{'VAE' if type_vehicule.endswith('électrique') else 'VELO'}-{ctx.code}-{velos:03d}"
        texte = ""
        while not texte or texte in plaques:
            serie = SERIES_SIV.get(annee, "HM")
            debut = LETTRES_SIV.index(serie[1])
            texte = (
                f"{serie[0]}{rng.choice(LETTRES_SIV[debut : debut + 4])}-"
                f"{rng.randint(100, 999)}-{rng.choice(LETTRES_SIV)}{rng.choice(LETTRES_SIV)}"
            )
        plaques.append(texte)
        return texte

    def ajouter(type_vehicule: str, entree: dt.date, bonus: float = 0.0) -> Ligne:
        energie = _energie(rng, type_vehicule, entree.year, ctx.p.bonus_electrique + bonus)
        ligne = {
            "immatriculation": plaque(type_vehicule, entree.year),
            "type": type_vehicule,
            "energie": energie,
            "date_entree": entree,
            "date_sortie": None,
        }
        lignes.append(ligne)
        return ligne

    while len(lignes) < n:
        type_vehicule = _pondere(
            rng,
            {
                "Voiture": 0.55,
                "Véhicule utilitaire": 0.3,
                "Deux-roues motorisé": 0.03,
                "Vélo": 0.04,
                "Vélo à assistance électrique": 0.08,
            },
        )
        annee = rng.choices(annees_entree, weights=poids)[0]
        if type_vehicule.startswith("Vélo"):
            annee = max(annee, 2020)  # the bike fleet is recent
        fin = ctx.limite if annee == ctx.annee_courante else dt.date(annee, 12, 20)
        ligne = ajouter(type_vehicule, _jour_ouvre(_date_entre(rng, dt.date(annee, 1, 5), fin)))
        # Old vehicles leave as the fleet renews, thermal ones first (vehicles gone before the register
        # began are not listed).
        p_sortie = 0.5 if annee <= 2019 else 0.15 if annee <= 2021 else 0.0
        if ligne["energie"] == "Électrique":
            p_sortie *= 0.3
        if not ctx.annees or rng.random() >= p_sortie:
            continue
        sortie = _jour_ouvre(_date_entre(rng, dt.date(ctx.annees[0], 1, 15), ctx.limite))
        ligne["date_sortie"] = sortie
        remplacement = _jour_ouvre(sortie + dt.timedelta(days=rng.randint(0, 45)))
        if len(lignes) < n and remplacement <= ctx.limite and rng.random() < 0.85:
            ajouter(type_vehicule, remplacement, bonus=0.15)  # renewals go electric first (12.1)
    lignes.sort(key=lambda r: (r["date_entree"], r["immatriculation"]))
    return lignes


# --- Équipements numériques --------------------------------------------------------------------------------

EQUIPEMENTS: dict[str, tuple[str, float, float, float]] = {  # type: (prefix, share, mean life, sd) years
    "Ordinateur portable": ("PCP", 0.34, 5.0, 0.8),
    "Ordinateur fixe": ("PCF", 0.1, 6.0, 1.0),
    "Écran": ("ECR", 0.25, 7.0, 1.2),
    "Smartphone": ("TEL", 0.16, 3.5, 0.4),
    "Tablette": ("TAB", 0.05, 4.0, 0.6),
    "Imprimante": ("IMP", 0.04, 6.5, 1.0),
    "Serveur": ("SRV", 0.02, 7.0, 1.0),
    "Équipement réseau": ("RES", 0.04, 8.0, 0.8),
}
DEVENIRS_SORTIE = {
    "Réemploi interne": 0.15,
    "Don / reconditionnement": 0.35,
    "Revente": 0.1,
    "Recyclage (DEEE)": 0.4,
}


def _duree_vie(rng: random.Random, type_equipement: str, annee_retrait: int) -> float:
    """Lifetime in years, 3 to 9, by type; items retired from 2026 on are kept a little longer (13.1)."""
    _, _, moyenne, ecart = EQUIPEMENTS[type_equipement]
    allongement = 0.3 if annee_retrait >= 2026 else 0.0
    return min(9.0, max(3.0, rng.gauss(moyenne + allongement, ecart)))


def _equipements(ctx: _Contexte) -> list[Ligne]:
    rng = ctx.rng
    n = ctx.taille("equipements")
    types = list(EQUIPEMENTS)
    parts = [EQUIPEMENTS[t][1] for t in types]
    lignes: list[Ligne] = []
    for i in range(n):
        type_equipement = rng.choices(types, weights=parts)[0]
        tirage = rng.random()
        # About a quarter of the stock leaves each year; the first items guarantee one exit per year.
        annee_retrait = None
        if i < len(ctx.annees):
            annee_retrait = ctx.annees[i]
        else:
            for k, annee in enumerate(ctx.annees):
                if tirage < 0.24 * (k + 1):
                    annee_retrait = annee
                    break
        if annee_retrait is not None:
            retrait: dt.date | None = _jour_ouvre(
                _date_entre(rng, dt.date(annee_retrait, 1, 10), ctx.fin_annee(annee_retrait))
            )
            assert retrait is not None
            duree = _duree_vie(rng, type_equipement, annee_retrait)
            service = retrait - dt.timedelta(days=round(duree * 365.25))
            devenir: str | None = _pondere(rng, DEVENIRS_SORTIE)
        else:
            retrait = None
            duree = _duree_vie(rng, type_equipement, ctx.annee_courante + 1)
            service = ctx.limite - dt.timedelta(days=rng.randint(0, round(duree * 0.95 * 365.25)))
            devenir = "En service" if rng.random() < 0.7 else None
        lignes.append(
            {
                "identifiant": "",
                "type": type_equipement,
                "date_service": _jour_ouvre(service),
                "date_retrait": retrait,
                "devenir": devenir,
            }
        )
    # Asset tags are numbered in the order of purchase.
    lignes.sort(key=lambda r: (r["date_service"], r["type"]))
    premier = rng.randint(1000, 4000)
    for k, r in enumerate(lignes):
        r["identifiant"] = f"{EQUIPEMENTS[r['type']][0]}-{ctx.code}-{premier + k:05d}"
    return lignes


# --- Journal des actions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModeleJournal:
    """A kind of journal entry of one action: title template, type, public, participants."""

    intitule: str
    type: str
    public: str
    participants: tuple[int, int] | None = None
    annees: tuple[int, ...] = ()  # empty: any year


ACTEURS_BIOSOURCES = (
    "l'interprofession bois régionale",
    "une coopérative de chanvre du territoire",
    "un fabricant d'isolant en ouate de cellulose",
    "le collectif des constructeurs en paille",
    "un menuisier local (bois certifié)",
    "un négoce de matériaux biosourcés",
    "une filière lin et chanvre de l'Ouest",
)
ACTEURS_INSERTION = (
    "une entreprise adaptée de l'agglomération",
    "un ESAT de la métropole",
    "la Maison de l'emploi",
    "le réseau départemental des SIAE",
    "le réseau GESAT",
    "une régie de quartier",
    "une association intermédiaire",
    "le facilitateur des clauses sociales",
)
SERVICES_5S = (
    "archives du siège",
    "magasin de l'agence {quartier}",
    "reprographie",
    "atelier de la régie",
    "stock de fournitures de bureau",
    "local informatique",
    "service courrier",
    "véhicules de service",
)
EXPERIMENTATIONS = (
    "récupérateurs d'eau de pluie en pied d'immeuble",
    "peinture biosourcée en cage d'escalier",
    "capteurs de qualité de l'air intérieur",
    "menuiseries intérieures de réemploi",
    "pompe à chaleur hybride en logement individuel",
)

JOURNAL: dict[str, tuple[ModeleJournal, ...]] = {
    "F01.A1": (
        ModeleJournal(
            "Article « Éco-gestes eau » dans le magazine des locataires", "Communication", "Locataires"
        ),
        ModeleJournal(
            "Distribution de kits hydro-économes – {res}", "Sensibilisation", "Locataires", (20, 120)
        ),
        ModeleJournal(
            "Animation « Chasse aux fuites » en pied d'immeuble – {quartier}",
            "Événement",
            "Locataires",
            (15, 60),
        ),
        ModeleJournal(
            "Affichage des consommations d'eau dans les halls – {res}", "Communication", "Locataires"
        ),
        ModeleJournal(
            "Sensibilisation du personnel de proximité à la gestion de l'eau",
            "Formation",
            "Personnel",
            (8, 30),
        ),
        ModeleJournal(
            "Publication réseaux sociaux : journée mondiale de l'eau", "Communication", "Tous publics"
        ),
    ),
    "F03.A1": (
        ModeleJournal(
            "Envoi du calendrier prévisionnel des marchés aux fédérations du BTP", "Envoi", "Fournisseurs"
        ),
        ModeleJournal(
            "Publication trimestrielle du calendrier des achats – {trimestre}", "Envoi", "Fournisseurs"
        ),
        ModeleJournal(
            "Réunion d'information fournisseurs : programmation des achats",
            "Réunion",
            "Fournisseurs",
            (15, 60),
        ),
    ),
    "F04.A2": (
        ModeleJournal(
            "Guide « Bien aérer son logement » remis à l'entrée dans les lieux", "Communication", "Locataires"
        ),
        ModeleJournal(
            "Atelier « Air intérieur et produits ménagers » – {quartier}", "Atelier", "Locataires", (8, 25)
        ),
        ModeleJournal(
            "Campagne d'affichage : entretien des bouches de ventilation – {res}",
            "Communication",
            "Locataires",
        ),
        ModeleJournal(
            "Article du magazine des locataires : radon et aération", "Communication", "Locataires"
        ),
    ),
    "F05.A2": (
        ModeleJournal("Rencontre avec {acteur_bio}", "Rencontre", "Acteurs du territoire", (3, 12)),
        ModeleJournal(
            "Visite de chantier ossature bois avec les acteurs de la filière – {res}",
            "Rencontre",
            "Acteurs du territoire",
            (6, 20),
        ),
        ModeleJournal(
            "Mise à jour de l'annuaire des acteurs du biosourcé", "Projet", "Personnel", None, (2025,)
        ),
    ),
    "F06.A3": (
        ModeleJournal(
            "Diffusion du guide Réemploi à la maîtrise d'ouvrage", "Communication", "Personnel", None, (2025,)
        ),
        ModeleJournal("Visite d'une plateforme de réemploi de matériaux", "Événement", "Personnel", (8, 20)),
        ModeleJournal(
            "Webinaire de retours d'expérience sur le réemploi",
            "Événement",
            "Acteurs du territoire",
            (20, 80),
        ),
        ModeleJournal(
            "Questionnaire « Économie circulaire » au personnel",
            "Enquête",
            "Personnel",
            (40, 200),
            (2026, 2027),
        ),
        ModeleJournal(
            "Journée portes ouvertes de la ressourcerie – {quartier}", "Événement", "Tous publics", (30, 150)
        ),
    ),
    "F07.A1": (
        ModeleJournal(
            "Rencontre avec {naturaliste} : nichoirs et hirondelles",
            "Rencontre",
            "Acteurs du territoire",
            (4, 15),
        ),
        ModeleJournal(
            "Chantier participatif « Hôtel à insectes » – {res}", "Événement", "Locataires", (10, 40)
        ),
        ModeleJournal(
            "Retour d'expérience : fauche tardive et gestion différenciée", "Réunion", "Personnel", (8, 25)
        ),
        ModeleJournal(
            "Plantation d'une haie bocagère avec l'école du quartier – {quartier}",
            "Événement",
            "Tous publics",
            (20, 80),
        ),
        ModeleJournal(
            "Inventaire faune-flore avec {naturaliste} – {res}", "Projet", "Acteurs du territoire", (4, 12)
        ),
    ),
    "F07.A2": (
        ModeleJournal(
            "Comité de rédaction de la charte biodiversité", "Réunion", "Personnel", (6, 15), (2025,)
        ),
        ModeleJournal(
            "Validation de la charte biodiversité en conseil d'administration",
            "Réunion",
            "Personnel",
            (10, 25),
            (2025,),
        ),
        ModeleJournal(
            "Projet biodiversité : jardin partagé – {res}", "Projet", "Locataires", (10, 40), (2026, 2027)
        ),
        ModeleJournal("Pose de nichoirs à martinets – {res}", "Projet", "Locataires", None, (2026, 2027)),
        ModeleJournal(
            "Désimperméabilisation d'un pied d'immeuble – {res}", "Projet", "Locataires", None, (2026, 2027)
        ),
        ModeleJournal(
            "Éco-pâturage sur les espaces verts – {quartier}", "Projet", "Tous publics", None, (2026, 2027)
        ),
    ),
    "F08.A2": (
        ModeleJournal(
            "Session de sensibilisation des acheteurs à la négociation", "Formation", "Personnel", (6, 20)
        ),
        ModeleJournal(
            "Rencontre fournisseur : avenant d'adaptation des prix", "Rencontre", "Fournisseurs", (2, 8)
        ),
        ModeleJournal(
            "Réunion de dialogue avec les fournisseurs : délais de paiement",
            "Réunion",
            "Fournisseurs",
            (10, 40),
        ),
        ModeleJournal(
            "Rencontres acheteurs-fournisseurs avec la CCI", "Événement", "Fournisseurs", (30, 120)
        ),
    ),
    "F10.A1": (
        ModeleJournal("Rencontre avec {acteur_insertion}", "Rencontre", "Acteurs du territoire", (2, 10)),
        ModeleJournal(
            "Création de l'annuaire des acteurs de l'insertion et du handicap",
            "Projet",
            "Personnel",
            None,
            (2025,),
        ),
    ),
    "F14.A2": (ModeleJournal("Chantier 5S – {service}", "Chantier 5S", "Personnel", (4, 12)),),
    "F15.A2": (
        ModeleJournal(
            "Campagne d'information « Bien vivre ensemble » – {quartier}", "Communication", "Locataires"
        ),
        ModeleJournal("Réunion publique avec les locataires – {res}", "Réunion", "Locataires", (15, 70)),
        ModeleJournal("Permanence de proximité – {quartier}", "Rencontre", "Locataires", (10, 50)),
        ModeleJournal(
            "Lettre d'information aux locataires : projet de résidentialisation – {res}",
            "Communication",
            "Locataires",
        ),
        ModeleJournal(
            "Enquête de satisfaction sur la propreté des parties communes", "Enquête", "Locataires", (80, 400)
        ),
    ),
    "F15.A3": (
        ModeleJournal("Réunion « Talents de locataires » – {quartier}", "Réunion", "Locataires", (8, 30)),
        ModeleJournal(
            "Atelier de réparation de vélos animé par des locataires – {res}",
            "Atelier",
            "Locataires",
            (6, 25),
        ),
        ModeleJournal("Repair café en pied d'immeuble – {res}", "Événement", "Locataires", (15, 60)),
        ModeleJournal(
            "Jardin partagé géré par l'amicale des locataires – {res}", "Projet", "Locataires", (8, 20)
        ),
        ModeleJournal("Troc de plantes et de graines – {quartier}", "Événement", "Locataires", (10, 50)),
    ),
    "F16.A1": (
        ModeleJournal(
            "Atelier avec les bailleurs du département : achats groupés",
            "Atelier",
            "Acteurs du territoire",
            (8, 20),
        ),
    ),
    "F16.A2": (
        ModeleJournal("Expérimentation : {experimentation}", "Expérimentation", "Personnel", (4, 12)),
    ),
}
# Rows per action and year at scale 1, before the office's multiplier.
VOLUMES_JOURNAL: dict[str, dict[int, tuple[int, int]]] = {
    "F01.A1": {2025: (3, 6), 2026: (4, 7)},
    "F03.A1": {2025: (1, 2), 2026: (4, 4)},
    "F04.A2": {2025: (2, 4), 2026: (3, 5)},
    "F05.A2": {2025: (1, 2), 2026: (3, 4)},
    "F06.A3": {2025: (2, 4), 2026: (3, 5)},
    "F07.A1": {2025: (3, 5), 2026: (4, 6)},
    "F07.A2": {2025: (1, 2), 2026: (2, 4)},
    "F08.A2": {2025: (2, 4), 2026: (2, 4)},
    "F10.A1": {2025: (1, 3), 2026: (3, 4)},
    "F14.A2": {2025: (3, 3), 2026: (3, 4)},
    "F15.A2": {2025: (3, 6), 2026: (4, 7)},
    "F15.A3": {2025: (2, 4), 2026: (3, 5)},
    "F16.A1": {2025: (0, 1), 2026: (1, 1)},
    "F16.A2": {2025: (0, 1), 2026: (1, 2)},
}
PART_ILLUSTREE = {"F07.A1": 0.75}


def actions_journal(convention: Convention | None = None) -> list[Action]:
    """The actions whose indicator counts rows of the Journal des actions."""
    conv = convention or referentiel()
    return [
        a for f in conv.fiches for a in f.actions if (a.indicateur.source.regle or "").startswith("journal_")
    ]


def _ligne_journal(
    ctx: _Contexte, code: str, modele: ModeleJournal, date: dt.date, commun: str | None
) -> Ligne:
    rng = ctx.rng
    intitule = modele.intitule.format(
        res=ctx.residence(),
        quartier=ctx.quartier(),
        acteur_bio=rng.choice(ACTEURS_BIOSOURCES),
        acteur_insertion=rng.choice(ACTEURS_INSERTION),
        naturaliste=ctx.p.naturaliste,
        service=rng.choice(SERVICES_5S).format(quartier=ctx.quartier()),
        experimentation=rng.choice(EXPERIMENTATIONS),
        trimestre=f"T{(date.month - 1) // 3 + 1} {date.year}",
    )
    participants = rng.randint(*modele.participants) if modele.participants else None
    illustration = None
    if rng.random() < PART_ILLUSTREE.get(code, 0.3):
        if rng.random() < 0.5:
            illustration = f"https://www.{ctx.p.domaine}/actualites/{date.year}/{_slug(intitule)}"
        else:
            illustration = f"https://intranet.{ctx.p.domaine}/photos/{date:%Y-%m}-{_slug(intitule, 32)}.jpg"
    return {
        "date": date,
        "action": code,
        "intitule": intitule,
        "type": modele.type,
        "public": modele.public,
        "participants": participants,
        "illustration": illustration,
        "commun": commun,
    }


def _journal(ctx: _Contexte) -> list[Ligne]:
    rng = ctx.rng
    lignes: list[Ligne] = []
    for code in VOLUMES_JOURNAL:
        for annee in ctx.annees:
            cle = f"journal:{code}:{annee}"
            # F16 rows here are the office's own items, besides the shared ones: there may be none.
            n = ctx.taille(cle, minimum=0) if code.startswith("F16") else ctx.taille(cle, ctx.p.journal)
            modeles = [m for m in JOURNAL[code] if not m.annees or annee in m.annees]
            for k in range(n):
                if code == "F03.A1" and annee >= 2026 and k < 4:
                    # Quarterly publication of the purchasing calendar, mid-January, April, July, October.
                    date = _jour_ouvre(dt.date(annee, 1 + 3 * k, rng.randint(10, 20)))
                    if date > ctx.limite:
                        date = ctx.date_dans(annee)
                    modele = JOURNAL[code][1]
                else:
                    date = ctx.date_dans(annee)
                    modele = rng.choice(modeles)
                lignes.append(_ligne_journal(ctx, code, modele, date, None))
    for element in ELEMENTS_COMMUNS:
        if ctx.code not in element.offices or element.date > ctx.limite:
            continue
        repetitions = 1 + DOUBLONS_COMMUNS.get(ctx.code, ()).count(element.commun)
        for k in range(repetitions):
            session = "" if repetitions == 1 else (" (matin)", " (après-midi)")[min(k, 1)]
            lignes.append(
                {
                    "date": element.date,
                    "action": element.action,
                    "intitule": element.intitule + session,
                    "type": element.type,
                    "public": "Autres offices",
                    "participants": rng.randint(9, 24),
                    "illustration": f"https://intranet.{ctx.p.domaine}/cooperation/{element.commun.lower()}",
                    "commun": element.commun,
                }
            )
    lignes.sort(key=lambda r: (r["date"], r["action"], r["intitule"]))
    return lignes


# --- Matériaux réemploi ------------------------------------------------------------------------------------

UNITES_MATERIAUX = {
    "Bois": "t",
    "Métaux": "t",
    "Béton / gravats": "t",
    "Plâtre": "t",
    "Verre": "t",
    "Menuiseries": "u",
    "Sanitaires": "u",
    "Radiateurs": "u",
    "Carrelage / faïence": "m²",
    "Isolants": "m³",
    "Terres": "m³",
    "Équipements électriques": "u",
    "Portes": "u",
    "Mobilier": "u",
    "Ardoises": "m²",
}
FILIERES_MATERIAUX = {
    "Bois": ("Réemploi", "Réutilisation", "Valorisation énergétique"),
    "Métaux": ("Recyclage",),
    "Béton / gravats": ("Recyclage",),
    "Plâtre": ("Recyclage",),
    "Verre": ("Recyclage",),
    "Carrelage / faïence": ("Réemploi", "Recyclage"),
    "Isolants": ("Réemploi",),
    "Terres": ("Réutilisation",),
    "Équipements électriques": ("Réemploi", "Recyclage"),
}
QUANTITES_UNITES = {"t": (0.5, 40.0), "u": (4, 120), "m²": (20.0, 400.0), "m³": (5.0, 150.0)}


def _reemploi(ctx: _Contexte, operations: Sequence[Ligne]) -> list[Ligne]:
    rng = ctx.rng
    propres = list(ctx.p.materiaux)
    lignes: list[Ligne] = []
    for k, annee in enumerate(ctx.annees):
        n = ctx.taille(f"reemploi:{annee}")
        # The strategy widens: the office's own types come in progressively, then all of them.
        if k == 0:
            retenus = sorted(rng.sample(range(len(propres)), max(1, len(propres) - 2)))
            types = [*MATERIAUX_COMMUNS, *(propres[i] for i in retenus)]
        else:
            types = [*MATERIAUX_COMMUNS, *propres]
        chantiers = [
            o["nom"]
            for o in operations
            if o["type"] in ("Réhabilitation", "Démolition") and o["date_lancement"].year <= annee
        ]
        for i in range(n):
            materiau = types[i] if i < len(types) else rng.choice(types)
            unite = UNITES_MATERIAUX.get(materiau, "u")
            bas, haut = QUANTITES_UNITES[unite]
            quantite: float = (
                rng.randint(int(bas), int(haut)) if unite == "u" else round(rng.uniform(bas, haut), 1)
            )
            lignes.append(
                {
                    "annee": annee,
                    "materiau": materiau,
                    "operation": rng.choice(chantiers) if chantiers else None,
                    "filiere": rng.choice(FILIERES_MATERIAUX.get(materiau, ("Réemploi", "Réutilisation"))),
                    "quantite": quantite,
                    "unite": unite,
                }
            )
    return lignes


# --- Données annuelles -------------------------------------------------------------------------------------


def _donnees_annuelles(ctx: _Contexte) -> list[Ligne]:
    rng = ctx.rng
    p = ctx.p
    lignes: list[Ligne] = []
    robinetteries = rng.randint(*p.robinetteries)
    total = rng.uniform(*p.bilan_total)
    part = rng.uniform(*p.part_deplacements)
    stockage = rng.uniform(*p.stockage)
    for k, annee in enumerate(ctx.annees):
        if k:
            # Travel share and storage go down, replacements go up (the actions work).
            robinetteries = round(robinetteries * rng.uniform(1.1, 1.4))
            total *= rng.uniform(0.95, 1.03)
            part *= rng.uniform(0.82, 0.94)
            stockage *= rng.uniform(0.85, 0.95)
        bilan = round(total, 1)
        lignes.append(
            {
                "annee": annee,
                "robinetteries": robinetteries,
                "bilan_total": bilan,
                "bilan_deplacements": round(bilan * part, 1),
                "stockage_to": round(stockage, 1),
                "locataires_sondes": rng.randint(*p.sondes),
            }
        )
    return lignes


# --- Fiche sheets ------------------------------------------------------------------------------------------

COMMENTAIRES_REALISE = (
    "Étape réalisée conformément au calendrier de la convention.",
    "Présenté au comité de suivi inter-offices.",
    "Validé en comité de direction ; diffusion aux équipes faite.",
    "Réalisé avec l'appui des référents de proximité.",
)
COMMENTAIRES_EN_COURS = (
    "En cours : finalisation prévue en décembre {annee}.",
    "Démarrage décalé au second semestre faute de disponibilité des équipes.",
    "Retard lié au recrutement du chargé de mission ; rattrapage prévu au premier trimestre {suivante}.",
    "Point d'étape au 30/09 : avancement conforme, restitution prévue en fin d'année.",
)
COMMENTAIRES_A_VENIR = (
    "Objectif à confirmer au comité de suivi de février {precedente}.",
    "Programmation à arbitrer lors du budget {annee}.",
)


def _commentaire_chiffre(action: Action, annee: int, calcul: Calcul | None) -> str | None:
    """A comment that explains the figure, as a référent would write it."""
    if calcul is None or calcul.valeur is None:
        return None
    num, den = calcul.numerateur, calcul.denominateur
    code = action.code
    if code in ("F03.A3", "F14.A1") and num is not None and den is not None:
        return f"{num:.0f} marchés sur {den:.0f} notifiés en {annee} au-dessus du seuil de 40 000 € HT."
    if code == "F08.A1" and num is not None and den is not None:
        return f"{num:.0f} procédures sur {den:.0f} lancées en {annee} permettent la négociation."
    if code == "F12.A1" and num is not None and den is not None:
        entres = calcul.details.get("vehicules_entres", 0)
        elec = calcul.details.get("vehicules_entres_electriques", 0)
        return (
            f"{num:.0f} véhicules électriques sur {den:.0f} véhicules motorisés au 31/12/{annee} ; "
            f"{elec:.0f} des {entres:.0f} véhicules entrés dans l'année sont électriques."
        )
    if code == "F12.A2" and num is not None and den is not None:
        return f"Déplacements : {num:.0f} tCO2e sur un bilan de {den:.0f} tCO2e."
    if code == "F13.A1" and den:
        return f"Durée moyenne calculée sur {den:.0f} équipements sortis du parc en {annee}."
    if code == "F02.A2" and calcul.details.get("logements_compares"):
        gain = f"{calcul.details.get('gain_moyen_classes', 0.0):.1f}".replace(".", ",")
        return (
            f"{calcul.details['logements_compares']:.0f} logements réhabilités livrés en {annee} ; "
            f"gain moyen de {gain} classe(s) DPE."
        )
    if code == "F09.A1":
        return f"Heures déclarées par le facilitateur des clauses sociales au titre de {annee}."
    return None


def _valeur_saisie(action: Action, valeur: float) -> float | int:
    """The value as a référent types it: rates to 3 decimals, means to 1, counts as whole numbers."""
    kind = action.indicateur.type
    if kind in TYPES_AVEC_RATIO:
        return round(valeur, 3)
    if kind is TypeIndicateur.MOYENNE_PAR_TYPE:
        arrondi = round(valeur, 1)
        # The tolerance is half a tenth: keep a second decimal where float noise would break it.
        return arrondi if concordent(action, arrondi, valeur) else round(valeur, 2)
    if float(valeur).is_integer():
        return int(valeur)
    return round(valeur, 1)


def _cible(
    rng: random.Random,
    action: Action,
    annee: int,
    calculs: Mapping[int, Calcul | None],
    cibles: Mapping[int, float],
) -> float | int:
    """A plausible office target: near what the registers show, a little more ambitious the next year."""
    ind = action.indicateur
    if ind.type is TypeIndicateur.PART_REFERENCE:
        precedente = cibles.get(annee - 1)
        return round(precedente + 0.05, 2) if precedente else rng.choice((0.05, 0.05, 0.08))
    connu = [
        c.valeur for a, c in sorted(calculs.items()) if a <= annee and c is not None and c.valeur is not None
    ]
    reference = connu[-1] if connu else None
    precedente = cibles.get(annee - 1)
    if ind.type is TypeIndicateur.TAUX:
        base = reference if reference is not None else 0.5
        cible = base + rng.uniform(-0.05, 0.1)
        if precedente is not None:
            cible = max(cible, precedente + 0.03)
        return min(1.0, max(0.1, round(cible * 20) / 20))
    if ind.type is TypeIndicateur.MOYENNE_PAR_TYPE:
        base = reference if reference is not None else 5.0
        cible = max(base, precedente + 0.25 if precedente else 0.0)
        return math.ceil(cible * 2) / 2
    if ind.sens is Sens.BAISSE:
        base = reference if reference is not None else 50.0
        return round(base * rng.uniform(0.9, 0.97)) if precedente is None else round(precedente * 0.93)
    base = reference if reference else rng.randint(2, 5)
    cible = base * rng.uniform(0.85, 1.3)
    if precedente is not None:
        cible = max(cible, math.ceil(precedente * 1.1))
    if ind.type is TypeIndicateur.QUANTITE and cible > 500:
        return round(cible / 100) * 100
    if cible > 200:
        return round(cible / 10) * 10
    return max(1, round(cible))


def _etape(rng: random.Random, annee: int, annee_courante: int) -> str:
    if annee < annee_courante:
        return "Réalisé" if rng.random() < 0.88 else "En cours"
    if annee == annee_courante:
        return "Réalisé" if rng.random() < 0.4 else "En cours"
    return "Non démarré"


def _fiches(
    ctx: _Contexte, conv: Convention, registres: Mapping[Registre, Sequence[Ligne]]
) -> dict[str, Any]:
    """ETAPE, CIBLE, REALISE (from the registers), ratio, comment and evidence of every action and year."""
    rng = ctx.rng
    valeurs: dict[str, Any] = {}
    for fiche in conv.fiches:
        for action in fiche.actions:
            champs = champs_action(action)
            calculs = {
                a: calculer(action, a, registres, conv.parametres) if regle_de(action) else None
                for a in ctx.annees
            }
            cibles: dict[int, float] = {}
            for annee in ANNEES:

                def nom(champ: Champ, annee: int = annee, action: Action = action) -> str:
                    return nom_defini(action, annee, champ)

                etape = _etape(rng, annee, ctx.annee_courante)
                valeurs[nom(Champ.ETAPE)] = etape
                cible = action.indicateur.cibles[annee]
                if Champ.CIBLE in champs and cible.fixee_par_office:
                    cibles[annee] = _cible(rng, action, annee, calculs, cibles)
                    valeurs[nom(Champ.CIBLE)] = cibles[annee]
                calcul = calculs.get(annee)
                if Champ.REALISE in champs and calcul is not None and calcul.valeur is not None:
                    valeurs[nom(Champ.REALISE)] = _valeur_saisie(action, calcul.valeur)
                    if Champ.NUMERATEUR in champs and calcul.numerateur is not None:
                        valeurs[nom(Champ.NUMERATEUR)] = _valeur_saisie_ratio(action, calcul.numerateur)
                    if Champ.DENOMINATEUR in champs and calcul.denominateur is not None:
                        valeurs[nom(Champ.DENOMINATEUR)] = _valeur_saisie_ratio(action, calcul.denominateur)
                commentaire = _commentaire(rng, action, annee, etape, calcul, ctx.annee_courante)
                if commentaire:
                    valeurs[nom(Champ.COMMENTAIRE)] = commentaire
                if etape == "Réalisé":
                    valeurs[nom(Champ.JUSTIFICATIF)] = (
                        f"https://intranet.{ctx.p.domaine}/rse/{action.code.replace('.', '-')}-{annee}.pdf"
                    )
    return valeurs


def _valeur_saisie_ratio(action: Action, valeur: float) -> float | int:
    if action.indicateur.type is TypeIndicateur.TAUX or float(valeur).is_integer():
        return int(valeur)
    return round(valeur, 1)


def _commentaire(
    rng: random.Random, action: Action, annee: int, etape: str, calcul: Calcul | None, annee_courante: int
) -> str | None:
    tirage = rng.random()
    if annee > annee_courante:
        if tirage < 0.1:
            return rng.choice(COMMENTAIRES_A_VENIR).format(annee=annee, precedente=annee)
        return None
    if tirage < 0.2:
        chiffre = _commentaire_chiffre(action, annee, calcul)
        if chiffre:
            return chiffre
    if tirage < 0.35:
        modeles = COMMENTAIRES_REALISE if etape == "Réalisé" else COMMENTAIRES_EN_COURS
        return rng.choice(modeles).format(annee=annee, suivante=annee + 1)
    return None


def _identite(ctx: _Contexte) -> dict[str, Any]:
    rng = ctx.rng
    prenom, nom, fonction = rng.choice(ctx.p.referents)
    local = f"{_ascii(prenom)}.{_ascii(nom)}".lower().replace(" ", "").replace("'", "")
    return {
        "ID_OFFICE": ctx.office.nom,
        "ID_REFERENT": f"{prenom} {nom}",
        "ID_FONCTION": fonction,
        "ID_EMAIL": f"{local}@{ctx.p.domaine}",
        "ID_TELEPHONE": f"{ctx.p.telephone} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        "ID_ETAT": ctx.p.etat,
        "ID_DATE": _jour_ouvre(dt.date(ctx.annee_courante, 11, rng.randint(17, 28))),
    }


# --- Anomalies ---------------------------------------------------------------------------------------------


def _nom(conv: Convention, code: str, annee: int, champ: Champ) -> str:
    action = next(a for f in conv.fiches for a in f.actions if a.code == code)
    return nom_defini(action, annee, champ)


def _anomalies_registres(code: str, registres: dict[Registre, list[Ligne]]) -> None:
    """Register anomalies of ANOMALIES_DEMO; applied before the indicators are computed."""
    if code == "ARC":
        for r in registres[Registre.JOURNAL]:
            if r["action"] == "F04.A2" and r["date"].year == 2026:
                r["public"] = None
                break
    elif code == "NMH":
        for r in registres[Registre.OPERATIONS]:
            livraison = r["date_livraison"]
            if r["type"] == "Réhabilitation" and livraison is not None and livraison.year == 2026:
                r["dpe_apres"] = None
                r["methode_apres"] = None
                break


def _anomalies_fiches(conv: Convention, code: str, valeurs: dict[str, Any], annee_courante: int) -> None:
    """Fiche anomalies of ANOMALIES_DEMO; years after annee_courante are left alone."""
    if code == "ARC" and annee_courante >= 2026:
        valeurs[_nom(conv, "F07.A1", 2026, Champ.COMMENTAIRE)] = COMMENTAIRE_FORMULE
    elif code == "BMH":
        if annee_courante >= 2026:
            realise = _nom(conv, "F01.A1", 2026, Champ.REALISE)
            valeurs[realise] = valeurs.get(realise, 0) + 2
            valeurs[_nom(conv, "F01.A1", 2026, Champ.COMMENTAIRE)] = (
                "Deux animations en pied d'immeuble pas encore saisies dans le Journal."
            )
        valeurs[_nom(conv, "F09.A1", 2025, Champ.COMMENTAIRE)] = COMMENTAIRE_PLUS
    elif code == "NMH" and annee_courante >= 2025:
        valeurs[_nom(conv, "F07.A2", 2025, Champ.ETAPE)] = "Réalisé"
        valeurs.pop(_nom(conv, "F07.A2", 2025, Champ.JUSTIFICATIF), None)


# --- « Campagne incomplète » --------------------------------------------------------------------------------
# What a real campaign looks like before the deadline: one office late, a fiche sheet renamed, rows typed
# under a table in LibreOffice, and a DPE class changed by the 2026 method alone.

OFFICE_EN_RETARD = "NMH"  # has filled nothing of the current year yet
ONGLET_RENOMME = ("BMH", "F12 Mobilité", "F12 Mobilité durable")  # office, sheet, the name it was given
LIGNES_SOUS_TABLEAU = (  # ARC: typed under the Journal table, outside it
    {
        "date": dt.date(2026, 10, 6),
        "action": "F01.A1",
        "intitule": "Stand éco-gestes eau à la fête de quartier",
        "type": "Sensibilisation",
        "public": "Locataires",
        "participants": 40,
    },
    {
        "date": dt.date(2026, 10, 20),
        "action": "F01.A1",
        "intitule": "Atelier kits hydro-économes",
        "type": "Atelier",
        "public": "Locataires",
        "participants": 12,
    },
)
OPERATION_METHODE_SEULE: Ligne = {  # ARC: E (DPE 2021) → D (DPE 2026) without works on energy use
    "reference": "OP-ARC-METHODE",
    "nom": "Résidence des Tilleuls — rénovation des parties communes",
    "type": "Réhabilitation",
    "logements": 24,
    "date_lancement": dt.date(2025, 3, 3),
    "date_livraison": dt.date(2026, 6, 30),
    "dpe_avant": "E",
    "dpe_apres": "D",
    "methode_avant": METHODES_DPE[0],
    "methode_apres": METHODES_DPE[1],
    "conso_avant": 262.0,
    "conso_apres": 262.0,
    "biosource": False,
    "date_pemd": None,
    "logements_repos": None,
}


def _de_l_annee_ou_apres(ligne: Ligne, annee: int) -> bool:
    """Does a register row hold a date (or a year) of ``annee`` or later?"""
    for v in ligne.values():
        if isinstance(v, dt.date) and v.year >= annee:
            return True
    return isinstance(ligne.get("annee"), int) and ligne["annee"] >= annee


def _incomplet_registres(code: str, registres: dict[Registre, list[Ligne]], annee_courante: int) -> None:
    if code == OFFICE_EN_RETARD:
        for registre, lignes in registres.items():
            registres[registre] = [r for r in lignes if not _de_l_annee_ou_apres(r, annee_courante)]
    elif code == "ARC":
        registres[Registre.OPERATIONS].append(dict(OPERATION_METHODE_SEULE))


def _incomplet_fiches(conv: Convention, code: str, valeurs: dict[str, Any], annee_courante: int) -> None:
    if code != OFFICE_EN_RETARD:
        return
    for fiche in conv.fiches:
        for action in fiche.actions:
            for annee in ANNEES:
                if annee >= annee_courante:
                    for champ in champs_action(action):
                        valeurs.pop(nom_defini(action, annee, champ), None)
    valeurs["ID_ETAT"] = "Brouillon"


def renommer_onglet(chemin: Path, ancien: str, nouveau: str) -> None:
    """Rename a sheet of a written workbook as Excel does: its name, and every reference to it (defined names,
    links), nothing else. For demos and tests of what staff do to their workbook."""
    import zipfile

    from rse_xl.fichiers import ecriture_atomique

    def xml(texte: str) -> str:
        return texte.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    def cite(nom: str) -> str:
        return xml("'" + nom.replace("'", "''") + "'!")

    remplacements = tuple(
        (a.encode(), b.encode())
        for a, b in (
            (f'name="{xml(ancien)}"', f'name="{xml(nouveau)}"'),
            (cite(ancien), cite(nouveau)),
            (f"<vt:lpstr>{xml(ancien)}</vt:lpstr>", f"<vt:lpstr>{xml(nouveau)}</vt:lpstr>"),
        )
    )
    with zipfile.ZipFile(chemin) as z:
        parties = [(info, z.read(info)) for info in z.infolist()]
    with ecriture_atomique(Path(chemin)) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as sortie:
        for info, contenu in parties:
            if info.filename.endswith((".xml", ".rels")):
                for a, b in remplacements:
                    contenu = contenu.replace(a, b)
            sortie.writestr(info, contenu)


# --- Entry points ------------------------------------------------------------------------------------------


def _registres(ctx: _Contexte) -> dict[Registre, list[Ligne]]:
    """The office's register rows (typed Python values), drawn in a fixed order."""
    operations = _operations(ctx)
    return {
        Registre.MARCHES: _marches(ctx),
        Registre.OPERATIONS: operations,
        Registre.VEHICULES: _vehicules(ctx),
        Registre.EQUIPEMENTS: _equipements(ctx),
        Registre.JOURNAL: _journal(ctx),
        Registre.REEMPLOI: _reemploi(ctx, operations),
        Registre.DONNEES_ANNUELLES: _donnees_annuelles(ctx),
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
    ctx = _Contexte(office, rng, echelle, annee_courante)
    registres = _registres(ctx)
    if anomalies:
        _anomalies_registres(office.code, registres)
    if incomplet:
        _incomplet_registres(office.code, registres, annee_courante)
    valeurs = _identite(ctx)
    valeurs.update(_fiches(ctx, conv, registres))
    if anomalies:
        _anomalies_fiches(conv, office.code, valeurs, annee_courante)
    sous_tableaux: dict[Registre, list[Ligne]] = {}
    if incomplet:
        _incomplet_fiches(conv, office.code, valeurs, annee_courante)
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

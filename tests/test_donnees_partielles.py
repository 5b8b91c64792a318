"""Partial, late and hand-typed data: figures computed by hand, and the summary says what they cover."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rse_xl import conversion as cv
from rse_xl.consolidation import Consolidation, consolider
from rse_xl.demo import renommer_onglet
from rse_xl.indicateurs import INTER, Origine, Statut
from rse_xl.layout import Champ, nom_defini
from rse_xl.lecture import lire_classeur
from rse_xl.modele import Saisie, ecrire_classeur, trouver_office
from rse_xl.referentiel import Registre, referentiel
from rse_xl.synthese import ecrire_synthese
from rse_xl.validation import valider

CONV = referentiel()
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}
AUJOURDHUI = dt.date(2026, 11, 30)
D26 = dt.date(2026, 5, 4)


def n(code: str, annee: int, champ: Champ) -> str:
    return nom_defini(ACTIONS[code], annee, champ)


def journal(code: str, jour: dt.date, **kw: Any) -> dict[str, Any]:
    return {"date": jour, "action": code, "intitule": "x", "type": "Atelier", **kw}


def marche(lancement: dt.date, montant: float, clause: bool, **kw: Any) -> dict[str, Any]:
    return {
        "reference": f"M-{lancement}-{montant}-{clause}",
        "objet": "Objet",
        "nature": "Services",
        "procedure": "Appel d'offres ouvert",
        "negociation": False,
        "date_lancement": lancement,
        "date_notification": lancement + dt.timedelta(days=30),
        "montant_ht": montant,
        "clause_variation": clause,
        "criteres_env": True,
        "clause_insertion": False,
        "reserve": "Non",
        **kw,
    }


def vehicule(immat: str, entree: dt.date, energie: str) -> dict[str, Any]:
    return {"immatriculation": immat, "type": "Voiture", "energie": energie, "date_entree": entree}


def rehabilitation(ref: str, logements: int, avant: str, apres: str, m1: str, m2: str, c1: float, c2: float):
    return {
        "reference": ref,
        "nom": ref,
        "type": "Réhabilitation",
        "logements": logements,
        "date_lancement": dt.date(2025, 2, 1),
        "date_livraison": dt.date(2026, 6, 1),
        "dpe_avant": avant,
        "dpe_apres": apres,
        "methode_avant": m1,
        "methode_apres": m2,
        "conso_avant": c1,
        "conso_apres": c2,
        "biosource": False,
    }


M2021, M2026 = "DPE 2021", "DPE 2026 (coefficient électricité 1,9)"

ARC = Saisie(
    valeurs={
        n("F15.A1", 2026, Champ.CIBLE): 400,
        n("F01.A1", 2026, Champ.CIBLE): 2,
        n("F03.A3", 2026, Champ.CIBLE): 0.5,
        n("F12.A2", 2026, Champ.CIBLE): 0.05,
    },
    registres={
        Registre.DONNEES_ANNUELLES: [
            {"annee": 2025, "locataires_sondes": 300, "bilan_total": 1000.0, "bilan_deplacements": 100.0},
            {"annee": 2026, "locataires_sondes": 420, "bilan_total": 1000.0, "bilan_deplacements": 90.0},
        ],
        Registre.JOURNAL: [journal("F01.A1", D26 + dt.timedelta(days=k)) for k in range(3)],
        Registre.MARCHES: [marche(D26, 50_000, True), marche(D26, 60_000, True)],
        Registre.VEHICULES: [
            vehicule("AA-001-AA", dt.date(2026, 3, 1), "Électrique"),
            vehicule("AA-002-AA", dt.date(2026, 4, 1), "Diesel"),
        ],
        Registre.OPERATIONS: [
            rehabilitation("OP-1", 40, "F", "C", M2021, M2021, 300, 150),  # works: counted
            rehabilitation("OP-2", 24, "E", "D", M2021, M2026, 262, 262),  # the method alone: not counted
            rehabilitation("OP-3", 10, "E", "D", M2021, M2026, 262, 180),  # the method and works: counted
        ],
    },
)

BMH = Saisie(
    valeurs={
        n("F15.A1", 2026, Champ.CIBLE): 400,
        # The Journal is kept for 2026 only: the typed 2025 value stands.
        n("F01.A1", 2025, Champ.REALISE): 5,
        n("F01.A1", 2025, Champ.CIBLE): 4,
        n("F12.A2", 2026, Champ.CIBLE): 0.05,
    },
    registres={
        Registre.DONNEES_ANNUELLES: [
            {"annee": 2025, "locataires_sondes": 250, "bilan_total": 1000.0, "bilan_deplacements": 200.0},
            {"annee": 2026, "locataires_sondes": 500, "bilan_total": 1000.0, "bilan_deplacements": 180.0},
        ],
        Registre.JOURNAL: [journal("F01.A1", D26), journal("F01.A1", D26)],
        Registre.MARCHES: [marche(D26, 60_000, True)] + [marche(D26, 45_000 + k, False) for k in range(3)],
        Registre.VEHICULES: [
            vehicule("BB-001-BB", dt.date(2026, 2, 1), "Électrique"),
            vehicule("BB-002-BB", dt.date(2026, 2, 2), "Électrique"),
            vehicule("BB-003-BB", dt.date(2026, 2, 3), "Essence"),
        ],
    },
)

NMH = Saisie(
    valeurs={
        n("F15.A1", 2026, Champ.CIBLE): 300,  # a target, but 15.1 left blank for 2026
        n("F01.A1", 2026, Champ.CIBLE): 1,
    },
    registres={
        Registre.DONNEES_ANNUELLES: [
            {"annee": 2025, "locataires_sondes": 440, "bilan_total": 1000.0, "bilan_deplacements": 50.0}
        ],
        Registre.JOURNAL: [journal("F01.A1", D26)],
    },
)


@pytest.fixture(scope="module")
def chemins(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    dossier = tmp_path_factory.mktemp("partielles")
    sortie = []
    for code, saisie in (("ARC", ARC), ("BMH", BMH), ("NMH", NMH)):
        chemin = dossier / f"{code}.xlsx"
        ecrire_classeur(chemin, trouver_office(CONV, code), saisie)
        sortie.append(chemin)
    return sortie


@pytest.fixture(scope="module")
def conso(chemins: list[Path]) -> Consolidation:
    return consolider(chemins, annee=2026, aujourdhui=AUJOURDHUI)


def r(conso: Consolidation, office: str, action: str, annee: int = 2026):
    resultat = conso.resultat(office, action, annee)
    assert resultat is not None
    return resultat


def test_office_en_retard_hors_du_total_et_de_la_cible(conso: Consolidation) -> None:
    """NMH left 15.1 blank for 2026: achieved and target over ARC and BMH only, trend over them too."""
    inter = r(conso, INTER, "F15.A1")
    assert inter.realise == 420 + 500
    assert inter.cible == 400 + 400  # not 1 100: NMH's target has no value to go with it
    assert inter.atteinte == pytest.approx(920 / 800) and inter.statut is Statut.ATTEINT
    assert inter.offices == 2 and inter.offices_total == 3
    assert inter.couverture == "Incomplet : 2 offices sur 3"
    assert inter.hors_total == {"NMH": "non renseigné"}
    # Trend over the offices present both years: (420 + 500) − (300 + 250), not 920 − 990.
    assert inter.evolution == 370 and inter.tendance == "amélioration"
    assert r(conso, INTER, "F15.A1", 2025).couverture == "Complet : 3 offices sur 3"


def test_une_regle_pour_tous_les_types(conso: Consolidation) -> None:
    """A value without a target leaves the total the same way for counts and for rates."""
    compte = r(conso, INTER, "F01.A1")
    assert (compte.realise, compte.cible) == (3 + 1, 2 + 1)  # ARC and NMH; BMH has no target
    assert compte.hors_total == {"BMH": "sans objectif"}
    assert compte.atteinte == pytest.approx(4 / 3)
    taux = r(conso, INTER, "F03.A3")
    assert (taux.numerateur, taux.denominateur) == (2, 2)  # ARC only: BMH has no target, NMH no contract
    assert taux.realise == 1.0 and taux.cible == 0.5
    assert taux.hors_total == {"BMH": "sans objectif", "NMH": "non renseigné"}
    assert compte.couverture == "Incomplet : 2 offices sur 3"
    assert taux.couverture == "Incomplet : 1 office sur 3"


def test_reference_2025_sur_les_memes_offices(conso: Consolidation) -> None:
    """12.2: NMH has no 2026 figure, so its 2025 share stays out of the baseline too."""
    inter = r(conso, INTER, "F12.A2")
    assert inter.realise == pytest.approx((90 + 180) / 2000)
    assert inter.cible == pytest.approx(0.05)
    reference = (100 + 200) / 2000  # ARC and BMH; with NMH it would be 350 / 3000
    assert inter.atteinte == pytest.approx((reference - 0.135) / reference / 0.05)
    assert inter.statut is Statut.ATTEINT


def test_registre_tenu_par_une_ligne_en_cours(tmp_path: Path) -> None:
    """Works launched in 2024 and delivered in 2027 keep the Opérations register for 2026 (no date in it)."""
    operation = {
        **rehabilitation("OP-L", 30, "E", "C", M2021, M2021, 250, 120),
        "date_lancement": dt.date(2024, 9, 1),
        "date_livraison": dt.date(2027, 3, 1),
        "logements_repos": 2,
    }
    chemin = tmp_path / "arc.xlsx"
    ecrire_classeur(chemin, trouver_office(CONV, "ARC"), Saisie(registres={Registre.OPERATIONS: [operation]}))
    conso = consolider([chemin], annee=2026, aujourdhui=AUJOURDHUI)
    arc = r(conso, "ARC", "F11.A2")  # rehabilitations under way with rest dwellings
    assert (arc.realise, arc.origine) == (1, Origine.REGISTRES)


def test_evolution_sans_office_commun_aux_deux_annees(conso: Consolidation) -> None:
    """2025 covers BMH alone, 2026 ARC and NMH: no comparable trend (not 4 − 5)."""
    assert r(conso, INTER, "F01.A1", 2025).realise == 5
    assert r(conso, INTER, "F01.A1").evolution is None


def test_registre_non_tenu_pour_l_annee(conso: Consolidation, chemins: list[Path]) -> None:
    """BMH's Journal has no 2025 row: the typed 5 stands (target 4), not the register's 0."""
    b25 = r(conso, "BMH", "F01.A1", 2025)
    assert (b25.realise, b25.origine, b25.realise_registres) == (5, Origine.SAISIE, None)
    assert b25.statut is Statut.ATTEINT
    assert "non tenu pour 2025" in (b25.motif or "") and "valeur saisie retenue" in (b25.motif or "")
    b26 = r(conso, "BMH", "F01.A1")
    assert (b26.realise, b26.origine) == (2, Origine.REGISTRES)
    # Kept for a year = a row dated in it: ARC's Journal has none in 2025 and nothing typed.
    assert r(conso, "ARC", "F01.A1", 2025).statut is Statut.NON_RENSEIGNE
    problemes = [p for p in conso.rapport.problemes if p.code == "registre-non-tenu"]
    assert [(p.office, p.onglet) for p in problemes] == [("BMH", "F01 Eau")]
    assert "(5)" in problemes[0].message and "(0)" in problemes[0].message
    assert "aucune ligne datée de 2025" in problemes[0].message
    assert not any(p.code == "ecart-registre" and p.office == "BMH" for p in conso.rapport.problemes)


def test_dpe_sortie_par_la_seule_methode(conso: Consolidation) -> None:
    arc = r(conso, "ARC", "F02.A2")
    assert arc.realise == 40 + 10  # OP-2 left E by the 2026 method alone (262 → 262 kWh)
    assert arc.details["sortis_methode_seule"] == 24
    assert arc.details["logements_methode_differente"] == 24 + 10
    inter = r(conso, INTER, "F02.A2")
    assert inter.realise == 50 and inter.details["sortis_methode_seule"] == 24


def test_renouvellements_electriques(conso: Consolidation) -> None:
    arc, bmh, inter = (r(conso, o, "F12.A1") for o in ("ARC", "BMH", INTER))
    assert arc.details["part_renouvellements_electriques"] == pytest.approx(1 / 2)
    assert bmh.details["part_renouvellements_electriques"] == pytest.approx(2 / 3)
    # Ratio of sums (1 + 2) / (2 + 3), not the mean of the shares (0.583).
    assert inter.details["part_renouvellements_electriques"] == pytest.approx(3 / 5)
    assert inter.details["vehicules_entres"] == 5
    assert inter.realise == pytest.approx(3 / 5)  # the fleet share at year end, beside it


def _ligne(ws, colonne: int, texte: str, apres: int = 1) -> int:
    for ligne in range(apres, ws.max_row + 1):
        if ws.cell(ligne, colonne).value == texte:
            return ligne
    raise AssertionError(f"{texte} introuvable")


def test_synthese_fiche_et_donnees_disent_la_couverture(conso: Consolidation, tmp_path: Path) -> None:
    chemin = ecrire_synthese(conso, tmp_path / "synthese.xlsx")
    wb = openpyxl.load_workbook(chemin)
    ws = wb["Synthèse"]
    colonne = 5 + 4 * 4  # after Fiche, Action, Intitulé, Unité and four groups of four columns
    assert ws.cell(4, colonne).value == "Offices couverts (inter-offices)"
    assert ws.cell(_ligne(ws, 2, "F15.A1"), colonne).value == "Incomplet : 2 offices sur 3"
    assert ws.cell(_ligne(ws, 2, "F06.A1"), colonne).value == "Aucun office renseigné (sur 3)"
    fiche = wb["F15 Locataires"]
    ligne = next(
        k
        for k in range(1, fiche.max_row + 1)
        if fiche.cell(k, 1).value == 2026 and fiche.cell(k, 2).value == "Inter-offices"
    )
    assert fiche.cell(ligne, 8).value == "Incomplet : 2 offices sur 3"
    donnees = wb["Données"]
    entetes = [c.value for c in donnees[1]]
    col = {t: entetes.index(t) for t in ("Code office", "Action", "Année", "Couverture")}
    couvertures = {
        row[col["Couverture"]]
        for row in donnees.iter_rows(min_row=2, values_only=True)
        if (row[col["Code office"]], row[col["Action"]], row[col["Année"]]) == (INTER, "F15.A1", 2026)
    }
    assert couvertures == {"Incomplet : 2 offices sur 3"}


def _graphe_de(chemin: Path, onglet: str) -> str:
    """The XML of the first chart drawn on a sheet of a written workbook."""
    with zipfile.ZipFile(chemin) as z:
        classeur = z.read("xl/workbook.xml").decode()
        rid = re.search(rf'<sheet name="{re.escape(onglet)}" sheetId="\d+" r:id="(rId\d+)"', classeur)
        assert rid is not None
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        feuille = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels)
        assert feuille is not None
        nom = feuille.group(1).rsplit("/", 1)[-1]
        dessin = re.search(
            r'Target="\.\./drawings/([^"]+)"', z.read(f"xl/worksheets/_rels/{nom}.rels").decode()
        )
        assert dessin is not None
        graphe = re.search(
            r'Target="\.\./charts/([^"]+)"', z.read(f"xl/drawings/_rels/{dessin.group(1)}.rels").decode()
        )
        assert graphe is not None
        return z.read(f"xl/charts/{graphe.group(1)}").decode()


def test_graphiques_sans_donnees_expliques(conso: Consolidation, tmp_path: Path) -> None:
    chemin = ecrire_synthese(conso, tmp_path / "synthese.xlsx")
    wb = openpyxl.load_workbook(chemin)
    # F15: NMH has no achievement in 2026: not drawn, and its row says why.
    f15 = wb["F15 Locataires"]
    libelles = [f15.cell(k, 2).value for k in range(1, 20)]
    assert "Nantes Métropole Habitat (non renseigné)" in libelles
    assert "Archipel habitat" in libelles
    series = _graphe_de(chemin, "F15 Locataires").count("<c:ser>")
    assert series == 3  # ARC, BMH and the offices together; NMH left out
    # « Atteinte moyenne par fiche »: an empty bar says why.
    ws = wb["Synthèse"]
    categories = [ws.cell(k, 3).value for k in range(1, ws.max_row + 1)]
    assert "F13 Numérique (non renseigné)" in categories  # no value at all
    assert "F02 Rénovation énergétique (sans objectif)" in categories  # values, no target
    assert "F15 Locataires" in categories  # 15.1 has an achievement
    assert any(isinstance(c, str) and c.startswith("Une fiche sans barre") for c in categories)


def test_onglet_renomme_lu_par_les_noms(tmp_path: Path) -> None:
    """« F12 Mobilité » renamed: the target, result and step are read, at most a warning."""
    office = trouver_office(CONV, "BMH")
    saisie = Saisie(
        valeurs={
            n("F12.A2", 2026, Champ.CIBLE): 0.05,
            n("F12.A1", 2026, Champ.CIBLE): 0.4,
            n("F12.A1", 2026, Champ.ETAPE): "En cours",
        },
        registres=BMH.registres,
    )
    chemin = tmp_path / "bmh.xlsx"
    ecrire_classeur(chemin, office, saisie)
    renommer_onglet(chemin, "F12 Mobilité", "F12 Mobilité durable")
    conso = consolider([chemin], annee=2026, aujourdhui=AUJOURDHUI)
    codes = [p.code for p in conso.rapport.problemes]
    assert "onglet-manquant" not in codes and "nom-manquant" not in codes
    assert "formule-ecrasee" not in codes  # the live formulas of the renamed sheet are still seen as such
    (renomme,) = [p for p in conso.rapport.problemes if p.code == "onglet-renomme"]
    assert renomme.gravite.value == "avertissement" and renomme.onglet == "F12 Mobilité durable"
    bmh = r(conso, "BMH", "F12.A1")
    assert (bmh.cible, bmh.etape, bmh.realise) == (0.4, "En cours", pytest.approx(2 / 3))
    assert bmh.sources["cible"].startswith("'F12 Mobilité durable'!")  # links go to the real sheet


def test_lignes_sous_le_tableau_signalees(tmp_path: Path) -> None:
    office = trouver_office(CONV, "ARC")
    lignes = [journal("F01.A1", D26)]
    sous = [journal("F01.A1", D26 + dt.timedelta(days=k)) for k in range(1, 4)]
    chemin = tmp_path / "arc.xlsx"
    ecrire_classeur(
        chemin, office, Saisie(registres={Registre.JOURNAL: lignes}, sous_tableaux={Registre.JOURNAL: sous})
    )
    lu = lire_classeur(chemin, CONV)
    (p,) = [p for p in lu.problemes if p.code == "lignes-hors-tableau"]
    # Header on row 4, one row and 200 empty rows in the table: the rows under it are 206 to 208.
    assert (p.onglet, p.cellule) == ("Journal des actions", "A206")
    assert "3 ligne(s)" in p.message and "lignes 206 à 208" in p.message and "tJournal" in p.message
    assert len(lu.registres[Registre.JOURNAL]) == 1  # not counted
    propre = tmp_path / "propre.xlsx"
    ecrire_classeur(propre, office, Saisie(registres={Registre.JOURNAL: lignes + sous}))
    assert not [p for p in lire_classeur(propre, CONV).problemes if p.code == "lignes-hors-tableau"]


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        ("85 000 €", 85_000),
        ("85\u00a0000\u00a0€", 85_000),
        ("1 234,56 €", 1234.56),
        ("1\u202f234,56\u00a0€", 1234.56),
        ("45 000 € HT", 45_000),
        ("1 234 h", 1234),
        ("1\u202f234\u00a0h", 1234),
    ],
)
def test_nombres_avec_unite(brut: str, attendu: float) -> None:
    lu = cv.en_nombre(brut)
    assert lu.ok and lu.valeur == pytest.approx(attendu)
    assert lu.note is not None and "ignorée" in lu.note


@pytest.mark.parametrize("brut", ["12 %", "12\u00a0%", "12\u202f%"])
def test_taux_avec_espaces(brut: str) -> None:
    lu = cv.en_taux(brut)
    assert lu.ok and lu.valeur == pytest.approx(0.12) and lu.note


@pytest.mark.parametrize("brut", ["abc €", "€", "1.234,5 €", "12 %"])
def test_nombres_toujours_refuses(brut: str) -> None:
    assert cv.en_nombre(brut).code == "type-invalide"


def test_montant_saisi_en_texte_dans_un_registre(tmp_path: Path) -> None:
    chemin = tmp_path / "arc.xlsx"
    marches = [marche(D26, "85 000 €", True)]  # type: ignore[arg-type]
    ecrire_classeur(chemin, trouver_office(CONV, "ARC"), Saisie(registres={Registre.MARCHES: marches}))
    lu = lire_classeur(chemin, CONV)
    (ligne,) = lu.registres[Registre.MARCHES]
    assert ligne.valeurs["montant_ht"] == 85_000 and not ligne.exclue
    assert [p.cellule for p in lu.problemes if p.code == "lecture-interpretee"] == ["H5"]


@pytest.mark.parametrize(("jour", "signale"), [(dt.date(2026, 12, 1), True), (AUJOURDHUI, False)])
def test_date_identite_apres_la_reference(tmp_path: Path, jour: dt.date, signale: bool) -> None:
    chemin = tmp_path / "arc.xlsx"
    ecrire_classeur(chemin, trouver_office(CONV, "ARC"), Saisie(valeurs={"ID_DATE": jour}))
    problemes = [
        p for p in valider([chemin], CONV, AUJOURDHUI).rapport.problemes if p.code == "date-maj-future"
    ]
    assert len(problemes) == signale
    if signale:
        assert problemes[0].onglet == "Identité" and "01/12/2026" in problemes[0].message


@pytest.mark.parametrize(
    ("lancement", "critere", "signale"),
    [
        (dt.date(2026, 8, 20), False, False),  # the day before: not yet compulsory
        (dt.date(2026, 8, 21), False, True),  # from 21 August 2026
        (dt.date(2026, 8, 21), True, False),
        (dt.date(2026, 10, 1), False, True),
    ],
)
def test_critere_environnemental_obligatoire(
    tmp_path: Path, lancement: dt.date, critere: bool, signale: bool
) -> None:
    chemin = tmp_path / "arc.xlsx"
    marches = [marche(lancement, 30_000, False, criteres_env=critere)]
    ecrire_classeur(chemin, trouver_office(CONV, "ARC"), Saisie(registres={Registre.MARCHES: marches}))
    rapport = valider([chemin], CONV, AUJOURDHUI).rapport
    problemes = [p for p in rapport.problemes if p.code == "critere-environnemental-obligatoire"]
    assert len(problemes) == signale
    if signale:
        (p,) = problemes
        assert p.cellule == "J5" and "L. 2152-7" in p.message and "21/08/2026" in p.message


def test_date_du_critere_environnemental_est_un_reglage(tmp_path: Path) -> None:
    conv = CONV.model_copy(
        update={
            "parametres": CONV.parametres.model_copy(
                update={"date_critere_environnemental": dt.date(2026, 1, 1)}
            )
        }
    )
    chemin = tmp_path / "arc.xlsx"
    marches = [marche(dt.date(2026, 3, 1), 30_000, False, criteres_env=False)]
    ecrire_classeur(chemin, trouver_office(CONV, "ARC"), Saisie(registres={Registre.MARCHES: marches}))
    codes = [p.code for p in valider([chemin], conv, AUJOURDHUI).rapport.problemes]
    assert "critere-environnemental-obligatoire" in codes

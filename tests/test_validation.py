"""Reading and validating office workbooks: every check of the catalogue, at the right cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rse_xl.controles import CATALOGUE, Gravite
from rse_xl.layout import MODELE_VERSION, Champ, champs_action, nom_defini
from rse_xl.lecture import lire_classeur
from rse_xl.modele import Formule, Plan, Saisie, ecrire_classeur, trouver_office
from rse_xl.referentiel import Convention, Mesure, Registre, referentiel
from rse_xl.validation import valider

AUJOURDHUI = dt.date(2026, 11, 30)
CONV = referentiel()
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}


def nom(code: str, annee: int, champ: Champ | str) -> str:
    return nom_defini(ACTIONS[code], annee, champ)


def classeur(
    tmp_path: Path,
    valeurs: dict[str, Any] | None = None,
    registres: dict[Registre, list[dict[str, Any]]] | None = None,
    office: str = "BMH",
    fichier: str = "classeur.xlsx",
) -> tuple[Path, Plan]:
    chemin = tmp_path / fichier
    identite = {
        "ID_REFERENT": "Anne Le Goff",
        "ID_EMAIL": "anne.legoff@bmh.fr",
        "ID_ETAT": "Soumis",
        "ID_DATE": dt.date(2026, 11, 20),
    }
    plan = ecrire_classeur(
        chemin, trouver_office(CONV, office), Saisie({**identite, **(valeurs or {})}, registres or {})
    )
    return chemin, plan


def problemes(chemin: Path, **kw: Any) -> list[tuple[str, str | None, str | None]]:
    v = valider([chemin], CONV, AUJOURDHUI, **kw)
    return [(p.code, p.onglet, p.cellule) for p in v.rapport.problemes]


def codes(chemin: Path) -> set[str]:
    return {c for c, _, _ in problemes(chemin)}


def trouve(chemin: Path, plan: Plan, code: str, nom_cellule: str) -> None:
    """The problem ``code`` is reported exactly at the cell named ``nom_cellule``."""
    onglet, ligne, col = plan.cellules[nom_cellule]
    from rse_xl.cellules import a1

    attendu = (code, onglet, a1(ligne, col))
    assert attendu in problemes(chemin), f"{attendu} absent de {problemes(chemin)}"


JOURNAL_OK = {
    "date": dt.date(2026, 3, 4),
    "action": "F01.A1",
    "intitule": "Réunion eau",
    "type": "Sensibilisation",
    "public": "Locataires",
}


# -- reading ------------------------------------------------------------------------------------------------


def test_classeur_vierge_lisible(classeur_vierge: tuple[Path, Plan], conv: Convention) -> None:
    lu = lire_classeur(classeur_vierge[0], conv)
    assert lu.lisible and lu.office is not None and lu.office.code == "BMH"
    assert lu.modele_version == MODELE_VERSION == 2
    assert not [p for p in lu.problemes if p.gravite is Gravite.ERREUR]
    attendu = sum(
        1
        for a in ACTIONS.values()
        for y, c in a.indicateur.cibles.items()
        for champ in champs_action(a)
        if not (champ is Champ.CIBLE and (c.valeur_fixe is not None or c.mesure is Mesure.JALON))
    )
    assert len(lu.saisies) == attendu
    assert set(lu.registres_presents) == set(Registre)


@pytest.mark.parametrize(
    ("code", "champ", "brut", "attendu"),
    [
        ("F09.A1", Champ.REALISE, "12,5", 12.5),  # quantity typed as French text
        ("F09.A1", Champ.REALISE, "1 234", 1234.0),  # thousands separator
        ("F09.A1", Champ.REALISE, "1\u202f234,5", 1234.5),
        ("F08.A1", Champ.REALISE, "45 %", 0.45),  # a rate with its sign
        ("F08.A1", Champ.REALISE, "0,45", 0.45),
        ("F08.A1", Champ.REALISE, 45, 0.45),  # 45 alone is read as 45 %
        ("F01.A1", Champ.REALISE, "12", 12),  # a number stored as text
        ("F01.A1", Champ.ETAPE, "réalisé ", "Réalisé"),  # case, trailing space
    ],
)
def test_lecture_tolerante(tmp_path: Path, code: str, champ: Champ, brut: Any, attendu: Any) -> None:
    chemin, plan = classeur(tmp_path, {nom(code, 2026, champ): brut})
    lu = lire_classeur(chemin, CONV)
    v = lu.saisie(code, 2026, champ)
    assert v is not None and v.valide
    assert v.valeur == pytest.approx(attendu) if isinstance(attendu, float) else v.valeur == attendu
    if not (isinstance(brut, str) and brut == attendu):
        trouve(chemin, plan, "lecture-interpretee", nom(code, 2026, champ))


def test_registre_tolerant(tmp_path: Path) -> None:
    ligne = {
        "reference": "M-1",
        "objet": "Entretien",
        "nature": "travaux ",  # case and space
        "procedure": "Procédure adaptée (MAPA)",
        "negociation": "oui",
        "date_lancement": "15/01/2026",  # a date typed as text
        "date_notification": dt.date(2026, 3, 1),
        "montant_ht": "45 000",
        "clause_variation": "x",
        "criteres_env": "Non",
        "clause_insertion": "OUI",
        "reserve": "Non",
    }
    chemin, _ = classeur(tmp_path, registres={Registre.MARCHES: [ligne]})
    lu = lire_classeur(chemin, CONV)
    (r,) = lu.registres[Registre.MARCHES]
    assert r.valeurs["nature"] == "Travaux"
    assert r.valeurs["negociation"] is True and r.valeurs["clause_variation"] is True
    assert r.valeurs["date_lancement"] == dt.date(2026, 1, 15)
    assert r.valeurs["montant_ht"] == 45000
    assert not r.exclue
    assert r.numero == 5  # header on row 4 of the sheet
    notes = [p for p in lu.problemes if p.code == "lecture-interpretee"]
    assert {p.cellule for p in notes} >= {"C5", "E5", "F5", "H5", "I5", "K5"}


# -- checks on typed values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code_action", "champ", "brut", "controle"),
    [
        ("F01.A1", Champ.REALISE, "douze", "type-invalide"),
        ("F01.A1", Champ.REALISE, -3, "nombre-negatif"),
        ("F01.A1", Champ.REALISE, 2.5, "nombre-non-entier"),
        ("F08.A1", Champ.REALISE, "145 %", "taux-hors-bornes"),
        ("F01.A1", Champ.ETAPE, "Fini", "valeur-hors-liste"),
        ("F01.A1", Champ.REALISE, Formule("=1/0", "#DIV/0!"), "erreur-formule"),
        ("F01.A1", Champ.CIBLE, Formule("=NA()", "#N/A"), "erreur-formule"),
    ],
)
def test_valeur_invalide(tmp_path: Path, code_action: str, champ: Champ, brut: Any, controle: str) -> None:
    chemin, plan = classeur(tmp_path, {nom(code_action, 2026, champ): brut})
    trouve(chemin, plan, controle, nom(code_action, 2026, champ))
    assert CATALOGUE[controle].gravite is Gravite.ERREUR
    lu = lire_classeur(chemin, CONV)
    v = lu.saisie(code_action, 2026, champ)
    assert v is not None and not v.valide


def test_ratio(tmp_path: Path) -> None:
    chemin, plan = classeur(
        tmp_path,
        {
            nom("F08.A1", 2026, Champ.NUMERATEUR): 12,
            nom("F08.A1", 2026, Champ.DENOMINATEUR): 10,
            nom("F08.A1", 2025, Champ.NUMERATEUR): 3,
            nom("F08.A1", 2025, Champ.DENOMINATEUR): 0,
            nom("F08.A1", 2027, Champ.NUMERATEUR): 5,
            nom("F08.A1", 2027, Champ.DENOMINATEUR): 10,
            nom("F08.A1", 2027, Champ.REALISE): 0.8,
        },
    )
    trouve(chemin, plan, "numerateur-superieur", nom("F08.A1", 2026, Champ.NUMERATEUR))
    trouve(chemin, plan, "denominateur-nul", nom("F08.A1", 2025, Champ.DENOMINATEUR))
    trouve(chemin, plan, "ratio-incoherent", nom("F08.A1", 2027, Champ.REALISE))


def test_justificatif_et_valeurs_manquantes(tmp_path: Path) -> None:
    chemin, plan = classeur(tmp_path, {nom("F07.A2", 2025, Champ.ETAPE): "Réalisé"})
    trouve(chemin, plan, "justificatif-manquant", nom("F07.A2", 2025, Champ.JUSTIFICATIF))
    trouve(chemin, plan, "valeur-manquante", nom("F01.A1", 2026, Champ.CIBLE))
    trouve(chemin, plan, "valeur-manquante", nom("F01.A1", 2025, Champ.ETAPE))
    # A future year is not yet due.
    assert ("valeur-manquante",) not in [
        (c,)
        for c, o, cel in problemes(chemin)
        if (o, cel) == plan.cellules[nom("F01.A1", 2027, Champ.CIBLE)][:2]
    ]


def test_ecart_avec_registre(tmp_path: Path) -> None:
    journal = [JOURNAL_OK, {**JOURNAL_OK, "date": dt.date(2026, 5, 1)}]
    chemin, plan = classeur(
        tmp_path,
        {nom("F01.A1", 2026, Champ.REALISE): 5, nom("F01.A1", 2025, Champ.REALISE): 0},
        {Registre.JOURNAL: journal},
    )
    trouve(chemin, plan, "ecart-registre", nom("F01.A1", 2026, Champ.REALISE))
    assert (
        "ecart-registre",
        *plan.reference(nom("F01.A1", 2025, Champ.REALISE)).split("!"),
    ) not in problemes(chemin)


def test_formule_ecrasee(tmp_path: Path) -> None:
    chemin, plan = classeur(tmp_path, {nom("F01.A1", 2026, "CALCULE"): 12})
    trouve(chemin, plan, "formule-ecrasee", nom("F01.A1", 2026, "CALCULE"))


# -- checks on registers ------------------------------------------------------------------------------------


def _operation(**kw: Any) -> dict[str, Any]:
    return {
        "reference": "OP-1",
        "nom": "Résidence des Lilas",
        "type": "Réhabilitation",
        "logements": 40,
        "date_lancement": dt.date(2025, 3, 1),
        "date_livraison": dt.date(2026, 6, 1),
        "dpe_avant": "F",
        "dpe_apres": "C",
        "biosource": "Non",
        **kw,
    }


@pytest.mark.parametrize(
    ("ligne", "controle", "colonne"),
    [
        (_operation(dpe_apres="H"), "classe-dpe-invalide", "H"),
        (_operation(dpe_avant="C", dpe_apres="E"), "dpe-degrade", "H"),
        (
            _operation(methode_avant="DPE 2021", methode_apres="DPE 2026 (coefficient électricité 1,9)"),
            "methode-dpe-differente",
            "J",
        ),
        (_operation(dpe_apres=None), "ligne-a-completer", "H"),
        (_operation(logements=None), "ligne-incomplete", "D"),
        (_operation(date_livraison=dt.date(2024, 1, 1)), "dates-incoherentes", "F"),
        (_operation(date_livraison=dt.date(2027, 6, 1)), "date-future", "F"),
        (_operation(date_lancement=dt.date(1926, 3, 1)), "date-invraisemblable", "E"),
        (_operation(logements="quarante"), "type-invalide", "D"),
        (_operation(logements=-4), "nombre-negatif", "D"),
        (_operation(type="Neuf"), "valeur-hors-liste", "C"),
    ],
)
def test_controles_operations(tmp_path: Path, ligne: dict[str, Any], controle: str, colonne: str) -> None:
    chemin, _ = classeur(tmp_path, registres={Registre.OPERATIONS: [ligne]})
    assert (controle, "Opérations", f"{colonne}5") in problemes(chemin)
    lu = lire_classeur(chemin, CONV)
    valider([chemin], CONV, AUJOURDHUI)
    if CATALOGUE[controle].gravite is Gravite.ERREUR:
        v = valider([chemin], CONV, AUJOURDHUI).classeurs[0]
        assert v.registres[Registre.OPERATIONS][0].exclue, "une ligne en erreur doit être écartée des calculs"
    assert lu.registres[Registre.OPERATIONS]


def test_journal(tmp_path: Path) -> None:
    lignes = [
        {**JOURNAL_OK, "action": "F17.A1"},
        {**JOURNAL_OK, "date": dt.date(2023, 5, 1)},
        {**JOURNAL_OK, "action": "F07.A1"},
        {**JOURNAL_OK, "intitule": None},
    ]
    chemin, _ = classeur(tmp_path, registres={Registre.JOURNAL: lignes})
    p = problemes(chemin)
    assert ("code-action-inconnu", "Journal des actions", "B5") in p
    assert ("date-hors-periode", "Journal des actions", "A6") in p
    assert ("ligne-a-completer", "Journal des actions", "G7") in p
    assert ("ligne-incomplete", "Journal des actions", "C8") in p


def test_donnees_annuelles(tmp_path: Path) -> None:
    lignes = [{"annee": 2025, "bilan_total": 100.0, "bilan_deplacements": 120.0}]
    chemin, _ = classeur(tmp_path, registres={Registre.DONNEES_ANNUELLES: lignes})
    assert ("numerateur-superieur", "Données annuelles", "D5") in problemes(chemin)


# -- identity, template, files ------------------------------------------------------------------------------


def test_identite(tmp_path: Path) -> None:
    chemin, plan = classeur(
        tmp_path, {"ID_OFFICE": "OPH de Quimper", "ID_EMAIL": "anne.legoff", "ID_ETAT": "Brouillon"}
    )
    trouve(chemin, plan, "office-inconnu", "ID_OFFICE")
    trouve(chemin, plan, "email-invalide", "ID_EMAIL")
    trouve(chemin, plan, "saisie-brouillon", "ID_ETAT")
    chemin, plan = classeur(tmp_path, {"ID_OFFICE": None}, fichier="vide.xlsx")
    trouve(chemin, plan, "office-manquant", "ID_OFFICE")
    chemin, plan = classeur(tmp_path, {"ID_OFFICE": "Archipel habitat"}, fichier="autre.xlsx")
    trouve(chemin, plan, "office-incoherent", "ID_OFFICE")


def test_office_en_double(tmp_path: Path) -> None:
    a, _ = classeur(tmp_path, fichier="bmh.xlsx")
    b, _ = classeur(tmp_path, fichier="bmh (copie).xlsx")
    c, _ = classeur(tmp_path, office="NMH", fichier="nmh.xlsx")
    v = valider([a, b, c], CONV, AUJOURDHUI)
    doubles = [p for p in v.rapport.problemes if p.code == "office-en-double"]
    assert {Path(p.fichier).name for p in doubles} == {"bmh.xlsx", "bmh (copie).xlsx"}
    assert [x.fichier for x in v.retenus] == ["nmh.xlsx"]


@pytest.mark.parametrize(
    ("version", "controle"), [(99, "version-modele-inconnue"), (0, "version-modele-ancienne")]
)
def test_version_modele(tmp_path: Path, version: int, controle: str) -> None:
    chemin, _ = classeur(tmp_path, {"RSE_MODELE_VERSION": version})
    assert controle in codes(chemin)
    assert not valider([chemin], CONV, AUJOURDHUI).retenus


def test_classeur_hors_modele(tmp_path: Path) -> None:
    chemin = tmp_path / "perso.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "mes chiffres"
    wb.save(chemin)
    assert codes(chemin) == {"modele-inconnu"}


def test_onglet_supprime_et_fusion(copie_vierge: Path) -> None:
    wb = openpyxl.load_workbook(copie_vierge)
    del wb["F05 Biosourcés"]
    wb["F03 Relation fournisseurs"].merge_cells("E10:F10")
    wb.save(copie_vierge)
    p = problemes(copie_vierge)
    assert ("onglet-manquant", "F05 Biosourcés", None) in p
    assert ("cellule-fusionnee", "F03 Relation fournisseurs", "E10") in p


def test_tableau_et_colonne_manquants(copie_vierge: Path) -> None:
    wb = openpyxl.load_workbook(copie_vierge)
    del wb["Véhicules"].tables["tVehicules"]
    ws = wb["Marchés"]
    ws["H4"] = "Montant"
    ws.tables["tMarches"].tableColumns[7].name = "Montant"
    wb.save(copie_vierge)
    p = problemes(copie_vierge)
    assert ("tableau-manquant", "Véhicules", None) in p
    assert ("colonne-manquante", "Marchés", None) in p

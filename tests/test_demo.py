"""The demo generator: reproducible, realistic, within the layout's lists, and true to the registers."""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from rse_xl import demo
from rse_xl.demo import ANOMALIES_DEMO, ELEMENTS_COMMUNS, actions_journal, ecrire_demo, generer_saisie
from rse_xl.errors import EntreeError
from rse_xl.layout import (
    ETATS_ETAPE,
    IDENTITE,
    MATERIAUX,
    REGISTRES,
    TYPES_AVEC_RATIO,
    Champ,
    TypeColonne,
    champs_action,
    nom_defini,
)
from rse_xl.modele import Saisie, ecrire_classeur, nom_fichier_modele
from rse_xl.referentiel import ANNEES, Action, Registre, TypeIndicateur, referentiel
from rse_xl.regles import calculer, normaliser_element
from rse_xl.tolerances import concordent

CONVENTION = referentiel()
OFFICES = CONVENTION.offices
ACTIONS = [a for f in CONVENTION.fiches for a in f.actions]
CODES_ACTIONS = {a.code for a in ACTIONS}
REGISTRES_PROPORTIONNELS = [r for r, spec in REGISTRES.items() if not spec.lignes_fixes]
TAILLES = {  # rows at scale 1, from the brief
    Registre.MARCHES: (40, 80),
    Registre.OPERATIONS: (15, 30),
    Registre.VEHICULES: (30, 60),
    Registre.EQUIPEMENTS: (100, 200),
    Registre.JOURNAL: (80, 150),
    Registre.REEMPLOI: (10, 30),
}


@pytest.fixture(scope="module")
def saisies() -> dict[str, Saisie]:
    return {o.code: generer_saisie(o) for o in OFFICES}


@pytest.fixture(scope="module")
def saisies_propres() -> dict[str, Saisie]:
    return {o.code: generer_saisie(o, anomalies=False) for o in OFFICES}


def _office(code: str):
    return next(o for o in OFFICES if o.code == code)


def _empreinte(saisie: Saisie) -> str:
    lignes = {r.value: [sorted(ligne.items()) for ligne in rows] for r, rows in saisie.registres.items()}
    return hashlib.sha256(repr((sorted(saisie.valeurs.items()), sorted(lignes.items()))).encode()).hexdigest()


# --- Reproducibility ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.code)
def test_meme_graine_meme_saisie(office):
    a, b = generer_saisie(office, graine=7), generer_saisie(office, graine=7)
    assert a == b
    assert _empreinte(a) == _empreinte(b)
    assert _empreinte(generer_saisie(office, graine=8)) != _empreinte(a)


def test_independant_du_hachage_des_chaines():
    """Same data in another process with another PYTHONHASHSEED: no dependence on set order."""
    script = (
        "import hashlib\n"
        "from rse_xl.modele import Saisie\n"
        "from rse_xl.referentiel import referentiel\n"
        "from rse_xl.demo import generer_saisie\n"
        + inspect.getsource(_empreinte)
        + "print(' '.join(_empreinte(generer_saisie(o, graine=3)) for o in referentiel().offices))\n"
    )
    racine = Path(__file__).resolve().parents[1]
    sorties = set()
    for graine_hachage in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": graine_hachage}
        r = subprocess.run(
            [sys.executable, "-c", script], cwd=racine, env=env, capture_output=True, text=True, check=True
        )
        sorties.add(r.stdout.strip())
    attendu = " ".join(_empreinte(generer_saisie(o, graine=3)) for o in OFFICES)
    assert sorties == {attendu}


def test_pas_de_hasard_global():
    import random

    etat = random.getstate()
    generer_saisie(OFFICES[0], graine=1)
    assert random.getstate() == etat


def test_ecrire_demo_deux_fois_memes_octets(tmp_path):
    premiers = ecrire_demo(tmp_path / "a")
    seconds = ecrire_demo(tmp_path / "b")
    assert [p.name for p in premiers] == [nom_fichier_modele(o) for o in OFFICES]
    for p, q in zip(premiers, seconds, strict=True):
        assert p.read_bytes() == q.read_bytes(), p.name


def test_offices_differents(saisies):
    empreintes = {_empreinte(s) for s in saisies.values()}
    assert len(empreintes) == 3
    tailles = {code: len(s.registres[Registre.MARCHES]) for code, s in saisies.items()}
    assert len(set(tailles.values())) > 1
    assert tailles["BMH"] == max(tailles.values())  # Brest's purchasing register is the biggest


# --- Registers ---------------------------------------------------------------------------------------------


def _valeur_conforme(col, v) -> bool:
    t = col.type
    if t is TypeColonne.DATE:
        return isinstance(v, dt.date) and not isinstance(v, dt.datetime) and dt.date(2014, 1, 1) <= v
    if t in (TypeColonne.ENTIER, TypeColonne.ANNEE):
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0
    if t in (TypeColonne.DECIMAL, TypeColonne.MONTANT):
        return isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
    if t is TypeColonne.LISTE:
        return v in col.valeurs
    if t is TypeColonne.OUI_NON:
        return isinstance(v, bool)
    if t is TypeColonne.LIEN:
        return isinstance(v, str) and v.startswith("https://")
    if t is TypeColonne.CODE_ACTION:
        return v in CODES_ACTIONS
    return isinstance(v, str) and v.strip() == v and v != ""


@pytest.mark.parametrize("anomalies", [True, False])
@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.code)
def test_registres_conformes_au_layout(office, anomalies):
    saisie = generer_saisie(office, graine=2, anomalies=anomalies)
    assert set(saisie.registres) == set(REGISTRES)
    for registre, lignes in saisie.registres.items():
        spec = REGISTRES[registre]
        cles = {c.cle for c in spec.colonnes}
        for i, ligne in enumerate(lignes):
            assert set(ligne) == cles, (registre, i)
            for col in spec.colonnes:
                v = ligne[col.cle]
                if v is None:
                    assert not col.requis, (registre, i, col.cle)
                    continue
                assert _valeur_conforme(col, v), (registre, i, col.cle, v)
                if isinstance(v, dt.date):
                    assert v <= dt.date(2026, 11, 30), (registre, i, col.cle, v)


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.code)
def test_tailles_des_registres(saisies, office):
    saisie = saisies[office.code]
    for registre, (bas, haut) in TAILLES.items():
        assert bas <= len(saisie.registres[registre]) <= haut, registre
    assert [r["annee"] for r in saisie.registres[Registre.DONNEES_ANNUELLES]] == [2025, 2026]


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.code)
def test_tailles_proportionnelles_a_l_echelle(office):
    un = generer_saisie(office, graine=4, echelle=1)
    quatre = generer_saisie(office, graine=4, echelle=4)
    for registre in REGISTRES_PROPORTIONNELS:
        rapport = len(quatre.registres[registre]) / len(un.registres[registre])
        assert 3.3 <= rapport <= 4.7, (registre, rapport)
    assert len(quatre.registres[Registre.DONNEES_ANNUELLES]) == 2


def test_echelle_benchmark_plusieurs_centaines():
    saisie = generer_saisie(_office("BMH"), echelle=5)
    for registre in (Registre.MARCHES, Registre.EQUIPEMENTS, Registre.JOURNAL, Registre.VEHICULES):
        assert len(saisie.registres[registre]) >= 150, registre


@pytest.mark.parametrize("echelle", [0, -1, float("nan")])
def test_echelle_invalide(echelle):
    with pytest.raises(EntreeError, match="échelle"):
        generer_saisie(OFFICES[0], echelle=echelle)


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.code)
def test_journal_couvre_chaque_action_et_annee(saisies, office):
    journal = saisies[office.code].registres[Registre.JOURNAL]
    codes = {a.code for a in actions_journal()}
    assert codes == set(demo.VOLUMES_JOURNAL)
    for code in codes:
        for annee in (2025, 2026):
            assert any(r["action"] == code and r["date"].year == annee for r in journal), (code, annee)
    assert all(r["date"].year in (2025, 2026) for r in journal)


def test_elements_communs_dans_les_trois_offices(saisies):
    par_office = {
        code: {r["commun"] for r in s.registres[Registre.JOURNAL] if r["commun"]}
        for code, s in saisies.items()
    }
    communs_a_tous = [e.commun for e in ELEMENTS_COMMUNS if len(e.offices) == 3]
    assert {"ATELIER-2026-01", "EXPE-2026-01"} <= set(communs_a_tous)
    for code, ids in par_office.items():
        assert set(communs_a_tous) <= ids, code
    # Same date and action for the same identifier everywhere.
    vus: dict[str, tuple] = {}
    for s in saisies.values():
        for r in s.registres[Registre.JOURNAL]:
            if r["commun"]:
                assert vus.setdefault(r["commun"], (r["action"], r["date"])) == (r["action"], r["date"])
    # Each office also has items of its own, and a shared item counts once in the union.
    for code in ("F16.A1", "F16.A2"):
        action = next(a for a in ACTIONS if a.code == code)
        calculs = [calculer(action, 2026, s.registres, CONVENTION.parametres) for s in saisies.values()]
        union = frozenset().union(*(c.elements for c in calculs))
        assert len(union) < sum(c.valeur for c in calculs)
        assert any(e.startswith("ligne:") for c in calculs for e in c.elements)


def test_doublon_d_un_atelier_commun_compte_une_fois(saisies):
    journal = saisies["BMH"].registres[Registre.JOURNAL]
    assert sum(r["commun"] == "ATELIER-2026-01" for r in journal) == 2
    action = next(a for a in ACTIONS if a.code == "F16.A1")
    calcul = calculer(action, 2026, saisies["BMH"].registres, CONVENTION.parametres)
    assert calcul.valeur == len(calcul.elements) < len(calcul.lignes)


def test_materiaux_union_plus_large(saisies):
    types = {
        code: {
            normaliser_element(r["materiau"]) for r in s.registres[Registre.REEMPLOI] if r["annee"] == 2026
        }
        for code, s in saisies.items()
    }
    communs = set.intersection(*types.values())
    assert {normaliser_element("Bois"), normaliser_element("Métaux")} <= communs
    union = set.union(*types.values())
    assert all(len(union) > len(t) for t in types.values())
    libres = {
        (code, r["materiau"])
        for code, s in saisies.items()
        for r in s.registres[Registre.REEMPLOI]
        if r["materiau"] not in MATERIAUX
    }
    assert {code for code, _ in libres} == {"BMH"}


def test_chiffres_plausibles(saisies):
    for code, s in saisies.items():
        marches = s.registres[Registre.MARCHES]
        montants = [r["montant_ht"] for r in marches]
        assert min(montants) >= 5_000 and max(montants) <= 2_000_000
        assert sum(m > 40_000 for m in montants) / len(montants) > 0.5
        negociables = [r for r in marches if r["procedure"] in demo.PROCEDURES_NEGOCIATION]
        assert sum(r["negociation"] for r in negociables) / len(negociables) > 0.7
        assert not any(r["negociation"] for r in marches if r["procedure"].startswith("Appel d'offres"))
        reserves_2026 = [
            r
            for r in marches
            if r["reserve"] != "Non" and r["date_notification"] and r["date_notification"].year == 2026
        ]
        assert reserves_2026, code
        heures = [r for r in marches if r["heures_insertion"]]
        assert all(r["clause_insertion"] for r in heures)
        assert sum(r["heures_insertion"] for r in heures if r["nature"] == "Travaux") > sum(
            r["heures_insertion"] for r in heures if r["nature"] != "Travaux"
        )
        rehab = [r for r in s.registres[Registre.OPERATIONS] if r["type"] == "Réhabilitation"]
        avant = [r["dpe_avant"] for r in rehab]
        assert sum(c in "EFG" for c in avant) / len(avant) >= 0.7
        assert all(r["dpe_apres"] in (None, "B", "C", "D") for r in rehab)
        donnees = {r["annee"]: r for r in s.registres[Registre.DONNEES_ANNUELLES]}
        parts = {a: r["bilan_deplacements"] / r["bilan_total"] for a, r in donnees.items()}
        assert all(0.05 <= p <= 0.15 for p in parts.values()) and parts[2026] < parts[2025]
        assert donnees[2026]["stockage_to"] < donnees[2025]["stockage_to"]
        assert all(1_000 <= r["bilan_total"] <= 99_999 for r in donnees.values())
        assert all(100 <= r["locataires_sondes"] <= 999 for r in donnees.values())
        duree = next(a for a in ACTIONS if a.code == "F13.A1")
        for annee in (2025, 2026):
            c = calculer(duree, annee, s.registres, CONVENTION.parametres)
            assert c is not None and 3 <= c.valeur <= 9


# --- Fiche sheets ------------------------------------------------------------------------------------------


def _noms(action: Action, annee: int) -> dict[Champ, str]:
    return {c: nom_defini(action, annee, c) for c in Champ}


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.code)
def test_realise_egal_aux_registres_sans_anomalie(saisies_propres, office):
    saisie = saisies_propres[office.code]
    for action in ACTIONS:
        for annee in ANNEES:
            noms = _noms(action, annee)
            calcul = calculer(action, annee, saisie.registres, CONVENTION.parametres)
            if calcul is None or annee == 2027 or calcul.valeur is None:
                assert noms[Champ.REALISE] not in saisie.valeurs
                continue
            saisi = saisie.valeurs[noms[Champ.REALISE]]
            assert concordent(action, saisi, calcul.valeur), (action.code, annee, saisi, calcul.valeur)
            kind = action.indicateur.type
            if kind in TYPES_AVEC_RATIO:
                assert saisi == round(calcul.valeur, 3)
                assert saisie.valeurs[noms[Champ.NUMERATEUR]] == pytest.approx(calcul.numerateur)
                assert saisie.valeurs[noms[Champ.DENOMINATEUR]] == pytest.approx(calcul.denominateur)
            elif kind is TypeIndicateur.MOYENNE_PAR_TYPE:
                assert saisi == pytest.approx(calcul.valeur, abs=0.05)
            else:
                assert saisi == pytest.approx(calcul.valeur)


@pytest.mark.parametrize("office", OFFICES, ids=lambda o: o.code)
def test_champs_des_fiches(saisies_propres, office):
    saisie = saisies_propres[office.code]
    existants = {nom_defini(a, y, c) for a in ACTIONS for y in ANNEES for c in champs_action(a)}
    assert set(saisie.valeurs) - {c.nom for c in IDENTITE} <= existants
    etapes = {y: [] for y in ANNEES}
    for action in ACTIONS:
        for annee in ANNEES:
            noms = _noms(action, annee)
            etape = saisie.valeurs[noms[Champ.ETAPE]]
            assert etape in ETATS_ETAPE
            etapes[annee].append(etape)
            cible = action.indicateur.cibles[annee]
            if cible.fixee_par_office and Champ.CIBLE in champs_action(action):
                v = saisie.valeurs[noms[Champ.CIBLE]]
                assert isinstance(v, int | float) and v > 0, (action.code, annee)
                if action.indicateur.type in TYPES_AVEC_RATIO:
                    assert 0 < v <= 1
            else:
                assert noms[Champ.CIBLE] not in saisie.valeurs, (action.code, annee)
            justificatif = saisie.valeurs.get(noms[Champ.JUSTIFICATIF])
            if etape == "Réalisé":
                assert justificatif == (
                    f"https://intranet.{demo.profil(office).domaine}/rse/"
                    f"{action.code.replace('.', '-')}-{annee}.pdf"
                )
            commentaire = saisie.valeurs.get(noms[Champ.COMMENTAIRE])
            if commentaire is not None:
                assert commentaire[0] not in "=+-@", commentaire
    assert etapes[2025].count("Réalisé") / len(etapes[2025]) > 0.65
    assert set(etapes[2026]) <= {"En cours", "Réalisé"} and len(set(etapes[2026])) == 2
    assert set(etapes[2027]) == {"Non démarré"}
    assert sum(nom.endswith("_COMMENTAIRE") for nom in saisie.valeurs) >= 10
    f12 = next(a for a in ACTIONS if a.code == "F12.A2")
    assert 0 < saisie.valeurs[nom_defini(f12, 2026, Champ.CIBLE)] < 0.2


def test_flotte_de_plus_en_plus_electrique(saisies):
    """The three offices together (ratio of sums, as 12.1 consolidates): the electric share grows."""
    vehicules = next(a for a in ACTIONS if a.code == "F12.A1")
    parts = {}
    for annee in (2025, 2026):
        calculs = [calculer(vehicules, annee, s.registres, CONVENTION.parametres) for s in saisies.values()]
        parts[annee] = sum(c.numerateur for c in calculs) / sum(c.denominateur for c in calculs)
    assert 0.2 < parts[2025] < parts[2026] < 0.8


def test_identite(saisies):
    etats = {}
    for code, s in saisies.items():
        v = s.valeurs
        assert v["ID_OFFICE"] == _office(code).nom
        prenom, _, nom = v["ID_REFERENT"].partition(" ")
        assert prenom and nom
        assert v["ID_EMAIL"].endswith("@" + demo.profil(_office(code)).domaine)
        assert v["ID_EMAIL"].split("@")[0] == v["ID_EMAIL"].split("@")[0].lower().encode("ascii").decode()
        assert v["ID_FONCTION"] and v["ID_TELEPHONE"].startswith("02 ")
        assert v["ID_DATE"].year == 2026 and v["ID_DATE"].month == 11
        etats[code] = v["ID_ETAT"]
    assert sorted(etats.values()) == ["Brouillon", "Soumis", "Soumis"]


# --- Anomalies ---------------------------------------------------------------------------------------------


def test_anomalies_documentees_et_differentes_par_office():
    assert {a.office for a in ANOMALIES_DEMO} == {"ARC", "BMH", "NMH"}
    assert len({a.ou for a in ANOMALIES_DEMO}) == len(ANOMALIES_DEMO)


def test_anomalies_presentes(saisies, saisies_propres):
    arc, bmh, nmh = saisies["ARC"], saisies["BMH"], saisies["NMH"]
    assert arc.valeurs["F07_A1_2026_COMMENTAIRE"] == demo.COMMENTAIRE_FORMULE
    assert bmh.valeurs["F09_A1_2025_COMMENTAIRE"].startswith("+")
    premiere_f04 = next(
        r for r in arc.registres[Registre.JOURNAL] if r["action"] == "F04.A2" and r["date"].year == 2026
    )
    assert premiere_f04["public"] is None
    f01 = next(a for a in ACTIONS if a.code == "F01.A1")
    calcul = calculer(f01, 2026, bmh.registres, CONVENTION.parametres)
    assert bmh.valeurs["F01_A1_2026_REALISE"] == calcul.valeur + 2
    assert nmh.valeurs["F07_A2_2025_ETAPE"] == "Réalisé"
    assert "F07_A2_2025_JUSTIFICATIF" not in nmh.valeurs
    livrees_sans_dpe = [
        r
        for r in nmh.registres[Registre.OPERATIONS]
        if r["type"] == "Réhabilitation" and r["date_livraison"] and r["dpe_apres"] is None
    ]
    assert len(livrees_sans_dpe) == 1 and livrees_sans_dpe[0]["date_livraison"].year == 2026
    # Without anomalies none of them, and the rest of the data is unchanged.
    for code in ("ARC", "BMH", "NMH"):
        propre = saisies_propres[code]
        assert all(r["public"] for r in propre.registres[Registre.JOURNAL])
        assert all(
            r["dpe_apres"] for r in propre.registres[Registre.OPERATIONS] if r["type"] == "Réhabilitation"
        )
        assert [r["date"] for r in propre.registres[Registre.JOURNAL]] == [
            r["date"] for r in saisies[code].registres[Registre.JOURNAL]
        ]


# --- Written workbook --------------------------------------------------------------------------------------


def _cellule(wb, nom: str):
    onglet, ref = next(iter(wb.defined_names[nom].destinations))
    return wb[onglet][ref.replace("$", "")]


def test_classeur_s_ouvre_avec_les_onglets_du_modele_vierge(tmp_path):
    arc = _office("ARC")
    vierge = tmp_path / "vierge.xlsx"
    ecrire_classeur(vierge, arc)
    (chemin,) = ecrire_demo(tmp_path / "demo", offices=[arc])
    attendu = openpyxl.load_workbook(vierge).sheetnames
    wb = openpyxl.load_workbook(chemin)
    assert wb.sheetnames == attendu
    saisie = generer_saisie(arc)
    # Formula-looking text stays text.
    commentaire = _cellule(wb, "F07_A1_2026_COMMENTAIRE")
    assert commentaire.data_type == "s" and commentaire.value == demo.COMMENTAIRE_FORMULE
    assert _cellule(wb, "ID_EMAIL").value == saisie.valeurs["ID_EMAIL"]
    assert _cellule(wb, "F03_A3_2025_REALISE").value == saisie.valeurs["F03_A3_2025_REALISE"]
    ws = wb["Journal des actions"]
    table = ws.tables["tJournal"]
    premiere, derniere = table.ref.split(":")
    lignes = int("".join(c for c in derniere if c.isdigit())) - int(
        "".join(c for c in premiere if c.isdigit())
    )
    assert lignes == len(saisie.registres[Registre.JOURNAL]) + REGISTRES[Registre.JOURNAL].lignes_vides
    premiere_ligne = saisie.registres[Registre.JOURNAL][0]
    debut = int("".join(c for c in premiere if c.isdigit())) + 1
    assert ws.cell(debut, 1).value.date() == premiere_ligne["date"]
    assert ws.cell(debut, 2).value == premiere_ligne["action"]

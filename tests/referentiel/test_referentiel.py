"""The shipped référentiel: shape, annotations, and rejection of malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import rse_xl.referentiel as module_referentiel
from rse_xl.errors import ReferentielError
from rse_xl.referentiel import (
    ANNEES,
    Convention,
    Mesure,
    Sens,
    TypeIndicateur,
    charger_referentiel,
)

FICHIER = Path(module_referentiel.__file__).with_name("convention.yaml")


@pytest.fixture(scope="module")
def convention() -> Convention:
    return charger_referentiel()


def _actions(convention: Convention):
    return {a.code: a for f in convention.fiches for a in f.actions}


def test_en_tete(convention):
    assert convention.titre == "Convention RSE inter-offices 2025-2027"
    assert convention.periode == ANNEES == (2025, 2026, 2027)
    assert [(o.code, o.nom) for o in convention.offices] == [
        ("ARC", "Archipel habitat"),
        ("BMH", "Brest métropole habitat"),
        ("NMH", "Nantes Métropole Habitat"),
    ]
    p = convention.parametres
    assert p.seuil_marches_ht == 40_000
    assert p.annee_reference == 2025
    assert (p.seuils_statut.atteint, p.seuils_statut.en_bonne_voie) == (1.0, 0.8)


def test_seize_fiches_et_trente_six_actions(convention):
    assert [f.numero for f in convention.fiches] == list(range(1, 17))
    assert sum(len(f.actions) for f in convention.fiches) == 36
    assert [len(f.actions) for f in convention.fiches] == [2, 2, 3, 2, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2]


def test_codes_uniques(convention):
    codes = [a.code for f in convention.fiches for a in f.actions]
    assert len(codes) == len(set(codes)) == 36
    for f in convention.fiches:
        assert [a.code for a in f.actions] == [f"F{f.numero:02d}.A{i}" for i in range(1, len(f.actions) + 1)]


def test_actions_non_numerotees(convention):
    sans_numero = {a.code for a in _actions(convention).values() if not a.numerotee}
    assert sans_numero == {"F01.A2", "F03.A3", "F04.A2", "F12.A2", "F15.A3"}


def test_trois_annees_partout(convention):
    for action in _actions(convention).values():
        assert tuple(sorted(action.calendrier)) == ANNEES, action.code
        assert tuple(sorted(action.indicateur.cibles)) == ANNEES, action.code
        assert all(action.calendrier.values()), action.code


def test_fiches_completes(convention):
    for f in convention.fiches:
        assert f.titre and f.contexte and f.objectifs, f.numero
        assert all("**" not in o for o in f.objectifs), f.numero
        for a in f.actions:
            assert a.finalites and a.declinaisons and a.pilotes and a.moyens, a.code


# (code, année) -> (mesure, valeur_fixe, jalon) : les cibles qui ne sont pas « fixées par l'office »
PUBLICATION = "Publication trimestrielle du calendrier sur l'année concernée et actions ciblées"
CIBLES_PARTICULIERES = {
    ("F01.A2", 2025): (Mesure.VALEUR, None, "État des lieux"),
    ("F01.A2", 2027): (Mesure.VALEUR, None, "Mise en place d'un référentiel"),
    ("F03.A1", 2025): (Mesure.JALON, None, "Création du calendrier et désignation des référents"),
    ("F03.A1", 2026): (Mesure.VALEUR, None, PUBLICATION),
    ("F03.A1", 2027): (Mesure.VALEUR, None, PUBLICATION),
    ("F03.A2", 2025): (Mesure.JALON, None, "Rédaction ou mise à jour du process"),
    ("F03.A3", 2025): (
        Mesure.JALON,
        None,
        "Définition d'une stratégie relative à la variation des prix et aux avances",
    ),
    ("F04.A1", 2025): (Mesure.JALON, None, "Mise en place du référentiel technique"),
    ("F04.A1", 2026): (Mesure.JALON, None, "Mise à jour du référentiel technique"),
    ("F04.A1", 2027): (Mesure.JALON, None, "Mise à jour du référentiel technique + RETEX"),
    ("F05.A1", 2025): (Mesure.JALON, None, "Document de structuration de la veille"),
    ("F05.A1", 2026): (Mesure.JALON, None, "Cartographie commune"),
    ("F05.A1", 2027): (Mesure.JALON, None, "Fiche d'évaluation et mise à jour de la cartographie"),
    ("F05.A2", 2025): (Mesure.VALEUR, 1, "Création ou exploitation de l'annuaire"),
    ("F05.A2", 2026): (Mesure.VALEUR, 3, None),
    ("F05.A2", 2027): (Mesure.VALEUR, 4, "1 demi-journée dédiée"),
    ("F07.A2", 2025): (Mesure.JALON, None, "Rédaction de la charte relative à la biodiversité"),
    ("F09.A2", 2025): (Mesure.JALON, None, "Étude des opportunités"),
    ("F09.A2", 2026): (Mesure.VALEUR, 2, "Mise à jour"),
    ("F09.A2", 2027): (Mesure.VALEUR, 2, "Mise à jour"),
    ("F10.A1", 2025): (Mesure.JALON, None, "Création de l'annuaire"),
    ("F10.A1", 2026): (Mesure.VALEUR, 3, None),
    ("F10.A1", 2027): (Mesure.VALEUR, 4, "une demi-journée d'échanges avec les acteurs"),
    ("F10.A2", 2025): (
        Mesure.JALON,
        None,
        "Définition d'une liste de travaux ou prestations (marchés réservés)",
    ),
    ("F10.A2", 2026): (Mesure.VALEUR, 1, None),
    ("F10.A2", 2027): (Mesure.VALEUR, 3, None),
    ("F11.A1", 2025): (Mesure.JALON, None, "Actualisation de la charte"),
    ("F11.A1", 2026): (Mesure.JALON, None, "Suivi des actions"),
    ("F11.A1", 2027): (Mesure.JALON, None, "Suivi des actions"),
    ("F12.A2", 2025): (Mesure.JALON, None, "État des lieux"),
    ("F14.A2", 2025): (Mesure.VALEUR, 3, None),
    ("F14.A2", 2026): (Mesure.VALEUR, 3, None),
    ("F14.A2", 2027): (Mesure.VALEUR, 1, "mise en place du tableau de bord des volumes utilisés"),
    ("F16.A1", 2025): (Mesure.JALON, None, "Élaborer stratégie commune et des échéances"),
    ("F16.A1", 2026): (Mesure.VALEUR, 2, None),
    ("F16.A1", 2027): (Mesure.VALEUR, 3, None),
    ("F16.A2", 2025): (
        Mesure.JALON,
        None,
        "Création de la base de données sur des expérimentations en cours",
    ),
    ("F16.A2", 2026): (Mesure.VALEUR, 1, None),
    ("F16.A2", 2027): (Mesure.VALEUR, 2, None),
}


@pytest.mark.parametrize(("code", "annee"), sorted(CIBLES_PARTICULIERES))
def test_cibles_particulieres(convention, code, annee):
    cible = _actions(convention)[code].indicateur.cibles[annee]
    mesure, valeur_fixe, jalon = CIBLES_PARTICULIERES[code, annee]
    assert (cible.mesure, cible.valeur_fixe, cible.jalon) == (mesure, valeur_fixe, jalon)
    if jalon:
        assert jalon in cible.texte


def test_les_autres_cibles_sont_fixees_par_l_office(convention):
    for code, action in _actions(convention).items():
        for annee, cible in action.indicateur.cibles.items():
            if (code, annee) not in CIBLES_PARTICULIERES:
                assert cible.fixee_par_office, (code, annee)
                assert cible.jalon is None, (code, annee)
                assert "Objectif-cible déterminé par" in cible.texte, (code, annee)


def test_onglets(convention):
    onglets = [f.onglet for f in convention.fiches]
    assert onglets[0] == "F01 Eau"
    assert len(set(onglets)) == 16
    for onglet in onglets:
        assert len(onglet) <= 31, onglet
        assert "'" not in onglet and not any(c in onglet for c in "[]:*?/\\"), onglet


def test_indicateurs_de_registre_ont_une_regle(convention):
    for code, action in _actions(convention).items():
        source = action.indicateur.source
        assert source.description, code
        if source.registre is not None:
            assert source.regle, code
        else:
            assert action.indicateur.type is TypeIndicateur.JALON, code


def test_jalons_sans_registre(convention):
    jalons = {c for c, a in _actions(convention).items() if a.indicateur.type is TypeIndicateur.JALON}
    assert jalons == {"F04.A1", "F05.A1", "F11.A1"}
    for code in jalons:
        indicateur = _actions(convention)[code].indicateur
        assert indicateur.source.registre is None and indicateur.source.regle is None
        assert all(c.mesure is Mesure.JALON for c in indicateur.cibles.values())


def test_moins_c_est_mieux(convention):
    baisse = {c for c, a in _actions(convention).items() if a.indicateur.sens is Sens.BAISSE}
    assert baisse == {"F12.A2", "F13.A2"}


def test_objectifs_communs(convention):
    communs = {c for c, a in _actions(convention).items() if a.indicateur.commun}
    assert communs == {"F16.A1", "F16.A2"}
    for code in communs:
        assert _actions(convention)[code].indicateur.type is TypeIndicateur.COMPTAGE_COMMUN


def test_precision_de_5_1(convention):
    actions = _actions(convention)
    assert actions["F05.A1"].indicateur.precision == (
        "Mise en place d'une veille annuelle inter-offices sur cette thématique"
    )
    assert [c for c, a in actions.items() if a.indicateur.precision] == ["F05.A1"]


# --- malformed files


@pytest.fixture
def donnees() -> dict:
    return yaml.safe_load(FICHIER.read_text(encoding="utf-8"))


def _ecrire(tmp_path: Path, donnees: dict) -> Path:
    chemin = tmp_path / FICHIER.name
    chemin.write_text(yaml.safe_dump(donnees, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return chemin


def test_copie_intacte_se_charge(tmp_path, donnees):
    assert charger_referentiel(_ecrire(tmp_path, donnees)) == charger_referentiel()


def test_annee_de_cible_manquante(tmp_path, donnees):
    del donnees["fiches"][0]["actions"][0]["indicateur"]["cibles"][2027]
    with pytest.raises(ReferentielError, match="cibles"):
        charger_referentiel(_ecrire(tmp_path, donnees))


def test_annee_de_calendrier_manquante(tmp_path, donnees):
    del donnees["fiches"][2]["actions"][1]["calendrier"][2026]
    with pytest.raises(ReferentielError, match="calendrier"):
        charger_referentiel(_ecrire(tmp_path, donnees))


def test_code_d_action_en_double(tmp_path, donnees):
    actions = donnees["fiches"][0]["actions"]
    actions[1]["code"] = actions[0]["code"]
    with pytest.raises(ReferentielError):
        charger_referentiel(_ecrire(tmp_path, donnees))


def test_fiche_en_double(tmp_path, donnees):
    donnees["fiches"].append(donnees["fiches"][-1])
    with pytest.raises(ReferentielError, match="doublons"):
        charger_referentiel(_ecrire(tmp_path, donnees))


def test_registre_sans_regle(tmp_path, donnees):
    donnees["fiches"][0]["actions"][0]["indicateur"]["source"]["regle"] = None
    with pytest.raises(ReferentielError):
        charger_referentiel(_ecrire(tmp_path, donnees))


def test_yaml_illisible(tmp_path):
    chemin = tmp_path / FICHIER.name
    chemin.write_text("fiches: [\n", encoding="utf-8")
    with pytest.raises(ReferentielError):
        charger_referentiel(chemin)

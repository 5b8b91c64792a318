"""The problem and the report as users meet them: every location kept, counts and ``--json`` exact.

A problem names its office, file, sheet, cell, value, action and year: the Contrôles sheet, the returned
copies and ``rse-xl valider --json`` show each of them, so each must reach the record as given.
"""

from __future__ import annotations

from rse_xl.controles import CATALOGUE, Gravite, Probleme, Rapport, probleme


def _complet() -> Probleme:
    return probleme(
        "type-invalide",
        fichier="/campagne/RSE_2025-2027_BMH.xlsx",
        office="BMH",
        onglet="F12 Mobilité durable",
        cellule="F10",
        valeur="douze",
        action="12.1",
        annee=2026,
        attendu="un nombre",
        conseil="saisissez un nombre, par exemple 12",
    )


def test_un_probleme_garde_chaque_emplacement_donne() -> None:
    """Office, file, sheet, cell, value, action and year reach the problem unchanged."""
    p = _complet()
    assert (p.code, p.gravite) == ("type-invalide", Gravite.ERREUR)
    assert (p.fichier, p.office, p.onglet, p.cellule) == (
        "/campagne/RSE_2025-2027_BMH.xlsx",
        "BMH",
        "F12 Mobilité durable",
        "F10",
    )
    assert (p.valeur, p.action, p.annee) == ("douze", "12.1", 2026)
    assert p.message == "« douze » n'est pas un nombre : saisissez un nombre, par exemple 12."


def test_le_message_recoit_l_onglet_et_l_annee() -> None:
    """The sheet and the year given to the problem are those its message names."""
    onglet = probleme("onglet-manquant", fichier="f.xlsx", onglet="F03 Déchets")
    assert onglet.message.startswith("L'onglet « F03 Déchets » est introuvable")
    annee = probleme("valeur-manquante", fichier="f.xlsx", annee=2027, quoi="Le réalisé")
    assert annee.message.startswith("Le réalisé de 2027 est vide")


def test_la_gravite_vient_du_catalogue() -> None:
    avertissement = probleme("valeur-manquante", fichier="f.xlsx", annee=2026, quoi="Le réalisé")
    assert avertissement.gravite is CATALOGUE["valeur-manquante"].gravite is Gravite.AVERTISSEMENT


def test_un_probleme_en_json() -> None:
    """``--json``: every field, the severity as its French word."""
    assert _complet().en_dict() == {
        "code": "type-invalide",
        "gravite": "erreur",
        "message": "« douze » n'est pas un nombre : saisissez un nombre, par exemple 12.",
        "fichier": "/campagne/RSE_2025-2027_BMH.xlsx",
        "office": "BMH",
        "onglet": "F12 Mobilité durable",
        "cellule": "F10",
        "valeur": "douze",
        "action": "12.1",
        "annee": 2026,
    }


def _rapport() -> Rapport:
    rapport = Rapport(fichiers=["a.xlsx", "b.xlsx"])
    rapport.ajouter([_complet()])
    rapport.ajouter(
        [
            probleme("valeur-manquante", fichier="b.xlsx", annee=2026, quoi="Le réalisé"),
            probleme("saisie-brouillon", fichier="a.xlsx"),
            probleme("valeur-manquante", fichier="a.xlsx", annee=2025, quoi="L'objectif-cible"),
        ]
    )
    return rapport


def test_le_rapport_compte_erreurs_avertissements_et_codes() -> None:
    """Counts by severity, and by code in alphabetical order (the JSON a script compares)."""
    rapport = _rapport()
    assert [p.code for p in rapport.erreurs] == ["type-invalide"]
    assert [p.code for p in rapport.avertissements] == [
        "valeur-manquante",
        "saisie-brouillon",
        "valeur-manquante",
    ]
    stats = rapport.statistiques()
    assert stats == {
        "fichiers": 2,
        "erreurs": 1,
        "avertissements": 3,
        "par_code": {"saisie-brouillon": 1, "type-invalide": 1, "valeur-manquante": 2},
    }
    assert list(stats["par_code"]) == ["saisie-brouillon", "type-invalide", "valeur-manquante"]


def test_valide_tant_qu_il_n_y_a_que_des_avertissements() -> None:
    rapport = Rapport()
    assert rapport.valide
    rapport.ajouter([probleme("saisie-brouillon", fichier="a.xlsx")])
    assert rapport.valide
    rapport.ajouter([_complet()])
    assert not rapport.valide


def test_le_rapport_en_json() -> None:
    """``--json``: validity, the counts, the files read and every problem, in the order found."""
    rapport = _rapport()
    donnees = rapport.en_dict()
    assert list(donnees) == ["valide", "statistiques", "fichiers", "problemes"]
    assert donnees["valide"] is False
    assert donnees["statistiques"] == rapport.statistiques()
    assert donnees["fichiers"] == ["a.xlsx", "b.xlsx"]
    assert donnees["fichiers"] is not rapport.fichiers  # a copy: changing the JSON leaves the report as it is
    assert donnees["problemes"] == [p.en_dict() for p in rapport.problemes]
    assert len(donnees["problemes"]) == 4


def test_aplatir_donne_les_champs_demandes_dans_l_ordre() -> None:
    assert _rapport().aplatir(["code", "fichier", "annee"]) == [
        ["type-invalide", "/campagne/RSE_2025-2027_BMH.xlsx", 2026],
        ["valeur-manquante", "b.xlsx", 2026],
        ["saisie-brouillon", "a.xlsx", None],
        ["valeur-manquante", "a.xlsx", 2025],
    ]

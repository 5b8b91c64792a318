"""The console report: errors first, warnings grouped by code, everything with --tout (Contrôles order)."""

from __future__ import annotations

import io

from rich.console import Console

from rse_xl.affichage import APERCU_CELLULES, afficher_rapport
from rse_xl.controles import Rapport, probleme

FICHIER = "/offices/bmh.xlsx"
NOMBRE = {"attendu": "un nombre", "conseil": "saisissez un nombre, par exemple 12"}


def _rapport_a_moitie_rempli() -> Rapport:
    """98 missing values spread over the fiches, two type errors late in the sheets, one other warning."""
    problemes = [
        probleme(
            "valeur-manquante", fichier=FICHIER, onglet=f"F{1 + i // 7:02} Eau", cellule=f"E{10 + i % 7}"
        )
        for i in range(98)
    ]
    problemes.insert(
        40,
        probleme(
            "type-invalide", fichier=FICHIER, onglet="F14 Achats", cellule="F109", valeur="douze", **NOMBRE
        ),
    )
    problemes.append(
        probleme(
            "type-invalide", fichier=FICHIER, onglet="F09 Insertion", cellule="F149", valeur="x", **NOMBRE
        )
    )
    problemes.append(
        probleme("saisie-brouillon", fichier=FICHIER, onglet="Identité", cellule="B9", valeur="Brouillon")
    )
    return Rapport(problemes=problemes, fichiers=[FICHIER])


def _afficher(rapport: Rapport, tout: bool = False) -> list[str]:
    tampon = io.StringIO()
    afficher_rapport(Console(file=tampon, width=300, soft_wrap=True), rapport, [], tout=tout)
    return tampon.getvalue().splitlines()


def test_erreurs_d_abord_puis_avertissements_groupes() -> None:
    lignes = _afficher(_rapport_a_moitie_rempli())
    texte = "\n".join(lignes)
    assert "Office non identifié — bmh.xlsx : 2 erreur(s), 99 avertissement(s)" in texte
    erreurs = [i for i, ligne in enumerate(lignes) if "erreur type-invalide" in ligne]
    avertissements = [i for i, ligne in enumerate(lignes) if "valeur-manquante" in ligne]
    assert len(erreurs) == 2 and len(avertissements) == 1, texte
    assert max(erreurs) < min(avertissements)
    # Sheet order, as the Contrôles sheet: F09 before F14.
    assert "F149" in lignes[erreurs[0]] and "F109" in lignes[erreurs[1]]
    groupe = lignes[avertissements[0]]
    assert groupe == (
        "    valeur-manquante × 98 — Valeur manquante : 'F01 Eau'!E10, 'F01 Eau'!E11, 'F01 Eau'!E12 "
        f"et {98 - APERCU_CELLULES} autre(s)"
    )
    assert any(ligne.startswith("    saisie-brouillon — 'Identité'!B9 : La saisie") for ligne in lignes), (
        texte
    )
    assert lignes[-1] == "Chaque avertissement, cellule par cellule : relancez avec --tout."
    assert len(lignes) < 20


def test_tout_liste_chaque_probleme_dans_l_ordre_des_controles() -> None:
    lignes = _afficher(_rapport_a_moitie_rempli(), tout=True)
    detail = [ligne.strip() for ligne in lignes if ligne.startswith("    ")]
    assert len(detail) == 101
    assert detail[0].startswith("F149 erreur type-invalide") and detail[1].startswith("F109 erreur")
    assert all("avertissement" in ligne for ligne in detail[2:])
    assert "relancez avec --tout" not in "\n".join(lignes)


def test_groupe_d_un_seul_avertissement_montre_le_message() -> None:
    rapport = Rapport(
        problemes=[
            probleme("saisie-brouillon", fichier=FICHIER, onglet="Identité", cellule="B9", valeur="Brouillon")
        ],
        fichiers=[FICHIER],
    )
    lignes = _afficher(rapport)
    assert "relancez avec --tout" not in "\n".join(lignes)
    assert any(
        "saisie-brouillon — 'Identité'!B9 : La saisie est à l'état « Brouillon »" in ligne for ligne in lignes
    )

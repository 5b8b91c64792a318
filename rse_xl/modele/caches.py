"""The very hidden sheets: the lists behind the drop-downs, and the template's technical values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rse_xl import __version__
from rse_xl.cellules import colonne_lettres, nom_onglet
from rse_xl.layout import (
    MODELE_IDENTIFIANT,
    MODELE_VERSION,
    MOT_DE_PASSE_PROTECTION,
    NOM_MODELE_IDENTIFIANT,
    NOM_MODELE_VERSION,
    NOM_OFFICE_CODE,
    NOM_OUTIL_VERSION,
    NOM_REFERENTIEL_EMPREINTE,
    NOM_SEUIL_MARCHES,
    ONGLET_LISTES,
    ONGLET_TECHNIQUE,
    REGISTRES,
    TypeColonne,
)
from rse_xl.modele.contexte import _Contexte
from rse_xl.modele.validations import _nom_liste
from rse_xl.referentiel import empreinte_referentiel


def ecrire_listes(c: _Contexte) -> None:
    """The lists behind the drop-downs too long to be written in a validation, each a defined name."""
    ws = c.wb.add_worksheet(ONGLET_LISTES)
    listes: dict[str, Sequence[str]] = {
        "LISTE_OFFICES": [o.nom for o in c.conv.offices],
        "LISTE_ACTIONS": [a.code for f in c.conv.fiches for a in f.actions],
    }
    for spec in REGISTRES.values():
        for col in spec.colonnes:
            if col.valeurs and (
                col.type is TypeColonne.SUGGESTION or sum(len(v) + 1 for v in col.valeurs) >= 250
            ):
                listes[_nom_liste(col)] = col.valeurs
    for j, (nom, valeurs) in enumerate(listes.items()):
        ws.write_string(0, j, nom)
        for i, v in enumerate(valeurs):
            ws.write_string(1 + i, j, v)
        lettre = colonne_lettres(j)
        c.wb.define_name(nom, f"={nom_onglet(ONGLET_LISTES)}!${lettre}$2:${lettre}${1 + len(valeurs)}")
    ws.very_hidden()
    ws.protect(MOT_DE_PASSE_PROTECTION)


def ecrire_technique(c: _Contexte) -> None:
    """The technical values the reader checks first: template, versions, office, thresholds."""
    ws = c.wb.add_worksheet(ONGLET_TECHNIQUE)
    ws.set_column(0, 1, 40)
    valeurs: list[tuple[str, str, Any]] = [
        (NOM_MODELE_IDENTIFIANT, "Identifiant du modèle", MODELE_IDENTIFIANT),
        (NOM_MODELE_VERSION, "Version du modèle", MODELE_VERSION),
        (NOM_REFERENTIEL_EMPREINTE, "Empreinte SHA-256 du référentiel", empreinte_referentiel()),
        (NOM_OUTIL_VERSION, "Version de rse-xl", __version__),
        (NOM_OFFICE_CODE, "Code de l'office", c.office.code),
        (
            NOM_SEUIL_MARCHES,
            "Seuil des marchés (€ HT) pour 3.3 et 14.1",
            c.conv.parametres.seuil_marches_ht,
        ),
    ]
    for i, (nom, libelle, valeur) in enumerate(valeurs):
        ws.write_string(i, 0, libelle)
        c.ecrire_valeur(ws, i, 1, c.saisie.valeurs.get(nom, valeur), c.st.cache)
        c.nommer(ws, nom, i, 1)
    ws.very_hidden()
    ws.protect(MOT_DE_PASSE_PROTECTION)

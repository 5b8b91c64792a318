"""Build an office workbook (classeur d'office) from the référentiel, blank or filled, with XlsxWriter.

- ``saisie``: what goes in (``Saisie``, ``Formule``) and where it went (``Plan``);
- ``classeur``: the file and its sheets in order (``ecrire_classeur``), offices and file names;
- ``contexte``, ``styles``: what every sheet writer is given, the cell formats;
- ``lisez_moi``, ``identite``, ``fiches``, ``registres``, ``caches``: one kind of sheet each (``caches``: the
  very hidden lists and technical values);
- ``validations``: the data validations of input cells.
"""

from __future__ import annotations

from rse_xl.modele.classeur import _Constructeur as _Constructeur
from rse_xl.modele.classeur import ecrire_classeur, nom_fichier_modele, trouver_office
from rse_xl.modele.fiches import (
    COL_ANNEE,
    COL_ATTEINTE,
    COL_CALCULE,
    COL_CIBLE,
    COL_CIBLE_TEXTE,
    COL_COMMENTAIRE,
    COL_CONTROLE,
    COL_DEN,
    COL_ETAPE,
    COL_ETAPE_TEXTE,
    COL_JUSTIFICATIF,
    COL_NUM,
    COL_REALISE,
    COLONNES_CHAMPS,
    DERNIERE_COL,
    ENTETES_FICHE,
)
from rse_xl.modele.fiches import _atteinte_cache as _atteinte_cache
from rse_xl.modele.fiches import _cache as _cache
from rse_xl.modele.fiches import _nombre as _nombre
from rse_xl.modele.saisie import Formule, Plan, Saisie
from rse_xl.modele.styles import BLEU, BLEU_CLAIR, GRIS, JAUNE, VERT
from rse_xl.modele.styles import _Styles as _Styles
from rse_xl.modele.validations import _nom_liste as _nom_liste

__all__ = [
    "BLEU",
    "BLEU_CLAIR",
    "COLONNES_CHAMPS",
    "COL_ANNEE",
    "COL_ATTEINTE",
    "COL_CALCULE",
    "COL_CIBLE",
    "COL_CIBLE_TEXTE",
    "COL_COMMENTAIRE",
    "COL_CONTROLE",
    "COL_DEN",
    "COL_ETAPE",
    "COL_ETAPE_TEXTE",
    "COL_JUSTIFICATIF",
    "COL_NUM",
    "COL_REALISE",
    "DERNIERE_COL",
    "ENTETES_FICHE",
    "GRIS",
    "JAUNE",
    "VERT",
    "Formule",
    "Plan",
    "Saisie",
    "ecrire_classeur",
    "nom_fichier_modele",
    "trouver_office",
]

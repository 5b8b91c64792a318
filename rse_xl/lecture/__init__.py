"""Read an office workbook into typed records, each value with the sheet and cell it came from.

Inputs are found by the layout's defined names and table names, never by coordinates, so rows inserted by
a user shift nothing. Reading never raises on bad data: every problem becomes a :class:`Probleme`, and a
value that could not be read is kept as ``None`` with ``valide=False``. The file is opened read-only.

- ``donnees``: what reading gives (``ClasseurLu``, ``ValeurLue``, ``LigneRegistre``);
- ``feuilles``: low-level access to the sheets (the fast reader, the sanitised copy, the slower reader,
  cells read by defined name, formulas in input cells);
- ``classeur``: one file, from its nature to the template's identity and the Identité sheet
  (``lire_classeur``);
- ``fiches``: the fiche sheets, action by action;
- ``registres``: the register tables.
"""

from __future__ import annotations

from rse_xl.lecture.classeur import _DESCRIPTION_NATURE as _DESCRIPTION_NATURE
from rse_xl.lecture.classeur import _OFFICES as _OFFICES
from rse_xl.lecture.classeur import EXTENSIONS_TEXTE, lire_classeur, oublier_memoires
from rse_xl.lecture.classeur import _Lecteur as _Lecteur
from rse_xl.lecture.classeur import _nature_speciale as _nature_speciale
from rse_xl.lecture.classeur import _offices_par_cle as _offices_par_cle
from rse_xl.lecture.donnees import ClasseurLu, LigneRegistre, ValeurLue, colonnes_communes
from rse_xl.lecture.donnees import _Colonnes as _Colonnes
from rse_xl.lecture.feuilles import _A1 as _A1
from rse_xl.lecture.feuilles import _a1 as _a1
from rse_xl.lecture.feuilles import _Feuilles as _Feuilles
from rse_xl.lecture.fiches import _EN_ETAPE as _EN_ETAPE
from rse_xl.lecture.fiches import _PLANS as _PLANS
from rse_xl.lecture.fiches import _RAPIDES as _RAPIDES
from rse_xl.lecture.fiches import LONGUEUR_TEXTE_MAX, TYPES_ENTIERS
from rse_xl.lecture.fiches import _convertisseur as _convertisseur
from rse_xl.lecture.fiches import _Fiches as _Fiches
from rse_xl.lecture.fiches import _plan_action as _plan_action
from rse_xl.lecture.registres import _ATTENDUS as _ATTENDUS
from rse_xl.lecture.registres import _LECTEURS as _LECTEURS
from rse_xl.lecture.registres import LIGNES_SOUS_TABLEAU
from rse_xl.lecture.registres import _colonne_en_bloc as _colonne_en_bloc
from rse_xl.lecture.registres import _colonne_homogene as _colonne_homogene
from rse_xl.lecture.registres import _lecteurs_colonne as _lecteurs_colonne
from rse_xl.lecture.registres import _plages_lignes as _plages_lignes
from rse_xl.lecture.registres import _registre_en_bloc as _registre_en_bloc
from rse_xl.lecture.registres import _Registres as _Registres

__all__ = [
    "EXTENSIONS_TEXTE",
    "LIGNES_SOUS_TABLEAU",
    "LONGUEUR_TEXTE_MAX",
    "TYPES_ENTIERS",
    "ClasseurLu",
    "LigneRegistre",
    "ValeurLue",
    "colonnes_communes",
    "lire_classeur",
    "oublier_memoires",
]

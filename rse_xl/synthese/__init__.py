"""The coordinator's summary workbook: results per office and together, drill-down, checks, data and log.

Written with XlsxWriter, in French. Every text that comes from an office (comments, evidence, values quoted
by a problem, file names, referents) is written with ``write_string`` — or as the display text of a link
for http(s) evidence only — so that ``=HYPERLINK(…)`` or ``+cmd|…`` typed in an office workbook stays text.
The workbook holds no formula at all: every figure was computed by Python. Excel's limits are enforced here
rather than by XlsxWriter's warnings: strings are cut at 32 767 characters, a URL too long or past the
65 530 links of a sheet is written as plain text.

One module per part of the workbook, as XlsxWriter has one per part of the file:

- :mod:`.classeur`: the entry points, :func:`ecrire_synthese` and :func:`remplir_classeur`, the sheets' order;
- :mod:`.formats`: colours and the shared cell formats; :mod:`.commun`: sheet names, cell writers, links,
  page setup;
- one module per sheet, each writing only the worksheet it is given: :mod:`.accueil`, :mod:`.tableau`
  (Synthèse and its dashboard), :mod:`.fiche` (F01–F16), :mod:`.controles`, :mod:`.donnees`, :mod:`.journal`.
"""

from rse_xl.synthese.accueil import BANDEAU_DEMONSTRATION
from rse_xl.synthese.classeur import OPTIONS_CLASSEUR, ecrire_synthese, remplir_classeur
from rse_xl.synthese.commun import (
    ONGLET_ACCUEIL,
    ONGLET_CONTROLES,
    ONGLET_DONNEES,
    ONGLET_JOURNAL,
    ONGLET_SYNTHESE,
    ONGLETS_RESULTATS,
    _lignes,
    chemin_relatif,
    onglets_resultats,
    url_web,
)
from rse_xl.xlsx import tronquer

__all__ = [
    "BANDEAU_DEMONSTRATION",
    "ONGLETS_RESULTATS",
    "ONGLET_ACCUEIL",
    "ONGLET_CONTROLES",
    "ONGLET_DONNEES",
    "ONGLET_JOURNAL",
    "ONGLET_SYNTHESE",
    "OPTIONS_CLASSEUR",
    "_lignes",
    "chemin_relatif",
    "ecrire_synthese",
    "onglets_resultats",
    "remplir_classeur",
    "tronquer",
    "url_web",
]

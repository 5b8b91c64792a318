"""The summary workbook as a whole: its options, its sheets in order, and writing it to a file.

:func:`remplir_classeur` adds every sheet first (their order in the workbook), then writes them one by one:
the fiche sheets, then Synthèse (which links to the fiche blocks), Contrôles, Données, Journal and Accueil.
All share one :class:`~rse_xl.synthese.formats.Formats` and one :class:`~rse_xl.synthese.commun.Liens`.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.workbook import Workbook

from rse_xl.consolidation import Consolidation
from rse_xl.errors import FichierError
from rse_xl.fichiers import NATURE_SYNTHESE, PROPRIETE_MARQUE, ecriture_atomique, raison
from rse_xl.synthese import fiche
from rse_xl.synthese.accueil import ecrire_accueil
from rse_xl.synthese.commun import (
    ONGLET_ACCUEIL,
    ONGLET_CONTROLES,
    ONGLET_DONNEES,
    ONGLET_JOURNAL,
    ONGLET_SYNTHESE,
    Liens,
    onglets_resultats,
)
from rse_xl.synthese.controles import ecrire_controles
from rse_xl.synthese.donnees import ecrire_donnees
from rse_xl.synthese.formats import Formats
from rse_xl.synthese.journal import ecrire_journal
from rse_xl.synthese.tableau import ecrire_tableau

# in_memory: the XML parts are built in memory and zipped once, instead of ~100 temporary files.
OPTIONS_CLASSEUR = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}


def ecrire_synthese(conso: Consolidation, chemin: Path, *, ecraser: bool = False) -> Path:
    """Write the summary workbook atomically, keeping the previous one as ``NAME.bak.xlsx``; return its path."""
    chemin = Path(chemin)
    if chemin.is_dir():
        raise FichierError(f"« {chemin} » est un dossier : indiquez le nom du classeur de synthèse (.xlsx).")
    try:
        with ecriture_atomique(
            chemin,
            sauvegarde=True,
            nature=NATURE_SYNTHESE,
            entrees=[f.chemin for f in conso.fichiers],
            ecraser=ecraser,
        ) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), OPTIONS_CLASSEUR)
            wb.set_custom_property(PROPRIETE_MARQUE, NATURE_SYNTHESE)
            wb.set_properties(
                {
                    "title": f"Synthèse RSE {conso.annee} — {conso.convention.titre}",
                    "subject": "Synthèse de la convention RSE inter-offices",
                    "author": "rse-xl",
                    "comments": f"rse-xl {conso.version_outil}",
                    "created": conso.genere_le,
                }
            )
            remplir_classeur(wb, conso, chemin.parent)
            try:
                wb.close()
            except XlsxWriterException as exc:
                raise FichierError(
                    f"Impossible d'écrire le classeur de synthèse « {chemin} » : {exc}."
                ) from exc
    except OSError as exc:
        raise FichierError(
            f"Impossible d'écrire le classeur de synthèse « {chemin} » ({raison(exc)}) : vérifiez que le "
            "dossier existe et qu'il est accessible en écriture. Rien n'a été remplacé."
        ) from exc
    return chemin


def remplir_classeur(
    wb: Workbook, conso: Consolidation, dossier_sortie: Path, *, accueil: bool = True
) -> None:
    """Render every sheet of the summary into an open workbook (links to office files relative to the output)."""
    # Whatever options the caller gave, write() must never turn text into a formula, link or number.
    wb.strings_to_formulas = False
    wb.strings_to_urls = False
    wb.strings_to_numbers = False
    f = Formats(wb)
    liens = Liens(conso, Path(dossier_sortie))
    ws = {nom: wb.add_worksheet(nom) for nom in onglets_resultats(conso.convention, accueil=accueil)}
    # Fiche sheets first: the summary links to the blocks they place.
    for fi in conso.convention.fiches:
        fiche.ecrire_fiche(wb, ws[fi.onglet], conso, fi, f, liens)
    ecrire_tableau(wb, ws[ONGLET_SYNTHESE], conso, f, liens, fiche.ancres(conso))
    ecrire_controles(wb, ws[ONGLET_CONTROLES], conso, f, liens)
    ecrire_donnees(ws[ONGLET_DONNEES], conso, f)
    ecrire_journal(ws[ONGLET_JOURNAL], conso, f)
    if accueil:
        ecrire_accueil(wb, ws[ONGLET_ACCUEIL], conso, f, liens)
        ws[ONGLET_ACCUEIL].activate()

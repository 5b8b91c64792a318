"""Writing one office workbook: the file, its properties, and its sheets in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook

from rse_xl.errors import EntreeError
from rse_xl.fichiers import NATURE_OFFICE, PROPRIETE_MARQUE, ecriture_atomique
from rse_xl.layout import MODELE_IDENTIFIANT, MODELE_VERSION, REGISTRES
from rse_xl.modele.caches import ecrire_listes, ecrire_technique
from rse_xl.modele.contexte import _Contexte
from rse_xl.modele.fiches import ecrire_fiche
from rse_xl.modele.identite import ecrire_identite
from rse_xl.modele.lisez_moi import ecrire_lisez_moi
from rse_xl.modele.registres import ecrire_registre
from rse_xl.modele.saisie import Plan, Saisie
from rse_xl.referentiel import Convention, Office, referentiel


def trouver_office(convention: Convention, nom_ou_code: str) -> Office:
    """The office named (or coded) so, whatever the case and spacing."""
    cle = " ".join(nom_ou_code.split()).casefold()
    for office in convention.offices:
        if cle in (office.nom.casefold(), office.code.casefold()):
            return office
    noms = ", ".join(f"« {o.nom} » ({o.code})" for o in convention.offices)
    raise EntreeError(f"Office inconnu : « {nom_ou_code} ». Offices de la convention : {noms}.")


def ecrire_classeur(
    chemin: Path,
    office: Office,
    saisie: Saisie | None = None,
    convention: Convention | None = None,
    *,
    ecraser: bool = False,
    entrees: Iterable[Path] = (),
    avant: Callable[[Workbook], None] | None = None,
    apres: Callable[[Workbook, Plan], None] | None = None,
) -> Plan:
    """Write one office's workbook (blank, or filled from ``saisie``) atomically; return its plan.

    An existing file is replaced only if it is a workbook rse-xl wrote that nobody saved since (or with
    ``ecraser``); an office's filled workbook never is, nor one of ``entrees`` (``fichiers.verifier_cible``).
    ``avant`` adds sheets before the template's (they come first), ``apres`` works on the written sheets
    (notes, marks) before the file is closed: the returned and migrated workbooks are this one, plus that.
    """
    chemin = Path(chemin)
    if chemin.suffix.lower() != ".xlsx":
        raise EntreeError(
            f"« {chemin.name} » : le classeur d'office s'écrit en .xlsx (par exemple RSE_BMH.xlsx)."
        )
    convention = convention or referentiel()
    with ecriture_atomique(chemin, nature=NATURE_OFFICE, entrees=entrees, ecraser=ecraser) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                # Office text is data, never a formula or a link (DESIGN: what must never happen).
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        if avant is not None:
            avant(wb)
        plan = _Constructeur(wb, office, saisie or Saisie(), convention).construire()
        if apres is not None:
            apres(wb, plan)
        wb.close()
    return plan


class _Constructeur:
    """One workbook, sheet after sheet, in the order Excel shows them."""

    def __init__(self, wb: Workbook, office: Office, saisie: Saisie, convention: Convention) -> None:
        self.contexte = _Contexte(wb, office, saisie, convention)

    def construire(self) -> Plan:
        c = self.contexte
        c.wb.set_custom_property(PROPRIETE_MARQUE, NATURE_OFFICE)
        c.wb.set_properties(
            {
                "title": f"Suivi RSE 2025-2027 — {c.office.nom}",
                "subject": "Classeur d'office de la convention RSE inter-offices",
                "author": "rse-xl",
                "comments": f"{MODELE_IDENTIFIANT} v{MODELE_VERSION}",
                "created": dt.datetime(2025, 1, 1),  # fixed: same inputs give the same bytes
            }
        )
        ecrire_lisez_moi(c)
        ecrire_identite(c)
        for fiche in c.conv.fiches:
            ecrire_fiche(c, fiche)
        for spec in REGISTRES.values():
            ecrire_registre(c, spec)
        ecrire_listes(c)
        ecrire_technique(c)
        c.wb.worksheets()[0].activate()
        return c.plan


def nom_fichier_modele(office: Office) -> str:
    """``RSE_2025-2027_BMH.xlsx``: the file name of an office's workbook."""
    return f"RSE_2025-2027_{office.code}.xlsx"

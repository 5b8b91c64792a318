"""The summary as a PDF for a steering committee: Accueil and Synthèse (with its charts), by LibreOffice.

The print setup (landscape A4/A3, fitted to the page width, headers naming the campaign and the date) is
written into the summary itself by :mod:`rse_xl.synthese`, so that Excel prints the same pages. Here a
temporary copy hides every other sheet (Calc leaves hidden sheets out of a PDF) and headless LibreOffice
converts it; the summary itself is never modified.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from rse_xl.errors import FichierError
from rse_xl.fichiers import NATURE_EXPORT, ecriture_atomique, raison
from rse_xl.libreoffice import LibreOfficeError, convertir, soffice
from rse_xl.synthese import ONGLET_ACCUEIL, ONGLET_SYNTHESE

__all__ = ["ONGLETS_IMPRIMES", "exporter_pdf", "verifier_impression"]

ONGLETS_IMPRIMES = (ONGLET_ACCUEIL, ONGLET_SYNTHESE)

_FEUILLE = re.compile(r"<sheet\b[^>]*/>")
_NOM = re.compile(r'\bname="([^"]*)"')


def verifier_impression() -> None:
    """Raise a French message, before any work, when LibreOffice is not there to print the PDF."""
    if soffice() is None:
        raise LibreOfficeError(
            "L'export PDF passe par LibreOffice, introuvable sur ce poste (commande soffice) : installez "
            "LibreOffice (https://fr.libreoffice.org ; Debian/Ubuntu : sudo apt-get install "
            "libreoffice-calc-nogui) puis relancez, ou imprimez les onglets Accueil et Synthèse depuis Excel "
            "(la mise en page y est déjà réglée). Rien n'a été écrit."
        )


def _masquer_autres_onglets(xml: str, gardes: tuple[str, ...]) -> str:
    """workbook.xml with every sheet but ``gardes`` hidden, and the first kept sheet active."""

    def masquer(m: re.Match[str]) -> str:
        balise = m.group(0)
        nom = _NOM.search(balise)
        if nom is None or _xml_texte(nom.group(1)) in gardes:
            return re.sub(r'\sstate="[^"]*"', "", balise)
        balise = re.sub(r'\sstate="[^"]*"', "", balise)
        return balise[:-2].rstrip() + ' state="hidden"/>'

    xml = _FEUILLE.sub(masquer, xml)
    noms = [_xml_texte(n.group(1)) for n in (_NOM.search(b.group(0)) for b in _FEUILLE.finditer(xml)) if n]
    premier = next((i for i, n in enumerate(noms) if n in gardes), 0)
    # A hidden sheet cannot be the active one: Excel and Calc would show (and print) it all the same.
    return re.sub(r'\b(activeTab|firstSheet)="\d+"', rf'\1="{premier}"', xml)


def _xml_texte(valeur: str) -> str:
    return (
        valeur.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
    ).replace("&amp;", "&")


def _copie_a_imprimer(synthese: Path, copie: Path) -> None:
    with zipfile.ZipFile(synthese) as source, zipfile.ZipFile(copie, "w", zipfile.ZIP_DEFLATED) as cible:
        noms = source.namelist()
        if "xl/workbook.xml" not in noms:
            raise FichierError(f"« {synthese.name} » n'est pas un classeur de synthèse : rien à imprimer.")
        xml = source.read("xl/workbook.xml").decode("utf-8")
        presents = {_xml_texte(m.group(1)) for m in _NOM.finditer(" ".join(_FEUILLE.findall(xml)))}
        manquants = [o for o in ONGLETS_IMPRIMES if o not in presents]
        if manquants:
            raise FichierError(
                f"« {synthese.name} » n'a pas d'onglet {', '.join(manquants)} : ce n'est pas une synthèse rse-xl."
            )
        for info in source.infolist():
            donnees = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                donnees = _masquer_autres_onglets(xml, ONGLETS_IMPRIMES).encode("utf-8")
            cible.writestr(info, donnees)


def exporter_pdf(synthese: Path, chemin: Path, timeout: float = 180, *, ecraser: bool = False) -> Path:
    """Print the Accueil and Synthèse sheets of a summary workbook to ``chemin`` (PDF), atomically."""
    verifier_impression()
    synthese, chemin = Path(synthese), Path(chemin)
    with tempfile.TemporaryDirectory(prefix="rse_xl_pdf_") as dossier:
        copie = Path(dossier) / f"{chemin.stem}{synthese.suffix}"
        try:
            _copie_a_imprimer(synthese, copie)
        except (OSError, zipfile.BadZipFile) as exc:
            raise FichierError(f"Impossible de lire « {synthese} » pour l'imprimer : {exc}.") from exc
        try:
            pdf = convertir(copie, "pdf", Path(dossier) / "pdf", timeout=timeout)
        except LibreOfficeError as exc:
            raise LibreOfficeError(f"Export PDF impossible : {exc}") from exc
        try:
            with ecriture_atomique(chemin, nature=NATURE_EXPORT, entrees=[synthese], ecraser=ecraser) as tmp:
                shutil.copyfile(pdf, tmp)
        except OSError as exc:
            raise FichierError(f"Impossible d'écrire « {chemin} » : {raison(exc)}.") from exc
    return chemin

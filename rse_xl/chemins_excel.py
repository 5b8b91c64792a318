"""Where the master's paths lead: Excel's address of a workbook, its synced local copy, and the paths typed in
Paramètres resolved as every button (and the diagnostic) reads them.

With AutoSave on, Excel names a workbook kept in OneDrive or SharePoint by its web address: ``chemin_local``
finds the folder the sync client keeps it in. ``rse_xl.excel`` re-exports every name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from rse_xl.errors import EntreeError

if TYPE_CHECKING:
    from rse_xl.parametres_excel import Reglages

__all__ = ["adresse_classeur", "chemin_local", "chemin_synthese", "resoudre_chemin"]


# --- paths typed in Paramètres -------------------------------------------------------------------------------------


def resoudre_chemin(
    texte: str,
    quoi: str,
    dossier: Path | None,
    environ: Mapping[str, str] | None = None,
    maison: Path | None = None,
) -> Path:
    """A path typed in Paramètres, as every button (and the diagnostic) reads it: quotes stripped, a web
    address mapped to its synced folder, variables and ``~`` expanded, a relative path taken from the master's
    folder ``dossier``. Raises EntreeError, in French, when it cannot be resolved."""
    texte = texte.strip().strip('"').strip()  # Explorer's « Copy as path » adds quotes
    if "://" in texte:
        local = chemin_local(texte, environ, maison)
        if local is None:
            raise EntreeError(
                f"{quoi} « {texte} » est une adresse web, sans copie synchronisée trouvée sur ce PC : "
                "synchronisez ce dossier avec OneDrive, ou indiquez dans l'onglet Paramètres le chemin du "
                "dossier synchronisé sur ce PC."
            )
        return local
    chemin = Path(os.path.expandvars(os.path.expanduser(texte)))
    if chemin.is_absolute():
        return chemin
    if dossier is None:
        raise EntreeError(
            f"{quoi} « {texte} » est un chemin relatif, mais le dossier du classeur maître est inconnu "
            "(maître ouvert depuis SharePoint ou OneDrive sans dossier synchronisé sur ce PC, ou jamais "
            "enregistré) : indiquez un chemin complet dans l'onglet Paramètres."
        )
    return dossier / chemin


def chemin_synthese(
    reglages: Reglages,
    annee: int,
    dossier: Path | None,
    environ: Mapping[str, str] | None = None,
    maison: Path | None = None,
) -> Path:
    """Where « Générer la synthèse » writes the summary: Paramètres' path (a folder gets the default name)."""
    defaut = f"synthese_RSE_{annee}.xlsx"
    chemin = resoudre_chemin(reglages.synthese or defaut, "Le classeur de synthèse", dossier, environ, maison)
    if chemin.is_dir():
        chemin = chemin / defaut
    if chemin.suffix.lower() != ".xlsx":
        raise EntreeError(
            f"Classeur de synthèse « {chemin.name} » dans l'onglet Paramètres : la synthèse s'écrit en .xlsx."
        )
    return chemin


# --- OneDrive and SharePoint ---------------------------------------------------------------------------------------


def adresse_classeur(livre: Any) -> str:
    """Excel's own FullName of a workbook (a local path or a web address), read in a way that cannot raise.

    xlwings' ``Book.fullname`` maps a OneDrive/SharePoint address to a local path itself, and raises when it
    cannot (``XlwingsError``, an ``UnboundLocalError`` for a SharePoint site, "requires your workbook name
    to be unique" for two synced copies of the same name): the raw address is read first, from the COM
    object on Windows (``api.FullName``) or through AppleScript on macOS, and ``chemin_local`` remains the
    one place that maps addresses to synced folders. An empty text when nothing can be read.
    """
    lectures: list[Callable[[], Any]] = [
        lambda: livre.api.FullName,  # Windows: the Workbook COM object
        lambda: livre.api.full_name.get(),  # macOS: the appscript reference of the workbook
        lambda: livre.fullname,
    ]
    for lire in lectures:
        try:
            adresse = lire()
        except Exception:  # each way may fail on one platform or one kind of address: try the next
            continue
        if isinstance(adresse, str) and adresse:
            return adresse
    return ""


def chemin_local(
    adresse: str, environ: Mapping[str, str] | None = None, maison: Path | None = None
) -> Path | None:
    """Local path of a workbook from Excel's FullName: itself, or the synced copy of a OneDrive/SharePoint URL.

    With AutoSave on, Excel gives the web address of a file kept in OneDrive or SharePoint. The sync client keeps a
    local copy whose folder can be guessed from the environment (``OneDrive``, ``OneDriveConsumer``,
    ``OneDriveCommercial``). None when nothing is found (or for an unsaved workbook, which has no folder).
    """
    environ = os.environ if environ is None else environ
    if "://" not in adresse:
        chemin = Path(adresse)
        return chemin if chemin.is_absolute() else None
    url = urlsplit(adresse)
    hote = (url.hostname or "").lower()
    parties = [unquote(p) for p in url.path.split("/") if p]
    for candidat in _candidats(hote, parties, environ, maison or Path.home()):
        if candidat.exists():
            return candidat
    return None


def _candidats(hote: str, parties: list[str], environ: Mapping[str, str], maison: Path) -> Iterator[Path]:
    nuage = maison / "Library" / "CloudStorage"  # macOS
    racines: list[str | Path | None]
    if hote == "d.docs.live.net" and len(parties) > 1:
        # OneDrive personnel : https://d.docs.live.net/<cid>/<chemin>
        racines = [environ.get("OneDriveConsumer"), environ.get("OneDrive"), maison / "OneDrive"]
        racines.append(nuage / "OneDrive-Personal")
        yield from (Path(r, *parties[1:]) for r in racines if r)
    elif hote.endswith("-my.sharepoint.com") and len(parties) > 3 and parties[0].lower() == "personal":
        # OneDrive professionnel : https://<tenant>-my.sharepoint.com/personal/<user>/Documents/<chemin>
        racines = [environ.get("OneDriveCommercial"), environ.get("OneDrive")]
        racines += _sous_dossiers(nuage, r"OneDrive-(?!Personal$)(?!SharedLibraries-).+")
        yield from (Path(r, *parties[3:]) for r in racines if r)
    elif ".sharepoint." in hote and len(parties) > 3 and parties[0].lower() in ("sites", "teams"):
        # Site SharePoint : https://<tenant>.sharepoint.com/sites/<site>/<bibliothèque>/<chemin>. The sync
        # client puts each library in « <Organisation>\<Site> - <Bibliothèque> », beside « OneDrive - <Organisation> ».
        site, bibliotheque, reste = parties[1], parties[2], parties[3:]
        racines = []
        if commercial := environ.get("OneDriveCommercial"):
            dossier = Path(commercial)
            racines.append(dossier.parent / dossier.name.removeprefix("OneDrive - "))
        racines += _sous_dossiers(nuage, r"OneDrive-SharedLibraries-.+")
        for racine in racines:
            if racine:
                yield from _dans_bibliotheque(Path(racine), site, bibliotheque, reste)


def _sous_dossiers(dossier: Path, motif: str) -> list[Path]:
    if not dossier.is_dir():
        return []
    return sorted(d for d in dossier.iterdir() if d.is_dir() and re.fullmatch(motif, d.name))


def _dans_bibliotheque(racine: Path, site: str, bibliotheque: str, reste: list[str]) -> Iterator[Path]:
    def norme(texte: str) -> str:
        return re.sub(r"[\s_-]", "", texte).lower()

    # The URL's « Shared Documents » is shown as « Documents » (« Documents partagés » in some French sites).
    noms_bibliotheque = {norme(bibliotheque)}
    if norme(bibliotheque) == "shareddocuments":
        noms_bibliotheque |= {"documents", "documentspartages", "documentspartagés"}
    for dossier in _sous_dossiers(racine, r".+ - .+"):
        nom_site, _, nom_local = dossier.name.rpartition(" - ")
        if norme(nom_site) != norme(site):
            continue
        if norme(nom_local) in noms_bibliotheque:
            yield Path(dossier, *reste)
        # Only a sub-folder of the library is synced: « <Site> - <Sous-dossier> ».
        for i, partie in enumerate(reste[:-1]):
            if norme(partie) == norme(nom_local):
                yield Path(dossier, *reste[i + 1 :])

"""Files: atomic writes that keep a backup, hashes, and French errors for locked or missing files."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from rse_xl.errors import FichierError

# Temporary files of an atomic write: a fixed prefix and suffix, so that they are never taken for an
# input (``collecter_classeurs`` skips them) and a later run can remove those a killed process left behind.
PREFIXE_TEMPORAIRE = ".~rse-xl."
SUFFIXE_TEMPORAIRE = ".tmp"
AGE_TEMPORAIRE_ABANDONNE = 10 * 60  # seconds: older than any write, so surely abandoned
# Before 0.1.0 the temporary files were named ``.STEM.<8 random>.EXT`` (mkstemp's defaults).
_ANCIEN_TEMPORAIRE = re.compile(r"^\.(?P<stem>.+)\.[a-z0-9_]{8}(?P<ext>\.xlsx|\.xlsm|\.csv|\.parquet)$")


@contextlib.contextmanager
def ecriture_atomique(
    chemin: Path,
    sauvegarde: bool = False,
    *,
    nature: str | None = None,
    entrees: Iterable[Path | str] = (),
    ecraser: bool = False,
) -> Iterator[Path]:
    """Yield a temporary path beside ``chemin``; on success replace ``chemin`` with it in one rename.

    ``chemin`` is checked first (``verifier_cible``): never an input, never a read-only file, never a file
    rse-xl did not write unless ``ecraser``. A half-written file never replaces a good one: on any error the
    temporary file is removed and the previous file is left untouched. With ``sauvegarde``, the previous
    file is kept as ``NAME.bak.EXT``. ``nature`` is the kind of output, written in the file as its marker.
    """
    chemin = Path(chemin)
    verifier_cible(chemin, nature, entrees=entrees, ecraser=ecraser)
    dossier = chemin.parent
    try:
        dossier.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FichierError(
            f"Impossible de créer le dossier « {texte_chemin(dossier)} » : {raison(exc)}."
        ) from exc
    nettoyer_temporaires(dossier)
    fd, nom = tempfile.mkstemp(
        prefix=f"{PREFIXE_TEMPORAIRE}{chemin.stem}.", suffix=SUFFIXE_TEMPORAIRE, dir=dossier
    )
    os.close(fd)
    tmp = Path(nom)
    try:
        yield tmp
        if sauvegarde and chemin.exists():
            copie = chemin.with_name(f"{chemin.stem}.bak{chemin.suffix}")
            shutil.copy2(chemin, copie)
        # mkstemp creates private files (0600); give the output the usual permissions of a new file.
        os.chmod(tmp, chemin.stat().st_mode & 0o777 if chemin.exists() else 0o666 & ~_umask())
        try:
            os.replace(tmp, chemin)
        except PermissionError as exc:
            raise FichierError(
                f"Le fichier « {texte_chemin(chemin)} » est ouvert ou verrouillé par un autre programme (Excel ?). "
                "Fermez-le puis relancez : rien n'a été perdu."
            ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def est_temporaire(chemin: Path) -> bool:
    """A temporary file of an atomic write (ours, or of an older rse-xl)."""
    nom = chemin.name
    return (nom.startswith(PREFIXE_TEMPORAIRE) and nom.endswith(SUFFIXE_TEMPORAIRE)) or bool(
        _ANCIEN_TEMPORAIRE.match(nom)
    )


def nettoyer_temporaires(dossier: Path, age: float = AGE_TEMPORAIRE_ABANDONNE) -> list[Path]:
    """Remove the temporary files a killed write left in ``dossier`` (older than ``age`` seconds)."""
    limite = time.time() - age
    retires = []
    try:
        candidats = [p for p in dossier.iterdir() if p.name.startswith(".") and est_temporaire(p)]
    except OSError:
        return []
    for p in candidats:
        try:
            st = p.lstat()
            if stat.S_ISREG(st.st_mode) and st.st_mtime < limite:
                p.unlink()
                retires.append(p)
        except OSError:
            continue  # another run may be removing it, or it is not ours to remove: leave it
    return retires


# --- what an output may replace -------------------------------------------------------------------------

# The marker: a custom document property that every workbook rse-xl writes carries (docProps/custom.xml).
PROPRIETE_MARQUE = "rse-xl"
NATURE_SYNTHESE, NATURE_MAITRE, NATURE_OFFICE, NATURE_EXPORT = (
    "synthese",
    "maitre",
    "classeur-office",
    "export",
)
AUTEUR = (
    "rse-xl"  # dc:creator and cp:lastModifiedBy of what we write; Excel and LibreOffice change the latter
)

_LIBELLES_NATURE = {
    NATURE_SYNTHESE: "une synthèse rse-xl",
    NATURE_MAITRE: "un classeur maître rse-xl",
    NATURE_OFFICE: "un classeur d'office",
    NATURE_EXPORT: "un export de données rse-xl",
}


@dataclasses.dataclass(frozen=True)
class Marque:
    """What a file says of itself: which rse-xl output it is, and whether anyone saved it since."""

    nature: str | None  # one of the NATURE_* constants, None for a file rse-xl did not write
    intact: bool  # last saved by rse-xl itself (nobody opened and saved it since)


_TAILLE_MAX_PROPRIETES = 1 << 16
# The workbook part lists every defined name: 59 KB in our template, more once Excel has saved it. Bounded
# all the same, so that a crafted file cannot make us inflate a huge part.
_TAILLE_MAX_CLASSEUR = 1 << 23
_MARQUE = re.compile(rb'name="' + PROPRIETE_MARQUE.encode() + rb'"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>')


def _partie(z: zipfile.ZipFile, nom: str, limite: int = _TAILLE_MAX_PROPRIETES) -> bytes:
    try:
        info = z.getinfo(nom)
    except KeyError:
        return b""
    if info.file_size > limite:
        return b""
    with z.open(info) as f:
        return f.read(limite)


def _texte_balise(xml: bytes, balise: bytes) -> str | None:
    m = re.search(rb"<" + balise + rb"(?:\s[^>]*)?>([^<]*)</" + balise + rb">", xml)
    return m.group(1).decode("utf-8", "replace").strip() if m else None


def lire_marque(chemin: Path) -> Marque:
    """Read the marker of a file rse-xl may have written; never raises, never parses a DTD.

    Workbooks: the custom property ``rse-xl`` (and, for files of older versions, the description or
    subject rse-xl wrote). CSV: our exact header. Parquet: our column names in its footer.
    """
    from rse_xl.layout import MODELE_IDENTIFIANT

    try:
        with open(chemin, "rb") as f:
            debut = f.read(8)
            if debut.startswith(b"PK"):
                f.seek(0)
                with zipfile.ZipFile(f) as z:
                    custom = _partie(z, "docProps/custom.xml")
                    core = _partie(z, "docProps/core.xml")
                    # Without our marker (none, or only other properties: a sensitivity label, SharePoint's
                    # columns), an office workbook of an older version is known by its defined name.
                    m = _MARQUE.search(custom)
                    workbook = b"" if m else _partie(z, "xl/workbook.xml", _TAILLE_MAX_CLASSEUR)
            elif debut.startswith(b"%PDF"):
                # LibreOffice copies the summary's author into the PDF's Info dictionary, as text or UTF-16.
                tete = f.read(_TAILLE_MAX_PROPRIETES)
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - _TAILLE_MAX_PROPRIETES))
                morceaux = (tete + f.read()).upper()
                ok = b"RSE-XL" in morceaux or b"FEFF007200730065002D0078006C" in morceaux
                return Marque(NATURE_EXPORT if ok else None, ok)
            elif debut.startswith(b"PAR1"):
                f.seek(0, os.SEEK_END)
                taille = f.tell()
                f.seek(max(0, taille - _TAILLE_MAX_PROPRIETES))
                fin = f.read()
                ok = all(t.encode("utf-8") in fin for t in _colonnes_export())
                return Marque(NATURE_EXPORT if ok else None, ok)
            else:
                f.seek(0)
                ligne = f.readline(4096).decode("utf-8-sig", "replace").rstrip("\r\n")
                ok = ligne == ";".join(_colonnes_export())
                return Marque(NATURE_EXPORT if ok else None, ok)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return Marque(None, False)
    nature: str | None = None
    if m:
        nature = m.group(1).decode("utf-8", "replace").strip()
    else:  # written by an older rse-xl, before the marker
        description = _texte_balise(core, b"dc:description") or ""
        sujet = _texte_balise(core, b"dc:subject") or ""
        if description.startswith(MODELE_IDENTIFIANT) or b"RSE_MODELE" in workbook:
            nature = NATURE_OFFICE
        elif description.startswith("Classeur maître rse-xl"):
            nature = NATURE_MAITRE
        elif sujet == "Synthèse de la convention RSE inter-offices" and description.startswith("rse-xl"):
            nature = NATURE_SYNTHESE
    intact = _texte_balise(core, b"cp:lastModifiedBy") == AUTEUR
    return Marque(nature, nature is not None and intact)


def _colonnes_export() -> list[str]:
    from rse_xl.export import COLONNES_DONNEES

    return [titre for _, titre in COLONNES_DONNEES]


def _meme_fichier(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        try:
            return a.resolve() == b.resolve()
        except OSError:
            return False


def ecarter_sorties(chemins: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The paths that may be office workbooks, and those that are rse-xl's own outputs with what they are.

    A summary, a master or an export found among the inputs (``rse-xl consolider .`` run twice) is not an
    office's workbook: it is set aside with one line, never reported as an unknown template.
    """
    gardes: list[Path] = []
    ecartes: list[tuple[Path, str]] = []
    for chemin in chemins:
        nature = lire_marque(chemin).nature if Path(chemin).suffix.lower() in (".xlsx", ".xlsm") else None
        if nature in (NATURE_SYNTHESE, NATURE_MAITRE, NATURE_EXPORT):
            ecartes.append((Path(chemin), _LIBELLES_NATURE[nature]))
        else:
            gardes.append(Path(chemin))
    return gardes, ecartes


def verifier_cible(
    chemin: Path,
    nature: str | None,
    *,
    entrees: Iterable[Path | str] = (),
    ecraser: bool = False,
) -> None:
    """Refuse, with a French message, an output path that would destroy something a person needs.

    Never one of the inputs (same file through any name or link); never a read-only file (as Excel does);
    never an office's filled workbook; otherwise an existing file is replaced only when rse-xl wrote it (a
    summary, an export, or a master or blank workbook nobody saved since), or with ``ecraser``.
    """
    chemin = Path(chemin)
    for entree in entrees:
        if _meme_fichier(chemin, Path(entree)):
            raise FichierError(
                f"« {texte_chemin(chemin)} » est l'un des classeurs lus : la sortie le remplacerait. "
                "Choisissez un autre nom ou un autre dossier pour la sortie (option -o)."
            )
    verifier_non_ouvert(chemin)
    if not os.path.lexists(chemin):
        return
    try:
        st = chemin.stat()
    except OSError as exc:
        raise FichierError(f"« {texte_chemin(chemin)} » est inaccessible ({raison(exc)}).") from exc
    if stat.S_ISDIR(st.st_mode):
        raise FichierError(
            f"« {texte_chemin(chemin)} » est un dossier : indiquez un nom de fichier pour la sortie."
        )
    if not stat.S_ISREG(st.st_mode):
        raise FichierError(
            f"« {texte_chemin(chemin)} » n'est pas un fichier ordinaire : choisissez un autre nom."
        )
    # Mode bits, not os.access: root may write anything, and Excel refuses a read-only file all the same.
    if not st.st_mode & 0o222:
        raise FichierError(
            f"« {texte_chemin(chemin)} » est en lecture seule : rse-xl ne le remplace pas. Choisissez un autre nom, "
            "ou retirez l'attribut lecture seule (Propriétés du fichier) si vous voulez vraiment le remplacer."
        )
    marque = lire_marque(chemin)
    if marque.nature == NATURE_OFFICE and not marque.intact:
        raise FichierError(
            f"« {texte_chemin(chemin)} » est le classeur d'un office, rempli : rse-xl ne le remplace jamais. "
            "Choisissez un autre nom pour la sortie."
        )
    if ecraser:
        return
    remplacable = marque.nature is not None and (
        marque.intact or marque.nature in (NATURE_SYNTHESE, NATURE_EXPORT)
    )
    if remplacable and (nature is None or marque.nature == nature):
        return
    if marque.nature is not None:
        quoi = _LIBELLES_NATURE.get(marque.nature, "un fichier rse-xl")
        if marque.nature == NATURE_MAITRE and not marque.intact:
            quoi += " enregistré depuis (réglages ou résultats de quelqu'un)"
    else:
        quoi = "un fichier que rse-xl n'a pas écrit"
    raise FichierError(
        f"« {texte_chemin(chemin)} » existe et c'est {quoi} : rse-xl ne le remplace pas. Choisissez un autre nom, "
        "ou ajoutez --ecraser pour le remplacer (l'ancien est gardé en .bak quand c'est un classeur)."
    )


def texte_chemin(chemin: Path | str) -> str:
    """A path as text that can be printed and written anywhere (console, workbook, CSV, JSON).

    On Linux a file name is bytes: one that is not UTF-8 (``caf\\xe9.xlsx``) reaches Python with surrogate
    escapes, which no encoder takes; each such byte is shown as U+FFFD, as a file manager does.
    """
    texte = os.fspath(chemin)
    if texte.isascii():
        return texte
    return texte.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def verifier_non_ouvert(chemin: Path) -> None:
    """Refuse to replace a file that LibreOffice (or Excel on macOS/Linux) has open, as Windows would.

    On Windows, Excel locks the file itself and the final rename fails; elsewhere nothing stops the rename,
    and the person would keep working on a copy that is no longer on disk. LibreOffice leaves
    ``.~lock.NAME#`` beside the file it has open, Excel ``~$NAME``.
    """
    for verrou, programme in ((f".~lock.{chemin.name}#", "LibreOffice"), (f"~${chemin.name}", "Excel")):
        if (chemin.parent / verrou).exists():
            raise FichierError(
                f"Le fichier « {chemin} » est ouvert dans {programme} (verrou « {verrou} » à côté). "
                "Fermez-le puis relancez : rien n'a été perdu. S'il n'est ouvert nulle part, supprimez ce "
                "fichier de verrou, resté après un arrêt brutal."
            )


def _umask() -> int:
    masque = os.umask(0o022)
    os.umask(masque)
    return masque


def empreinte(chemin: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(chemin, "rb") as f:
        for bloc in iter(lambda: f.read(1 << 20), b""):
            h.update(bloc)
    return h.hexdigest()


_RAISONS = {
    errno.ENOENT: "aucun fichier à cet emplacement",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "support en lecture seule",
    errno.EBUSY: "fichier occupé par un autre programme",
}


def raison(exc: OSError) -> str:
    """An OS error explained in French."""
    return _RAISONS.get(exc.errno or -1, exc.strerror or str(exc))


# .ods is collected too: its author is told how to re-save it rather than see it silently left out.
EXTENSIONS_CLASSEURS = (".xlsx", ".xlsm", ".xls", ".ods")


def collecter_classeurs(entrees: Iterable[Path]) -> list[Path]:
    """Files named, and workbooks found in folders named (recursively), in a stable order.

    Excel's lock files (``~$…``) and rse-xl's backups (``*.bak.xlsx``) are skipped; a missing path raises.
    """
    fichiers: list[Path] = []
    for entree in entrees:
        entree = Path(entree)
        if entree.is_dir():
            trouves = sorted(
                p
                for p in entree.rglob("*")
                if p.suffix.lower() in EXTENSIONS_CLASSEURS
                and p.is_file()
                and not p.name.startswith(("~$", ".~lock", "."))
                and not est_temporaire(p)
                and ".bak." not in p.name
            )
            fichiers.extend(trouves)
        elif entree.exists():
            fichiers.append(entree)
        else:
            raise FichierError(f"« {entree} » n'existe pas : vérifiez le chemin du fichier ou du dossier.")
    vus: set[Path] = set()
    uniques = []
    for f in fichiers:
        cle = f.resolve()
        if cle not in vus:
            vus.add(cle)
            uniques.append(f)
    return uniques

"""Files: atomic writes that keep a backup, hashes, and French errors for locked or missing files."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from rse_xl.errors import FichierError


@contextlib.contextmanager
def ecriture_atomique(chemin: Path, sauvegarde: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``chemin``; on success replace ``chemin`` with it in one rename.

    A half-written file never replaces a good one: on any error the temporary file is removed and the
    previous file is left untouched. With ``sauvegarde``, the previous file is kept as ``NAME.bak.EXT``.
    """
    chemin = Path(chemin)
    dossier = chemin.parent
    verifier_non_ouvert(chemin)
    try:
        dossier.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FichierError(f"Impossible de créer le dossier « {dossier} » : {exc.strerror}.") from exc
    fd, nom = tempfile.mkstemp(prefix=f".{chemin.stem}.", suffix=chemin.suffix, dir=dossier)
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
                f"Le fichier « {chemin} » est ouvert ou verrouillé par un autre programme (Excel ?). "
                "Fermez-le puis relancez : rien n'a été perdu."
            ) from exc
    finally:
        tmp.unlink(missing_ok=True)


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

"""Run headless LibreOffice conversions safely: private profile per call, hard timeout, clear errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from rse_xl.errors import RseXlError

__all__ = ["LibreOfficeError", "convertir", "soffice"]


class LibreOfficeError(RseXlError):
    """LibreOffice is missing, failed, or took too long."""


def soffice() -> str | None:
    """Return the path of the soffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


# Calc keeps the cached results of an .xlsx unless told to recalculate on load (0 = always).
_RECALCUL = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def convertir(
    chemin: str | Path,
    format: str,
    dossier_sortie: str | Path,
    timeout: float = 120,
    recalculer: bool = False,
) -> Path:
    """Convert `chemin` to `format` ("ods", "pdf", "xlsx:Calc MS Excel 2007 XML"…) and return the new file.

    With `recalculer`, Calc recomputes every formula on load, so the output holds what Calc computes.
    """
    executable = soffice()
    if executable is None:
        raise LibreOfficeError("LibreOffice (soffice) est introuvable : installez-le pour convertir.")
    source = Path(chemin).resolve()
    if not source.is_file():
        raise LibreOfficeError(f"Fichier à convertir introuvable : {source}")
    sortie = Path(dossier_sortie).resolve()
    sortie.mkdir(parents=True, exist_ok=True)
    attendu = sortie / f"{source.stem}.{format.split(':', 1)[0]}"
    attendu.unlink(missing_ok=True)

    # A fresh profile per call: concurrent or crashed instances never share or lock a profile.
    with tempfile.TemporaryDirectory(prefix="lo_profile_") as profil:
        if recalculer:
            (Path(profil) / "user").mkdir()
            (Path(profil) / "user" / "registrymodifications.xcu").write_text(_RECALCUL, encoding="utf-8")
        commande = [
            executable,
            f"-env:UserInstallation={Path(profil).as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            format,
            "--outdir",
            str(sortie),
            str(source),
        ]
        # Own process group: soffice forks soffice.bin, and a timeout must kill both.
        processus = subprocess.Popen(
            commande,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            sortie_std, erreurs = processus.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(processus.pid, signal.SIGKILL)
            processus.communicate()
            raise LibreOfficeError(
                f"LibreOffice n'a pas converti {source.name} en {timeout:g} s : processus arrêté."
            ) from None

    if processus.returncode != 0 or not attendu.is_file():
        details = (erreurs or sortie_std).decode(errors="replace").strip()
        raise LibreOfficeError(
            f"LibreOffice n'a pas converti {source.name} en {format} (code {processus.returncode}) : {details}"
        )
    return attendu

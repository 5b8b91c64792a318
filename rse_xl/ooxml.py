"""What the fast cell reader does not tell: file kind, defined names, error and formula cells, zip bombs.

python-calamine reads values quickly but hides formula errors and formulas, and knows no defined names.
This module reads those few things straight from the package's XML with bounded regular expressions
(no XML parser, so no entity expansion: an XML bomb stays inert text).
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from rse_xl.cellules import decouper_reference

# Limits against zip bombs: what a real office workbook never reaches.
TAILLE_DECOMPRESSEE_MAX = 1_000_000_000  # 1 GB for the whole package
RATIO_MAX = 250  # uncompressed / compressed, per member larger than 50 MB
SEUIL_RATIO = 50_000_000
MEMBRES_MAX = 10_000


class Nature(StrEnum):
    XLSX = "xlsx"
    XLSM = "xlsm"
    XLS = "xls"
    CHIFFRE = "chiffre"  # OOXML encrypted with a password (a compound file with EncryptionInfo)
    CFB_AUTRE = "cfb"
    ZIP_AUTRE = "zip"
    TEXTE = "texte"
    VIDE = "vide"
    INCONNU = "inconnu"


def nature_fichier(chemin: Path) -> Nature:
    """Tell the kind of a file by its first bytes, not by its name."""
    with open(chemin, "rb") as f:
        tete = f.read(8)
        if not tete:
            return Nature.VIDE
        if tete.startswith(b"PK\x03\x04") or tete.startswith(b"PK\x05\x06"):
            return Nature.ZIP_AUTRE  # refined by the caller once the zip is opened
        if tete == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            f.seek(0)
            debut = f.read(1 << 16)
            if (
                "EncryptionInfo".encode("utf-16-le") in debut
                or "EncryptedPackage".encode("utf-16-le") in debut
            ):
                return Nature.CHIFFRE
            if "Workbook".encode("utf-16-le") in debut or "Book".encode("utf-16-le") in debut:
                return Nature.XLS
            return Nature.CFB_AUTRE
        f.seek(0)
        debut = f.read(4096)
    try:
        debut.decode("utf-8")
        return Nature.TEXTE
    except UnicodeDecodeError:
        return Nature.INCONNU


class PaquetError(Exception):
    """The package cannot be read; ``code`` is the check code to report."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_DEFINED = re.compile(rb"<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_CELL_ERR = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_CELL_F = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b")
_V = re.compile(rb"<(?:\w+:)?v>([^<]*)</")
_REF = re.compile(rb'\br="([A-Z]{1,3}\d+)"')


def _attrs(brut: bytes) -> dict[str, str]:
    return {
        k.decode().split(":")[-1]: html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(brut)
    }


@dataclass(frozen=True)
class Feuille:
    nom: str
    chemin: str  # member path in the zip
    etat: str  # visible / hidden / veryHidden


@dataclass
class Paquet:
    """An opened OOXML spreadsheet package."""

    chemin: Path
    nature: Nature
    feuilles: list[Feuille] = field(default_factory=list)
    noms: dict[str, str] = field(default_factory=dict)  # workbook-scope defined name → "'Sheet'!$A$1"
    macros: bool = False
    _zip: zipfile.ZipFile | None = None

    @classmethod
    def ouvrir(cls, chemin: Path) -> Paquet:
        try:
            z = zipfile.ZipFile(chemin)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise PaquetError("fichier-illisible", f"archive ZIP corrompue : {exc}") from exc
        try:
            infos = z.infolist()
            if len(infos) > MEMBRES_MAX:
                raise PaquetError("fichier-suspect", f"{len(infos)} éléments dans l'archive")
            total = sum(i.file_size for i in infos)
            if total > TAILLE_DECOMPRESSEE_MAX:
                raise PaquetError("fichier-suspect", f"{total / 1e9:.1f} Go une fois décompressé")
            for i in infos:
                if i.file_size > SEUIL_RATIO and i.file_size > RATIO_MAX * max(i.compress_size, 1):
                    ratio = i.file_size // max(i.compress_size, 1)
                    raise PaquetError("fichier-suspect", f"ratio de compression {ratio}:1 pour {i.filename}")
            noms = {i.filename for i in infos}
            if "xl/workbook.xml" not in noms:
                raise PaquetError(
                    "type-fichier-inconnu", "archive ZIP sans classeur Excel (xl/workbook.xml absent)"
                )
            macros = "xl/vbaProject.bin" in noms
            paquet = cls(chemin, Nature.XLSM if macros else Nature.XLSX, macros=macros, _zip=z)
            paquet._lire_classeur()
            return paquet
        except PaquetError:
            z.close()
            raise
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError) as exc:
            z.close()
            raise PaquetError("fichier-illisible", f"{type(exc).__name__} : {exc}") from exc

    def fermer(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def lire(self, membre: str) -> bytes:
        assert self._zip is not None
        return self._zip.read(membre)

    def _lire_classeur(self) -> None:
        xml = self.lire("xl/workbook.xml")
        rels = {}
        try:
            for brut in _REL.findall(self.lire("xl/_rels/workbook.xml.rels")):
                a = _attrs(brut)
                cible = a.get("Target", "")
                cible = (
                    cible.lstrip("/")
                    if cible.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", cible))
                )
                rels[a.get("Id")] = cible
        except KeyError:
            pass
        for brut in _SHEET.findall(xml):
            a = _attrs(brut)
            self.feuilles.append(
                Feuille(a.get("name", ""), rels.get(a.get("id"), ""), a.get("state", "visible"))
            )
        for brut_attrs, texte in _DEFINED.findall(xml):
            a = _attrs(brut_attrs)
            if "localSheetId" in a:
                continue  # sheet-scope names (print areas…) are not ours
            self.noms[a.get("name", "")] = html.unescape(texte.decode("utf-8", "replace"))

    def feuille(self, nom: str) -> Feuille | None:
        return next((f for f in self.feuilles if f.nom == nom), None)

    def cible_nom(self, nom: str) -> tuple[str, str] | None:
        """(sheet, A1) a defined name points at, when it is one cell."""
        ref = self.noms.get(nom)
        if not ref or "!" not in ref or ":" in ref.rpartition("!")[2]:
            return None
        onglet, cellule = decouper_reference(ref)
        return onglet, cellule

    def cellules_speciales(self, nom_feuille: str, formules: bool = True) -> tuple[dict[str, str], set[str]]:
        """Error cells (A1 → ``#DIV/0!``) and, if asked, the cells holding a formula."""
        f = self.feuille(nom_feuille)
        if f is None or not f.chemin:
            return {}, set()
        try:
            xml = self.lire(f.chemin)
        except KeyError:
            return {}, set()
        erreurs: dict[str, str] = {}
        if b't="e"' in xml:
            for attrs, corps in _CELL_ERR.findall(xml):
                ref = _REF.search(attrs)
                if ref:
                    v = _V.search(corps)
                    erreurs[ref.group(1).decode()] = v.group(1).decode() if v else "#ERREUR"
        avec_formule: set[str] = set()
        if formules:
            for attrs in _CELL_F.findall(xml):
                ref = _REF.search(attrs)
                if ref:
                    avec_formule.add(ref.group(1).decode())
        return erreurs, avec_formule

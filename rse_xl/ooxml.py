"""What the fast cell reader does not tell: file kind, defined names, error and formula cells, zip bombs.

python-calamine reads values quickly but hides formula errors and formulas, and knows no defined names.
This module reads those few things straight from the package's XML with bounded regular expressions
(no XML parser, so no entity expansion: an XML bomb stays inert text).
"""

from __future__ import annotations

import html
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Container
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

# The cell sanitiser and the compound-file reading live in assainir and cfb_lecture; their names stay here too.
from rse_xl.assainir import (  # noqa: F401
    _ATTR_T,
    _CELLULE,
    _ERREURS_OCTETS,
    _T_ATTR,
    _V_INHABITUEL,
    ERREURS_CONNUES,
    NOMBRE_DATE_MAX,
    _a_assainir,
    _assainir_cellule,
    assainir_feuille,
)
from rse_xl.cellules import colonne_lettres, decouper_reference, depuis_a1, lettres_colonne
from rse_xl.cfb_lecture import _CFB_FIN, _CFB_SECTEURS_MAX, noms_cfb  # noqa: F401

# Limits against zip bombs: what a real office workbook never reaches.
TAILLE_DECOMPRESSEE_MAX = 1_000_000_000  # 1 GB for the whole package
RATIO_MAX = 250  # uncompressed / compressed, per member larger than 50 MB
SEUIL_RATIO = 50_000_000
MEMBRES_MAX = 10_000
TAILLE_EN_MEMOIRE = 64_000_000  # bytes of a file read at once; bigger ones are read member by member
# The fast reader allocates the whole rectangle from the first to the last cell of a sheet (or of a table),
# about 50 bytes a cell, and aborts the process when that fails: one value typed in XFD1048576 is 512 GiB.
# Ten million cells (Excel's million rows on ten columns, ~0.5 GB) is far beyond what the layout holds.
CELLULES_MAX = 10_000_000


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
            noms = noms_cfb(f)
            if {"EncryptionInfo", "EncryptedPackage"} & noms:
                return Nature.CHIFFRE
            if {"Workbook", "Book"} & noms:
                return Nature.XLS
            return Nature.CFB_AUTRE
        f.seek(0)
        debut = f.read(4096)
    try:
        debut.decode("utf-8")
        return Nature.TEXTE
    except UnicodeDecodeError:
        return Nature.INCONNU


# The first member of an OpenDocument file names its kind (ODF 1.2, part 3, 3.3).
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _millions(cellules: int) -> str:
    return f"soit {cellules / 1e6:,.0f} millions de cellules".replace(",", " ")


def _rectangle(ref: bytes) -> tuple[int, str]:
    """Cells of a range ``A1:XFD1048576`` and its far corner; (0, "") when it is not one."""
    m = re.fullmatch(rb"\$?([A-Za-z]{1,7})\$?(\d{1,9})(?::\$?([A-Za-z]{1,7})\$?(\d{1,9}))?", ref.strip())
    if m is None:
        return 0, ""
    c1, l1 = lettres_colonne(m.group(1).decode()), int(m.group(2))
    c2, l2 = (lettres_colonne(m.group(3).decode()), int(m.group(4))) if m.group(3) else (c1, l1)
    cellules = (abs(c2 - c1) + 1) * (abs(l2 - l1) + 1)
    return cellules, f"{colonne_lettres(max(c1, c2))}{max(l1, l2)}"


def _etendue_dimension(xml: bytes) -> tuple[int, str]:
    m = _DIMENSION.search(xml, 0, 4096) or _DIMENSION.search(xml)
    return _rectangle(m.group(1)) if m else (0, "")


def etendue_feuille(xml: bytes) -> tuple[int, str]:
    """Cells of the rectangle the fast reader allocates for a sheet (first to last cell holding something),
    and its far corner: (0, "") when it is surely small.

    The usual sheet is told in two searches of the XML: no cell beyond column Z or row 99 999, every cell
    tag placed by its ``r``. Anything else is walked tag by tag as the reader does (a cell without ``r``
    follows the previous one; a row without ``r`` follows the previous row).
    """
    if _REF_LOINTAINE.search(xml) is None and _C_INHABITUELLE.search(xml) is None:
        return 0, ""
    ligne = col = 0
    lmin = cmin = 1 << 62
    lmax = cmax = -1
    for m in _JETON.finditer(xml):
        fermant, nom, attrs, vide = m.groups()
        if nom == b"row":
            if fermant or vide:
                ligne, col = ligne + 1, 0
            else:
                r = _REF_ATTR.search(attrs)
                if r is not None and r.group(2):
                    ligne = int(r.group(2)) - 1
            continue
        if fermant:
            continue
        r = _REF_ATTR.search(attrs)
        if r is not None and r.group(1) and r.group(2):
            lc, cc = int(r.group(2)) - 1, lettres_colonne(r.group(1).decode())
        else:
            lc, cc = ligne, col
        col = cc + 1
        if vide:
            continue  # an empty cell tag holds nothing: the reader skips it
        lmin, lmax, cmin, cmax = min(lmin, lc), max(lmax, lc), min(cmin, cc), max(cmax, cc)
    if lmax < 0:
        return 0, ""
    return (lmax - lmin + 1) * (cmax - cmin + 1), f"{colonne_lettres(cmax)}{lmax + 1}"


class PaquetError(Exception):
    """The package cannot be read; ``code`` is the check code to report."""

    def __init__(self, code: str, detail: str, onglet: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.onglet = onglet  # the sheet at fault, when there is one


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_DEFINED = re.compile(rb"<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>")
_SHEET_SANS_PREFIXE = re.compile(rb"<sheet\b([^>]*)/?>")
_DEFINED_SANS_PREFIXE = re.compile(rb"<definedName\b([^>]*)>([^<]*)</definedName>")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_CELL_ERR = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_CELL_F = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b")
_V = re.compile(rb"<(?:\w+:)?v>([^<]*)</")
_REF = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
# A cell beyond column Z or row 99 999: only then can a sheet reach CELLULES_MAX (26 × 99 999 cannot).
_REF_LOINTAINE = re.compile(rb'<c r="(?:[A-Z]{2,}\d+|[A-Z]\d{6,})"')
# A cell tag the fast scan cannot place: no ``r`` first, a namespace prefix, an empty tag.
_C_INHABITUELLE = re.compile(rb'<\w+:c[\s/>]|<c(?:[>/]|\s+(?!r="))')
_JETON = re.compile(rb"<(/?)(?:\w+:)?(row|c)\b([^>]*?)(/?)>")
_REF_ATTR = re.compile(rb'\br\s*=\s*"([A-Za-z]*)(\d*)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
_TABLE_REF = re.compile(rb'<(?:\w+:)?table\b[^>]*?\bref="([^"]*)"')
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
# The usual shape of a workbook-scope name, read without the general attribute parser.
_NOM_SIMPLE = re.compile(rb' name="([^"&]*)"')
# One cell target of a defined name: 'Sheet'!$D$12 or Sheet!D12.
_CIBLE = re.compile(r"(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?(\d+)")


def _attrs(brut: bytes) -> dict[str, str]:
    return {
        k.decode().split(":")[-1]: html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(brut)
    }


_DIMENSION_DERNIERE_LIGNE = re.compile(rb'<(?:\w+:)?dimension\s+ref="[^"]*?(\d+)"')
_POSITIONS: dict[str, tuple[str, int, int] | None] = {}


def _position(ref: str) -> tuple[str, int, int] | None:
    """``'F03 X'!$D$12`` → (``F03 X``, 11, 3); None unless one cell. Memoised: workbooks share their names."""
    try:
        return _POSITIONS[ref]
    except KeyError:
        pass
    position: tuple[str, int, int] | None = None
    if "!" in ref and ":" not in ref.rpartition("!")[2]:
        m = _CIBLE.fullmatch(ref)
        if m is not None:  # the usual shape, parsed in one go
            onglet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
            position = onglet, int(m.group(4)) - 1, lettres_colonne(m.group(3))
        else:
            onglet, cellule = decouper_reference(ref)
            try:
                ligne, col = depuis_a1(cellule)
                position = onglet, ligne, col
            except ValueError:
                position = None
    if len(_POSITIONS) > 100_000:
        _POSITIONS.clear()
    _POSITIONS[ref] = position
    return position


@dataclass(frozen=True)
class Feuille:
    nom: str
    chemin: str  # member path in the zip
    etat: str  # visible / hidden / veryHidden


# Parsed workbook parts by their bytes: the workbooks of one template share them, byte for byte.
_CLASSEURS: dict[tuple[bytes, bytes | None], tuple[tuple[Feuille, ...], dict[str, str]]] = {}


def _lire_classeur(xml: bytes, xml_rels: bytes | None) -> tuple[tuple[Feuille, ...], dict[str, str]]:
    """Sheets (name, member, state) and workbook-scope defined names of ``xl/workbook.xml``."""
    rels = {}
    for brut in _REL.findall(xml_rels or b""):
        a = _attrs(brut)
        cible = a.get("Target", "")
        cible = (
            cible.lstrip("/") if cible.startswith("/") else posixpath.normpath(posixpath.join("xl", cible))
        )
        rels[a.get("Id")] = cible
    # Without a namespace prefix on these tags (the usual case), patterns that start with a literal run faster.
    sheet = _SHEET if b":sheet" in xml else _SHEET_SANS_PREFIXE
    feuilles = []
    for brut in sheet.findall(xml):
        a = _attrs(brut)
        feuilles.append(Feuille(a.get("name", ""), rels.get(a.get("id"), ""), a.get("state", "visible")))
    noms: dict[str, str] = {}
    defined = _DEFINED if b":definedName" in xml else _DEFINED_SANS_PREFIXE
    for brut_attrs, texte in defined.findall(xml):
        simple = _NOM_SIMPLE.fullmatch(brut_attrs)
        if simple is not None:
            nom = simple.group(1).decode("utf-8", "replace")
        else:
            a = _attrs(brut_attrs)
            if "localSheetId" in a:
                continue  # sheet-scope names (print areas…) are not ours
            nom = a.get("name", "")
        noms[nom] = html.unescape(texte.decode("utf-8", "replace"))
    return tuple(feuilles), noms


@dataclass
class Paquet:
    """An opened OOXML spreadsheet package."""

    chemin: Path
    nature: Nature
    feuilles: list[Feuille] = field(default_factory=list)
    noms: dict[str, str] = field(default_factory=dict)  # workbook-scope defined name → "'Sheet'!$A$1"
    macros: bool = False
    _zip: zipfile.ZipFile | None = None
    _octets: bytes | None = field(default=None, repr=False)
    _par_nom: dict[str, Feuille] = field(default_factory=dict, repr=False)
    _feuilles_lues: dict[str, bytes] = field(default_factory=dict, repr=False)
    # sheets rewritten for the fast reader (member → XML), see ``assainir_feuille`` and ``copie_assainie``
    assainies: dict[str, bytes] = field(default_factory=dict, repr=False)

    @classmethod
    def ouvrir(cls, chemin: Path) -> Paquet:
        try:
            # A workbook of usual size is read into memory once: its members are inflated from there.
            octets = Path(chemin).read_bytes() if os.path.getsize(chemin) <= TAILLE_EN_MEMOIRE else None
            z = zipfile.ZipFile(io.BytesIO(octets) if octets is not None else chemin)
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
                if "mimetype" in noms and z.read("mimetype").startswith(ODS_MIMETYPE):
                    raise PaquetError("format-autre-tableur", "Classeur LibreOffice / OpenDocument (.ods)")
                raise PaquetError(
                    "type-fichier-inconnu", "archive compressée qui ne contient pas de classeur"
                )
            macros = "xl/vbaProject.bin" in noms
            paquet = cls(
                chemin, Nature.XLSM if macros else Nature.XLSX, macros=macros, _zip=z, _octets=octets
            )
            paquet._refuser_dtd(infos)
            paquet._lire_classeur()
            paquet._borner_etendues(infos)
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
        self._octets = None
        self._feuilles_lues.clear()

    def _refuser_dtd(self, infos: list[zipfile.ZipInfo]) -> None:
        """A DTD (``<!DOCTYPE``, ``<!ENTITY``) has no place in OOXML and is how XML bombs and external
        entities get in: the file is refused before any parser (ours, the fast reader, openpyxl) sees it."""
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")) and _DTD.search(self.lire(info.filename)):
                raise PaquetError(
                    "fichier-illisible", f"déclaration DOCTYPE dans {info.filename}, refusée par sécurité"
                )

    def _borner_etendues(self, infos: list[zipfile.ZipInfo]) -> None:
        """Refuse a sheet or table whose rectangle of cells the fast reader could not allocate (see CELLULES_MAX)."""
        for f in self.feuilles:
            if not f.chemin or not f.chemin.startswith("xl/worksheets/"):
                continue
            try:
                xml = self.lire(f.chemin)
            except KeyError:
                continue
            self._feuilles_lues[f.chemin] = xml
            assainie = assainir_feuille(xml)
            if assainie is not None:
                self.assainies[f.chemin] = assainie
            for cellules, coin in (etendue_feuille(xml), _etendue_dimension(xml)):
                if cellules > CELLULES_MAX:
                    raise PaquetError(
                        "classeur-demesure",
                        f"l'onglet « {f.nom} » s'étend jusqu'à la cellule {coin}, {_millions(cellules)}",
                        onglet=f.nom,
                    )
        for info in infos:
            if info.filename.startswith("xl/tables/") and info.filename.endswith(".xml"):
                m = _TABLE_REF.search(self.lire(info.filename))
                cellules, coin = _rectangle(m.group(1)) if m else (0, "")
                if cellules > CELLULES_MAX:
                    nom = posixpath.basename(info.filename)
                    raise PaquetError(
                        "classeur-demesure",
                        f"un tableau ({nom}) s'étend jusqu'à la cellule {coin}, {_millions(cellules)}",
                    )

    def assainir_tout(self) -> bool:
        """Rewrite every sheet holding a cell the fast reader refuses (after it refused one); whether any."""
        for f in self.feuilles:
            if f.chemin and f.chemin.startswith("xl/worksheets/") and f.chemin not in self.assainies:
                try:
                    assainie = assainir_feuille(self.lire(f.chemin), tout=True)
                except KeyError:
                    continue
                if assainie is not None:
                    self.assainies[f.chemin] = assainie
        return bool(self.assainies)

    def copie_assainie(self) -> bytes:
        """The package with the sheets of ``assainies`` rewritten, for the readers (the file is untouched)."""
        assert self._zip is not None
        sortie = io.BytesIO()
        with zipfile.ZipFile(sortie, "w", zipfile.ZIP_STORED) as z:
            for info in self._zip.infolist():
                contenu = self.assainies.get(info.filename)
                z.writestr(info.filename, contenu if contenu is not None else self.lire(info.filename))
        return sortie.getvalue()

    def lire(self, membre: str) -> bytes:
        assert self._zip is not None
        lue = self._feuilles_lues.get(membre)
        if lue is not None:
            return lue
        info = self._zip.getinfo(membre)
        octets = self._octets
        # A deflated member inflated straight from the file's bytes; anything unusual (or wrong) goes
        # through zipfile, which reads every kind of member and reports every kind of damage.
        if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1 and octets is not None:
            h = info.header_offset
            if octets[h : h + 4] == b"PK\x03\x04":
                n, m = struct.unpack_from("<HH", octets, h + 26)
                debut = h + 30 + n + m
                try:
                    contenu = zlib.decompressobj(-15).decompress(
                        octets[debut : debut + info.compress_size], info.file_size + 1
                    )
                except zlib.error:
                    contenu = None
                if contenu is not None and len(contenu) == info.file_size and zlib.crc32(contenu) == info.CRC:
                    return contenu
        return self._zip.read(membre)

    def _lire_classeur(self) -> None:
        xml = self.lire("xl/workbook.xml")
        try:
            xml_rels: bytes | None = self.lire("xl/_rels/workbook.xml.rels")
        except KeyError:
            xml_rels = None
        cle = (xml, xml_rels)
        connu = _CLASSEURS.get(cle)
        if connu is None:
            connu = _lire_classeur(xml, xml_rels)
            if len(_CLASSEURS) >= 32:  # a batch has a few layouts, not hundreds
                _CLASSEURS.clear()
            _CLASSEURS[cle] = connu
        feuilles, noms = connu
        self.feuilles = list(feuilles)
        self.noms = dict(noms)
        for f in reversed(self.feuilles):  # the first sheet of a name wins, as in feuille()
            self._par_nom[f.nom] = f

    def feuille(self, nom: str) -> Feuille | None:
        if self.feuilles and not self._par_nom:  # a package built by hand, not by ouvrir()
            return next((f for f in self.feuilles if f.nom == nom), None)
        return self._par_nom.get(nom)

    def cible_nom(self, nom: str) -> tuple[str, str] | None:
        """(sheet, A1) a defined name points at, when it is one cell."""
        ref = self.noms.get(nom)
        if not ref or "!" not in ref or ":" in ref.rpartition("!")[2]:
            return None
        onglet, cellule = decouper_reference(ref)
        return onglet, cellule

    def position(self, nom: str) -> tuple[str, int, int] | None:
        """(sheet, 0-based row, 0-based col) a defined name points at, when it is one cell."""
        ref = self.noms.get(nom)
        return _position(ref) if ref else None

    def derniere_ligne(self, nom_feuille: str) -> int | None:
        """0-based last row of the sheet's ``<dimension>`` (its used range), None when it is not stated.

        Only the start of the sheet's XML is inflated: the dimension comes before the cells.
        """
        f = self.feuille(nom_feuille)
        if f is None or not f.chemin or self._zip is None:
            return None
        try:
            with self._zip.open(f.chemin) as flux:
                debut = flux.read(4096)
        except (KeyError, OSError, zipfile.BadZipFile, EOFError, zlib.error):
            return None
        m = _DIMENSION_DERNIERE_LIGNE.search(debut)
        return int(m.group(1)) - 1 if m else None

    def cellules_speciales(
        self, nom_feuille: str, formules: bool = True
    ) -> tuple[dict[str, str], Container[str]]:
        """Error cells (A1 → ``#DIV/0!``) and, if asked, the cells holding a formula."""
        f = self.feuille(nom_feuille)
        if f is None or not f.chemin:
            return {}, frozenset()
        try:
            xml = self.lire(f.chemin)
        except KeyError:
            return {}, frozenset()
        erreurs: dict[str, str] = {}
        if b't="e"' in xml:
            for attrs, corps in _CELL_ERR.findall(xml):
                ref = _REF.search(attrs)
                if ref:
                    v = _V.search(corps)
                    erreurs[ref.group(1).decode()] = v.group(1).decode() if v else "#ERREUR"
        return erreurs, (CellulesFormules(xml) if formules else frozenset())


class CellulesFormules:
    """The cells of a sheet holding a formula, as ``_CELL_F`` finds them, asked about one cell at a time.

    A fiche sheet holds dozens of live formulas; the reading asks about the few cells it expects a formula
    in. Each is looked up in the sheet's XML (``<c r="E12"`` then ``<f``) by the C search of ``bytes.find``,
    from where the last one was found (cells are asked about in the sheet's order), where listing every
    formula takes a Python step per formula. A cell not found so (another attribute order, a namespace
    prefix on the cell tag) sends this question and every later one to the full list.
    """

    def __init__(self, xml: bytes) -> None:
        self._xml = xml
        self._depuis = 0
        self._toutes: set[str] | None = None

    def toutes(self) -> set[str]:
        """Every formula cell of the sheet (found once; later questions are then set lookups)."""
        if self._toutes is None:
            self._toutes = cellules_formules(self._xml)
        return self._toutes

    def __contains__(self, cellule: object) -> bool:
        if self._toutes is None and isinstance(cellule, str):
            xml = self._xml
            balise = b'<c r="' + cellule.encode("ascii", "replace") + b'"'
            debut = xml.find(balise, self._depuis)
            if debut < 0:
                debut = xml.find(balise, 0, self._depuis + len(balise))
            fin = xml.find(b">", debut) if debut >= 0 else -1
            if fin >= 0 and xml.count(b"<", debut + 1, fin) == 0:
                self._depuis = fin
                return _DEBUT_F.match(xml, fin + 1) is not None
            self._toutes = cellules_formules(xml)
        return self._toutes is not None and cellule in self._toutes


_BALISE_C = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_ESPACES_XML = frozenset(b" \t\n\r\f\v")  # what \s matches in a bytes pattern
_BALISE_F = re.compile(rb"<f\b")
_DEBUT_F = re.compile(rb"\s*<(?:\w+:)?f\b")  # what follows the cell tag in _CELL_F


def cellules_formules(xml: bytes) -> set[str]:
    """Cells holding a formula: exactly what ``_CELL_F`` finds, found from the few ``<f`` tags instead.

    The regular expression tries a match at every tag of the sheet; here only the formula tags are visited,
    then the cell tag just before each. Shapes this shortcut does not vouch for (namespace prefixes, a
    stray ``<`` inside a tag) fall back to the regular expression.
    """
    if b":f" in xml:
        return _cellules_formules_re(xml)
    cellules: set[str] = set()
    for balise_f in _BALISE_F.finditer(xml):
        fin = balise_f.start()
        while fin and xml[fin - 1] in _ESPACES_XML:
            fin -= 1
        if fin and xml[fin - 1] == 0x3E:  # the tag just before ends with ">"
            ouvrants = xml.count(b"<", xml.rfind(b">", 0, fin - 1) + 1, fin)
            if ouvrants > 1:
                return _cellules_formules_re(xml)
            if ouvrants == 1:
                balise = _BALISE_C.fullmatch(xml, xml.rfind(b"<", 0, fin), fin)
                ref = _REF.search(balise.group(1)) if balise is not None else None
                if ref:
                    cellules.add(ref.group(1).decode())
    return cellules


_BALISE_F_TOUTE = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(/>|>([^<]*)</(?:\w+:)?f>)")
_BALISE_F_SIMPLE = re.compile(rb"<f\b([^>]*?)(/>|>([^<]*)</f>)")  # literal prefix: a fast scan
_FIN_C = re.compile(rb"</(?:\w+:)?c>")


def formules_et_resultats(xml: bytes) -> dict[str, tuple[str, bool]]:
    """Cells holding a formula → (its text, whether a spreadsheet stored its result: a non-empty ``<v>``).

    Files written by a program (openpyxl, XlsxWriter…) hold formulas without results; a spreadsheet that
    saved the file stored one. A shared formula's other cells (``<f t="shared" si="0"/>``) show ``=…``.
    """
    resultats: dict[str, tuple[str, bool]] = {}
    if b"<f" not in xml and b":f" not in xml:
        return resultats
    for m in (_BALISE_F_TOUTE if b":f" in xml else _BALISE_F_SIMPLE).finditer(xml):
        debut = xml.rfind(b"<", 0, m.start())
        balise = _BALISE_C.fullmatch(xml, debut, m.start()) if debut >= 0 else None
        if balise is None:  # whitespace between the cell tag and <f>: look a little further back
            avant = xml.rfind(b">", 0, m.start())
            debut = xml.rfind(b"<", 0, avant)
            balise = _BALISE_C.fullmatch(xml, debut, avant + 1) if debut >= 0 and avant >= 0 else None
            if balise is None or xml[avant + 1 : m.start()].strip():
                continue
        ref = _REF.search(balise.group(1))
        if ref is None:
            continue
        fin = _FIN_C.search(xml, m.end())
        corps = xml[m.end() : fin.start() if fin else len(xml)]
        v = _V.search(corps)
        texte = html.unescape(m.group(3).decode("utf-8", "replace")) if m.group(3) else ""
        resultats[ref.group(1).decode()] = ("=" + texte if texte else "=…", bool(v and v.group(1).strip()))
    return resultats


def formule_de(xml: bytes, cellule: str) -> tuple[str, bool] | None:
    """``formules_et_resultats`` for one cell, found by its tag (None: no formula, or a tag not found)."""
    debut = xml.find(b'<c r="' + cellule.encode("ascii", "replace") + b'"')
    if debut < 0:
        return formules_et_resultats(xml).get(cellule)
    fin = _FIN_C.search(xml, debut)
    return formules_et_resultats(xml[debut : fin.end() if fin else len(xml)]).get(cellule)


def _cellules_formules_re(xml: bytes) -> set[str]:
    cellules: set[str] = set()
    for attrs in _CELL_F.findall(xml):
        ref = _REF.search(attrs)
        if ref:
            cellules.add(ref.group(1).decode())
    return cellules

"""Build a source-only vbaProject.bin (MS-OVBA) from VBA text, for XlsxWriter's add_vba_project."""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rse_xl.vba import encryption
from rse_xl.vba.cfb import write_compound_file
from rse_xl.vba.compression import compress

__all__ = ["Module", "ModuleKind", "build_vba_project", "read_modules_from_files", "stored_source"]

ModuleKind = Literal["standard", "class", "document"]

CODEPAGE = "cp1252"
# PROJECTSYSKIND (2.3.4.2.1.1): 3 is SYSKIND_WIN64, what 64-bit Excel writes, and what xlwings' own
# quickstart_standalone.xlsm declares. 64-bit Office is Microsoft's default since Office 2019/365, so this
# is what the master's users' Excel writes back anyway. With no p-code (see _VBA_PROJECT) every host
# recompiles from the module sources, so 32-bit Excel and Excel for Mac (which write 1 and 2) open it too.
SYSKIND = 0x00000003
LCID = 0x0409

# _VBA_PROJECT stream (2.3.4.1): Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3.
# Version 0xFFFF and no PerformanceCache tell the host to compile from the module sources.
_VBA_PROJECT = b"\xcc\x61\xff\xff\x00\x00\x00"

_STDOLE = (
    "stdole",
    r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
)
_OFFICE = (
    "Office",
    r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files\Microsoft Shared"
    r"\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
)

# VB_Base of document modules: the Workbook and Worksheet coclasses of the Excel type library.
_BASE_WORKBOOK = '"0{00020819-0000-0000-C000-000000000046}"'
_BASE_WORKSHEET = '"0{00020820-0000-0000-C000-000000000046}"'
# VB_Base the VBE gives every class module it imports.
_BASE_CLASS = '"0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"'

# Module-level attributes, in the order the VBE stores them, with the values it gives each kind.
_CLASS_ATTRIBUTES = {
    "VB_Base": _BASE_CLASS,
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "False",
    "VB_Exposed": "False",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "False",
}
_DOCUMENT_ATTRIBUTES = {
    "VB_Base": "",  # set per module: workbook or worksheet
    "VB_GlobalNameSpace": "False",
    "VB_Creatable": "False",
    "VB_PredeclaredId": "True",
    "VB_Exposed": "True",
    "VB_TemplateDerived": "False",
    "VB_Customizable": "True",
}

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_ATTRIBUTE = re.compile(r"Attribute\s+(VB_\w+)\s*=\s*(.*?)\s*\Z", re.IGNORECASE)
_VB_NAME = re.compile(r'^\s*Attribute\s+VB_Name\s*=\s*"([^"]*)"', re.IGNORECASE | re.MULTILINE)
# Keywords the VBE refuses as module names.
_KEYWORDS = """
    And As Boolean ByRef Byte ByVal Call Case CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng
    CLngPtr Close Const CSng CStr Currency CVar CVErr Date Debug Declare DefBool DefByte DefCur
    DefDate DefDbl DefDec DefInt DefLng DefLngLng DefLngPtr DefObj DefSng DefStr DefVar Dim Do
    Double Each Else ElseIf Empty End EndIf Enum Eqv Erase Error Event Exit False For Friend
    Function Get Global GoSub GoTo If Imp Implements In Input Integer Is LBound Let Like Lock Long
    LongLong LongPtr Loop LSet Me Mod New Next Not Nothing Null On Open Option Optional Or
    ParamArray Preserve Print Private Property Public Put RaiseEvent ReDim Rem Resume Return RSet
    Seek Select Set Single Static Step Stop String Sub Then To True Type TypeOf UBound Unlock
    Until Variant Wend While With WithEvents Write Xor
    """
_RESERVED = frozenset(word.lower() for word in _KEYWORDS.split())


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, its source text and its kind (standard .bas, class .cls, document)."""

    name: str
    source: str
    kind: ModuleKind = "standard"


def build_vba_project(
    modules: Sequence[Module],
    *,
    workbook_codename: str = "ThisWorkbook",
    sheet_codenames: Sequence[str],
    project_name: str = "VBAProject",
    project_id: uuid.UUID | None = None,
    office_reference: bool = False,
) -> bytes:
    """Return the bytes of a vbaProject.bin holding `modules` plus one document module per codename."""
    _check_identifier(project_name, "nom de projet VBA")
    documents = [(workbook_codename, _BASE_WORKBOOK)] + [(name, _BASE_WORKSHEET) for name in sheet_codenames]
    for name, _ in documents:
        _check_identifier(name, "nom de code de classeur ou de feuille")
    _check_unique([name for name, _ in documents] + [m.name for m in modules if m.kind != "document"])

    provided = {}
    for module in modules:
        if module.kind not in ("standard", "class", "document"):
            raise ValueError(f"Type de module VBA inconnu pour {module.name!r} : {module.kind!r}.")
        _check_identifier(module.name, "nom de module VBA")
        if module.kind == "document":
            if module.name.lower() in provided:
                raise ValueError(f"Module document {module.name!r} fourni deux fois.")
            provided[module.name.lower()] = module
    known = {name.lower(): name for name, _ in documents}
    for key, module in provided.items():
        if key not in known:
            raise ValueError(
                f"Le module document {module.name!r} ne correspond à aucun nom de code "
                f"(classeur {workbook_codename!r}, feuilles {list(sheet_codenames)!r})."
            )

    final: list[tuple[Module, bytes]] = []
    for name, base in documents:
        given = provided.get(name.lower())
        module = Module(name, given.source if given else "", "document")
        final.append((module, stored_source(module, vb_base=base)))
    for module in modules:
        if module.kind != "document":
            final.append((module, stored_source(module)))

    if project_id is None:
        digest = hashlib.sha256(project_name.encode())
        for module, text in final:
            digest.update(f"\0{module.kind}\0{module.name}\0".encode() + text)
        project_id = uuid.UUID(bytes=digest.digest()[:16], version=4)
    clsid = "{" + str(project_id).upper() + "}"

    streams = {
        "PROJECT": _project_stream(clsid, project_name, [m for m, _ in final]),
        "PROJECTwm": _projectwm_stream([m.name for m, _ in final]),
        "VBA/_VBA_PROJECT": _VBA_PROJECT,
        "VBA/dir": compress(_dir_stream(project_name, [m for m, _ in final], office_reference)),
    }
    for module, text in final:
        # MODULEOFFSET is 0: the module stream is the compressed source alone (2.3.4.3).
        streams[f"VBA/{module.name}"] = compress(text)
    return write_compound_file(streams)


def stored_source(module: Module, *, vb_base: str | None = None) -> bytes:
    """Return the module text as the VBE stores it: attribute header first, CRLF, cp1252."""
    text = module.source.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if module.kind == "class":
        lines = _strip_class_header(lines)
    attributes: dict[str, tuple[str, str]] = {}  # lower-case name -> (name as written, value)
    while lines and (match := _ATTRIBUTE.match(lines[0].strip())):
        attributes[match.group(1).lower()] = (match.group(1), match.group(2))
        lines.pop(0)

    written = attributes.pop("vb_name", None)
    if written is not None and written[1] != f'"{module.name}"':
        raise ValueError(
            f"Le module {module.name!r} déclare « Attribute VB_Name = {written[1]} » : "
            f"le nom doit être {module.name!r}."
        )
    header = [f'Attribute VB_Name = "{module.name}"']
    if module.kind == "class":
        defaults = _CLASS_ATTRIBUTES
    elif module.kind == "document":
        defaults = {**_DOCUMENT_ATTRIBUTES, "VB_Base": vb_base or _BASE_WORKSHEET}
    else:
        defaults = {}
    for name, default in defaults.items():
        given = attributes.pop(name.lower(), None)
        # Document modules always get the host's header; their VB_Base comes from their role.
        value = default if given is None or module.kind == "document" else given[1]
        header.append(f"Attribute {name} = {value}")
    header += [f"Attribute {name} = {value}" for name, value in attributes.values()]

    body = "\r\n".join(header + lines)
    if not body.endswith("\r\n"):
        body += "\r\n"
    try:
        return body.encode(CODEPAGE)
    except UnicodeEncodeError as error:
        character = body[error.start]
        raise ValueError(
            f"Le module {module.name!r} contient {character!r} (U+{ord(character):04X}), "
            f"absent de la page de code Windows-1252 : remplacez ce caractère."
        ) from None


def read_modules_from_files(paths: Iterable[str | Path]) -> list[Module]:
    """Read exported modules: .bas as standard, .cls as class; the name comes from Attribute VB_Name."""
    modules = []
    for path in map(Path, paths):
        suffix = path.suffix.lower()
        if suffix not in (".bas", ".cls"):
            raise ValueError(f"Fichier VBA non pris en charge : {path} (extensions acceptées : .bas, .cls).")
        raw = path.read_bytes()
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            source = raw.decode(CODEPAGE, errors="replace")  # the VBE exports in the ANSI code page
        match = _VB_NAME.search(source)
        name = match.group(1) if match else path.stem
        modules.append(Module(name, source, "standard" if suffix == ".bas" else "class"))
    return modules


def _strip_class_header(lines: list[str]) -> list[str]:
    """Drop the VERSION 1.0 CLASS / BEGIN … END lines of an exported .cls: they are not stored."""
    index = 0
    if index < len(lines) and lines[index].strip().upper().startswith("VERSION "):
        index += 1
    if index < len(lines) and lines[index].strip().upper() == "BEGIN":
        while index < len(lines) and lines[index].strip().upper() != "END":
            index += 1
        index += 1
    return lines[index:]


def _check_identifier(name: str, what: str) -> None:
    """Raise ValueError unless `name` is a VBA identifier the VBE accepts as a module name."""
    what = what[0].upper() + what[1:]
    if not isinstance(name, str) or not _IDENTIFIER.match(name) or len(name) > 31:
        raise ValueError(
            f"{what} invalide : {name!r}. Il doit commencer par une lettre, ne contenir "
            f"que des lettres non accentuées, des chiffres ou « _ », et faire au plus 31 caractères."
        )
    if name.lower() in _RESERVED:
        raise ValueError(f"{what} invalide : {name!r} est un mot réservé de VBA.")


def _check_unique(names: list[str]) -> None:
    """Raise ValueError if two modules share a name: VBA names are case-insensitive."""
    seen: dict[str, str] = {}
    for name in names:
        if name.lower() in seen:
            raise ValueError(f"Nom de module VBA en double : {seen[name.lower()]!r} et {name!r}.")
        seen[name.lower()] = name


def _encrypted(clsid: str, label: str, data: bytes) -> str:
    """Return the hex text of a CMG/DPB/GC value, seeded from the project id for reproducible output."""
    digest = hashlib.sha256(f"{clsid}{label}".encode()).digest()
    return encryption.encrypt(clsid, data, seed=digest[0], ignored=digest[1:4]).hex().upper()


_VISIBLE = b"\xff"  # ProjectVisibilityState: the project shows in the VBE (2.3.1.17)


def _project_stream(clsid: str, project_name: str, modules: list[Module]) -> bytes:
    """Return the PROJECT stream (2.3.1): text properties of the project, CRLF, MBCS."""
    lines = [f'ID="{clsid}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        # Unprotected: ProjectProtectionState 0 (2.3.1.15), no password (2.3.1.16), visible (2.3.1.17).
        f'CMG="{_encrypted(clsid, "CMG", bytes(4))}"',
        f'DPB="{_encrypted(clsid, "DPB", bytes(1))}"',
        f'GC="{_encrypted(clsid, "GC", _VISIBLE)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return ("\r\n".join(lines) + "\r\n").encode(CODEPAGE)


def _projectwm_stream(names: list[str]) -> bytes:
    """Return the PROJECTwm stream (2.3.3): each name in MBCS then UTF-16, null-terminated."""
    out = bytearray()
    for name in names:
        out += name.encode(CODEPAGE) + b"\0" + name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def _record(record_id: int, payload: bytes = b"") -> bytes:
    """Return one dir stream record: Id (2 bytes), Size (4 bytes), payload."""
    return struct.pack("<HI", record_id, len(payload)) + payload


def _text_record(record_id: int, unicode_id: int, text: str) -> bytes:
    """Return a record pair holding `text` in MBCS then, under `unicode_id`, in UTF-16."""
    return _record(record_id, text.encode(CODEPAGE)) + _record(unicode_id, text.encode("utf-16-le"))


def _dir_stream(project_name: str, modules: list[Module], office_reference: bool) -> bytes:
    """Return the uncompressed dir stream (2.3.4.2): project information, references, modules."""
    out = bytearray()
    # PROJECTINFORMATION (2.3.4.2.1).
    out += _record(0x0001, struct.pack("<I", SYSKIND))  # PROJECTSYSKIND
    out += _record(0x0002, struct.pack("<I", LCID))  # PROJECTLCID
    out += _record(0x0014, struct.pack("<I", LCID))  # PROJECTLCIDINVOKE
    out += _record(0x0003, struct.pack("<H", 1252))  # PROJECTCODEPAGE
    out += _record(0x0004, project_name.encode(CODEPAGE))  # PROJECTNAME
    out += _text_record(0x0005, 0x0040, "")  # PROJECTDOCSTRING
    out += _text_record(0x0006, 0x003D, "")  # PROJECTHELPFILEPATH: HelpFile1, HelpFile2
    out += _record(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    # PROJECTVERSION: its Reserved field is 4 yet 6 bytes follow (VersionMajor, VersionMinor).
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)
    out += _text_record(0x000C, 0x003C, "")  # PROJECTCONSTANTS

    # PROJECTREFERENCES (2.3.4.2.2): REFERENCENAME then REFERENCEREGISTERED for each library.
    for name, libid in [_STDOLE, _OFFICE] if office_reference else [_STDOLE]:
        out += _text_record(0x0016, 0x003E, name)
        registered = struct.pack("<I", len(libid)) + libid.encode(CODEPAGE) + struct.pack("<IH", 0, 0)
        out += _record(0x000D, registered)

    # PROJECTMODULES (2.3.4.2.3): count, PROJECTCOOKIE, then one MODULE record each.
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))
    for module in modules:
        out += _record(0x0019, module.name.encode(CODEPAGE))  # MODULENAME
        out += _record(0x0047, module.name.encode("utf-16-le"))  # MODULENAMEUNICODE
        out += _text_record(0x001A, 0x0032, module.name)  # MODULESTREAMNAME
        out += _text_record(0x001C, 0x0048, "")  # MODULEDOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: no p-code before the source
        out += _record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        # MODULETYPE: 0x0021 procedural; 0x0022 document or class (told apart by the PROJECT stream).
        out += _record(0x0021 if module.kind == "standard" else 0x0022)
        out += _record(0x002B)  # module terminator
    out += _record(0x0010)  # dir stream terminator
    return bytes(out)

"""vbaProject.bin builder: olevba reads every module back, and the MS-OVBA records are as specified."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from vba_helpers import SMALL_MODULE, code_lines

from rse_xl.vba import Module, build_vba_project, read_modules_from_files
from rse_xl.vba.compression import decompress
from rse_xl.vba.encryption import decrypt, encrypt, project_key, unmask
from rse_xl.vba.project import stored_source

olefile = pytest.importorskip("olefile")
olevba = pytest.importorskip("oletools.olevba")
xlsxwriter = pytest.importorskip("xlsxwriter")

DOC_HEADER = [
    "Attribute VB_GlobalNameSpace = False",
    "Attribute VB_Creatable = False",
    "Attribute VB_PredeclaredId = True",
    "Attribute VB_Exposed = True",
    "Attribute VB_TemplateDerived = False",
    "Attribute VB_Customizable = True",
]


def olevba_modules(path_or_data) -> dict[str, str]:
    """Return {module name: code} as olevba extracts it from a .bin or an .xlsm."""
    parser = olevba.VBA_Parser("projet.bin", data=path_or_data) if isinstance(path_or_data, bytes) else None
    parser = parser or olevba.VBA_Parser(str(path_or_data))
    try:
        assert parser.detect_vba_macros()
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """Split a decompressed dir stream into (id, payload); PROJECTVERSION is the one odd size."""
    records, pos = [], 0
    while pos < len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == 0x0009:
            size = 6  # Reserved field says 4, yet VersionMajor (4) + VersionMinor (2) follow
        records.append((record_id, data[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    assert pos == len(data)
    return records


@pytest.fixture(scope="module")
def project_bin(project_modules) -> bytes:
    return build_vba_project(project_modules, sheet_codenames=["Sheet1", "Feuil2"])


def test_olevba_reads_every_module_from_the_bin(project_bin, project_modules, xlwings_dir):
    modules = olevba_modules(project_bin)
    assert list(modules) == ["ThisWorkbook", "Sheet1", "Feuil2", "xlwings", "Outils", "Dictionary"]
    for module in project_modules:
        assert code_lines(modules[module.name]) == code_lines(module.source), module.name
    # xlwings.bas is already stored form (CRLF, VB_Name first): it must come back byte for byte.
    assert modules["xlwings"] == (xlwings_dir / "xlwings.bas").read_bytes().decode("cp1252")
    assert modules["ThisWorkbook"].split("\r\n") == [
        'Attribute VB_Name = "ThisWorkbook"',
        'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"',
        *DOC_HEADER,
        "",
    ]
    assert modules["Feuil2"].split("\r\n")[:2] == [
        'Attribute VB_Name = "Feuil2"',
        'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"',
    ]
    assert modules["Dictionary"].split("\r\n")[:9] == [
        'Attribute VB_Name = "Dictionary"',
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = False",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = False",
        'Attribute VB_Description = "Drop-in replacement for Scripting.Dictionary on Mac\\r\\n\\r\\nDictionary'
        " v1.4.0\\r\\n(c) Tim Hall - https://github.com/timhall/VBA-Dictionary\\r\\nAuthor: tim.hall.engr@gmail"
        '.com\\r\\nLicense: MIT (http://www.opensource.org/licenses/mit-license.php)\\r\\n"',
    ]


def test_olevba_reads_the_xlsm_made_by_xlsxwriter(tmp_path, project_bin, project_modules):
    (tmp_path / "vbaProject.bin").write_bytes(project_bin)
    path = tmp_path / "classeur.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_vba_name("ThisWorkbook")
    for name in ("Sheet1", "Feuil2"):
        workbook.add_worksheet().set_vba_name(name)
    workbook.add_vba_project(str(tmp_path / "vbaProject.bin"))
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        assert archive.read("xl/vbaProject.bin") == project_bin
    modules = olevba_modules(path)
    for module in project_modules:
        assert code_lines(modules[module.name]) == code_lines(module.source), module.name


def test_streams_and_records(project_bin):
    ole = olefile.OleFileIO(io.BytesIO(project_bin), raise_defects=olefile.DEFECT_POTENTIAL)
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(
        ["PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"]
        + [f"VBA/{n}" for n in ("ThisWorkbook", "Sheet1", "Feuil2", "xlwings", "Outils", "Dictionary")]
    )
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000000")

    records = dir_records(decompress(ole.openstream("VBA/dir").read()))
    ids = [record_id for record_id, _ in records]
    assert ids[:15] == [
        0x01,
        0x02,
        0x14,
        0x03,
        0x04,
        0x05,
        0x40,
        0x06,
        0x3D,
        0x07,
        0x08,
        0x09,
        0x0C,
        0x3C,
        0x16,
    ]
    values = dict(records[:14])
    assert values[0x01] == struct.pack("<I", 3)  # SYSKIND_WIN64, as 64-bit Excel writes it
    assert values[0x02] == values[0x14] == struct.pack("<I", 0x409)
    assert values[0x03] == struct.pack("<H", 1252)
    assert values[0x04] == b"VBAProject"
    assert records[14:16] == [(0x16, b"stdole"), (0x3E, "stdole".encode("utf-16-le"))]
    assert b"{00020430-0000-0000-C000-000000000046}#2.0#0#" in records[16][1]
    assert dict(records)[0x0F] == struct.pack("<H", 6) and dict(records)[0x13] == b"\xff\xff"
    start = ids.index(0x13) + 1
    modules = []
    while ids[start] == 0x19:
        end = ids.index(0x2B, start)
        fields = dict(records[start:end])
        assert fields[0x47] == fields[0x19].decode().encode("utf-16-le")
        assert fields[0x1A] == fields[0x19] and fields[0x31] == bytes(4) and fields[0x2C] == b"\xff\xff"
        modules.append((fields[0x19].decode(), 0x21 if 0x21 in fields else 0x22))
        start = end + 1
    assert modules == [
        ("ThisWorkbook", 0x22),
        ("Sheet1", 0x22),
        ("Feuil2", 0x22),
        ("xlwings", 0x21),
        ("Outils", 0x21),
        ("Dictionary", 0x22),
    ]
    assert records[start:] == [(0x10, b"")]

    wm = ole.openstream("PROJECTwm").read()
    assert wm.startswith(b"ThisWorkbook\0" + "ThisWorkbook".encode("utf-16-le") + b"\0\0Sheet1\0")
    assert wm.endswith(b"Dictionary\0" + "Dictionary".encode("utf-16-le") + b"\0\0\0\0")


def test_project_stream(project_bin):
    ole = olefile.OleFileIO(io.BytesIO(project_bin))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    lines = text.split("\r\n")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    project_id = lines[0].removeprefix('ID="').removesuffix('"')
    assert len(project_id) == 38 and project_id == project_id.upper()
    assert lines[1:10] == [
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Document=Feuil2/&H00000000",
        "Module=xlwings",
        "Module=Outils",
        "Class=Dictionary",
        'Name="VBAProject"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
    ]
    secrets = dict(line.split("=", 1) for line in lines[10:13])
    for key, expected in (("CMG", bytes(4)), ("DPB", b"\0"), ("GC", b"\xff")):
        blob = bytes.fromhex(secrets[key].strip('"'))
        assert blob[0] ^ blob[2] == project_key(project_id)
        assert decrypt(blob) == expected
    assert lines[13:] == [
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
        "ThisWorkbook=0, 0, 0, 0, C",
        "Sheet1=0, 0, 0, 0, C",
        "Feuil2=0, 0, 0, 0, C",
        "xlwings=0, 0, 0, 0, C",
        "Outils=0, 0, 0, 0, C",
        "Dictionary=0, 0, 0, 0, C",
        "",
    ]


def test_encryption_reproduces_excel_values(xlwings_dir):
    # quickstart.xlsm was saved by Excel: our decryption must read its CMG/DPB/GC, and our
    # encryption, given the same seed and ignored bytes, must produce the very same text.
    path = xlwings_dir / "quickstart.xlsm"
    if not path.is_file():
        pytest.skip("xlwings ne fournit pas quickstart.xlsm")
    with zipfile.ZipFile(path) as archive:
        ole = olefile.OleFileIO(io.BytesIO(archive.read("xl/vbaProject.bin")))
    lines = ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    values = dict(line.split("=", 1) for line in lines if "=" in line)
    project_id = values["ID"].strip('"')
    for key, expected in (("CMG", bytes(4)), ("DPB", b"\0"), ("GC", b"\xff")):
        blob = bytes.fromhex(values[key].strip('"'))
        assert decrypt(blob) == expected
        ignored = unmask(blob)[: (blob[0] & 6) // 2]
        assert encrypt(project_id, expected, seed=blob[0], ignored=ignored) == blob


def test_output_is_reproducible_and_options(project_modules):
    first = build_vba_project(project_modules, sheet_codenames=["Sheet1"])
    assert first == build_vba_project(project_modules, sheet_codenames=["Sheet1"])
    with_office = build_vba_project(project_modules, sheet_codenames=["Sheet1"], office_reference=True)
    ole = olefile.OleFileIO(io.BytesIO(with_office))
    names = [payload for record_id, payload in dir_records(decompress(ole.openstream("VBA/dir").read()))]
    assert b"Office" in names
    assert set(olevba_modules(with_office)) == {"ThisWorkbook", "Sheet1", "xlwings", "Outils", "Dictionary"}


def test_document_module_bodies_and_codenames():
    workbook = Module("DiesesArbeitsblatt", "Private Sub Workbook_Open()\nEnd Sub", "document")
    data = build_vba_project(
        [workbook, Module("Tabelle1", "' feuille\n", "document")],
        workbook_codename="DiesesArbeitsblatt",
        sheet_codenames=["Tabelle1", "Tabelle2"],
        project_name="MonProjet",
    )
    modules = olevba_modules(data)
    assert list(modules) == ["DiesesArbeitsblatt", "Tabelle1", "Tabelle2"]
    assert modules["DiesesArbeitsblatt"].endswith(
        "Attribute VB_Customizable = True\r\nPrivate Sub Workbook_Open()\r\nEnd Sub\r\n"
    )
    assert modules["Tabelle1"].endswith("True\r\n' feuille\r\n")
    assert 'Name="MonProjet"' in olefile.OleFileIO(io.BytesIO(data)).openstream("PROJECT").read().decode()


def test_stored_source_normalises_text():
    stored = stored_source(Module("M", "Sub A()\nEnd Sub\rSub B()\r\nEnd Sub"))
    assert stored == b'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\nSub B()\r\nEnd Sub\r\n'
    assert (
        stored_source(Module("M", 'attribute vb_name = "M"\r\nx = 1\r\n'))
        == b'Attribute VB_Name = "M"\r\nx = 1\r\n'
    )
    assert stored_source(Module("M", "' \u20ac\n")).endswith(b"' \x80\r\n")  # euro sign in cp1252
    cls = stored_source(
        Module(
            "C",
            'VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  \'True\nEND\nAttribute VB_Name = "C"\n'
            'Attribute VB_PredeclaredId = True\nAttribute VB_Description = "d"\nPublic X\n'
            "Property Get Y()\nAttribute Y.VB_UserMemId = 0\nEnd Property\n",
            "class",
        )
    ).decode()
    assert cls.split("\r\n") == [
        'Attribute VB_Name = "C"',
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = False",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = False",
        'Attribute VB_Description = "d"',
        "Public X",
        "Property Get Y()",
        "Attribute Y.VB_UserMemId = 0",
        "End Property",
        "",
    ]


def test_read_modules_from_files(tmp_path):
    (tmp_path / "a.bas").write_bytes(
        b'Attribute VB_Name = "Calculs"\r\nSub F()\r\n\' \xe9t\xe9\r\nEnd Sub\r\n'
    )
    (tmp_path / "Sans.bas").write_text("Sub G()\nEnd Sub\n", encoding="utf-8")
    (tmp_path / "k.cls").write_text('VERSION 1.0 CLASS\nBEGIN\nEND\nAttribute VB_Name = "Compteur"\n')
    modules = read_modules_from_files(sorted(tmp_path.iterdir()))
    assert [(m.name, m.kind) for m in modules] == [
        ("Sans", "standard"),
        ("Calculs", "standard"),
        ("Compteur", "class"),
    ]
    assert "' été" in modules[1].source
    (tmp_path / "f.frm").write_text("")
    with pytest.raises(ValueError, match="non pris en charge"):
        read_modules_from_files([tmp_path / "f.frm"])


@pytest.mark.parametrize(
    ("modules", "kwargs", "message"),
    [
        ([Module("1Module", "")], {}, "doit commencer par une lettre"),
        ([Module("Mod ule", "")], {}, "Nom de module VBA invalide"),
        ([Module("Modulé", "")], {}, "non accentuées"),
        ([Module("M" * 32, "")], {}, "31 caractères"),
        ([Module("Sub", "")], {}, "mot réservé"),
        ([Module("Calc", ""), Module("CALC", "", "class")], {}, "en double"),
        ([Module("sheet1", "")], {}, "en double"),
        ([Module("Calc", 'Attribute VB_Name = "Autre"\n')], {}, "le nom doit être 'Calc'"),
        ([Module("Calc", 'x = "\u03a9"')], {}, "Windows-1252"),
        ([Module("Feuil9", "", "document")], {}, "aucun nom de code"),
        ([Module("Calc", "", "form")], {}, "Type de module VBA inconnu"),  # type: ignore[arg-type]
        ([], {"sheet_codenames": ["Feuille 1"]}, "Nom de code de classeur ou de feuille invalide"),
        ([], {"workbook_codename": ""}, "Nom de code"),
        ([], {"project_name": "Mon projet"}, "Nom de projet VBA invalide"),
    ],
)
def test_invalid_input_raises_french_value_error(modules, kwargs, message):
    kwargs = {"sheet_codenames": ["Sheet1"], **kwargs}
    with pytest.raises(ValueError, match=message):
        build_vba_project(modules, **kwargs)


def test_small_module_keeps_cp1252_text(project_bin):
    code = olevba_modules(project_bin)["Outils"]
    assert "é à ç € œ" in code
    assert code_lines(code) == code_lines(SMALL_MODULE.source)


def test_syskind_comme_xlwings() -> None:
    """The project declares the SYSKIND of xlwings' own standalone quickstart (written by real Excel)."""
    import io
    import zipfile
    from pathlib import Path

    import olefile
    import xlwings
    from oletools.olevba import decompress_stream

    from rse_xl.vba.project import SYSKIND

    modele = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(modele) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    dir_stream = decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
    identifiant, taille, syskind = struct.unpack_from("<HII", dir_stream, 0)
    assert (identifiant, taille) == (0x0001, 4)
    assert syskind == SYSKIND == 3

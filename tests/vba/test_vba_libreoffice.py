"""Headless LibreOffice opens our .xlsm and imports every module, full body, into its Basic library."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
import zipfile

import pytest
from vba_helpers import code_lines

from rse_xl.libreoffice import LibreOfficeError, convertir, soffice
from rse_xl.vba import Module, build_vba_project

xlsxwriter = pytest.importorskip("xlsxwriter")

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) absent"),
]

SCRIPT = "{http://openoffice.org/2000/script}"
# Lines LibreOffice puts before the imported code so that its Basic runs it in VBA mode.
LO_PREFIXES = ("Rem Attribute VBA_ModuleType=", "Option VBASupport 1", "Option ClassModule")

WORKBOOK_MODULE = Module(
    "ThisWorkbook", "Private Sub Workbook_Open()\n    Outils.Double_ 1\nEnd Sub\n", "document"
)


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory, project_modules):
    folder = tmp_path_factory.mktemp("xlsm")
    (folder / "vbaProject.bin").write_bytes(
        build_vba_project([WORKBOOK_MODULE, *project_modules], sheet_codenames=["Sheet1", "Feuil2"])
    )
    path = folder / "classeur.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_vba_name("ThisWorkbook")
    for name in ("Sheet1", "Feuil2"):
        sheet = workbook.add_worksheet()
        sheet.set_vba_name(name)
        sheet.write("A1", name)
    workbook.add_vba_project(str(folder / "vbaProject.bin"))
    workbook.close()
    return path


@pytest.fixture(scope="module")
def ods(xlsm, tmp_path_factory):
    return convertir(xlsm, "ods", tmp_path_factory.mktemp("ods"))


def basic_modules(ods_path) -> dict[str, tuple[str, str]]:
    """Return {module: (moduleType, code)} of the VBAProject Basic library stored in an .ods."""
    found = {}
    with zipfile.ZipFile(ods_path) as archive:
        for name in archive.namelist():
            if name.startswith("Basic/VBAProject/") and not name.endswith("script-lb.xml"):
                root = ET.fromstring(archive.read(name))
                found[root.get(f"{SCRIPT}name")] = (root.get(f"{SCRIPT}moduleType"), root.text or "")
    return found


def without_lo_prefix(code: str) -> str:
    lines = code.split("\n")
    while lines and lines[0].startswith(LO_PREFIXES):
        lines.pop(0)
    return "\n".join(lines)


def test_libreoffice_imports_every_module_with_its_body(ods, project_modules):
    modules = basic_modules(ods)
    assert set(modules) == {"ThisWorkbook", "Sheet1", "Feuil2", "xlwings", "Outils", "Dictionary"}
    kinds = {name: kind for name, (kind, _) in modules.items()}
    assert kinds == {
        "ThisWorkbook": "document",
        "Sheet1": "document",
        "Feuil2": "document",
        "xlwings": "normal",
        "Outils": "normal",
        "Dictionary": "class",
    }
    for module in [WORKBOOK_MODULE, *project_modules]:
        code = modules[module.name][1]
        assert code.startswith("Rem Attribute VBA_ModuleType=")  # imported as executable VBA
        assert code_lines(without_lo_prefix(code)) == code_lines(module.source), module.name
    assert code_lines(without_lo_prefix(modules["Sheet1"][1])) == []


def test_convertir_reports_missing_file(tmp_path):
    with pytest.raises(LibreOfficeError, match="introuvable"):
        convertir(tmp_path / "absent.xlsm", "ods", tmp_path)


def test_convertir_reports_unknown_filter(xlsm, tmp_path):
    with pytest.raises(LibreOfficeError, match="n'a pas converti"):
        convertir(xlsm, "ods:FiltreInexistant", tmp_path)


def test_convertir_kills_on_timeout(xlsm, tmp_path):
    start = time.monotonic()
    with pytest.raises(LibreOfficeError, match="processus arrêté"):
        convertir(xlsm, "ods", tmp_path, timeout=0.2)
    assert time.monotonic() - start < 10
    assert not (tmp_path / "classeur.ods").exists()

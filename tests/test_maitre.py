"""The master workbook (.xlsm): sheets, settings, xlwings.conf, and a VBA project checked without Excel.

olevba and headless LibreOffice read the macros back; the buttons' macros, the RunPython commands and the
code names are checked against the VBA sources and the Python package. What only Excel can tell is in
docs/verification-excel.md.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import itertools
import re
import shutil
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest

from rse_xl.cli import main
from rse_xl.consolidation import Consolidation, consolider
from rse_xl.errors import EntreeError, FichierError
from rse_xl.maitre import (
    BOUTONS,
    CODE_CLASSEUR,
    ONGLET_ACCUEIL,
    ONGLET_CONF,
    ONGLET_PARAMETRES,
    PARAM_ANNEE,
    PARAM_EXPORT_CSV,
    ecrire_maitre,
    nom_parametre_fichier,
    parametres,
)
from rse_xl.projet_xlwings import fichiers_vba_xlwings, reglages_xlwings, source_vba
from rse_xl.referentiel import Convention
from rse_xl.synthese import onglets_resultats

sys.path.insert(0, str(Path(__file__).parent / "vba"))
from vba_helpers import code_lines

olevba = pytest.importorskip("oletools.olevba")

RACINE = Path(__file__).resolve().parent.parent
MODELE = RACINE / "templates" / "maitre_RSE.xlsm"
SCRIPT = "{http://openoffice.org/2000/script}"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
# Lines LibreOffice puts before an imported module so that its Basic runs it as VBA.
PREFIXES_LO = ("Rem Attribute VBA_ModuleType=", "Option VBASupport 1", "Option ClassModule")


@pytest.fixture(scope="module")
def vierge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ecrire_maitre(tmp_path_factory.mktemp("vierge") / "maitre_RSE.xlsm")


@pytest.fixture(scope="module")
def conso() -> Consolidation:
    entrees = sorted((RACINE / "workbooks").glob("*.xlsx"))
    return consolider(entrees, annee=2026, aujourdhui=dt.date(2026, 11, 30))


@pytest.fixture(scope="module")
def rempli(tmp_path_factory: pytest.TempPathFactory, conso: Consolidation) -> Path:
    return ecrire_maitre(tmp_path_factory.mktemp("rempli") / "maitre_2026.xlsm", conso)


def parties(chemin: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(chemin) as z:
        return {n: z.read(n) for n in z.namelist()}


def modules_olevba(chemin: Path) -> dict[str, str]:
    """{module: code} as olevba extracts them from the .xlsm."""
    parser = olevba.VBA_Parser(str(chemin))
    try:
        assert parser.detect_vba_macros()
        return {flux.split("/")[-1]: code for _, flux, _, code in parser.extract_macros()}
    finally:
        parser.close()


def sources() -> dict[str, str]:
    """{module: source text} of the standard and class modules the master embeds."""
    fichiers = [source_vba(), *fichiers_vba_xlwings()]
    textes = {}
    for f in fichiers:
        texte = f.read_bytes().decode("utf-8-sig" if f == source_vba() else "cp1252")
        textes[re.search(r'Attribute VB_Name = "(\w+)"', texte).group(1)] = texte  # type: ignore[union-attr]
    return textes


def subs(texte: str) -> set[str]:
    return set(re.findall(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(", texte, re.MULTILINE | re.IGNORECASE))


# --- the committed template -------------------------------------------------------------------------------------


def test_modele_commite_a_jour(vierge: Path) -> None:
    """templates/maitre_RSE.xlsm is what the code writes: regenerate it with `rse-xl maitre` when this fails."""
    assert MODELE.exists(), f"{MODELE} manquant : rse-xl maitre -o templates/maitre_RSE.xlsm"
    a, b = parties(MODELE), parties(vierge)
    assert sorted(a) == sorted(b)
    differentes = [n for n in a if a[n] != b[n]]
    assert not differentes, (
        f"{MODELE.name} périmé (parties {differentes}) : rse-xl maitre -o templates/maitre_RSE.xlsm "
        "(le module VBA xlwings vient du paquet xlwings installé)"
    )


def test_reproductible(vierge: Path, tmp_path: Path) -> None:
    assert ecrire_maitre(tmp_path / "encore.xlsm").read_bytes() == vierge.read_bytes()


# --- sheets and settings -----------------------------------------------------------------------------------------


def test_onglets_du_maitre_vierge(vierge: Path) -> None:
    wb = openpyxl.load_workbook(vierge)
    assert wb.sheetnames == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, ONGLET_CONF]
    assert wb.active.title == ONGLET_ACCUEIL
    assert wb[ONGLET_ACCUEIL].protection.sheet and wb[ONGLET_PARAMETRES].protection.sheet


def test_onglets_du_maitre_rempli(rempli: Path, conso: Consolidation) -> None:
    wb = openpyxl.load_workbook(rempli)
    attendus = [
        ONGLET_ACCUEIL,
        ONGLET_PARAMETRES,
        *onglets_resultats(conso.convention, accueil=False),
        ONGLET_CONF,
    ]
    assert wb.sheetnames == attendus
    assert wb[ONGLET_PARAMETRES]["B5"].value == 2026  # the year it was made for
    valeurs = {nom: _valeur(wb, nom) for nom in wb.defined_names}
    assert valeurs[PARAM_ANNEE] == 2026
    for office in conso.offices:  # the files it read, relative to the master
        assert valeurs[nom_parametre_fichier(office.code)].startswith("..")


def _valeur(wb: openpyxl.Workbook, nom: str) -> object:
    ((onglet, ref),) = wb.defined_names[nom].destinations
    return wb[onglet][ref.replace("$", "")].value


def test_parametres_nommes_jaunes_deverrouilles(vierge: Path, conv: Convention) -> None:
    wb = openpyxl.load_workbook(vierge)
    ws = wb[ONGLET_PARAMETRES]
    attendus = [p.nom for p in parametres(conv)]
    assert {n for n in wb.defined_names if n.startswith("PARAM_")} == set(attendus)
    assert {nom_parametre_fichier(o.code) for o in conv.offices} <= set(attendus)
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for nom in attendus:
        ((onglet, ref),) = wb.defined_names[nom].destinations
        cellule = ws[ref.replace("$", "")]
        assert onglet == ONGLET_PARAMETRES
        assert cellule.protection.locked is False, nom
        assert cellule.fill.fgColor.rgb == "FFFFF2CC", nom
        assert ws.cell(cellule.row, 3).value == nom  # documented beside the cell
        dv = validations[cellule.coordinate]
        assert dv.error and dv.errorTitle == "Valeur non prévue" and dv.prompt, nom
    annee = validations[wb.defined_names[PARAM_ANNEE].attr_text.split("!")[1].replace("$", "")]
    assert annee.type == "list" and annee.formula1 == '"2025,2026,2027"'
    assert "Choisissez une année de la convention" in annee.error
    assert _valeur(wb, PARAM_EXPORT_CSV) == "non"


def test_accueil_explique_les_boutons(vierge: Path) -> None:
    ws = openpyxl.load_workbook(vierge)[ONGLET_ACCUEIL]
    textes = " ".join(str(c.value) for ligne in ws.iter_rows() for c in ligne if c.value)
    assert "Mode d'emploi" in textes and "xlwings.conf" in textes
    for bouton in BOUTONS:
        assert bouton.aide in textes


def test_xlwings_conf(tmp_path: Path) -> None:
    """The keys xlwings.bas reads, from A1 down, values in column B, no blank row inside the block."""
    win = r"%LOCALAPPDATA%\Programs\Python\Python311\python.exe"
    ws = openpyxl.load_workbook(ecrire_maitre(tmp_path / "m.xlsm", interpreter=win))[ONGLET_CONF]
    lignes = list(ws.iter_rows(min_col=1, max_col=2, values_only=True))
    # What GetConfigFromSheet reads: Range("A1", Range("A1").End(xlDown)), and the cell to the right of each.
    bloc = list(itertools.takewhile(lambda kv: kv[0] is not None, lignes))
    cles = [k for k, _ in bloc]
    assert cles[:3] == ["Interpreter_Win", "Interpreter_Mac", "PYTHONPATH"]
    assert {"UDF Modules", "Debug UDFs", "Use UDF Server", "Show Console", "Conda Path", "Conda Env"} <= set(
        cles
    )
    assert len({k.upper() for k in cles}) == len(cles)  # xlwings puts them in a Dictionary: no duplicates
    assert not any("LICENSE" in k.upper() for k in cles)
    valeurs = dict(bloc)
    assert valeurs["Interpreter_Win"] == win and valeurs["Interpreter_Mac"] is None
    assert valeurs["Use UDF Server"] == "False" and valeurs["ADD_WORKBOOK_TO_PYTHONPATH"] == "False"
    assert all(ws.cell(i, 1).value is None for i in range(len(bloc) + 1, ws.max_row + 1))


def test_conf_sans_booleen_ni_nombre(tmp_path: Path) -> None:
    """Every value xlwings.bas reads is a text cell: a Boolean cell reaches GetConfig as « Faux » in a French
    Excel and stops the first click with run-time error 13 (xlwings issue #2594)."""
    from rse_xl.projet_xlwings import dossier_xlwings

    bas = (dossier_xlwings() / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    lues = {cle.upper() for cle in re.findall(r'GetConfig\("([^"]+)"', bas)}
    ws = openpyxl.load_workbook(ecrire_maitre(tmp_path / "m.xlsm"))[ONGLET_CONF]
    bloc = list(itertools.takewhile(lambda r: r[0].value is not None, ws.iter_rows(min_col=1, max_col=2)))
    ecrites = {cle.value.upper(): valeur for cle, valeur in bloc}
    assert {"USE UDF SERVER", "SHOW CONSOLE", "DEBUG UDFS", "ADD_WORKBOOK_TO_PYTHONPATH"} <= lues & set(
        ecrites
    )
    for cle in lues & set(ecrites):
        cellule = ecrites[cle]
        assert cellule.data_type in ("s", "n") and not isinstance(cellule.value, bool | int | float), cle
    booleens = [c for c in ecrites.values() if c.value in ("True", "False")]
    assert len(booleens) == 4
    # A list offers only the two texts xlwings compares against, so « FAUX » cannot be typed back.
    listes = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    couvertes = {str(r.coord) for v in listes for r in v.sqref.ranges}  # one cell each
    assert {c.coordinate for c in booleens} <= couvertes
    assert all(v.formula1 == '"False,True"' for v in listes)


def test_interpreter_mac() -> None:
    valeurs = {k: v for k, v, _ in reglages_xlwings("$HOME/.venvs/rse-xl/bin/python")}
    assert valeurs["Interpreter_Mac"] == "$HOME/.venvs/rse-xl/bin/python" and valeurs["Interpreter_Win"] == ""
    assert {k: v for k, v, _ in reglages_xlwings("~/venv/bin/python")}[
        "Interpreter_Mac"
    ] == "$HOME/venv/bin/python"
    assert {k: v for k, v, _ in reglages_xlwings(None)}["Interpreter_Win"] == ""


# --- the VBA project -----------------------------------------------------------------------------------------------


def test_olevba_relit_chaque_module(vierge: Path) -> None:
    modules = modules_olevba(vierge)
    textes = sources()
    assert set(textes) == {"RseXl", "xlwings", "Dictionary"}
    assert list(modules) == [CODE_CLASSEUR, "shAccueil", "shParametres", "shXlwingsConf", *textes]
    for nom, texte in textes.items():
        assert code_lines(modules[nom]) == code_lines(texte), nom
        assert modules[nom].startswith(f'Attribute VB_Name = "{nom}"')


def test_xlwings_autonome_sans_reference_ni_licence(vierge: Path) -> None:
    """The embedded module is the installed package's standalone one; our code needs no add-in or licence."""
    xlwings_bas = modules_olevba(vierge)["xlwings"]
    assert "Public Function RunPython(" in xlwings_bas
    notre = sources()["RseXl"]
    assert "xlwings.pro" not in notre and "LICENSE" not in notre.upper()


def test_chaque_bouton_appelle_une_macro_du_module(vierge: Path) -> None:
    vml = parties(vierge)["xl/drawings/vmlDrawing1.vml"].decode()
    macros = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    assert macros == [b.macro for b in BOUTONS]
    textes = re.findall(r"<font[^>]*>([^<]+)</font>", vml)
    assert textes == [b.libelle for b in BOUTONS]
    definies = subs(sources()["RseXl"])
    assert set(macros) <= definies
    # A macro name must not be defined twice in the project: Excel would not know which one to run.
    autres = subs(sources()["xlwings"]) | subs(sources()["Dictionary"])
    assert not {m.lower() for m in macros} & {s.lower() for s in autres}


def test_chaque_runpython_nomme_une_fonction_qui_existe() -> None:
    # A command is one string, or one with the embedded xlwings module's version spliced in (Diagnostic).
    commandes = re.findall(r'RunPython\s+("[^"\n]+"(?: & XLWINGS_VERSION & "[^"\n]*")?)', sources()["RseXl"])
    assert len(commandes) == len(BOUTONS)
    for commande in commandes:
        m = re.fullmatch(
            r"\"import ([\w.]+) as (\w+); \2\.(\w+)\((?:'\" & XLWINGS_VERSION & \"')?\)\"", commande
        )
        assert m, commande
        module = importlib.import_module(m.group(1))
        assert callable(getattr(module, m.group(3), None)), commande


def test_noms_de_code_et_modules_document(rempli: Path) -> None:
    """Workbook and sheet codeNames match the document modules of the VBA project, one for one."""
    p = parties(rempli)
    classeur = ET.fromstring(p["xl/workbook.xml"])
    assert classeur.find("m:workbookPr", NS).get("codeName") == CODE_CLASSEUR  # type: ignore[union-attr]
    rels = ET.fromstring(p["xl/_rels/workbook.xml.rels"])
    cibles = {r.get("Id"): r.get("Target") for r in rels}
    codes = []
    for feuille in classeur.find("m:sheets", NS):  # type: ignore[union-attr]
        rid = feuille.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        xml = ET.fromstring(p["xl/" + cibles[rid]])
        code = xml.find("m:sheetPr", NS).get("codeName")  # type: ignore[union-attr]
        assert re.fullmatch(r"[A-Za-z]\w{0,30}", code), code
        codes.append(code)
    assert len(set(codes)) == len(codes)
    modules = modules_olevba(rempli)
    # VB_Base of a document module: Excel's Workbook (00020819) or Worksheet (00020820) class.
    bases = {n: re.search(r'Attribute VB_Base = "0\{(\w+)-', code) for n, code in modules.items()}
    documents = [n for n, b in bases.items() if b and b.group(1) in ("00020819", "00020820")]
    assert documents == [CODE_CLASSEUR, *codes]
    assert bases[CODE_CLASSEUR].group(1) == "00020819"  # type: ignore[union-attr]
    projet = _flux_project(p["xl/vbaProject.bin"])
    assert re.findall(r"^Document=(\w+)/", projet, re.MULTILINE) == [CODE_CLASSEUR, *codes]


def _flux_project(binaire: bytes) -> str:
    olefile = pytest.importorskip("olefile")
    with olefile.OleFileIO(binaire) as ole:
        return ole.openstream("PROJECT").read().decode("cp1252")


@pytest.fixture(scope="module")
def ods(vierge: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The blank master opened by headless LibreOffice and saved as .ods."""
    from aides import soffice_ou_skip

    soffice_ou_skip()
    from rse_xl.libreoffice import convertir

    return convertir(vierge, "ods", tmp_path_factory.mktemp("ods"))


@pytest.mark.libreoffice
def test_libreoffice_importe_chaque_module(ods: Path) -> None:
    trouves: dict[str, tuple[str | None, str]] = {}
    with zipfile.ZipFile(ods) as z:
        for nom in z.namelist():
            if nom.startswith("Basic/VBAProject/") and not nom.endswith("script-lb.xml"):
                racine = ET.fromstring(z.read(nom))
                trouves[racine.get(f"{SCRIPT}name")] = (racine.get(f"{SCRIPT}moduleType"), racine.text or "")
    textes = sources()
    assert {n: genre for n, (genre, _) in trouves.items()} == {
        CODE_CLASSEUR: "document",
        "shAccueil": "document",
        "shParametres": "document",
        "shXlwingsConf": "document",
        "RseXl": "normal",
        "xlwings": "normal",
        "Dictionary": "class",
    }
    for nom, texte in textes.items():
        code = trouves[nom][1]
        assert code.startswith("Rem Attribute VBA_ModuleType=")  # imported as executable VBA
        lignes = code.split("\n")
        while lignes and lignes[0].startswith(PREFIXES_LO):
            lignes.pop(0)
        assert code_lines("\n".join(lignes)) == code_lines(texte), nom


@pytest.mark.libreoffice
def test_libreoffice_relie_chaque_bouton_a_sa_macro(ods: Path) -> None:
    """LibreOffice resolves each button's macro name to a Sub of our module, as Excel must."""
    with zipfile.ZipFile(ods) as z:
        contenu = z.read("content.xml").decode()
    libelles = re.findall(r'<form:button [^>]*form:label="([^"]+)"', contenu)
    cibles = re.findall(r'xlink:href="vnd\.sun\.star\.script:VBAProject\.(\w+)\.(\w+)\?', contenu)
    assert libelles == [b.libelle for b in BOUTONS]
    assert cibles == [("RseXl", b.macro) for b in BOUTONS]


# --- errors and the command line -----------------------------------------------------------------------------------


def test_extension_xlsm_obligatoire(tmp_path: Path) -> None:
    with pytest.raises(EntreeError, match=r"« maitre.xlsx » : le classeur maître s'écrit en \.xlsm"):
        ecrire_maitre(tmp_path / "maitre.xlsx")


def test_sans_xlwings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda nom, *a: None)
    with pytest.raises(FichierError, match=r"Le paquet xlwings est nécessaire .*pip install -e"):
        ecrire_maitre(tmp_path / "m.xlsm")
    assert not (tmp_path / "m.xlsm").exists()


def test_ecriture_atomique_avec_sauvegarde(tmp_path: Path, vierge: Path) -> None:
    chemin = tmp_path / "maitre_RSE.xlsm"
    shutil.copy(vierge, chemin)
    ecrire_maitre(chemin, interpreter="C:\\Python311\\python.exe")
    assert (tmp_path / "maitre_RSE.bak.xlsm").read_bytes() == vierge.read_bytes()
    assert chemin.read_bytes() != vierge.read_bytes()


def test_cli_maitre(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["maitre"]) == 0
    assert capsys.readouterr().out == f"Classeur maître écrit : {(tmp_path / 'maitre_RSE.xlsm').resolve()}\n"
    assert main(["maitre", "-o", "autre.xlsm", "--interpreter", "/opt/py/bin/python"]) == 0
    ws = openpyxl.load_workbook(tmp_path / "autre.xlsm")[ONGLET_CONF]
    assert ws["B2"].value == "/opt/py/bin/python"
    assert main(["maitre", "-o", "maitre.xlsx"]) == 2
    assert "le classeur maître s'écrit en .xlsm" in capsys.readouterr().err


def test_cli_consolider_vers_un_maitre(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cible = tmp_path / "maitre_2026.xlsm"
    code = main(["consolider", str(RACINE / "workbooks"), "-o", str(cible), "--date-reference", "2026-11-30"])
    assert code == 0, capsys.readouterr().err
    assert openpyxl.load_workbook(cible).sheetnames[:3] == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, "Synthèse"]
    assert "RseXl" in modules_olevba(cible)

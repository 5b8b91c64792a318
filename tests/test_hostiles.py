"""Hostile files: each is one report entry, the good files beside it are consolidated, nothing hangs or aborts.

A regression here could abort the process (the fast reader's failed allocation) or block it (a named pipe):
each hostile case runs in a child process bounded in time and memory, so the test runner survives it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent
MEMOIRE_MAX = 2 << 30  # bytes of address space for a child: a 512 GiB allocation fails, a reading does not

_ENFANT = """
import datetime as dt, json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({memoire}, {memoire}))
from rse_xl.consolidation import consolider
c = consolider([Path(p) for p in sys.argv[1:]], aujourdhui=dt.date(2026, 11, 30))
print(json.dumps({{
    "consolides": sorted({{r.office for r in c.resultats}} - {{"INTER"}}),
    "problemes": [[Path(p.fichier).name, p.code, p.onglet, p.cellule, p.message] for p in c.rapport.problemes
                  if p.code not in ("valeur-manquante", "identite-incomplete", "saisie-brouillon")],
}}))
"""


def consolider_a_part(*chemins: Path) -> dict[str, list]:
    """Consolidate in a child process with a memory limit and a timeout; its result as JSON."""
    fini = subprocess.run(
        [sys.executable, "-c", _ENFANT.format(memoire=MEMOIRE_MAX), *map(str, chemins)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(RACINE)},
        check=False,
    )
    assert fini.returncode == 0, fini.stderr[-3000:]
    assert fini.stderr == "", fini.stderr[-3000:]  # nothing from the reader's internals reaches the terminal
    return json.loads(fini.stdout.strip().splitlines()[-1])


def retoucher(source: Path, cible: Path, membre: str, changer: Callable[[bytes], bytes]) -> Path:
    """A copy of ``source`` whose member ``membre`` is rewritten by ``changer``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(cible, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            donnees = zin.read(item.filename)
            if item.filename == membre:
                nouvelles = changer(donnees)
                assert nouvelles != donnees, membre
                donnees = nouvelles
            zout.writestr(item, donnees)
    return cible


def membre_onglet(chemin: Path, onglet: str) -> str:
    from rse_xl.ooxml import Paquet

    paquet = Paquet.ouvrir(chemin)
    try:
        feuille = paquet.feuille(onglet)
        assert feuille is not None
        return feuille.chemin
    finally:
        paquet.fermer()


@pytest.fixture(scope="module")
def bons(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two good workbooks (ARC, NMH) to put beside each hostile one."""
    from rse_xl.modele import ecrire_classeur, trouver_office
    from rse_xl.referentiel import referentiel

    dossier = tmp_path_factory.mktemp("bons")
    chemins = []
    for code in ("ARC", "NMH"):
        chemins.append(dossier / f"{code}.xlsx")
        ecrire_classeur(chemins[-1], trouver_office(referentiel(), code))
    return chemins


def _cellule_lointaine(xml: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')


def _dimension_demesuree(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)


def _cellule_sans_r(xml: bytes) -> bytes:
    # Cells placed by their row alone: 20 000 columns wide on row 1, and a last row far below.
    large = b"<c><v>1</v></c>" * 20_000
    return xml.replace(b"<sheetData>", b'<sheetData><row r="1">' + large + b"</row>", 1).replace(
        b"</sheetData>", b'<row r="1048000"><c><v>1</v></c></row></sheetData>'
    )


@pytest.mark.parametrize(
    "changer",
    [_cellule_lointaine, _dimension_demesuree, _cellule_sans_r],
    ids=["XFD1048576", "dimension", "sans-r"],
)
def test_onglet_demesure_parmi_de_bons(
    changer: Callable[[bytes], bytes], bons: list[Path], copie_vierge: Path, tmp_path: Path
) -> None:
    """A sheet stretched to XFD1048576 is one entry; the good workbooks beside it are consolidated."""
    mauvais = retoucher(
        copie_vierge, tmp_path / "demesure.xlsx", membre_onglet(copie_vierge, "Identité"), changer
    )
    resultat = consolider_a_part(bons[0], mauvais, bons[1])
    assert resultat["consolides"] == ["ARC", "NMH"]
    ((fichier, code, onglet, _, message),) = resultat["problemes"]
    assert (fichier, code, onglet) == ("demesure.xlsx", "classeur-demesure", "Identité")
    assert "« Identité »" in message and "Supprimez les lignes et colonnes" in message


def test_tableau_demesure_parmi_de_bons(bons: list[Path], copie_vierge: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(copie_vierge) as z:
        table = next(n for n in z.namelist() if n.startswith("xl/tables/") and b'"tJournal"' in z.read(n))
    mauvais = retoucher(
        copie_vierge,
        tmp_path / "tableau.xlsx",
        table,
        lambda xml: re.sub(rb'ref="([A-Z]+\d+):[A-Z]+\d+"', rb'ref="\1:XFD1048576"', xml),
    )
    resultat = consolider_a_part(mauvais, *bons)
    assert resultat["consolides"] == ["ARC", "NMH"]
    assert [(p[0], p[1]) for p in resultat["problemes"]] == [("tableau.xlsx", "classeur-demesure")]


def test_etendue_au_seuil() -> None:
    """Exactly CELLULES_MAX cells is read; one row more is refused (the bound, not the fast path, decides)."""
    from rse_xl.ooxml import CELLULES_MAX, etendue_feuille

    colonnes = 10
    lignes = CELLULES_MAX // colonnes
    xml = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="%d"><c r="J%d"><v>1</v></c></row>'
    assert etendue_feuille(xml % (lignes, lignes)) == (CELLULES_MAX, f"J{lignes}")
    assert etendue_feuille(xml % (lignes + 1, lignes + 1))[0] == CELLULES_MAX + colonnes
    # Empty cell tags (a border, a format) hold nothing: the reader allocates nothing for them.
    assert etendue_feuille(b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576" s="3"/></row>') == (1, "A1")
    # Usual sheets are told by the fast path.
    assert etendue_feuille(b'<row r="9"><c r="Z99999" s="1"><v>2</v></c></row>') == (0, "")


def test_dtd_refusee(bons: list[Path], copie_vierge: Path, tmp_path: Path) -> None:
    """A DOCTYPE anywhere in the package (here the shared strings) is refused as damaged, never expanded."""
    entites = b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    mauvais = retoucher(
        copie_vierge,
        tmp_path / "dtd.xlsx",
        "xl/sharedStrings.xml",
        lambda xml: xml.replace(b"?>", b"?>" + entites, 1),
    )
    resultat = consolider_a_part(mauvais, *bons)
    assert resultat["consolides"] == ["ARC", "NMH"]
    ((fichier, code, _, _, message),) = resultat["problemes"]
    assert (fichier, code) == ("dtd.xlsx", "fichier-illisible")
    assert "DOCTYPE" in message and "xl/sharedStrings.xml" in message


def test_tube_nomme_jamais_ouvert(bons: list[Path], tmp_path: Path) -> None:
    """A named pipe called tube.xlsx is one clear line, at once: it is never opened (that would block)."""
    tube = tmp_path / "tube.xlsx"
    os.mkfifo(tube)
    resultat = consolider_a_part(tube, *bons)
    assert resultat["consolides"] == ["ARC", "NMH"]
    ((fichier, code, _, _, message),) = resultat["problemes"]
    assert (fichier, code) == ("tube.xlsx", "type-fichier-inconnu")
    assert "tube nommé" in message
    # In a folder scan, a pipe is not a workbook and is left out.
    dossier = tmp_path / "dossier"
    dossier.mkdir()
    os.mkfifo(dossier / "autre.xlsx")
    shutil.copy(bons[0], dossier / "ARC.xlsx")
    from rse_xl.fichiers import collecter_classeurs

    assert [p.name for p in collecter_classeurs([dossier])] == ["ARC.xlsx"]


def test_nom_de_fichier_non_utf8(tmp_path: Path) -> None:
    """A file name of Latin-1 bytes is read, and shown with U+FFFD in the report, the synthesis and JSON."""
    from typer.testing import CliRunner

    from rse_xl.cli import app

    dossier = os.fsencode(tmp_path / "entrees")
    os.mkdir(dossier)
    nom = os.path.join(dossier, b"caf\xe9_ARC.xlsx")
    shutil.copy(RACINE / "workbooks" / "RSE_2025-2027_ARC.xlsx", nom)
    sortie = tmp_path / "synthese.xlsx"
    fini = CliRunner().invoke(app, ["consolider", os.fsdecode(dossier), "-o", str(sortie)])
    assert fini.exit_code in (0, 1), fini.output
    assert sortie.exists()
    with zipfile.ZipFile(sortie) as z:
        textes = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
    assert "caf\ufffd_ARC.xlsx".encode() in textes
    fini = CliRunner().invoke(app, ["valider", os.fsdecode(dossier), "--json"])
    rapport = json.loads(fini.output)
    assert [Path(f).name for f in rapport["fichiers"]] == ["caf\ufffd_ARC.xlsx"]
    assert not [p for p in rapport["problemes"] if p["code"].startswith("fichier")]


# -- cells the fast reader cannot take: one entry on the cell, the rest of the file read ----------------------

DEMO_BMH = RACINE / "workbooks" / "RSE_2025-2027_BMH.xlsx"


def poser_cellules(source: Path, cible: Path, onglet: str, cellules: dict[str, bytes]) -> Path:
    """A copy of ``source`` where each cell of ``onglet`` is replaced by the given XML (its style kept).

    ``cellules`` maps A1 → the cell's content written after its attributes, e.g. ``b' t="e"><v>#SPILL!</v>'``.
    """

    def changer(xml: bytes) -> bytes:
        for ref, contenu in cellules.items():
            m = re.search(rb'<c r="%s"(?P<a>[^>]*?)(?:/>|>.*?</c>)' % ref.encode(), xml, re.S)
            assert m is not None, ref
            style = re.search(rb' s="\d+"', m.group("a"))
            nouvelle = b'<c r="%s"%s%s</c>' % (ref.encode(), style.group(0) if style else b"", contenu)
            xml = xml[: m.start()] + nouvelle + xml[m.end() :]
        return xml

    return retoucher(source, cible, membre_onglet(source, onglet), changer)


@pytest.fixture(scope="module")
def deja_la(bons: list[Path]) -> list[list]:
    """What the demo workbook itself is reported for (warnings of the demo): left out of the comparisons."""
    return [p for p in consolider_a_part(bons[0], DEMO_BMH, bons[1])["problemes"] if p[0] == DEMO_BMH.name]


def nouveaux(resultat: dict[str, list], deja: list[list]) -> list[list]:
    return [p for p in resultat["problemes"] if p[0] == DEMO_BMH.name and p not in deja]


def cellule_nommee(chemin: Path, nom: str) -> tuple[str, str]:
    from rse_xl.ooxml import Paquet

    paquet = Paquet.ouvrir(chemin)
    try:
        cible = paquet.cible_nom(nom)
        assert cible is not None, nom
        return cible[0], cible[1].replace("$", "")
    finally:
        paquet.fermer()


# Typed values of F01.A1 2026 (realised, an integer field) that once cost the whole file or printed a panic.
CELLULES_HOSTILES = {
    "NaN": (b"><v>NaN</v>", "type-invalide", "« NaN »"),
    "INF": (b"><v>INF</v>", "type-invalide", "« INF »"),
    "1E+400": (b"><v>1E+400</v>", "type-invalide", "« 1E+400 »"),
    "#SPILL!": (b' t="e"><v>#SPILL!</v>', "erreur-formule", "(#SPILL!)"),
    "#CALC!": (b' t="e"><v>#CALC!</v>', "erreur-formule", "(#CALC!)"),
    "#DIV/0!": (b' t="e"><f>1/0</f><v>#DIV/0!</v>', "erreur-formule", "(#DIV/0!)"),
    "booleen-2": (b' t="b"><v>2</v>', "lecture-interpretee", "« 2 »"),
    "formule-sans-resultat": (b"><f>2+3</f>", "formule-sans-resultat", "(=2+3)"),
    "formule-calculee": (b"><f>2+3</f><v>5</v>", "formule-en-saisie", "(=2+3) : son résultat (5)"),
}


@pytest.mark.parametrize("cas", list(CELLULES_HOSTILES))
def test_cellule_hostile_dans_une_fiche(
    cas: str, bons: list[Path], deja_la: list[list], tmp_path: Path
) -> None:
    """Each hostile value is one entry on its cell; the rest of the workbook (and the others) is read."""
    contenu, code, extrait = CELLULES_HOSTILES[cas]
    onglet, ref = cellule_nommee(DEMO_BMH, "F01_A1_2026_REALISE")
    mauvais = poser_cellules(DEMO_BMH, tmp_path / DEMO_BMH.name, onglet, {ref: contenu})
    resultat = consolider_a_part(bons[0], mauvais, bons[1])
    assert resultat["consolides"] == ["ARC", "BMH", "NMH"]
    trouves = nouveaux(resultat, deja_la)
    assert {(p[2], p[3]) for p in trouves} == {(onglet, ref)}  # on that cell only (a gap with the register
    (message,) = [p[4] for p in trouves if p[1] == code]  # may follow a value that could be read)
    assert extrait in message


def test_cellules_hostiles_dans_un_registre(bons: list[Path], deja_la: list[list], tmp_path: Path) -> None:
    """Errors, NaN, an out-of-range date and formulas in register cells: one entry each, on the cell; the
    other rows of the register are read."""
    from rse_xl.lecture import lire_classeur

    avant = len(lire_classeur(DEMO_BMH).registres["marches"])
    mauvais = poser_cellules(
        DEMO_BMH,
        tmp_path / DEMO_BMH.name,
        "Marchés",
        {
            "H6": b' t="e"><v>#SPILL!</v>',
            "H7": b' t="e"><v>#REF!</v>',
            "H8": b"><v>NaN</v>",
            "F9": b"><v>-1E+12</v>",  # a date cell: the fast reader panicked on it
            "H10": b"><f>1000*2</f>",
            "H11": b"><f>1000*3</f><v>3000</v>",
        },
    )
    resultat = consolider_a_part(bons[0], mauvais, bons[1])
    assert resultat["consolides"] == ["ARC", "BMH", "NMH"]
    sur_le_registre = [p for p in nouveaux(resultat, deja_la) if p[2] == "Marchés"]
    assert {p[3] for p in sur_le_registre} == {"H6", "H7", "H8", "F9", "H10", "H11"}  # on those cells only
    assert {(p[3], p[1]) for p in sur_le_registre if p[1] != "ligne-incomplete"} == {
        ("H6", "erreur-formule"),
        ("H7", "erreur-formule"),
        ("H8", "type-invalide"),
        ("F9", "type-invalide"),
        ("H10", "formule-sans-resultat"),
        ("H11", "formules-registre"),
    }
    lu = lire_classeur(mauvais)
    lignes = lu.registres["marches"]
    assert len(lignes) == avant  # every row is still there
    exclues = {r.numero for r in lignes if r.exclue}
    assert exclues == {6, 7, 8, 9, 10}  # the five rows with a bad cell; H11's computed result is kept
    assert next(r for r in lignes if r.numero == 11).valeurs["montant_ht"] == 3000


def test_onglet_illisible_sans_cascade(bons: list[Path], deja_la: list[list], tmp_path: Path) -> None:
    """A sheet neither reader can read (a shared string beyond the table) is one entry naming the sheet,
    not one « cellule nommée » entry per input; the other sheets are read."""
    onglet, ref = cellule_nommee(DEMO_BMH, "F01_A1_2026_REALISE")
    mauvais = poser_cellules(DEMO_BMH, tmp_path / DEMO_BMH.name, onglet, {ref: b' t="s"><v>999999</v>'})
    resultat = consolider_a_part(mauvais, *bons)
    assert resultat["consolides"] == ["ARC", "BMH", "NMH"]
    ((_, code, sur_onglet, _, message),) = nouveaux(resultat, deja_la)
    assert (code, sur_onglet) == ("onglet-illisible", onglet)
    assert f"« {onglet} »" in message

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
    ((fichier, code, _, _, message),) = resultat["problemes"]
    assert (fichier, code) == ("demesure.xlsx", "classeur-demesure")
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

"""The PDF for a steering committee: Accueil and Synthèse with its charts, landscape, fitted, with headers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rse_xl import impression
from rse_xl.cli import main
from rse_xl.consolidation import consolider
from rse_xl.fichiers import collecter_classeurs
from rse_xl.impression import _masquer_autres_onglets, exporter_pdf
from rse_xl.libreoffice import LibreOfficeError, soffice
from rse_xl.synthese import ecrire_synthese

RACINE = Path(__file__).resolve().parent.parent
AUJOURDHUI = dt.date(2026, 11, 30)
A4, A3 = (841.89, 595.3), (1190.55, 841.89)  # landscape, in points
# Fills that only the charts use (the cells use light tints of the status colours).
COULEURS_GRAPHES = {
    "Atteint": (0x4E, 0x9A, 0x3A),
    "En bonne voie": (0xF2, 0xB7, 0x05),
    "En retard": (0xC0, 0x39, 0x2B),
}

poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) absent")
libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) absent")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) absent")
    conso = consolider(collecter_classeurs([RACINE / "workbooks"]), annee=2026, aujourdhui=AUJOURDHUI)
    conso.demonstration = True
    dossier = tmp_path_factory.mktemp("pdf")
    synthese = ecrire_synthese(conso, dossier / "synthese.xlsx")
    avant = synthese.read_bytes()
    chemin = exporter_pdf(synthese, dossier / "synthese.pdf")
    assert synthese.read_bytes() == avant, "la synthèse elle-même n'est jamais modifiée"
    return chemin


def _pages(pdf: Path) -> list[tuple[float, float]]:
    infos = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+)", infos)]


def _texte(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _pixels(pdf: Path, page: int, dossier: Path) -> tuple[int, int, bytes]:
    """The page rendered at 30 dpi as raw RGB (PPM, no image library needed)."""
    racine = dossier / f"p{page}"
    subprocess.run(
        ["pdftoppm", "-r", "30", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(racine)],
        check=True,
    )
    donnees = (dossier / f"p{page}.ppm").read_bytes()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", donnees)
    assert m
    return int(m[1]), int(m[2]), donnees[m.end() :]


def _proches(rgb: bytes, couleur: tuple[int, int, int], tolerance: int = 40) -> int:
    return sum(
        1 for i in range(0, len(rgb), 3) if all(abs(rgb[i + k] - couleur[k]) <= tolerance for k in range(3))
    )


def _proche(taille: tuple[float, float], attendu: tuple[float, float]) -> bool:
    return abs(taille[0] - attendu[0]) < 2 and abs(taille[1] - attendu[1]) < 2


@libreoffice
@poppler
def test_pages_paysage_a4_puis_a3(pdf: Path) -> None:
    pages = _pages(pdf)
    accueil = [p for p in pages if _proche(p, A4)]
    synthese = [p for p in pages if _proche(p, A3)]
    assert len(accueil) + len(synthese) == len(pages), pages
    # Accueil (A4) first, then Synthèse (A3) fitted to the width: its 36 rows and the dashboard on a few pages.
    assert pages[: len(accueil)] == accueil and 1 <= len(accueil) <= 2
    assert 2 <= len(synthese) <= 4


@libreoffice
@poppler
def test_entetes_campagne_et_date_et_seulement_deux_onglets(pdf: Path) -> None:
    for page in range(1, len(_pages(pdf)) + 1):
        premiere = next(ligne for ligne in _texte(pdf, page).splitlines() if ligne.strip())
        assert "Convention RSE inter-offices — campagne 2026, situation au 30/11/2026" in premiere
        assert premiere.startswith("DÉMONSTRATION (chiffres fictifs)")
        assert premiere.split()[-1] in ("Accueil", "Synthèse"), premiere
    tout = "\n".join(_texte(pdf, p) for p in range(1, len(_pages(pdf)) + 1))
    assert "Classeurs des offices" in tout and "F16.A2" in tout
    assert "Tableau de bord" in tout
    for absent in ("Fichier source", "Empreinte SHA-256", "Gravité"):  # Données, Journal, Contrôles
        assert absent not in tout


@libreoffice
@poppler
def test_chaque_graphe_est_dessine(pdf: Path, tmp_path: Path) -> None:
    n = len(_pages(pdf))
    for page in range(1, n + 1):
        largeur, hauteur, rgb = _pixels(pdf, page, tmp_path)
        blancs = _proches(rgb, (255, 255, 255), tolerance=10)
        assert blancs < 0.97 * largeur * hauteur, f"page {page} blanche"
    titres = {"Statut des 36 actions en 2026": None, "Atteinte moyenne par fiche en 2026": None}
    for page in range(1, n + 1):
        texte = _texte(pdf, page)
        for titre in titres:
            if titre in texte:
                titres[titre] = page  # type: ignore[assignment]
    assert all(titres.values()), titres
    for page in set(titres.values()):
        _, _, rgb = _pixels(pdf, page, tmp_path)  # type: ignore[arg-type]
        for statut, couleur in COULEURS_GRAPHES.items():
            assert _proches(rgb, couleur, tolerance=25) > 500, (
                f"{statut} absent des graphes de la page {page}"
            )


def test_masquer_les_autres_onglets() -> None:
    xml = (
        '<workbook><bookViews><workbookView activeTab="3" firstSheet="2"/></bookViews><sheets>'
        '<sheet name="Accueil" sheetId="1" r:id="rId1"/><sheet name="Synth&#232;se" sheetId="2" r:id="rId2"/>'
        '<sheet name="Synthèse" sheetId="3" r:id="rId3" state="hidden"/>'
        '<sheet name="Contr&amp;les" sheetId="4" r:id="rId4"/></sheets></workbook>'
    )
    sortie = _masquer_autres_onglets(xml, ("Synthèse",))
    assert '<sheet name="Accueil" sheetId="1" r:id="rId1" state="hidden"/>' in sortie
    assert '<sheet name="Synthèse" sheetId="3" r:id="rId3"/>' in sortie
    assert '<sheet name="Contr&amp;les" sheetId="4" r:id="rId4" state="hidden"/>' in sortie
    assert 'activeTab="2"' in sortie and 'firstSheet="2"' in sortie


def test_sans_libreoffice_rien_n_est_ecrit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(impression, "soffice", lambda: None)
    with pytest.raises(LibreOfficeError, match="introuvable"):
        exporter_pdf(tmp_path / "s.xlsx", tmp_path / "s.pdf")
    code = main(["consolider", str(RACINE / "workbooks"), "-o", str(tmp_path / "s.xlsx"), "--export", "pdf"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Erreur : L'export PDF passe par LibreOffice, introuvable sur ce poste"), err
    assert "Rien n'a été écrit." in err
    assert list(tmp_path.iterdir()) == []

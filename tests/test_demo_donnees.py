"""The demo's data files: shipped with the package, and a malformed one refused with the file's name."""

from __future__ import annotations

import re
import shutil
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from rse_xl.demo import charger_donnees
from rse_xl.demo.donnees import DOSSIER, DonneesDemo
from rse_xl.errors import ReferentielError

RACINE = Path(__file__).resolve().parent.parent
SOURCE = Path(str(resources.files("rse_xl.demo").joinpath(DOSSIER)))


def test_un_fichier_par_modele_et_tous_dans_le_paquet() -> None:
    fichiers = sorted(p.name for p in SOURCE.glob("*.yaml"))
    assert fichiers == sorted(f"{nom}.yaml" for nom in DonneesDemo.model_fields)
    motifs = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["rse_xl"]
    assert f"demo/{DOSSIER}/*.yaml" in motifs


@pytest.fixture
def copie(tmp_path: Path) -> Path:
    dossier = tmp_path / DOSSIER
    shutil.copytree(SOURCE, dossier)
    return dossier


def remplacer(dossier: Path, fichier: str, avant: str, apres: str) -> None:
    chemin = dossier / fichier
    texte = chemin.read_text(encoding="utf-8")
    assert avant in texte, avant
    chemin.write_text(texte.replace(avant, apres, 1), encoding="utf-8")


def test_copie_intacte_se_charge(copie: Path) -> None:
    assert charger_donnees(copie) == charger_donnees()


@pytest.mark.parametrize(
    ("fichier", "avant", "apres", "attendu"),
    [
        ("offices.yaml", "  etat: Soumis\n", "  etat: [Soumis\n", "offices.yaml"),  # YAML syntax
        ("offices.yaml", "  journal: 1.2\n", "  journal: 1.2\n  couleur: bleu\n", "couleur"),  # unknown field
        ("offices.yaml", "  marches: [50, 62]", "  marches: [62, 50]", "désordre"),
        ("offices.yaml", "  etat: Soumis", "  etat: Envoyé", "Envoyé"),
        ("offices.yaml", '"{code}-{aa}-{n:03d}"', '"{code}-{annee}-{n:03d}"', "annee"),
        ("journal.yaml", "public: Locataires", "public: Habitants", "Habitants"),
        ("journal.yaml", "kits hydro-économes – {res}", "kits hydro-économes – {residence}", "residence"),
        ("marches.yaml", "    reserve: SIAE", "    reserve: Non", "reserve"),
        ("equipements.yaml", "prefixe: PCP", "prefixe: PC", "prefixe"),
        ("operations.yaml", "  G: [421, 520]\n", "", "classe DPE"),
        ("reemploi.yaml", "  m³: [5.0, 150.0]\n", "", "m³"),
        ("incomplet.yaml", "  dpe_apres: D", "  dpe_apres: H", "dpe_apres"),
        ("fiches.yaml", "décembre {annee}", "décembre {annee_suivante}", "annee_suivante"),
    ],
)
def test_fichier_malforme(copie: Path, fichier: str, avant: str, apres: str, attendu: str) -> None:
    remplacer(copie, fichier, avant, apres)
    with pytest.raises(
        ReferentielError, match=rf"Données de démonstration invalides \({re.escape(fichier)}\)"
    ) as exc:
        charger_donnees(copie)
    assert attendu in str(exc.value)


def test_alias_refuses(copie: Path) -> None:
    remplacer(copie, "reemploi.yaml", "materiaux_communs: [Bois, Métaux]", "materiaux_communs: &m [Bois]")
    with pytest.raises(ReferentielError, match=r"\(reemploi\.yaml\) : ancres et alias YAML non acceptés"):
        charger_donnees(copie)


def test_fichier_absent(copie: Path) -> None:
    (copie / "vehicules.yaml").unlink()
    with pytest.raises(ReferentielError, match=r"\(vehicules\.yaml\)"):
        charger_donnees(copie)


@pytest.mark.parametrize(
    ("fichier", "avant", "apres", "attendu"),
    [
        ("communs.yaml", "offices: [ARC, BMH]", "offices: [ARC, XYZ]", "office inconnu(e) « XYZ »"),
        ("communs.yaml", "BMH: [ATELIER-2026-01]", "BMH: [ATELIER-2031-01]", "« ATELIER-2031-01 »"),
        ("incomplet.yaml", "office_en_retard: NMH", "office_en_retard: QQQ", "« QQQ »"),
        ("anomalies.yaml", "  - office: NMH", "  - office: nmh", "« nmh »"),
        ("journal.yaml", "  F16.A2:", "  F99.A9:", "« F99.A9 »"),
    ],
)
def test_fichiers_incoherents(copie: Path, fichier: str, avant: str, apres: str, attendu: str) -> None:
    remplacer(copie, fichier, avant, apres)
    with pytest.raises(ReferentielError, match="Données de démonstration incohérentes") as exc:
        charger_donnees(copie)
    assert f"{fichier} : " in str(exc.value) and attendu in str(exc.value)

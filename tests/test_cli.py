"""The command line: exact outputs, exit codes, French messages, and a README that documents it all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rse_xl.cli import app, main
from rse_xl.controles import CONTROLES
from rse_xl.layout import REGISTRES

RACINE = Path(__file__).resolve().parent.parent
README = (RACINE / "README.md").read_text(encoding="utf-8")


def lancer(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_referentiel_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lancer(capsys, "referentiel", "--json")
    assert code == 0
    d = json.loads(out)
    assert len(d["fiches"]) == 16
    actions = [a for f in d["fiches"] for a in f["actions"]]
    assert len(actions) == 36
    a = next(a for a in actions if a["code"] == "F10.A1")
    assert a["numero"] == 1 and a["titre"].startswith("Consolider le partenariat")
    assert a["indicateur"]["libelle"] == "OBJECTIFS"
    assert a["indicateur"]["cibles"] == {
        "2025": "Création de l'annuaire",
        "2026": "3",
        "2027": "4 (dont une demi-journée d'échanges avec les acteurs)",
    }
    assert {a["indicateur"]["sens"] for a in actions} == {"hausse", "baisse"}
    assert a["indicateur"]["type"] == "comptage"


def test_referentiel_lisible(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = lancer(capsys, "referentiel")
    assert code == 0
    assert "F16.A2" in out and "16 fiches, 36 actions" in out


def test_modele(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sortie = tmp_path / "bmh.xlsx"
    code, out, _ = lancer(capsys, "modele", "--office", "bmh", "-o", str(sortie))
    assert code == 0 and sortie.exists()
    assert out.strip() == f"Classeur de « Brest métropole habitat » écrit : {sortie}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["modele", "--office", "Quimper"], "Erreur : Office inconnu : « Quimper »."),
        (["modele"], "Erreur : paramètre obligatoire manquant : --office."),
        (["modele", "--bidule"], "Erreur : option inconnue « --bidule »."),
        (["valider", "/nulle/part.xlsx"], "Erreur : « /nulle/part.xlsx » n'existe pas"),
        (
            ["consolider", "--annee", "2031", "/nulle/part"],
            "Erreur : valeur invalide pour --annee : 2031 est hors des valeurs permises (de 2025 à 2027).",
        ),
    ],
)
def test_erreurs_d_usage(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = lancer(capsys, *args)
    assert code == 2
    assert err.startswith(message), err
    assert "Traceback" not in out + err


def test_valider_codes_de_sortie(
    capsys: pytest.CaptureFixture[str], classeur_vierge: tuple[Path, object], tmp_path: Path
) -> None:
    code, out, _ = lancer(capsys, "valider", str(classeur_vierge[0]))
    assert code == 0
    assert "Brest métropole habitat — bmh.xlsx : 0 erreur(s)" in out
    faux = tmp_path / "faux.xlsx"
    faux.write_text("pas un classeur", encoding="utf-8")
    code, out, _ = lancer(capsys, "valider", str(faux), "--json")
    assert code == 1
    rapport = json.loads(out)
    assert rapport["valide"] is False
    assert rapport["problemes"][0]["code"] == "type-fichier-inconnu"
    assert set(rapport["problemes"][0]) >= {
        "code",
        "gravite",
        "office",
        "fichier",
        "onglet",
        "cellule",
        "valeur",
        "message",
    }


def test_debug_montre_la_trace(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = lancer(capsys, "modele", "--office", "Quimper", "--debug")
    assert code == 2 and "Traceback" in err


def _commandes() -> list[str]:
    return [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]


def test_readme_documente_chaque_commande() -> None:
    for commande in _commandes():
        assert f"`rse-xl {commande}" in README, f"commande {commande} absente du README"


def test_readme_documente_chaque_controle() -> None:
    for c in CONTROLES:
        assert f"| `{c.code}` | {c.gravite.value} |" in README, f"contrôle {c.code} absent du README"


def test_readme_documente_chaque_colonne() -> None:
    for spec in REGISTRES.values():
        assert f"tableau `{spec.table}`" in README
        for col in spec.colonnes:
            assert re.search(rf"\| {re.escape(col.entete)} \| `{col.cle}` \|", README), col.entete


@pytest.mark.parametrize("module", ["rse_xl", "rse_xl.cli"])
def test_script_rend_le_code_de_sortie(module: str, tmp_path: Path) -> None:
    """`python -m rse_xl` (what the rse-xl script runs) exits with main()'s code, collector off meanwhile."""
    import subprocess
    import sys

    texte = tmp_path / "notes.xlsx"
    texte.write_text("pas un classeur", encoding="utf-8")
    fini = subprocess.run(
        [sys.executable, "-m", module, "valider", str(texte), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert fini.returncode == 1, fini.stderr
    assert json.loads(fini.stdout)["valide"] is False
    absent = subprocess.run(
        [sys.executable, "-m", module, "valider", str(tmp_path / "absent.xlsx")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert absent.returncode == 2 and "n'existe pas" in absent.stderr
    sonde = (
        "import gc, sys\n"
        "from rse_xl import cli\n"
        "cli.main = lambda: print(gc.isenabled()) or 7\n"
        "cli.lancer()\n"
    )
    fini = subprocess.run(
        [sys.executable, "-c", sonde], capture_output=True, text=True, timeout=60, check=False
    )
    assert (fini.returncode, fini.stdout.strip()) == (7, "False")


def test_consolider_sans_dossier_annonce_la_demonstration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's first command: demo workbooks, said on the first line, in the name and on Accueil."""
    import openpyxl

    from rse_xl.synthese import BANDEAU_DEMONSTRATION

    monkeypatch.chdir(tmp_path)
    (tmp_path / "RSE_2025-2027_BMH.xlsx").write_bytes(b"")  # a real office file here is left alone
    code, out, _ = lancer(capsys, "consolider", "--annee", "2026")
    assert code == 0
    lignes = out.splitlines()
    assert lignes[0] == (
        f"Démonstration : aucun dossier indiqué, ce sont les classeurs de démonstration de "
        f"{RACINE / 'workbooks'} (chiffres fictifs). Pour vos classeurs : rse-xl consolider DOSSIER."
    )
    sortie = tmp_path / "synthese_DEMO_2026.xlsx"
    assert lignes[-1] == f"Écrit : {sortie.resolve()}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["RSE_2025-2027_BMH.xlsx", "synthese_DEMO_2026.xlsx"]
    accueil = openpyxl.load_workbook(sortie)["Accueil"]
    assert accueil["A3"].value == BANDEAU_DEMONSTRATION
    # Real inputs: no banner, no DEMO in the name.
    code, out, _ = lancer(capsys, "consolider", str(RACINE / "workbooks"), "--annee", "2026")
    assert not out.startswith("Démonstration") and (tmp_path / "synthese_RSE_2026.xlsx").is_file()
    accueil = openpyxl.load_workbook(tmp_path / "synthese_RSE_2026.xlsx")["Accueil"]
    assert accueil["A3"].value is None
    code, out, err = lancer(capsys, "valider", "--json")
    assert err.startswith("Démonstration : ") and "rse-xl valider DOSSIER" in err
    assert json.loads(out)["valide"] is True


@pytest.mark.parametrize(("verrou", "programme"), [(".~lock.{}#", "LibreOffice"), ("~${}", "Excel")])
def test_synthese_ouverte_refusee(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, verrou: str, programme: str
) -> None:
    sortie = tmp_path / "synthese_2026.xlsx"
    sortie.write_bytes(b"ancienne")
    (tmp_path / verrou.format(sortie.name)).write_text(",bob,poste,02.12.2026 09:00,", encoding="utf-8")
    code, _, err = lancer(capsys, "consolider", str(RACINE / "workbooks"), "-o", str(sortie))
    assert code == 2
    assert err.startswith(
        f"Erreur : Le fichier « {sortie} » est ouvert dans {programme} (verrou « {verrou.format(sortie.name)} » "
        "à côté). Fermez-le puis relancez : rien n'a été perdu."
    ), err
    assert sortie.read_bytes() == b"ancienne"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([sortie.name, verrou.format(sortie.name)])


def test_chemin_ecrit_montre_resolu(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    code, out, _ = lancer(capsys, "consolider", str(RACINE / "workbooks"), "-o", "../Synthèse été 2026.xlsx")
    assert code == 0
    assert out.splitlines()[-1] == f"Écrit : {tmp_path.resolve() / 'Synthèse été 2026.xlsx'}"


def test_parquet_sans_pandas_verifie_avant_d_ecrire(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed: find_spec() gives None
    code, _, err = lancer(
        capsys, "consolider", str(RACINE / "workbooks"), "-o", str(tmp_path / "s.xlsx"), "--export", "parquet"
    )
    assert code == 2
    assert err.startswith(
        "Erreur : L'export parquet a besoin de pyarrow, absent(s) de cet environnement Python : installez-les "
        'avec pip install "rse-xl[tables]" puis relancez (rien n\'a été écrit).'
    ), err
    assert list(tmp_path.iterdir()) == []
    assert '`pip install "rse-xl[tables]"`' in README

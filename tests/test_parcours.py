"""Every command of the README's reference table, with good and bad input, as a newcomer would try it.

Fails on a traceback, an English word from Typer/Click/pydantic, or an exit code other than the documented
ones (0 no error, 1 errors in the data, 2 misuse); and checks that the README's examples of output are what
the commands print.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_aide import ANGLAIS

from rse_xl.cli import main
from rse_xl.maitre import ecrire_maitre

RACINE = Path(__file__).resolve().parent.parent
README = (RACINE / "README.md").read_text(encoding="utf-8")
DEMO = str(RACINE / "workbooks")
REFERENCE = README.split("## Référence de la ligne de commande", 1)[1].split("\n## ", 1)[0]
COMMANDES_DOCUMENTEES = re.findall(r"^\| `rse-xl ([a-z-]+)", REFERENCE, re.MULTILINE)

# command → [(arguments, documented exit code)]; {tmp} is a fresh folder, {texte} a text file named .xlsx,
# {vide} an empty folder, {maitre} a blank master (no folder in Paramètres: one check to fix), {v1} a copy
# of the version-1 workbook of tests/donnees/v1.
CAS: dict[str, list[tuple[list[str], int]]] = {
    "referentiel": [
        (["referentiel"], 0),
        (["referentiel", "--json"], 0),
        (["referentiel", "--jsn"], 2),
        (["referentiel", "F01"], 2),
    ],
    "modele": [
        (["modele", "--office", "BMH", "-o", "{tmp}/bmh.xlsx"], 0),
        (["modele", "--office", "Nantes Métropole Habitat", "-o", "{tmp}/nmh.xlsx"], 0),
        (["modele"], 2),
        (["modele", "--office", "Quimper"], 2),
        (["modele", "--office", "BMH", "-o", "{tmp}/bmh.txt"], 2),
        (["modele", "--office"], 2),
    ],
    "valider": [
        (["valider", DEMO], 0),
        (["valider", DEMO, "--tout", "--workers", "2", "--date-reference", "30/11/2026"], 0),
        (["valider", DEMO, "--json", "--date-reference", "2026-11-30"], 0),
        (["valider", "{texte}"], 1),
        (["valider", "{tmp}/absent.xlsx"], 2),
        (["valider", DEMO, "--workers", "0"], 2),
        (["valider", DEMO, "--workers", "beaucoup"], 2),
        (["valider", DEMO, "--date-reference", "31/02/2026"], 2),
        (["valider", DEMO, "--parametres", "{tmp}/absent.yaml"], 2),
        (["valider", "{vide}"], 2),
    ],
    "consolider": [
        (["consolider", DEMO, "-o", "{tmp}/s.xlsx", "--annee", "2026", "--export", "csv"], 0),
        (["consolider", DEMO, "-o", "{tmp}/s.xlsx", "--json", "--date-reference", "30/11/2026"], 0),
        (["consolider", "{texte}", "-o", "{tmp}/s.xlsx"], 1),
        (["consolider", DEMO, "--annee", "abc"], 2),
        (["consolider", DEMO, "--annee", "2031"], 2),
        (["consolider", DEMO, "--export", "xml"], 2),
        (["consolider", DEMO, "--export"], 2),
        (["consolider", DEMO, "-o", "{tmp}/s.txt"], 2),
        (["consolider", DEMO, "--workers", "0"], 2),
    ],
    "retours": [
        (["retours", DEMO, "-o", "{tmp}/retours", "--date-reference", "30/11/2026"], 0),
        (["retours", DEMO, "-o", "{tmp}/retours", "--json"], 0),
        (["retours", "{texte}", "-o", "{tmp}/retours"], 1),
        (["retours", "{vide}", "-o", "{tmp}/retours"], 2),
        (["retours", DEMO, "-o", DEMO], 2),
        (["retours", DEMO, "--annee", "2031"], 2),
    ],
    "migrer": [
        (["migrer", "{v1}", "-o", "{tmp}/migre.xlsx"], 0),
        (["migrer", "{v1}", "-o", "{tmp}/migres", "--json"], 0),
        (["migrer", "{texte}", "-o", "{tmp}/m.xlsx"], 1),
        (["migrer", "{tmp}/absent.xlsx"], 2),
        (["migrer", "{v1}", "-o", "{v1}"], 2),
        (["migrer"], 2),
    ],
    "maitre": [
        (["maitre", "-o", "{tmp}/m.xlsm", "--interpreter", "/opt/py/bin/python"], 0),
        (["maitre", "-o", "{tmp}/m.xlsx"], 2),
        (["maitre", "--interpreter"], 2),
    ],
    "diagnostic": [
        (["diagnostic"], 0),
        (["diagnostic", "--json"], 0),
        (["diagnostic", "{maitre}"], 1),
        (["diagnostic", "{maitre}", "--json"], 1),
        (["diagnostic", "{tmp}/absent.xlsm"], 2),
        (["diagnostic", "{texte}"], 2),
        (["diagnostic", "{vide}"], 2),
        (["diagnostic", "--jsn"], 2),
    ],
    "demo": [
        (["demo", "-o", "{tmp}/demo", "--graine", "3"], 0),
        (["demo", "--graine", "x"], 2),
        (["demo", "-o"], 2),
    ],
    "--version": [(["--version"], 0), (["--versio"], 2)],
}


def test_chaque_commande_du_readme_est_parcourue() -> None:
    assert set(COMMANDES_DOCUMENTEES) == set(CAS), COMMANDES_DOCUMENTEES


@pytest.mark.parametrize(
    ("args", "code_attendu"),
    [cas for liste in CAS.values() for cas in liste],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_commande(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], code_attendu: int
) -> None:
    texte = tmp_path / "notes.xlsx"
    texte.write_text("pas un classeur", encoding="utf-8")
    vide = tmp_path / "vide"
    vide.mkdir()
    if "{maitre}" in args:
        ecrire_maitre(tmp_path / "maitre_RSE.xlsm")
    v1 = tmp_path / "RSE_2025-2027_BMH_v1.xlsx"
    if "{v1}" in args:
        shutil.copy(RACINE / "tests" / "donnees" / "v1" / v1.name, v1)
    args = [
        a.replace("{tmp}", str(tmp_path))
        .replace("{texte}", str(texte))
        .replace("{vide}", str(vide))
        .replace("{maitre}", str(tmp_path / "maitre_RSE.xlsm"))
        .replace("{v1}", str(v1))
        for a in args
    ]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == code_attendu, (out, err)
    assert "Traceback" not in out + err
    assert not ANGLAIS.search(out + err), out + err
    if code == 2:
        assert err.startswith("Erreur : ") and err.count("\n") == 1, err
        assert not out
    else:
        assert "Erreur inattendue" not in err


def _bloc(debut: str) -> list[str]:
    """The lines of the README's code block that holds a line starting with ``debut`` (dedented)."""
    for bloc in re.findall(r"^( *)```[a-z]*\n(.*?)^\1```", README, re.MULTILINE | re.DOTALL):
        marge, contenu = bloc
        lignes = [ligne[len(marge) :] for ligne in contenu.splitlines()]
        if any(ligne.startswith(debut) for ligne in lignes):
            return lignes
    raise AssertionError(f"aucun bloc du README ne commence par {debut!r}")


def _reel(texte: str, courant: Path) -> list[str]:
    return (
        texte.replace(DEMO, "/chemin/vers/rse-xl/workbooks")
        .replace(str(courant.resolve()), "/chemin/du/dossier/courant")
        .splitlines()
    )


def test_readme_premiere_commande(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["consolider", "--annee", "2026", "--date-reference", "30/11/2026"]) == 0
    attendu = _bloc("Démonstration : aucun dossier indiqué, ce sont les classeurs de démonstration")
    assert _reel(capsys.readouterr().out, tmp_path) == attendu


def test_readme_rapport_de_valider(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["valider", "--date-reference", "30/11/2026"]) == 0
    attendu = _bloc("Archipel habitat — RSE_2025-2027_ARC.xlsx")
    assert _reel(capsys.readouterr().out, tmp_path) == attendu


def test_readme_messages_d_usage(capsys: pytest.CaptureFixture[str]) -> None:
    lignes = _bloc("$ rse-xl valider --workers 0")
    for commande, message in zip(lignes[::2], lignes[1::2], strict=True):
        assert main(commande.removeprefix("$ rse-xl ").split()) == 2
        assert capsys.readouterr().err.rstrip("\n") == message


@pytest.mark.parametrize(
    "reglages",
    [
        "offices:\n  - {code: QUB, nom: Quimper}\n  - {code: rhe, nom: Rennes Habitat Est}\n",
        "offices:\n  - {code: ARC, nom: Autre}\n",
        "parametres:\n  seuils_statut: {atteint: 0.5}\n",
    ],
)
def test_readme_erreurs_du_fichier_de_reglages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reglages: str
) -> None:
    # The README wraps each message over lines: a line that does not start with « Erreur » continues one.
    exemples = re.sub(r"\n(?!Erreur)", " ", "\n".join(_bloc("Erreur : Fichier de réglages"))).splitlines()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "offices.yaml").write_text(reglages, encoding="utf-8")
    assert main(["valider", DEMO, "--parametres", "offices.yaml"]) == 2
    assert capsys.readouterr().err.rstrip("\n") in exemples

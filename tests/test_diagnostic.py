"""First-day diagnostics (rse_xl.diagnostic): each check OK and to fix, the text, and `rse-xl diagnostic`."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from rse_xl import diagnostic
from rse_xl.cli import app, main
from rse_xl.diagnostic import Verification, diagnostiquer, lire_reglages, texte_diagnostic
from rse_xl.excel import Reglages
from rse_xl.maitre import PARAM_ANNEE, PARAM_DOSSIER, ecrire_maitre
from rse_xl.referentiel import Convention

RACINE = Path(__file__).resolve().parent.parent
DEMO = RACINE / "workbooks"
XLWINGS = importlib.metadata.version("xlwings")
SCRIPTS = Path("Library", "Application Scripts", "com.microsoft.Excel")


def par_sujet(verifications: list[Verification]) -> dict[str, Verification]:
    return {v.sujet: v for v in verifications}


def diagnostic_maitre(
    tmp_path: Path, conv: Convention, reglages: Reglages | None = None, **options: object
) -> dict[str, Verification]:
    """The checks of a master saved in ``tmp_path`` with these settings (year 2026 unless said)."""
    options.setdefault("adresse_maitre", str(tmp_path / "maitre_RSE.xlsm"))
    verifications = diagnostiquer(
        reglages=reglages if reglages is not None else Reglages(annee=2026),
        version_vba=None,
        convention=conv,
        plateforme="linux",
        **options,  # type: ignore[arg-type]
    )
    return par_sujet(verifications)


@pytest.fixture(scope="session")
def maitre_vierge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ecrire_maitre(tmp_path_factory.mktemp("maitre") / "maitre_RSE.xlsm")


@pytest.fixture
def classeurs(tmp_path: Path) -> Path:
    """The three demo workbooks in ``tmp_path/classeurs``."""
    return Path(shutil.copytree(DEMO, tmp_path / "classeurs"))


# --- Python, rse-xl, xlwings, AppleScript ---------------------------------------------------------------------


def test_sans_maitre_seulement_python_rse_xl_xlwings() -> None:
    verifications = diagnostiquer(adresse_maitre=None, reglages=None, version_vba=None, plateforme="linux")
    assert [v.sujet for v in verifications] == ["Python", "rse-xl", "xlwings"]
    assert all(v.ok for v in verifications), verifications
    assert "rse-xl maitre" in verifications[2].detail  # says the version is that of a master written now


def test_python_trop_ancien() -> None:
    v = diagnostic._python((3, 10, 12))
    assert not v.ok
    assert "3.10.12" in v.detail and "3.11 ou plus récent" in v.conseil


def test_xlwings_meme_version_que_le_module_vba() -> None:
    v = par_sujet(diagnostiquer(adresse_maitre=None, reglages=None, version_vba=XLWINGS))["xlwings"]
    assert v.ok and v.detail.startswith(f"{XLWINGS}, la version du module VBA du classeur maître")


def test_xlwings_version_differente() -> None:
    v = par_sujet(diagnostiquer(adresse_maitre=None, reglages=None, version_vba="0.30.0"))["xlwings"]
    assert not v.ok
    assert f"xlwings {XLWINGS} installé" in v.detail and "xlwings 0.30.0" in v.detail
    assert "« pip install xlwings==0.30.0 »" in v.conseil and "« rse-xl maitre »" in v.conseil


def test_xlwings_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diagnostic, "_version_xlwings", lambda: None)
    v = par_sujet(diagnostiquer(adresse_maitre=None, reglages=None, version_vba="0.37.8"))["xlwings"]
    assert not v.ok and "n'est pas installé" in v.detail
    assert "pip install xlwings==0.37.8" in v.conseil


def test_applescript_present_sur_macos(tmp_path: Path) -> None:
    (tmp_path / SCRIPTS).mkdir(parents=True)
    script = tmp_path / SCRIPTS / f"xlwings-{XLWINGS}.applescript"
    script.write_text("-- xlwings", encoding="utf-8")
    verifications = diagnostiquer(
        adresse_maitre=None, reglages=None, version_vba=None, plateforme="darwin", maison=tmp_path
    )
    v = par_sujet(verifications)["Script AppleScript de xlwings (macOS)"]
    assert v.ok and v.detail == str(script)


def test_applescript_absent_ou_d_une_autre_version(tmp_path: Path) -> None:
    sujet = "Script AppleScript de xlwings (macOS)"
    options = dict(adresse_maitre=None, reglages=None, version_vba=None, plateforme="darwin", maison=tmp_path)
    v = par_sujet(diagnostiquer(**options))[sujet]  # type: ignore[arg-type]
    assert not v.ok and f"xlwings-{XLWINGS}.applescript" in v.detail
    assert "« xlwings runpython install »" in v.conseil
    (tmp_path / SCRIPTS).mkdir(parents=True)
    (tmp_path / SCRIPTS / "xlwings-0.30.0.applescript").write_text("", encoding="utf-8")
    v = par_sujet(diagnostiquer(**options))[sujet]  # type: ignore[arg-type]
    assert not v.ok and "trouvé(s) : xlwings-0.30.0.applescript" in v.detail


def test_pas_d_applescript_hors_macos(tmp_path: Path) -> None:
    for plateforme in ("win32", "linux"):
        verifications = diagnostiquer(
            adresse_maitre=None, reglages=None, version_vba=None, plateforme=plateforme, maison=tmp_path
        )
        assert not any("AppleScript" in v.sujet for v in verifications)


# --- the master's folder ----------------------------------------------------------------------------------------


def test_dossier_du_maitre_local(tmp_path: Path, conv: Convention) -> None:
    v = diagnostic_maitre(tmp_path, conv)["Dossier du classeur maître"]
    assert v == Verification("Dossier du classeur maître", True, str(tmp_path))


def test_maitre_onedrive_avec_copie_synchronisee(tmp_path: Path, conv: Convention, classeurs: Path) -> None:
    synchro = tmp_path / "OneDrive" / "RSE 2026"
    synchro.mkdir(parents=True)
    (synchro / "maitre_RSE.xlsm").write_bytes(b"PK")
    shutil.move(classeurs, synchro / "classeurs")
    verifs = diagnostic_maitre(
        tmp_path,
        conv,
        Reglages(annee=2026, dossier="classeurs"),
        adresse_maitre="https://d.docs.live.net/4f2a9c/RSE%202026/maitre_RSE.xlsm",
        environ={"OneDrive": str(tmp_path / "OneDrive")},
        maison=tmp_path / "maison",
    )
    assert verifs["Dossier du classeur maître"] == Verification(
        "Dossier du classeur maître", True, str(synchro)
    )
    assert verifs["Dossier des classeurs des offices"].ok  # relative to the synced folder
    assert verifs["Dossier de la synthèse"].ok


def test_maitre_onedrive_sans_copie_synchronisee(tmp_path: Path, conv: Convention) -> None:
    verifs = diagnostic_maitre(
        tmp_path,
        conv,
        Reglages(annee=2026, dossier="classeurs"),
        adresse_maitre="https://d.docs.live.net/4f2a9c/RSE/maitre_RSE.xlsm",
        environ={},
        maison=tmp_path,
    )
    v = verifs["Dossier du classeur maître"]
    assert not v.ok and "ouvert depuis le web" in v.detail
    assert "Synchronisez" in v.conseil and "chemins complets" in v.conseil
    relatif = verifs["Dossier des classeurs des offices"]
    assert not relatif.ok and "chemin relatif" in relatif.detail and "chemin complet" in relatif.detail
    # The summary's default is beside the master, whose folder is unknown.
    assert not verifs["Dossier de la synthèse"].ok


def test_maitre_jamais_enregistre(tmp_path: Path, conv: Convention) -> None:
    v = diagnostic_maitre(tmp_path, conv, adresse_maitre="Classeur1")["Dossier du classeur maître"]
    assert not v.ok and "jamais été enregistré" in v.detail and "Enregistrez" in v.conseil


# --- the offices' folder and files --------------------------------------------------------------------------


def test_rien_d_indique(tmp_path: Path, conv: Convention) -> None:
    v = diagnostic_maitre(tmp_path, conv)["Classeurs des offices"]
    assert not v.ok and "onglet « Paramètres »" in v.conseil


def test_dossier_des_offices(tmp_path: Path, conv: Convention, classeurs: Path) -> None:
    ecrire_maitre(classeurs / "maitre_RSE.xlsm")  # the master in the folder is not counted as an office's
    verifs = diagnostic_maitre(
        tmp_path,
        conv,
        Reglages(annee=2026, dossier="."),  # relative to the master's folder
        adresse_maitre=str(classeurs / "maitre_RSE.xlsm"),
    )
    v = verifs["Dossier des classeurs des offices"]
    assert v == Verification("Dossier des classeurs des offices", True, f"{classeurs} — 3 classeurs trouvés")
    assert "Classeurs des offices" not in verifs


def test_dossier_des_offices_entre_guillemets_et_variable(
    tmp_path: Path, conv: Convention, classeurs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RSE_CAMPAGNE", str(tmp_path))
    reglages = Reglages(annee=2026, dossier='"$RSE_CAMPAGNE/classeurs"')
    assert diagnostic_maitre(tmp_path, conv, reglages)["Dossier des classeurs des offices"].ok


@pytest.mark.parametrize(
    ("dossier", "attendu"),
    [("absent", "n'existe pas"), ("vide", "ne contient aucun classeur"), ("notes.txt", "est un fichier")],
)
def test_dossier_des_offices_a_corriger(tmp_path: Path, conv: Convention, dossier: str, attendu: str) -> None:
    (tmp_path / "vide").mkdir()
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    v = diagnostic_maitre(tmp_path, conv, Reglages(annee=2026, dossier=dossier))[
        "Dossier des classeurs des offices"
    ]
    assert not v.ok and attendu in v.detail and v.conseil


def test_fichier_d_un_office(tmp_path: Path, conv: Convention, classeurs: Path) -> None:
    reglages = Reglages(annee=2026, fichiers={"BMH": str(classeurs / "RSE_2025-2027_BMH.xlsx")})
    v = diagnostic_maitre(tmp_path, conv, reglages)["Fichier de Brest métropole habitat"]
    assert v == Verification(
        "Fichier de Brest métropole habitat", True, str(classeurs / "RSE_2025-2027_BMH.xlsx")
    )


@pytest.mark.parametrize(
    ("chemin", "attendu"),
    [
        ("absent.xlsx", "n'existe pas"),
        ("dossier.xlsx", "est un dossier, pas un fichier"),  # where a file is expected
        ("notes.txt", "n'est pas un classeur .xlsx ou .xlsm"),
    ],
)
def test_fichier_d_un_office_a_corriger(tmp_path: Path, conv: Convention, chemin: str, attendu: str) -> None:
    (tmp_path / "dossier.xlsx").mkdir()
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    v = diagnostic_maitre(tmp_path, conv, Reglages(annee=2026, fichiers={"ARC": chemin}))[
        "Fichier de Archipel habitat"
    ]
    assert not v.ok and attendu in v.detail and v.conseil


def test_fichier_illisible(tmp_path: Path) -> None:
    # Reading is really tried (root reads anything chmod forbids): a folder cannot be read as a file.
    (tmp_path / "dossier").mkdir()
    assert diagnostic._illisible(tmp_path / "dossier") == "c'est un dossier, pas un fichier"
    assert diagnostic._illisible(tmp_path / "absent") == "aucun fichier à cet emplacement"
    (tmp_path / "ok.xlsx").write_bytes(b"PK\x03\x04")
    assert diagnostic._illisible(tmp_path / "ok.xlsx") is None


# --- the summary's folder ------------------------------------------------------------------------------------


def test_dossier_de_la_synthese_accessible(tmp_path: Path, conv: Convention) -> None:
    (tmp_path / "synthese_RSE_2026.xlsx").write_bytes(b"ancienne")
    avant = sorted(tmp_path.iterdir())
    v = diagnostic_maitre(tmp_path, conv)["Dossier de la synthèse"]
    assert v.ok and v.detail == f"{tmp_path} — la synthèse s'y écrira sous le nom « synthese_RSE_2026.xlsx »"
    assert sorted(tmp_path.iterdir()) == avant  # the temporary file is gone, the existing one untouched
    assert (tmp_path / "synthese_RSE_2026.xlsx").read_bytes() == b"ancienne"


def test_synthese_dans_un_sous_dossier(tmp_path: Path, conv: Convention) -> None:
    (tmp_path / "sorties").mkdir()
    v = diagnostic_maitre(tmp_path, conv, Reglages(annee=2027, synthese="sorties"))["Dossier de la synthèse"]
    assert v.ok and "synthese_RSE_2027.xlsx" in v.detail and str(tmp_path / "sorties") in v.detail


@pytest.mark.parametrize(
    ("synthese", "attendu"),
    [
        ("fichier.txt/sortie.xlsx", "est un fichier, pas un dossier"),  # under a regular file: unwritable
        ("absent/sortie.xlsx", "n'existe pas"),
        ("sortie.csv", "s'écrit en .xlsx"),
    ],
)
def test_dossier_de_la_synthese_a_corriger(
    tmp_path: Path, conv: Convention, synthese: str, attendu: str
) -> None:
    (tmp_path / "fichier.txt").write_text("texte", encoding="utf-8")
    v = diagnostic_maitre(tmp_path, conv, Reglages(annee=2026, synthese=synthese))["Dossier de la synthèse"]
    assert not v.ok and attendu in v.detail
    assert (tmp_path / "fichier.txt").read_text(encoding="utf-8") == "texte"


def test_ecriture_refusee(tmp_path: Path, conv: Convention, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuser(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(diagnostic.tempfile, "NamedTemporaryFile", refuser)
    v = diagnostic_maitre(tmp_path, conv)["Dossier de la synthèse"]
    assert not v.ok and v.detail == f"impossible d'écrire dans « {tmp_path} » (accès refusé)"
    assert "accès en écriture" in v.conseil


# --- nothing raises, and the text --------------------------------------------------------------------------


def test_une_panne_inattendue_est_une_ligne(
    tmp_path: Path, conv: Convention, monkeypatch: pytest.MonkeyPatch
) -> None:
    def panne(self: object) -> None:
        raise RuntimeError("disque débranché")

    monkeypatch.setattr(diagnostic._Contexte, "synthese", panne)
    verifs = diagnostic_maitre(tmp_path, conv)
    v = verifs["Dossier de la synthèse"]
    assert not v.ok and "erreur inattendue (RuntimeError : disque débranché)" in v.detail
    assert verifs["Dossier du classeur maître"].ok  # the other checks still ran


def test_texte_diagnostic() -> None:
    verifications = [
        Verification("Python", True, "3.11.7"),
        Verification("Dossier de la synthèse", False, "« /x » n'existe pas.", "Créez ce dossier."),
        Verification("Classeurs des offices", False, "rien d'indiqué"),
    ]
    assert texte_diagnostic(verifications) == (
        "Diagnostic : 1 vérification OK, 2 à corriger.\n"
        "OK — Python : 3.11.7\n"
        "À corriger — Dossier de la synthèse : « /x » n'existe pas. Créez ce dossier.\n"
        "À corriger — Classeurs des offices : rien d'indiqué."
    )


# --- reading a master file, and the command line --------------------------------------------------------------


def regler_fichier(maitre: Path, **valeurs: object) -> None:
    """Type values into the Paramètres cells of a master file, as a coordinator would in Excel."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(maitre, keep_vba=True)
    for nom, valeur in valeurs.items():
        ((onglet, adresse),) = wb.defined_names[nom].destinations
        wb[onglet][adresse.replace("$", "")] = valeur
    wb.save(maitre)


def test_lire_reglages(tmp_path: Path, maitre_vierge: Path, conv: Convention) -> None:
    maitre = Path(shutil.copy(maitre_vierge, tmp_path / "maitre_RSE.xlsm"))
    assert lire_reglages(maitre, conv) == Reglages()
    regler_fichier(maitre, **{PARAM_DOSSIER: "classeurs", PARAM_ANNEE: 2026})
    avant = maitre.read_bytes()
    assert lire_reglages(maitre, conv) == Reglages(annee=2026, dossier="classeurs")
    assert maitre.read_bytes() == avant  # read, never written


def test_cli_maitre_sans_dossier(tmp_path: Path, maitre_vierge: Path) -> None:
    maitre = shutil.copy(maitre_vierge, tmp_path / "maitre_RSE.xlsm")
    resultat = CliRunner().invoke(app, ["diagnostic", str(maitre)])
    assert resultat.exit_code == 1, resultat.output
    lignes = resultat.output.splitlines()
    assert lignes[0] == "Diagnostic : 5 vérifications OK, 1 à corriger."
    assert f"OK — Dossier du classeur maître : {tmp_path}" in lignes
    assert any(ligne.startswith("À corriger — Classeurs des offices : ") for ligne in lignes)


def test_cli_maitre_pret(tmp_path: Path, maitre_vierge: Path, classeurs: Path) -> None:
    maitre = Path(shutil.copy(maitre_vierge, tmp_path / "maitre_RSE.xlsm"))
    regler_fichier(maitre, **{PARAM_DOSSIER: "classeurs", PARAM_ANNEE: 2026})
    resultat = CliRunner().invoke(app, ["diagnostic", str(maitre), "--json"])
    assert resultat.exit_code == 0, resultat.output
    verifs = json.loads(resultat.output)
    assert all(set(v) == {"sujet", "ok", "detail", "conseil"} and v["ok"] for v in verifs)
    dossier = {"sujet": "Dossier des classeurs des offices", "ok": True, "conseil": ""}
    assert {**dossier, "detail": f"{classeurs} — 3 classeurs trouvés"} in verifs


def test_cli_sans_maitre(tmp_path: Path) -> None:
    resultat = CliRunner().invoke(app, ["diagnostic", "--json"])
    assert resultat.exit_code == 0, resultat.output
    assert [v["sujet"] for v in json.loads(resultat.output)] == ["Python", "rse-xl", "xlwings"]


@pytest.mark.parametrize(
    ("quoi", "message"),
    [
        ("absent.xlsm", "n'existe pas : indiquez le chemin du classeur maître (.xlsm)."),
        ("notes.xlsx", "ne s'ouvre pas comme un classeur Excel"),
        ("dossier", "est un dossier : indiquez le fichier du classeur maître (.xlsm)."),
    ],
)
def test_cli_mauvais_argument(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, quoi: str, message: str
) -> None:
    (tmp_path / "notes.xlsx").write_text("pas un classeur", encoding="utf-8")
    (tmp_path / "dossier").mkdir()
    assert main(["diagnostic", str(tmp_path / quoi)]) == 2
    out, err = capsys.readouterr()
    assert not out and err.startswith(f"Erreur : « {tmp_path / quoi} » ") and message in err

"""The master's buttons (rse_xl.excel), driven through a fake of xlwings on the master rse_xl.maitre writes."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from fake_xlwings import FakeApp, FakeBook

from rse_xl import excel
from rse_xl.errors import EntreeError
from rse_xl.excel import Reglages, chemin_local, lire_parametres
from rse_xl.fichiers import empreinte
from rse_xl.maitre import (
    ONGLET_ACCUEIL,
    ONGLET_CONF,
    ONGLET_PARAMETRES,
    PARAM_ANNEE,
    PARAM_DATE_REFERENCE,
    PARAM_DOSSIER,
    PARAM_EXPORT_CSV,
    PARAM_SYNTHESE,
    ecrire_maitre,
    nom_parametre_fichier,
)
from rse_xl.referentiel import Convention
from rse_xl.synthese import ONGLET_CONTROLES, onglets_resultats

RACINE = Path(__file__).resolve().parent.parent
DEMO = RACINE / "workbooks"
REFERENCE = dt.datetime(2026, 11, 30)  # Excel hands dates to Python as datetimes


@pytest.fixture(scope="session")
def maitre_vierge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ecrire_maitre(tmp_path_factory.mktemp("maitre") / "maitre_RSE.xlsm")


@pytest.fixture
def dossier(tmp_path: Path, maitre_vierge: Path) -> Path:
    """A coordinator's folder: the master, and the three demo workbooks in classeurs/."""
    shutil.copytree(DEMO, tmp_path / "classeurs")
    shutil.copy(maitre_vierge, tmp_path / "maitre_RSE.xlsm")
    return tmp_path


@pytest.fixture
def app() -> FakeApp:
    return FakeApp()


@pytest.fixture
def livre(app: FakeApp, dossier: Path) -> FakeBook:
    """The master as Excel shows it, with the folder, year and reference date filled in."""
    livre = FakeBook.depuis_fichier(app, dossier / "maitre_RSE.xlsm")
    regler(livre, **{PARAM_DOSSIER: "classeurs", PARAM_ANNEE: 2026.0, PARAM_DATE_REFERENCE: REFERENCE})
    return livre


def pluriel(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


def regler(livre: FakeBook, **valeurs: object) -> None:
    for nom, valeur in valeurs.items():
        livre.names[nom].refers_to_range.value = valeur


def resultats(conv: Convention) -> list[str]:
    return onglets_resultats(conv, accueil=False)


def une_alerte(app: FakeApp) -> dict[str, object]:
    assert len(app.alerts) == 1, app.alerts
    alerte = app.alerts[0]
    assert "Traceback" not in str(alerte["prompt"]) and 'File "' not in str(alerte["prompt"])
    return alerte


def ecran_rendu(app: FakeApp) -> None:
    """Screen updating was off during the work, and is on again, as is the status bar, before the message."""
    assert app.screen_updatings[0] is False
    assert app.screen_updating is True and app.display_alerts is True
    assert app.status_bar is False
    assert all(a["screen_updating"] for a in app.alerts)


# --- the three buttons -------------------------------------------------------------------------------------------


def test_consolider_remplit_les_onglets_de_resultats(
    app: FakeApp, livre: FakeBook, dossier: Path, conv: Convention
) -> None:
    excel.consolider(livre)
    alerte = une_alerte(app)
    assert alerte["title"] == "rse-xl — Consolider"
    # Fixed by hand from the shipped demo workbooks (not recomputed by the code under test): no error, and
    # 15 warnings — 10 register rows to complete, and one each of critère environnemental, écart avec le
    # registre, justificatif manquant, méthode DPE différente and saisie en brouillon.
    assert alerte["mode"] == "info"
    assert alerte["prompt"].startswith(
        "Consolidation terminée — année 2026.\n3 classeurs lu(s) : 0 erreur, 15 avertissements.\n"
    )
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, *resultats(conv), ONGLET_CONF]
    assert livre.sheets["Contrôles"]["A1"].value == "Contrôles des classeurs des offices"
    assert livre.feuille_active is livre.sheets["Synthèse"]
    # The temporary workbook was opened read-only, then closed: only the master is left open.
    ((temporaire, options),) = app.books.ouverts
    assert list(app.books) == [livre] and temporaire.endswith(".xlsx")
    assert options == {"update_links": False, "read_only": True, "add_to_mru": False}
    assert not Path(temporaire).exists()  # and removed
    assert any("lecture des classeurs (3/3)" in str(s) for s in app.status_bars)
    ecran_rendu(app)


def test_un_second_clic_remplace_les_resultats(app: FakeApp, livre: FakeBook, conv: Convention) -> None:
    excel.consolider(livre)
    premieres = [s for s in livre.sheets if s.name not in (ONGLET_ACCUEIL, ONGLET_PARAMETRES, ONGLET_CONF)]
    excel.consolider(livre)
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, *resultats(conv), ONGLET_CONF]
    assert not any(s in livre.sheets.liste for s in premieres)  # replaced, not renamed « Synthèse (2) »


def test_valider_n_ecrit_que_les_controles(app: FakeApp, livre: FakeBook) -> None:
    excel.consolider(livre)
    livre.sheets.liste.insert(2, type(livre.sheets[0])(livre, "Mes notes"))  # a sheet added by hand
    app.alerts.clear()
    excel.valider(livre)
    alerte = une_alerte(app)
    assert alerte["title"] == "rse-xl — Valider"
    assert "Validation terminée" in alerte["prompt"] and "onglet « Contrôles »" in alerte["prompt"]
    # Stale results of the earlier consolidation are gone; the coordinator's own sheet stays.
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, "Contrôles", "Mes notes", ONGLET_CONF]
    assert livre.feuille_active is livre.sheets["Contrôles"]


def test_generer_synthese_ecrit_le_fichier_et_le_csv(
    app: FakeApp, livre: FakeBook, dossier: Path, conv
) -> None:
    regler(livre, **{PARAM_SYNTHESE: "sorties/synthese.xlsx", PARAM_EXPORT_CSV: "oui"})
    (dossier / "sorties").mkdir()
    excel.generer_synthese(livre)
    alerte = une_alerte(app)
    assert alerte["title"] == "rse-xl — Générer la synthèse"
    assert (dossier / "sorties" / "synthese.xlsx").is_file() and (
        dossier / "sorties" / "synthese.csv"
    ).is_file()
    assert str(dossier / "sorties" / "synthese.xlsx") in alerte["prompt"]
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, *resultats(conv), ONGLET_CONF]
    ecran_rendu(app)


def test_generer_synthese_a_cote_du_maitre_par_defaut(app: FakeApp, livre: FakeBook, dossier: Path) -> None:
    excel.generer_synthese(livre)
    une_alerte(app)
    assert (dossier / "synthese_RSE_2026.xlsx").is_file()
    assert not (dossier / "synthese_RSE_2026.csv").exists()
    # The next run does not read the summary, nor the master, as an office workbook.
    app.alerts.clear()
    regler(livre, **{PARAM_DOSSIER: "."})
    excel.consolider(livre)
    assert "3 classeurs lu(s) : " in une_alerte(app)["prompt"]  # not 5: neither the master nor the summary


def test_les_classeurs_des_offices_ne_sont_pas_modifies(app: FakeApp, livre: FakeBook, dossier: Path) -> None:
    avant = {p.name: empreinte(p) for p in (dossier / "classeurs").iterdir()}
    excel.generer_synthese(livre)
    assert {p.name: empreinte(p) for p in (dossier / "classeurs").iterdir()} == avant


def test_fichiers_par_office(app: FakeApp, livre: FakeBook, dossier: Path, conv: Convention) -> None:
    """The three paths instead of a folder: absolute, relative, or quoted as Explorer's « Copy as path » does."""
    fichiers = sorted((dossier / "classeurs").iterdir())
    regler(livre, **{PARAM_DOSSIER: None})
    for office in conv.offices:
        chemin = next(p for p in fichiers if office.code in p.name)
        valeur = {"ARC": str(chemin), "BMH": f"classeurs/{chemin.name}", "NMH": f'"{chemin}"'}[office.code]
        regler(livre, **{nom_parametre_fichier(office.code): valeur})
    excel.consolider(livre)
    assert "3 classeurs lu(s)" in une_alerte(app)["prompt"]


def test_les_boutons_appellent_la_bibliotheque(
    app: FakeApp, livre: FakeBook, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rse_xl.consolidation
    import rse_xl.fichiers

    appels: list[tuple[str, object]] = []
    collecter, consolider = rse_xl.fichiers.collecter_classeurs, rse_xl.consolidation.consolider

    def espion_collecter(entrees):
        appels.append(("collecter_classeurs", list(entrees)))
        return collecter(entrees)

    def espion_consolider(chemins, **kw):
        appels.append(("consolider", kw))
        return consolider(chemins, **kw)

    monkeypatch.setattr(rse_xl.fichiers, "collecter_classeurs", espion_collecter)
    monkeypatch.setattr(rse_xl.consolidation, "consolider", espion_consolider)
    excel.valider(livre)
    (_, entrees), (_, options) = appels
    assert entrees == [dossier / "classeurs"]
    assert options["annee"] == 2026 and options["aujourdhui"] == REFERENCE.date()


def test_book_caller(app: FakeApp, livre: FakeBook, monkeypatch: pytest.MonkeyPatch) -> None:
    """From Excel, RunPython starts Python with the calling book: xlwings.Book.caller() returns it."""
    xlwings = pytest.importorskip("xlwings")
    monkeypatch.setattr(xlwings.Book, "caller", classmethod(lambda cls: livre))
    excel.valider()
    assert "Validation terminée" in une_alerte(app)["prompt"]


def test_import_sans_xlwings() -> None:
    """Importing the entry points does not import xlwings (and pandas): each button starts faster."""
    code = "import sys, rse_xl.excel; print('xlwings' in sys.modules, 'pandas' in sys.modules)"
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert sortie.stdout.split() == ["False", "False"]


# --- failures become French message boxes --------------------------------------------------------------------------


def test_exception_inattendue(
    app: FakeApp, livre: FakeBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rse_xl.consolidation

    def boum(*args, **kw):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(rse_xl.consolidation, "consolider", boum)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    excel.consolider(livre)
    alerte = une_alerte(app)
    assert alerte["mode"] == "critical"
    assert alerte["prompt"].startswith(
        "Erreur inattendue pendant « Consolider » (ZeroDivisionError : division by"
    )
    assert "en ligne de commande avec --debug" in alerte["prompt"]
    journal = tmp_path / excel.FICHIER_JOURNAL
    assert str(journal) in alerte["prompt"] and "Traceback" in journal.read_text(encoding="utf-8")
    ecran_rendu(app)
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, ONGLET_CONF]


def test_echec_pendant_la_copie(app: FakeApp, livre: FakeBook, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even when Excel fails mid-copy, the temporary workbook is closed and the screen given back."""

    def echec(*args, **kw):
        raise OSError("(-2147352567, 'Une exception s'est produite.')")

    monkeypatch.setattr(excel, "remplacer_onglets", echec)
    excel.consolider(livre)
    assert une_alerte(app)["prompt"].startswith("Erreur inattendue pendant « Consolider » (OSError")
    assert list(app.books) == [livre]
    ecran_rendu(app)


@pytest.mark.parametrize(
    ("valeurs", "message"),
    [
        ({PARAM_DOSSIER: None}, "Indiquez dans l'onglet « Paramètres » le dossier des classeurs des offices"),
        ({PARAM_DOSSIER: "absent"}, "absent » n'existe pas : vérifiez le chemin"),
        ({PARAM_ANNEE: 2031.0}, "Année « 2031 » dans l'onglet Paramètres : choisissez 2025, 2026, 2027"),
        ({PARAM_DATE_REFERENCE: "demain"}, "Date de référence « demain »"),
        ({PARAM_EXPORT_CSV: "peut-être"}, "Export CSV « peut-être »"),
    ],
    ids=["sans-entree", "dossier-absent", "annee", "date", "export"],
)
def test_erreurs_d_usage_en_message(app: FakeApp, livre: FakeBook, valeurs: dict, message: str) -> None:
    regler(livre, **valeurs)
    excel.consolider(livre)
    alerte = une_alerte(app)
    assert message in alerte["prompt"] and alerte["mode"] == "critical"
    ecran_rendu(app)


def test_synthese_verrouillee(app: FakeApp, livre: FakeBook, dossier: Path, monkeypatch) -> None:
    """A summary file open in Excel: the message says so, and the master keeps its previous results."""
    from rse_xl.errors import FichierError

    def verrouille(conso, chemin):
        raise FichierError(
            f"Le fichier « {chemin} » est ouvert ou verrouillé par un autre programme (Excel ?)."
        )

    monkeypatch.setattr("rse_xl.synthese.ecrire_synthese", verrouille)
    excel.generer_synthese(livre)
    assert "est ouvert ou verrouillé" in une_alerte(app)["prompt"]
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, ONGLET_CONF]


def test_pas_un_classeur_maitre(app: FakeApp, tmp_path: Path) -> None:
    autre = FakeBook.depuis_fichier(app, DEMO / "RSE_2025-2027_ARC.xlsx")
    excel.consolider(autre)
    assert "n'est pas un classeur maître rse-xl" in une_alerte(app)["prompt"]


def test_nom_defini_manquant(app: FakeApp, livre: FakeBook) -> None:
    del livre.names.noms[PARAM_SYNTHESE.lower()]
    excel.valider(livre)
    assert "Le nom « PARAM_SYNTHESE » manque" in une_alerte(app)["prompt"]


def test_hors_excel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Called outside Excel there is no book to show a message in: a French error, not xlwings' English one."""
    pytest.importorskip("xlwings")
    from rse_xl.errors import EntreeError

    monkeypatch.setattr(sys, "argv", ["python"])
    with pytest.raises(EntreeError, match="depuis les boutons du classeur maître"):
        excel.valider()


# --- Paramètres -----------------------------------------------------------------------------------------------------


def test_lire_parametres(livre: FakeBook, conv: Convention) -> None:
    assert lire_parametres(livre, conv) == Reglages(
        annee=2026, date_reference=REFERENCE.date(), dossier="classeurs", export_csv=False
    )
    regler(livre, **{PARAM_ANNEE: "2027", PARAM_DATE_REFERENCE: "15/01/2027", PARAM_EXPORT_CSV: "OUI"})
    regler(livre, **{nom_parametre_fichier("BMH"): "  bmh.xlsx  ", PARAM_SYNTHESE: ""})
    r = lire_parametres(livre, conv)
    assert (r.annee, r.date_reference, r.export_csv) == (2027, dt.date(2027, 1, 15), True)
    assert r.fichiers == {"BMH": "bmh.xlsx"} and r.synthese is None


# --- OneDrive and SharePoint ----------------------------------------------------------------------------------------


def _fichier(chemin: Path) -> Path:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_bytes(b"")
    return chemin


def test_chemin_local_fichier_ordinaire(tmp_path: Path) -> None:
    assert chemin_local(str(tmp_path / "maitre.xlsm"), environ={}) == tmp_path / "maitre.xlsm"
    assert chemin_local("Classeur1", environ={}) is None  # never saved: no folder


def test_chemin_local_onedrive_personnel(tmp_path: Path) -> None:
    local = _fichier(tmp_path / "OneDrive" / "RSE 2026" / "maitre.xlsm")
    url = "https://d.docs.live.net/1a2b3c4d5e6f/RSE%202026/maitre.xlsm"
    assert chemin_local(url, environ={"OneDrive": str(tmp_path / "OneDrive")}, maison=tmp_path / "x") == local
    assert chemin_local(url, environ={}, maison=tmp_path) == local  # ~/OneDrive
    assert chemin_local(url, environ={}, maison=tmp_path / "ailleurs") is None


def test_chemin_local_onedrive_professionnel(tmp_path: Path) -> None:
    racine = tmp_path / "OneDrive - Brest métropole habitat"
    local = _fichier(racine / "RSE" / "maitre_RSE.xlsm")
    url = "https://bmh-my.sharepoint.com/personal/jean_dupont_bmh_fr/Documents/RSE/maitre_RSE.xlsm?web=1"
    assert chemin_local(url, environ={"OneDriveCommercial": str(racine)}, maison=tmp_path) == local
    mac = _fichier(tmp_path / "Library" / "CloudStorage" / "OneDrive-BMH" / "RSE" / "maitre_RSE.xlsm")
    assert chemin_local(url, environ={}, maison=tmp_path) == mac


def test_chemin_local_sharepoint(tmp_path: Path) -> None:
    organisation = tmp_path / "Brest métropole habitat"
    environ = {"OneDriveCommercial": str(tmp_path / "OneDrive - Brest métropole habitat")}
    local = _fichier(organisation / "Coordination RSE - Documents" / "2026" / "maitre_RSE.xlsm")
    url = "https://bmh.sharepoint.com/sites/CoordinationRSE/Shared%20Documents/2026/maitre_RSE.xlsm"
    assert chemin_local(url, environ=environ, maison=tmp_path) == local
    # Only a sub-folder of the library is synced: « <Site> - <Sous-dossier> ».
    shutil.rmtree(organisation)
    seul = _fichier(organisation / "Coordination RSE - 2026" / "maitre_RSE.xlsm")
    assert chemin_local(url, environ=environ, maison=tmp_path) == seul
    assert chemin_local(url, environ={}, maison=tmp_path) is None


def test_maitre_sur_sharepoint_sans_copie_locale(app: FakeApp, dossier: Path) -> None:
    """The master's folder is unknown: relative paths are refused with a French message, full paths work."""
    url = "https://bmh.sharepoint.com/sites/Inconnu/Shared%20Documents/maitre_RSE.xlsm"
    livre = FakeBook.depuis_fichier(app, dossier / "maitre_RSE.xlsm", fullname=url)
    regler(livre, **{PARAM_DOSSIER: "classeurs", PARAM_ANNEE: 2026.0})
    excel.consolider(livre)
    alerte = une_alerte(app)
    assert "est un chemin relatif, mais le dossier du classeur maître est inconnu" in alerte["prompt"]
    app.alerts.clear()
    regler(livre, **{PARAM_DOSSIER: str(dossier / "classeurs")})
    excel.consolider(livre)
    assert "Consolidation terminée" in une_alerte(app)["prompt"]
    # Générer la synthèse needs a full path for its output too.
    app.alerts.clear()
    excel.generer_synthese(livre)
    assert (
        "Le classeur de synthèse « synthese_RSE_2026.xlsx » est un chemin relatif"
        in une_alerte(app)["prompt"]
    )


# --- the buttons as they really run: French Excel, OneDrive, windows on top, macOS names ----------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://d.docs.live.net/4f2a9c/RSE/maitre_RSE.xlsm",  # OneDrive personnel : XlwingsError
        "https://bmh-my.sharepoint.com/personal/coord_bmh_fr/Documents/RSE/maitre_RSE.xlsm",  # professionnel
        "https://bmh.sharepoint.com/sites/RSE/Shared%20Documents/maitre_RSE.xlsm",  # site : UnboundLocalError
    ],
)
def test_maitre_sur_le_web_jamais_erreur_inattendue(
    app: FakeApp, dossier: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """xlwings' Book.fullname raises for each of these (no synced copy found): the button reads Excel's own
    address instead, and the coordinator gets the French guidance, never « Erreur inattendue »."""
    for variable in ("OneDrive", "OneDriveConsumer", "OneDriveCommercial"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HOME", str(dossier / "maison"))
    livre = FakeBook.depuis_fichier(app, dossier / "maitre_RSE.xlsm", fullname=url)
    with pytest.raises(Exception):  # noqa: B017 - whatever xlwings raises, the button must not depend on it
        livre.fullname  # noqa: B018
    regler(livre, **{PARAM_DOSSIER: "classeurs", PARAM_ANNEE: 2026.0})
    excel.consolider(livre)
    alerte = une_alerte(app)
    assert "Erreur inattendue" not in alerte["prompt"]
    assert "le dossier du classeur maître est inconnu" in alerte["prompt"]


def test_maitre_sur_onedrive_synchronise(
    app: FakeApp, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the synced copy on this PC, relative paths of Paramètres work from the OneDrive address."""
    onedrive = dossier / "OneDrive"
    (onedrive / "RSE").mkdir(parents=True)
    shutil.copytree(dossier / "classeurs", onedrive / "RSE" / "classeurs")
    shutil.copy(dossier / "maitre_RSE.xlsm", onedrive / "RSE" / "maitre_RSE.xlsm")
    monkeypatch.setenv("OneDrive", str(onedrive))
    url = "https://d.docs.live.net/4f2a9c/RSE/maitre_RSE.xlsm"
    livre = FakeBook.depuis_fichier(app, onedrive / "RSE" / "maitre_RSE.xlsm", fullname=url)
    regler(livre, **{PARAM_DOSSIER: "classeurs", PARAM_ANNEE: 2026.0, PARAM_DATE_REFERENCE: REFERENCE})
    excel.consolider(livre)
    assert une_alerte(app)["prompt"].startswith("Consolidation terminée — année 2026.\n3 classeurs lu(s)")


def test_fenetre_au_premier_plan(app: FakeApp, livre: FakeBook, conv: Convention) -> None:
    """activate() raises « Could not activate App! » when another window is on top: the results are in the
    master and the message is the normal one."""
    app.activation_refusee = True
    excel.consolider(livre)
    alerte = une_alerte(app)
    assert alerte["prompt"].startswith("Consolidation terminée") and alerte["mode"] == "info"
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, *resultats(conv), ONGLET_CONF]
    ecran_rendu(app)


def test_message_impossible_a_afficher(app: FakeApp, livre: FakeBook, conv: Convention) -> None:
    """If the message box itself cannot be shown, the button still ends cleanly: results kept, screen given
    back, and the first line of the message in the status bar."""
    app.alerte_refusee = True
    excel.consolider(livre)
    assert app.alerts == []
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, *resultats(conv), ONGLET_CONF]
    assert app.screen_updating is True
    assert str(app.status_bar).startswith("rse-xl — Consolidation terminée — année 2026.")


def test_fenetre_temporaire_masquee_sous_windows(
    app: FakeApp, livre: FakeBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary workbook's window is hidden through its COM object on Windows (``_masquer`` runs)."""
    masquees: list[FakeBook] = []
    ouvrir = app.books.open

    def ouvrir_et_suivre(*args: object, **kwargs: object) -> FakeBook:
        source = ouvrir(*args, **kwargs)  # type: ignore[arg-type]
        masquees.append(source)
        return source

    monkeypatch.setattr(app.books, "open", ouvrir_et_suivre)
    monkeypatch.setattr(sys, "platform", "win32")
    excel.consolider(livre)
    assert "Consolidation terminée" in une_alerte(app)["prompt"]
    ((source,),) = [masquees]
    assert source.fenetres[1].Visible is False


class _XlwingsMac:
    """The part of the xlwings module ``_livre_appelant`` touches, as on macOS when the name is garbled."""

    def __init__(self, app: FakeApp) -> None:
        self.apps = [app]

        class Book:
            @classmethod
            def caller(cls) -> None:
                raise KeyError("maître rse.xlsm")  # xlwings looked the name up and did not find it

        self.Book = Book


@pytest.mark.parametrize(
    "nom_transmis",
    [
        unicodedata.normalize("NFD", "Maître RSE.xlsm"),  # decomposed accents, as macOS file names are
        "Maître RSE.xlsm".encode().decode("mac_roman"),  # UTF-8 bytes read as Mac Roman
    ],
    ids=["NFD", "mac-roman"],
)
def test_macos_nom_avec_accents(
    app: FakeApp, dossier: Path, nom_transmis: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """xlwings issue #2004: Book.caller() does not find « Maître RSE.xlsm »; the button finds it by name."""
    maitre = dossier / "Maître RSE.xlsm"
    shutil.copy(dossier / "maitre_RSE.xlsm", maitre)
    livre = FakeBook.depuis_fichier(app, maitre)
    regler(livre, **{PARAM_DOSSIER: "classeurs", PARAM_ANNEE: 2026.0, PARAM_DATE_REFERENCE: REFERENCE})
    monkeypatch.setitem(sys.modules, "xlwings", _XlwingsMac(app))
    monkeypatch.setattr(
        sys, "argv", ["-c", f"--wb={nom_transmis}", "--from_xl=1", "--app=/Applications/Excel"]
    )
    excel.consolider()
    assert une_alerte(app)["prompt"].startswith("Consolidation terminée — année 2026.")


def test_macos_classeur_introuvable(app: FakeApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Started from Excel but no open book has that name: say exactly what to do, not « use the buttons »."""
    monkeypatch.setitem(sys.modules, "xlwings", _XlwingsMac(app))
    monkeypatch.setattr(sys, "argv", ["-c", "--wb=Maître RSE.xlsm", "--from_xl=1"])
    with pytest.raises(EntreeError) as erreur:
        excel._livre_appelant()
    message = str(erreur.value)
    assert "« Maître RSE.xlsm »" in message and "sans accents ni espaces" in message
    assert "boutons du classeur maître" not in message
    # Not started from Excel at all: the message about the buttons.
    monkeypatch.setattr(sys, "argv", ["python"])
    with pytest.raises(EntreeError, match="se lancent depuis les boutons"):
        excel._livre_appelant()


# --- Diagnostic --------------------------------------------------------------------------------------------------


def test_diagnostic_bouton(app: FakeApp, livre: FakeBook, dossier: Path) -> None:
    """One message box, one line per check; the offices' folder of Paramètres is found and counted."""
    from rse_xl.projet_xlwings import version_xlwings_vba

    excel.diagnostic(version_xlwings_vba(), livre)
    alerte = une_alerte(app)
    assert alerte["title"] == "rse-xl — Diagnostic"
    lignes = alerte["prompt"].splitlines()
    assert lignes[0].startswith("Diagnostic :")
    assert any(ligne.startswith("OK — xlwings") for ligne in lignes)
    assert any(
        ligne.startswith("OK — Dossier des classeurs des offices") and "3 classeur" in ligne
        for ligne in lignes
    )
    assert any(ligne.startswith("OK — Dossier de la synthèse") for ligne in lignes)
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, ONGLET_CONF]  # nothing written


def test_diagnostic_a_corriger(
    app: FakeApp, livre: FakeBook, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A VBA module of another xlwings version, a missing folder and a bad year: each is a line to fix, and
    a bad setting does not hide the checks of the others."""
    monkeypatch.setattr(excel, "LONGUEUR_MESSAGE_MAX", 10_000)
    regler(livre, **{PARAM_DOSSIER: "absent", PARAM_ANNEE: 2031.0})
    excel.diagnostic("0.30.0", livre)
    alerte = une_alerte(app)
    assert alerte["mode"] == "critical" and "Erreur inattendue" not in alerte["prompt"]
    texte = alerte["prompt"]
    assert "À corriger — Onglet Paramètres" in texte and "2031" in texte
    assert "À corriger — xlwings" in texte and "0.30.0" in texte
    assert "À corriger — Dossier des classeurs des offices" in texte


def test_diagnostic_long_dans_un_onglet(
    app: FakeApp, livre: FakeBook, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too long for a message box: the full list goes to a « Diagnostic » sheet, the box says so."""
    monkeypatch.setattr(excel, "LONGUEUR_MESSAGE_MAX", 300)
    excel.diagnostic("0.30.0", livre)
    alerte = une_alerte(app)
    assert len(alerte["prompt"]) <= 300
    assert alerte["prompt"].endswith("Le détail de chaque vérification est dans l'onglet « Diagnostic ».")
    assert "Diagnostic" in livre.sheets.noms
    cellules = livre.sheets["Diagnostic"].cells
    assert cellules["A3"] == "État" and "À corriger" in cellules.values()
    # A second run replaces the sheet, never « Diagnostic (2) ».
    app.alerts.clear()
    excel.diagnostic("0.30.0", livre)
    assert [n for n in livre.sheets.noms if n.startswith("Diagnostic")] == ["Diagnostic"]


# --- Retours aux offices -------------------------------------------------------------------------------------------


def test_retours_aux_offices(app: FakeApp, livre: FakeBook, dossier: Path, conv: Convention) -> None:
    """The annotated copies land in retours_offices beside the master; the offices' workbooks are untouched."""
    avant = {p.name: empreinte(p) for p in (dossier / "classeurs").glob("*.xlsx")}
    excel.retours_aux_offices(livre)
    alerte = une_alerte(app)
    assert alerte["title"] == "rse-xl — Retours aux offices"
    assert alerte["prompt"].startswith(
        "Retours aux offices écrits — année 2026.\n3 classeurs lu(s) : 0 erreur"
    )
    ecrits = sorted(p.name for p in (dossier / "retours_offices").glob("*.xlsx"))
    assert ecrits == sorted(avant)
    assert all(f"  {nom} : " in alerte["prompt"] for nom in ecrits)
    assert {p.name: empreinte(p) for p in (dossier / "classeurs").glob("*.xlsx")} == avant
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, *resultats(conv), ONGLET_CONF]
    # Contrôles, as put into the master, lists each office's returned copy under its table.
    textes = [str(v) for v in livre.sheets[ONGLET_CONTROLES].cells.values()]
    assert "Copies annotées renvoyées aux offices" in textes
    assert all(nom in textes for nom in ecrits)
    ecran_rendu(app)


def test_retours_dans_le_dossier_des_offices_refuses(app: FakeApp, livre: FakeBook, dossier: Path) -> None:
    from rse_xl.maitre import PARAM_RETOURS

    regler(livre, **{PARAM_RETOURS: "classeurs"})
    avant = {p.name: empreinte(p) for p in (dossier / "classeurs").glob("*.xlsx")}
    excel.retours_aux_offices(livre)
    alerte = une_alerte(app)
    assert alerte["mode"] == "critical" and "originaux ne sont jamais remplacés" in alerte["prompt"]
    assert {p.name: empreinte(p) for p in (dossier / "classeurs").glob("*.xlsx")} == avant
    assert livre.sheets.noms == [ONGLET_ACCUEIL, ONGLET_PARAMETRES, ONGLET_CONF]  # left as it was

"""rse-xl never writes to the files it reads, even as root: a guard that refuses any write to an input.

``chmod 0o444`` does not stop root (CI runs as root). Here every Python way to open a file for writing or to
alter it (``open``, ``os.open``, ``Path.open``, ``zipfile.ZipFile`` in 'w'/'a'/'x', openpyxl's save,
``shutil.copy*``, ``os.replace``/``rename``/``remove``/``unlink``/``truncate``/``chmod``/``utime``) is wrapped
while a call runs: aimed at an input (the same file under any name: symlink, hard link, relative path), it
raises AssertionError naming the file and the call, and is written to a journal. The journal is what the tests
look at, since rse-xl turns an unexpected exception of one file into a problem of that file, and since a
forked worker process cannot hand back a Python list. Native code (python-calamine's Rust reader) is out of
the guard's reach: the sha256 and modification time of each input, compared after, cover it.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import pathlib
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.workbook.workbook
import openpyxl.writer.excel
import pytest
from fake_xlwings import FakeApp, FakeBook
from typer.testing import CliRunner

from rse_xl import excel
from rse_xl.cli import app as cli_app
from rse_xl.consolidation import Consolidation, consolider
from rse_xl.maitre import PARAM_ANNEE, PARAM_DATE_REFERENCE, PARAM_DOSSIER, ecrire_maitre
from rse_xl.referentiel import Convention
from rse_xl.validation import Validation, valider

RACINE = Path(__file__).resolve().parent.parent
DEMO = RACINE / "workbooks"
OFFICES = {"ARC", "BMH", "NMH"}
AUJOURDHUI = dt.date(2026, 11, 30)
# Problems that mean a file was not read at all (or only in part): a report holding one proves nothing.
NON_LUS = {"fichier-illisible", "fichier-introuvable", "onglet-illisible", "type-fichier-inconnu"}

_ECRITURE_OS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

# The originals, taken before any test wraps them.
_open = builtins.open
_io_open = io.open
_os_open = os.open
_path_open = pathlib.Path.open
_zip_init = zipfile.ZipFile.__init__
_wb_save = openpyxl.Workbook.save
_save_workbook = openpyxl.writer.excel.save_workbook


def sha256(chemin: Path) -> str:
    with _open(chemin, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Garde:
    """While entered, any attempt to write to or alter one of ``entrees`` raises and is journaled."""

    def __init__(self, entrees: Iterable[Path], journal: Path) -> None:
        self.entrees = [Path(p) for p in entrees]
        assert self.entrees, "rien à garder"
        self.reels = {os.path.realpath(p): p for p in self.entrees}
        self.inodes = {(s.st_dev, s.st_ino): p for p in self.entrees for s in [os.stat(p)]}
        self.avant = {p: (sha256(p), os.stat(p).st_mtime_ns) for p in self.entrees}
        self.journal = journal

    # -- which input a target is ----------------------------------------------------------------------------

    def entree_visee(self, cible: Any, dir_fd: int | None = None) -> Path | None:
        """The input ``cible`` (a path, a file descriptor or a file object) names, else None."""
        if hasattr(cible, "fileno") and not isinstance(cible, io.BytesIO):
            try:
                cible = cible.fileno()
            except (OSError, ValueError, io.UnsupportedOperation):
                cible = getattr(cible, "name", None)
        if isinstance(cible, int) and not isinstance(cible, bool):
            try:
                s = os.fstat(cible)
            except OSError:
                return None
            return self.inodes.get((s.st_dev, s.st_ino))
        try:
            texte = os.fsdecode(os.fspath(cible))
        except TypeError:
            return None  # an in-memory buffer
        if dir_fd is None and os.path.realpath(texte) in self.reels:
            return self.reels[os.path.realpath(texte)]
        try:
            s = os.stat(texte, dir_fd=dir_fd)
        except (OSError, ValueError):
            return None  # not there yet: a new file, so not an input
        return self.inodes.get((s.st_dev, s.st_ino))

    def refuser(self, appel: str, *cibles: Any, dir_fd: int | None = None) -> None:
        for cible in cibles:
            entree = self.entree_visee(cible, dir_fd)
            if entree is not None:
                message = f"écriture sur l'entrée « {entree} » : {appel}"
                with _open(self.journal, "a", encoding="utf-8") as j:  # the original open: not guarded
                    j.write(json.dumps({"entree": str(entree), "appel": appel, "pid": os.getpid()}) + "\n")
                raise AssertionError(message)

    @property
    def tentatives(self) -> list[dict[str, Any]]:
        """Every write refused, in this process or in a worker forked from it."""
        if not self.journal.exists():
            return []
        with _open(self.journal, encoding="utf-8") as j:
            return [json.loads(ligne) for ligne in j]

    def verifier_intactes(self) -> None:
        """No write attempted, and every input has the same bytes and modification time as before.

        Called right after the guarded call, before the report is looked at: a refused write usually ends up
        as a « fichier-illisible » problem, and the journal says better which call it was."""
        assert self.tentatives == []
        for p, (empreinte, mtime) in self.avant.items():
            assert sha256(p) == empreinte, f"« {p} » a changé"
            assert os.stat(p).st_mtime_ns == mtime, f"« {p} » a une autre date de modification"

    # -- the wrappers ---------------------------------------------------------------------------------------

    @contextmanager
    def active(self) -> Iterator[Garde]:
        garde = self

        def ouvre_en_ecriture(mode: str) -> bool:
            return any(c in mode for c in "wax+")

        def open_(file: Any, mode: str = "r", *args: Any, **kw: Any) -> Any:
            if ouvre_en_ecriture(mode):
                garde.refuser(f"open({file!r}, {mode!r})", file)
            return _open(file, mode, *args, **kw)

        def io_open(file: Any, mode: str = "r", *args: Any, **kw: Any) -> Any:
            if ouvre_en_ecriture(mode):
                garde.refuser(f"io.open({file!r}, {mode!r})", file)
            return _io_open(file, mode, *args, **kw)

        def os_open(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
            if flags & _ECRITURE_OS:
                garde.refuser(f"os.open({path!r}, {flags:#o})", path, dir_fd=dir_fd)
            return _os_open(path, flags, mode, dir_fd=dir_fd)

        def path_open(self: pathlib.Path, mode: str = "r", *args: Any, **kw: Any) -> Any:
            if ouvre_en_ecriture(mode):
                garde.refuser(f"Path({str(self)!r}).open({mode!r})", self)
            return _path_open(self, mode, *args, **kw)

        def zip_init(self: zipfile.ZipFile, file: Any, mode: str = "r", *args: Any, **kw: Any) -> None:
            if mode in ("w", "a", "x"):
                garde.refuser(f"zipfile.ZipFile({file!r}, {mode!r})", file)
            _zip_init(self, file, mode, *args, **kw)

        def wb_save(self: openpyxl.Workbook, filename: Any) -> None:
            garde.refuser(f"openpyxl.Workbook.save({filename!r})", filename)
            _wb_save(self, filename)

        def save_workbook(workbook: openpyxl.Workbook, filename: Any) -> bool:
            garde.refuser(f"openpyxl.writer.excel.save_workbook(…, {filename!r})", filename)
            return bool(_save_workbook(workbook, filename))

        def vers(nom: str, original: Callable[..., Any], *positions: int) -> Callable[..., Any]:
            """``original`` refused when one of its arguments at ``positions`` names an input."""

            def enveloppe(*args: Any, **kw: Any) -> Any:
                cibles = [args[i] for i in positions if i < len(args)]
                if nom.startswith("shutil.") and len(args) > 1 and os.path.isdir(args[1]):
                    cibles.append(os.path.join(args[1], os.path.basename(args[0])))  # copy into a folder
                garde.refuser(f"{nom}{tuple(args)!r}", *cibles, dir_fd=kw.get("dir_fd"))
                return original(*args, **kw)

            return enveloppe

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(builtins, "open", open_)
            mp.setattr(io, "open", io_open)
            mp.setattr(os, "open", os_open)
            mp.setattr(pathlib.Path, "open", path_open)
            mp.setattr(zipfile.ZipFile, "__init__", zip_init)
            mp.setattr(openpyxl.Workbook, "save", wb_save)
            mp.setattr(openpyxl.writer.excel, "save_workbook", save_workbook)
            mp.setattr(openpyxl.workbook.workbook, "save_workbook", save_workbook)
            for nom in ("copy", "copy2", "copyfile", "copymode", "copystat"):
                mp.setattr(shutil, nom, vers(f"shutil.{nom}", getattr(shutil, nom), 1))
            mp.setattr(shutil, "move", vers("shutil.move", shutil.move, 0, 1))
            for nom in ("replace", "rename"):
                mp.setattr(os, nom, vers(f"os.{nom}", getattr(os, nom), 0, 1))
            for nom in ("remove", "unlink", "truncate", "chmod", "utime"):
                mp.setattr(os, nom, vers(f"os.{nom}", getattr(os, nom), 0))
            yield self


@pytest.fixture
def garde(tmp_path: Path) -> Callable[[Iterable[Path]], Garde]:
    """``garde(entrees)``: a guard over these files; ``with garde(entrees).active():`` around the call."""
    journaux = iter(range(1_000_000))

    def fabrique(entrees: Iterable[Path]) -> Garde:
        return Garde(entrees, tmp_path / f"garde-{next(journaux)}.jsonl")

    return fabrique


@pytest.fixture
def classeurs(tmp_path: Path) -> list[Path]:
    """The three demo workbooks, copied: the inputs under guard."""
    dossier = tmp_path / "classeurs"
    shutil.copytree(DEMO, dossier)
    chemins = sorted(dossier.iterdir())
    assert [p.name for p in chemins] == [f"RSE_2025-2027_{o}.xlsx" for o in sorted(OFFICES)]
    return chemins


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    """The report of the demo workbooks, computed without the guard: what a guarded run must find too."""
    return valider(sorted(DEMO.iterdir()), aujourdhui=AUJOURDHUI).rapport.statistiques()


def codes(problemes: Iterable[Any]) -> set[str]:
    return {p["code"] if isinstance(p, dict) else p.code for p in problemes}


def verifier_lus(validation: Validation | Consolidation) -> None:
    """The three offices were read in full: a guarded run cannot pass because reading failed."""
    rapport = validation.rapport
    assert len(rapport.fichiers) == 3
    assert not codes(rapport.problemes) & NON_LUS, rapport.aplatir(["fichier", "code", "message"])
    if isinstance(validation, Validation):
        assert {c.office_code for c in validation.retenus} == OFFICES
        assert all(c.lisible and c.saisies for c in validation.classeurs)
    else:
        assert {o.code for o in validation.offices} == OFFICES
        assert {r.office for r in validation.resultats} >= OFFICES
        assert all(f.retenu for f in validation.fichiers)


# --- the library ------------------------------------------------------------------------------------------------


def test_valider(garde, classeurs: list[Path], reference: dict[str, Any]) -> None:
    g = garde(classeurs)
    with g.active():
        resultat = valider(classeurs, aujourdhui=AUJOURDHUI)
    g.verifier_intactes()
    verifier_lus(resultat)
    assert resultat.rapport.statistiques() == reference


def test_valider_en_parallele(garde, classeurs: list[Path], reference: dict[str, Any]) -> None:
    g = garde(classeurs)
    with g.active():
        resultat = valider(classeurs, aujourdhui=AUJOURDHUI, workers=3)  # threads
    g.verifier_intactes()
    verifier_lus(resultat)
    assert resultat.rapport.statistiques() == reference


def test_consolider(garde, classeurs: list[Path], reference: dict[str, Any]) -> None:
    g = garde(classeurs)
    with g.active():
        conso = consolider(classeurs, annee=2026, aujourdhui=AUJOURDHUI)
    g.verifier_intactes()
    verifier_lus(conso)
    assert conso.rapport.statistiques() == reference


def test_consolider_en_processus(garde, tmp_path: Path, classeurs: list[Path]) -> None:
    """Eight files on two workers: read in forked processes, where the guard (and its journal) still holds."""
    lot = [*classeurs]
    for i in range(5):
        lot.append(
            shutil.copy(classeurs[i % 3], tmp_path / "classeurs" / f"copie{i}_{classeurs[i % 3].name}")
        )
    sans_garde = consolider(lot, annee=2026, aujourdhui=AUJOURDHUI, workers=1).rapport.statistiques()
    g = garde(lot)
    with g.active():
        conso = consolider(lot, annee=2026, aujourdhui=AUJOURDHUI, workers=2)
    g.verifier_intactes()
    # Each office is there more than once (so none is retained), but every file was read and knows its office.
    assert len(conso.fichiers) == 8 and {f.office for f in conso.fichiers} == OFFICES
    assert not codes(conso.rapport.problemes) & NON_LUS
    assert conso.rapport.statistiques() == sans_garde


# --- the command line -------------------------------------------------------------------------------------------


def test_cli_valider(garde, classeurs: list[Path], reference: dict[str, Any]) -> None:
    g = garde(classeurs)
    with g.active():
        r = CliRunner().invoke(
            cli_app, ["valider", str(classeurs[0].parent), "--json", "--date-reference", "30/11/2026"]
        )
    g.verifier_intactes()
    assert r.exit_code == 0, (r.output, r.exception)
    rapport = json.loads(r.stdout)
    assert rapport["fichiers"] == [str(p) for p in classeurs]
    assert rapport["statistiques"] == reference
    assert not codes(rapport["problemes"]) & NON_LUS


def test_cli_consolider(garde, tmp_path: Path, classeurs: list[Path], reference: dict[str, Any]) -> None:
    sortie = tmp_path / "sorties" / "synthese.xlsx"
    sortie.parent.mkdir()
    g = garde(classeurs)
    with g.active():
        r = CliRunner().invoke(
            cli_app,
            [
                "consolider",
                str(classeurs[0].parent),
                "-o",
                str(sortie),
                "--annee",
                "2026",
                "--json",
                "--date-reference",
                "30/11/2026",
                "--export",
                "csv",
            ],
        )
    g.verifier_intactes()
    assert r.exit_code == 0, (r.output, r.exception)
    resume = json.loads(r.stdout)
    assert set(resume["offices"]) == OFFICES and resume["resultats"]
    assert resume["statistiques"] == reference
    assert not codes(resume["problemes"]) & NON_LUS
    assert sortie.is_file() and sortie.with_suffix(".csv").is_file()
    assert openpyxl.load_workbook(sortie, read_only=True).sheetnames  # a real workbook was written


# --- the master's buttons (rse_xl.excel, through the fake of xlwings) -------------------------------------------


@pytest.fixture(scope="module")
def maitre_vierge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ecrire_maitre(tmp_path_factory.mktemp("maitre") / "maitre_RSE.xlsm")


@pytest.fixture
def livre(tmp_path: Path, classeurs: list[Path], maitre_vierge: Path) -> FakeBook:
    """The master beside classeurs/, as Excel shows it, with the folder, year and reference date filled in."""
    shutil.copy(maitre_vierge, tmp_path / "maitre_RSE.xlsm")
    livre = FakeBook.depuis_fichier(FakeApp(), tmp_path / "maitre_RSE.xlsm")
    valeurs = {
        PARAM_DOSSIER: "classeurs",
        PARAM_ANNEE: 2026.0,
        PARAM_DATE_REFERENCE: dt.datetime(2026, 11, 30),
    }
    for nom, valeur in valeurs.items():
        livre.names[nom].refers_to_range.value = valeur
    return livre


@pytest.mark.parametrize(
    ("bouton", "debut"),
    [
        (excel.valider, "Validation terminée"),
        (excel.consolider, "Consolidation terminée"),
        (excel.generer_synthese, "Synthèse générée"),
    ],
    ids=["valider", "consolider", "generer_synthese"],
)
def test_boutons_du_maitre(
    garde,
    tmp_path: Path,
    classeurs: list[Path],
    livre: FakeBook,
    bouton,
    debut: str,
    conv: Convention,
    reference: dict[str, Any],
) -> None:
    """The master's file is an input too: the buttons change the book open in Excel, never a file on disk."""
    g = garde([*classeurs, tmp_path / "maitre_RSE.xlsm"])
    with g.active():
        bouton(livre)
    g.verifier_intactes()
    ((alerte,),) = [livre.app.alerts]
    avertissements = reference["avertissements"]
    assert alerte["prompt"].startswith(
        f"{debut} — année 2026.\n3 classeurs lu(s) : 0 erreur, {avertissements} avertissements.\n"
    ), alerte["prompt"]
    assert "illisible" not in alerte["prompt"] and "introuvable" not in alerte["prompt"]
    controles = livre.sheets["Contrôles"]
    assert controles["A1"].value == "Contrôles des classeurs des offices"
    textes = " ".join(str(v) for v in controles.cells.values())
    assert all(o.nom in textes for o in conv.offices), textes[:500]
    if bouton is excel.generer_synthese:
        assert (tmp_path / "synthese_RSE_2026.xlsx").is_file()


# --- the guard itself catches writes ----------------------------------------------------------------------------


# Each takes the name the input goes by, another workbook beside it, and one of the input's name elsewhere.
ECRITURES: dict[str, Callable[[Path, Path, Path], Any]] = {
    "open-r+b": lambda p, a, h: open(p, "r+b"),  # noqa: SIM115
    "open-ab": lambda p, a, h: open(p, "ab"),  # noqa: SIM115
    "open-w-texte": lambda p, a, h: open(p, "w", encoding="utf-8"),  # noqa: SIM115
    "io.open": lambda p, a, h: io.open(p, "wb"),  # noqa: SIM115, UP020 (io.open is wrapped too)
    "os.open-rdwr": lambda p, a, h: os.open(p, os.O_RDWR),
    "os.open-append": lambda p, a, h: os.open(p, os.O_WRONLY | os.O_APPEND),
    "os.fdopen": lambda p, a, h: os.fdopen(os.open(p, os.O_RDONLY), "r+b"),
    "Path.write_bytes": lambda p, a, h: p.write_bytes(b""),
    "Path.touch": lambda p, a, h: p.touch(),
    "zipfile-a": lambda p, a, h: zipfile.ZipFile(p, "a"),
    "zipfile-w-fichier": lambda p, a, h: zipfile.ZipFile(_open(p, "rb"), "w"),
    "openpyxl-save": lambda p, a, h: openpyxl.load_workbook(p).save(p),
    "openpyxl-save_workbook": lambda p, a, h: openpyxl.writer.excel.save_workbook(openpyxl.Workbook(), p),
    "shutil.copy": lambda p, a, h: shutil.copy(a, p),
    "shutil.copy-dans-le-dossier": lambda p, a, h: shutil.copy(h, p.parent),
    "shutil.copyfile": lambda p, a, h: shutil.copyfile(a, p),
    "os.replace": lambda p, a, h: os.replace(a, p),
    "os.rename-source": lambda p, a, h: os.rename(p, h),
    "os.remove": lambda p, a, h: os.remove(p),
    "Path.unlink": lambda p, a, h: p.unlink(),
    "os.truncate": lambda p, a, h: os.truncate(p, 0),
}


@pytest.mark.parametrize("ecrire", ECRITURES.values(), ids=ECRITURES.keys())
@pytest.mark.parametrize("nom", ["meme", "relatif", "lien-symbolique", "lien-dur"])
def test_la_garde_attrape_une_ecriture(
    garde, classeurs: list[Path], nom: str, ecrire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deliberate write is caught, named, journaled, and never reaches the file, whatever name it goes by."""
    entree = classeurs[1]
    autre = shutil.copy(classeurs[0], entree.with_name("autre.xlsx"))
    homonyme = entree.parent.parent / "ailleurs" / entree.name
    homonyme.parent.mkdir()
    shutil.copy(classeurs[0], homonyme)
    monkeypatch.chdir(entree.parent.parent)
    cible = {
        "meme": entree,
        "relatif": Path("classeurs") / ".." / "classeurs" / entree.name,
        "lien-symbolique": entree.with_name("lien.xlsx"),
        "lien-dur": entree.with_name("dur.xlsx"),
    }[nom]
    if nom == "lien-symbolique":
        cible.symlink_to(entree)
    elif nom == "lien-dur":
        os.link(entree, cible)
    g = garde(classeurs)
    with g.active(), pytest.raises(AssertionError, match=rf"écriture sur l'entrée « {entree} » : "):
        ecrire(cible, autre, homonyme)
    ((tentative,),) = [g.tentatives]
    assert tentative["entree"] == str(entree) and tentative["pid"] == os.getpid()
    assert sha256(entree) == g.avant[entree][0]
    with pytest.raises(AssertionError):
        g.verifier_intactes()


def test_la_garde_attrape_une_ecriture_avalee(garde, classeurs: list[Path]) -> None:
    """Code that swallows the exception still leaves the attempt in the journal; reading stays allowed."""
    g = garde(classeurs)
    with g.active():
        for p in classeurs:
            with open(p, "rb") as f:
                assert f.read(2) == b"PK"
            os.close(os.open(p, os.O_RDONLY))
            zipfile.ZipFile(p).close()
            (p.parent / "nouveau.txt").write_text("permis", encoding="utf-8")  # not an input
        try:
            with open(classeurs[0], "r+b") as f:
                f.write(b"XX")
        except Exception:
            pass
    assert [t["appel"] for t in g.tentatives] == [f"open({classeurs[0]!r}, 'r+b')"]
    assert sha256(classeurs[0]) == g.avant[classeurs[0]][0]


def test_la_garde_tient_dans_un_processus_fils(garde, classeurs: list[Path]) -> None:
    """A write from a forked worker process is journaled too, with that worker's pid."""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("pas de fork sur ce système")
    g = garde(classeurs)
    with g.active():
        fils = multiprocessing.get_context("fork").Process(target=open, args=(classeurs[2], "ab"))
        fils.start()
        fils.join()
    assert fils.exitcode == 1  # the AssertionError ended it
    ((tentative,),) = [g.tentatives]
    assert tentative["entree"] == str(classeurs[2]) and tentative["pid"] == fils.pid

"""The xlwings side of the master workbook: its ``xlwings.conf`` settings and the modules of its VBA project.

The project is our module ``rse_xl/vba/RseXl.bas`` (one ``RunPython`` call per button) plus the standalone
modules of the installed xlwings package (``xlwings.bas``, and ``Dictionary.cls`` that it uses on macOS),
compiled from text by :mod:`rse_xl.vba`. :mod:`rse_xl.maitre` writes them into the workbook.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from rse_xl.errors import FichierError
from rse_xl.vba import Module, read_modules_from_files

MODULE_VBA = "RseXl"


def reglages_xlwings(interpreter: str | None = None) -> list[tuple[str, str, str]]:
    """(key, value, French help) of the ``xlwings.conf`` sheet, as xlwings.bas reads them (GetConfigFromSheet).

    ``interpreter`` goes to ``Interpreter_Mac`` when it is a POSIX path (``/…``, ``$HOME/…``, ``~/…``, written
    ``$HOME/…``), otherwise to ``Interpreter_Win``.
    """
    mac = bool(interpreter) and str(interpreter).startswith(("/", "$", "~"))
    if interpreter and interpreter.startswith("~/"):
        interpreter = "$HOME/" + interpreter[2:]  # xlwings.bas expands $HOME on macOS, not ~
    return [
        (
            "Interpreter_Win",
            "" if mac or not interpreter else str(interpreter),
            "Windows : chemin de python.exe de l'environnement où rse-xl est installé. Les variables sont "
            "admises : %LOCALAPPDATA%\\Programs\\Python\\Python311\\python.exe. Vide : « python » du PATH.",
        ),
        (
            "Interpreter_Mac",
            str(interpreter) if mac else "",
            "macOS : chemin de python, par exemple $HOME/.venvs/rse-xl/bin/python. Vide : « python ».",
        ),
        (
            "PYTHONPATH",
            "",
            "Dossiers ajoutés au chemin de Python (séparés par ;). Inutile si rse-xl est installé.",
        ),
        (
            "Conda Path",
            "",
            "Avec Anaconda ou Miniconda seulement : leur dossier, ex. %USERPROFILE%\\miniconda3.",
        ),
        ("Conda Env", "", "Avec conda seulement : le nom de l'environnement, ex. rse-xl."),
        ("UDF Modules", "", "Inutilisé : le classeur maître n'a pas de fonction de cellule (UDF)."),
        ("Debug UDFs", FAUX, "Laisser False (en anglais, comme texte)."),
        (
            "Use UDF Server",
            FAUX,
            "Laisser False : chaque bouton lance un Python neuf, qui se ferme ensuite.",
        ),
        (
            "Show Console",
            FAUX,
            "True montre la fenêtre de commande pendant le traitement (diagnostic) ; False sinon.",
        ),
        (
            "ADD_WORKBOOK_TO_PYTHONPATH",
            FAUX,
            "Laisser False : rse-xl est installé dans Python ; xlwings ne cherche pas le dossier local d'un "
            "maître ouvert depuis OneDrive ou SharePoint.",
        ),
    ]


# xlwings.bas reads every xlwings.conf value through ExpandEnvironmentStrings(ByVal s As String): a Boolean
# cell arrives as the text Excel's language gives it, « Faux » in a French Excel, and
# ``OPTIMIZED_CONNECTION = GetConfig("USE UDF SERVER", False)`` then stops on run-time error 13 (xlwings
# issue #2594). The texts an English Excel would hand over, "True" and "False", behave the same in every
# language: GetConfig compares and converts them exactly as it does there. They are written as text cells,
# with a list that offers only those two, so that typing « FAUX » cannot bring the Boolean back.
VRAI, FAUX = "True", "False"
BOOLEENS_XLWINGS = (FAUX, VRAI)


# --- VBA -------------------------------------------------------------------------------------------------------


def source_vba() -> Path:
    """Our VBA module, kept as source text in the package (rse_xl/vba/RseXl.bas)."""
    chemin = Path(__file__).parent / "vba" / f"{MODULE_VBA}.bas"
    if not chemin.is_file():
        raise FichierError(f"Module VBA {chemin} introuvable : réinstallez rse-xl.")
    return chemin


def dossier_xlwings() -> Path:
    """Folder of the installed xlwings package, found without importing it (importing xlwings is slow)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise FichierError(
            "Le paquet xlwings est nécessaire pour écrire le classeur maître : "
            "réinstallez rse-xl (pip install -e .), qui l'installe à la bonne version."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def fichiers_vba_xlwings() -> list[Path]:
    """xlwings.bas of the installed package, then Dictionary.cls when the package ships one (macOS needs it)."""
    dossier = dossier_xlwings()
    bas = dossier / "xlwings.bas"
    if not bas.is_file():
        raise FichierError(f"« {bas} » manque : réinstallez xlwings (pip install --force-reinstall xlwings).")
    # xlwings.bas declares « Dim d As Dictionary » under #If Mac: the class must be in the project.
    dictionnaires = sorted(dossier.rglob("Dictionary.cls"))
    return [bas, *dictionnaires[:1]]


def version_xlwings_vba() -> str | None:
    """The xlwings version the embedded VBA module belongs to (RunPython on macOS needs the same version)."""
    texte = fichiers_vba_xlwings()[0].read_text(encoding="cp1252", errors="replace")
    trouve = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', texte)
    return trouve.group(1) if trouve else None


def modules_vba() -> list[Module]:
    """The standard and class modules of the master: ours, then xlwings' standalone ones."""
    return read_modules_from_files([source_vba(), *fichiers_vba_xlwings()])

"""Mutation run on the core of rse-xl (issue #16): how many deliberate small bugs the test suite catches.

    python bench/mutation.py                            # the core modules (long: see bench/MUTATION.md)
    python bench/mutation.py rse_xl/regles/marches.py  # one module
    python bench/mutation.py --resultats                # score and survivors of the last run, from mutants/
    python bench/mutation.py --reprendre                # go on with an interrupted run where it stopped

mutmut 3 (installed by this script if missing) copies the package into ``mutants/``, mutates every
function of the chosen modules, and runs, for each mutant, the tests that reach that function. A mutant
that no test fails "survives": either a test is missing, or the mutant changes nothing a user can see
(equivalent). bench/MUTATION.md lists the score and the survivors judged equivalent, one reason each.
Not part of .ci/run: a full run takes far more than the CI budget allows.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
VERSION_MUTMUT = "3.8.1"
COEUR = (
    "rse_xl/regles/__init__.py",
    "rse_xl/regles/commun.py",
    "rse_xl/regles/journal.py",
    "rse_xl/regles/marches.py",
    "rse_xl/regles/operations.py",
    "rse_xl/regles/vehicules.py",
    "rse_xl/regles/equipements.py",
    "rse_xl/regles/reemploi.py",
    "rse_xl/regles/donnees.py",
    "rse_xl/indicateurs.py",
    "rse_xl/validation.py",
    "rse_xl/controles.py",
    "rse_xl/conversion.py",
    "rse_xl/fichiers.py",
)
# The tests that exercise the core directly; mutmut runs, for each mutant, those that reach its function.
# Not test_hostiles.py: its cases run in child processes, which do not see the mutants.
TESTS = (
    "tests/test_regles.py",
    "tests/test_statuts.py",
    "tests/test_indicateurs.py",
    "tests/test_validation.py",
    "tests/test_donnees_partielles.py",
    "tests/test_sorties.py",
    "tests/test_robustesse.py",
    # the « campagne incomplète » consolidated and summarised, against figures computed by hand (8 s)
    "tests/test_campagne_incomplete.py",
    # batches: a corrupt file, a defect on one file, a worker process that dies (its pool is made in the
    # parent, which runs the mutant; 10 s)
    "tests/test_lot.py",
)
# Tests written to kill surviving mutants, one file per core module: picked up without editing TESTS.
MOTIF_TESTS_MUTANTS = "tests/test_mutants_*.py"
# The rules also write the live Excel formula of each indicator (the ``*_xl`` functions): only LibreOffice,
# recalculating a generated workbook, says whether a formula computes what Python computes. Slow (a Calc
# run per office), so only when the rules are mutated.
TESTS_FORMULES = ("tests/test_libreoffice.py",)


def _tests(modules: list[str]) -> list[str]:
    formules = TESTS_FORMULES if any(m.startswith("rse_xl/regles/") for m in modules) else ()
    mutants = sorted(str(p.relative_to(RACINE)) for p in RACINE.glob(MOTIF_TESTS_MUTANTS))
    return [*TESTS, *formules, *mutants]


def _config(modules: list[str]) -> str:
    """The [tool.mutmut] table for these modules (written into the copy's pyproject.toml only)."""
    autres = sorted(
        str(p.relative_to(RACINE))
        for p in (RACINE / "rse_xl").rglob("*.py")
        if str(p.relative_to(RACINE)) not in modules
    )
    lignes = [
        "[tool.mutmut]",
        'paths_to_mutate = ["rse_xl/"]',
        "do_not_mutate = [" + ", ".join(f'"{a}"' for a in autres) + "]",
        'also_copy = ["workbooks/", "templates/", "bench/"]',
        "tests_dir = [" + ", ".join(f'"{t}"' for t in _tests(modules)) + "]",
        # calls made by a shared fixture credited to every test using it (see bench/mutmut_portee.py)
        'pytest_add_cli_args = ["-p", "bench.mutmut_portee"]',
    ]
    return "\n".join(lignes) + "\n"


def _installer() -> None:
    try:
        import mutmut  # noqa: F401
    except ImportError:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", f"mutmut=={VERSION_MUTMUT}"], check=True
        )


def _copie(dossier: Path, modules: list[str]) -> None:
    """A copy of the project where mutmut may write its mutants/ folder and its configuration."""
    if dossier.exists():
        shutil.rmtree(dossier)
    ignorer = shutil.ignore_patterns(
        ".git", "mutants", "__pycache__", "*.egg-info", ".mypy_cache", ".ruff_cache"
    )
    shutil.copytree(RACINE, dossier, ignore=ignorer)
    pyproject = dossier / "pyproject.toml"
    texte = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", pyproject.read_text(encoding="utf-8"))
    pyproject.write_text(texte.rstrip() + "\n\n" + _config(modules), encoding="utf-8")


def resultats(dossier: Path) -> tuple[Counter[str], list[str]]:
    """(count per status, survivors) of the last run in ``dossier``."""
    sortie = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=dossier,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    etats: Counter[str] = Counter()
    survivants = []
    for ligne in sortie.splitlines():
        nom, _, etat = ligne.strip().rpartition(": ")
        if nom:
            etats[etat] += 1
            if etat == "survived":
                survivants.append(nom)
    return etats, survivants


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("modules", nargs="*", default=list(COEUR))
    parser.add_argument(
        "--dossier", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "rse-xl-mutation"
    )
    parser.add_argument("--processus", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--resultats", action="store_true", help="only print the last run's results")
    parser.add_argument(
        "--reprendre",
        action="store_true",
        help="go on with the run in --dossier: mutants already judged keep their result (same copy, same tests)",
    )
    args = parser.parse_args()
    _installer()
    if args.reprendre and not (args.dossier / "mutants").is_dir():
        print(f"Aucun passage à reprendre dans {args.dossier} (pas de dossier mutants/).", file=sys.stderr)
        return 2
    if not args.resultats:
        if not args.reprendre:
            _copie(args.dossier, args.modules)
        env = {**os.environ, "PYTHONPATH": ""}
        subprocess.run(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.processus)],
            cwd=args.dossier,
            env=env,
            check=False,
        )
    etats, survivants = resultats(args.dossier)
    tues = etats["killed"] + etats["timeout"] + etats["segfault"]
    total = sum(etats.values()) - etats["skipped"] - etats["not checked"]
    print(f"mutants : {sum(etats.values())} ; états : {dict(etats)}")
    if total:
        print(f"score : {tues}/{total} = {tues / total:.1%} tués")
    for nom in survivants:
        print(f"survivant : {nom}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

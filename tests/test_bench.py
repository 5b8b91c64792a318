"""The benchmark runs (smallest mode), and the consolidation path keeps its start-up light."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import yaml

RACINE = Path(__file__).resolve().parent.parent


def script_du_banc(nom: str, *args: str) -> list[str]:
    """Run ``bench/<nom>`` from the checkout; its output lines (it must succeed)."""
    fini = subprocess.run(
        [sys.executable, str(RACINE / "bench" / nom), *args],
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert fini.returncode == 0, fini.stderr
    return fini.stdout.strip().splitlines()


def test_bench_rapide() -> None:
    """`python bench/bench.py --rapide` runs and ends with one ratio a line (figures: bench/RESULTS.md)."""
    fin = script_du_banc("bench.py", "--rapide")[-6:]
    assert [re.sub(r"_\d+workers", "_Nworkers", ligne.split("=")[0]) for ligne in fin] == [
        "ratio_lecture",
        "ratio_lecture_cpu",
        "ratio_lecture_Nworkers",
        "ratio_processus",
        "ratio_lot3",
        "memoire_lot3_mo",
    ]
    assert all(re.fullmatch(r"\w+=\d+(\.\d\d)?", ligne) for ligne in fin), fin


def test_consolider_sans_pandas_ni_openpyxl(tmp_path: Path) -> None:
    """`rse-xl consolider` imports neither pandas, polars, xlwings nor openpyxl: each costs a start-up."""
    code = (
        "import sys\n"
        "from rse_xl.cli import main\n"
        f"main(['consolider', {str(RACINE / 'workbooks')!r}, '-o', {str(tmp_path / 's.xlsx')!r}])\n"
        "lourds = {'pandas', 'polars', 'xlwings', 'openpyxl', 'numpy', 'pyarrow'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & lourds))\n"
    )
    fini = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert fini.returncode == 0, fini.stderr
    assert fini.stdout.strip().splitlines()[-1] == "[]"


def test_referentiel_lu_par_libyaml_comme_par_python() -> None:
    """The shipped référentiel is parsed by libyaml at start-up: it must read exactly as the pure-Python way."""
    texte = resources.files("rse_xl.referentiel").joinpath("convention.yaml").read_bytes()
    rapide = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert yaml.load(texte, Loader=rapide) == yaml.safe_load(texte)


def test_alterner_deux_versions() -> None:
    """`python bench/alterner.py A B` measures both versions and prints one line each."""
    lignes = script_du_banc("alterner.py", str(RACINE), str(RACINE), "--n", "3", "--alternances", "1")[-2:]
    assert [ligne.split()[0] for ligne in lignes] == ["avant", "après"]
    assert all(re.search(r"ratio \d+\.\d\d$", ligne) for ligne in lignes), lignes

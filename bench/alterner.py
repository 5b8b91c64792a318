"""Compare two versions of rse-xl on the same workbooks, alternating them, in CPU time.

    git worktree add /tmp/avant c6c76cd
    python bench/alterner.py /tmp/avant .            # 7 alternations, N = 30
    python bench/alterner.py /tmp/avant . --n 3 --alternances 15

On a shared machine the speed changes by steps of several seconds: two benchmark runs a minute apart differ
more than two versions of the code. Here each round runs the floor and ``consolider`` (no output, one
worker) once per version, in fresh processes one after the other, and reports the medians of the CPU time
per workbook and of the ratio to the floor measured in the same process. Both versions read the workbooks
of ``bench/.cache`` (made by the version given second when missing): they must accept the same template.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent

_MESURE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import bench
chemins, reglages = bench.preparer(int(sys.argv[2]), 3.0, 0, bench.CACHE)
conv = bench.convention(reglages)
bench.consolider_sans_sortie(chemins[:3], conv)  # warm-up: imports, file cache
debut = time.process_time()
bench.plancher(chemins)
plancher = time.process_time() - debut
debut = time.process_time()
bench.consolider_sans_sortie(chemins, conv)
print(json.dumps([plancher, time.process_time() - debut]))
"""


def mesurer(racine: Path, n: int) -> tuple[float, float]:
    """(floor, rse-xl) CPU seconds of one fresh process importing rse_xl from ``racine``."""
    env = dict(os.environ, PYTHONPATH=str(racine.resolve()))
    fini = subprocess.run(
        [sys.executable, "-c", _MESURE, str(BENCH), str(n)],
        capture_output=True,
        text=True,
        env=env,
        cwd=BENCH.parent,
        check=False,
    )
    if fini.returncode != 0:
        raise SystemExit(f"Échec de la mesure de {racine} :\n{fini.stderr}")
    plancher, rse = json.loads(fini.stdout.strip().splitlines()[-1])
    return plancher, rse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("avant", type=Path, help="racine du code de référence (contient rse_xl/)")
    parser.add_argument("apres", type=Path, help="racine du code comparé")
    parser.add_argument("--n", type=int, default=30, help="classeurs lus par mesure")
    parser.add_argument("--alternances", type=int, default=7, help="tours (une mesure par version)")
    o = parser.parse_args(argv)
    resultats: dict[str, list[tuple[float, float]]] = {"avant": [], "après": []}
    for tour in range(o.alternances):
        print(f"Tour {tour + 1}/{o.alternances}…", flush=True)
        for nom, racine in (("avant", o.avant), ("après", o.apres)):
            resultats[nom].append(mesurer(racine, o.n))
    med = statistics.median
    for nom, mesures in resultats.items():
        par = med(r for _, r in mesures) / o.n * 1000
        plancher = med(p for p, _ in mesures) / o.n * 1000
        ratio = med(r / p for p, r in mesures)
        print(f"{nom:<6} {par:6.1f} ms CPU par classeur, plancher {plancher:5.1f} ms, ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of rse-xl against floors: what reading the same workbooks costs with nothing else.

    python bench/bench.py                      # N = 3, 30, 300; 5 repetitions; batch of 300 on every core
    python bench/bench.py --n 3 30 --lot 30    # smaller
    python bench/bench.py --rapide             # the three demo workbooks only, a few seconds

Four measures, taken in one run, interleaved (floor then rse-xl, repetition after repetition), medians:

1. floor: python-calamine reads every cell of N office workbooks (every sheet, ``to_python``), nothing else;
2. rse-xl reads, validates and computes the indicators of the same N workbooks (``consolider``, no output,
   one worker: one workbook after the other, python-calamine's parse read ahead on a thread), so
   ``ratio_lecture`` = what checking and computing cost on top of a raw parse; ``ratio_lecture_cpu`` is the
   same in CPU time (every thread counted), what no thread can hide;
3. the whole ``rse-xl consolider`` process on the demo workbooks of ``workbooks/`` (interpreter start,
   imports, summary workbook) against ``plancher_processus.py`` (start, read, write every cell);
4. the batch mode: ``consolider`` with several workers on N = 300 workbooks in a child process, against the
   serial floor of item 1, and the child's peak memory.

The N workbooks are demo workbooks (``rse_xl.demo``, registers of a few hundred rows at ``--echelle 3``) of
the three offices of the convention and of extra offices declared in a settings file, generated once into
``bench/.cache`` and reused. The last lines sum it up, one ratio a line (``ratio_lecture=1.32``).
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine as pc

if TYPE_CHECKING:
    from rse_xl.referentiel import Convention

RACINE = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
DEMO = RACINE / "workbooks"
AUJOURDHUI = dt.date(2026, 11, 30)  # fixed: the same checks from one run to the next


# --- The workbooks -------------------------------------------------------------------------------------------


def codes_offices(n: int) -> list[tuple[str, str]]:
    """(code, name) of ``n`` offices beyond the convention's three, codes OAA, OAB… (2 to 6 capitals)."""
    lettres = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    offices = []
    for i in range(n):
        code = "O" + lettres[i // 26 % 26] + lettres[i % 26] + ("" if i < 676 else lettres[i // 676 % 26])
        offices.append((code, f"Office public de l'habitat n° {i + 1}"))
    return offices


_CONVENTIONS: dict[str, object] = {}


def _ecrire_un(args: tuple[str, str, int, float, str]) -> str:
    """Write one office's demo workbook, built for the convention of the settings file (in a worker)."""
    from rse_xl.demo import generer_saisie
    from rse_xl.modele import ecrire_classeur, nom_fichier_modele, trouver_office
    from rse_xl.referentiel import Convention

    dossier, code, graine, echelle, reglages = args
    conv = _CONVENTIONS.get(reglages)
    if conv is None:
        conv = _CONVENTIONS[reglages] = convention(Path(reglages))
    assert isinstance(conv, Convention)
    office = trouver_office(conv, code)
    chemin = Path(dossier) / nom_fichier_modele(office)
    ecrire_classeur(chemin, office, generer_saisie(office, graine=graine, echelle=echelle), convention=conv)
    return str(chemin)


def preparer(n: int, echelle: float, graine: int, cache: Path) -> tuple[list[Path], Path]:
    """The first ``n`` workbooks of the cache (generated when missing) and the settings file declaring them."""
    from rse_xl import __version__
    from rse_xl.layout import MODELE_VERSION
    from rse_xl.modele import nom_fichier_modele
    from rse_xl.referentiel import empreinte_referentiel, referentiel

    dossier = cache / f"echelle-{echelle:g}-graine-{graine}"
    dossier.mkdir(parents=True, exist_ok=True)
    extras = codes_offices(max(0, n - len(referentiel().offices)))
    reglages = dossier / f"offices-{n}.yaml"
    reglages.write_text(
        "offices:\n" + "".join(f'  - {{code: "{c}", nom: "{nom}"}}\n' for c, nom in extras), encoding="utf-8"
    )
    conv = convention(reglages)
    offices = conv.offices[:n]
    manifeste = dossier / "manifeste.json"
    attendu = {"modele": MODELE_VERSION, "referentiel": empreinte_referentiel(), "outil": __version__}
    if not manifeste.exists() or json.loads(manifeste.read_text(encoding="utf-8")) != attendu:
        for ancien in dossier.glob("*.xlsx"):
            ancien.unlink()
        manifeste.write_text(json.dumps(attendu), encoding="utf-8")
    manquants = [o for o in offices if not (dossier / nom_fichier_modele(o)).exists()]
    if manquants:
        print(f"Génération de {len(manquants)} classeur(s) dans {dossier} (une seule fois)…", flush=True)
        taches = [(str(dossier), o.code, graine, echelle, str(reglages)) for o in manquants]
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for _ in pool.map(_ecrire_un, taches, chunksize=4):
                pass
    return [dossier / nom_fichier_modele(o) for o in offices], reglages


# --- What is timed ---------------------------------------------------------------------------------------------


def plancher(chemins: Sequence[Path]) -> None:
    """Floor: every cell of every sheet, read by python-calamine."""
    for chemin in chemins:
        classeur = pc.CalamineWorkbook.from_path(str(chemin))
        for nom in classeur.sheet_names:
            classeur.get_sheet_by_name(nom).to_python()


def convention(reglages: Path | None) -> Convention:
    from rse_xl.referentiel import Office, referentiel

    if reglages is None:
        return referentiel()
    try:
        from rse_xl.referentiel import charger_parametres
    except ImportError:  # a checkout from before --parametres, measured for comparison
        import yaml

        conv = referentiel()
        extras = [Office(**o) for o in yaml.safe_load(reglages.read_text(encoding="utf-8"))["offices"] or []]
        return conv.model_copy(update={"offices": [*conv.offices, *extras]})
    return charger_parametres(reglages)


def consolider_sans_sortie(chemins: Sequence[Path], conv: Convention, workers: int = 1) -> None:
    """Read, validate and compute, as ``rse-xl consolider`` does before writing (memos forgotten first)."""
    from rse_xl import lecture
    from rse_xl.consolidation import consolider

    if hasattr(lecture, "oublier_memoires"):
        lecture.oublier_memoires()
    consolider(chemins, aujourdhui=AUJOURDHUI, convention=conv, workers=workers)


def chrono(fonction: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Wall-clock seconds of ``fonction()``; its CPU seconds (every thread of this process) go to ``cpu``."""
    debut, debut_cpu = time.perf_counter(), time.process_time()
    fonction()
    if cpu is not None:
        cpu.append(time.process_time() - debut_cpu)
    return time.perf_counter() - debut


def processus(commande: list[str]) -> float:
    debut = time.perf_counter()
    fini = subprocess.run(commande, cwd=RACINE, capture_output=True, text=True, check=False)
    duree = time.perf_counter() - debut
    if fini.returncode not in (0, 1):  # 1: the data hold errors, the output is written all the same
        raise SystemExit(f"Échec de {' '.join(commande)} :\n{fini.stderr}")
    return duree


def lot_enfant(chemins_fichier: Path, reglages: Path | None, workers: int) -> dict[str, float]:
    """The batch in a child process: its consolidation time and its peak memory."""
    commande = [sys.executable, __file__, "--enfant", str(chemins_fichier), str(workers)]
    if reglages:
        commande.append(str(reglages))
    fini = subprocess.run(commande, capture_output=True, text=True, check=False)
    if fini.returncode != 0:
        raise SystemExit(f"Échec du lot :\n{fini.stderr}")
    resultat: dict[str, float] = json.loads(fini.stdout.strip().splitlines()[-1])
    return resultat


def enfant(chemins_fichier: str, workers: str, reglages: str | None = None) -> None:
    """Child side of ``lot_enfant``: consolidate, print seconds and peak resident memory (MB).

    Imports and the convention are loaded before the clock starts, as for the floor.
    """
    import resource

    import rse_xl.consolidation  # noqa: F401

    chemins = [Path(c) for c in Path(chemins_fichier).read_text(encoding="utf-8").splitlines()]
    conv = convention(Path(reglages) if reglages else None)
    debut = time.perf_counter()
    consolider_sans_sortie(chemins, conv, workers=int(workers))
    secondes = time.perf_counter() - debut
    # Peak resident memory (kB on Linux) of this process, and of its largest worker process if any: the
    # total counts each worker at that peak, an upper bound (pages shared after fork are counted twice).
    pic = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pic_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    workers_vus = min(int(workers), len(chemins)) if pic_worker else 0
    total = pic + workers_vus * pic_worker
    print(json.dumps({"secondes": secondes, "memoire_mo": total, "parent_mo": pic, "worker_mo": pic_worker}))


# --- Report ----------------------------------------------------------------------------------------------------


def resume(nom: str, mesures: Sequence[float], unite: str = "s") -> str:
    return (
        f"{nom:<44} médiane {statistics.median(mesures):8.3f} {unite}"
        f"   (min {min(mesures):.3f}, max {max(mesures):.3f}, {len(mesures)} mesures)"
    )


def machine() -> str:
    modele = platform.processor() or platform.machine()
    try:
        for ligne in Path("/proc/cpuinfo").read_text().splitlines():
            if ligne.startswith("model name"):
                modele = ligne.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cœur(s), {modele}, Python {platform.python_version()}, "
        f"python-calamine {metadata.version('python-calamine')}"
    )


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args[:1] == ["--enfant"]:
        enfant(*args[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--n", type=int, nargs="+", default=[3, 30, 300], help="tailles de lot mesurées (1, 2)"
    )
    parser.add_argument("--lot", type=int, default=300, help="taille du lot en parallèle (4)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="workers du lot (4)")
    parser.add_argument("--repetitions", type=int, default=5, help="répétitions de chaque mesure")
    parser.add_argument("--echelle", type=float, default=3.0, help="taille des registres (rse_xl.demo)")
    parser.add_argument("--graine", type=int, default=0, help="graine des classeurs générés")
    parser.add_argument("--cache", type=Path, default=CACHE, help="dossier des classeurs générés")
    parser.add_argument(
        "--rapide", action="store_true", help="les trois classeurs de workbooks/ seulement, 2 répétitions"
    )
    o = parser.parse_args(args)
    if o.rapide:
        o.n, o.lot, o.repetitions = [3], 3, 2

    print(f"rse-xl bench — {dt.datetime.now():%Y-%m-%d %H:%M} — {machine()}", flush=True)
    # An installed package has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile every module at each start of the process measured in 3.
    import rse_xl

    compileall.compile_dir(Path(rse_xl.__file__).parent, quiet=1)
    lots: dict[int, tuple[list[Path], Path | None]] = {}
    for n in sorted({*o.n, o.lot}):
        if o.rapide:
            lots[n] = (sorted(DEMO.glob("*.xlsx"))[:n], None)
        else:
            lots[n] = preparer(n, o.echelle, o.graine, o.cache)
    conventions = {n: convention(reglages) for n, (_, reglages) in lots.items()}
    demo = sorted(DEMO.glob("*.xlsx"))
    provisoire = Path(tempfile.mkdtemp(prefix="rse-xl-bench-"))
    liste_lot = provisoire / "lot.txt"
    liste_lot.write_text("\n".join(map(str, lots[o.lot][0])), encoding="utf-8")
    cli = [
        sys.executable,
        "-m",
        "rse_xl.cli",
        "consolider",
        *map(str, demo),
        "-o",
        str(provisoire / "s.xlsx"),
    ]
    sol = [sys.executable, str(Path(__file__).with_name("plancher_processus.py")), str(provisoire / "p.xlsx")]
    sol += [str(c) for c in demo]

    # Warm-up (imports, file cache), not timed.
    for n, (chemins, _) in lots.items():
        plancher(chemins)
        if n in o.n:
            consolider_sans_sortie(chemins[: min(n, 3)], conventions[n])

    t_plancher: dict[int, list[float]] = {n: [] for n in lots}
    t_rse: dict[int, list[float]] = {n: [] for n in o.n}
    cpu_plancher: dict[int, list[float]] = {n: [] for n in lots}
    cpu_rse: dict[int, list[float]] = {n: [] for n in o.n}
    t_rse_workers: dict[int, list[float]] = {n: [] for n in o.n}
    t_proc_rse: list[float] = []
    t_proc_sol: list[float] = []
    t_lot: list[float] = []
    memoire: list[float] = []
    memoire_detail = (0.0, 0.0)
    try:
        for r in range(o.repetitions):
            print(f"Répétition {r + 1}/{o.repetitions}…", flush=True)
            for n, (chemins, _) in lots.items():
                t_plancher[n].append(chrono(partial(plancher, chemins), cpu_plancher[n]))
                if n in o.n:
                    t_rse[n].append(
                        chrono(partial(consolider_sans_sortie, chemins, conventions[n]), cpu_rse[n])
                    )
                    t_rse_workers[n].append(
                        chrono(partial(consolider_sans_sortie, chemins, conventions[n], o.workers))
                    )
            t_proc_sol.append(processus(sol))
            t_proc_rse.append(processus(cli))
            mesure = lot_enfant(liste_lot, lots[o.lot][1], o.workers)
            t_lot.append(mesure["secondes"])
            memoire.append(mesure["memoire_mo"])
            memoire_detail = (mesure["parent_mo"], mesure["worker_mo"])
    finally:
        for f in provisoire.iterdir():
            f.unlink()
        provisoire.rmdir()

    med = statistics.median
    print()
    ratios_lecture = {}
    ratios_cpu = {}
    ratios_workers = {}
    for n in o.n:
        print(resume(f"1. plancher calamine, N = {n}", t_plancher[n]))
        print(resume(f"2. rse-xl lire+valider+calculer, N = {n}", t_rse[n]))
        ratios_lecture[n] = med(t_rse[n]) / med(t_plancher[n])
        ratios_cpu[n] = med(cpu_rse[n]) / med(cpu_plancher[n])
        par = med(t_rse[n]) / n * 1000
        print(f"{'':<44} ratio {ratios_lecture[n]:.2f}   ({par:.1f} ms par classeur)")
        print(
            f"{'':<44} temps CPU : ratio {ratios_cpu[n]:.2f}   "
            f"({med(cpu_rse[n]) / n * 1000:.1f} ms par classeur, plancher {med(cpu_plancher[n]) / n * 1000:.1f})"
        )
        print(resume(f"2. la même chose, {o.workers} workers, N = {n}", t_rse_workers[n]))
        ratios_workers[n] = med(t_rse_workers[n]) / med(t_plancher[n])
        print(f"{'':<44} ratio {ratios_workers[n]:.2f}")
    print(resume("3. processus plancher (3 classeurs de démo)", t_proc_sol))
    print(resume("3. processus rse-xl consolider", t_proc_rse))
    ratio_processus = med(t_proc_rse) / med(t_proc_sol)
    print(f"{'':<44} ratio {ratio_processus:.2f}")
    if o.lot not in o.n:
        print(resume(f"1. plancher calamine, N = {o.lot}", t_plancher[o.lot]))
    print(resume(f"4. lot N = {o.lot}, {o.workers} workers", t_lot))
    ratio_lot = med(t_lot) / med(t_plancher[o.lot])
    print(f"{'':<44} ratio {ratio_lot:.2f} (contre le plancher en série)")
    print(resume(f"4. mémoire de pointe du lot N = {o.lot}", memoire, "Mo"))
    print(
        f"{'':<44} (processus principal {memoire_detail[0]:.0f} Mo"
        + (f", + {o.workers} × {memoire_detail[1]:.0f} Mo par worker)" if memoire_detail[1] else ")")
    )
    print()
    pire = max(ratios_lecture, key=lambda n: ratios_lecture[n])
    print(f"ratio_lecture={ratios_lecture[pire]:.2f}")
    print(f"ratio_lecture_cpu={max(ratios_cpu.values()):.2f}")
    print(f"ratio_lecture_{o.workers}workers={max(ratios_workers.values()):.2f}")
    print(f"ratio_processus={ratio_processus:.2f}")
    print(f"ratio_lot{o.lot}={ratio_lot:.2f}")
    print(f"memoire_lot{o.lot}_mo={max(memoire):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

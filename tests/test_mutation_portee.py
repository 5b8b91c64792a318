"""The mutation run's pytest plugin (bench/mutmut_portee.py): calls made by a shared fixture are credited to
every test that uses it, not only to the first one, so that a mutant of the consolidation is run against all
the tests that check its figures."""

from __future__ import annotations

import sys
import types
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ("pytester",)

BENCH = Path(__file__).resolve().parent.parent / "bench"

# A run of mutmut's stats collection in miniature: a module fixture calls the mutated function ``f`` (what
# a trampoline records), as mutmut's StatsCollector credits what was called to the test being torn down.
CONFTEST = """
from mutmut.state import state

def pytest_runtest_logstart(nodeid, location):
    state().duration_by_test[nodeid] = 0

def pytest_runtest_teardown(item, nextitem):
    for function in state()._stats:
        state().tests_by_mangled_function_name[function].add(item.nodeid)
    state()._stats.clear()
"""

TESTS = """
import pytest
from mutmut.state import state

@pytest.fixture(scope="module")
def campagne():
    state()._stats.add("f")
    return 1

@pytest.fixture(scope="module")
def autre():
    state()._stats.add("g")
    return 2

def test_premier(campagne):
    assert campagne == 1

def test_second(campagne):
    assert campagne == 1

def test_sans_la_fixture():
    state()._stats.add("h")

def test_les_deux(autre, campagne):
    pass
"""


class Etat:
    """The part of mutmut's ``MutmutState`` the plugin reads and extends."""

    def __init__(self) -> None:
        self._stats: set[str] = set()
        self.tests_by_mangled_function_name: defaultdict[str, set[str]] = defaultdict(set)
        self.duration_by_test: dict[str, float] = {}


def test_etat_de_mutmut_tel_que_le_plugin_le_lit() -> None:
    """Where mutmut is installed, its state has what the fake below has (the plugin is bound to it)."""
    etat = pytest.importorskip("mutmut.state")
    reel = etat.MutmutState()
    for attribut in vars(Etat()):
        assert hasattr(reel, attribut), attribut


@pytest.mark.parametrize("phase", ["stats", "mutant"])
def test_appels_d_une_fixture_partagee(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, phase: str
) -> None:
    etat = Etat()
    module = types.ModuleType("mutmut.state")
    module.state = lambda: etat  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mutmut", types.ModuleType("mutmut"))
    monkeypatch.setitem(sys.modules, "mutmut.state", module)
    monkeypatch.syspath_prepend(str(BENCH))
    monkeypatch.delitem(sys.modules, "mutmut_portee", raising=False)
    monkeypatch.setenv("MUTANT_UNDER_TEST", "stats" if phase == "stats" else "rse_xl.x__f__mutmut_1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_campagne=TESTS)
    resultat = pytester.runpytest_inprocess("-p", "mutmut_portee", "-p", "no:randomly")
    resultat.assert_outcomes(passed=4)
    credits: dict[str, Any] = {
        k: sorted(t.split("::")[1] for t in v) for k, v in etat.tests_by_mangled_function_name.items()
    }
    if phase == "stats":
        # Every test using the fixture, whichever ran first; the test that did not use it is not credited.
        assert credits == {
            "f": ["test_les_deux", "test_premier", "test_second"],
            "g": ["test_les_deux"],
            "h": ["test_sans_la_fixture"],
        }
    else:
        # Outside the stats collection the plugin does nothing: mutmut's own crediting is left as it is.
        assert credits == {"f": ["test_premier"], "g": ["test_les_deux"], "h": ["test_sans_la_fixture"]}


def _script_de_mutation() -> types.ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location("mutation_du_banc", BENCH / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reprendre_un_passage_interrompu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--reprendre`` runs mutmut in the existing copy (what was judged stays judged); without a copy to
    go on with it says so and runs nothing; without it the copy is made afresh."""
    mutation = _script_de_mutation()
    lances: list[tuple[list[str], Path]] = []
    copies: list[Path] = []

    def run(args: list[str], cwd: Path, **kw: Any) -> Any:
        lances.append((args, cwd))
        return types.SimpleNamespace(stdout="rse_xl.a.x_f__mutmut_1: killed\n", returncode=0)

    monkeypatch.setattr(mutation, "_installer", lambda: None)
    monkeypatch.setattr(mutation, "_copie", lambda dossier, modules: copies.append(dossier))
    monkeypatch.setattr(mutation.subprocess, "run", run)
    dossier = tmp_path / "passage"

    monkeypatch.setattr(sys, "argv", ["mutation.py", "--reprendre", "--dossier", str(dossier)])
    assert mutation.main() == 2 and lances == [] and copies == []

    (dossier / "mutants").mkdir(parents=True)
    assert mutation.main() == 0
    assert copies == []
    assert [(a[2:4], cwd) for a, cwd in lances] == [
        (["mutmut", "run"], dossier),
        (["mutmut", "results"], dossier),
    ]

    lances.clear()
    monkeypatch.setattr(sys, "argv", ["mutation.py", "--dossier", str(dossier)])
    assert mutation.main() == 0 and copies == [dossier] and len(lances) == 2

"""pytest plugin for the mutation run: a function called by a shared fixture is covered by every test using it.

mutmut runs each mutant against the tests recorded as calling the mutated function, and it records a call
against the test during which it happened. A module- or session-scoped fixture (a campaign consolidated
once, then checked by twenty tests) runs while its *first* test is set up: mutmut then credits only that
test, and a mutant of the consolidation is run against it alone; the nineteen other tests, which check
the figures, never see the mutant and it « survives ». This plugin, loaded only during mutmut's stats
collection (``MUTANT_UNDER_TEST=stats``), records which mutated functions each shared fixture called and,
at the end of the session, credits them to every test that uses that fixture.

It reads and extends mutmut's own state (``mutmut.state``), pinned by ``VERSION_MUTMUT`` in mutation.py.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Generator
from typing import Any

import pytest

# shared fixture definition (by id) → the mutated functions its setup called
_APPELS: dict[int, set[str]] = defaultdict(set)
_ITEMS: list[pytest.Item] = []


def _actif() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def _appels_en_cours() -> set[str]:
    from mutmut.state import state

    appels: set[str] = state()._stats
    return appels


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
) -> Generator[None]:
    if not _actif() or fixturedef.scope == "function":
        yield
        return
    # The calls of this fixture alone (the fixtures it depends on included): mutmut's set is emptied for
    # the time of its setup, then what was there before is put back.
    appels = _appels_en_cours()
    avant = set(appels)
    appels.clear()
    try:
        yield
    finally:
        _APPELS[id(fixturedef)] |= appels
        appels |= avant


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _actif():
        _ITEMS[:] = items


def _definitions(item: pytest.Item) -> list[Any]:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    return [d for defs in info.name2fixturedefs.values() for d in defs]


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _actif() or not _APPELS:
        return
    from mutmut.state import state

    tests = state().tests_by_mangled_function_name
    for item in _ITEMS:
        nom = item.nodeid.removeprefix("mutants/")
        if nom not in state().duration_by_test:
            continue  # not run (deselected, or after a failure)
        for definition in _definitions(item):
            for fonction in _APPELS.get(id(definition), ()):
                tests[fonction].add(nom)

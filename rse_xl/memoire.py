"""The cyclic garbage collector, paused while a workbook is read or written.

Reading one office workbook builds tens of thousands of small containers (grid rows, register rows, their
values); writing the summary, as many cells. None of them form reference cycles, so reference counting frees
them all, yet every 700 allocations the collector walks the young objects looking for cycles: 5 to 8 % of
the time of a read, measured with py-spy (``bench/RESULTS.md``). While a workbook is being handled the
collector is paused; it resumes as it was when the last user in the process is done (threads of a batch
share the pause), and its next pass then sees whatever was skipped.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_verrou = threading.Lock()
_utilisateurs = 0
_actif_avant = False


@contextmanager
def collecteur_suspendu() -> Iterator[None]:
    """Pause the cyclic collector for the block (re-entrant, thread-safe); restore it afterwards."""
    global _utilisateurs, _actif_avant
    with _verrou:
        if _utilisateurs == 0:
            _actif_avant = gc.isenabled()
            gc.disable()
        _utilisateurs += 1
    try:
        yield
    finally:
        with _verrou:
            _utilisateurs -= 1
            reprendre = _utilisateurs == 0 and _actif_avant
            if reprendre:
                gc.enable()


def apres_fork() -> None:
    """In a worker process forked while the collector was paused: a fresh count, the collector on."""
    global _verrou, _utilisateurs
    _verrou = threading.Lock()  # a thread of the parent may have held it at the fork
    _utilisateurs = 0
    gc.enable()

"""The fake of xlwings is bound to the real classes: what the project calls exists there, with that signature.

A test driven by a fake proves nothing if the fake accepts what xlwings refuses. Each member of the fake
that rse_xl.excel uses is compared with the same member of ``xlwings.main`` (the installed xlwings, the
version the master's VBA module comes from): a method has the same parameters (names, kinds, defaults), a
property is a property there too, settable exactly when it is settable there.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import xlwings.main as xw
from fake_xlwings import (
    FakeApp,
    FakeBook,
    FakeBooks,
    FakeName,
    FakeNames,
    FakeRange,
    FakeSheet,
    FakeSheets,
)

# (fake, real, members of the real class that rse_xl.excel or the tests' own driving use)
LIAISONS = [
    (FakeApp, xw.App, ["screen_updating", "display_alerts", "status_bar", "alert", "books", "activate"]),
    (FakeBooks, xw.Books, ["open", "__iter__", "__len__", "__getitem__", "__call__"]),
    (FakeBook, xw.Book, ["app", "sheets", "name", "names", "api", "fullname", "close", "activate"]),
    (FakeSheets, xw.Sheets, ["__getitem__", "__iter__", "__len__"]),
    (FakeSheet, xw.Sheet, ["name", "book", "api", "copy", "delete", "activate", "range", "__getitem__"]),
    (FakeRange, xw.Range, ["value", "sheet"]),
    (FakeName, xw.Name, ["name", "refers_to_range"]),
    (FakeNames, xw.Names, ["__contains__", "__getitem__", "__iter__", "contains"]),
]


def _membre(classe: type, nom: str) -> Any:
    for k in classe.__mro__:
        if nom in k.__dict__:
            return k.__dict__[nom]
    raise AssertionError(f"{classe.__qualname__}.{nom} n'existe pas")


def _parametres(fonction: Any) -> list[tuple[str, Any, Any]]:
    """Names, kinds and defaults of a function's parameters (annotations aside: the fake's are simpler)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(fonction).parameters.values()]


@pytest.mark.parametrize(
    ("faux", "vrai", "nom"),
    [(faux, vrai, nom) for faux, vrai, noms in LIAISONS for nom in noms],
    ids=[f"{vrai.__name__}.{nom}" for _, vrai, noms in LIAISONS for nom in noms],
)
def test_le_faux_suit_xlwings(faux: type, vrai: type, nom: str) -> None:
    reel = _membre(vrai, nom)
    imite = _membre(faux, nom)
    if isinstance(reel, property):
        assert isinstance(imite, property), f"{nom} est une propriété dans xlwings"
        assert (imite.fset is None) == (reel.fset is None), f"{nom} : modifiable dans l'un, pas dans l'autre"
    else:
        assert callable(reel) and callable(imite) and not isinstance(imite, property)
        assert _parametres(imite) == _parametres(reel), f"{vrai.__name__}.{nom}"


def test_le_projet_n_appelle_que_des_membres_lies() -> None:
    """Every attribute rse_xl.excel reads on an xlwings object is one of the bound members above."""
    import re
    from pathlib import Path

    import rse_xl.excel

    source = Path(rse_xl.excel.__file__).read_text(encoding="utf-8")
    lies = {nom for _, _, noms in LIAISONS for nom in noms}
    # attributes read on the objects the buttons hold: livre, app, source (a Book), feuille, sheets…
    appels = set(
        re.findall(r"\b(?:livre|self\.livre|app|self\.app|source|feuille|precedente)\.([a-z_]+)\b", source)
    )
    hors_xlwings = {"impl", "Windows", "FullName", "full_name"}  # reached through .api, the COM object
    assert appels - lies - hors_xlwings == set()


def test_books_open_refuse_un_mot_cle_inconnu(tmp_path) -> None:
    app = FakeApp()
    with pytest.raises(TypeError):
        app.books.open(str(tmp_path / "x.xlsx"), lecture_seule=True)  # type: ignore[call-arg]

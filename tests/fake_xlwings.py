"""A FAKE of the few xlwings objects rse_xl.excel touches — not xlwings: no Excel, no COM, runs on Linux.

Bound to the real classes: ``test_fake_xlwings.py`` compares the signature of every method and property the
project uses with ``xlwings.main`` and fails on any divergence, so a call the real xlwings would refuse
(a keyword ``books.open`` does not take, a property set that is read-only) fails here too.

FakeApp, FakeBook, FakeSheet, FakeRange and FakeName mimic only what the buttons use (status bar, screen
updating, alerts, books.open, sheets, defined names, sheet copy and delete), with Excel's behaviour where it
matters: a copied sheet whose name is taken gets « Name (2) », the last sheet of a book cannot be deleted.
``FakeBook.depuis_fichier`` loads a real workbook's sheet names, defined names and cell values with openpyxl,
so a test drives the master that rse_xl.maitre writes as Excel would show it.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import openpyxl


def _adresse(adresse: str) -> str:
    return adresse.replace("$", "").upper()


class FakeRange:
    """``sheet.range("B5")``: one cell, its ``value`` read and written in the sheet's dict."""

    def __init__(self, sheet: FakeSheet, adresse: str) -> None:
        self._sheet = sheet
        self.address = _adresse(adresse)

    @property
    def sheet(self) -> FakeSheet:
        return self._sheet

    @property
    def value(self) -> Any:
        return self.sheet.cells.get(self.address)

    @value.setter
    def value(self, valeur: Any) -> None:
        self.sheet.cells[self.address] = valeur


class FakeApi:
    """What ``.api`` gives: on Windows the COM object. Only the attributes the project reads exist."""

    def __init__(self, **attributs: Any) -> None:
        self.__dict__.update(attributs)


class FakeSheet:
    def __init__(self, book: FakeBook, name: str, cells: dict[str, Any] | None = None) -> None:
        self._book = book
        self._name = name
        self.cells: dict[str, Any] = cells or {}
        self.copie_de: FakeSheet | None = None  # the sheet it was copied from

    def __repr__(self) -> str:
        return f"<FakeSheet {self.name!r} in {self.book.name!r}>"

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, valeur: str) -> None:
        self._name = valeur

    @property
    def book(self) -> FakeBook:
        return self._book

    @property
    def api(self) -> FakeApi:
        return FakeApi(Name=self._name)

    def range(self, cell1: str | tuple[int, int] | FakeRange, cell2: Any = None) -> FakeRange:
        assert isinstance(cell1, str) and cell2 is None, "le faux ne connaît que range('B5')"
        return FakeRange(self, cell1)

    def __getitem__(self, item: str | tuple[int, int]) -> FakeRange:
        assert isinstance(item, str)
        return self.range(item)

    def copy(
        self, before: FakeSheet | None = None, after: FakeSheet | None = None, name: str | None = None
    ) -> FakeSheet:
        assert (before is None) != (after is None), "before ou after, pas les deux"
        repere = before or after
        assert repere is not None
        cible = repere.book
        nom = name or self.name
        pris = {s.name.lower() for s in cible.sheets}
        n = 2
        while nom.lower() in pris:  # Excel's own renaming of a copy whose name is taken
            nom = f"{self.name} ({n})"
            n += 1
        copie = FakeSheet(cible, nom, dict(self.cells))
        copie.copie_de = self
        position = cible.sheets.liste.index(repere) + (1 if after is not None else 0)
        cible.sheets.liste.insert(position, copie)
        return copie

    def delete(self) -> None:
        if len(self.book.sheets) == 1:
            raise RuntimeError("Excel : un classeur doit contenir au moins une feuille visible.")
        self.book.sheets.liste.remove(self)

    def activate(self) -> None:
        # Real xlwings activates the App first, and raises when another window stays on top.
        if self.book.app.activation_refusee:
            raise Exception("Could not activate App! Try to instantiate the App with visible=True.")
        self.book.feuille_active = self


class FakeSheets:
    def __init__(self) -> None:
        self.liste: list[FakeSheet] = []

    def __iter__(self):
        return iter(list(self.liste))

    def __len__(self) -> int:
        return len(self.liste)

    def __getitem__(self, key: int | str) -> FakeSheet:
        if isinstance(key, int):
            return self.liste[key]
        for s in self.liste:
            if s.name.lower() == key.lower():
                return s
        raise KeyError(key)

    @property
    def noms(self) -> list[str]:
        return [s.name for s in self.liste]


class FakeName:
    def __init__(self, book: FakeBook, name: str, onglet: str, adresse: str) -> None:
        self.book = book
        self._name = name
        self.onglet = onglet
        self.adresse = _adresse(adresse)

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, valeur: str) -> None:
        self._name = valeur

    @property
    def refers_to_range(self) -> FakeRange:
        return self.book.sheets[self.onglet].range(self.adresse)


class FakeNames:
    def __init__(self) -> None:
        self.noms: dict[str, FakeName] = {}

    def __contains__(self, item: int | str) -> bool:
        return isinstance(item, str) and item.lower() in self.noms

    def contains(self, name_or_index: int | str) -> bool:
        return name_or_index in self

    def __getitem__(self, item: int | str) -> FakeName:
        assert isinstance(item, str)
        return self.noms[item.lower()]

    def __iter__(self):
        return iter(self.noms.values())


class FakeBook:
    """``fullname`` is computed as xlwings does from Excel's FullName (``api.FullName``): a web address is
    mapped by ``xlwings.utils.fullname_url_to_local_path``, which raises when it finds no local copy."""

    def __init__(self, app: FakeApp, fullname: str, name: str | None = None) -> None:
        self._app = app
        self.adresse = fullname  # what Excel's Workbook.FullName holds: a path or a web address
        self._name = name or unquote(fullname.replace("\\", "/").rsplit("/", 1)[-1])
        self._sheets = FakeSheets()
        self._names = FakeNames()
        self.feuille_active: FakeSheet | None = None
        self.ferme = False
        self.fenetres = {1: FakeApi(Visible=True)}  # Windows(1) of the COM object, 1-based as in VBA

    @property
    def app(self) -> FakeApp:
        return self._app

    @property
    def name(self) -> str:
        return self._name

    @property
    def sheets(self) -> FakeSheets:
        return self._sheets

    @property
    def names(self) -> FakeNames:
        return self._names

    @property
    def api(self) -> FakeApi:
        """The Workbook COM object: FullName as Excel holds it, and Windows(1) whose Visible can be set."""
        return FakeApi(FullName=self.adresse, Name=self._name, Windows=self.fenetres.__getitem__)

    @property
    def fullname(self) -> str:
        if "://" in self.adresse:
            from xlwings.utils import fullname_url_to_local_path

            return fullname_url_to_local_path(url=self.adresse)
        return self.adresse

    def activate(self, steal_focus: bool = False) -> None:
        if self.app.activation_refusee:
            raise Exception("Could not activate App! Try to instantiate the App with visible=True.")

    def __repr__(self) -> str:
        return f"<FakeBook {self.name!r}>"

    @classmethod
    def depuis_fichier(cls, app: FakeApp, chemin: Path, fullname: str | None = None) -> FakeBook:
        """Load sheet names, defined names and cell values of a real .xlsx/.xlsm, and open it in ``app``."""
        livre = cls(app, fullname or str(chemin))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl drops extensions it does not know: no matter here
            wb = openpyxl.load_workbook(chemin, read_only=True)
            try:
                for ws in wb.worksheets:
                    cells = {
                        c.coordinate: c.value
                        for ligne in ws.iter_rows()
                        for c in ligne
                        if c.value is not None
                    }
                    livre.sheets.liste.append(FakeSheet(livre, ws.title, cells))
                for nom, defini in wb.defined_names.items():
                    for onglet, adresse in defini.destinations:
                        livre.names.noms[nom.lower()] = FakeName(livre, nom, onglet, adresse)
            finally:
                wb.close()
        app.books.liste.append(livre)
        return livre

    def close(self) -> None:
        self.ferme = True
        self.app.books.liste.remove(self)


class FakeBooks:
    def __init__(self, app: FakeApp) -> None:
        self.app = app
        self.liste: list[FakeBook] = []
        self.ouverts: list[tuple[str, dict[str, Any]]] = []  # every path opened, with its options

    def __iter__(self):
        return iter(list(self.liste))

    def __len__(self) -> int:
        return len(self.liste)

    def __getitem__(self, key: int | str) -> FakeBook:
        if isinstance(key, int):
            return self.liste[key]
        for b in self.liste:
            if b.name.lower() == key.lower():
                return b
        raise KeyError(key)

    def __call__(self, name_or_index: int | str) -> FakeBook:
        return self[name_or_index]

    def open(
        self,
        fullname: str | os.PathLike[str] | None = None,
        update_links: bool | None = None,
        read_only: bool | None = None,
        format: str | None = None,
        password: str | None = None,
        write_res_password: str | None = None,
        ignore_read_only_recommended: bool | None = None,
        origin: int | None = None,
        delimiter: str | None = None,
        editable: bool | None = None,
        notify: bool | None = None,
        converter: int | None = None,
        add_to_mru: bool | None = None,
        local: bool | None = None,
        corrupt_load: int | None = None,
        json: dict[str, Any] | None = None,
    ) -> FakeBook:
        """As xlwings: a book already open is returned as it is; another file of the same name is refused."""
        options = {k: v for k, v in locals().items() if k not in ("self", "fullname") and v is not None}
        assert fullname is not None
        chemin = Path(os.fspath(fullname))
        if not chemin.exists():
            raise FileNotFoundError(f"No such file: '{fullname}'")
        chemin = Path(os.path.realpath(chemin))
        for b in self.liste:
            if b.name.lower() == chemin.name.lower():
                if "://" not in b.adresse and os.path.samefile(b.adresse, chemin):
                    return b
                raise ValueError(
                    f"Cannot open two workbooks named '{chemin.name}', even if they are saved in"
                    "different locations."
                )
        self.ouverts.append((str(fullname), options))
        return FakeBook.depuis_fichier(self.app, chemin)


class FakeApp:
    """Records what Excel would show: every status bar text, screen updating state and message box."""

    def __init__(self) -> None:
        self._books = FakeBooks(self)
        self.alerts: list[dict[str, Any]] = []
        self.status_bars: list[str | bool] = []
        self.screen_updatings: list[bool] = []
        self._screen_updating = True
        self._display_alerts = True
        self.activation_refusee = False  # True: another window on top, activate() raises as in xlwings
        self.alerte_refusee = False  # True: the message box cannot be shown (Excel busy)

    @property
    def books(self) -> FakeBooks:
        return self._books

    @property
    def display_alerts(self) -> bool:
        return self._display_alerts

    @display_alerts.setter
    def display_alerts(self, valeur: bool) -> None:
        self._display_alerts = valeur

    def activate(self, steal_focus: bool = False) -> None:
        if self.activation_refusee:
            raise Exception("Could not activate App! Try to instantiate the App with visible=True.")

    @property
    def status_bar(self) -> str | bool:
        return self.status_bars[-1] if self.status_bars else False

    @status_bar.setter
    def status_bar(self, valeur: str | bool) -> None:
        self.status_bars.append(valeur)

    @property
    def screen_updating(self) -> bool:
        return self._screen_updating

    @screen_updating.setter
    def screen_updating(self, valeur: bool) -> None:
        self.screen_updatings.append(valeur)
        self._screen_updating = valeur

    def alert(
        self,
        prompt: str,
        title: str | None = None,
        buttons: str = "ok",
        mode: str | None = None,
        callback: str | None = None,
    ) -> str | None:
        if self.alerte_refusee:
            raise Exception("Excel est occupé : la boîte de message ne peut pas s'afficher.")
        self.alerts.append(
            {"prompt": prompt, "title": title, "mode": mode, "screen_updating": self._screen_updating}
        )
        return "ok"

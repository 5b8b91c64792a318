"""A FAKE of the few xlwings objects rse_xl.excel touches — not xlwings: no Excel, no COM, runs on Linux.

FakeApp, FakeBook, FakeSheet, FakeRange and FakeName mimic only what the buttons use (status bar, screen
updating, alerts, books.open, sheets, defined names, sheet copy and delete), with Excel's behaviour where it
matters: a copied sheet whose name is taken gets « Name (2) », the last sheet of a book cannot be deleted.
``FakeBook.depuis_fichier`` loads a real workbook's sheet names, defined names and cell values with openpyxl,
so a test drives the master that rse_xl.maitre writes as Excel would show it.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import openpyxl


def _adresse(adresse: str) -> str:
    return adresse.replace("$", "").upper()


class FakeRange:
    """``sheet.range("B5")``: one cell, its ``value`` read and written in the sheet's dict."""

    def __init__(self, sheet: FakeSheet, adresse: str) -> None:
        self.sheet = sheet
        self.address = _adresse(adresse)

    @property
    def value(self) -> Any:
        return self.sheet.cells.get(self.address)

    @value.setter
    def value(self, valeur: Any) -> None:
        self.sheet.cells[self.address] = valeur


class FakeSheet:
    def __init__(self, book: FakeBook, name: str, cells: dict[str, Any] | None = None) -> None:
        self.book = book
        self.name = name
        self.cells: dict[str, Any] = cells or {}
        self.copie_de: FakeSheet | None = None  # the sheet it was copied from

    def __repr__(self) -> str:
        return f"<FakeSheet {self.name!r} in {self.book.name!r}>"

    def range(self, adresse: str) -> FakeRange:
        return FakeRange(self, adresse)

    def __getitem__(self, adresse: str) -> FakeRange:
        return self.range(adresse)

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
        self.book.feuille_active = self


class FakeSheets:
    def __init__(self) -> None:
        self.liste: list[FakeSheet] = []

    def __iter__(self):
        return iter(list(self.liste))

    def __len__(self) -> int:
        return len(self.liste)

    def __getitem__(self, cle: int | str) -> FakeSheet:
        if isinstance(cle, int):
            return self.liste[cle]
        for s in self.liste:
            if s.name.lower() == cle.lower():
                return s
        raise KeyError(cle)

    @property
    def noms(self) -> list[str]:
        return [s.name for s in self.liste]


class FakeName:
    def __init__(self, book: FakeBook, name: str, onglet: str, adresse: str) -> None:
        self.book = book
        self.name = name
        self.onglet = onglet
        self.adresse = _adresse(adresse)

    @property
    def refers_to_range(self) -> FakeRange:
        return self.book.sheets[self.onglet].range(self.adresse)


class FakeNames:
    def __init__(self) -> None:
        self.noms: dict[str, FakeName] = {}

    def __contains__(self, nom: object) -> bool:
        return isinstance(nom, str) and nom.lower() in self.noms

    def __getitem__(self, nom: str) -> FakeName:
        return self.noms[nom.lower()]

    def __iter__(self):
        return iter(self.noms.values())


class FakeBook:
    def __init__(self, app: FakeApp, fullname: str, name: str | None = None) -> None:
        self.app = app
        self.fullname = fullname
        self.name = name or fullname.replace("\\", "/").rsplit("/", 1)[-1]
        self.sheets = FakeSheets()
        self.names = FakeNames()
        self.feuille_active: FakeSheet | None = None
        self.ferme = False

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

    def open(self, fullname: str, **options: Any) -> FakeBook:
        chemin = Path(fullname)
        if not chemin.exists():
            raise FileNotFoundError(f"No such file: '{fullname}'")
        if any(b.name.lower() == chemin.name.lower() for b in self.liste):
            raise ValueError(f"Cannot open two workbooks named '{chemin.name}'")
        self.ouverts.append((fullname, options))
        return FakeBook.depuis_fichier(self.app, chemin)


class FakeApp:
    """Records what Excel would show: every status bar text, screen updating state and message box."""

    def __init__(self) -> None:
        self.books = FakeBooks(self)
        self.alerts: list[dict[str, Any]] = []
        self.status_bars: list[str | bool] = []
        self.screen_updatings: list[bool] = []
        self._screen_updating = True
        self.display_alerts = True

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
    ) -> str:
        self.alerts.append(
            {"prompt": prompt, "title": title, "mode": mode, "screen_updating": self._screen_updating}
        )
        return "ok"

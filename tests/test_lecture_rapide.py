"""Shortcuts of the reading and the batch answer as the long way: formula cells, the paused collector."""

from __future__ import annotations

import gc
import threading

import pytest

from rse_xl.memoire import collecteur_suspendu
from rse_xl.ooxml import CellulesFormules, _cellules_formules_re

XML_FEUILLES = [
    # what XlsxWriter, Excel and LibreOffice write: formula first in the cell
    b'<row r="12"><c r="D12" s="3"><v>1</v></c><c r="E12" s="4"><f>D12*2</f><v>2</v></c></row>',
    b'<row r="12"><c r="E12" s="4" t="str">\n  <f>"a"</f><v>a</v></c><c r="E13"/></row>',
    # other attribute order, namespace prefixes, shared formulas, inline strings holding "<c r="
    b'<row r="12"><c s="4" r="E12"><f t="shared" si="0"/><v>2</v></c></row>',
    b'<x:row r="12"><x:c r="E12"><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c r="F12"><x:v>3</x:v></x:c></x:row>',
    b'<row><c r="E12" t="inlineStr"><is><t>&lt;c r="E13"&gt;&lt;f&gt;</t></is></c><c r="E13"><v>1</v></c></row>',
    b'<row><c r="E1"><v>1</v></c><c r="E12"><f>E1</f></c><c r="E123"><v>4</v></c><c r="AE12"><f>1</f></c></row>',
    b'<row><c r="E1"><x:f>1</x:f></c><c r="E12"><fx/></c><c r="E13" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>',
]


@pytest.mark.parametrize("xml", XML_FEUILLES)
def test_formules_une_cellule_a_la_fois(xml: bytes) -> None:
    """Asking about one cell at a time answers as the regular expression over the whole sheet."""
    attendu = _cellules_formules_re(xml)
    for cellule in ("E12", "E13", "E1", "E123", "AE12", "F12", "D12", "Z99"):
        assert (cellule in CellulesFormules(xml)) == (cellule in attendu), cellule
    # and asked in turn on one object, in any order (the full list taken on the way stays right)
    for ordre in (("E12", "E13", "AE12", "E1"), ("AE12", "E12", "E1", "E13"), ("Z99", "E12", "E13", "AE12")):
        formules = CellulesFormules(xml)
        assert [c for c in ordre if c in formules] == [c for c in ordre if c in attendu], ordre


def test_collecteur_suspendu_puis_rendu() -> None:
    """The cyclic collector is off while a workbook is handled (threads share it), then as it was."""
    assert gc.isenabled()
    vus: list[bool] = []
    entres, sortie = threading.Barrier(3), threading.Event()

    def travail() -> None:
        with collecteur_suspendu():
            entres.wait()
            vus.append(gc.isenabled())
            sortie.wait()

    fils = [threading.Thread(target=travail) for _ in range(2)]
    for f in fils:
        f.start()
    entres.wait()
    with collecteur_suspendu():  # nested in the threads' pause
        assert not gc.isenabled()
    assert not gc.isenabled()  # the threads still hold it
    sortie.set()
    for f in fils:
        f.join()
    assert vus == [False, False] and gc.isenabled()
    gc.disable()
    try:
        with collecteur_suspendu():
            pass
        assert not gc.isenabled()  # left off by the caller: left off
    finally:
        gc.enable()

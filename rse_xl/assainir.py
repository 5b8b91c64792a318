"""The cell sanitiser: a copy of a sheet's XML the fast reader can take, for the few cells it cannot.

``rse_xl.ooxml`` re-exports every name.
"""

from __future__ import annotations

import math
import re

__all__ = ["ERREURS_CONNUES", "NOMBRE_DATE_MAX", "assainir_feuille"]


# Cell values the fast reader cannot take. It raises on an error literal it does not know (#SPILL!, #CALC!…,
# newer than it) and on a Boolean other than 0 or 1, which would cost the whole sheet; it panics, printing a
# Rust backtrace on the terminal, on a number beyond about ±1e11 in a date-styled cell. Such cells are
# rewritten in a copy of the package handed to the reader (see ``assainir_feuille``); the checks still see
# the original: the error literal, the text as typed.
ERREURS_CONNUES = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"}
)
NOMBRE_DATE_MAX = 1e11
# A value the fast reader may turn into a panic or a wrong date: eleven digits or more, an exponent of two
# digits or more, NaN or infinity. The pattern starts with the literal ``v>`` (which also ends ``<x:v>``): the
# regex engine jumps from one value to the next, which keeps this look at every sheet under a millisecond.
_V_INHABITUEL = re.compile(rb"v>[-+]?(?:\d{11}|\d+(?:\.\d*)?[eE]\+?\d\d|[NnIi])")
# A cell with content (a self-closing cell has none). Non-greedy to the first closing tag: cells do not nest.
_CELLULE = re.compile(rb"<((?:\w+:)?)c\b((?:[^>/]|/(?!>))*)>(.*?)</\1c>", re.S)
_T_ATTR = re.compile(rb'\s+t="[^"]*"')


def _a_assainir(xml: bytes) -> bool:
    """Whether the sheet may hold a number the fast reader would panic on or misread (a quick look).

    Error literals and Booleans it does not know make it raise, not panic: those sheets are rewritten only
    when that happens (``assainir_feuille(xml, tout=True)``)."""
    return _V_INHABITUEL.search(xml) is not None


_ERREURS_OCTETS = frozenset(e.encode() for e in ERREURS_CONNUES)


def _assainir_cellule(m: re.Match[bytes]) -> bytes:
    prefixe, attrs, corps = m.group(1), m.group(2), m.group(3)
    t = _ATTR_T.search(attrs)
    genre = t.group(1) if t else b"n"
    v = _V_CORPS.search(corps)
    if v is None:
        return m.group(0)
    valeur = v.group(1).strip()
    if genre == b"e":
        if valeur in _ERREURS_OCTETS:
            return m.group(0)
        # any error the reader knows stands in for it; the checks read the original literal
        corps = corps[: v.start(1)] + b"#N/A" + corps[v.end(1) :]
        return b"<%sc%s>%s</%sc>" % (prefixe, attrs, corps, prefixe)
    if genre == b"b":
        if valeur in (b"0", b"1"):
            return m.group(0)
    elif genre == b"n":
        try:
            nombre = float(valeur)
        except ValueError:
            return m.group(0)
        if math.isfinite(nombre) and (abs(nombre) < NOMBRE_DATE_MAX or b" s=" not in attrs):
            return m.group(0)
    else:
        return m.group(0)
    # read as the text it holds: the check of the cell then names it (« NaN » n'est pas un nombre…)
    return b'<%sc%s t="str">%s</%sc>' % (prefixe, _T_ATTR.sub(b"", attrs), corps, prefixe)


_ATTR_T = re.compile(rb'\bt="([^"]*)"')
_V_CORPS = re.compile(rb"<(?:\w+:)?v>([^<]*)</")  # a cell's value (ooxml's _V, kept apart from it)


def assainir_feuille(xml: bytes, tout: bool = False) -> bytes | None:
    """The sheet's XML with every cell the fast reader cannot take rewritten; None when there is none.

    An unknown error literal becomes ``#N/A``; a Boolean other than 0/1, a number that is not finite
    (``NaN``, ``INF``, ``1E+400``) and a number beyond ±1e11 in a styled cell become the text they hold.
    Without ``tout``, only sheets the quick look (``_a_assainir``) points at are rewritten.
    """
    if not tout and not _a_assainir(xml):
        return None
    nouveau = _CELLULE.sub(_assainir_cellule, xml)
    return nouveau if nouveau != xml else None

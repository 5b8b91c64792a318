"""Helpers shared by the VBA tests (a plain module: conftest.py names can clash across folders)."""

from __future__ import annotations

from rse_xl.vba import Module

SMALL_MODULE = Module(
    "Outils",
    "Option Explicit\n\n' Accents et symboles du cp1252 : é à ç € œ\nPublic Function Double_(x As Double) As Double\n"
    "    Double_ = 2 * x\nEnd Function\n",
)


def code_lines(text: str) -> list[str]:
    """Return the lines of a module as a reader shows them: LF endings, no Attribute or .cls header lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].strip().upper() == "VERSION 1.0 CLASS":
        end = [line.strip().upper() for line in lines].index("END")
        lines = lines[end + 1 :]
    lines = [line for line in lines if not line.lstrip().startswith("Attribute ")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines

"""What people really type, read cell by cell: the value, the check that fails, and the note shown in French.

Written for the mutation run on ``rse_xl/conversion.py`` (bench/MUTATION.md): each converter on ordinary,
tolerated and refused inputs, its boundaries (an Excel serial date, a rate of 1 or 100, a year of 1900 or
2100), the exact French note, and the fast paths, which must give what the full converter gives.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rse_xl import conversion as cv
from rse_xl.conversion import LENT, VIDE, Lu

NNBSP = "\u202f"  # the thin no-break space French numbers are grouped with


@pytest.mark.parametrize(
    ("x", "texte"),
    [
        (1234567, f"1{NNBSP}234{NNBSP}567"),
        (-3.0, "-3"),
        (12.5, "12,5"),
        (999.5, "999,5"),
        (0.123456789, "0,123457"),
        (1000.25, f"1{NNBSP}000,25"),
        (-1500.5, f"-1{NNBSP}500,5"),
        (1234567.891, f"1{NNBSP}234{NNBSP}567,89"),  # an amount to the cent, not « 1,23457e+06 »
        (1234.001, f"1{NNBSP}234"),  # rounds to a whole amount: no trailing comma
        (1234.1, f"1{NNBSP}234,1"),
        (math.nan, "NaN"),
        (math.inf, "INF"),
        (-math.inf, "-INF"),
    ],
)
def test_nombre_ecrit_a_la_francaise(x: float, texte: str) -> None:
    assert cv._fr(x) == texte


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        (" 1 234 ", 1234),
        ("1\u00a0234,5", 1234.5),
        (f"1{NNBSP}234", 1234),
        ("1\u2009234", 1234),
        ("1\u2007234", 1234),
        ("1'000", 1000),
        (",5", 0.5),
        ("5.", 5),
        ("-3", -3),
        ("+2", 2),
        ("1e3", 1000),
        ("2E-2", 0.02),
        ("1.234,5", None),  # 1 234,5 or 1,2345? asked rather than guessed
        ("1,234.5", None),
        ("1E+400", None),
        ("douze", None),
        ("", None),
        ("1 2 3 x", None),
    ],
)
def test_texte_nombre(brut: str, attendu: float | None) -> None:
    assert cv.texte_nombre(brut) == attendu


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        (None, VIDE),
        ("   ", VIDE),
        (3, Lu(3)),
        (2.5, Lu(2.5)),
        (-4.0, Lu(-4.0)),
        (True, Lu(code="type-invalide")),
        (math.nan, Lu(code="type-invalide")),
        (math.inf, Lu(code="type-invalide")),
        (dt.date(2026, 1, 1), Lu(code="type-invalide")),
        ("12,5", Lu(12.5, note="« 12,5 » (texte) lu comme le nombre 12,5")),
        (" 1 234 ", Lu(1234.0, note=f"« 1 234 » (texte) lu comme le nombre 1{NNBSP}234")),
        ("85 000 €", Lu(85000.0, note=f"« 85 000 € » (texte) lu comme le nombre 85{NNBSP}000, unité « € » ignorée")),
        (
            "45 000 €  HT",
            Lu(45000.0, note=f"« 45 000 €  HT » (texte) lu comme le nombre 45{NNBSP}000, unité « € HT » ignorée"),
        ),
        ("1 234 h", Lu(1234.0, note=f"« 1 234 h » (texte) lu comme le nombre 1{NNBSP}234, unité « h » ignorée")),
        ("12 heures.", Lu(12.0, note="« 12 heures. » (texte) lu comme le nombre 12, unité « heures » ignorée")),
        ("12EUR", Lu(12.0, note="« 12EUR » (texte) lu comme le nombre 12, unité « EUR » ignorée")),
        ("3 Euros", Lu(3.0, note="« 3 Euros » (texte) lu comme le nombre 3, unité « Euros » ignorée")),
        ("€", Lu(code="type-invalide")),
        ("douze €", Lu(code="type-invalide")),
        ("1.2,3 €", Lu(code="type-invalide")),
        ("12 kg", Lu(code="type-invalide")),
        ("douze", Lu(code="type-invalide")),
    ],
)  # fmt: skip
def test_en_nombre(brut: Any, attendu: Lu) -> None:
    assert cv.en_nombre(brut) == attendu


def test_en_entier() -> None:
    assert cv.en_entier(None) == VIDE
    assert cv.en_entier("douze") == Lu(code="type-invalide")
    lu = cv.en_entier(12.0)
    assert lu == Lu(12) and type(lu.valeur) is int
    lu = cv.en_entier("12")
    assert lu == Lu(12, note="« 12 » (texte) lu comme le nombre 12") and type(lu.valeur) is int
    assert cv.en_entier(12.5) == Lu(12.5, code="nombre-non-entier")
    assert cv.en_entier("12,5") == Lu(12.5, code="nombre-non-entier")


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        (None, VIDE),
        (True, Lu(code="type-invalide")),
        ("45 %", Lu(0.45, note="« 45 % » lu comme le taux 45 %")),
        ("  12,5% ", Lu(0.125, note="« 12,5% » lu comme le taux 12,5 %")),
        ("beaucoup %", Lu(code="type-invalide")),
        (0.45, Lu(0.45)),
        (0, Lu(0.0)),
        (1, Lu(1.0)),  # 1 is 100 %, not 1 %
        (1.5, Lu(0.015, note="1,5 lu comme 1,5 % (un taux se saisit 45 % ou 0,45)")),
        (45, Lu(0.45, note="45 lu comme 45 % (un taux se saisit 45 % ou 0,45)")),
        (100, Lu(1.0, note="100 lu comme 100 % (un taux se saisit 45 % ou 0,45)")),
        (100.5, Lu(100.5)),  # not a percentage: the range check says so
        ("0,45", Lu(0.45, note="« 0,45 » (texte) lu comme le nombre 0,45")),
        ("douze", Lu(code="type-invalide")),
    ],
)
def test_en_taux(brut: Any, attendu: Lu) -> None:
    lu = cv.en_taux(brut)
    assert (lu.code, lu.note) == (attendu.code, attendu.note)
    assert lu.valeur == pytest.approx(attendu.valeur) if attendu.valeur is not None else lu.valeur is None


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        (None, VIDE),
        ("", VIDE),
        (dt.datetime(2026, 5, 4, 10, 30), Lu(dt.date(2026, 5, 4))),
        (dt.date(2026, 5, 4), Lu(dt.date(2026, 5, 4))),
        (True, Lu(code="type-invalide")),
        (45658, Lu(dt.date(2025, 1, 1), note=f"nombre 45{NNBSP}658 lu comme la date 01/01/2025 (format de cellule perdu)")),
        (45658.75, Lu(dt.date(2025, 1, 1), note=f"nombre 45{NNBSP}658,75 lu comme la date 01/01/2025 (format de cellule perdu)")),
        (20000, Lu(code="type-invalide")),
        (20001, Lu(dt.date(1954, 10, 4), note=f"nombre 20{NNBSP}001 lu comme la date 04/10/1954 (format de cellule perdu)")),
        (79999, Lu(dt.date(2119, 1, 10), note=f"nombre 79{NNBSP}999 lu comme la date 10/01/2119 (format de cellule perdu)")),
        (80000, Lu(code="type-invalide")),
        (" 31/12/2026 ", Lu(dt.date(2026, 12, 31), note="« 31/12/2026 » (texte) lu comme la date 31/12/2026")),
        ("1.2.26", Lu(dt.date(2026, 2, 1), note="« 1.2.26 » (texte) lu comme la date 01/02/2026")),
        ("01-02-1999", Lu(dt.date(1999, 2, 1), note="« 01-02-1999 » (texte) lu comme la date 01/02/1999")),
        ("1/2/99", Lu(dt.date(2099, 2, 1), note="« 1/2/99 » (texte) lu comme la date 01/02/2099")),
        ("1/2/00", Lu(dt.date(2000, 2, 1), note="« 1/2/00 » (texte) lu comme la date 01/02/2000")),
        # Four digits are the year as typed, from 1900 (Excel's first date) on.
        ("01/01/1900", Lu(dt.date(1900, 1, 1), note="« 01/01/1900 » (texte) lu comme la date 01/01/1900")),
        ("31/12/1899", Lu(code="type-invalide")),
        ("01/02/0099", Lu(code="type-invalide")),
        ("01/02/0100", Lu(code="type-invalide")),
        ("1899-12-31", Lu(code="type-invalide")),
        ("1/2/026", Lu(code="type-invalide")),
        ("2026-05-04", Lu(dt.date(2026, 5, 4), note="« 2026-05-04 » (texte) lu comme la date 04/05/2026")),
        ("2026-5-4 10:30", Lu(dt.date(2026, 5, 4), note="« 2026-5-4 10:30 » (texte) lu comme la date 04/05/2026")),
        ("2026-05-04T10:30:15", Lu(dt.date(2026, 5, 4), note="« 2026-05-04T10:30:15 » (texte) lu comme la date 04/05/2026")),
        ("31/02/2026", Lu(code="type-invalide")),
        ("12/13/2026", Lu(code="type-invalide")),
        ("2026-13-01", Lu(code="type-invalide")),
        ("hier", Lu(code="type-invalide")),
        ([2026], Lu(code="type-invalide")),
    ],
)  # fmt: skip
def test_en_date(brut: Any, attendu: Lu) -> None:
    assert cv.en_date(brut) == attendu


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        (None, VIDE),
        (True, Lu(True)),
        (False, Lu(False)),
        (1, Lu(True, note="1 lu comme « Oui »")),
        (0, Lu(False, note="0 lu comme « Non »")),
        (1.0, Lu(True, note="1 lu comme « Oui »")),
        (2, Lu(code="valeur-hors-liste")),
        ("Oui", Lu(True)),
        ("Non", Lu(False)),
        (" Oui ", Lu(True)),
        (" oui ", Lu(True, note="« oui » lu comme « Oui »")),
        ("X", Lu(True, note="« X » lu comme « Oui »")),
        ("✓", Lu(True, note="« ✓ » lu comme « Oui »")),
        ("faux", Lu(False, note="« faux » lu comme « Non »")),
        ("N", Lu(False, note="« N » lu comme « Non »")),
        ("peut-être", Lu(code="valeur-hors-liste")),
        (dt.date(2026, 1, 1), Lu(code="valeur-hors-liste")),
    ],
)
def test_en_booleen(brut: Any, attendu: Lu) -> None:
    assert cv.en_booleen(brut) == attendu


def test_cle_liste() -> None:
    assert cv.cle_liste("Électrique") == "electrique"
    assert cv.cle_liste("  Hybride \u00a0 RECHARGEABLE ") == "hybride rechargeable"


def test_en_choix() -> None:
    valeurs = ("Diesel", "Électrique", "2026")
    assert cv.en_choix(None, valeurs) == VIDE
    assert cv.en_choix("Diesel", valeurs) == Lu("Diesel")
    assert cv.en_choix(" electrique ", valeurs) == Lu(
        "Électrique", note="« electrique » lu comme « Électrique »"
    )
    assert cv.en_choix(2026.0, valeurs) == Lu("2026")
    assert cv.en_choix("Autre", valeurs) == Lu("Autre", code="valeur-hors-liste")
    assert cv.en_choix("Autre", valeurs, stricte=False) == Lu("Autre")


def test_en_texte() -> None:
    assert cv.en_texte(None) == VIDE
    assert cv.en_texte("  Atelier  ") == Lu("Atelier")
    assert cv.en_texte(12.0) == Lu("12")
    assert cv.en_texte(12.5) == Lu("12.5")
    assert cv.en_texte(dt.datetime(2026, 5, 4, 9, 0)) == Lu("04/05/2026")
    assert cv.en_texte("a\x00b\x1fc\x7f") == Lu("abc", note="caractères de contrôle invisibles retirés")
    assert cv.en_texte("a\tb\nc\rd") == Lu("a\tb\nc\rd")  # tabs and line breaks are text
    assert cv.a_controles("a\x0bb") and not cv.a_controles("a\tb\n")


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        (None, VIDE),
        (2026, Lu(2026)),
        (1900, Lu(1900)),
        (2100, Lu(2100)),
        (1899, Lu(1899, code="type-invalide")),
        (2101, Lu(2101, code="type-invalide")),
        ("2026", Lu(2026, note=f"« 2026 » (texte) lu comme le nombre 2{NNBSP}026")),
        (2026.5, Lu(2026.5, code="nombre-non-entier")),
        ("deux mille", Lu(code="type-invalide")),
    ],
)
def test_en_annee(brut: Any, attendu: Lu) -> None:
    assert cv.en_annee(brut) == attendu


@pytest.mark.parametrize(
    ("brut", "texte"),
    [
        (None, "(vide)"),
        ("", "(vide)"),
        (0, "0"),
        (True, "VRAI"),
        (False, "FAUX"),
        (dt.datetime(2026, 5, 4, 10, 30), "04/05/2026 10:30"),
        (dt.datetime(2026, 5, 4), "04/05/2026"),
        (dt.date(2026, 5, 4), "04/05/2026"),
        (1234.5, f"1{NNBSP}234,5"),
        ("a\x01b", "a�b"),
        ("x" * 80, "x" * 80),
        ("x" * 81, "x" * 77 + "…"),
    ],
)
def test_decrire(brut: Any, texte: str) -> None:
    assert cv.decrire(brut) == texte


def test_lu_ok() -> None:
    assert Lu(3).ok and VIDE.ok and not Lu(3, code="type-invalide").ok


# --- fast paths: the full converter's value, or LENT --------------------------------------------------------


def test_chemins_rapides_des_valeurs_ordinaires() -> None:
    """What a register mostly holds takes the fast path (not LENT), with the value the converter gives."""
    assert cv.texte_simple(" Atelier ") == "Atelier"
    assert cv.texte_simple("") is LENT and cv.texte_simple("a\x01") is LENT and cv.texte_simple(3) is LENT
    assert cv.nombre_simple(2.5) == 2.5 and cv.nombre_simple(3) == 3
    assert (
        cv.nombre_simple(math.nan) is LENT
        and cv.nombre_simple(True) is LENT
        and cv.nombre_simple("3") is LENT
    )
    assert cv.entier_simple(3.0) == 3 and type(cv.entier_simple(3.0)) is int and cv.entier_simple(4) == 4
    assert cv.entier_simple(3.5) is LENT and cv.entier_simple(True) is LENT
    assert [cv.annee_simple(a) for a in (1899, 1900, 2100, 2101)] == [LENT, 1900, 2100, LENT]
    assert cv.annee_simple("2026") is LENT
    assert [cv.taux_simple(x) for x in (0.45, 1, 1.5, 100, 100.5)] == [0.45, 1.0, LENT, LENT, 100.5]
    assert cv.taux_simple(math.inf) is LENT and cv.taux_simple(True) is LENT
    assert cv.date_simple(dt.datetime(2026, 5, 4, 8, 0)) == dt.date(2026, 5, 4)
    assert cv.date_simple(dt.date(2026, 5, 4)) == dt.date(2026, 5, 4) and cv.date_simple("04/05/2026") is LENT
    assert (cv.booleen_simple("Oui"), cv.booleen_simple("Non")) == (True, False)
    assert (cv.booleen_simple(True), cv.booleen_simple(False)) == (True, False)
    assert cv.booleen_simple("oui") is LENT and cv.booleen_simple(1) is LENT
    choix = cv.choix_simple(["Diesel", " Essence", ""])
    assert choix("Diesel") == "Diesel"
    assert choix(" Essence") is LENT and choix("") is LENT and choix("diesel") is LENT


BRUTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.45, 1.0, 1.5, 45.0, 100.0, 100.5, 1899.0, 1900.0, 2026.0, 2100.0, 2101.0]),
    st.text(alphabet=" aéO1,.%\x01\t", max_size=6),
    st.sampled_from(["Oui", "Non", "oui", " Oui", "Diesel", "diesel", "Électrique"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1)),
)
LISTE = ("Diesel", "Électrique")
PAIRES = [
    (cv.texte_simple, cv.en_texte),
    (cv.nombre_simple, cv.en_nombre),
    (cv.entier_simple, cv.en_entier),
    (cv.annee_simple, cv.en_annee),
    (cv.taux_simple, cv.en_taux),
    (cv.date_simple, cv.en_date),
    (cv.booleen_simple, cv.en_booleen),
    (cv.choix_simple(LISTE), lambda b: cv.en_choix(b, LISTE)),
]


@given(BRUTS)
def test_chemin_rapide_egal_au_convertisseur(brut: Any) -> None:
    """Wherever a fast path answers, the full converter reads the same value, without note or problem."""
    for rapide, complet in PAIRES:
        valeur = rapide(brut)
        if valeur is not LENT:
            lu = complet(brut)
            assert lu == Lu(valeur), (rapide, brut, lu)
            assert type(lu.valeur) is type(valeur), (rapide, brut)

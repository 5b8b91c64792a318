"""Tolerant reading of what people really type: ``12,5``, ``1 234``, ``45 %``, ``oui``, ``31/12/2026``…

Each converter returns a :class:`Lu`: the typed value, or the code of the check that failed, and a French
note when the value was read in a way worth telling (so the validator can warn "read as …").
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)

_ESPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009\u2007 '"), None)  # thousands separators
_NOMBRE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_DATE_FR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Units typed after a number: amounts (« 85 000 € », « 45 000 € HT ») and hours (« 1 234 h »).
_UNITE = re.compile(
    r"^(.*?\d)[\s\u00a0\u202f\u2009\u2007]*(€\s*HT|€|EUR|euros?|HT|h|heures?)\.?$", re.IGNORECASE
)

VRAI = {"oui", "o", "x", "vrai", "true", "1", "yes", "y", "✓", "✔"}
FAUX = {"non", "n", "faux", "false", "0", "no", ""}


@dataclass(frozen=True)
class Lu:
    """Result of reading one cell: ``valeur`` when it could be read, else ``code`` says why not."""

    valeur: Any = None
    code: str | None = None  # check code when the value is rejected
    note: str | None = None  # how a tolerated value was read ("« 12,5 » lu comme 12,5")

    @property
    def ok(self) -> bool:
        return self.code is None


VIDE = Lu()


def est_vide(brut: Any) -> bool:
    return brut is None or (isinstance(brut, str) and not brut.strip())


def _fr(x: float) -> str:
    """A number as French users write it."""
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("-INF" if x < 0 else "INF")
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", "\u202f")
    if abs(x) >= 1000:
        # To the cent, grouped by thousands: « 1 234 567,89 », never « 1,23457e+06 ».
        texte = f"{x:,.2f}".rstrip("0").rstrip(".")
        return texte.replace(",", "\u202f").replace(".", ",")
    return f"{x:.6g}".replace(".", ",")


def texte_nombre(brut: str) -> float | None:
    """Parse a number typed as text the French way (or the English way); None when it is not one."""
    s = brut.strip().translate(_ESPACES)
    if not _NOMBRE.match(s):
        return None  # one decimal separator at most: 1.234,5 or 1,234.5 is ambiguous, the user is asked
    x = float(s.replace(",", "."))
    return x if math.isfinite(x) else None  # « 1E+400 » is no number anyone typed


def en_nombre(brut: Any) -> Lu:
    """Any number ≥ 0 is decided by the caller; here: a finite number, typed or as text."""
    if est_vide(brut):
        return VIDE
    if isinstance(brut, bool):
        return Lu(code="type-invalide")
    if isinstance(brut, int | float):
        if not math.isfinite(brut):
            return Lu(code="type-invalide")
        return Lu(brut)
    if isinstance(brut, str):
        x = texte_nombre(brut)
        if x is not None:
            return Lu(x, note=f"« {brut.strip()} » (texte) lu comme le nombre {_fr(x)}")
        m = _UNITE.match(brut.strip())
        x = texte_nombre(m.group(1)) if m else None
        if m is None or x is None:
            return Lu(code="type-invalide")
        unite = " ".join(m.group(2).split())
        return Lu(
            x, note=f"« {brut.strip()} » (texte) lu comme le nombre {_fr(x)}, unité « {unite} » ignorée"
        )
    return Lu(code="type-invalide")


def en_entier(brut: Any) -> Lu:
    lu = en_nombre(brut)
    if not lu.ok or lu.valeur is None:
        return lu
    if not float(lu.valeur).is_integer():
        return Lu(lu.valeur, code="nombre-non-entier")
    return Lu(int(lu.valeur), note=lu.note)


def en_taux(brut: Any) -> Lu:
    """A rate as a fraction 0–1: ``45 %``, ``0,45``, 0.45; 45 alone is read as 45 % with a note."""
    if isinstance(brut, str) and brut.strip().endswith("%"):
        x = texte_nombre(brut.strip()[:-1])
        if x is None:
            return Lu(code="type-invalide")
        return Lu(x / 100, note=f"« {brut.strip()} » lu comme le taux {_fr(x)} %")
    lu = en_nombre(brut)
    if not lu.ok or lu.valeur is None:
        return lu
    x = float(lu.valeur)
    if 1 < x <= 100:
        return Lu(x / 100, note=f"{_fr(x)} lu comme {_fr(x)} % (un taux se saisit 45 % ou 0,45)")
    return Lu(x, note=lu.note)


def en_date(brut: Any) -> Lu:
    if est_vide(brut):
        return VIDE
    if isinstance(brut, dt.datetime):
        return Lu(brut.date())
    if isinstance(brut, dt.date):
        return Lu(brut)
    if isinstance(brut, bool):
        return Lu(code="type-invalide")
    if isinstance(brut, int | float):
        # A date cell whose format was lost: Excel's serial number.
        if 20000 < brut < 80000:
            d = EXCEL_EPOCH + dt.timedelta(days=int(brut))
            return Lu(d, note=f"nombre {_fr(brut)} lu comme la date {d:%d/%m/%Y} (format de cellule perdu)")
        return Lu(code="type-invalide")
    if isinstance(brut, str):
        s = brut.strip()
        try:
            if m := _DATE_FR.match(s):
                j, mois, annee = m.groups()
                # Two digits are this century (« 1/2/26 »); four are the year as typed.
                d = dt.date(int(annee) + (2000 if len(annee) == 2 else 0), int(mois), int(j))
            elif m := _DATE_ISO.match(s):
                a, mois, j = (int(g) for g in m.groups())
                d = dt.date(a, mois, j)
            else:
                return Lu(code="type-invalide")
        except ValueError:
            return Lu(code="type-invalide")
        if d.year < 1900:
            return Lu(code="type-invalide")  # « 01/02/0026 »: a typo, and no date Excel knows
        return Lu(d, note=f"« {s} » (texte) lu comme la date {d:%d/%m/%Y}")
    return Lu(code="type-invalide")


def en_booleen(brut: Any) -> Lu:
    if est_vide(brut):
        return VIDE
    if isinstance(brut, bool):
        return Lu(brut)
    if isinstance(brut, int | float) and brut in (0, 1):
        return Lu(bool(brut), note=f"{_fr(brut)} lu comme « {'Oui' if brut else 'Non'} »")
    if isinstance(brut, str):
        s = brut.strip().casefold()
        if s in VRAI or s in FAUX:
            valeur = s in VRAI
            note = (
                None
                if brut.strip() in ("Oui", "Non")
                else f"« {brut.strip()} » lu comme « {'Oui' if valeur else 'Non'} »"
            )
            return Lu(valeur, note=note)
    return Lu(code="valeur-hors-liste")


# --- Fast paths -------------------------------------------------------------------------------------------
# A register holds hundreds of cells already of the right type (a float in a number column, "Oui" in a
# yes/no column). These functions return such a value exactly as the converter above would, with no note
# and no problem, or ``LENT`` when the value needs the full converter.

LENT: Any = object()


def texte_simple(brut: Any) -> Any:
    """``en_texte`` of a text without control characters."""
    if brut.__class__ is str:
        texte = brut.strip()
        if texte and texte.isprintable():  # printable: none of the control characters removed above
            return texte
    return LENT


def nombre_simple(brut: Any) -> Any:
    """``en_nombre`` of a finite number."""
    if brut.__class__ is float:
        return brut if math.isfinite(brut) else LENT
    if brut.__class__ is int:
        return brut
    return LENT


def entier_simple(brut: Any) -> Any:
    """``en_entier`` of a whole number."""
    if brut.__class__ is float:
        return int(brut) if brut.is_integer() else LENT
    if brut.__class__ is int:
        return brut
    return LENT


def annee_simple(brut: Any) -> Any:
    """``en_annee`` of a plausible year."""
    annee = entier_simple(brut)
    return annee if annee is not LENT and 1900 <= annee <= 2100 else LENT


def taux_simple(brut: Any) -> Any:
    """``en_taux`` of a number typed as a fraction (0,45), not as a percentage (45)."""
    if brut.__class__ is float or brut.__class__ is int:
        x = float(brut)
        if math.isfinite(x) and not 1 < x <= 100:
            return x
    return LENT


def date_simple(brut: Any) -> Any:
    """``en_date`` of a date cell."""
    if brut.__class__ is dt.datetime:
        return brut.date()
    if brut.__class__ is dt.date:
        return brut
    return LENT


def booleen_simple(brut: Any) -> Any:
    """``en_booleen`` of a boolean cell or of « Oui » / « Non » as the list offers them."""
    if brut.__class__ is str:
        if brut == "Oui":
            return True
        if brut == "Non":
            return False
    elif brut is True or brut is False:
        return brut
    return LENT


def choix_simple(valeurs: Sequence[str]) -> Callable[[Any], Any]:
    """``en_choix`` of a value typed exactly as the list has it."""
    exactes = frozenset(v for v in valeurs if v and v == v.strip())

    def choix(brut: Any) -> Any:
        return brut if brut.__class__ is str and brut in exactes else LENT

    return choix


@lru_cache(maxsize=4096)
def cle_liste(texte: str) -> str:
    """Comparison key of a list value: accents, case and spaces ignored (memoised: headers, list values and
    office names come back in every workbook)."""
    s = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(s.casefold().split())


def en_choix(brut: Any, valeurs: Sequence[str], stricte: bool = True) -> Lu:
    """A value of a closed list, matched without regard to case, accents or spaces."""
    if est_vide(brut):
        return VIDE
    texte = _texte_brut(brut)
    if texte in valeurs:
        return Lu(texte)
    cles = {cle_liste(v): v for v in valeurs}
    trouve = cles.get(cle_liste(texte))
    if trouve is not None:
        return Lu(trouve, note=f"« {texte} » lu comme « {trouve} »")
    if not stricte:
        return Lu(texte)
    return Lu(texte, code="valeur-hors-liste")


def _texte_brut(brut: Any) -> str:
    if isinstance(brut, float) and brut.is_integer():
        return str(int(brut))
    if isinstance(brut, dt.datetime | dt.date):
        return f"{brut:%d/%m/%Y}"
    return str(brut).strip()


def en_texte(brut: Any) -> Lu:
    """Free text, stripped; control characters are removed with a note."""
    if est_vide(brut):
        return VIDE
    texte = _texte_brut(brut)
    if _CONTROLE.search(texte):
        propre = _CONTROLE.sub("", texte)
        return Lu(propre, note="caractères de contrôle invisibles retirés")
    return Lu(texte)


def a_controles(texte: str) -> bool:
    """Does the text hold control characters (those ``en_texte`` removes)?"""
    return _CONTROLE.search(texte) is not None


def en_annee(brut: Any) -> Lu:
    lu = en_entier(brut)
    if lu.ok and lu.valeur is not None and not 1900 <= lu.valeur <= 2100:
        return Lu(lu.valeur, code="type-invalide")
    return lu


def decrire(brut: Any) -> str:
    """A raw value as shown in a message (short, French)."""
    if brut is None or brut == "":
        return "(vide)"
    if isinstance(brut, bool):
        return "VRAI" if brut else "FAUX"
    if isinstance(brut, dt.datetime):
        return f"{brut:%d/%m/%Y %H:%M}" if brut.time() != dt.time() else f"{brut:%d/%m/%Y}"
    if isinstance(brut, dt.date):
        return f"{brut:%d/%m/%Y}"
    if isinstance(brut, int | float):
        return _fr(brut)
    s = str(brut)
    s = _CONTROLE.sub("�", s)
    return s if len(s) <= 80 else s[:77] + "…"

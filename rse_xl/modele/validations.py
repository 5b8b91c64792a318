"""The data validations of input cells: lists, numbers, dates, and those of register columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rse_xl.layout import DATE_MAX, DATE_MIN, Colonne, TypeColonne
from rse_xl.referentiel import ANNEES


def validation_liste_inline(valeurs: Sequence[str], quoi: str) -> dict[str, Any]:
    return {
        "validate": "list",
        "source": list(valeurs),
        "error_title": "Valeur non prévue",
        "error_message": f"Choisissez {quoi} dans la liste : {', '.join(valeurs)}.",
    }


def validation_liste(nom_liste: str, quoi: str, stricte: bool = True) -> dict[str, Any]:
    v: dict[str, Any] = {
        "validate": "list",
        "source": f"={nom_liste}",
        "error_title": "Valeur non prévue",
        "error_message": f"Choisissez {quoi} dans la liste déroulante.",
    }
    if not stricte:
        v["error_type"] = "information"
        v["error_message"] = f"Cette valeur n'est pas dans la liste proposée pour {quoi}. La garder ?"
    return v


def validation_nombre(entier: bool, maximum: float | None) -> dict[str, Any]:
    if maximum is not None:
        return {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": maximum,
            "error_title": "Taux attendu",
            "error_message": "Saisissez un taux entre 0 % et 100 %, par exemple 45 %.",
        }
    return {
        "validate": "integer" if entier else "decimal",
        "criteria": ">=",
        "value": 0,
        "error_title": "Nombre attendu",
        "error_message": (
            "Saisissez un nombre entier positif ou nul, par exemple 12."
            if entier
            else "Saisissez un nombre positif ou nul, par exemple 12,5."
        ),
    }


def validation_date(debut: int = 2024, fin: int = 2028) -> dict[str, Any]:
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": dt.date(debut, 1, 1),
        "maximum": dt.date(fin, 12, 31),
        "error_title": "Date attendue",
        "error_message": f"Saisissez une date au format jj/mm/aaaa, entre {debut} et {fin}.",
    }


def validation_colonne(col: Colonne) -> dict[str, Any] | None:
    t = col.type
    if t is TypeColonne.DATE:
        # Registers hold older facts too (a vehicle bought in 2016, a computer in service since 2019).
        return validation_date(DATE_MIN.year, DATE_MAX.year)
    if t in (TypeColonne.ENTIER, TypeColonne.DECIMAL, TypeColonne.MONTANT):
        return validation_nombre(t is TypeColonne.ENTIER, None)
    if t is TypeColonne.ANNEE:
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": ANNEES[0],
            "maximum": ANNEES[-1],
            "error_title": "Année attendue",
            "error_message": f"Saisissez une année de la convention : {', '.join(map(str, ANNEES))}.",
        }
    if t is TypeColonne.CODE_ACTION:
        return validation_liste("LISTE_ACTIONS", "le code de l'action (F01.A1 … F16.A2)")
    if t is TypeColonne.SUGGESTION:
        return validation_liste(_nom_liste(col), col.entete.lower(), stricte=False)
    if t in (TypeColonne.LISTE, TypeColonne.OUI_NON):
        if sum(len(v) + 1 for v in col.valeurs) < 250:
            return validation_liste_inline(col.valeurs, col.entete.lower())
        return validation_liste(_nom_liste(col), col.entete.lower())
    return None


def _nom_liste(col: Colonne) -> str:
    return "LISTE_" + col.cle.upper()

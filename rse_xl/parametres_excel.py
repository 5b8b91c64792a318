"""The master's Paramètres sheet read by its defined names, as Python values (paths still as typed).

``rse_xl.excel`` re-exports every name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rse_xl.errors import EntreeError, RseXlError
from rse_xl.maitre import (
    NON,
    OUI,
    PARAM_ANNEE,
    PARAM_DATE_REFERENCE,
    PARAM_DOSSIER,
    PARAM_EXPORT_CSV,
    PARAM_RETOURS,
    PARAM_SYNTHESE,
    nom_parametre_fichier,
)

if TYPE_CHECKING:
    from rse_xl.referentiel import Convention

__all__ = ["Reglages", "lire_parametres"]


@dataclass
class Reglages:
    """What the Paramètres sheet says, as Python values (paths still as typed)."""

    annee: int | None = None
    date_reference: dt.date | None = None
    dossier: str | None = None
    fichiers: dict[str, str] = field(default_factory=dict)  # office code → path
    synthese: str | None = None
    export_csv: bool = False
    retours: str | None = None


def lire_parametres(livre: Any, conv: Convention, erreurs: list[str] | None = None) -> Reglages:
    """Read the settings of a master workbook by their defined names; bad values raise in French.

    With ``erreurs``, a bad value is added to it instead and its setting left empty (the diagnostic reads
    everything it can)."""

    def valeur(nom: str, facultatif: bool = False) -> Any:
        if facultatif and nom not in livre.names:
            return None  # a setting added after this master was written
        if nom not in livre.names:
            raise EntreeError(
                f"Le nom « {nom} » manque dans ce classeur : ce n'est pas un classeur maître rse-xl à jour. "
                "Écrivez-en un neuf avec « rse-xl maitre » et reportez-y vos paramètres."
            )
        return livre.names[nom].refers_to_range.value

    def lu(lire: Callable[[], Any], defaut: Any = None) -> Any:
        if erreurs is None:
            return lire()
        try:
            return lire()
        except RseXlError as exc:
            erreurs.append(str(exc))
            return defaut

    fichiers = lu(
        lambda: {o.code: t for o in conv.offices if (t := _texte(valeur(nom_parametre_fichier(o.code))))}, {}
    )
    return Reglages(
        annee=lu(lambda: _annee(valeur(PARAM_ANNEE), conv)),
        date_reference=lu(lambda: _date(valeur(PARAM_DATE_REFERENCE))),
        dossier=lu(lambda: _texte(valeur(PARAM_DOSSIER))),
        fichiers=fichiers,
        synthese=lu(lambda: _texte(valeur(PARAM_SYNTHESE))),
        export_csv=lu(lambda: _oui_non(valeur(PARAM_EXPORT_CSV)), False),
        retours=lu(lambda: _texte(valeur(PARAM_RETOURS, facultatif=True))),
    )


def _texte(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    texte = str(v).strip()
    return texte or None


def _annee(v: Any, conv: Convention) -> int | None:
    texte = _texte(v)
    if texte is None:
        return None
    if not texte.isdigit() or int(texte) not in conv.periode:
        periode = ", ".join(map(str, conv.periode))
        raise EntreeError(
            f"Année « {texte} » dans l'onglet Paramètres : choisissez {periode}, ou laissez vide."
        )
    return int(texte)


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    texte = _texte(v)
    if texte is None:
        return None
    for lire in (dt.date.fromisoformat, lambda t: dt.datetime.strptime(t, "%d/%m/%Y").date()):
        with contextlib.suppress(ValueError):
            return lire(texte)
    raise EntreeError(
        f"Date de référence « {texte} » dans l'onglet Paramètres : écrivez-la jj/mm/aaaa, ou laissez vide."
    )


def _oui_non(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    texte = (_texte(v) or NON).lower()
    if texte in (OUI, "o", "vrai", "true", "1"):
        return True
    if texte in (NON, "n", "faux", "false", "0"):
        return False
    raise EntreeError(f"Export CSV « {texte} » dans l'onglet Paramètres : choisissez « oui » ou « non ».")

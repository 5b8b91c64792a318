"""Tidy data exports (CSV for French Excel, Parquet for BI tools), shared with the summary's Données sheet.

The CSV is written for a French Excel opened by double-click: UTF-8 with a BOM (else accents break), ``;`` as
the separator and ``,`` as the decimal mark (Excel in French reads ``0,5`` as a number and ``0.5`` as text).
Text cells that Excel would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) get a
leading ``'`` as OWASP advises against CSV injection; numbers are written as numbers and never prefixed.
Parquet keeps native types (``Écartée`` is a boolean there, « Oui »/« Non » elsewhere).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rse_xl.errors import EntreeError, FichierError
from rse_xl.fichiers import NATURE_EXPORT, ecriture_atomique, raison

if TYPE_CHECKING:
    from rse_xl.consolidation import Consolidation

# (key of Consolidation.donnees(), French header) in the order of every output.
COLONNES_DONNEES: tuple[tuple[str, str], ...] = (
    ("office", "Office"),
    ("code_office", "Code office"),
    ("fiche", "Fiche"),
    ("action", "Action"),
    ("annee", "Année"),
    ("mesure", "Mesure"),
    ("valeur", "Valeur"),
    ("unite", "Unité"),
    ("statut", "Statut"),
    ("couverture", "Couverture"),
    ("origine", "Origine"),
    ("exclu", "Écartée"),
    ("fichier_source", "Fichier source"),
    ("cellule_source", "Cellule source"),
)

LIBELLES_MESURES = {
    "cible": "Cible",
    "realise": "Réalisé",
    "realise_saisi": "Réalisé saisi",
    "realise_registres": "Réalisé selon les registres",
    "numerateur": "Numérateur",
    "denominateur": "Dénominateur",
    "atteinte": "Atteinte",
    "evolution": "Évolution",
}

DEBUTS_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def libelle_mesure(mesure: str) -> str:
    """French label of a measure key of ``donnees()`` (``detail:avant_G`` → ``Détail : avant_G``)."""
    if mesure.startswith("detail:"):
        return "Détail : " + mesure.split(":", 1)[1]
    return LIBELLES_MESURES.get(mesure, mesure)


def lignes_donnees(conso: Consolidation) -> list[dict[str, Any]]:
    """``conso.donnees()`` with French headers and labels, native types (numbers stay numbers)."""
    return [
        {
            titre: libelle_mesure(ligne[cle]) if cle == "mesure" else ligne[cle]
            for cle, titre in COLONNES_DONNEES
        }
        for ligne in conso.donnees()
    ]


def neutraliser(texte: str) -> str:
    """A text that a spreadsheet would run as a formula, prefixed with ``'`` (OWASP CSV injection)."""
    return "'" + texte if texte.startswith(DEBUTS_FORMULE) else texte


def _cellule_csv(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if isinstance(valeur, int):
        return str(valeur)
    if isinstance(valeur, float):
        texte = format(valeur, ".15g")  # 15 significant digits: what Excel itself keeps
        return texte.replace(".", ",")
    return neutraliser(str(valeur))


# Optional packages of each export format, and the pip extra that installs them (pyproject.toml).
DEPENDANCES_FORMAT: dict[str, tuple[tuple[str, ...], str]] = {
    "parquet": (("pandas", "pyarrow"), "tables"),
}


def verifier_format(format: str) -> None:
    """Raise before any work when the export format is unknown or its optional packages are missing."""
    import importlib.util

    if format not in ("csv", "parquet"):
        raise EntreeError(f"Format d'export inconnu : « {format} ». Formats possibles : csv, parquet.")
    modules, extra = DEPENDANCES_FORMAT.get(format, ((), ""))
    absents = [m for m in modules if importlib.util.find_spec(m) is None]
    if absents:
        raise EntreeError(
            f"L'export {format} a besoin de {' et '.join(absents)}, absent(s) de cet environnement Python : "
            f'installez-les avec pip install "rse-xl[{extra}]" puis relancez (rien n\'a été écrit).'
        )


def exporter_donnees(
    conso: Consolidation, chemin: Path, format: Literal["csv", "parquet"], *, ecraser: bool = False
) -> Path:
    """Write the tidy data as CSV (French Excel) or Parquet (pandas/pyarrow), atomically; return the path."""
    verifier_format(format)
    chemin = Path(chemin)
    if chemin.is_dir():
        raise FichierError(f"« {chemin} » est un dossier : indiquez un nom de fichier pour l'export.")
    lignes = lignes_donnees(conso)
    try:
        with ecriture_atomique(
            chemin, nature=NATURE_EXPORT, entrees=[f.chemin for f in conso.fichiers], ecraser=ecraser
        ) as tmp:
            if format == "csv":
                with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                    w = csv.writer(f, delimiter=";", lineterminator="\r\n")
                    w.writerow([titre for _, titre in COLONNES_DONNEES])
                    for ligne in lignes:
                        w.writerow([_cellule_csv(ligne[titre]) for _, titre in COLONNES_DONNEES])
            else:
                import pandas as pd  # only here: importing pandas costs a second at start-up

                colonnes = [titre for _, titre in COLONNES_DONNEES]
                df = pd.DataFrame(lignes, columns=colonnes)
                df["Année"] = df["Année"].astype("int64")
                df["Valeur"] = df["Valeur"].astype("float64")
                df["Écartée"] = df["Écartée"].astype("bool")
                df.to_parquet(tmp, index=False, engine="pyarrow")
    except OSError as exc:
        raise FichierError(f"Impossible d'écrire « {chemin} » : {raison(exc)}.") from exc
    return chemin

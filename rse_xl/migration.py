"""`rse-xl migrer`: an office's entries carried to the current template version.

The old workbook is read (every version rse-xl knows is readable), then written again by the writer of
``rse-xl modele`` for the same office, from what was read (``retours.saisie_depuis``): identity and
approval state, every fiche input, every register row at its row number, rows typed under a table, and
values that could not be interpreted, raw, as typed, so that a later fix is possible. What cannot be
carried (a sheet of the office's own, a column the template does not have, a formula typed in an input,
which is carried as its result) is listed in a French report and on a first sheet « Migration » of the new
workbook: nothing is dropped silently. The old file is only read.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rse_xl import conversion as cv
from rse_xl.errors import EntreeError
from rse_xl.fichiers import texte_chemin
from rse_xl.layout import (
    MODELE_VERSION,
    ONGLET_IDENTITE,
    ONGLET_LISEZ_MOI,
    ONGLET_LISTES,
    ONGLET_TECHNIQUE,
    REGISTRES,
)
from rse_xl.lecture import ClasseurLu, lire_classeur

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook

    from rse_xl.referentiel import Convention

__all__ = ["ONGLET_MIGRATION", "Migration", "Reste", "migrer", "nom_migre"]

ONGLET_MIGRATION = "Migration"


@dataclass(frozen=True)
class Reste:
    """One thing of the old workbook the new one does not hold as it was."""

    quoi: str
    detail: str


@dataclass
class Migration:
    source: Path
    chemin: Path
    office: str
    version_avant: int | None
    version: int
    restes: list[Reste] = field(default_factory=list)
    saisies: int = 0  # named inputs carried
    lignes: int = 0  # register rows carried


def nom_migre(ancien: Path) -> Path:
    """Beside the old workbook: ``RSE_2025-2027_BMH_v2.xlsx``."""
    return ancien.with_name(f"{ancien.stem}_v{MODELE_VERSION}.xlsx")


def migrer(
    ancien: Path,
    nouveau: Path | None = None,
    convention: Convention | None = None,
    *,
    ecraser: bool = False,
) -> Migration:
    """Write ``nouveau`` (by default ``nom_migre(ancien)``): the office's workbook of the current template,
    holding every entry of ``ancien``. Raises EntreeError (French) when ``ancien`` cannot be read."""
    from rse_xl.modele import ecrire_classeur
    from rse_xl.referentiel import referentiel
    from rse_xl.retours import ONGLET_RETOURS, saisie_depuis

    conv = convention or referentiel()
    ancien = Path(ancien)
    nouveau = Path(nouveau) if nouveau is not None else nom_migre(ancien)
    lu = lire_classeur(ancien, conv)
    if not lu.lisible:
        erreurs = [p.message for p in lu.problemes if p.gravite.value == "erreur"]
        raise EntreeError(
            f"« {texte_chemin(ancien.name)} » ne peut pas être migré : "
            + (erreurs[0] if erreurs else "ce n'est pas un classeur d'office rse-xl lisible.")
        )
    if lu.office is None:
        raise EntreeError(
            f"« {texte_chemin(ancien.name)} » ne peut pas être migré : l'office n'est pas indiqué (ou inconnu) "
            f"dans l'onglet « {ONGLET_IDENTITE} ». Choisissez-le dans la liste, enregistrez, puis relancez."
        )
    saisie = saisie_depuis(lu, conv, lu.problemes)
    migration = Migration(
        source=ancien,
        chemin=nouveau,
        office=lu.office.code,
        version_avant=lu.modele_version,
        version=MODELE_VERSION,
        restes=_restes(lu, conv, {ONGLET_RETOURS, ONGLET_MIGRATION}),
        saisies=sum(1 for v in saisie.valeurs.values() if not cv.est_vide(v)),
        lignes=sum(sum(1 for r in lignes if r) for lignes in saisie.registres.values()),
    )

    def avant(wb: Workbook) -> None:
        _onglet_migration(wb, migration)

    ecrire_classeur(nouveau, lu.office, saisie, conv, ecraser=ecraser, entrees=[ancien], avant=avant)
    return migration


def _restes(lu: ClasseurLu, conv: Convention, nos_onglets: set[str]) -> list[Reste]:
    """What the new workbook cannot hold as the old one did (read again from the old file)."""
    import python_calamine as pc

    restes: list[Reste] = []
    modele = {ONGLET_LISEZ_MOI, ONGLET_IDENTITE, ONGLET_LISTES, ONGLET_TECHNIQUE, *nos_onglets}
    modele |= {f.onglet for f in conv.fiches} | {spec.onglet for spec in REGISTRES.values()}
    modele |= {v.onglet for v in lu.saisies.values()}  # fiche sheets renamed by the office: found by names
    try:
        with open(lu.chemin, "rb") as f:
            wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(f.read()), load_tables=True)
    except Exception:  # read a moment ago; if not now, what was read is carried and nothing more is known
        return [Reste("Classeur", "relu impossible : onglets et colonnes en plus non vérifiés")]
    for nom in wb.sheet_names:
        if nom not in modele:
            restes.append(
                Reste(
                    f"Onglet « {nom} »",
                    "onglet ajouté par l'office, absent du modèle : non repris ; recopiez-le à la main si besoin",
                )
            )
    tables = {t: spec for spec in REGISTRES.values() for t in (spec.table,)}
    for nom_table in wb.table_names or []:
        spec = tables.get(nom_table)
        if spec is None:
            continue
        attendues = {cv.cle_liste(c.entete) for c in spec.colonnes}
        for entete in wb.get_table_by_name(nom_table).columns:
            if cv.cle_liste(str(entete)) not in attendues:
                restes.append(
                    Reste(
                        f"Colonne « {entete} » de « {spec.onglet} »",
                        "colonne absente du modèle : ses valeurs ne sont pas reprises",
                    )
                )
    for p in lu.problemes:
        if p.code in ("formule-en-saisie", "formules-registre"):
            restes.append(
                Reste(
                    f"Formule en {p.onglet}!{p.cellule}",
                    "reprise comme sa valeur (le résultat calculé), pas comme formule",
                )
            )
    return restes


def _onglet_migration(wb: Workbook, m: Migration) -> None:
    ws = wb.add_worksheet(ONGLET_MIGRATION)
    titre = wb.add_format({"bold": True, "font_size": 16, "font_color": "#1F4E79"})
    gras = wb.add_format({"bold": True})
    entete = wb.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF", "border": 1})
    texte = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 90)
    ws.write_string(0, 0, "Migration vers le modèle actuel", titre)
    infos: list[tuple[str, Any]] = [
        ("Classeur d'origine", texte_chemin(m.source.name)),
        ("Version du modèle", f"{m.version_avant} → {m.version}"),
        ("Migré le", f"{dt.datetime.now():%d/%m/%Y à %H:%M}"),
        ("Saisies reprises", f"{m.saisies} case(s) nommée(s), {m.lignes} ligne(s) de registre"),
    ]
    for i, (cle, valeur) in enumerate(infos, start=2):
        ws.write_string(i, 0, cle, gras)
        ws.write_string(i, 1, str(valeur))
    ws.write_string(
        7,
        0,
        "Les valeurs sont reprises telles que tapées, y compris celles que rse-xl n'a pas pu interpréter (à "
        "corriger ensuite). Vérifiez ci-dessous ce qui n'a pas pu être repris, puis supprimez cet onglet si "
        "vous le souhaitez : il est ignoré à la lecture.",
    )
    ws.write_string(9, 0, "Non repris tel quel", entete)
    ws.write_string(9, 1, "Pourquoi", entete)
    if not m.restes:
        ws.write_string(10, 0, "Rien : tout a été repris.", texte)
        ws.write_blank(10, 1, None, texte)
    for i, reste in enumerate(m.restes, start=10):
        ws.write_string(i, 0, reste.quoi, texte)
        ws.write_string(i, 1, reste.detail, texte)

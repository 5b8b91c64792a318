"""Deliberate problems (ANOMALIES_DEMO, anomalies.yaml) and the « campagne incomplète » (incomplet.yaml).

The campaign as it looks before the deadline: one office late, a fiche sheet renamed, rows typed under a
table in LibreOffice, and a DPE class changed by the 2026 method alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rse_xl.demo.contexte import Ligne
from rse_xl.demo.donnees import (
    COMMENTAIRE_ECART_JOURNAL,
    COMMENTAIRE_FORMULE,
    COMMENTAIRE_PLUS,
    OFFICE_EN_RETARD,
    OPERATION_METHODE_SEULE,
)
from rse_xl.layout import Champ, champs_action, nom_defini
from rse_xl.referentiel import ANNEES, Convention, Registre


def _nom(conv: Convention, code: str, annee: int, champ: Champ) -> str:
    action = next(a for f in conv.fiches for a in f.actions if a.code == code)
    return nom_defini(action, annee, champ)


def anomalies_registres(code: str, registres: dict[Registre, list[Ligne]]) -> None:
    """Register anomalies of ANOMALIES_DEMO; applied before the indicators are computed."""
    if code == "ARC":
        for r in registres[Registre.JOURNAL]:
            if r["action"] == "F04.A2" and r["date"].year == 2026:
                r["public"] = None
                break
    elif code == "NMH":
        for r in registres[Registre.OPERATIONS]:
            livraison = r["date_livraison"]
            if r["type"] == "Réhabilitation" and livraison is not None and livraison.year == 2026:
                r["dpe_apres"] = None
                r["methode_apres"] = None
                break


def anomalies_fiches(conv: Convention, code: str, valeurs: dict[str, Any], annee_courante: int) -> None:
    """Fiche anomalies of ANOMALIES_DEMO; years after annee_courante are left alone."""
    if code == "ARC" and annee_courante >= 2026:
        valeurs[_nom(conv, "F07.A1", 2026, Champ.COMMENTAIRE)] = COMMENTAIRE_FORMULE
    elif code == "BMH":
        if annee_courante >= 2026:
            realise = _nom(conv, "F01.A1", 2026, Champ.REALISE)
            valeurs[realise] = valeurs.get(realise, 0) + 2
            valeurs[_nom(conv, "F01.A1", 2026, Champ.COMMENTAIRE)] = COMMENTAIRE_ECART_JOURNAL
        valeurs[_nom(conv, "F09.A1", 2025, Champ.COMMENTAIRE)] = COMMENTAIRE_PLUS
    elif code == "NMH" and annee_courante >= 2025:
        valeurs[_nom(conv, "F07.A2", 2025, Champ.ETAPE)] = "Réalisé"
        valeurs.pop(_nom(conv, "F07.A2", 2025, Champ.JUSTIFICATIF), None)


# --- « Campagne incomplète » ---------------------------------------------------------------------------------


def _de_l_annee_ou_apres(ligne: Ligne, annee: int) -> bool:
    """Does a register row hold a date (or a year) of ``annee`` or later?"""
    for v in ligne.values():
        if isinstance(v, dt.date) and v.year >= annee:
            return True
    return isinstance(ligne.get("annee"), int) and ligne["annee"] >= annee


def incomplet_registres(code: str, registres: dict[Registre, list[Ligne]], annee_courante: int) -> None:
    if code == OFFICE_EN_RETARD:
        for registre, lignes in registres.items():
            registres[registre] = [r for r in lignes if not _de_l_annee_ou_apres(r, annee_courante)]
    elif code == "ARC":
        registres[Registre.OPERATIONS].append(dict(OPERATION_METHODE_SEULE))


def incomplet_fiches(conv: Convention, code: str, valeurs: dict[str, Any], annee_courante: int) -> None:
    if code != OFFICE_EN_RETARD:
        return
    for fiche in conv.fiches:
        for action in fiche.actions:
            for annee in ANNEES:
                if annee >= annee_courante:
                    for champ in champs_action(action):
                        valeurs.pop(nom_defini(action, annee, champ), None)
    valeurs["ID_ETAT"] = "Brouillon"


def renommer_onglet(chemin: Path, ancien: str, nouveau: str) -> None:
    """Rename a sheet of a written workbook as Excel does: its name, and every reference to it (defined names,
    links), nothing else. For demos and tests of what staff do to their workbook."""
    import zipfile

    from rse_xl.fichiers import ecriture_atomique

    def xml(texte: str) -> str:
        return texte.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    def cite(nom: str) -> str:
        return xml("'" + nom.replace("'", "''") + "'!")

    remplacements = tuple(
        (a.encode(), b.encode())
        for a, b in (
            (f'name="{xml(ancien)}"', f'name="{xml(nouveau)}"'),
            (cite(ancien), cite(nouveau)),
            (f"<vt:lpstr>{xml(ancien)}</vt:lpstr>", f"<vt:lpstr>{xml(nouveau)}</vt:lpstr>"),
        )
    )
    with zipfile.ZipFile(chemin) as z:
        parties = [(info, z.read(info)) for info in z.infolist()]
    with ecriture_atomique(Path(chemin)) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as sortie:
        for info, contenu in parties:
            if info.filename.endswith((".xml", ".rels")):
                for a, b in remplacements:
                    contenu = contenu.replace(a, b)
            sortie.writestr(info, contenu)

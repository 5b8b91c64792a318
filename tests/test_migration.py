"""`rse-xl migrer` and template version 2: a version-1 workbook carried to the current template, nothing lost.

The fixture ``tests/donnees/v1/RSE_2025-2027_BMH_v1.xlsx`` is BMH's demo workbook as the version-1 template
wrote it (before the « Registres tenus » answers of version 2): it must stay readable, and migrate.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import warnings
from pathlib import Path

import pytest
from test_retours import lu_en_clair

from rse_xl.cli import main
from rse_xl.consolidation import consolider
from rse_xl.layout import MODELE_VERSION, nom_registre_tenu
from rse_xl.lecture import lire_classeur
from rse_xl.migration import ONGLET_MIGRATION, migrer
from rse_xl.modele import Saisie, ecrire_classeur, trouver_office
from rse_xl.referentiel import Registre, referentiel

CONV = referentiel()
RACINE = Path(__file__).resolve().parent.parent
V1 = RACINE / "tests" / "donnees" / "v1" / "RSE_2025-2027_BMH_v1.xlsx"
JOUR = dt.date(2026, 11, 30)
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}


def test_la_version_1_se_lit_et_dit_de_migrer() -> None:
    lu = lire_classeur(V1)
    assert lu.lisible and lu.modele_version == 1 and MODELE_VERSION == 2
    (conseil,) = [p for p in lu.problemes if p.code == "modele-a-migrer"]
    assert f"rse-xl migrer {V1.name}" in conseil.message
    assert conseil.gravite.value == "avertissement"


def test_migrer_la_version_1(tmp_path: Path) -> None:
    """Read back, the migrated workbook holds every value of the version-1 one, at the same cells."""
    ancien = tmp_path / V1.name
    shutil.copy(V1, ancien)
    octets = ancien.read_bytes()
    m = migrer(ancien, tmp_path / "nouveau.xlsx", CONV)
    assert ancien.read_bytes() == octets
    nouveau = lire_classeur(m.chemin)
    assert (m.version_avant, m.version, nouveau.modele_version) == (1, 2, 2)
    assert m.restes == []
    assert lu_en_clair(nouveau) == lu_en_clair(lire_classeur(ancien))


def test_consolider_les_migres_donne_les_memes_donnees(tmp_path: Path) -> None:
    """Consolidating the migrated workbook with the others gives the same figures as the original."""
    autres = [RACINE / "workbooks" / f"RSE_2025-2027_{c}.xlsx" for c in ("ARC", "NMH")]
    m = migrer(V1, tmp_path / "BMH.xlsx", CONV)

    def chiffres(chemins: list[Path]) -> list[tuple]:
        conso = consolider(chemins, annee=2026, aujourdhui=JOUR)
        return sorted(
            (r.office, r.action, r.annee, r.realise, r.cible, r.statut, r.numerateur, r.denominateur)
            for r in conso.resultats
        )

    assert chiffres([*autres, m.chemin]) == chiffres([*autres, V1])


def test_ce_qui_n_est_pas_repris_est_dit(tmp_path: Path) -> None:
    """A sheet of the office's own and a column added to a register are listed, in the report and on the
    Migration sheet of the new workbook; the rest is carried."""
    import openpyxl
    from openpyxl.worksheet.table import TableColumn

    ancien = tmp_path / "bmh_modifie.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(V1)
        wb.create_sheet("Mes notes")["A1"] = "Relancer le service achats"
        ws = wb["Marchés"]
        table = ws.tables["tMarches"]
        debut, fin = table.ref.split(":")
        colonne = openpyxl.utils.get_column_letter(
            openpyxl.utils.column_index_from_string(fin.rstrip("0123456789")) + 1
        )
        table.ref = f"{debut}:{colonne}{fin.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}"
        table.tableColumns.append(TableColumn(id=len(table.tableColumns) + 1, name="Suivi interne"))
        ws[f"{colonne}4"] = "Suivi interne"
        wb.save(ancien)
    m = migrer(ancien, tmp_path / "nouveau.xlsx", CONV)
    quoi = sorted(r.quoi for r in m.restes)
    assert quoi == ["Colonne « Suivi interne » de « Marchés »", "Onglet « Mes notes »"]
    wb = openpyxl.load_workbook(m.chemin, read_only=True)
    assert wb.sheetnames[0] == ONGLET_MIGRATION
    textes = [c for ligne in wb[ONGLET_MIGRATION].iter_rows(values_only=True) for c in ligne if c]
    assert "Onglet « Mes notes »" in textes and "Colonne « Suivi interne » de « Marchés »" in textes


def test_registres_tenus_version_2(tmp_path: Path) -> None:
    """Version 2: « Non » keeps the typed value though rows are dated in the year; « Oui » makes the figure
    from the register even with no row (a real zero, not the typed value)."""
    office = trouver_office(CONV, "BMH")
    journal = [
        {
            "date": dt.date(2026, 3, 12),
            "action": "F01.A1",
            "intitule": "Atelier eau",
            "type": "Atelier",
            "public": "Locataires",
            "participants": 12,
            "lien": "https://exemple.invalid/a",
        },
    ]
    f01 = ACTIONS["F01.A1"]
    valeurs = {
        "ID_OFFICE": office.nom,
        f"{f01.nom_defini}_2026_REALISE": 5,
        f"{f01.nom_defini}_2026_CIBLE": 4,
        nom_registre_tenu(Registre.JOURNAL, 2026): "Non",
    }
    chemin = tmp_path / "bmh.xlsx"
    ecrire_classeur(chemin, office, Saisie(valeurs=valeurs, registres={Registre.JOURNAL: journal}))
    conso = consolider([chemin], annee=2026, aujourdhui=JOUR)
    r = conso.resultat("BMH", "F01.A1", 2026)
    assert r is not None and r.realise == 5  # typed: the journal is declared not kept
    assert "déclaré non tenu" in (r.motif or "")
    valeurs[nom_registre_tenu(Registre.JOURNAL, 2026)] = "Oui"
    ecrire_classeur(chemin, office, Saisie(valeurs=valeurs, registres={Registre.JOURNAL: []}), ecraser=True)
    r = consolider([chemin], annee=2026, aujourdhui=JOUR).resultat("BMH", "F01.A1", 2026)
    assert r is not None and r.realise == 0  # kept, and nothing in it: zero, not the typed 5


def test_commande_dossier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The folder form migrates each workbook into -o DOSSIER; a file that is no workbook is one line."""
    entrees = tmp_path / "anciens"
    entrees.mkdir()
    shutil.copy(V1, entrees / V1.name)
    (entrees / "notes.xlsx").write_text("pas un classeur", encoding="utf-8")
    code = main(["migrer", str(entrees), "-o", str(tmp_path / "migres"), "--json"])
    sortie, _ = capsys.readouterr()
    resultat = json.loads(sortie)
    assert code == 1  # one file could not be migrated
    ((migre,),) = [resultat["migres"]]
    assert migre["version_avant"] == 1 and migre["version"] == 2 and migre["non_repris"] == []
    assert Path(migre["classeur"]).name == "RSE_2025-2027_BMH_v1_v2.xlsx"
    assert [Path(e["source"]).name for e in resultat["echecs"]] == ["notes.xlsx"]
    # Onto the old file itself: refused, the original is never replaced.
    code = main(["migrer", str(entrees / V1.name), "-o", str(entrees / V1.name)])
    assert code == 2

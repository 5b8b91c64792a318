"""Batch mode: many offices declared in a settings file, a folder tree of workbooks, parallel reading."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from rse_xl.cli import main
from rse_xl.consolidation import consolider
from rse_xl.demo import ecrire_demo
from rse_xl.errors import EntreeError
from rse_xl.fichiers import collecter_classeurs
from rse_xl.referentiel import Convention, Office, charger_parametres, referentiel
from rse_xl.validation import valider, valider_lot

AUJOURDHUI = dt.date(2026, 11, 30)

REGLAGES = """\
# Offices beyond the three of the convention
offices:
  - code: QUB
    nom: Quimper Bretagne Occidentale Habitat
  - {code: RHE, nom: Rennes Habitat Est}
  - {code: LOH, nom: Lorient Habitat}
  - {code: SMH, nom: Saint-Malo Habitat}
  - {code: VAH, nom: Vannes Agglo Habitat}
parametres:
  seuil_marches_ht: 90000
  seuils_statut:
    en_bonne_voie: 0.75
"""


@pytest.fixture(scope="module")
def lot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Convention]:
    """A settings file with 5 extra offices and a folder tree of 8 workbooks, one of them corrupt."""
    racine = tmp_path_factory.mktemp("lot")
    reglages = racine / "offices.yaml"
    reglages.write_text(REGLAGES, encoding="utf-8")
    conv = charger_parametres(reglages)
    dossier = racine / "classeurs"
    ecrire_demo(dossier / "convention", graine=5, echelle=0.3)
    ecrire_demo(dossier / "federation" / "bretagne", graine=6, echelle=0.3, offices=conv.offices[3:7])
    # A workbook cut short in transfer: a zip archive without its end.
    entier = (dossier / "convention" / "RSE_2025-2027_BMH.xlsx").read_bytes()
    (dossier / "federation" / "RSE_2025-2027_VAH.xlsx").write_bytes(entier[: len(entier) // 2])
    return reglages, dossier, conv


def test_reglages_ajoutent_offices_et_parametres(lot: tuple[Path, Path, Convention]) -> None:
    _, _, conv = lot
    assert [o.code for o in conv.offices] == ["ARC", "BMH", "NMH", "QUB", "RHE", "LOH", "SMH", "VAH"]
    assert conv.offices[:3] == referentiel().offices  # the convention's three stay, first
    assert conv.parametres.seuil_marches_ht == 90000
    assert conv.parametres.seuils_statut.en_bonne_voie == 0.75
    assert conv.parametres.seuils_statut.atteint == 1.0  # not named: the référentiel's
    assert conv.fiches == referentiel().fiches
    assert referentiel().offices == [o for o in conv.offices if o.code in ("ARC", "BMH", "NMH")]
    assert len(referentiel().offices) == 3  # the shipped référentiel is left alone


def test_lot_en_parallele_comme_en_serie(lot: tuple[Path, Path, Convention]) -> None:
    _, dossier, conv = lot
    chemins = collecter_classeurs([dossier])
    assert len(chemins) == 8
    vus: list[Path] = []
    serie = consolider(chemins, aujourdhui=AUJOURDHUI, convention=conv, workers=1)
    parallele = consolider(chemins, aujourdhui=AUJOURDHUI, convention=conv, workers=2, progression=vus.append)
    assert vus == chemins  # once per file, in order, on the calling thread
    assert parallele.donnees() == serie.donnees()
    assert parallele.rapport.en_dict() == serie.rapport.en_dict()
    assert [f.__dict__ for f in parallele.fichiers] == [f.__dict__ for f in serie.fichiers]
    # The corrupt file is reported; the seven others are consolidated, offices in the settings' order.
    assert [o.code for o in parallele.offices] == ["ARC", "BMH", "NMH", "QUB", "RHE", "LOH", "SMH"]
    (corrompu,) = [f for f in parallele.fichiers if not f.retenu]
    assert corrompu.fichier == "RSE_2025-2027_VAH.xlsx" and corrompu.erreurs == 1
    assert [p.code for p in parallele.rapport.problemes if p.fichier == corrompu.chemin] == [
        "fichier-illisible"
    ]
    offices_inter = {r.offices for r in parallele.resultats if r.office == "INTER" and r.action == "F01.A1"}
    assert max(offices_inter) == 7


def _processus_courant(lu: object, convention: object, aujourdhui: object) -> int:
    return os.getpid()


def test_lot_lu_par_des_processus(
    lot: tuple[Path, Path, Convention], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of 4 files per worker with ``apres`` is read by worker processes, not by the caller after a
    pool that failed to start (the fallback would give the same figures, only slower: nothing else shows it);
    by as many processes as asked, not one per core."""
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    _, dossier, conv = lot
    chemins = collecter_classeurs([dossier])
    _, processus = valider_lot(chemins, conv, AUJOURDHUI, workers=2, apres=_processus_courant)
    assert len(processus) == 8 and os.getpid() not in processus and len(set(processus)) <= 2


def test_lot_sans_reglages_offices_inconnus(lot: tuple[Path, Path, Convention]) -> None:
    """Without the settings file, the extra offices are unknown: the default stays the three."""
    _, dossier, _ = lot
    v = valider(collecter_classeurs([dossier]), aujourdhui=AUJOURDHUI, workers=2)
    inconnus = [p for p in v.rapport.problemes if p.code == "office-inconnu"]
    assert len(inconnus) == 4
    assert {c.office_code for c in v.retenus} == {"ARC", "BMH", "NMH"}


def test_un_fichier_qui_plante_n_arrete_pas_les_autres(
    lot: tuple[Path, Path, Convention], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error of rse-xl on one file becomes a problem of that file, not the end of the batch."""
    import rse_xl.validation as validation

    _, dossier, conv = lot
    lire = validation.lire_classeur

    def lire_ou_planter(chemin: Path, convention: Convention | None = None):  # type: ignore[no-untyped-def]
        if Path(chemin).name == "RSE_2025-2027_QUB.xlsx":
            raise RuntimeError("panne simulée")
        return lire(chemin, convention)

    monkeypatch.setattr(validation, "lire_classeur", lire_ou_planter)
    conso = consolider(collecter_classeurs([dossier]), aujourdhui=AUJOURDHUI, convention=conv, workers=2)
    assert [o.code for o in conso.offices] == ["ARC", "BMH", "NMH", "RHE", "LOH", "SMH"]
    (panne,) = [p for p in conso.rapport.problemes if "panne simulée" in p.message]
    assert panne.code == "fichier-illisible" and panne.fichier.endswith("RSE_2025-2027_QUB.xlsx")


def test_un_worker_qui_meurt_n_arrete_pas_le_lot(
    lot: tuple[Path, Path, Convention], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process killed mid-batch (memory…): the files not yet done are read by the caller."""
    import rse_xl.validation as validation

    _, dossier, conv = lot
    parent = os.getpid()
    lire = validation.lire_classeur

    def lire_ou_mourir(chemin: Path, convention: Convention | None = None):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and Path(chemin).name == "RSE_2025-2027_RHE.xlsx":
            os._exit(9)
        return lire(chemin, convention)

    monkeypatch.setattr(validation, "lire_classeur", lire_ou_mourir)
    pools: list[object] = []
    processus = validation._processus
    monkeypatch.setattr(validation, "_processus", lambda *a: pools.append(processus(*a)) or pools[-1])
    chemins = collecter_classeurs([dossier])
    conso = consolider(chemins, aujourdhui=AUJOURDHUI, convention=conv, workers=2)
    assert pools and pools[0] is not None  # the batch did go to worker processes
    assert [o.code for o in conso.offices] == ["ARC", "BMH", "NMH", "QUB", "RHE", "LOH", "SMH"]
    serie = consolider(chemins, aujourdhui=AUJOURDHUI, convention=conv, workers=1)
    assert conso.donnees() == serie.donnees()


def test_cli_lot(
    lot: tuple[Path, Path, Convention], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reglages, dossier, _ = lot
    sortie = tmp_path / "synthese.xlsx"
    args = ["consolider", str(dossier), "--parametres", str(reglages), "--workers", "2"]
    code = main([*args, "-o", str(sortie), "--date-reference", "2026-11-30", "--json"])
    resume = json.loads(capsys.readouterr().out)
    assert code == 1  # the corrupt file is an error
    assert sortie.exists()
    assert resume["offices"] == ["ARC", "BMH", "NMH", "QUB", "RHE", "LOH", "SMH"]
    code = main(["valider", str(dossier), "--parametres", str(reglages), "--json"])
    rapport = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [p["code"] for p in rapport["problemes"] if p["gravite"] == "erreur"] == ["fichier-illisible"]


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (
            "offices:\n  - {code: qub, nom: Quimper}\n",
            "offices, n° 1, code : « qub » : un code d'office s'écrit en",
        ),
        ("offices:\n  - {code: QUIMPERH, nom: Quimper}\n", "2 à 6 lettres majuscules"),
        ("offices:\n  - {code: QUB}\n", "offices, n° 1, nom : champ obligatoire manquant"),
        ("offices:\n  - {code: QUB, nom: Q, ville: Quimper}\n", "offices, n° 1, ville : champ inconnu"),
        ("offices: QUB\n", "offices : « QUB » : une liste est attendue"),
        ("offices:\n  - {code: NO, nom: Norvège}\n", "YAML lit yes/no, on/off… comme vrai/faux"),
        ("office:\n  - {code: QUB, nom: Q}\n", "office : champ inconnu"),
        (
            "offices:\n  - {code: ARC, nom: Archipel Quimper}\n",
            "reprend le code « ARC » de l'office « Archipel habitat »",
        ),
        ("offices:\n  - {code: ARH, nom: ARCHIPEL  habitat}\n", "reprend le nom « ARCHIPEL  habitat »"),
        (
            "offices:\n  - {code: QUB, nom: Quimper}\n  - {code: QUB, nom: Autre}\n",
            "l'office « Autre » (QUB) reprend le code « QUB »",
        ),
        (
            "parametres:\n  seuil_marches_ht: beaucoup\n",
            "parametres, seuil_marches_ht : « beaucoup » : un nombre est attendu",
        ),
        ("parametres:\n  seuils_statut: {atteint: 0.5}\n", "il faut 0 < en_bonne_voie ≤ atteint"),
        ("parametres:\n  annee_reference: 2031\n", "2031 n'est pas une année de la convention"),
        ("offices:\n - code: QUB\n  nom: x\n", "YAML invalide ligne 3, colonne 3"),
        ("- QUB\n- RHE\n", "le fichier doit être une table avec les clés « offices » et/ou « parametres »"),
        ("", "vide : indiquez des « offices » et/ou des « parametres »"),
    ],
)
def test_reglages_invalides(tmp_path: Path, contenu: str, message: str) -> None:
    chemin = tmp_path / "offices.yaml"
    chemin.write_text(contenu, encoding="utf-8")
    with pytest.raises(EntreeError) as erreur:
        charger_parametres(chemin)
    assert str(erreur.value).startswith(f"Fichier de réglages « {chemin} »")
    assert message in str(erreur.value)


def test_reglages_introuvables_par_la_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["consolider", str(tmp_path), "--parametres", str(tmp_path / "absent.yaml")])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"Erreur : Fichier de réglages « {tmp_path / 'absent.yaml'} » introuvable")


def test_office_de_la_convention_repete_tel_quel(tmp_path: Path) -> None:
    """A settings file may list every office, the convention's included, as they are."""
    chemin = tmp_path / "offices.yaml"
    offices = [*referentiel().offices, Office(code="QUB", nom="Quimper")]
    chemin.write_text(
        "offices:\n" + "".join(f"  - {{code: {o.code}, nom: {o.nom}}}\n" for o in offices), encoding="utf-8"
    )
    assert charger_parametres(chemin).offices == offices

"""What an output may replace: never an input, an office's workbook, a read-only file or a stranger's file."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from rse_xl import fichiers
from rse_xl.cli import main
from rse_xl.errors import EntreeError, FichierError
from rse_xl.fichiers import (
    NATURE_MAITRE,
    NATURE_OFFICE,
    NATURE_SYNTHESE,
    collecter_classeurs,
    ecriture_atomique,
    lire_marque,
    nettoyer_temporaires,
)
from rse_xl.referentiel import charger_parametres

RACINE = Path(__file__).resolve().parent.parent
DEMO = RACINE / "workbooks"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    d = tmp_path / "offices"
    shutil.copytree(DEMO, d)
    return d


def _enregistre_par(chemin: Path, qui: str) -> None:
    """Rewrite ``chemin`` as Excel does on save: same parts, cp:lastModifiedBy set to the person."""
    tmp = chemin.with_suffix(".tmp.zip")
    with zipfile.ZipFile(chemin) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace(b"<cp:lastModifiedBy>rse-xl<", f"<cp:lastModifiedBy>{qui}<".encode())
            dst.writestr(info, data)
    os.replace(tmp, chemin)


def test_sortie_egale_a_une_entree_refusee(dossier: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arc = dossier / "RSE_2025-2027_ARC.xlsx"
    avant = _sha(arc)
    for _ in range(2):  # the second run used to overwrite the .bak: the office's file was gone
        assert main(["consolider", str(dossier), "-o", str(arc)]) == 2
    err = capsys.readouterr().err
    assert "est l'un des classeurs lus" in err
    assert _sha(arc) == avant
    assert not list(dossier.glob("*.bak.*"))


def test_sortie_qui_designe_une_entree_par_un_lien(dossier: Path, tmp_path: Path) -> None:
    arc = dossier / "RSE_2025-2027_ARC.xlsx"
    avant = _sha(arc)
    lien = tmp_path / "lien.xlsx"
    lien.symlink_to(arc)
    dur = tmp_path / "dur.xlsx"
    os.link(arc, dur)  # same inode, another name: only samefile sees it
    for cible in (lien, dur):
        assert main(["consolider", str(dossier), "-o", str(cible), "--ecraser"]) == 2
    assert _sha(arc) == avant


def test_classeur_d_office_rempli_jamais_remplace(dossier: Path, tmp_path: Path) -> None:
    """Even with --ecraser, and even when it is not among the inputs."""
    bmh = tmp_path / "bmh_de_marie.xlsx"
    shutil.copy(dossier / "RSE_2025-2027_BMH.xlsx", bmh)
    _enregistre_par(bmh, "Marie Durand")
    avant = _sha(bmh)
    autres = dossier / "sans_bmh"
    autres.mkdir()
    shutil.copy(dossier / "RSE_2025-2027_ARC.xlsx", autres)
    assert main(["consolider", str(autres), "-o", str(bmh), "--ecraser"]) == 2
    assert main(["modele", "--office", "BMH", "-o", str(bmh), "--ecraser"]) == 2
    assert _sha(bmh) == avant


def test_fichier_inconnu_demande_ecraser(dossier: Path, tmp_path: Path) -> None:
    autre = tmp_path / "budget.xlsx"
    autre.write_bytes(b"pas de rse-xl ici")
    assert main(["consolider", str(dossier), "-o", str(autre)]) == 2
    assert autre.read_bytes() == b"pas de rse-xl ici"
    assert main(["consolider", str(dossier), "-o", str(autre), "--ecraser"]) in (0, 1)
    assert lire_marque(autre).nature == NATURE_SYNTHESE
    assert (tmp_path / "budget.bak.xlsx").read_bytes() == b"pas de rse-xl ici"


def test_notre_synthese_est_remplacee_sans_option(dossier: Path, tmp_path: Path) -> None:
    sortie = tmp_path / "s.xlsx"
    assert main(["consolider", str(dossier), "-o", str(sortie)]) in (0, 1)
    _enregistre_par(sortie, "Le coordinateur")  # opened and saved in Excel: still our report
    assert main(["consolider", str(dossier), "-o", str(sortie)]) in (0, 1)
    assert lire_marque(sortie).intact


def test_sortie_en_lecture_seule_refusee(dossier: Path, tmp_path: Path) -> None:
    """Checked on the mode bits, so it holds as root too (CI), where writing would succeed."""
    sortie = tmp_path / "s.xlsx"
    assert main(["consolider", str(dossier), "-o", str(sortie)]) in (0, 1)
    sortie.chmod(0o444)
    avant = _sha(sortie)
    try:
        with pytest.raises(FichierError, match="lecture seule"):
            fichiers.verifier_cible(sortie, NATURE_SYNTHESE, ecraser=True)
        assert main(["consolider", str(dossier), "-o", str(sortie), "--ecraser"]) == 2
        assert _sha(sortie) == avant
    finally:
        sortie.chmod(0o644)


def test_maitre_enregistre_par_quelqu_un(tmp_path: Path) -> None:
    maitre = tmp_path / "maitre.xlsm"
    assert main(["maitre", "-o", str(maitre)]) == 0
    assert main(["maitre", "-o", str(maitre)]) == 0  # ours, nobody saved it: replaced
    _enregistre_par(maitre, "Coordinatrice")
    avant = _sha(maitre)
    assert main(["maitre", "-o", str(maitre)]) == 2
    assert _sha(maitre) == avant
    assert main(["maitre", "-o", str(maitre), "--ecraser"]) == 0
    assert lire_marque(maitre) == fichiers.Marque(NATURE_MAITRE, True)


def test_marques_des_sorties(dossier: Path, tmp_path: Path) -> None:
    assert lire_marque(dossier / "RSE_2025-2027_ARC.xlsx").nature == NATURE_OFFICE
    sortie = tmp_path / "s.xlsx"
    assert main(["consolider", str(dossier), "-o", str(sortie), "--export", "csv"]) in (0, 1)
    assert lire_marque(sortie) == fichiers.Marque(NATURE_SYNTHESE, True)
    assert lire_marque(tmp_path / "s.csv").nature == fichiers.NATURE_EXPORT
    bidon = tmp_path / "x.csv"
    bidon.write_text("a;b\n1;2\n", encoding="utf-8")
    assert lire_marque(bidon).nature is None
    # a CSV export is ours: written again without --ecraser; a stranger's CSV is not
    assert main(["consolider", str(dossier), "-o", str(sortie), "--export", "csv"]) in (0, 1)
    assert main(["consolider", str(dossier), "-o", str(tmp_path / "x.xlsx"), "--export", "csv"]) == 2
    assert bidon.read_text(encoding="utf-8") == "a;b\n1;2\n"


def test_temporaires_abandonnes_retires_et_jamais_lus(dossier: Path, tmp_path: Path) -> None:
    vieux = dossier / f"{fichiers.PREFIXE_TEMPORAIRE}synthese.abc123{fichiers.SUFFIXE_TEMPORAIRE}"
    ancien_format = dossier / ".synthese_RSE_2026.k2j4h5g6.xlsx"  # what a killed older rse-xl left
    recent = dossier / f"{fichiers.PREFIXE_TEMPORAIRE}autre.zzz999{fichiers.SUFFIXE_TEMPORAIRE}"
    for p in (vieux, ancien_format, recent):
        shutil.copy(dossier / "RSE_2025-2027_ARC.xlsx", p)
    il_y_a_une_heure = time.time() - 3600
    for p in (vieux, ancien_format):
        os.utime(p, (il_y_a_une_heure, il_y_a_une_heure))
    assert all(not fichiers.est_temporaire(p) for p in collecter_classeurs([dossier]))
    assert len(collecter_classeurs([dossier])) == 3
    with ecriture_atomique(dossier / "synthese.csv") as tmp:
        assert fichiers.est_temporaire(tmp)
        tmp.write_text("x", encoding="utf-8")
    assert not vieux.exists() and not ancien_format.exists()
    assert recent.exists()  # maybe another run writing right now: left alone
    assert nettoyer_temporaires(dossier, age=-1) == [recent]


def test_ecriture_interrompue_laisse_la_sortie_intacte(tmp_path: Path) -> None:
    sortie = tmp_path / "s.csv"
    with ecriture_atomique(sortie) as tmp:
        tmp.write_text("bon", encoding="utf-8")
    with pytest.raises(RuntimeError), ecriture_atomique(sortie, ecraser=True) as tmp:
        tmp.write_text("à moitié", encoding="utf-8")
        raise RuntimeError("coupure")
    assert sortie.read_text(encoding="utf-8") == "bon"
    assert [p.name for p in tmp_path.iterdir()] == ["s.csv"]


def test_modele_dans_un_dossier_ou_sous_un_mauvais_nom(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["modele", "--office", "NMH", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "RSE_2025-2027_NMH.xlsx").is_file()
    assert main(["modele", "--office", "NMH", "-o", str(tmp_path / "sortie.txt")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "sortie.txt").exists()


def test_reglages_alias_yaml_refuses(tmp_path: Path) -> None:
    p = tmp_path / "r.yaml"
    p.write_text("a: &x [1, 2]\nb: *x\n", encoding="utf-8")
    with pytest.raises(EntreeError, match="alias"):
        charger_parametres(p)
    bombe = ["a: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bombe += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    p.write_text("\n".join(bombe).replace("a: &a0", "a0: &a0"), encoding="utf-8")
    with pytest.raises(EntreeError, match="ancres et alias"):
        charger_parametres(p)  # 10^9 strings if expanded: refused before any is built


def test_reglages_dix_mille_offices_en_temps_lineaire(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The duplicate check looks each key up once: calls grow with the offices, not their square."""
    import itertools
    import string

    from rse_xl import conversion

    appels = 0
    vraie = conversion.cle_liste

    def comptee(texte: str) -> str:
        nonlocal appels
        appels += 1
        return vraie(texte)

    monkeypatch.setattr(conversion, "cle_liste", comptee)
    codes = ("".join(t) for t in itertools.product(string.ascii_uppercase, repeat=4))
    n = 2000
    lignes = ["offices:"] + [
        f"  - {{code: {c}, nom: Office {i}}}" for i, c in zip(range(n), codes, strict=False)
    ]
    p = tmp_path / "r.yaml"
    p.write_text("\n".join(lignes), encoding="utf-8")
    conv = charger_parametres(p)
    assert len(conv.offices) == n + 3
    assert appels <= 4 * (n + 3)


def test_reglages_erreurs_nombreuses_resumees(tmp_path: Path) -> None:
    lignes = ["offices:"] + [f"  - {{code: X{i}, nom: Office {i}}}" for i in range(500)]
    p = tmp_path / "r.yaml"
    p.write_text("\n".join(lignes), encoding="utf-8")
    with pytest.raises(EntreeError) as exc:
        charger_parametres(p)
    assert "et 490 autres erreurs" in str(exc.value)
    assert len(str(exc.value)) < 3000


def test_nos_sorties_parmi_les_entrees_ecartees(
    dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``rse-xl consolider .`` twice: the first summary is set aside in one line, not read as an office."""
    premier = main(["consolider", str(dossier), "-o", str(dossier / "synthese.xlsx"), "--export", "csv"])
    capsys.readouterr()
    assert main(["consolider", str(dossier), "-o", str(dossier / "synthese.xlsx")]) == premier
    out = capsys.readouterr().out
    assert (
        "Ignoré : " in out
        and "synthese.xlsx — c'est une synthèse rse-xl, pas le classeur d'un office." in out
    )
    assert "Office non identifié" not in out and "modele-inconnu" not in out
    maitre = tmp_path / "m.xlsm"
    assert main(["maitre", "-o", str(maitre)]) == 0
    capsys.readouterr()
    assert main(["valider", str(maitre)]) == 2
    captured = capsys.readouterr()
    assert "c'est un classeur maître rse-xl, pas le classeur d'un office." in captured.out
    assert "Aucun classeur d'office" in captured.err

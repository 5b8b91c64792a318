"""What an output may replace, which files are inputs, and the French words for file errors.

rse-xl recognises its own files by a marker (a custom document property, our CSV header, our Parquet
columns, our PDF author), refuses to replace anything else, and collects the office workbooks of a folder
without its lock files, backups and temporary files. Each case below is one a person meets: a summary run
twice, a master saved by someone, a workbook open in LibreOffice, a file of an older rse-xl.
"""

from __future__ import annotations

import errno
import hashlib
import os
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from rse_xl import fichiers
from rse_xl.errors import FichierError
from rse_xl.export import COLONNES_DONNEES
from rse_xl.fichiers import (
    AUTEUR,
    NATURE_EXPORT,
    NATURE_MAITRE,
    NATURE_OFFICE,
    NATURE_SYNTHESE,
    Marque,
    collecter_classeurs,
    ecarter_sorties,
    ecriture_atomique,
    empreinte,
    est_temporaire,
    lire_marque,
    nettoyer_temporaires,
    raison,
    texte_chemin,
    verifier_cible,
    verifier_non_ouvert,
)

ENTETE_CSV = ";".join(titre for _, titre in COLONNES_DONNEES)


def _custom(nom: str, valeur: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="{nom}">'
        f"<vt:lpwstr>{valeur}</vt:lpwstr></property></Properties>"
    )


def _core(modifie_par: str | None = AUTEUR, description: str | None = None, sujet: str | None = None) -> str:
    parties = []
    if sujet is not None:
        parties.append(f"<dc:subject>{sujet}</dc:subject>")
    if description is not None:
        parties.append(f"<dc:description>{description}</dc:description>")
    if modifie_par is not None:
        parties.append(f"<cp:lastModifiedBy>{modifie_par}</cp:lastModifiedBy>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">' + "".join(parties) + "</cp:coreProperties>"
    )


def _classeur(chemin: Path, parties: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(chemin, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for nom, contenu in parties.items():
            z.writestr(nom, contenu)
    return chemin


def _marque(tmp_path: Path, nature: str, modifie_par: str | None = AUTEUR) -> Path:
    return _classeur(
        tmp_path / f"{nature}.xlsx",
        {"docProps/custom.xml": _custom("rse-xl", nature), "docProps/core.xml": _core(modifie_par)},
    )


# --- the marker ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nature", [NATURE_SYNTHESE, NATURE_MAITRE, NATURE_OFFICE, NATURE_EXPORT])
def test_marque_lue_et_intacte(tmp_path: Path, nature: str) -> None:
    assert lire_marque(_marque(tmp_path, nature)) == Marque(nature, True)


@pytest.mark.parametrize("modifie_par", ["Marie Dupont", "rse-xl 2", None])
def test_marque_enregistree_depuis(tmp_path: Path, modifie_par: str | None) -> None:
    """Saved by Excel or LibreOffice since (lastModifiedBy changed or removed): not intact."""
    assert lire_marque(_marque(tmp_path, NATURE_MAITRE, modifie_par)) == Marque(NATURE_MAITRE, False)


def test_marque_espaces_autour_de_la_valeur(tmp_path: Path) -> None:
    """Excel may re-indent the XML: spaces around the value and between the tags do not matter."""
    custom = _custom("rse-xl", " synthese ").replace("<vt:lpwstr>", "\n  <vt:lpwstr>")
    core = _core().replace(f">{AUTEUR}<", f"> {AUTEUR}\n<")
    chemin = _classeur(tmp_path / "s.xlsx", {"docProps/custom.xml": custom, "docProps/core.xml": core})
    assert lire_marque(chemin) == Marque(NATURE_SYNTHESE, True)


def test_balise_avec_attributs(tmp_path: Path) -> None:
    """An attribute on the element (xml:lang…) does not hide its text; a longer name is not it."""
    core = _core(modifie_par=None).replace(
        "</cp:coreProperties>",
        f'<cp:lastModifiedByX>x</cp:lastModifiedByX><cp:lastModifiedBy xml:lang="fr">{AUTEUR}</cp:lastModifiedBy>'
        "</cp:coreProperties>",
    )
    chemin = _classeur(
        tmp_path / "m.xlsx",
        {"docProps/custom.xml": _custom("rse-xl", NATURE_MAITRE), "docProps/core.xml": core},
    )
    assert lire_marque(chemin) == Marque(NATURE_MAITRE, True)


def test_une_autre_propriete_n_est_pas_la_marque(tmp_path: Path) -> None:
    chemin = _classeur(
        tmp_path / "autre.xlsx",
        {"docProps/custom.xml": _custom("rse-xl-origine", "synthese"), "docProps/core.xml": _core()},
    )
    assert lire_marque(chemin) == Marque(None, False)


def test_classeur_sans_proprietes(tmp_path: Path) -> None:
    chemin = _classeur(tmp_path / "nu.xlsx", {"xl/workbook.xml": "<workbook/>"})
    assert lire_marque(chemin) == Marque(None, False)


@pytest.mark.parametrize(
    ("description", "sujet", "nature"),
    [
        ("rse-xl/classeur-office v1", None, NATURE_OFFICE),
        ("Classeur maître rse-xl 0.0.9", None, NATURE_MAITRE),
        ("rse-xl 0.0.9", "Synthèse de la convention RSE inter-offices", NATURE_SYNTHESE),
        # near misses: the text must start so, the subject must be exactly that
        ("Un classeur rse-xl/classeur-office", None, None),
        ("Un Classeur maître rse-xl", None, None),
        ("Synthèse rse-xl", "Synthèse de la convention RSE inter-offices", None),
        ("rse-xl 0.0.9", "Synthèse de la convention RSE inter-offices 2026", None),
        ("rse-xl 0.0.9", None, None),
    ],
)
def test_fichiers_d_une_ancienne_version(
    tmp_path: Path, description: str, sujet: str | None, nature: str | None
) -> None:
    """Before the marker, rse-xl wrote what a file is in its description and subject."""
    chemin = _classeur(
        tmp_path / "ancien.xlsx", {"docProps/core.xml": _core(description=description, sujet=sujet)}
    )
    assert lire_marque(chemin) == Marque(nature, nature is not None)


def test_ancien_classeur_d_office_reconnu_au_nom_defini(tmp_path: Path) -> None:
    """An old office workbook saved by Excel keeps the RSE_MODELE defined name even without properties."""
    classeur = (
        '<workbook><definedNames><definedName name="RSE_MODELE">x</definedName></definedNames></workbook>'
    )
    chemin = _classeur(
        tmp_path / "office.xlsx",
        {"xl/workbook.xml": classeur, "docProps/core.xml": _core("Jean Martin")},
    )
    assert lire_marque(chemin) == Marque(NATURE_OFFICE, False)


def test_le_nom_defini_ne_compte_pas_quand_la_marque_existe(tmp_path: Path) -> None:
    """A marked file is what its marker says, whatever its workbook part holds."""
    classeur = (
        '<workbook><definedNames><definedName name="RSE_MODELE">x</definedName></definedNames></workbook>'
    )
    chemin = _classeur(
        tmp_path / "maitre.xlsx",
        {
            "xl/workbook.xml": classeur,
            "docProps/custom.xml": _custom("rse-xl", NATURE_MAITRE),
            "docProps/core.xml": _core(),
        },
    )
    assert lire_marque(chemin) == Marque(NATURE_MAITRE, True)


def test_proprietes_demesurees_ignorees(tmp_path: Path) -> None:
    """A property part over 64 KiB is not read (a crafted file cannot make us read a huge part)."""
    grosse = _custom("rse-xl", NATURE_SYNTHESE).replace("</Properties>", " " * 70_000 + "</Properties>")
    chemin = _classeur(tmp_path / "gros.xlsx", {"docProps/custom.xml": grosse, "docProps/core.xml": _core()})
    assert lire_marque(chemin) == Marque(None, False)
    juste = _custom("rse-xl", NATURE_SYNTHESE)
    juste = juste.replace("</Properties>", " " * (65_536 - len(juste)) + "</Properties>")
    assert len(juste) == 65_536
    chemin = _classeur(tmp_path / "juste.xlsx", {"docProps/custom.xml": juste, "docProps/core.xml": _core()})
    assert lire_marque(chemin) == Marque(NATURE_SYNTHESE, True)


def test_marque_d_un_csv(tmp_path: Path) -> None:
    ok = tmp_path / "donnees.csv"
    ok.write_text(ENTETE_CSV + "\r\nARC;…\r\n", encoding="utf-8-sig")
    assert lire_marque(ok) == Marque(NATURE_EXPORT, True)
    sans_bom = tmp_path / "sans_bom.csv"
    sans_bom.write_text(ENTETE_CSV + "\n", encoding="utf-8")
    assert lire_marque(sans_bom) == Marque(NATURE_EXPORT, True)
    for nom, texte in {
        "colonne_en_plus.csv": ENTETE_CSV + ";Commentaire\n",
        "virgules.csv": ENTETE_CSV.replace(";", ",") + "\n",
        "deuxieme_ligne.csv": "Titre\n" + ENTETE_CSV + "\n",
        "vide.csv": "",
    }.items():
        autre = tmp_path / nom
        autre.write_text(texte, encoding="utf-8")
        assert lire_marque(autre) == Marque(None, False), nom


def test_marque_d_un_parquet(tmp_path: Path) -> None:
    colonnes = [titre for _, titre in COLONNES_DONNEES]
    pied = "".join(colonnes).encode("utf-8")
    ok = tmp_path / "d.parquet"
    ok.write_bytes(b"PAR1" + b"\0" * 100 + pied + b"PAR1")
    assert lire_marque(ok) == Marque(NATURE_EXPORT, True)
    # columns beyond the last 64 KiB are not looked for (the footer is at the end)
    loin = tmp_path / "loin.parquet"
    loin.write_bytes(b"PAR1" + pied + b"\0" * 70_000 + b"PAR1")
    assert lire_marque(loin) == Marque(None, False)
    manque = tmp_path / "manque.parquet"
    manque.write_bytes(b"PAR1" + "".join(colonnes[:-1]).encode() + b"PAR1")
    assert lire_marque(manque) == Marque(None, False)


def test_marque_d_un_pdf(tmp_path: Path) -> None:
    """LibreOffice writes the author into the PDF as text or as UTF-16 hex, at its start or its end."""
    texte = tmp_path / "texte.pdf"
    texte.write_bytes(b"%PDF-1.7\n/Author (rse-xl)\n" + b"x" * 100)
    assert lire_marque(texte) == Marque(NATURE_EXPORT, True)
    utf16 = tmp_path / "utf16.pdf"
    utf16.write_bytes(b"%PDF-1.7\n" + b"x" * 200_000 + b"/Author <FEFF007200730065002D0078006C>\n")
    assert lire_marque(utf16) == Marque(NATURE_EXPORT, True)
    minuscules = tmp_path / "min.pdf"
    minuscules.write_bytes(b"%PDF-1.7\n/Author <feff007200730065002d0078006c>\n")
    assert lire_marque(minuscules) == Marque(NATURE_EXPORT, True)
    milieu = tmp_path / "milieu.pdf"
    milieu.write_bytes(b"%PDF-1.7\n" + b"x" * 70_000 + b"rse-xl" + b"x" * 70_000)
    assert lire_marque(milieu) == Marque(None, False)
    autre = tmp_path / "autre.pdf"
    autre.write_bytes(b"%PDF-1.7\n/Author (Marie)\n")
    assert lire_marque(autre) == Marque(None, False)


def test_marque_d_un_fichier_casse_ou_absent(tmp_path: Path) -> None:
    casse = tmp_path / "casse.xlsx"
    casse.write_bytes(b"PK\x03\x04 pas un zip")
    assert lire_marque(casse) == Marque(None, False)
    assert lire_marque(tmp_path / "absent.xlsx") == Marque(None, False)
    assert lire_marque(tmp_path) == Marque(None, False)


def test_nos_sorties_ecartees_des_entrees(tmp_path: Path) -> None:
    """Summaries, masters and exports found among the inputs are set aside, each with what it is."""
    office = _marque(tmp_path, NATURE_OFFICE, "Marie")
    synthese = _marque(tmp_path, NATURE_SYNTHESE)
    maitre = _marque(tmp_path, NATURE_MAITRE, "Marie")
    export = _marque(tmp_path, NATURE_EXPORT)
    etranger = _classeur(tmp_path / "autre.xlsm", {"xl/workbook.xml": "<workbook/>"})
    # a marked file under another extension is not looked at: an office's .ods is its author's to re-save
    ods = tmp_path / "synthese.ods"
    ods.write_bytes(synthese.read_bytes())
    gardes, ecartes = ecarter_sorties([office, synthese, maitre, export, etranger, ods])
    assert gardes == [office, etranger, ods]
    assert ecartes == [
        (synthese, "une synthèse rse-xl"),
        (maitre, "un classeur maître rse-xl"),
        (export, "un export de données rse-xl"),
    ]
    majuscules = tmp_path / "SYNTHESE.XLSX"
    majuscules.write_bytes(synthese.read_bytes())
    assert ecarter_sorties([majuscules]) == ([], [(majuscules, "une synthèse rse-xl")])


# --- what an output may replace ----------------------------------------------------------------------------


def _refus(chemin: Path, nature: str | None, **options: object) -> str:
    with pytest.raises(FichierError) as exc:
        verifier_cible(chemin, nature, **options)  # type: ignore[arg-type]
    return str(exc.value)


def test_cible_absente_acceptee(tmp_path: Path) -> None:
    verifier_cible(tmp_path / "nouveau.xlsx", NATURE_SYNTHESE)
    verifier_cible(tmp_path / "sous" / "dossier" / "nouveau.xlsx", None)


def test_cible_qui_est_une_entree(tmp_path: Path) -> None:
    entree = _marque(tmp_path, NATURE_SYNTHESE)
    message = _refus(entree, NATURE_SYNTHESE, entrees=[tmp_path / "x.xlsx", str(entree)], ecraser=True)
    assert message == (
        f"« {entree} » est l'un des classeurs lus : la sortie le remplacerait. "
        "Choisissez un autre nom ou un autre dossier pour la sortie (option -o)."
    )
    lien = tmp_path / "lien.xlsx"
    lien.symlink_to(entree)
    assert "l'un des classeurs lus" in _refus(lien, NATURE_SYNTHESE, entrees=[entree])
    # an input that does not exist (any more) is compared by its path
    assert "l'un des classeurs lus" in _refus(
        tmp_path / "disparu.xlsx", None, entrees=[tmp_path / "." / "disparu.xlsx"]
    )
    verifier_cible(tmp_path / "autre.xlsx", None, entrees=[entree, tmp_path / "disparu.xlsx"])


def test_cible_dossier_ou_speciale(tmp_path: Path) -> None:
    assert _refus(tmp_path, None) == (
        f"« {tmp_path} » est un dossier : indiquez un nom de fichier pour la sortie."
    )
    tube = tmp_path / "tube.xlsx"
    os.mkfifo(tube)
    assert _refus(tube, None, ecraser=True) == (
        f"« {tube} » n'est pas un fichier ordinaire : choisissez un autre nom."
    )


def test_cible_lien_casse(tmp_path: Path) -> None:
    lien = tmp_path / "casse.xlsx"
    lien.symlink_to(tmp_path / "nulle-part.xlsx")
    assert _refus(lien, None).startswith(f"« {lien} » est inaccessible (aucun fichier à cet emplacement)")


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_cible_en_lecture_seule(tmp_path: Path, mode: int) -> None:
    """Mode bits, so that the refusal holds as root too."""
    chemin = _marque(tmp_path, NATURE_SYNTHESE)
    chemin.chmod(mode)
    try:
        assert _refus(chemin, NATURE_SYNTHESE, ecraser=True) == (
            f"« {chemin} » est en lecture seule : rse-xl ne le remplace pas. Choisissez un autre nom, "
            "ou retirez l'attribut lecture seule (Propriétés du fichier) si vous voulez vraiment le remplacer."
        )
    finally:
        chemin.chmod(0o644)


@pytest.mark.parametrize("mode", [0o644, 0o464, 0o446, 0o200])
def test_cible_avec_un_droit_d_ecriture(tmp_path: Path, mode: int) -> None:
    chemin = _marque(tmp_path, NATURE_SYNTHESE)
    chemin.chmod(mode)
    try:
        verifier_cible(chemin, NATURE_SYNTHESE)
    finally:
        chemin.chmod(0o644)


def test_cible_classeur_d_office_rempli(tmp_path: Path) -> None:
    rempli = _marque(tmp_path, NATURE_OFFICE, "Marie")
    message = _refus(rempli, NATURE_OFFICE, ecraser=True)
    assert message == (
        f"« {rempli} » est le classeur d'un office, rempli : rse-xl ne le remplace jamais. "
        "Choisissez un autre nom pour la sortie."
    )
    # a blank template nobody saved is ours to replace with another blank one
    (tmp_path / "vierge").mkdir()
    vierge = _marque(tmp_path / "vierge", NATURE_OFFICE)
    verifier_cible(vierge, NATURE_OFFICE)


@pytest.mark.parametrize(
    ("existant", "intact", "nature", "accepte"),
    [
        (NATURE_SYNTHESE, True, NATURE_SYNTHESE, True),
        (NATURE_SYNTHESE, False, NATURE_SYNTHESE, True),  # a summary opened and saved is still ours
        (NATURE_EXPORT, False, NATURE_EXPORT, True),
        (NATURE_EXPORT, False, None, True),
        (NATURE_MAITRE, True, NATURE_MAITRE, True),
        (NATURE_MAITRE, True, None, True),
        (NATURE_MAITRE, False, NATURE_MAITRE, False),  # someone's settings or results
        (NATURE_SYNTHESE, True, NATURE_MAITRE, False),  # another kind of output
        (NATURE_MAITRE, True, NATURE_SYNTHESE, False),
        (NATURE_OFFICE, True, NATURE_SYNTHESE, False),
    ],
)
def test_ce_qu_une_sortie_remplace(
    tmp_path: Path, existant: str, intact: bool, nature: str | None, accepte: bool
) -> None:
    chemin = _marque(tmp_path, existant, AUTEUR if intact else "Marie")
    if accepte:
        verifier_cible(chemin, nature)
    else:
        assert "ajoutez --ecraser" in _refus(chemin, nature)
    verifier_cible(chemin, nature, ecraser=True)  # --ecraser replaces all but a filled office workbook


def test_messages_de_refus_disent_ce_qu_est_le_fichier(tmp_path: Path) -> None:
    maitre = _marque(tmp_path, NATURE_MAITRE, "Marie")
    assert _refus(maitre, NATURE_MAITRE) == (
        f"« {maitre} » existe et c'est un classeur maître rse-xl enregistré depuis (réglages ou résultats "
        "de quelqu'un) : rse-xl ne le remplace pas. Choisissez un autre nom, ou ajoutez --ecraser pour le "
        "remplacer (l'ancien est gardé en .bak quand c'est un classeur)."
    )
    synthese = _marque(tmp_path, NATURE_SYNTHESE)
    assert _refus(synthese, NATURE_MAITRE).startswith(
        f"« {synthese} » existe et c'est une synthèse rse-xl : rse-xl ne le remplace pas."
    )
    # only a master saved since is « enregistré depuis »: a summary saved since is a summary
    (tmp_path / "autre").mkdir()
    enregistree = _marque(tmp_path / "autre", NATURE_SYNTHESE, "Marie")
    assert _refus(enregistree, NATURE_MAITRE).startswith(
        f"« {enregistree} » existe et c'est une synthèse rse-xl : rse-xl ne le remplace pas."
    )
    etranger = tmp_path / "notes.txt"
    etranger.write_text("mes notes", encoding="utf-8")
    assert _refus(etranger, None).startswith(
        f"« {etranger} » existe et c'est un fichier que rse-xl n'a pas écrit : rse-xl ne le remplace pas."
    )
    inconnue = _classeur(
        tmp_path / "futur.xlsx",
        {"docProps/custom.xml": _custom("rse-xl", "tableau-de-bord"), "docProps/core.xml": _core()},
    )
    assert _refus(inconnue, NATURE_SYNTHESE).startswith(
        f"« {inconnue} » existe et c'est un fichier rse-xl : rse-xl ne le remplace pas."
    )
    verifier_cible(inconnue, None)  # a marked file of a newer rse-xl, nobody saved: ours


@pytest.mark.parametrize(
    ("verrou", "programme"), [(".~lock.synthese.xlsx#", "LibreOffice"), ("~$synthese.xlsx", "Excel")]
)
def test_fichier_ouvert_dans_un_tableur(tmp_path: Path, verrou: str, programme: str) -> None:
    chemin = tmp_path / "synthese.xlsx"
    (tmp_path / verrou).write_bytes(b"")
    with pytest.raises(FichierError) as exc:
        verifier_non_ouvert(chemin)
    assert str(exc.value) == (
        f"Le fichier « {chemin} » est ouvert dans {programme} (verrou « {verrou} » à côté). "
        "Fermez-le puis relancez : rien n'a été perdu. S'il n'est ouvert nulle part, supprimez ce "
        "fichier de verrou, resté après un arrêt brutal."
    )
    with pytest.raises(FichierError):
        verifier_cible(chemin, NATURE_SYNTHESE)  # even when the file does not exist yet
    verifier_non_ouvert(tmp_path / "autre.xlsx")  # the lock names one file only


# --- atomic writes, temporary files -------------------------------------------------------------------------


def test_ecriture_atomique_garde_une_sauvegarde(tmp_path: Path) -> None:
    cible = _marque(tmp_path, NATURE_SYNTHESE)
    ancien = cible.read_bytes()
    with ecriture_atomique(cible, sauvegarde=True, nature=NATURE_SYNTHESE) as tmp:
        assert tmp.parent == tmp_path and est_temporaire(tmp)
        assert tmp.name.startswith(".~rse-xl.synthese.")
        tmp.write_bytes(b"nouveau")
    assert cible.read_bytes() == b"nouveau"
    assert (tmp_path / "synthese.bak.xlsx").read_bytes() == ancien
    assert [p.name for p in tmp_path.iterdir() if est_temporaire(p)] == []


def test_ecriture_atomique_sans_sauvegarde_ni_fichier_existant(tmp_path: Path) -> None:
    cible = tmp_path / "nouveau" / "export.csv"
    with ecriture_atomique(cible, sauvegarde=True) as tmp:
        tmp.write_text("a;b\n", encoding="utf-8")
    assert cible.read_text(encoding="utf-8") == "a;b\n"
    assert sorted(p.name for p in cible.parent.iterdir()) == ["export.csv"]
    # a new file gets the usual permissions of a new file, not mkstemp's private 0600
    masque = os.umask(0o022)
    os.umask(masque)
    assert cible.stat().st_mode & 0o777 == 0o666 & ~masque
    autre = tmp_path / "autre.csv"
    autre.write_text("x", encoding="utf-8")
    autre.chmod(0o640)
    with ecriture_atomique(autre, ecraser=True) as tmp:
        tmp.write_text("y", encoding="utf-8")
    assert autre.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions
    assert not (tmp_path / "autre.bak.csv").exists()


def test_ecriture_interrompue(tmp_path: Path) -> None:
    cible = _marque(tmp_path, NATURE_SYNTHESE)
    ancien = cible.read_bytes()
    with pytest.raises(RuntimeError), ecriture_atomique(cible, sauvegarde=True) as tmp:
        tmp.write_bytes(b"moitie")
        raise RuntimeError("interrompu")
    assert cible.read_bytes() == ancien
    assert sorted(p.name for p in tmp_path.iterdir()) == [cible.name]


def test_dossier_impossible_a_creer(tmp_path: Path) -> None:
    fichier = tmp_path / "fichier"
    fichier.write_text("x", encoding="utf-8")
    with pytest.raises(FichierError) as exc, ecriture_atomique(fichier / "sortie.xlsx"):
        pass
    assert str(exc.value).startswith(f"Impossible de créer le dossier « {fichier} » : ")


def test_remplacement_refuse_par_le_systeme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows a file open in Excel cannot be replaced: the French message says nothing was lost."""
    cible = tmp_path / "synthese.xlsx"

    def refuse(a: object, b: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fichiers.os, "replace", refuse)
    with pytest.raises(FichierError) as exc, ecriture_atomique(cible) as tmp:
        tmp.write_bytes(b"x")
    assert str(exc.value) == (
        f"Le fichier « {cible} » est ouvert ou verrouillé par un autre programme (Excel ?). "
        "Fermez-le puis relancez : rien n'a été perdu."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        (".~rse-xl.synthese.ab12cd.tmp", True),
        (".~rse-xl..tmp", True),
        (".~rse-xl.synthese.ab12cd.xlsx", False),
        ("~rse-xl.synthese.tmp", False),
        (".synthese_2026.a1b2c3d4.xlsx", True),  # before 0.1.0
        (".synthese_2026.a1b2c3d4.parquet", True),
        (".synthese_2026.a1b2c3d.xlsx", False),
        (".synthese_2026.A1B2C3D4.xlsx", False),
        (".synthese_2026.a1b2c3d4.xlsx.bak", False),
        ("synthese_2026.a1b2c3d4.xlsx", False),
        (".synthese.a1b2c3d4.ods", False),
    ],
)
def test_fichiers_temporaires_reconnus(nom: str, attendu: bool) -> None:
    assert est_temporaire(Path("/d") / nom) is attendu


def test_temporaires_abandonnes_retires(tmp_path: Path) -> None:
    vieux = tmp_path / ".~rse-xl.synthese.abc.tmp"
    recent = tmp_path / ".~rse-xl.synthese.def.tmp"
    ancien_style = tmp_path / ".synthese.a1b2c3d4.xlsx"
    a_nous_pas = tmp_path / ".config.tmp"
    dossier = tmp_path / ".~rse-xl.dossier.tmp"
    dossier.mkdir()
    for p in (vieux, recent, ancien_style, a_nous_pas):
        p.write_bytes(b"x")
    il_y_a = time.time() - 11 * 60
    for p in (vieux, ancien_style, a_nous_pas, dossier):
        os.utime(p, (il_y_a, il_y_a))
    assert sorted(nettoyer_temporaires(tmp_path)) == sorted([vieux, ancien_style])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([recent.name, a_nous_pas.name, dossier.name])
    # the age is a parameter; exactly at the limit is not yet abandoned
    os.utime(recent, (time.time() - 30, time.time() - 30))
    assert nettoyer_temporaires(tmp_path, age=3600) == []
    assert nettoyer_temporaires(tmp_path, age=5) == [recent]
    assert nettoyer_temporaires(tmp_path / "absent") == []


def test_temporaire_a_la_limite_d_age(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / ".~rse-xl.s.x.tmp"
    p.write_bytes(b"x")
    os.utime(p, (1_000_000.0, 1_000_000.0))
    monkeypatch.setattr(fichiers.time, "time", lambda: 1_000_000.0 + 600)
    assert nettoyer_temporaires(tmp_path) == []
    monkeypatch.setattr(fichiers.time, "time", lambda: 1_000_000.0 + 600.5)
    assert nettoyer_temporaires(tmp_path) == [p]


# --- inputs ---------------------------------------------------------------------------------------------------


def test_collecter_classeurs(tmp_path: Path) -> None:
    campagne = tmp_path / "campagne"
    (campagne / "2026" / "BMH").mkdir(parents=True)
    noms = [
        "RSE_ARC.xlsx",
        "RSE_NMH.XLSM",
        "2026/BMH/RSE_BMH.xlsx",
        "ancien.xls",
        "libre.ods",
        "notes.txt",
        "export.csv",
        "~$RSE_ARC.xlsx",
        ".~lock.RSE_ARC.xlsx#",
        ".cache.xlsx",
        "RSE_ARC.bak.xlsx",
        ".~rse-xl.RSE_ARC.ab.tmp",
    ]
    for nom in noms:
        (campagne / nom).write_bytes(b"x")
    (campagne / "dossier.xlsx").mkdir()
    seul = tmp_path / "seul.txt"
    seul.write_text("x", encoding="utf-8")
    trouves = collecter_classeurs([campagne, seul, campagne / "RSE_ARC.xlsx", tmp_path / "campagne" / "."])
    assert trouves == [
        campagne / "2026" / "BMH" / "RSE_BMH.xlsx",
        campagne / "RSE_ARC.xlsx",
        campagne / "RSE_NMH.XLSM",
        campagne / "ancien.xls",
        campagne / "libre.ods",
        seul,  # a file named is taken as it is; the reader says what it is
    ]
    with pytest.raises(FichierError) as exc:
        collecter_classeurs([campagne, tmp_path / "absent"])
    assert str(exc.value) == (
        f"« {tmp_path / 'absent'} » n'existe pas : vérifiez le chemin du fichier ou du dossier."
    )


def test_raisons_en_francais() -> None:
    assert raison(FileNotFoundError(errno.ENOENT, "No such file")) == "aucun fichier à cet emplacement"
    assert raison(PermissionError(errno.EACCES, "Permission denied")) == "accès refusé"
    assert raison(OSError(errno.ENOSPC, "No space")) == "disque plein"
    assert raison(OSError(errno.EROFS, "Read-only")) == "support en lecture seule"
    assert raison(OSError(errno.EBUSY, "Busy")) == "fichier occupé par un autre programme"
    assert raison(OSError(errno.EPERM, "Not permitted")) == "opération non permise"
    assert raison(OSError(errno.EISDIR, "Is a directory")) == "c'est un dossier, pas un fichier"
    assert raison(OSError(errno.EXDEV, "Cross-device link")) == "Cross-device link"
    assert raison(OSError("sans numéro")) == "sans numéro"


def test_texte_chemin_et_empreinte(tmp_path: Path) -> None:
    assert texte_chemin(Path("/campagne/Synthèse 2026.xlsx")) == "/campagne/Synthèse 2026.xlsx"
    assert texte_chemin("/c/caf\udce9.xlsx") == "/c/caf\ufffd.xlsx"
    gros = tmp_path / "gros.bin"
    gros.write_bytes(b"a" * (3 << 20) + b"b")
    assert empreinte(gros) == hashlib.sha256(gros.read_bytes()).hexdigest()


# --- what a demanding case adds: labels, big workbooks, bytes that are not UTF-8 -----------------------------

_NOM_MODELE = '<workbook><definedNames><definedName name="RSE_MODELE">x</definedName></definedNames>'


def test_ancien_classeur_d_office_avec_une_etiquette_de_confidentialite(tmp_path: Path) -> None:
    """An organisation's sensitivity label (or SharePoint's columns) adds custom properties, not ours: the
    office workbook of an older version is still known by its defined name, and never replaced."""
    etiquette = _custom("MSIP_Label_1234_Enabled", "true")
    chemin = _classeur(
        tmp_path / "RSE_ARC.xlsx",
        {
            "docProps/custom.xml": etiquette,
            "docProps/core.xml": _core("Marie"),
            "xl/workbook.xml": _NOM_MODELE + "</workbook>",
        },
    )
    assert lire_marque(chemin) == Marque(NATURE_OFFICE, False)
    assert "le classeur d'un office, rempli" in _refus(chemin, NATURE_SYNTHESE, ecraser=True)
    # custom properties too big to read do not hide the defined name either
    enorme = etiquette.replace("</Properties>", " " * 70_000 + "</Properties>")
    chemin = _classeur(
        tmp_path / "RSE_BMH.xlsx",
        {"docProps/custom.xml": enorme, "xl/workbook.xml": _NOM_MODELE + "</workbook>"},
    )
    assert lire_marque(chemin) == Marque(NATURE_OFFICE, False)


def test_partie_classeur_volumineuse(tmp_path: Path) -> None:
    """Excel's workbook part of our template passes 64 KiB (hundreds of defined names): read up to 8 MiB."""
    noms = "".join(f'<definedName name="RSE_F01_A1_{n}">x</definedName>' for n in range(3000))
    gros = _NOM_MODELE.replace("<definedNames>", "<definedNames>" + noms) + "</workbook>"
    assert len(gros) > 100_000
    chemin = _classeur(tmp_path / "gros.xlsx", {"xl/workbook.xml": gros})
    assert lire_marque(chemin) == Marque(NATURE_OFFICE, False)
    demesure = _NOM_MODELE + " " * (1 << 23) + "</workbook>"
    chemin = _classeur(tmp_path / "demesure.xlsx", {"xl/workbook.xml": demesure})
    assert lire_marque(chemin) == Marque(None, False)


def test_octets_qui_ne_sont_pas_de_l_utf8(tmp_path: Path) -> None:
    """A property or a first line in Latin-1 (a file from elsewhere) is read, never an error."""
    core = _core("Ren\xe9").encode("latin-1")
    custom = _custom("rse-xl", "synth\xe8se").encode("latin-1")
    chemin = _classeur(tmp_path / "latin1.xlsx", {"docProps/custom.xml": custom, "docProps/core.xml": core})
    assert lire_marque(chemin) == Marque("synth\ufffdse", False)
    csv = tmp_path / "latin1.csv"
    csv.write_bytes("Soci\xe9t\xe9;Ann\xe9e\n".encode("latin-1"))
    assert lire_marque(csv) == Marque(None, False)
    espace = tmp_path / "espace.csv"
    espace.write_text(ENTETE_CSV + " \n", encoding="utf-8")
    assert lire_marque(espace) == Marque(None, False)


def test_un_temporaire_qui_resiste_n_arrete_pas_le_nettoyage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resiste = tmp_path / ".~rse-xl.a.x.tmp"
    abandonne = tmp_path / ".~rse-xl.b.x.tmp"
    for p in (resiste, abandonne):
        p.write_bytes(b"x")
        os.utime(p, (1_000.0, 1_000.0))
    iterdir, lstat = Path.iterdir, Path.lstat

    def en_ordre(self: Path) -> Any:
        return iter(sorted(iterdir(self)))

    def lstat_refuse(self: Path) -> os.stat_result:
        if self.name == resiste.name:
            raise PermissionError(errno.EACCES, "Permission denied")
        return lstat(self)

    monkeypatch.setattr(Path, "iterdir", en_ordre)
    monkeypatch.setattr(Path, "lstat", lstat_refuse)
    assert nettoyer_temporaires(tmp_path) == [abandonne]
    assert resiste.exists()


def test_meme_fichier_quand_tout_echoue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def echoue(self: Path, strict: bool = False) -> Path:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(Path, "resolve", echoue)
    assert not fichiers._meme_fichier(tmp_path / "a.xlsx", tmp_path / "b.xlsx")

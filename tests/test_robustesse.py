"""Bad files become report entries, never crashes; validation never writes to an office workbook."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings

from rse_xl.cellules import depuis_a1
from rse_xl.fichiers import collecter_classeurs
from rse_xl.layout import REGISTRES
from rse_xl.lecture import lire_classeur
from rse_xl.modele import Formule, Plan, Saisie, ecrire_classeur, trouver_office
from rse_xl.referentiel import Registre, referentiel
from rse_xl.validation import valider
from rse_xl.vba.cfb import write_compound_file
from rse_xl.vba.project import Module, build_vba_project

CONV = referentiel()
AUJOURDHUI = dt.date(2026, 11, 30)


def codes(chemin: Path) -> list[str]:
    return [p.code for p in valider([chemin], CONV, AUJOURDHUI).rapport.problemes]


def test_zip_corrompu(copie_vierge: Path) -> None:
    donnees = copie_vierge.read_bytes()
    copie_vierge.write_bytes(donnees[: len(donnees) // 2])
    assert codes(copie_vierge) == ["fichier-illisible"]


def test_texte_renomme(tmp_path: Path) -> None:
    chemin = tmp_path / "notes.xlsx"
    chemin.write_text("Office;Réalisé\nBMH;12\n", encoding="utf-8")
    assert codes(chemin) == ["type-fichier-inconnu"]
    vide = tmp_path / "vide.xlsx"
    vide.write_bytes(b"")
    assert codes(vide) == ["type-fichier-inconnu"]


def test_ancien_xls(tmp_path: Path) -> None:
    chemin = tmp_path / "ancien.xls"
    chemin.write_bytes(write_compound_file({"Workbook": b"\x09\x08" + bytes(200)}))
    assert codes(chemin) == ["format-xls"]


def _cfb_repertoire_a_la_fin(secteurs_donnees: int) -> bytes:
    """A compound file laid out as LibreOffice writes an .xls: the ``Workbook`` stream first, then the
    directory, then the FAT (512-byte sectors)."""
    import struct

    fin_de_chaine, secteur_fat = 0xFFFFFFFE, 0xFFFFFFFD
    rep = secteurs_donnees
    nb_fat = (secteurs_donnees + 1) // 127 + 1  # 128 entries a FAT sector, the FAT's own sectors included
    fat = [i + 1 for i in range(secteurs_donnees - 1)] + [fin_de_chaine, fin_de_chaine]
    fat += [secteur_fat] * nb_fat
    fat += [0xFFFFFFFF] * (-len(fat) % 128)

    def entree(nom: str, genre: int, debut: int, taille: int, enfant: int = 0xFFFFFFFF) -> bytes:
        code = nom.encode("utf-16-le") + b"\0\0"
        return (
            code.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(code), genre, 1, 0xFFFFFFFF, 0xFFFFFFFF, enfant)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", debut, taille)
        )

    repertoire = entree("Root Entry", 5, fin_de_chaine, 0, enfant=1) + entree(
        "Workbook", 2, 0, secteurs_donnees * 512
    )
    repertoire = repertoire.ljust(512, b"\0")
    entete = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, nb_fat, rep, 0, 4096, fin_de_chaine, 0, fin_de_chaine, 0)
        + struct.pack("<109I", *[rep + 1 + i for i in range(nb_fat)], *([0xFFFFFFFF] * (109 - nb_fat)))
    )
    assert len(entete) == 512
    return entete + b"\x09\x08" * (secteurs_donnees * 256) + repertoire + struct.pack(f"<{len(fat)}I", *fat)


def test_xls_repertoire_loin_du_debut(tmp_path: Path) -> None:
    """An .xls whose directory lies past the first 64 KiB (LibreOffice writes it after the Workbook stream)
    is told as an .xls from its directory, not as an unknown Office document."""
    from rse_xl.ooxml import noms_cfb

    chemin = tmp_path / "libreoffice.xls"
    contenu = _cfb_repertoire_a_la_fin(secteurs_donnees=300)
    assert "Workbook".encode("utf-16-le") not in contenu[: 1 << 16]  # the case the old look missed
    chemin.write_bytes(contenu)
    with open(chemin, "rb") as f:
        assert noms_cfb(f) == {"Root Entry", "Workbook"}
    assert codes(chemin) == ["format-xls"]


def test_cfb_en_boucle_ou_tronque(tmp_path: Path) -> None:
    """A directory chain that loops on itself, or a FAT past the end of the file, ends (no hang, no crash)."""
    import struct

    from rse_xl.ooxml import noms_cfb

    contenu = bytearray(_cfb_repertoire_a_la_fin(secteurs_donnees=4))
    fat = 512 * (1 + 4 + 1)  # header, four data sectors, the directory: then the FAT
    struct.pack_into("<I", contenu, fat + 4 * 4, 4)  # the directory sector points to itself
    boucle = tmp_path / "boucle.xls"
    boucle.write_bytes(bytes(contenu))
    with open(boucle, "rb") as f:
        assert noms_cfb(f) == {"Root Entry", "Workbook"}
    tronque = tmp_path / "tronque.xls"
    tronque.write_bytes(bytes(contenu[:1024]))
    with open(tronque, "rb") as f:
        assert noms_cfb(f) == set()
    assert codes(tronque) == ["type-fichier-inconnu"]


def test_xls_enregistre_par_libreoffice(tmp_path: Path) -> None:
    """A real .xls saved by LibreOffice Calc is reported as format-xls, with the advice to re-save it."""
    from aides import soffice_ou_skip

    from rse_xl.libreoffice import convertir

    soffice_ou_skip()
    source = tmp_path / "office.xlsx"
    shutil.copy(Path(__file__).resolve().parent.parent / "workbooks" / "RSE_2025-2027_ARC.xlsx", source)
    xls = convertir(source, "xls", tmp_path / "xls")
    assert codes(xls) == ["format-xls"]


def test_classeur_chiffre(tmp_path: Path) -> None:
    """A workbook encrypted with a password is a compound file holding EncryptionInfo and EncryptedPackage."""
    chemin = tmp_path / "protege.xlsx"
    chemin.write_bytes(
        write_compound_file(
            {"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(60), "EncryptedPackage": bytes(5000)}
        )
    )
    assert codes(chemin) == ["fichier-protege"]


@pytest.mark.parametrize(
    ("nom", "ecrire", "detail"),
    [
        ("office.ods", "ods", "Classeur LibreOffice / OpenDocument (.ods), pas un classeur Excel."),
        ("office.xlsx", "ods", "Classeur LibreOffice / OpenDocument (.ods), pas un classeur Excel."),
        ("office.csv", "csv", "Fichier CSV (texte), pas un classeur Excel."),
        ("office.xls", "xls", "Classeur au format Excel 97-2003 (.xls)."),
    ],
)
def test_autre_format_a_enregistrer_en_xlsx(tmp_path: Path, nom: str, ecrire: str, detail: str) -> None:
    """.ods, .csv and .xls: the person is told how to re-save the file, not to throw the work away."""
    chemin = tmp_path / nom
    if ecrire == "ods":  # what LibreOffice writes first: an uncompressed « mimetype » member
        with zipfile.ZipFile(chemin, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", "<office:document-content/>")
    elif ecrire == "csv":
        chemin.write_text("Office;Réalisé\nBMH;12\n", encoding="utf-8")
    else:
        chemin.write_bytes(write_compound_file({"Workbook": b"\x09\x08" + bytes(200)}))
    (probleme,) = lire_classeur(chemin).problemes
    assert probleme.code == ("format-xls" if ecrire == "xls" else "format-autre-tableur")
    assert probleme.message == (
        f"{detail} Enregistrez-le au format Excel : Fichier › Enregistrer sous… › Classeur Excel 2007-365 "
        "(.xlsx), puis utilisez ce fichier .xlsx."
    )
    assert collecter_classeurs([tmp_path]) == ([chemin] if ecrire != "csv" else [])


def test_zip_sans_classeur(tmp_path: Path) -> None:
    chemin = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(chemin, "w") as z:
        z.writestr("lisez-moi.txt", "rien")
    assert codes(chemin) == ["type-fichier-inconnu"]


def test_bombe_zip(tmp_path: Path) -> None:
    """A member that inflates a thousandfold is refused before anything is decompressed."""
    chemin = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            bloc = b"\0" * (1 << 20)
            for _ in range(60):
                f.write(bloc)
    assert chemin.stat().st_size < 1_000_000
    assert codes(chemin) == ["fichier-suspect"]


def test_bombe_xml(classeur_vierge: tuple[Path, Plan], tmp_path: Path) -> None:
    """Billion laughs in workbook.xml: entities are never expanded, the file is refused as damaged."""
    source = classeur_vierge[0]
    chemin = tmp_path / "rire.xlsx"
    entites = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
        )
        + "]>"
    )
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"?>", b"?>" + entites.encode(), 1).replace(
                    b"<sheets>", b"<sheets>&lol9;", 1
                )
            zout.writestr(item, data)
    assert codes(chemin) == ["fichier-illisible"]  # a DTD is refused as damaged, before any parser


def test_xlsm_lu_sans_executer(tmp_path: Path) -> None:
    projet = tmp_path / "vbaProject.bin"
    projet.write_bytes(
        build_vba_project(
            [Module("Auto", 'Sub Auto_Open()\r\n    Shell "calc.exe"\r\nEnd Sub\r\n', "standard")],
            sheet_codenames=["Feuil1"],
        )
    )
    chemin = tmp_path / "macro.xlsm"
    wb = xlsxwriter.Workbook(chemin)
    wb.set_vba_name("ThisWorkbook")
    wb.add_worksheet().set_vba_name("Feuil1")
    wb.add_vba_project(str(projet))
    wb.close()
    assert codes(chemin) == ["modele-inconnu"]
    # Our own template saved as .xlsm: values are read, the macros are only mentioned.
    base = tmp_path / "bmh.xlsx"
    ecrire_classeur(base, trouver_office(CONV, "BMH"))
    xlsm = tmp_path / "bmh.xlsm"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", projet.read_bytes())
    lu = lire_classeur(xlsm, CONV)
    assert lu.lisible and lu.office is not None
    assert "macros-ignorees" in [p.code for p in lu.problemes]


def test_registre_geant(tmp_path: Path) -> None:
    """100 000 journal rows are read, counted and validated."""
    lignes = [
        {
            "date": dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
            "action": "F06.A3",
            "intitule": f"Action {i}",
            "type": "Événement",
        }
        for i in range(100_000)
    ]
    chemin = tmp_path / "geant.xlsx"
    ecrire_classeur(chemin, trouver_office(CONV, "NMH"), Saisie(registres={Registre.JOURNAL: lignes}))
    v = valider([chemin], CONV, AUJOURDHUI)
    (lu,) = v.classeurs
    assert len(lu.registres[Registre.JOURNAL]) == 100_000
    assert not v.rapport.erreurs


def _empreinte(chemin: Path) -> str:
    return hashlib.sha256(chemin.read_bytes()).hexdigest()


def test_lecture_seule_meme_verrouille(copie_vierge: Path) -> None:
    """Validation never writes: same bytes and date after, also for a read-only or locked file."""
    avant = _empreinte(copie_vierge)
    mtime = copie_vierge.stat().st_mtime_ns
    os.chmod(copie_vierge, 0o444)
    verrou = copie_vierge.with_name(f".~lock.{copie_vierge.name}#")
    verrou.write_text("Anne,anne,poste,30.11.2026 10:00,file:///home/anne;", encoding="utf-8")
    with open(copie_vierge, "rb") as f:
        fcntl.flock(f, fcntl.LOCK_SH)  # another program holding the file
        valider([copie_vierge], CONV, AUJOURDHUI)
        fcntl.flock(f, fcntl.LOCK_UN)
    assert _empreinte(copie_vierge) == avant
    assert copie_vierge.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in copie_vierge.parent.iterdir()) == sorted([copie_vierge.name, verrou.name])
    os.chmod(copie_vierge, 0o644)


# -- property: whatever is typed, the validator never raises and points at real cells ------------------------

_TEXTE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
VALEURS = st.one_of(
    st.none(),
    _TEXTE,
    st.text(alphabet="\x00\x01\x07\x1b\x7f abc", max_size=10),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
    st.booleans(),
    st.sampled_from(
        ["12,5", "1 234", "45 %", "0,45", "oui", "x", "31/12/2026", "Réalisé ", "=1+1", "+cmd|' /C calc'!A0"]
    ),
    st.builds(lambda n: "é" * n, st.integers(min_value=2000, max_value=6000)),
    st.sampled_from(
        [Formule("=1/0", "#DIV/0!"), Formule("=NA()", "#N/A"), Formule("=2+3", 5), Formule('="a"&"b"', "ab")]
    ),
)


@pytest.fixture(scope="module")
def plan_vierge(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    return ecrire_classeur(tmp_path_factory.mktemp("p") / "x.xlsx", trouver_office(CONV, "ARC"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_saisies_aleatoires(
    data: st.DataObject, plan_vierge: Plan, tmp_path_factory: pytest.TempPathFactory
) -> None:
    noms = sorted(n for n in plan_vierge.cellules if not n.startswith("RSE_"))
    choisis = data.draw(st.lists(st.sampled_from(noms), min_size=1, max_size=30, unique=True))
    valeurs = {n: data.draw(VALEURS) for n in choisis}
    registres: dict[Registre, list[dict[str, Any]]] = {}
    for registre in data.draw(st.lists(st.sampled_from(list(Registre)), max_size=3, unique=True)):
        spec = REGISTRES[registre]
        registres[registre] = [
            {c.cle: data.draw(VALEURS) for c in spec.colonnes} for _ in range(data.draw(st.integers(1, 4)))
        ]
    chemin = tmp_path_factory.mktemp("h") / "hasard.xlsx"
    ecrire_classeur(chemin, trouver_office(CONV, "ARC"), Saisie(valeurs, registres))
    v = valider([chemin], CONV, AUJOURDHUI)
    import openpyxl

    wb = openpyxl.load_workbook(chemin, read_only=True)
    for p in v.rapport.problemes:
        assert p.message and p.code
        if p.cellule:
            assert p.onglet in wb.sheetnames, p
            ligne, col = depuis_a1(p.cellule)
            ws = wb[p.onglet]
            assert ligne < max(ws.max_row or 0, 1) + 1 and col < 30, p
    wb.close()
    shutil.rmtree(chemin.parent, ignore_errors=True)

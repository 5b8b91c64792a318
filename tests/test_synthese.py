"""The summary workbook and the data exports: sheets, charts, links, limits, and office text kept as text."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import errno
import os
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from rse_xl import synthese
from rse_xl.consolidation import Consolidation, consolider
from rse_xl.controles import Gravite, Rapport
from rse_xl.demo import generer_saisie
from rse_xl.errors import FichierError
from rse_xl.export import COLONNES_DONNEES, exporter_donnees, neutraliser
from rse_xl.modele import Saisie, ecrire_classeur, nom_fichier_modele
from rse_xl.referentiel import Convention, referentiel
from rse_xl.synthese import (
    ONGLETS_RESULTATS,
    ecrire_synthese,
    onglets_resultats,
    remplir_classeur,
    tronquer,
    url_web,
)

FORMULE = '=HYPERLINK("http://x";"clic")'
COMMANDE = "+cmd|' /C calc'!A0"
URL_TROP_LONGUE = "https://exemple.invalid/" + "a" * 2_100
COMMENTAIRE_LONG = "Un commentaire très long. " * 200  # 5 200 characters: cut at 2 000 in the summary
NOM_PIEGE = "=NMH.xlsx"  # a file name is office text too

# Office code → extra values typed in its workbook (by defined name), on top of the demo's.
PIEGES: dict[str, dict[str, object]] = {
    "ARC": {
        "F01_A1_2026_COMMENTAIRE": FORMULE,
        "F02_A1_2026_COMMENTAIRE": COMMENTAIRE_LONG,
        "F01_A2_2026_JUSTIFICATIF": URL_TROP_LONGUE[:1_900],  # long but valid: stays a link
    },
    "BMH": {
        "F02_A1_2026_COMMENTAIRE": COMMANDE,
        "F05_A3_2026_CIBLE": COMMANDE,  # not a number: an error, and the target is left out
    },
    "NMH": {
        "F03_A2_2026_JUSTIFICATIF": FORMULE,
        "F06_A2_2026_JUSTIFICATIF": URL_TROP_LONGUE,
        "F06_A3_2026_JUSTIFICATIF": "@SUM(1+1)*cmd|' /C calc'!A0",
    },
}
AUJOURDHUI = dt.date(2026, 11, 30)

# openpyxl drops the data-bar extensions it cannot read, and says so.
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")


@pytest.fixture(scope="module")
def entrees(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The three demo workbooks, with formula-like texts, long texts and one bad value added."""
    dossier = tmp_path_factory.mktemp("offices")
    conv = referentiel()
    chemins = []
    for office in conv.offices:
        saisie = generer_saisie(office, graine=0)
        valeurs = {**saisie.valeurs, **PIEGES[office.code]}
        nom = NOM_PIEGE if office.code == "NMH" else nom_fichier_modele(office)
        chemin = dossier / nom
        ecrire_classeur(chemin, office, Saisie(valeurs=valeurs, registres=saisie.registres), conv)
        chemins.append(chemin)
    return chemins


@pytest.fixture(scope="module")
def conso(entrees: list[Path]) -> Consolidation:
    return consolider(entrees, annee=2026, aujourdhui=AUJOURDHUI)


@pytest.fixture(scope="module")
def sortie(conso: Consolidation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    chemin = tmp_path_factory.mktemp("sortie") / "synthese.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an XlsxWriter warning means a limit was hit without our fallback
        return ecrire_synthese(conso, chemin)


@pytest.fixture(scope="module")
def wb(sortie: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(sortie)


@pytest.fixture(scope="module")
def parties(sortie: Path) -> dict[str, str]:
    with zipfile.ZipFile(sortie) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def lignes_actions(ws: Worksheet) -> list[tuple[object, ...]]:
    """The rows of the Synthèse sheet that hold an action (code F03.A3 in column B)."""
    return [
        row
        for row in ws.iter_rows(min_row=6, values_only=True)
        if row[1] and re.fullmatch(r"F\d\d\.A\d", str(row[1]))
    ]


def _feuille_xml(parties: dict[str, str], wb: openpyxl.Workbook, onglet: str) -> str:
    return parties[f"xl/worksheets/sheet{wb.sheetnames.index(onglet) + 1}.xml"]


def _liens(ws: Worksheet) -> list[Hyperlink]:
    """Hyperlinks of a sheet read by openpyxl (they hang on their cells)."""
    return [c.hyperlink for row in ws.iter_rows() for c in row if c.hyperlink is not None]


def _textes(wb: openpyxl.Workbook, onglet: str) -> list[str]:
    return [c for row in wb[onglet].iter_rows(values_only=True) for c in row if isinstance(c, str)]


# --- sheets ------------------------------------------------------------------------------------------------------


def test_onglets_dans_l_ordre(wb: openpyxl.Workbook, conv: Convention) -> None:
    attendus = onglets_resultats(conv)
    assert wb.sheetnames == attendus
    assert attendus[:2] == ["Accueil", "Synthèse"] and attendus[-3:] == ["Contrôles", "Données", "Journal"]
    assert attendus[2] == "F01 Eau" and attendus[17] == "F16 Coopération"
    assert set(ONGLETS_RESULTATS) == {"Synthèse", "Contrôles", "Données", "Journal"}
    assert wb.active.title == "Accueil"


def test_accueil(wb: openpyxl.Workbook, conso: Consolidation) -> None:
    """Files with their office and entry state, the counts of problems, a link to every sheet."""
    textes = " ".join(_textes(wb, "Accueil"))
    assert "synthèse 2026" in textes and "Comment lire cette synthèse" in textes
    for fi in conso.fichiers:
        assert fi.office_nom in textes and fi.etat in textes
    stats = conso.rapport.statistiques()
    assert f"{stats['erreurs']} erreur(s), {stats['avertissements']} avertissement(s)" in textes
    liens = {h.location for h in _liens(wb["Accueil"]) if h.location}
    for onglet in onglets_resultats(referentiel(), accueil=False):
        assert f"'{onglet}'!A1" in liens or f"{onglet}!A1" in liens, onglet


def test_synthese_36_actions(wb: openpyxl.Workbook, conso: Consolidation, conv: Convention) -> None:
    """One row per action in the référentiel's order, under 16 fiche rows, figures as numbers."""
    ws = wb["Synthèse"]
    lignes = lignes_actions(ws)
    assert [r[1] for r in lignes] == [a.code for f in conv.fiches for a in f.actions]
    titres_fiches = [
        row[0]
        for row in ws.iter_rows(min_row=6, max_row=6 + 52, values_only=True)
        if row[0] and " — " in str(row[0])
    ]
    assert len(titres_fiches) == 16
    # Réalisé and Atteinte of the first office, as numbers.
    office = conso.offices[0].code
    par_code = {r[1]: r for r in lignes}
    for code in ("F01.A1", "F09.A1", "F14.A1"):
        r = conso.resultat(office, code, 2026)
        assert par_code[code][4] == pytest.approx(r.realise)
        assert par_code[code][6] == pytest.approx(r.atteinte)
        assert par_code[code][7] == r.statut.value
    assert ws.freeze_panes == "E6"
    assert ws.auto_filter.ref


def test_mise_en_forme_synthese(parties: dict[str, str], wb: openpyxl.Workbook) -> None:
    xml = _feuille_xml(parties, wb, "Synthèse")
    for statut in ("Atteint", "En bonne voie", "En retard", "Non renseigné", "Sans objectif"):
        assert f"<formula>&quot;{statut}&quot;</formula>" in xml or f'<formula>"{statut}"</formula>' in xml
    assert 'type="cellIs"' in xml and "<dataBar>" in xml
    assert 'orientation="landscape"' in xml and 'fitToPage="1"' in xml


def test_graphiques(sortie: Path, wb: openpyxl.Workbook, conv: Convention) -> None:
    """Two charts on Synthèse and one per fiche, all fed by cells of the workbook."""
    with zipfile.ZipFile(sortie) as z:
        noms = z.namelist()
        graphes = [n for n in noms if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(graphes) == 2 + len(conv.fiches)
        assert len([n for n in noms if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]) == 1 + len(
            conv.fiches
        )
        for g in graphes:
            xml = z.read(g).decode()
            assert "<c:f>" in xml, f"{g} : les séries doivent référencer des cellules"
            assert "numLit" not in xml
        synthese_rels = z.read(
            f"xl/worksheets/_rels/sheet{wb.sheetnames.index('Synthèse') + 1}.xml.rels"
        ).decode()
        assert "drawing" in synthese_rels


def test_fiche_detail_et_sources(wb: openpyxl.Workbook, conso: Consolidation) -> None:
    """A fiche sheet shows the action blocks, both values when they differ, and links to the source cells."""
    ws = wb["F01 Eau"]
    textes = _textes(wb, "F01 Eau")
    assert any(t.startswith("F01.A1 — ") for t in textes) and any(
        t.startswith("Indicateur : ") for t in textes
    )
    assert "Vue d'ensemble 2026" in textes
    # The demo's deliberate gap between the typed value and the registers: both are shown.
    r = conso.resultat("BMH", "F01.A1", 2026)
    assert r.ecart
    saisi, registres = f"{r.realise_saisi:.0f}", f"{r.realise_registres:.0f}"
    assert any(f"Réalisé saisi : {saisi} ; selon les registres : {registres}" in t for t in textes)
    # Every drill-down link opens an office workbook at a cell.
    sources = [h for h in _liens(ws) if h.target and h.target.endswith(".xlsx")]
    assert sources
    for h in sources:
        assert re.fullmatch(r"'F01 Eau'!\$?[A-Z]+\$?\d+", h.location), h.location
        assert ws[h.ref].value == "↗"
    assert {Path(h.target.replace("\\", "/")).name for h in sources} == {f.fichier for f in conso.fichiers}
    # The figure itself stays a number.
    nombres = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, int | float)]
    assert len(nombres) > 30


def test_valeur_ecartee(wb: openpyxl.Workbook, conso: Consolidation) -> None:
    r = conso.resultat("BMH", "F05.A3", 2026)
    assert r.exclu and r.motif
    assert any(t.startswith("Valeur écartée : ") and r.motif in t for t in _textes(wb, "F05 Biosourcés"))


def test_justificatifs(wb: openpyxl.Workbook) -> None:
    ws = wb["F01 Eau"]
    web = [h.target for h in _liens(ws) if h.target and h.target.startswith("http")]
    assert any(t.startswith("https://intranet.") for t in web)
    assert any(len(t) > 1_800 for t in web), "une URL longue mais valide reste un lien"
    ws6 = wb["F06 Réemploi déchets"]
    assert not any(h.target and "a" * 2_000 in h.target for h in _liens(ws6))
    textes6 = _textes(wb, "F06 Réemploi déchets")
    assert "@SUM(1+1)*cmd|' /C calc'!A0" in textes6
    assert any(t.startswith("https://exemple.invalid/aaa") and t.endswith("…") for t in textes6)
    assert FORMULE in _textes(wb, "F03 Relation fournisseurs")


def test_commentaire_tronque(wb: openpyxl.Workbook) -> None:
    longs = [
        t for t in _textes(wb, "F02 Rénovation énergétique") if t.startswith("Un commentaire très long.")
    ]
    assert longs and all(len(t) == 2_000 and t.endswith("…") for t in longs)


def test_controles(wb: openpyxl.Workbook, conso: Consolidation) -> None:
    """One table row per problem, errors first, each opening its office workbook at the cell."""
    ws = wb["Contrôles"]
    table = ws.tables["tControles"]
    debut, fin = re.fullmatch(r"A(\d+):I(\d+)", table.ref).groups()
    n = int(fin) - int(debut)
    assert n == len(conso.rapport.problemes)
    lignes = list(ws.iter_rows(min_row=int(debut) + 1, max_row=int(fin), values_only=True))
    gravites = [ligne[0] for ligne in lignes]
    assert gravites == sorted(gravites, key=lambda g: g != "erreur")
    assert "erreur" in gravites and "type-invalide" in [ligne[1] for ligne in lignes]
    assert COMMANDE in [ligne[6] for ligne in lignes], "la valeur trouvée est citée comme texte"
    liens = [h for h in _liens(ws) if h.target]
    assert len(liens) == n
    avec_cellule = [h for h in liens if h.location]
    assert avec_cellule
    for h in avec_cellule:
        assert re.fullmatch(
            r".+\.xlsx#'[^']+'!\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?", f"{h.target}#{h.location}"
        ), h
        assert ws[h.ref].value == "Ouvrir"
    assert any(h.target.replace("\\", "/").endswith("/" + NOM_PIEGE) for h in liens)


def test_liens_relatifs(parties: dict[str, str], wb: openpyxl.Workbook) -> None:
    rels = parties[f"xl/worksheets/_rels/sheet{wb.sheetnames.index('Contrôles') + 1}.xml.rels"]
    cibles = re.findall(r'Target="([^"]+)" TargetMode="External"', rels)
    assert cibles and all(c.startswith("..\\") and ".xlsx" in c for c in cibles)
    assert not any("/tmp" in c or "file:" in c for c in cibles)


def test_donnees(wb: openpyxl.Workbook, conso: Consolidation) -> None:
    """The tidy rows as the table tDonnees, French headers, numbers as numbers."""
    ws = wb["Données"]
    table = ws.tables["tDonnees"]
    assert table.ref.startswith("A1:")
    n = int(re.search(r"(\d+)$", table.ref).group(1)) - 1
    assert n == len(conso.donnees())
    entetes = [c.value for c in ws[1]]
    assert entetes == [titre for _, titre in COLONNES_DONNEES]
    valeurs = [row[6] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, int | float) for v in valeurs)
    assert all(isinstance(row[4], int) for row in ws.iter_rows(min_row=2, values_only=True))


def test_journal(wb: openpyxl.Workbook, conso: Consolidation) -> None:
    textes = _textes(wb, "Journal")
    assert conso.empreinte_referentiel in textes and conso.version_outil in textes
    for fi in conso.fichiers:
        assert fi.empreinte in textes and fi.chemin in textes
    assert "tFichiers" in wb["Journal"].tables


# --- office text never becomes a formula ---------------------------------------------------------------------


def test_aucune_formule(parties: dict[str, str]) -> None:
    """The summary holds no formula at all: every figure is a value, every office text a string."""
    formules = [
        f
        for nom, xml in parties.items()
        if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", nom)
        for f in re.findall(r"<f(?:\s[^>]*)?>(.*?)</f>", xml, re.S)
    ]
    assert formules == []
    assert not any("definedName" in xml and "HYPERLINK" in xml for xml in parties.values())
    partages = parties["xl/sharedStrings.xml"]
    assert "=HYPERLINK(&quot;http://x&quot;;&quot;clic&quot;)" in partages or FORMULE in partages
    assert "+cmd|' /C calc'!A0" in partages or "+cmd|&apos; /C calc&apos;!A0" in partages


def test_options_du_classeur_forcees(tmp_path: Path, conso: Consolidation) -> None:
    """Even in a workbook opened with XlsxWriter's defaults, office text stays text."""
    chemin = tmp_path / "maitre.xlsx"
    wb = xlsxwriter.Workbook(str(chemin))  # strings_to_formulas defaults to True
    wb.add_worksheet("Accueil").write_string(0, 0, "Accueil du classeur maître")
    remplir_classeur(wb, conso, tmp_path, accueil=False)
    wb.close()
    lu = openpyxl.load_workbook(chemin)
    assert lu.sheetnames == ["Accueil", *onglets_resultats(conso.convention, accueil=False)]
    with zipfile.ZipFile(chemin) as z:
        assert not any(
            re.search(r"<f[ >]", z.read(n).decode())
            for n in z.namelist()
            if n.startswith("xl/worksheets/sheet")
        )


# --- limits --------------------------------------------------------------------------------------------------


def test_tronquer() -> None:
    assert tronquer("abc") == "abc"
    t = tronquer("x" * 40_000)
    assert len(t) == 32_767 and t.endswith("…")
    emoji = tronquer("😀" * 20_000)  # two UTF-16 units each, as Excel counts
    assert len(emoji.encode("utf-16-le")) // 2 <= 32_767 and emoji.endswith("…")


def test_url_web() -> None:
    assert url_web("https://exemple.fr/a.pdf") == "https://exemple.fr/a.pdf"
    assert url_web(FORMULE) is None
    assert url_web("javascript:alert(1)") is None
    assert url_web("https://exemple.fr/a b.pdf") is None
    assert url_web(URL_TROP_LONGUE) is None


def test_plafond_de_liens(conso: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past Excel's number of links per sheet, the text is kept without a link (no XlsxWriter warning)."""
    monkeypatch.setattr(synthese.commun, "MAX_LIENS", 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chemin = ecrire_synthese(conso, tmp_path / "s.xlsx")
    lu = openpyxl.load_workbook(chemin)
    assert all(len(_liens(ws)) <= 3 for ws in lu.worksheets)
    ws = lu["Contrôles"]
    ouvrir = [c for row in ws.iter_rows() for c in row if c.value == "Ouvrir"]
    assert len(ouvrir) == len(conso.rapport.problemes)


# --- edge cases of the consolidation -------------------------------------------------------------------------


def test_sans_probleme(conso: Consolidation, tmp_path: Path) -> None:
    propre = dataclasses.replace(conso, rapport=Rapport(fichiers=list(conso.rapport.fichiers)))
    lu = openpyxl.load_workbook(ecrire_synthese(propre, tmp_path / "s.xlsx"))
    assert "tControles" not in lu["Contrôles"].tables
    assert any(t.startswith("Aucun problème détecté") for t in _textes(lu, "Contrôles"))


def test_aucun_classeur_retenu(tmp_path: Path, conv: Convention) -> None:
    faux = tmp_path / "pas_un_classeur.xlsx"
    faux.write_text("bonjour", encoding="utf-8")
    vide = consolider([faux], annee=2026, aujourdhui=AUJOURDHUI)
    assert not vide.offices and vide.rapport.erreurs
    lu = openpyxl.load_workbook(ecrire_synthese(vide, tmp_path / "sortie" / "s.xlsx"))
    assert lu.sheetnames == onglets_resultats(conv)
    codes = [row[1] for row in lignes_actions(lu["Synthèse"])]
    assert len(codes) == 36
    assert [row[0] for row in lu["Contrôles"].iter_rows(min_row=5, max_row=5, values_only=True)] == [
        Gravite.ERREUR.value
    ]


# --- exports -------------------------------------------------------------------------------------------------


def test_neutraliser() -> None:
    assert neutraliser(FORMULE) == "'" + FORMULE
    assert neutraliser(COMMANDE) == "'" + COMMANDE
    for debut in ("-", "@", "\t", "\r"):
        assert neutraliser(debut + "x").startswith("'")
    assert neutraliser("Archipel habitat") == "Archipel habitat"


def test_export_csv(conso: Consolidation, tmp_path: Path) -> None:
    chemin = exporter_donnees(conso, tmp_path / "donnees.csv", "csv")
    brut = chemin.read_bytes()
    assert brut.startswith(b"\xef\xbb\xbf")
    with open(chemin, encoding="utf-8-sig", newline="") as f:
        lignes = list(csv.reader(f, delimiter=";"))
    assert lignes[0] == [titre for _, titre in COLONNES_DONNEES]
    assert len(lignes) - 1 == len(conso.donnees())
    i_fichier, i_valeur = lignes[0].index("Fichier source"), lignes[0].index("Valeur")
    fichiers = {ligne[i_fichier] for ligne in lignes[1:]}
    assert "'" + NOM_PIEGE in fichiers and NOM_PIEGE not in fichiers
    valeurs = [ligne[i_valeur] for ligne in lignes[1:]]
    assert any("," in v for v in valeurs) and not any("." in v for v in valeurs)
    assert any(v.startswith("-") for v in valeurs), "un nombre négatif n'est pas préfixé"
    assert not any(v.startswith("'") for v in valeurs)


def test_export_parquet(conso: Consolidation, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    chemin = exporter_donnees(conso, tmp_path / "donnees.parquet", "parquet")
    df = pd.read_parquet(chemin)
    assert len(df) == len(conso.donnees())
    assert list(df.columns) == [titre for _, titre in COLONNES_DONNEES]
    assert df["Valeur"].dtype == "float64" and df["Année"].dtype == "int64" and df["Écartée"].dtype == bool


def test_export_format_inconnu(conso: Consolidation, tmp_path: Path) -> None:
    from rse_xl.errors import EntreeError

    with pytest.raises(EntreeError, match="Format d'export inconnu"):
        exporter_donnees(conso, tmp_path / "x.json", "json")  # type: ignore[arg-type]


# --- writing the file ----------------------------------------------------------------------------------------


def test_sauvegarde(conso: Consolidation, tmp_path: Path) -> None:
    chemin = tmp_path / "synthese.xlsx"
    ecrire_synthese(conso, chemin)
    premier = chemin.read_bytes()
    ecrire_synthese(conso, chemin)
    sauvegarde = tmp_path / "synthese.bak.xlsx"
    assert sauvegarde.read_bytes() == premier
    assert openpyxl.load_workbook(chemin).sheetnames == onglets_resultats(conso.convention)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["synthese.bak.xlsx", "synthese.xlsx"]


def test_cible_est_un_dossier(conso: Consolidation, tmp_path: Path) -> None:
    dossier = tmp_path / "synthese.xlsx"
    dossier.mkdir()
    with pytest.raises(FichierError, match="est un dossier"):
        ecrire_synthese(conso, dossier)
    assert dossier.is_dir() and not any(dossier.iterdir())


def test_dossier_en_lecture_seule_simule(
    conso: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only folder does (root ignores chmod): the temporary file cannot be created."""
    chemin = tmp_path / "synthese.xlsx"
    ecrire_synthese(conso, chemin)
    avant = chemin.read_bytes()

    def refus(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("rse_xl.fichiers.tempfile.mkstemp", refus)
    with pytest.raises(FichierError, match=r"Impossible d'écrire le classeur de synthèse.*accès refusé"):
        ecrire_synthese(conso, chemin)
    assert chemin.read_bytes() == avant


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="chmod n'empêche pas root d'écrire")
def test_dossier_en_lecture_seule(conso: Consolidation, tmp_path: Path) -> None:
    dossier = tmp_path / "ro"
    dossier.mkdir()
    chemin = dossier / "synthese.xlsx"
    ecrire_synthese(conso, chemin)
    avant = chemin.read_bytes()
    dossier.chmod(0o555)
    try:
        with pytest.raises(FichierError, match="Impossible d'écrire"):
            ecrire_synthese(conso, chemin)
    finally:
        dossier.chmod(0o755)
    assert chemin.read_bytes() == avant


@pytest.mark.libreoffice
def test_libreoffice_ouvre_la_synthese(sortie: Path, tmp_path: Path, conv: Convention) -> None:
    from rse_xl.libreoffice import convertir, soffice

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) n'est pas installé")

    converti = convertir(sortie, "xlsx:Calc MS Excel 2007 XML", tmp_path, timeout=300)
    lu = openpyxl.load_workbook(converti)
    assert lu.sheetnames == onglets_resultats(conv)
    codes = [row[1] for row in lignes_actions(lu["Synthèse"])]
    assert len(codes) == 36


# --- fast paths of the writer: the same cells as the general rules -------------------------------------------


def test_donnees_valeurs_de_tous_types(
    conso: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever its type, a value reaches the Données sheet by the general rules (blank, Oui/Non, number, text)."""
    import math

    class Entier(int):
        pass

    valeurs: list[object] = [
        None,
        "",
        math.nan,
        math.inf,
        True,
        False,
        7,
        Entier(3),
        2.5,
        "x" * 40_000,
        "😀" * 20_000,
        FORMULE,
        dt.date(2026, 1, 2),
    ]
    vides = {titre: None for _, titre in COLONNES_DONNEES}
    lignes = [{**vides, "Office": v} for v in valeurs]
    monkeypatch.setattr(synthese.donnees, "lignes_donnees", lambda _conso: lignes)
    lu = openpyxl.load_workbook(ecrire_synthese(conso, tmp_path / "s.xlsx"))
    lus = [row[0] for row in lu["Données"].iter_rows(min_row=2, max_row=1 + len(valeurs), values_only=True)]
    assert lus[:9] == [None, None, None, None, "Oui", "Non", 7, 3, 2.5]
    assert len(lus[9]) == 32_767 and lus[9].endswith("…")
    assert len(lus[10].encode("utf-16-le")) // 2 <= 32_767 and lus[10].endswith("…")
    assert lus[11:] == [FORMULE, "2026-01-02"]


def test_parties_ecrites_en_memoire(
    conso: Consolidation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parts of the summary are built in memory: one temporary file only, the atomic write's, beside it."""
    import tempfile
    from typing import Any

    dossiers: list[object] = []
    mkstemp = tempfile.mkstemp

    def espion(*args: Any, **kwargs: Any) -> tuple[int, str]:
        dossiers.append(kwargs.get("dir"))
        return mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", espion)
    chemin = ecrire_synthese(conso, tmp_path / "sortie" / "s.xlsx")
    assert dossiers == [chemin.parent]
    assert sorted(p.name for p in chemin.parent.iterdir()) == ["s.xlsx"]


@pytest.mark.parametrize(
    ("texte", "par_ligne", "lignes"),
    [
        ("abc def", 7, 1),
        ("abc def", 6, 2),
        ("a\nb", 10, 2),
        ("", 5, 1),
        ("x" * 10, 10, 1),
        ("x" * 11, 10, 2),
        ("mot " * 5, 19, 1),
        ("abcdefghij klm", 5, 3),
    ],
)
def test_lignes_d_un_texte(texte: str, par_ligne: int, lignes: int) -> None:
    """Wrapped lines: a text that fits on a line takes one, a longer one is wrapped at words."""
    assert synthese._lignes(texte, par_ligne) == lignes


def test_url_web_mesuree_en_utf16() -> None:
    """Excel's limit of 2 079 characters counts UTF-16 units: an emoji counts twice."""
    assert url_web("https://exemple.fr/" + "a" * 1_000) is not None
    assert url_web("https://exemple.fr/" + "😀" * 1_025) is not None  # 2 069 units
    assert url_web("https://exemple.fr/" + "😀" * 1_035) is None  # 2 089 units

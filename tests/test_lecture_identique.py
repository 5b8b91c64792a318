"""What the reader reads and what the builder writes, pinned: a refactoring must not change a single value.

Every workbook of ``workbooks/``, the « campagne incomplète » demo set (``rse-xl demo --incomplet``), blank
workbooks and a few hostile copies (cells the fast reader refuses, a sheet neither reader can read, bad
register cells) are read with ``rse_xl.lecture.lire_classeur``; everything read is serialised to a canonical
JSON whose SHA-256 is compared with ``tests/donnees/lecture_identique.json``. The blank workbooks written by
``rse_xl.modele.ecrire_classeur`` (and the demo ones) are compared member by member, ``docProps/core.xml``
timestamps masked.

After a deliberate change of what is read or written: ``RSE_XL_REGENERER=1 pytest tests/test_lecture_identique.py``
rewrites the stored values (``RSE_XL_JSON=dossier`` also leaves the canonical JSON there, to compare).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rse_xl.demo import ecrire_demo
from rse_xl.lecture import ClasseurLu, colonnes_communes, lire_classeur
from rse_xl.modele import ecrire_classeur, nom_fichier_modele, trouver_office
from rse_xl.ooxml import Paquet
from rse_xl.referentiel import referentiel

RACINE = Path(__file__).resolve().parent.parent
ATTENDU = Path(__file__).resolve().parent / "donnees" / "lecture_identique.json"
OFFICES = ("ARC", "BMH", "NMH")
DEMO_BMH = RACINE / "workbooks" / "RSE_2025-2027_BMH.xlsx"

# -- canonical form of what was read ----------------------------------------------------------------------------


def canonique(x: Any) -> Any:
    """JSON-ready, keeping the Python type of every scalar (1, 1.0 and True stay apart; floats exact)."""
    if x is None or isinstance(x, bool | int | str):
        return x
    if isinstance(x, float):
        return {"float": repr(x)}
    if isinstance(x, dt.datetime):
        return {"datetime": x.isoformat()}
    if isinstance(x, dt.date):
        return {"date": x.isoformat()}
    if isinstance(x, dt.time):
        return {"time": x.isoformat()}
    if isinstance(x, dt.timedelta):
        return {"timedelta": repr(x)}
    if isinstance(x, enum.Enum):
        return {type(x).__name__: canonique(x.value)}
    if isinstance(x, tuple):
        return {"tuple": [canonique(v) for v in x]}
    if isinstance(x, list):
        return [canonique(v) for v in x]
    if isinstance(x, set | frozenset):
        return {"set": sorted((canonique(v) for v in x), key=json.dumps)}
    if isinstance(x, dict):
        return {"dict": [[canonique(k), canonique(v)] for k, v in x.items()]}  # insertion order kept
    return {type(x).__name__: repr(x)}


def valeur_lue(v: Any) -> Any:
    return canonique((v.valeur, v.brut, v.onglet, v.cellule, v.valide, v.renseignee))


def serialiser(lu: ClasseurLu, fichier_fixe: bool) -> dict[str, Any]:
    registres = {}
    for registre, lignes in lu.registres.items():
        communes = colonnes_communes(lignes)
        registres[registre.value] = {
            "colonnes_communes": canonique(communes),
            "lignes": [
                canonique(
                    (
                        ligne.numero,
                        ligne.valeurs,
                        ligne.cellules,
                        ligne.bruts,
                        ligne.exclue,
                        sorted(c for c in ligne.cellules if ligne.a_la_colonne(c)),
                    )
                )
                for ligne in lignes
            ],
            "valides": canonique(lu.lignes_valides(registre)),
        }
    return {
        "fichier": lu.fichier,
        "taille": lu.taille if fichier_fixe else None,
        "empreinte": lu.empreinte if fichier_fixe else None,
        "nature": lu.nature.value,
        "lisible": lu.lisible,
        "versions": [lu.modele_version, lu.referentiel_empreinte, lu.outil_version, lu.office_modele],
        "office": lu.office_code,
        "doublon": lu.doublon,
        "nb_erreurs": lu.nb_erreurs,
        "identite": [[k, valeur_lue(v)] for k, v in lu.identite.items()],
        "saisies": [[canonique(k), valeur_lue(v)] for k, v in lu.saisies.items()],
        "calcules": [[canonique(k), valeur_lue(v)] for k, v in lu.calcules.items()],
        "registres": registres,
        "registres_presents": sorted(r.value for r in lu.registres_presents),
        "problemes": [canonique(p.en_dict()) for p in lu.problemes],
    }


# -- hostile copies (the reader's slower paths: sanitised copy, second reader, cell-by-cell registers) ----------


def _retoucher(source: Path, cible: Path, onglet: str, changer: Callable[[bytes], bytes]) -> Path:
    paquet = Paquet.ouvrir(source)
    try:
        feuille = paquet.feuille(onglet)
        assert feuille is not None
        membre = feuille.chemin
    finally:
        paquet.fermer()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(cible, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            donnees = zin.read(item.filename)
            if item.filename == membre:
                donnees = changer(donnees)
            zout.writestr(item, donnees)
    return cible


def _poser(source: Path, cible: Path, onglet: str, cellules: dict[str, bytes]) -> Path:
    def changer(xml: bytes) -> bytes:
        for ref, contenu in cellules.items():
            m = re.search(rb'<c r="%s"(?P<a>[^>]*?)(?:/>|>.*?</c>)' % ref.encode(), xml, re.S)
            assert m is not None, ref
            style = re.search(rb' s="\d+"', m.group("a"))
            nouvelle = b'<c r="%s"%s%s</c>' % (ref.encode(), style.group(0) if style else b"", contenu)
            xml = xml[: m.start()] + nouvelle + xml[m.end() :]
        return xml

    return _retoucher(source, cible, onglet, changer)


def _cellule_nommee(chemin: Path, nom: str) -> tuple[str, str]:
    paquet = Paquet.ouvrir(chemin)
    try:
        cible = paquet.cible_nom(nom)
        assert cible is not None, nom
        return cible[0], cible[1].replace("$", "")
    finally:
        paquet.fermer()


FICHE = {
    "nan": b"><v>NaN</v>",
    "1e400": b"><v>1E+400</v>",
    "spill": b' t="e"><v>#SPILL!</v>',
    "div0": b' t="e"><f>1/0</f><v>#DIV/0!</v>',
    "booleen-2": b' t="b"><v>2</v>',
    "formule-sans-resultat": b"><f>2+3</f>",
    "formule-calculee": b"><f>2+3</f><v>5</v>",
    "illisible": b' t="s"><v>999999</v>',
}
REGISTRE = {
    "H6": b' t="e"><v>#SPILL!</v>',
    "H7": b' t="e"><v>#REF!</v>',
    "H8": b"><v>NaN</v>",
    "F9": b"><v>-1E+12</v>",
    "H10": b"><f>1000*2</f>",
    "H11": b"><f>1000*3</f><v>3000</v>",
    "H12": b"><v>-5</v>",
    "C13": b' t="inlineStr"><is><t>  Pas dans la liste  </t></is>',
    "E14": b' t="inlineStr"><is><t>oui</t></is>',
    "F15": b' t="inlineStr"><is><t>12/03/2026</t></is>',
}


def hostiles(dossier: Path) -> list[Path]:
    onglet, ref = _cellule_nommee(DEMO_BMH, "F01_A1_2026_REALISE")
    chemins = [
        _poser(DEMO_BMH, dossier / f"fiche-{cas}.xlsx", onglet, {ref: contenu})
        for cas, contenu in FICHE.items()
    ]
    chemins.append(_poser(DEMO_BMH, dossier / "registre.xlsx", "Marchés", REGISTRE))
    chemins.append(
        _retoucher(
            DEMO_BMH,
            dossier / "sous-tableau.xlsx",
            "Véhicules",
            lambda xml: re.sub(
                rb'<dimension ref="([A-Z]+1):[A-Z]+\d+"/>', rb'<dimension ref="\1:Z900"/>', xml
            ).replace(
                b"</sheetData>",
                b'<row r="900"><c r="B900" t="inlineStr"><is><t>hors</t></is></c></row></sheetData>',
            ),
        )
    )
    return chemins


# -- the comparison -----------------------------------------------------------------------------------------------


def _empreinte(donnees: Any) -> str:
    texte = json.dumps(donnees, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(texte.encode()).hexdigest()


def _membres(chemin: Path) -> dict[str, str]:
    with zipfile.ZipFile(chemin) as z:
        membres = {}
        for nom in z.namelist():
            donnees = z.read(nom)
            if nom == "docProps/core.xml":
                donnees = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\1", donnees)
            membres[nom] = hashlib.sha256(donnees).hexdigest()
    return membres


def _lectures(tmp_path: Path) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    conv = referentiel()
    demo = ecrire_demo(tmp_path / "incomplete", incomplet=True)
    vierges = tmp_path / "vierges"
    vierges.mkdir()
    plans = {}
    for code in OFFICES:
        office = trouver_office(conv, code)
        plan = ecrire_classeur(vierges / nom_fichier_modele(office), office)
        plans[code] = _empreinte(canonique(plan.cellules))
    hostile = tmp_path / "hostiles"
    hostile.mkdir()
    cas: list[tuple[str, Path, bool]] = [
        (f"workbooks/{c.name}", c, True) for c in sorted((RACINE / "workbooks").glob("*.xlsx"))
    ]
    cas += [(f"incomplete/{c.name}", c, False) for c in demo]
    cas += [(f"vierges/{c.name}", c, False) for c in sorted(vierges.iterdir())]
    cas += [(f"hostiles/{c.name}", c, True) for c in hostiles(hostile)]
    lectures: dict[str, Any] = {}
    for nom, chemin, fixe in cas:
        texte = json.dumps(serialiser(lire_classeur(chemin, conv), fixe), ensure_ascii=False, sort_keys=True)
        lectures[nom] = json.loads(texte.replace(json.dumps(str(tmp_path))[1:-1], "<tmp>"))
    ecrits = {f"vierges/{c.name}": _membres(c) for c in sorted(vierges.iterdir())}
    ecrits |= {f"incomplete/{c.name}": _membres(c) for c in demo}
    ecrits["plans"] = plans
    return {nom: _empreinte(v) for nom, v in lectures.items()}, lectures, ecrits


def test_lecture_et_ecriture_identiques(tmp_path: Path) -> None:
    empreintes, lectures, ecrits = _lectures(tmp_path)
    if os.environ.get("RSE_XL_JSON"):
        sortie = Path(os.environ["RSE_XL_JSON"])
        sortie.mkdir(parents=True, exist_ok=True)
        for nom, v in lectures.items():
            (sortie / (nom.replace("/", "__") + ".json")).write_text(
                json.dumps(v, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
            )
    obtenu = {"lectures": empreintes, "ecritures": ecrits}
    if os.environ.get("RSE_XL_REGENERER"):
        ATTENDU.parent.mkdir(exist_ok=True)
        ATTENDU.write_text(json.dumps(obtenu, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("valeurs de référence réécrites")
    attendu = json.loads(ATTENDU.read_text(encoding="utf-8"))
    assert obtenu["lectures"] == attendu["lectures"]
    assert obtenu["ecritures"] == attendu["ecritures"]

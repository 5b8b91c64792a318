"""The demo workbooks, byte for byte: a golden record of every zip member of ``rse-xl demo`` and of
``rse-xl demo --incomplet``.

Each member is hashed (SHA-256) after masking its timestamps (the creation and modification dates of
docProps/core.xml; the writer fixes them today, the mask keeps the record valid should it stop). No cell holds
a generation date: the identity sheet's date is drawn from the seed like the rest of the data.

The workbooks also carry rse-xl's version and the référentiel's fingerprint, so bumping the version or
editing the référentiel changes them too: when a change is intended, record again with
``PYTHONPATH=. python tests/test_demo_identique.py`` and commit tests/donnees/sorties_demo.json.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
import zipfile
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
ENREGISTREMENT = Path(__file__).resolve().parent / "donnees" / "sorties_demo.json"
JEUX = {"demo": (), "incomplet": ("--incomplet",)}  # set of workbooks: extra arguments of rse-xl demo

_DATES_CORE = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


def masquer(membre: str, contenu: bytes) -> bytes:
    """The member's bytes with its timestamps replaced by a fixed text."""
    if membre == "docProps/core.xml":
        return _DATES_CORE.sub(rb"\1MASQUE\3", contenu)
    return contenu


def empreintes_classeur(chemin: Path) -> dict[str, str]:
    """SHA-256 of each member of the workbook, in the order of the zip."""
    with zipfile.ZipFile(chemin) as z:
        return {
            info.filename: hashlib.sha256(masquer(info.filename, z.read(info))).hexdigest()
            for info in z.infolist()
        }


def generer(dossier: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Write every set of demo workbooks under ``dossier`` through the command line, and hash them."""
    from rse_xl.cli import main

    resultat: dict[str, dict[str, dict[str, str]]] = {}
    for jeu, options in JEUX.items():
        cible = dossier / jeu
        code = main(["demo", *options, "-o", str(cible)])
        assert code == 0, f"rse-xl demo {' '.join(options)} a échoué (code {code})"
        resultat[jeu] = {c.name: empreintes_classeur(c) for c in sorted(cible.glob("*.xlsx"))}
    return resultat


def contexte() -> dict[str, str]:
    """What the workbooks embed besides the demo data: a change there explains a difference."""
    from rse_xl import __version__
    from rse_xl.referentiel import empreinte_referentiel

    return {"rse_xl": __version__, "empreinte_referentiel": empreinte_referentiel()}


def differences(
    attendu: dict[str, dict[str, dict[str, str]]], obtenu: dict[str, dict[str, dict[str, str]]]
) -> list[str]:
    ecarts: list[str] = []
    for jeu in sorted(set(attendu) | set(obtenu)):
        a, o = attendu.get(jeu, {}), obtenu.get(jeu, {})
        for classeur in sorted(set(a) | set(o)):
            if classeur not in o:
                ecarts.append(f"{jeu}/{classeur} : classeur absent")
                continue
            if classeur not in a:
                ecarts.append(f"{jeu}/{classeur} : classeur en trop")
                continue
            ma, mo = a[classeur], o[classeur]
            if list(ma) != list(mo):
                ecarts.append(f"{jeu}/{classeur} : membres différents ou dans un autre ordre")
            ecarts += [f"{jeu}/{classeur} : {m} modifié" for m in ma if m in mo and ma[m] != mo[m]]
    return ecarts


def test_classeurs_de_demo_identiques(tmp_path: Path) -> None:
    enregistre = json.loads(ENREGISTREMENT.read_text(encoding="utf-8"))
    ecarts = differences(enregistre["classeurs"], generer(tmp_path))
    if ecarts:
        avant, maintenant = enregistre["contexte"], contexte()
        cause = "" if avant == maintenant else f" (contexte enregistré {avant}, actuel {maintenant})"
        raise AssertionError(
            f"Les classeurs de démonstration ont changé{cause} :\n  "
            + "\n  ".join(ecarts)
            + "\nSi c'est voulu : PYTHONPATH=. python tests/test_demo_identique.py"
        )


def enregistrer() -> None:
    with tempfile.TemporaryDirectory() as dossier:
        classeurs = generer(Path(dossier))
    donnees = {"contexte": contexte(), "classeurs": classeurs}
    ENREGISTREMENT.parent.mkdir(parents=True, exist_ok=True)
    ENREGISTREMENT.write_text(json.dumps(donnees, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Enregistré : {ENREGISTREMENT}", file=sys.stderr)


if __name__ == "__main__":
    enregistrer()

"""Golden outputs of the summary: the sha256 of every zip member of the workbooks rse-xl writes.

Three inputs, consolidated for 2026 as of 30/11/2026 (one worker):

- ``demo.xlsx``: the three demo workbooks shipped in ``workbooks/``, marked as the demonstration (as
  ``rse-xl consolider`` with no input does);
- ``incomplet.xlsx``: the « campagne incomplète » (``rse-xl demo --incomplet``, ``ecrire_demo(incomplet=True)``);
- ``maitre.xlsm``: the master filled with the demo consolidation (``rse-xl consolider -o X.xlsm``).

What would differ from one run or one machine to another is made fixed, then masked:

- the inputs and outputs are written under a scratch folder that is the current directory, and named by
  relative paths: the Journal shows ``entrees/demo/RSE_….xlsx`` wherever the folder is;
- the consolidation's ``genere_le`` (the clock) and each file's ``modifie`` (its mtime) are replaced by
  ``GENERE_LE`` before writing;
- then, in every member, ``MASQUES`` blank what is still a date or time of the run: the
  ``dcterms:created`` / ``dcterms:modified`` elements of ``docProps/core.xml``, and the date and time after
  « générée le » / « Générée le » (Accueil's subtitle, every page footer).

``python tests/sorties_de_reference.py`` rewrites ``tests/donnees/sorties_synthese.json`` from the current
code; ``tests/test_sorties_identiques.py`` checks the current code against it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(RACINE))

from rse_xl.consolidation import Consolidation, consolider  # noqa: E402
from rse_xl.demo import ecrire_demo  # noqa: E402
from rse_xl.maitre import ecrire_maitre  # noqa: E402
from rse_xl.synthese import ecrire_synthese  # noqa: E402

REFERENCE = Path(__file__).resolve().parent / "donnees" / "sorties_synthese.json"
ANNEE = 2026
AUJOURDHUI = dt.date(2026, 11, 30)
GENERE_LE = dt.datetime(2026, 11, 30, 9, 15)

# (pattern, replacement) applied to the text of every member, in this order.
MASQUES: tuple[tuple[re.Pattern[bytes], bytes], ...] = (
    (re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)"), rb"\1#\3"),
    (re.compile(r"([Gg]énérée? le )\d{2}/\d{2}/\d{4} à \d{2}:\d{2}".encode()), rb"\1#"),
)


def masquer(contenu: bytes) -> bytes:
    for motif, remplacement in MASQUES:
        contenu = motif.sub(remplacement, contenu)
    return contenu


def empreintes(classeur: Path) -> dict[str, str]:
    """Member name → sha256 of its masked content."""
    with zipfile.ZipFile(classeur) as z:
        return {nom: hashlib.sha256(masquer(z.read(nom))).hexdigest() for nom in sorted(z.namelist())}


def _figer(conso: Consolidation) -> Consolidation:
    conso.genere_le = GENERE_LE
    conso.fichiers = [dataclasses.replace(fi, modifie=GENERE_LE) for fi in conso.fichiers]
    return conso


def _consolider(dossier: Path) -> Consolidation:
    chemins = sorted(dossier.glob("*.xlsx"))
    assert chemins, dossier
    return _figer(consolider(chemins, annee=ANNEE, aujourdhui=AUJOURDHUI, workers=1))


def generer(dossier: Path) -> dict[str, Path]:
    """Write the three outputs under ``dossier`` (which becomes the current directory meanwhile)."""
    resultat: dict[str, Path] = {}
    with contextlib.chdir(dossier):
        demo = Path("entrees", "demo")
        demo.mkdir(parents=True)
        for classeur in sorted((RACINE / "workbooks").glob("*.xlsx")):
            shutil.copyfile(classeur, demo / classeur.name)
        incomplet = Path("entrees", "incomplet")
        incomplet.mkdir(parents=True)
        ecrire_demo(incomplet, incomplet=True)
        sorties = Path("sorties")
        sorties.mkdir()

        conso = _consolider(demo)
        conso.demonstration = True
        resultat["demo.xlsx"] = ecrire_synthese(conso, sorties / "demo.xlsx")
        resultat["maitre.xlsm"] = ecrire_maitre(sorties / "maitre.xlsm", conso)
        resultat["incomplet.xlsx"] = ecrire_synthese(_consolider(incomplet), sorties / "incomplet.xlsx")
    return {nom: dossier / chemin for nom, chemin in resultat.items()}


def calculer() -> dict[str, dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="rse-xl-reference-") as tmp:
        return {nom: empreintes(chemin) for nom, chemin in sorted(generer(Path(tmp)).items())}


def main() -> None:
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(json.dumps(calculer(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{REFERENCE} écrit.")


if __name__ == "__main__":
    main()

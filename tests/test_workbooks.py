"""The demo workbooks shipped in workbooks/ are exactly what `rse-xl demo` writes."""

from __future__ import annotations

import zipfile
from pathlib import Path

from rse_xl.demo import ecrire_demo

RACINE = Path(__file__).resolve().parent.parent


def _parties(chemin: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(chemin) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_classeurs_de_demo_a_jour(tmp_path: Path) -> None:
    neufs = ecrire_demo(tmp_path, graine=0)
    for neuf in neufs:
        commite = RACINE / "workbooks" / neuf.name
        assert commite.exists(), f"{commite} manquant : rse-xl demo -o workbooks"
        a, b = _parties(commite), _parties(neuf)
        differentes = sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))
        assert not differentes, f"{commite.name} périmé (rse-xl demo -o workbooks) : {differentes}"
    assert sorted(p.name for p in (RACINE / "workbooks").glob("*.xlsx")) == sorted(p.name for p in neufs)

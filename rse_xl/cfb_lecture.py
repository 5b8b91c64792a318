"""Compound files (MS-CFB, the container of .xls and of encrypted workbooks): the names of their streams.

``rse_xl.ooxml`` re-exports every name.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

__all__ = ["noms_cfb"]

_CFB_FIN = 0xFFFFFFFA  # sector numbers from here on are markers (end of chain, free, FAT, DIFAT)
_CFB_SECTEURS_MAX = 1 << 16  # sectors of the FAT or of the directory followed: far beyond a real workbook


def noms_cfb(f: BinaryIO) -> set[str]:
    """The names of the streams and storages of a compound file (MS-CFB), read from its directory.

    The directory may sit anywhere in the file (LibreOffice writes it after the ``Workbook`` stream), so the
    names are found by following the directory's chain of sectors through the FAT, not by scanning the start
    of the file. Every chain is bounded and every sector number checked: a damaged or crafted file gives
    the names read so far, never a loop or a huge allocation.
    """
    f.seek(0)
    entete = f.read(512)
    if len(entete) < 512:
        return set()
    decalage = struct.unpack_from("<H", entete, 30)[0]
    if decalage not in (9, 12):  # 512-byte sectors (version 3) or 4096-byte ones (version 4)
        return set()
    taille = 1 << decalage
    f.seek(0, os.SEEK_END)
    nb_secteurs = max(0, (f.tell() - taille) // taille)

    def secteur(n: int) -> bytes:
        if n >= nb_secteurs:
            return b""
        f.seek(taille * (n + 1))
        return f.read(taille)

    nb_fat, premier_rep = struct.unpack_from("<II", entete, 44)
    difat_debut, nb_difat = struct.unpack_from("<II", entete, 68)
    secteurs_fat = [n for n in struct.unpack_from("<109I", entete, 76) if n < _CFB_FIN]
    suivant, vus = difat_debut, 0
    while suivant < _CFB_FIN and vus < min(nb_difat, _CFB_SECTEURS_MAX):
        bloc = secteur(suivant)
        if len(bloc) < taille:
            break
        entrees = struct.unpack_from(f"<{taille // 4}I", bloc)
        secteurs_fat += [n for n in entrees[:-1] if n < _CFB_FIN]
        suivant, vus = entrees[-1], vus + 1
    fat: list[int] = []
    for n in secteurs_fat[: min(nb_fat, _CFB_SECTEURS_MAX)]:
        bloc = secteur(n)
        if len(bloc) == taille:
            fat.extend(struct.unpack_from(f"<{taille // 4}I", bloc))
    noms: set[str] = set()
    n, vus_rep = premier_rep, set[int]()
    while n < _CFB_FIN and n not in vus_rep and len(vus_rep) < _CFB_SECTEURS_MAX:
        vus_rep.add(n)
        bloc = secteur(n)
        for debut in range(0, len(bloc) - 127, 128):
            longueur = struct.unpack_from("<H", bloc, debut + 64)[0]
            if 2 <= longueur <= 64 and bloc[debut + 66] in (1, 2, 5):  # storage, stream, root
                noms.add(bloc[debut : debut + longueur - 2].decode("utf-16-le", "replace"))
        n = fat[n] if n < len(fat) else _CFB_FIN
    return noms

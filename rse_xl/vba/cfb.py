"""Minimal MS-CFB writer (version 3, 512-byte sectors): no maintained Python library writes new files."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["MAX_FILE_SIZE", "cfb_name_key", "write_compound_file"]

_SECTOR = 512  # sector shift 9 (2.2)
_MINI_SECTOR = 64  # mini sector shift 6 (2.2)
_MINI_CUTOFF = 4096  # streams strictly smaller than this live in the mini stream (2.2)
_HEADER_DIFAT = 109  # DIFAT entries held by the header (2.2)
_ENTRIES_PER_SECTOR = _SECTOR // 4

# Special sector numbers (2.1).
_FATSECT = 0xFFFFFFFD
_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_NOSTREAM = 0xFFFFFFFF

# Object types and colours of a directory entry (2.6.1).
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1

# With the DIFAT in the header only, at most 109 FAT sectors map 109 * 128 sectors.
MAX_FILE_SIZE = _HEADER_DIFAT * _ENTRIES_PER_SECTOR * _SECTOR

_FORBIDDEN = set("/\\:!")  # characters a CFB name cannot hold (2.6.1)


@dataclass
class _Entry:
    """One directory entry being laid out: a storage (with children) or a stream (with data)."""

    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    sid: int = 0
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    color: int = _BLACK
    start: int = 0
    size: int = 0


def cfb_name_key(name: str) -> tuple[int, list[int]]:
    """Sort key of sibling names (2.6.4): shorter first, then per UTF-16 code unit in upper case."""
    units = name.encode("utf-16-le")
    codes = [int.from_bytes(units[i : i + 2], "little") for i in range(0, len(units), 2)]
    upper = []
    for code in codes:
        # Simple (one-to-one) upper-casing only: "ß".upper() == "SS" must not change the length.
        folded = chr(code).upper() if code < 0xD800 or code > 0xDFFF else chr(code)
        upper.append(ord(folded) if len(folded) == 1 and ord(folded) <= 0xFFFF else code)
    return len(codes), upper


def write_compound_file(streams: Mapping[str, bytes], *, root_clsid: bytes = bytes(16)) -> bytes:
    """Return a CFB v3 file holding `streams`, keyed by "Storage/Stream" paths; storages are implied."""
    if len(root_clsid) != 16:
        raise ValueError("le CLSID de la racine doit faire 16 octets")
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        _insert(root, path, bytes(data))
    entries = _number(root)
    for entry in entries:
        if entry.kind != _STREAM:
            entry.child = _build_tree(list(entry.children.values()))

    # Small streams go to the mini stream, each padded to whole 64-byte mini sectors (2.4).
    mini_stream = bytearray()
    mini_fat: list[int] = []
    big = []
    for entry in entries:
        if entry.kind != _STREAM:
            continue
        entry.size = len(entry.data)
        if entry.size == 0:
            entry.start = _ENDOFCHAIN
        elif entry.size < _MINI_CUTOFF:
            first = len(mini_fat)
            count = -(-entry.size // _MINI_SECTOR)
            mini_fat += [*range(first + 1, first + count), _ENDOFCHAIN]
            mini_stream += entry.data.ljust(count * _MINI_SECTOR, b"\0")
            entry.start = first
        else:
            big.append(entry)

    def sectors(size: int) -> int:
        return -(-size // _SECTOR)

    dir_count = sectors(len(entries) * 128)
    minifat_count = sectors(len(mini_fat) * 4)
    ministream_count = sectors(len(mini_stream))
    others = dir_count + minifat_count + ministream_count + sum(sectors(e.size) for e in big)
    fat_count = 1
    while fat_count * _ENTRIES_PER_SECTOR < fat_count + others:
        fat_count += 1
    if fat_count > _HEADER_DIFAT:
        raise ValueError(f"fichier composé trop gros (> {MAX_FILE_SIZE} octets) : DIFAT étendue non gérée")

    # Sector layout: FAT, directory, mini FAT, mini stream, then every big stream.
    fat = [_FATSECT] * fat_count
    body = bytearray()

    def place(data: bytes) -> int:
        count = sectors(len(data))
        if count == 0:
            return _ENDOFCHAIN
        first = fat_count + len(body) // _SECTOR
        fat.extend([*range(first + 1, first + count), _ENDOFCHAIN])
        body.extend(data.ljust(count * _SECTOR, b"\0"))
        return first

    dir_placeholder = len(body)
    dir_start = place(bytes(dir_count * _SECTOR))
    minifat_start = place(b"".join(struct.pack("<I", n) for n in mini_fat))
    root.start = place(bytes(mini_stream))
    root.size = len(mini_stream)
    for entry in big:
        entry.start = place(entry.data)

    directory = b"".join(_pack_entry(e, root_clsid if e is root else bytes(16)) for e in entries)
    free_entry = _pack_free_entry()
    directory += free_entry * (dir_count * 4 - len(entries))
    body[dir_placeholder : dir_placeholder + len(directory)] = directory

    fat += [_FREESECT] * (fat_count * _ENTRIES_PER_SECTOR - len(fat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    header = _pack_header(fat_count, dir_start, minifat_start, minifat_count)
    return header + fat_bytes + bytes(body)


def _insert(root: _Entry, path: str, data: bytes) -> None:
    """Add a stream at `path`, creating intermediate storages; reject invalid or clashing names."""
    parts = path.split("/")
    node = root
    for depth, part in enumerate(parts):
        _check_name(part, path)
        last = depth == len(parts) - 1
        key = part.upper()
        existing = node.children.get(key)
        if existing is None:
            existing = _Entry(part, _STREAM if last else _STORAGE, data if last else b"")
            node.children[key] = existing
        elif last or existing.kind != _STORAGE:
            raise ValueError(f"chemin en double ou en conflit dans le fichier composé : {path!r}")
        node = existing


def _check_name(name: str, path: str) -> None:
    """Reject names CFB cannot store: empty, longer than 31 UTF-16 code units, or with / \\ : !."""
    if not name or len(name.encode("utf-16-le")) > 62 or _FORBIDDEN & set(name):
        raise ValueError(f"nom d'entrée invalide dans le fichier composé : {path!r}")


def _number(root: _Entry) -> list[_Entry]:
    """Give every entry its directory id (root is 0), breadth first."""
    ordered = [root]
    for entry in ordered:
        ordered.extend(entry.children.values())
    for sid, entry in enumerate(ordered):
        entry.sid = sid
    return ordered


def _build_tree(siblings: list[_Entry]) -> int:
    """Link siblings as a balanced red-black tree (2.6.4) and return the root id, or NOSTREAM."""
    siblings.sort(key=lambda e: cfb_name_key(e.name))
    # Splitting at the middle fills every level but the last; colouring that last level red (when
    # it is partial) gives every path the same number of black nodes and no red node a red child.
    full_levels = (len(siblings) + 1).bit_length() - 1

    def link(low: int, high: int, depth: int) -> int:
        if low >= high:
            return _NOSTREAM
        middle = (low + high) // 2
        node = siblings[middle]
        node.color = _RED if depth >= full_levels else _BLACK
        node.left = link(low, middle, depth + 1)
        node.right = link(middle + 1, high, depth + 1)
        return node.sid

    return link(0, len(siblings), 0)


def _pack_entry(entry: _Entry, clsid: bytes) -> bytes:
    """Serialise one 128-byte directory entry (2.6.1); times stay zero for reproducible output."""
    name = entry.name.encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name,
        len(name) + 2,  # includes the terminating null character
        entry.kind,
        entry.color,
        entry.left,
        entry.right,
        entry.child,
        clsid,
        0,  # state bits
        0,  # creation time
        0,  # modified time
        entry.start,
        entry.size,  # version 3: high 32 bits are zero since streams stay below 4 GB
    )


def _pack_free_entry() -> bytes:
    """Serialise an unused directory entry: all zero but its three links set to NOSTREAM (2.6.3)."""
    return struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, bytes(16), 0, 0, 0, 0, 0
    )


def _pack_header(fat_count: int, dir_start: int, minifat_start: int, minifat_count: int) -> bytes:
    """Serialise the 512-byte header (2.2) with the whole DIFAT inline."""
    difat = list(range(fat_count)) + [_FREESECT] * (_HEADER_DIFAT - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        bytes(16),  # header CLSID
        0x003E,  # minor version
        0x0003,  # major version 3
        0xFFFE,  # little-endian byte order mark
        9,  # sector shift: 512-byte sectors
        6,  # mini sector shift: 64-byte mini sectors
        bytes(6),
        0,  # number of directory sectors: must be zero in version 3
        fat_count,
        dir_start,
        0,  # transaction signature
        _MINI_CUTOFF,
        minifat_start,
        minifat_count,
        _ENDOFCHAIN,  # first DIFAT sector: none
        0,  # number of DIFAT sectors
    )
    return header + struct.pack(f"<{_HEADER_DIFAT}I", *difat)

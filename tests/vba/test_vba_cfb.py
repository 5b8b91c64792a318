"""MS-CFB writer: olefile reads back what we write, and the structures meet the spec's MUSTs."""

from __future__ import annotations

import io
import random
import struct

import pytest

from rse_xl.vba.cfb import MAX_FILE_SIZE, cfb_name_key, write_compound_file

olefile = pytest.importorskip("olefile")

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def read_back(data: bytes):
    """Open with olefile, turning every defect it notices (even minor ones) into an exception."""
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_POTENTIAL)


def check_structure(data: bytes) -> None:
    """Parse the file by hand and assert header, FAT and directory tree invariants (MS-CFB 2.2-2.6)."""
    assert len(data) % 512 == 0
    header = data[:512]
    assert header[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    minor, major, order, shift, mini_shift = struct.unpack_from("<HHHHH", header, 24)
    assert (minor, major, order, shift, mini_shift) == (0x3E, 3, 0xFFFE, 9, 6)
    dir_sectors, fat_count, dir_start, _, cutoff, minifat_start, minifat_count, difat_start, difat_count = (
        struct.unpack_from("<IIIIIIIII", header, 40)
    )
    assert dir_sectors == 0 and cutoff == 4096 and difat_start == ENDOFCHAIN and difat_count == 0
    difat = struct.unpack_from("<109I", header, 76)
    assert all(sector == FREESECT for sector in difat[fat_count:])
    sector_count = len(data) // 512 - 1

    def sector(n: int) -> bytes:
        return data[512 + n * 512 : 1024 + n * 512]

    fat = []
    for n in difat[:fat_count]:
        fat += struct.unpack("<128I", sector(n))
    assert len(fat) >= sector_count
    assert all(fat[n] == FATSECT for n in difat[:fat_count])
    assert all(entry == FREESECT for entry in fat[sector_count:])
    owner: dict[int, str] = {}

    def chain(start: int, what: str) -> list[int]:
        sectors = []
        while start != ENDOFCHAIN:
            assert start < sector_count and start not in owner, f"{what}: secteur {start} invalide ou partagé"
            owner[start] = what
            sectors.append(start)
            start = fat[start]
        return sectors

    directory = b"".join(sector(n) for n in chain(dir_start, "directory"))
    entries = [directory[i : i + 128] for i in range(0, len(directory), 128)]
    minifat_bytes = b"".join(sector(n) for n in chain(minifat_start, "minifat"))
    assert len(minifat_bytes) == minifat_count * 512
    mini_fat = struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes)

    def parse(raw: bytes):
        name_len, kind, color, left, right, child = struct.unpack_from("<HBBIII", raw, 64)
        start, size = struct.unpack_from("<IQ", raw, 116)
        name = raw[: max(name_len - 2, 0)].decode("utf-16-le")
        return name, kind, color, left, right, child, start, size

    parsed = [parse(raw) for raw in entries]
    root = parsed[0]
    assert root[0] == "Root Entry" and root[1] == 5
    mini_stream = b"".join(sector(n) for n in chain(root[6], "ministream"))
    mini_owner: set[int] = set()
    for sid, (_name, kind, _color, _left, _right, _child, start, size) in enumerate(parsed):
        if kind == 0:
            assert entries[sid] == bytes(68) + b"\xff" * 12 + bytes(48)  # unused entry (2.6.3)
        if kind != 2 or size == 0:
            continue
        if size < 4096:
            n, count = start, 0
            while n != ENDOFCHAIN:
                assert n not in mini_owner
                mini_owner.add(n)
                n, count = mini_fat[n], count + 1
            assert count == -(-size // 64) and len(mini_stream) >= count * 64
        else:
            assert len(chain(start, f"stream {sid}")) == -(-size // 512)

    def check_tree(sid: int, low, high) -> int:
        """Return the black height of the sibling subtree at sid, checking order and colours."""
        if sid == NOSTREAM:
            return 1
        name, _kind, color, left, right, child, *_ = parsed[sid]
        key = cfb_name_key(name)
        assert (low is None or low < key) and (high is None or key < high), f"ordre des frères : {name}"
        for son in (left, right):
            if color == 0 and son != NOSTREAM:
                assert parsed[son][2] == 1, f"deux rouges de suite sous {name}"
        heights = {check_tree(left, low, key), check_tree(right, key, high)}
        assert len(heights) == 1, f"hauteurs noires inégales sous {name}"
        if child != NOSTREAM:
            assert parsed[child][2] == 1, "la racine d'un arbre de frères doit être noire"
            check_tree(child, None, None)
        return heights.pop() + color

    assert root[5] == NOSTREAM or parsed[root[5]][2] == 1
    check_tree(root[5], None, None)


def test_streams_read_back_with_olefile():
    rng = random.Random(5)
    streams = {
        "PROJECT": b"ID=...\r\n",
        "VBA/dir": rng.randbytes(700),
        "VBA/mini_max": rng.randbytes(4095),
        "VBA/big_min": rng.randbytes(4096),
        "VBA/big": rng.randbytes(300_000),
        "VBA/empty": b"",
        "VBA/Sub/deep": b"deep",
    }
    data = write_compound_file(streams)
    check_structure(data)
    ole = read_back(data)
    assert sorted("/".join(path) for path in ole.listdir()) == sorted(streams)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content
        assert ole.get_size(path) == len(content)
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE
    assert ole.get_type("VBA/Sub") == olefile.STGTY_STORAGE


@pytest.mark.parametrize("count", [*range(1, 20), 31, 32, 33, 64, 100, 250])
def test_many_siblings_form_a_valid_red_black_tree(count):
    rng = random.Random(count)
    names = [f"s{n}" + "x" * rng.randrange(5) for n in range(count)]
    streams = {f"Dossier/{name}": name.encode() * rng.randrange(1, 40) for name in names}
    data = write_compound_file(streams)
    check_structure(data)
    ole = read_back(data)
    for path, content in streams.items():
        assert ole.openstream(path).read() == content


def test_large_file_uses_many_fat_sectors():
    big = random.Random(0).randbytes(3_000_000)
    data = write_compound_file({"a": big, "b": big[::-1], "c": b"small"})
    assert struct.unpack_from("<I", data, 44)[0] > 40  # FAT sectors, all listed in the header DIFAT
    check_structure(data)
    ole = read_back(data)
    assert ole.openstream("a").read() == big
    assert ole.openstream("b").read() == big[::-1]
    assert ole.openstream("c").read() == b"small"


def test_root_clsid_and_reproducible_output():
    clsid = bytes(range(16))
    first = write_compound_file({"x": b"1", "y": b"2"}, root_clsid=clsid)
    assert first == write_compound_file({"x": b"1", "y": b"2"}, root_clsid=clsid)
    assert read_back(first).root.clsid == "03020100-0504-0706-0809-0A0B0C0D0E0F"


def test_name_order_is_length_then_case_insensitive():
    names = ["b", "AA", "a", "_VBA_PROJECT", "ThisWorkbook", "dir", "Module1", "Ab"]
    ordered = sorted(names, key=cfb_name_key)
    assert ordered == ["a", "b", "AA", "Ab", "dir", "Module1", "ThisWorkbook", "_VBA_PROJECT"]
    assert cfb_name_key("straße") == (6, [ord(c) for c in "STRAßE"])  # no "SS" expansion


@pytest.mark.parametrize(
    "streams",
    [
        {"x" * 32: b""},
        {"a:b": b""},
        {"bad!": b""},
        {"": b""},
        {"A": b"", "a": b""},
        {"x": b"", "x/y": b""},
        {"x/y": b"", "x": b""},
    ],
    ids=[
        "trop-long",
        "deux-points",
        "point-exclamation",
        "vide",
        "casse",
        "flux-puis-stockage",
        "stockage-puis-flux",
    ],
)
def test_invalid_names_raise(streams):
    with pytest.raises(ValueError):
        write_compound_file(streams)


def test_too_large_raises():
    with pytest.raises(ValueError, match="trop gros"):
        write_compound_file({"x": bytes(MAX_FILE_SIZE)})

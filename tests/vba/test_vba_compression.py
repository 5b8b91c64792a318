"""MS-OVBA 2.4.1 compression: spec vectors, round trips, and agreement with olevba's decompressor."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rse_xl.vba.compression import compress, decompress

olevba = pytest.importorskip("oletools.olevba")

# MS-OVBA 3.2.1 "No Compression Example" and 3.2.2 "Normal Compression Example".
SPEC_RAW_TEXT = b"abcdefghijklmnopqrstuv."
SPEC_RAW = bytes.fromhex(
    "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"
)
SPEC_NORMAL_TEXT = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
SPEC_NORMAL = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20 6D 6E 6F 70 06"
    " 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"
)
# Our own maximum-compression vector, checked against olevba below: one literal "a", then one copy
# token of offset 1 and length 72 (0x45 + 3) at chunk position 1, where the offset field is 4 bits.
RUN_TEXT = b"a" * 73
RUN = bytes.fromhex("01 03 B0 02 61 45 00")

VECTORS = [(SPEC_RAW_TEXT, SPEC_RAW), (SPEC_NORMAL_TEXT, SPEC_NORMAL), (RUN_TEXT, RUN)]


def chunks(container: bytes) -> list[tuple[int, bool, bytes]]:
    """Split a CompressedContainer into (header, compressed flag, chunk data), checking each header."""
    assert container[0] == 0x01
    found = []
    pos = 1
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        assert header >> 12 & 0b111 == 0b011, "signature 0b011 attendue"
        size = (header & 0x0FFF) + 3
        found.append((header, bool(header & 0x8000), container[pos + 2 : pos + size]))
        assert len(found[-1][2]) == size - 2
        pos += size
    assert pos == len(container)
    return found


@pytest.mark.parametrize(("text", "vector"), VECTORS)
def test_known_vectors_decompress(text, vector):
    assert decompress(vector) == text
    assert olevba.decompress_stream(vector) == text


@pytest.mark.parametrize(("text", "vector"), VECTORS)
def test_known_vectors_compress_byte_for_byte(text, vector):
    assert compress(text) == vector


def test_empty():
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""
    assert olevba.decompress_stream(b"\x01") == b""


def test_incompressible_full_chunk_is_raw():
    data = random.Random(1).randbytes(4096 * 2 + 100)
    container = compress(data)
    found = chunks(container)
    # Two full incompressible chunks: raw, header 0x3FFF (size 4098, flag 0), data verbatim.
    assert [(header, flag) for header, flag, _ in found[:2]] == [(0x3FFF, False), (0x3FFF, False)]
    assert found[0][2] == data[:4096] and found[1][2] == data[4096:8192]
    assert found[2][1] is True  # 100 literal bytes do fit a compressed chunk
    assert decompress(container) == data == olevba.decompress_stream(container)


@pytest.mark.parametrize("size", [3641, 3800, 4095])
def test_short_incompressible_last_chunk_stays_lossless(size):
    # A zero-padded RawChunk (2.4.1.3.10) would add bytes; we emit compressed chunks instead.
    data = random.Random(size).randbytes(4096 + size)
    container = compress(data)
    assert all(flag for _, flag, _ in chunks(container)[1:])
    assert decompress(container) == data == olevba.decompress_stream(container)


def copy_tokens(chunk: bytes) -> list[tuple[int, int, int]]:
    """Return (decompressed position, offset, length) of each CopyToken of one compressed chunk."""
    found, pos, produced = [], 0, 0
    while pos < len(chunk):
        flags, pos = chunk[pos], pos + 1
        for bit in range(8):
            if pos >= len(chunk):
                break
            if not flags >> bit & 1:
                pos, produced = pos + 1, produced + 1
                continue
            token = int.from_bytes(chunk[pos : pos + 2], "little")
            bits = max((produced - 1).bit_length(), 4)
            offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
            found.append((produced, offset, length))
            pos, produced = pos + 2, produced + length
    return found


def test_copy_token_bit_length_follows_chunk_position():
    block = random.Random(7).randbytes(1500)
    data = block + block + block[:1096] + b"tail"
    container = compress(data)
    tokens = copy_tokens(chunks(container)[0][2])
    # At 1500 the offset field is 11 bits, so a token copies at most 34 bytes; past 2048 it is 12 bits
    # and 18 bytes at most (2.4.1.3.19.1). Greedy matching always takes the longest allowed copy.
    assert tokens[0] == (1500, 1500, 34)
    assert {length for position, _, length in tokens if 2048 < position < 4000} == {18}
    assert decompress(container) == data == olevba.decompress_stream(container)


def test_matches_never_cross_a_chunk_boundary():
    block = random.Random(3).randbytes(4096)
    data = block + block  # identical chunks: the second may not refer to the first
    container = compress(data)
    assert [flag for _, flag, _ in chunks(container)] == [False, False]
    assert decompress(container) == data == olevba.decompress_stream(container)


def test_vba_source_compresses_well(xlwings_dir):
    source = (xlwings_dir / "xlwings.bas").read_bytes()
    container = compress(source)
    assert len(container) < len(source) * 0.6
    assert all(flag for _, flag, _ in chunks(container))
    assert decompress(container) == source == olevba.decompress_stream(container)


@pytest.mark.parametrize(
    "bad",
    [b"", b"\x02\x00\xb0", b"\x01\x00", b"\x01\xff\xbf\x00", b"\x01\x01\xb0\x01\x00\x00", b"\x01\x10\x30abc"],
    ids=["vide", "signature", "en-tete-tronque", "bloc-tronque", "copie-en-debut", "brut-trop-court"],
)
def test_malformed_input_raises(bad):
    with pytest.raises(ValueError):
        decompress(bad)


def _pieces(draw_parts):
    return b"".join(draw_parts)


binary_runs = st.lists(
    st.one_of(
        st.binary(max_size=64),
        st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=4), st.integers(1, 3000)),
    ),
    max_size=12,
).map(_pieces)
large_random = st.builds(
    lambda seed, n: random.Random(seed).randbytes(n), st.integers(0, 2**32), st.integers(0, 20000)
)
mixed = st.builds(lambda a, b, c: a + b + c, binary_runs, large_random, binary_runs)


@settings(deadline=None, max_examples=150)
@given(st.one_of(st.binary(max_size=300), binary_runs, large_random, mixed))
def test_round_trip(data):
    container = compress(data)
    chunks(container)
    assert decompress(container) == data
    assert olevba.decompress_stream(container) == data

"""MS-OVBA 2.4.1 compression: the run-length/LZ77 scheme VBA uses for `dir` and module streams."""

from __future__ import annotations

__all__ = ["compress", "decompress"]

_CHUNK = 4096  # DecompressedChunk size (2.4.1.1.3)
_SIGNATURE = 0x01  # CompressedContainer SignatureByte (2.4.1.1.1)
_RAW_HEADER = 0x3FFF  # raw chunk: size field 4095 (= 4098 - 3), signature 0b011, flag 0 (2.4.1.1.5)
_MAX_CHAIN = 1024  # candidates examined per position: bounds the worst case, barely costs ratio


def compress(data: bytes) -> bytes:
    """Compress `data` into a CompressedContainer (2.4.1.3.6) that Office, LibreOffice and olevba read."""
    out = bytearray([_SIGNATURE])
    view = bytes(data)
    start = 0
    while start < len(view):
        end = min(start + _CHUNK, len(view))
        out += _encode_chunk(view, start, end)
        start = end
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer (2.4.1.3.1); raise ValueError on any malformed input."""
    if not data or data[0] != _SIGNATURE:
        raise ValueError("conteneur compressé MS-OVBA invalide : octet de signature 0x01 absent")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise ValueError(f"en-tête de bloc tronqué à l'octet {pos}")
        header = data[pos] | data[pos + 1] << 8
        # CompressedChunkHeader (2.4.1.1.5): 12 bits size - 3, 3 bits signature 0b011, 1 bit flag.
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError(f"signature de bloc invalide à l'octet {pos}")
        end = pos + size
        if end > len(data):
            raise ValueError(f"bloc tronqué à l'octet {pos} : {size} octets annoncés")
        if header & 0x8000:
            _decode_tokens(data, pos + 2, end, out)
        elif size != _CHUNK + 2:
            # A RawChunk always carries exactly 4096 bytes (2.4.1.1.6, 2.4.1.3.3).
            raise ValueError(f"bloc non compressé de taille {size - 2} à l'octet {pos} (4096 attendus)")
        else:
            out += data[pos + 2 : end]
        pos = end
    return bytes(out)


def _copy_token_bits(offset_in_chunk: int) -> int:
    """Return the offset field width of a CopyToken at this decompressed chunk position (2.4.1.3.19.1)."""
    # BitCount = max(ceil(log2(difference)), 4); (d - 1).bit_length() is ceil(log2(d)) for d >= 1.
    return max((offset_in_chunk - 1).bit_length(), 4)


def _encode_chunk(data: bytes, start: int, end: int) -> bytes:
    """Encode one DecompressedChunk as a CompressedChunk, raw when compressing does not fit (2.4.1.3.7)."""
    tokens = _tokenize(data, start, end)
    if len(tokens) <= _CHUNK:
        return (0xB000 | (len(tokens) - 1)).to_bytes(2, "little") + tokens
    if end - start == _CHUNK:
        return _RAW_HEADER.to_bytes(2, "little") + data[start:end]
    # Short last chunk that does not compress: 2.4.1.3.10 would pad a RawChunk with zeros up to
    # 4096 bytes, which changes the text. Two smaller all-literal CompressedChunks are lossless and
    # every decompressor restarts the copy-token geometry at each chunk header (2.4.1.3.2).
    middle = start + (end - start) // 2
    return _encode_chunk(data, start, middle) + _encode_chunk(data, middle, end)


def _tokenize(data: bytes, start: int, end: int) -> bytearray:
    """Return the TokenSequences (2.4.1.1.7) for data[start:end], greedy longest match within the chunk."""
    out = bytearray()
    chains: dict[bytes, list[int]] = {}
    current = start

    def remember(position: int) -> None:
        if position + 3 <= end:
            chains.setdefault(data[position : position + 3], []).append(position)

    while current < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if current >= end:
                break
            length, offset = _find_match(data, start, current, end, chains)
            if length:
                bit_count = _copy_token_bits(current - start)
                token = ((offset - 1) << (16 - bit_count)) | (length - 3)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
                for position in range(current, current + length):
                    remember(position)
                current += length
            else:
                out.append(data[current])
                remember(current)
                current += 1
        out[flag_at] = flags
    return out


def _find_match(
    data: bytes, start: int, current: int, end: int, chains: dict[bytes, list[int]]
) -> tuple[int, int]:
    """Return (length, offset) of the longest earlier match in the chunk, or (0, 0) (2.4.1.3.19.4)."""
    if current + 3 > end:
        return 0, 0
    candidates = chains.get(data[current : current + 3])
    if not candidates:
        return 0, 0
    # MaximumLength depends on how far into the chunk we are (2.4.1.3.19.1).
    maximum = min((0xFFFF >> _copy_token_bits(current - start)) + 3, end - current)
    best_length = best_position = 0
    for examined, candidate in enumerate(reversed(candidates)):
        if examined == _MAX_CHAIN:
            break
        length = 3
        # Overlapping matches (candidate + length > current) are fine: the decoder copies byte by byte.
        while length < maximum and data[candidate + length] == data[current + length]:
            length += 1
        if length > best_length:
            best_length, best_position = length, candidate
            if length == maximum:
                break
    return best_length, current - best_position


def _decode_tokens(data: bytes, pos: int, end: int, out: bytearray) -> None:
    """Append the decoded TokenSequences of one CompressedChunk (2.4.1.3.2, 2.4.1.3.4) to out."""
    chunk_start = len(out)
    while pos < end:
        flags = data[pos]
        pos += 1
        for bit in range(8):
            if pos >= end:
                break
            if not flags >> bit & 1:
                out.append(data[pos])
                pos += 1
                continue
            if pos + 2 > end:
                raise ValueError(f"jeton de copie tronqué à l'octet {pos}")
            token = data[pos] | data[pos + 1] << 8
            pos += 2
            produced = len(out) - chunk_start
            if produced == 0:
                raise ValueError(f"jeton de copie en début de bloc à l'octet {pos - 2}")
            bit_count = _copy_token_bits(produced)
            length = (token & (0xFFFF >> bit_count)) + 3
            offset = (token >> (16 - bit_count)) + 1
            if offset > produced:
                raise ValueError(f"jeton de copie hors du bloc à l'octet {pos - 2}")
            source = len(out) - offset
            if offset >= length:
                out += out[source : source + length]
            else:
                # Overlapping copy repeats the last `offset` bytes (2.4.1.3.19.3 copies byte by byte).
                pattern = bytes(out[source:])
                out += (pattern * (length // offset + 1))[:length]

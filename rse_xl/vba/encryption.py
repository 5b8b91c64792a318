"""MS-OVBA 2.4.3 data "encryption": the obfuscation of the CMG, DPB and GC lines of the PROJECT stream."""

from __future__ import annotations

__all__ = ["decrypt", "encrypt", "project_key", "unmask"]

_VERSION = 2  # 2.4.3.2: Version MUST be 2


def project_key(project_id: str) -> int:
    """Return ProjKey: the byte sum of the ProjectId string, braces included (2.4.3.2)."""
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(project_id: str, data: bytes, *, seed: int, ignored: bytes = b"\0\0\0") -> bytes:
    """Obfuscate `data` as an Encrypted Data Structure (2.4.3.1) keyed on the project id."""
    if not 0 <= seed <= 0xFF:
        raise ValueError("la graine doit tenir sur un octet")
    key = project_key(project_id)
    version_enc = seed ^ _VERSION
    key_enc = seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    # Each byte is XORed with (next-to-last encrypted byte + last clear byte); state starts on the key.
    clear1, enc1, enc2 = key, key_enc, version_enc
    ignored_length = (seed & 6) // 2
    if len(ignored) < ignored_length:
        raise ValueError(f"{ignored_length} octets de bourrage attendus")
    plain = ignored[:ignored_length] + len(data).to_bytes(4, "little") + data
    for byte in plain:
        encrypted = byte ^ ((enc2 + clear1) & 0xFF)
        out.append(encrypted)
        enc2, enc1, clear1 = enc1, encrypted, byte
    return bytes(out)


def unmask(blob: bytes) -> bytes:
    """Return everything after Seed, VersionEnc and ProjKeyEnc in clear: ignored bytes, length, data."""
    if len(blob) < 7:
        raise ValueError("donnée chiffrée trop courte")
    seed, version_enc, key_enc = blob[0], blob[1], blob[2]
    if seed ^ version_enc != _VERSION:
        raise ValueError("version de chiffrement inattendue (2 attendu)")
    clear1, enc1, enc2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for encrypted in blob[3:]:
        byte = encrypted ^ ((enc2 + clear1) & 0xFF)
        plain.append(byte)
        enc2, enc1, clear1 = enc1, encrypted, byte
    return bytes(plain)


def decrypt(blob: bytes) -> bytes:
    """Return the Data of an Encrypted Data Structure (2.4.3.3); raise ValueError if inconsistent."""
    plain = unmask(blob)
    ignored_length = (blob[0] & 6) // 2
    length = int.from_bytes(plain[ignored_length : ignored_length + 4], "little")
    data = bytes(plain[ignored_length + 4 :])
    if len(data) != length:
        raise ValueError(f"longueur annoncée {length}, {len(data)} octets présents")
    return data

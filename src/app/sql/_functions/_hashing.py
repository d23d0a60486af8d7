"""Hashing functions: MD5, SHA1, SHA2, CRC32, CRC32C (of a string's UTF-8 bytes, or of a binary's bytes), and
AES_ENCRYPT / AES_DECRYPT."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import Any, Final

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlglot import exp

from .._errors import ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError
from .._sqltypes import STRING, ULONG, VARBINARY
from ._registry import Family, udf
from ._values import text, to_int

fn = Family("hashing")


def _bytes(value: Any) -> bytes:
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else text(value).encode()


def _digest(algorithm: str, value: Any) -> str | None:
    return None if value is None else hashlib.new(algorithm, _bytes(value)).hexdigest()


@fn.scalar("MD5", node=exp.MD5, returns=STRING, examples=["MD5('a')", "MD5(NULL)"])
def md5(value: Any) -> str | None:
    return _digest("md5", value)


@fn.scalar("SHA1", "SHA", node=exp.SHA, returns=STRING, examples=["SHA1('a')", "SHA('a')"])
def sha1(value: Any) -> str | None:
    return _digest("sha1", value)


@fn.scalar("SHA2", node=exp.SHA2, args=lambda n: [n.this, n.args.get("length") or exp.Literal.number(256)],
           returns=STRING, examples=["SHA2('a', 256)", "SHA2('a', 512)", "SHA2('a', 7)"])
def sha2(value: Any, bits: Any) -> str | None:
    if value is None or bits is None:
        return None
    size = to_int(bits) or 256
    if size not in (224, 256, 384, 512):
        return None
    return _digest(f"sha{size}", value)


def _crc32_call(node: exp.Anonymous) -> exp.Expr:
    """CRC32(crc, s): a string given as the checksum is read as an INTEGER, with MariaDB's 1292."""
    args = list(node.expressions)
    if len(args) == 2 and isinstance(args[0], exp.Literal) and args[0].is_string:
        args[0] = udf("APP_TO_INTEGER", args[0])
    return udf("APP_CRC32", *args)


@fn.scalar("CRC32", returns=ULONG, text_args=lambda n: n.expressions[-1:], rewrite=_crc32_call,
           examples=["CRC32('a')", "CRC32(CRC32('Maria'), 'DB')", "CRC32(NULL)"])
def crc32(*args: Any) -> int | None:
    """CRC32(s), or CRC32(crc, s) continuing a checksum (MariaDB 10.8)."""
    return _checksum(zlib.crc32, "crc32", args)


def _crc32c_table() -> list[int]:
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C: Final = _crc32c_table()


def _crc32c(data: bytes, crc: int = 0) -> int:
    """CRC-32C (Castagnoli), as MariaDB's CRC32C computes it."""
    crc ^= 0xFFFFFFFF
    for b in data:
        crc = _CRC32C[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


@fn.scalar("CRC32C", returns=ULONG, examples=["CRC32C('MariaDB')", "CRC32C(CRC32C('Maria'), 'DB')"])
def crc32c(*args: Any) -> int | None:
    return _checksum(_crc32c, "crc32c", args)


def _checksum(compute: Callable[[bytes, int], int], name: str, args: tuple[Any, ...]) -> int | None:
    if len(args) not in (1, 2):
        raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, f"Incorrect parameter count in the call to native "
                       f"function '{name}'")
    if any(a is None for a in args):
        return None
    start = to_int(args[0]) & 0xFFFFFFFF if len(args) == 2 else 0
    return compute(_bytes(args[-1]), start)


# -- AES_ENCRYPT / AES_DECRYPT: AES-128-ECB, PKCS#7 padding, MariaDB's key folding --------------------


def _aes_key(key: Any) -> bytes:
    """MariaDB's 128-bit key: the key's bytes XORed in turn into 16 zero bytes (a longer key wraps around)."""
    folded = bytearray(16)
    for i, b in enumerate(_bytes(key)):
        folded[i % 16] ^= b
    return bytes(folded)


def _aes(key: Any) -> Cipher[modes.ECB]:
    return Cipher(algorithms.AES(_aes_key(key)), modes.ECB())


@fn.scalar("AES_ENCRYPT", returns=VARBINARY, text_args=lambda n: n.expressions[:1],
           examples=["HEX(AES_ENCRYPT('text', 'key'))", "AES_ENCRYPT(NULL, 'key')"])
def aes_encrypt(value: Any, key: Any) -> bytes | None:
    if value is None or key is None:
        return None
    data = _bytes(value)
    pad = 16 - len(data) % 16
    encryptor = _aes(key).encryptor()
    return encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()


@fn.scalar("AES_DECRYPT", returns=VARBINARY,
           examples=["AES_DECRYPT(AES_ENCRYPT('text', 'key'), 'key')", "AES_DECRYPT('x', 'key')"])
def aes_decrypt(value: Any, key: Any) -> bytes | None:
    """The decrypted bytes; NULL for what is no whole number of blocks or has no valid padding (a wrong key)."""
    if value is None or key is None:
        return None
    data = _bytes(value)
    if not data or len(data) % 16:
        return None
    decryptor = _aes(key).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= 16 or plain[-pad:] != bytes([pad]) * pad:
        return None
    return plain[:-pad]

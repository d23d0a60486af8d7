"""Hashing functions: MD5, SHA1, SHA2, CRC32 (of a string's UTF-8 bytes, or of a binary's bytes)."""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

from sqlglot import exp

from .._sqltypes import STRING, ULONG
from ._registry import Family
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


@fn.scalar("CRC32", returns=ULONG, examples=["CRC32('a')"])
def crc32(value: Any) -> int | None:
    return None if value is None else zlib.crc32(_bytes(value))

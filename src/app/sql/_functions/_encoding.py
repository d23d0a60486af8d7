"""Encoding functions: CONV, BIN, OCT, TO_BASE64, FROM_BASE64, COMPRESS, UNCOMPRESS, INET_ATON, INET6_NTOA, ...

Each reads its argument as MariaDB does: CONV parses a string's digits as strtoull does (leading spaces,
a sign, the digits of the base, stopping at the first other character; an overflow saturates), so
`CONV(10.9, 10, 2)` reads '10.9' and converts 10.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import os
import zlib
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import warn
from .._sqltypes import INT, LONGBLOB, STRING, UBIGINT, VARBINARY
from .._types import double_text
from ._registry import Family
from ._values import text, to_int

fn = Family("encoding")

_U64: Final = 1 << 64
_DIGITS: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def as_bytes(value: Any) -> bytes:
    """A value's bytes: a binary string's own, else its text in UTF-8."""
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else text(value).encode()


def _strtoull(s: str, base: int, signed: bool) -> int:
    """C's strtoull / strtoll as MariaDB's my_strntoull / my_strntoll: the value of the longest prefix
    of digits, saturating on overflow; unsigned parsing of '-n' gives 2^64 - n."""
    i, n = 0, len(s)
    while i < n and s[i] in " \t\n\r\f\v":
        i += 1
    negative = False
    if i < n and s[i] in "+-":
        negative = s[i] == "-"
        i += 1
    value = 0
    while i < n:
        d = _DIGITS.find(s[i].upper())
        if d < 0 or d >= base:
            break
        value = value * base + d
        i += 1
    if signed:
        if negative:
            return -min(value, 1 << 63)
        return min(value, (1 << 63) - 1)
    if value >= _U64:
        return _U64 - 1
    return (_U64 - value) % _U64 if negative else value


def _in_base(value: int, base: int) -> str:
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    value = abs(value)
    out = []
    while value:
        value, d = divmod(value, base)
        out.append(_DIGITS[d])
    return sign + "".join(reversed(out))


def _digits_of(n: Any) -> str:
    """CONV's argument as the text it reads: a DOUBLE as MariaDB writes it (1e-5 is 0.00001, 1.5e300
    is 1.5e300; a BIGINT UNSIGNED or DECIMAL literal past a double's digits comes as its text)."""
    return double_text(n) if type(n) is float else text(n)


@fn.scalar("CONV", returns=STRING,
           examples=["CONV('a', 16, 2)", "CONV(-17, 10, -18)", "CONV('-1', 10, 16)", "CONV(255, 10, 37)",
                     "CONV('', 10, 2)"])
def conv(n: Any, from_base: Any, to_base: Any) -> str | None:
    """CONV(n, from, to): a negative `from` parses n as signed, a negative `to` writes a signed result."""
    if n is None or from_base is None or to_base is None:
        return None
    fb, tb = to_int(from_base), to_int(to_base)
    if not (2 <= abs(fb) <= 36 and 2 <= abs(tb) <= 36):
        return None
    s = _digits_of(n)
    if s == "":
        return None
    value = _strtoull(s, abs(fb), fb < 0) % _U64
    if tb < 0 and value >= 1 << 63:
        value -= _U64
    return _in_base(value, abs(tb))


@fn.scalar("BIN", returns=STRING, examples=["BIN(12)", "BIN(-1)", "BIN('12abc')"])
def bin_of(n: Any) -> str | None:
    return conv(n, 10, 2)


@fn.scalar("OCT", returns=STRING, examples=["OCT(8)", "OCT(NULL)"])
def oct_of(n: Any) -> str | None:
    return conv(n, 10, 8)


# -- base64 and compression ------------------------------------------------------------------------


@fn.scalar("TO_BASE64", node=exp.ToBase64, returns=STRING, examples=["TO_BASE64('abc')", "TO_BASE64(NULL)"])
def to_base64(value: Any) -> str | None:
    """Lines of 76 characters, as MariaDB writes them."""
    if value is None:
        return None
    encoded = base64.b64encode(as_bytes(value)).decode()
    return "\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


@fn.scalar("FROM_BASE64", node=exp.FromBase64, returns=VARBINARY,
           examples=["FROM_BASE64('YWJj')", "FROM_BASE64('!!')"])
def from_base64(value: Any) -> bytes | None:
    if value is None:
        return None
    data = as_bytes(value)
    cleaned = bytes(b for b in data if b not in b" \t\r\n")
    try:
        return base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        bad = next((i for i, b in enumerate(data) if chr(b) not in
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\r\n"), len(data))
        warn(1958, f"Bad base64 data as position {bad}")
        return None


@fn.scalar("COMPRESS", node=exp.Compress, returns=VARBINARY, examples=["COMPRESS('abc')", "COMPRESS('')"])
def compress(value: Any) -> bytes | None:
    """MariaDB's format: the length (4 bytes, little-endian), then the zlib stream; '' stays ''."""
    if value is None:
        return None
    data = as_bytes(value)
    if not data:
        return b""
    return len(data).to_bytes(4, "little") + zlib.compress(data)


def _uncompressed(data: bytes) -> bytes | None:
    if len(data) <= 4:
        return None
    try:
        return zlib.decompress(data[4:])
    except zlib.error:
        return None


@fn.scalar("UNCOMPRESS", returns=LONGBLOB, examples=["UNCOMPRESS(COMPRESS('abc'))", "UNCOMPRESS('xyz')"])
def uncompress(value: Any) -> bytes | None:
    if value is None:
        return None
    data = as_bytes(value)
    if not data:
        return b""
    out = _uncompressed(data)
    if out is None:
        warn(1259, "ZLIB: Input data corrupted")
    return out


@fn.scalar("UNCOMPRESSED_LENGTH", returns=INT,
           examples=["UNCOMPRESSED_LENGTH(COMPRESS('abcd'))", "UNCOMPRESSED_LENGTH('ab')"])
def uncompressed_length(value: Any) -> int | None:
    if value is None:
        return None
    data = as_bytes(value)
    if not data:
        return 0
    if len(data) <= 4:
        warn(1259, "ZLIB: Input data corrupted")
        return None
    return int.from_bytes(data[:4], "little") & 0x3FFFFFFF


@fn.scalar("RANDOM_BYTES", returns=VARBINARY, deterministic=False,
           examples=["LENGTH(RANDOM_BYTES(8))", "RANDOM_BYTES(0)"])
def random_bytes(n: Any) -> bytes | None:
    if n is None:
        return None
    count = to_int(n)
    if not 1 <= count <= 1024:
        return b"" if count == 0 else None  # MariaDB 10.11: NULL beyond 1024 bytes
    return os.urandom(count)


# -- network addresses ------------------------------------------------------------------------------


@fn.scalar("INET_ATON", returns=UBIGINT, examples=["INET_ATON('10.0.5.9')", "INET_ATON('10.5')", "INET_ATON('a')"])
def inet_aton(value: Any) -> int | None:
    """MariaDB's parser: 'a.b' is a.0.0.b; more than four parts keep shifting."""
    if value is None:
        return None
    s = text(value)
    if not s or s.endswith("."):
        return None
    result = part = dots = 0
    for ch in s:
        if "0" <= ch <= "9":
            part = part * 10 + ord(ch) - 48
            if part > 255:
                return None
        elif ch == ".":
            dots += 1
            result = (result << 8) + part
            part = 0
        else:
            return None
    if dots == 1:
        result <<= 16
    elif dots == 2:
        result <<= 8
    return (result << 8) + part


@fn.scalar("INET_NTOA", returns=STRING, examples=["INET_NTOA(167773449)", "INET_NTOA(-1)"])
def inet_ntoa(value: Any) -> str | None:
    if value is None:
        return None
    n = to_int(value)
    if not 0 <= n < 1 << 32:
        return None
    return ".".join(str((n >> shift) & 255) for shift in (24, 16, 8, 0))


def _ipv4(s: str) -> bytes | None:
    parts = s.split(".")
    if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
        return None
    return bytes(int(p) for p in parts)


def _ipv6(s: str) -> bytes | None:
    if ":" not in s or "%" in s or "/" in s:
        return None
    try:
        return ipaddress.IPv6Address(s).packed
    except ValueError:
        return None


@fn.scalar("INET6_ATON", returns=VARBINARY,
           examples=["HEX(INET6_ATON('fdfe::5a55:caff:fefa:9089'))", "HEX(INET6_ATON('10.0.5.9'))", "INET6_ATON('x')"])
def inet6_aton(value: Any) -> bytes | None:
    if value is None:
        return None
    s = text(value)
    return _ipv4(s) or _ipv6(s)


@fn.scalar("INET6_NTOA", returns=STRING,
           examples=["INET6_NTOA(INET6_ATON('::1'))", "INET6_NTOA(INET6_ATON('::ffff:1.2.3.4'))", "INET6_NTOA('abc')"])
def inet6_ntoa(value: Any) -> str | None:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        return None  # MariaDB reads only binary strings of 4 or 16 bytes
    data = bytes(value)
    if len(data) == 4:
        return ".".join(str(b) for b in data)
    if len(data) != 16:
        return None
    v4 = ".".join(str(b) for b in data[12:])
    if data[:12] == bytes(12) and int.from_bytes(data[12:], "big") > 1:
        return "::" + v4
    if data[:10] == bytes(10) and data[10:12] == b"\xff\xff":
        return "::ffff:" + v4
    return ipaddress.IPv6Address(data).compressed


@fn.scalar("IS_IPV4", returns=INT, examples=["IS_IPV4('10.0.0.1')", "IS_IPV4('10.0.0')"])
def is_ipv4(value: Any) -> int:
    return int(value is not None and _ipv4(text(value)) is not None)


@fn.scalar("IS_IPV6", returns=INT, examples=["IS_IPV6('::1')", "IS_IPV6('10.0.0.1')"])
def is_ipv6(value: Any) -> int:
    return int(value is not None and _ipv6(text(value)) is not None)


@fn.scalar("IS_IPV4_COMPAT", returns=INT, examples=["IS_IPV4_COMPAT(INET6_ATON('::10.0.5.9'))"])
def is_ipv4_compat(value: Any) -> int:
    if not isinstance(value, (bytes, bytearray, memoryview)) or len(value) != 16:
        return 0
    data = bytes(value)
    return int(data[:12] == bytes(12) and int.from_bytes(data[12:], "big") > 1)


@fn.scalar("IS_IPV4_MAPPED", returns=INT, examples=["IS_IPV4_MAPPED(INET6_ATON('::ffff:10.0.5.9'))"])
def is_ipv4_mapped(value: Any) -> int:
    if not isinstance(value, (bytes, bytearray, memoryview)) or len(value) != 16:
        return 0
    data = bytes(value)
    return int(data[:10] == bytes(10) and data[10:12] == b"\xff\xff")

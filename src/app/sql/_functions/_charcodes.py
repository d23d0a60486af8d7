"""Character codes and character sets: CHAR, CHR, ORD, UNHEX, and the conversions behind CONVERT ... USING,
CHAR(... USING cs) and charset introducers (APP_CONVERT_USING, APP_CHAR_USING, APP_ENCODE).

A string function family of its own because it works on bytes and charsets rather than on text.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from sqlglot import exp

from .._charsetnames import charset_codec, decode, encode, holds
from .._diagnostics import WARN_INVALID_CHARACTER_STRING, warn
from .._sqltypes import INT, STRING, VARBINARY
from ._coerce import to_number
from ._registry import Family, udf
from ._values import text

fn = Family("charcodes")


def _code_bytes(value: Any) -> bytes:
    """One CHAR() argument: the bytes of its integer (rounded; cut to 32 bits), at least one."""
    n = to_number(value, "INTEGER") if isinstance(value, (str, bytes)) else value
    if isinstance(n, float):
        n = int(math.copysign(math.floor(abs(n) + 0.5), n)) if math.isfinite(n) else 0
    n = int(n) & 0xFFFFFFFF
    return n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")


def _char_call(node: exp.Chr) -> exp.Expr:
    for arg in list(node.expressions):  # a hex literal is the integer of its bytes here: CHAR(0x00E9) is E9
        if isinstance(arg, exp.HexString):
            arg.replace(exp.Literal.number(int(arg.this or "0", 16)))
    charset = node.args.get("charset")
    if isinstance(charset, exp.Expr):
        return udf("APP_CHAR_USING", exp.Literal.string(charset.name), *node.expressions)
    return udf("APP_CHAR", *node.expressions)


@fn.scalar("CHAR", node=exp.Chr, rewrite=_char_call, returns=VARBINARY,
           examples=["HEX(CHAR(256))", "CHAR(77, 121, 83, 81, 76)", "CHAR(65, NULL, 66)",
                     "CHAR(195, 169 USING utf8mb4)"])
def char(*codes: Any) -> bytes:
    """A binary string of the codes' bytes (NULLs skipped): CHAR(256) is 0x0100."""
    return b"".join(_code_bytes(c) for c in codes if c is not None)


def _chr_call(node: exp.Anonymous) -> exp.Expr:
    for arg in list(node.expressions):  # as in CHAR(): CHR(0x41) is 'A'
        if isinstance(arg, exp.HexString):
            arg.replace(exp.Literal.number(int(arg.this or "0", 16)))
    return udf("APP_CHR", *node.expressions)


@fn.scalar("CHR", rewrite=_chr_call, returns=STRING, examples=["CHR(65)", "CHR(NULL)", "HEX(CHR(256))"])
def chr_of(code: Any) -> str | None:
    """CHR(n): CHAR(n USING utf8mb4), but NULL for NULL (CHAR skips NULLs)."""
    return None if code is None else char_using("utf8mb4", code)


@fn.internal("APP_CHAR_USING", returns=STRING)
def char_using(charset: str, *codes: Any) -> str | None:
    """CHAR(... USING charset) and CHR(...): the bytes read in that character set; NULL with MariaDB's
    1300 warning when they are not a string of it."""
    data = char(*codes)
    try:
        return data.decode(charset_codec(charset) or "utf-8")
    except (UnicodeDecodeError, LookupError):
        warn(WARN_INVALID_CHARACTER_STRING, f"Invalid {charset.lower()} character string: '{data.hex().upper()}'")
        return None


_HEX_DIGITS: Final = re.compile(r"[0-9A-Fa-f]*")
WARN_CANNOT_CONVERT: Final = 1977


@fn.internal("APP_CONVERT_USING", returns=STRING)
def convert_using(value: Any, charset: str) -> str | None:
    """CONVERT(x USING charset), CAST(x AS CHAR CHARACTER SET charset): the text as that character set
    holds it, a character it cannot hold as '?' (with 1977 for the first, as MariaDB warns)."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):  # a binary string's bytes, read in the charset
        try:
            return decode(bytes(value), charset)
        except UnicodeDecodeError:
            return bytes(value).decode("utf-8", "replace")
    s = text(value)
    if all(holds(charset, c) for c in s):
        return s
    bad = next(c for c in s if not holds(charset, c)).encode("utf-8", "surrogatepass").hex().upper()
    warn(WARN_CANNOT_CONVERT, f"Cannot convert 'utf8mb4' character 0x{bad} to '{charset.lower()}'")
    return "".join(c if holds(charset, c) else "?" for c in s)


@fn.internal("APP_ENCODE", returns=VARBINARY)
def encode_in(value: Any, charset: str) -> bytes | None:
    """A string of character set `charset` as its bytes (what LENGTH, HEX and BIT_LENGTH read), where
    SQLite holds every string in UTF-8."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return encode(text(value), charset)


@fn.scalar("UNHEX", node=exp.Unhex, returns=VARBINARY,
           examples=["UNHEX('616263')", "HEX(UNHEX('414'))", "UNHEX('zz')"])
def unhex(value: Any) -> bytes | None:
    """The bytes hex digits spell, an odd count read with a leading 0 ('414' is 0x0414); NULL for what
    is not hex digits."""
    if value is None:
        return None
    digits = text(value)
    if not _HEX_DIGITS.fullmatch(digits):
        return None
    return bytes.fromhex(digits.zfill(len(digits) + len(digits) % 2))


@fn.scalar("ORD", returns=INT, examples=["ORD('a')", "ORD('日本語')", "ORD('')"])
def ord_of(value: Any) -> int | None:
    """The leftmost character's bytes as a number (ORD('é') is 0xC3A9); 0 for an empty string."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)[0] if value else 0
    s = text(value)
    return int.from_bytes(s[0].encode("utf-8", "surrogateescape"), "big") if s else 0

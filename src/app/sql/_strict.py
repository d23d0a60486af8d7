"""MySQL's strict mode as CHECK constraints: what values each column type refuses."""

from __future__ import annotations

import re
from typing import Final

from ._sqlite import quote

_INT_RANGES: Final = {"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32}


def strict_check(name: str, type_text: str) -> str:
    """A CHECK constraint refusing what MySQL's strict mode refuses for the type: a string longer
    than a CHAR/VARCHAR/BINARY/VARBINARY's length (1406), an integer or DECIMAL out of range (1264).

    The constraint is named `app_len_<column>` / `app_range_<column>`, which is how an SQLite
    error for it becomes MySQL's (see `_sqlite_errors`).
    """
    m = re.match(r"(\w+)(?:\((\d+)(?:,(\d+))?\))?( unsigned)?", type_text)
    if m is None:
        return ""
    base, size, scale, unsigned = m.group(1), m.group(2), m.group(3), bool(m.group(4))
    col = quote(name)
    if base in ("char", "varchar") and size:
        return f"CONSTRAINT {quote('app_len_' + name)} CHECK (length({col}) <= {int(size)})"
    if base in ("binary", "varbinary") and size:
        return f"CONSTRAINT {quote('app_len_' + name)} CHECK (length(CAST({col} AS BLOB)) <= {int(size)})"
    if base in _INT_RANGES:
        bits = _INT_RANGES[base]
        low, high = (0, 2**bits - 1) if unsigned else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        return f"CONSTRAINT {quote('app_range_' + name)} CHECK ({col} BETWEEN {low} AND {high})"
    if base == "bigint" and unsigned:
        return f"CONSTRAINT {quote('app_range_' + name)} CHECK ({col} >= 0)"
    if base == "decimal" and size:
        # A BLOB is a value past a double's digits, stored exactly by the conversion that checked its range
        # (`_functions._store`); as a double it could round up to the limit (99999999.999...9 is 1e8).
        digits = int(size) - int(scale or 0)
        return (f"CONSTRAINT {quote('app_range_' + name)} CHECK (typeof({col}) = 'blob' OR "
                f"round(abs({col}), {int(scale or 0)}) < {10 ** digits})")
    return ""


# What a column of each narrow character set can hold, as a GLOB class of code points: latin1 is
# MariaDB's (cp1252: 0x80 is the euro sign); NUL is in every one, but SQLite's GLOB cannot name it.
_REPERTOIRES: Final = {
    "latin1": "\x01-\xff\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018"
              "\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178",
    "ascii": "\x01-\x7f",
}


def charset_check(name: str, charset: str) -> str:
    """A CHECK constraint refusing text that a column of `charset` (latin1, ascii) cannot hold (1366
    Incorrect string value, in strict mode as in MariaDB's default), named `app_charset_<column>`;
    "" for a character set that holds every character (utf8mb4)."""
    repertoire = _REPERTOIRES.get(charset)
    if repertoire is None:
        return ""
    col = quote(name)
    return (f"CONSTRAINT {quote('app_charset_' + name)} CHECK (typeof({col}) <> 'text' OR "
            f"{col} NOT GLOB '*[^{repertoire}]*')")

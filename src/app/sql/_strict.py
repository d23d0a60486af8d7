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

"""SFORMAT: MariaDB's string formatting with the {fmt} library's syntax ('{}', '{1}', '{:>5}', '{:.2f}').

Python's format mini-language is the same for the cases SQL needs. MariaDB passes integers as 64-bit
signed numbers (18446744073709551615 formats as -1) and DECIMALs as doubles; a NULL anywhere gives NULL,
and a format that does not fit its arguments gives NULL with warning 4183.
"""

from __future__ import annotations

from typing import Any, Final

from sqlglot import exp

from .._diagnostics import warn
from .._sqltypes import LONGTEXT
from ._registry import Family, udf
from ._values import text

fn = Family("sformat")

WARN_SFORMAT: Final = 4183


def _sformat_call(node: exp.Anonymous) -> exp.Expr:
    return udf("APP_SFORMAT", *node.expressions)


def _argument(value: Any) -> Any:
    if isinstance(value, int):
        return (value + 2**63) % 2**64 - 2**63
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return value


@fn.scalar("SFORMAT", rewrite=_sformat_call, returns=LONGTEXT,
           examples=["SFORMAT('{} and {}', 'a', 'b')", "SFORMAT('{:>5}|', 42)", "SFORMAT('{1}{0}', 'a', 'b')",
                     "SFORMAT('{:.2f}', 3.14159)", "SFORMAT('{}')"])
def sformat(pattern: Any, *values: Any) -> str | None:
    if pattern is None or any(v is None for v in values):
        return None
    try:
        return text(pattern).format(*(_argument(v) for v in values))
    except IndexError:
        warn(WARN_SFORMAT, "SFORMAT error: argument not found")
    except (ValueError, TypeError) as e:
        reason = "invalid type specifier" if "format code" in str(e) else "invalid format string"
        warn(WARN_SFORMAT, f"SFORMAT error: {reason}")
    except KeyError:
        warn(WARN_SFORMAT, "SFORMAT error: argument not found")
    return None

"""Strings as keys that sort: WEIGHT_STRING (a collation's weights) and NATURAL_SORT_KEY.

A string's weights are its collation's (`_collations`: utf8mb4_general_ci unless COLLATE names
another); a binary string weighs as its bytes.
"""

from __future__ import annotations

import re
from typing import Any, Final

from sqlglot import exp

from .._collations import GENERAL_CI, SQLITE_COLLATIONS
from .._collations import weight_string as collation_weights
from .._sqltypes import VARBINARY
from ._registry import Family, udf
from ._string import FIRST_STRING
from ._values import text

fn = Family("sortkeys")

_ASCII_DIGITS: Final = re.compile(r"[0-9]+")


def _weight_call(node: exp.WeightString) -> exp.Expr:
    value, to = node.this, node.args.get("to")
    mode, length = GENERAL_CI, -1
    if isinstance(value, exp.Collate) and value.expression.name.upper() in SQLITE_COLLATIONS:
        mode, value = value.expression.name.upper(), value.this
    if isinstance(to, exp.DataType):
        mode = "binary" if to.is_type(exp.DataType.Type.BINARY) else "char"
        params = to.expressions
        length = int(params[0].name) if params and params[0].name.isdigit() else -1
    return udf("APP_WEIGHT_STRING", value, exp.Literal.string(mode), exp.Literal.number(length))


@fn.scalar("WEIGHT_STRING", node=exp.WeightString, rewrite=_weight_call, returns=VARBINARY,
           examples=["HEX(WEIGHT_STRING('aBc'))", "HEX(WEIGHT_STRING('x' AS CHAR(4)))",
                     "HEX(WEIGHT_STRING('x' AS BINARY(4)))", "HEX(WEIGHT_STRING('AB' COLLATE utf8mb4_bin))",
                     "WEIGHT_STRING(NULL)"])
def weight_string(value: Any, mode: str = GENERAL_CI, length: int = -1) -> bytes | None:
    """The collation weights of a string (NULL for a number, which has none)."""
    if value is None or isinstance(value, (int, float)):
        return None
    if isinstance(value, (bytes, bytearray, memoryview)) or mode == "binary":
        data = bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else text(value).encode()
        return data if mode != "binary" or length < 0 else data[:length].ljust(length, b"\0")
    s = text(value)
    if mode == "char" and length >= 0:
        s = s[:length].ljust(length)
    return collation_weights(GENERAL_CI if mode == "char" else mode, s)


def _number_key(m: re.Match[str]) -> str:
    digits = m.group().lstrip("0") or "0"
    n = len(digits) - 1  # the length before the digits, so that longer numbers sort later
    return "9" * (n // 9) + str(n % 9) + digits


@fn.scalar("NATURAL_SORT_KEY", returns=FIRST_STRING,
           examples=["NATURAL_SORT_KEY('a1b22c333d0004')", "NATURAL_SORT_KEY('1234567890123')",
                     "NATURAL_SORT_KEY(NULL)"])
def natural_sort_key(value: Any) -> str | bytes | None:
    """Each run of digits as its length (less one, in digits of at most 9) and its digits without
    leading zeros, so that 'a9' sorts before 'a10' as text."""
    if value is None:
        return None
    key = _ASCII_DIGITS.sub(_number_key, text(value))
    return key.encode() if isinstance(value, (bytes, bytearray, memoryview)) else key

"""Integer arithmetic past SQLite's signed 64 bits: BIGINT UNSIGNED `+ - *` and the range of DIV.

SQLite's integers are signed 64-bit; past 2**63 - 1 its arithmetic turns to REAL and loses the last
digits (18446744073709551615 + 0 came back as 18446744073709551616), and it never refuses a result.
MariaDB computes a BIGINT UNSIGNED result exactly and refuses one outside [0, 2**64) with 1690. Where
the type deriver says an operation's result is an unsigned integer, `_decimals.exact_decimals` makes
it a call of these helpers, which compute with Python's integers.

A value past 2**63 - 1 goes back to SQLite as its digits (TEXT), which these helpers and the result
conversion read exactly; a stored BIGINT UNSIGNED past 2**63 - 1 arrives as its digits in a BLOB.
"""

from __future__ import annotations

from typing import Any, Final

from .._errors import SQLError
from .._sqltypes import add, multiply
from ._decimal import to_decimal
from ._registry import Family

fn = Family("unsigned")

_INT64: Final = 2**63
_UINT64: Final = 2**64


def out_of_range(unsigned: bool, expression: str) -> SQLError:
    """MariaDB's 1690 for an integer result outside its type's range."""
    kind = "BIGINT UNSIGNED" if unsigned else "BIGINT"
    return SQLError(1690, f"{kind} value is out of range in '{expression}'", "22003")


def integer_of(value: Any) -> int | None:
    """A value SQLite holds for an integer operand as the exact integer (a fraction rounds half away
    from zero, as MariaDB reads a DECIMAL or DOUBLE as an integer)."""
    if value is None:
        return None
    if type(value) is int:
        return value
    if type(value) is bytes and value.isdigit():
        return int(value)
    if type(value) is float and value.is_integer():
        return int(value)
    d = to_decimal(value)
    if d is None:
        return None
    return int(d.to_integral_value(rounding="ROUND_HALF_UP"))


def stored(n: int) -> int | str:
    """An integer result in the SQLite storage class that keeps it exact."""
    return n if -_INT64 <= n < _INT64 else str(n)


def _checked(n: int, expression: Any) -> int | str:
    if not 0 <= n < _UINT64:
        raise out_of_range(True, str(expression))
    return stored(n)


@fn.internal("APP_UINT_ADD", returns=lambda n, t: t.apply(add, n.expressions[1:3]))
def uint_add(expression: Any, a: Any, b: Any) -> Any:
    """a + b of a BIGINT UNSIGNED result, exactly; 1690 outside [0, 2**64)."""
    x, y = integer_of(a), integer_of(b)
    return None if x is None or y is None else _checked(x + y, expression)


@fn.internal("APP_UINT_SUB", returns=lambda n, t: t.apply(add, n.expressions[1:3]))
def uint_sub(expression: Any, a: Any, b: Any) -> Any:
    """a - b of a BIGINT UNSIGNED result, exactly; 1690 below 0."""
    x, y = integer_of(a), integer_of(b)
    return None if x is None or y is None else _checked(x - y, expression)


@fn.internal("APP_UINT_MUL", returns=lambda n, t: t.apply(multiply, n.expressions[1:3]))
def uint_mul(expression: Any, a: Any, b: Any) -> Any:
    """a * b of a BIGINT UNSIGNED result, exactly; 1690 outside [0, 2**64)."""
    x, y = integer_of(a), integer_of(b)
    return None if x is None or y is None else _checked(x * y, expression)

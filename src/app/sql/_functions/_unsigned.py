"""Integer arithmetic past SQLite's signed 64 bits: BIGINT UNSIGNED `+ - *`, and bit operations.

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

from .._diagnostics import warn
from .._errors import SQLError
from .._sqltypes import UBIGINT, add, multiply
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


# -- bit operations -----------------------------------------------------------------------------------
# MariaDB computes them on 64-bit unsigned integers: an operand is read as one (a fraction rounded half
# away from zero, a DECIMAL or DOUBLE past the range clamped to it, a negative number as its two's
# complement), a shift by 64 or more (or by a negative count, which is a huge unsigned one) gives 0,
# and >> shifts zeros in. SQLite's operators are signed (-1 >> 1 is -1) and truncate fractions.

_MASK: Final = _UINT64 - 1
WARN_OVERFLOW: Final = 1916


_DECIMAL_MAX: Final = 10**65 - 1


def uint64_of(value: Any) -> int | None:
    """A bit operation's operand as MariaDB reads it (see above), with its 1916 warnings for what it
    clamps (a DOUBLE goes through a DECIMAL of at most 65 digits); None for NULL."""
    if value is None:
        return None
    if type(value) is int:
        return value & _MASK
    if type(value) is float:
        if value != value:
            return 0
        whole = int(abs(value) + 0.5) if abs(value) < 2**53 else int(abs(value))
        if whole > _DECIMAL_MAX:
            warn(WARN_OVERFLOW, "Got overflow when converting '' to DECIMAL. Value truncated")
            whole = _DECIMAL_MAX
        n = whole if value >= 0 else -whole
    else:
        found = integer_of(value)
        if found is None:
            return None
        n = found
    if n >= _UINT64:
        warn(WARN_OVERFLOW, f"Got overflow when converting '{n}' to UNSIGNED INT. Value truncated")
        return _MASK
    if n < -_INT64:
        warn(WARN_OVERFLOW, f"Got overflow when converting '{n}' to INT. Value truncated")
        return _INT64
    return n & _MASK


# How each reads a string operand (the word of its 1292 warning): a shift's count as an INTEGER.
_BIT_NUMBERS: Final = {"AND": ("DECIMAL",), "OR": ("DECIMAL",), "XOR": ("DECIMAL",), "SHL": ("DECIMAL", "INTEGER"),
                       "SHR": ("DECIMAL", "INTEGER")}


def _bits(op: Any) -> Any:
    def run(a: Any, b: Any) -> Any:
        x, y = uint64_of(a), uint64_of(b)
        return None if x is None or y is None else stored(op(x, y))

    return run


def _shift(op: Any) -> Any:
    def run(a: Any, count: Any) -> Any:
        # a DOUBLE count is read as an INTEGER: to the nearest even (2.5e0 is 2)
        x, y = uint64_of(a), uint64_of(float(round(count)) if type(count) is float else count)
        return None if x is None or y is None else stored(op(x, y) if y < 64 else 0)

    return run


fn.internal("APP_BITS_AND", returns=UBIGINT, numbers=_BIT_NUMBERS["AND"])(_bits(lambda x, y: x & y))
fn.internal("APP_BITS_OR", returns=UBIGINT, numbers=_BIT_NUMBERS["OR"])(_bits(lambda x, y: x | y))
fn.internal("APP_BITS_XOR", returns=UBIGINT, numbers=_BIT_NUMBERS["XOR"])(_bits(lambda x, y: x ^ y))
fn.internal("APP_BITS_SHL", returns=UBIGINT, numbers=_BIT_NUMBERS["SHL"])(_shift(lambda x, y: (x << y) & _MASK))
fn.internal("APP_BITS_SHR", returns=UBIGINT, numbers=_BIT_NUMBERS["SHR"])(_shift(lambda x, y: x >> y))


@fn.internal("APP_BITS_NOT", returns=UBIGINT, numbers=("DECIMAL",))
def bit_not(a: Any) -> Any:
    """~a on 64 bits, unsigned."""
    x = uint64_of(a)
    return None if x is None else stored(x ^ _MASK)

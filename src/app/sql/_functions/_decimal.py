"""Exact DECIMAL arithmetic: the helpers that +, -, *, /, unary minus, SUM and AVG become where the
type deriver says an expression is DECIMAL (the rewrite is `_decimals.exact_decimals`).

SQLite has no decimal type: a DECIMAL column's value reaches these functions as an INTEGER, a REAL
(SQLite's NUMERIC affinity stores 0.10 as the double nearest 0.1) or, for a long result of an earlier
step, TEXT. A REAL is read back by its shortest repr, which is the decimal it was written from for
every value of up to 15 significant digits, so each step computes on the exact decimals, with
Python's `decimal`, and rounds as MariaDB rounds.

A result goes back to SQLite in the storage class that keeps it exact and comparable: an INTEGER when
it is whole, a REAL when its repr reads back as the same decimal (up to 15 significant digits), TEXT
otherwise. So `price * 3 = 0.3` compares equal numbers, and a 30-digit sum keeps its digits.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import WARN_DIVISION_BY_ZERO, warn
from .._errors import SQLError
from .._sqltypes import (
    DOUBLE,
    MAX_SCALE,
    SQLType,
    TypeExpr,
    absolute,
    add,
    avg_of,
    divide,
    floor_of,
    greatest,
    int_divide,
    modulo,
    multiply,
    negate,
    numeric,
    rounded,
    sum_of,
)
from .._types import number_of
from ._registry import Family, Typer

fn = Family("decimal")

# MariaDB computes with up to 65 digits before and 30 (div_precision_increment: 38) after the point.
WIDE: Final = Context(prec=200, Emin=-999999, Emax=999999)
_INT64: Final = 2**63
_WORD: Final = 9  # MariaDB's decimals are stored 9 digits a word: a quotient gets whole words of fraction


def to_decimal(value: Any) -> Decimal | None:
    """A value SQLite holds for a number, as the exact decimal it stands for (None: NULL)."""
    if value is None:
        return None
    if type(value) is int:
        return Decimal(value)
    if type(value) is float:
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:  # a string used as a number: its numeric prefix
        n = number_of(value)
        return Decimal(repr(n)) if isinstance(n, float) else Decimal(n)


def from_decimal(d: Decimal) -> int | float | str:
    """A decimal in the SQLite storage class that keeps it exact (see the module docstring)."""
    if d == d.to_integral_value():
        i = int(d)
        if -_INT64 <= i < _INT64:
            return i
        return format(d.quantize(Decimal(1), context=WIDE), "f")
    f = float(d)
    if Decimal(repr(f)) == d:
        return f
    return format(d, "f")


def _binary(a: Any, b: Any) -> tuple[Decimal, Decimal] | None:
    x, y = to_decimal(a), to_decimal(b)
    if x is None or y is None:
        return None
    return x, y


@fn.internal("APP_DEC_ADD", returns=lambda n, t: t.apply(add, n.expressions[:2]))
def dec_add(a: Any, b: Any) -> Any:
    """a + b, exactly."""
    xy = _binary(a, b)
    return None if xy is None else from_decimal(WIDE.add(*xy))


@fn.internal("APP_DEC_SUB", returns=lambda n, t: t.apply(add, n.expressions[:2]))
def dec_sub(a: Any, b: Any) -> Any:
    """a - b, exactly."""
    xy = _binary(a, b)
    return None if xy is None else from_decimal(WIDE.subtract(*xy))


@fn.internal("APP_DEC_MUL", returns=lambda n, t: t.apply(multiply, n.expressions[:2]))
def dec_mul(a: Any, b: Any) -> Any:
    """a * b, exactly."""
    xy = _binary(a, b)
    return None if xy is None else from_decimal(WIDE.multiply(*xy))


@fn.internal("APP_DEC_NEG", returns=lambda n, t: t.apply(negate, n.expressions[:1]))
def dec_neg(a: Any) -> Any:
    """-a, exactly."""
    x = to_decimal(a)
    return None if x is None else from_decimal(x.copy_negate())


def _fraction_digits(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def quotient(x: Decimal, y: Decimal, increment: int, scales: int = 0) -> Decimal | None:
    """x / y as MariaDB computes it: the fraction grows by `increment` digits past the operands'
    scales (their declared `scales`, or their values' own), rounded up to whole words of 9, and the
    rest is cut off (1/3 is 0.333333333 inside, shown as 0.3333); None for / 0."""
    if y == 0:
        return None
    digits = max(_fraction_digits(x) + _fraction_digits(y), scales) + increment
    digits = -(-digits // _WORD) * _WORD
    return WIDE.divide(x, y).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_DOWN, context=WIDE)


def _divide_type(n: Any, t: Any) -> Any:
    return t.apply(divide, n.expressions[:2], t.div_increment)


@fn.internal("APP_DEC_DIV", returns=_divide_type)
def dec_div(a: Any, b: Any, increment: Any, scales: Any = 0) -> Any:
    """a / b, as MariaDB divides DECIMALs (NULL for a zero divisor)."""
    xy = _binary(a, b)
    if xy is None:
        return None
    q = quotient(*xy, int(increment), int(scales or 0))
    if q is None:
        warn(WARN_DIVISION_BY_ZERO, "Division by 0")
        return None
    return from_decimal(q)


@fn.internal("APP_DEC_FDIV", returns=DOUBLE)
def float_div(a: Any, b: Any, increment: Any) -> Any:
    """a / b of DOUBLEs (a deferred `/` whose operands turned out not to be DECIMAL); NULL for / 0."""
    if a is None or b is None:
        return None
    x, y = number_of(a), number_of(b)
    if y == 0:
        warn(WARN_DIVISION_BY_ZERO, "Division by 0")
        return None
    return float(x) / float(y)


class _Sum:
    """SUM over DECIMALs: the exact total (NULL over no rows)."""

    def __init__(self) -> None:
        self.total: Decimal | None = None
        self.count = 0

    def step(self, value: Any, *_: Any) -> None:
        d = to_decimal(value)
        if d is None:
            return
        self.total = d if self.total is None else WIDE.add(self.total, d)
        self.count += 1

    def final(self) -> Any:
        return None if self.total is None else from_decimal(self.total)


fn.internal("APP_DEC_SUM", returns=lambda n, t: t.apply(sum_of, n.expressions[:1]), aggregate=True)(_Sum)


class _Avg(_Sum):
    """AVG over DECIMALs: the exact total divided as `/` divides (the increment is the 2nd argument)."""

    increment = 4

    def step(self, value: Any, *rest: Any) -> None:
        if rest and rest[0] is not None:
            self.increment = int(rest[0])
        super().step(value)

    def final(self) -> Any:
        if self.total is None:
            return None
        q = quotient(self.total, Decimal(self.count), self.increment)
        return None if q is None else from_decimal(q)


fn.internal("APP_DEC_AVG", returns=lambda n, t: t.apply(avg_of, n.expressions[:1], t.div_increment),
            aggregate=True)(_Avg)


@fn.internal("APP_INT_DIV", returns=lambda n, t: t.apply(int_divide, n.expressions[:2]))
def int_div(a: Any, b: Any, unsigned: Any = None, expression: Any = None) -> Any:
    """a DIV b: the quotient cut toward zero, exact for every BIGINT; NULL with MariaDB's 1365 warning
    for a zero divisor. Given the result's signedness (1 unsigned, 0 signed) and the expression's
    text, a quotient outside the type's range is MariaDB's 1690; without, it is clamped as SQLite's
    CAST clamps."""
    xy = _binary(_exact_big(a), _exact_big(b))
    if xy is None:
        return None
    x, y = (_decimal_range(v) if type(o) is float else v for v, o in zip(xy, (a, b), strict=True))
    if y == 0:
        warn(WARN_DIVISION_BY_ZERO, "Division by 0")
        return None
    try:
        q = WIDE.divide_int(x, y)
    except InvalidOperation:  # more digits than the context holds: out of every range
        q = Decimal(_INT64 * 4 if (x < 0) == (y < 0) else -_INT64 * 4)
    if unsigned is not None:
        low, high = (0, 2 * _INT64) if unsigned else (-_INT64, _INT64)
        if not low <= q < high:
            kind = "BIGINT UNSIGNED" if unsigned else "BIGINT"
            raise SQLError(1690, f"{kind} value is out of range in '{expression}'", "22003")
    elif type(a) is float or type(b) is float:  # a REAL operand is no exact BIGINT: SQLite's CAST clamps
        q = max(min(q, Decimal(_INT64 - 1)), Decimal(-_INT64))
    return from_decimal(q)


_DECIMAL_MAX: Final = Decimal(10**65 - 1)


def _decimal_range(d: Decimal) -> Decimal:
    """A DOUBLE read as a DECIMAL (as DIV reads it): past 65 digits it is the largest, with MariaDB's
    1916 warning."""
    if abs(d) <= _DECIMAL_MAX:
        return d
    warn(1916, "Got overflow when converting '' to DECIMAL. Value truncated")
    return _DECIMAL_MAX if d > 0 else -_DECIMAL_MAX


def _exact_big(value: Any) -> Any:
    """A REAL past 2**53 (how SQLite keeps a BIGINT UNSIGNED beyond 2**63) as the integer it holds
    exactly, not the shortest decimal that reads back as it."""
    if type(value) is float and abs(value) >= 2**53 and value.is_integer():
        return int(value)
    return value


UNKNOWN_DIGITS = object()


def digits_of(node: exp.Expr | None) -> Any:
    """The digits argument of ROUND / TRUNCATE when the statement says it (None when absent)."""
    if node is None:
        return None
    if isinstance(node, exp.Literal) and not node.is_string:
        return literal_digits(node.this)
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
        return -literal_digits(node.this.this)
    return UNKNOWN_DIGITS  # a bound parameter or an expression: known only when the statement runs


def literal_digits(text: str) -> int:
    """A number literal given as ROUND's digits, as MariaDB reads it: a DECIMAL rounds half up
    (0.5 is 1), a DOUBLE to the nearest even (2.5e0 is 2)."""
    if "e" in text.lower():
        return round(float(text))
    return int(Decimal(text).to_integral_value(rounding=ROUND_HALF_UP))


def rounding_type(n: exp.Expr, typer: Typer) -> TypeExpr | None:
    """The result type of ROUND (and of its exact and DOUBLE forms)."""
    return _rounding_type(n, typer, cut=False)


def truncating_type(n: exp.Expr, typer: Typer) -> TypeExpr | None:
    """The result type of TRUNCATE (and of its exact and DOUBLE forms)."""
    return _rounding_type(n, typer, cut=True)


def _rounding_type(n: exp.Expr, typer: Typer, *, cut: bool) -> TypeExpr | None:
    if isinstance(n, exp.Anonymous):  # the call as rewritten
        if len(n.expressions) != 2:
            return None
        value, digits = n.expressions
    else:  # as parsed (exp.Round, exp.Trunc: CREATE TABLE ... SELECT types the query as written)
        value, digits = n.this, n.args.get("decimals")
    if isinstance(digits, exp.Null):
        return typer.apply(_null_digits, [value])
    d = digits_of(digits)
    return None if d is UNKNOWN_DIGITS else typer.apply(rounded, [value], d or 0, cut)


def _null_digits(t: SQLType) -> SQLType:
    """ROUND(x, NULL): an integer keeps its type, anything else is a DOUBLE (of no fixed decimals)."""
    t = numeric(t)
    return t if t.kind == "int" else DOUBLE


def round_decimal(value: Decimal, digits: int, rounding: str) -> Decimal:
    """`value` rounded (ROUND_HALF_UP) or cut (ROUND_DOWN) to `digits` decimals, as MariaDB rounds
    DECIMALs: at most 38 decimals; left of the point, to 0 past every digit."""
    digits = min(digits, MAX_SCALE)
    if digits < 0 and -digits > value.adjusted() + 1:
        return Decimal(0)
    return value.quantize(Decimal(1).scaleb(-digits), rounding=rounding, context=WIDE)


def _runtime_digits(digits: Any) -> int | None:
    if digits is None:
        return None
    n = number_of(digits)
    return round(n) if isinstance(n, float) else n


@fn.internal("APP_DEC_ROUND", returns=rounding_type)
def dec_round(a: Any, digits: Any) -> Any:
    """ROUND of a DECIMAL, exactly: halves away from zero."""
    x, d = to_decimal(a), _runtime_digits(digits)
    return None if x is None or d is None else from_decimal(round_decimal(x, d, ROUND_HALF_UP))


@fn.internal("APP_DEC_TRUNCATE", returns=truncating_type)
def dec_truncate(a: Any, digits: Any) -> Any:
    """TRUNCATE of a DECIMAL, exactly."""
    x, d = to_decimal(a), _runtime_digits(digits)
    return None if x is None or d is None else from_decimal(round_decimal(x, d, ROUND_DOWN))


@fn.internal("APP_DEC_ABS", returns=lambda n, t: t.apply(absolute, n.expressions[:1]))
def dec_abs(a: Any) -> Any:
    """ABS of a DECIMAL, exactly."""
    x = to_decimal(a)
    return None if x is None else from_decimal(x.copy_abs())


def _floor_type(n: Any, t: Any) -> Any:
    return t.apply(floor_of, n.expressions[:1])


@fn.internal("APP_DEC_CEIL", returns=_floor_type)
def dec_ceil(a: Any) -> Any:
    """CEIL of a DECIMAL, exactly."""
    x = to_decimal(a)
    return None if x is None else from_decimal(x.to_integral_value(rounding=ROUND_CEILING, context=WIDE))


@fn.internal("APP_DEC_FLOOR", returns=_floor_type)
def dec_floor(a: Any) -> Any:
    """FLOOR of a DECIMAL, exactly."""
    x = to_decimal(a)
    return None if x is None else from_decimal(x.to_integral_value(rounding=ROUND_FLOOR, context=WIDE))


@fn.internal("APP_DEC_MOD", returns=lambda n, t: t.apply(modulo, n.expressions[:2]))
def dec_mod(a: Any, b: Any) -> Any:
    """a MOD b of DECIMALs (and integers past a double's digits), exactly: the dividend's sign; NULL
    with MariaDB's 1365 warning for a zero divisor."""
    xy = _binary(a, b)
    if xy is None:
        return None
    x, y = xy
    if y == 0:
        warn(WARN_DIVISION_BY_ZERO, "Division by 0")
        return None
    r = WIDE.remainder(x, y)
    if r == 0 and r.is_signed():  # MariaDB keeps the dividend's sign on a zero remainder: -0.0
        return format(r, "f")
    return from_decimal(r)


def _extreme(pick: Any) -> Any:
    def run(*values: Any) -> Any:
        found = [to_decimal(v) for v in values]
        if any(d is None for d in found):
            return None
        return from_decimal(pick(d for d in found if d is not None))

    return run


# GREATEST and LEAST of a number literal past a double's digits (`_decimals.exact_decimals`), exactly.
fn.internal("APP_DEC_GREATEST", returns=lambda n, t: t.apply(greatest, list(n.expressions)))(_extreme(max))
fn.internal("APP_DEC_LEAST", returns=lambda n, t: t.apply(greatest, list(n.expressions)))(_extreme(min))

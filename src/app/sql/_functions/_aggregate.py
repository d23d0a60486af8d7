"""Aggregate functions: COUNT, SUM, AVG, MIN, MAX, GROUP_CONCAT, VARIANCE / STDDEV, BIT_AND / OR / XOR."""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from typing import Any

from sqlglot import exp

from .._sqltypes import (
    BIGINT,
    UBIGINT,
    VARBINARY,
    SQLType,
    TypeExpr,
    avg_of,
    first,
    sum_of,
    variance_of,
)
from .._types import MySQLType
from ._registry import Family, Typer, udf
from ._values import number_of, to_int

fn = Family("aggregate")


def _argument(node: exp.Expr) -> exp.Expr:
    """The aggregated expression (DISTINCT x counts as x)."""
    arg: exp.Expr = node.this
    if isinstance(arg, exp.Distinct) and len(arg.expressions) == 1:
        only: exp.Expr = arg.expressions[0]
        return only
    return arg


def _count(node: exp.Count) -> exp.Expr | None:
    inner = node.this
    if isinstance(inner, exp.Distinct) and len(inner.expressions) > 1:  # SQLite's DISTINCT takes one argument
        return udf("APP_COUNT_DISTINCT", *inner.expressions)
    return None


fn.native("COUNT", node=exp.Count, returns=BIGINT, rewrite=_count,
          examples=["COUNT(*)", "COUNT(DISTINCT 1)", "COUNT(DISTINCT 1, 'a')"])


@fn.internal("APP_COUNT_DISTINCT", returns=BIGINT, aggregate=True)
class CountDistinct:
    """COUNT(DISTINCT a, b, ...): the rows where no value is NULL, each combination once, strings
    compared as the default collation compares them (case and trailing spaces aside)."""

    def __init__(self) -> None:
        self.seen: set[tuple[Any, ...]] = set()

    def step(self, *values: Any) -> None:
        if None not in values:
            self.seen.add(tuple(v.rstrip(" ").lower() if isinstance(v, str) else v for v in values))

    def final(self) -> int:
        return len(self.seen)
fn.native("SUM", node=exp.Sum, numbers=("DOUBLE",), returns=lambda n, t: t.apply(sum_of, [_argument(n)]),
          examples=["SUM(1.50)", "SUM(DISTINCT 2)", "SUM(2.5e0)"])
fn.native("AVG", node=exp.Avg, numbers=("DOUBLE",),
          returns=lambda n, t: t.apply(avg_of, [_argument(n)], t.div_increment), examples=["AVG(1)", "AVG(1.50)"])
fn.native("MEDIAN", node=exp.Median, returns=SQLType("double", 10, fixed=True), examples=["MEDIAN(2) OVER ()"])
def _widened(t: SQLType) -> SQLType:
    """MIN / MAX of an integer expression (not a column): MariaDB makes it a BIGINT (MAX(n + 0), MIN(1 + 1));
    of NULL a binary string."""
    if t.kind == "null":
        return VARBINARY
    return replace(t, code=MySQLType.LONGLONG) if t.kind == "int" else t


def _min_max_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    arg = _argument(node)
    return typer.apply(first if isinstance(arg, exp.Column) else _widened, [arg])


fn.native("MIN", node=exp.Min, returns=_min_max_type, examples=["MIN(1.5)"])
fn.native("MAX", node=exp.Max, returns=_min_max_type, examples=["MAX('b')"])


def _variance_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    args = node.expressions
    return typer.apply(variance_of, args, typer.div_increment) if len(args) == 1 else None


class _Variance:
    """VARIANCE / STDDEV and their _POP and _SAMP forms (Welford's running mean)."""

    sample = False
    root = False

    def __init__(self) -> None:
        self.n, self.mean, self.m2 = 0, 0.0, 0.0

    def step(self, value: Any) -> None:
        if value is None:
            return
        x = float(number_of(value))
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)

    def inverse(self, value: Any) -> None:
        """A row leaves the window's frame (which makes this a window function too: STD(x) OVER (...))."""
        if value is None:
            return
        x = float(number_of(value))
        if self.n <= 1:
            self.n, self.mean, self.m2 = 0, 0.0, 0.0
            return
        mean = (self.n * self.mean - x) / (self.n - 1)
        self.m2 = max(self.m2 - (x - self.mean) * (x - mean), 0.0)
        self.n, self.mean = self.n - 1, mean

    def value(self) -> float | None:
        return self.final()

    def final(self) -> float | None:
        if self.n == 0 or (self.sample and self.n < 2):
            return None
        v = self.m2 / (self.n - 1 if self.sample else self.n)
        if math.isinf(v):  # the running sum overflowed (values near 1e300): MariaDB's answers
            return sys.float_info.max if self.root else 0.0
        return math.sqrt(v) if self.root else v


@fn.aggregate("VAR_POP", "VARIANCE", node=exp.VariancePop, returns=_variance_type, numbers=("DOUBLE",),
              examples=["VAR_POP(2)", "VARIANCE(2.5)"])
class VarPop(_Variance):
    pass


@fn.aggregate("VAR_SAMP", node=exp.Variance, returns=_variance_type, numbers=("DOUBLE",), examples=["VAR_SAMP(2)"])
class VarSamp(_Variance):
    sample = True


@fn.aggregate("STDDEV_POP", "STDDEV", "STD", node=(exp.StddevPop, exp.Stddev), returns=_variance_type,
              numbers=("DOUBLE",),
              examples=["STDDEV_POP(2)", "STDDEV(2)", "STD(2)"])
class StddevPop(_Variance):
    root = True


@fn.aggregate("STDDEV_SAMP", node=exp.StddevSamp, returns=_variance_type, numbers=("DOUBLE",),
              examples=["STDDEV_SAMP(2)"])
class StddevSamp(_Variance):
    sample = True
    root = True


class _Bits:
    """BIT_AND / BIT_OR / BIT_XOR over unsigned 64-bit values; also window functions over a frame, so each
    bit's count of set values in the frame is kept."""

    def __init__(self) -> None:
        self.rows = 0
        self.ones = [0] * 64

    def combined(self) -> int:
        raise NotImplementedError

    def _count(self, value: Any, by: int) -> None:
        if value is None:
            return
        bits = to_int(value) & (2**64 - 1)
        self.rows += by
        while bits:
            low = bits & -bits
            self.ones[low.bit_length() - 1] += by
            bits ^= low

    def step(self, value: Any) -> None:
        self._count(value, 1)

    def inverse(self, value: Any) -> None:
        self._count(value, -1)

    def value(self) -> int:
        return self.final()

    def final(self) -> int:
        result = self.combined() & (2**64 - 1)
        return result if result < 2**63 else result - 2**64  # SQLite integers are signed 64-bit


@fn.aggregate("BIT_AND", node=exp.BitwiseAndAgg, returns=UBIGINT, numbers=("INTEGER",), examples=["BIT_AND(6)"])
class BitAnd(_Bits):
    def combined(self) -> int:  # all ones over no rows
        return sum(1 << i for i, n in enumerate(self.ones) if n == self.rows)


@fn.aggregate("BIT_OR", node=exp.BitwiseOrAgg, returns=UBIGINT, numbers=("INTEGER",), examples=["BIT_OR(6)"])
class BitOr(_Bits):
    def combined(self) -> int:
        return sum(1 << i for i, n in enumerate(self.ones) if n)


@fn.aggregate("BIT_XOR", node=exp.BitwiseXorAgg, returns=UBIGINT, numbers=("INTEGER",), examples=["BIT_XOR(6)"])
class BitXor(_Bits):
    def combined(self) -> int:
        return sum(1 << i for i, n in enumerate(self.ones) if n % 2)

"""Aggregate functions: COUNT, SUM, AVG, MIN, MAX, GROUP_CONCAT, VARIANCE / STDDEV, BIT_AND / OR / XOR."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlglot import exp

from .._sqltypes import (
    BIGINT,
    BINARY,
    DOUBLE,
    TEXT,
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
from ._registry import Family, Typer
from ._values import number_of, to_int

fn = Family("aggregate")


def _argument(node: exp.Expr) -> exp.Expr:
    """The aggregated expression (DISTINCT x counts as x)."""
    arg: exp.Expr = node.this
    if isinstance(arg, exp.Distinct) and len(arg.expressions) == 1:
        only: exp.Expr = arg.expressions[0]
        return only
    return arg


fn.native("COUNT", node=exp.Count, returns=BIGINT, examples=["COUNT(*)", "COUNT(DISTINCT 1)"])
fn.native("SUM", node=exp.Sum, numbers=("DOUBLE",), returns=lambda n, t: t.apply(sum_of, [_argument(n)]),
          examples=["SUM(1.50)", "SUM(DISTINCT 2)", "SUM(2.5e0)"])
fn.native("AVG", node=exp.Avg, numbers=("DOUBLE",),
          returns=lambda n, t: t.apply(avg_of, [_argument(n)], t.div_increment), examples=["AVG(1)", "AVG(1.50)"])
fn.native("MEDIAN", node=exp.Median, returns=DOUBLE, examples=["MEDIAN(2) OVER ()"])
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


def _group_concat(node: exp.GroupConcat) -> None:
    # MySQL's GROUP_CONCAT(DISTINCT x) comes out sorted (it collects the values in a tree).
    inner = node.this
    if isinstance(inner, exp.Distinct) and len(inner.expressions) == 1:
        node.set("this", exp.Order(this=inner, expressions=[exp.Ordered(this=inner.expressions[0].copy())]))


def _concatenated(node: exp.Expr) -> Sequence[exp.Expr]:
    inner = node.this
    if isinstance(inner, exp.Order):
        inner = inner.this
    return list(inner.expressions) if isinstance(inner, exp.Distinct) else [inner]


def _concat_of(t: SQLType) -> SQLType:
    return BINARY if t.kind in ("binary", "varbinary") else TEXT


def _group_concat_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """TEXT (a BLOB MariaDB sends as text), or a binary BLOB when the values are binary strings."""
    values = _concatenated(node)
    found = typer.apply(_concat_of, values[:1]) if len(values) == 1 else None
    return TEXT if found is None else found


fn.native("GROUP_CONCAT", node=exp.GroupConcat, returns=_group_concat_type, rewrite=_group_concat,
          text_args=_concatenated,
          examples=["GROUP_CONCAT(1)", "GROUP_CONCAT(DISTINCT 'a' ORDER BY 1)", "GROUP_CONCAT('a' SEPARATOR ';')"])


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
    """BIT_AND / BIT_OR / BIT_XOR over unsigned 64-bit values."""

    start = 0

    def __init__(self) -> None:
        self.value = self.start

    def combine(self, value: int) -> None:
        raise NotImplementedError

    def step(self, value: Any) -> None:
        if value is not None:
            self.combine(to_int(value) & (2**64 - 1))

    def final(self) -> int:
        result = self.value & (2**64 - 1)
        return result if result < 2**63 else result - 2**64  # SQLite integers are signed 64-bit


@fn.aggregate("BIT_AND", node=exp.BitwiseAndAgg, returns=UBIGINT, numbers=("INTEGER",), examples=["BIT_AND(6)"])
class BitAnd(_Bits):
    start = -1

    def combine(self, value: int) -> None:
        self.value &= value


@fn.aggregate("BIT_OR", node=exp.BitwiseOrAgg, returns=UBIGINT, numbers=("INTEGER",), examples=["BIT_OR(6)"])
class BitOr(_Bits):
    def combine(self, value: int) -> None:
        self.value |= value


@fn.aggregate("BIT_XOR", node=exp.BitwiseXorAgg, returns=UBIGINT, numbers=("INTEGER",), examples=["BIT_XOR(6)"])
class BitXor(_Bits):
    def combine(self, value: int) -> None:
        self.value ^= value

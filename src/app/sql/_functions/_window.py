"""Window functions (ROW_NUMBER() OVER (...), LAG, ...): SQLite has them all. An aggregate with OVER
is its aggregate's entry."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

from sqlglot import exp

from .._errors import syntax_error
from .._sqltypes import BIGINT, SQLType, first
from ._registry import Family, udf

fn = Family("window")

fn.native("ROW_NUMBER", node=exp.RowNumber, returns=BIGINT, examples=["ROW_NUMBER() OVER ()"])
fn.native("RANK", node=exp.Rank, returns=BIGINT, examples=["RANK() OVER (ORDER BY 1)"])
fn.native("DENSE_RANK", node=exp.DenseRank, returns=BIGINT, examples=["DENSE_RANK() OVER (ORDER BY 1)"])
fn.native("NTILE", node=exp.Ntile, returns=BIGINT, examples=["NTILE(2) OVER (ORDER BY 1)"])
# MariaDB shows these DOUBLEs with 10 decimals (0.5000000000).
FRACTION: Final = SQLType("double", 10, fixed=True)
fn.native("CUME_DIST", node=exp.CumeDist, returns=FRACTION, examples=["CUME_DIST() OVER (ORDER BY 1)"])
fn.native("PERCENT_RANK", node=exp.PercentRank, returns=FRACTION, examples=["PERCENT_RANK() OVER (ORDER BY 1)"])


def _backwards(node: exp.Lag | exp.Lead) -> exp.Expr | None:
    """LAG(x, -n) is LEAD(x, n) and LEAD(x, -n) LAG(x, n) in MariaDB (SQLite's answer NULL past -1); MariaDB
    10.11's grammar has no third argument (a default)."""
    if node.args.get("default") is not None:
        raise syntax_error(node.args["default"].sql(dialect="mysql") + ")")
    offset = node.args.get("offset")
    if not (isinstance(offset, exp.Neg) and isinstance(offset.this, exp.Literal)):
        return None
    other = exp.Lead if isinstance(node, exp.Lag) else exp.Lag
    return other(this=node.this, offset=offset.this)


fn.native("LAG", node=exp.Lag, returns=lambda n, t: t.apply(first, [n.this]), rewrite=_backwards,
          examples=["LAG(1.5) OVER (ORDER BY 1)", "LAG('a', 1) OVER (ORDER BY 1)", "LAG(1, -1) OVER (ORDER BY 1)"])
fn.native("LEAD", node=exp.Lead, returns=lambda n, t: t.apply(first, [n.this]), rewrite=_backwards,
          examples=["LEAD(2) OVER (ORDER BY 1)"])
fn.native("FIRST_VALUE", node=exp.FirstValue, returns=lambda n, t: t.apply(first, [n.this]),
          examples=["FIRST_VALUE('a') OVER (ORDER BY 1)"])
fn.native("LAST_VALUE", node=exp.LastValue, returns=lambda n, t: t.apply(first, [n.this]),
          examples=["LAST_VALUE(1) OVER (ORDER BY 1)"])
fn.native("NTH_VALUE", node=exp.NthValue, returns=lambda n, t: t.apply(first, [n.this]),
          examples=["NTH_VALUE(1.25, 1) OVER (ORDER BY 1)"])


def _within_group(called: str) -> Callable[[exp.Expr], exp.Expr]:
    """PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x [DESC]) OVER (...) as `called`(x, p, desc) OVER (...): an
    aggregate over the whole partition (MariaDB allows no ORDER BY in its OVER)."""

    def rewrite(node: exp.Expr) -> exp.Expr:
        group = node.parent
        order = group.expression if isinstance(group, exp.WithinGroup) else None
        if not isinstance(order, exp.Order) or len(order.expressions) != 1:
            raise syntax_error(node.sql(dialect="mysql"))
        ordered = order.expressions[0]
        desc = bool(ordered.args.get("desc")) if isinstance(ordered, exp.Ordered) else False
        value = ordered.this if isinstance(ordered, exp.Ordered) else ordered
        call = udf(called, value, node.this, exp.Literal.number(int(desc)))
        group.replace(call)  # type: ignore[union-attr]
        return call.copy()  # what replaces `node`, now outside the tree

    return rewrite


class _Percentile:
    def __init__(self) -> None:
        self.values: list[Any] = []
        self.fraction = 0.0
        self.desc = False

    def step(self, value: Any, fraction: Any, desc: Any) -> None:
        self.fraction = float(fraction) if fraction is not None else 0.0
        self.desc = bool(desc)
        if value is not None:
            self.values.append(value)

    def inverse(self, value: Any, fraction: Any, desc: Any) -> None:
        """The row leaves the window's frame (SQLite's window function protocol)."""
        if value is not None:
            self.values.remove(value)

    def ordered(self) -> list[Any]:
        return sorted(self.values, key=_number, reverse=self.desc)

    def value(self) -> Any:
        raise NotImplementedError

    def final(self) -> Any:
        return self.value()


def _number(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


@fn.aggregate("PERCENTILE_CONT", node=exp.PercentileCont, returns=FRACTION,
              rewrite=_within_group("APP_PERCENTILE_CONT"),
              examples=["PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY 2) OVER ()"])
class PercentileCont(_Percentile):
    """The value at `fraction` of the ordered values, interpolated between the two around it."""

    def value(self) -> float | None:
        values = [_number(v) for v in self.ordered()]
        if not values:
            return None
        position = self.fraction * (len(values) - 1)
        low, high = math.floor(position), math.ceil(position)
        return values[low] + (values[high] - values[low]) * (position - low)


@fn.aggregate("PERCENTILE_DISC", node=exp.PercentileDisc, returns=lambda n, t: t.apply(first, [n.expressions[0]]),
              rewrite=_within_group("APP_PERCENTILE_DISC"),
              examples=["PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY 2) OVER ()"])
class PercentileDisc(_Percentile):
    """The first of the ordered values whose cumulative distribution reaches `fraction`."""

    def value(self) -> Any:
        values = self.ordered()
        if not values:
            return None
        return values[max(0, min(len(values) - 1, math.ceil(self.fraction * len(values)) - 1))]

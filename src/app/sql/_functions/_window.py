"""Window functions (ROW_NUMBER() OVER (...), LAG, ...): SQLite has them all. An aggregate with OVER
is its aggregate's entry."""

from __future__ import annotations

from sqlglot import exp

from .._sqltypes import BIGINT, DOUBLE, first
from ._registry import Family

fn = Family("window")

fn.native("ROW_NUMBER", node=exp.RowNumber, returns=BIGINT, examples=["ROW_NUMBER() OVER ()"])
fn.native("RANK", node=exp.Rank, returns=BIGINT, examples=["RANK() OVER (ORDER BY 1)"])
fn.native("DENSE_RANK", node=exp.DenseRank, returns=BIGINT, examples=["DENSE_RANK() OVER (ORDER BY 1)"])
fn.native("NTILE", node=exp.Ntile, returns=BIGINT, examples=["NTILE(2) OVER (ORDER BY 1)"])
fn.native("CUME_DIST", node=exp.CumeDist, returns=DOUBLE, examples=["CUME_DIST() OVER (ORDER BY 1)"])
fn.native("PERCENT_RANK", node=exp.PercentRank, returns=DOUBLE, examples=["PERCENT_RANK() OVER (ORDER BY 1)"])
fn.native("LAG", node=exp.Lag, returns=lambda n, t: t.apply(first, [n.this]),
          examples=["LAG(1.5) OVER (ORDER BY 1)", "LAG('a', 1) OVER (ORDER BY 1)"])
fn.native("LEAD", node=exp.Lead, returns=lambda n, t: t.apply(first, [n.this]), examples=["LEAD(2) OVER (ORDER BY 1)"])
fn.native("FIRST_VALUE", node=exp.FirstValue, returns=lambda n, t: t.apply(first, [n.this]),
          examples=["FIRST_VALUE('a') OVER (ORDER BY 1)"])
fn.native("LAST_VALUE", node=exp.LastValue, returns=lambda n, t: t.apply(first, [n.this]),
          examples=["LAST_VALUE(1) OVER (ORDER BY 1)"])
fn.native("NTH_VALUE", node=exp.NthValue, returns=lambda n, t: t.apply(first, [n.this]),
          examples=["NTH_VALUE(1.25, 1) OVER (ORDER BY 1)"])

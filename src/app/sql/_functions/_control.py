"""Control flow functions: IF, IFNULL, NULLIF, COALESCE, GREATEST, LEAST (SQLite has them all).

Their result type merges their branches' (MariaDB's rules: a DECIMAL and an INT give a DECIMAL,
a DATE and a DATETIME a DATETIME, anything with a string a string). CASE is an operator: the type
deriver types it the same way.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from .._errors import SQLError
from .._sqltypes import first, greatest, merge
from ._registry import Family

fn = Family("control")

fn.native("IF", node=exp.If, returns=lambda n, t: t.apply(merge, [n.args["true"], n.args.get("false") or exp.null()]),
          examples=["IF(1 > 0, 1.5, 2)", "IF(NULL, 'a', 'b')"])
fn.native("COALESCE", "IFNULL", "NVL", node=exp.Coalesce,
          returns=lambda n, t: t.apply(merge, [n.this, *n.expressions]),
          # COALESCE(x) is x in MariaDB; SQLite's coalesce() wants two arguments at least
          rewrite=lambda n: None if n.expressions else exp.Paren(this=n.this),
          examples=["COALESCE(NULL, 1, 2.50)", "IFNULL(NULL, 'x')", "NVL(NULL, 2)"])
fn.native("NVL2", node=exp.Nvl2,
          returns=lambda n, t: t.apply(merge, [n.args["true"], n.args.get("false") or exp.null()]),
          examples=["NVL2(NULL, 1, 2)", "NVL2('x', 'a', 'b')"])


def _bare(node: exp.Expr) -> exp.Expr:
    """An argument without the COLLATE `_rewrite.mysql_comparisons` may have put on it."""
    return node.this if isinstance(node, exp.Collate) else node


fn.native("NULLIF", node=exp.Nullif, returns=lambda n, t: t.apply(first, [_bare(n.this)]),
          examples=["NULLIF(1, 1)", "NULLIF(2.5, 1)", "NULLIF('a', 'A')"])
fn.native("GREATEST", node=exp.Greatest,
          returns=lambda n, t: t.apply(greatest, [_bare(n.this), *n.expressions]),
          examples=["GREATEST(1, 2.5, 2)", "GREATEST('a', 'ABC')"])
fn.native("LEAST", node=exp.Least, returns=lambda n, t: t.apply(greatest, [_bare(n.this), *n.expressions]),
          examples=["LEAST('b', 'a')", "LEAST('abc', 'ABC')"])


@fn.internal("APP_SINGLE_ROW", returns=None)
def single_row(rows: Any) -> int:
    """The rows of a scalar subquery, counted (`_predicates.single_row_subqueries`): 1242 beyond one."""
    if rows is not None and rows > 1:
        raise SQLError(1242, "Subquery returns more than 1 row", "21000")
    return 0

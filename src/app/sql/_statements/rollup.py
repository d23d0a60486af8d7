"""GROUP BY ... WITH ROLLUP, and GROUP BY keys with ASC / DESC (MariaDB sorts the groups so).

SQLite has neither. `GROUP BY k1, k2 DESC` without ROLLUP is `GROUP BY k1, k2` ordered by the keys
(when the query has no ORDER BY of its own). WITH ROLLUP is a UNION ALL of one SELECT per level: the
first groups by every key, each next one by one key fewer, its rolled-up keys NULL outside aggregates
(as MariaDB shows a super-aggregate row), the last by none (`GROUP BY NULL`: no row from no rows).
Each carries its keys and which of them are rolled up as hidden columns, which order the rows as
MariaDB sends them (each group's super-aggregate after its rows, the grand total last); HAVING and
LIMIT apply to the rolled-up rows too, as there. sqlglot reads neither form, so both are recognised
by their words and the statement is parsed again without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .._catalog import Catalog
from .._connections import Connections
from .._errors import SQLError, not_supported, syntax_error
from .._plan import Params, Plan, PlanContext, executes, plans_words
from .._results import Result
from .._sqlmode import modes_of
from .._state import SessionState
from .._transaction import Transaction
from .._translator import parsing_dialect
from .._variables import SessionVariables
from .query import QueryPlan, plan_query, run_query


@dataclass(frozen=True, slots=True, eq=False)
class RollupPlan(Plan):
    """A WITH ROLLUP query: `query` answers its `width` columns, then the hidden ones that order it."""

    query: QueryPlan
    width: int


_TOKEN: Final = re.compile(
    r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|/\*.*?\*/|--(?=\s|$)[^\n]*|#[^\n]*"""
    r"""|[A-Za-z_$][\w$]*|[(),;]|\S""", re.S)
_GROUP_END: Final = frozenset({"having", "order", "limit", "window", "procedure", "into", "for", "lock", "union",
                               "intersect", "except", ";"})
_HINT: Final = re.compile(r"(?is)\bgroup\s+by\b.*\b(?:rollup|asc|desc)\b")


def _group_clause(sql: str) -> tuple[str, bool, list[bool]] | None:
    """The statement without WITH ROLLUP and its GROUP BY keys' ASC / DESC; whether it had WITH ROLLUP,
    and which keys are DESC. None when its outermost GROUP BY has neither."""
    tokens = [m for m in _TOKEN.finditer(sql) if not m.group().startswith(("/*", "--", "#"))]
    depth, start = 0, None
    for i, m in enumerate(tokens):
        word = m.group().lower()
        depth += word == "("
        depth -= word == ")"
        if depth == 0 and word == "group" and i + 1 < len(tokens) and tokens[i + 1].group().lower() == "by":
            start = i + 2
            break
    if start is None:
        return None
    cut: list[tuple[int, int]] = []
    desc: list[bool] = [False]
    rollup = False
    depth = 0
    for i in range(start, len(tokens)):
        m = tokens[i]
        word = m.group().lower()
        if word == "(":
            depth += 1
        elif word == ")":
            if depth == 0:
                break
            depth -= 1
        if depth:
            continue
        if word in _GROUP_END:
            break
        following = tokens[i + 1].group().lower() if i + 1 < len(tokens) else ";"
        if word == "with" and following == "rollup":
            rollup = True
            cut.append((m.start(), tokens[i + 1].end()))
            break
        if word == ",":
            desc.append(False)
        elif word in ("asc", "desc") and (following in (",", "with") or following in _GROUP_END):
            desc[-1] = word == "desc"
            cut.append((m.start(), m.end()))
    if not cut:
        return None
    text = sql
    for begin, end in reversed(cut):
        text = text[:begin] + " " + text[end:]
    return text, rollup, desc


@plans_words("select")
def plan_rollup(sql: str, ctx: PlanContext) -> Plan | None:
    if not _HINT.search(sql):
        return None
    found = _group_clause(sql)
    if found is None:
        return None
    text, rollup, desc = found
    try:
        trees = sqlglot.parse(text, read=parsing_dialect(modes_of(ctx.dialect.sql_mode)))
    except SqlglotError:
        raise syntax_error(sql) from None
    if len(trees) != 1 or not isinstance(trees[0], exp.Select) or trees[0].args.get("group") is None:
        return None
    tree = trees[0]
    keys = list(tree.args["group"].expressions)
    if len(keys) != len(desc):
        raise syntax_error(sql)
    if not rollup:
        if tree.args.get("order") is None and any(desc):
            tree.set("order", exp.Order(expressions=[exp.Ordered(this=k.copy(), desc=d, nulls_first=not d)
                                                     for k, d in zip(keys, desc, strict=True)]))
        return plan_query(tree, text, ctx)
    if tree.args.get("order") is not None:
        raise SQLError(1221, "Incorrect usage of CUBE/ROLLUP and ORDER BY", "HY000")
    if any(isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star))
           for p in tree.expressions):
        raise not_supported("WITH ROLLUP with SELECT *")
    width = len(tree.expressions)
    base = plan_query(tree.copy(), text, ctx)  # the names and types the client sees
    if not isinstance(base, QueryPlan):
        raise not_supported("WITH ROLLUP over information_schema")
    union = _levels(tree, keys, desc)
    query = plan_query(union, text, ctx)
    if not isinstance(query, QueryPlan):
        raise not_supported("WITH ROLLUP over information_schema")
    hidden = 2 * len(keys)
    query = replace(query, names=base.names + tuple(f"__r{i}" for i in range(hidden)),
                    hints=base.hints + (None,) * hidden, positional=True)
    return RollupPlan(query, width)


def _levels(tree: exp.Select, keys: list[exp.Expr], desc: list[bool]) -> exp.Query:
    """The UNION ALL of one SELECT per level of grouping, ordered as MariaDB sends the rows."""
    k = len(keys)
    width = len(tree.expressions)
    limit, offset = tree.args.get("limit"), tree.args.get("offset")
    union: exp.Query | None = None
    for kept in range(k, -1, -1):
        level = tree.copy()
        level.set("limit", None)
        level.set("offset", None)
        rolled = keys[kept:]
        for clause in (*level.expressions, level.args.get("having")):
            if clause is not None:
                _null_outside_aggregates(clause, rolled)
        level.set("group", exp.Group(expressions=[key.copy() for key in keys[:kept]] or [exp.Null()]))
        extra: list[exp.Expr] = [exp.alias_(keys[i].copy() if i < kept else exp.Null(), f"__rk{i}")
                                 for i in range(k)]
        extra += [exp.alias_(exp.Literal.number(int(i >= kept)), f"__rf{i}") for i in range(k)]
        level.set("expressions", [*level.expressions, *extra])
        union = level if union is None else exp.Union(this=union, expression=level, distinct=False)
    assert union is not None
    order = []
    for i in range(k):
        order.append(exp.Ordered(this=exp.Literal.number(width + k + i + 1), nulls_first=True))
        # NULL sorts first ascending and last descending, in MariaDB as in SQLite.
        order.append(exp.Ordered(this=exp.Literal.number(width + i + 1), desc=desc[i], nulls_first=not desc[i]))
    union.set("order", exp.Order(expressions=order))
    union.set("limit", limit)
    union.set("offset", offset)
    return union


def _null_outside_aggregates(node: exp.Expr, rolled: list[exp.Expr]) -> None:
    """Replace the rolled-up keys in `node` with NULL, except inside aggregates."""
    if not rolled:
        return
    for sub in list(node.walk()):
        if sub.find_ancestor(exp.AggFunc) is not None or isinstance(sub, exp.AggFunc):
            continue
        if sub.parent is not None and any(sub == key for key in rolled):
            sub.replace(exp.Null())


@executes(RollupPlan)
def run_rollup(plan: RollupPlan, params: Params, conns: Connections, tx: Transaction, variables: SessionVariables,
               state: SessionState, catalog: Catalog) -> Result:
    result = run_query(plan.query, params, conns, tx, variables, state, catalog)
    if result.columns is not None:
        result.columns = result.columns[:plan.width]
    result.rows = [row[:plan.width] for row in result.rows]
    return result

"""Subquery predicates and row constructors as SQLite runs them.

SQLite has row values (`(a, b) = (1, 2)`, `(a, b) = (SELECT ...)`) but not MySQL's `ROW(...)`
spelling, nor a list of rows after IN, nor the quantified comparisons `x > ALL (SELECT ...)`,
`x < ANY | SOME (SELECT ...)`. These rewrites keep MySQL's three-valued answers: a quantified
comparison over an empty subquery is TRUE for ALL and FALSE for ANY; a NULL among the values makes
an answer that the other values do not decide NULL.
"""

from __future__ import annotations

import re
from typing import Final

from sqlglot import exp

from ._errors import SQLError

_NUMBER: Final = re.compile(r"\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
_OPERAND: Final = "Operand should contain 1 column(s)"
# For each comparison: the aggregate of the subquery's values that decides `x op ALL (...)`, and
# the one that decides `x op ANY (...)`.
_DECIDING: Final[dict[type[exp.Expr], tuple[str, str]]] = {
    exp.GT: ("hi", "lo"), exp.GTE: ("hi", "lo"), exp.LT: ("lo", "hi"), exp.LTE: ("lo", "hi"),
}


def rewrite_predicates(tree: exp.Expr) -> None:
    """ROW(...) as a row value, `row IN (row, ...)` as equalities, quantified comparisons as one
    aggregate over the subquery."""
    for call in list(tree.find_all(exp.Anonymous)):
        if call.name.upper() == "ROW" and len(call.expressions) > 1:
            call.replace(exp.Tuple(expressions=list(call.expressions)))
    for within in list(tree.find_all(exp.In)):
        _values_as_list(within)
        if (isinstance(within.this, exp.Tuple) and within.args.get("query") is None and within.expressions
                and all(isinstance(e, exp.Tuple) for e in within.expressions)):
            equalities = [exp.EQ(this=within.this.copy(), expression=row) for row in within.expressions]
            within.replace(exp.Paren(this=exp.or_(*equalities)))
    for node in list(tree.find_all(exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)):
        quantified = node.expression
        if isinstance(quantified, (exp.All, exp.Any)):
            node.replace(_quantified(node, quantified))


def single_row_subqueries(tree: exp.Expr) -> None:
    """Scalar subqueries checked for a second row (1242), after the functions are rewritten."""
    for sub in list(tree.find_all(exp.Subquery)):
        if isinstance(sub.parent, _SCALAR_CONTEXTS) and sub.parent.args.get("query") is not sub:
            _single_row(sub)


# Where a subquery is a scalar value (not a table, nor IN's or EXISTS' set of rows).
_SCALAR_CONTEXTS: Final = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
                           exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Neg, exp.Func, exp.Alias, exp.Select)
_AGGREGATING: Final = ("group", "having", "limit", "offset", "windows", "distinct")


def _single_row(sub: exp.Subquery) -> None:
    """A scalar subquery of more than one row is MySQL's error 1242, where SQLite takes the first row.

    `(SELECT x FROM t WHERE w)` becomes `(SELECT x FROM t WHERE w ORDER BY APP_SINGLE_ROW(COUNT(*) OVER ()))`,
    which raises when it counts a second row; its column stays x, so that SQLite still reports x's declared
    type. A subquery that aggregates, limits or has no FROM gives one row at most and is left as it is (so
    is a DISTINCT one: SQLite has no COUNT(DISTINCT) OVER).
    """
    select = sub.this
    if (not isinstance(select, exp.Select) or select.args.get("from_") is None or len(select.expressions) != 1
            or any(select.args.get(k) for k in _AGGREGATING)):
        return
    proj = select.expressions[0]
    value = proj.this if isinstance(proj, exp.Alias) else proj
    if isinstance(value, exp.Star) or (isinstance(value, exp.Column) and isinstance(value.this, exp.Star)):
        return
    if value.find(exp.AggFunc, exp.Window) is not None:
        return
    counted = exp.Window(this=exp.Count(this=exp.Star()))
    select.set("order", exp.Order(expressions=[exp.Ordered(
        this=exp.Anonymous(this="APP_SINGLE_ROW", expressions=[counted]), nulls_first=True)]))


def _values_as_list(within: exp.In) -> None:
    """`x IN (VALUES (1), (2))` as `x IN (1, 2)`.

    sqlglot reads the table value constructor as a call `VALUES(1)` followed by a list, and the call's argument as a
    name (`1` a column named 1), which SQLite then cannot find; MariaDB compares x with each row's value.
    """
    items = within.expressions
    first = items[0] if items else None
    if not (isinstance(first, exp.Anonymous) and first.name.upper() == "VALUES" and len(first.expressions) == 1):
        return
    value = first.expressions[0]
    if isinstance(value, exp.Identifier):
        if value.quoted:
            value = exp.Literal.string(value.name)
        elif _NUMBER.fullmatch(value.name):
            value = exp.Literal.number(value.name)
        else:
            value = exp.Column(this=value)
    rest = [item.this if isinstance(item, exp.Paren) else item for item in items[1:]]
    within.set("expressions", [value, *rest])


def _subquery(quantified: exp.All | exp.Any) -> exp.Query:
    inner = quantified.this
    while isinstance(inner, (exp.Subquery, exp.Paren)):
        inner = inner.this
    if not isinstance(inner, exp.Query):
        raise SQLError(1064, "You have an error in your SQL syntax: ALL and ANY take a subquery", "42000")
    selects = [inner] if isinstance(inner, exp.Select) else list(inner.find_all(exp.Select))
    for select in selects:
        if len(select.expressions) != 1 and not any(isinstance(p, exp.Star) for p in select.expressions):
            raise SQLError(1241, _OPERAND, "21000")
    return inner


def _quantified(node: exp.Expr, quantified: exp.All | exp.Any) -> exp.Expr:
    subquery = _subquery(quantified)
    x = node.this
    is_all = isinstance(quantified, exp.All)
    if isinstance(node, exp.EQ) and not is_all:
        return exp.In(this=x, query=exp.Subquery(this=subquery))
    if isinstance(node, exp.NEQ) and is_all:
        return exp.Not(this=exp.In(this=x, query=exp.Subquery(this=subquery)))
    lo, hi = exp.column("__app_lo"), exp.column("__app_hi")
    if isinstance(node, (exp.EQ, exp.NEQ)):  # = ALL, <> ANY: whether every value is x
        # Some value differs: = ALL is FALSE then, <> ANY is TRUE.
        same = exp.and_(exp.EQ(this=x.copy(), expression=lo), exp.EQ(this=x.copy(), expression=hi))
        decided: exp.Expr = exp.Not(this=exp.Paren(this=same))
    else:
        bound = {"lo": lo, "hi": hi}[_DECIDING[type(node)][0 if is_all else 1]]
        holds = type(node)(this=x.copy(), expression=bound)
        decided = exp.Not(this=exp.Paren(this=holds)) if is_all else holds
    empty, when_decided = ("1", "0") if is_all else ("0", "1")
    n, nn = exp.column("__app_n"), exp.column("__app_nn")
    case = (exp.Case()
            .when(exp.EQ(this=n, expression=exp.Literal.number(0)), exp.Literal.number(empty))
            .when(exp.Is(this=x.copy(), expression=exp.Null()), exp.Null())
            .when(decided, exp.Literal.number(when_decided))
            .when(exp.LT(this=nn.copy(), expression=n.copy()), exp.Null())
            .else_(exp.Literal.number(empty)))
    values = exp.column("__app_v")
    aggregate = exp.select(
        exp.alias_(exp.Count(this=exp.Star()), "__app_n"), exp.alias_(exp.Count(this=values.copy()), "__app_nn"),
        exp.alias_(exp.Min(this=values.copy()), "__app_lo"), exp.alias_(exp.Max(this=values.copy()), "__app_hi"),
    ).from_("__app_s")
    cte = exp.CTE(this=subquery.copy(), alias=exp.TableAlias(this=exp.to_identifier("__app_s"),
                                                             columns=[exp.to_identifier("__app_v")]))
    aggregate.set("with_", exp.With(expressions=[cte]))
    derived = exp.Subquery(this=aggregate, alias=exp.TableAlias(this=exp.to_identifier("__app_q")))
    outer = exp.select(case).from_(derived)
    return exp.Subquery(this=outer)

"""Queries: SELECT, UNION / INTERSECT / EXCEPT, WITH; SELECT ... FOR UPDATE, which locks; and DO,
which evaluates expressions as a SELECT would, for their effects.

MySQL names an unaliased expression column after the text the client wrote and types it as
MariaDB derives it; SQLite knows neither, so the plan carries both (`names`, `hints`). Queries on
information_schema and the virtual schemas are in `infoschema`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import apsw
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .._catalog import Catalog
from .._connections import Connections
from .._decimals import DecimalMark, decimal_scopes, exact_decimals
from .._decimals import resolve as resolve_decimals
from .._errors import SQLError, not_supported, syntax_error
from .._exprtypes import Scope, hint, merged_hint, scope_of
from .._lexer import projection_texts
from .._plan import Params, Plan, PlanContext, executes, plans, plans_words
from .._results import OK, Result
from .._resultset import Hint, query_result
from .._rewrite import (
    TextMark,
    bind_variables,
    mark_text_columns,
    mysql_comparisons,
    rewrite_functions,
    text_sql,
    to_sqlite,
)
from .._routing import qualified_tables, route_tables, table_in_unknown_database
from .._sqlite_errors import sqlite_error
from .._state import SessionState
from .._transaction import Transaction
from .._variables import SessionVariables


@dataclass(frozen=True, slots=True, eq=False)
class QueryPlan(Plan):
    """A query on the session's databases.

    primary: the database whose connection runs it (None: the current one); attach: others it reads.
    names, hints: each result column's MySQL name and type (None: SQLite's name, typed by the values);
    `positional` when they match the result columns by position (no `*`), else by `__cN` aliases.
    text_columns: markers in `sql` resolved against the schema when it runs (`_rewrite.text_sql`);
    decimal_marks: the same for DECIMAL arithmetic (`_decimals.resolve`).
    """

    sql: str
    primary: str | None = None
    attach: tuple[str, ...] = ()
    has_tables: bool = False
    names: tuple[str | None, ...] = ()
    hints: tuple[Hint, ...] = ()
    positional: bool = True
    var_params: tuple[tuple[str, str], ...] = ()
    locking_read: bool = False
    qualified: tuple[tuple[str, str], ...] = ()
    text_columns: tuple[TextMark, ...] = ()
    decimal_marks: tuple[DecimalMark, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class SystemQueryPlan(Plan):
    """A query on a schema materialised per query: information_schema, or a virtual one (`schema`)."""

    sql: str
    schema: str
    names: tuple[str | None, ...] = ()
    hints: tuple[Hint, ...] = ()
    positional: bool = True
    var_params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class DoPlan(Plan):
    """DO expr[, expr ...]: the expressions evaluated (as `query`, their SELECT) for their effects
    (LAST_INSERT_ID(n), SLEEP(n), an error), and no result."""

    query: QueryPlan


# -- planning -------------------------------------------------------------------------------------

_DO: Final = re.compile(r"(?is)^\s*do\b(.*?)\s*;?\s*$")


@plans_words("do")
def plan_do(sql: str, ctx: PlanContext) -> Plan:
    m = _DO.match(sql)
    if m is None or not m.group(1).strip():
        raise syntax_error(sql)
    select = "SELECT " + m.group(1)
    try:
        trees = sqlglot.parse(select, read="mysql")
    except SqlglotError:
        raise syntax_error(m.group(1)) from None
    if len(trees) != 1 or not isinstance(trees[0], exp.Select):
        raise syntax_error(m.group(1))
    query = plan_query(trees[0], select, ctx)
    if not isinstance(query, QueryPlan):
        raise not_supported("DO reading information_schema")
    return DoPlan(query)



@plans(exp.Query)
def plan_query(tree: exp.Query, sql: str, ctx: PlanContext) -> Plan:
    increment = ctx.dialect.div_precision_increment
    var_params = bind_variables(tree)
    rewrite_functions(tree)
    mysql_comparisons(tree)
    qualified = qualified_tables(tree)
    text_columns = mark_text_columns(tree, increment)
    branches = _union_branches(tree)
    # The tables each branch reads, with their databases (before routing strips qualifiers).
    scopes = [scope_of(b, div_increment=increment) if isinstance(b, exp.Select) else None for b in branches]
    select_scopes = decimal_scopes(tree, increment)
    primary, attach, has_tables, system = route_tables(tree, virtual=ctx.virtual_schemas)
    first = branches[0]
    names: tuple[str | None, ...] = ()
    hints: tuple[Hint, ...] = ()
    positional = False
    locking = False
    if isinstance(first, exp.Select):
        names, hints = _name_projections(first, projection_texts(sql), scopes[0] or {}, increment)
        if len(branches) > 1:
            hints = _union_hints(branches, scopes, len(names), increment) or tuple(None for _ in names)
        positional = None not in names
        locking = bool(first.args.get("locks"))
        if locking:
            first.set("locks", None)
    decimal_marks = exact_decimals(tree, select_scopes, increment)
    query_sql = to_sqlite(tree)
    if system:  # materialised per query: no declared types to consult
        if text_columns:
            query_sql = text_sql(query_sql, text_columns, lambda db, table: None)
        if decimal_marks:
            query_sql = resolve_decimals(query_sql, decimal_marks, lambda db, table: None)
        return SystemQueryPlan(query_sql, primary or "information_schema", names, hints, positional, var_params)
    return QueryPlan(query_sql, primary, attach, has_tables, names, hints, positional, var_params, locking, qualified,
                     text_columns, decimal_marks)


def _union_branches(tree: exp.Expr) -> list[exp.Expr]:
    """The SELECTs of a UNION / INTERSECT / EXCEPT, leftmost first (the query itself otherwise)."""
    if isinstance(tree, exp.SetOperation):
        return _union_branches(tree.this) + _union_branches(tree.expression)
    if isinstance(tree, exp.Subquery):
        return _union_branches(tree.this)
    return [tree]


def _is_star(node: exp.Expr) -> bool:
    return isinstance(node, exp.Star) or (isinstance(node, exp.Column) and isinstance(node.this, exp.Star))


def _union_hints(branches: list[exp.Expr], scopes: list[Scope | None], width: int,
                 increment: int) -> tuple[Hint, ...] | None:
    """A UNION's column types merge its branches' (SELECT 1 UNION SELECT 'a' is a string column);
    SQLite would report the first branch's declared types, so every column gets a hint."""
    per_branch: list[list[Hint]] = []
    for branch, scope in zip(branches, scopes, strict=True):
        if not isinstance(branch, exp.Select) or scope is None or len(branch.expressions) != width:
            return None
        if any(_is_star(p) for p in branch.expressions):
            return None
        per_branch.append([hint(p, scope, increment) for p in branch.expressions])
    return tuple(merged_hint([b[i] for b in per_branch]) for i in range(width))


def _name_projections(select: exp.Select, texts: list[str] | None, scope: Scope,
                      increment: int) -> tuple[tuple[str | None, ...], tuple[Hint, ...]]:
    """Column names and type hints for each projection.

    Without a `*` the result columns match the projections by position. With one, each
    unaliased expression gets a marker alias `__cN` so that execution can tell it from
    the columns the star expanded to (user aliases stay: ORDER BY may refer to them).
    """
    projections = select.expressions
    if texts is not None and len(texts) != len(projections):
        texts = None
    has_star = any(_is_star(p) for p in projections)
    names: list[str | None] = []
    hints: list[Hint] = []
    for i, proj in enumerate(list(projections)):
        if _is_star(proj):
            names.append(None)
            hints.append(None)
            continue
        names.append(_projection_name(proj, texts[i] if texts is not None else None))
        inner = proj.this if isinstance(proj, exp.Alias) else proj
        projection_hint = None if isinstance(inner, exp.Column) else hint(inner, scope, increment)
        hints.append(projection_hint)
        if has_star and not isinstance(proj, exp.Alias):
            proj.replace(exp.alias_(proj, f"__c{i}", quoted=False))
        elif has_star and projection_hint is not None:
            # A typed expression needs the marker too; what referred to its alias follows it.
            _rename_alias(select, proj.alias, f"__c{i}")
            proj.set("alias", exp.to_identifier(f"__c{i}"))
    return tuple(names), tuple(hints)


def _projection_name(proj: exp.Expr, text: str | None) -> str:
    if isinstance(proj, exp.Alias):
        return proj.alias
    if isinstance(proj, exp.Column):
        return proj.name
    if isinstance(proj, exp.Literal) and proj.is_string:
        return str(proj.this)  # MySQL names a string literal's column after its value, without quotes
    if text is not None:
        return text
    return proj.sql(dialect="mysql")


def _rename_alias(select: exp.Select, alias: str, marker: str) -> None:
    for key in ("order", "group", "having"):
        clause = select.args.get(key)
        if clause is None:
            continue
        for col in list(clause.find_all(exp.Column)):
            if not col.table and col.name.lower() == alias.lower():
                col.replace(exp.column(marker))


# -- running --------------------------------------------------------------------------------------


@executes(QueryPlan)
def run_query(plan: QueryPlan, params: Params, conns: Connections, tx: Transaction, variables: SessionVariables,
              state: SessionState, catalog: Catalog) -> Result:
    try:
        if plan.locking_read and tx.deferred:
            c = tx.begin_write(state.resolve(plan.primary))
        elif plan.has_tables:
            c = conns.get(state.resolve(plan.primary))
        else:
            c = conns.scratch()
        if plan.attach:
            conns.attach(c, plan.attach)
    except SQLError as e:
        raise table_in_unknown_database(plan.qualified, e) from None
    bindings = variables.bindings(plan.var_params, params)
    default_db = plan.primary or state.database
    sql = plan.sql
    if plan.text_columns or plan.decimal_marks:
        state_key, lookup = catalog.lookup(default_db)
        marks, decimals = plan.text_columns, plan.decimal_marks
        sql = catalog.memo((plan.sql, marks, decimals, *state_key),
                           lambda: resolve_decimals(text_sql(plan.sql, marks, lookup), decimals, lookup))
    try:
        description, rows = conns.query(c, sql, bindings)
    except apsw.Error as e:
        raise sqlite_error(e, c.db.name if c.db else None, params=params, conn=c, catalog=catalog) from None
    result = query_result(plan, description, rows, catalog, default_db)
    state.found_rows = len(result.rows)
    state.row_count = -1
    return result



@executes(DoPlan)
def run_do(plan: DoPlan, params: Params, conns: Connections, tx: Transaction, variables: SessionVariables,
           state: SessionState, catalog: Catalog) -> Result:
    run_query(plan.query, params, conns, tx, variables, state, catalog)
    state.row_count = 0  # as after MariaDB's DO: no rows, none changed
    return OK

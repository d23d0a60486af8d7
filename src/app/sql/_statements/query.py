"""Queries: SELECT, UNION / INTERSECT / EXCEPT, WITH; SELECT ... FOR UPDATE, which locks; and DO,
which evaluates expressions as a SELECT would, for their effects.

MySQL names an unaliased expression column after the text the client wrote and types it as
MariaDB derives it; SQLite knows neither, so the plan carries both (`names`, `hints`). Queries on
information_schema and the virtual schemas are in `infoschema`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

import apsw
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .._catalog import Catalog
from .._coercion import numeric_contexts, searched_cases
from .._connections import Connections
from .._decimals import DecimalMark, decimal_scopes, exact_decimals
from .._decimals import resolve as resolve_decimals
from .._diagnostics import Diagnostics
from .._errors import SQLError, not_supported, syntax_error
from .._exprtypes import Scope, derived_hint, hint, merged_hint, scope_of
from .._lexer import projection_texts
from .._plan import Params, Plan, PlanContext, executes, plans, plans_words
from .._results import OK, ErrorInResult, Result
from .._resultset import Hint, query_result
from .._rewrite import (
    TextMark,
    binary_results,
    bind_variables,
    cast_binary_results,
    mark_text_columns,
    mysql_comparisons,
    rewrite_functions,
    text_sql,
    to_sqlite,
)
from .._routing import qualified_tables, route_tables, table_in_unknown_database
from .._sqlite_errors import sqlite_error
from .._sqlmode import modes_of
from .._sqltypes import Deferred, VariableTypes
from .._state import SessionState
from .._transaction import Transaction
from .._types import Column
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
    limited: bool = False  # the query has its own LIMIT (sql_select_limit does not apply)
    count_sql: str | None = None  # SQL_CALC_FOUND_ROWS: what FOUND_ROWS() then counts (no LIMIT)
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


@dataclass(frozen=True, slots=True, eq=False)
class SelectIntoPlan(Plan):
    """SELECT ... INTO @a, @b: the query, and the user variables its one row goes to."""

    query: Plan
    targets: tuple[str, ...]
    trailing: bool = False  # SELECT ... FROM ... INTO @a: the form MariaDB deprecates (warning 1287)


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



_INTO_TOKENS: Final = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|[()]|@?\w+|,|\S""")
_INTO_TARGETS: Final = re.compile(r"(?is)\s*into\s+(@\w+(?:\s*,\s*@\w+)*)")


@plans_words("select")
def plan_select_into(sql: str, ctx: PlanContext) -> Plan | None:
    """SELECT ... INTO @a, @b [FROM ...], and SELECT ... FROM ... INTO @a (which sqlglot cannot parse)."""
    if "@" not in sql or "into" not in sql.lower():
        return None
    depth = 0
    after_from = False
    for m in _INTO_TOKENS.finditer(sql):
        token = m.group()
        depth += token == "("
        depth -= token == ")"
        after_from = after_from or (depth == 0 and token.lower() == "from")
        if depth == 0 and token.lower() == "into":
            into = _INTO_TARGETS.match(sql, m.start() - 1 if m.start() else 0)
            if into is None:
                return None
            rest = sql[: m.start()] + " " + sql[into.end():]
            try:
                trees = sqlglot.parse(rest, read="mysql")
            except SqlglotError:
                return None  # the statement as written reports the error
            if len(trees) != 1 or not isinstance(trees[0], exp.Query):
                return None
            targets = tuple(t.strip()[1:].lower() for t in into.group(1).split(","))
            return SelectIntoPlan(plan_query(trees[0], rest, ctx), targets, after_from)
    return None


@plans(exp.Query)
def plan_query(tree: exp.Query, sql: str, ctx: PlanContext) -> Plan:
    into = tree.args.get("into")
    if into is not None and isinstance(into.this, exp.Table) and isinstance(into.this.this, exp.Parameter):
        tree.set("into", None)
        return SelectIntoPlan(plan_query(tree, sql, ctx), (into.this.this.name.lower(),))
    group = tree.args.get("group")
    if isinstance(group, exp.Group) and group.args.get("rollup"):
        raise syntax_error("WITH ROLLUP")  # the statement's text is planned by `rollup`
    increment = ctx.dialect.div_precision_increment
    tree = _counted_set_operation(tree)
    limited = tree.args.get("limit") is not None
    without_dual(tree)
    _check_grammar(tree)
    check_windows(tree)
    if modes_of(ctx.dialect.sql_mode).only_full_group_by:
        _check_full_group_by(tree)
    calc_found_rows = _select_modifiers(tree)
    var_params = bind_variables(tree)
    _having_without_grouping(tree)
    rewrite_functions(tree)
    searched_cases(tree)
    mysql_comparisons(tree)
    qualified = qualified_tables(tree)
    binary = binary_results(tree, increment)  # typed before their arguments are wrapped as text
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
        if "NO_UNSIGNED_SUBTRACTION" in ctx.dialect.sql_mode.upper():  # 0 - 1 is -1, not an overflow
            hints = tuple(_unchecked(h) for h in hints)
        positional = None not in names
        locking = bool(first.args.get("locks"))
        if locking:
            first.set("locks", None)
    text_columns += cast_binary_results(binary)  # after the projections' types are derived
    decimal_marks = exact_decimals(tree, select_scopes, increment,
                                   unsigned_subtraction="NO_UNSIGNED_SUBTRACTION" not in ctx.dialect.sql_mode.upper())
    text_columns += numeric_contexts(tree, select_scopes, increment)
    tree = _sqlite_operands(tree)
    query_sql = to_sqlite(tree)
    count_sql = None
    if calc_found_rows and limited:
        unlimited = tree.copy()
        unlimited.set("limit", None)
        unlimited.set("offset", None)
        count_sql = f"SELECT COUNT(*) FROM ({to_sqlite(unlimited)})"
    if system:  # materialised per query: no declared types to consult
        if text_columns:
            query_sql = text_sql(query_sql, text_columns, lambda db, table: None)
        if decimal_marks:
            query_sql = resolve_decimals(query_sql, decimal_marks, lambda db, table: None)
        return SystemQueryPlan(query_sql, primary or "information_schema", names, hints, positional, var_params)
    return QueryPlan(query_sql, primary, attach, has_tables, names, hints, positional, var_params, locking, qualified,
                     text_columns, limited, count_sql, decimal_marks)


# Out of range (1690), a scalar subquery's second row (1242), NTILE(0) (4024): errors of a row, after
# the columns.
_FOUND_WHILE_SENDING: Final = frozenset({1690, 1242, 4024})


def _unchecked(h: Hint) -> Hint:
    if isinstance(h, Column) and h.checked and h.unsigned:
        return replace(h, checked=False)
    return Deferred(h.expr) if isinstance(h, Deferred) and h.checked else h


def _counted_set_operation(tree: exp.Query) -> exp.Query:
    """INTERSECT ALL / EXCEPT ALL, which SQLite lacks, as their DISTINCT forms over rows numbered within
    their duplicates: the n-th copy of a row on one side meets the n-th on the other (MariaDB's rule)."""
    if not isinstance(tree, (exp.Intersect, exp.Except)) or tree.args.get("distinct") is not False:
        return tree
    sides = [tree.this, tree.expression]
    if not all(isinstance(s, exp.Select) and not any(_is_star(p) for p in s.expressions) for s in sides):
        return tree
    first = sides[0]
    assert isinstance(first, exp.Select)
    width = len(first.expressions)
    keys = [f"__app_k{i}" for i in range(width)]
    numbered = []
    for side in sides:
        assert isinstance(side, exp.Select)
        inner = side.copy()
        inner.set("expressions", [exp.alias_(p.unalias() if isinstance(p, exp.Alias) else p, k)
                                  for p, k in zip(inner.expressions, keys, strict=False)])
        rank = exp.Window(this=exp.RowNumber(), partition_by=[exp.column(k) for k in keys])
        numbered.append(exp.select(*keys, exp.alias_(rank, "__app_n")).from_(inner.subquery("__app_side")))
    kind = exp.Intersect if isinstance(tree, exp.Intersect) else exp.Except
    both = kind(this=numbered[0], expression=numbered[1], distinct=True)
    names = [p.alias_or_name or p.sql(dialect="mysql") for p in first.expressions]
    outer = exp.select(*[exp.alias_(exp.column(k), n) for k, n in zip(keys, names, strict=True)]).from_(
        both.subquery("__app_counted"))
    for key in ("order", "limit", "offset"):
        if tree.args.get(key) is not None:
            outer.set(key, tree.args[key])
    return outer


def without_dual(tree: exp.Expr) -> None:
    """`FROM DUAL`, MySQL's table of no columns and one row, left out: a SELECT without FROM is that.
    And SELECT SQL_CACHE x, which sqlglot reads as the column SQL_CACHE named x (a reserved word in
    MariaDB, so never a column): the modifier left out."""
    for select in tree.find_all(exp.Select):
        first = select.expressions[0] if select.expressions else None
        if (isinstance(first, exp.Alias) and isinstance(first.this, exp.Column) and not first.this.table
                and isinstance(first.this.this, exp.Identifier) and not first.this.this.quoted
                and first.this.name.upper() == "SQL_CACHE"):
            first.replace(exp.column(first.args["alias"].copy()))
        source = select.args.get("from_")
        table = source.this if isinstance(source, exp.From) else None
        if (isinstance(table, exp.Table) and isinstance(table.this, exp.Identifier) and not table.this.quoted
                and table.name.lower() == "dual" and not table.args.get("db") and not table.alias
                and not select.args.get("joins")):
            select.set("from_", None)


def _check_grammar(tree: exp.Expr) -> None:
    """What MariaDB's grammar refuses and sqlglot's accepts: a derived table without an alias, IN (),
    a negative LIMIT; and a derived table with two columns of one name (1060)."""
    for sub in tree.find_all(exp.Subquery):
        if isinstance(sub.parent, (exp.From, exp.Join)) and isinstance(sub.this, exp.Query):  # not (a JOIN b)
            if not sub.alias:
                raise syntax_error(sub.sql(dialect="mysql"))
            inner = sub.this
            if isinstance(inner, exp.Select):
                seen: set[str] = set()
                for proj in inner.expressions:
                    name = proj.alias_or_name.lower()
                    if name and name != "*" and name in seen:
                        raise SQLError(1060, f"Duplicate column name '{proj.alias_or_name}'", "42S21")
                    seen.add(name)
    for within in tree.find_all(exp.In):
        if not within.expressions and within.args.get("query") is None and within.args.get("unnest") is None:
            raise syntax_error(")")
    for limit in tree.find_all(exp.Limit):
        value = limit.expression
        if isinstance(value, exp.Neg) or (isinstance(value, exp.Literal) and value.this.startswith("-")):
            raise syntax_error(value.sql(dialect="mysql"))


_WINDOW_PLACE: Final = SQLError(4015, "Window function is allowed only in SELECT list and ORDER BY clause", "HY000")
_WINDOW_IN_AGGREGATE: Final = SQLError(4074, "Window functions can not be used as arguments to group functions.",
                                       "HY000")


def check_windows(tree: exp.Expr) -> None:
    """Where MariaDB refuses a window function (SQLite's refusals are worded for no clause): in WHERE,
    GROUP BY, HAVING (also by its alias) or an UPDATE's SET (4015), as an aggregate's argument (4074)."""
    windows = list(tree.find_all(exp.Window))
    if not windows:
        return
    for window in windows:
        child: exp.Expr = window
        parent = window.parent
        while parent is not None and not isinstance(parent, (exp.Select, exp.Update, exp.Delete)):
            if isinstance(parent, (exp.AggFunc, exp.Window)) and child.arg_key != "partition_by":
                if not isinstance(parent, exp.Window) or child is parent.this:
                    raise _WINDOW_IN_AGGREGATE
            child, parent = parent, parent.parent
        if parent is not None and child.arg_key in ("where", "group", "having", "expressions") and (
                not isinstance(parent, exp.Select) or child.arg_key != "expressions"):
            raise _WINDOW_PLACE
    for select in tree.find_all(exp.Select):
        having = select.args.get("having")
        if having is None:
            continue
        aliases = {p.alias.lower() for p in select.expressions
                   if isinstance(p, exp.Alias) and p.this.find(exp.Window) is not None}
        if aliases and any(c.name.lower() in aliases and not c.table for c in having.find_all(exp.Column)):
            raise _WINDOW_PLACE


def _outside_aggregates(node: exp.Expr, select: exp.Select) -> list[exp.Column]:
    """The columns of `node` (of `select`) that no aggregate and no subquery holds."""
    found = []
    for column in node.find_all(exp.Column):
        current: exp.Expr | None = column
        held = False
        while current is not None and current is not node:
            current = current.parent
            if isinstance(current, (exp.AggFunc, exp.Select, exp.Window)):
                held = True
                break
        if not held:
            found.append(column)
    return found


def _check_full_group_by(tree: exp.Expr) -> None:
    """ONLY_FULL_GROUP_BY: a grouped query selects only what it groups by, or aggregates (1055); one
    that aggregates without GROUP BY selects no bare column (1140). MariaDB knows no functional
    dependencies here: a column not grouped by is refused even where the key would decide it."""
    for select in tree.find_all(exp.Select):
        group = select.args.get("group")
        projections = list(select.expressions)
        aliases = {p.alias.lower() for p in projections if isinstance(p, exp.Alias)}
        if group is None:
            aggregated = any(a.find_ancestor(exp.Select) is select for a in select.find_all(exp.AggFunc))
            windowed = any(w.find_ancestor(exp.Select) is select for w in select.find_all(exp.Window))
            if aggregated and not windowed:
                for proj in projections:
                    if _outside_aggregates(proj, select):
                        raise SQLError(1140, "Mixing of GROUP columns (MIN(),MAX(),COUNT(),...) with no GROUP "
                                             "columns is illegal if there is no GROUP BY clause", "42000")
            continue
        keys = {k.sql(dialect="mysql").lower() for k in group.expressions}
        names = {k.name.lower() for k in group.expressions if isinstance(k, exp.Column)}
        for proj in projections:
            inner = proj.this if isinstance(proj, exp.Alias) else proj
            grouped_alias = isinstance(proj, exp.Alias) and proj.alias.lower() in names
            if grouped_alias or inner.sql(dialect="mysql").lower() in keys:
                continue
            for column in _outside_aggregates(inner, select):
                if column.name.lower() not in names and column.sql(dialect="mysql").lower() not in keys \
                        and column.name.lower() not in aliases:
                    raise SQLError(1055, f"'{column.sql(dialect='mysql')}' isn't in GROUP BY", "42000")


def _select_modifiers(tree: exp.Expr) -> bool:
    """Drop the optimizer's words (STRAIGHT_JOIN, HIGH_PRIORITY, SQL_NO_CACHE, ...: SQLite plans on its
    own); whether the query asked SQL_CALC_FOUND_ROWS."""
    calc = False
    for select in tree.find_all(exp.Select):
        modifiers = select.args.get("operation_modifiers") or []
        if select is tree:
            calc = any(m.name.upper() == "SQL_CALC_FOUND_ROWS" for m in modifiers)
        select.set("operation_modifiers", None)
        for join in select.args.get("joins") or []:
            if str(join.args.get("kind") or "").upper() == "STRAIGHT_JOIN":
                join.set("kind", None)
    return calc


def _having_without_grouping(tree: exp.Expr) -> None:
    """MySQL filters a query without GROUP BY or aggregates by its HAVING too (`SELECT a FROM t HAVING
    a = 1`); SQLite refuses that HAVING, but reads the same condition (select aliases included) in WHERE."""
    for select in list(tree.find_all(exp.Select)):
        having = select.args.get("having")
        if having is None or select.args.get("group") is not None:
            continue
        if any(node.find_ancestor(exp.Select, exp.Window) is select for node in select.find_all(exp.AggFunc)):
            continue  # an aggregate (not a window function's own): a grouped query
        _check_having_columns(select, having)
        select.set("having", None)
        where = select.args.get("where")
        condition = having.this if where is None else exp.and_(exp.Paren(this=where.this), exp.Paren(this=having.this))
        select.set("where", exp.Where(this=condition))


def _check_having_columns(select: exp.Select, having: exp.Expr) -> None:
    """Without GROUP BY, HAVING sees only the select list (a column or an alias there): 1054 for another."""
    if any(_is_star(p) for p in select.expressions):
        return
    known = set()
    for p in select.expressions:
        known.add(p.alias_or_name.lower())
        inner = p.unalias() if isinstance(p, exp.Alias) else p
        if isinstance(inner, exp.Column):
            known.add(inner.name.lower())
    for column in having.find_all(exp.Column):
        if column.find_ancestor(exp.Select) is not select or isinstance(column.this, exp.Star):
            continue
        if column.name.lower() not in known:
            raise SQLError(1054, f"Unknown column '{column.name}' in 'HAVING'", "42S22")


def _sqlite_operands(tree: exp.Query) -> exp.Query:
    """A query in parentheses, as MariaDB reads `(SELECT ...)` and `(SELECT ... LIMIT 2) UNION (SELECT ...)`,
    which SQLite does not: the outer parentheses dropped, and a parenthesized operand of UNION / INTERSECT /
    EXCEPT a plain SELECT, or `SELECT * FROM (...)` when it has its own ORDER BY or LIMIT."""
    while isinstance(tree, exp.Subquery) and not tree.alias and isinstance(tree.this, exp.Query) and not any(
            tree.args.get(k) for k in ("order", "limit", "offset")):
        tree = tree.this
    for n, operation in enumerate(list(tree.find_all(exp.SetOperation))):
        for key in ("this", "expression"):
            branch = operation.args.get(key)
            if not isinstance(branch, exp.Subquery) or branch.alias or not isinstance(branch.this, exp.Query):
                continue
            inner = branch.this
            if isinstance(inner, exp.Select) and not any(inner.args.get(k) for k in ("order", "limit", "offset")):
                operation.set(key, inner)
            else:
                derived = exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(f"__app_op{n}{key[0]}")))
                operation.set(key, exp.select("*").from_(derived))
    return tree


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
        projection_hint = derived_hint(inner, scope, increment) if isinstance(inner, exp.Column) else hint(
            inner, scope, increment)
        hints.append(projection_hint)
        if has_star and not isinstance(proj, exp.Alias):
            proj.replace(exp.alias_(proj, f"__c{i}", quoted=False))
        elif has_star and projection_hint is not None:
            # A typed expression needs the marker too; what referred to its alias follows it.
            _rename_alias(select, proj.alias, f"__c{i}")
            proj.set("alias", exp.to_identifier(f"__c{i}"))
    return tuple(names), tuple(hints)


# MariaDB's column names are utf8mb3: a character beyond it (an emoji) is sent as '?'.
_BEYOND_UTF8MB3: Final = re.compile("[\U00010000-\U0010FFFF]")
_ADJACENT_STRINGS: Final = re.compile(r"""(?:\s*(?:'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"))+\s*""")


def _projection_name(proj: exp.Expr, text: str | None) -> str:
    name = _written_name(proj, text)
    return _BEYOND_UTF8MB3.sub("?", name) if not name.isascii() else name


def _written_name(proj: exp.Expr, text: str | None) -> str:
    if isinstance(proj, exp.Alias):
        return proj.alias
    if isinstance(proj, exp.Column):
        return proj.name
    if proj._meta and "name" in proj.meta:  # a literal after an introducer (_binary'abc'), see _charsets
        name = proj.meta["name"]
        if name is not None or text is not None:
            return str(name) if name is not None else str(text)
    if isinstance(proj, exp.Literal) and proj.is_string:
        return str(proj.this)  # MySQL names a string literal's column after its value, without quotes
    if isinstance(proj, (exp.Boolean, exp.Null)):
        return proj.sql(dialect="mysql")  # TRUE, FALSE, NULL: in capitals however written
    if text is not None:
        if isinstance(proj, exp.Concat) and _ADJACENT_STRINGS.fullmatch(text) and all(
                isinstance(e, exp.Literal) and e.is_string for e in proj.expressions):
            return "".join(str(e.this) for e in proj.expressions)  # 'a' 'b': adjacent strings are one
        if isinstance(proj, exp.Literal) and text.startswith("+"):
            return text.lstrip("+ \t\n")  # a unary plus is no part of the name
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
        if plan.has_tables:
            tx.snapshot(c)
    except SQLError as e:
        raise table_in_unknown_database(plan.qualified, e) from None
    bindings = variables.bindings(plan.var_params, params)
    user_types = variables.user_types(plan.var_params)
    default_db = plan.primary or state.database
    sql = plan.sql
    if plan.text_columns or plan.decimal_marks:
        state_key, lookup = catalog.lookup(default_db)
        if user_types:  # the markers may depend on the user variables' types too
            lookup = VariableTypes(lookup, dict(user_types))
            state_key = (*state_key, user_types)
        marks, decimals = plan.text_columns, plan.decimal_marks
        # Keyed by the plan itself (hashed by identity: cheap, where its marks would be hashed field by
        # field on every query); what is derived depends only on the plan's fields and the schema state.
        sql = catalog.memo((plan, *state_key),
                           lambda: resolve_decimals(text_sql(plan.sql, marks, lookup), decimals, lookup))
    try:
        try:
            description, rows = conns.query(c, sql, bindings)
        except apsw.Error as e:
            raise sqlite_error(e, c.db.name if c.db else None, params=params, conn=c, catalog=catalog) from None
    except SQLError as e:
        if e.code in _FOUND_WHILE_SENDING:  # MariaDB finds these while sending rows: after the columns
            raise ErrorInResult(e, query_result(plan, c.trace.description, [], catalog, default_db,
                                                variables=user_types)) from None
        raise
    result = query_result(plan, description, rows, catalog, default_db, conns.not_null(c), user_types)
    if not plan.limited:
        limit = variables.get("sql_select_limit")
        if limit < len(result.rows):
            del result.rows[limit:]
    state.found_rows = len(result.rows)
    if plan.count_sql is not None:
        state.found_rows = conns.query(c, plan.count_sql, bindings)[1][0][0]
    state.row_count = -1
    return result



@executes(DoPlan)
def run_do(plan: DoPlan, params: Params, conns: Connections, tx: Transaction, variables: SessionVariables,
           state: SessionState, catalog: Catalog) -> Result:
    run_query(plan.query, params, conns, tx, variables, state, catalog)
    state.row_count = 0  # as after MariaDB's DO: no rows, none changed
    return OK


@executes(SelectIntoPlan)
def run_select_into(plan: SelectIntoPlan, params: Params, conns: Connections, tx: Transaction,
                    variables: SessionVariables, state: SessionState, catalog: Catalog,
                    diagnostics: Diagnostics) -> Result:
    if not isinstance(plan.query, QueryPlan):
        raise not_supported("SELECT ... INTO from information_schema")
    result = run_query(plan.query, params, conns, tx, variables, state, catalog)
    if result.columns is not None and len(result.columns) != len(plan.targets):
        raise SQLError(1222, "The used SELECT statements have a different number of columns", "21000")
    if len(result.rows) > 1:
        raise SQLError(1172, "Result consisted of more than one row", "42000")
    if plan.trailing:
        diagnostics.push("Warning", 1287, "'<select expression> INTO <destination>;' is deprecated and will be "
                                          "removed in a future release. Please use 'SELECT <select list> INTO "
                                          "<destination> FROM...' instead")
    if not result.rows:  # MariaDB warns and leaves the variables as they were
        diagnostics.push("Warning", 1329, "No data - zero rows fetched, selected, or processed")
        return Result()
    for name, value in zip(plan.targets, result.rows[0], strict=True):
        variables.user[name] = value
    state.row_count = 1
    return Result(affected_rows=1)

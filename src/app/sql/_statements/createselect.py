"""CREATE TABLE ... SELECT (planned by ddl's CREATE, run by ddl): a table with the columns MariaDB
makes of the query's result (`_selectcolumns`), then the query's rows inserted into it.

The columns are typed when the statement runs, against the schema of the moment (a column copied
from a table keeps its definition). Columns the CREATE TABLE declares come first, in their order,
and take the query's column of the same name; the query's other columns follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import apsw
import sqlglot
from sqlglot import exp

from .._connections import Conn, Connections
from .._errors import SQLError, not_supported
from .._exprtypes import scope_of
from .._lexer import projection_texts
from .._plan import Plan
from .._rewrite import rewrite_functions, to_sqlite
from .._sealed import CLIENT
from .._sqlite import quote
from ._createtable import TableDefinition
from ._describe import ColumnInfo, describe
from ._schema import read_extras
from ._selectcolumns import SelectColumn, from_values, select_columns, union_columns
from ._selectlengths import Describe


@dataclass(frozen=True, slots=True, eq=False)
class CreateSelectPlan(Plan):
    """CREATE TABLE `table` [(declared)] SELECT ...: `query` as written (typed when the statement runs),
    `query_sql` its SQLite text, `names` its columns' names."""

    table: str
    write_db: str | None
    if_not_exists: bool
    declared: exp.Schema | None
    query: exp.Query
    query_sql: str
    names: tuple[str, ...]
    increment: int
    temporary: bool = False


def plan_create_select(tree: exp.Create, sql: str, increment: int, temporary: bool = False) -> CreateSelectPlan:
    """The plan of CREATE TABLE ... SELECT (`tree.expression` is the query)."""
    schema = tree.this
    table = schema.this if isinstance(schema, exp.Schema) else schema
    body = tree.expression
    while isinstance(body, exp.Subquery):  # CREATE TABLE t (SELECT ...)
        body = body.this
    if not isinstance(body, exp.Query):
        raise not_supported("CREATE TABLE ... " + body.sql(dialect="mysql")[:40])
    first = body
    while isinstance(first, exp.SetOperation):
        first = first.this
    if not isinstance(first, exp.Select) or any(_is_star(p) for p in first.expressions):
        names: tuple[str, ...] = ()  # SELECT *: named and typed by what SQLite reports
    else:
        texts = projection_texts(sql)
        if texts is not None and len(texts) != len(first.expressions):
            texts = None
        names = tuple(_name(p, texts[i] if texts else None) for i, p in enumerate(first.expressions))
    typed = body.copy()
    rewrite_functions(body)
    declared = schema if isinstance(schema, exp.Schema) else None
    return CreateSelectPlan(table.name, table.text("db") or None, bool(tree.args.get("exists")), declared, typed,
                            to_sqlite(body), names, increment, temporary)


def _expand_stars(select: exp.Select, describe_table: Describe) -> list[str]:
    """Replace `*` and `t.*` in `select` by the columns they stand for; the projections' names ([]:
    a table that is not known)."""
    scope = scope_of(select)
    projections: list[exp.Expr] = []
    for p in select.expressions:
        if not _is_star(p):
            projections.append(p)
            continue
        qualifier = p.table.lower() if isinstance(p, exp.Column) else ""
        for key, source in scope.items():
            if qualifier and key != qualifier:
                continue
            if isinstance(source, tuple):
                found = describe_table(*source)
                columns = [i.name for i in found[0]] if found is not None else None
            else:
                columns = list(source) if isinstance(source, dict) else None
            if columns is None:
                return []
            projections += [exp.column(name, table=key) for name in columns]
    select.set("expressions", projections)
    return [_name(p, None) for p in projections]


def _branches(query: exp.Expr) -> list[exp.Expr]:
    if isinstance(query, exp.SetOperation):
        return [*_branches(query.this), *_branches(query.expression)]
    return [query]


def _is_star(node: exp.Expr) -> bool:
    return isinstance(node, exp.Star) or (isinstance(node, exp.Column) and isinstance(node.this, exp.Star))


def _name(projection: exp.Expr, text: str | None) -> str:
    """A column's name: its alias, the column's name, a string's value, else the text written."""
    if isinstance(projection, exp.Alias):
        return projection.alias
    if isinstance(projection, exp.Column):
        return projection.name
    if isinstance(projection, exp.Literal) and projection.is_string:
        return str(projection.this)
    return text if text is not None else projection.sql(dialect="mysql")


def create_select_statements(plan: CreateSelectPlan, conns: Connections, dbname: str,
                             variables: dict[str, Any] | None = None) -> tuple[tuple[str, ...], str]:
    """The statements that make the table in `dbname`, and the INSERT that fills it (run as a client's
    query, on `dbname`, where its unqualified tables are)."""

    def describe_table(db: str | None, table: str) -> tuple[list[ColumnInfo], dict[str, str]] | None:
        source = conns.get(db or dbname).conn
        infos = describe(source, table)
        return None if infos is None else (infos, read_extras(source, table).collations)

    columns = _columns(plan, conns.get(dbname), describe_table, variables or {})
    names = [c.name.lower() for c in columns]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise SQLError(1060, f"Duplicate column name '{columns[i].name}'", "42S21")
    by_name = {c.name.lower(): c.definition() for c in columns}
    parts = list(by_name.values())
    if plan.declared is not None:
        declared = [e for e in plan.declared.expressions if isinstance(e, exp.ColumnDef)]
        taken = {e.name.lower() for e in declared}
        parts = [e.sql(dialect="mysql") for e in declared] + [by_name[n] for n in names if n not in taken] + [
            e.sql(dialect="mysql") for e in plan.declared.expressions if not isinstance(e, exp.ColumnDef)]
    create = sqlglot.parse_one(f"CREATE TABLE t ({', '.join(parts)})", read="mysql")
    if not isinstance(create, exp.Create) or not isinstance(create.this, exp.Schema):
        raise not_supported("CREATE TABLE ... SELECT of these columns")
    definition = TableDefinition.of(plan.table, create.this)
    target = ", ".join(quote(c.name) for c in columns)
    insert = f"INSERT INTO {quote(plan.table)} ({target}) {plan.query_sql}"
    return definition.statements(plan.if_not_exists), insert


def _columns(plan: CreateSelectPlan, c: Conn, describe_table: Describe,
             variables: dict[str, Any]) -> list[SelectColumn]:
    """The query's columns: typed from the statement where it can be, else from the values."""
    query = plan.query
    typed: list[SelectColumn | None] = []
    names = list(plan.names)
    if isinstance(query, exp.Select) and not names:
        query = query.copy()
        names = _expand_stars(query, describe_table)
    if isinstance(query, exp.Select) and names:
        typed = select_columns(query, names, scope_of(query, div_increment=plan.increment), describe_table,
                               plan.increment, variables)
    elif isinstance(query, exp.SetOperation) and names:
        branches = _branches(query)
        if all(isinstance(b, exp.Select) and len(b.expressions) == len(names) for b in branches):
            selects = [b for b in branches if isinstance(b, exp.Select)]
            typed = union_columns(selects, names, [scope_of(b, div_increment=plan.increment) for b in selects],
                                  describe_table, plan.increment)
    if typed and None not in typed:
        return [t for t in typed if t is not None]
    with c.guard.running(CLIENT):  # a client's query (see `_sealed`)
        cursor = c.cursor.execute(plan.query_sql, can_cache=False)
        if not names:
            try:
                names = [str(d[0]) for d in cursor.getdescription()]
            except apsw.ExecutionCompleteError:
                raise not_supported("CREATE TABLE ... SELECT * of no rows from these tables") from None
        rows = cursor.fetchall()
    if not typed:
        typed = [None] * len(names)
    return [t if t is not None else from_values(names[i], [r[i] for r in rows]) for i, t in enumerate(typed)]

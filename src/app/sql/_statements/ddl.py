"""DDL: CREATE / ALTER / DROP / TRUNCATE / RENAME of tables, indexes and views.

DDL commits what the session had open (as MySQL does), runs in a transaction of its own, replicates
as its statements, and once committed tells the catalog that the schema changed (so nothing derived
from the old schema is used again, by any session).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import apsw
from sqlglot import exp

from .._catalog import Catalog
from .._connections import Connections
from .._diagnostics import note
from .._errors import ER_BAD_TABLE, ER_NO_SUCH_TABLE, ER_TABLE_EXISTS, SQLError, not_supported, syntax_error
from .._plan import Plan, PlanContext, executes, plans, plans_words
from .._results import OK, Result
from .._rewrite import rewrite_functions, to_sqlite
from .._sqlite import quote
from .._sqlite_errors import sqlite_error
from .._state import SessionState
from .._transaction import Transaction
from ._tabledefs import TableDefinition, alter_statements, index_columns
from ._words import IDENT as _IDENT
from ._words import unquote


@dataclass(frozen=True, slots=True, eq=False)
class DdlPlan(Plan):
    """SQLite statements changing the schema of `write_db` (None: the current database).

    if_not_exists: an "already exists" error is a warning. truncate: the second statement resets
    the AUTO_INCREMENT counter. copies_rows: CREATE TABLE ... SELECT reports the rows of `table`.
    """

    statements: tuple[str, ...]
    write_db: str | None = None
    table: str | None = None
    if_not_exists: bool = False
    truncate: bool = False
    copies_rows: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class DropTablePlan(Plan):
    tables: tuple[str, ...]
    write_db: str | None
    if_exists: bool
    view: bool


@dataclass(frozen=True, slots=True, eq=False)
class CreateLikePlan(Plan):
    """CREATE TABLE t LIKE source."""

    table: str
    write_db: str | None
    source: str
    source_db: str | None
    if_not_exists: bool


@dataclass(frozen=True, slots=True, eq=False)
class KeysPlan(Plan):
    """ALTER TABLE t DISABLE KEYS / ENABLE KEYS (what mariadb-dump writes around a table's rows):
    SQLite keeps its indexes up to date anyway, so only the table's existence is checked."""

    table: str
    db: str | None


# -- planning -------------------------------------------------------------------------------------


def _db_of(table: exp.Expr) -> str | None:
    return table.text("db") or None


def _plan_create_table(tree: exp.Create, sql: str) -> Plan:
    exists = bool(tree.args.get("exists"))
    properties = tree.args.get("properties") or exp.Properties()
    if any(isinstance(p, exp.TemporaryProperty) for p in properties.expressions):
        raise not_supported("CREATE TEMPORARY TABLE")
    schema = tree.this
    if isinstance(schema, exp.Schema):
        table = schema.this
        statements = TableDefinition(table.name, schema).statements(exists)
        return DdlPlan(statements, _db_of(table), table.name, exists)
    if tree.expression is not None:  # CREATE TABLE ... AS SELECT
        body = tree.expression
        rewrite_functions(body)
        create = (f"CREATE TABLE {'IF NOT EXISTS ' if exists else ''}{quote(schema.name)} AS "
                  f"{to_sqlite(body)}")
        return DdlPlan((create,), _db_of(schema), schema.name, exists, copies_rows=True)
    like = tree.find(exp.LikeProperty)
    if like is not None:
        return CreateLikePlan(schema.name, _db_of(schema), like.this.name, _db_of(like.this), exists)
    raise syntax_error(tree.sql(dialect="mysql"), "a table needs columns")


def _plan_create_index(tree: exp.Create, sql: str) -> Plan:
    index = tree.this
    table = index.args.get("table")
    params = index.args.get("params")
    cols = params.args.get("columns") if params is not None else index.expressions
    unique = bool(tree.args.get("unique"))
    create = (f"CREATE {'UNIQUE ' if unique else ''}INDEX {'IF NOT EXISTS ' if tree.args.get('exists') else ''}"
              f"{quote(f'{table.name}.{index.name}')} ON {quote(table.name)} ({index_columns(list(cols or []))})")
    return DdlPlan((create,), _db_of(table), table.name)


def _plan_create_view(tree: exp.Create, sql: str) -> Plan:
    view = tree.this
    rewrite_functions(tree.expression)
    view_db = _db_of(view)
    view.set("db", None)
    return DdlPlan((to_sqlite(tree),), view_db, view.name, bool(tree.args.get("exists")))


_CREATE: Final[dict[str, Callable[[exp.Create, str], Plan]]] = {
    "TABLE": _plan_create_table, "INDEX": _plan_create_index, "VIEW": _plan_create_view}


@plans(exp.Create)
def plan_create(tree: exp.Create, sql: str, ctx: PlanContext) -> Plan:
    kind = (tree.args.get("kind") or "").upper()
    planner = _CREATE.get(kind)
    if planner is None:
        raise not_supported(f"CREATE {kind}")
    return planner(tree, sql)


def _plan_drop_tables(tree: exp.Drop, sql: str) -> Plan:
    tables = list(tree.args.get("tables") or [t for t in [tree.this, *(tree.expressions or [])] if t])
    dbs = {_db_of(t) for t in tables}
    if len(dbs) > 1:
        raise not_supported("DROP TABLE across databases")
    return DropTablePlan(tuple(t.name for t in tables), dbs.pop(), bool(tree.args.get("exists")),
                         (tree.args.get("kind") or "").upper() == "VIEW")


def _plan_drop_index(tree: exp.Drop, sql: str) -> Plan:
    targets = tree.args.get("tables") or [tree.this]
    index = targets[0].name
    cluster = tree.args.get("cluster")
    on = cluster.this.name if isinstance(cluster, exp.OnProperty) else None
    m = re.search(rf"(?is)\bon\s+(?:({_IDENT})\.)?({_IDENT})", sql)
    if on is None and m:
        on = unquote(m.group(2))
    db = unquote(m.group(1)) if m and m.group(1) else None
    return DdlPlan((f"DROP INDEX {quote(f'{on}.{index}')}",), db, on)


_DROP: Final[dict[str, Callable[[exp.Drop, str], Plan]]] = {
    "TABLE": _plan_drop_tables, "VIEW": _plan_drop_tables, "INDEX": _plan_drop_index}


@plans(exp.Drop)
def plan_drop(tree: exp.Drop, sql: str, ctx: PlanContext) -> Plan:
    kind = (tree.args.get("kind") or "").upper()
    planner = _DROP.get(kind)
    if planner is None:
        raise not_supported(f"DROP {kind}")
    return planner(tree, sql)


@plans(exp.TruncateTable)
def plan_truncate(tree: exp.TruncateTable, sql: str, ctx: PlanContext) -> Plan:
    table = tree.expressions[0]
    name = table.name
    reset = f"DELETE FROM sqlite_sequence WHERE name = '{name.replace(chr(39), chr(39) * 2)}'"
    return DdlPlan((f"DELETE FROM {quote(name)}", reset), _db_of(table), name, truncate=True)


@plans(exp.Alter)
def plan_alter(tree: exp.Alter, sql: str, ctx: PlanContext) -> Plan:
    table = tree.this
    return DdlPlan(alter_statements(tree, sql), _db_of(table), table.name)


_RENAME: Final = re.compile(rf"(?is)^\s*rename\s+table\s+({_IDENT})\s+to\s+({_IDENT})\s*;?\s*$")


_KEYS: Final = re.compile(rf"(?is)^\s*alter\s+table\s+(?:({_IDENT})\.)?({_IDENT})\s+(?:disable|enable)\s+keys\s*;?\s*$")


@plans_words("alter")
def plan_keys(sql: str, ctx: PlanContext) -> Plan | None:
    m = _KEYS.match(sql)
    if m is None:
        return None
    return KeysPlan(unquote(m.group(2)), unquote(m.group(1)) if m.group(1) else None)


@plans_words("rename")
def plan_rename(sql: str, ctx: PlanContext) -> Plan | None:
    m = _RENAME.match(sql)
    if m is None:
        return None
    old, new = unquote(m.group(1)), unquote(m.group(2))
    return DdlPlan((f"ALTER TABLE {quote(old)} RENAME TO {quote(new)}",), None, old)


# -- running --------------------------------------------------------------------------------------


def apply_ddl(statements: tuple[str, ...], database: str, tx: Transaction, catalog: Catalog, *,
              if_not_exists: bool = False, truncate: bool = False, count_rows_of: str | None = None,
              table: str | None = None) -> Result:
    """Run DDL statements on `database` in a transaction of their own, and commit them."""
    catalog.check_writable(database)
    c = tx.begin_ddl(database)
    if if_not_exists and table is not None and c.run(
            "SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE", (table,)):
        tx.rollback()  # SQLite would do nothing silently; MariaDB copies no rows and notes it
        note(ER_TABLE_EXISTS, f"Table '{table}' already exists")
        return OK
    if truncate and not c.run("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'"):
        statements = statements[:1]  # no AUTO_INCREMENT table yet: no counter to reset
    try:
        for statement in statements:
            c.run(statement)
    except apsw.Error as e:
        tx.rollback()
        if if_not_exists and "already exists" in str(e):
            named = re.search(r"(?:table|index|view)\s+\"?([^\"]+?)\"?\s+already exists", str(e))
            note(ER_TABLE_EXISTS, f"Table '{named.group(1) if named else '?'}' already exists")
            return OK
        raise sqlite_error(e, database, conn=c, catalog=catalog) from None
    tx.ddl_done(c, statements)
    copied = 0
    if count_rows_of is not None:  # CREATE TABLE ... AS SELECT reports the rows it copied
        count = c.run(f"SELECT COUNT(*) FROM {quote(count_rows_of)}")[0][0]
        copied = count if isinstance(count, int) else 0
    tx.commit()
    return Result(affected_rows=copied) if copied else OK


@executes(DdlPlan)
def run_ddl(plan: DdlPlan, tx: Transaction, state: SessionState, catalog: Catalog) -> Result:
    tx.implicit_commit()
    return apply_ddl(plan.statements, state.resolve(plan.write_db), tx, catalog,
                     if_not_exists=plan.if_not_exists, truncate=plan.truncate,
                     count_rows_of=plan.table if plan.copies_rows else None, table=plan.table)


@executes(KeysPlan)
def run_keys(plan: KeysPlan, tx: Transaction, conns: Connections, state: SessionState) -> Result:
    tx.implicit_commit()
    dbname = state.resolve(plan.db)
    found = conns.get(dbname).conn.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE", (plan.table,)).fetchall()
    if not found:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{plan.table}' doesn't exist")
    return OK


@executes(DropTablePlan)
def drop_table(plan: DropTablePlan, tx: Transaction, state: SessionState, catalog: Catalog) -> Result:
    tx.implicit_commit()
    dbname = state.resolve(plan.write_db)
    catalog.check_writable(dbname)
    c = tx.begin_write(dbname)
    existing = {str(n).lower(): str(n) for (n,) in c.run(
        "SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%'")}
    missing = [t for t in plan.tables if t.lower() not in existing]
    kind = "VIEW" if plan.view else "TABLE"
    statements = tuple(f"DROP {kind} {quote(existing[t.lower()])}" for t in plan.tables if t.lower() in existing)
    if statements:
        result = apply_ddl(statements, dbname, tx, catalog)
    else:
        tx.rollback()
        result = OK
    if missing:
        # MariaDB drops the tables that exist, then reports the ones that did not.
        unknown = "Unknown table '" + ",".join(f"{dbname}.{t}" for t in missing) + "'"
        if not plan.if_exists:
            raise SQLError(ER_BAD_TABLE, unknown)
        note(ER_BAD_TABLE, unknown)
    return result


@executes(CreateLikePlan)
def create_like(plan: CreateLikePlan, tx: Transaction, conns: Connections, state: SessionState,
                catalog: Catalog) -> Result:
    dbname = state.resolve(plan.write_db)
    source_db = state.resolve(plan.source_db)
    rows = conns.get(source_db).conn.execute(
        "SELECT type, sql FROM sqlite_schema WHERE tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL",
        (plan.source,)).fetchall()
    if not rows:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{source_db}.{plan.source}' doesn't exist")
    src, new = plan.source, plan.table
    statements = []
    for kind, sql in sorted(rows, key=lambda r: r[0] != "table"):
        text = re.sub(r'(?i)^(CREATE (?:UNIQUE )?(?:TABLE|INDEX) )(?:IF NOT EXISTS )?', r"\1", str(sql))
        text = text.replace(f'"{src}.', f'"{new}.').replace(f'"{src}"', quote(new), 1 if kind == "table" else 2)
        if kind == "index":
            text = re.sub(r'ON "[^"]*"', "ON " + quote(new), text)
        statements.append(text)
    tx.implicit_commit()
    return apply_ddl(tuple(statements), dbname, tx, catalog, if_not_exists=plan.if_not_exists, table=new)

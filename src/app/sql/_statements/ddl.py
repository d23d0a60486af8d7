"""DDL: CREATE / ALTER / DROP / TRUNCATE / RENAME of tables, indexes and views.

DDL commits what the session had open (as MySQL does), runs in a transaction of its own, replicates
as its statements, and once committed tells the catalog that the schema changed (so nothing derived
from the old schema is used again, by any session).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final, TypeVar

import apsw
import sqlglot
from sqlglot import exp

from .._catalog import Catalog
from .._connections import Conn, Connections
from .._diagnostics import note
from .._errors import (
    ER_BAD_FIELD,
    ER_BAD_NULL,
    ER_BAD_TABLE,
    ER_NO_SUCH_TABLE,
    ER_TABLE_EXISTS,
    SQLError,
    not_supported,
    syntax_error,
)
from .._plan import Plan, PlanContext, executes, plans, plans_words
from .._results import OK, Result
from .._sealed import CLIENT, CREATE, trusted
from .._sqlite import quote, stored_name
from .._sqlite_errors import sqlite_error
from .._sqltypes import DEFAULT_DIV_INCREMENT
from .._state import SessionState
from .._transaction import Transaction
from .._variables import SessionVariables
from ._alter import Alteration, alter_statements, definition_of, read_draft
from ._createtable import TableDefinition
from ._options import (
    TableOptions,
    auto_increment_statements,
    created_auto_increment,
    option_statements,
    table_options,
)
from ._schema import USER_TABLE_FILTER, delete_statements, referencing
from ._spstore import table_dropped_statements
from ._tabledefs import index_columns
from ._validate import check_column, check_engine, check_keys, check_table_name, silent_column_changes
from ._views import check_view, view_statements
from ._words import IDENT as _IDENT
from ._words import unquote
from .createselect import CreateSelectPlan, create_select_statements, plan_create_select
from .temporary import (
    DropTemporaryPlan,
    create_temporary,
    made_temporary,
    make_temporary,
    on_temporary,
    temporary_changed,
    temporary_tables,
    temporary_tables_of,
)

ER_AUTO_CONVERT: Final = 1246  # Converting column '...' from VARCHAR to TEXT


@dataclass(frozen=True, slots=True, eq=False)
class DdlPlan(Plan):
    """SQLite statements changing the schema of `write_db` (None: the current database).

    if_not_exists: an "already exists" error is a warning. truncate: the second statement resets
    the AUTO_INCREMENT counter.
    """

    statements: tuple[str, ...]
    write_db: str | None = None
    table: str | None = None
    if_not_exists: bool = False
    truncate: bool = False
    embeds_query: bool = False  # CREATE VIEW: a client query (see `_sealed`)
    prelude: tuple[str, ...] = ()  # run first, as the server's own (CREATE OR REPLACE VIEW's DROP VIEW)
    index: bool = False  # CREATE INDEX: a column that is not there is 1072, not 1054
    parents: tuple[str, ...] = ()  # CREATE TABLE: the other tables its foreign keys reference (1005 if missing)
    notes: tuple[str, ...] = ()  # CREATE TABLE: its silent column changes, noted (1246) once it is made


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
    temporary: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class AlterPlan(Plan):
    """ALTER TABLE: the alterations, applied to the table's definition when the statement runs."""

    table: str
    db: str | None
    actions: tuple[exp.Expr, ...]
    sql: str
    options: TableOptions


@dataclass(frozen=True, slots=True, eq=False)
class KeysPlan(Plan):
    """ALTER TABLE t DISABLE KEYS / ENABLE KEYS (what mariadb-dump writes around a table's rows):
    SQLite keeps its indexes up to date anyway, so only the table's existence is checked."""

    table: str
    db: str | None


# -- planning -------------------------------------------------------------------------------------


def _db_of(table: exp.Expr) -> str | None:
    return table.text("db") or None


def _plan_create_table(tree: exp.Create, sql: str, increment: int = DEFAULT_DIV_INCREMENT) -> Plan:
    exists = bool(tree.args.get("exists"))
    properties = tree.args.get("properties") or exp.Properties()
    temporary = any(isinstance(p, exp.TemporaryProperty) for p in properties.expressions)
    schema = tree.this
    if isinstance(schema, exp.Schema) and tree.expression is None:
        table = schema.this
        definition = TableDefinition.of(table.name, schema)
        options = table_options(properties.expressions, sql, alter=False)
        definition.comment = options.comment or ""
        statements = definition.statements(exists)
        if options.auto_increment is not None and definition.auto_column is not None:
            statements += (created_auto_increment(table.name, options.auto_increment),)
        if temporary:
            return create_temporary(statements, _db_of(table), table.name, exists)
        if tree.args.get("replace"):  # CREATE OR REPLACE TABLE: the table of that name goes first
            statements = (f"DROP TABLE IF EXISTS {quote(table.name)}", *delete_statements(table.name), *statements)
        parents = tuple(sorted({fk.table for fk in definition.fks if fk.table.lower() != table.name.lower()}))
        return DdlPlan(statements, _db_of(table), table.name, exists, parents=parents)
    if tree.expression is not None:  # CREATE TABLE ... AS SELECT
        return plan_create_select(tree, sql, increment, temporary)
    like = tree.find(exp.LikeProperty)
    if like is not None:
        return CreateLikePlan(schema.name, _db_of(schema), like.this.name, _db_of(like.this), exists, temporary)
    raise syntax_error(tree.sql(dialect="mysql"), "a table needs columns")


def _plan_create_index(tree: exp.Create, sql: str) -> Plan:
    index = tree.this
    table = index.args.get("table")
    params = index.args.get("params")
    cols = params.args.get("columns") if params is not None else index.expressions
    unique = bool(tree.args.get("unique"))
    create = (f"CREATE {'UNIQUE ' if unique else ''}INDEX {'IF NOT EXISTS ' if tree.args.get('exists') else ''}"
              f"{quote(f'{table.name}.{index.name}')} ON {quote(table.name)} ({index_columns(list(cols or []))})")
    return DdlPlan((create,), _db_of(table), table.name, index=True)


def _plan_create_view(tree: exp.Create, sql: str) -> Plan:
    statement, view_db, name, prelude = view_statements(tree)
    return DdlPlan((statement,), view_db, name, bool(tree.args.get("exists")), embeds_query=True, prelude=prelude)


_CREATE: Final[dict[str, Callable[[exp.Create, str], Plan]]] = {
    "TABLE": _plan_create_table, "INDEX": _plan_create_index, "VIEW": _plan_create_view}


_Tree = TypeVar("_Tree", exp.Create, exp.Drop)


def _plan_by_kind(planners: dict[str, Callable[[_Tree, str], Plan]], verb: str, tree: _Tree, sql: str) -> Plan:
    """CREATE and DROP name what they make or remove (TABLE, INDEX, VIEW): one planner a kind."""
    kind = (tree.args.get("kind") or "").upper()
    planner = planners.get(kind)
    if planner is None:
        raise not_supported(f"{verb} {kind}")
    return planner(tree, sql)


@plans(exp.Create)
def plan_create(tree: exp.Create, sql: str, ctx: PlanContext) -> Plan:
    if (tree.args.get("kind") or "").upper() == "TABLE":
        _validate_create_table(tree, "STRICT_" in ctx.dialect.sql_mode.upper())
        notes = tuple(n for e in (tree.this.expressions if isinstance(tree.this, exp.Schema) else [])
                      if isinstance(e, exp.ColumnDef) and (n := silent_column_changes(e)) is not None)
        plan = _plan_create_table(tree, sql, ctx.dialect.div_precision_increment)
        return replace(plan, notes=notes) if notes and isinstance(plan, DdlPlan) else plan
    return _plan_by_kind(_CREATE, "CREATE", tree, sql)


def _validate_create_table(tree: exp.Create, strict: bool) -> None:
    schema = tree.this
    table = schema.this if isinstance(schema, exp.Schema) else schema
    if isinstance(table, exp.Table):
        check_table_name(table.name)
    if isinstance(schema, exp.Schema):
        for e in schema.expressions:
            if isinstance(e, exp.ColumnDef):
                check_column(e, strict)
        check_keys(schema)
    properties = tree.args.get("properties")
    if isinstance(properties, exp.Properties):
        check_engine(list(properties.expressions))


def _plan_drop_tables(tree: exp.Drop, sql: str) -> Plan:
    tables = list(tree.args.get("tables") or [t for t in [tree.this, *(tree.expressions or [])] if t])
    dbs = {_db_of(t) for t in tables}
    if len(dbs) > 1:
        raise not_supported("DROP TABLE across databases")
    if tree.args.get("temporary"):
        return DropTemporaryPlan(tuple(t.name for t in tables), dbs.pop(), bool(tree.args.get("exists")))
    return DropTablePlan(tuple(t.name for t in tables), dbs.pop(), bool(tree.args.get("exists")),
                         (tree.args.get("kind") or "").upper() == "VIEW")


def _plan_drop_index(tree: exp.Drop, sql: str) -> Plan:
    targets = tree.args.get("tables") or [tree.this]
    index = targets[0].name
    cluster = tree.args.get("cluster")
    on = cluster.this.name if isinstance(cluster, exp.OnProperty) else None
    m = re.search(rf"(?is)\bon\s+(?:({_IDENT})\.)?({_IDENT})", sql)
    if on is None and m:
        on = stored_name(unquote(m.group(2)))
    db = unquote(m.group(1)) if m and m.group(1) else None
    return DdlPlan((f"DROP INDEX {quote(f'{on}.{index}')}",), db, on)


_DROP: Final[dict[str, Callable[[exp.Drop, str], Plan]]] = {
    "TABLE": _plan_drop_tables, "VIEW": _plan_drop_tables, "INDEX": _plan_drop_index}


@plans(exp.Drop)
def plan_drop(tree: exp.Drop, sql: str, ctx: PlanContext) -> Plan:
    return _plan_by_kind(_DROP, "DROP", tree, sql)


@plans(exp.TruncateTable)
def plan_truncate(tree: exp.TruncateTable, sql: str, ctx: PlanContext) -> Plan:
    table = tree.expressions[0]
    name = table.name
    reset = f"DELETE FROM sqlite_sequence WHERE name = '{name.replace(chr(39), chr(39) * 2)}'"
    return DdlPlan((f"DELETE FROM {quote(name)}", reset), _db_of(table), name, truncate=True)


@plans(exp.Alter)
def plan_alter(tree: exp.Alter, sql: str, ctx: PlanContext) -> Plan:
    table = tree.this
    # FORCE rebuilds the table, which changes nothing here (SQLite's tables need no rebuilding).
    actions = tuple(a for a in tree.args.get("actions") or [] if not isinstance(a, exp.ForceProperty))
    options = table_options(tree.args.get("options") or [], sql, alter=True)
    if (tree.args.get("kind") or "TABLE").upper() != "TABLE" or not (
            tree.args.get("actions") or tree.args.get("options")):
        raise not_supported(" ".join(sql.split())[:60])
    return AlterPlan(table.name, _db_of(table), actions, sql, options)




_KEYS: Final = re.compile(rf"(?is)^\s*alter\s+table\s+(?:({_IDENT})\.)?({_IDENT})\s+(?:disable|enable)\s+keys\s*;?\s*$")


@plans_words("alter")
def plan_keys(sql: str, ctx: PlanContext) -> Plan | None:
    m = _KEYS.match(sql)
    if m is None:
        return None
    return KeysPlan(stored_name(unquote(m.group(2))), unquote(m.group(1)) if m.group(1) else None)


_ADD_COLUMNS: Final = re.compile(r"(?i)\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?\(")


@plans_words("alter")
def plan_alter_add_columns(sql: str, ctx: PlanContext) -> Plan | None:
    """ALTER TABLE ... ADD [COLUMN] (a INT, b INT), which sqlglot cannot parse: as one ADD COLUMN each."""
    m = _ADD_COLUMNS.search(sql)
    if m is None:
        return None
    depth, end = 1, m.end()
    pieces, start = [], m.end()
    while end < len(sql) and depth:  # the definitions, split at the commas outside their parentheses
        ch = sql[end]
        if ch in "'\"`":
            end = sql.find(ch, end + 1)
            if end < 0:
                return None
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 1:
            pieces.append(sql[start:end])
            start = end + 1
        end += 1
    if depth:
        return None
    pieces.append(sql[start:end - 1])
    added = ", ".join("ADD COLUMN " + p.strip() for p in pieces)
    try:
        tree = sqlglot.parse_one(sql[:m.start()] + added + sql[end:], read="mysql")
    except sqlglot.errors.SqlglotError:
        return None  # the statement as written reports its own error
    return plan_alter(tree, sql, ctx) if isinstance(tree, exp.Alter) else None


_ADD_CHECK: Final = re.compile(r"(?i)\bADD\s+CHECK\s*\(")


@plans_words("alter")
def plan_alter_add_check(sql: str, ctx: PlanContext) -> Plan | None:
    """ALTER TABLE ... ADD CHECK (...), which sqlglot cannot parse without a constraint name: given
    an empty one, which names it as MariaDB does (CONSTRAINT_<n>)."""
    if not _ADD_CHECK.search(sql):
        return None
    try:
        tree = sqlglot.parse_one(_ADD_CHECK.sub("ADD CONSTRAINT `` CHECK (", sql), read="mysql")
    except sqlglot.errors.SqlglotError:
        return None  # the statement as written reports its own error
    return plan_alter(tree, sql, ctx) if isinstance(tree, exp.Alter) else None




# -- running --------------------------------------------------------------------------------------


def apply_ddl(statements: tuple[str, ...], database: str, tx: Transaction, catalog: Catalog, *,
              if_not_exists: bool = False, truncate: bool = False, count_rows_of: str | None = None,
              table: str | None = None, embeds_query: bool = False, view: str | None = None,
              foreign_key_checks: bool = False, parents: tuple[str, ...] = (), query: str | None = None,
              prelude: tuple[str, ...] = ()) -> Result:
    """Run DDL statements on `database` in a transaction of their own, and commit them (a `view` made
    is read once before the commit, see `_views.check_view`; a `truncate`d table that another table's foreign
    key references is refused while `foreign_key_checks` is on; `query`: a client's statement run after
    them, CREATE TABLE ... SELECT's INSERT)."""
    catalog.check_writable(database)
    c = tx.begin_ddl(database)
    with trusted(c.conn):
        if if_not_exists and table is not None and c.run(
                "SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE", (table,)):
            tx.rollback()  # SQLite would do nothing silently; MariaDB copies no rows and notes it
            note(ER_TABLE_EXISTS, f"Table '{table}' already exists")
            return OK
        if truncate and table is not None and foreign_key_checks:
            _refuse_truncating_parent(c, database, table, tx)
        for parent in parents if foreign_key_checks else ():
            if not c.run("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE", (parent,)):
                tx.rollback()  # InnoDB's errno 150: a foreign key to a table that is not there
                raise SQLError(1005, f"Can't create table `{database}`.`{table}` (errno: 150 \"Foreign key "
                                     "constraint is incorrectly formed\")", "HY000")
        if truncate and not c.run("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'"):
            statements = statements[:1]  # no AUTO_INCREMENT table yet: no counter to reset
    return run_ddl_statements(c, statements, database, tx, catalog, if_not_exists=if_not_exists,
                              count_rows_of=count_rows_of, embeds_query=embeds_query, view=view, query=query,
                              prelude=prelude)


def _refuse_truncating_parent(c: Conn, database: str, table: str, tx: Transaction) -> None:
    """InnoDB refuses TRUNCATE of a table that another table's foreign key references (1701), even when
    no row references it; a reference of the table to itself does not count."""
    children = referencing(c.conn, table)
    if not children or not c.run("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", (table,)):
        return  # a table that does not exist is 1146 (a foreign key may name one)
    tx.rollback()
    child, fk = children[0]
    cols = ", ".join(f"`{col}`" for col in fk.columns)
    refs = ", ".join(f"`{col}`" for col in fk.ref_columns)
    raise SQLError(1701, f"Cannot truncate a table referenced in a foreign key constraint (`{database}`.`{child}`, "
                         f"CONSTRAINT `{fk.name}` FOREIGN KEY ({cols}) REFERENCES `{database}`.`{fk.table}` ({refs}))",
                   "42000")


def run_ddl_statements(c: Conn, statements: tuple[str, ...], database: str, tx: Transaction, catalog: Catalog, *,
                       if_not_exists: bool = False, count_rows_of: str | None = None,
                       check_foreign_keys: str | None = None, embeds_query: bool = False,
                       view: str | None = None, query: str | None = None,
                       prelude: tuple[str, ...] = ()) -> Result:
    """Run DDL statements in the DDL transaction begun on `c`, and commit them (`check_foreign_keys`:
    a table whose rows must all have their parents afterwards, 1452 otherwise)."""
    try:
        for statement in prelude:
            c.run(statement)
        if embeds_query:
            # A client's query inside DDL: checked as any client query (uncached: never reused elsewhere).
            with c.guard.running(CREATE):
                for statement in statements:
                    c.cursor.execute(statement, can_cache=False).fetchall()
            if view is not None:
                with c.guard.running(CLIENT):
                    check_view(c.cursor, view, statements[-1])
        else:
            for statement in statements:
                c.run(statement)
        if query is not None:
            tx.capture_rows(c)  # the copied rows replicate as row changes after the DDL
            with c.guard.running(CLIENT):  # a client's query (see `_sealed`)
                c.cursor.execute(query, can_cache=False).fetchall()
        if check_foreign_keys is not None and c.run(f"PRAGMA foreign_key_check({quote(check_foreign_keys)})"):
            raise SQLError(1452, "Cannot add or update a child row: a foreign key constraint fails", "23000")
    except apsw.Error as e:
        tx.rollback()
        if if_not_exists and "already exists" in str(e):
            named = re.search(r"(?:table|index|view)\s+\"?([^\"]+?)\"?\s+already exists", str(e))
            note(ER_TABLE_EXISTS, f"Table '{named.group(1) if named else '?'}' already exists")
            return OK
        raise sqlite_error(e, database, conn=c, catalog=catalog) from None
    except SQLError:
        tx.rollback()
        raise
    tx.ddl_done(c, prelude + statements)
    copied = 0
    if count_rows_of is not None:  # CREATE TABLE ... AS SELECT reports the rows it copied
        count = c.run(f"SELECT COUNT(*) FROM {quote(count_rows_of)}")[0][0]
        copied = count if isinstance(count, int) else 0
    tx.commit()
    return Result(affected_rows=copied) if copied else OK


@executes(DdlPlan)
def run_ddl(plan: DdlPlan, tx: Transaction, conns: Connections, state: SessionState, catalog: Catalog,
            variables: SessionVariables) -> Result:
    if (plan.index or plan.truncate) and plan.table and plan.table.lower() in temporary_tables(
            conns, dbname := state.resolve(plan.write_db)):
        statements = plan.statements[:1] if plan.truncate else plan.statements  # its counter is not main's
        return on_temporary(statements, conns.get(dbname), dbname, plan.table, catalog, counts=plan.index)
    tx.implicit_commit()
    try:
        result = apply_ddl(plan.statements, state.resolve(plan.write_db), tx, catalog,
                           if_not_exists=plan.if_not_exists, truncate=plan.truncate,
                           foreign_key_checks=bool(variables.get("foreign_key_checks")), parents=plan.parents,
                           table=plan.table, embeds_query=plan.embeds_query,
                           view=plan.table if plan.embeds_query else None, prelude=plan.prelude)
        for text in plan.notes:
            note(ER_AUTO_CONVERT, text)
        return result
    except SQLError as e:
        if plan.index and e.code == ER_BAD_FIELD:
            column = e.message.split("'")[1] if "'" in e.message else "?"
            raise SQLError(1072, f"Key column '{column}' doesn't exist in table", "42000") from None
        raise


@executes(CreateSelectPlan)
def run_create_select(plan: CreateSelectPlan, tx: Transaction, conns: Connections, state: SessionState,
                      catalog: Catalog) -> Result:
    dbname = state.resolve(plan.write_db)
    statements, insert = create_select_statements(plan, conns, dbname, state.user_variables)
    if plan.temporary:
        made = create_temporary(statements, plan.write_db, plan.table, plan.if_not_exists)
        into_temp = insert.replace(f"INSERT INTO {quote(plan.table)}", f"INSERT INTO temp.{quote(plan.table)}", 1)
        return make_temporary(made.statements, conns, dbname, plan.table, plan.if_not_exists, catalog, into_temp)
    tx.implicit_commit()
    return apply_ddl(statements, dbname, tx, catalog, if_not_exists=plan.if_not_exists, table=plan.table,
                     count_rows_of=plan.table, query=insert)


@executes(KeysPlan)
def run_keys(plan: KeysPlan, tx: Transaction, conns: Connections, state: SessionState) -> Result:
    tx.implicit_commit()
    dbname = state.resolve(plan.db)
    found = conns.get(dbname).conn.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE", (plan.table,)).fetchall()
    if not found:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{plan.table}' doesn't exist")
    return OK


@executes(AlterPlan)
def run_alter(plan: AlterPlan, tx: Transaction, conns: Connections, state: SessionState, catalog: Catalog,
              variables: SessionVariables) -> Result:
    dbname = state.resolve(plan.db)
    if plan.table.lower() in temporary_tables(conns, dbname) and plan.actions:
        c = conns.get(dbname)
        work = alter_statements(c.conn, dbname, plan.table, plan.actions, plan.sql, foreign_key_checks=False,
                                order=plan.options.order, comment=plan.options.comment)
        return on_temporary(made_temporary(work.statements, plan.table), c, dbname, work.table, catalog, counts=True)
    tx.implicit_commit()
    catalog.check_writable(dbname)
    c = tx.begin_ddl(dbname)
    options = plan.options
    try:
        if plan.actions or options.order is not None:
            work = alter_statements(c.conn, dbname, plan.table, plan.actions, plan.sql,
                                    foreign_key_checks=bool(variables.get("foreign_key_checks")),
                                    order=options.order, comment=options.comment)
        else:  # table options alone: no rows copied
            draft = read_draft(c.conn, dbname, plan.table)  # 1146 if there is no such table
            work = Alteration(option_statements(c.conn, draft.name, options), False, draft.name, False)
        if options.auto_increment is not None:
            work = replace(work, statements=work.statements + auto_increment_statements(
                c.conn, work.table, options.auto_increment))
    except (SQLError, apsw.Error):
        tx.rollback()
        raise
    try:
        return run_ddl_statements(c, work.statements, dbname, tx, catalog,
                                  check_foreign_keys=work.table if work.adds_foreign_key else None,
                                  count_rows_of=work.table if work.copies else None)
    except SQLError as e:
        if e.code == ER_BAD_NULL:  # a NULL in a column made NOT NULL: MariaDB truncates it, in strict mode an error
            column = e.message.split("'")[1].rsplit(".", 1)[-1]
            raise SQLError(1265, f"Data truncated for column '{column}' at row 1", "01000") from None
        raise


@executes(DropTablePlan)
def drop_table(plan: DropTablePlan, tx: Transaction, state: SessionState, catalog: Catalog,
               variables: SessionVariables) -> Result:
    tx.implicit_commit()
    dbname = state.resolve(plan.write_db)
    catalog.check_writable(dbname)
    c = tx.begin_ddl(dbname)
    if not plan.view:  # a temporary table of that name is the one dropped (and not published)
        temporary = temporary_tables_of(c.conn)
        for t in [t for t in plan.tables if t.lower() in temporary]:
            c.run(f"DROP TABLE temp.{quote(temporary[t.lower()])}")
        if any(t.lower() in temporary for t in plan.tables):
            temporary_changed(catalog, dbname)
        plan = replace(plan, tables=tuple(t for t in plan.tables if t.lower() not in temporary))
        if not plan.tables:
            tx.commit()
            return OK
    existing = {str(n).lower(): str(n) for (n,) in c.run(
        f"SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND {USER_TABLE_FILTER}")}
    missing = [t for t in plan.tables if t.lower() not in existing]
    dropping = [existing[t.lower()] for t in plan.tables if t.lower() in existing]
    if not plan.view and variables.get("foreign_key_checks"):
        # InnoDB refuses to drop a parent while another table's foreign key references it.
        gone = {t.lower() for t in dropping}
        for table in dropping:
            if any(child.lower() not in gone for child, _ in referencing(c.conn, table)):
                tx.rollback()
                raise SQLError(1451, "Cannot delete or update a parent row: a foreign key constraint fails", "23000")
    kind = "VIEW" if plan.view else "TABLE"
    statements: tuple[str, ...] = ()
    for table in dropping:
        statements += (f"DROP {kind} {quote(table)}",) + (() if plan.view else delete_statements(table)
                                                          + table_dropped_statements(c.conn, c.database, table))
    if statements:
        result = run_ddl_statements(c, statements, dbname, tx, catalog)
    else:
        tx.rollback()
        result = OK
    if missing:
        # MariaDB drops the tables that exist, then reports the ones that did not.
        names = ",".join(f"{dbname}.{t}" for t in missing)
        code, unknown = (4092, f"Unknown VIEW: '{names}'") if plan.view else (ER_BAD_TABLE, f"Unknown table '{names}'")
        if not plan.if_exists:
            raise SQLError(code, unknown, "42S02")
        note(code, unknown)
    return result


@executes(CreateLikePlan)
def create_like(plan: CreateLikePlan, tx: Transaction, conns: Connections, state: SessionState,
                catalog: Catalog) -> Result:
    dbname = state.resolve(plan.write_db)
    source_db = state.resolve(plan.source_db)
    draft = read_draft(conns.get(source_db).conn, source_db, plan.source)
    # MariaDB copies the columns, keys and CHECKs; not the foreign keys.
    draft.name, draft.fks = plan.table, []
    statements = definition_of(draft).statements(plan.if_not_exists)
    if plan.temporary:
        made = create_temporary(statements, plan.write_db, plan.table, plan.if_not_exists)
        return make_temporary(made.statements, conns, dbname, plan.table, plan.if_not_exists, catalog)
    tx.implicit_commit()
    return apply_ddl(statements, dbname, tx, catalog, if_not_exists=plan.if_not_exists, table=plan.table)

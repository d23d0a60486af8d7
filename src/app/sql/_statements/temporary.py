"""CREATE TEMPORARY TABLE and DROP TEMPORARY TABLE: tables of one session.

A temporary table lives in the TEMP schema of the session's SQLite connection to its database, so
it is the session's alone, hides a table of the same name (SQLite looks in TEMP first, as MySQL
looks at temporary tables first), and goes when the session ends. Its statements do not commit the
open transaction (as in MariaDB), take no database lock, and are neither published to standbys nor
recorded in the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

import apsw

from .._catalog import Catalog
from .._connections import Conn, Connections
from .._diagnostics import note
from .._errors import ER_BAD_TABLE, ER_TABLE_EXISTS, SQLError
from .._plan import Plan, executes
from .._results import OK, Result
from .._sealed import CLIENT
from .._sqlite import quote
from .._sqlite_errors import sqlite_error
from .._state import SessionState


@dataclass(frozen=True, slots=True, eq=False)
class CreateTemporaryPlan(Plan):
    """The table's statements (`_tabledefs.TableDefinition`), made TEMP."""

    statements: tuple[str, ...]
    write_db: str | None
    table: str
    if_not_exists: bool


@dataclass(frozen=True, slots=True, eq=False)
class DropTemporaryPlan(Plan):
    tables: tuple[str, ...]
    write_db: str | None
    if_exists: bool


def create_temporary(statements: tuple[str, ...], write_db: str | None, table: str,
                     if_not_exists: bool) -> CreateTemporaryPlan:
    """The plan of CREATE TEMPORARY TABLE, from the statements of the table it defines."""
    first, *rest = statements
    made = first.replace("CREATE TABLE", "CREATE TEMP TABLE", 1)
    return CreateTemporaryPlan((made, *rest), write_db, table, if_not_exists)


def temporary_changed(catalog: Catalog, database: str) -> None:
    """A temporary table was made, changed or dropped: statements prepared before (SQLite re-prepares
    them, but what was derived from them, such as their columns, is out of date) are not reused."""
    db = catalog.get(database)
    if db is not None:
        catalog.schema_changed(db)


def temporary_tables_of(conn: apsw.Connection) -> dict[str, str]:
    """The temporary tables of an SQLite connection, by lower-case name."""
    rows = conn.execute("SELECT name FROM temp.sqlite_schema WHERE type = 'table'").fetchall()
    return {str(name).lower(): str(name) for (name,) in rows}


def temporary_tables(conns: Connections, database: str) -> dict[str, str]:
    """The session's temporary tables in `database`, by lower-case name."""
    return temporary_tables_of(conns.get(database).conn)


@executes(CreateTemporaryPlan)
def run_create_temporary(plan: CreateTemporaryPlan, conns: Connections, state: SessionState,
                         catalog: Catalog) -> Result:
    return make_temporary(plan.statements, conns, state.resolve(plan.write_db), plan.table, plan.if_not_exists,
                          catalog)


def make_temporary(statements: tuple[str, ...], conns: Connections, database: str, table: str, if_not_exists: bool,
                   catalog: Catalog, query: str | None = None) -> Result:
    """Make a temporary table (`statements`, see `create_temporary`), then run `query`, a client's
    statement that fills it (CREATE TEMPORARY TABLE ... SELECT): all of it or none."""
    c = conns.get(database)
    if table.lower() in temporary_tables(conns, database):
        if if_not_exists:
            note(ER_TABLE_EXISTS, f"Table '{table}' already exists")
            return OK
        raise SQLError(ER_TABLE_EXISTS, f"Table '{table}' already exists")
    try:
        with c.conn:  # all of it or none (a savepoint inside an open transaction)
            for statement in statements:
                c.conn.execute(statement).fetchall()
            if query is not None:
                with c.guard.running(CLIENT):  # a client's query (see `_sealed`)
                    c.cursor.execute(query, can_cache=False).fetchall()
    except apsw.Error as e:
        raise sqlite_error(e, database, conn=c, catalog=catalog) from None
    temporary_changed(catalog, database)
    if query is not None:
        count = c.conn.execute(f"SELECT COUNT(*) FROM temp.{quote(table)}").fetchall()[0][0]
        return Result(affected_rows=count) if isinstance(count, int) and count else OK
    return OK


@executes(DropTemporaryPlan)
def run_drop_temporary(plan: DropTemporaryPlan, conns: Connections, state: SessionState,
                       catalog: Catalog) -> Result:
    database = state.resolve(plan.write_db)
    existing = temporary_tables(conns, database)
    missing = [t for t in plan.tables if t.lower() not in existing]
    if missing and not plan.if_exists:  # MariaDB drops none of them then
        raise SQLError(ER_BAD_TABLE, "Unknown table '" + ",".join(f"{database}.{t}" for t in missing) + "'")
    c = conns.get(database)
    for t in plan.tables:
        if t.lower() in existing:
            c.conn.execute(f"DROP TABLE temp.{quote(existing[t.lower()])}").fetchall()
    temporary_changed(catalog, database)
    if missing:
        note(ER_BAD_TABLE, "Unknown table '" + ",".join(f"{database}.{t}" for t in missing) + "'")
    return OK


def on_temporary(statements: tuple[str, ...], c: Conn, database: str, table: str, catalog: Catalog, *,
                 counts: bool = False) -> Result:
    """DDL on a temporary table (an index, TRUNCATE, ALTER TABLE's rebuild): on the session's connection,
    all or none, without committing the open transaction and without publishing it (`counts`: report
    the rows, which MariaDB copies for a temporary table)."""
    try:
        with c.conn:
            for statement in statements:
                c.conn.execute(statement).fetchall()
    except apsw.Error as e:
        raise sqlite_error(e, database, conn=c, catalog=catalog) from None
    temporary_changed(catalog, database)
    if counts:
        rows = c.conn.execute(f"SELECT COUNT(*) FROM temp.{quote(table)}").fetchall()[0][0]
        return Result(affected_rows=rows) if isinstance(rows, int) and rows else OK
    return OK


def made_temporary(statements: tuple[str, ...], table: str) -> tuple[str, ...]:
    """ALTER TABLE's rebuild of a table (`_alter.alter_statements`) made in TEMP: the new table is
    temporary, and the old one dropped there."""
    first, *rest = statements
    drop = f"DROP TABLE {quote(table)}"
    return (first.replace("CREATE TABLE", "CREATE TEMP TABLE", 1),
            *(f"DROP TABLE temp.{quote(table)}" if s == drop else s for s in rest))

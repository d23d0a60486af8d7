"""A session's SQLite connections: one per database it uses, and one in memory for statements that
read no table.

Each connection gets the MySQL functions (`_functions.REGISTRY`) bound to the session.

No statement runs against a schema older than the catalog's (`Catalog.generation`), whichever
connection changed it. An SQLite connection keeps the schema it last read and notices a change only
when it steps a statement, so a statement prepared after another connection's DDL is still prepared
against the old schema: its columns are described wrong, and an INSERT may fail its column count.
So a connection is brought up to date (a statement that reads sqlite_schema makes it check the
schema cookie and read the schema again) when a statement takes it after a change, and a query runs
with the generation in its text: apsw caches prepared statements by text, and one prepared before
the change is never used after it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, final

import apsw

from ._catalog import Catalog
from ._errors import unknown_database
from ._sealed import CLIENT, TRUSTED, Guard, TableCheck, guard, trusted
from ._sqlite import quote
from ._storage import Database

Description = tuple[tuple[str, str | None], ...]
# Steps a read of the schema table: SQLite compares the schema cookie and reads a changed schema
# (PRAGMA schema_version does not: it reads the cookie without checking it).
_REREAD_SCHEMA: Final = "SELECT 1 FROM {schema}.sqlite_schema LIMIT 0"


class _DescriptionTrace:
    """Captures a query's column description when it is prepared.

    apsw only describes a statement while it runs, so a query returning no rows would
    otherwise have no columns; the exec trace sees every statement before its first step.
    """

    __slots__ = ("description", "origins")

    def __init__(self) -> None:
        self.description: Description = ()
        # (schema, table, column) a result column comes from, None for an expression's.
        self.origins: tuple[tuple[str, str, str] | None, ...] = ()

    def __call__(self, cursor: apsw.Cursor, sql: str, bindings: Any) -> bool:
        self.description = cursor.get_description()
        self.origins = tuple((str(d[2]), str(d[3]), str(d[4])) if d[3] else None for d in cursor.description_full)
        return True


@final
@dataclass(eq=False, slots=True)
class Conn:
    """One SQLite connection of a session (`db` None: the in-memory one)."""

    db: Database | None
    conn: apsw.Connection
    guard: Guard  # its authorizer: what the statements run on it may reach (see `_sealed`)
    cursor: apsw.Cursor  # for statements whose columns nobody reads
    query_cursor: apsw.Cursor
    trace: _DescriptionTrace
    attached: dict[str, Database] = field(default_factory=dict)
    in_write: bool = False
    capture: apsw.Session | None = None  # records the transaction's changes for replication
    recursive_triggers: bool = False
    triggers: tuple[str, ...] = ()  # the TEMP triggers that fire the database's stored triggers (`_sptrig`)
    foreign_keys: bool = True  # PRAGMA foreign_keys (Storage turns it on; see Transaction.begin_write)
    generation: int = -1  # the catalog generation whose schema it has read
    marker: str = " /*-1*/"  # the generation, as queries carry it (see Connections.query)

    @property
    def database(self) -> Database:
        """The database (not the in-memory connection's)."""
        assert self.db is not None, "the in-memory connection has no database"
        return self.db

    def run(self, sql: str, bindings: Any = None) -> list[tuple[Any, ...]]:
        """Run a statement (DML, DDL, a pragma) and return what rows it gave."""
        return self.cursor.execute(sql, bindings).fetchall()

    def stop_capture(self) -> bytes | None:
        """Stop recording changes; the changeset recorded so far."""
        capture, self.capture = self.capture, None
        if capture is None:
            return None
        try:
            return capture.changeset()
        finally:
            capture.close()

    def close(self) -> None:
        if self.capture is not None:
            with contextlib.suppress(apsw.Error):
                self.capture.close()
        with contextlib.suppress(apsw.Error):
            # force: a cursor that cannot be closed cleanly (a statement interrupted on another
            # thread) must not keep the connection, and its files, open after the session ends
            self.conn.close(True)


def _open(db: Database | None, conn: apsw.Connection, register: Callable[[apsw.Connection], None],
          has_table: Callable[[str, str], bool] | None = None, current: Callable[[], str | None] | None = None,
          table_check: TableCheck | None = None, statement: Callable[[], str | None] | None = None) -> Conn:
    # SQLite reads a double-quoted name that resolves to nothing as a string literal: `SELECT \`nosuch\``
    # would answer 'nosuch' where MySQL answers 1054. Names are double-quoted in every translation.
    conn.config(apsw.SQLITE_DBCONFIG_DQS_DML, 0)
    conn.config(apsw.SQLITE_DBCONFIG_DQS_DDL, 0)
    register(conn)
    sealed = guard(conn, db.name if db is not None else None, has_table, current)
    sealed.check = table_check
    sealed.statement = statement
    sealed.mode = TRUSTED  # the server's own statements; a client's run in the CLIENT mode (`client`)
    trace = _DescriptionTrace()
    query_cursor = conn.cursor()
    query_cursor.exec_trace = trace
    return Conn(db, conn, sealed, conn.cursor(), query_cursor, trace)


@final
class Connections:
    """The SQLite connections of one session, by database name (lower case).

    Args:
        catalog: the node's databases.
        register: makes the session's functions callable on a new connection.
        current: the session's current database (which errors on the in-memory connection name).
    """

    def __init__(self, catalog: Catalog, register: Callable[[apsw.Connection], None],
                 current: Callable[[], str | None] | None = None,
                 statement: Callable[[], str | None] | None = None) -> None:
        self.catalog = catalog
        self._statement = statement
        self._register = register
        self._current = current
        self.open: dict[str, Conn] = {}
        self.writing: dict[str, Conn] = {}  # those in a write transaction
        self.reading: dict[str, Conn] = {}  # those holding a read snapshot (REPEATABLE READ)
        self._scratch: Conn | None = None
        self._stale = False  # a database one of them is to was dropped (see `forget`)
        # The session's privilege check of each table its statements use (None: it may use every
        # table); connections opened with one keep no prepared statements (see `_access`).
        self.table_check: TableCheck | None = None
        # Called with a connection to a database when it opens and after each schema change (the session's
        # triggers are installed on it then).
        self.on_schema: Callable[[Conn], None] | None = None

    def get(self, name: str) -> Conn:
        """The connection to database `name`, opened on first use (1049 if there is no such database)."""
        key = name.lower()
        c = self.open.get(key)
        if c is not None:
            if c.db is not None and not c.db.dropped:
                if c.generation != self.catalog.generation:
                    self._refresh(c)
                return c
            self._discard(key, c)
        db = self.catalog.get(name)
        if db is None:
            raise unknown_database(name)
        check = self.table_check
        c = self.open[key] = _open(db, self.catalog.storage.connect(db, cache_statements=check is None), self._register,
                                   self._has_table, table_check=check, statement=self._statement)
        c.generation = self.catalog.generation
        c.marker = f" /*{c.generation}*/"
        if self.on_schema is not None:
            self.on_schema(c)
        return c

    def _has_table(self, database: str, table: str) -> bool:
        db = self.catalog.get(database)
        return db is not None and not db.dropped and self.catalog.has_table(db, table)

    def _refresh(self, c: Conn) -> None:
        """Make `c` read the schema again (see module docstring)."""
        generation = self.catalog.generation
        with trusted(c.conn):
            c.conn.execute(_REREAD_SCHEMA.format(schema="main")).fetchall()
            for name in c.attached:
                c.conn.execute(_REREAD_SCHEMA.format(schema=quote(name))).fetchall()
        c.generation = generation
        c.marker = f" /*{generation}*/"
        if self.on_schema is not None:
            self.on_schema(c)

    def scratch(self) -> Conn:
        """The in-memory connection, for statements that read no table."""
        if self._scratch is None:
            self._scratch = _open(None, apsw.Connection(":memory:"), self._register, current=self._current,
                                  statement=self._statement)
        return self._scratch

    def attach(self, c: Conn, names: tuple[str, ...]) -> None:
        """Make databases `names` readable on `c` under their own names (qualified table names)."""
        for name in names:
            key = name.lower()
            db = self.catalog.get(name)
            if db is None:
                raise unknown_database(name)
            attached = c.attached.get(key)
            if attached is db:
                continue
            if c.db is not None and self.reading.pop(c.db.name.lower(), None) is not None:
                # SQLite attaches only outside a transaction: a read snapshot ends here.
                with contextlib.suppress(apsw.Error):
                    c.conn.execute("COMMIT").fetchall()
            with trusted(c.conn):
                if attached is not None:  # dropped and made again, or replaced by a snapshot
                    c.conn.execute("DETACH DATABASE " + quote(name)).fetchall()
                c.conn.execute("ATTACH DATABASE ? AS " + quote(name), (str(db.path),)).fetchall()
            c.attached[key] = db

    def not_null(self, c: Conn) -> tuple[bool, ...]:
        """Which columns of the last query on `c` are a table's NOT NULL columns."""
        flags = []
        for origin in c.trace.origins:
            if origin is None:
                flags.append(False)
                continue
            schema, table, column = origin
            db = c.db if schema == "main" else c.attached.get(schema.lower())
            flags.append(db is not None and column.lower() in self.catalog.not_null_columns(db, table))
        return tuple(flags)

    def query(self, c: Conn, sql: str, bindings: Any) -> tuple[Description, list[tuple[Any, ...]]]:
        """Run a query on `c`: its columns' description and its rows."""
        # The generation in the text: never a statement prepared for another schema (module docstring).
        guard = c.guard
        previous, guard.mode = guard.mode, CLIENT  # a client's query (see `_sealed`)
        try:
            rows = c.query_cursor.execute(sql + c.marker, bindings).fetchall()
        finally:
            guard.mode = previous
        description = c.trace.description
        if any(d[1] == "INTEGER" for d in description):
            description = self._auto_increment_types(c, description)
        return description, rows

    def _auto_increment_types(self, c: Conn, description: Description) -> Description:
        """An AUTO_INCREMENT column is SQLite's INTEGER PRIMARY KEY: its MySQL type is the table's (int(11))."""
        fixed = list(description)
        for i, ((name, decltype), origin) in enumerate(zip(description, c.trace.origins, strict=False)):
            if decltype != "INTEGER" or origin is None:
                continue
            schema, table, column = origin
            db = c.db if schema == "main" else c.attached.get(schema.lower())
            auto = self.catalog.auto_increment_type(db, table) if db is not None else None
            if auto is not None and auto[0] == column.lower():
                fixed[i] = (name, auto[1])
        return tuple(fixed)

    def forget(self, db: Database) -> None:
        """Database `db` was dropped or replaced, maybe by another thread: the connections to it are
        closed by this session's own thread before its next statement (`close_stale`), as an apsw
        connection must not be closed while another thread runs a statement on it."""
        if db.name.lower() in self.open:
            self._stale = True

    def close_stale(self) -> None:
        """Close the connections to databases dropped or replaced since the last statement."""
        if not self._stale:
            return
        self._stale = False
        for key, c in list(self.open.items()):
            if c.db is not None and c.db.dropped:
                self._discard(key, c)

    def _discard(self, key: str, c: Conn) -> None:
        del self.open[key]
        self.reading.pop(key, None)
        if self.writing.pop(key, None) is not None:
            with contextlib.suppress(apsw.Error):
                c.conn.execute("ROLLBACK").fetchall()
        c.close()

    @contextlib.contextmanager
    def fresh_cursors(self) -> Iterator[None]:
        """Statements run inside (a stored function's) get cursors of their own: the statement that
        called the function is still stepping on the connections' usual ones."""
        conns = [c for c in (*self.open.values(), self._scratch) if c is not None]
        saved = [(c, c.cursor, c.query_cursor, c.trace) for c in conns]
        for c in conns:
            trace = _DescriptionTrace()
            query_cursor = c.conn.cursor()
            query_cursor.exec_trace = trace
            c.cursor, c.query_cursor, c.trace = c.conn.cursor(), query_cursor, trace
        try:
            yield
        finally:
            for c, cursor, query_cursor, trace in saved:
                c.cursor, c.query_cursor, c.trace = cursor, query_cursor, trace

    def interrupt(self) -> None:
        """Stop the statement running on any of these connections; safe from any thread (apsw's
        interrupt), and a no-op for a connection that runs nothing."""
        for c in list(self.open.values()):
            with contextlib.suppress(apsw.Error):
                c.conn.interrupt()
        scratch = self._scratch
        if scratch is not None:
            with contextlib.suppress(apsw.Error):
                scratch.conn.interrupt()

    def close(self) -> None:
        for c in self.open.values():
            c.close()
        self.open.clear()
        self.writing.clear()
        self.reading.clear()
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None

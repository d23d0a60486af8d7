"""A client session: statements, transactions, variables, and the SQLite connections behind them.

A session opens one SQLite connection per database it uses. Reads run outside
any SQLite transaction and so see the latest committed data; the first write
to a database in a transaction takes that database's write lock (waiting as
InnoDB would, up to `innodb_lock_wait_timeout`) and begins an SQLite write
transaction that lasts until COMMIT or ROLLBACK. Other sessions never see its
uncommitted rows (WAL), and never fail with SQLite's "database is locked".
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import apsw

from . import _functions, _statements
from ._errors import (
    ER_BAD_DB,
    ER_BAD_FIELD,
    ER_BAD_NULL,
    ER_BAD_TABLE,
    ER_CHECK_CONSTRAINT,
    ER_DUP_ENTRY,
    ER_LOCK_WAIT_TIMEOUT,
    ER_NO_SUCH_TABLE,
    ER_SP_DOES_NOT_EXIST,
    ER_TABLE_EXISTS,
    ER_UNKNOWN,
    SQLError,
    no_database,
    not_supported,
    syntax_error,
    unknown_database,
)
from ._exprtypes import Deferred
from ._storage import Database
from ._translate import Plan, text_sql
from ._types import Column, MySQLType, column_for_decltype, column_for_values, conform, format_decimal
from ._variables import unknown_variable

if TYPE_CHECKING:
    from ._engine import Change, Engine


@dataclass(slots=True)
class Result:
    """What a statement returns: rows with columns, or an OK with counts (`columns is None`)."""

    columns: list[Column] | None = None
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    affected_rows: int = 0
    last_insert_id: int = 0
    warnings: int = 0
    info: str = ""


_OK: Final = Result()


class _DescriptionTrace:
    """Captures a query's column description when it is prepared.

    apsw only describes a statement while it runs, so a query returning no rows would
    otherwise have no columns; the exec trace sees every statement before its first step.
    """

    __slots__ = ("description",)

    def __init__(self) -> None:
        self.description: tuple[tuple[str, str | None], ...] = ()

    def __call__(self, cursor: apsw.Cursor, sql: str, bindings: Any) -> bool:
        self.description = cursor.get_description()
        return True


@dataclass(eq=False, slots=True)
class _Conn:
    db: Database
    conn: apsw.Connection
    cursor: apsw.Cursor
    query_cursor: apsw.Cursor
    trace: _DescriptionTrace
    attached: set[str] = field(default_factory=set)
    in_write: bool = False
    capture: Any = None
    recursive_triggers: bool = False


class Session:
    """One client connection's SQL state. Create through `Engine.new_session()`."""

    def __init__(self, engine: Engine, connection_id: int, user: str, host: str) -> None:
        self.engine = engine
        self.connection_id = connection_id
        self.user = user
        self.host = host
        self.database: str | None = None
        self.vars: dict[str, Any] = {}
        self.user_vars: dict[str, Any] = {}
        self.last_insert_id = 0
        self.row_count = -1
        self.found_rows = 0
        self.locks: set[str] = set()
        self.waiting_for: str | None = None
        self.explicit_transaction = False
        self.closed = False
        self._now: datetime | None = None
        self._conns: dict[str, _Conn] = {}
        self._writing: dict[str, _Conn] = {}
        self._ddl_changes: list[Change] = []
        self._scratch: _Conn | None = None
        self._stale = False  # a database this session has a connection to was dropped (forget_database)
        self._savepoints: list[str] = []
        # The statement running now (SHOW PROCESSLIST's Command and Info), None between statements.
        self.current_statement: str | None = None
        # The client's CLIENT_FOUND_ROWS flag: UPDATE reports matched rather than changed rows.
        self.client_found_rows = False
        self._upsert_updated = 0  # rows the running INSERT ... ON DUPLICATE KEY UPDATE updated
        self._upsert_same = 0  # ... and rows it found already holding the new values
        self._upsert_rowid = 0  # ... and the rowid of the last row it updated
        self._replaced = 0  # rows the running REPLACE deleted

    # -- state the protocol layer reports -------------------------------------------------------

    @property
    def autocommit(self) -> bool:
        return bool(self.get_variable("autocommit"))

    @property
    def in_transaction(self) -> bool:
        return self.explicit_transaction or bool(self._writing)

    def statement_time(self) -> datetime:
        if self._now is None:
            self._now = self.engine.clock()
        return self._now

    def set_last_insert_id(self, value: Any) -> Any:
        self.last_insert_id = int(value)
        return value

    # -- variables ------------------------------------------------------------------------------

    def get_variable(self, name: str, scope: str = "") -> Any:
        key = name.lower()
        if scope != "global" and key in self.vars:
            return self.vars[key]
        if key == "last_insert_id" or key == "identity":
            return self.last_insert_id
        var = self.engine.variables.get(key)
        if var is None:
            raise unknown_variable(name)
        if scope == "session" and var.scope == "global":
            raise SQLError(1238, f"Variable '{name}' is a GLOBAL variable", "HY000")
        return self.engine.get_global(key)

    def set_variable(self, name: str, value: Any, scope: str = "") -> None:
        key = name.lower()
        var = self.engine.variables.get(key)
        if var is None:
            raise unknown_variable(name)
        if scope == "global":
            self.engine.set_global(key, value)
            return
        if var.read_only:
            raise SQLError(1238, f"Variable '{var.name}' is a read only variable")
        if var.scope == "global":
            raise SQLError(1229, f"Variable '{var.name}' is a GLOBAL variable and should be set with SET GLOBAL")
        converted = var.convert(var.name, value)
        if key == "last_insert_id" or key == "identity":
            self.last_insert_id = converted
            return
        self.vars[key] = converted

    def _lookup_ref(self, ref: str) -> Any:
        if ref.startswith("@@"):
            body = ref[2:]
            scope = ""
            if "." in body:
                scope, body = body.split(".", 1)
            return self.get_variable(body, scope)
        return self.user_vars.get(ref[1:].lower())

    # -- execution ------------------------------------------------------------------------------

    def execute(self, sql: str) -> Result:
        """Run one MySQL statement on the calling thread (which blocks while it waits for a lock)."""
        self._now = None
        if self._stale:
            self._close_stale()
        plan, params = self.engine.translator.plan(sql)
        self.current_statement = sql
        try:
            return self._execute_plan(plan, params)
        finally:
            self.current_statement = None

    def _execute_plan(self, plan: Plan, params: list[Any] | None) -> Result:
        kind = plan.kind
        if kind == "query":
            return self._query(plan, params)
        if kind == "dml":
            return self._dml(plan, params)
        handler = getattr(self, "_do_" + kind, None)
        if handler is None:
            raise not_supported(kind)
        result: Result = handler(plan)
        return result

    def _bindings(self, plan: Plan, params: list[Any] | None) -> dict[str, Any] | None:
        if params is None and not plan.var_params:
            return None
        bindings: dict[str, Any] = {}
        if params:
            for i, value in enumerate(params, 1):
                bindings[f"p{i}"] = value
        for key, ref in plan.var_params:
            bindings[key] = self._lookup_ref(ref)
        return bindings

    def _query(self, plan: Plan, params: list[Any] | None) -> Result:
        if plan.infoschema:
            from . import _infoschema

            return _infoschema.query(self, plan, self._bindings(plan, params))
        try:
            if plan.locking_read and (self.explicit_transaction or not self.autocommit):
                c = self._begin_write(self._resolve(plan.primary))
            elif plan.has_tables:
                c = self._conn(self._resolve(plan.primary))
            else:
                c = self._scratch_conn()
            if plan.attach:
                self._attach(c, plan.attach)
        except SQLError as e:
            raise _table_in_unknown_database(plan, e) from None
        bindings = self._bindings(plan, params)
        try:
            rows = c.query_cursor.execute(plan.sql if not plan.fields else self._query_sql(plan), bindings).fetchall()
        except apsw.Error as e:
            raise self._error(e, plan, c.db.name if c.db else None, params) from None
        return self._columns_result(plan, c.trace.description, rows)

    def _columns_result(self, plan: Plan, description: tuple[tuple[str, str | None], ...],
                        rows: list[tuple[Any, ...]]) -> Result:
        columns, derived = self._columns(plan, description, rows)
        for i, col in enumerate(columns):
            if derived and i in derived:
                if rows:  # an expression's values: converted to the type derived for it
                    columns[i], rows = conform(col, rows, i)
            elif col.scale is not None and col.type is MySQLType.NEWDECIMAL and rows:
                rows = [(*r[:i], format_decimal(r[i], col.scale), *r[i + 1 :]) for r in rows]
            elif col.binary and rows and any(isinstance(r[i], (str, int, float)) for r in rows):
                # Text or numbers stored in a BLOB column (SQLite keeps them so) go out as bytes.
                rows = [(*r[:i], _as_bytes(r[i]), *r[i + 1 :]) for r in rows]
        self.found_rows = len(rows)
        self.row_count = -1
        return Result(columns, rows)

    def _columns(self, plan: Plan, description: tuple[tuple[str, str | None], ...],
                 rows: list[tuple[Any, ...]]) -> tuple[list[Column], set[int] | None]:
        """The result's columns, and which of them are typed from expressions rather than declared."""
        columns: list[Column] = []
        derived: set[int] | None = None
        names, hints = plan.names, plan.hints
        for i, (name, decltype) in enumerate(description):
            hint = None
            if plan.positional and i < len(names):
                name = names[i] or name
                hint = hints[i]
            elif name.startswith("__c") and name[3:].isdigit():
                idx = int(name[3:])
                name, hint = names[idx] or name, hints[idx]
            if decltype and hint is None:
                columns.append(column_for_decltype(name, decltype))
                continue
            if hint is not None and hint.__class__ is not Column:
                hint = self._resolve_hint(plan, hint)  # type: ignore[arg-type]
            if hint is not None:
                columns.append(Column(name, hint.type, hint.binary, hint.scale))
            else:
                columns.append(column_for_values(name, [r[i] for r in rows]))
            if derived is None:
                derived = set()
            derived.add(i)
        return columns, derived

    def _query_sql(self, plan: Plan) -> str:
        """The SQL of a query whose text depends on the tables' declared types (see
        _translate.text_sql), cached in the plan per schema version."""
        marks = plan.fields.get("text_columns")
        if not marks:
            return plan.sql
        key, lookup = self._catalog(plan)
        cache = plan.fields.setdefault("text_sql", {})
        sql = cache.get(key) if key is not None else None
        if sql is None:
            sql = text_sql(plan.sql, marks, lookup)
            if key is not None:
                if len(cache) > 16:
                    cache.clear()
                cache[key] = sql
        return str(sql)

    def _resolve_hint(self, plan: Plan, hint: Deferred) -> Column | None:
        """A column type that depends on the tables' declared types, for the schema of the moment."""
        key, lookup = self._catalog(plan)
        return hint.column(key if hint.cacheable else None, lookup)

    def _catalog(self, plan: Plan) -> tuple[Any, Any]:
        """(the catalog state a plan's derived types depend on, a lookup of tables' declared types)."""
        default = plan.primary or self.database
        db = self.engine.storage.get(default) if default else None
        # The Database object too: a database dropped and made again restarts its schema_version.
        key = (db.name.lower(), id(db), db.schema_version) if db is not None else None

        def lookup(name: str | None, table: str) -> dict[str, str] | None:
            database = db if name is None else self.engine.storage.get(name)
            if database is None or database.dropped:
                return None
            meta_key = ("decltypes", table.lower())
            found = database._meta.get(meta_key)  # type: ignore[call-overload]
            if found is None:
                with database.lock:
                    rows = database.anchor.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
                found = {str(r[1]).lower(): str(r[2] or "") for r in rows}
                database._meta[meta_key] = found  # type: ignore[index]
            return dict(found) or None

        return key, lookup

    def _dml(self, plan: Plan, params: list[Any] | None) -> Result:
        dbname = self._resolve(plan.write_db)
        self.engine.check_writable(dbname)
        try:
            c = self._begin_write(dbname)
            if plan.attach:
                self._attach(c, plan.attach)
        except SQLError as e:
            raise _table_in_unknown_database(plan, e) from None
        conn = c.conn
        bindings = self._bindings(plan, params)
        sql = plan.sql
        generated: bool | None = None
        if plan.fields:
            sql, generated = self._dml_variant(c, plan, bindings)
        try:
            c.cursor.execute(sql, bindings).fetchall()
        except apsw.Error as e:
            error = self._error(e, plan, dbname, params)
            self._end_statement(failed=True)
            raise error from None
        affected = changes = conn.changes()
        if plan.fields:
            affected += self._extra_affected_rows(plan)
        insert_id = 0
        if plan.insert_table is not None and (changes or self._upsert_rowid):
            insert_id = self._insert_id(c, plan, conn.last_insert_rowid(), changes, generated)
        self.row_count = affected
        self._end_statement()
        return Result(None, affected_rows=affected, last_insert_id=insert_id)

    def _dml_variant(self, c: _Conn, plan: Plan, bindings: dict[str, Any] | None) -> tuple[str, bool | None]:
        """The SQL to run for a DML plan with MySQL details to honour, and for an INSERT whether
        its AUTO_INCREMENT values are generated (None: the statement does not name the column).

        An AUTO_INCREMENT column given 0 (or NULL) generates the next value, as in MySQL without
        NO_AUTO_VALUE_ON_ZERO; SQLite generates one for NULL only, so a 0 is bound as NULL.
        """
        fields = plan.fields
        if "matched_sql" in fields:
            return (fields["matched_sql"] if self.client_found_rows else plan.sql), None
        if fields.get("upsert"):
            self._upsert_updated = self._upsert_same = self._upsert_rowid = 0
        elif fields.get("replace"):
            self._replaced = 0
            _count_replaced_rows(c, plan.insert_table or "")
        generated: bool | None = None
        rows = fields.get("values")
        if rows and plan.insert_table is not None:
            auto = _auto_increment_column(c, plan.insert_table)
            columns = plan.insert_columns if plan.insert_columns is not None else _table_columns(c, plan.insert_table)
            if auto is not None and auto in columns:
                position = columns.index(auto)
                generated = True
                for row in rows:
                    cell = row[position] if position < len(row) else None
                    if cell is None:
                        generated = False
                    elif cell[0] == "p" and bindings is not None:
                        key = f"p{cell[1] + 1}"
                        value = bindings.get(key)
                        if value == 0 and not isinstance(value, float):
                            bindings[key] = None
                        elif value is not None:
                            generated = False
                    elif cell[1] is not None:  # a literal 0 in a statement run as written stays 0
                        generated = False
        return plan.sql, generated

    def _extra_affected_rows(self, plan: Plan) -> int:
        """What MySQL counts beyond SQLite's changes(): an upsert's update counts twice (and once
        when the row already had the values, for CLIENT_FOUND_ROWS clients); a REPLACE counts the
        rows it deleted as well as the ones it inserted."""
        if plan.fields.get("upsert"):
            return self._upsert_updated + (self._upsert_same if self.client_found_rows else 0)
        if plan.fields.get("replace"):
            return self._replaced
        return 0

    def _insert_id(self, c: _Conn, plan: Plan, rowid: int, affected: int, generated: bool | None = None) -> int:
        """MySQL's insert id: the first generated AUTO_INCREMENT value of the statement."""
        auto = _auto_increment_column(c, plan.insert_table or "")
        if auto is None:
            return 0
        if self._upsert_rowid and affected == self._upsert_updated:
            return self._upsert_rowid  # an upsert that only updated: the id of the row it updated
        if generated is not None:
            explicit = not generated
        else:
            explicit = plan.insert_columns is not None and auto in plan.insert_columns
        if explicit:
            return rowid  # the OK packet reports it; LAST_INSERT_ID() does not change
        first = rowid - affected + 1
        self.last_insert_id = first
        return first

    def _end_statement(self, failed: bool = False) -> None:
        """In autocommit mode, a statement outside BEGIN commits (or rolls back) on its own."""
        if self.explicit_transaction or not self.autocommit:
            return
        if failed:
            self._rollback_all()
        else:
            self.commit()

    # -- connections ----------------------------------------------------------------------------

    def _resolve(self, name: str | None) -> str:
        if name is None:
            if self.database is None:
                raise no_database()
            return self.database
        return name

    def _conn(self, name: str) -> _Conn:
        key = name.lower()
        c = self._conns.get(key)
        if c is not None:
            if not c.db.dropped:
                return c
            self._discard_conn(key, c)
        db = self.engine.storage.get(name)
        if db is None:
            raise unknown_database(name)
        conn = self.engine.storage.connect(db)
        _functions.register(conn, self)
        trace = _DescriptionTrace()
        query_cursor = conn.cursor()
        query_cursor.exec_trace = trace
        c = _Conn(db, conn, conn.cursor(), query_cursor, trace)
        self._conns[key] = c
        return c

    def _scratch_conn(self) -> _Conn:
        if self._scratch is None:
            conn = apsw.Connection(":memory:")
            _functions.register(conn, self)
            trace = _DescriptionTrace()
            query_cursor = conn.cursor()
            query_cursor.exec_trace = trace
            self._scratch = _Conn(None, conn, conn.cursor(), query_cursor, trace)  # type: ignore[arg-type]
        return self._scratch

    def _attach(self, c: _Conn, names: tuple[str, ...]) -> None:
        for name in names:
            if name.lower() in c.attached:
                continue
            db = self.engine.storage.get(name)
            if db is None:
                raise unknown_database(name)
            c.conn.execute("ATTACH DATABASE ? AS " + _quote(name), (str(db.path),)).fetchall()
            c.attached.add(name.lower())

    def _begin_write(self, name: str) -> _Conn:
        c = self._conn(name)
        if c.in_write:
            return c
        key = c.db.name.lower()
        timeout = float(self.get_variable("innodb_lock_wait_timeout"))
        self.engine.locks.acquire(key, self, timeout)
        if c.db.dropped:  # dropped while we waited
            self.engine.locks.release_all(self)
            raise unknown_database(name)
        try:
            c.conn.execute("BEGIN IMMEDIATE").fetchall()
        except apsw.BusyError:
            raise SQLError(ER_LOCK_WAIT_TIMEOUT, "Lock wait timeout exceeded; try restarting transaction") from None
        c.in_write = True
        if self.engine.commits.capture:
            capture = apsw.Session(c.conn, "main")
            capture.config(apsw.SQLITE_SESSION_OBJCONFIG_ROWID, 1)
            capture.attach()
            c.capture = capture
        self._writing[key] = c
        return c

    def forget_database(self, db: Database, *, keep_current: bool = False) -> None:
        """The database is being dropped (or replaced, `keep_current`): end our use of it.

        Called from whichever thread drops it; the connections to it are closed by this session's
        own thread before its next statement (an apsw connection must not be closed while another
        thread runs a statement on it).
        """
        key = db.name.lower()
        if not keep_current and self.database is not None and self.database.lower() == key:
            self.database = None  # even if this session never opened it
        if key in self._conns:
            self._stale = True
        if not self._writing:
            self.engine.locks.release_all(self)

    def _close_stale(self) -> None:
        """Close this session's connections to databases dropped or replaced since its last statement."""
        self._stale = False
        for key, c in list(self._conns.items()):
            if c.db.dropped:
                self._discard_conn(key, c)

    def _discard_conn(self, key: str, c: _Conn) -> None:
        del self._conns[key]
        if self._writing.pop(key, None) is not None:
            with contextlib.suppress(apsw.Error):
                c.conn.execute("ROLLBACK").fetchall()
        _close_conn(c)

    # -- transactions ---------------------------------------------------------------------------

    def commit(self) -> None:
        """Commit every database written in this transaction and release the locks.

        Blocks while the commit hook waits for acknowledgements (a primary with an ack timeout).
        """
        changes: list[Change] = list(self._ddl_changes)
        self._ddl_changes.clear()
        writing, self._writing = self._writing, {}
        from ._engine import Change

        waiter = None
        with self.engine.commit_lock:
            try:
                for c in writing.values():
                    if c.capture is not None:
                        payload = c.capture.changeset()
                        c.capture.close()
                        c.capture = None
                        if payload:
                            changes.append(Change("changeset", c.db.name, payload))
                    c.conn.execute("COMMIT").fetchall()
                    c.in_write = False
            finally:
                self.explicit_transaction = False
                self._savepoints.clear()
                self.engine.locks.release_all(self)
            if changes:
                waiter = self._publish(changes)
        if waiter is not None:
            waiter()

    def _publish(self, changes: list[Change]) -> Callable[[], None] | None:
        """Tell the commit listeners (the caller holds the engine's commit lock); what to wait on after."""
        commits = self.engine.commits
        for listener in commits.listeners:
            listener(changes)
        if commits.hook is not None:
            return commits.hook(changes)
        return None

    def _rollback_all(self) -> None:
        writing, self._writing = self._writing, {}
        for c in writing.values():
            if c.capture is not None:
                c.capture.close()
                c.capture = None
            with contextlib.suppress(apsw.Error):
                c.conn.execute("ROLLBACK").fetchall()
            c.in_write = False
        self.explicit_transaction = False
        self._savepoints.clear()
        self.engine.locks.release_all(self)

    def _implicit_commit(self) -> None:
        if self._writing or self.explicit_transaction:
            self.commit()

    def _do_begin(self, plan: Plan) -> Result:
        self._implicit_commit()
        self.explicit_transaction = True
        return _OK

    def _do_commit(self, plan: Plan) -> Result:
        self.commit()
        return _OK

    def _do_rollback(self, plan: Plan) -> Result:
        self._rollback_all()
        return _OK

    def _do_savepoint(self, plan: Plan) -> Result:
        name = plan.fields["name"]
        for c in self._writing.values():
            c.conn.execute("SAVEPOINT " + _quote(name)).fetchall()
        self._savepoints.append(name.lower())
        return _OK

    def _do_release(self, plan: Plan) -> Result:
        return self._savepoint_op(plan.fields["name"], "RELEASE SAVEPOINT ")

    def _do_rollback_to(self, plan: Plan) -> Result:
        return self._savepoint_op(plan.fields["name"], "ROLLBACK TO SAVEPOINT ")

    def _savepoint_op(self, name: str, verb: str) -> Result:
        if name.lower() not in self._savepoints:
            raise SQLError(1305, f"SAVEPOINT {name} does not exist", "42000")
        for c in self._writing.values():
            with contextlib.suppress(apsw.SQLError):  # a database first written after the savepoint
                c.conn.execute(verb + _quote(name)).fetchall()
        if verb.startswith("RELEASE"):
            self._savepoints = self._savepoints[: self._savepoints.index(name.lower())]
        return _OK

    def _do_set_transaction(self, plan: Plan) -> Result:
        return _OK

    # -- other statements -----------------------------------------------------------------------

    def _do_empty(self, plan: Plan) -> Result:
        raise SQLError(1065, "Query was empty", "42000")

    def _do_noop(self, plan: Plan) -> Result:
        return _OK

    def _do_use(self, plan: Plan) -> Result:
        name = plan.fields["db"]
        db = self.engine.storage.get(name)
        if db is None:
            raise unknown_database(name)
        self.database = db.name
        return _OK

    def use(self, name: str) -> None:
        """Select the current database (COM_INIT_DB, and the database named at connect)."""
        self._do_use(Plan("use", fields={"db": name}))

    def _do_set(self, plan: Plan) -> Result:
        for scope, name, value in plan.fields["assignments"]:
            if value[0] == "word":
                resolved: Any = value[1]
                if resolved.upper() == "DEFAULT" and name.startswith("@@"):
                    var = self.engine.variables.get(name[2:].lower())
                    if var is None:
                        raise unknown_variable(name[2:])
                    resolved = var.default
            else:
                sql, var_params = value[1], value[2]
                bindings = {key: self._lookup_ref(ref) for key, ref in var_params} or None
                c = self._scratch_conn()
                try:
                    resolved = c.query_cursor.execute(sql, bindings).fetchall()[0][0]
                except apsw.Error as e:
                    raise self._error(e, None, None, None) from None
            if name.startswith("@@"):
                var_name = name[2:]
                if var_name.lower() == "autocommit" and scope != "global":
                    new = bool(self.engine.variables["autocommit"].convert("autocommit", resolved))
                    if new and not self.autocommit:
                        self._implicit_commit()  # MySQL commits when autocommit turns on
                self.set_variable(var_name, resolved, scope)
            else:
                self.user_vars[name[1:].lower()] = resolved
        return _OK

    def _do_create_database(self, plan: Plan) -> Result:
        self._implicit_commit()
        name = plan.fields["db"]
        self.engine.check_writable(name)
        from ._engine import Change

        waiter = None
        with self.engine.commit_lock:  # created and published in commit order
            db = self.engine.create_database(name, if_not_exists=plan.fields["if_not_exists"])
            if db is not None:
                waiter = self._publish([Change("create_database", db.name)])
        if db is None:
            return Result(warnings=1)
        if waiter is not None:
            waiter()
        return Result(affected_rows=1)

    def _do_drop_database(self, plan: Plan) -> Result:
        self._implicit_commit()
        name = plan.fields["db"]
        self.engine.check_writable(name)
        db = self.engine.storage.get(name)
        tables = 0
        if db is not None:
            self.engine.locks.acquire(db.name.lower(), self, float(self.get_variable("innodb_lock_wait_timeout")))
            with db.lock:
                tables = len(list(db.anchor.execute(
                    "SELECT 1 FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%'")))
        from ._engine import Change

        waiter = None
        try:
            with self.engine.commit_lock:  # dropped and published in commit order
                dropped = self.engine.drop_database(name, if_exists=plan.fields["if_exists"])
                if dropped:
                    waiter = self._publish([Change("drop_database", db.name if db else name)])
        finally:
            self.engine.locks.release_all(self)
        if not dropped:
            return Result(warnings=1)
        if waiter is not None:
            waiter()
        return Result(affected_rows=tables)

    def _do_ddl(self, plan: Plan) -> Result:
        self._implicit_commit()
        dbname = self._resolve(plan.write_db)
        self.engine.check_writable(dbname)
        c = self._begin_write(dbname)
        if c.capture is not None:  # DDL replicates as statements, not as row changes
            c.capture.close()
            c.capture = None
        statements = (plan.sql, *plan.extra)
        if plan.fields.get("truncate") and not c.conn.execute(
                "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").fetchall():
            statements = (plan.sql,)  # no AUTO_INCREMENT table yet: no counter to reset
        try:
            for stmt in statements:
                c.cursor.execute(stmt).fetchall()
        except apsw.Error as e:
            self._rollback_all()
            if plan.ddl_if and "already exists" in str(e):
                return Result(warnings=1)
            raise self._error(e, plan, dbname, None) from None
        c.db.schema_version += 1
        c.db._meta.clear()
        from ._engine import Change

        self._ddl_changes.append(Change("ddl", c.db.name, statements))
        copied = 0
        if plan.fields.get("ctas"):  # CREATE TABLE ... AS SELECT reports the rows it copied
            count = c.cursor.execute(f"SELECT COUNT(*) FROM {_quote(plan.ddl_table or '')}").fetchall()[0][0]
            copied = count if isinstance(count, int) else 0
        self.commit()
        return Result(affected_rows=copied) if copied else _OK

    def _do_drop_table(self, plan: Plan) -> Result:
        fields = plan.fields
        tables: list[str] = fields["tables"]
        self._implicit_commit()
        dbname = self._resolve(plan.write_db)
        self.engine.check_writable(dbname)
        c = self._begin_write(dbname)
        existing = {n.lower(): n for (n,) in c.conn.execute(
            "SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%'")}
        missing = [t for t in tables if t.lower() not in existing]
        kind = "VIEW" if fields["view"] else "TABLE"
        statements = tuple(f"DROP {kind} {_quote(existing[t.lower()])}" for t in tables if t.lower() in existing)
        if not statements:
            self._rollback_all()
        else:
            result = self._do_ddl(Plan("ddl", sql=statements[0], extra=statements[1:], write_db=dbname))
        if missing and not fields["if_exists"]:
            # MariaDB drops the tables that exist, then reports the ones that did not.
            raise SQLError(ER_BAD_TABLE, "Unknown table '" + ",".join(f"{dbname}.{t}" for t in missing) + "'")
        return result if statements else Result(warnings=len(missing))

    def _do_create_like(self, plan: Plan) -> Result:
        dbname = self._resolve(plan.write_db)
        source_db = self._resolve(plan.fields["source_db"])
        source = self._conn(source_db).conn
        rows = list(source.execute("SELECT type, sql FROM sqlite_schema WHERE tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL",
                                   (plan.fields["source"],)))
        if not rows:
            raise SQLError(ER_NO_SUCH_TABLE, f"Table '{source_db}.{plan.fields['source']}' doesn't exist")
        src, new = plan.fields["source"], plan.ddl_table or ""
        statements = []
        for kind, sql in sorted(rows, key=lambda r: r[0] != "table"):
            text = re.sub(r'(?i)^(CREATE (?:UNIQUE )?(?:TABLE|INDEX) )(?:IF NOT EXISTS )?', r"\1", sql)
            text = text.replace(f'"{src}.', f'"{new}.').replace(f'"{src}"', _quote(new), 1 if kind == "table" else 2)
            if kind == "index":
                text = re.sub(r'ON "[^"]*"', "ON " + _quote(new), text)
            statements.append(text)
        return self._do_ddl(Plan("ddl", sql=statements[0], extra=tuple(statements[1:]), write_db=dbname,
                                       ddl_if=plan.ddl_if))

    def _do_show(self, plan: Plan) -> Result:
        from . import _infoschema

        return _infoschema.show(self, plan)

    def _do_call(self, plan: Plan) -> Result:
        name = plan.fields["name"].lower()
        proc = self.engine.procedures.get(name)
        if proc is None:
            if self.database is None:
                raise no_database()
            raise SQLError(ER_SP_DOES_NOT_EXIST, f"PROCEDURE {self.database}.{plan.fields['name']} does not exist")
        args_sql = plan.fields["args"].strip()
        args: list[Any] = []
        if args_sql:
            import sqlglot

            from ._translate import _bind_variables, _to_sqlite

            try:
                tree = sqlglot.parse_one("SELECT " + args_sql, read="mysql")
            except sqlglot.errors.ParseError:
                raise syntax_error(args_sql) from None
            var_params = _bind_variables(tree)
            bindings = {key: self._lookup_ref(ref) for key, ref in var_params} or None
            args = list(self._scratch_conn().query_cursor.execute(_to_sqlite(tree), bindings).fetchall()[0])
        return proc(self, args)

    # -- errors ---------------------------------------------------------------------------------

    def _error(self, e: apsw.Error, plan: Plan | None, dbname: str | None, params: list[Any] | None) -> SQLError:
        return sqlite_error(e, plan, dbname, params, self)

    def close(self) -> None:
        """End the session: roll back what it did not commit, close its connections."""
        if self.closed:
            return
        self.closed = True
        self._rollback_all()
        for c in self._conns.values():
            _close_conn(c)
        self._conns.clear()
        if self._scratch is not None:
            _close_conn(self._scratch)
            self._scratch = None
        self.engine.forget_session(self)


def _table_in_unknown_database(plan: Plan, error: SQLError) -> SQLError:
    """A table named with an unknown database does not exist (1146), as MySQL reports it."""
    if error.code == ER_BAD_DB:
        for db, table in plan.qualified:
            if f"'{db}'".lower() in error.message.lower():
                return SQLError(ER_NO_SUCH_TABLE, f"Table '{db}.{table}' doesn't exist")
    return error


def _as_bytes(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (int, float)):
        return str(value).encode()
    return value


def _close_conn(c: _Conn) -> None:
    with contextlib.suppress(apsw.Error):
        if c.capture is not None:
            c.capture.close()
        c.conn.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_columns(c: _Conn, table: str) -> tuple[str, ...]:
    """A table's column names (lower case), in order."""
    key = ("columns", table.lower())
    meta = c.db._meta
    found = meta.get(key)  # type: ignore[call-overload]
    if found is None:
        found = tuple(r[1].lower() for r in c.conn.execute(f"PRAGMA table_info({_quote(table)})"))
        meta[key] = found  # type: ignore[index]
    return found  # type: ignore[no-any-return]


def _count_replaced_rows(c: _Conn, table: str) -> None:
    """Make the rows a REPLACE deletes call APP_REPLACED (see Session._extra_affected_rows).

    SQLite deletes them without counting them in changes(); a delete trigger sees them when
    recursive triggers are on. The trigger is TEMP: this connection's own, not part of the schema.
    """
    if not c.recursive_triggers:
        c.conn.execute("PRAGMA recursive_triggers = ON").fetchall()
        c.recursive_triggers = True
    name = _quote(f"app_replaced_{table.lower()}")
    c.conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER DELETE ON main.{_quote(table)} "
                   "BEGIN SELECT APP_REPLACED(); END").fetchall()


def _auto_increment_column(c: _Conn, table: str) -> str | None:
    key = ("auto", table.lower())
    meta = c.db._meta if c.db is not None else {}
    if key in meta:
        return meta[key]  # type: ignore[no-any-return]
    row = c.conn.execute(
        "SELECT sql FROM sqlite_schema WHERE type='table' AND name = ? COLLATE NOCASE", (table,)
    ).fetchall()
    found = None
    if row and row[0][0]:
        m = re.search(r'"((?:[^"]|"")+)" INTEGER PRIMARY KEY AUTOINCREMENT', row[0][0])
        if m:
            found = m.group(1).replace('""', '"').lower()
    meta[key] = found
    return found


_NO_TABLE: Final = re.compile(r"no such table: (?:(\w+)\.)?(.+)")
_NO_COLUMN: Final = re.compile(r"no such column: (.+)|table \S+ has no column named (.+)")
_EXISTS: Final = re.compile(r'(?:table|view|index) "?([^"]+)"? already exists')
_RENAME_EXISTS: Final = re.compile(r"there is already another table or index with this name: (.+)")
_DUP_COLUMN: Final = re.compile(r"duplicate column name: (.+)")
_UNIQUE: Final = re.compile(r"UNIQUE constraint failed: (.+)")
_NOT_NULL: Final = re.compile(r"NOT NULL constraint failed: [^.]+\.(.+)")
_STRICT: Final = re.compile(r"CHECK constraint failed: app_(len|range)_(.+)")
_COUNT_MISMATCH: Final = re.compile(r"table \S+ has \d+ columns but \d+ values were supplied|\d+ values for \d+ columns")
_NO_FUNCTION: Final = re.compile(r"no such function: (\w+)")
_NEAR: Final = re.compile(r'near "(.*)": syntax error')


def sqlite_error(e: apsw.Error, plan: Plan | None, dbname: str | None, params: list[Any] | None,
                 session: Session | None = None) -> SQLError:
    """The MySQL error for an SQLite error, with MySQL's number, SQLSTATE and wording."""
    # apsw prefixes SQLite's message with its class name ("SQLError: no such table: t").
    msg = str(e)
    prefix = type(e).__name__ + ": "
    if msg.startswith(prefix):
        msg = msg[len(prefix):]
    if m := _NO_TABLE.search(msg):
        schema = m.group(1) if m.group(1) and m.group(1) != "main" else dbname
        return SQLError(ER_NO_SUCH_TABLE, f"Table '{schema}.{m.group(2)}' doesn't exist")
    if m := _NO_COLUMN.search(msg):
        return SQLError(ER_BAD_FIELD, f"Unknown column '{m.group(1) or m.group(2)}' in 'field list'")
    if m := _RENAME_EXISTS.search(msg):
        return SQLError(ER_TABLE_EXISTS, f"Table '{m.group(1)}' already exists")
    if m := _DUP_COLUMN.search(msg):
        return SQLError(1060, f"Duplicate column name '{m.group(1)}'", "42S21")
    if m := _EXISTS.search(msg):
        name = m.group(1).split(".", 1)[-1] if "index" in msg else m.group(1)
        if "index" in msg:
            return SQLError(1061, f"Duplicate key name '{name}'", "42000")
        return SQLError(ER_TABLE_EXISTS, f"Table '{name}' already exists")
    if m := _UNIQUE.search(msg):
        return _duplicate_entry(m.group(1), plan, params, session, dbname)
    if m := _NOT_NULL.search(msg):
        column = m.group(1)
        if plan is not None and plan.insert_columns is not None and column.lower() not in plan.insert_columns:
            return SQLError(1364, f"Field '{column}' doesn't have a default value", "HY000")
        return SQLError(ER_BAD_NULL, f"Column '{column}' cannot be null")
    if m := _STRICT.search(msg):
        column = m.group(2)
        row = _offending_row(plan, params, column, session, dbname, m.group(1))
        if m.group(1) == "len":
            return SQLError(1406, f"Data too long for column '{column}' at row {row}", "22001")
        return SQLError(1264, f"Out of range value for column '{column}' at row {row}", "22003")
    if m := _COUNT_MISMATCH.search(msg):
        return SQLError(1136, "Column count doesn't match value count at row 1", "21S01")
    if "FOREIGN KEY constraint failed" in msg:
        if plan is not None and plan.sql.lstrip().upper().startswith(("DELETE", "UPDATE")) and "DELETE" in plan.sql.upper()[:10]:
            return SQLError(1451, "Cannot delete or update a parent row: a foreign key constraint fails", "23000")
        return SQLError(1452, "Cannot add or update a child row: a foreign key constraint fails", "23000")
    if "CHECK constraint failed" in msg:
        return SQLError(ER_CHECK_CONSTRAINT, f"CONSTRAINT failed: {msg.split(': ', 1)[-1]}")
    if m := _NO_FUNCTION.search(msg):
        return SQLError(ER_SP_DOES_NOT_EXIST, f"FUNCTION {m.group(1)} does not exist")
    if m := _NEAR.search(msg):
        return syntax_error(m.group(1))
    if "no such index" in msg:
        return SQLError(1091, f"Can't DROP INDEX; check that it exists ({msg})", "42000")
    if isinstance(e, apsw.BusyError):
        return SQLError(ER_LOCK_WAIT_TIMEOUT, "Lock wait timeout exceeded; try restarting transaction")
    if "unknown database" in msg:
        return SQLError(ER_BAD_DB, f"Unknown database '{msg.rsplit(' ', 1)[-1]}'")
    if isinstance(e, apsw.TooBigError):
        return SQLError(1153, "Got a packet bigger than 'max_allowed_packet' bytes", "08S01")
    return SQLError(ER_UNKNOWN, msg)


_UNKNOWN: Final = object()


def _offending_row(plan: Plan | None, params: list[Any] | None, column: str, session: Session | None,
                   dbname: str | None, kind: str) -> int:
    """The 1-based row of an INSERT ... VALUES whose value for `column` broke a strict-mode check
    (1 when the statement does not say)."""
    if plan is None or session is None or dbname is None or plan.insert_table is None:
        return 1
    rows = plan.fields.get("values")
    if not rows:
        return 1
    with contextlib.suppress(Exception):
        c = session._conn(dbname)
        columns = plan.insert_columns if plan.insert_columns is not None else _table_columns(c, plan.insert_table)
        position = columns.index(column.lower())
        decl = {r[1].lower(): r[2] for r in c.conn.execute(f"PRAGMA table_info({_quote(plan.insert_table)})")}
        check = _statements.strict_check(column, (decl.get(column.lower()) or "").lower())
        probe = "SELECT " + check.split(" CHECK ", 1)[1].replace(_quote(column), "?", )
        for i, row in enumerate(rows, 1):
            cell = row[position] if position < len(row) else None
            if cell is None:
                continue
            value = (params[cell[1]] if params is not None and cell[1] < len(params) else None) \
                if cell[0] == "p" else cell[1]
            if value is not None and not c.conn.execute(probe, (value,) * probe.count("?")).fetchall()[0][0]:
                return i
    return 1


def _duplicate_value(cols: list[str], table: str, plan: Plan, params: list[Any] | None,
                     c: _Conn) -> tuple[Any, ...] | None:
    """The key value that a failed INSERT or UPDATE duplicated, when its statement says it.

    The statement has been undone: of the rows it would have inserted, the duplicate is the first
    whose key is already in the table or in an earlier row of the same statement.
    """
    def value(cell: tuple[str, Any] | None) -> Any:
        if cell is None:
            return _UNKNOWN
        if cell[0] == "p":
            return params[cell[1]] if params is not None and cell[1] < len(params) else _UNKNOWN
        return cell[1]

    keys = [k.lower() for k in cols]
    assigned = plan.fields.get("set")
    if assigned is not None:
        found = tuple(value(assigned.get(k)) for k in keys)
        return None if _UNKNOWN in found else found
    rows = plan.fields.get("values")
    if not rows or plan.insert_table is None:
        return None
    columns = plan.insert_columns if plan.insert_columns is not None else _table_columns(c, plan.insert_table)
    if any(k not in columns for k in keys):
        return None
    positions = [columns.index(k) for k in keys]
    candidates = [tuple(value(row[p]) if p < len(row) else _UNKNOWN for p in positions) for row in rows]
    if len(candidates) == 1:
        return None if _UNKNOWN in candidates[0] else candidates[0]
    where = " AND ".join(f"{_quote(k)} = ?" for k in keys)
    seen: set[tuple[Any, ...]] = set()
    for cand in candidates:
        if _UNKNOWN in cand:
            return None
        folded = tuple(v.lower() if isinstance(v, str) else v for v in cand)
        if folded in seen or c.conn.execute(f"SELECT 1 FROM {_quote(table)} WHERE {where}", cand).fetchall():
            return cand
        seen.add(folded)
    return None


def _duplicate_entry(columns_text: str, plan: Plan | None, params: list[Any] | None, session: Session | None,
                     dbname: str | None) -> SQLError:
    """1062, naming the key as MySQL does (PRIMARY, or the index name) and, when known, the value."""
    cols = [c.split(".", 1)[-1] for c in columns_text.split(", ")]
    table = columns_text.split(".", 1)[0]
    key = "PRIMARY"
    if session is not None and dbname is not None:
        with contextlib.suppress(Exception):
            c = session._conn(dbname)
            for _, name, unique, origin, _ in c.conn.execute(f"PRAGMA index_list({_quote(table)})"):
                if not unique:
                    continue
                icols = [r[2] for r in c.conn.execute(f"PRAGMA index_info({_quote(name)})")]
                if [x.lower() for x in icols] == [x.lower() for x in cols]:
                    key = "PRIMARY" if origin == "pk" else name.split(".", 1)[-1]
                    break
    value = "?"
    if plan is not None and session is not None and dbname is not None:
        with contextlib.suppress(Exception):
            found = _duplicate_value(cols, table, plan, params, session._conn(dbname))
            if found is not None:
                value = "-".join("NULL" if v is None else str(v) for v in found)
    return SQLError(ER_DUP_ENTRY, f"Duplicate entry '{value}' for key '{key}'")

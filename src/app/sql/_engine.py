"""The SQL engine of a node: databases, sessions, locks, variables and commit hooks."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from ._errors import ER_DB_CREATE_EXISTS, ER_DB_DROP_EXISTS, SQLError, read_only
from ._locks import LockManager
from ._storage import Database, Storage
from ._translate import Translator
from ._variables import Variable, default_variables, unknown_variable

if TYPE_CHECKING:
    from ._session import Result, Session

VERSION = "8.0.36-app"

# Runs on the calling session's thread and may block it (a cluster role change waits for standbys).
Procedure = Callable[["Session", list[Any]], "Result"]


@dataclass(frozen=True, slots=True)
class Change:
    """One committed change to replicate, in commit order.

    kind: "changeset" (SQLite session changeset of row changes), "ddl" (statements
    to run), "create_database" or "drop_database".
    """

    kind: Literal["changeset", "ddl", "create_database", "drop_database"]
    database: str
    payload: bytes | tuple[str, ...] = b""


@dataclass(frozen=True, slots=True)
class VirtualTable:
    """A read-only table materialised per query from node state (e.g. app_cluster.app_cluster_status).

    ddl: a SQLite CREATE TABLE whose declared types are MySQL types (they type the result);
    rows: returns the current rows.
    """

    name: str
    ddl: str
    rows: Callable[[], list[tuple[Any, ...]]]


# Called in commit order with the engine's commit lock held, so it must not block; it may return a
# function that blocks until the commit is acknowledged, which the committing thread calls once it
# released the lock (a primary waiting for its standbys' acks).
CommitHook = Callable[[list[Change]], Callable[[], None] | None]


@dataclass(slots=True)
class CommitListenerSet:
    """Who hears of commits: `capture` turns on changeset recording (costly, so off by default).

    `hook` and `listeners` are called in commit order, with `Engine.commit_lock` held.
    """

    capture: bool = False
    hook: CommitHook | None = None
    listeners: list[Callable[[list[Change]], None]] = field(default_factory=list)


class Engine:
    """Node-wide SQL state shared by every session.

    Args:
        storage: where the databases live.
        clock: the time NOW() reads (tests may pin it).
    """

    def __init__(self, storage: Storage, *, clock: Callable[[], datetime] = datetime.now) -> None:
        self.storage = storage
        self.clock = clock
        self.version = VERSION
        self.translator = Translator()
        self.locks = LockManager()
        self.variables: dict[str, Variable] = default_variables(VERSION)
        self.globals: dict[str, Any] = {name: v.default for name, v in self.variables.items()}
        self.procedures: dict[str, Procedure] = {}
        self.commits = CommitListenerSet()
        # Held from a transaction's SQLite COMMIT until its changes are published, so that the
        # published order is the commit order; a snapshot taken under it matches a log position.
        self.commit_lock = threading.Lock()
        # Returns the reason writes are refused (a standby, a broken cluster), or None.
        self.write_guard: Callable[[str], str | None] | None = None
        self.sessions: dict[int, Session] = {}
        self.virtual_tables: dict[str, dict[str, VirtualTable]] = {}
        self._ids = itertools.count(1)

    def add_virtual_table(self, schema: str, table: VirtualTable) -> None:
        """Serve `schema.table` from `table.rows()`; queries on it are read-only."""
        self.virtual_tables.setdefault(schema.lower(), {})[table.name.lower()] = table
        self.translator.virtual_schemas.add(schema.lower())

    # -- sessions -------------------------------------------------------------------------------

    def new_session(self, user: str = "root", host: str = "localhost") -> Session:
        from ._session import Session

        session = Session(self, next(self._ids), user, host)
        self.sessions[session.connection_id] = session
        return session

    def forget_session(self, session: Session) -> None:
        self.sessions.pop(session.connection_id, None)

    # -- variables ------------------------------------------------------------------------------

    def define_variable(self, var: Variable) -> None:
        """Add a system variable (the server defines the cluster ones)."""
        self.variables[var.name] = var
        self.globals.setdefault(var.name, var.default)

    def get_global(self, name: str) -> Any:
        var = self.variables.get(name.lower())
        if var is None:
            raise unknown_variable(name)
        if var.getter is not None:
            return var.getter()
        return self.globals[var.name]

    def set_global(self, name: str, value: Any) -> None:
        var = self.variables.get(name.lower())
        if var is None:
            raise unknown_variable(name)
        if var.read_only:
            raise SQLError(1238, f"Variable '{var.name}' is a read only variable")
        if var.scope == "session":
            raise SQLError(1228, f"Variable '{var.name}' is a SESSION variable and can't be used with SET GLOBAL")
        converted = var.convert(var.name, value)
        if var.on_set is not None:
            var.on_set(converted)
        self.globals[var.name] = converted

    # -- databases ------------------------------------------------------------------------------

    def check_writable(self, database: str) -> None:
        if self.write_guard is not None:
            reason = self.write_guard(database)
            if reason is not None:
                raise read_only(database) if reason == "read-only" else SQLError(1290, reason)

    def create_database(self, name: str, *, if_not_exists: bool = False) -> Database | None:
        if name.lower() in ("information_schema", "mysql", "performance_schema", "sys"):
            raise SQLError(ER_DB_CREATE_EXISTS, f"Can't create database '{name}'; database exists")
        _check_name(name)
        if self.storage.get(name) is not None:
            if if_not_exists:
                return None
            raise SQLError(ER_DB_CREATE_EXISTS, f"Can't create database '{name}'; database exists")
        return self.storage.create(name)

    def drop_database(self, name: str, *, if_exists: bool = False) -> bool:
        db = self.storage.get(name)
        if db is None:
            if if_exists:
                return False
            raise SQLError(ER_DB_DROP_EXISTS, f"Can't drop database '{name}'; database doesn't exist")
        for session in list(self.sessions.values()):
            session.forget_database(db)
        self.storage.drop(db.name)
        return True

    def close(self, *, close_storage: bool = True) -> None:
        """End every session (rolling back what they did not commit) and close the storage."""
        for session in list(self.sessions.values()):
            session.close()
        if close_storage:
            self.storage.close()


def _check_name(name: str) -> None:
    if not name or len(name) > 64 or name != name.rstrip() or "/" in name or "\\" in name or "." in name:
        raise SQLError(1102, f"Incorrect database name '{name}'", "42000")

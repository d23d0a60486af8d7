"""The SQL engine of a node: what every session shares (catalog, translator, locks, variables,
procedures, commit listeners), and the sessions themselves."""

from __future__ import annotations

import itertools
import json
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final, final

from ._accounts import AccountStore
from ._catalog import Catalog, VirtualTable
from ._commits import Change, CommitHook, CommitListenerSet
from ._functions import NamedLocks
from ._locks import LockManager
from ._mysqlschema import SCHEMA as MYSQL_SCHEMA
from ._mysqlschema import tables as mysql_tables
from ._session import Session
from ._state import Procedure, ProcessList
from ._statements._spstore import unwatch_functions, watch_functions
from ._storage import Database, Storage
from ._translator import Translator
from ._variables import GlobalVariables, Variable

VERSION: Final = "8.0.36-app"
# Python frames a statement may use: sqlglot parses and writes an expression recursively, some 30 frames
# a level, so Python's default (1000) refused HEX() nested 45 deep, which MariaDB runs. Python 3.11 keeps
# Python-to-Python calls off the C stack, so this costs no thread stack; deeper still is 1436, as MariaDB's
# own limit is (see `Session.execute`).
PYTHON_DEPTH: Final = 6000

__all__ = ["VERSION", "Change", "CommitHook", "CommitListenerSet", "Engine", "Procedure", "VirtualTable"]


@final
class Engine:
    """Node-wide SQL state shared by every session.

    Args:
        storage: where the databases live.
        clock: the time NOW() reads (tests may pin it).
    """

    def __init__(self, storage: Storage, *, clock: Callable[[], datetime] = datetime.now) -> None:
        if sys.getrecursionlimit() < PYTHON_DEPTH:
            sys.setrecursionlimit(PYTHON_DEPTH)
        self.storage = storage
        self.clock = clock
        self.version = VERSION
        self.catalog = Catalog(storage)
        watch_functions(self.catalog)  # its stored functions are callable by name
        # Accounts live beside the databases (in memory for in-memory storage).
        self.accounts = AccountStore(None if storage.in_memory else storage.directory)
        self.translator = Translator()
        self.locks = LockManager()
        self.global_variables = GlobalVariables(VERSION)
        self.procedures: dict[str, Procedure] = {}
        self.named_locks = NamedLocks()  # GET_LOCK's
        self.commits = CommitListenerSet()
        self.processes = ProcessList()
        self.sessions: dict[int, Session] = {}
        self._ids = itertools.count(1)
        self.accounts.listeners.append(self._publish_accounts)
        for table in mysql_tables(self.accounts):
            self.add_virtual_table(MYSQL_SCHEMA, table)

    # -- what the server configures -------------------------------------------------------------

    @property
    def commit_lock(self) -> threading.Lock:
        """Held from a transaction's SQLite COMMIT until its changes are published, so that the
        published order is the commit order; a snapshot taken under it matches a log position."""
        return self.commits.lock

    @property
    def write_guard(self) -> Callable[[str], str | None] | None:
        """Returns the reason writes to a database are refused (a standby, a broken cluster), or None."""
        return self.catalog.write_guard

    @write_guard.setter
    def write_guard(self, guard: Callable[[str], str | None] | None) -> None:
        self.catalog.write_guard = guard

    @property
    def variables(self) -> dict[str, Variable]:
        """The system variables' definitions, by name."""
        return self.global_variables.definitions

    @property
    def globals(self) -> dict[str, Any]:
        """The system variables' global values, by name."""
        return self.global_variables.values

    def add_virtual_table(self, schema: str, table: VirtualTable) -> None:
        """Serve `schema.table` from `table.rows()`; queries on it are read-only."""
        self.catalog.virtual_tables.setdefault(schema.lower(), {})[table.name.lower()] = table
        self.translator.add_virtual_schema(schema)

    def define_variable(self, var: Variable) -> None:
        """Add a system variable (the server defines the cluster ones)."""
        self.global_variables.define(var)

    def _publish_accounts(self, state: dict[str, Any]) -> None:
        """Accounts changed: replicate them as one change in commit order (every account, so that a
        standby's copy is the primary's whatever it missed)."""
        change = Change("accounts", "", json.dumps(state, separators=(",", ":")).encode())
        with self.commits.lock:
            wait = self.commits.publish([change])
        if wait is not None:
            wait()

    # -- sessions -------------------------------------------------------------------------------

    def new_session(self, user: str = "root", host: str = "localhost") -> Session:
        session = Session(self, next(self._ids), user, host)
        self.sessions[session.connection_id] = session
        self.processes.add(session.state)
        self.catalog.watch(session.connection_id, session.forget_database)
        return session

    def forget_session(self, session: Session) -> None:
        self.sessions.pop(session.connection_id, None)
        self.processes.remove(session.state)
        self.catalog.unwatch(session.connection_id)

    # -- databases ------------------------------------------------------------------------------

    def check_writable(self, database: str) -> None:
        self.catalog.check_writable(database)

    def create_database(self, name: str, *, if_not_exists: bool = False) -> Database | None:
        return self.catalog.create_database(name, if_not_exists=if_not_exists)

    def drop_database(self, name: str, *, if_exists: bool = False) -> bool:
        return self.catalog.drop_database(name, if_exists=if_exists) is not None

    def close(self, *, close_storage: bool = True) -> None:
        """End every session (rolling back what they did not commit) and close the storage."""
        unwatch_functions(self.catalog)
        for session in list(self.sessions.values()):
            session.close()
        if close_storage:
            self.storage.close()

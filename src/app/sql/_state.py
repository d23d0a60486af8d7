"""A session's identity and what its statements leave behind: what session functions read."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, final

from ._diagnostics import Diagnostics
from ._errors import ER_SP_DOES_NOT_EXIST, SQLError, no_database
from ._results import Result


@final
@dataclass(eq=False, slots=True)
class DmlCounts:
    """What the running INSERT counts beyond SQLite's changes() (`_functions.DmlCounts`)."""

    upsert_updated: int = 0
    upsert_same: int = 0
    upsert_rowid: int = 0
    replaced: int = 0

    def reset(self) -> None:
        self.upsert_updated = self.upsert_same = self.upsert_rowid = self.replaced = 0


@final
class SessionState:
    """Who the session is (id, user, current database) and its statement counters.

    It is the `FunctionContext` of the session's SQLite connections: DATABASE(), LAST_INSERT_ID(),
    NOW() and the like read it.
    """

    def __init__(self, connection_id: int, user: str, host: str, version: str,
                 clock: Callable[[], datetime]) -> None:
        self.connection_id = connection_id
        self.user = user
        self.host = host
        # The account the session authenticated as (CURRENT_USER()); the server's own sessions: user@%.
        self.priv_user = user
        self.priv_host = "%"
        self.version = version
        self.database: str | None = None
        self.last_insert_id = 0
        self.row_count = -1
        self.found_rows = 0
        # A function result longer than this is NULL with warning 1301 (REPEAT, LPAD, ...); the server
        # sets it at connect from @@max_allowed_packet, as MariaDB reads it.
        self.max_allowed_packet = 16777216
        # The client's CLIENT_FOUND_ROWS flag: UPDATE reports matched rather than changed rows.
        self.client_found_rows = False
        # The statement running now (SHOW PROCESSLIST's Command and Info), None between statements.
        self.current_statement: str | None = None
        # When the running statement began, or the last one ended (the processlist's Time).
        self.since = time.monotonic()
        self.dml = DmlCounts()
        self.user_variables: dict[str, Any] = {}  # @name (lower case) -> value
        # SET timestamp = N: the time NOW() answers, until it is set to 0 or DEFAULT.
        self.fixed_time: datetime | None = None
        # @@time_zone as NOW(), FROM_UNIXTIME and UNIX_TIMESTAMP read it (None: SYSTEM, the machine's).
        self.time_zone: tzinfo | None = None
        self.diagnostics = Diagnostics()  # what SHOW WARNINGS and @@warning_count read
        # Status variables the server knows of the connection (its TLS: Ssl_version, Ssl_cipher, ...),
        # which SHOW STATUS shows beside the engine's own.
        self.connection_status: dict[str, str] = {}
        self._clock = clock
        self._now: datetime | None = None
        # Runs a stored function of the current database (the session sets it; see `_functions`).
        self.call_stored_function: Callable[[str, list[Any]], Any] = _no_stored_functions
        self.triggers: Any = None  # the session's stored triggers (`_statements._sptrig.Triggers`)
        self.named_locks: Any = None  # the node's GET_LOCK locks (`_functions.NamedLocks`; the session sets it)
        self.stopping: Callable[[], bool] = lambda: False  # the running statement was asked to stop

    def start_statement(self, sql: str) -> None:
        """A statement begins: it gets its own NOW()."""
        self._now = None
        self.current_statement = sql
        self.since = time.monotonic()

    def end_statement(self) -> None:
        self.current_statement = None
        self.since = time.monotonic()

    def process_row(self, full: bool) -> tuple[Any, ...]:
        """This session as SHOW [FULL] PROCESSLIST shows it (Info cut at 100 characters without FULL)."""
        info = self.current_statement
        if info is not None and not full:
            info = info[:100]
        return (self.connection_id, self.user, self.host, self.database,
                "Sleep" if info is None else "Query", int(time.monotonic() - self.since), "", info)

    def statement_time(self) -> datetime:
        """The running statement's time (MySQL evaluates NOW() once per statement)."""
        if self._now is None:
            self._now = self.fixed_time or self._clock()
        return self._now

    def resolve(self, database: str | None) -> str:
        """The database a statement names, or the current one (1046 when there is none)."""
        if database is not None:
            return database
        if self.database is None:
            raise no_database()
        return self.database


def _no_stored_functions(name: str, args: list[Any]) -> Any:
    raise SQLError(ER_SP_DOES_NOT_EXIST, f"FUNCTION {name} does not exist")


@final
class ProcessList:
    """The node's sessions, as SHOW PROCESSLIST lists them."""

    def __init__(self) -> None:
        self._states: dict[int, SessionState] = {}

    def add(self, state: SessionState) -> None:
        self._states[state.connection_id] = state

    def remove(self, state: SessionState) -> None:
        self._states.pop(state.connection_id, None)

    def states(self) -> list[SessionState]:
        """The sessions now, in the order they connected."""
        return list(self._states.values())

    def __len__(self) -> int:
        return len(self._states)


# A stored procedure the server provides (CALL app_assume_cluster_role(...)): called with the
# calling session and the arguments; runs on the session's thread and may block it.
Procedure = Callable[[Any, list[Any]], Result]


@final
class Procedures:
    """The node's procedures as one session's CALL sees them: bound to that session."""

    def __init__(self, procedures: dict[str, Procedure], caller: object) -> None:
        self._procedures = procedures
        self._caller = caller

    def get(self, name: str) -> Callable[[list[Any]], Result] | None:
        proc = self._procedures.get(name.lower())
        if proc is None:
            return None
        caller = self._caller
        return lambda args: proc(caller, args)

"""Stopping statements: KILL, max_statement_time, shutdown.

A statement is stopped with apsw's `Connection.interrupt()` on its session's SQLite connections
(`Session.interrupt()`), from this module's one thread. SQLite ignores an interrupt when no
statement steps at that moment (the statement may still be parsing in Python), so a statement past
its deadline is interrupted again every few milliseconds until it ends.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Final, Protocol, final

from app.sql import Session

# The error a stopped statement answers with, by cause.
KILLED: Final = (1317, "Query execution was interrupted", "70100")
TIMED_OUT: Final = (1969, "Query execution was interrupted (max_statement_time exceeded)", "70100")
SHUTDOWN: Final = (1053, "Server shutdown in progress", "08S01")
_AGAIN: Final = 0.005  # seconds between interrupts of a statement that goes on
_HINT: Final = re.compile(r"/\*\+[^*]*?\bMAX_EXECUTION_TIME\s*\(\s*(\d+)\s*\)", re.I)
_HINT_COMMENT: Final = re.compile(r"/\*\+.*?\*/", re.S)


def hinted_limit(sql: str) -> tuple[float | None, str]:
    """The seconds of a `/*+ MAX_EXECUTION_TIME(ms) */` hint if the statement has one, and the
    statement without its hint comments (MariaDB reads them as comments)."""
    if "/*+" not in sql:
        return None, sql
    m = _HINT.search(sql)
    stripped = _HINT_COMMENT.sub(" ", sql)
    if m is None or not int(m.group(1)):
        return None, stripped
    return int(m.group(1)) / 1000, stripped


class Stoppable(Protocol):
    """A connection whose statement the watchdog stops."""

    @property
    def session(self) -> Session: ...


@final
class Watchdog:
    """Interrupts the statements whose deadline has passed, until they end."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._deadlines: dict[Stoppable, float] = {}
        self._thread: threading.Thread | None = None
        self._stopped = False

    def arm(self, conn: Stoppable, deadline: float) -> None:
        """Stop `conn`'s statement at `deadline` (time.monotonic()) unless it ends first."""
        with self._cond:
            self._deadlines[conn] = deadline
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="app-watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()

    def disarm(self, conn: Stoppable) -> None:
        with self._cond:
            self._deadlines.pop(conn, None)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        thread = self._thread
        if thread is not None:
            thread.join(1.0)

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopped:
                    return
                now = time.monotonic()
                due = [c for c, d in self._deadlines.items() if d <= now]
                later = [d for d in self._deadlines.values() if d > now]
                wait = _AGAIN if due else (min(later) - now if later else None)
                if not due:
                    self._cond.wait(wait)
                    continue
            for conn in due:
                conn.session.interrupt()
            with self._cond:
                if not self._stopped:
                    self._cond.wait(wait)

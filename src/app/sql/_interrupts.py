"""Interrupting Python code that runs inside a statement (a function that waits, such as SLEEP).

apsw's `Connection.interrupt()` stops SQLite's own work; a user function that blocks in Python
(SLEEP) would not notice it until it returned. The session running a statement on a thread makes its
stop event current here (`activate`); `Session.interrupt()` sets it, and such a function waits on it.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from typing import Final

_current: Final[ContextVar[threading.Event | None]] = ContextVar("app_sql_statement_stop", default=None)


def activate(stop: threading.Event) -> None:
    """`stop` is set when the statement now starting on this thread is interrupted."""
    _current.set(stop)


def wait(seconds: float) -> bool:
    """Block up to `seconds`; True if the running statement was interrupted meanwhile (it returns early)."""
    stop = _current.get()
    if stop is None:
        threading.Event().wait(seconds)
        return False
    return stop.wait(seconds)

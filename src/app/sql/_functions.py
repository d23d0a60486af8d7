"""MySQL functions SQLite lacks, registered on every connection a session opens.

They read the session (`LAST_INSERT_ID()`, `DATABASE()`) and its statement
clock: MySQL evaluates `NOW()` once per statement, so every row of one
statement sees the same time.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import apsw

from . import _builtins

if TYPE_CHECKING:
    from ._session import Session


def _fmt(dt: datetime, fsp: int = 0) -> str:
    text = dt.strftime("%Y-%m-%d %H:%M:%S")
    if fsp:
        text += "." + f"{dt.microsecond:06d}"[: int(fsp)]
    return text


def register(conn: apsw.Connection, session: Session) -> None:
    """Register the session's MySQL functions on `conn`."""

    def now(*args: Any) -> str:
        return _fmt(session.statement_time(), int(args[0]) if args else 0)

    def utc_now(*args: Any) -> str:
        return _fmt(session.statement_time().astimezone(UTC), int(args[0]) if args else 0)

    def unix_timestamp(*args: Any) -> int | float | None:
        if not args:
            return int(session.statement_time().timestamp())
        if args[0] is None:
            return None
        try:
            return int(datetime.fromisoformat(str(args[0])).timestamp())
        except ValueError:
            return None

    def from_unixtime(ts: Any, *_: Any) -> str | None:
        return None if ts is None else _fmt(datetime.fromtimestamp(float(ts)))

    def concat_ws(sep: Any, *args: Any) -> str | None:
        if sep is None:
            return None
        return str(sep).join(str(a) for a in args if a is not None)

    def rand(*args: Any) -> float:
        return random.Random(args[0]).random() if args else random.random()

    def sleep(seconds: Any) -> int:
        # Blocks the session's thread, as SLEEP() holds a MySQL connection thread.
        time.sleep(min(float(seconds or 0), 5.0))
        return 0

    functions: dict[str, Callable[..., Any]] = {
        "APP_NOW": now,
        "APP_UTC_NOW": utc_now,
        "APP_CURDATE": lambda: session.statement_time().strftime("%Y-%m-%d"),
        "APP_CURTIME": lambda: session.statement_time().strftime("%H:%M:%S"),
        "APP_UNIX_TIMESTAMP": unix_timestamp,
        "APP_FROM_UNIXTIME": from_unixtime,
        "APP_LAST_INSERT_ID": lambda *a: session.last_insert_id if not a else session.set_last_insert_id(a[0]),
        "APP_CONNECTION_ID": lambda: session.connection_id,
        "APP_DATABASE": lambda: session.database,
        "APP_USER": lambda: f"{session.user}@{session.host}",
        "APP_VERSION": lambda: session.engine.version,
        "APP_ROW_COUNT": lambda: session.row_count,
        "APP_FOUND_ROWS": lambda: session.found_rows,
        "APP_UUID": lambda: str(uuid.uuid1()),
        "APP_RAND": rand,
        "APP_CONCAT_WS": concat_ws,
        "APP_SLEEP": sleep,
    }
    def upsert_updated(changed: Any, rowid: Any) -> Any:
        if changed:
            session._upsert_rowid = rowid or 0
            session._upsert_updated += 1
        else:
            session._upsert_same += 1
        return changed

    def replaced() -> None:
        session._replaced += 1

    functions["APP_UPSERT_UPDATED"] = upsert_updated
    functions["APP_REPLACED"] = replaced
    deterministic = {"APP_CONCAT_WS"}
    for name, fn in functions.items():
        conn.create_scalar_function(name, fn, deterministic=name in deterministic)
    for name, fn in _builtins.FUNCTIONS.items():
        conn.create_scalar_function(name, fn, deterministic=True)
    for name, factory in _builtins.AGGREGATES.items():
        conn.create_aggregate_function(name, factory)

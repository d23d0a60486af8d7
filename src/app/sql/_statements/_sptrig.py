"""Triggers: CREATE TRIGGER's bodies fired by SQLite, row by row, on the session's own connections.

A table with triggers gets, on each session connection to its database, TEMP triggers of SQLite (the
connection's own, not part of the schema, so they neither replicate nor reach a standby, which gets the
rows the primary's triggers wrote): a BEFORE one per event that calls APP_TRIGGER with the row's NEW and
OLD values, and an AFTER one. The call runs the stored triggers of that timing and event through the
interpreter (`_sprun`), their statements inside the statement that fired them. SQLite cannot change
the row a BEFORE trigger sees, so what a BEFORE trigger sets in NEW is kept (`pending`) and written by
the AFTER trigger with an UPDATE of that row, during which the TEMP triggers are off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, final

import apsw

from .._connections import Conn
from .._sealed import trusted
from .._sqlite import quote
from ._sprun import Programs
from ._spstore import Stored, every

_PREFIX: Final = "app_trg_"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns(conn: apsw.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({quote(table)})")]


def temp_triggers(conn: apsw.Connection, database: str, triggers: list[Stored]) -> tuple[str, ...]:
    """The TEMP triggers that fire `triggers` (all of one database) on `conn`."""
    by_table: dict[tuple[str, str], set[str]] = {}
    for s in triggers:
        r = s.routine
        by_table.setdefault((r.table.lower(), r.event), set()).add(r.timing)
    out: list[str] = []
    for (table, event), timings in sorted(by_table.items()):
        columns = _columns(conn, table)
        if not columns:
            continue
        new = [f"NEW.{quote(c)}" if event != "DELETE" else "NULL" for c in columns]
        old = [f"OLD.{quote(c)}" if event != "INSERT" else "NULL" for c in columns]
        args = ", ".join([_literal(database), _literal(table), _literal(event)])
        values = ", ".join(new + old)
        target = f"main.{quote(table)}"
        if "BEFORE" in timings:
            out.append(f"CREATE TEMP TRIGGER {quote(f'{_PREFIX}b_{event}_{table}')} BEFORE {event} ON {target} "
                       f"WHEN APP_TRIGGERS_ON() BEGIN SELECT APP_TRIGGER({args}, 'BEFORE', {values}); END")
        fix = ""
        if "BEFORE" in timings and event != "DELETE":
            sets = ", ".join(f"{quote(c)} = APP_TRIGGER_NEW({i})" for i, c in enumerate(columns))
            fix = (f"UPDATE {target} SET {sets} WHERE rowid = NEW.rowid AND "
                   f"APP_TRIGGER_FIXING({_literal(database)}, {_literal(table)}); ")
        if fix or "AFTER" in timings:
            out.append(f"CREATE TEMP TRIGGER {quote(f'{_PREFIX}a_{event}_{table}')} AFTER {event} ON {target} "
                       f"WHEN APP_TRIGGERS_ON() BEGIN {fix}SELECT APP_TRIGGER({args}, 'AFTER', {values}); END")
    return tuple(out)


def install(c: Conn) -> None:
    """Make `c`'s TEMP triggers those of its database's stored triggers now (after it opened, or after
    a schema change)."""
    if c.db is None:
        return
    with trusted(c.conn):
        wanted = temp_triggers(c.conn, c.database.name, every(c.conn, c.database, "TRIGGER"))
        if wanted == c.triggers:
            return
        for (name,) in c.conn.execute("SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE "
                                      f"'{_PREFIX}%'").fetchall():
            c.conn.execute(f"DROP TRIGGER temp.{quote(str(name))}").fetchall()
        for sql in wanted:
            c.conn.execute(sql).fetchall()
    c.triggers = wanted


@final
class Triggers:
    """A session's firing of stored triggers (what APP_TRIGGER and its helpers call)."""

    def __init__(self, programs: Programs, find: Callable[[str, str, str, str], list[Stored]],
                 columns: Callable[[str, str], list[str]], nested: Callable[[], Any]) -> None:
        self.programs = programs
        self._find = find  # (database, table, event, timing) -> the stored triggers, in order
        self._columns = columns  # (database, table) -> its columns (lower case)
        self._nested = nested  # a context for statements run inside the firing statement
        self.enabled = True
        self.pending: dict[tuple[str, str], list[Any]] = {}

    def fire(self, database: str, table: str, event: str, timing: str, values: list[Any]) -> None:
        key = (database.lower(), table.lower())
        half = len(values) // 2
        new: list[Any] | None = list(values[:half]) if event != "DELETE" else None
        old = list(values[half:]) if event != "INSERT" else None
        if timing == "AFTER":
            self.enabled = True
            changed = self.pending.pop(key, None)
            if changed is not None:
                new = changed
        triggers = self._find(database, table, event, timing)
        if not triggers:
            return
        columns = self._columns(database, table)
        before = list(new) if new is not None else None
        with self._nested():
            for stored in triggers:
                new = self.programs.fire(stored.routine, columns, new, old)
        if timing == "BEFORE" and new is not None and new != before:
            self.pending[key] = new

    def fixing(self, database: str, table: str) -> bool:
        """Whether a BEFORE trigger changed NEW: its values are written now, with the triggers off."""
        key = (database.lower(), table.lower())
        if key not in self.pending:
            return False
        self._fixing = self.pending[key]
        self.enabled = False
        return True

    def new_value(self, i: int) -> Any:
        return self._fixing[i]

    _fixing: list[Any]

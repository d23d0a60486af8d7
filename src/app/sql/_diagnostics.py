"""The diagnostics area: the warnings, notes and error a session's statements leave behind.

SHOW WARNINGS / SHOW ERRORS, SHOW COUNT(*) WARNINGS, @@warning_count and @@error_count read it; the
OK packet and the end of a result set carry the count of the conditions the statement itself raised.

MariaDB's rules, which these follow (measured on 10.11):

- SHOW WARNINGS / SHOW ERRORS / SHOW COUNT(*) ... read the area and leave it as it is;
- a statement that uses tables clears it when it starts;
- any other statement (SELECT 1/0, SET, DO) clears it only when it raises a condition of its own:
  `SELECT 1` after `SELECT 1/0` leaves the division's warning to SHOW WARNINGS;
- an error is the last condition of its statement, after the warnings it raised before failing;
- the area keeps the first `max_error_count` (64) conditions but counts every one.

Functions deep inside an expression raise warnings through `warn()`, which reaches the area of the
statement running on this thread (set by `activate`), since SQLite calls them back on that thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Final, Literal, final

from ._errors import SQLError, shown_name

Level = Literal["Note", "Warning", "Error"]

MAX_ERROR_COUNT: Final = 64  # MariaDB's default max_error_count

# Warning numbers, as MariaDB numbers them.
WARN_DATA_TRUNCATED: Final = 1265
WARN_TRUNCATED_WRONG_VALUE: Final = 1292
WARN_DIVISION_BY_ZERO: Final = 1365
WARN_INCORRECT_ARGUMENTS: Final = 1210
WARN_OUT_OF_RANGE: Final = 1264
WARN_ALLOWED_PACKET_OVERFLOWED: Final = 1301
WARN_CUT_GROUP_CONCAT: Final = 1260
WARN_DATETIME_OVERFLOW: Final = 1441
WARN_INVALID_CHARACTER_STRING: Final = 1300


@final
@dataclass(frozen=True, slots=True)
class Condition:
    """One row of SHOW WARNINGS."""

    level: Level
    code: int
    message: str


@final
class Diagnostics:
    """One session's diagnostics area."""

    def __init__(self) -> None:
        self.conditions: list[Condition] = []
        self.total = 0  # conditions raised since the area was last cleared (beyond those kept too)
        self.errors = 0
        self.statement_count = 0  # conditions the running (or last) statement raised
        self._stale = False  # the area belongs to an earlier statement: clear it on the next condition
        self._read_only = False
        self.notes = True  # @@sql_notes: 0 drops notes (DROP TABLE IF EXISTS of no table says nothing)

    # -- a statement's life -----------------------------------------------------------------------

    def begin(self, *, uses_tables: bool = True, diagnostic: bool = False) -> None:
        """A statement starts. `diagnostic`: it reads the area (SHOW WARNINGS) and leaves it alone."""
        self._read_only = diagnostic
        self.statement_count = 0
        if diagnostic:
            return
        self._stale = True
        if uses_tables:
            self.clear()

    def clear(self) -> None:
        self.conditions.clear()
        self.total = self.errors = 0
        self._stale = False

    def push(self, level: Level, code: int, message: str) -> None:
        """Record a condition of the running statement."""
        if self._read_only or (level == "Note" and not self.notes):
            return
        if self._stale:
            self.clear()
        self.total += 1
        self.statement_count += 1
        if level == "Error":
            self.errors += 1
        if len(self.conditions) < MAX_ERROR_COUNT:
            self.conditions.append(Condition(level, code, shown_name(message)))

    # -- what readers see -------------------------------------------------------------------------

    @property
    def warning_count(self) -> int:
        """@@warning_count: every condition (notes and errors too) in the area."""
        return self.total

    @property
    def error_count(self) -> int:
        """@@error_count."""
        return self.errors


_active: Final[ContextVar[Diagnostics | None]] = ContextVar("app_sql_diagnostics", default=None)


def activate(area: Diagnostics) -> None:
    """Make `area` the one `warn()` reaches on this thread (the session running a statement here)."""
    _active.set(area)


_escalating: Final[ContextVar[bool]] = ContextVar("app_sql_strict_statement", default=False)


@contextmanager
def warnings_are_errors() -> Iterator[None]:
    """What runs inside is a statement strict mode makes fail on a warning (an INSERT or UPDATE that
    converts a value with a loss): `warn()` raises the warning as the statement's error."""
    token = _escalating.set(True)
    try:
        yield
    finally:
        _escalating.reset(token)


_ignored: Final[ContextVar[int]] = ContextVar("app_sql_ignored_warning", default=0)


@contextmanager
def ignoring(code: int) -> Iterator[None]:
    """No condition `code` from what runs inside: an INSERT's or UPDATE's division by zero without
    ERROR_FOR_DIVISION_BY_ZERO stores NULL quietly (a query's still warns)."""
    token = _ignored.set(code)
    try:
        yield
    finally:
        _ignored.reset(token)


def warn(code: int, message: str, level: Level = "Warning") -> None:
    """Raise a warning (or note) in the running statement; nothing when no statement runs here."""
    if code == _ignored.get():
        return
    if level == "Warning" and _escalating.get() and _active.get() is not None:
        raise SQLError(code, message)
    area = _active.get()
    if area is not None:
        area.push(level, code, message)


@contextmanager
def silenced() -> Iterator[None]:
    """No warnings from what runs inside (an expression evaluated twice warns once)."""
    token = _active.set(None)
    strict = _escalating.set(False)
    try:
        yield
    finally:
        _escalating.reset(strict)
        _active.reset(token)


def note(code: int, message: str) -> None:
    """Raise a note in the running statement."""
    warn(code, message, "Note")


def truncated(kind: str, value: object) -> None:
    """1292 Truncated incorrect <kind> value: '<value>' (a string read as a number or date in part)."""
    warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect {kind} value: '{value}'")

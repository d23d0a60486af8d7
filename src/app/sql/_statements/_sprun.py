"""Running stored programs: the interpreter of a routine's body (`_spparse`'s tree).

Each SQL statement of a body runs through the session as a client's statement would (`Programs.run`:
planned, checked against the privileges, executed, its errors mapped), so a statement in a routine
behaves as the same statement sent alone. The interpreter adds what is between them: the locals
(session variables of reserved names, each call with its own set: `_Frame`), control flow, cursors,
handlers and SIGNAL. Between two statements it checks whether the statement was stopped (KILL,
max_statement_time): a loop of statements that each end at once stops too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, Final, final

from .._diagnostics import Diagnostics
from .._errors import SQLError
from .._results import Result
from ._sptree import (
    LOCAL_PREFIX,
    Block,
    Close,
    Condition,
    Declare,
    Fetch,
    Handler,
    If,
    Iterate,
    Leave,
    Loop,
    Node,
    Open,
    Return,
    Routine,
    Signal,
    Sql,
)

ER_SP_FETCH_NO_DATA: Final = 1329
ER_SIGNAL_EXCEPTION: Final = 1644
ER_SIGNAL_WARN: Final = 1642
ER_SIGNAL_NOT_FOUND: Final = 1643
# Errors that no handler catches: the statement was stopped.
_UNCATCHABLE: Final = frozenset({1317, 1969, 1053, 2013})
_STOPPED: Final = SQLError(1317, "Query execution was interrupted", "70100")
MAX_DEPTH: Final = 64


class _Leave(Exception):
    def __init__(self, label: str) -> None:
        self.label = label


class _Iterate(Exception):
    def __init__(self, label: str) -> None:
        self.label = label


class _Exit(Exception):
    """An EXIT handler ran: the block that declared it ends."""

    def __init__(self, block: Block) -> None:
        self.block = block


class _Returned(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


@dataclass(slots=True)
class _Cursor:
    query: str
    rows: list[tuple[Any, ...]] | None = None
    position: int = 0


@dataclass(slots=True)
class _Frame:
    """One call's state: its results, cursors, the handlers in force and the error a handler handles."""

    routine: Routine
    results: list[Result] = field(default_factory=list)
    cursors: dict[str, _Cursor] = field(default_factory=dict)
    handlers: list[tuple[Block, tuple[Handler, ...]]] = field(default_factory=list)
    handling: list[SQLError] = field(default_factory=list)
    affected: int = 0


def truth(value: Any) -> bool:
    """A value as a condition (IF, WHILE, UNTIL): NULL and zero are false; a string is read as a number."""
    if value is None:
        return False
    if isinstance(value, (int, float, Decimal)):
        return bool(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        text = value.strip()
        end = 0
        while end < len(text) and (text[end].isdigit() or text[end] in ".-+eE"):
            end += 1
        while end:
            try:
                return float(text[:end]) != 0
            except ValueError:
                end -= 1
        return False
    return True


def _matches(c: Condition, e: SQLError, warning: bool) -> int:
    """How specifically `c` catches `e` (0: it does not): an error number before a SQLSTATE before a class."""
    if c.errno is not None and c.sqlstate is None:
        return 3 if c.errno == e.code else 0
    if c.sqlstate is not None:
        return 2 if c.sqlstate == e.sqlstate else 0
    cls = e.sqlstate[:2]
    if c.klass == "NOT FOUND":
        return 1 if cls == "02" else 0
    if c.klass == "SQLWARNING":
        return 1 if cls == "01" or (warning and cls not in ("02",)) else 0
    if c.klass == "SQLEXCEPTION":
        return 1 if not warning and cls not in ("00", "01", "02") else 0
    return 0


@final
class Programs:
    """A session's stored-program runtime (the service the CALL and CREATE executors ask for).

    Args:
        run: runs one statement as the session runs a client's, without starting a new statement.
        user_variables: the session's user variables (where locals live).
        diagnostics: the session's diagnostics area.
        stopping: whether the running statement was asked to stop.
    """

    def __init__(self, run: Callable[[str], Result], user_variables: dict[str, Any], diagnostics: Diagnostics,
                 stopping: Callable[[], bool]) -> None:
        self._run = run
        self.user = user_variables
        self.diagnostics = diagnostics
        self.stopping = stopping
        self.stack: list[str] = []  # the routines running, outermost first

    # -- calls --

    @contextmanager
    def frame(self, name: str) -> Iterator[None]:
        """A call's own locals: the caller's are put aside until it returns."""
        if len(self.stack) >= MAX_DEPTH:
            raise SQLError(1436, "Thread stack overrun", "HY000")
        saved = {k: v for k, v in self.user.items() if k.startswith(LOCAL_PREFIX)}
        for k in saved:
            del self.user[k]
        self.stack.append(name)
        try:
            yield
        finally:
            self.stack.pop()
            for k in [k for k in self.user if k.startswith(LOCAL_PREFIX)]:
                del self.user[k]
            self.user.update(saved)

    def call(self, routine: Routine, values: list[Any]) -> tuple[list[Result], int, list[Any]]:
        """Run a procedure with its arguments' values: its result sets, the rows its statements changed,
        and the final values of its parameters."""
        frame = _Frame(routine)
        with self.frame(routine.name.lower()):
            keys = [LOCAL_PREFIX + p.name.lower() for p in routine.params]
            for key, value in zip(keys, values, strict=True):
                self.user[key] = value
            if routine.coerce is not None:
                self.run(routine.coerce)
            try:
                self._node(routine.body, frame)
            except _Returned:  # pragma: no cover - the parser refuses RETURN outside functions
                pass
            outs = [self.user.get(k) for k in keys]
        return frame.results, frame.affected, outs

    def call_function(self, routine: Routine, values: list[Any]) -> Any:
        """Run a stored function with its arguments' values: the value it returns."""
        frame = _Frame(routine)
        with self.frame(routine.name.lower()):
            for p, value in zip(routine.params, values, strict=True):
                self.user[LOCAL_PREFIX + p.name.lower()] = value
            if routine.coerce is not None:
                self.run(routine.coerce)
            try:
                self._node(routine.body, frame)
            except _Returned as r:
                return r.value
        raise SQLError(1321, f"FUNCTION {routine.name} ended without RETURN", "2F005")

    def fire(self, routine: Routine, columns: list[str], new: list[Any] | None,
             old: list[Any] | None) -> list[Any] | None:
        """Run a trigger for one row (`columns` its table's, lower case): NEW as the trigger left it."""
        frame = _Frame(routine)
        with self.frame("trigger " + routine.name.lower()):
            for prefix, row in (("new", new), ("old", old)):
                if row is not None:
                    for column, value in zip(columns, row, strict=True):
                        self.user[f"{LOCAL_PREFIX}{prefix}__{column}"] = value
            self._node(routine.body, frame)
            return None if new is None else [self.user.get(f"{LOCAL_PREFIX}new__{c}") for c in columns]

    # -- statements --

    def run(self, sql: str) -> Result:
        if self.stopping():
            raise _STOPPED
        return self._run(sql)

    def value(self, select: str) -> Any:
        """The value of `SELECT expr`."""
        result = self.run(select)
        return result.rows[0][0] if result.rows else None

    def _nodes(self, nodes: tuple[Node, ...], frame: _Frame) -> None:
        for node in nodes:
            self._node(node, frame)

    def _node(self, node: Node, frame: _Frame) -> None:
        if isinstance(node, Block):
            self._block(node, frame)
        elif isinstance(node, If):
            for condition, body in node.branches:
                if truth(self._guarded(partial(self.value, condition), frame)):
                    self._nodes(body, frame)
                    return
            if node.otherwise is not None:
                self._nodes(node.otherwise, frame)
        elif isinstance(node, Loop):
            self._loop(node, frame)
        elif isinstance(node, Leave):
            raise _Leave(node.label)
        elif isinstance(node, Iterate):
            raise _Iterate(node.label)
        elif isinstance(node, Return):
            raise _Returned(self._guarded(lambda: self.value(node.expr), frame))
        else:
            self._guarded(lambda: self._simple(node, frame), frame)

    def _simple(self, node: Node, frame: _Frame) -> None:
        if isinstance(node, Sql):
            result = self.run(node.text)
            if result.columns is not None:
                frame.results.append(result)
            else:
                frame.affected += result.affected_rows
            self._raise_warnings(frame)
        elif isinstance(node, Declare):
            if node.init is None:
                for key in node.keys:
                    self.user[key] = None
            else:
                self.run(node.init)
        elif isinstance(node, Open):
            cursor = self._cursor(frame, node.cursor)
            if cursor.rows is not None:
                raise SQLError(1325, "Cursor is already open", "24000")
            cursor.rows = list(self.run(cursor.query).rows)
            cursor.position = 0
        elif isinstance(node, Fetch):
            cursor = self._cursor(frame, node.cursor)
            if cursor.rows is None:
                raise SQLError(1326, "Cursor is not open", "24000")
            if cursor.position >= len(cursor.rows):
                raise SQLError(ER_SP_FETCH_NO_DATA, "No data - zero rows fetched, selected, or processed", "02000")
            row = cursor.rows[cursor.position]
            cursor.position += 1
            if len(row) != len(node.targets):
                raise SQLError(1328, "Incorrect number of FETCH variables", "HY000")
            for key, value in zip(node.targets, row, strict=True):
                self.user[key] = value
        elif isinstance(node, Close):
            cursor = self._cursor(frame, node.cursor)
            if cursor.rows is None:
                raise SQLError(1326, "Cursor is not open", "24000")
            cursor.rows = None
        elif isinstance(node, Signal):
            self._signal(node, frame)

    def _cursor(self, frame: _Frame, name: str) -> _Cursor:
        cursor = frame.cursors.get(name)
        if cursor is None:
            raise SQLError(1324, f"Undefined CURSOR: {name}", "42000")
        return cursor

    def _block(self, block: Block, frame: _Frame) -> None:
        saved = {k: self.user[k] for k in block.shadowed if k in self.user}
        opened = []
        for c in block.cursors:
            previous = frame.cursors.get(c.name)
            opened.append((c.name, previous))
            frame.cursors[c.name] = _Cursor(c.query)
        frame.handlers.append((block, block.handlers))
        try:
            self._nodes(block.body, frame)
        except _Exit as e:
            if e.block is not block:
                raise
        except _Leave as e:
            if e.label != block.label:
                raise
        finally:
            frame.handlers.pop()
            for name, previous in opened:
                if previous is None:
                    frame.cursors.pop(name, None)
                else:
                    frame.cursors[name] = previous
            for k in block.shadowed:
                self.user.pop(k, None)
            self.user.update(saved)

    def _loop(self, loop: Loop, frame: _Frame) -> None:
        label = loop.label
        while True:
            if self.stopping():
                raise _STOPPED
            if loop.kind == "while" and not truth(
                    self._guarded(lambda: self.value(loop.condition or "SELECT 0"), frame)):
                return
            try:
                self._nodes(loop.body, frame)
            except _Leave as e:
                if e.label != label:
                    raise
                return
            except _Iterate as e:
                if e.label != label:
                    raise
                continue
            if loop.kind == "repeat" and truth(self._guarded(lambda: self.value(loop.condition or "SELECT 1"),
                                                             frame)):
                return

    # -- conditions --

    def _guarded(self, step: Callable[[], Any], frame: _Frame) -> Any:
        """Run one statement; an error a handler catches runs the handler (see `_handle`)."""
        try:
            return step()
        except SQLError as e:
            if e.code in _UNCATCHABLE or self.stopping():
                raise
            self._handle(e, frame, warning=False)
            return None

    def _handle(self, e: SQLError, frame: _Frame, *, warning: bool) -> None:
        """Find the handler of the innermost block that catches `e` and run it; raise `e` if none does."""
        for depth in range(len(frame.handlers) - 1, -1, -1):
            block, handlers = frame.handlers[depth]
            best: Handler | None = None
            best_rank = 0
            for h in handlers:
                for c in h.conditions:
                    rank = _matches(c, e, warning)
                    if rank > best_rank:
                        best, best_rank = h, rank
            if best is None:
                continue
            if not warning:
                self.diagnostics.clear()
                self.diagnostics.push("Error", e.code, e.message)
            outer = frame.handlers
            frame.handlers = outer[:depth]  # a handler's own errors go to the blocks around its block
            frame.handling.append(e)
            try:
                self._node(best.body, frame)
            finally:
                frame.handling.pop()
                frame.handlers = outer
            if best.kind == "EXIT":
                raise _Exit(block)
            return
        if warning:
            return
        raise e

    def _raise_warnings(self, frame: _Frame) -> None:
        """The warnings (and NOT FOUND) the statement just raised, offered to the handlers in force."""
        if not frame.handlers or not self.diagnostics.statement_count:
            return
        for condition in self.diagnostics.conditions[-self.diagnostics.statement_count:]:
            if condition.level == "Error":
                continue
            from .._errors import SQLSTATES

            state = "02000" if condition.code == ER_SP_FETCH_NO_DATA else SQLSTATES.get(condition.code, "01000")
            if not state.startswith("02"):
                state = "01000" if state == "HY000" else state
            self._handle(SQLError(condition.code, condition.message, state), frame, warning=True)

    def _signal(self, node: Signal, frame: _Frame) -> None:
        base: SQLError | None = None
        if node.resignal:
            if not frame.handling:
                raise SQLError(1645, "RESIGNAL when handler not active", "0K000")
            base = frame.handling[-1]
        condition = node.condition
        if condition is not None:
            state = condition.sqlstate or "45000"
            cls = state[:2]
            code = condition.errno or (ER_SIGNAL_WARN if cls == "01" else ER_SIGNAL_NOT_FOUND if cls == "02"
                                       else ER_SIGNAL_EXCEPTION)
            message = {ER_SIGNAL_WARN: "Unhandled user-defined warning condition",
                       ER_SIGNAL_NOT_FOUND: "Unhandled user-defined not found condition"}.get(
                code, "Unhandled user-defined exception condition")
        else:
            assert base is not None
            state, code, message = base.sqlstate, base.code, base.message
        for item, select in node.items:
            value = self.value(select)
            if item == "MESSAGE_TEXT":
                message = "" if value is None else (value.decode() if isinstance(value, bytes) else str(value))
            elif item == "MYSQL_ERRNO":
                code = int(value)
        error = SQLError(code, message, state)
        if state[:2] in ("01", "02") and node.condition is not None:
            self.diagnostics.push("Warning", code, message)
            self._handle(error, frame, warning=True)
            return
        raise error

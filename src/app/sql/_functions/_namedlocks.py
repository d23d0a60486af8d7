"""Named locks: GET_LOCK, RELEASE_LOCK, IS_FREE_LOCK, IS_USED_LOCK, RELEASE_ALL_LOCKS.

A node's sessions share one table of locks (`NamedLocks`, the engine's), held by connection id: a
session may take the same lock again (it then releases it as many times), its locks go when it ends,
and GET_LOCK waits for another session's lock up to its timeout (negative: for ever), a wait that
KILL and max_statement_time end like any statement.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Final, final

from .._errors import SQLError
from .._sqltypes import INT, UBIGINT, ULONG
from ._registry import Family, FunctionContext

fn = Family("named locks")

_SLICE: Final = 0.05  # seconds between checks of a waiting GET_LOCK's statement being stopped


@final
class NamedLocks:
    """The named locks of one node: name (lower case) -> (connection id, times taken)."""

    def __init__(self) -> None:
        self._held: dict[str, list[int]] = {}
        self._cond = threading.Condition()

    def get(self, name: str, owner: int, timeout: float, stopping: Any) -> int:
        key = name.lower()
        deadline = None if timeout < 0 else time.monotonic() + timeout
        with self._cond:
            while True:
                held = self._held.get(key)
                if held is None or held[0] == owner:
                    if held is None:
                        self._held[key] = [owner, 1]
                    else:
                        held[1] += 1
                    return 1
                if stopping():
                    raise SQLError(1317, "Query execution was interrupted", "70100")
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return 0
                self._cond.wait(_SLICE if left is None else min(_SLICE, left))

    def release(self, name: str, owner: int) -> int | None:
        key = name.lower()
        with self._cond:
            held = self._held.get(key)
            if held is None:
                return None
            if held[0] != owner:
                return 0
            held[1] -= 1
            if not held[1]:
                del self._held[key]
                self._cond.notify_all()
            return 1

    def owner(self, name: str) -> int | None:
        with self._cond:
            held = self._held.get(name.lower())
            return None if held is None else held[0]

    def release_all(self, owner: int) -> int:
        """Release every lock `owner` holds: how many times they had been taken."""
        with self._cond:
            mine = [k for k, (who, _) in self._held.items() if who == owner]
            count = sum(self._held.pop(k)[1] for k in mine)
            if mine:
                self._cond.notify_all()
            return count


def _name(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


@fn.scalar("GET_LOCK", returns=INT, needs_session=True, deterministic=False, examples=["GET_LOCK('x', 0)"])
def get_lock(ctx: FunctionContext, name: Any, timeout: Any) -> int | None:
    key = _name(name)
    if key is None:
        return None
    seconds = float(timeout) if timeout is not None else 0.0
    return ctx.named_locks.get(key, ctx.connection_id, seconds, ctx.stopping)


@fn.scalar("RELEASE_LOCK", returns=INT, needs_session=True, deterministic=False, examples=["RELEASE_LOCK('x')"])
def release_lock(ctx: FunctionContext, name: Any) -> int | None:
    key = _name(name)
    return None if key is None else ctx.named_locks.release(key, ctx.connection_id)


@fn.scalar("IS_FREE_LOCK", returns=INT, needs_session=True, deterministic=False, examples=["IS_FREE_LOCK('x')"])
def is_free_lock(ctx: FunctionContext, name: Any) -> int | None:
    key = _name(name)
    return None if key is None else int(ctx.named_locks.owner(key) is None)


@fn.scalar("IS_USED_LOCK", returns=UBIGINT, needs_session=True, deterministic=False,
           examples=["IS_USED_LOCK('x')"])
def is_used_lock(ctx: FunctionContext, name: Any) -> int | None:
    key = _name(name)
    return None if key is None else ctx.named_locks.owner(key)


@fn.scalar("RELEASE_ALL_LOCKS", returns=ULONG, needs_session=True, deterministic=False,
           examples=["RELEASE_ALL_LOCKS()"])
def release_all_locks(ctx: FunctionContext) -> int:
    return ctx.named_locks.release_all(ctx.connection_id)

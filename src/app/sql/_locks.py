"""MySQL-style write locks: one writer per database, waiters queue with a timeout.

SQLite allows one writer per database file; rather than let SQLite report
"database is locked", a session takes this lock before it writes and keeps it
until its transaction ends. A waiter gives up after `innodb_lock_wait_timeout`
with MySQL's error 1205, and a wait that would close a cycle fails at once
with 1213, as InnoDB's deadlock detector does. Everything runs on the node's
event loop, so no thread locks are needed.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Protocol

from ._errors import ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, SQLError


class LockOwner(Protocol):
    locks: set[str]
    waiting_for: str | None


class LockManager:
    """Exclusive locks by key (a database name), held by sessions."""

    def __init__(self) -> None:
        self._holders: dict[str, LockOwner] = {}
        self._waiters: dict[str, deque[tuple[LockOwner, asyncio.Future[None]]]] = {}

    def holder(self, key: str) -> LockOwner | None:
        return self._holders.get(key)

    async def acquire(self, key: str, owner: LockOwner, timeout: float) -> None:
        holder = self._holders.get(key)
        if holder is None:
            self._holders[key] = owner
            owner.locks.add(key)
            return
        if holder is owner:
            return
        if self._closes_cycle(owner, holder):
            raise SQLError(ER_LOCK_DEADLOCK, "Deadlock found when trying to get lock; try restarting transaction")
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(key, deque()).append((owner, fut))
        owner.waiting_for = key
        try:
            await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            raise SQLError(ER_LOCK_WAIT_TIMEOUT, "Lock wait timeout exceeded; try restarting transaction") from None
        finally:
            owner.waiting_for = None
            if not fut.done() or fut.cancelled():
                queue = self._waiters.get(key)
                if queue is not None:
                    self._waiters[key] = deque(w for w in queue if w[1] is not fut)

    def _closes_cycle(self, owner: LockOwner, holder: LockOwner) -> bool:
        seen: set[int] = set()
        current: LockOwner | None = holder
        while current is not None and id(current) not in seen:
            if current is owner:
                return True
            seen.add(id(current))
            key = current.waiting_for
            current = self._holders.get(key) if key is not None else None
        return False

    def release_all(self, owner: LockOwner) -> None:
        for key in list(owner.locks):
            self._release(key, owner)
        owner.locks.clear()

    def _release(self, key: str, owner: LockOwner) -> None:
        if self._holders.get(key) is not owner:
            return
        del self._holders[key]
        queue = self._waiters.get(key)
        while queue:
            waiter, fut = queue.popleft()
            if not fut.done():
                self._holders[key] = waiter
                waiter.locks.add(key)
                fut.set_result(None)
                break
        if queue is not None and not queue:
            self._waiters.pop(key, None)

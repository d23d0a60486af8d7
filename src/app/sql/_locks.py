"""MySQL-style write locks: one writer per database, waiters queue with a timeout.

SQLite allows one writer per database file; rather than let SQLite report
"database is locked", a session takes this lock before it writes and keeps it
until its transaction ends. A waiter gives up after `innodb_lock_wait_timeout`
with MySQL's error 1205, and a wait that would close a cycle fails at once
with 1213, as InnoDB's deadlock detector does. Sessions run on their own
threads: a waiter blocks its thread, and one mutex guards the lock table.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Protocol

from ._errors import ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, SQLError


class LockOwner(Protocol):
    locks: set[str]
    waiting_for: str | None


class _Wait:
    __slots__ = ("event", "granted", "owner")

    def __init__(self, owner: LockOwner) -> None:
        self.owner = owner
        self.granted = False
        self.event = threading.Event()


class LockManager:
    """Exclusive locks by key (a database name), held by sessions."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._holders: dict[str, LockOwner] = {}
        self._waiters: dict[str, deque[_Wait]] = {}

    def holder(self, key: str) -> LockOwner | None:
        return self._holders.get(key)

    def acquire(self, key: str, owner: LockOwner, timeout: float) -> None:
        """Take `key` for `owner`, blocking this thread up to `timeout` seconds (1205), or 1213 at once."""
        with self._mutex:
            holder = self._holders.get(key)
            if holder is None:
                self._holders[key] = owner
                owner.locks.add(key)
                return
            if holder is owner:
                return
            if self._closes_cycle(owner, holder):
                raise SQLError(ER_LOCK_DEADLOCK, "Deadlock found when trying to get lock; try restarting transaction")
            wait = _Wait(owner)
            self._waiters.setdefault(key, deque()).append(wait)
            owner.waiting_for = key
        try:
            wait.event.wait(max(0.0, timeout))
        finally:
            with self._mutex:
                owner.waiting_for = None
                if not wait.granted:
                    queue = self._waiters.get(key)
                    if queue is not None:
                        try:
                            queue.remove(wait)
                        except ValueError:
                            pass
                        if not queue:
                            self._waiters.pop(key, None)
        if not wait.granted:
            raise SQLError(ER_LOCK_WAIT_TIMEOUT, "Lock wait timeout exceeded; try restarting transaction")

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
        if not owner.locks:
            return
        with self._mutex:
            for key in list(owner.locks):
                self._release(key, owner)
            owner.locks.clear()

    def _release(self, key: str, owner: LockOwner) -> None:
        if self._holders.get(key) is not owner:
            return
        del self._holders[key]
        queue = self._waiters.get(key)
        if queue:
            wait = queue.popleft()
            self._holders[key] = wait.owner
            wait.owner.locks.add(key)
            wait.granted = True
            wait.event.set()
        if queue is not None and not queue:
            self._waiters.pop(key, None)

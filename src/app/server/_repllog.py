"""The replication log: a primary term's committed transactions, by position.

Positions. Each primary term has a log: an id and positions counting commits. A standby
remembers the (log id, position) it applied. On connect the primary streams the entries
after that position if its log holds them, or else sends a snapshot (every database's
SQLite image) and streams from there. A killed node does not trust its position and
asks for a snapshot; a node stopped gracefully resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from typing import Final

from app.sql import Change

from ._replwire import encode_changes, frame

# Entries kept for standbys that fall behind; one further back gets a snapshot.
MAX_LOG_ENTRIES: Final = 100_000


class ReplicationLog:
    """A primary term's committed transactions, as ready-to-send frames, by position.

    Sessions append from their own threads (in commit order: under the engine's commit lock);
    the links read on the event loop, so the deques change and are read under `_lock`.
    """

    def __init__(self, log_id: str, base: int, parent: tuple[str | None, int] | None = None) -> None:
        self.log_id = log_id
        self.base = base          # the position before the first entry of this log
        self.parent = parent      # the (log id, position) this term continues from
        self.position = base
        self._first = base + 1    # the oldest position still held
        self._frames: deque[bytes] = deque()
        self._times: deque[float] = deque()
        self._lock = threading.Lock()
        self.listeners: set[asyncio.Event] = set()  # set on the event loop after each append (wake)

    def append(self, changes: list[Change]) -> int:
        """Add a committed transaction (any thread); its position. Call `wake` on the loop after."""
        items, body = encode_changes(changes)
        with self._lock:
            position = self.position + 1
            self._frames.append(frame({"t": "entry", "pos": position, "changes": items}, body))
            self._times.append(time.monotonic())
            if len(self._frames) > MAX_LOG_ENTRIES:
                self._frames.popleft()
                self._times.popleft()
                self._first += 1
            self.position = position  # last: a reader that sees it finds its frame
        return position

    def wake(self) -> None:
        """Wake the links waiting for entries (on the event loop)."""
        for event in self.listeners:
            event.set()

    def holds_after(self, position: int) -> bool:
        """Whether every entry after `position` is still here."""
        with self._lock:
            return self._first - 1 <= position <= self.position

    def frames_after(self, position: int) -> list[bytes]:
        # Index from the tail: a deque is cheap at its ends, and copying up to
        # MAX_LOG_ENTRIES frames on every wake-up of every link would not be.
        with self._lock:
            start = max(0, position + 1 - self._first)
            return [self._frames[i] for i in range(start, len(self._frames))]

    def commit_time(self, position: int) -> float | None:
        with self._lock:
            i = position - self._first
            return self._times[i] if 0 <= i < len(self._times) else None

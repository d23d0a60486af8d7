"""Committed changes, in commit order, for whoever replicates them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, final


@final
@dataclass(frozen=True, slots=True)
class Change:
    """One committed change to replicate, in commit order.

    kind: "changeset" (SQLite session changeset of row changes), "ddl" (statements
    to run), "create_database", "drop_database", or "accounts" (every account, as
    `AccountStore.snapshot()` in JSON; database "").
    """

    kind: Literal["changeset", "ddl", "create_database", "drop_database", "accounts"]
    database: str
    payload: bytes | tuple[str, ...] = b""


# Called in commit order with the commit lock held, so it must not block; it may return a
# function that blocks until the commit is acknowledged, which the committing thread calls once it
# released the lock (a primary waiting for its standbys' acks).
CommitHook = Callable[[list[Change]], Callable[[], None] | None]


@final
@dataclass(slots=True)
class CommitListenerSet:
    """Who hears of commits: `capture` turns on changeset recording (costly, so off by default).

    `hook` and `listeners` are called in commit order, with `lock` held: a transaction's SQLite
    COMMIT and the publishing of its changes happen under it, so the published order is the
    commit order, and a snapshot taken under it matches a log position.
    """

    capture: bool = False
    hook: CommitHook | None = None
    listeners: list[Callable[[list[Change]], None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, changes: list[Change]) -> Callable[[], None] | None:
        """Tell the listeners and the hook (the caller holds `lock`); what to wait on after releasing it."""
        for listener in self.listeners:
            listener(changes)
        return self.hook(changes) if self.hook is not None else None

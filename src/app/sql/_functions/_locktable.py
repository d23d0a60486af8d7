"""The table of named locks a node's sessions share (GET_LOCK's; the functions are in `_namedlocks`).

Apart from the functions so that the function registry's `FunctionContext` can name it without an
import cycle.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Final, final

from .._errors import SQLError

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

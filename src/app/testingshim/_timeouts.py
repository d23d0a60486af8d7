"""Deadlines: every framework timeout is scaled by APP_TEST_TIMEOUT_SCALE, and waits say what they awaited."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

from ._errors import TestingShimError, WaitTimeout

ENV_SCALE = "APP_TEST_TIMEOUT_SCALE"
T = TypeVar("T")


def timeout_scale() -> float:
    text = os.environ.get(ENV_SCALE, "1")
    try:
        value = float(text)
    except ValueError:
        raise TestingShimError(f"{ENV_SCALE}={text!r} is not a number") from None
    return value if value > 0 else 1.0


def scaled(seconds: float) -> float:
    """`seconds` times APP_TEST_TIMEOUT_SCALE (set it large while sitting at a breakpoint)."""
    return seconds * timeout_scale()


def wait_for(condition: Callable[[], T], what: str, timeout: float = 10.0, interval: float = 0.002,
             detail: Callable[[], str] | None = None) -> T:
    """Poll `condition` until it returns a truthy value, or raise WaitTimeout naming `what`."""
    deadline = time.monotonic() + scaled(timeout)
    delay = interval
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise WaitTimeout(what, scaled(timeout), detail() if detail else "")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.05)

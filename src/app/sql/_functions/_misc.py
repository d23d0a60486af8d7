"""Miscellaneous functions: UUID, SLEEP."""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlglot import exp

from .._sqltypes import INT, STRING
from ._registry import Family

fn = Family("misc")


@fn.scalar("UUID", node=exp.Uuid, returns=STRING, deterministic=False, examples=["UUID()"])
def uuid1() -> str:
    return str(uuid.uuid1())


@fn.scalar("SLEEP", returns=INT, deterministic=False, examples=["SLEEP(0)"])
def sleep(seconds: Any) -> int:
    # Holds the statement as SLEEP() holds a MySQL connection thread (at most 5 s).
    time.sleep(min(float(seconds or 0), 5.0))
    return 0

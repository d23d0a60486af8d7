"""Miscellaneous functions: UUID, SLEEP."""

from __future__ import annotations

import uuid
from typing import Any

from sqlglot import exp

from .. import _interrupts as interrupts
from .._sqltypes import INT, STRING
from ._registry import Family

fn = Family("misc")


@fn.scalar("UUID", node=exp.Uuid, returns=STRING, deterministic=False, examples=["UUID()"])
def uuid1() -> str:
    return str(uuid.uuid1())


@fn.scalar("SLEEP", returns=INT, deterministic=False, examples=["SLEEP(0)"])
def sleep(seconds: Any) -> int:
    # Holds the statement as SLEEP() holds a MySQL connection thread (at most 5 s), until it is interrupted
    # (KILL, max_statement_time, a shutdown): then 1, as MariaDB returns, and the statement fails with the
    # interrupt's error once SQLite sees its own interrupt flag.
    return 1 if interrupts.wait(min(float(seconds or 0), 5.0)) else 0

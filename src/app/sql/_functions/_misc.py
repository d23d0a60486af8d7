"""Miscellaneous functions: UUID, UUID_SHORT, SYS_GUID, SLEEP, BENCHMARK, DECODE_ORACLE."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from typing import Any, Final

from sqlglot import exp

from .. import _interrupts as interrupts
from .._errors import ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError
from .._sqltypes import INT, STRING, UBIGINT
from .._types import number_of
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


# UUID_SHORT(): (server_id & 255) << 56, the server's start time in seconds << 24, then a counter.
_SHORT_BASE: Final = (int(time.time()) & 0xFFFFFFFF) << 24
_short_counter = itertools.count()
_short_lock = threading.Lock()


@fn.scalar("UUID_SHORT", returns=UBIGINT, deterministic=False, examples=["UUID_SHORT() > 0"])
def uuid_short() -> int:
    with _short_lock:
        return (_SHORT_BASE + next(_short_counter)) & (2**63 - 1)


@fn.scalar("SYS_GUID", returns=STRING, deterministic=False, examples=["LENGTH(SYS_GUID())"])
def sys_guid() -> str:
    return uuid.uuid1().hex.upper()


@fn.scalar("BENCHMARK", returns=INT, deterministic=False, examples=["BENCHMARK(10, 1 + 1)"])
def benchmark(count: Any, value: Any) -> int | None:
    """The expression was computed once (SQLite computed the argument); MariaDB answers 0 after its loop."""
    return None if count is None else 0


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None  # DECODE_ORACLE: NULL matches NULL
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        return number_of(a) == number_of(b)
    return str(a) == str(b)


@fn.scalar("DECODE_ORACLE", returns=STRING,
           examples=["DECODE_ORACLE(1, 1, 'one', 2, 'two', 'other')", "DECODE_ORACLE(NULL, NULL, 'n', 'no')"])
def decode_oracle(value: Any, *pairs: Any) -> Any:
    """DECODE_ORACLE(expr, search, result, ..., default): the result of the first search equal to expr."""
    for i in range(0, len(pairs) - 1, 2):
        if _same(value, pairs[i]):
            return pairs[i + 1]
    return pairs[-1] if len(pairs) % 2 else None


@fn.scalar("INTERVAL", returns=INT,
           examples=["INTERVAL(23, 1, 15, 17, 30)", "INTERVAL(NULL, 1)", "INTERVAL(3, NULL, 1, 5)"])
def interval(n: Any, first: Any, *rest: Any) -> int:
    """INTERVAL(N, N1, N2, ...): the index of the first Ni greater than N (0 when N < N1; the count of the Ni
    when none is), NULL ones passed over; -1 when N is NULL."""
    if n is None:
        return -1
    x = number_of(n)
    bounds = (first, *rest)
    return next((i for i, b in enumerate(bounds) if b is not None and number_of(b) > x), len(bounds))


def _name_const(node: exp.Anonymous) -> exp.Expr:
    """NAME_CONST(name, value): the value, under that name when it is a column of the result."""
    if len(node.expressions) != 2:
        raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT,
                       f"Incorrect parameter count in the call to native function '{node.name}'")
    name: exp.Expr = node.expressions[0]
    value: exp.Expr = node.expressions[1]
    if isinstance(node.parent, exp.Select) and node.arg_key == "expressions" and isinstance(name, exp.Literal):
        return exp.Alias(this=value, alias=exp.to_identifier(name.this, quoted=True))
    return value


fn.native("NAME_CONST", returns=lambda n, t: t.infer(n.expressions[-1]), rewrite=_name_const,
          examples=["NAME_CONST('n', 14)", "NAME_CONST('s', 'str')"])

"""Named locks: GET_LOCK, RELEASE_LOCK, IS_FREE_LOCK, IS_USED_LOCK, RELEASE_ALL_LOCKS.

A node's sessions share one table of locks (`NamedLocks`, the engine's), held by connection id: a
session may take the same lock again (it then releases it as many times), its locks go when it ends,
and GET_LOCK waits for another session's lock up to its timeout (negative: for ever), a wait that
KILL and max_statement_time end like any statement.
"""

from __future__ import annotations

from typing import Any

from .._sqltypes import INT, UBIGINT, ULONG
from ._registry import Family, FunctionContext

fn = Family("named locks")


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

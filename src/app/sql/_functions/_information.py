"""Information functions: DATABASE, USER, VERSION, CONNECTION_ID, LAST_INSERT_ID, ROW_COUNT, FOUND_ROWS.

They read the session (`FunctionContext`), so they are registered per connection, bound to it.
"""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from .._sqltypes import BIGINT, STRING, UBIGINT, ULONG
from ._registry import Family, FunctionContext

fn = Family("information")


@fn.scalar("DATABASE", "SCHEMA", node=exp.CurrentSchema, returns=STRING, needs_session=True, deterministic=False,
           examples=["DATABASE()", "SCHEMA()"])
def database(ctx: FunctionContext) -> str | None:
    return ctx.database


@fn.scalar("USER", "SYSTEM_USER", "SESSION_USER", node=exp.SessionUser,
           returns=STRING, needs_session=True, deterministic=False,
           examples=["USER()", "SYSTEM_USER()", "SESSION_USER()"])
def user(ctx: FunctionContext) -> str:
    """The user the client logged in as, and the host it came from."""
    return f"{ctx.user}@{ctx.host}"


@fn.scalar("CURRENT_USER", node=exp.CurrentUser, returns=STRING, needs_session=True, deterministic=False,
           examples=["CURRENT_USER()", "CURRENT_USER"])
def current_user(ctx: FunctionContext) -> str:
    """The account the session authenticated as (its privileges are the session's)."""
    return f"{ctx.priv_user}@{ctx.priv_host}"


@fn.scalar("VERSION", node=exp.CurrentVersion, returns=STRING, needs_session=True, deterministic=False,
           examples=["VERSION()"])
def version(ctx: FunctionContext) -> str:
    return ctx.version


@fn.scalar("CONNECTION_ID", returns=ULONG, needs_session=True, deterministic=False, examples=["CONNECTION_ID()"])
def connection_id(ctx: FunctionContext) -> int:
    return ctx.connection_id


@fn.scalar("LAST_INSERT_ID", returns=UBIGINT, needs_session=True, deterministic=False,
           examples=["LAST_INSERT_ID()", "LAST_INSERT_ID(5)"])
def last_insert_id(ctx: FunctionContext, *value: Any) -> Any:
    """LAST_INSERT_ID(); LAST_INSERT_ID(n) also makes n the session's last insert id."""
    if not value:
        return ctx.last_insert_id
    ctx.last_insert_id = int(value[0])
    return value[0]


@fn.scalar("ROW_COUNT", returns=BIGINT, needs_session=True, deterministic=False, examples=["ROW_COUNT()"])
def row_count(ctx: FunctionContext) -> int:
    return ctx.row_count


@fn.scalar("FOUND_ROWS", returns=BIGINT, needs_session=True, deterministic=False, examples=["FOUND_ROWS()"])
def found_rows(ctx: FunctionContext) -> int:
    return ctx.found_rows

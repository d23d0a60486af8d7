"""Assignment to user variables inside a statement (`SELECT @n := @n + 1`): the helpers the
translator calls where a statement assigns a variable, so that each row reads what the rows before
it assigned (a variable only read is bound once, when the statement starts). Also the call of a
stored function, whose locals are such variables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlglot import exp

from .._sqltypes import TypeExpr, VariableRef, from_decltype
from ._registry import REGISTRY, Family, FunctionContext, Typer

fn = Family("user variables")


def _assigned_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """@v := x has the type of x."""
    args = node.expressions if isinstance(node, exp.Anonymous) else []
    return typer.infer(args[1]) if len(args) > 1 else None


def _read_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """@v in a statement that assigns it: typed by the value it held when the statement began, as MariaDB
    types it when it prepares the statement."""
    args = node.expressions if isinstance(node, exp.Anonymous) else []
    return VariableRef(args[0].name.lower()) if args and isinstance(args[0], exp.Literal) else None


@fn.internal("APP_SET_VAR", returns=_assigned_type, needs_session=True, deterministic=False)
def set_var(ctx: FunctionContext, name: str, value: Any) -> Any:
    """@name := value: assigns, and is the value."""
    ctx.user_variables[name] = value
    return value


def _stored_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """A stored function's declared return type (RETURNS)."""
    name = node.expressions[0].name if isinstance(node, exp.Anonymous) and node.expressions else ""
    declared = REGISTRY.stored_function(name) if REGISTRY.stored_function is not None else None
    return from_decltype(declared) if declared else None


@fn.internal("APP_STORED_FUNCTION", returns=_stored_type, needs_session=True, deterministic=False)
def stored_function(ctx: FunctionContext, name: str, *args: Any) -> Any:
    """A call of a stored function (CREATE FUNCTION): run by the session's interpreter."""
    return ctx.call_stored_function(name, list(args))


@fn.internal("APP_TRIGGER", returns=None, needs_session=True, deterministic=False)
def fire_trigger(ctx: FunctionContext, database: str, table: str, event: str, timing: str, *values: Any) -> None:
    """A row's stored triggers of one timing and event (the TEMP triggers of `_statements._sptrig` call it)."""
    if ctx.triggers is not None:
        ctx.triggers.fire(database, table, event, timing, list(values))


@fn.internal("APP_TRIGGERS_ON", returns=None, needs_session=True, deterministic=False)
def triggers_on(ctx: FunctionContext) -> int:
    return int(ctx.triggers is not None and ctx.triggers.enabled)


@fn.internal("APP_TRIGGER_FIXING", returns=None, needs_session=True, deterministic=False)
def trigger_fixing(ctx: FunctionContext, database: str, table: str) -> int:
    return int(ctx.triggers is not None and ctx.triggers.fixing(database, table))


@fn.internal("APP_TRIGGER_NEW", returns=None, needs_session=True, deterministic=False)
def trigger_new(ctx: FunctionContext, i: int) -> Any:
    value = ctx.triggers.new_value(i) if ctx.triggers is not None else None
    if value is not None and not isinstance(value, (int, float, str, bytes)):
        return str(value)  # a DECIMAL or a date as SQLite stores it: text the column's affinity reads
    return value


@fn.internal("APP_GET_VAR", returns=_read_type, needs_session=True, deterministic=False)
def get_var(ctx: FunctionContext, name: str) -> Any:
    """@name, in a statement that assigns it: its value now."""
    value = ctx.user_variables.get(name)
    if isinstance(value, Decimal):  # a DECIMAL variable: its digits, which the exact helpers read
        return str(value)
    if isinstance(value, int) and value > _INT64_MAX:  # as a BIGINT UNSIGNED column stores it
        return str(value).zfill(20).encode()
    return value


_INT64_MAX = 2**63 - 1

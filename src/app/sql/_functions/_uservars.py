"""Assignment to user variables inside a statement (`SELECT @n := @n + 1`): the helpers the
translator calls where a statement assigns a variable, so that each row reads what the rows before
it assigned (a variable only read is bound once, when the statement starts)."""

from __future__ import annotations

from typing import Any

from ._registry import Family, FunctionContext

fn = Family("user variables")


@fn.internal("APP_SET_VAR", returns=None, needs_session=True, deterministic=False)
def set_var(ctx: FunctionContext, name: str, value: Any) -> Any:
    """@name := value: assigns, and is the value."""
    ctx.user_variables[name] = value
    return value


@fn.internal("APP_GET_VAR", returns=None, needs_session=True, deterministic=False)
def get_var(ctx: FunctionContext, name: str) -> Any:
    """@name, in a statement that assigns it: its value now."""
    return ctx.user_variables.get(name)

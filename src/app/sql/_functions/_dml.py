"""Helpers the DML statements call from inside SQLite to count rows as MySQL counts them."""

from __future__ import annotations

from typing import Any

from ._registry import Family, FunctionContext

fn = Family("dml")


@fn.internal("APP_UPSERT_UPDATED", returns=None, needs_session=True, deterministic=False)
def upsert_updated(ctx: FunctionContext, changed: Any, rowid: Any) -> Any:
    """The WHERE of an upsert's DO UPDATE: counts the rows it updates and those already up to date."""
    counts = ctx.dml
    if changed:
        counts.upsert_rowid = rowid or 0
        counts.upsert_updated += 1
    else:
        counts.upsert_same += 1
    return changed


@fn.internal("APP_REPLACED", returns=None, needs_session=True, deterministic=False)
def replaced(ctx: FunctionContext) -> None:
    """Called by a TEMP trigger for each row a REPLACE deletes (SQLite leaves them out of changes())."""
    ctx.dml.replaced += 1

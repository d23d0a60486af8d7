"""Helpers the DML statements call from inside SQLite to count rows as MySQL counts them."""

from __future__ import annotations

import json
from typing import Any

from .._diagnostics import warn
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


ER_DUP_ENTRY_WARNING = 1062


@fn.internal("APP_IGNORED", returns=None, deterministic=False)
def ignored(spec: str, *values: Any) -> int:
    """The WHERE of INSERT IGNORE's upsert clause (never true: the row is skipped), which warns 1062 for
    the first key whose columns hold the same values in the table's row and the refused one. `values`:
    each key column's value in the table, then in the refused row, key after key of `spec`."""
    position = 0
    for name, count in json.loads(spec):
        pairs = [(values[position + 2 * k], values[position + 2 * k + 1]) for k in range(count)]
        position += 2 * count
        if all(_same(old, new) for old, new in pairs):
            shown = "-".join("NULL" if new is None else _shown(new) for _, new in pairs)
            warn(ER_DUP_ENTRY_WARNING, f"Duplicate entry '{shown}' for key '{name}'")
            break
    return 0


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold().rstrip(" ") == b.casefold().rstrip(" ")
    return bool(a == b)


def _shown(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

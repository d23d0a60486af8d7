"""Writing SQLite SQL: identifiers."""

from __future__ import annotations


def quote(name: str) -> str:
    """An SQLite identifier: `name` in double quotes."""
    return '"' + name.replace('"', '""') + '"'

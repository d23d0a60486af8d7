"""MariaDB's character sets and collations as SHOW CHARACTER SET, SHOW COLLATION and information_schema's
CHARACTER_SETS and COLLATIONS list them (`charsets.tsv`, taken from MariaDB 10.11).

They are the names MariaDB knows; app stores all text as utf8mb4 and compares it by the rules README
describes, whatever collation a column names.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any


@functools.cache
def _rows() -> tuple[tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]]:
    charsets: list[tuple[Any, ...]] = []
    collations: list[tuple[Any, ...]] = []
    text = resources.files(__package__ or "app.sql._statements").joinpath("charsets.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, *fields = line.split("\t")
        if kind == "charset":
            name, collation, description, maxlen = fields
            charsets.append((name, collation, description, int(maxlen)))
        else:
            name, charset, ident, default, compiled, sortlen = fields
            collations.append((name, None if charset == "None" else charset, None if ident == "None" else int(ident),
                               None if default == "None" else default, compiled, int(sortlen)))
    return tuple(charsets), tuple(collations)


def character_sets() -> tuple[tuple[Any, ...], ...]:
    """(name, default collation, description, maxlen): information_schema.CHARACTER_SETS's rows."""
    return _rows()[0]


def collations() -> tuple[tuple[Any, ...], ...]:
    """(name, charset, id, 'Yes' or '', 'Yes', sortlen): information_schema.COLLATIONS's rows."""
    return _rows()[1]

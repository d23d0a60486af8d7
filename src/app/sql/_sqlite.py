"""Writing SQLite SQL: identifiers, and the names tables have in SQLite.

MariaDB on Linux (lower_case_table_names=0) keeps table names as written and compares them exactly:
`t` and `T` are two tables. SQLite compares identifiers ignoring ASCII case, so a table is stored
under a name without upper-case ASCII letters: each one is written as `NAME_ESCAPE` and the letter
in lower case (and `NAME_ESCAPE` itself doubled). A name without capitals (the usual case) is stored
as it is. `NAME_ESCAPE` is a private-use character, which no client text is expected to hold, so
that any text made from stored names (an error message, SHOW CREATE TABLE's statement) is shown by
replacing every escape (`shown_name`), without knowing where the names are in it.

Statements' trees get the stored names as they are planned (`store_table_names`), so that what is
planned from them, and the SQLite text made of them, names the stored tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from sqlglot import exp

from ._errors import NAME_ESCAPE, shown_name

__all__ = ["NAME_ESCAPE", "quote", "shown_name", "store_table_names", "stored_name"]

_CAPITALS: Final = re.compile("[A-Z\ue000]")
# Schemas whose tables are not stored in SQLite under their names (materialised per query, or app's own).
SYSTEM_SCHEMAS: Final = frozenset({"information_schema", "mysql", "performance_schema", "sys"})
_TABLE_KINDS: Final = frozenset({"TABLE", "VIEW", "INDEX", "SEQUENCE"})
_STORED: Final = "stored_name"  # meta key: this identifier already names the stored table


def quote(name: str) -> str:
    """An SQLite identifier: `name` in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def stored_name(name: str) -> str:
    """The name SQLite has for the table (or view) that MariaDB calls `name` (see the module docstring)."""
    if _CAPITALS.search(name) is None:
        return name
    return _CAPITALS.sub(lambda m: NAME_ESCAPE + (NAME_ESCAPE if m.group() == NAME_ESCAPE else m.group().lower()),
                         name)


def store_table_names(tree: exp.Expr, virtual: Iterable[str] = ()) -> None:
    """Name the tables of a statement's tree (and the columns qualified by a table's name) by their
    stored names. Tables of the system schemas and of `virtual` ones, and CTEs, keep their names. Safe
    to call again on the tree or a part of it (a name is stored once)."""
    if isinstance(tree, exp.Use) or (isinstance(tree, (exp.Create, exp.Drop))
                                     and str(tree.args.get("kind") or "").upper() not in _TABLE_KINDS):
        return  # a database's or a routine's name
    skip = SYSTEM_SCHEMAS.union(v.lower() for v in virtual)
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    renamed: dict[str, str] = {}
    aliases: set[str] = set()
    for table in tree.find_all(exp.Table):
        ident = table.this
        if not isinstance(ident, exp.Identifier):
            continue
        if table.alias:
            aliases.add(table.alias)
        db = table.text("db")
        if ident.meta.get(_STORED) or (db.lower() in skip if db else ident.name.lower() in ctes or (
                ident.name.lower() == "dual" and not ident.quoted)):
            continue
        ident.meta[_STORED] = True
        name = stored_name(ident.name)
        if name != ident.name:
            if not table.alias:
                renamed[ident.name] = name
            ident.set("this", name)
            ident.set("quoted", True)
    if not renamed:
        return
    for column in tree.find_all(exp.Column):
        qualifier = column.args.get("table")
        if (isinstance(qualifier, exp.Identifier) and not qualifier.meta.get(_STORED)
                and qualifier.name in renamed and qualifier.name not in aliases):
            qualifier.meta[_STORED] = True
            qualifier.set("this", renamed[qualifier.name])
            qualifier.set("quoted", True)

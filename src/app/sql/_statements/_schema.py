"""What SQLite does not keep of a MySQL table definition, kept beside it in the database's own file.

SQLite's schema holds a table's columns, their declared (MySQL) types, defaults, NOT NULL, the
primary key and the indexes; it does not hold the names of foreign keys and CHECK constraints, the
MySQL text of a CHECK, nor a column's collation by name. Those are a table's `Extras`, stored as JSON
in the table "app.tables" of each database (written by the same DDL statements that change the
table, so they commit, roll back and replicate with it). SHOW CREATE TABLE, SHOW INDEX and
information_schema read SQLite's schema and the extras together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

import apsw

from .._sqlite import quote

META_TABLE: Final = "app.tables"
# Made on first use, in the statements of the DDL that writes it (so that replication makes it too).
ENSURE_META: Final = (f"CREATE TABLE IF NOT EXISTS {quote(META_TABLE)} "
                      "(name TEXT PRIMARY KEY COLLATE NOCASE, definition TEXT NOT NULL)")
# Tables users made: not SQLite's own, not this file's metadata.
USER_TABLE_FILTER: Final = (f"name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '{META_TABLE}' "
                            "AND name <> 'app.routines'")


@dataclass(frozen=True, slots=True)
class ForeignKeyDef:
    """A FOREIGN KEY constraint. on_delete / on_update as written (None: not written, RESTRICT)."""

    name: str
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]
    on_delete: str | None = None
    on_update: str | None = None

    def mysql(self) -> str:
        """As SHOW CREATE TABLE prints it (RESTRICT, the default, is not printed)."""
        cols = ",".join(f"`{c}`" for c in self.columns)
        refs = ",".join(f"`{c}`" for c in self.ref_columns)
        text = f"CONSTRAINT `{self.name}` FOREIGN KEY ({cols}) REFERENCES `{self.table}` ({refs})"
        for event, action in (("DELETE", self.on_delete), ("UPDATE", self.on_update)):
            if action is not None and action != "RESTRICT":
                text += f" ON {event} {action}"
        return text

    def sqlite(self) -> str:
        cols = ", ".join(quote(c) for c in self.columns)
        refs = ", ".join(quote(c) for c in self.ref_columns)
        text = f"CONSTRAINT {quote(self.name)} FOREIGN KEY ({cols}) REFERENCES {quote(self.table)} ({refs})"
        for event, action in (("DELETE", self.on_delete), ("UPDATE", self.on_update)):
            if action is not None:
                text += f" ON {event} {action}"
        return text


@dataclass(frozen=True, slots=True)
class CheckDef:
    """A CHECK constraint: `clause` as MariaDB prints it; `column` for a column's own CHECK (which
    MariaDB names after the column and prints in the column's definition)."""

    name: str
    clause: str
    column: str | None = None


@dataclass(frozen=True, slots=True)
class Extras:
    """A table's definition beyond SQLite's schema (see module docstring)."""

    fks: tuple[ForeignKeyDef, ...] = ()
    checks: tuple[CheckDef, ...] = ()
    collations: dict[str, str] = field(default_factory=dict)  # lower-case column -> collation, if not the default
    comment: str = ""  # the table's COMMENT
    column_comments: dict[str, str] = field(default_factory=dict)  # lower-case column -> its COMMENT
    sequence: bool = False  # the table is a SEQUENCE (see `sequence`)
    # lower-case column -> (its expression as MariaDB prints it, STORED): a generated column (SQLite's keeps
    # the expression translated)
    generated: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "fks": [[f.name, list(f.columns), f.table, list(f.ref_columns), f.on_delete, f.on_update]
                    for f in self.fks],
            "checks": [[c.name, c.clause, c.column] for c in self.checks],
            "collations": self.collations,
        }
        if self.comment:
            data["comment"] = self.comment
        if self.column_comments:
            data["column_comments"] = self.column_comments
        if self.sequence:
            data["sequence"] = True
        if self.generated:
            data["generated"] = {c: [text, stored] for c, (text, stored) in self.generated.items()}
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Extras:
        data: dict[str, Any] = json.loads(text)
        return cls(tuple(ForeignKeyDef(n, tuple(c), t, tuple(r), d, u) for n, c, t, r, d, u in data.get("fks", [])),
                   tuple(CheckDef(n, cl, col) for n, cl, col in data.get("checks", [])),
                   dict(data.get("collations", {})), str(data.get("comment", "")),
                   dict(data.get("column_comments", {})), bool(data.get("sequence", False)),
                   {c: (str(text), bool(stored)) for c, (text, stored) in data.get("generated", {}).items()})


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def save_statements(table: str, extras: Extras, *, replace: bool = True) -> tuple[str, ...]:
    """The statements recording `table`'s extras (kept if it has some already and not `replace`)."""
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    return (ENSURE_META,
            f"{verb} INTO {quote(META_TABLE)} (name, definition) VALUES ({_literal(table)}, "
            f"{_literal(extras.to_json())})")


def delete_statements(table: str) -> tuple[str, ...]:
    return (ENSURE_META, f"DELETE FROM {quote(META_TABLE)} WHERE name = {_literal(table)}")


def rename_statements(old: str, new: str) -> tuple[str, ...]:
    return (ENSURE_META, f"UPDATE {quote(META_TABLE)} SET name = {_literal(new)} WHERE name = {_literal(old)}")


def _has_meta(conn: apsw.Connection) -> bool:
    return bool(conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                             (META_TABLE,)).fetchall())


def read_extras(conn: apsw.Connection, table: str) -> Extras:
    """The extras of `table` (none recorded: empty)."""
    if not _has_meta(conn):
        return Extras()
    rows = conn.execute(f"SELECT definition FROM {quote(META_TABLE)} WHERE name = ?", (table,)).fetchall()
    return Extras.from_json(str(rows[0][0])) if rows else Extras()


def all_extras(conn: apsw.Connection) -> dict[str, Extras]:
    """Every table's extras, by table name."""
    if not _has_meta(conn):
        return {}
    return {str(name): Extras.from_json(str(definition))
            for name, definition in conn.execute(f"SELECT name, definition FROM {quote(META_TABLE)}")}


def referencing(conn: apsw.Connection, table: str) -> list[tuple[str, ForeignKeyDef]]:
    """(child table, foreign key) of every foreign key referencing `table` from another table."""
    return [(child, fk) for child, extras in all_extras(conn).items() if child != table.lower()
            for fk in extras.fks if fk.table.lower() == table.lower()]

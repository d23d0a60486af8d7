"""A table's keys and its CREATE TABLE text as MariaDB shows them: SHOW CREATE TABLE, SHOW INDEX,
and the key and constraint tables of information_schema read them from here.

The columns come from `_describe` (SQLite's schema), the keys from SQLite's indexes, the foreign
keys, CHECKs and collations from the table's extras (`_schema`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

import apsw

from .._sqlite import quote
from ._describe import ColumnInfo
from ._schema import Extras

_PLAIN_NAME: Final = re.compile(r"[A-Za-z_$][\w$]*")
# Names SHOW CREATE TABLE quotes even with sql_quote_show_create=0 (the reserved words a table is likely to use).
_RESERVED: Final = frozenset({"key", "keys", "index", "primary", "unique", "order", "group", "table", "select", "from",
                              "where", "check", "constraint", "references", "default", "desc", "asc", "by", "to",
                              "int", "integer", "char", "varchar", "column", "add", "drop", "create", "change"})


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """An index as SHOW INDEX lists it: its name (PRIMARY for the primary key) and columns."""

    name: str
    unique: bool
    columns: tuple[str, ...]
    descending: tuple[bool, ...] = ()  # per column (empty: all ascending)

    @property
    def primary(self) -> bool:
        return self.name == "PRIMARY"


def table_keys(conn: apsw.Connection, table: str) -> list[KeyInfo]:
    """The table's keys in MariaDB's order: the primary key, the unique keys, then the others, each
    group in the order the keys were made."""
    keys: list[KeyInfo] = []
    info = [r for r in conn.execute(f"PRAGMA table_info({quote(table)})") if r[5]]
    pk = tuple(str(r[1]) for r in sorted(info, key=lambda r: int(r[5])))
    if pk:
        keys.append(KeyInfo("PRIMARY", True, pk))
    made = {str(name): n for n, (name,) in enumerate(conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE ORDER BY rowid",
        (table,)))}
    others = []
    for _, index, unique, origin, _ in conn.execute(f"PRAGMA index_list({quote(table)})"):
        if origin == "pk":
            continue
        info = [r for r in conn.execute(f"PRAGMA index_xinfo({quote(index)})") if r[5]]  # its key columns
        cols = tuple(str(r[2]) for r in info)
        others.append((not unique, made.get(str(index), -1),
                       KeyInfo(str(index).split(".", 1)[-1], bool(unique), cols, tuple(bool(r[3]) for r in info))))
    keys.extend(k for _, _, k in sorted(others, key=lambda o: (o[0], o[1])))
    return keys


def cardinality(conn: apsw.Connection, table: str, columns: tuple[str, ...]) -> int:
    """The distinct values of a key's leading columns (what InnoDB reports for a small table)."""
    cols = ", ".join(quote(c) for c in columns)
    found = conn.execute(f"SELECT COUNT(*) FROM (SELECT DISTINCT {cols} FROM {quote(table)})").fetchall()
    count = found[0][0]
    return count if isinstance(count, int) else 0


def index_rows(conn: apsw.Connection, table: str, infos: list[ColumnInfo]) -> list[tuple[Any, ...]]:
    """SHOW INDEX's rows (the same as information_schema.STATISTICS has, less the schema columns)."""
    nullable = {i.name.lower(): i.nullable for i in infos}
    rows: list[tuple[Any, ...]] = []
    for key in table_keys(conn, table):
        for seq, col in enumerate(key.columns, 1):
            descending = key.descending[seq - 1] if key.descending else False
            rows.append((table, 0 if key.unique else 1, key.name, seq, col, "D" if descending else "A",
                         cardinality(conn, table, key.columns[:seq]), None, None,
                         "YES" if nullable.get(col.lower()) else "", "BTREE", "", "", "NO"))
    return rows


def _name(name: str, quoted: bool) -> str:
    if quoted or not _PLAIN_NAME.fullmatch(name) or name.lower() in _RESERVED:
        return "`" + name.replace("`", "``") + "`"
    return name


def create_table_text(conn: apsw.Connection, table: str, infos: list[ColumnInfo], extras: Extras, *,
                      quoted: bool = True, temporary: bool = False) -> str:
    """SHOW CREATE TABLE's text, as MariaDB prints it (`quoted`: sql_quote_show_create)."""
    column_checks = {c.column.lower(): c.clause for c in extras.checks if c.column}
    lines = []
    for i in infos:
        line = f"  {_name(i.name, quoted)} {i.type}"
        generated = extras.generated.get(i.name.lower())
        if generated is not None:
            text, stored = generated
            line += f" GENERATED ALWAYS AS ({text}) {'STORED' if stored else 'VIRTUAL'}"
            comment = extras.column_comments.get(i.name.lower())
            if comment:
                line += " COMMENT '" + comment.replace("\\", "\\\\").replace("'", "''") + "'"
            lines.append(line)
            continue
        collation = extras.collations.get(i.name.lower())
        if collation:
            line += f" CHARACTER SET {collation.split('_', 1)[0]} COLLATE {collation}"
        if not i.nullable:
            line += " NOT NULL"
        elif i.type.startswith("timestamp"):
            line += " NULL"  # a TIMESTAMP says it may be NULL (it is NOT NULL unless declared NULL)
        if i.default_sql is not None:
            line += " DEFAULT " + i.default_sql
        if i.extra:
            line += " " + i.extra.upper()
        comment = extras.column_comments.get(i.name.lower())
        if comment:
            line += " COMMENT '" + comment.replace("\\", "\\\\").replace("'", "''") + "'"
        if i.name.lower() in column_checks:
            line += f" CHECK ({column_checks[i.name.lower()]})"
        lines.append(line)
    for key in table_keys(conn, table):
        descending = key.descending or (False,) * len(key.columns)
        cols = ",".join(_name(c, quoted) + (" DESC" if d else "") for c, d in zip(key.columns, descending, strict=True))
        if key.primary:
            lines.append(f"  PRIMARY KEY ({cols})")
        else:
            lines.append(f"  {'UNIQUE ' if key.unique else ''}KEY {_name(key.name, quoted)} ({cols})")
    for fk in sorted(extras.fks, key=lambda f: f.name.lower()):
        lines.append("  " + fk.mysql() if quoted else "  " + fk.mysql().replace("`", ""))
    for check in extras.checks:
        if check.column is None:
            lines.append(f"  CONSTRAINT {_name(check.name, quoted)} CHECK ({check.clause})")
    options = " ENGINE=InnoDB"
    if any(i.extra == "auto_increment" for i in infos):
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE", (table,)).fetchall() \
            if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").fetchall() else []
        if seq and seq[0][0]:
            options += f" AUTO_INCREMENT={int(seq[0][0]) + 1}"
    comment = ""
    if extras.comment:
        comment = " COMMENT='" + extras.comment.replace("\\", "\\\\").replace("'", "''") + "'"
    if extras.sequence:  # MariaDB's table of a SEQUENCE says so, without a character set
        return f"CREATE TABLE {_name(table, quoted)} (\n" + ",\n".join(lines) + "\n) ENGINE=InnoDB SEQUENCE=1"
    kind = "TEMPORARY TABLE" if temporary else "TABLE"
    return (f"CREATE {kind} {_name(table, quoted)} (\n" + ",\n".join(lines) + f"\n){options} DEFAULT CHARSET=utf8mb4"
            " COLLATE=utf8mb4_general_ci" + comment)

"""What the catalog says about a database's tables, as MariaDB shows it: DESCRIBE's columns, keys,
SHOW CREATE TABLE's text. Read by SHOW and by information_schema."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import apsw

from .._errors import ER_NO_SUCH_TABLE, SQLError
from .._sealed import trusted
from .._sqlite import quote


@dataclass(frozen=True, slots=True, eq=False)
class ColumnInfo:
    """A column as DESCRIBE shows it."""

    name: str
    type: str
    nullable: bool
    key: str
    default: str | None
    extra: str
    position: int
    # The default as information_schema.COLUMNS.COLUMN_DEFAULT shows it (MariaDB >= 10.2.7): an SQL
    # expression, so 'NULL' for a nullable column without default and "'x'" for a string.
    default_sql: str | None = None


def like_regex(pattern: str) -> re.Pattern[str]:
    """A MySQL LIKE pattern as a case-insensitive regular expression."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("^" + "".join(out) + "$", re.I | re.S)


def _tables_of(conn: apsw.Connection) -> list[tuple[str, str]]:
    """(name, 'BASE TABLE' | 'VIEW') of a database's tables."""
    return [
        (name, "VIEW" if kind == "view" else "BASE TABLE")
        for name, kind in conn.execute(
            "SELECT name, type FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]


def _default_text(raw: str | None) -> str | None:
    if raw is None or raw.upper() == "NULL":
        return None
    if "datetime('now'" in raw:
        return "current_timestamp()"
    if "date('now'" in raw:
        return "curdate()"
    if raw.startswith("'") and raw.endswith("'"):
        return raw[1:-1].replace("''", "'")
    return raw.strip("()")




_NUMERIC_BASES: Final = frozenset({"tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double",
                                   "bit", "year"})


def _format_default(text: str | None, type_text: str) -> str | None:
    """A numeric default as MariaDB prints it: a DECIMAL with its scale ('1.5' -> '1.50')."""
    m = re.match(r"decimal\(\d+,(\d+)\)", type_text)
    if text is None or m is None:
        return text
    try:
        return f"{Decimal(text):.{int(m.group(1))}f}"
    except ArithmeticError:
        return text


def _default_sql(raw: str | None, type_text: str, nullable: bool) -> str | None:
    if raw is None or raw.upper() == "NULL":
        return "NULL" if nullable else None
    text = _default_text(raw)
    if text is None or text.endswith(")"):
        return text
    if type_text.split("(")[0] in _NUMERIC_BASES:
        return _format_default(text, type_text)
    return "'" + text.replace("'", "''") + "'"


_AUTO: Final = re.compile(r'"((?:[^"]|"")+)" INTEGER PRIMARY KEY AUTOINCREMENT(?: /\*([^*]*)\*/)?')


def _describe(conn: apsw.Connection, table: str) -> list[ColumnInfo] | None:
    """The columns of `table` as MariaDB's DESCRIBE reports them, or None if there is no such table."""
    row = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type IN ('table','view') AND name = ? COLLATE NOCASE",
                       (table,)).fetchall()
    if not row:
        return None
    name, create_sql = str(row[0][0]), row[0][1]
    auto = _AUTO.search(str(create_sql or ""))
    auto_col = auto.group(1).replace('""', '"') if auto else None
    # The declared type of an AUTO_INCREMENT column is kept in a comment after SQLite's
    # INTEGER PRIMARY KEY (tables made before that say nothing: int(11)).
    auto_type = (auto.group(2) if auto else None) or "int(11)"
    keys: dict[str, str] = {}
    for _, index, unique, origin, _ in conn.execute(f"PRAGMA index_list({quote(name)})"):
        cols = [r[2] for r in conn.execute(f"PRAGMA index_info({quote(index)})")]
        if not cols:
            continue
        first = cols[0]
        if origin == "pk":
            keys[first] = "PRI"
        elif unique and len(cols) == 1:
            keys.setdefault(first, "UNI")
        else:
            keys.setdefault(first, "MUL")
    infos = []
    table_info = list(conn.execute(f"PRAGMA table_info({quote(name)})"))
    pk_count = sum(1 for r in table_info if r[5])
    for cid, col, decl, notnull, default, pk in table_info:
        key = keys.get(col, "")
        if pk:
            key = "PRI" if pk == 1 or pk_count > 1 else key
        type_text = decl or ""
        extra = ""
        if col == auto_col:
            type_text, extra = auto_type, "auto_increment"
        type_text = type_text.lower()
        nullable = not notnull and not pk
        infos.append(ColumnInfo(col, type_text, nullable, key, _format_default(_default_text(default), type_text),
                                extra, cid + 1, _default_sql(default, type_text, nullable)))
    return infos


def _secondary_keys(conn: apsw.Connection, table: str) -> list[tuple[str, bool]]:
    """(index, unique) of a table's keys other than the primary key, in MariaDB's order: unique
    keys first, each group in the order the keys were made."""
    made = {name: n for n, (name,) in enumerate(conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE ORDER BY rowid",
        (table,)))}
    keys = [(index, bool(unique)) for _, index, unique, origin, _ in conn.execute(f"PRAGMA index_list({quote(table)})")
            if origin != "pk"]
    return sorted(keys, key=lambda k: (not k[1], made.get(k[0], -1)))


def _index_rows(conn: apsw.Connection, table: str, dbname: str) -> list[tuple[Any, ...]]:
    """SHOW INDEX's rows: the primary key, then the unique keys, then the others."""
    infos = _describe(conn, table)
    if infos is None:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{table}' doesn't exist")
    rows: list[tuple[Any, ...]] = []
    pk = [i.name for i in infos if i.key == "PRI"]
    for seq, col in enumerate(pk, 1):
        rows.append((table, 0, "PRIMARY", seq, col))
    for index, unique in _secondary_keys(conn, table):
        for seq, (_, _, col) in enumerate(conn.execute(f"PRAGMA index_info({quote(index)})"), 1):
            rows.append((table, 0 if unique else 1, index.split(".", 1)[-1], seq, col))
    return rows


def _create_table_text(conn: apsw.Connection, table: str, infos: list[ColumnInfo]) -> str:
    """SHOW CREATE TABLE's text, as MariaDB prints it."""
    lines = []
    for i in infos:
        line = f"  `{i.name}` {i.type}"
        if not i.nullable:
            line += " NOT NULL"
        if i.default_sql is not None:
            line += " DEFAULT " + i.default_sql
        if i.extra:
            line += " " + i.extra.upper()
        lines.append(line)
    pk = [i.name for i in infos if i.key == "PRI"]
    if pk:
        lines.append("  PRIMARY KEY (" + ",".join(f"`{c}`" for c in pk) + ")")
    for index, unique in _secondary_keys(conn, table):
        cols = ",".join(f"`{r[2]}`" for r in conn.execute(f"PRAGMA index_info({quote(index)})"))
        lines.append(f"  {'UNIQUE ' if unique else ''}KEY `{index.split('.', 1)[-1]}` ({cols})")
    options = " ENGINE=InnoDB"
    if any(i.extra == "auto_increment" for i in infos):
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE", (table,)).fetchall() \
            if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").fetchall() else []
        if seq and seq[0][0]:
            options += f" AUTO_INCREMENT={int(seq[0][0]) + 1}"
    return (f"CREATE TABLE `{table}` (\n" + ",\n".join(lines) + f"\n){options} DEFAULT CHARSET=utf8mb4"
            " COLLATE=utf8mb4_general_ci")


# The public readers run as the server's own statements (they read SQLite's schema and pragmas).


def tables_of(conn: apsw.Connection) -> list[tuple[str, str]]:
    """(name, 'BASE TABLE' | 'VIEW') of a database's tables."""
    with trusted(conn):
        return _tables_of(conn)


def describe(conn: apsw.Connection, table: str) -> list[ColumnInfo] | None:
    """The columns of `table` as MariaDB's DESCRIBE reports them, or None if there is no such table."""
    with trusted(conn):
        return _describe(conn, table)


def index_rows(conn: apsw.Connection, table: str, dbname: str) -> list[tuple[Any, ...]]:
    """SHOW INDEX's rows: the primary key, then the unique keys, then the others."""
    with trusted(conn):
        return _index_rows(conn, table, dbname)


def create_table_text(conn: apsw.Connection, table: str, infos: list[ColumnInfo]) -> str:
    """SHOW CREATE TABLE's text, as MariaDB prints it."""
    with trusted(conn):
        return _create_table_text(conn, table, infos)

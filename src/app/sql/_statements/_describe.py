"""What the catalog says about a database's tables, as MariaDB shows it: DESCRIBE's columns and keys
(SHOW CREATE TABLE's text and SHOW INDEX are in `_showcreate`). Read by SHOW and information_schema."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

import apsw
import sqlglot
from sqlglot import exp

from .._sqlite import quote
from ._schema import USER_TABLE_FILTER, all_extras


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


def tables_of(conn: apsw.Connection) -> list[tuple[str, str]]:
    """(name, 'BASE TABLE' | 'VIEW' | 'SEQUENCE') of a database's tables."""
    sequences = {name.lower() for name, extras in all_extras(conn).items() if extras.sequence}
    return [
        (name, "VIEW" if kind == "view" else "SEQUENCE" if str(name).lower() in sequences else "BASE TABLE")
        for name, kind in conn.execute(
            f"SELECT name, type FROM sqlite_schema WHERE type IN ('table','view') AND {USER_TABLE_FILTER}"
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


def describe(conn: apsw.Connection, table: str) -> list[ColumnInfo] | None:
    """The columns of `table` as MariaDB's DESCRIBE reports them, or None if there is no such table (a
    temporary table of the connection hides a table of its name, as in MariaDB)."""
    row = conn.execute("SELECT name, sql FROM temp.sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE"
                       " UNION ALL SELECT name, sql FROM sqlite_schema WHERE type IN ('table','view')"
                       " AND name = ? COLLATE NOCASE", (table, table)).fetchall()
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
    # table_xinfo: table_info leaves out generated columns (hidden 2: VIRTUAL, 3: STORED)
    table_info = [r[:6] for r in conn.execute(f"PRAGMA table_xinfo({quote(name)})") if r[6] != 1]
    generated = {str(r[1]): r[6] for r in conn.execute(f"PRAGMA table_xinfo({quote(name)})") if r[6] in (2, 3)}
    if str(create_sql or "").lstrip().upper().startswith("CREATE VIEW"):
        not_null = _view_not_null(conn, str(create_sql))
        table_info = [(*r[:3], int(i < len(not_null) and not_null[i]), *r[4:]) for i, r in enumerate(table_info)]
    pk_count = sum(1 for r in table_info if r[5])
    for cid, col, decl, notnull, default, pk in table_info:
        key = keys.get(col, "")
        if pk:
            key = "PRI" if pk == 1 or pk_count > 1 else key
        type_text = decl or ""
        extra = ""
        if col == auto_col:
            type_text, extra = auto_type, "auto_increment"
        elif col in generated:
            extra, default = ("STORED" if generated[col] == 3 else "VIRTUAL") + " GENERATED", None
        type_text = type_text.lower()
        nullable = not notnull and not pk
        infos.append(ColumnInfo(col, type_text, nullable, key, _format_default(_default_text(default), type_text),
                                extra, cid + 1, _default_sql(default, type_text, nullable)))
    return infos


def _view_not_null(conn: apsw.Connection, create: str) -> list[bool]:
    """Which of a view's columns are NOT NULL: the plain columns of a table's NOT NULL columns (as MariaDB
    derives it; an expression may be NULL)."""
    try:
        tree = sqlglot.parse_one(create, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return []
    select = tree.expression if isinstance(tree, exp.Create) else None
    if not isinstance(select, exp.Select):
        return []
    tables = {t.alias_or_name.lower(): t.name for t in select.find_all(exp.Table)}
    outer = {j.this.alias_or_name.lower() for j in select.args.get("joins") or []
             if j.side in ("LEFT", "RIGHT", "FULL") and isinstance(j.this, exp.Table)}

    def not_null_columns(table: str) -> set[str]:
        return {str(r[1]).lower() for r in conn.execute(f"PRAGMA table_info({quote(table)})") if r[3] or r[5]}

    found: list[bool] = []
    for p in select.expressions:
        node = p.this if isinstance(p, exp.Alias) else p
        if isinstance(node, exp.Star) or (isinstance(node, exp.Column) and isinstance(node.this, exp.Star)):
            if len(tables) == 1 and len(select.expressions) == 1:  # SELECT * FROM t: t's columns
                table = next(iter(tables.values()))
                return [bool(r[3] or r[5]) for r in conn.execute(f"PRAGMA table_info({quote(table)})")]
            break  # the columns a star stands for: NULL-able, as SQLite says
        if not isinstance(node, exp.Column):
            found.append(False)
            continue
        name = node.name.lower()
        candidates = [node.table.lower()] if node.table else [
            key for key, table in tables.items() if name in {str(r[1]).lower() for r in
                                                              conn.execute(f"PRAGMA table_info({quote(table)})")}]
        found.append(len(candidates) == 1 and candidates[0] in tables and candidates[0] not in outer
                     and name in not_null_columns(tables[candidates[0]]))
    return found

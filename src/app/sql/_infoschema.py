"""SHOW statements, DESCRIBE, and the information_schema tables clients and ORMs query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import apsw

from ._errors import ER_NO_SUCH_TABLE, SQLError, no_database, not_supported, unknown_database
from ._types import Column, MySQLType

if TYPE_CHECKING:
    from ._session import Result, Session
    from ._translate import Plan

_S: Final = MySQLType.VAR_STRING
_I: Final = MySQLType.LONGLONG
_SYSTEM_SCHEMAS: Final = ("information_schema",)


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    name: str
    type: str
    nullable: bool
    key: str
    default: str | None
    extra: str
    position: int


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


def _filter(names: list[str], like: str | None) -> list[str]:
    if like is None:
        return names
    rx = like_regex(like)
    return [n for n in names if rx.match(n)]


def tables_of(conn: apsw.Connection) -> list[tuple[str, str]]:
    """(name, 'BASE TABLE' | 'VIEW') of a database's tables."""
    return [
        (name, "VIEW" if kind == "view" else "BASE TABLE")
        for name, kind in conn.execute(
            "SELECT name, type FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name"
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


def describe(conn: apsw.Connection, table: str) -> list[ColumnInfo] | None:
    """The columns of `table` as MariaDB's DESCRIBE reports them, or None if there is no such table."""
    row = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type IN ('table','view') AND name = ? COLLATE NOCASE",
                       (table,)).fetchall()
    if not row:
        return None
    name, create_sql = row[0]
    auto = re.search(r'"((?:[^"]|"")+)" INTEGER PRIMARY KEY AUTOINCREMENT', create_sql or "")
    auto_col = auto.group(1).replace('""', '"') if auto else None
    keys: dict[str, str] = {}
    for _, index, unique, origin, _ in conn.execute(f"PRAGMA index_list({_q(name)})"):
        cols = [r[2] for r in conn.execute(f"PRAGMA index_info({_q(index)})")]
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
    table_info = list(conn.execute(f"PRAGMA table_info({_q(name)})"))
    pk_count = sum(1 for r in table_info if r[5])
    for cid, col, decl, notnull, default, pk in table_info:
        key = keys.get(col, "")
        if pk:
            key = "PRI" if pk == 1 or pk_count > 1 else key
        type_text = decl or ""
        extra = ""
        if col == auto_col:
            type_text, extra = "int(11)", "auto_increment"
        nullable = not notnull and not pk
        infos.append(ColumnInfo(col, type_text.lower(), nullable, key, _default_text(default), extra, cid + 1))
    return infos


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _result(names: list[str], rows: list[tuple[Any, ...]], types: list[MySQLType] | None = None) -> Result:
    from ._session import Result

    types = types or [_S] * len(names)
    return Result([Column(n, t) for n, t in zip(names, types)], rows)


def show(session: Session, plan: Plan) -> Result:
    f = plan.fields
    what = f["what"]
    storage = session.engine.storage
    if what == "databases":
        names = _filter(["information_schema", *storage.names()], f.get("like"))
        return _result(["Database"], [(n,) for n in names])
    if what == "tables":
        dbname = f.get("db") or session.database
        if dbname is None:
            raise no_database()
        conn = session._conn(dbname).conn
        tables = tables_of(conn)
        keep = set(_filter([t for t, _ in tables], f.get("like")))
        header = f"Tables_in_{session._conn(dbname).db.name}" + (f" ({f['like']})" if f.get("like") else "")
        if f.get("full"):
            return _result([header, "Table_type"], [(t, k) for t, k in tables if t in keep])
        return _result([header], [(t,) for t, _ in tables if t in keep])
    if what == "columns":
        dbname = f.get("db") or session.database
        if dbname is None:
            raise no_database()
        infos = describe(session._conn(dbname).conn, f["table"])
        if infos is None:
            raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{f['table']}' doesn't exist")
        like = f.get("like")
        rows = [i for i in infos if like is None or like_regex(like).match(i.name)]
        if f.get("full"):
            return _result(
                ["Field", "Type", "Collation", "Null", "Key", "Default", "Extra", "Privileges", "Comment"],
                [(i.name, i.type, "utf8mb4_general_ci" if "char" in i.type or "text" in i.type else None,
                  "YES" if i.nullable else "NO", i.key, i.default, i.extra, "select,insert,update,references", "")
                 for i in rows])
        return _result(["Field", "Type", "Null", "Key", "Default", "Extra"],
                       [(i.name, i.type, "YES" if i.nullable else "NO", i.key, i.default, i.extra) for i in rows])
    if what == "create_table":
        dbname = f.get("db") or session.database
        if dbname is None:
            raise no_database()
        conn = session._conn(dbname).conn
        infos = describe(conn, f["table"])
        if infos is None:
            raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{f['table']}' doesn't exist")
        return _result(["Table", "Create Table"], [(f["table"], _create_table_text(conn, f["table"], infos))])
    if what == "create_database":
        db = storage.get(f["db"])
        if db is None:
            raise unknown_database(f["db"])
        return _result(["Database", "Create Database"],
                       [(db.name, f"CREATE DATABASE `{db.name}` /*!40100 DEFAULT CHARACTER SET utf8mb4 */")])
    if what == "variables":
        rx = like_regex(f["like"]) if f.get("like") else None
        scope = "global" if f.get("scope") == "global" else ""
        rows = []
        for name in sorted(session.engine.variables):
            if rx is None or rx.match(name):
                value = session.get_variable(name, scope) if scope or session.engine.variables[name].scope != "session" else session.get_variable(name)
                rows.append((name, _variable_text(value)))
        return _result(["Variable_name", "Value"], rows)
    if what == "status":
        rx = like_regex(f["like"]) if f.get("like") else None
        status = {"Threads_connected": str(len(session.engine.sessions)), "Uptime": "1"}
        return _result(["Variable_name", "Value"], [(k, v) for k, v in status.items() if rx is None or rx.match(k)])
    if what in ("warnings", "errors"):
        return _result(["Level", "Code", "Message"], [], [_S, _I, _S])
    if what == "engines":
        return _result(["Engine", "Support", "Comment", "Transactions", "XA", "Savepoints"],
                       [("InnoDB", "DEFAULT", "SQLite storage in WAL mode", "YES", "NO", "YES")])
    if what in ("processlist", "full processlist"):
        rows = [(s.connection_id, s.user, s.host, s.database, "Sleep" if s.current_statement is None else "Query", 0, "",
                 s.current_statement) for s in session.engine.sessions.values()]
        return _result(["Id", "User", "Host", "db", "Command", "Time", "State", "Info"], rows,
                       [_I, _S, _S, _S, _S, _I, _S, _S])
    if what == "grants":
        return _result([f"Grants for {session.user}@%"], [(f"GRANT ALL PRIVILEGES ON *.* TO `{session.user}`@`%`",)])
    if what in ("collation",):
        return _result(["Collation", "Charset", "Id", "Default", "Compiled", "Sortlen"],
                       [("utf8mb4_general_ci", "utf8mb4", 45, "Yes", "Yes", 1)], [_S, _S, _I, _S, _S, _I])
    if what in ("charset", "character set"):
        return _result(["Charset", "Description", "Default collation", "Maxlen"],
                       [("utf8mb4", "UTF-8 Unicode", "utf8mb4_general_ci", 4)], [_S, _S, _S, _I])
    if what == "index":
        dbname = f.get("db") or session.database
        if dbname is None:
            raise no_database()
        return _result(["Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name"],
                       _index_rows(session._conn(dbname).conn, f["table"], dbname), [_S, _I, _S, _I, _S])
    raise not_supported(f"SHOW {what.upper()}")


def _variable_text(value: Any) -> str:
    return "" if value is None else str(value)


def _index_rows(conn: apsw.Connection, table: str, dbname: str) -> list[tuple[Any, ...]]:
    infos = describe(conn, table)
    if infos is None:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{table}' doesn't exist")
    rows: list[tuple[Any, ...]] = []
    pk = [i.name for i in infos if i.key == "PRI"]
    for seq, col in enumerate(pk, 1):
        rows.append((table, 0, "PRIMARY", seq, col))
    for _, index, unique, origin, _ in conn.execute(f"PRAGMA index_list({_q(table)})"):
        if origin == "pk":
            continue
        for seq, (_, _, col) in enumerate(conn.execute(f"PRAGMA index_info({_q(index)})"), 1):
            rows.append((table, 0 if unique else 1, index.split(".", 1)[-1], seq, col))
    return rows


def _create_table_text(conn: apsw.Connection, table: str, infos: list[ColumnInfo]) -> str:
    lines = []
    for i in infos:
        line = f"  `{i.name}` {i.type}"
        if not i.nullable:
            line += " NOT NULL"
        if i.default is not None:
            line += " DEFAULT " + (i.default if i.default.endswith(")") or i.default.replace(".", "").isdigit() else f"'{i.default}'")
        elif i.nullable:
            line += " DEFAULT NULL"
        if i.extra:
            line += " " + i.extra.upper()
        lines.append(line)
    pk = [i.name for i in infos if i.key == "PRI"]
    if pk:
        lines.append("  PRIMARY KEY (" + ",".join(f"`{c}`" for c in pk) + ")")
    for _, index, unique, origin, _ in conn.execute(f"PRAGMA index_list({_q(table)})"):
        if origin == "pk":
            continue
        cols = ",".join(f"`{r[2]}`" for r in conn.execute(f"PRAGMA index_info({_q(index)})"))
        lines.append(f"  {'UNIQUE ' if unique else ''}KEY `{index.split('.', 1)[-1]}` ({cols})")
    return f"CREATE TABLE `{table}` (\n" + ",\n".join(lines) + "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"


# -- information_schema ------------------------------------------------------------------------

_DDL: Final = {
    "schemata": "CREATE TABLE schemata (CATALOG_NAME, SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, "
                "DEFAULT_COLLATION_NAME, SQL_PATH, SCHEMA_COMMENT)",
    "tables": "CREATE TABLE tables (TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, VERSION, "
              "ROW_FORMAT, TABLE_ROWS, AUTO_INCREMENT, TABLE_COLLATION, TABLE_COMMENT, CREATE_TIME)",
    "columns": "CREATE TABLE columns (TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, "
               "COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, "
               "COLUMN_TYPE, COLUMN_KEY, EXTRA, COLUMN_COMMENT, CHARACTER_SET_NAME, COLLATION_NAME)",
}


def query(session: Session, plan: Plan, bindings: dict[str, Any] | None) -> Result:
    """Run a query on information_schema, materialised from the catalog for this statement."""
    conn = apsw.Connection(":memory:")
    try:
        from . import _functions

        _functions.register(conn, session)  # DATABASE(), NOW(), ... in the query's expressions
        # SQLite compares identifiers case-insensitively, as MySQL does information_schema's.
        wanted = {t for t in _DDL if re.search(rf"(?i)\b{t}\b", plan.sql)}
        if not wanted:
            raise not_supported("this information_schema table")
        for t in wanted:
            conn.execute(_DDL[t]).fetchall()
        dbs = session.engine.storage.databases()
        if "schemata" in wanted:
            conn.executemany("INSERT INTO schemata VALUES ('def', ?, 'utf8mb4', 'utf8mb4_general_ci', NULL, '')",
                             [("information_schema",)] + [(db.name,) for db in dbs])
        if "tables" in wanted or "columns" in wanted:
            for db in dbs:
                if db.dropped:
                    continue
                for table, kind in tables_of(db.anchor):
                    if "tables" in wanted:
                        conn.execute("INSERT INTO tables VALUES ('def', ?, ?, ?, ?, 10, 'Dynamic', NULL, NULL, "
                                     "'utf8mb4_general_ci', '', NULL)",
                                     (db.name, table, kind, "InnoDB" if kind == "BASE TABLE" else None))
                    if "columns" in wanted:
                        for info in describe(db.anchor, table) or []:
                            conn.execute("INSERT INTO columns VALUES ('def', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
                                         _column_row(db.name, table, info))
        cursor = conn.cursor()
        description: list[Any] = []
        cursor.exec_trace = lambda c, s, b: description.append(c.get_description()) or True
        try:
            rows = cursor.execute(plan.sql, bindings).fetchall()
        except apsw.Error as e:
            from ._session import sqlite_error

            raise sqlite_error(e, plan, "information_schema", None) from None
        return session._columns_result(plan, description[0] if description else (), rows)
    finally:
        conn.close()


def _column_row(db: str, table: str, info: ColumnInfo) -> tuple[Any, ...]:
    base = info.type.split("(")[0].split(" ")[0]
    m = re.search(r"\((\d+)(?:,(\d+))?\)", info.type)
    char_len = int(m.group(1)) if m and ("char" in base or "binary" in base) else None
    precision = int(m.group(1)) if m and base in ("decimal", "int", "bigint", "tinyint", "smallint") else None
    scale = int(m.group(2)) if m and m.group(2) else (0 if precision is not None else None)
    textual = "char" in base or "text" in base or base in ("enum", "set")
    return (db, table, info.name, info.position, info.default, "YES" if info.nullable else "NO", base, char_len,
            precision, scale, info.type, info.key, info.extra, "utf8mb4" if textual else None,
            "utf8mb4_general_ci" if textual else None)

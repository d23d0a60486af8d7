"""SHOW statements, DESCRIBE, and the information_schema tables clients and ORMs query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
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


# NUMERIC_PRECISION of the integer types: their digits, not their display width (unsigned BIGINT has 20).
_INT_PRECISION: Final = {"tinyint": 3, "smallint": 5, "mediumint": 7, "int": 10, "bigint": 19}
_BLOB_LENGTH: Final = {"tinyblob": 255, "tinytext": 255, "blob": 65535, "text": 65535, "mediumblob": 16777215,
                       "mediumtext": 16777215, "longblob": 4294967295, "longtext": 4294967295}


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
    """The columns of `table` as MariaDB's DESCRIBE reports them, or None if there is no such table."""
    row = conn.execute("SELECT name, sql FROM sqlite_schema WHERE type IN ('table','view') AND name = ? COLLATE NOCASE",
                       (table,)).fetchall()
    if not row:
        return None
    name, create_sql = row[0]
    auto = _AUTO.search(str(create_sql or ""))
    auto_col = auto.group(1).replace('""', '"') if auto else None
    # The declared type of an AUTO_INCREMENT column is kept in a comment after SQLite's
    # INTEGER PRIMARY KEY (tables made before that say nothing: int(11)).
    auto_type = (auto.group(2) if auto else None) or "int(11)"
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
            type_text, extra = auto_type, "auto_increment"
        type_text = type_text.lower()
        nullable = not notnull and not pk
        infos.append(ColumnInfo(col, type_text, nullable, key, _format_default(_default_text(default), type_text), extra,
                                cid + 1, _default_sql(default, type_text, nullable)))
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
        like = f.get("like")
        return _result(["Database" + (f" ({like})" if like is not None else "")], [(n,) for n in names])
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
                 s.current_statement) for s in list(session.engine.sessions.values())]
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


def _secondary_keys(conn: apsw.Connection, table: str) -> list[tuple[str, bool]]:
    """(index, unique) of a table's keys other than the primary key, in MariaDB's order: unique
    keys first, each group in the order the keys were made."""
    made = {name: n for n, (name,) in enumerate(conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE ORDER BY rowid", (table,)))}
    keys = [(index, bool(unique)) for _, index, unique, origin, _ in conn.execute(f"PRAGMA index_list({_q(table)})")
            if origin != "pk"]
    return sorted(keys, key=lambda k: (not k[1], made.get(k[0], -1)))


def _index_rows(conn: apsw.Connection, table: str, dbname: str) -> list[tuple[Any, ...]]:
    infos = describe(conn, table)
    if infos is None:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{table}' doesn't exist")
    rows: list[tuple[Any, ...]] = []
    pk = [i.name for i in infos if i.key == "PRI"]
    for seq, col in enumerate(pk, 1):
        rows.append((table, 0, "PRIMARY", seq, col))
    for index, unique in _secondary_keys(conn, table):
        for seq, (_, _, col) in enumerate(conn.execute(f"PRAGMA index_info({_q(index)})"), 1):
            rows.append((table, 0 if unique else 1, index.split(".", 1)[-1], seq, col))
    return rows


def _create_table_text(conn: apsw.Connection, table: str, infos: list[ColumnInfo]) -> str:
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
        cols = ",".join(f"`{r[2]}`" for r in conn.execute(f"PRAGMA index_info({_q(index)})"))
        lines.append(f"  {'UNIQUE ' if unique else ''}KEY `{index.split('.', 1)[-1]}` ({cols})")
    options = " ENGINE=InnoDB"
    if any(i.extra == "auto_increment" for i in infos):
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE", (table,)).fetchall() \
            if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").fetchall() else []
        if seq and seq[0][0]:
            options += f" AUTO_INCREMENT={int(seq[0][0]) + 1}"
    return (f"CREATE TABLE `{table}` (\n" + ",\n".join(lines) + f"\n){options} DEFAULT CHARSET=utf8mb4"
            " COLLATE=utf8mb4_general_ci")


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
    """Run a query on information_schema (or a virtual schema), materialised for this statement."""
    conn = apsw.Connection(":memory:")
    try:
        from . import _functions

        _functions.register(conn, session)  # DATABASE(), NOW(), ... in the query's expressions
        schema = plan.primary or "information_schema"
        if schema == "information_schema":
            _fill_information_schema(session, plan, conn)
        else:
            tables = session.engine.virtual_tables.get(schema)
            if tables is None:
                raise unknown_database(schema)
            wanted = [t for t in tables.values() if re.search(rf"(?i)\b{t.name}\b", plan.sql)]
            if not wanted:
                raise not_supported(f"this {schema} table")
            for table in wanted:
                conn.execute(table.ddl).fetchall()
                rows = table.rows()
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    conn.executemany(f"INSERT INTO {_q(table.name)} VALUES ({marks})", rows)
        cursor = conn.cursor()
        description: list[Any] = []
        cursor.exec_trace = lambda c, s, b: description.append(c.get_description()) or True
        try:
            rows = cursor.execute(plan.sql, bindings).fetchall()
        except apsw.Error as e:
            from ._session import sqlite_error

            raise sqlite_error(e, plan, schema, None) from None
        return session._columns_result(plan, description[0] if description else (), rows)
    finally:
        conn.close()


def _fill_information_schema(session: Session, plan: Plan, conn: apsw.Connection) -> None:
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
            with db.lock:  # the anchor is shared by every session's thread
                if db.dropped:
                    continue
                for table, kind in tables_of(db.anchor):
                    if "tables" in wanted:
                        conn.execute("INSERT INTO tables VALUES ('def', ?, ?, ?, ?, 10, 'Dynamic', NULL, NULL, "
                                     "'utf8mb4_general_ci', '', NULL)",
                                     (db.name, table, kind, "InnoDB" if kind == "BASE TABLE" else None))
                    if "columns" in wanted:
                        for info in describe(db.anchor, table) or []:
                            conn.execute("INSERT INTO columns VALUES ('def', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                         "'', ?, ?)", _column_row(db.name, table, info))


def _column_row(db: str, table: str, info: ColumnInfo) -> tuple[Any, ...]:
    base = info.type.split("(")[0].split(" ")[0]
    m = re.search(r"\((\d+)(?:,(\d+))?\)", info.type)
    char_len: int | None = None
    if m and ("char" in base or "binary" in base):
        char_len = int(m.group(1))
    elif base in _BLOB_LENGTH:
        char_len = _BLOB_LENGTH[base]
    elif base in ("enum", "set"):
        values = re.findall(r"'((?:[^']|'')*)'", info.type)
        lengths = [len(v.replace("''", "'")) for v in values] or [0]
        char_len = max(lengths) if base == "enum" else sum(lengths) + len(lengths) - 1
    precision: int | None = None
    scale: int | None = None
    if base in _INT_PRECISION:
        precision = _INT_PRECISION[base] + (1 if base == "bigint" and "unsigned" in info.type else 0)
        scale = 0
    elif base == "decimal":
        precision = int(m.group(1)) if m else 10
        scale = int(m.group(2)) if m and m.group(2) else 0
    elif base == "double":
        precision = 22
    elif base == "float":
        precision = 12
    elif base == "bit":
        precision = int(m.group(1)) if m else 1
    textual = "char" in base or "text" in base or base in ("enum", "set")
    return (db, table, info.name, info.position, info.default_sql, "YES" if info.nullable else "NO", base, char_len,
            precision, scale, info.type, info.key, info.extra, "utf8mb4" if textual else None,
            "utf8mb4_general_ci" if textual else None)

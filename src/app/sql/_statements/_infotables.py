"""information_schema's tables, made in memory for each query from every database's schema: their
columns as MariaDB 10.11 has them, their rows as it fills them.

A query gets only the tables it names (each is found by its name in the text), so a query of
SCHEMATA never reads a table's keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

import apsw

from .._catalog import Catalog, refresh_schema
from .._errors import SQLError, not_supported
from .._like import like_regex
from .._sqlite import quote, shown_name
from .._storage import Database
from ._charsetinfo import character_sets, collations
from ._describe import ColumnInfo, describe, tables_of
from ._schema import Extras, all_extras
from ._showcreate import index_rows, table_keys
from ._spinfo import PROGRAM_TABLES, program_rows

_S = "varchar(64)"
_N = "bigint(21) unsigned"
_T = "longtext"
_D = "datetime"
# name: columns as (name, MySQL type); the types type the results.
_TABLES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "schemata": (("CATALOG_NAME", "varchar(512)"), ("SCHEMA_NAME", _S), ("DEFAULT_CHARACTER_SET_NAME", "varchar(32)"),
                 ("DEFAULT_COLLATION_NAME", _S), ("SQL_PATH", "varchar(512)"), ("SCHEMA_COMMENT", "varchar(1024)")),
    "tables": (("TABLE_CATALOG", "varchar(512)"), ("TABLE_SCHEMA", _S), ("TABLE_NAME", _S), ("TABLE_TYPE", _S),
               ("ENGINE", _S), ("VERSION", _N), ("ROW_FORMAT", "varchar(10)"), ("TABLE_ROWS", _N),
               ("AVG_ROW_LENGTH", _N), ("DATA_LENGTH", _N), ("MAX_DATA_LENGTH", _N), ("INDEX_LENGTH", _N),
               ("DATA_FREE", _N), ("AUTO_INCREMENT", _N), ("CREATE_TIME", _D), ("UPDATE_TIME", _D),
               ("CHECK_TIME", _D), ("TABLE_COLLATION", _S), ("CHECKSUM", _N), ("CREATE_OPTIONS", "varchar(2048)"),
               ("TABLE_COMMENT", "varchar(2048)"), ("MAX_INDEX_LENGTH", _N), ("TEMPORARY", "varchar(1)")),
    "columns": (("TABLE_CATALOG", "varchar(512)"), ("TABLE_SCHEMA", _S), ("TABLE_NAME", _S), ("COLUMN_NAME", _S),
                ("ORDINAL_POSITION", _N), ("COLUMN_DEFAULT", _T), ("IS_NULLABLE", "varchar(3)"), ("DATA_TYPE", _S),
                ("CHARACTER_MAXIMUM_LENGTH", _N), ("CHARACTER_OCTET_LENGTH", _N), ("NUMERIC_PRECISION", _N),
                ("NUMERIC_SCALE", _N), ("DATETIME_PRECISION", _N), ("CHARACTER_SET_NAME", "varchar(32)"),
                ("COLLATION_NAME", _S), ("COLUMN_TYPE", _T), ("COLUMN_KEY", "varchar(3)"), ("EXTRA", "varchar(80)"),
                ("PRIVILEGES", "varchar(80)"), ("COLUMN_COMMENT", "varchar(1024)"), ("IS_GENERATED", "varchar(6)"),
                ("GENERATION_EXPRESSION", _T)),
    "statistics": (("TABLE_CATALOG", "varchar(512)"), ("TABLE_SCHEMA", _S), ("TABLE_NAME", _S),
                   ("NON_UNIQUE", "bigint(1)"), ("INDEX_SCHEMA", _S), ("INDEX_NAME", _S),
                   ("SEQ_IN_INDEX", "int(2) unsigned"), ("COLUMN_NAME", _S), ("COLLATION", "varchar(1)"),
                   ("CARDINALITY", "bigint(21)"), ("SUB_PART", "bigint(3)"), ("PACKED", "varchar(10)"),
                   ("NULLABLE", "varchar(3)"), ("INDEX_TYPE", "varchar(16)"), ("COMMENT", "varchar(16)"),
                   ("INDEX_COMMENT", "varchar(1024)"), ("IGNORED", "varchar(3)")),
    "key_column_usage": (("CONSTRAINT_CATALOG", "varchar(512)"), ("CONSTRAINT_SCHEMA", _S), ("CONSTRAINT_NAME", _S),
                         ("TABLE_CATALOG", "varchar(512)"), ("TABLE_SCHEMA", _S), ("TABLE_NAME", _S),
                         ("COLUMN_NAME", _S), ("ORDINAL_POSITION", "bigint(10)"),
                         ("POSITION_IN_UNIQUE_CONSTRAINT", "bigint(10)"), ("REFERENCED_TABLE_SCHEMA", _S),
                         ("REFERENCED_TABLE_NAME", _S), ("REFERENCED_COLUMN_NAME", _S)),
    "referential_constraints": (("CONSTRAINT_CATALOG", "varchar(512)"), ("CONSTRAINT_SCHEMA", _S),
                                ("CONSTRAINT_NAME", _S), ("UNIQUE_CONSTRAINT_CATALOG", "varchar(512)"),
                                ("UNIQUE_CONSTRAINT_SCHEMA", _S), ("UNIQUE_CONSTRAINT_NAME", _S),
                                ("MATCH_OPTION", _S), ("UPDATE_RULE", _S), ("DELETE_RULE", _S), ("TABLE_NAME", _S),
                                ("REFERENCED_TABLE_NAME", _S)),
    "table_constraints": (("CONSTRAINT_CATALOG", "varchar(512)"), ("CONSTRAINT_SCHEMA", _S), ("CONSTRAINT_NAME", _S),
                          ("TABLE_SCHEMA", _S), ("TABLE_NAME", _S), ("CONSTRAINT_TYPE", _S)),
    "check_constraints": (("CONSTRAINT_CATALOG", "varchar(512)"), ("CONSTRAINT_SCHEMA", _S), ("TABLE_NAME", _S),
                          ("CONSTRAINT_NAME", _S), ("LEVEL", "varchar(6)"), ("CHECK_CLAUSE", _T)),
    "partitions": (("TABLE_CATALOG", "varchar(512)"), ("TABLE_SCHEMA", _S), ("TABLE_NAME", _S),
                   ("PARTITION_NAME", _S), ("SUBPARTITION_NAME", _S), ("PARTITION_ORDINAL_POSITION", _N),
                   ("SUBPARTITION_ORDINAL_POSITION", _N), ("PARTITION_METHOD", "varchar(18)"),
                   ("SUBPARTITION_METHOD", "varchar(12)"), ("PARTITION_EXPRESSION", _T),
                   ("SUBPARTITION_EXPRESSION", _T), ("PARTITION_DESCRIPTION", _T), ("TABLE_ROWS", _N),
                   ("AVG_ROW_LENGTH", _N), ("DATA_LENGTH", _N), ("MAX_DATA_LENGTH", _N), ("INDEX_LENGTH", _N),
                   ("DATA_FREE", _N), ("CREATE_TIME", _D), ("UPDATE_TIME", _D), ("CHECK_TIME", _D),
                   ("CHECKSUM", _N), ("PARTITION_COMMENT", "varchar(80)"), ("NODEGROUP", "varchar(12)"),
                   ("TABLESPACE_NAME", _S)),
    # No tablespace files and no triggers: empty, with MariaDB's columns (mariadb-dump reads them).
    "files": (("FILE_ID", "bigint(4)"), ("FILE_NAME", "varchar(512)"), ("FILE_TYPE", "varchar(20)"),
              ("TABLESPACE_NAME", _S), ("TABLE_CATALOG", _S), ("TABLE_SCHEMA", _S), ("TABLE_NAME", _S),
              ("LOGFILE_GROUP_NAME", _S), ("LOGFILE_GROUP_NUMBER", "bigint(4)"), ("ENGINE", _S),
              ("FULLTEXT_KEYS", _S), ("DELETED_ROWS", "bigint(4)"), ("UPDATE_COUNT", "bigint(4)"),
              ("FREE_EXTENTS", "bigint(4)"), ("TOTAL_EXTENTS", "bigint(4)"), ("EXTENT_SIZE", "bigint(4)"),
              ("INITIAL_SIZE", _N), ("MAXIMUM_SIZE", _N), ("AUTOEXTEND_SIZE", _N), ("CREATION_TIME", _D),
              ("LAST_UPDATE_TIME", _D), ("LAST_ACCESS_TIME", _D), ("RECOVER_TIME", "bigint(4)"),
              ("TRANSACTION_COUNTER", "bigint(4)"), ("VERSION", _N), ("ROW_FORMAT", "varchar(10)"),
              ("TABLE_ROWS", _N), ("AVG_ROW_LENGTH", _N), ("DATA_LENGTH", _N), ("MAX_DATA_LENGTH", _N),
              ("INDEX_LENGTH", _N), ("DATA_FREE", _N), ("CREATE_TIME", _D), ("UPDATE_TIME", _D),
              ("CHECK_TIME", _D), ("CHECKSUM", _N), ("STATUS", "varchar(20)"), ("EXTRA", "varchar(255)")),
    "triggers": (("TRIGGER_CATALOG", "varchar(512)"), ("TRIGGER_SCHEMA", _S), ("TRIGGER_NAME", _S),
                 ("EVENT_MANIPULATION", "varchar(6)"), ("EVENT_OBJECT_CATALOG", "varchar(512)"),
                 ("EVENT_OBJECT_SCHEMA", _S), ("EVENT_OBJECT_TABLE", _S), ("ACTION_ORDER", "bigint(4)"),
                 ("ACTION_CONDITION", _T), ("ACTION_STATEMENT", _T), ("ACTION_ORIENTATION", "varchar(9)"),
                 ("ACTION_TIMING", "varchar(6)"), ("ACTION_REFERENCE_OLD_TABLE", _S),
                 ("ACTION_REFERENCE_NEW_TABLE", _S), ("ACTION_REFERENCE_OLD_ROW", "varchar(3)"),
                 ("ACTION_REFERENCE_NEW_ROW", "varchar(3)"), ("CREATED", "datetime(2)"), ("SQL_MODE", "varchar(8192)"),
                 ("DEFINER", "varchar(384)"), ("CHARACTER_SET_CLIENT", "varchar(32)"),
                 ("COLLATION_CONNECTION", _S), ("DATABASE_COLLATION", _S)),
    "character_sets": (("CHARACTER_SET_NAME", "varchar(32)"), ("DEFAULT_COLLATE_NAME", _S),
                       ("DESCRIPTION", "varchar(60)"), ("MAXLEN", "bigint(3)")),
    "collations": (("COLLATION_NAME", _S), ("CHARACTER_SET_NAME", "varchar(32)"), ("ID", "bigint(11)"),
                   ("IS_DEFAULT", "varchar(3)"), ("IS_COMPILED", "varchar(3)"), ("SORTLEN", "bigint(3)")),
    "engines": (("ENGINE", _S), ("SUPPORT", "varchar(8)"), ("COMMENT", "varchar(160)"), ("TRANSACTIONS", "varchar(3)"),
                ("XA", "varchar(3)"), ("SAVEPOINTS", "varchar(3)")),
    **PROGRAM_TABLES,
}
# Tables whose rows are the same for every database and session.
_FIXED_ROWS: Final[dict[str, Callable[[], Sequence[tuple[Any, ...]]]]] = {
    "character_sets": character_sets, "collations": collations,
    "engines": lambda: [("InnoDB", "DEFAULT", "SQLite storage in WAL mode", "YES", "NO", "YES")],
}
_NAMED: Final = re.compile(r"""(?i)\b(?:from|join)\s+(?:[`"]?information_schema[`"]?\s*\.\s*)?[`"]?(\w+)""")
# information_schema's tables in MariaDB 10.11 that app does not fill (1235 rather than 1109 for these).
_KNOWN: Final = frozenset({
    "all_plugins", "applicable_roles", "check_constraints", "client_statistics", "column_privileges",
    "enabled_roles", "events", "global_status", "global_variables", "index_statistics", "key_caches", "optimizer_trace",
    "plugins", "processlist", "profiling", "schema_privileges", "session_status",
    "session_variables", "spatial_ref_sys", "sql_functions", "system_variables", "table_privileges",
    "table_statistics", "user_privileges", "user_statistics", "views", "geometry_columns", "keywords",
    "innodb_trx", "innodb_locks", "innodb_lock_waits", "innodb_metrics", "innodb_buffer_pool_stats",
    "collation_character_set_applicability", "column_column_usage", "thread_pool_groups", "thread_pool_queues",
    "thread_pool_stats", "thread_pool_waits", "user_variables"})
_PER_TABLE: Final = frozenset(_TABLES) - {"schemata", "files", "triggers"} - set(_FIXED_ROWS) - set(PROGRAM_TABLES)
_OF_PROGRAMS: Final = frozenset({"triggers", *PROGRAM_TABLES})  # the stored programs' tables (`_spinfo`)
# NUMERIC_PRECISION of the integer types: their digits, not their display width (unsigned BIGINT has 20).
_INT_PRECISION: Final = {"tinyint": 3, "smallint": 5, "mediumint": 7, "int": 10, "bigint": 19}
_BLOB_LENGTH: Final = {"tinyblob": 255, "tinytext": 255, "blob": 65535, "text": 65535, "mediumblob": 16777215,
                       "mediumtext": 16777215, "longblob": 4294967295, "longtext": 4294967295}
_BYTES_PER_CHAR: Final = 4  # utf8mb4
_PRIVILEGES: Final = "select,insert,update,references"


def create_statement(table: str) -> str:
    # MariaDB compares information_schema's text case-insensitively (utf8mb3_general_ci): 'a' < 'PRIMARY'.
    return (f"CREATE TABLE {table} (" + ", ".join(
        f"{name} {quote(kind)}" + (f" COLLATE {_GENERAL_CI}" if kind.startswith(("varchar", "longtext")) else "")
        for name, kind in _TABLES[table]) + ")")


_GENERAL_CI: Final = "app_general_ci"


def _general_ci(a: str, b: str) -> int:
    """utf8mb3_general_ci, closely enough for names: case folded to upper case, so '_' sorts after
    letters ('books' < 'book_titles'; SQLite's NOCASE folds to lower case, where '_' sorts before them)."""
    x, y = a.upper(), b.upper()
    return (x > y) - (x < y)


def fill_information_schema(catalog: Catalog, sql: str, conn: apsw.Connection, *, required: bool = True) -> None:
    """Make, in `conn`, the information_schema tables `sql` names, with their rows (`required`: it
    names one of them, else 1235)."""
    # SQLite compares identifiers case-insensitively, as MySQL does information_schema's.
    wanted = {t for t in _TABLES if re.search(rf"(?i)\b{t}\b", sql)}
    if not wanted and required:
        for named in _NAMED.findall(sql):  # the query's tables (routing took off their qualifier)
            if named.lower() not in _KNOWN:
                raise SQLError(1109, f"Unknown table '{named}' in information_schema", "42S02")
        raise not_supported("this information_schema table")
    conn.createcollation(_GENERAL_CI, _general_ci)
    for t in wanted:
        conn.execute(create_statement(t)).fetchall()
    dbs = catalog.storage.databases()
    if "schemata" in wanted:
        conn.executemany("INSERT INTO schemata VALUES ('def', ?, 'utf8mb4', 'utf8mb4_general_ci', NULL, '')",
                         [("information_schema",)] + [(db.name,) for db in dbs])
    for t in wanted & set(_FIXED_ROWS):
        rows = _FIXED_ROWS[t]()
        conn.executemany(f"INSERT INTO {t} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    if wanted & _OF_PROGRAMS:
        for db in dbs:
            for t, rows in program_rows(db, wanted & _OF_PROGRAMS):
                if rows:
                    conn.executemany(f"INSERT INTO {t} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    per_table = wanted & _PER_TABLE
    if not per_table:
        return
    for db in dbs:
        for t, rows in _rows_of_database(db, per_table):
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                conn.executemany(f"INSERT INTO {t} VALUES ({marks})", rows)


def _rows_of_database(db: Database, wanted: set[str]) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    with db.lock:  # the anchor is shared by every session's thread
        if db.dropped:
            return
        refresh_schema(db)
        anchor = db.anchor
        extras = {name.lower(): e for name, e in all_extras(anchor).items()}
        for table, kind in tables_of(anchor):
            infos = describe(anchor, table) or []
            ex = extras.get(table.lower(), Extras())
            for t in wanted:
                # The rows show tables' names as MariaDB does, wherever SQLite's names went (see `_sqlite`).
                yield t, [tuple(shown_name(v) if isinstance(v, str) else v for v in row)
                          for row in _FILLERS[t](anchor, db.name, table, kind, infos, ex)]


def table_status_rows(conn: apsw.Connection, db: str, like: str | None) -> list[tuple[Any, ...]]:
    """information_schema.TABLES's rows of the tables of `conn`'s database whose names are `like` (SHOW
    TABLE STATUS)."""
    rx = like_regex(like, case_sensitive=True) if like is not None else None
    extras = {name.lower(): e for name, e in all_extras(conn).items()}
    rows: list[tuple[Any, ...]] = []
    for table, kind in tables_of(conn):
        if rx is None or rx.match(shown_name(table)):
            rows += _tables_row(conn, db, table, kind, describe(conn, table) or [], extras.get(table.lower(), Extras()))
    return [tuple(shown_name(v) if isinstance(v, str) else v for v in row) for row in rows]


Filler = Callable[[apsw.Connection, str, str, str, list[ColumnInfo], Extras], list[tuple[Any, ...]]]


def _tables_row(conn: apsw.Connection, db: str, table: str, kind: str, infos: list[ColumnInfo],
                ex: Extras) -> list[tuple[Any, ...]]:
    if kind == "VIEW":
        return [("def", db, table, "VIEW") + (None,) * 16 + ("VIEW", None, None)]
    rows = _count(conn, table)
    auto = None
    if any(i.extra == "auto_increment" for i in infos):
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE", (table,)).fetchall() \
            if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").fetchall() else []
        auto = int(seq[0][0]) + 1 if seq and seq[0][0] else 1
    return [("def", db, table, kind, "InnoDB", 10, "Dynamic", rows, None, None, None, None, None, auto,
             None, None, None, "utf8mb4_general_ci", None, "", ex.comment, None, "N")]


def _count(conn: apsw.Connection, table: str) -> int:
    count = conn.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchall()[0][0]
    return count if isinstance(count, int) else 0


def _character_length(base: str, type_text: str, m: re.Match[str] | None) -> int | None:
    if m and ("char" in base or "binary" in base):
        return int(m.group(1))
    if base in _BLOB_LENGTH:
        return _BLOB_LENGTH[base]
    if base in ("enum", "set"):
        values = re.findall(r"'((?:[^']|'')*)'", type_text)
        lengths = [len(v.replace("''", "'")) for v in values] or [0]
        return max(lengths) if base == "enum" else sum(lengths) + len(lengths) - 1
    return None


def _numeric_precision(base: str, type_text: str, m: re.Match[str] | None) -> tuple[int | None, int | None]:
    """(NUMERIC_PRECISION, NUMERIC_SCALE)."""
    if base in _INT_PRECISION:
        return _INT_PRECISION[base] + (1 if base == "bigint" and "unsigned" in type_text else 0), 0
    if base == "decimal":
        return (int(m.group(1)) if m else 10), (int(m.group(2)) if m and m.group(2) else 0)
    if base == "double":
        return 22, None
    if base == "float":
        return 12, None
    if base == "bit":
        return (int(m.group(1)) if m else 1), None
    return None, None


def _columns_rows(conn: apsw.Connection, db: str, table: str, kind: str, infos: list[ColumnInfo],
                  ex: Extras) -> list[tuple[Any, ...]]:
    rows = []
    for info in infos:
        base = info.type.split("(")[0].split(" ")[0]
        m = re.search(r"\((\d+)(?:,(\d+))?\)", info.type)
        precision, scale = _numeric_precision(base, info.type, m)
        textual = "char" in base or "text" in base or base in ("enum", "set")
        length = _character_length(base, info.type, m)
        octets = length * _BYTES_PER_CHAR if textual and length is not None and base not in _BLOB_LENGTH else length
        fsp = (int(m.group(1)) if m else 0) if base in ("datetime", "timestamp", "time") else None
        collation = ex.collations.get(info.name.lower(), "utf8mb4_general_ci") if textual else None
        rows.append(("def", db, table, info.name, info.position, info.default_sql, "YES" if info.nullable else "NO",
                     base, length, octets, precision, scale, fsp, collation.split("_")[0] if collation else None,
                     collation, info.type, info.key, info.extra, _PRIVILEGES,
                     ex.column_comments.get(info.name.lower(), ""),
                     "ALWAYS" if info.name.lower() in ex.generated else "NEVER",
                     ex.generated[info.name.lower()][0] if info.name.lower() in ex.generated else None))
    return rows


def _statistics_rows(conn: apsw.Connection, db: str, table: str, kind: str, infos: list[ColumnInfo],
                     ex: Extras) -> list[tuple[Any, ...]]:
    if kind == "VIEW":
        return []
    return [("def", db, table, r[1], db, *r[2:]) for r in index_rows(conn, table, infos)]


def _unique_keys(conn: apsw.Connection, table: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(k.name, k.columns) for k in table_keys(conn, table) if k.unique]


def _key_column_usage_rows(conn: apsw.Connection, db: str, table: str, kind: str, infos: list[ColumnInfo],
                           ex: Extras) -> list[tuple[Any, ...]]:
    if kind == "VIEW":
        return []
    rows: list[tuple[Any, ...]] = []
    for name, cols in _unique_keys(conn, table):
        rows += [("def", db, name, "def", db, table, c, n, None, None, None, None) for n, c in enumerate(cols, 1)]
    for fk in sorted(ex.fks, key=lambda f: f.name.lower()):
        rows += [("def", db, fk.name, "def", db, table, c, n, n, db, fk.table, r)
                 for n, (c, r) in enumerate(zip(fk.columns, fk.ref_columns, strict=False), 1)]
    return rows


def _referential_rows(conn: apsw.Connection, db: str, table: str, kind: str, infos: list[ColumnInfo],
                      ex: Extras) -> list[tuple[Any, ...]]:
    rows = []
    for fk in sorted(ex.fks, key=lambda f: f.name.lower()):
        wanted = [c.lower() for c in fk.ref_columns]
        parent = next((name for name, cols in _unique_keys(conn, fk.table) if [c.lower() for c in cols] == wanted),
                      None) if _exists(conn, fk.table) else None
        rows.append(("def", db, fk.name, "def", db, parent, "NONE", fk.on_update or "RESTRICT",
                     fk.on_delete or "RESTRICT", table, fk.table))
    return rows


def _exists(conn: apsw.Connection, table: str) -> bool:
    return bool(conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE",
                             (table,)).fetchall())


def _table_constraints_rows(conn: apsw.Connection, db: str, table: str, kind: str, infos: list[ColumnInfo],
                            ex: Extras) -> list[tuple[Any, ...]]:
    if kind == "VIEW":
        return []
    rows = [("def", db, name, db, table, "PRIMARY KEY" if name == "PRIMARY" else "UNIQUE")
            for name, _ in _unique_keys(conn, table)]
    rows += [("def", db, c.name, db, table, "CHECK") for c in ex.checks]
    rows += [("def", db, fk.name, db, table, "FOREIGN KEY") for fk in sorted(ex.fks, key=lambda f: f.name.lower())]
    return rows


def _check_rows(conn: apsw.Connection, db: str, table: str, kind: str, infos: list[ColumnInfo],
                ex: Extras) -> list[tuple[Any, ...]]:
    return [("def", db, table, c.name, "Column" if c.column else "Table", c.clause) for c in ex.checks]


def _partitions_rows(conn: apsw.Connection, db: str, table: str, kind: str, infos: list[ColumnInfo],
                     ex: Extras) -> list[tuple[Any, ...]]:
    if kind == "VIEW":
        return []
    return [("def", db, table) + (None,) * 9 + (_count(conn, table),) + (None,) * 9 + ("", "", None)]


_FILLERS: Final[dict[str, Filler]] = {
    "tables": _tables_row, "columns": _columns_rows, "statistics": _statistics_rows,
    "key_column_usage": _key_column_usage_rows, "referential_constraints": _referential_rows,
    "table_constraints": _table_constraints_rows, "check_constraints": _check_rows, "partitions": _partitions_rows,
}

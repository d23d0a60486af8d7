"""Queries on information_schema and on virtual schemas (app_cluster): their tables are made, in
memory, for each query, from the catalog or from node state."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

import apsw

from .._catalog import Catalog, VirtualTable, refresh_schema
from .._connections import Description
from .._errors import not_supported, unknown_database
from .._functions import REGISTRY
from .._plan import Params, executes
from .._results import Result
from .._resultset import query_result
from .._sqlite import quote
from .._sqlite_errors import sqlite_error
from .._state import SessionState
from .._variables import SessionVariables
from ._describe import ColumnInfo, describe, tables_of
from .query import SystemQueryPlan

_DDL: Final = {
    "schemata": "CREATE TABLE schemata (CATALOG_NAME, SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, "
                "DEFAULT_COLLATION_NAME, SQL_PATH, SCHEMA_COMMENT)",
    "tables": "CREATE TABLE tables (TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, VERSION, "
              "ROW_FORMAT, TABLE_ROWS, AUTO_INCREMENT, TABLE_COLLATION, TABLE_COMMENT, CREATE_TIME)",
    "columns": "CREATE TABLE columns (TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, "
               "COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, "
               "COLUMN_TYPE, COLUMN_KEY, EXTRA, COLUMN_COMMENT, CHARACTER_SET_NAME, COLLATION_NAME)",
}
# NUMERIC_PRECISION of the integer types: their digits, not their display width (unsigned BIGINT has 20).
_INT_PRECISION: Final = {"tinyint": 3, "smallint": 5, "mediumint": 7, "int": 10, "bigint": 19}
_BLOB_LENGTH: Final = {"tinyblob": 255, "tinytext": 255, "blob": 65535, "text": 65535, "mediumblob": 16777215,
                       "mediumtext": 16777215, "longblob": 4294967295, "longtext": 4294967295}


@executes(SystemQueryPlan)
def run_system_query(plan: SystemQueryPlan, params: Params, state: SessionState, variables: SessionVariables,
                     catalog: Catalog) -> Result:
    """Run a query on information_schema (or a virtual schema), materialised for this statement."""
    conn = apsw.Connection(":memory:")
    try:
        REGISTRY.register_on(conn, state)  # DATABASE(), NOW(), ... in the query's expressions
        if plan.schema == "information_schema":
            _fill_information_schema(catalog, plan.sql, conn)
        else:
            _fill_virtual_schema(catalog, plan.schema, plan.sql, conn)
        cursor = conn.cursor()
        description: list[Description] = []

        def describe_query(c: apsw.Cursor, sql: str, bindings: Any) -> bool:
            description.append(c.get_description())
            return True

        cursor.exec_trace = describe_query
        try:
            rows = cursor.execute(plan.sql, variables.bindings(plan.var_params, params)).fetchall()
        except apsw.Error as e:
            raise sqlite_error(e, plan.schema) from None
        result = query_result(plan, description[0] if description else (), rows, catalog, plan.schema)
        state.found_rows = len(result.rows)
        state.row_count = -1
        return result
    finally:
        conn.close()


def _fill_virtual_schema(catalog: Catalog, schema: str, sql: str, conn: apsw.Connection) -> None:
    tables = catalog.virtual_tables.get(schema)
    if tables is None:
        raise unknown_database(schema)
    if not _fill_virtual_tables(tables.values(), sql, conn):
        raise not_supported(f"this {schema} table")


def _fill_virtual_tables(tables: Iterable[VirtualTable], sql: str, conn: apsw.Connection) -> bool:
    """Make the tables of `tables` that `sql` names; whether it names any."""
    wanted = [t for t in tables if re.search(rf"(?i)\b{t.name}\b", sql)]
    for table in wanted:
        conn.execute(table.ddl).fetchall()
        rows = table.rows()
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            conn.executemany(f"INSERT INTO {quote(table.name)} VALUES ({marks})", rows)
    return bool(wanted)


def _fill_information_schema(catalog: Catalog, sql: str, conn: apsw.Connection) -> None:
    # SQLite compares identifiers case-insensitively, as MySQL does information_schema's.
    wanted = {t for t in _DDL if re.search(rf"(?i)\b{t}\b", sql)}
    # Tables the server adds (PROCESSLIST, made from its connections).
    added = _fill_virtual_tables(catalog.virtual_tables.get("information_schema", {}).values(), sql, conn)
    if not wanted and not added:
        raise not_supported("this information_schema table")
    for t in wanted:
        conn.execute(_DDL[t]).fetchall()
    dbs = catalog.storage.databases()
    if "schemata" in wanted:
        conn.executemany("INSERT INTO schemata VALUES ('def', ?, 'utf8mb4', 'utf8mb4_general_ci', NULL, '')",
                         [("information_schema",)] + [(db.name,) for db in dbs])
    if "tables" not in wanted and "columns" not in wanted:
        return
    for db in dbs:
        with db.lock:  # the anchor is shared by every session's thread
            if db.dropped:
                continue
            refresh_schema(db)
            for table, kind in tables_of(db.anchor):
                if "tables" in wanted:
                    conn.execute("INSERT INTO tables VALUES ('def', ?, ?, ?, ?, 10, 'Dynamic', NULL, NULL, "
                                 "'utf8mb4_general_ci', '', NULL)",
                                 (db.name, table, kind, "InnoDB" if kind == "BASE TABLE" else None))
                if "columns" in wanted:
                    for info in describe(db.anchor, table) or []:
                        conn.execute("INSERT INTO columns VALUES ('def', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                     "'', ?, ?)", _column_row(db.name, table, info))


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


def _column_row(db: str, table: str, info: ColumnInfo) -> tuple[Any, ...]:
    base = info.type.split("(")[0].split(" ")[0]
    m = re.search(r"\((\d+)(?:,(\d+))?\)", info.type)
    precision, scale = _numeric_precision(base, info.type, m)
    textual = "char" in base or "text" in base or base in ("enum", "set")
    return (db, table, info.name, info.position, info.default_sql, "YES" if info.nullable else "NO", base,
            _character_length(base, info.type, m), precision, scale, info.type, info.key, info.extra,
            "utf8mb4" if textual else None, "utf8mb4_general_ci" if textual else None)

"""Queries on information_schema and on virtual schemas (app_cluster): their tables are made, in
memory, for each query, from the catalog (see `_infotables`) or from node state."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import apsw

from .._accounts import Access
from .._catalog import Catalog, VirtualTable
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
from ._infotables import fill_information_schema
from ._visibility import hide_invisible_rows
from .query import SystemQueryPlan


@executes(SystemQueryPlan)
def run_system_query(plan: SystemQueryPlan, params: Params, state: SessionState, variables: SessionVariables,
                     catalog: Catalog, access: Access) -> Result:
    """Run a query on information_schema (or a virtual schema), materialised for this statement."""
    conn = apsw.Connection(":memory:")
    try:
        REGISTRY.register_on(conn, state)  # DATABASE(), NOW(), ... in the query's expressions
        if plan.schema == "information_schema":
            # Tables the server adds (PROCESSLIST, made from its connections), and the catalog's.
            added = _fill_virtual_tables(catalog.virtual_tables.get("information_schema", {}).values(), plan.sql, conn)
            fill_information_schema(catalog, plan.sql, conn, required=not added)
            hide_invisible_rows(conn, access)
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

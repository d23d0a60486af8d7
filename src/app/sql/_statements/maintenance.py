"""Table maintenance: ANALYZE, CHECK, OPTIMIZE and REPAIR TABLE, answered as MariaDB answers them for InnoDB.

Tools run them and read the answer: mysqlcheck (mariadb-check) and admin panels send them and parse the
result set (Table, Op, Msg_type, Msg_text), one or more rows per table named. SQLite keeps its own
statistics and needs no repair, so nothing is done to a table; the rows say what MariaDB's say for an
InnoDB table (OPTIMIZE: "doing recreate + analyze instead"; REPAIR: the engine does not support it), and a
table that is missing, or a view where a base table is needed, gets MariaDB's error row and
"Operation failed" in place of an error packet, so that the other tables named still get their rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .._connections import Connections
from .._errors import SQLError, no_database, shown_name, syntax_error, unknown_database
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import Result
from .._sqlite import stored_name
from .._state import SessionState
from .._types import Column, MySQLType
from ._describe import tables_of
from ._words import IDENT, unquote

_HEADER: Final = ("Table", "Op", "Msg_type", "Msg_text")
_NAME: Final = rf"{IDENT}(?:\s*\.\s*{IDENT})?"
_STATEMENT: Final = re.compile(
    rf"(?is)^\s*(analyze|check|optimize|repair)\s+(?:(?:no_write_to_binlog|local)\s+)?tables?\s+"
    rf"({_NAME}(?:\s*,\s*{_NAME})*)"
    r"((?:\s+(?:for\s+upgrade|quick|fast|medium|extended|changed|use_frm))*)\s*;?\s*$")
_PART: Final = re.compile(rf"({IDENT})(?:\s*\.\s*({IDENT}))?")
# Options each statement takes (MariaDB refuses the others with 1064).
_OPTIONS: Final = {"analyze": frozenset(), "optimize": frozenset(),
                   "check": frozenset({"for upgrade", "quick", "fast", "medium", "extended", "changed"}),
                   "repair": frozenset({"quick", "extended", "use_frm"})}
# What each operation answers for a base table it could run on.
_DONE: Final = {
    "analyze": (("status", "OK"),),
    "check": (("status", "OK"),),
    "optimize": (("note", "Table does not support optimize, doing recreate + analyze instead"), ("status", "OK")),
    "repair": (("note", "The storage engine for the table doesn't support repair"),),
}


@dataclass(frozen=True, slots=True, eq=False)
class MaintenancePlan(Plan):
    """`operation` (analyze, check, optimize, repair) of `tables`: (database or None for the current, name)."""

    operation: str
    tables: tuple[tuple[str | None, str], ...]


@plans_words("analyze", "check", "optimize", "repair")
def plan_maintenance(sql: str, ctx: PlanContext) -> Plan | None:
    m = _STATEMENT.match(sql)
    if m is None:
        return None
    operation = m.group(1).lower()
    options = {" ".join(o.lower().split()) for o in re.findall(r"for\s+upgrade|\w+", m.group(3) or "", re.I)}
    if not options <= _OPTIONS[operation]:
        raise syntax_error(m.group(3).strip())
    tables = []
    for part in _PART.finditer(m.group(2)):
        first, second = unquote(part.group(1)), part.group(2)
        tables.append((first, stored_name(unquote(second))) if second is not None else (None, stored_name(first)))
    return MaintenancePlan(operation, tuple(tables))


@executes(MaintenancePlan)
def run_maintenance(plan: MaintenancePlan, conns: Connections, state: SessionState) -> Result:
    op = plan.operation
    rows: list[tuple[str, str, str, str]] = []
    for db, table in plan.tables:
        database = db or state.database
        if database is None:
            raise no_database()
        name = f"{database}.{shown_name(table)}"
        kind = _kind(conns, database, table)
        if kind is None:
            rows += [(name, op, "Error", f"Table '{name}' doesn't exist"), (name, op, "status", "Operation failed")]
        elif kind == "VIEW" and op != "check":
            rows += [(name, op, "Error", f"'{name}' is not of type 'BASE TABLE'"),
                     (name, op, "status", "Operation failed")]
        else:
            rows += [(name, op, msg_type, text) for msg_type, text in _DONE[op]]
    return Result([Column(n, MySQLType.VAR_STRING) for n in _HEADER[:3]] + [Column(_HEADER[3], MySQLType.MEDIUM_BLOB)],
                  rows)


def _kind(conns: Connections, database: str, table: str) -> str | None:
    """'BASE TABLE' or 'VIEW' for a table of the session (temporary ones first, as MariaDB looks), else None."""
    try:
        conn = conns.get(database).conn
    except SQLError as e:
        if e.code == unknown_database(database).code:
            return None
        raise
    temporary = conn.execute("SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
                             (table,)).fetchone()
    if temporary is not None:
        return "BASE TABLE"
    return next((kind for name, kind in tables_of(conn) if name.lower() == table.lower()), None)

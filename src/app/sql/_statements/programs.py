"""Stored programs as statements: CREATE / DROP PROCEDURE | FUNCTION | TRIGGER, SHOW CREATE PROCEDURE |
FUNCTION | TRIGGER, SHOW PROCEDURE | FUNCTION STATUS, SHOW TRIGGERS (CALL is the `call` family's).

A routine is stored in its database (`_spstore`), parsed when created (`_spparse`) and run by the
session's interpreter (`_sprun`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from typing import Any, Final

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .._catalog import Catalog
from .._connections import Connections
from .._diagnostics import note
from .._errors import ER_NO_SUCH_TABLE, ER_SP_DOES_NOT_EXIST, SQLError, shown_name
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import OK, Result
from .._state import SessionState
from .._transaction import Transaction
from .._types import Column, MySQLType
from .._variables import SessionVariables
from ._spparse import parse
from ._sprun import Programs
from ._spstore import Stored, drop_statements, every, find, save_statements
from ._sptree import Routine
from ._tabledefs import mysql_type_text
from ._words import IDENT, STRING, string_value, unquote
from .ddl import run_ddl_statements

_S: Final = MySQLType.VAR_STRING
_CREATE: Final = re.compile(r"(?is)^\s*create\s+(?:or\s+replace\s+)?(?:definer\s*=\s*\S+\s+)?(?:aggregate\s+)?"
                            r"(procedure|function|trigger)\b")
_DROP: Final = re.compile(rf"(?is)^\s*drop\s+(procedure|function|trigger)\s+(if\s+exists\s+)?({IDENT})"
                          rf"(?:\s*\.\s*({IDENT}))?\s*;?\s*$")
_SHOW_CREATE: Final = re.compile(rf"(?is)^\s*show\s+create\s+(procedure|function|trigger)\s+({IDENT})"
                                 rf"(?:\s*\.\s*({IDENT}))?\s*;?\s*$")
_SHOW_STATUS: Final = re.compile(rf"(?is)^\s*show\s+(procedure|function)\s+status(?:\s+like\s+{STRING})?\s*;?\s*$")
_SHOW_TRIGGERS: Final = re.compile(rf"(?is)^\s*show\s+triggers(?:\s+(?:from|in)\s+({IDENT}))?"
                                   rf"(?:\s+like\s+{STRING})?\s*;?\s*$")


@dataclass(frozen=True, slots=True, eq=False)
class CreateRoutinePlan(Plan):
    sql: str
    kind: str
    name: str
    database: str | None
    or_replace: bool
    if_not_exists: bool
    routine: Routine


@dataclass(frozen=True, slots=True, eq=False)
class DropRoutinePlan(Plan):
    kind: str
    name: str
    database: str | None
    if_exists: bool


@dataclass(frozen=True, slots=True, eq=False)
class ShowCreateRoutinePlan(Plan):
    kind: str
    name: str
    database: str | None


@dataclass(frozen=True, slots=True, eq=False)
class ShowRoutinesPlan(Plan):
    """SHOW PROCEDURE | FUNCTION STATUS, SHOW TRIGGERS."""

    kind: str
    like: str | None = None
    database: str | None = None


@plans_words("create")
def plan_create_routine(sql: str, ctx: PlanContext) -> Plan | None:
    if _CREATE.match(sql) is None:
        return None
    header, routine = parse(sql)
    return CreateRoutinePlan(sql.strip().rstrip(";").strip(), header.kind, header.name, header.database,
                             header.or_replace, header.if_not_exists, routine)


@plans_words("drop")
def plan_drop_routine(sql: str, ctx: PlanContext) -> Plan | None:
    m = _DROP.match(sql)
    if m is None:
        return None
    db, name = (unquote(m.group(3)), unquote(m.group(4))) if m.group(4) else (None, unquote(m.group(3)))
    return DropRoutinePlan(m.group(1).upper(), name, db, bool(m.group(2)))


@plans_words("show")
def plan_show_routines(sql: str, ctx: PlanContext) -> Plan | None:
    m = _SHOW_CREATE.match(sql)
    if m is not None:
        db, name = (unquote(m.group(2)), unquote(m.group(3))) if m.group(3) else (None, unquote(m.group(2)))
        return ShowCreateRoutinePlan(m.group(1).upper(), name, db)
    m = _SHOW_STATUS.match(sql)
    if m is not None:
        return ShowRoutinesPlan(m.group(1).upper(), string_value(m.group(2)))
    m = _SHOW_TRIGGERS.match(sql)
    if m is not None:
        return ShowRoutinesPlan("TRIGGER", string_value(m.group(2)), unquote(m.group(1)) if m.group(1) else None)
    return None


def routine_or_error(conns: Connections, state: SessionState, kind: str, name: str,
                     database: str | None = None) -> Stored:
    """The stored routine, or 1305 (1360 for a trigger) naming it as MariaDB does."""
    dbname = state.resolve(database)
    found = find(conns.get(dbname).conn, conns.get(dbname).database, kind, name)
    if found is None:
        if kind == "TRIGGER":
            raise SQLError(1360, "Trigger does not exist", "HY000")
        raise SQLError(ER_SP_DOES_NOT_EXIST, f"{kind} {dbname}.{name} does not exist")
    return found


@executes(CreateRoutinePlan)
def create_routine(plan: CreateRoutinePlan, tx: Transaction, state: SessionState, catalog: Catalog,
                   conns: Connections, variables: SessionVariables) -> Result:
    tx.implicit_commit()
    dbname = state.resolve(plan.database)
    catalog.check_writable(dbname)
    c = tx.begin_ddl(dbname)
    kind = plan.kind
    try:
        existing = find(c.conn, c.database, kind, plan.name)
        if kind == "TRIGGER" and not catalog.has_table(c.database, plan.routine.table):
            raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{plan.routine.table}' doesn't exist")
        if existing is not None and not plan.or_replace:
            if kind == "TRIGGER":
                raise SQLError(1359, "Trigger already exists", "HY000")
            if plan.if_not_exists:
                tx.rollback()
                note(1304, f"{kind} {plan.name} already exists")
                return OK
            raise SQLError(1304, f"{kind} {plan.name} already exists", "42000")
    except SQLError:
        tx.rollback()
        raise
    definition: dict[str, Any] = {
        "sql": plan.sql, "definer": f"{state.priv_user}@{state.priv_host}",
        "sql_mode": str(variables.get("sql_mode") or ""),
        "created": state.statement_time().strftime("%Y-%m-%d %H:%M:%S"), "returns": plan.routine.returns,
        "order": time.time(),
    }
    return run_ddl_statements(c, save_statements(kind, plan.name, definition, replace=plan.or_replace), dbname,
                              tx, catalog)


@executes(DropRoutinePlan)
def drop_routine(plan: DropRoutinePlan, tx: Transaction, state: SessionState, catalog: Catalog) -> Result:
    tx.implicit_commit()
    dbname = state.resolve(plan.database)
    catalog.check_writable(dbname)
    c = tx.begin_ddl(dbname)
    if find(c.conn, c.database, plan.kind, plan.name) is None:
        tx.rollback()
        if plan.kind == "TRIGGER":
            if plan.if_exists:
                note(1360, "Trigger does not exist")
                return OK
            raise SQLError(1360, "Trigger does not exist", "HY000")
        message = f"{plan.kind} {dbname}.{plan.name} does not exist"
        if plan.if_exists:
            note(ER_SP_DOES_NOT_EXIST, message)
            return OK
        raise SQLError(ER_SP_DOES_NOT_EXIST, message)
    return run_ddl_statements(c, drop_statements(plan.kind, plan.name), dbname, tx, catalog)


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _definer(definer: str) -> str:
    user, _, host = definer.rpartition("@")
    return f"{_quote(user)}@{_quote(host)}"


def _type_text(text: str) -> str:
    """A declared type as MariaDB prints it (INT -> int(11))."""
    try:
        dtype = sqlglot.parse_one(f"CAST(NULL AS {text})", read="mysql")
    except SqlglotError:
        return text
    to = dtype.args.get("to") if isinstance(dtype, exp.Cast) else None
    if not isinstance(to, exp.DataType):
        return text
    try:
        return mysql_type_text(to)
    except Exception:  # a type the table definitions do not print: as written
        return text


def create_text(stored: Stored) -> str:
    """The CREATE statement as SHOW CREATE prints it."""
    r = stored.routine
    head = f"CREATE DEFINER={_definer(stored.definer)} "
    if r.kind == "TRIGGER":
        return (f"{head}TRIGGER {_quote(r.name)} {r.timing} {r.event} ON {_quote(shown_name(r.table))} FOR EACH ROW "
                f"{r.body_text}")
    text = f"{head}{r.kind} {_quote(r.name)}({r.params_text})"
    if r.returns is not None:
        text += f" RETURNS {_type_text(r.returns)}"
    lines = []
    if r.deterministic:
        lines.append("DETERMINISTIC")
    if r.data_access != "CONTAINS SQL":
        lines.append(r.data_access)
    if r.security != "DEFINER":
        lines.append(f"SQL SECURITY {r.security}")
    if r.comment:
        lines.append("COMMENT '" + r.comment.replace("\\", "\\\\").replace("'", "\\'") + "'")
    return text + "".join(f"\n    {line}" for line in lines) + "\n" + r.body_text


def _columns(names: list[str], types: dict[str, MySQLType] | None = None) -> list[Column]:
    types = types or {}
    return [Column(n, types.get(n, _S)) for n in names]


@executes(ShowCreateRoutinePlan)
def show_create_routine(plan: ShowCreateRoutinePlan, conns: Connections, state: SessionState) -> Result:
    stored = routine_or_error(conns, state, plan.kind, plan.name, plan.database)
    kind = plan.kind.capitalize()
    if plan.kind == "TRIGGER":
        names = ["Trigger", "sql_mode", "SQL Original Statement", "character_set_client", "collation_connection",
                 "Database Collation", "Created"]
        row: tuple[Any, ...] = (stored.routine.name, stored.sql_mode, create_text(stored), "utf8mb4",
                                "utf8mb4_general_ci", "utf8mb4_general_ci", stored.created)
        return Result(_columns(names, {"Created": MySQLType.DATETIME}), [row])
    names = [kind, "sql_mode", f"Create {kind}", "character_set_client", "collation_connection", "Database Collation"]
    return Result(_columns(names), [(stored.routine.name, stored.sql_mode, create_text(stored), "utf8mb4",
                                     "utf8mb4_general_ci", "utf8mb4_general_ci")])


_STATUS: Final = ["Db", "Name", "Type", "Definer", "Modified", "Created", "Security_type", "Comment",
                  "character_set_client", "collation_connection", "Database Collation"]
_TRIGGERS: Final = ["Trigger", "Event", "Table", "Statement", "Timing", "Created", "sql_mode", "Definer",
                    "character_set_client", "collation_connection", "Database Collation"]


def _like(pattern: str | None, name: str) -> bool:
    if pattern is None:
        return True
    regex = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.fullmatch(regex, name, re.I | re.S) is not None


@executes(ShowRoutinesPlan)
def show_routines(plan: ShowRoutinesPlan, conns: Connections, state: SessionState, catalog: Catalog) -> Result:
    if plan.kind == "TRIGGER":
        dbname = state.resolve(plan.database)
        c = conns.get(dbname)
        rows: list[tuple[Any, ...]] = [
            (s.routine.name, s.routine.event, shown_name(s.routine.table), s.routine.body_text, s.routine.timing,
             s.created + ".00", s.sql_mode, s.definer, "utf8mb4", "utf8mb4_general_ci", "utf8mb4_general_ci")
            for s in every(c.conn, c.database, "TRIGGER") if _like(plan.like, shown_name(s.routine.table))]
        columns = _columns(_TRIGGERS, {"Statement": MySQLType.BLOB})
        columns[5] = Column("Created", MySQLType.DATETIME, scale=2)  # MariaDB keeps a trigger's time to 1/100 s
        return Result(columns, rows)
    rows = []
    for name in sorted(catalog.storage.names(), key=str.lower):
        db = catalog.get(name)
        if db is None:
            continue
        c = conns.get(db.name)
        for s in every(c.conn, c.database, plan.kind):
            if _like(plan.like, s.routine.name):
                rows.append((db.name, s.routine.name, plan.kind, s.definer, s.created, s.created,
                             s.routine.security, s.routine.comment, "utf8mb4", "utf8mb4_general_ci",
                             "utf8mb4_general_ci"))
    return Result(_columns(_STATUS, {"Modified": MySQLType.DATETIME, "Created": MySQLType.DATETIME,
                                     "Comment": MySQLType.BLOB}), rows)


def _argument_count(kind: str, database: str, routine: Routine, given: int) -> None:
    if given != len(routine.params):
        raise SQLError(1318, f"Incorrect number of arguments for {kind} {database}.{routine.name}; expected "
                             f"{len(routine.params)}, got {given}", "42000")


def call_function(name: str, args: list[Any], programs: Programs, conns: Connections, state: SessionState) -> Any:
    """A stored function's value for `args` (a statement calls it; see `_functions`'s APP_STORED_FUNCTION)."""
    stored = routine_or_error(conns, state, "FUNCTION", name)
    routine = stored.routine
    _argument_count("FUNCTION", stored.database, routine, len(args))
    if routine.name.lower() in programs.stack:
        raise SQLError(1424, "Recursive stored functions and triggers are not allowed", "HY000")
    value = programs.call_function(routine, args)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date, time_of_day, timedelta)):
        return str(value)
    return value


_VARIABLE: Final = re.compile(r"(?s)^\s*@(`(?:[^`]|``)+`|'(?:[^']|'')+'|[\w.$]+)\s*$")


def call_procedure(stored: Stored, args: tuple[str, ...], programs: Programs, variables: SessionVariables,
                   state: SessionState) -> Result:
    """CALL of a stored procedure: its result sets, then an OK with the rows its statements changed."""
    routine = stored.routine
    _argument_count("PROCEDURE", stored.database, routine, len(args))
    targets: list[str | None] = []
    reads: list[str] = []
    for i, (param, arg) in enumerate(zip(routine.params, args, strict=True)):
        target = None
        if param.mode != "IN":
            m = _VARIABLE.match(arg)
            if m is None:
                raise SQLError(1414, f"OUT or INOUT argument {i + 1} for routine {stored.database}.{routine.name} "
                                     "is not a variable or NEW pseudo-variable in BEFORE trigger", "42000")
            target = m.group(1).strip("`'").lower()
        targets.append(target)
        reads.append("NULL" if param.mode == "OUT" else arg)
    values = list(programs.run("SELECT " + ", ".join(reads)).rows[0]) if reads else []
    if routine.name.lower() in programs.stack and len(programs.stack) > 0:
        try:
            limit = int(variables.get("max_sp_recursion_depth") or 0)
        except SQLError:
            limit = 0
        if programs.stack.count(routine.name.lower()) > limit:
            raise SQLError(1456, f"Recursive limit {limit} (as set by the max_sp_recursion_depth variable) was "
                                 f"exceeded for routine {routine.name}", "HY000")
    previous = state.database
    state.database = stored.database
    try:
        results, affected, outs = programs.call(routine, values)
    finally:
        state.database = previous
    for target, value in zip(targets, outs, strict=True):
        if target is not None:
            variables.user[target] = value
    return Result(affected_rows=affected, results=results)

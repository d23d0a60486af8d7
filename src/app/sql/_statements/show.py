"""SHOW statements and DESCRIBE: one plan and one executor per kind of SHOW.

They are recognised by their words (sqlglot's SHOW support is partial), with MySQL's spellings:
`SHOW [FULL] TABLES [FROM db] [LIKE 'p']`, `SHOW COLUMNS FROM t FROM db`, `DESC db.t`, ...
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Final

from .._catalog import Catalog
from .._connections import Connections
from .._errors import ER_NO_SUCH_TABLE, SQLError, no_database, not_supported, unknown_database
from .._like import like_regex
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import Result
from .._sqlite import shown_name, stored_name
from .._state import ProcessList, SessionState
from .._types import Column, MySQLType
from .._variables import SessionVariables, shown
from ._charsetinfo import character_sets, collations
from ._describe import describe, tables_of
from ._infotables import table_status_rows
from ._schema import read_extras
from ._showcreate import create_table_text, index_rows
from ._words import IDENT as _IDENT
from ._words import STRING as _LIKE
from ._words import string_value as _like
from ._words import unquote
from ._words import unquote_or_none as _maybe
from .temporary import temporary_tables_of

_S: Final = MySQLType.VAR_STRING
_I: Final = MySQLType.LONGLONG

_TEXT: Final = MySQLType.BLOB


def _result(names: list[str], rows: list[tuple[Any, ...]], types: list[MySQLType] | None = None) -> Result:
    types = types or [_S] * len(names)
    # Tables' names as MariaDB shows them, wherever SQLite's names for them went (see `_sqlite`).
    rows = [tuple(shown_name(v) if isinstance(v, str) else v for v in row) for row in rows]
    return Result([Column(n, t) for n, t in zip(names, types, strict=True)], rows)


def _filter(names: list[str], like: str | None) -> list[str]:
    if like is None:
        return names
    rx = like_regex(like, case_sensitive=True)  # names of databases and tables, compared exactly
    return [n for n in names if rx.match(n)]


# -- the plans ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class ShowDatabasesPlan(Plan):
    like: str | None


@dataclass(frozen=True, slots=True, eq=False)
class ShowTablesPlan(Plan):
    db: str | None
    like: str | None
    full: bool


@dataclass(frozen=True, slots=True, eq=False)
class ShowTableStatusPlan(Plan):
    db: str | None
    like: str | None


@dataclass(frozen=True, slots=True, eq=False)
class ShowColumnsPlan(Plan):
    """SHOW [FULL] COLUMNS, and DESCRIBE."""

    table: str
    db: str | None
    like: str | None
    full: bool


@dataclass(frozen=True, slots=True, eq=False)
class ShowCreateTablePlan(Plan):
    table: str
    db: str | None


@dataclass(frozen=True, slots=True, eq=False)
class ShowCreateDatabasePlan(Plan):
    db: str


@dataclass(frozen=True, slots=True, eq=False)
class ShowVariablesPlan(Plan):
    is_global: bool
    like: str | None


@dataclass(frozen=True, slots=True, eq=False)
class ShowStatusPlan(Plan):
    like: str | None


@dataclass(frozen=True, slots=True, eq=False)
class ShowIndexPlan(Plan):
    table: str
    db: str | None


@dataclass(frozen=True, slots=True, eq=False)
class ShowFixedPlan(Plan):
    """A SHOW whose rows do not depend on the session: ENGINES, COLLATION, CHARSET."""

    columns: tuple[tuple[str, MySQLType], ...]
    rows: tuple[tuple[Any, ...], ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class ShowProcessListPlan(Plan):
    full: bool = False


# -- planning -------------------------------------------------------------------------------------

_SHOW_DATABASES: Final = re.compile(rf"(?is)^\s*show\s+(?:databases|schemas)(?:\s+like\s+{_LIKE})?\s*;?\s*$")
_SHOW_TABLES: Final = re.compile(
    rf"(?is)^\s*show\s+(full\s+)?tables(?:\s+(?:from|in)\s+({_IDENT}))?(?:\s+like\s+{_LIKE})?\s*;?\s*$")
_SHOW_TABLE_STATUS: Final = re.compile(
    rf"(?is)^\s*show\s+table\s+status(?:\s+(?:from|in)\s+({_IDENT}))?(?:\s+like\s+{_LIKE})?\s*;?\s*$")
# SHOW OPEN TABLES lists the tables in MariaDB's table cache; app keeps no open table handles: none.
_SHOW_OPEN_TABLES: Final = re.compile(
    rf"(?is)^\s*show\s+open\s+tables(?:\s+(?:from|in)\s+{_IDENT})?(?:\s+like\s+{_LIKE})?\s*;?\s*$")
_SHOW_COLUMNS: Final = re.compile(
    rf"(?is)^\s*show\s+(full\s+)?(?:columns|fields)\s+(?:from|in)\s+({_IDENT})(?:\.({_IDENT}))?"
    rf"(?:\s+(?:from|in)\s+({_IDENT}))?(?:\s+like\s+{_LIKE})?\s*;?\s*$")
_DESCRIBE: Final = re.compile(
    rf"(?is)^\s*(?:describe|desc|explain)\s+({_IDENT})(?:\.({_IDENT}))?(?:\s+({_IDENT}|'[^']*'))?\s*;?\s*$")
_SHOW_CREATE_TABLE: Final = re.compile(rf"(?is)^\s*show\s+create\s+table\s+({_IDENT})(?:\.({_IDENT}))?\s*;?\s*$")
_SHOW_CREATE_DATABASE: Final = re.compile(rf"(?is)^\s*show\s+create\s+(?:database|schema)\s+({_IDENT})\s*;?\s*$")
_SHOW_VARIABLES: Final = re.compile(
    rf"(?is)^\s*show\s+(global\s+|session\s+|local\s+)?variables(?:\s+like\s+{_LIKE})?\s*;?\s*$")
_SHOW_STATUS: Final = re.compile(rf"(?is)^\s*show\s+(global\s+|session\s+)?status(?:\s+like\s+{_LIKE})?\s*;?\s*$")
_SHOW_INDEX: Final = re.compile(
    rf"(?is)^\s*show\s+(?:index|indexes|keys)\s+(?:from|in)\s+({_IDENT})(?:\.({_IDENT}))?"
    rf"(?:\s+(?:from|in)\s+({_IDENT}))?\s*;?\s*$")
_SHOW_SIMPLE: Final = re.compile(
    r"(?is)^\s*show\s+(engines|processlist|full\s+processlist|grants|charset|character\s+set|"
    r"collation|master\s+status|plugins)\b")

_FIXED: Final[dict[str, ShowFixedPlan]] = {
    "engines": ShowFixedPlan(
        tuple((n, _S) for n in ("Engine", "Support", "Comment", "Transactions", "XA", "Savepoints")),
        (("InnoDB", "DEFAULT", "SQLite storage in WAL mode", "YES", "NO", "YES"),)),
    "collation": ShowFixedPlan((("Collation", _S), ("Charset", _S), ("Id", _I), ("Default", _S), ("Compiled", _S),
                                ("Sortlen", _I)), collations()),
    "charset": ShowFixedPlan((("Charset", _S), ("Description", _S), ("Default collation", _S), ("Maxlen", _I)),
                             tuple((name, description, collation, maxlen)
                                   for name, collation, description, maxlen in character_sets())),
}
_LIKE_REST: Final = re.compile(rf"(?is)\s+like\s+{_LIKE}\s*;?\s*$")


def _show_simple(what: str, rest: str) -> Plan:
    what = " ".join(what.lower().split())
    if what in ("processlist", "full processlist"):
        return ShowProcessListPlan(full=what != "processlist")
    fixed = _FIXED.get({"character set": "charset"}.get(what, what))
    if fixed is None:
        raise not_supported(f"SHOW {what.upper()}")
    m = _LIKE_REST.match(rest)
    if m is not None:  # SHOW COLLATION LIKE 'latin1%': the rows whose first column matches
        rx = like_regex(_like(m.group(1)) or "")
        return replace(fixed, rows=tuple(r for r in fixed.rows if rx.match(str(r[0]))))
    return fixed


def _show_columns(m: re.Match[str]) -> Plan:
    table, db = (m.group(3), m.group(2)) if m.group(3) else (m.group(2), m.group(4))
    return ShowColumnsPlan(unquote(table), _maybe(db), _like(m.group(5)), bool(m.group(1)))


def _qualified(m: re.Match[str]) -> tuple[str, str | None]:
    """(table, database) of `[db.]table`, the first two groups."""
    return (unquote(m.group(2)), unquote(m.group(1))) if m.group(2) else (unquote(m.group(1)), None)


def _show_index(m: re.Match[str]) -> Plan:
    table, db = (m.group(2), m.group(1)) if m.group(2) else (m.group(1), m.group(3))
    return ShowIndexPlan(unquote(table), _maybe(db))


_SHOWS: Final[list[tuple[re.Pattern[str], Callable[[re.Match[str]], Plan]]]] = [
    (_SHOW_DATABASES, lambda m: ShowDatabasesPlan(_like(m.group(1)))),
    (_SHOW_TABLES, lambda m: ShowTablesPlan(_maybe(m.group(2)), _like(m.group(3)), bool(m.group(1)))),
    (_SHOW_COLUMNS, _show_columns),
    (_SHOW_TABLE_STATUS, lambda m: ShowTableStatusPlan(_maybe(m.group(1)), _like(m.group(2)))),
    (_SHOW_OPEN_TABLES, lambda m: ShowFixedPlan((("Database", _S), ("Table", _S), ("In_use", _I),
                                                 ("Name_locked", _I)))),
    (_SHOW_CREATE_TABLE, lambda m: ShowCreateTablePlan(*_qualified(m))),
    (_SHOW_CREATE_DATABASE, lambda m: ShowCreateDatabasePlan(unquote(m.group(1)))),
    (_SHOW_VARIABLES, lambda m: ShowVariablesPlan((m.group(1) or "").strip().lower() == "global", _like(m.group(2)))),
    (_SHOW_STATUS, lambda m: ShowStatusPlan(_like(m.group(2)))),
    (_SHOW_INDEX, _show_index),
    (_SHOW_SIMPLE, lambda m: _show_simple(m.group(1), m.string[m.end():])),
]


@plans_words("show")
def plan_show(sql: str, ctx: PlanContext) -> Plan:
    for pattern, make in _SHOWS:
        m = pattern.match(sql)
        if m:
            return make(m)
    raise not_supported(" ".join(sql.split())[:60])


@plans_words("describe", "desc", "explain")
def plan_describe(sql: str, ctx: PlanContext) -> Plan | None:
    m = _DESCRIBE.match(sql)
    if m is None:
        return None  # EXPLAIN SELECT ...: not a DESCRIBE
    like = unquote(m.group(3).strip("'")) if m.group(3) else None
    return ShowColumnsPlan(*_qualified(m), like=like, full=False)


# -- running --------------------------------------------------------------------------------------


def _database(db: str | None, state: SessionState) -> str:
    name = db or state.database
    if name is None:
        raise no_database()
    return name


@executes(ShowDatabasesPlan)
def show_databases(plan: ShowDatabasesPlan, catalog: Catalog) -> Result:
    names = _filter(["information_schema", *catalog.storage.names()], plan.like)
    return _result(["Database" + (f" ({plan.like})" if plan.like is not None else "")], [(n,) for n in names])


@executes(ShowTablesPlan)
def show_tables(plan: ShowTablesPlan, conns: Connections, state: SessionState) -> Result:
    c = conns.get(_database(plan.db, state))
    tables = sorted((shown_name(t), k) for t, k in tables_of(c.conn))
    keep = set(_filter([t for t, _ in tables], plan.like))
    header = f"Tables_in_{c.database.name}" + (f" ({plan.like})" if plan.like else "")
    if plan.full:
        return _result([header, "Table_type"], [(t, k) for t, k in tables if t in keep])
    return _result([header], [(t,) for t, _ in tables if t in keep])


@executes(ShowTableStatusPlan)
def show_table_status(plan: ShowTableStatusPlan, conns: Connections, state: SessionState) -> Result:
    """Each table as information_schema.TABLES has it (without its catalog, schema and type)."""
    c = conns.get(_database(plan.db, state))
    rows = [r[2:3] + r[4:] for r in table_status_rows(c.conn, c.database.name, plan.like)]
    names = ["Name", "Engine", "Version", "Row_format", "Rows", "Avg_row_length", "Data_length", "Max_data_length",
             "Index_length", "Data_free", "Auto_increment", "Create_time", "Update_time", "Check_time", "Collation",
             "Checksum", "Create_options", "Comment", "Max_index_length", "Temporary"]
    types = [_S, _S, _I, _S] + [_I] * 7 + [MySQLType.DATETIME] * 3 + [_S, _I, _S, _S, _I, _S]
    # the numbers are BIGINT UNSIGNED, as in information_schema.TABLES
    return Result([Column(n, t, unsigned=t == _I) for n, t in zip(names, types, strict=True)], rows)


@executes(ShowColumnsPlan)
def show_columns(plan: ShowColumnsPlan, conns: Connections, state: SessionState) -> Result:
    dbname = _database(plan.db, state)
    conn = conns.get(dbname).conn
    infos = describe(conn, stored_name(plan.table))
    if infos is None:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{plan.table}' doesn't exist")
    rows = [i for i in infos if plan.like is None or like_regex(plan.like).match(i.name)]
    if plan.full:
        extras = read_extras(conn, stored_name(plan.table))
        return _result(
            ["Field", "Type", "Collation", "Null", "Key", "Default", "Extra", "Privileges", "Comment"],
            [(i.name, i.type, extras.collations.get(i.name.lower(), "utf8mb4_general_ci")
              if "char" in i.type or "text" in i.type else None,
              "YES" if i.nullable else "NO", i.key, i.default, i.extra, "select,insert,update,references",
              extras.column_comments.get(i.name.lower(), "")) for i in rows],
            [_S, _TEXT, _S, _S, _S, _TEXT, _S, _S, _S])
    # MariaDB sends Type and Default as TEXT (a BLOB of characters).
    return _result(["Field", "Type", "Null", "Key", "Default", "Extra"],
                   [(i.name, i.type, "YES" if i.nullable else "NO", i.key, i.default, i.extra) for i in rows],
                   [_S, _TEXT, _S, _S, _TEXT, _S])


@executes(ShowCreateTablePlan)
def show_create_table(plan: ShowCreateTablePlan, conns: Connections, state: SessionState,
                      variables: SessionVariables) -> Result:
    dbname = _database(plan.db, state)
    conn = conns.get(dbname).conn
    table = stored_name(plan.table)
    infos = describe(conn, table)
    if infos is None:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{plan.table}' doesn't exist")
    text = create_table_text(conn, table, infos, read_extras(conn, table),
                             quoted=bool(variables.get("sql_quote_show_create")),
                             temporary=table.lower() in temporary_tables_of(conn))
    return _result(["Table", "Create Table"], [(plan.table, text)])


@executes(ShowCreateDatabasePlan)
def show_create_database(plan: ShowCreateDatabasePlan, catalog: Catalog) -> Result:
    db = catalog.get(plan.db)
    if db is None:
        raise unknown_database(plan.db)
    text = f"CREATE DATABASE `{db.name}` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci */"
    return _result(["Database", "Create Database"], [(db.name, text)])


@executes(ShowVariablesPlan)
def show_variables(plan: ShowVariablesPlan, variables: SessionVariables) -> Result:
    rx = like_regex(plan.like) if plan.like else None
    definitions = variables.globals.definitions
    rows = []
    for name in sorted(definitions):
        if rx is None or rx.match(name):
            value = variables.get(name, "global" if plan.is_global else "")
            rows.append((name, shown(definitions[name], value)))
    return _result(["Variable_name", "Value"], rows)


@executes(ShowStatusPlan)
def show_status(plan: ShowStatusPlan, processes: ProcessList, state: SessionState) -> Result:
    rx = like_regex(plan.like) if plan.like else None
    status = {"Threads_connected": str(len(processes)), "Uptime": "1", **state.connection_status}
    return _result(["Variable_name", "Value"],
                   [(k, status[k]) for k in sorted(status) if rx is None or rx.match(k)])


_INDEX_COLUMNS: Final = (("Table", _S), ("Non_unique", _I), ("Key_name", _S), ("Seq_in_index", MySQLType.LONG),
                         ("Column_name", _S), ("Collation", _S), ("Cardinality", _I), ("Sub_part", _I),
                         ("Packed", _S), ("Null", _S), ("Index_type", _S), ("Comment", _S), ("Index_comment", _S),
                         ("Ignored", _S))


@executes(ShowIndexPlan)
def show_index(plan: ShowIndexPlan, conns: Connections, state: SessionState) -> Result:
    dbname = _database(plan.db, state)
    conn = conns.get(dbname).conn
    infos = describe(conn, stored_name(plan.table))
    if infos is None:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{plan.table}' doesn't exist")
    result = _result([n for n, _ in _INDEX_COLUMNS], index_rows(conn, stored_name(plan.table), infos),
                     [t for _, t in _INDEX_COLUMNS])
    assert result.columns is not None
    result.columns[3] = Column("Seq_in_index", MySQLType.LONG, unsigned=True)  # as MariaDB types it
    return result


@executes(ShowFixedPlan)
def show_fixed(plan: ShowFixedPlan) -> Result:
    return _result([n for n, _ in plan.columns], list(plan.rows), [t for _, t in plan.columns])


@executes(ShowProcessListPlan)
def show_processlist(plan: ShowProcessListPlan, processes: ProcessList) -> Result:
    rows = [s.process_row(plan.full) for s in processes.states()]
    return _result(["Id", "User", "Host", "db", "Command", "Time", "State", "Info"], rows,
                   [_I, _S, _S, _S, _S, _I, _S, _S])

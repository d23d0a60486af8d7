"""CREATE / ALTER / DROP SEQUENCE and SHOW CREATE SEQUENCE.

A sequence is what MariaDB makes of it: a table of one row with its state (`next_not_cached_value`,
`minimum_value`, ... `cycle_count`), readable with SELECT, listed as a SEQUENCE (the table's extras
say it is one). NEXTVAL, LASTVAL and SETVAL are not there yet (1305, as for any unknown function).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import sqlglot
from sqlglot import exp

from .._catalog import Catalog
from .._connections import Connections
from .._diagnostics import note
from .._errors import ER_TABLE_EXISTS, SQLError, not_supported, shown_name, syntax_error
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import OK, Result
from .._sqlite import quote, stored_name
from .._state import SessionState
from .._transaction import Transaction
from .._types import Column, MySQLType
from ._createtable import TableDefinition
from ._schema import delete_statements, read_extras, save_statements
from ._words import IDENT, unquote
from .ddl import apply_ddl

_MAX: Final = 9223372036854775806
_MIN: Final = -9223372036854775807
# MariaDB's table of a sequence, with its comments.
_COLUMNS: Final = (
    "`next_not_cached_value` bigint(21) NOT NULL, `minimum_value` bigint(21) NOT NULL, "
    "`maximum_value` bigint(21) NOT NULL, `start_value` bigint(21) NOT NULL COMMENT 'start value when sequences "
    "is created or value if RESTART is used', `increment` bigint(21) NOT NULL COMMENT 'increment value', "
    "`cache_size` bigint(21) unsigned NOT NULL, `cycle_option` tinyint(1) unsigned NOT NULL COMMENT '0 if no cycles "
    "are allowed, 1 if the sequence should begin a new cycle when maximum_value is passed', "
    "`cycle_count` bigint(21) NOT NULL COMMENT 'How many cycles have been done'")
_NAMES: Final = ("next_not_cached_value", "minimum_value", "maximum_value", "start_value", "increment", "cache_size",
                 "cycle_option", "cycle_count")

_STATEMENT: Final = re.compile(
    r"(?is)^\s*(create|alter|drop)\s+(or\s+replace\s+)?sequence\s+(if\s+(?:not\s+)?exists\s+)?(.*?)\s*;?\s*$")
_NAME: Final = re.compile(rf"(?is)^(?:({IDENT})\s*\.\s*)?({IDENT})")
_NUMBER: Final = r"\s*=?\s*(?:with\s+|by\s+)?([+-]?\d+)"
_OPTION: Final = re.compile(
    rf"(?is)\s*(?:(start|increment|minvalue|maxvalue|cache|restart){_NUMBER}"
    r"|(restart)\b|(no\s*minvalue|no\s*maxvalue|nocache|nocycle|cycle)\b|engine\s*=\s*\w+)\s*,?")


@dataclass(frozen=True, slots=True)
class SequenceOptions:
    """What the statement says (None: not said)."""

    start: int | None = None
    increment: int | None = None
    minvalue: int | None = None
    maxvalue: int | None = None
    cache: int | None = None
    cycle: bool | None = None
    restart: int | bool | None = None  # ALTER ... RESTART [WITH n] (True: to the start value)
    no_min: bool = False
    no_max: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class SequencePlan(Plan):
    """CREATE [OR REPLACE] / ALTER / DROP SEQUENCE of `names` ((database or None, name))."""

    verb: str
    names: tuple[tuple[str | None, str], ...]
    options: SequenceOptions
    replace: bool
    if_exists: bool  # IF NOT EXISTS for CREATE


@dataclass(frozen=True, slots=True, eq=False)
class ShowCreateSequencePlan(Plan):
    name: str
    db: str | None


_WORDS: Final[dict[str, tuple[str, int | bool]]] = {
    "nominvalue": ("no_min", True), "nomaxvalue": ("no_max", True), "nocache": ("cache", 0),
    "nocycle": ("cycle", False), "cycle": ("cycle", True)}


def _options(text: str, sql: str) -> SequenceOptions:
    found: dict[str, int | bool] = {}
    pos = 0
    while pos < len(text):
        m = _OPTION.match(text, pos)
        if m is None or m.end() == pos:
            raise syntax_error(text[pos:pos + 40] or sql)
        pos = m.end()
        if m.group(1):
            found[m.group(1).lower()] = int(m.group(2))
        elif m.group(3):
            found["restart"] = True
        elif m.group(4):
            key, value = _WORDS["".join(m.group(4).lower().split())]
            found[key] = value
    return SequenceOptions(**found)  # type: ignore[arg-type]  # the keys are SequenceOptions' fields


def _names(text: str, many: bool) -> tuple[tuple[tuple[str | None, str], ...], str]:
    names: list[tuple[str | None, str]] = []
    rest = text
    while True:
        m = _NAME.match(rest.strip())
        if m is None:
            raise syntax_error(text)
        names.append((unquote(m.group(1)) if m.group(1) else None, stored_name(unquote(m.group(2)))))
        rest = rest.strip()[m.end():]
        if not (many and rest.lstrip().startswith(",")):
            return tuple(names), rest
        rest = rest.lstrip()[1:]


@plans_words("create", "alter", "drop")
def plan_sequence(sql: str, ctx: PlanContext) -> Plan | None:
    m = _STATEMENT.match(sql)
    if m is None:
        return None
    verb = m.group(1).lower()
    names, rest = _names(m.group(4), verb == "drop")
    if verb == "drop" and rest.strip():
        raise syntax_error(rest)
    options = _options(rest, sql) if verb != "drop" else SequenceOptions()
    return SequencePlan(verb, names, options, bool(m.group(2)), bool(m.group(3)))


_SHOW: Final = re.compile(rf"(?is)^\s*show\s+create\s+sequence\s+(?:({IDENT})\s*\.\s*)?({IDENT})\s*;?\s*$")


@plans_words("show")
def plan_show_create_sequence(sql: str, ctx: PlanContext) -> Plan | None:
    m = _SHOW.match(sql)
    if m is None:
        return None
    return ShowCreateSequencePlan(stored_name(unquote(m.group(2))), unquote(m.group(1)) if m.group(1) else None)


# -- the state of a sequence ------------------------------------------------------------------------


def _state(options: SequenceOptions, old: dict[str, int] | None, db: str, name: str) -> dict[str, int]:
    """The sequence's row after CREATE (`old` None) or ALTER, or 4085 if its options do not fit."""
    if old is None:
        increment = options.increment if options.increment is not None else 1
        low = _MIN if increment < 0 else 1
        high = -1 if increment < 0 else _MAX
        minimum = low if options.minvalue is None or options.no_min else options.minvalue
        maximum = high if options.maxvalue is None or options.no_max else options.maxvalue
        start = options.start if options.start is not None else (maximum if increment < 0 else minimum)
        row = {"next_not_cached_value": start, "minimum_value": minimum, "maximum_value": maximum,
               "start_value": start, "increment": increment, "cache_size": 1000 if options.cache is None else
               options.cache, "cycle_option": int(bool(options.cycle)), "cycle_count": 0}
    else:
        row = dict(old)
        for key, value in (("increment", options.increment), ("minimum_value", options.minvalue),
                           ("maximum_value", options.maxvalue), ("start_value", options.start),
                           ("cache_size", options.cache)):
            if value is not None:
                row[key] = value
        if options.cycle is not None:
            row["cycle_option"] = int(options.cycle)
        if options.restart is not None:
            row["next_not_cached_value"] = row["start_value"] if options.restart is True else int(options.restart)
    if not (row["minimum_value"] < row["maximum_value"] and
            row["minimum_value"] <= row["start_value"] <= row["maximum_value"] and row["cache_size"] >= 0):
        raise SQLError(4085, f"Sequence '{db}.{name}' has out of range value for options", "HY000")
    return row


def _is_sequence(conns: Connections, db: str, name: str) -> bool | None:
    """Whether `name` is a sequence (None: there is no such table)."""
    conn = conns.get(db).conn
    if not conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE",
                        (name,)).fetchall():
        return None
    return read_extras(conn, name).sequence


def _create_statements(name: str, row: dict[str, int]) -> tuple[str, ...]:
    create = sqlglot.parse_one(f"CREATE TABLE t ({_COLUMNS})", read="mysql")
    assert isinstance(create, exp.Create) and isinstance(create.this, exp.Schema)
    definition = TableDefinition.of(name, create.this)
    built = definition.build()
    extras = definition.extras()
    values = ", ".join(str(row[c]) for c in _NAMES)
    return (built.create, f"INSERT INTO {quote(name)} VALUES ({values})",
            *save_statements(name, type(extras)(column_comments=extras.column_comments, sequence=True)))


@executes(SequencePlan)
def run_sequence(plan: SequencePlan, tx: Transaction, conns: Connections, state: SessionState,
                 catalog: Catalog) -> Result:
    if plan.verb == "drop":
        return _drop(plan, tx, conns, state, catalog)
    (db_name, name), = plan.names
    db = state.resolve(db_name)
    found = _is_sequence(conns, db, name)
    if plan.verb == "alter":
        if not found:
            raise SQLError(4091, f"Unknown SEQUENCE: '{name}'", "42S02")
        conn = conns.get(db).conn
        values = conn.execute(f"SELECT * FROM {quote(name)}").fetchall()[0]
        old = {c: v for c, v in zip(_NAMES, values, strict=True) if isinstance(v, int)}
        row = _state(plan.options, old, db, name)
        sets = ", ".join(f"{quote(c)} = {row[c]}" for c in _NAMES)
        return apply_ddl((f"UPDATE {quote(name)} SET {sets}",), db, tx, catalog)
    row = _state(plan.options, None, db, name)
    statements = _create_statements(name, row)
    if found is not None:
        if plan.if_exists:
            note(ER_TABLE_EXISTS, f"Table '{name}' already exists")
            return OK
        if not plan.replace:
            raise SQLError(ER_TABLE_EXISTS, f"Table '{name}' already exists")
        statements = (f"DROP TABLE {quote(name)}", *delete_statements(name), *statements)
    return apply_ddl(statements, db, tx, catalog)


def _drop(plan: SequencePlan, tx: Transaction, conns: Connections, state: SessionState, catalog: Catalog) -> Result:
    statements: tuple[str, ...] = ()
    missing = []
    dbs = {state.resolve(db) for db, _ in plan.names}
    for db_name, name in plan.names:
        db = state.resolve(db_name)
        found = _is_sequence(conns, db, name)
        if found is None:
            missing.append(f"{db}.{name}")
        elif not found:
            raise SQLError(4090, f"'{db}.{name}' is not a SEQUENCE", "42S02")
        else:
            statements += (f"DROP TABLE {quote(name)}", *delete_statements(name))
    if missing and not plan.if_exists:  # MariaDB drops none of them then
        raise SQLError(4091, f"Unknown SEQUENCE: '{','.join(missing)}'", "42S02")
    result = OK
    if statements:
        if len(dbs) > 1:
            raise not_supported("DROP SEQUENCE across databases")
        result = apply_ddl(statements, dbs.pop(), tx, catalog)
    if missing:
        note(4091, f"Unknown SEQUENCE: '{','.join(missing)}'")
    return result


@executes(ShowCreateSequencePlan)
def show_create_sequence(plan: ShowCreateSequencePlan, conns: Connections, state: SessionState) -> Result:
    db = state.resolve(plan.db)
    found = _is_sequence(conns, db, plan.name)
    if found is None:
        raise SQLError(1146, f"Table '{db}.{plan.name}' doesn't exist", "42S02")
    if not found:
        raise SQLError(4090, f"'{db}.{plan.name}' is not a SEQUENCE", "42S02")
    values = conns.get(db).conn.execute(f"SELECT * FROM {quote(plan.name)}").fetchall()[0]
    row = dict(zip(_NAMES, values, strict=True))
    text = (f"CREATE SEQUENCE `{plan.name}` start with {row['start_value']} minvalue {row['minimum_value']} "
            f"maxvalue {row['maximum_value']} increment by {row['increment']} "
            + (f"cache {row['cache_size']} " if row["cache_size"] else "nocache ")
            + ("cycle" if row["cycle_option"] else "nocycle") + " ENGINE=InnoDB")
    return Result([Column("Table", MySQLType.VAR_STRING), Column("Create Table", MySQLType.VAR_STRING)],
                  [(shown_name(plan.name), shown_name(text))])

"""SQL-level prepared statements: PREPARE name FROM 'text' | @var, EXECUTE name [USING expr, ...],
DEALLOCATE | DROP PREPARE name.

A prepared statement is its text, kept per session; EXECUTE puts the USING values into its `?`
markers as literals and runs the result as the session runs any statement (so it is translated,
cached and checked as the same text typed by the client would be).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, final

import apsw
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .._catalog import Catalog
from .._connections import Connections
from .._errors import ER_NO_SUCH_TABLE, SQLError, syntax_error
from .._lexer import first_keyword, projection_texts
from .._plan import Plan, PlanContext, executes, plans_words, word_planners
from .._results import Result
from .._rewrite import to_sqlite_expression
from .._sqlite import SYSTEM_SCHEMAS, stored_name
from .._sqlite_errors import sqlite_error
from .._state import SessionState
from .._variables import SessionVariables
from ._words import IDENT, string_value, unquote
from .temporary import temporary_tables

ER_UNKNOWN_STMT_HANDLER: Final = 1243
ER_WRONG_ARGUMENTS: Final = 1210
ER_UNSUPPORTED_PS: Final = 1295


@final
class PreparedStatements:
    """One session's prepared statements (by lower-case name), and how to run a statement's text."""

    def __init__(self, run: Callable[[str], Result]) -> None:
        self.run = run
        self.texts: dict[str, tuple[str, int]] = {}  # name -> (text, number of ? markers)


@dataclass(frozen=True, slots=True, eq=False)
class PreparePlan(Plan):
    """PREPARE name FROM 'text' (`text`) or FROM @var (`variable`)."""

    name: str
    text: str | None = None
    variable: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class ExecutePlan(Plan):
    """EXECUTE name [USING ...]: the values as a SELECT (`args_sql`, empty without USING).
    EXECUTE IMMEDIATE expr [USING ...] has no name: the statement's text is the first value."""

    name: str | None
    args_sql: str = ""
    var_params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class DeallocatePlan(Plan):
    name: str


# -- planning -------------------------------------------------------------------------------------

_QUOTED: Final = r"""('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")"""
_PREPARE: Final = re.compile(rf"(?is)^\s*prepare\s+({IDENT})\s+from\s+(?:{_QUOTED}|@({IDENT}))\s*;?\s*$")
_EXECUTE: Final = re.compile(rf"(?is)^\s*execute\s+(?!immediate\b)({IDENT})(?:\s+using\s+(.+?))?\s*;?\s*$")
_IMMEDIATE: Final = re.compile(r"(?is)^\s*execute\s+immediate\s+(.+?)\s*;?\s*$")
_DEALLOCATE: Final = re.compile(rf"(?is)^\s*(?:deallocate|drop)\s+prepare\s+({IDENT})\s*;?\s*$")
# The ? markers of a statement's text: those outside strings, quoted names and comments.
_TOKENS: Final = re.compile(
    r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|/\*.*?\*/|(?:--\s|\#)[^\n]*|\?""", re.S)


@plans_words("prepare")
def plan_prepare(sql: str, ctx: PlanContext) -> Plan:
    m = _PREPARE.match(sql)
    if m is None:
        raise syntax_error(sql)
    name = unquote(m.group(1)).lower()
    if m.group(3) is not None:
        return PreparePlan(name, variable=unquote(m.group(3)).lower())
    return PreparePlan(name, text=string_value(m.group(2)))


@plans_words("execute")
def plan_execute(sql: str, ctx: PlanContext) -> Plan:
    m = _EXECUTE.match(sql)
    if m is not None:
        name: str | None = unquote(m.group(1)).lower()
        values = m.group(2)
    else:
        m = _IMMEDIATE.match(sql)
        if m is None:
            raise syntax_error(sql)
        name = None
        text, using = _split_using(m.group(1))
        values = text if using is None else f"{text}, {using}"
    if not values:
        return ExecutePlan(name)
    try:
        tree = sqlglot.parse_one("SELECT " + values, read="mysql")
    except SqlglotError:
        raise syntax_error(values) from None
    if not isinstance(tree, exp.Select) or tree.args.get("from_") is not None:
        raise syntax_error(values)
    args_sql, var_params = to_sqlite_expression(tree)
    return ExecutePlan(name, args_sql, var_params)


_WORDS: Final = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|[()]|\w+""")


def _split_using(text: str) -> tuple[str, str | None]:
    """EXECUTE IMMEDIATE's expression and the values after its USING (None without one)."""
    depth = 0
    for m in _WORDS.finditer(text):
        token = m.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0 and token.lower() == "using":
            return text[: m.start()].strip(), text[m.end():].strip()
    return text.strip(), None


@plans_words("deallocate", "drop")
def plan_deallocate(sql: str, ctx: PlanContext) -> Plan | None:
    m = _DEALLOCATE.match(sql)
    return DeallocatePlan(unquote(m.group(1)).lower()) if m else None


# -- running --------------------------------------------------------------------------------------


def markers(text: str) -> list[int]:
    """The positions of the ? markers in a statement's text."""
    return [m.start() for m in _TOKENS.finditer(text) if m.group() == "?"]


def literal(value: Any) -> str:
    """A value as the SQL literal that stands for it in a statement's text."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if "e" in text or "n" in text else text + "e0"  # a DOUBLE stays one
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return "X'" + value.hex() + "'"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "''") + "'"


def _text_of(value: Any) -> str:
    return "NULL" if value is None else value.decode() if isinstance(value, bytes) else str(value)


@executes(PreparePlan)
def run_prepare(plan: PreparePlan, prepared: PreparedStatements, variables: SessionVariables, catalog: Catalog,
                conns: Connections, state: SessionState) -> Result:
    text = plan.text if plan.variable is None else _text_of(variables.user.get(plan.variable))
    assert text is not None
    # A statement replaced by a failed PREPARE is gone, as in MariaDB.
    prepared.texts.pop(plan.name, None)
    tree = _check(text)
    if isinstance(tree, (exp.Query, exp.Insert, exp.Update, exp.Delete)):
        _check_tables(tree, catalog, conns, state)
    prepared.texts[plan.name] = (text, len(markers(text)))
    return Result(info="Statement prepared")


def _check_tables(tree: exp.Expr, catalog: Catalog, conns: Connections, state: SessionState) -> None:
    """MariaDB opens a query's tables at PREPARE: a table that does not exist is 1146 then."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier) or (not table.db and table.name.lower() in ctes):
            continue
        name = table.db or state.database
        if not name or name.lower() in SYSTEM_SCHEMAS:
            continue
        db = catalog.get(name)
        if db is None or db.dropped:
            continue  # the statement's own error when it runs
        if not catalog.has_table(db, stored_name(table.name)) and \
                table.name.lower() not in temporary_tables(conns, name):
            raise SQLError(ER_NO_SUCH_TABLE, f"Table '{name}.{table.name}' doesn't exist", "42S02")


def _check(text: str) -> exp.Expr | None:
    """Refuse at PREPARE what MariaDB refuses then: bad syntax, several statements, PREPARE itself."""
    kind = first_keyword(text)
    if kind in ("prepare", "execute", "deallocate"):
        raise SQLError(ER_UNSUPPORTED_PS, "This command is not supported in the prepared statement protocol yet")
    if not text.strip():
        raise SQLError(1065, "Query was empty", "42000")
    try:  # the syntax is checked now; the tables when it runs
        trees = sqlglot.parse(text.replace("?", "NULL"), read="mysql")
    except SqlglotError:
        raise syntax_error(text) from None
    if any(isinstance(t, exp.Command) for t in trees) and not word_planners(kind):
        raise syntax_error(text)
    if len([t for t in trees if t is not None]) > 1:
        raise syntax_error(text.split(";", 1)[-1])
    return trees[0] if trees else None


@executes(ExecutePlan)
def run_execute(plan: ExecutePlan, prepared: PreparedStatements, conns: Connections,
                variables: SessionVariables) -> Result:
    args: list[Any] = []
    if plan.args_sql:
        bindings = {key: variables.lookup(ref) for key, ref in plan.var_params} or None
        try:
            args = list(conns.scratch().query_cursor.execute(plan.args_sql, bindings).fetchall()[0])
        except apsw.Error as e:
            raise sqlite_error(e, None) from None
    if plan.name is None:  # EXECUTE IMMEDIATE
        text = _text_of(args.pop(0))
        _check(text)
        count = len(markers(text))
    else:
        found = prepared.texts.get(plan.name)
        if found is None:
            raise SQLError(ER_UNKNOWN_STMT_HANDLER,
                           f"Unknown prepared statement handler ({plan.name}) given to EXECUTE", "HY000")
        text, count = found
    if len(args) != count:
        raise SQLError(ER_WRONG_ARGUMENTS, "Incorrect arguments to EXECUTE", "HY000")
    if not count:
        return prepared.run(text)
    pieces = []
    start = 0
    for position, value in zip(markers(text), args, strict=True):
        pieces.append(text[start:position])
        pieces.append(literal(value))
        start = position + 1
    pieces.append(text[start:])
    result = prepared.run("".join(pieces))
    return _named_as_prepared(result, text, "".join(pieces))


def _named_as_prepared(result: Result, text: str, executed: str) -> Result:
    """A column named after a projection's text is named after the prepared text (`SELECT ? + 1`
    has a column named `? + 1`, whatever the value)."""
    if result.columns is None:
        return result
    prepared_texts, executed_texts = projection_texts(text), projection_texts(executed)
    if prepared_texts is None or executed_texts is None or len(prepared_texts) != len(result.columns):
        return result
    for i, (before, after) in enumerate(zip(prepared_texts, executed_texts, strict=True)):
        column = result.columns[i]
        if before != after and column.name in (after, after.strip("'")):
            result.columns[i] = dataclasses.replace(column, name=before)
    return result


@executes(DeallocatePlan)
def run_deallocate(plan: DeallocatePlan, prepared: PreparedStatements) -> Result:
    if prepared.texts.pop(plan.name, None) is None:
        raise SQLError(ER_UNKNOWN_STMT_HANDLER,
                       f"Unknown prepared statement handler ({plan.name}) given to DEALLOCATE PREPARE", "HY000")
    return Result()

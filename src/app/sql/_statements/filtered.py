"""SHOW ... WHERE condition: the SHOW's rows that the condition, over its columns by name, holds for.

The SHOW runs as written without its WHERE; each of its rows is then given to the condition as a row
of columns named as the SHOW names them (`Tables_in_db`, `Key`, `Variable_name`, ...), in SQLite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import apsw
import sqlglot
from sqlglot.errors import SqlglotError

from .._connections import Connections
from .._errors import syntax_error
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import Result
from .._rewrite import to_sqlite_expression
from .._sealed import CLIENT
from .._sqlite import quote
from .._sqlite_errors import sqlite_error
from .._variables import SessionVariables
from .prepared import PreparedStatements


@dataclass(frozen=True, slots=True, eq=False)
class ShowWherePlan(Plan):
    """SHOW ... WHERE: the SHOW's text, and the condition as an SQLite expression (with the variables it reads)."""

    show: str
    condition: str
    var_params: tuple[tuple[str, str], ...] = ()


_TOKEN: Final = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|\w+|\S""", re.S)
# The SHOW statements that take WHERE (MariaDB's grammar); the others keep their own errors.
_WITH_WHERE: Final = re.compile(
    r"(?is)^\s*show\s+(?:full\s+|global\s+|session\s+|local\s+)?(?:tables|columns|fields|variables|status|databases|"
    r"schemas|index|indexes|keys|table\s+status|open\s+tables|collation|character\s+set|charset|"
    r"procedure\s+status|function\s+status|triggers)\b")


@plans_words("show")
def plan_show_where(sql: str, ctx: PlanContext) -> Plan | None:
    if " where " not in sql.lower().replace("\n", " ").replace("\t", " ") or not _WITH_WHERE.match(sql):
        return None
    where = next((m for m in _TOKEN.finditer(sql) if m.group().lower() == "where"), None)
    if where is None:
        return None
    condition = sql[where.end():].strip().rstrip(";")
    try:
        tree = sqlglot.parse_one(f"SELECT 1 WHERE {condition}", read="mysql")
    except SqlglotError:
        raise syntax_error(condition) from None
    where_clause = tree.args.get("where")
    if where_clause is None:
        raise syntax_error(condition)
    text, var_params = to_sqlite_expression(where_clause.this)
    return ShowWherePlan(sql[:where.start()].strip(), text, var_params)


@executes(ShowWherePlan)
def run_show_where(plan: ShowWherePlan, prepared: PreparedStatements, conns: Connections,
                   variables: SessionVariables) -> Result:
    result = prepared.run(plan.show)
    if result.columns is None or not result.rows:
        return result
    names = ", ".join(f":app_r{i} AS {quote(c.name)}" for i, c in enumerate(result.columns))
    check = f"SELECT ({plan.condition}) FROM (SELECT {names})"
    bindings = {key: variables.lookup(ref) for key, ref in plan.var_params}
    scratch = conns.scratch()
    kept = []
    try:
        with scratch.guard.running(CLIENT):  # a client's expression (see `_sealed`)
            for row in result.rows:
                values = {f"app_r{i}": v.decode("utf-8", "replace") if isinstance(v, bytes) else v
                          for i, v in enumerate(row)}
                answer = scratch.query_cursor.execute(check, {**bindings, **values}).fetchall()
                if answer and answer[0][0]:
                    kept.append(row)
    except apsw.Error as e:
        raise sqlite_error(e, None) from None
    result.rows = kept
    return result

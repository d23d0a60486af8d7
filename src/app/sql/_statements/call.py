"""CALL: of a stored procedure (CREATE PROCEDURE, see `programs`), or of one the server provides
(app_assume_cluster_role, app_cluster_wait_for_position)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

import apsw
import sqlglot
from sqlglot.errors import SqlglotError

from .._connections import Connections
from .._errors import SQLError, syntax_error
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import Result
from .._rewrite import to_sqlite_expression
from .._sealed import CLIENT
from .._sqlite_errors import sqlite_error
from .._state import Procedures, SessionState
from .._variables import SessionVariables
from ._sprun import Programs
from ._words import IDENT, unquote
from .programs import call_procedure, routine_or_error


@dataclass(frozen=True, slots=True, eq=False)
class CallPlan(Plan):
    """CALL name(args): the arguments as a SELECT (`args_sql`, empty without arguments), and as written."""

    name: str
    args_sql: str = ""
    var_params: tuple[tuple[str, str], ...] = ()
    database: str | None = None
    args: tuple[str, ...] = ()


_CALL: Final = re.compile(rf"(?is)^\s*call\s+({IDENT})(?:\s*\.\s*({IDENT}))?\s*(?:\((.*)\))?\s*;?\s*$")
_ARG_TOKENS: Final = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|[(),]|[^'"`(),]+""", re.S)


def _split_args(text: str) -> tuple[str, ...]:
    """The arguments of a call, split at its top-level commas."""
    out: list[str] = []
    depth = 0
    start = 0
    for m in _ARG_TOKENS.finditer(text):
        token = m.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "," and depth == 0:
            out.append(text[start:m.start()].strip())
            start = m.end()
    out.append(text[start:].strip())
    return tuple(out)


@plans_words("call")
def plan_call(sql: str, ctx: PlanContext) -> Plan:
    m = _CALL.match(sql)
    if m is None:
        raise syntax_error(sql)
    database = unquote(m.group(1)) if m.group(2) else None
    name = unquote(m.group(2) or m.group(1))
    args = (m.group(3) or "").strip()
    if not args:
        return CallPlan(name, database=database)
    try:
        tree = sqlglot.parse_one("SELECT " + args, read="mysql")
    except SqlglotError:
        raise syntax_error(args) from None
    args_sql, var_params = to_sqlite_expression(tree)
    return CallPlan(name, args_sql, var_params, database, _split_args(args))


@executes(CallPlan)
def call(plan: CallPlan, procedures: Procedures, conns: Connections, variables: SessionVariables,
         state: SessionState, programs: Programs) -> Result:
    proc = procedures.get(plan.name) if plan.database is None else None
    if proc is None:
        stored = routine_or_error(conns, state, "PROCEDURE", plan.name, plan.database)
        return call_procedure(stored, plan.args, programs, variables, state)
    args: list[Any] = []
    if plan.args_sql:
        bindings = {key: variables.lookup(ref) for key, ref in plan.var_params} or None
        try:
            scratch = conns.scratch()
            with scratch.guard.running(CLIENT):  # a client's expressions (see `_sealed`)
                args = list(scratch.query_cursor.execute(plan.args_sql, bindings).fetchall()[0])
        except apsw.Error as e:
            raise sqlite_error(e, None) from None
    return proc(args)


__all__ = ["CallPlan", "SQLError"]

"""CALL of the procedures the server provides (app_assume_cluster_role, app_cluster_wait_for_position)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

import apsw
import sqlglot
from sqlglot.errors import SqlglotError

from .._connections import Connections
from .._errors import ER_SP_DOES_NOT_EXIST, SQLError, no_database, syntax_error
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import Result
from .._rewrite import to_sqlite_expression
from .._sealed import CLIENT
from .._sqlite_errors import sqlite_error
from .._state import Procedures, SessionState
from .._variables import SessionVariables
from ._words import IDENT, unquote


@dataclass(frozen=True, slots=True, eq=False)
class CallPlan(Plan):
    """CALL name(args): the arguments as a SELECT (`args_sql`, empty without arguments)."""

    name: str
    args_sql: str = ""
    var_params: tuple[tuple[str, str], ...] = ()


_CALL: Final = re.compile(rf"(?is)^\s*call\s+({IDENT})(?:\.({IDENT}))?\s*(?:\((.*)\))?\s*;?\s*$")


@plans_words("call")
def plan_call(sql: str, ctx: PlanContext) -> Plan:
    m = _CALL.match(sql)
    if m is None:
        raise syntax_error(sql)
    name = unquote(m.group(2) or m.group(1))
    args = (m.group(3) or "").strip()
    if not args:
        return CallPlan(name)
    try:
        tree = sqlglot.parse_one("SELECT " + args, read="mysql")
    except SqlglotError:
        raise syntax_error(args) from None
    args_sql, var_params = to_sqlite_expression(tree)
    return CallPlan(name, args_sql, var_params)


@executes(CallPlan)
def call(plan: CallPlan, procedures: Procedures, conns: Connections, variables: SessionVariables,
         state: SessionState) -> Result:
    proc = procedures.get(plan.name)
    if proc is None:
        if state.database is None:
            raise no_database()
        raise SQLError(ER_SP_DOES_NOT_EXIST, f"PROCEDURE {state.database}.{plan.name} does not exist")
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

"""Session statements: SET of system and user variables, SET NAMES, and the administrative statements
that have nothing to do here (FLUSH, LOCK / UNLOCK TABLES)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

import apsw
from sqlglot import exp

from .._catalog import Catalog
from .._connections import Connections
from .._decimals import long_literals
from .._errors import SQLError, not_supported
from .._exprtypes import infer, scope_of
from .._plan import NoopPlan, Plan, PlanContext, executes, plans, plans_words
from .._results import OK, ErrorInResult, Result
from .._rewrite import bind_variables, rewrite_functions, to_sqlite
from .._sealed import CLIENT
from .._sqlite_errors import sqlite_error
from .._sqltypes import TypeExpr, VariableTypes, evaluate, from_column
from .._state import SessionState
from .._transaction import Transaction
from .._variables import SessionVariables, as_client_charset, as_collation, stored_value
from .query import QueryPlan, plan_query, run_query


@dataclass(frozen=True, slots=True, eq=False)
class Assignment:
    """One `name = value` of a SET: a system variable (@@name, `system`) or a user variable (@name).

    The value is a bare word (`word`: ON, DEFAULT, utf8mb4), or an expression (`sql`, a SELECT of it,
    reading the variables `var_params`).
    """

    scope: str  # "", "global", "session" or "local"
    name: str
    system: bool
    word: str | None = None
    sql: str = ""
    var_params: tuple[tuple[str, str], ...] = ()
    query: QueryPlan | None = None  # a value that reads tables (a subquery): run as a query of them
    value_type: TypeExpr | None = None  # a user variable's: the type of its value (it keeps it)


@dataclass(frozen=True, slots=True, eq=False)
class SetPlan(Plan):
    assignments: tuple[Assignment, ...]


# -- planning -------------------------------------------------------------------------------------

_SET_NAMES: Final = re.compile(r"(?is)^\s*set\s+(?:names|character\s+set|charset)\b")
_NOOP: Final = re.compile(r"(?is)^\s*(?:flush|lock\s+tables?|unlock\s+tables?)\b")
_NAME: Final = r"""(?:'(\w+)'|"(\w+)"|`(\w+)`|(\w+))"""
_SET_NAMES_FULL: Final = re.compile(
    rf"(?is)^\s*set\s+(names|character\s+set|charset)\s+{_NAME}(?:\s+collate\s+{_NAME})?\s*;?\s*$")


@dataclass(frozen=True, slots=True, eq=False)
class SetNamesPlan(Plan):
    """SET NAMES charset [COLLATE collation] (`names`) or SET CHARACTER SET charset: the connection's
    character set variables. The connection itself speaks utf8mb4 whatever they say."""

    names: bool
    charset: str | None  # None: DEFAULT
    collation: str | None = None


@plans_words("set")
def plan_set_names(sql: str, ctx: PlanContext) -> Plan | None:
    """SET NAMES / CHARACTER SET (a charset MariaDB lacks is 1115, a collation of another charset 1253)."""
    if not _SET_NAMES.match(sql):
        return None
    m = _SET_NAMES_FULL.match(sql)
    if m is None:
        return NoopPlan()
    charset = next(g for g in m.groups()[1:5] if g is not None)
    collation = next((g for g in m.groups()[5:9] if g is not None), None)
    names = m.group(1).lower() == "names"
    if charset.lower() == "default":
        return SetNamesPlan(names, None)
    charset = as_client_charset("character_set_client", charset)
    if collation is not None:
        collation = as_collation("collation_connection", collation)
        if collation.split("_", 1)[0] != charset:
            raise SQLError(1253, f"COLLATION '{collation}' is not valid for CHARACTER SET '{charset}'", "42000")
    return SetNamesPlan(names, charset, collation)


@plans_words("flush", "lock", "unlock")
def plan_noop(sql: str, ctx: PlanContext) -> Plan | None:
    return NoopPlan() if _NOOP.match(sql) else None


def _target(item: exp.Expr, eq: exp.EQ) -> tuple[str, str, bool]:
    """(scope, name, system) of what a SET item assigns."""
    scope = (item.text("kind") if isinstance(item, exp.SetItem) else "").lower()
    target = eq.this
    if isinstance(target, exp.Parameter) and isinstance(target.this, exp.SessionParameter):
        target = target.this
    if isinstance(target, exp.SessionParameter):
        return target.text("kind").lower() or scope, target.name, True
    if isinstance(target, exp.Parameter):
        inner = target.this
        return scope, inner.name if isinstance(inner, exp.Expr) else str(inner), False
    if isinstance(target, (exp.Column, exp.Identifier, exp.Var)):
        return scope, target.name, True
    raise not_supported("SET " + eq.sql(dialect="mysql"))


@plans(exp.Set)
def plan_set(tree: exp.Set, sql: str, ctx: PlanContext) -> Plan:
    increment = ctx.dialect.div_precision_increment
    assignments = []
    for item in tree.expressions:
        eq = item.this if isinstance(item, exp.SetItem) else item
        if not isinstance(eq, exp.EQ):
            raise not_supported("SET " + item.sql(dialect="mysql"))
        scope, name, system = _target(item, eq)
        value = eq.expression
        if isinstance(value, (exp.Column, exp.Var)) and not isinstance(value, exp.Placeholder):
            # SET x = ON / DEFAULT / utf8mb4: a bare word is a value, not a column.
            assignments.append(Assignment(scope, name, system, word=value.name))
        elif value.find(exp.Table) is not None:
            # SET @n = (SELECT COUNT(*) FROM t): the tables are the current database's, as in a query.
            select = exp.select(value.copy())
            query = plan_query(select, "SELECT " + value.sql(dialect="mysql"), ctx)
            if not isinstance(query, QueryPlan):
                raise not_supported("SET from information_schema")
            assignments.append(Assignment(scope, name, system, query=query))
        else:
            # In parentheses: a bare @x or @@x is then a child node, which binding replaces.
            paren = exp.Paren(this=value)
            select = exp.Select(expressions=[paren])
            var_params = bind_variables(select)
            value_type = None if system else infer(paren, scope_of(select, div_increment=increment), increment)
            rewrite_functions(select)
            long_literals(select)  # 18446744073709551615 read as its digits, not as a REAL
            assignments.append(Assignment(scope, name, system, sql=to_sqlite(select), var_params=var_params,
                                          value_type=value_type))
    return SetPlan(tuple(assignments))


def _no_tables(db: str | None, table: str) -> dict[str, str] | None:
    return None


# -- running --------------------------------------------------------------------------------------


@executes(NoopPlan)
def run_noop(plan: NoopPlan) -> Result:
    return OK


def _value(a: Assignment, conns: Connections, variables: SessionVariables) -> Any:
    if a.word is not None:
        if a.word.upper() == "DEFAULT" and a.system:
            return variables.globals.definition(a.name).default
        return a.word
    bindings = {key: variables.lookup(ref) for key, ref in a.var_params} or None
    try:
        scratch = conns.scratch()
        with scratch.guard.running(CLIENT):  # a client's expression (see `_sealed`)
            return scratch.query_cursor.execute(a.sql, bindings).fetchall()[0][0]
    except apsw.Error as e:
        raise sqlite_error(e, None) from None


@executes(SetNamesPlan)
def run_set_names(plan: SetNamesPlan, variables: SessionVariables) -> Result:
    charset = plan.charset
    if charset is None:  # DEFAULT: the server's
        charset = variables.globals.definition("character_set_client").default
    variables.set("character_set_client", charset)
    variables.set("character_set_results", charset)
    if plan.names:
        variables.set("character_set_connection", charset)
        if plan.collation is not None:
            variables.set("collation_connection", plan.collation)
    else:  # SET CHARACTER SET: the connection's character set is the database's
        variables.set("collation_connection", variables.get("collation_database"))
    return OK


@executes(SetPlan)
def run_set(plan: SetPlan, conns: Connections, variables: SessionVariables, tx: Transaction, state: SessionState,
            catalog: Catalog) -> Result:
    # Every value is computed before any is assigned (SET @i = @i + 1, @s = CONCAT(@s, @i) reads the old @i).
    values = []
    for a in plan.assignments:
        if a.query is not None:
            try:
                result = run_query(a.query, None, conns, tx, variables, state, catalog)
            except ErrorInResult as e:  # a SET sends no result: the error alone
                raise SQLError(e.code, e.message, e.sqlstate) from None
            value = result.rows[0][0] if result.rows else None
            if result.columns:
                value = stored_value(value, from_column(result.columns[0]))
        else:
            value = _value(a, conns, variables)
            if a.value_type is not None:
                types = VariableTypes(_no_tables, dict(variables.user_types(a.var_params)))
                value = stored_value(value, evaluate(a.value_type, types))
        values.append(value)
    for a, value in zip(plan.assignments, values, strict=True):
        if not a.system:
            variables.user[a.name.lower()] = value
            continue
        if a.name.lower() == "autocommit" and a.scope != "global":
            turning_on = bool(variables.globals.definition("autocommit").convert("autocommit", value))
            if turning_on and not variables.autocommit:
                tx.implicit_commit()  # MySQL commits when autocommit turns on
        variables.set(a.name, value, a.scope)
    return OK

"""Database statements: CREATE DATABASE, DROP DATABASE, USE. They replicate as catalog changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sqlglot import exp

from .._catalog import Catalog
from .._commits import Change
from .._diagnostics import note
from .._errors import ER_DB_CREATE_EXISTS, ER_DB_DROP_EXISTS, syntax_error, unknown_database
from .._plan import Plan, PlanContext, executes, plans, plans_words
from .._results import OK, Result
from .._state import SessionState
from .._transaction import Transaction
from ._schema import USER_TABLE_FILTER
from ._words import IDENT, unquote


@dataclass(frozen=True, slots=True, eq=False)
class CreateDatabasePlan(Plan):
    name: str
    if_not_exists: bool


@dataclass(frozen=True, slots=True, eq=False)
class DropDatabasePlan(Plan):
    name: str
    if_exists: bool


@dataclass(frozen=True, slots=True, eq=False)
class UsePlan(Plan):
    name: str


_CREATE: Final = re.compile(
    rf"(?is)^\s*create\s+(?:database|schema)\s+(if\s+not\s+exists\s+)?({IDENT})"
    r"(?:\s+(?:default\s+)?(?:character\s+set|charset|collate)\s*=?\s*[\w]+)*\s*;?\s*$")
_DROP: Final = re.compile(rf"(?is)^\s*drop\s+(?:database|schema)\s+(if\s+exists\s+)?({IDENT})\s*;?\s*$")
_USE: Final = re.compile(rf"(?is)^\s*use\s+({IDENT})\s*;?\s*$")


@plans_words("create")
def plan_create_database(sql: str, ctx: PlanContext) -> Plan | None:
    m = _CREATE.match(sql)
    return CreateDatabasePlan(unquote(m.group(2)), bool(m.group(1))) if m else None


@plans_words("drop")
def plan_drop_database(sql: str, ctx: PlanContext) -> Plan | None:
    m = _DROP.match(sql)
    return DropDatabasePlan(unquote(m.group(2)), bool(m.group(1))) if m else None


@plans_words("use")
def plan_use(sql: str, ctx: PlanContext) -> Plan:
    m = _USE.match(sql)
    if m is None:
        raise syntax_error(sql)
    return UsePlan(unquote(m.group(1)))


@plans(exp.Use)
def plan_use_tree(tree: exp.Use, sql: str, ctx: PlanContext) -> Plan:
    return UsePlan(tree.this.name)


@executes(CreateDatabasePlan)
def create_database(plan: CreateDatabasePlan, tx: Transaction, catalog: Catalog) -> Result:
    tx.implicit_commit()
    catalog.check_writable(plan.name)

    def create() -> Change | None:
        db = catalog.create_database(plan.name, if_not_exists=plan.if_not_exists)
        return None if db is None else Change("create_database", db.name)

    if tx.publish(create) is not None:
        return Result(affected_rows=1)
    note(ER_DB_CREATE_EXISTS, f"Can't create database '{plan.name}'; database exists")
    return OK


@executes(DropDatabasePlan)
def drop_database(plan: DropDatabasePlan, tx: Transaction, catalog: Catalog) -> Result:
    tx.implicit_commit()
    catalog.check_writable(plan.name)
    db = catalog.get(plan.name)
    tables = 0
    if db is not None:
        tx.lock(db)
        with db.lock:
            tables = len(db.anchor.execute(
                f"SELECT 1 FROM sqlite_schema WHERE type='table' AND {USER_TABLE_FILTER}").fetchall())

    def drop() -> Change | None:
        dropped = catalog.drop_database(plan.name, if_exists=plan.if_exists)
        return None if dropped is None else Change("drop_database", dropped.name)

    change = tx.publish(drop, release_locks=True)
    if change is not None:
        return Result(affected_rows=tables)
    note(ER_DB_DROP_EXISTS, f"Can't drop database '{plan.name}'; database doesn't exist")
    return OK


@executes(UsePlan)
def use(plan: UsePlan, state: SessionState, catalog: Catalog) -> Result:
    db = catalog.get(plan.name)
    if db is None:
        raise unknown_database(plan.name)
    state.database = db.name
    return OK

"""Transaction statements: BEGIN / START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, RELEASE SAVEPOINT,
ROLLBACK TO SAVEPOINT, SET TRANSACTION (accepted: isolation is READ COMMITTED, see README)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sqlglot import exp

from .._errors import syntax_error
from .._lexer import first_keyword
from .._plan import Plan, PlanContext, executes, plans, plans_words
from .._results import OK, Result
from .._transaction import Transaction
from ._words import IDENT, unquote


@dataclass(frozen=True, slots=True, eq=False)
class BeginPlan(Plan):
    pass


@dataclass(frozen=True, slots=True, eq=False)
class CommitPlan(Plan):
    pass


@dataclass(frozen=True, slots=True, eq=False)
class RollbackPlan(Plan):
    pass


@dataclass(frozen=True, slots=True, eq=False)
class SavepointPlan(Plan):
    name: str


@dataclass(frozen=True, slots=True, eq=False)
class ReleaseSavepointPlan(Plan):
    name: str


@dataclass(frozen=True, slots=True, eq=False)
class RollbackToSavepointPlan(Plan):
    name: str


@dataclass(frozen=True, slots=True, eq=False)
class SetTransactionPlan(Plan):
    pass


# -- planning -------------------------------------------------------------------------------------

_CHARACTERISTIC: Final = r"(?:read\s+write|read\s+only|with\s+consistent\s+snapshot)"
_BEGIN: Final = re.compile(
    rf"(?is)^\s*(?:begin(?:\s+work)?|start\s+transaction(?:\s+{_CHARACTERISTIC}(?:\s*,\s*{_CHARACTERISTIC})*)?)\s*;?\s*$")
_ENDING: Final = r"(?:\s+work)?(?:\s+and\s+(?:no\s+)?chain)?(?:\s+(?:no\s+)?release)?\s*;?\s*$"
_COMMIT: Final = re.compile(rf"(?is)^\s*commit{_ENDING}")
_ROLLBACK: Final = re.compile(rf"(?is)^\s*rollback{_ENDING}")
_SAVEPOINT: Final = re.compile(
    rf"(?is)^\s*(savepoint|release\s+savepoint|rollback(?:\s+work)?\s+to(?:\s+savepoint)?)\s+({IDENT})\s*;?\s*$")
_SET_TRANSACTION: Final = re.compile(r"(?is)^\s*set\s+(?:(?:global|session|local)\s+)?transaction\b")


@plans_words("begin", "start")
def plan_begin(sql: str, ctx: PlanContext) -> Plan | None:
    if _BEGIN.match(sql):
        return BeginPlan()
    if first_keyword(sql) == "begin":
        raise syntax_error(sql)
    return None


@plans_words("commit")
def plan_commit(sql: str, ctx: PlanContext) -> Plan:
    if _COMMIT.match(sql):
        return CommitPlan()
    raise syntax_error(sql)


@plans_words("rollback", "savepoint", "release")
def plan_savepoint(sql: str, ctx: PlanContext) -> Plan:
    m = _SAVEPOINT.match(sql)
    if m:
        verb = m.group(1).split()[0].lower()
        name = unquote(m.group(2))
        if verb == "savepoint":
            return SavepointPlan(name)
        return ReleaseSavepointPlan(name) if verb == "release" else RollbackToSavepointPlan(name)
    if _ROLLBACK.match(sql):
        return RollbackPlan()
    raise syntax_error(sql)


@plans_words("set")
def plan_set_transaction(sql: str, ctx: PlanContext) -> Plan | None:
    return SetTransactionPlan() if _SET_TRANSACTION.match(sql) else None


@plans(exp.Transaction)
def plan_transaction(tree: exp.Transaction, sql: str, ctx: PlanContext) -> Plan:
    return BeginPlan()


@plans(exp.Commit)
def plan_commit_tree(tree: exp.Commit, sql: str, ctx: PlanContext) -> Plan:
    return CommitPlan()


@plans(exp.Rollback)
def plan_rollback_tree(tree: exp.Rollback, sql: str, ctx: PlanContext) -> Plan:
    return RollbackPlan()


# -- running --------------------------------------------------------------------------------------


@executes(BeginPlan)
def begin(plan: BeginPlan, tx: Transaction) -> Result:
    tx.implicit_commit()
    tx.explicit = True
    return OK


@executes(CommitPlan)
def commit(plan: CommitPlan, tx: Transaction) -> Result:
    tx.commit()
    return OK


@executes(RollbackPlan)
def rollback(plan: RollbackPlan, tx: Transaction) -> Result:
    tx.rollback()
    return OK


@executes(SavepointPlan)
def savepoint(plan: SavepointPlan, tx: Transaction) -> Result:
    tx.savepoint(plan.name)
    return OK


@executes(ReleaseSavepointPlan)
def release_savepoint(plan: ReleaseSavepointPlan, tx: Transaction) -> Result:
    tx.release_savepoint(plan.name)
    return OK


@executes(RollbackToSavepointPlan)
def rollback_to_savepoint(plan: RollbackToSavepointPlan, tx: Transaction) -> Result:
    tx.rollback_to_savepoint(plan.name)
    return OK


@executes(SetTransactionPlan)
def set_transaction(plan: SetTransactionPlan) -> Result:
    return OK

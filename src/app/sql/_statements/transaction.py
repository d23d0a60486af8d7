"""Transaction statements: BEGIN / START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, RELEASE SAVEPOINT,
ROLLBACK TO SAVEPOINT, SET [GLOBAL | SESSION] TRANSACTION ISOLATION LEVEL ... | READ ONLY | READ WRITE."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sqlglot import exp

from .._errors import SQLError, syntax_error
from .._lexer import first_keyword
from .._plan import Plan, PlanContext, executes, plans, plans_words
from .._results import OK, Result
from .._transaction import Transaction
from .._variables import SessionVariables
from ._words import IDENT, unquote


@dataclass(frozen=True, slots=True, eq=False)
class BeginPlan(Plan):
    read_only: bool | None = None  # START TRANSACTION READ ONLY | READ WRITE


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
    """SET [GLOBAL | SESSION] TRANSACTION ...: `scope` "" is the next transaction only."""

    scope: str = ""
    isolation: str | None = None  # READ-COMMITTED, ...
    read_only: bool | None = None


# -- planning -------------------------------------------------------------------------------------

_CHARACTERISTIC: Final = r"(?:read\s+write|read\s+only|with\s+consistent\s+snapshot)"
_BEGIN: Final = re.compile(
    rf"(?is)^\s*(?:begin(?:\s+work)?|start\s+transaction(?:\s+{_CHARACTERISTIC}(?:\s*,\s*{_CHARACTERISTIC})*)?)\s*;?\s*$")
_ENDING: Final = r"(?:\s+work)?(?:\s+and\s+(?:no\s+)?chain)?(?:\s+(?:no\s+)?release)?\s*;?\s*$"
_COMMIT: Final = re.compile(rf"(?is)^\s*commit{_ENDING}")
_ROLLBACK: Final = re.compile(rf"(?is)^\s*rollback{_ENDING}")
_SAVEPOINT: Final = re.compile(
    rf"(?is)^\s*(savepoint|release\s+savepoint|rollback(?:\s+work)?\s+to(?:\s+savepoint)?)\s+({IDENT})\s*;?\s*$")
_SET_TRANSACTION: Final = re.compile(r"(?is)^\s*set\s+(?:(global|session|local)\s+)?transaction\b(.*?)\s*;?\s*$")
_LEVEL: Final = re.compile(
    r"(?is)^isolation\s+level\s+(read\s+uncommitted|read\s+committed|repeatable\s+read|serializable)$")
_ACCESS: Final = re.compile(r"(?is)^read\s+(only|write)$")


@plans_words("begin", "start")
def plan_begin(sql: str, ctx: PlanContext) -> Plan | None:
    if _BEGIN.match(sql):
        lowered = " ".join(sql.lower().split())
        return BeginPlan(True if "read only" in lowered else False if "read write" in lowered else None)
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
    m = _SET_TRANSACTION.match(sql)
    if m is None:
        return None
    isolation = read_only = None
    for part in m.group(2).split(","):
        part = " ".join(part.split())
        if level := _LEVEL.match(part):
            isolation = "-".join(level.group(1).upper().split())
        elif access := _ACCESS.match(part):
            read_only = access.group(1).lower() == "only"
        else:
            raise syntax_error(part or sql)
    return SetTransactionPlan((m.group(1) or "").lower(), isolation, read_only)


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
    if plan.read_only is not None:
        tx.next_read_only = plan.read_only
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
    if not tx.deferred:  # autocommit outside BEGIN: the savepoint ends with its statement's transaction
        return OK
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
def set_transaction(plan: SetTransactionPlan, tx: Transaction, variables: SessionVariables) -> Result:
    if not plan.scope:  # the next transaction only
        if tx.active:
            raise SQLError(1568, "Transaction characteristics can't be changed while a transaction is in progress",
                           "25001")
        tx.next_isolation = plan.isolation or tx.next_isolation
        tx.next_read_only = plan.read_only if plan.read_only is not None else tx.next_read_only
        return OK
    scope = "global" if plan.scope == "global" else "session"
    if plan.isolation is not None:
        variables.set("transaction_isolation", plan.isolation, scope)
    if plan.read_only is not None:
        variables.set("transaction_read_only", int(plan.read_only), scope)
    return OK

"""Privileges checked per statement, as MariaDB checks them (1142, 1044, 1227).

A session whose account has every global privilege skips all of it. Otherwise:

- the plan's class decides what the statement needs (`CHECKS`, one function per plan class, run
  before the executor): CREATE / DROP / ALTER / INDEX / CREATE VIEW on the tables DDL names,
  CREATE / DROP on the database of CREATE / DROP DATABASE, any privilege on the database of USE and
  SHOW TABLES, SUPER for SET GLOBAL and the cluster's procedures, SELECT on the `mysql` tables read;
- the tables a query or DML statement reads and writes, in every clause, are checked by the
  SQLite authorizer of the session's connections (`_sealed.Guard.check`, installed at login:
  SELECT for a column read, INSERT, UPDATE, DELETE for a write; a view's reads need SELECT on the
  view); a restricted session's connections keep no prepared statements, so that every statement
  is authorized as it runs;
- what a listing shows is filtered (`FILTERS`): SHOW DATABASES, SHOW TABLES, SHOW PROCESSLIST
  (only the session's own user's threads without PROCESS); information_schema is filtered in its
  executor (`_statements._visibility`).

Checks read the account's grants from the store each time: GRANT and REVOKE apply at once to
sessions already connected (the authorizer's table checks too, except that a session that had the
four table privileges globally at login keeps its prepared statements until it reconnects).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from . import _privileges as pv
from ._accounts import Access, denied_table
from ._errors import ER_NO_SUCH_TABLE, SQLError, shown_name
from ._plan import Plan
from ._results import Result
from ._state import SessionState
from ._statements.call import CallPlan
from ._statements.createselect import CreateSelectPlan
from ._statements.database import CreateDatabasePlan, DropDatabasePlan, UsePlan
from ._statements.ddl import AlterPlan, CreateLikePlan, DdlPlan, DropTablePlan, KeysPlan
from ._statements.maintenance import MaintenancePlan
from ._statements.query import SystemQueryPlan
from ._statements.rename import RenamePlan
from ._statements.sequence import SequencePlan, ShowCreateSequencePlan
from ._statements.servers import ServerPlan
from ._statements.session import SetPlan
from ._statements.show import (
    ShowColumnsPlan,
    ShowCreateDatabasePlan,
    ShowCreateTablePlan,
    ShowDatabasesPlan,
    ShowIndexPlan,
    ShowProcessListPlan,
    ShowTablesPlan,
)
from ._statements.temporary import CreateTemporaryPlan

Check = Callable[[Any, Access, SessionState], None]
Filter = Callable[[Any, Result, Access, SessionState], Result]
CHECKS: Final[dict[type[Plan], Check]] = {}
FILTERS: Final[dict[type[Plan], Filter]] = {}

# Variables whose global value MariaDB lets CONNECTION ADMIN set too (the others need SUPER).
_CONNECTION_VARIABLES: Final = frozenset({
    "max_connections", "max_connect_errors", "connect_timeout", "max_user_connections", "init_connect",
    "disconnect_on_expired_password", "extra_max_connections", "proxy_protocol_networks", "secure_auth",
    "slow_launch_time", "thread_pool_idle_timeout", "thread_pool_max_threads",
})
_MYSQL_TABLES: Final = ("user", "db", "tables_priv")


def check(plan: Plan, access: Access, state: SessionState) -> None:
    """Raise the error MariaDB gives if the session may not run `plan` (see the module docstring)."""
    found = CHECKS.get(type(plan))
    if found is not None:
        found(plan, access, state)


def filtered(plan: Plan, result: Result, access: Access, state: SessionState) -> Result:
    """`result` without the rows the session may not see."""
    found = FILTERS.get(type(plan))
    return result if found is None else found(plan, result, access, state)


_MISSING_TABLE: Final = re.compile(r"Table '([^.']+)\.([^']+)' doesn't exist")
_COMMANDS: Final = {"select": "SELECT", "insert": "INSERT", "replace": "INSERT", "update": "UPDATE",
                    "delete": "DELETE"}


def concealed(error: SQLError, access: Access, sql: str) -> SQLError:
    """A table that does not exist is, to an account without any privilege on it, one it may not use
    (1142, as MariaDB answers), so that no account learns which tables exist where it may not look."""
    if error.code != ER_NO_SUCH_TABLE:
        return error
    m = _MISSING_TABLE.fullmatch(error.message)
    if m is None or access.sees_table(m.group(1), m.group(2)):
        return error
    words = sql.split(None, 1)
    command = _COMMANDS.get(words[0].lower() if words else "", "SELECT")
    return denied_table(command, access.user, access.host, m.group(1), m.group(2))


def _checks(*plan_types: type[Plan]) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        for t in plan_types:
            CHECKS[t] = fn
        return fn
    return register


def _filters(*plan_types: type[Plan]) -> Callable[[Filter], Filter]:
    def register(fn: Filter) -> Filter:
        for t in plan_types:
            FILTERS[t] = fn
        return fn
    return register


def _table(access: Access, db: str, table: str, *privileges: str) -> None:
    # Plans name tables by SQLite's names for them (see `_sqlite`); grants, as MariaDB does.
    access.require_table(db, shown_name(table), *pv.ordered(set(privileges)))


# -- databases ------------------------------------------------------------------------------------


@_checks(CreateDatabasePlan)
def _create_database(plan: CreateDatabasePlan, access: Access, state: SessionState) -> None:
    access.require_database("CREATE", plan.name)


@_checks(DropDatabasePlan)
def _drop_database(plan: DropDatabasePlan, access: Access, state: SessionState) -> None:
    access.require_database("DROP", plan.name)


@_checks(UsePlan)
def _use(plan: UsePlan, access: Access, state: SessionState) -> None:
    if plan.name.lower() != "information_schema" and not access.sees_database(plan.name):
        raise access.denied_database(plan.name)


@_checks(ShowTablesPlan)
def _show_tables(plan: ShowTablesPlan, access: Access, state: SessionState) -> None:
    db = state.resolve(plan.db)
    if db.lower() != "information_schema" and not access.sees_database(db):
        raise access.denied_database(db)


@_checks(ShowCreateDatabasePlan)
def _show_create_database(plan: ShowCreateDatabasePlan, access: Access, state: SessionState) -> None:
    if not access.sees_database(plan.db):
        raise access.denied_database(plan.db)


@_checks(ShowColumnsPlan, ShowCreateTablePlan, ShowIndexPlan)
def _show_table(plan: ShowColumnsPlan | ShowCreateTablePlan | ShowIndexPlan, access: Access,
                state: SessionState) -> None:
    db = state.resolve(plan.db)
    if db.lower() != "information_schema" and not access.sees_table(db, plan.table):
        _table(access, db, plan.table, "SELECT")


# -- tables ---------------------------------------------------------------------------------------

_CREATE_INDEX: Final = re.compile(r"(?is)\s*(?:create\s+(?:unique\s+)?index|drop\s+index)\b")
_CREATE_VIEW: Final = re.compile(r"(?is)\s*create\s+(?:or\s+replace\s+)?view\b")
_CREATE_TABLE: Final = re.compile(r"(?is)\s*create\s+table\b")


@_checks(DdlPlan)
def _ddl(plan: DdlPlan, access: Access, state: SessionState) -> None:
    db = state.resolve(plan.write_db)
    first = plan.statements[0] if plan.statements else ""
    table = plan.table or ""
    if plan.truncate:
        _table(access, db, table, "DROP")
    elif _CREATE_INDEX.match(first):
        _table(access, db, table, "INDEX")
    elif _CREATE_VIEW.match(first):
        _table(access, db, table, "CREATE VIEW")
    elif _CREATE_TABLE.match(first):
        _table(access, db, table, "CREATE")
    else:
        _table(access, db, table, "ALTER")


@_checks(DropTablePlan)
def _drop_tables(plan: DropTablePlan, access: Access, state: SessionState) -> None:
    db = state.resolve(plan.write_db)
    for table in plan.tables:
        _table(access, db, table, "DROP")


@_checks(CreateLikePlan)
def _create_like(plan: CreateLikePlan, access: Access, state: SessionState) -> None:
    if plan.temporary:
        _temporary(access, state.resolve(plan.write_db))
    else:
        _table(access, state.resolve(plan.write_db), plan.table, "CREATE")
    _table(access, state.resolve(plan.source_db), plan.source, "SELECT")


@_checks(SequencePlan)
def _sequence(plan: SequencePlan, access: Access, state: SessionState) -> None:
    privilege = {"create": "CREATE", "alter": "ALTER", "drop": "DROP"}[plan.verb]
    for db, name in plan.names:
        _table(access, state.resolve(db), name, privilege, *(("DROP",) if plan.replace else ()))


@_checks(ShowCreateSequencePlan)
def _show_create_sequence(plan: ShowCreateSequencePlan, access: Access, state: SessionState) -> None:
    _table(access, state.resolve(plan.db), plan.name, "SELECT")


@_checks(CreateSelectPlan)
def _create_select(plan: CreateSelectPlan, access: Access, state: SessionState) -> None:
    # The query's tables are checked as any client query's when it runs (see `_sealed`).
    if plan.temporary:
        _temporary(access, state.resolve(plan.write_db))
    else:
        _table(access, state.resolve(plan.write_db), plan.table, "CREATE", "INSERT")


@_checks(AlterPlan)
def _alter(plan: AlterPlan, access: Access, state: SessionState) -> None:
    _table(access, state.resolve(plan.db), plan.table, "ALTER")


@_checks(KeysPlan)
def _keys(plan: KeysPlan, access: Access, state: SessionState) -> None:
    _table(access, state.resolve(plan.db), plan.table, "INDEX")


@_checks(RenamePlan)
def _rename(plan: RenamePlan, access: Access, state: SessionState) -> None:
    for (old_db, old), (new_db, new) in plan.pairs:
        _table(access, state.resolve(old_db), old, "ALTER", "DROP")
        _table(access, state.resolve(new_db), new, "CREATE", "INSERT")


@_checks(MaintenancePlan)
def _maintenance(plan: MaintenancePlan, access: Access, state: SessionState) -> None:
    # Every table named is checked before any is touched, as MariaDB does (one 1142 for the statement).
    for db, table in plan.tables:
        db = state.resolve(db)
        if plan.operation != "check":
            _table(access, db, table, "SELECT", "INSERT")
        elif not access.sees_table(db, shown_name(table)):  # CHECK TABLE: any privilege on the table
            raise denied_table("CHECK TABLE", access.user, access.host, db, table)


@_checks(CreateTemporaryPlan)
def _create_temporary(plan: CreateTemporaryPlan, access: Access, state: SessionState) -> None:
    _temporary(access, state.resolve(plan.write_db))


def _temporary(access: Access, db: str) -> None:
    if not access.has("CREATE TEMPORARY TABLES", db):
        raise access.denied_database(db)


@_checks(SystemQueryPlan)
def _system_query(plan: SystemQueryPlan, access: Access, state: SessionState) -> None:
    if plan.schema != "mysql":
        return  # information_schema's rows are filtered; the cluster's status is for everyone
    for table in _MYSQL_TABLES:
        if re.search(rf"(?i)\b{table}\b", plan.sql) and not access.has("SELECT", "mysql", table):
            _table(access, "mysql", table, "SELECT")


# -- the server -----------------------------------------------------------------------------------


@_checks(SetPlan)
def _set(plan: SetPlan, access: Access, state: SessionState) -> None:
    for a in plan.assignments:
        if a.system and a.scope == "global":
            if a.name.lower() in _CONNECTION_VARIABLES:
                access.require_global("SUPER", "CONNECTION ADMIN")
            else:
                access.require_global("SUPER")


@_checks(ServerPlan)
def _server(plan: ServerPlan, access: Access, state: SessionState) -> None:
    access.require_global("SUPER", "FEDERATED ADMIN")


@_checks(CallPlan)
def _call(plan: CallPlan, access: Access, state: SessionState) -> None:
    # The server's procedures change the node (the cluster's role, its waits): an administrator's.
    access.require_global("SUPER")


# -- listings -------------------------------------------------------------------------------------


@_filters(ShowDatabasesPlan)
def _databases(plan: ShowDatabasesPlan, result: Result, access: Access, state: SessionState) -> Result:
    result.rows = [r for r in result.rows if str(r[0]).lower() == "information_schema" or access.sees_database(r[0])]
    return result


@_filters(ShowTablesPlan)
def _tables(plan: ShowTablesPlan, result: Result, access: Access, state: SessionState) -> Result:
    db = state.resolve(plan.db)
    if db.lower() != "information_schema":
        result.rows = [r for r in result.rows if access.sees_table(db, str(r[0]))]
    return result


@_filters(ShowProcessListPlan)
def _processes(plan: ShowProcessListPlan, result: Result, access: Access, state: SessionState) -> Result:
    if not access.has("PROCESS"):
        result.rows = [r for r in result.rows if r[1] == access.user]
    return result

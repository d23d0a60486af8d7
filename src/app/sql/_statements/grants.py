"""GRANT, REVOKE, SHOW GRANTS and SHOW CREATE USER: their executors (planned in `accounts`)."""

from __future__ import annotations

from typing import Final

from .. import _privileges as pv
from .._accounts import Access, Account, AccountStore
from .._catalog import Catalog
from .._errors import SQLError, no_database
from .._passwords import NATIVE
from .._plan import executes
from .._results import Result
from .._state import SessionState
from .._types import Column, MySQLType
from .accounts import (
    GrantPlan,
    Level,
    RevokeAllPlan,
    ShowCreateUserPlan,
    ShowGrantsPlan,
    UserSpec,
    auth_of,
    failed_error,
    resolve,
    writable,
)

_STRING: Final = MySQLType.VAR_STRING


def _target(level: Level, state: SessionState, catalog: Catalog) -> tuple[str | None, str | None]:
    """(database, table) of a grant; a table must exist, as in MariaDB."""
    db = level.db
    if level.current:
        db = state.database
        if db is None:
            if level.table is None:
                return None, None  # `*` without a current database is `*.*`, as MariaDB reads it
            raise no_database()
    if level.table is not None:
        assert db is not None
        found = catalog.get(db)
        if found is None or not catalog.has_table(found, level.table):
            raise SQLError(1146, f"Table '{db}.{level.table}' doesn't exist")
    return db, level.table


def _check_grantor(access: Access, wanted: frozenset[str], db: str | None, table: str | None) -> None:
    """The session may grant (and revoke) `wanted` here only holding them and GRANT OPTION."""
    if access.unrestricted:
        return
    have = access.privileges(db, table)
    missing = [p for p in pv.ordered(wanted) if p not in have]
    if pv.GRANT_OPTION not in have:
        missing.append("GRANT")
    if not missing:
        return
    account = access.account
    assert account is not None
    if db is None:
        raise SQLError(1045, f"Access denied for user '{account.user}'@'{account.host}' (using password: "
                             f"{'YES' if access.used_password else 'NO'})", "28000")
    if table is None:
        raise access.denied_database(db)
    raise SQLError(1142, f"{', '.join(missing)} command denied to user '{access.user}'@'{access.host}' for table "
                         f"`{db}`.`{table}`", "42000")


def _level_privileges(db: str | None, table: str | None) -> tuple[str, ...]:
    return pv.GLOBAL if db is None else pv.DATABASE if table is None else pv.TABLE


@executes(GrantPlan)
def grant(plan: GrantPlan, store: AccountStore, access: Access, state: SessionState, catalog: Catalog) -> Result:
    writable(catalog)
    db, table = _target(plan.level, state, catalog)
    wanted = frozenset(_level_privileges(db, table)) if plan.all else plan.privileges
    if plan.grant_option:
        wanted = wanted | {pv.GRANT_OPTION}
    _check_grantor(access, wanted - {pv.GRANT_OPTION}, db, table)
    with store.lock:
        accounts = []
        for spec in (resolve(s, access) for s in plan.users):
            account = store.get(spec.user, spec.host)
            if account is None:
                if plan.revoke or (spec.password is None and spec.auth is None):
                    if plan.revoke:
                        raise SQLError(1141, f"There is no such grant defined for user '{spec.user}' on host "
                                             f"'{spec.host}'", "42000")
                    raise SQLError(1133, "Can't find any matching row in the user table", "28000")
                if not access.has("CREATE USER"):
                    raise SQLError(1410, "You are not allowed to create a user with GRANT", "42000")
                account = Account(spec.user, spec.host, *auth_of(spec, NATIVE))
                store.add(account)
            elif not plan.revoke and (spec.password is not None or spec.auth is not None):
                store.set_auth(account, *auth_of(spec, account.plugin))
            accounts.append((spec, account))
        for spec, account in accounts:
            if plan.revoke:
                _revoke(account, wanted, db, table, spec)
            else:
                _grant(account, wanted, db, table)
        store.changed()
    return Result()


def _grant(account: Account, wanted: frozenset[str], db: str | None, table: str | None) -> None:
    if db is None:
        account.privileges = account.privileges | wanted
    elif table is None:
        name, had = account.databases.get(db.lower(), (db, frozenset()))
        account.databases[db.lower()] = (name, had | wanted)
    else:
        key = (db.lower(), table)  # table names are case-sensitive, as on MariaDB (Linux)
        dbname, tname, had = account.tables.get(key, (db, table, frozenset()))
        account.tables[key] = (dbname, tname, had | wanted)


def _revoke(account: Account, wanted: frozenset[str], db: str | None, table: str | None, spec: UserSpec) -> None:
    if db is None:
        account.privileges = account.privileges - wanted
        return
    no_grant = SQLError(1141, f"There is no such grant defined for user '{spec.user}' on host '{spec.host}'", "42000")
    if table is None:
        found = account.databases.get(db.lower())
        if found is None:
            raise no_grant
        left = found[1] - wanted
        if left:
            account.databases[db.lower()] = (found[0], left)
        else:
            del account.databases[db.lower()]
        return
    key = (db.lower(), table)
    on_table = account.tables.get(key)
    if on_table is None:
        raise SQLError(1147, f"There is no such grant defined for user '{spec.user}' on host '{spec.host}' on table "
                             f"'{table}'", "42000")
    left = on_table[2] - wanted
    if left:
        account.tables[key] = (on_table[0], on_table[1], left)
    else:
        del account.tables[key]


@executes(RevokeAllPlan)
def revoke_all(plan: RevokeAllPlan, store: AccountStore, access: Access, catalog: Catalog) -> Result:
    writable(catalog)
    access.require_global("CREATE USER")
    failed = []
    with store.lock:
        for spec in (resolve(s, access) for s in plan.users):
            account = store.get(spec.user, spec.host)
            if account is None:
                failed.append(spec.name)
                continue
            account.privileges = frozenset()
            account.databases.clear()
            account.tables.clear()
        store.changed()
    if failed:
        raise failed_error("REVOKE", failed)
    return Result()


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _identified_clause(account: Account) -> str:
    if not account.auth_string:
        return ""
    if account.plugin == NATIVE:
        return f" IDENTIFIED BY PASSWORD '{account.auth_string}'"
    return f" IDENTIFIED VIA {account.plugin} USING '{account.auth_string}'"


def grants_of(account: Account) -> list[str]:
    """SHOW GRANTS' lines for `account`."""
    to = f"{_quoted(account.user)}@{_quoted(account.host)}"

    def line(privileges: frozenset[str], on: str, level: tuple[str, ...], extra: str = "") -> str:
        option = " WITH GRANT OPTION" if pv.GRANT_OPTION in privileges else ""
        what = pv.describe(privileges - {pv.GRANT_OPTION}, level)
        return f"GRANT {what} ON {on} TO {to}{extra}{option}"

    out = [line(account.privileges, "*.*", pv.GLOBAL, _identified_clause(account))]
    for name, privileges in account.databases.values():
        out.append(line(privileges, f"{_quoted(name)}.*", pv.DATABASE))
    for db, table, privileges in account.tables.values():
        out.append(line(privileges, f"{_quoted(db)}.{_quoted(table)}", pv.TABLE))
    return out


def _shown(given: UserSpec, access: Access) -> UserSpec:
    """The account a SHOW GRANTS / SHOW CREATE USER names; another's needs SELECT on `mysql` (1044), as in MariaDB."""
    spec = resolve(given, access)
    own = access.account
    if own is not None and (spec.user, spec.host.lower()) != own.key:
        access.require_database("SELECT", "mysql")
    return spec


@executes(ShowGrantsPlan)
def show_grants(plan: ShowGrantsPlan, store: AccountStore, access: Access) -> Result:
    spec = _shown(plan.spec, access)
    account = store.get(spec.user, spec.host)
    if account is None:
        raise SQLError(1141, f"There is no such grant defined for user '{spec.user}' on host '{spec.host}'", "42000")
    rows = [(g,) for g in grants_of(account)]
    return Result([Column(f"Grants for {account.user}@{account.host}", _STRING)], rows)


@executes(ShowCreateUserPlan)
def show_create_user(plan: ShowCreateUserPlan, store: AccountStore, access: Access) -> Result:
    spec = _shown(plan.spec, access)
    account = store.get(spec.user, spec.host)
    if account is None:
        raise failed_error("SHOW CREATE USER", [spec.name])
    text = f"CREATE USER {_quoted(account.user)}@{_quoted(account.host)}{_identified_clause(account)}"
    return Result([Column(f"CREATE USER for {account.user}@{account.host}", _STRING)], [(text,)])

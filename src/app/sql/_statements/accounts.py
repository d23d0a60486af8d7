"""Account statements: CREATE / ALTER / DROP / RENAME USER, SET PASSWORD, GRANT, REVOKE, SHOW GRANTS,
SHOW CREATE USER, as MariaDB 10.11 answers them (its errors 1396, 1133, 1141, 1147, 1227, 1044, 1142,
1410, 1372 and its notes 1973, 1974). The accounts themselves are `_accounts.AccountStore`.

`IDENTIFIED WITH plugin BY 'password'` (MySQL's syntax) is accepted beside MariaDB's `IDENTIFIED
{VIA|WITH} plugin [USING|AS 'hash']` and `USING PASSWORD('password')`, for MySQL's clients and tools;
the plugins are mysql_native_password and caching_sha2_password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .. import _privileges as pv
from .._accounts import Access, Account, AccountStore, quote_account
from .._catalog import Catalog
from .._diagnostics import note
from .._errors import SQLError, not_supported
from .._passwords import NATIVE, PLUGINS, SHA2, auth_string_for, is_native_auth_string, is_sha2_auth_string
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import Result
from ._acctparse import Cursor

_CURRENT: Final = ("", "")  # CURRENT_USER: the session's own account
# Which statements of the first words other families share are ours (checked before tokenizing).
_USER_STATEMENT: Final = re.compile(r"(?is)\s*(?:create(?:\s+or\s+replace)?|alter|drop|rename)\s+user\b")
_SET_PASSWORD: Final = re.compile(r"(?is)\s*set\s+password\b")
_SHOW_GRANTS: Final = re.compile(r"(?is)\s*show\s+(?:grants\b|create\s+user\b)")

# -- the plans ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserSpec:
    """An account named in a statement, and how it authenticates: `password` cleartext, or `auth`
    the stored form (IDENTIFIED BY PASSWORD / AS), for `plugin` (None: unchanged or the default)."""

    user: str
    host: str
    plugin: str | None = None
    password: str | None = None
    auth: str | None = None

    @property
    def name(self) -> str:
        return quote_account(self.user, self.host)


@dataclass(frozen=True, slots=True)
class Level:
    """What a grant is on: `*.*` (db None), `db.*` (table None) or `db.table`; `current` when the
    database is the session's (`*`, or a table without a database)."""

    db: str | None
    table: str | None
    current: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class CreateUserPlan(Plan):
    specs: tuple[UserSpec, ...]
    if_not_exists: bool
    or_replace: bool


@dataclass(frozen=True, slots=True, eq=False)
class AlterUserPlan(Plan):
    specs: tuple[UserSpec, ...]
    if_exists: bool


@dataclass(frozen=True, slots=True, eq=False)
class DropUserPlan(Plan):
    users: tuple[UserSpec, ...]
    if_exists: bool


@dataclass(frozen=True, slots=True, eq=False)
class RenameUserPlan(Plan):
    pairs: tuple[tuple[UserSpec, UserSpec], ...]


@dataclass(frozen=True, slots=True, eq=False)
class SetPasswordPlan(Plan):
    spec: UserSpec  # user "" host "": the session's own account


@dataclass(frozen=True, slots=True, eq=False)
class GrantPlan(Plan):
    """GRANT (revoke False) or REVOKE of `privileges` on `level`; `all` for ALL [PRIVILEGES]."""

    privileges: frozenset[str]
    all: bool
    level: Level
    users: tuple[UserSpec, ...]
    grant_option: bool
    revoke: bool


@dataclass(frozen=True, slots=True, eq=False)
class RevokeAllPlan(Plan):
    """REVOKE ALL PRIVILEGES, GRANT OPTION FROM ..."""

    users: tuple[UserSpec, ...]


@dataclass(frozen=True, slots=True, eq=False)
class ShowGrantsPlan(Plan):
    spec: UserSpec


@dataclass(frozen=True, slots=True, eq=False)
class ShowCreateUserPlan(Plan):
    spec: UserSpec


# -- reading them ---------------------------------------------------------------------------------


def _account(c: Cursor) -> UserSpec:
    if c.word("CURRENT_USER"):
        if c.punct("("):
            c.expect_punct(")")
        return UserSpec(*_CURRENT)
    user = c.name()
    host = "%"
    if c.punct("@"):
        host = c.name()
    elif (t := c.peek()) is not None and t.kind == "word" and t.text.startswith("@"):
        host = c.name()[1:]
    if len(user) > 128:
        raise SQLError(1470, f"String '{user}' is too long for user name (should be no longer than 128)")
    if len(host) > 255:
        raise SQLError(1470, f"String '{host}' is too long for host name (should be no longer than 255)")
    return UserSpec(user, host)


def _password_call(c: Cursor) -> str:
    c.expect_word("PASSWORD")
    c.expect_punct("(")
    password = c.string()
    c.expect_punct(")")
    return password


def _plugin_name(c: Cursor) -> str:
    plugin = c.name().lower()
    if plugin not in PLUGINS:
        raise SQLError(1524, f"Plugin '{plugin}' is not loaded")
    return plugin


def _identified(c: Cursor, spec: UserSpec) -> UserSpec:
    if not c.word("IDENTIFIED"):
        return spec
    if c.word("BY"):
        if c.word("PASSWORD"):
            return _checked(UserSpec(spec.user, spec.host, NATIVE, auth=c.string()))
        return UserSpec(spec.user, spec.host, NATIVE, password=c.string())
    c.expect_word("WITH", "VIA")
    plugin = _plugin_name(c)
    if c.word("BY"):
        return UserSpec(spec.user, spec.host, plugin, password=c.string())
    if c.word("USING", "AS"):
        t = c.peek()
        if t is not None and t.kind == "word" and t.text.upper() == "PASSWORD":
            return UserSpec(spec.user, spec.host, plugin, password=_password_call(c))
        return _checked(UserSpec(spec.user, spec.host, plugin, auth=c.string()))
    return UserSpec(spec.user, spec.host, plugin, password="")


def _checked(spec: UserSpec) -> UserSpec:
    auth = spec.auth or ""
    if spec.plugin == SHA2 and not is_sha2_auth_string(auth):
        raise SQLError(1372, "Password hash should be a caching_sha2_password hash ('$A$005$' and 63 characters)")
    if spec.plugin == NATIVE:
        if not is_native_auth_string(auth):
            raise SQLError(1372, "Password hash should be a 41-digit hexadecimal number")
        return UserSpec(spec.user, spec.host, spec.plugin, auth=auth.upper())
    return spec


def _specs(c: Cursor, identified: bool) -> tuple[UserSpec, ...]:
    out = []
    while True:
        spec = _account(c)
        out.append(_identified(c, spec) if identified else spec)
        if not c.punct(","):
            return tuple(out)


def _if(c: Cursor, *words: str) -> bool:
    return c.words("IF", *words)


@plans_words("create", "alter", "drop", "rename")
def plan_user(sql: str, ctx: PlanContext) -> Plan | None:
    if not _USER_STATEMENT.match(sql):
        return None
    c = Cursor(sql)
    verb = c.expect_word("CREATE", "ALTER", "DROP", "RENAME")
    or_replace = verb == "CREATE" and c.words("OR", "REPLACE")
    if not c.word("USER"):
        return None
    if verb == "CREATE":
        if_not_exists = _if(c, "NOT", "EXISTS")
        plan: Plan = CreateUserPlan(_specs(c, True), if_not_exists, or_replace)
    elif verb == "ALTER":
        if_exists = _if(c, "EXISTS")
        plan = AlterUserPlan(_specs(c, True), if_exists)
    elif verb == "DROP":
        if_exists = _if(c, "EXISTS")
        plan = DropUserPlan(_specs(c, False), if_exists)
    else:
        pairs = []
        while True:
            old = _account(c)
            c.expect_word("TO")
            pairs.append((old, _account(c)))
            if not c.punct(","):
                break
        plan = RenameUserPlan(tuple(pairs))
    if not c.at_end():
        t = c.peek()
        if t is not None and t.kind == "word" and t.text.upper() in ("REQUIRE", "WITH", "PASSWORD", "ACCOUNT"):
            raise not_supported(f"{verb} USER ... {t.text.upper()}")
        raise c.error()
    return plan


@plans_words("set")
def plan_set_password(sql: str, ctx: PlanContext) -> Plan | None:
    if not _SET_PASSWORD.match(sql):
        return None
    c = Cursor(sql)
    c.expect_word("SET")
    if not c.word("PASSWORD"):
        return None
    t = c.peek()
    if t is not None and t.kind == "punct" and t.text == "=":
        spec = UserSpec(*_CURRENT)
    else:
        c.expect_word("FOR")
        spec = _account(c)
    c.expect_punct("=")
    t = c.peek()
    if t is not None and t.kind == "word" and t.text.upper() == "PASSWORD":
        spec = UserSpec(spec.user, spec.host, None, password=_password_call(c))
    else:
        spec = _checked(UserSpec(spec.user, spec.host, NATIVE, auth=c.string()))
        spec = UserSpec(spec.user, spec.host, None, auth=spec.auth)
    c.end()
    return SetPasswordPlan(spec)


def _privileges(c: Cursor) -> tuple[frozenset[str], bool, bool]:
    """The privilege list: (privileges, ALL, GRANT OPTION named)."""
    found: set[str] = set()
    everything = grant_option = False
    while True:
        words = []
        while (t := c.peek()) is not None and t.kind == "word" and t.text.upper() not in ("ON", "FROM", "TO"):
            words.append(t.text.upper())
            c.pos += 1
        if c.punct("("):
            raise not_supported("column privileges")
        name = pv.canonical(" ".join(words))
        if name in ("ALL", "ALL PRIVILEGES"):
            everything = True
        elif name == pv.GRANT_OPTION:
            grant_option = True
        elif name == "USAGE":
            pass
        elif name in pv.GLOBAL:
            found.add(name)
        else:
            raise c.error()
        if not c.punct(","):
            return frozenset(found), everything, grant_option


def _level(c: Cursor) -> Level:
    c.word("TABLE")
    if c.punct("*"):
        if c.punct("."):
            c.expect_punct("*")
            return Level(None, None)
        return Level(None, None, current=True)
    first = c.name()
    if c.punct("."):
        if c.punct("*"):
            return Level(first, None)
        return Level(first, c.name())
    return Level(None, first, current=True)


@plans_words("grant", "revoke")
def plan_grant(sql: str, ctx: PlanContext) -> Plan:
    c = Cursor(sql)
    revoke = c.expect_word("GRANT", "REVOKE") == "REVOKE"
    privileges, everything, grant_option = _privileges(c)
    if revoke and everything and grant_option and c.word("FROM"):
        users = _specs(c, False)
        c.end()
        return RevokeAllPlan(users)
    if c.word("PROXY"):
        raise not_supported("GRANT PROXY")
    c.expect_word("ON")
    for kind in ("FUNCTION", "PROCEDURE", "PACKAGE"):
        if c.word(kind):
            raise not_supported(f"{kind} privileges")
    level = _level(c)
    c.expect_word("FROM" if revoke else "TO")
    users = _specs(c, not revoke)
    if not revoke and c.words("WITH", "GRANT", "OPTION"):
        grant_option = True
    if not c.at_end():
        t = c.peek()
        if t is not None and t.kind == "word" and t.text.upper() in ("REQUIRE", "WITH"):
            raise not_supported(f"GRANT ... {t.text.upper()}")
        raise c.error()
    allowed = pv.GLOBAL if level.db is None and not level.current else pv.TABLE if level.table else pv.DATABASE
    if level.db is None and level.current and level.table is None:
        allowed = pv.DATABASE
    if not privileges <= frozenset(allowed):
        raise SQLError(1221, "Incorrect usage of DB GRANT and GLOBAL PRIVILEGES") if level.table is None else \
            SQLError(1144, "Illegal GRANT/REVOKE command; please consult the manual to see which privileges can be "
                           "used", "42000")
    return GrantPlan(privileges, everything, level, users, grant_option, revoke)


@plans_words("show")
def plan_show_grants(sql: str, ctx: PlanContext) -> Plan | None:
    if not _SHOW_GRANTS.match(sql):
        return None
    c = Cursor(sql)
    c.expect_word("SHOW")
    if c.word("GRANTS"):
        spec = UserSpec(*_CURRENT)
        if c.word("FOR"):
            spec = _account(c)
        c.end()
        return ShowGrantsPlan(spec)
    if c.words("CREATE", "USER"):
        spec = _account(c)
        c.end()
        return ShowCreateUserPlan(spec)
    return None


# -- running them ---------------------------------------------------------------------------------


def writable(catalog: Catalog) -> None:
    """Accounts change only where writes are taken (a standby gets its primary's: 1290)."""
    catalog.check_writable("mysql")


def resolve(spec: UserSpec, access: Access) -> UserSpec:
    """CURRENT_USER is the session's own account."""
    if (spec.user, spec.host) != _CURRENT:
        return spec
    account = access.account
    if account is None:
        return UserSpec(access.user, "%", spec.plugin, spec.password, spec.auth)
    return UserSpec(account.user, account.host, spec.plugin, spec.password, spec.auth)


def failed_error(operation: str, names: list[str]) -> SQLError:
    return SQLError(1396, f"Operation {operation} failed for {','.join(names)}")


def auth_of(spec: UserSpec, default_plugin: str) -> tuple[str, str]:
    plugin = spec.plugin or default_plugin
    if spec.auth is not None:
        return plugin, spec.auth
    return plugin, auth_string_for(plugin, spec.password or "")


@executes(CreateUserPlan)
def create_user(plan: CreateUserPlan, store: AccountStore, access: Access, catalog: Catalog) -> Result:
    writable(catalog)
    access.require_global("CREATE USER")
    failed = []
    with store.lock:
        for spec in (resolve(s, access) for s in plan.specs):
            existing = store.get(spec.user, spec.host)
            if existing is not None and not plan.or_replace:
                if plan.if_not_exists:
                    note(1973, f"Can't create user {spec.name}; it already exists")
                else:
                    failed.append(spec.name)
                continue
            plugin, auth = auth_of(spec, NATIVE)
            store.add(Account(spec.user, spec.host, plugin, auth))
    if failed:
        raise failed_error("CREATE USER", failed)
    return Result()


@executes(AlterUserPlan)
def alter_user(plan: AlterUserPlan, store: AccountStore, access: Access, catalog: Catalog) -> Result:
    writable(catalog)
    specs = [resolve(s, access) for s in plan.specs]
    own = access.account
    if not all(own is not None and (s.user, s.host.lower()) == own.key for s in specs):
        access.require_global("CREATE USER")
    failed = []
    with store.lock:
        for spec in specs:
            account = store.get(spec.user, spec.host)
            if account is None:
                if plan.if_exists:
                    note(1396, f"Operation ALTER USER failed for {spec.name}")
                else:
                    failed.append(spec.name)
                continue
            if spec.plugin is not None or spec.password is not None or spec.auth is not None:
                store.set_auth(account, *auth_of(spec, account.plugin))
    if failed:
        raise failed_error("ALTER USER", failed)
    return Result()


@executes(DropUserPlan)
def drop_user(plan: DropUserPlan, store: AccountStore, access: Access, catalog: Catalog) -> Result:
    writable(catalog)
    access.require_global("CREATE USER")
    failed = []
    with store.lock:
        for spec in (resolve(s, access) for s in plan.users):
            account = store.get(spec.user, spec.host)
            if account is None:
                if plan.if_exists:
                    note(1974, f"Can't drop user {spec.name}; it doesn't exist")
                else:
                    failed.append(spec.name)
                continue
            store.remove(account)
    if failed:
        raise failed_error("DROP USER", failed)
    return Result()


@executes(RenameUserPlan)
def rename_user(plan: RenameUserPlan, store: AccountStore, access: Access, catalog: Catalog) -> Result:
    writable(catalog)
    access.require_global("CREATE USER")
    failed = []
    with store.lock:
        for old, new in plan.pairs:
            old, new = resolve(old, access), resolve(new, access)
            account = store.get(old.user, old.host)
            if account is None or store.get(new.user, new.host) is not None:
                failed.append(old.name)
                continue
            store.rename(account, new.user, new.host)
    if failed:
        raise failed_error("RENAME USER", failed)
    return Result()


@executes(SetPasswordPlan)
def set_password(plan: SetPasswordPlan, store: AccountStore, access: Access, catalog: Catalog) -> Result:
    writable(catalog)
    spec = resolve(plan.spec, access)
    own = access.account
    if own is not None and (spec.user, spec.host.lower()) != own.key:
        access.require_database("UPDATE", "mysql")
    with store.lock:
        account = store.get(spec.user, spec.host)
        if account is None:
            raise SQLError(1133, "Can't find any matching row in the user table", "28000")
        if spec.auth is not None and account.plugin != NATIVE:
            raise SQLError(1372, "Password hash should be a 41-digit hexadecimal number")
        store.set_auth(account, *auth_of(spec, account.plugin))
    return Result()

"""The node's accounts and their privileges: what logins are checked against and statements by.

The API the server's handshake uses (`app.server._handshake`; for TLS and caching_sha2_password
too). `Engine.accounts` is the node's `AccountStore`:

    store.lookup(user, host, ip) -> Account | None
        The account a client logging in as `user` from `host` (its name as USER() shows it,
        'localhost' for a loopback peer) or `ip` would use: MariaDB's order, exact hosts before
        patterns ('%', '_' wildcards), named users before the anonymous one. None: refuse (1045).
    account.plugin        "mysql_native_password" | "caching_sha2_password"
    account.auth_string   what the plugin keeps of the password ('' for none):
        mysql_native_password: '*' + upper hex SHA1(SHA1(password)), as MariaDB stores it;
        caching_sha2_password: MySQL 8's '$A$005$' + 20-character salt + SHA-256 crypt (5000 rounds).
    _passwords.check_native_scramble(auth_string, salt, scramble) -> bool    (the native exchange)
    _passwords.check_password(plugin, auth_string, cleartext) -> bool       (any plugin, cleartext:
        caching_sha2_password's full authentication over TLS or RSA)
    _passwords.check_sha2_scramble(digest, nonce, scramble) -> bool          (its fast path, with the
        SHA256(SHA256(password)) a server caches after a full authentication: `sha2_digest`)
    session.login(account, user, host)   after authentication: who the session is (USER() is
        user@host, CURRENT_USER() account.user@account.host, privileges are the account's).

The server adapts it to its authenticator in `app.server._accountauth` (which keeps the fast path's
cache, `app.server._auth`).

Accounts are created by the config's `users:` (bootstrap accounts `name`@`%` with every privilege,
their password set from the config at every start) and by CREATE USER / GRANT; they persist in
`accounts.json` of the data directory (none in memory) and replicate as a whole (`snapshot` /
`restore`, `listeners`).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, final

from . import _privileges as pv
from ._errors import SQLError
from ._like import like_regex
from ._passwords import NATIVE, PLUGINS, auth_string_for

FILE_NAME: Final = "accounts.json"

Key = tuple[str, str]  # (user, host in lower case)


def quote_account(user: str, host: str) -> str:
    """'user'@'host', as MariaDB's messages write an account."""
    return f"'{user}'@'{host}'"


def _host_rank(host: str) -> tuple[int, int]:
    """Sort key: exact hosts first, then patterns by how much comes before their first wildcard."""
    wild = [i for i, ch in enumerate(host) if ch in "%_"]
    if not wild:
        return (0, 0)
    return (1, -wild[0])


@final
@dataclass(slots=True)
class Account:
    """One account (`user`@`host`) and what it was granted.

    databases: database (lower case) -> (name as granted, privileges); tables: (database in lower case,
    table as named: case-sensitive) -> (names as granted, privileges). A privilege set may hold "GRANT OPTION".
    """

    user: str
    host: str
    plugin: str = NATIVE
    auth_string: str = ""
    privileges: frozenset[str] = frozenset()
    databases: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    tables: dict[tuple[str, str], tuple[str, str, frozenset[str]]] = field(default_factory=dict)
    pattern: re.Pattern[str] | None = None

    @property
    def key(self) -> Key:
        return (self.user, self.host.lower())

    @property
    def name(self) -> str:
        """'user'@'host'."""
        return quote_account(self.user, self.host)

    def matches(self, user: str, host: str, ip: str | None) -> bool:
        if self.user and self.user != user:
            return False
        if self.pattern is None:
            self.pattern = like_regex(self.host)  # a host is a LIKE pattern
        return bool(self.pattern.fullmatch(host) or (ip is not None and self.pattern.fullmatch(ip)))

    def to_json(self) -> dict[str, Any]:
        return {"user": self.user, "host": self.host, "plugin": self.plugin, "auth_string": self.auth_string,
                "privileges": pv.ordered(self.privileges),
                "databases": [[name, pv.ordered(p)] for name, p in self.databases.values()],
                "tables": [[db, table, pv.ordered(p)] for db, table, p in self.tables.values()]}

    @classmethod
    def from_json(cls, data: Any) -> Account:
        """An account from `to_json`'s form; ValueError for anything else (a replicated state is checked)."""
        if not isinstance(data, dict):
            raise ValueError("an account is an object")
        user, host, plugin, auth = (data.get(k) for k in ("user", "host", "plugin", "auth_string"))
        if not all(isinstance(v, str) for v in (user, host, plugin, auth)) or plugin not in PLUGINS:
            raise ValueError(f"bad account {data!r:.100}")
        assert isinstance(user, str) and isinstance(host, str) and isinstance(plugin, str) and isinstance(auth, str)
        account = cls(user, host, plugin, auth, _privilege_set(data.get("privileges"), pv.GLOBAL))
        for item in data.get("databases") or []:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
                raise ValueError(f"bad database grant {item!r:.100}")
            account.databases[item[0].lower()] = (item[0], _privilege_set(item[1], pv.DATABASE))
        for item in data.get("tables") or []:
            if not (isinstance(item, list) and len(item) == 3 and all(isinstance(v, str) for v in item[:2])):
                raise ValueError(f"bad table grant {item!r:.100}")
            account.tables[(item[0].lower(), item[1])] = (item[0], item[1], _privilege_set(item[2], pv.TABLE))
        return account


def _privilege_set(value: Any, level: tuple[str, ...]) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) and (p in level or p == pv.GRANT_OPTION)
                                              for p in value):
        raise ValueError(f"bad privileges {value!r:.100}")
    return frozenset(value)


@final
class AccountStore:
    """The accounts of a node (see the module docstring).

    Args:
        directory: where `accounts.json` is kept; None keeps accounts in memory only.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.lock = threading.RLock()
        self._path = directory / FILE_NAME if directory is not None else None
        self._accounts: dict[Key, Account] = {}
        self._sorted: list[Account] = []
        self.version = 0  # counts changes (sessions recompute what they cached)
        # Called with `snapshot()` after every change (replication ships it to standbys).
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        if self._path is not None and self._path.exists():
            self._load(json.loads(self._path.read_text()))

    # -- reading -------------------------------------------------------------------------------------

    def lookup(self, user: str, host: str, ip: str | None = None) -> Account | None:
        """The account a login as `user` from `host` (or `ip`) uses (see the module docstring)."""
        for account in self._sorted:
            if account.matches(user, host, ip):
                return account
        return None

    def get(self, user: str, host: str) -> Account | None:
        """The account `user`@`host` exactly (host compared without case)."""
        return self._accounts.get((user, host.lower()))

    def accounts(self) -> list[Account]:
        """Every account, in the order logins try them."""
        return list(self._sorted)

    # -- changing ------------------------------------------------------------------------------------

    def bootstrap(self, users: Iterable[tuple[str, str, str]]) -> None:
        """Make each (name, password, plugin) an account `name`@`%` with every privilege and that
        password (kept by that plugin)."""
        with self.lock:
            for name, password, plugin in users:
                account = self._accounts.get((name, "%")) or Account(name, "%")
                if plugin not in PLUGINS:
                    raise ValueError(f"unknown authentication plugin {plugin!r} for user {name!r}")
                account.plugin = plugin
                account.auth_string = auth_string_for(plugin, password)
                account.privileges = frozenset(pv.GLOBAL) | {pv.GRANT_OPTION}
                self._accounts[account.key] = account
            self._changed()

    def add(self, account: Account) -> None:
        with self.lock:
            self._accounts[account.key] = account
            self._changed()

    def remove(self, account: Account) -> None:
        with self.lock:
            self._accounts.pop(account.key, None)
            self._changed()

    def rename(self, account: Account, user: str, host: str) -> None:
        with self.lock:
            self._accounts.pop(account.key, None)
            self._accounts[(user, host.lower())] = replace(account, user=user, host=host, pattern=None)
            self._changed()

    def set_auth(self, account: Account, plugin: str, auth_string: str) -> None:
        with self.lock:
            account.plugin = plugin
            account.auth_string = auth_string
            self._changed()

    def changed(self) -> None:
        """An account's grants were changed in place (under `lock`): persist and publish."""
        with self.lock:
            self._changed()

    def _changed(self, *, publish: bool = True) -> None:
        self._sorted = sorted(self._accounts.values(), key=lambda a: (_host_rank(a.host), a.user == ""))
        self.version += 1
        state = self.snapshot()
        if self._path is not None:
            self._write(state)
        for listener in list(self.listeners) if publish else ():
            listener(state)

    def _write(self, state: dict[str, Any]) -> None:
        assert self._path is not None
        tmp = self._path.with_suffix(".tmp")
        with open(tmp, "w") as f:
            json.dump(state, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self._path)

    # -- the whole state (persistence, replication) --------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Every account, as plain data (`restore` takes it back)."""
        with self.lock:
            return {"version": 1, "accounts": [a.to_json() for a in self._sorted]}

    def restore(self, state: Any) -> None:
        """Replace every account with those of `state` (a standby applying its primary's: kept, not
        published again); ValueError if `state` is not what `snapshot` makes (nothing changes then)."""
        accounts = self._parse(state)
        with self.lock:
            self._accounts = {a.key: a for a in accounts}
            self._changed(publish=False)

    def _load(self, state: Any) -> None:
        self._accounts = {a.key: a for a in self._parse(state)}
        self._sorted = sorted(self._accounts.values(), key=lambda a: (_host_rank(a.host), a.user == ""))

    @staticmethod
    def _parse(state: Any) -> list[Account]:
        if not isinstance(state, dict) or state.get("version") != 1 or not isinstance(state.get("accounts"), list):
            raise ValueError("not an account store's state")
        return [Account.from_json(a) for a in state["accounts"]]

    # -- privileges ----------------------------------------------------------------------------------

    def local_privileges(self, account: Account, db: str, table: str | None = None) -> frozenset[str]:
        """What `account` (as the store has it now: none if it was dropped) was granted on `db` and on
        `db`.`table`, beside its global privileges."""
        current = self._accounts.get(account.key)
        if current is None:
            return frozenset()
        key = db.lower()
        found = current.databases.get(key, ("", frozenset()))[1]
        if table is not None:
            on_table = current.tables.get((key, table))
            if on_table is not None:
                found = found | on_table[2]
        return found

    def any_on_database(self, account: Account, db: str) -> bool:
        """Whether `account` was granted anything on `db` or one of its tables."""
        current = self._accounts.get(account.key)
        if current is None:
            return False
        key = db.lower()
        return bool(current.databases.get(key, ("", frozenset()))[1]) or any(
            k[0] == key and p for k, (_, _, p) in current.tables.items())


def denied_database(account: Account, db: str) -> SQLError:
    """1044 Access denied for user ... to database ..."""
    return SQLError(1044, f"Access denied for user '{account.user}'@'{account.host}' to database '{db}'", "42000")


def denied_table(command: str, user: str, host: str, db: str, table: str) -> SQLError:
    """1142 COMMAND command denied to user ... for table `db`.`t`."""
    return SQLError(1142, f"{command} command denied to user '{user}'@'{host}' for table `{db}`.`{table}`", "42000")


def need_privilege(*names: str) -> SQLError:
    """1227 Access denied; you need (at least one of) the ... privilege(s) for this operation."""
    return SQLError(1227, f"Access denied; you need (at least one of) the {', '.join(names)} privilege(s) for this "
                          "operation", "42000")


_TABLE_DML: Final = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
_ALL_GLOBAL: Final = frozenset(pv.GLOBAL)
_ALL: Final = _ALL_GLOBAL | {pv.GRANT_OPTION}
_DATABASE_LEVEL: Final = frozenset(pv.DATABASE)
_TABLE_LEVEL: Final = frozenset(pv.TABLE)


@final
class Access:
    """Who one session is and what it may do.

    Its account's global privileges are read at login (as MariaDB reads them: a GRANT or REVOKE of
    global privileges applies to the account's next sessions); database and table privileges are read
    from the store at each check, so they apply at once. `account` None is the server's own session
    (it may do anything); a client's session gets its account at login (`Session.login`).
    """

    __slots__ = ("account", "granted", "host", "store", "used_password", "user")

    def __init__(self, store: AccountStore) -> None:
        self.store = store
        self.account: Account | None = None
        self.granted: frozenset[str] = _ALL  # the global privileges
        self.user = "root"
        self.host = "localhost"
        self.used_password = False

    def login(self, account: Account, user: str, host: str, used_password: bool) -> None:
        self.account, self.user, self.host, self.used_password = account, user, host, used_password
        self.granted = account.privileges

    @property
    def unrestricted(self) -> bool:
        """Whether every privilege check passes (the server's own session, or an account with every
        global privilege)."""
        return self.granted >= _ALL_GLOBAL

    def table_dml_everywhere(self) -> bool:
        """Whether SELECT, INSERT, UPDATE and DELETE are granted globally (no table checks needed)."""
        return self.granted >= _TABLE_DML

    def privileges(self, db: str | None = None, table: str | None = None) -> frozenset[str]:
        """The global privileges, and those granted on `db` (and `db`.`table`)."""
        if self.account is None or db is None:
            return self.granted
        return self.granted | self.store.local_privileges(self.account, db, table)

    def has(self, privilege: str, db: str | None = None, table: str | None = None) -> bool:
        return privilege in self.granted or privilege in self.privileges(db, table)

    def require_global(self, *names: str) -> None:
        """1227 unless one of `names` is granted globally."""
        if not self.granted & set(names):
            raise need_privilege(*names)

    def require_database(self, privilege: str, db: str) -> None:
        """1044 unless `privilege` is granted on `db` (or globally)."""
        if not self.has(privilege, db):
            raise self.denied_database(db)

    def require_table(self, db: str, table: str, *privileges: str) -> None:
        """1142 naming the missing privileges unless each of `privileges` is granted on the table."""
        if self.granted >= set(privileges):
            return
        have = self.privileges(db, table)
        missing = [p for p in privileges if p not in have]
        if missing:
            raise denied_table(", ".join(missing), self.user, self.host, db, table)

    def sees_database(self, db: str) -> bool:
        """Whether SHOW DATABASES and information_schema show `db` to this session."""
        if self.account is None or "SHOW DATABASES" in self.granted or self.granted & _DATABASE_LEVEL:
            return True
        return self.store.any_on_database(self.account, db)

    def sees_table(self, db: str, table: str) -> bool:
        """Whether SHOW TABLES and information_schema show `db`.`table` to this session."""
        return bool(self.privileges(db, table) & _TABLE_LEVEL)

    def denied_database(self, db: str) -> SQLError:
        account = self.account
        return denied_database(account if account is not None else Account(self.user, "%"), db)

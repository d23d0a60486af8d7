"""The `external` test server factory: no server of our own, a private database on a real MySQL or MariaDB.

`APP_TEST_SERVER_FACTORY=external APP_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306 pytest` runs every
test that keeps to its own database against that server. Each `new_test_server()` creates a fresh
database with a name unique across processes, xdist workers and concurrent runs
(`testingshim.unique_database_name`), which `sql_conn()` selects and `application_layer().database`
names; `stop()` drops it, with any `<name>_...` database the test made beside it. When the test
failed (the pytest plugin calls `keep_for_debugging()`, and leaving `with` on an exception does the
same) the database stays, and the failure report names it.

It cannot offer what needs our own server: `storage_layer()`, `system_layer()` and `restart()`
raise `UnsupportedByFactory`; a test whose TestServerArgs ask for injector modules, server
configuration or accounts is skipped with the reason (`RequirementNotMet`), as for `requires`.
"""

from __future__ import annotations

import contextlib
import os
import threading
import unittest
import urllib.parse
from dataclasses import dataclass
from types import TracebackType
from typing import Any, final

from app.testingshim import (
    ExternalServerUnavailable,
    RequirementNotMet,
    TestServerArgs,
    UnsupportedByFactory,
    scaled,
    unique_database_name,
)
from app.testingshim._databases import drop_database_tree, quote_name

ENV_URL = "APP_TEST_MYSQL_URL"
_EXAMPLE = "mysql://root@127.0.0.1:3306"
# CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_UNKNOWN_HOST, CR_SERVER_GONE_ERROR, CR_SERVER_LOST
_UNREACHABLE = frozenset({2002, 2003, 2005, 2006, 2013})


@dataclass(frozen=True)
class MySQLURL:
    """A parsed `mysql://user[:password]@host[:port]` (also `mariadb://`)."""

    host: str
    port: int
    user: str
    password: str
    text: str

    @classmethod
    def parse(cls, text: str) -> MySQLURL:
        parts = urllib.parse.urlsplit(text)
        if parts.scheme not in ("mysql", "mariadb") or not parts.hostname:
            raise ExternalServerUnavailable(
                f"{ENV_URL}={text!r} is not a MySQL URL; the external test server factory needs one like {_EXAMPLE}")
        try:
            port = parts.port or 3306
        except ValueError:
            raise ExternalServerUnavailable(f"{ENV_URL}={text!r} has a bad port; use one like {_EXAMPLE}") from None
        return cls(parts.hostname, port, urllib.parse.unquote(parts.username or "root"),
                   urllib.parse.unquote(parts.password or ""), text)

    def connect_params(self) -> dict[str, Any]:
        # ssl_disabled: PyMySQL otherwise builds a TLS context per connection (about 18 ms of loading
        # CA certificates), which alone would cost more than the whole database creation.
        return {"host": self.host, "port": self.port, "user": self.user, "password": self.password,
                "connect_timeout": scaled(5), "ssl_disabled": True}

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


# Per process: a URL found unreachable fails the following tests at once, not after a connect timeout each.
_unreachable: dict[str, str] = {}
_unreachable_lock = threading.Lock()


def url_from_env() -> MySQLURL:
    """The server to use: APP_TEST_MYSQL_URL, parsed; ExternalServerUnavailable (one line) if unset or malformed."""
    text = os.environ.get(ENV_URL, "").strip()
    if not text:
        raise ExternalServerUnavailable(
            f"{ENV_URL} is not set: the external test server factory needs a MySQL or MariaDB server, "
            f"for example {ENV_URL}={_EXAMPLE}")
    return MySQLURL.parse(text)


def connect(url: MySQLURL, **kwargs: Any) -> Any:
    """A pymysql connection to `url`; ExternalServerUnavailable (one line) if the server cannot be reached."""
    import pymysql

    with _unreachable_lock:
        known = _unreachable.get(url.text)
    if known:
        raise ExternalServerUnavailable(known)
    params = url.connect_params()
    params.update(kwargs)
    try:
        return pymysql.connect(**params)
    except pymysql.err.OperationalError as e:
        code = e.args[0] if e.args else None
        if code not in _UNREACHABLE:
            raise  # reachable but refusing us (bad credentials, ...): the server's own error says more
        message = (f"{ENV_URL}={url.text} is unreachable ({e.args[1] if len(e.args) > 1 else e}): start that server "
                   f"or point {ENV_URL} at a running MySQL or MariaDB")
        with _unreachable_lock:
            _unreachable[url.text] = message
        raise ExternalServerUnavailable(message) from None


def describe_server() -> str:
    """One line for pytest's header: the URL and the server's version, or why it cannot be used."""
    try:
        url = url_from_env()
        conn = connect(url)
    except Exception as e:  # the header reports; each test that needs the server fails with this line
        return f"UNUSABLE: {e}"
    try:
        return f"{url.text} ({conn.get_server_info()})"
    finally:
        conn.close()


class ExternalTestServer:
    """A private database on the server APP_TEST_MYSQL_URL names, dressed as a TestServer."""

    __test__ = False
    capabilities: frozenset[str] = frozenset()

    def __init__(self, args: TestServerArgs, name: str, url: MySQLURL) -> None:
        self._args = args
        self._factory_name = name
        self._url = url
        self._database = unique_database_name(args.database)
        self._admin: Any = None
        self._conns: list[Any] = []
        self._started = False
        self._dropped = False
        self._keep = False
        self._version = ""
        self._application = ExternalApplication(self, url)

    @property
    def database(self) -> str:
        """The test's private database on the external server."""
        return self._database

    # -- TestServer ---------------------------------------------------------------------------------

    @property
    def args(self) -> TestServerArgs:
        return self._args

    @property
    def factory_name(self) -> str:
        return self._factory_name

    def start(self) -> None:
        """Create the private database (a connect and one CREATE DATABASE)."""
        if self._started:
            return
        import pymysql

        self._admin = connect(self._url, autocommit=True)
        try:
            with self._admin.cursor() as cur:
                try:
                    cur.execute(f"CREATE DATABASE {quote_name(self._database)}")
                except pymysql.err.ProgrammingError as e:
                    if e.args[0] != 1007:  # ER_DB_CREATE_EXISTS: 64 random bits collided; take another name
                        raise
                    self._database = unique_database_name(self._args.database)
                    cur.execute(f"CREATE DATABASE {quote_name(self._database)}")
            self._version = str(self._admin.get_server_info())
        except BaseException:
            self._admin.close()
            self._admin = None
            raise
        self._started = True

    def stop(self) -> None:
        """Close the test's connections and drop its databases, unless kept. Idempotent."""
        conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(Exception):
                conn.close()
        admin, self._admin = self._admin, None
        if admin is None:
            return
        try:
            if not self._keep and not self._dropped:
                with admin.cursor() as cur:
                    drop_database_tree(cur, self._database)
                self._dropped = True
        finally:
            admin.close()

    def restart(self) -> None:
        raise UnsupportedByFactory(self._factory_name,
                                   "restart() (the external server is shared; a test cannot restart it)")

    def kill(self) -> None:
        raise UnsupportedByFactory(self._factory_name, "kill() (the external server is shared; a test cannot kill it)")

    def application_layer(self) -> ExternalApplication:
        return self._application

    def storage_layer(self) -> Any:
        raise UnsupportedByFactory(self._factory_name, "storage_layer() (the external server's storage is not ours)")

    def system_layer(self) -> Any:
        raise UnsupportedByFactory(
            self._factory_name, "system_layer() (the external server is shared; its settings are not one test's)")

    def log_text(self) -> str:
        """No server log of ours: says which server and database the test used."""
        state = "kept" if self._keep else ("dropped" if self._dropped else "in use")
        return (f"external server {self._url} ({self._version or 'not connected'}), "
                f"private database {self._database} ({state})")

    def keep_for_debugging(self) -> str:
        """Leave the database on the server at stop() (the test failed); returns a line naming it."""
        if self._dropped or not self._started:
            return ""
        self._keep = True
        return (f"kept database {self._database} on {self._url} for inspection (the test failed); "
                f"drop it with: DROP DATABASE {quote_name(self._database)}")

    def __enter__(self) -> ExternalTestServer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is not None and not _is_skip(exc_type):
            self.keep_for_debugging()
        self.stop()

    def connect(self, database: str | None = None, **kwargs: Any) -> Any:
        """A connection to the external server with the private database selected (`database=""`: none);
        closed at stop()."""
        if not self._started:
            raise RuntimeError("the external test server is not started")
        params: dict[str, Any] = {"database": self._database if database is None else (database or None)}
        params.update(kwargs)
        conn = connect(self._url, **params)
        self._conns = [c for c in self._conns if c.open]  # long-lived servers: do not hoard closed ones
        self._conns.append(conn)
        return conn


@final
class ExternalApplication:
    """The SQL surface of an external test server (testingshim.ApplicationLayer): the shared server's
    address, the test's private database and connections to it."""

    def __init__(self, server: ExternalTestServer, url: MySQLURL) -> None:
        self._server = server
        self._url = url

    @property
    def sql_addr(self) -> tuple[str, int]:
        return (self._url.host, self._url.port)

    @property
    def database(self) -> str:
        return self._server.database

    def sql_conn(self, database: str | None = None, **kwargs: Any) -> Any:
        """A connection to the external server with the private database selected (`database=""`: none)."""
        return self._server.connect(database, **kwargs)


def _is_skip(exc_type: type[BaseException]) -> bool:
    # pytest's Skipped is not a unittest.SkipTest; neither is a failure worth keeping a database for.
    return issubclass(exc_type, unittest.SkipTest) or exc_type.__name__ == "Skipped"


class ExternalFactory:
    """Private databases on the MySQL or MariaDB server at APP_TEST_MYSQL_URL (read at each new server)."""

    capabilities = ExternalTestServer.capabilities

    def new_server(self, args: TestServerArgs, *, name: str = "external") -> ExternalTestServer:
        # Arguments that describe a server of the test's own (its modules, configuration, accounts)
        # cannot apply to a shared server: the test is skipped, saying why, as for `requires`.
        missing = []
        if args.modules:
            missing.append("injector modules (TestServerArgs.modules)")
        if args.config:
            missing.append("server configuration (TestServerArgs.config)")
        if args.knobs:
            missing.append("testing knobs (TestServerArgs.knobs)")
        if tuple(args.users) != TestServerArgs().users:
            missing.append(f"accounts of its own (TestServerArgs.users; {ENV_URL} names the one tests log in as)")
        if args.secure:
            missing.append("TLS from the run's test CA (TestServerArgs.secure)")
        if missing:
            raise RequirementNotMet(name, missing)
        return ExternalTestServer(args, name, url_from_env())

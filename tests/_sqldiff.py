"""Differential testing against MariaDB: run the same SQL on our server and on the reference.

`Differ.check(statements)` runs each statement on both servers, one after the other, through
pymysql, and asserts that every outcome is the same: for a statement that succeeds, its column
names, its rows as typed Python values (`1`, `1.0`, `Decimal('1')` and `Decimal('1.0')` differ), its row count and
`cursor.lastrowid`; for one that fails, the pymysql exception class and the MySQL error number.
Messages of errors are not compared (they name SQLite internals in places; see the reports).

Both sides work in a private database `app_diff_<uuid hex>` (the same name on both, so that
statements and information_schema rows that name it agree). `{db}` in a statement is replaced by
that name. The MariaDB database is created for the test and dropped at teardown, with any other
database whose name starts with it; our side is a server of the test's own (`app_server`).

The reference is the MariaDB server at 127.0.0.1:3306 (user root, no password); set
APP_TEST_MARIADB_HOST, APP_TEST_MARIADB_PORT, APP_TEST_MARIADB_USER, APP_TEST_MARIADB_PASSWORD
to use another. Tests that need it are skipped, saying so, when it is unreachable.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pymysql
import pytest

from app import testingshim
from app.testingshim import scaled

MARIADB_HOST = os.environ.get("APP_TEST_MARIADB_HOST", "127.0.0.1")
MARIADB_PORT = int(os.environ.get("APP_TEST_MARIADB_PORT", "3306"))
MARIADB_USER = os.environ.get("APP_TEST_MARIADB_USER", "root")
MARIADB_PASSWORD = os.environ.get("APP_TEST_MARIADB_PASSWORD", "")


def typed(value: Any) -> tuple[Any, ...]:
    """A value with its Python type, so that 1, 1.0, Decimal('1') and '1' compare unequal.

    A Decimal also carries its text: Decimal('5') == Decimal('5.00'), but a client shows them differently.
    """
    if isinstance(value, Decimal):
        return ("Decimal", value, str(value))
    return (type(value).__name__, value)


@dataclass(frozen=True)
class Outcome:
    """What one statement did, as a client sees it through pymysql."""

    statement: str
    error: tuple[str, int] | None = None  # (pymysql exception class, MySQL error number)
    message: str = ""  # not compared
    columns: tuple[str, ...] | None = None
    rows: tuple[tuple[tuple[Any, ...], ...], ...] | None = None
    rowcount: int | None = None
    lastrowid: int | None = None

    def key(self, *, compare_columns: bool = True) -> tuple[Any, ...]:
        return (self.statement, self.error, self.columns if compare_columns else None, self.rows, self.rowcount,
                self.lastrowid)

    @property
    def values(self) -> list[tuple[Any, ...]]:
        """The rows without the type tags."""
        assert self.rows is not None, f"{self.statement!r} returned no result set: {self}"
        return [tuple(v[1] for v in row) for row in self.rows]

    def describe(self) -> str:
        if self.error is not None:
            return f"error {self.error[1]} ({self.error[0]}): {self.message}"
        if self.rows is None:
            return f"OK rowcount={self.rowcount} lastrowid={self.lastrowid}"
        return (f"columns={list(self.columns or ())} rows={[list(r) for r in self.rows]} "
                f"rowcount={self.rowcount} lastrowid={self.lastrowid}")


def run_statement(conn: Any, statement: str, *, unordered: bool = False) -> Outcome:
    """Run one statement on a pymysql connection and record what it did."""
    with conn.cursor() as cur:
        try:
            cur.execute(statement)
        except pymysql.MySQLError as e:
            code = e.args[0] if e.args and isinstance(e.args[0], int) else -1
            return Outcome(statement, error=(type(e).__name__, code), message=str(e.args[1] if len(e.args) > 1 else e))
        if cur.description is None:
            return Outcome(statement, rowcount=cur.rowcount, lastrowid=cur.lastrowid)
        rows = tuple(tuple(typed(v) for v in row) for row in cur.fetchall())
        if unordered:
            rows = tuple(sorted(rows, key=repr))
        return Outcome(statement, columns=tuple(d[0] for d in cur.description), rows=rows, rowcount=cur.rowcount,
                       lastrowid=cur.lastrowid)


class DifferenceError(AssertionError):
    pass


class Differ:
    """Runs statements on our server and on MariaDB and compares what they did.

    Attributes:
        db: the private database's name (the same on both servers).
        ours, reference: the pymysql connections (autocommit on) to the two servers.
    """

    def __init__(self, db: str, ours: Any, reference: Any, connect_ours: Callable[..., Any],
                 connect_reference: Callable[..., Any]) -> None:
        self.db = db
        self.ours = ours
        self.reference = reference
        self.connect_ours = connect_ours
        self.connect_reference = connect_reference

    def sql(self, statement: str) -> str:
        return statement.replace("{db}", self.db)

    def connect(self, **kwargs: Any) -> tuple[Any, Any]:
        """Another pair of connections (ours, MariaDB), closed at teardown. `database=""` for none.

        `connect_ours(**kwargs)` and `connect_reference(**kwargs)` open one on either side.
        """
        return self.connect_ours(**kwargs), self.connect_reference(**kwargs)

    def run(self, statements: Sequence[str], *, unordered: bool = False,
            conns: tuple[Any, Any] | None = None) -> tuple[list[Outcome], list[Outcome]]:
        """Run the statements on both servers: (ours, MariaDB's) outcomes, not compared."""
        ours_conn, ref_conn = conns or (self.ours, self.reference)
        texts = [self.sql(s) for s in statements]
        ref = [run_statement(ref_conn, s, unordered=unordered) for s in texts]
        ours = [run_statement(ours_conn, s, unordered=unordered) for s in texts]
        return ours, ref

    def check(self, statements: Sequence[str], *, unordered: bool = False, compare_columns: bool = True,
              conns: tuple[Any, Any] | None = None) -> list[Outcome]:
        """Run the statements on both servers and assert the same outcomes; returns MariaDB's.

        Every statement runs on both even after a difference, and the failure lists them all.
        """
        ours, ref = self.run(statements, unordered=unordered, conns=conns)
        differences = []
        for o, r in zip(ours, ref):
            if o.key(compare_columns=compare_columns) != r.key(compare_columns=compare_columns):
                differences.append(f"  statement: {r.statement}\n    MariaDB: {r.describe()}\n    ours:    {o.describe()}")
        if differences:
            raise DifferenceError(f"{len(differences)} of {len(ref)} statements differ from MariaDB:\n"
                                  + "\n".join(differences))
        return ref


# CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST
_UNREACHABLE = frozenset({2002, 2003, 2006, 2013})


def _mariadb_connect(**kwargs: Any) -> Any:
    params: dict[str, Any] = {"host": MARIADB_HOST, "port": MARIADB_PORT, "user": MARIADB_USER,
                              "password": MARIADB_PASSWORD, "connect_timeout": scaled(5),
                              # Else PyMySQL builds a TLS context per connection: ~20 ms of loading CA certificates.
                              "ssl_disabled": True}
    params.update(kwargs)
    return pymysql.connect(**params)


@pytest.fixture
def mariadb() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(db, connect): a private database on the reference MariaDB, and connect(**pymysql kwargs) to it.

    Connections default to the private database (`database=""` for none) and are closed at teardown;
    the database, and any database whose name starts with its name, is dropped.
    """
    try:
        admin = _mariadb_connect(autocommit=True)
    except pymysql.err.OperationalError as e:
        if e.args and e.args[0] in _UNREACHABLE:
            pytest.skip(f"the reference MariaDB at {MARIADB_HOST}:{MARIADB_PORT} is unreachable: {e}")
        raise  # reachable but refusing us (bad credentials, ...): a broken setup, not a reason to skip
    db = "app_diff_" + uuid.uuid4().hex
    conns: list[Any] = []

    def connect(**kwargs: Any) -> Any:
        kwargs.setdefault("database", db)
        if kwargs["database"] == "":
            kwargs["database"] = None
        conn = _mariadb_connect(**kwargs)
        conns.append(conn)
        return conn

    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{db}`")
        yield db, connect
    finally:
        for conn in conns:
            try:
                conn.close()
            except Exception:
                pass
        try:
            with admin.cursor() as cur:
                cur.execute("SHOW DATABASES")
                for (name,) in cur.fetchall():
                    if name.startswith(db):
                        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            admin.close()


# Why differential tests do not run under APP_TEST_SERVER_FACTORY=external (README, "Against a real
# MariaDB or MySQL", lists it with the known differences).
EXTERNAL_SKIP_REASON = ("differential test: compares app with MariaDB, but under the external factory the server "
                        "under test is MariaDB itself; the inprocess and subprocess runs compare them")


@pytest.fixture
def differ(request: pytest.FixtureRequest) -> Differ:
    """A Differ between this test's server and MariaDB, both in the private database `app_diff_<hex>`."""
    if testingshim.selected_name() == "external":
        pytest.skip(EXTERNAL_SKIP_REASON)
    db, connect_reference = request.getfixturevalue("mariadb")
    app_server: testingshim.TestServer = request.getfixturevalue("app_server")
    app = app_server.application_layer()
    with app.sql_conn(database="", autocommit=True) as admin:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{db}`")

    def connect_ours(**kwargs: Any) -> Any:
        kwargs.setdefault("database", db)
        return app.sql_conn(**kwargs)  # closed when the server stops

    return Differ(db, connect_ours(autocommit=True), connect_reference(autocommit=True), connect_ours,
                  connect_reference)

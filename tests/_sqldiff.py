"""Differential testing against MariaDB: run the same SQL on our server and on the reference.

`Differ.check(statements)` runs each statement on both servers, one after the other, through
pymysql, and asserts that every outcome is the same: for a statement that succeeds, its column
names, its rows as typed Python values (`1`, `1.0`, `Decimal('1')` and `Decimal('1.0')` differ), its row count and
`cursor.lastrowid`; for one that fails, the pymysql exception class and the MySQL error number.
Messages of errors are not compared (they name SQLite internals in places; see the reports).

`run_wire(conn, statement)` is the byte-level view the corpus (sqlcorpus.py) compares: what the text
protocol sent, before any driver converts it (column definitions with type code, flags, character set
and decimals; rows as bytes; OK packets' affected rows, insert id and warning count; errors' number and
SQLSTATE; every result of a multi-result answer such as CALL's).

Both sides work in a private database `app_diff_<uuid hex>` (the same name on both, so that
statements and information_schema rows that name it agree). `{db}` in a statement is replaced by
that name. The MariaDB database is created for the test and dropped at teardown, with any other
database whose name starts with it; our side is a server of the test's own (`app_server`).

The reference is the MariaDB server at 127.0.0.1:3306 (user root, no password); set
APP_TEST_MARIADB_HOST, APP_TEST_MARIADB_PORT, APP_TEST_MARIADB_USER, APP_TEST_MARIADB_PASSWORD
to use another. Tests that need it are skipped, saying so, when it is unreachable.
"""

from __future__ import annotations

import contextlib
import os
import struct
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pymysql
import pytest
from pymysql.constants import COMMAND, FIELD_TYPE, SERVER_STATUS
from pymysql.protocol import MysqlPacket

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


# -- the byte-level view ------------------------------------------------------------------------

_TYPE_NAMES = {v: k for k, v in vars(FIELD_TYPE).items() if k.isupper() and k not in ("CHAR", "INTERVAL")}
STRING_TYPES = frozenset({FIELD_TYPE.VARCHAR, FIELD_TYPE.VAR_STRING, FIELD_TYPE.STRING, FIELD_TYPE.TINY_BLOB,
                          FIELD_TYPE.MEDIUM_BLOB, FIELD_TYPE.LONG_BLOB, FIELD_TYPE.BLOB, FIELD_TYPE.ENUM,
                          FIELD_TYPE.SET, FIELD_TYPE.JSON})
# Types whose `decimals` a client reads: a DECIMAL's scale, a temporal value's fractional digits.
SCALED_TYPES = frozenset({FIELD_TYPE.DECIMAL, FIELD_TYPE.NEWDECIMAL, FIELD_TYPE.TIME, FIELD_TYPE.DATETIME,
                          FIELD_TYPE.TIMESTAMP})
NUMERIC_TYPES = frozenset({FIELD_TYPE.DECIMAL, FIELD_TYPE.NEWDECIMAL, FIELD_TYPE.TINY, FIELD_TYPE.SHORT,
                           FIELD_TYPE.LONG, FIELD_TYPE.INT24, FIELD_TYPE.LONGLONG, FIELD_TYPE.FLOAT, FIELD_TYPE.DOUBLE})
NOT_NULL_FLAG, UNSIGNED_FLAG = 1, 32
BINARY_CHARSET = 63


@dataclass(frozen=True)
class Column:
    """One column definition as the protocol sent it."""

    name: str
    type_code: int
    flags: int
    charsetnr: int
    length: int
    decimals: int

    def signature(self) -> tuple[Any, ...]:
        """What a client acts on, and so what the corpus compares: the type code, UNSIGNED on numbers (drivers
        widen or convert), binary or text for string types (pymysql and others return bytes or str), and decimals
        where they are a scale or fractional-second digits. Not compared: the display length (MariaDB's is
        characters times mbmaxlen, read by no driver we test) and the other flags (NOT_NULL, BINARY on numbers,
        keys; UNSIGNED on TIMESTAMP and YEAR), which clients of the text protocol do not use.
        """
        return (self.type_code, bool(self.flags & UNSIGNED_FLAG) if self.type_code in NUMERIC_TYPES else None,
                self.charsetnr == BINARY_CHARSET if self.type_code in STRING_TYPES else None,
                self.decimals if self.type_code in SCALED_TYPES else None)

    def describe(self) -> str:
        kind = _TYPE_NAMES.get(self.type_code, str(self.type_code))
        extra = []
        if self.flags & UNSIGNED_FLAG and self.type_code in NUMERIC_TYPES:
            extra.append("unsigned")
        if self.type_code in STRING_TYPES and self.charsetnr == BINARY_CHARSET:
            extra.append("binary")
        if self.type_code in SCALED_TYPES:
            extra.append(f"dec={self.decimals}")
        return f"{self.name} {kind}" + (f"({','.join(extra)})" if extra else "")


@dataclass(frozen=True)
class ResultSet:
    columns: tuple[Column, ...]
    rows: tuple[tuple[bytes | None, ...], ...]
    warnings: int


@dataclass(frozen=True)
class Ok:
    affected_rows: int
    insert_id: int
    warnings: int


@dataclass(frozen=True)
class Error:
    """A server's error packet, or a client-side failure (errno 2013, sqlstate 'CLIENT': timeout, lost)."""

    errno: int
    sqlstate: str
    message: str = ""  # not compared


Part = ResultSet | Ok | Error


class _ServerError(Exception):
    pass


class _RawPacket(MysqlPacket):  # type: ignore[misc]
    """pymysql's packet, but an error packet keeps its SQLSTATE (pymysql drops it)."""

    def raise_for_error(self) -> None:
        d = self._data
        errno = struct.unpack_from("<H", d, 1)[0]
        if d[3:4] == b"#":
            raise _ServerError(Error(errno, d[4:9].decode("ascii", "replace"), d[9:].decode("utf-8", "replace")))
        raise _ServerError(Error(errno, "", d[3:].decode("utf-8", "replace")))


def _lenc_int(d: bytes, p: int) -> tuple[int | None, int]:
    c = d[p]
    if c < 0xFB:
        return c, p + 1
    if c == 0xFB:
        return None, p + 1
    if c == 0xFC:
        return d[p + 1] | d[p + 2] << 8, p + 3
    if c == 0xFD:
        return int.from_bytes(d[p + 1:p + 4], "little"), p + 4
    return int.from_bytes(d[p + 1:p + 9], "little"), p + 9


def _lenc_bytes(d: bytes, p: int) -> tuple[bytes | None, int]:
    n, p = _lenc_int(d, p)
    if n is None:
        return None, p
    return d[p:p + n], p + n


def _read_ok(d: bytes) -> tuple[Ok, int]:
    affected, p = _lenc_int(d, 1)
    insert_id, p = _lenc_int(d, p)
    status, warnings = struct.unpack_from("<HH", d, p)
    return Ok(affected or 0, insert_id or 0, warnings), status


def _read_column(d: bytes) -> Column:
    p = 0
    fields = []
    for _ in range(6):  # catalog, schema, table, org_table, name, org_name
        value, p = _lenc_bytes(d, p)
        fields.append(value or b"")
    charsetnr, length, type_code, flags, decimals = struct.unpack_from("<xHIBHB", d, p)
    return Column(fields[4].decode("utf-8", "replace"), type_code, flags, charsetnr, length, decimals)


def run_wire(conn: Any, statement: str) -> tuple[Part, ...]:
    """Send one COM_QUERY on an open pymysql connection and read every result, as the server sent it.

    A client-side failure (a read timeout, the server closing the connection) is the last part, an
    `Error(2013, "CLIENT", ...)`; the connection is closed then, and the caller reconnects.
    """
    parts: list[Part] = []
    try:
        conn._execute_command(COMMAND.COM_QUERY, statement)
        while True:
            try:
                d = conn._read_packet(_RawPacket)._data
            except _ServerError as e:
                parts.append(e.args[0])
                return tuple(parts)
            if d[0] == 0x00:
                ok, status = _read_ok(d)
                parts.append(ok)
                if not status & SERVER_STATUS.SERVER_MORE_RESULTS_EXISTS:
                    return tuple(parts)
                continue
            if d[0] == 0xFB:  # LOCAL INFILE request: never wanted; an empty file ends it
                conn._write_bytes(b"\x00\x00\x00" + bytes([conn._next_seq_id]))
                conn._next_seq_id = (conn._next_seq_id + 1) % 256
                parts.append(Error(2068, "CLIENT", "LOAD DATA LOCAL requested"))
                continue
            count, _ = _lenc_int(d, 0)
            columns = tuple(_read_column(conn._read_packet(_RawPacket)._data) for _ in range(count or 0))
            conn._read_packet(_RawPacket)  # EOF after the column definitions
            rows: list[tuple[bytes | None, ...]] = []
            while True:
                try:
                    r = conn._read_packet(_RawPacket)._data
                except _ServerError as e:  # an error while sending rows ends the answer
                    parts.append(ResultSet(columns, tuple(rows), 0))
                    parts.append(e.args[0])
                    return tuple(parts)
                if r[0] == 0xFE and len(r) < 9:
                    warnings, status = struct.unpack_from("<HH", r, 1)
                    break
                row: list[bytes | None] = []
                p = 0
                while p < len(r):
                    value, p = _lenc_bytes(r, p)
                    row.append(value)
                rows.append(tuple(row))
            parts.append(ResultSet(columns, tuple(rows), warnings))
            if not status & SERVER_STATUS.SERVER_MORE_RESULTS_EXISTS:
                return tuple(parts)
    except (pymysql.err.OperationalError, pymysql.err.InterfaceError, pymysql.err.InternalError, OSError) as e:
        try:
            conn._force_close()
        except Exception:
            pass
        parts.append(Error(2013, "CLIENT", f"{type(e).__name__}: {e}"))
        return tuple(parts)


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
        for o, r in zip(ours, ref, strict=True):
            if o.key(compare_columns=compare_columns) != r.key(compare_columns=compare_columns):
                differences.append(f"  statement: {r.statement}\n    MariaDB: {r.describe()}\n"
                                   f"    ours:    {o.describe()}")
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


_down: list[str] = []  # why the reference MariaDB was found unreachable, once a probe gave up on it


def mariadb_unreachable() -> str | None:
    """Why the reference MariaDB cannot be used (a one-line reason to skip with), or None when it answers.

    A refused or timed-out connect is retried for up to 20 s (scaled): on a loaded machine MariaDB may miss
    one connect, and skipping every differential test for it would let a CI run pass without them. Once a
    probe has given up, later ones answer at once. Under APP_TEST_REQUIRE_CLIENTS (CI, which makes sure
    MariaDB is up) an unreachable MariaDB fails the test instead of skipping it.
    Reachable but refusing us (bad credentials, ...) is a broken setup, not a reason to skip: that raises.
    """
    if not _down:
        deadline = time.monotonic() + scaled(20)
        while True:
            try:
                _mariadb_connect().close()
                return None
            except pymysql.err.OperationalError as e:
                if not (e.args and e.args[0] in _UNREACHABLE):
                    raise
                if time.monotonic() >= deadline:
                    _down.append(f"the reference MariaDB at {MARIADB_HOST}:{MARIADB_PORT} is unreachable: {e}")
                    break
            time.sleep(0.5)  # polling the reference server's port: nothing to wait on but the port itself
    if os.environ.get("APP_TEST_REQUIRE_CLIENTS"):
        pytest.fail(f"{_down[0]} (APP_TEST_REQUIRE_CLIENTS is set: differential tests must run)")
    return _down[0]


@contextlib.contextmanager
def mariadb_database(prefix: str = "app_diff_") -> Iterator[tuple[str, Callable[..., Any]]]:
    """(db, connect): a private database `<prefix><uuid hex>` on the reference MariaDB, and connect(**kwargs).

    Connections default to the private database (`database=""` for none) and are closed on exit; the
    database, and any database whose name starts with its name, is dropped.
    """
    admin = _mariadb_connect(autocommit=True)
    db = prefix + uuid.uuid4().hex
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


@pytest.fixture
def mariadb() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(db, connect): a private database on the reference MariaDB, and connect(**pymysql kwargs) to it.

    Connections default to the private database (`database=""` for none) and are closed at teardown;
    the database, and any database whose name starts with its name, is dropped.
    """
    reason = mariadb_unreachable()
    if reason is not None:
        pytest.skip(reason)
    with mariadb_database() as pair:
        yield pair


# Why differential tests do not run under APP_TEST_SERVER_FACTORY=external (README, "Against a real
# MariaDB or MySQL", lists it with the known differences).
EXTERNAL_SKIP_REASON = ("differential test: compares app with MariaDB, but under the external factory the server "
                        "under test is MariaDB itself; the inprocess and subprocess runs compare them")


def differ_on(app: Any, db: str, connect_reference: Callable[..., Any]) -> Differ:
    """A Differ between an app server's application layer and MariaDB, in the database `db` (made on app's side
    here; MariaDB's must exist, from `mariadb_database`)."""
    with app.sql_conn(database="", autocommit=True) as admin:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{db}`")

    def connect_ours(**kwargs: Any) -> Any:
        kwargs.setdefault("database", db)
        return app.sql_conn(**kwargs)  # closed when the server stops

    return Differ(db, connect_ours(autocommit=True), connect_reference(autocommit=True), connect_ours,
                  connect_reference)


@pytest.fixture
def differ(request: pytest.FixtureRequest) -> Differ:
    """A Differ between this test's server and MariaDB, both in the private database `app_diff_<hex>`."""
    if testingshim.selected_name() == "external":
        pytest.skip(EXTERNAL_SKIP_REASON)
    db, connect_reference = request.getfixturevalue("mariadb")
    app_server: testingshim.TestServer = request.getfixturevalue("app_server")
    return differ_on(app_server.application_layer(), db, connect_reference)

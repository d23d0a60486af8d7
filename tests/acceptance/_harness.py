"""Acceptance tests: a real client tool run against app and against MariaDB, and the results compared.

A test writes its scenario once, as a function of a `Target` (where to connect: host, port, user,
a private database), that drives the tool, asserts what must hold on any MySQL, and returns what
it observed as plain data. `Sides.compare(scenario)` runs it on the reference MariaDB first (a
failure there is a plain test failure: the test or the tool is wrong), then on the test's own
server from the selected factory, and asserts that both observed the same.

The app side may fail today for a reason that issue 13 records. tests/acceptance/conftest.py
lists each such test in APP_KNOWN_FAILURES with the issue's row and a pattern of the error app
gives; the test is then a strict xfail, and only for that error: app failing in another way fails
the test (the entry is out of date), and app passing fails it too (XPASS(strict): remove the entry).

Under APP_TEST_SERVER_FACTORY=external the test's own server is itself a private database on
MariaDB, so the scenario runs once, there, with its assertions, and there is nothing to compare.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pymysql
import pytest

from app.testingshim import scaled

T = TypeVar("T")

#: CI sets this (.ci/run): a missing client tool fails the test instead of skipping it.
ENV_REQUIRE = "APP_TEST_REQUIRE_CLIENTS"
CLIENTS_EXTRA = "pip install -e '.[clients]'"
_SETPRIV = shutil.which("setpriv")


@dataclass(frozen=True)
class KnownFailure:
    """A test that fails on app today, as issue 13 records it.

    Attributes:
        row: the row of issue 13's table (or the part of its "What to build") this is.
        error: a regular expression that the app side's error (`Type: message`) must match.
        diagnosis: what app gets wrong, in a sentence (the full diagnosis is in the report).
    """

    row: str
    error: str
    diagnosis: str

    def reason(self) -> str:
        return (f"issue 13, {self.row}: {self.diagnosis} (expected error /{self.error}/; remove this test's "
                f"entry from APP_KNOWN_FAILURES in tests/acceptance/conftest.py once app passes)")


class AppKnownFailure(Exception):
    """The app side failed with the error that APP_KNOWN_FAILURES records (the test's strict xfail)."""


class ToolFailed(AssertionError):
    """A client program exited with an error: its command line, exit code and output."""

    def __init__(self, argv: Sequence[str], returncode: int | None, output: str) -> None:
        self.argv = list(argv)
        self.returncode = returncode
        self.output = output
        super().__init__(str(self))

    def __str__(self) -> str:
        tail = "\n".join(self.output.strip().splitlines()[-25:])
        status = "timed out" if self.returncode is None else f"exited with {self.returncode}"
        return f"{' '.join(self.argv)} {status}:\n{tail}"


def missing(what: str, install: str) -> None:
    """Skip (or, when CI requires every client, fail) because a tool is absent; one line naming the fix."""
    __tracebackhide__ = True
    message = f"{what} is not installed: {install}"
    if os.environ.get(ENV_REQUIRE):
        pytest.fail(f"{message} ({ENV_REQUIRE} is set, so every acceptance test must run)", pytrace=False)
    pytest.skip(message, allow_module_level=True)


def require_module(module: str, package: str) -> Any:
    """Import `module` from the `clients` extra's `package`, or skip naming the install command."""
    __tracebackhide__ = True
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        missing(package, CLIENTS_EXTRA)


def require_program(program: str, apt_package: str) -> str:
    """The path of `program`, or skip naming the apt package that has it."""
    __tracebackhide__ = True
    path = shutil.which(program)
    if path is None:
        missing(f"{program} (apt package {apt_package})",
                f"apt-get install {apt_package} (.ci/clients-up installs every one)")
    return str(path)


def run_tool(argv: Sequence[str], *, stdin: bytes | None = None, timeout: float = 60.0,
             env: dict[str, str] | None = None, cwd: str | None = None) -> bytes:
    """Run a client program to completion; its stdout (bytes: a dump holds BLOBs), or ToolFailed with its output.

    The deadline (scaled) bounds a tool that hangs on a server that misframes a packet; the process
    is killed then. Where util-linux's setpriv is present the tool also gets SIGKILL when the test
    process dies (PR_SET_PDEATHSIG), so that a killed pytest leaves no client running.
    """
    command = [_SETPRIV, "--pdeathsig", "KILL", "--", *argv] if _SETPRIV else list(argv)
    try:
        proc = subprocess.run(command, input=stdin, capture_output=True, timeout=scaled(timeout), env=env,
                              cwd=cwd, check=False)
    except subprocess.TimeoutExpired as e:  # run() killed and reaped it
        out = (e.stdout or b"") + (e.stderr or b"")
        raise ToolFailed(argv, None, out.decode(errors="replace")) from None
    if proc.returncode != 0:
        raise ToolFailed(argv, proc.returncode, (proc.stdout + proc.stderr).decode(errors="replace"))
    return proc.stdout


@dataclass
class Target:
    """Where a scenario connects: a server and a private database on it (the same name on both sides).

    `side` is "mariadb" for the reference and "app" for the test's own server (which is MariaDB too
    under the external factory). `connect()` opens a pymysql connection (closed at teardown) for
    setting up and inspecting what the tool did.
    """

    side: str
    host: str
    port: int
    user: str
    password: str
    database: str
    _conns: list[Any] = field(default_factory=list, repr=False)

    def url(self, driver: str, database: str | None = None, **query: str) -> str:
        """A SQLAlchemy URL, e.g. `mysql+pymysql://root@127.0.0.1:3306/db?charset=utf8mb4`."""
        auth = self.user + (f":{self.password}" if self.password else "")
        params = {"charset": "utf8mb4", **query}
        text = "&".join(f"{k}={v}" for k, v in params.items())
        return f"mysql+{driver}://{auth}@{self.host}:{self.port}/{database or self.database}?{text}"

    def connect(self, database: str | None = None, **kwargs: Any) -> Any:
        params: dict[str, Any] = {"host": self.host, "port": self.port, "user": self.user,
                                  "password": self.password, "database": database or self.database,
                                  "connect_timeout": scaled(5), "read_timeout": scaled(30), "ssl_disabled": True,
                                  "autocommit": True, "charset": "utf8mb4"}
        params.update(kwargs)
        conn = pymysql.connect(**params)
        self._conns.append(conn)
        return conn

    def query(self, sql: str, args: Any = None, database: str | None = None) -> list[tuple[Any, ...]]:
        """Rows of one statement, on a fresh autocommit connection."""
        conn = self.connect(database)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, args)
                return [tuple(r) for r in cur.fetchall()]
        finally:
            conn.close()

    def create_database(self, suffix: str) -> str:
        """Another database beside the private one, `<database>_<suffix>`, dropped with it."""
        name = f"{self.database}_{suffix}"
        with self.connect().cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
        return name

    def cli_args(self) -> list[str]:
        """Connection options for the mariadb and mariadb-dump programs (no option files read)."""
        args = ["--no-defaults", f"--host={self.host}", f"--port={self.port}", f"--user={self.user}",
                "--protocol=TCP", "--skip-ssl"]
        if self.password:
            args.append(f"--password={self.password}")
        return args

    def close(self) -> None:
        conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(Exception):
                conn.close()


def plain(value: Any) -> Any:
    """A value as comparable plain data that keeps its type: 1, 1.0, Decimal('1.0') and '1' differ."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return f"Decimal({value})"
    if isinstance(value, (bytes, bytearray)):
        return f"bytes({bytes(value).hex()})"
    if isinstance(value, (datetime, date, time, timedelta)):
        return f"{type(value).__name__}({value.isoformat() if hasattr(value, 'isoformat') else value})"
    return value


class Sides:
    """The two sides of an acceptance test: `mariadb` (None under the external factory) and `app`."""

    def __init__(self, app: Target, mariadb: Target | None, known: KnownFailure | None) -> None:
        self.app = app
        self.mariadb = mariadb
        self.known = known

    @property
    def targets(self) -> list[Target]:
        """The reference first, then app."""
        return [t for t in (self.mariadb, self.app) if t is not None]

    def compare(self, scenario: Callable[[Target], T], *, what: str = "the scenario's observations") -> T:
        """Run `scenario` on MariaDB, then on app, and assert that both returned the same.

        Returns MariaDB's result (app's under the external factory).
        """
        __tracebackhide__ = True
        reference = self.run_on(self.mariadb, scenario) if self.mariadb is not None else None
        with self.app_side():
            observed = self.run_on(self.app, scenario)
            if self.mariadb is not None:
                assert observed == reference, f"app and MariaDB differ in {what}"
        return reference if self.mariadb is not None else observed  # type: ignore[return-value]

    @staticmethod
    def run_on(target: Target, scenario: Callable[[Target], T]) -> T:
        """`scenario(target)`; an exception says which side it came from."""
        __tracebackhide__ = True
        try:
            return scenario(target)
        except Exception as e:
            e.add_note(f"(on the {target.side} side: {target.host}:{target.port}, database {target.database})")
            raise

    @contextlib.contextmanager
    def app_side(self) -> Iterator[None]:
        """Code that talks to app: an error there is checked against the test's APP_KNOWN_FAILURES entry."""
        __tracebackhide__ = True
        try:
            yield
        except Exception as e:
            known = self.known
            if known is None:
                raise
            text = f"{type(e).__name__}: {e}"
            if not re.search(known.error, text, re.DOTALL):
                raise AssertionError(
                    f"app fails differently from what APP_KNOWN_FAILURES (tests/acceptance/conftest.py) records for "
                    f"this test ({known.row}): update the entry.\n  recorded: /{known.error}/\n  now: {text}") from e
            raise AppKnownFailure(f"{known.row}: {text}") from e

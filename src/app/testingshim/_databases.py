"""Private databases on a shared server: unique names, creation, and dropping what a test made.

A test that keeps to its own database cannot collide with any other test, in its process, in
another xdist worker, or in another run using the same server, if that database's name is unique
across all of them. The names here carry 64 random bits, so they are.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from types import TracebackType
from typing import Any

from ._protocols import TestServer

#: Every private database's name starts with this, so that leftovers are easy to find.
PREFIX = "apptest_"
_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_MAX_NAME = 64  # MySQL's limit for a database name


def unique_database_name(base: str = "db") -> str:
    """`apptest_<16 hex digits>_<base>`: unique across processes, workers and runs; at most 64 characters.

    `base` (cut to what fits, characters other than letters, digits and `_` replaced) only helps a
    reader tell the databases apart.
    """
    stem = f"{PREFIX}{secrets.token_hex(8)}_"
    return stem + _UNSAFE.sub("_", base)[: _MAX_NAME - len(stem)]


def quote_name(name: str) -> str:
    """`name` as a MySQL identifier in backquotes."""
    return "`" + name.replace("`", "``") + "`"


def drop_database_tree(cursor: Any, name: str) -> list[str]:
    """Drop `name` and every database named `<name>_...` (the ones a test made beside its own).

    Returns the names dropped. `cursor` is a DB-API cursor on the server, autocommit on.
    """
    pattern = name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "\\_%"
    cursor.execute("SHOW DATABASES LIKE %s", (pattern,))
    names = [name, *(str(row[0]) for row in cursor.fetchall())]
    for n in names:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote_name(n)}")
    return names


class TestDatabase:
    """A private database on a (shared) test server: created by `new_test_database`, dropped by `drop()`.

    Connections from `sql_conn()` select it and are closed by `drop()`. A context manager, like
    servers. `keep_for_debugging()` (the pytest plugin calls it when the test failed) leaves the
    database in place at `drop()` and returns a line naming it.
    """

    __test__ = False

    def __init__(self, server: TestServer, name: str) -> None:
        self.server = server
        self.name = name
        self._conns: list[Any] = []
        self._dropped = False
        self._keep = False

    def sql_conn(self, **kwargs: Any) -> Any:
        """An open DB-API (pymysql) connection with this database selected; closed by `drop()`."""
        kwargs.setdefault("database", self.name)
        conn = self.server.application_layer().sql_conn(**kwargs)
        self._conns.append(conn)
        return conn

    def keep_for_debugging(self) -> str:
        """Do not drop the database (the test failed); returns a line saying where it is."""
        if self._dropped:
            return ""
        self._keep = True
        host, port = self.server.application_layer().sql_addr
        until = "" if self.server.factory_name == "external" else " until the shared server stops"
        return (f"kept database {self.name} on {host}:{port} for inspection{until} (the test failed); "
                f"drop it with: DROP DATABASE {quote_name(self.name)}")

    def drop(self) -> None:
        """Close this database's connections and drop it (with `<name>_...`), unless kept. Idempotent."""
        conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(Exception):
                conn.close()
        if self._dropped or self._keep:
            return
        self._dropped = True
        admin = self.server.application_layer().sql_conn(database="", autocommit=True)
        try:
            with admin.cursor() as cur:
                drop_database_tree(cur, self.name)
        finally:
            admin.close()

    def __enter__(self) -> TestDatabase:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.drop()

    def __repr__(self) -> str:
        return f"<TestDatabase {self.name} on {self.server.factory_name}>"


def new_test_database(server: TestServer, base: str = "db") -> TestDatabase:
    """Create a private database (a unique name, see `unique_database_name`) on `server`.

    Example::

        with testingshim.new_test_database(shared_server) as db:
            conn = db.sql_conn(autocommit=True)
    """
    name = unique_database_name(base)
    admin = server.application_layer().sql_conn(database="", autocommit=True)
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE {quote_name(name)}")
    finally:
        admin.close()
    return TestDatabase(server, name)

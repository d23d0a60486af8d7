"""The `external` factory: private databases on a MySQL-protocol server named by APP_TEST_MYSQL_URL.

The server it points at is this test's own `app_server` (under the external run, MariaDB itself),
so these tests run under every factory.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pymysql
import pytest

from app import testingshim
from app.testing import ExternalFactory
from app.testingshim import TestServerArgs

ENV_URL = "APP_TEST_MYSQL_URL"


def url_of(server: testingshim.TestServer) -> str:
    """A URL for the external factory that reaches `server` (the external run's own URL under it)."""
    if server.factory_name == "external":
        return os.environ[ENV_URL]
    host, port = server.application_layer().sql_addr
    return f"mysql://root@{host}:{port}"


def databases(admin: Any, like: str) -> list[str]:
    with admin.cursor() as cur:
        cur.execute("SHOW DATABASES LIKE %s", (like,))
        return sorted(r[0] for r in cur.fetchall())


@pytest.fixture
def target(app_server: testingshim.TestServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """APP_TEST_MYSQL_URL pointed at this test's server; yields an admin connection (no database) to it."""
    monkeypatch.setenv(ENV_URL, url_of(app_server))
    yield app_server.application_layer().sql_conn(database="", autocommit=True)


def test_each_server_gets_its_own_database_dropped_at_stop(target: Any) -> None:
    factory = ExternalFactory()
    a = factory.new_server(TestServerArgs(database="shop"), name="external")
    b = factory.new_server(TestServerArgs(database="shop"), name="external")
    a.start()
    b.start()
    try:
        assert a.database != b.database and "shop" in a.database and "shop" in b.database
        assert len(a.database) <= 64
        for srv, rows in ((a, [(1,), (2,)]), (b, [(7,)])):
            conn = srv.application_layer().sql_conn(autocommit=True)
            with conn.cursor() as cur:
                cur.execute("SELECT DATABASE()")
                assert cur.fetchone() == (srv.database,)
                cur.execute("CREATE TABLE items (id INT PRIMARY KEY)")  # the same name in both: no collision
                cur.executemany("INSERT INTO items VALUES (%s)", rows)
                cur.execute("SELECT id FROM items ORDER BY id")
                assert cur.fetchall() == tuple(rows)
        with a.application_layer().sql_conn(autocommit=True).cursor() as cur:
            cur.execute(f"CREATE DATABASE `{a.database}_beside`")  # a test's extra database goes with it
        assert databases(target, a.database + "%") == [a.database, a.database + "_beside"]
    finally:
        a.stop()
        b.stop()
    a.stop()  # idempotent
    assert databases(target, a.database + "%") == []
    assert databases(target, b.database + "%") == []


def test_layers_it_cannot_offer_raise_unsupported(target: Any) -> None:
    factory = ExternalFactory()
    with factory.new_server(TestServerArgs(), name="external") as srv:
        for call in (srv.storage_layer, srv.system_layer, srv.restart):
            with pytest.raises(testingshim.UnsupportedByFactory, match="'external'"):
                call()
    # A server of the test's own, configured its way: a skip with the reason, not a failure.
    for args, what in ((TestServerArgs(users=(("alice", "pw"),)), "accounts"),
                       (TestServerArgs(config={"log_level": "debug"}), "server configuration"),
                       (TestServerArgs(modules=(object(),)), "injector modules")):
        with pytest.raises(testingshim.RequirementNotMet, match=f"needs {what}.*'external'"):
            factory.new_server(args, name="external")


def test_leaving_with_on_an_exception_keeps_the_database(target: Any) -> None:
    srv = ExternalFactory().new_server(TestServerArgs(), name="external")
    srv.start()
    with pytest.raises(ZeroDivisionError):
        with srv:
            raise ZeroDivisionError("the test fails")
    try:
        assert databases(target, srv.database) == [srv.database]
        assert "kept" in srv.log_text()
    finally:
        with target.cursor() as cur:
            cur.execute(f"DROP DATABASE `{srv.database}`")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again at once: nothing listens there


def test_unset_malformed_or_unreachable_url_fails_with_one_line(pytester: pytest.Pytester,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest("from app import testingshim\nfrom app.testing import ExternalFactory\n"
                          "testingshim.init_test_server_factory(ExternalFactory(), name='external')\n")
    pytester.makepyfile(f"""
        import pytest

        def test_unset(app_server):
            pass

        def test_malformed(monkeypatch, app_server_factory):
            monkeypatch.setenv("{ENV_URL}", "postgres://x")
            app_server_factory()

        def test_unreachable(monkeypatch, app_server_factory):
            monkeypatch.setenv("{ENV_URL}", "mysql://root@127.0.0.1:{_closed_port()}")
            app_server_factory()
    """)
    monkeypatch.delenv(ENV_URL, raising=False)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--app-server-factory", "external")
    result.assert_outcomes(errors=1, failed=2)
    result.stdout.fnmatch_lines([
        f"ExternalServerUnavailable: {ENV_URL} is not set: the external test server factory needs*{ENV_URL}=mysql://*",
        f"ExternalServerUnavailable: {ENV_URL}='postgres://x' is not a MySQL URL*",
        f"ExternalServerUnavailable: {ENV_URL}=mysql://root@127.0.0.1:* is unreachable*",
    ])
    result.stdout.fnmatch_lines(["*app: external server: UNUSABLE: *is not set*"])
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.no_fnmatch_line("*_external.py*")  # no traceback into the factory


def test_failed_test_keeps_its_database_and_the_report_names_it(pytester: pytest.Pytester, target: Any,
                                                                app_server: testingshim.TestServer) -> None:
    pytester.makeconftest("from app import testingshim\nfrom app.testing import ExternalFactory\n"
                          "testingshim.init_test_server_factory(ExternalFactory(), name='external')\n")
    pytester.makepyfile("""
        def test_fails(app_server):
            conn = app_server.application_layer().sql_conn(autocommit=True)
            with conn.cursor() as cur:
                cur.execute("CREATE TABLE evidence (id INT)")
            print("DB failed", app_server.application_layer().database)
            assert False, "look at the evidence"

        def test_passes(app_server):
            print("DB passed", app_server.application_layer().database)

        def test_fails_on_the_shared_server(app_database):
            print("DB private", app_database.name)
            assert False
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA", "--app-server-factory", "external")
    result.assert_outcomes(passed=1, failed=2)
    names = dict(line.split()[1:3] for line in result.outlines if line.startswith("DB "))
    assert len(names) == 3, result.outlines
    failed_db, passed_db, private_db = names["failed"], names["passed"], names["private"]
    try:
        result.stdout.fnmatch_lines([f"*kept database {failed_db} on *for inspection (the test failed)*"])
        result.stdout.fnmatch_lines([f"*kept database {private_db} on *for inspection (the test failed)*"])
        # Only the failed tests' own databases: not the worker's shared server's.
        assert len([line for line in result.outlines if line.startswith("kept database")]) == 2, result.outlines
        assert databases(target, failed_db) == [failed_db]
        assert databases(target, private_db) == [private_db]
        assert databases(target, passed_db) == []
        with target.cursor() as cur:
            cur.execute(f"SHOW TABLES FROM `{failed_db}`")
            assert cur.fetchall() == (("evidence",),)
    finally:
        with target.cursor() as cur:
            for name in (failed_db, private_db):
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


def test_wrong_credentials_are_the_servers_error_not_unreachable(target: Any, monkeypatch: pytest.MonkeyPatch,
                                                                 app_server: testingshim.TestServer) -> None:
    # Reachable but refusing us is a broken setup: the server's own error, not "unreachable".
    host, port = app_server.application_layer().sql_addr
    monkeypatch.setenv(ENV_URL, f"mysql://nosuch:wrong@{host}:{port}")
    with pytest.raises(pymysql.err.OperationalError) as info:
        ExternalFactory().new_server(TestServerArgs(), name="external").start()
    assert info.value.args[0] == 1045

"""The execution model: a long statement stalls nobody else, every statement can be stopped, limits hold."""

from __future__ import annotations

import struct
import threading
import time
from collections.abc import Callable
from typing import Any

import pymysql
import pytest

from _rawmysql import Raw, error_code
from app import testingshim
from app.testingshim import scaled, wait_for

# Runs for minutes unless stopped (SQLite steps it; nothing in it sleeps).
RUNAWAY = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000000000) SELECT COUNT(*) FROM r"


class Background:
    """A statement run on its own connection in a thread; `outcome` is its rows or its exception."""

    def __init__(self, conn: Any, sql: str) -> None:
        self.conn = conn
        self.sql = sql
        self.outcome: Any = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self.conn.cursor() as cur:
                cur.execute(self.sql)
                self.outcome = cur.fetchall()
        except Exception as e:
            self.outcome = e

    def join(self) -> Any:
        self.thread.join(scaled(10))
        assert not self.thread.is_alive(), f"{self.sql!r} did not end"
        return self.outcome



def _app_only() -> None:
    """These tests drive app's own runaway statement (a recursive CTE that MariaDB's
    max_recursive_iterations ends at once) or change server-wide limits (max_connections,
    wait_timeout) that a private database on the shared MariaDB must leave alone."""
    if testingshim.selected_name() == "external":
        pytest.skip("app's own execution limits: under the external factory the server is the shared MariaDB")



def running(conn: Any, target_id: int) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = %s", (target_id,))
        return cur.fetchall() == (("Query",),)


def _runaway(connect: Callable[..., Any]) -> tuple[Any, Any, int, Background]:
    """(victim, admin, the victim's id, its runaway statement), once the statement runs."""
    _app_only()
    victim, admin = connect(), connect()
    victim_id = victim.thread_id()
    bg = Background(victim, RUNAWAY)
    wait_for(lambda: running(admin, victim_id), "the statement to run")
    return victim, admin, victim_id, bg


def test_kill_query_stops_a_runaway_statement_and_the_connection_goes_on(connect: Callable[..., Any]) -> None:
    victim, admin, victim_id, bg = _runaway(connect)
    with admin.cursor() as cur:
        started = time.monotonic()
        cur.execute("SELECT 1")  # answered at once while the other connection's statement runs
        assert time.monotonic() - started < scaled(0.5)
        cur.execute("SHOW FULL PROCESSLIST")
        assert any(row[0] == victim_id and row[4] == "Query" and row[7] == RUNAWAY for row in cur.fetchall())
        cur.execute(f"KILL QUERY {victim_id}")
    outcome = bg.join()
    assert isinstance(outcome, pymysql.err.OperationalError) and outcome.args[0] == 1317, outcome
    with victim.cursor() as cur:
        cur.execute("SELECT 2")
        assert cur.fetchall() == ((2,),)


def test_kill_connection_closes_it(connect: Callable[..., Any]) -> None:
    _, admin, victim_id, bg = _runaway(connect)
    with admin.cursor() as cur:
        cur.execute(f"KILL {victim_id}")
    assert isinstance(bg.join(), pymysql.err.OperationalError)
    with admin.cursor() as cur:
        wait_for(lambda: not cur.execute("SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = %s", (victim_id,)),
                 "the killed connection to go")
        with pytest.raises(pymysql.err.OperationalError) as e:
            cur.execute("KILL 987654")
        assert e.value.args[0] == 1094


def test_max_statement_time_and_the_hint_stop_statements_with_1969(connect: Callable[..., Any]) -> None:
    _app_only()
    conn = connect()
    with conn.cursor() as cur:
        cur.execute("SET SESSION max_statement_time = 0.2")
        cur.execute("SELECT @@max_statement_time")
        assert cur.fetchall() == ((0.2,),)
        with pytest.raises(pymysql.err.OperationalError) as e:
            cur.execute(RUNAWAY)
        assert e.value.args == (1969, "Query execution was interrupted (max_statement_time exceeded)")
        cur.execute("SET SESSION max_statement_time = 0")
        hinted = RUNAWAY.replace("SELECT COUNT(*)", "SELECT /*+ MAX_EXECUTION_TIME(200) */ COUNT(*)")
        with pytest.raises(pymysql.err.OperationalError) as e:
            cur.execute(hinted)
        assert e.value.args[0] == 1969
        cur.execute("SELECT /*+ MAX_EXECUTION_TIME(5000) */ 1")
        assert cur.fetchall() == ((1,),)


def test_connect_timeout_closes_a_silent_socket(app_server: testingshim.TestServer,
                                                connect: Callable[..., Any]) -> None:
    admin = connect()
    with admin.cursor() as cur:
        cur.execute("SET GLOBAL connect_timeout = 1")
    try:
        with Raw(*app_server.application_layer().sql_addr) as raw:
            raw.packet()  # the greeting; then say nothing
            assert raw.closed_by_server(3.0)
    finally:
        with admin.cursor() as cur:
            cur.execute("SET GLOBAL connect_timeout = 10")


def test_wait_timeout_closes_an_idle_connection(connect: Callable[..., Any]) -> None:
    _app_only()
    conn = connect()
    with conn.cursor() as cur:
        cur.execute("SET SESSION wait_timeout = 1")
    conn._sock.settimeout(scaled(3.0))
    assert conn._sock.recv(1) == b""  # the server hung up


def test_max_connections_and_max_prepared_stmt_count(app_server: testingshim.TestServer,
                                                     connect: Callable[..., Any]) -> None:
    _app_only()
    admin = connect()
    host, port = app_server.application_layer().sql_addr
    def count() -> int:
        with admin.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST")
            (n,), = cur.fetchall()
            return int(n)

    # A connection that is closing (the factory's readiness check, an earlier test's) still counts for a
    # moment, and would free its slot after the limit is set: wait until only this test's admin is left.
    wait_for(lambda: count() == 1, "the server's other connections to close")
    with admin.cursor() as cur:
        cur.execute("SET GLOBAL max_connections = %s", (2,))
    try:
        connect()
        connect()  # one more than max_connections, as MariaDB lets in
        with Raw(host, port) as raw:
            reply, seq = raw.packet()
            assert (error_code(reply), seq) == (1040, 0)
    finally:
        with admin.cursor() as cur:
            cur.execute("SET GLOBAL max_connections = 151")
    with admin.cursor() as cur:
        cur.execute("SET GLOBAL max_prepared_stmt_count = 1")
    try:
        with Raw(host, port) as raw:
            raw.login()
            reply, _ = raw.command(b"\x16SELECT 1")
            assert reply[0] == 0 and struct.unpack("<I", reply[1:5])[0] > 0
            raw.packet()  # the column definition (CLIENT_DEPRECATE_EOF not asked: then EOF)
            raw.packet()
            reply, _ = raw.command(b"\x16SELECT 2")
            assert error_code(reply) == 1461
    finally:
        with admin.cursor() as cur:
            cur.execute("SET GLOBAL max_prepared_stmt_count = 16382")

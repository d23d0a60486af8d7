"""A killed in-process server ends what it started, as a killed process would: every statement, every thread.

`TestServer.kill()` is the in-process SIGKILL. A statement that another connection was running
(a long SLEEP, a runaway recursive CTE) must not go on in the test's process after it, nor may any
thread of the node (its connections', its statement watchdog) outlive it: the leak check would
blame whichever test ran next, and a restarted node would share the process with the dead one's work.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import pymysql
import pytest

from app import testingshim
from app.server.testing import InProcessFactory, InProcessTestServer

RUNAWAY = {
    "sleep": "SELECT SLEEP(30)",
    "recursive CTE": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r",
}


@pytest.fixture
def server() -> Iterator[InProcessTestServer]:
    srv = InProcessFactory().new_server(testingshim.TestServerArgs(), name="inprocess")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def _start_statement(server: InProcessTestServer, sql: str) -> threading.Thread:
    """Run `sql` on a connection of its own, in a client thread; wait until the server runs it."""
    conn = server.application_layer().sql_conn()

    def client() -> None:
        # The kill's lost connection (or the interrupted statement's error) is the expected end.
        with contextlib.suppress(pymysql.MySQLError), conn.cursor() as cur:
            cur.execute(sql)

    thread = threading.Thread(target=client, name="test-client")
    thread.start()
    admin = server.application_layer().sql_conn()
    with admin.cursor() as cur:
        def running() -> bool:
            cur.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = %s", (sql,))
            return bool(cur.fetchone()[0])

        testingshim.wait_for(running, what="the statement to run", timeout=10)
    admin.close()
    return thread


def _node_threads(before: set[threading.Thread]) -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t not in before and t.name != "test-client")


@pytest.mark.parametrize("sql", RUNAWAY.values(), ids=RUNAWAY.keys())
def test_kill_ends_a_running_statement_and_every_thread(server: InProcessTestServer, sql: str) -> None:
    before = set(threading.enumerate()) - {t for t in threading.enumerate() if t.name.startswith("app-")}
    thread = _start_statement(server, sql)
    began = time.monotonic()
    server.kill()
    # Nothing of the node goes on when kill() returns: its statement was stopped, its threads ended (a
    # SLEEP, or a CTE that never ends, would otherwise run on in this process), promptly: SLEEP's own
    # end (5 s at most) is not soon enough.
    assert not _node_threads(before), f"still running after kill(): {_node_threads(before)}"
    assert time.monotonic() - began < 3
    thread.join(10)
    assert not thread.is_alive(), "the client still waits for its statement"


def test_kill_then_restart_serves_again(server: InProcessTestServer) -> None:
    before = set(threading.enumerate()) - {t for t in threading.enumerate() if t.name.startswith("app-")}
    thread = _start_statement(server, RUNAWAY["sleep"])
    server.kill()
    thread.join(10)
    server.start()
    with server.application_layer().sql_conn().cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    server.stop()
    testingshim.wait_for(lambda: not _node_threads(before), what="the node's threads to end", timeout=10,
                         detail=lambda: f"still running: {_node_threads(before)}")


def test_stop_ends_the_statement_watchdog(server: InProcessTestServer) -> None:
    """The watchdog thread starts with the first statement it must stop; a stop (graceful) ends it too."""
    before = set(threading.enumerate()) - {t for t in threading.enumerate() if t.name.startswith("app-")}
    with server.application_layer().sql_conn().cursor() as cur:
        cur.execute("SET SESSION max_statement_time = 0.05")
        with pytest.raises(pymysql.err.OperationalError):
            cur.execute(RUNAWAY["recursive CTE"])
    assert any(t.name == "app-watchdog" for t in threading.enumerate())
    server.stop()
    assert not _node_threads(before)

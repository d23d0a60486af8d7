"""One check every TestServerFactory must pass (as trio's check_two_way_stream checks streams)."""

from __future__ import annotations

import tempfile
import threading
import time

from ._args import TestServerArgs
from ._protocols import ApplicationLayer, TestServerFactory
from ._timeouts import scaled


def _count(app: ApplicationLayer, table: str) -> int:
    conn = app.sql_conn()
    with conn.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        row = cur.fetchone()
    conn.close()
    return int(row[0])


def check_test_server_factory(factory: TestServerFactory, name: str) -> None:
    """Start, connect, query, restart (where supported), stop twice; no thread left running.

    Raises AssertionError naming the factory and the step that failed.
    """
    __tracebackhide__ = True
    threads_before = set(threading.enumerate())
    with tempfile.TemporaryDirectory(prefix="app-conformance-") as data_dir:
        args = TestServerArgs(database="conformance", data_dir=data_dir)
        server = factory.new_server(args, name=name)
        server.start()
        try:
            app = server.application_layer()
            host, port = app.sql_addr
            assert isinstance(host, str) and 0 < port < 65536, f"{name}: sql_addr {app.sql_addr!r}"
            conn = app.sql_conn()
            with conn.cursor() as cur:
                cur.execute("SELECT DATABASE()")
                # The external factory names the database uniquely on its shared server; others keep the name.
                assert cur.fetchone() == (app.database,), f"{name}: sql_conn() must select the default database"
                assert "conformance" in app.database, f"{name}: default database {app.database!r} lost its name"
                cur.execute("CREATE TABLE c (id INT PRIMARY KEY, v VARCHAR(10))")
                cur.execute("INSERT INTO c VALUES (1, 'one'), (2, 'two')")
            conn.commit()
            assert _count(app, "c") == 2, f"{name}: rows written are not read back"
            if "restart" in factory.capabilities:
                server.restart()
                app = server.application_layer()
                assert _count(app, "c") == 2, f"{name}: data in data_dir did not survive restart()"
        finally:
            server.stop()
            server.stop()  # idempotent
    # A server's connection thread ends once it has seen its client go, a moment after the client
    # closed: wait for that (bounded) rather than call a thread that is on its way out a leak.
    left = set(threading.enumerate()) - threads_before
    deadline = time.monotonic() + scaled(2.0)
    for thread in left:
        thread.join(max(0.0, deadline - time.monotonic()))
    alive = sorted(t.name for t in left if t.is_alive())
    assert not alive, f"{name}: threads still running 2 s after stop(): {alive}"

"""Test suites that share one server, run by several processes at once: the collision, and the helpers that end it.

The collision (pytest-xdist, like `go test ./...`, runs several processes; each does its one-time
setup, guarded "once per process" only): four pytest processes start together and each sets up the
same schema on one shared server. A barrier makes their setups overlap every time instead of when
the timing happens to be bad, so the naive version fails deterministically. With the helpers
(a private database per test from `app_database`, on the external factory pointed at the same
server) the same four processes pass, and leave nothing behind.

The shared server is this test's own `app_server` (under the external run, MariaDB).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import testingshim

PROCESSES = 4

_CONFTEST = """
from app import testingshim
from app.testing import ExternalFactory
testingshim.init_test_server_factory(ExternalFactory(), name="external")
"""

# What every process runs. `shop` stands for the schema a suite's one-time setup makes.
_COMMON = """
import os
from pathlib import Path
import pymysql
import pytest
from app import testingshim

def arrive_and_wait():
    # Barrier: every process has tried its setup before any test goes on (and drops anything).
    barrier = Path(os.environ["BARRIER"])
    (barrier / str(os.getpid())).touch()
    testingshim.wait_for(lambda: len(list(barrier.iterdir())) >= int(os.environ["PROCESSES"]),
                         "every process to finish its setup", timeout=60)

def make_schema(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS items (id INT PRIMARY KEY, name VARCHAR(20))")
        cur.execute("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')")
"""

_NAIVE = _COMMON + """
_done = False  # "once per process": guards only this process

@pytest.fixture(scope="session")
def shop():
    global _done
    host, port = os.environ["SHARED_HOST"], int(os.environ["SHARED_PORT"])
    db = os.environ["SHARED_DB"]  # the same name in every process: that is the bug
    conn = pymysql.connect(host=host, port=port, user="root", autocommit=True, ssl_disabled=True)
    try:
        if not _done:
            _done = True
            with conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE IF NOT EXISTS {db}")
            conn.select_db(db)
            make_schema(conn)
    finally:
        arrive_and_wait()
    conn.select_db(db)
    yield conn
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {db}")
    conn.close()

def test_three_items(shop):
    with shop.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM items")
        assert cur.fetchone() == (3,)
"""

_PRIVATE = _COMMON + """
@pytest.fixture
def shop(app_database):
    conn = app_database.sql_conn(autocommit=True)
    with open(os.environ["NAMES"], "a") as f:
        f.write(app_database.name + "\\n")
    try:
        make_schema(conn)
    finally:
        arrive_and_wait()
    return conn

def test_three_items(shop):
    with shop.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM items")
        assert cur.fetchone() == (3,)
"""


def _run_together(path: Path, env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    """Start PROCESSES pytest processes on `path` at once; wait for all; return their results."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)]
    procs = [subprocess.Popen(command, cwd=path.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, start_new_session=True) for _ in range(PROCESSES)]
    results = []
    for p in procs:
        try:
            out, _ = p.communicate(timeout=testingshim.scaled(120))
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        results.append(subprocess.CompletedProcess(command, p.returncode, out))
    return results


@pytest.fixture
def shared(app_server: testingshim.TestServer, tmp_path: Path) -> dict[str, str]:
    """The environment of the processes: the shared server (this test's own), a barrier, a log of names."""
    app = app_server.application_layer()
    host, port = app.sql_addr
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    (tmp_path / "conftest.py").write_text(_CONFTEST)
    url = os.environ["APP_TEST_MYSQL_URL"] if app_server.factory_name == "external" else f"mysql://root@{host}:{port}"
    return {**os.environ, "SHARED_HOST": host, "SHARED_PORT": str(port), "SHARED_DB": app.database + "_shop",
            "BARRIER": str(barrier), "PROCESSES": str(PROCESSES), "NAMES": str(tmp_path / "names"),
            "APP_TEST_SERVER_FACTORY": "external", "APP_TEST_MYSQL_URL": url}


def _databases(app_server: testingshim.TestServer, names: list[str]) -> list[str]:
    admin: Any = app_server.application_layer().sql_conn(database="", autocommit=True)
    found = []
    with admin.cursor() as cur:
        for name in names:
            cur.execute("SHOW DATABASES LIKE %s", (name,))
            found += [r[0] for r in cur.fetchall()]
    admin.close()
    return found


def test_naive_once_per_process_setup_collides(shared: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "test_naive.py"
    path.write_text(_NAIVE)
    results = _run_together(path, shared)
    failed = [r for r in results if r.returncode != 0]
    # The first process to insert wins; the others find its rows: 1062 Duplicate entry.
    assert len(failed) >= 1, "\n\n".join(r.stdout for r in results)
    assert all("Duplicate entry" in r.stdout or "1062" in r.stdout for r in failed), \
        "\n\n".join(r.stdout for r in failed)


def test_private_databases_do_not_collide_and_leave_nothing(shared: dict[str, str], tmp_path: Path,
                                                            app_server: testingshim.TestServer) -> None:
    path = tmp_path / "test_private.py"
    path.write_text(_PRIVATE)
    results = _run_together(path, shared)
    assert all(r.returncode == 0 for r in results), "\n\n".join(r.stdout for r in results)
    names = Path(shared["NAMES"]).read_text().split()
    assert len(set(names)) == PROCESSES, names
    assert all(name.startswith("apptest_") for name in names), names
    assert _databases(app_server, names) == []  # dropped: a second run starts from the same clean server


_SHARED_SERVER_TESTS = """
import os
import pytest

def record(kind, db, server):
    host, port = server.application_layer().sql_addr
    with open(os.environ["RECORD"], "a") as f:
        f.write(f"{kind} {os.environ.get('PYTEST_XDIST_WORKER')} {port} {db.name}\\n")

@pytest.mark.parametrize("i", range(6))
def test_private(i, app_database, app_shared_server):
    record("test", app_database, app_shared_server)
    conn = app_database.sql_conn(autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE items (id INT PRIMARY KEY)")  # the same table in every test: no collision
        cur.execute("INSERT INTO items VALUES (1), (2)")
        cur.execute("SHOW TABLES")
        assert cur.fetchall() == (("items",),)

@pytest.mark.parametrize("i", range(4))
def test_module(i, app_module_database, app_shared_server):
    record("module", app_module_database, app_shared_server)
    conn = app_module_database.sql_conn(autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE t{i} (id INT)")
"""


@pytest.mark.parametrize("factory", ["inprocess", "subprocess"])
def test_a_server_shared_per_worker_with_private_databases(pytester: pytest.Pytester, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, factory: str) -> None:
    record = tmp_path / "record"
    monkeypatch.setenv("RECORD", str(record))
    pytester.makeconftest("from app import testingshim\n"
                          "from app.server.testing import InProcessFactory, SubprocessFactory\n"
                          "testingshim.init_test_server_factory(InProcessFactory(), name='inprocess')\n"
                          "testingshim.init_test_server_factory(SubprocessFactory(), name='subprocess')\n")
    pytester.makepyfile(test_shared=_SHARED_SERVER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--app-server-factory", factory)
    result.assert_outcomes(passed=10)
    rows = [line.split() for line in record.read_text().splitlines()]
    ports: dict[str, set[str]] = {}
    for _, worker, port, _ in rows:
        ports.setdefault(worker, set()).add(port)
    assert all(len(p) == 1 for p in ports.values()), rows  # one server per worker, shared by its tests
    tests = [db for kind, _, _, db in rows if kind == "test"]
    assert len(set(tests)) == len(tests) == 6, rows  # one private database per test
    module = {(worker, db) for kind, worker, _, db in rows if kind == "module"}
    assert len({w for w, _ in module}) == len(module), rows  # one database per module (and worker)


@pytest.mark.parametrize("factory", ["inprocess", "subprocess"])
def test_the_shared_server_is_not_the_leak_of_the_test_that_started_it(pytester: pytest.Pytester,
                                                                        factory: str) -> None:
    pytester.makeconftest("from app import testingshim\n"
                          "from app.server.testing import InProcessFactory, SubprocessFactory\n"
                          "testingshim.init_test_server_factory(InProcessFactory(), name='inprocess')\n"
                          "testingshim.init_test_server_factory(SubprocessFactory(), name='subprocess')\n")
    pytester.makepyfile("""
        import threading
        stop = threading.Event()

        def test_first_starts_the_shared_server_and_its_own(app_server, app_database):
            pass

        def test_a_real_leak_is_still_found(app_server, app_database):
            threading.Thread(target=stop.wait, name="leaky", daemon=True).start()

        def test_after():
            stop.set()
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--app-server-factory", factory)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_a_real_leak_is_still_found*", "*thread 'leaky'*"])

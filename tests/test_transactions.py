"""Transactions and locks as a MySQL client sees them.

Every test runs twice: on our server (`[app]`, a server of its own from the `app_server` fixture) and on
the reference MariaDB (`[mariadb]`, in a private database; skipped if MariaDB is unreachable), so the
expectations written here are checked against real InnoDB behaviour as well.

Nothing waits by sleeping: a statement that must block runs in a thread, the test waits (with a
deadline) until SHOW PROCESSLIST shows it running on the server, then checks that it has still not
finished after the lock holder's next round trip.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pymysql
import pytest
from pymysql.constants import SERVER_STATUS

from app.testingshim import scaled

Connect = Callable[..., Any]

ACCOUNTS = [(1, 100), (2, 100)]


@pytest.fixture(params=["app", "mariadb"])
def connect(request: pytest.FixtureRequest) -> Connect:
    """connect(**pymysql kwargs): a connection to a private database on our server or on MariaDB."""
    if request.param == "app":
        app = request.getfixturevalue("app_server").application_layer()
        return lambda **kwargs: app.sql_conn(**kwargs)
    _, connect_reference = request.getfixturevalue("mariadb")
    return connect_reference  # type: ignore[no-any-return]


@pytest.fixture
def accounts(connect: Connect) -> None:
    """Table acct(id, bal) holding ACCOUNTS, committed."""
    admin = connect(autocommit=True)
    run(admin, "CREATE TABLE acct (id INT PRIMARY KEY, bal INT NOT NULL)")
    run(admin, "INSERT INTO acct VALUES (1, 100), (2, 100)")
    admin.close()


def run(conn: Any, statement: str) -> int:
    with conn.cursor() as cur:
        cur.execute(statement)
        return int(cur.rowcount)


def rows(conn: Any, query: str) -> list[tuple[Any, ...]]:
    with conn.cursor() as cur:
        cur.execute(query)
        return [tuple(r) for r in cur.fetchall()]


def balances(conn: Any) -> list[tuple[Any, ...]]:
    return rows(conn, "SELECT id, bal FROM acct ORDER BY id")


def in_transaction(conn: Any) -> bool:
    """The server's SERVER_STATUS_IN_TRANS flag from the last reply."""
    return bool(conn.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS)


def wait_until_running(observer: Any, thread_id: int, statement: str, future: Future[Any]) -> None:
    """Poll SHOW PROCESSLIST (each poll a round trip, no sleeping) until connection `thread_id` runs `statement`."""
    deadline = time.monotonic() + scaled(10)
    seen: list[tuple[Any, ...]] = []
    while time.monotonic() < deadline:
        if future.done():
            outcome = future.exception() or f"rowcount {future.result()}"
            pytest.fail(f"{statement!r} finished without waiting for the lock: {outcome}")
        seen = rows(observer, "SHOW PROCESSLIST")
        for row in seen:
            if row[0] == thread_id and row[4] == "Query" and row[7] == statement:
                return
    pytest.fail(f"connection {thread_id} was never seen running {statement!r}; SHOW PROCESSLIST: {seen}")


@contextlib.contextmanager
def blocked(conn: Any, statement: str, *, observer: Any, holder: Any) -> Iterator[Future[int]]:
    """Run `statement` on `conn` in a thread; yield its future once the server shows it running.

    On the way out `holder`'s transaction is rolled back (a no-op if the test ended it), so that the
    thread can never stay blocked behind it, and the thread is joined.
    """
    started = threading.Event()

    def second() -> int:
        started.set()
        return run(conn, statement)

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="second-session")
    try:
        future = pool.submit(second)
        assert started.wait(scaled(10)), "the second session's thread did not start"
        wait_until_running(observer, conn.thread_id(), statement, future)
        yield future
    finally:
        with contextlib.suppress(pymysql.MySQLError):
            run(holder, "ROLLBACK")
        pool.shutdown(wait=True)


# -- autocommit -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("accounts")
def test_autocommit_is_on_by_default(connect: Connect) -> None:
    # autocommit=None: pymysql leaves the server's default alone (its own default would turn it off).
    a = connect(autocommit=None)
    b = connect(autocommit=None)
    assert rows(a, "SELECT @@autocommit, @@session.autocommit") == [(1, 1)]
    assert a.get_autocommit() is True
    assert run(a, "INSERT INTO acct VALUES (3, 300)") == 1
    assert not in_transaction(a)
    assert balances(b) == [*ACCOUNTS, (3, 300)]
    run(a, "UPDATE acct SET bal = 0 WHERE id = 1")
    assert balances(b) == [(1, 0), (2, 100), (3, 300)]
    run(a, "DELETE FROM acct WHERE id = 3")
    a.close()  # nothing is left to commit: closing loses nothing
    assert balances(b) == [(1, 0), (2, 100)]


# -- BEGIN / START TRANSACTION, COMMIT / ROLLBACK ------------------------------------------------------


@pytest.mark.usefixtures("accounts")
@pytest.mark.parametrize("begin", ["BEGIN", "START TRANSACTION", "BEGIN WORK"])
def test_begin_then_commit_publishes_all_at_once(connect: Connect, begin: str) -> None:
    a = connect(autocommit=True)
    b = connect(autocommit=True)
    run(a, begin)
    assert in_transaction(a)
    run(a, "INSERT INTO acct VALUES (3, 300)")
    run(a, "UPDATE acct SET bal = bal - 50 WHERE id = 1")
    run(a, "DELETE FROM acct WHERE id = 2")
    assert balances(a) == [(1, 50), (3, 300)]
    assert balances(b) == ACCOUNTS
    run(a, "COMMIT")
    assert not in_transaction(a)
    assert balances(b) == [(1, 50), (3, 300)]


@pytest.mark.usefixtures("accounts")
@pytest.mark.parametrize("begin", ["BEGIN", "START TRANSACTION"])
def test_begin_then_rollback_undoes_everything(connect: Connect, begin: str) -> None:
    a = connect(autocommit=True)
    b = connect(autocommit=True)
    run(a, begin)
    run(a, "INSERT INTO acct VALUES (3, 300)")
    run(a, "UPDATE acct SET bal = 0")
    run(a, "DELETE FROM acct WHERE id = 1")
    assert balances(a) == [(2, 0), (3, 0)]
    run(a, "ROLLBACK")
    assert not in_transaction(a)
    assert balances(a) == ACCOUNTS
    assert balances(b) == ACCOUNTS
    # autocommit is back: the next write is visible at once
    run(a, "INSERT INTO acct VALUES (4, 400)")
    assert balances(b) == [*ACCOUNTS, (4, 400)]


@pytest.mark.usefixtures("accounts")
def test_set_autocommit_0_then_rollback_undoes(connect: Connect) -> None:
    a = connect(autocommit=None)
    b = connect(autocommit=True)
    run(a, "SET autocommit = 0")
    assert rows(a, "SELECT @@autocommit") == [(0,)]
    run(a, "INSERT INTO acct VALUES (3, 300)")
    run(a, "UPDATE acct SET bal = 1 WHERE id = 2")
    assert in_transaction(a)
    assert balances(b) == ACCOUNTS
    run(a, "ROLLBACK")
    assert balances(a) == ACCOUNTS
    assert balances(b) == ACCOUNTS
    # still autocommit=0: the next write opens a new transaction, COMMIT publishes it
    run(a, "INSERT INTO acct VALUES (4, 400)")
    assert balances(b) == ACCOUNTS
    run(a, "COMMIT")
    assert balances(b) == [*ACCOUNTS, (4, 400)]
    # SET autocommit = 1 commits the transaction that is open
    run(a, "DELETE FROM acct WHERE id = 4")
    assert balances(b) == [*ACCOUNTS, (4, 400)]
    run(a, "SET autocommit = 1")
    assert balances(b) == ACCOUNTS


@pytest.mark.usefixtures("accounts")
def test_pymysql_commit_and_rollback(connect: Connect) -> None:
    a = connect()  # pymysql's default: autocommit off
    b = connect(autocommit=True)
    assert a.get_autocommit() is False
    assert rows(a, "SELECT @@autocommit") == [(0,)]
    run(a, "INSERT INTO acct VALUES (3, 300)")
    assert balances(b) == ACCOUNTS
    a.rollback()
    assert balances(a) == ACCOUNTS and balances(b) == ACCOUNTS
    run(a, "INSERT INTO acct VALUES (3, 300)")
    run(a, "UPDATE acct SET bal = 99 WHERE id = 1")
    assert balances(b) == ACCOUNTS
    a.commit()
    assert balances(b) == [(1, 99), (2, 100), (3, 300)]
    a.autocommit(True)
    assert a.get_autocommit() is True
    run(a, "INSERT INTO acct VALUES (4, 400)")
    assert (4, 400) in balances(b)
    a.begin()
    run(a, "DELETE FROM acct")
    assert len(balances(b)) == 4
    a.rollback()
    assert balances(b) == [(1, 99), (2, 100), (3, 300), (4, 400)]


# -- isolation: uncommitted rows are never seen -----------------------------------------------------


@pytest.mark.usefixtures("accounts")
def test_reads_never_see_uncommitted_rows(connect: Connect) -> None:
    writer = connect(autocommit=True)
    reader = connect(autocommit=True)
    run(writer, "BEGIN")
    run(writer, "INSERT INTO acct VALUES (3, 300), (4, 400)")
    run(writer, "UPDATE acct SET bal = 0 WHERE id = 1")
    run(writer, "DELETE FROM acct WHERE id = 2")
    assert balances(writer) == [(1, 0), (3, 300), (4, 400)]  # a transaction sees its own writes
    queries = {
        "SELECT id, bal FROM acct ORDER BY id": ACCOUNTS,
        "SELECT COUNT(*), SUM(bal) FROM acct": [(2, 200)],
        "SELECT bal FROM acct WHERE id = 3": [],
        "SELECT bal FROM acct WHERE id = 2": [(100,)],
        "SELECT x.id FROM acct x JOIN acct y ON y.id = x.id WHERE x.bal = 0": [],
    }

    def check_reader(when: str) -> None:
        for query, expected in queries.items():
            got = rows(reader, query)
            if query.startswith("SELECT COUNT"):
                got = [(c, int(s)) for c, s in got]
            assert got == expected, f"{when}: {query} returned {got}"

    check_reader("while the writer's transaction is open")
    run(reader, "BEGIN")  # a reader in a transaction of its own sees no more
    check_reader("inside the reader's own transaction")
    run(reader, "COMMIT")
    run(writer, "ROLLBACK")
    check_reader("after the writer rolled back")
    assert balances(writer) == ACCOUNTS


# -- locks ----------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("accounts")
def test_second_writer_waits_for_the_lock_and_proceeds_after_commit(connect: Connect) -> None:
    a = connect(autocommit=True)
    b = connect(autocommit=True)
    observer = connect(autocommit=True)
    run(b, "SET innodb_lock_wait_timeout = 30")
    run(a, "BEGIN")
    run(a, "UPDATE acct SET bal = 10 WHERE id = 1")
    statement = "UPDATE acct SET bal = bal + 1 WHERE id = 1"
    with blocked(b, statement, observer=observer, holder=a) as second:
        assert balances(a) == [(1, 10), (2, 100)]  # the first session's next round trip
        assert not second.done(), "the second writer did not wait for the first's transaction"
        assert balances(observer) == ACCOUNTS  # nor did anything leak to readers
        assert not second.done()
        run(a, "COMMIT")
        assert second.result(timeout=scaled(10)) == 1
    # The second update ran on the committed value: it waited rather than overwrote.
    assert balances(observer) == [(1, 11), (2, 100)]


@pytest.mark.usefixtures("accounts")
def test_second_writer_waits_and_proceeds_after_rollback(connect: Connect) -> None:
    a = connect(autocommit=True)
    b = connect(autocommit=True)
    observer = connect(autocommit=True)
    run(b, "SET innodb_lock_wait_timeout = 30")
    run(a, "BEGIN")
    run(a, "DELETE FROM acct WHERE id = 2")
    statement = "UPDATE acct SET bal = bal * 2 WHERE id = 2"
    with blocked(b, statement, observer=observer, holder=a) as second:
        assert balances(a) == [(1, 100)]
        assert not second.done(), "the second writer did not wait for the first's transaction"
        run(a, "ROLLBACK")
        assert second.result(timeout=scaled(10)) == 1
    assert balances(observer) == [(1, 100), (2, 200)]


@pytest.mark.usefixtures("accounts")
def test_inserting_the_same_key_waits_then_fails_with_1062_after_commit(connect: Connect) -> None:
    a = connect(autocommit=True)
    b = connect(autocommit=True)
    observer = connect(autocommit=True)
    run(b, "SET innodb_lock_wait_timeout = 30")
    run(a, "BEGIN")
    run(a, "INSERT INTO acct VALUES (3, 1)")
    statement = "INSERT INTO acct VALUES (3, 2)"
    with blocked(b, statement, observer=observer, holder=a) as second:
        assert rows(a, "SELECT bal FROM acct WHERE id = 3") == [(1,)]
        assert not second.done(), "the second insert did not wait for the first's transaction"
        run(a, "COMMIT")
        error = second.exception(timeout=scaled(10))
    assert type(error) is pymysql.err.IntegrityError and error.args[0] == 1062, repr(error)
    assert rows(observer, "SELECT bal FROM acct WHERE id = 3") == [(1,)]


@pytest.mark.usefixtures("accounts")
def test_lock_wait_timeout_1205_and_nothing_half_applied(connect: Connect) -> None:
    a = connect(autocommit=True)
    b = connect(autocommit=True)
    observer = connect(autocommit=True)
    run(b, "SET innodb_lock_wait_timeout = 1")
    assert rows(b, "SELECT @@innodb_lock_wait_timeout") == [(1,)]
    run(a, "BEGIN")
    run(a, "UPDATE acct SET bal = bal - 10 WHERE id = 2")
    run(b, "BEGIN")
    # B would change row 1 (free) and row 2 (locked by A): it times out, and neither change remains.
    with pytest.raises(pymysql.err.OperationalError) as info:
        run(b, "UPDATE acct SET bal = bal + 10 WHERE id IN (1, 2)")
    assert info.value.args[0] == 1205, info.value.args
    assert "Lock wait timeout exceeded" in info.value.args[1]
    assert balances(b) == ACCOUNTS
    run(b, "ROLLBACK")
    assert balances(observer) == ACCOUNTS
    # A's transaction is unharmed and completes
    run(a, "UPDATE acct SET bal = bal + 10 WHERE id = 1")
    run(a, "COMMIT")
    assert balances(observer) == [(1, 110), (2, 90)]
    # and B, retrying, now succeeds at once
    assert run(b, "UPDATE acct SET bal = bal + 1 WHERE id IN (1, 2)") == 2
    assert balances(observer) == [(1, 111), (2, 91)]
    assert rows(observer, "SELECT SUM(bal) FROM acct")[0][0] == 202


@pytest.mark.usefixtures("accounts")
def test_lock_wait_timeout_in_autocommit_mode_changes_nothing(connect: Connect) -> None:
    a = connect(autocommit=True)
    b = connect(autocommit=True)
    run(b, "SET innodb_lock_wait_timeout = 1")
    run(a, "BEGIN")
    run(a, "UPDATE acct SET bal = 0 WHERE id = 2")
    with pytest.raises(pymysql.err.OperationalError) as info:
        run(b, "INSERT INTO acct VALUES (2, 5)")  # the same key: waits for A's lock on row 2
    assert info.value.args[0] == 1205
    with pytest.raises(pymysql.err.OperationalError) as info:
        run(b, "DELETE FROM acct")
    assert info.value.args[0] == 1205
    run(a, "ROLLBACK")
    assert balances(b) == ACCOUNTS
    assert run(b, "DELETE FROM acct WHERE id = 1") == 1
    assert balances(a) == [(2, 100)]

"""The differences from MySQL/MariaDB that README documents, pinned as app's behaviour.

Black-box: each talks SQL to the test's server only. Under APP_TEST_SERVER_FACTORY=external that
server is MariaDB, where each of these fails by design; tests/conftest.py lists them, with the
reason, as the external run's known differences (strict xfails there, so that a difference that
goes away is noticed).
"""

from __future__ import annotations

from decimal import Decimal

import pymysql
import pytest

from app import testingshim


@pytest.fixture
def accounts(app_server: testingshim.TestServer) -> testingshim.ApplicationLayer:
    app = app_server.application_layer()
    with app.sql_conn(autocommit=True).cursor() as cur:
        cur.execute("CREATE TABLE acct (id INT PRIMARY KEY, bal INT NOT NULL)")
        cur.execute("INSERT INTO acct VALUES (1, 100), (2, 100)")
    return app


def test_a_write_ends_the_snapshot_of_its_database(accounts: testingshim.ApplicationLayer) -> None:
    reader, writer = accounts.sql_conn(autocommit=True), accounts.sql_conn(autocommit=True)
    with reader.cursor() as cur, writer.cursor() as other:
        cur.execute("SELECT @@tx_isolation")  # MariaDB 10.11 lacks MySQL 8's @@transaction_isolation
        assert cur.fetchone() == ("REPEATABLE-READ",)
        cur.execute("BEGIN")
        cur.execute("SELECT bal FROM acct WHERE id = 1")
        assert cur.fetchone() == (100,)
        other.execute("UPDATE acct SET bal = 50 WHERE id = 1")  # committed (autocommit)
        cur.execute("SELECT bal FROM acct WHERE id = 1")
        assert cur.fetchone() == (100,)  # the snapshot, as InnoDB's
        cur.execute("UPDATE acct SET bal = 7 WHERE id = 2")
        cur.execute("SELECT bal FROM acct WHERE id = 1")
        assert cur.fetchone() == (50,)  # InnoDB would still show 100
        cur.execute("COMMIT")


def test_locks_are_per_database_not_per_row(accounts: testingshim.ApplicationLayer) -> None:
    holder, other = accounts.sql_conn(autocommit=True), accounts.sql_conn(autocommit=True)
    with holder.cursor() as cur, other.cursor() as cur2:
        cur.execute("BEGIN")
        cur.execute("UPDATE acct SET bal = 0 WHERE id = 1")
        cur2.execute("SET SESSION innodb_lock_wait_timeout = 1")
        with pytest.raises(pymysql.err.OperationalError) as info:
            cur2.execute("UPDATE acct SET bal = 0 WHERE id = 2")  # another row: row locks would let it through
        assert info.value.args[0] == 1205
        cur.execute("ROLLBACK")


def _one(conn: object, sql: str) -> object:
    with conn.cursor() as cur:  # type: ignore[attr-defined]
        cur.execute(sql)
        return cur.fetchone()


def test_database_names_are_case_insensitive(app_server: testingshim.TestServer) -> None:
    conn = app_server.application_layer().sql_conn(autocommit=True)
    (db,) = _one(conn, "SELECT DATABASE()")  # type: ignore[misc]
    with conn.cursor() as cur:  # named after the test's database, so that an external run drops them with it
        cur.execute(f"CREATE DATABASE `{db}_case`")
        with pytest.raises(pymysql.err.ProgrammingError) as info:
            cur.execute(f"CREATE DATABASE `{db}_CASE`")  # MariaDB on Linux: a second database
        assert info.value.args[0] == 1007
        cur.execute(f"USE `{db}_CASE`")  # MariaDB on Linux: 1049
        assert _one(conn, "SELECT DATABASE()") == (f"{db}_case",)
        cur.execute(f"DROP DATABASE `{db}_case`")


def test_long_decimals_sort_after_other_numbers(app_server: testingshim.TestServer) -> None:
    conn = app_server.application_layer().sql_conn(autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE w (id INT PRIMARY KEY, d DECIMAL(31,30))")
        # the first has more digits than a double holds: stored exactly, as its digits
        cur.execute("INSERT INTO w VALUES (1, -0.999999999999999999999999999999), (2, 0.5)")
    assert _one(conn, "SELECT d FROM w WHERE id = 1") == (Decimal("-0.999999999999999999999999999999"),)
    assert _one(conn, "SELECT SUM(d) FROM w") == (Decimal("-0.499999999999999999999999999999"),)
    assert _one(conn, "SELECT MIN(d) FROM w") == (Decimal("0.500000000000000000000000000000"),)  # MariaDB: -0.99...
    assert _one(conn, "SELECT id FROM w ORDER BY d LIMIT 1") == (2,)  # MariaDB: 1

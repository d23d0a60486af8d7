"""The differences from MySQL/MariaDB that README documents, pinned as app's behaviour.

Black-box: each talks SQL to the test's server only. Under APP_TEST_SERVER_FACTORY=external that
server is MariaDB, where each of these fails by design; tests/conftest.py lists them, with the
reason, as the external run's known differences (strict xfails there, so that a difference that
goes away is noticed).
"""

from __future__ import annotations

import pymysql
import pytest
from pymysql.constants import CLIENT

from app import testingshim


@pytest.fixture
def accounts(app_server: testingshim.TestServer) -> testingshim.ApplicationLayer:
    app = app_server.application_layer()
    with app.sql_conn(autocommit=True).cursor() as cur:
        cur.execute("CREATE TABLE acct (id INT PRIMARY KEY, bal INT NOT NULL)")
        cur.execute("INSERT INTO acct VALUES (1, 100), (2, 100)")
    return app


def test_isolation_is_read_committed(accounts: testingshim.ApplicationLayer) -> None:
    reader, writer = accounts.sql_conn(autocommit=True), accounts.sql_conn(autocommit=True)
    with reader.cursor() as cur, writer.cursor() as other:
        cur.execute("SELECT @@tx_isolation")  # MariaDB 10.11 lacks MySQL 8's @@transaction_isolation
        assert cur.fetchone() == ("READ-COMMITTED",)
        cur.execute("BEGIN")
        cur.execute("SELECT bal FROM acct WHERE id = 1")
        assert cur.fetchone() == (100,)
        other.execute("UPDATE acct SET bal = 50 WHERE id = 1")  # committed (autocommit)
        cur.execute("SELECT bal FROM acct WHERE id = 1")
        assert cur.fetchone() == (50,)  # REPEATABLE READ would still show 100
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


def test_multiple_statements_in_one_query_are_refused(app_server: testingshim.TestServer) -> None:
    conn = app_server.application_layer().sql_conn(autocommit=True, client_flag=CLIENT.MULTI_STATEMENTS)
    with conn.cursor() as cur:
        with pytest.raises(pymysql.err.NotSupportedError) as info:
            cur.execute("SELECT 1; SELECT 2")
        assert info.value.args[0] == 1235 and "multiple statements" in info.value.args[1]


def test_alter_table_modify_is_refused(app_server: testingshim.TestServer) -> None:
    conn = app_server.application_layer().sql_conn(autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)")
        with pytest.raises(pymysql.err.NotSupportedError) as info:
            cur.execute("ALTER TABLE t MODIFY v BIGINT")
        assert info.value.args[0] == 1235

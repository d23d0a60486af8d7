"""Several statements in one query (CLIENT_MULTI_STATEMENTS), answered as MariaDB answers them.

The mariadb CLI, Rails, Laravel and migration tools send them; each statement gets its own result, the
results before the last say SERVER_MORE_RESULTS_EXISTS, and the first error ends the answer. Each case runs
on app and on MariaDB and the answers are compared as the protocol sent them (rows as text, OKs, error
numbers and SQLSTATEs).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from pymysql.constants import CLIENT

from _sqldiff import Differ, Error, Ok, Part, ResultSet, run_wire
from app import testingshim
from app.sql import split_statements

# COM_SET_OPTION's two options (enum_mysql_set_option).
_MULTI_STATEMENTS_ON = 0
_MULTI_STATEMENTS_OFF = 1

_CASES = [
    "SELECT 1; SELECT 2, 'b'",
    "SELECT 1;",
    "SELECT 1;   \n",
    "SELECT 1; -- a comment after the last statement is one more, answered with OK",
    "SELECT 1;;SELECT 2",
    "SELECT 1; ; SELECT 2",
    ";SELECT 1",
    ";",
    "SELECT 1; SELEC 2; SELECT 3",
    "SELECT 'a;b', `c;d` FROM (SELECT 1 AS `c;d`) t; SELECT \"x;\" /* ; */ # ;\n; SELECT 3",
    "SELECT 'it\\'s; fine'; SELECT 2",
    "CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2); UPDATE t SET a = a + 1; SELECT * FROM t ORDER BY a",
    "CREATE TABLE u (a INT PRIMARY KEY); INSERT INTO u VALUES (1); INSERT INTO u VALUES (1); SELECT 'not run'",
    "BEGIN; CREATE TABLE v (a INT); INSERT INTO v VALUES (7); ROLLBACK; SELECT COUNT(*) FROM v",
    "SET @x = 5; SELECT @x * 2; SELECT @x := @x + 1; SELECT @x",
    "SELECT * FROM nosuch; SELECT 'not run'",
    "SELECT CASE WHEN 1 THEN 'one' END; SELECT 2",
]


def _comparable(parts: tuple[Part, ...]) -> list[Any]:
    """What the two servers must agree on: rows, OKs, and errors by number and SQLSTATE (not their wording)."""
    out: list[Any] = []
    for part in parts:
        if isinstance(part, ResultSet):
            out.append(("rows", [c.name for c in part.columns], part.rows, part.warnings))
        elif isinstance(part, Ok):
            out.append(("ok", part.affected_rows, part.insert_id, part.warnings))
        elif isinstance(part, Error):
            out.append(("error", part.errno, part.sqlstate))
    return out


@pytest.mark.parametrize("sql", _CASES)
def test_a_multi_statement_query_is_answered_as_mariadb_answers_it(differ: Differ, sql: str) -> None:
    ours, reference = differ.connect(client_flag=CLIENT.MULTI_STATEMENTS)
    expected = _comparable(run_wire(reference, sql))
    assert _comparable(run_wire(ours, sql)) == expected, f"MariaDB: {expected}"
    # The connection goes on after every answer, also after an error in the middle.
    assert _comparable(run_wire(ours, "SELECT 1")) == _comparable(run_wire(reference, "SELECT 1"))


@pytest.mark.parametrize("sql", ["SELECT 1; SELECT 2", "SELECT 1;;SELECT 2", "SELECT 1; SELECT * FROM nosuch"])
def test_without_the_capability_several_statements_are_a_syntax_error(differ: Differ, sql: str) -> None:
    ours, reference = differ.connect()
    expected = _comparable(run_wire(reference, sql))
    assert expected[0][:2] == ("error", 1064)
    assert _comparable(run_wire(ours, sql)) == expected


def test_com_set_option_switches_multi_statements_off_and_on(app_server: testingshim.TestServer) -> None:
    mysqldb = pytest.importorskip("MySQLdb", reason="mysqlclient is in the clients extra")
    host, port = app_server.application_layer().sql_addr
    user, password = app_server.args.users[0][:2]
    conn = mysqldb.connect(host=host, port=port, user=user, password=password,
                           client_flag=CLIENT.MULTI_STATEMENTS)
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1; SELECT 2")
        assert cur.fetchall() == ((1,),) and cur.nextset() and cur.fetchall() == ((2,),)
        assert cur.nextset() is None
        conn.set_server_option(_MULTI_STATEMENTS_OFF)
        with pytest.raises(mysqldb.ProgrammingError) as off:
            cur.execute("SELECT 1; SELECT 2")
        assert off.value.args[0] == 1064
        conn.set_server_option(_MULTI_STATEMENTS_ON)
        cur.execute("SELECT 3; SELECT 4")
        assert cur.fetchall() == ((3,),) and cur.nextset() and cur.fetchall() == ((4,),)
        while cur.nextset():
            pass
    finally:
        conn.close()


def test_a_query_of_100_000_statements_costs_its_own_connection_only(app_server: testingshim.TestServer) -> None:
    # Hostile input: the cut is one regular-expression scan, and each statement is answered as it runs, so
    # the query's answer streams out and another client's statement runs meanwhile.
    layer = app_server.application_layer()
    conn = layer.sql_conn(autocommit=True, client_flag=CLIENT.MULTI_STATEMENTS)
    other = layer.sql_conn(autocommit=True)
    try:
        began = time.monotonic()
        conn.query("DO 1;" * 100_000)
        answers = 1
        while conn._result is not None and conn._result.has_next:
            conn.next_result()
            answers += 1
        assert answers == 100_000
        with other.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
        assert time.monotonic() - began < testingshim.scaled(60)
    finally:
        conn.close()
        other.close()


def _pieces(sql: str, **kwargs: Any) -> list[str]:
    return [sql[a:b].strip() for a, b in split_statements(sql, **kwargs)]


def test_stored_program_bodies_are_not_cut_at_their_semicolons() -> None:
    procedure = ("CREATE PROCEDURE p(IN n INT) BEGIN DECLARE i INT DEFAULT 0; WHILE i < n DO SET i = i + 1; "
                 "END WHILE; IF i > 1 THEN SELECT i; END IF; CASE i WHEN 1 THEN SELECT 'one'; ELSE BEGIN SELECT 'x'; "
                 "END; END CASE; SELECT CASE WHEN i THEN 1 END; END")
    assert _pieces(f"{procedure}; CALL p(2)") == [procedure, "CALL p(2)"]
    trigger = "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = NEW.a + 1; END"
    assert _pieces(f"{trigger};SELECT 1") == [trigger, "SELECT 1"]
    block = "lbl: BEGIN NOT ATOMIC SELECT 1; SELECT 2; END lbl"
    assert _pieces(f"{block}; SELECT 3") == [block, "SELECT 3"]
    assert _pieces("CREATE FUNCTION f() RETURNS INT RETURN 1; SELECT f()") == [
        "CREATE FUNCTION f() RETURNS INT RETURN 1", "SELECT f()"]
    # Words that only look like a program: a view's column named begin, a transaction's BEGIN.
    assert _pieces("CREATE VIEW w AS SELECT a AS `begin`, 1 AS trigger FROM t; SELECT 2") == [
        "CREATE VIEW w AS SELECT a AS `begin`, 1 AS trigger FROM t", "SELECT 2"]
    assert _pieces("BEGIN; SELECT 1; COMMIT") == ["BEGIN", "SELECT 1", "COMMIT"]


def test_strings_follow_the_sql_modes_backslash_rule() -> None:
    sql = "SELECT 'a\\'; b'; SELECT 2"
    assert _pieces(sql) == ["SELECT 'a\\'; b'", "SELECT 2"]
    assert _pieces(sql, backslash_escapes=False) == ["SELECT 'a\\'", "b'", "SELECT 2"]

"""Stored procedures, functions and triggers beyond what the corpus compares with MariaDB: they survive a
restart, replicate like other DDL (a trigger's writes as rows), and a statement running one stops on KILL and
max_statement_time like any other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pymysql
import pytest

from app import testingshim
from app.testingshim import TestServerArgs, wait_for
from test_execution import Background, running

# Runs until stopped: each statement of the loop ends at once, and a handler would catch what it can.
LOOP_FOREVER = """CREATE PROCEDURE forever()
BEGIN
  DECLARE n INT DEFAULT 0;
  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET n = n + 1;
  WHILE 1 DO
    SET n = n + 1;
  END WHILE;
END"""

ROUTINES = ["""CREATE PROCEDURE add_item(IN k INT, OUT total INT)
BEGIN
  INSERT INTO items VALUES (k);
  SELECT SUM(id) INTO total FROM items;
END""", "CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
            """CREATE TRIGGER items_bi BEFORE INSERT ON items FOR EACH ROW
BEGIN
  IF NEW.id > 100 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'too big';
  END IF;
  SET NEW.id = NEW.id * 10;
END""", "CREATE TRIGGER items_ai AFTER INSERT ON items FOR EACH ROW INSERT INTO seen VALUES (NEW.id)"]


def _run(conn: Any, sql: str) -> list[tuple[Any, ...]]:
    with conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def _app_only() -> None:
    if testingshim.selected_name() == "external":
        pytest.skip("app's own statement stopping: under the external factory the server is the shared MariaDB")



def test_kill_query_stops_a_procedure_and_no_handler_catches_it(connect: Callable[..., Any]) -> None:
    _app_only()
    victim, admin = connect(), connect()
    _run(admin, "DROP PROCEDURE IF EXISTS forever")
    _run(admin, LOOP_FOREVER)
    victim_id = victim.thread_id()
    bg = Background(victim, "CALL forever()")
    wait_for(lambda: running(admin, victim_id), "the procedure to run")
    _run(admin, f"KILL QUERY {victim_id}")
    outcome = bg.join()
    assert isinstance(outcome, pymysql.err.OperationalError) and outcome.args[0] == 1317, outcome
    assert _run(victim, "SELECT 2") == [(2,)]
    _run(admin, "DROP PROCEDURE forever")


def test_max_statement_time_stops_a_procedure(connect: Callable[..., Any]) -> None:
    _app_only()
    conn = connect()
    _run(conn, "DROP PROCEDURE IF EXISTS forever")
    _run(conn, LOOP_FOREVER)
    _run(conn, "SET SESSION max_statement_time = 0.2")
    with pytest.raises(pymysql.err.OperationalError) as e:
        _run(conn, "CALL forever()")
    assert e.value.args[0] == 1969
    _run(conn, "SET SESSION max_statement_time = 0")
    _run(conn, "DROP PROCEDURE forever")


def _use_routines(conn: Any) -> tuple[Any, ...]:
    """The procedure's OUT value (the trigger made 5 50), the function's, and what the AFTER trigger saw."""
    _run(conn, "SET @t = NULL")
    _run(conn, "CALL add_item(5, @t)")
    with pytest.raises(pymysql.err.OperationalError) as e:  # the BEFORE trigger's SIGNAL: no row, no effect
        _run(conn, "INSERT INTO items VALUES (101)")
    assert e.value.args == (1644, "too big")
    return (*_run(conn, "SELECT @t, twice(21)")[0], _run(conn, "SELECT id FROM seen"))


def test_routines_persist_across_a_restart(tmp_path: Any) -> None:
    args = TestServerArgs(data_dir=str(tmp_path), requires=frozenset({"restart"}))
    with testingshim.new_test_server(args) as server:
        with server.application_layer().sql_conn(autocommit=True) as conn:
            _run(conn, "CREATE TABLE items (id INT PRIMARY KEY)")
            _run(conn, "CREATE TABLE seen (id INT)")
            for sql in ROUTINES:
                _run(conn, sql)
            assert _use_routines(conn) == (50, 42, [(50,)])
        server.restart()
        with server.application_layer().sql_conn(autocommit=True) as conn:
            _run(conn, "DELETE FROM items")
            _run(conn, "DELETE FROM seen")
            assert _use_routines(conn) == (50, 42, [(50,)])
            assert sorted(r[0] for r in _run(conn, "SHOW TABLES")) == ["items", "seen"]  # not the routines' table
            _run(conn, "DROP TABLE items")  # its triggers go with it
            assert _run(conn, "SHOW TRIGGERS") == []


@pytest.mark.app_cluster(num_nodes=2)
def test_routines_replicate(app_cluster: Any) -> None:
    primary, standby = app_cluster.server(0), app_cluster.server(1)
    with primary.application_layer().sql_conn(autocommit=True) as conn:
        _run(conn, "CREATE TABLE items (id INT PRIMARY KEY)")
        _run(conn, "CREATE TABLE seen (id INT)")
        for sql in ROUTINES:
            _run(conn, sql)
        assert _use_routines(conn) == (50, 42, [(50,)])
        _run(conn, "CREATE PROCEDURE gone() SELECT 1")
        _run(conn, "DROP PROCEDURE gone")
    app_cluster.wait_for_replication()
    with standby.application_layer().sql_conn(autocommit=True) as conn:
        assert _run(conn, "SELECT twice(4)") == [(8,)]
        assert _run(conn, "SELECT id FROM items") == [(50,)]  # the rows the primary's triggers wrote
        assert _run(conn, "SELECT id FROM seen") == [(50,)]
        assert "RETURN x * 2" in _run(conn, "SHOW CREATE FUNCTION twice")[0][2]
        with pytest.raises(pymysql.err.OperationalError) as e:
            _run(conn, "CALL gone()")
        assert e.value.args[0] == 1305

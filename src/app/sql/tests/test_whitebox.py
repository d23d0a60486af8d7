"""White-box tests of app.sql: private internals, servers only through app.testingshim."""

from __future__ import annotations

import pytest

from app import testingshim
from app.sql._lexer import projection_texts, shape_of
from app.sql._translator import Translator
from app.testingshim import TestServerArgs


def test_a_newcomer_can_start_a_server_and_query() -> None:
    with testingshim.new_test_server() as srv:
        conn = srv.application_layer().sql_conn()
        with conn.cursor() as cur:
            cur.execute("SELECT 1 + 1")
            assert cur.fetchone() == (2,)


def test_statement_shapes_are_parsed_once() -> None:
    tr = Translator()
    plan1, params1 = tr.plan("INSERT INTO t (a, b) VALUES (1, 'x')")
    plan2, params2 = tr.plan("INSERT INTO t (a, b) VALUES (2, 'it''s')")
    assert plan1 is plan2
    assert params1 == [1, "x"] and params2 == [2, "it's"]
    assert tr.parses == 1


def test_literals_that_change_meaning_are_not_parameters() -> None:
    tr = Translator()
    tr.plan("SELECT a FROM t ORDER BY 1")
    tr.plan("SELECT a FROM t ORDER BY 2")
    plan, params = tr.plan("SELECT DATE_FORMAT(d, '%Y') FROM t")
    assert params is None
    assert "%Y" in plan.sql


def test_limit_offset_parameters_keep_their_roles() -> None:
    _, params = shape_of("SELECT * FROM t LIMIT 5, 10")
    assert params == [5, 10]
    plan, _ = Translator().plan("SELECT * FROM t LIMIT 5, 10")
    assert "LIMIT :p2 OFFSET :p1" in plan.sql


def test_projection_texts_are_the_source_text() -> None:
    texts = projection_texts("SELECT COUNT(*), a.b AS x, CONCAT('a',1) FROM t")
    assert texts == ["COUNT(*)", "a.b AS x", "CONCAT('a',1)"]


def test_storage_checksum_follows_the_rows() -> None:
    args = TestServerArgs(requires=frozenset({"storage_layer"}))
    with testingshim.new_test_server(args) as srv:
        storage = srv.storage_layer()
        conn = srv.application_layer().sql_conn(autocommit=True)
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
            before = storage.checksum("defaultdb")
            cur.execute("INSERT INTO t VALUES (1)")
        assert storage.checksum("defaultdb") != before
        handle = storage.sqlite_handle("defaultdb")
        assert handle.execute("SELECT id FROM t").fetchall() == [(1,)]


def test_uncommitted_rows_stay_out_of_storage() -> None:
    args = TestServerArgs(requires=frozenset({"storage_layer"}))
    with testingshim.new_test_server(args) as srv:
        conn = srv.application_layer().sql_conn()
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
            cur.execute("BEGIN")
            cur.execute("INSERT INTO t VALUES (1)")
            assert srv.storage_layer().sqlite_handle("defaultdb").execute("SELECT COUNT(*) FROM t").fetchall() == [(0,)]
            conn.rollback()


def test_subprocess_servers_have_no_storage_layer_without_requires() -> None:
    if testingshim.selected_name() != "subprocess":
        pytest.skip("checks the subprocess factory's refusal")
    with testingshim.new_test_server() as srv:
        with pytest.raises(testingshim.UnsupportedByFactory, match="inprocess"):
            srv.storage_layer()

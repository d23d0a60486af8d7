"""Statements that once reached the client as an internal error (1105: a Python exception or an unmapped
SQLite message; issue 14), each compared with MariaDB: the answer MariaDB gives, or its own error.

After each, the connection still works and nothing the failing statement did remains.
"""

from __future__ import annotations

from _sqldiff import Differ


def _nested(function: str, depth: int, inner: str) -> str:
    return f"{function}(" * depth + inner + ")" * depth


def test_cast_of_bytes_that_are_no_utf8_as_char_is_question_marks_with_1300(differ: Differ) -> None:
    # SQLite's CAST AS TEXT handed on the bytes 0x00FF as text no one could decode (UnicodeDecodeError).
    out = differ.check([
        "CREATE TABLE tv (id INT, vb VARBINARY(10), bl BLOB)",
        "INSERT INTO tv VALUES (1, 'bin', 'b'), (2, 0x00FF, 0xFF), (3, NULL, NULL), (4, 0xC3A9, 0xC3)",
        "SELECT id, CAST(vb AS CHAR), CONVERT(bl, CHAR) FROM tv ORDER BY id",
        "SHOW WARNINGS",
        "SELECT CAST(tv.vb AS CHAR) FROM tv WHERE id = 4",
        "SELECT CAST(UNHEX('FF41') AS CHAR), CAST(CONCAT(vb) AS CHAR) FROM tv WHERE id = 2",
        "SELECT CAST(id AS CHAR), CAST(vb AS CHAR(2)) FROM tv ORDER BY id",
    ], compare_columns=False)
    assert out[2].values == [(1, "bin", "b"), (2, "\x00?", "?"), (3, None, None), (4, "é", "?")]
    assert [row[1] for row in out[3].values] == [1300, 1300, 1300]


def test_45_nested_hex_is_null_with_1301_as_mariadb_answers(differ: Differ) -> None:
    # Python's default recursion limit refused the parse (RecursionError); MariaDB answers NULL, the
    # result being past max_allowed_packet.
    out = differ.check([
        "SELECT " + _nested("hex", 45, "'a'") + " IS NULL",
        "SHOW WARNINGS",
        "SELECT LENGTH(" + _nested("hex", 20, "'a'") + ")",
        "SELECT " + _nested("", 200, "1") + ", " + "-" * 60 + "1, " + "+".join(["1"] * 100),
        "SELECT " + _nested("concat", 100, "'x'"),
    ], compare_columns=False)
    assert out[0].values == [(1,)]
    assert out[1].values == [("Warning", 1301,
                              "Result of hex() was larger than max_allowed_packet (16777216) - truncated")]
    assert out[2].values == [(2**20,)]


def test_an_expression_too_deep_for_mariadb_too_is_1436_and_undoes_nothing_else(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (id INT PRIMARY KEY)",
        "BEGIN",
        "INSERT INTO t VALUES (1)",
        "SELECT " + _nested("hex", 1000, "'a'"),
        "INSERT INTO t VALUES (2)",
        "COMMIT",
        "SELECT id FROM t ORDER BY id",
    ])
    assert out[3].error == ("OperationalError", 1436)
    assert out[6].values == [(1,), (2,)]


def test_window_functions_outside_the_select_list_and_order_by_are_4015(differ: Differ) -> None:
    # A window alias in HAVING without GROUP BY reached SQLite as a HAVING it refuses (1105).
    out = differ.check([
        "CREATE TABLE s (id INT, v INT)",
        "INSERT INTO s VALUES (1, 10), (2, 20), (3, 30)",
        "SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM s HAVING rn < 3 ORDER BY id",
        "SELECT id, SUM(v) OVER () AS t FROM s HAVING t > 1",
        "SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM s HAVING id < 3 ORDER BY id",
        "SELECT id, SUM(v) OVER () AS t FROM s HAVING id > 1 ORDER BY id",
        "SELECT v, ROW_NUMBER() OVER () AS rn FROM s GROUP BY v HAVING rn > 1",
        "SELECT id FROM s WHERE ROW_NUMBER() OVER (ORDER BY id) = 1",
        "SELECT id FROM s GROUP BY ROW_NUMBER() OVER ()",
        "SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM s GROUP BY rn",
        "UPDATE s SET v = ROW_NUMBER() OVER ()",
        "SELECT SUM(ROW_NUMBER() OVER ()) FROM s",
        "SELECT SUM(ROW_NUMBER() OVER ()) OVER () FROM s",
        "SELECT id FROM s ORDER BY ROW_NUMBER() OVER (ORDER BY id DESC)",
        "SELECT id FROM s WHERE id IN (SELECT ROW_NUMBER() OVER () FROM s) ORDER BY id",
        "SELECT id, v FROM s ORDER BY id",
    ], compare_columns=False)
    for i in (2, 3, 6, 7, 8, 9, 10):
        assert out[i].error == ("OperationalError", 4015), out[i]
    assert out[11].error == out[12].error == ("OperationalError", 4074)
    assert out[4].values == [(1, 1), (2, 2)]
    assert out[15].values == [(1, 10), (2, 20), (3, 30)]


def test_insert_update_and_delete_through_a_view_write_its_table(differ: Differ) -> None:
    # SQLite refuses to write to a view ("cannot modify v because it is a view", which leaked as 1105).
    out = differ.check([
        "CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL, b VARCHAR(10) DEFAULT 'dflt')",
        "INSERT INTO t VALUES (1, 10, 'x'), (2, 20, 'y')",
        "CREATE VIEW v AS SELECT id, a, b FROM t WHERE a > 5",
        "CREATE VIEW vr (k, name) AS SELECT id, b FROM t",
        "CREATE VIEW vv AS SELECT id, a FROM v",
        "INSERT INTO v VALUES (3, 30, 'z')",
        "INSERT INTO v (id, a) VALUES (4, 1)",  # no CHECK OPTION: a row the view does not show
        "INSERT INTO vv VALUES (5, 50)",  # a view of a view
        "UPDATE v SET b = 'upd'",  # the view's WHERE: not row 4
        "UPDATE v SET a = a + 1 WHERE b = 'upd' AND id > 2",
        "UPDATE vr SET name = CONCAT(name, '!') WHERE k = 1",
        "UPDATE v SET b = 'first' ORDER BY id DESC LIMIT 1",
        "DELETE FROM v WHERE id = 4",  # not in the view: nothing
        "DELETE FROM vv WHERE a = 20",
        "INSERT INTO v (id, a) VALUES (1, 1) ON DUPLICATE KEY UPDATE b = 'dup'",
        "REPLACE INTO v (id, a, b) VALUES (3, 33, 'rep')",
        "INSERT IGNORE INTO v (id, a) VALUES (1, 1)",
        "SELECT * FROM t ORDER BY id",
        "SELECT * FROM v ORDER BY id",
    ])
    assert [o.rowcount for o in out[5:17]] == [1, 1, 1, 4, 2, 1, 1, 0, 1, 2, 2, 0]
    assert out[17].values == [(1, 10, "dup"), (3, 33, "rep"), (4, 1, "dflt"), (5, 51, "first")]


def test_writing_a_view_that_is_not_its_tables_rows_is_refused_as_mariadb_refuses_it(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL, b VARCHAR(10))",
        "INSERT INTO t VALUES (1, 10, 'x'), (2, 20, 'y')",
        "CREATE VIEW ve AS SELECT id, a * 2 AS a2, b FROM t",
        "CREATE VIEW vg AS SELECT a, COUNT(*) AS n FROM t GROUP BY a",
        "CREATE VIEW vd AS SELECT DISTINCT a FROM t",
        "CREATE VIEW vb AS SELECT id, b FROM t",
        "INSERT INTO ve VALUES (3, 1, 'e')",
        "UPDATE ve SET a2 = 1",
        "UPDATE ve SET b = 'e2' WHERE a2 = 40",
        "DELETE FROM ve WHERE a2 > 30",
        "INSERT INTO vg VALUES (1, 1)",
        "UPDATE vg SET n = 1",
        "DELETE FROM vd",
        "INSERT INTO vb (id, b) VALUES (3, 'no a')",  # the column the view leaves out has no default
        "INSERT INTO vb (id, nosuch) VALUES (3, 'x')",
        "SELECT * FROM t ORDER BY id",
    ])
    assert out[6].error == out[10].error == ("OperationalError", 1471)
    assert out[7].error == ("OperationalError", 1348)
    assert out[11].error == out[12].error == ("OperationalError", 1288)
    assert out[13].error == ("OperationalError", 1423)
    assert out[15].values == [(1, 10, "x")]

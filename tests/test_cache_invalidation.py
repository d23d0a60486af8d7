"""No cached translation or prepared statement outlives the schema or the settings it was made for,
whichever connection changed them. Compared with MariaDB (see _sqldiff.py).

The case that made this a test: after `DROP TABLE t; CREATE TABLE t (c INT)` or `ALTER TABLE t ADD
COLUMN` on one connection, another connection's `SELECT * FROM t` returned the old column list (or
failed with 1105), and an INSERT with the new column count failed with 1136.
"""

from __future__ import annotations

from _sqldiff import Differ


def test_drop_and_create_on_one_connection_is_seen_by_the_others(differ: Differ) -> None:
    second = differ.connect(autocommit=True)
    third = differ.connect(autocommit=True)
    differ.check(["CREATE TABLE t (a INT, b VARCHAR(5))", "INSERT INTO t VALUES (1, 'x')"])
    for conns in (second, third):  # both have prepared their statements for the old table
        differ.check(["SELECT * FROM t", "SELECT a, b FROM t WHERE a = 1", "INSERT INTO t VALUES (2, 'y')"],
                     conns=conns)
    differ.check(["DROP TABLE t", "CREATE TABLE t (c INT)", "INSERT INTO t VALUES (5)"])
    for conns in (second, third):
        out = differ.check(["SELECT * FROM t", "SELECT a, b FROM t WHERE a = 1", "INSERT INTO t VALUES (6)"],
                           conns=conns)
        assert out[0].columns == ("c",)
        assert out[1].error is not None and out[1].error[1] == 1054
    differ.check(["SELECT * FROM t ORDER BY c"], conns=second)


def test_added_and_dropped_columns_are_seen_by_the_others(differ: Differ) -> None:
    other = differ.connect(autocommit=True)
    differ.check(["CREATE TABLE t (id INT PRIMARY KEY, a INT)", "INSERT INTO t VALUES (1, 10)"])
    differ.check(["SELECT * FROM t", "INSERT INTO t VALUES (2, 20)", "SELECT * FROM t WHERE id = 1"], conns=other)
    differ.check(["ALTER TABLE t ADD COLUMN b DECIMAL(5,2) DEFAULT 1.5"])
    out = differ.check(["SELECT * FROM t ORDER BY id", "INSERT INTO t VALUES (3, 30, 2.25)",
                        "SELECT * FROM t WHERE id = 1", "SELECT SUM(b), CONCAT(b, '') FROM t WHERE id = 3"],
                       conns=other)
    assert out[0].columns == ("id", "a", "b")
    differ.check(["ALTER TABLE t DROP COLUMN a"])
    out = differ.check(["SELECT * FROM t ORDER BY id", "INSERT INTO t VALUES (4, 4.5)", "SELECT * FROM t WHERE id = 1",
                        "INSERT INTO t VALUES (5, 50, 5.5)"], conns=other)
    assert out[0].columns == ("id", "b")
    assert out[3].error is not None and out[3].error[1] == 1136


def test_a_database_dropped_and_made_again_is_seen_by_the_others(differ: Differ) -> None:
    other = differ.connect(autocommit=True)
    differ.check(["CREATE DATABASE {db}_2", "CREATE TABLE {db}_2.t (a INT, b INT)",
                  "INSERT INTO {db}_2.t VALUES (1, 2)", "CREATE TABLE here (k INT)", "INSERT INTO here VALUES (1)"])
    differ.check(["SELECT * FROM {db}_2.t", "SELECT h.k, t.* FROM here h JOIN {db}_2.t t ON t.a = h.k"], conns=other)
    differ.check(["DROP DATABASE {db}_2"])
    differ.check(["SELECT * FROM {db}_2.t"], conns=other)
    differ.check(["CREATE DATABASE {db}_2", "CREATE TABLE {db}_2.t (c INT)", "INSERT INTO {db}_2.t VALUES (1)"])
    out = differ.check(["SELECT * FROM {db}_2.t", "SELECT h.k, t.* FROM here h JOIN {db}_2.t t ON t.c = h.k"],
                       conns=other)
    assert out[0].columns == ("c",) and out[1].columns == ("k", "c")


def test_a_session_setting_the_translation_depends_on(differ: Differ) -> None:
    """div_precision_increment changes the type of `/` and AVG: one connection's setting is not
    another's, and a plan made under one setting is not used under another."""
    other = differ.connect(autocommit=True)
    differ.check(["CREATE TABLE n (v INT)", "INSERT INTO n VALUES (1), (2)"])
    statements = ["SELECT 1/3", "SELECT AVG(v), SUM(v)/7 FROM n", "SELECT v/3 FROM n ORDER BY v"]
    before = differ.check(statements)
    out = differ.check(["SET div_precision_increment = 6", *statements])
    assert str(before[0].values[0][0]) == "0.3333" and str(out[1].values[0][0]) == "0.333333"
    differ.check(statements, conns=other)  # still 4: the other connection did not change its setting
    differ.check(["SET div_precision_increment = 2", *statements, "SET div_precision_increment = 4", *statements])


def test_a_column_type_changed_under_a_repeated_query(differ: Differ) -> None:
    """A query's text is resolved against its columns' declared types once per schema state
    (`Catalog.memo`, keyed by the plan): a repeated query, on this connection or another, sees the
    type ALTER TABLE gave the column (its values as DECIMAL text, its comparisons as numbers)."""
    other = differ.connect(autocommit=True)
    differ.check(["CREATE TABLE t (id INT PRIMARY KEY, c VARCHAR(10))",
                  "INSERT INTO t VALUES (1, '5'), (2, '5.0'), (3, '05')"])
    statements = ["SELECT c, CONCAT(c, '') FROM t WHERE id = 2", "SELECT COUNT(*) FROM t WHERE c = '5.0'",
                  "SELECT c FROM t WHERE c = 5 ORDER BY id"]
    for conns in (None, other):
        before = differ.check(statements, conns=conns)
        assert before[0].values == [("5.0", "5.0")] and before[1].values == [(1,)]
    differ.check(["ALTER TABLE t MODIFY c DECIMAL(5,2)"])
    for conns in (other, None):
        after = differ.check(statements, conns=conns)
        assert [tuple(map(str, r)) for r in after[0].values] == [("5.00", "5.00")] and after[1].values == [(3,)]

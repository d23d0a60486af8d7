"""Errors, compared with MariaDB: the same MySQL error numbers and the same pymysql exception classes.

Each test runs its statements on our server and on MariaDB (see _sqldiff.py), asserts they fail alike,
and asserts the number and class MariaDB gave, so that a statement that stopped failing is noticed.
After an error the connection must still work and nothing the failing statement did may remain.
"""

from __future__ import annotations

from decimal import Decimal

import pymysql
import pytest

from _sqldiff import Differ

_CLASSES = {
    "IntegrityError": pymysql.err.IntegrityError,
    "ProgrammingError": pymysql.err.ProgrammingError,
    "OperationalError": pymysql.err.OperationalError,
}


def _raise_on(conn: object, statement: str) -> BaseException:
    with conn.cursor() as cur:  # type: ignore[attr-defined]
        with pytest.raises(pymysql.MySQLError) as info:
            cur.execute(statement)
    return info.value


def test_unknown_database_1049(differ: Differ) -> None:
    out = differ.check([
        "USE {db}_missing",
        "SHOW TABLES FROM {db}_missing",
        "SELECT DATABASE()",  # a failed USE keeps the current database
        "SELECT 1",
    ])
    assert out[0].error == ("OperationalError", 1049)
    assert out[1].error == ("OperationalError", 1049)
    assert out[2].values == [(differ.db,)]
    assert out[3].values == [(1,)]


def test_connecting_to_an_unknown_database_fails_with_1049(differ: Differ) -> None:
    # The handshake itself is refused (the error packet takes the OK's place), not the first query after it.
    errors = []
    for connect in differ.connect_ours, differ.connect_reference:
        with pytest.raises(pymysql.MySQLError) as info:
            connect(database=differ.db + "_missing")
        errors.append(info.value)
    ours, reference = errors
    assert type(reference) is pymysql.err.OperationalError and reference.args[0] == 1049
    assert (type(ours), ours.args[0]) == (type(reference), reference.args[0])
    assert ours.args[1] == reference.args[1] == f"Unknown database '{differ.db}_missing'"
    # A wrong password is refused as such even when the database is unknown too (1045 first, as MySQL does).
    with pytest.raises(pymysql.err.OperationalError) as info:
        differ.connect_ours(database=differ.db + "_missing", password="wrong")
    assert info.value.args[0] == 1045
    # A database that exists is selected by the handshake.
    conn = differ.connect_ours(database=differ.db)
    with conn.cursor() as cur:
        cur.execute("SELECT DATABASE()")
        assert cur.fetchone() == (differ.db,)


def test_table_in_unknown_database_is_1146(differ: Differ) -> None:
    out = differ.check([
        "SELECT * FROM {db}_missing.t",
        "INSERT INTO {db}_missing.t VALUES (1)",
        "UPDATE {db}_missing.t SET a = 1",
        "DELETE FROM {db}_missing.t",
        "CREATE TABLE here (id INT)",
        "SELECT * FROM here JOIN {db}_missing.t",
        "INSERT INTO here SELECT * FROM {db}_missing.t",
    ])
    for i in (0, 1, 2, 3, 5, 6):
        assert out[i].error == ("ProgrammingError", 1146), out[i]
    ours = _raise_on(differ.ours, differ.sql("SELECT * FROM {db}_missing.t"))
    reference = _raise_on(differ.reference, differ.sql("SELECT * FROM {db}_missing.t"))
    assert ours.args == reference.args


def test_drop_unknown_database_1008(differ: Differ) -> None:
    out = differ.check(["DROP DATABASE {db}_missing", "DROP DATABASE IF EXISTS {db}_missing"])
    assert out[0].error == ("OperationalError", 1008)
    assert out[1].error is None


def test_table_doesnt_exist_1146(differ: Differ) -> None:
    out = differ.check([
        "SELECT * FROM missing",
        "SELECT m.x FROM missing AS m",
        "INSERT INTO missing VALUES (1)",
        "UPDATE missing SET x = 1",
        "DELETE FROM missing",
        "DESCRIBE missing",
        "SHOW COLUMNS FROM missing",
        "CREATE TABLE present (id INT PRIMARY KEY)",
        "SELECT * FROM present JOIN missing ON missing.id = present.id",
        "INSERT INTO present SELECT id FROM missing",
        "SELECT * FROM {db}.missing",
        "TRUNCATE TABLE missing",
        "SELECT COUNT(*) FROM present",
    ])
    for i in (0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11):
        assert out[i].error == ("ProgrammingError", 1146), out[i]
    assert out[12].values == [(0,)]


def test_drop_unknown_table_1051(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE present (id INT)",
        "DROP TABLE missing",
        "DROP TABLE IF EXISTS missing",
        "DROP TABLE IF EXISTS present, missing",
        "SHOW TABLES",
    ])
    assert out[1].error == ("OperationalError", 1051)
    assert out[2].error is None and out[3].error is None
    assert out[4].values == []


def test_drop_table_list_drops_the_existing_ones(differ: Differ) -> None:
    out = differ.check(["CREATE TABLE present (id INT)", "CREATE TABLE other (id INT)", "DROP TABLE present, missing",
                        "SHOW TABLES", "DROP TABLE missing, other", "SHOW TABLES"])
    assert out[2].error == ("OperationalError", 1051) and out[3].values == [("other",)]
    assert out[4].error == ("OperationalError", 1051) and out[5].values == []


def test_table_exists_1050(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (id INT PRIMARY KEY)",
        "CREATE TABLE t (id INT PRIMARY KEY)",
        "CREATE TABLE IF NOT EXISTS t (other INT)",
        "CREATE TABLE u (id INT)",
        "RENAME TABLE u TO t",
        "ALTER TABLE u RENAME TO t",
        "CREATE VIEW t AS SELECT 1",
        "DESCRIBE t",
        "SHOW TABLES",
    ])
    for i in (1, 4, 5, 6):
        assert out[i].error == ("OperationalError", 1050), out[i]
    assert out[2].error is None
    assert [r[0] for r in out[7].values] == ["id"]
    assert out[8].values == [("t",), ("u",)]


def test_table_names_are_case_sensitive(differ: Differ) -> None:
    differ.check(["CREATE TABLE t (id INT)", "CREATE TABLE T (id INT)", "SHOW TABLES"])


def test_duplicate_entry_1062_is_integrity_error(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(50) UNIQUE, n INT)",
        "INSERT INTO u VALUES (1, 'a@x', 1)",
        "INSERT INTO u VALUES (1, 'b@x', 2)",  # primary key
        "INSERT INTO u VALUES (2, 'a@x', 2)",  # unique key
        "INSERT INTO u VALUES (2, 'b@x', 2), (3, 'c@x', 3), (1, 'd@x', 4)",  # the whole statement fails
        "UPDATE u SET id = 1 WHERE id = 2",
        "INSERT INTO u VALUES (2, 'b@x', 2)",
        "UPDATE u SET email = 'a@x' WHERE id = 2",
        "SELECT id, email, n FROM u ORDER BY id",
        "CREATE TABLE c (a INT, b INT, PRIMARY KEY (a, b))",
        "INSERT INTO c VALUES (1, 1), (1, 2)",
        "INSERT INTO c VALUES (1, 2)",
        "SELECT COUNT(*) FROM c",
    ])
    for i in (2, 3, 4, 7, 11):
        assert out[i].error == ("IntegrityError", 1062), out[i]
    assert out[5].rowcount == 0  # no row with id = 2 then
    assert out[8].values == [(1, "a@x", 1), (2, "b@x", 2)]
    assert out[12].values == [(2,)]


def test_duplicate_entry_names_the_unique_key_as_mariadb_does_for_primary(differ: Differ) -> None:
    differ.check(["CREATE TABLE u (id INT PRIMARY KEY)", "INSERT INTO u VALUES (1)"])
    ours = _raise_on(differ.ours, "INSERT INTO u VALUES (1)")
    reference = _raise_on(differ.reference, "INSERT INTO u VALUES (1)")
    assert reference.args == (1062, "Duplicate entry '1' for key 'PRIMARY'")
    assert type(ours) is type(reference) is pymysql.err.IntegrityError
    assert ours.args[0] == 1062 and "for key 'PRIMARY'" in ours.args[1]


@pytest.mark.parametrize("statement", [
    "INSERT INTO u VALUES (2, 'a@x', 2, 2)",  # a unique column: the key is named after it
    "INSERT INTO u VALUES (1, 'b@x', 2, 2)",  # the primary key
    "INSERT INTO u VALUES (2, 'b@x', 1, 1)",  # a named composite key: values joined with '-'
    "INSERT INTO u VALUES (2, 'b@x', 2, 2), (3, 'A@X', 3, 3)",  # the row that collides (case-insensitively)
    "INSERT INTO u (id, email) VALUES (5, 'e'), (6, 'e')",  # a collision inside the statement
    "UPDATE u SET email = 'a@x' WHERE id = 4",
], ids=["unique-column", "primary", "composite", "second-row", "within-statement", "update"])
def test_duplicate_entry_message(differ: Differ, statement: str) -> None:
    differ.check(["CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(50) UNIQUE, a INT, b INT, UNIQUE KEY ab (a, b))",
                  "INSERT INTO u VALUES (1, 'a@x', 1, 1), (4, 'd@x', 4, 4)"])
    ours = _raise_on(differ.ours, statement)
    reference = _raise_on(differ.reference, statement)
    assert reference.args[0] == 1062
    assert ours.args == reference.args


def test_syntax_error_1064_is_programming_error(differ: Differ) -> None:
    bad = [
        "SELEC 1",
        "SELECT * FORM t",
        "SELECT 1 FROM",
        "SELECT * FROM t WHERE",
        "INSERT INTO t VALUES (1",
        "CREATE TABLE (id INT)",
        "UPDATE SET x = 1",
        "DELETE t WHERE id = 1 1",
        "SELECT 'unterminated",
        "USE",
    ]
    out = differ.check(["CREATE TABLE t (id INT)", *bad, "SELECT COUNT(*) FROM t"])
    for o in out[1:-1]:
        assert o.error == ("ProgrammingError", 1064), o
    assert out[-1].values == [(0,)]


def test_database_exists_1007(differ: Differ) -> None:
    out = differ.check([
        "CREATE DATABASE {db}",
        "CREATE DATABASE `{db}`",
        "CREATE SCHEMA {db}",
        "CREATE DATABASE IF NOT EXISTS {db}",
        "SELECT DATABASE()",
    ])
    for i in (0, 1, 2):
        assert out[i].error == ("ProgrammingError", 1007), out[i]
    assert out[3].error is None
    assert out[4].values == [(differ.db,)]


def test_column_errors_1054_and_1048(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL)",
        "SELECT nope FROM t",
        "INSERT INTO t (id, nope) VALUES (1, 2)",
        "UPDATE t SET nope = 1",
        "SELECT * FROM t ORDER BY nope",
        "INSERT INTO t VALUES (1, NULL)",
        "SELECT COUNT(*) FROM t",
    ])
    for i in (1, 2, 3, 4):
        assert out[i].error == ("OperationalError", 1054), out[i]
    assert out[5].error == ("IntegrityError", 1048)
    assert out[6].values == [(0,)]


def test_strict_mode_refuses_what_does_not_fit(differ: Differ) -> None:
    """MariaDB's default sql_mode is strict: too long, out of range and missing values are errors."""
    out = differ.check([
        # (No AUTO_INCREMENT: InnoDB uses up ids in failed statements, SQLite does not; see README.)
        "CREATE TABLE t (id INT, name VARCHAR(5) NOT NULL, n TINYINT, u TINYINT UNSIGNED,"
        " m DECIMAL(5,2), b VARBINARY(3), c CHAR(2))",
        "INSERT INTO t (n) VALUES (1)",  # no value and no default: 1364
        "INSERT INTO t (name) VALUES ('toolong')",
        "INSERT INTO t (name) VALUES ('ok'), ('toolong')",  # the row number is in the message
        "INSERT INTO t (name, n) VALUES ('a', 300)",
        "INSERT INTO t (name, n) VALUES ('a', -129)",
        "INSERT INTO t (name, u) VALUES ('a', -1)",
        "INSERT INTO t (name, m) VALUES ('a', 1000)",
        "INSERT INTO t (name, b) VALUES ('a', 'abcd')",
        "INSERT INTO t (name, c) VALUES ('a', 'héé')",
        "INSERT INTO t (name, n, u, m, b, c) VALUES ('hello', -128, 255, 999.99, 'abc', 'hé')",  # all at the limits
        "UPDATE t SET name = 'waytoolong'",
        "INSERT INTO t (name, n) VALUES ('a', 1, 2)",
        "SELECT name, n, u, m, b, c FROM t",
    ])
    assert out[1].error == ("OperationalError", 1364)
    for i in (2, 3, 8, 9, 11):
        assert out[i].error == ("DataError", 1406), out[i]
    for i in (4, 5, 6, 7):
        assert out[i].error == ("DataError", 1264), out[i]
    assert out[3].message == "Data too long for column 'name' at row 2"
    assert out[10].error is None and out[12].error == ("OperationalError", 1136)
    assert out[13].values == [("hello", -128, 255, Decimal("999.99"), b"abc", "hé")]
    ours = _raise_on(differ.ours, "INSERT INTO t (name) VALUES ('ok'), ('fine'), ('toolong')")
    assert ours.args == (1406, "Data too long for column 'name' at row 3")


@pytest.mark.parametrize(("statements", "code", "cls"), [
    (["USE {db}_missing"], 1049, "OperationalError"),
    (["SELECT * FROM missing"], 1146, "ProgrammingError"),
    (["CREATE TABLE t (id INT)", "CREATE TABLE t (id INT)"], 1050, "OperationalError"),
    (["CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (1)"], 1062, "IntegrityError"),
    (["SELECT FROM WHERE"], 1064, "ProgrammingError"),
    (["CREATE DATABASE {db}"], 1007, "ProgrammingError"),
], ids=["1049", "1146", "1050", "1062", "1064", "1007"])
def test_pymysql_raises_the_same_exception_class(differ: Differ, statements: list[str], code: int, cls: str) -> None:
    """The exception objects themselves: same class (pymysql picks it from the number) and number."""
    *setup, failing = statements
    differ.check(setup)
    ours = _raise_on(differ.ours, differ.sql(failing))
    reference = _raise_on(differ.reference, differ.sql(failing))
    assert type(reference) is _CLASSES[cls] and reference.args[0] == code
    assert type(ours) is type(reference), f"ours raised {type(ours).__name__}{ours.args}, MariaDB {reference!r}"
    assert ours.args[0] == reference.args[0]
    assert isinstance(ours.args[1], str) and ours.args[1]


def test_errors_inside_a_transaction_keep_it_open(differ: Differ) -> None:
    """A failing statement undoes only itself; the transaction and its earlier work stay."""
    out = differ.check([
        "CREATE TABLE t (id INT PRIMARY KEY)",
        "BEGIN",
        "INSERT INTO t VALUES (1)",
        "INSERT INTO t VALUES (2), (1)",
        "SELECT * FROM missing",
        "SELEC 1",
        "INSERT INTO t VALUES (3)",
        "SELECT id FROM t ORDER BY id",
        "COMMIT",
        "SELECT id FROM t ORDER BY id",
    ])
    assert out[3].error == ("IntegrityError", 1062)
    assert out[4].error == ("ProgrammingError", 1146)
    assert out[5].error == ("ProgrammingError", 1064)
    assert out[7].values == [(1,), (3,)]
    assert out[9].values == [(1,), (3,)]


def test_a_column_named_twice_in_insert_is_1110_and_a_bad_regex_1139(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (id INT, name VARCHAR(5) NOT NULL)",
        "INSERT INTO t (id, id) VALUES (3, 3)",
        "INSERT INTO t (id, name, id) VALUES (3, 'a', 3)",
        "SELECT REGEXP_REPLACE('abc', '(', 'x')",
        "SELECT 'abc' REGEXP '['",
        "SELECT REGEXP_INSTR('abc', '*')",
        "SELECT 'abc' REGEXP NULL, REGEXP_SUBSTR('abc', 'b+')",
        "SELECT COUNT(*) FROM t",
    ])
    assert out[1].error == out[2].error == ("ProgrammingError", 1110)
    assert out[3].error == out[4].error == out[5].error == ("OperationalError", 1139)
    assert out[6].values == [(None, "b")]
    assert out[7].values == [(0,)]


def test_prepare_opens_the_tables_1146_for_one_that_does_not_exist(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (id INT)",
        "CREATE TEMPORARY TABLE tt (id INT)",
        "PREPARE bad FROM 'SELECT * FROM nosuch'",
        "EXECUTE bad",
        "PREPARE ins FROM 'INSERT INTO nosuch2 VALUES (?)'",
        "PREPARE ok FROM 'SELECT * FROM t JOIN tt USING (id)'",
        "PREPARE ok2 FROM 'WITH c AS (SELECT 1 AS x) SELECT x FROM c'",
        "EXECUTE ok2",
        "PREPARE ddl FROM 'CREATE TABLE newt (id INT)'",
    ])
    assert out[2].error == out[4].error == ("ProgrammingError", 1146)
    assert out[3].error == ("OperationalError", 1243)
    assert out[7].values == [(1,)]


def test_queries_in_parentheses_and_parenthesized_union_operands(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE emp (id INT)",
        "INSERT INTO emp VALUES (1), (2), (6), (7)",
        "(SELECT id FROM emp ORDER BY id LIMIT 2) UNION (SELECT id FROM emp ORDER BY id DESC LIMIT 2) ORDER BY id",
        "(SELECT id FROM emp WHERE id = 1) UNION ALL (SELECT id FROM emp WHERE id = 2) LIMIT 1",
        "(SELECT 1)",
        "SELECT 1 UNION (SELECT 2 LIMIT 1) UNION SELECT 3",
    ])
    assert out[2].values == [(1,), (2,), (6,), (7,)]
    assert out[3].values == [(1,)]

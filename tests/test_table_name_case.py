"""Table names are case-sensitive, as MariaDB's on Linux (lower_case_table_names=0): `t` and `T` are
two tables, and a table is found only by its name as it was created. Compared with MariaDB (see
_sqldiff.py); SQLite's own names for the tables are app's business (`app.sql._sqlite`), and none of
them reaches a client.
"""

from __future__ import annotations

from _sqldiff import Differ

_TWO_TABLES = [
    "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(5))",
    "CREATE TABLE T (id INT PRIMARY KEY, b INT, KEY a (b))",  # a key named as one of t's
    "INSERT INTO t VALUES (1, 'low')",
    "INSERT INTO T VALUES (1, 10), (2, 20)",
]


def test_names_that_differ_in_case_are_two_tables(differ: Differ) -> None:
    differ.check([*_TWO_TABLES,
        "SELECT * FROM t",
        "SELECT * FROM T ORDER BY id",
        "SELECT T.id, T.b, t.a FROM T JOIN t ON t.id = T.id",
        "SELECT x.b FROM T AS x WHERE x.id = 2",
        "SELECT COUNT(*) FROM t WHERE id IN (SELECT id FROM T)",
        "UPDATE T SET b = b + 1 WHERE id = 2",
        "DELETE FROM t WHERE id = 1",
        "SELECT * FROM T ORDER BY id",
        "SELECT COUNT(*) FROM t",
        "SHOW TABLES",
        "SHOW FULL TABLES",
        "SHOW TABLES LIKE 'T'",
        "SHOW TABLES LIKE 't%'",
        "SHOW CREATE TABLE T",
        "SHOW CREATE TABLE t",
        "SHOW INDEX FROM T",
        "SHOW COLUMNS FROM T",
        "DESCRIBE t",
        "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
        "ORDER BY BINARY TABLE_NAME",
        "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
        "ORDER BY BINARY TABLE_NAME, ORDINAL_POSITION",
        "DROP TABLE T",
        "SHOW TABLES",
        "SELECT * FROM t",
    ])


def test_a_table_is_found_only_by_its_own_case(differ: Differ) -> None:
    differ.check([
        "CREATE TABLE Mixed (id INT)",
        "INSERT INTO Mixed VALUES (1)",
        "SELECT * FROM mixed",  # 1146, naming the table as written
        "INSERT INTO MIXED VALUES (2)",
        "UPDATE mixed SET id = 3",
        "DELETE FROM MIXED",
        "SELECT mixed.id FROM Mixed",  # 1054: the qualifier is no table of the query
        "ALTER TABLE mixed ADD COLUMN x INT",
        "SHOW CREATE TABLE mixed",
        "SHOW COLUMNS FROM MIXED",
        "DROP TABLE mixed",
        "DROP TABLE IF EXISTS mixed",
        "SHOW WARNINGS",
        "TRUNCATE TABLE MIXED",
        "CHECK TABLE Mixed, mixed",
        "SHOW TABLES LIKE 'm%'",
        "SELECT * FROM Mixed",
    ])


def test_ddl_keeps_each_name_as_written(differ: Differ) -> None:
    differ.check([*_TWO_TABLES,
        "ALTER TABLE T ADD COLUMN c INT DEFAULT 5",
        "ALTER TABLE t ADD COLUMN c VARCHAR(3) DEFAULT 'x'",
        "SELECT * FROM T ORDER BY id",
        "SELECT * FROM t",
        "CREATE INDEX ic ON T (c)",
        "CREATE INDEX ic ON t (c)",
        "DROP INDEX ic ON T",
        "SHOW INDEX FROM t",
        "RENAME TABLE T TO Upper",
        "CREATE TABLE Copy LIKE Upper",
        "CREATE TABLE Made AS SELECT id, b FROM Upper",
        "SHOW TABLES",
        "SELECT * FROM Made ORDER BY id",
        "SHOW CREATE TABLE Copy",
        "TRUNCATE TABLE Made",
        "SELECT COUNT(*) FROM Made",
        "CREATE TABLE Child (id INT, pid INT, FOREIGN KEY (pid) REFERENCES Upper (id))",
        "SHOW CREATE TABLE Child",
        "INSERT INTO Child VALUES (1, 9)",  # 1452, naming the parent as created
        "DROP TABLE Upper",  # 1451: Child refers to it
        "DROP TABLE Child, Upper, Copy, Made",
        "SHOW TABLES",
    ])


def test_views_triggers_and_temporary_tables_keep_their_case(differ: Differ) -> None:
    differ.check([*_TWO_TABLES,
        "CREATE VIEW V AS SELECT id, b FROM T",
        "CREATE VIEW v AS SELECT id, a FROM t",
        "SELECT * FROM V ORDER BY id",
        "SELECT * FROM v",
        "SHOW FULL TABLES",
        "CREATE TABLE Log (msg VARCHAR(20))",
        "CREATE TRIGGER up AFTER INSERT ON T FOR EACH ROW INSERT INTO Log VALUES (CONCAT('T ', NEW.id))",
        "CREATE TRIGGER low AFTER INSERT ON t FOR EACH ROW INSERT INTO Log VALUES (CONCAT('t ', NEW.id))",
        "INSERT INTO T VALUES (3, 30)",
        "INSERT INTO t VALUES (3, 'x')",
        "SELECT * FROM Log ORDER BY msg",
        "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
        "WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME",
        "CREATE TEMPORARY TABLE Tmp (x INT)",
        "INSERT INTO Tmp VALUES (1)",
        "SELECT * FROM tmp",
        "SELECT * FROM Tmp",
        "DROP TEMPORARY TABLE Tmp",
        "DROP VIEW V",
        "SELECT * FROM v",
    ])

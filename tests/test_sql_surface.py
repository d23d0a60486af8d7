"""The SQL surface, compared with MariaDB: each test runs the same statements on our server and on
MariaDB (see _sqldiff.py) and asserts the same rows, Python types, counts and errors; it also asserts
what MariaDB did, so that a statement that stopped testing what it should is noticed.

Known differences from MariaDB are single `xfail(strict=True)` tests naming the exact difference.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pymysql

from _sqldiff import Differ
from app import testingshim

# -- databases: CREATE / DROP / USE / DATABASE() --------------------------------------------------


def test_create_database_if_not_exists_and_drop_if_exists(differ: Differ) -> None:
    out = differ.check([
        "CREATE DATABASE {db}_a",
        "CREATE DATABASE IF NOT EXISTS {db}_a",
        "CREATE DATABASE IF NOT EXISTS {db}_b",
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('{db}_a', '{db}_b', '{db}_c')"
        " ORDER BY SCHEMA_NAME",
        "DROP DATABASE {db}_a",
        "DROP DATABASE IF EXISTS {db}_a",
        "DROP DATABASE IF EXISTS {db}_b",
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('{db}_a', '{db}_b', '{db}_c')",
    ])
    db = differ.db
    assert out[0].rowcount == 1 and out[0].error is None
    assert out[1].error is None and out[2].error is None
    assert out[3].values == [(f"{db}_a",), (f"{db}_b",)]
    assert out[4].error is None and out[5].error is None and out[6].error is None
    assert out[7].values == []


def test_use_switches_database_and_database_function_follows(differ: Differ) -> None:
    out = differ.check([
        "SELECT DATABASE()",
        "CREATE DATABASE {db}_other",
        "USE {db}_other",
        "SELECT DATABASE()",
        "CREATE TABLE only_in_other (x INT)",
        "SHOW TABLES",
        "USE `{db}`",
        "SELECT DATABASE()",
        "SHOW TABLES",
        "SHOW TABLES FROM {db}_other",
        "INSERT INTO {db}_other.only_in_other VALUES (7)",
        "SELECT x FROM {db}_other.only_in_other",
        "SELECT * FROM only_in_other",
        "DROP DATABASE {db}_other",
    ])
    db = differ.db
    assert out[0].values == [(db,)]
    assert out[3].values == [(f"{db}_other",)]
    assert out[5].columns == (f"Tables_in_{db}_other",) and out[5].values == [("only_in_other",)]
    assert out[7].values == [(db,)]
    assert out[8].values == []
    assert out[9].values == [("only_in_other",)]
    assert out[11].values == [(7,)]
    assert out[12].error == ("ProgrammingError", 1146)
    assert out[13].rowcount == 1  # the number of tables dropped


def test_database_is_null_without_use_and_after_dropping_current(differ: Differ) -> None:
    conns = differ.connect(database="", autocommit=True)
    out = differ.check([
        "SELECT DATABASE()",
        "USE {db}",
        "SELECT DATABASE()",
        "CREATE DATABASE {db}_gone",
        "USE {db}_gone",
        "DROP DATABASE {db}_gone",
        "SELECT DATABASE()",
    ], conns=conns)
    assert out[0].values == [(None,)]
    assert out[2].values == [(differ.db,)]
    assert out[6].values == [(None,)]


# -- SHOW TABLES, DESCRIBE, information_schema ---------------------------------------------------

_PEOPLE = ("CREATE TABLE people (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, "
           "email VARCHAR(80) UNIQUE, age INT DEFAULT 18, team_id INT, born DATE, KEY idx_team (team_id))")


def test_show_tables_and_describe(differ: Differ) -> None:
    out = differ.check([
        "SHOW TABLES",
        _PEOPLE,
        "CREATE TABLE teams (id INT NOT NULL, code CHAR(3) NOT NULL, PRIMARY KEY (id))",
        "CREATE TABLE pairs (a INT, b INT, note TEXT, PRIMARY KEY (a, b))",
        "SHOW TABLES",
        "SHOW FULL TABLES",
        "DESCRIBE people",
        "DESCRIBE teams",
        "DESC pairs",
        "SHOW COLUMNS FROM people",
    ])
    assert out[0].values == []
    assert out[4].columns == (f"Tables_in_{differ.db}",)
    assert out[4].values == [("pairs",), ("people",), ("teams",)]
    assert out[5].values == [("pairs", "BASE TABLE"), ("people", "BASE TABLE"), ("teams", "BASE TABLE")]
    assert out[6].columns == ("Field", "Type", "Null", "Key", "Default", "Extra")
    assert [r[:4] for r in out[6].values] == [
        ("id", "int(11)", "NO", "PRI"), ("name", "varchar(40)", "NO", ""), ("email", "varchar(80)", "YES", "UNI"),
        ("age", "int(11)", "YES", ""), ("team_id", "int(11)", "YES", "MUL"), ("born", "date", "YES", ""),
    ]
    assert out[6].values[0][5] == "auto_increment" and out[6].values[3][4] == "18"
    assert [r[:4] for r in out[7].values] == [("id", "int(11)", "NO", "PRI"), ("code", "char(3)", "NO", "")]
    assert [r[:4] for r in out[8].values] == [("a", "int(11)", "NO", "PRI"), ("b", "int(11)", "NO", "PRI"),
                                              ("note", "text", "YES", "")]
    assert out[9].values == out[6].values


def test_information_schema_schemata_tables_columns(differ: Differ) -> None:
    out = differ.check([
        _PEOPLE,
        "CREATE TABLE teams (id INT NOT NULL PRIMARY KEY, code CHAR(3) NOT NULL)",
        "CREATE VIEW adults AS SELECT id, name FROM people WHERE age >= 18",
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{db}'",
        "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE FROM information_schema.TABLES"
        " WHERE TABLE_SCHEMA = '{db}' ORDER BY TABLE_NAME",
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}' AND TABLE_TYPE = 'BASE TABLE'",
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name",
        "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, DATA_TYPE, COLUMN_TYPE, COLUMN_KEY, EXTRA"
        " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME IN ('people', 'teams')"
        " ORDER BY TABLE_NAME, ORDINAL_POSITION",
        "SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS"
        " WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = 'people' AND DATA_TYPE = 'varchar' ORDER BY ORDINAL_POSITION",
    ])
    db = differ.db
    assert out[3].values == [(db,)]
    assert out[4].values == [(db, "adults", "VIEW", None), (db, "people", "BASE TABLE", "InnoDB"),
                             (db, "teams", "BASE TABLE", "InnoDB")]
    assert out[5].values == [(2,)]
    assert out[6].values == [("adults",), ("people",), ("teams",)]
    assert out[7].values[0] == ("people", "id", 1, "NO", "int", "int(11)", "PRI", "auto_increment")
    assert out[7].values[2] == ("people", "email", 3, "YES", "varchar", "varchar(80)", "UNI", "")
    assert out[7].values[-1] == ("teams", "code", 2, "NO", "char", "char(3)", "", "")
    assert out[8].values == [("name", 40), ("email", 80)]


def test_information_schema_numeric_precision_and_scale(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE n (i INT, iu INT UNSIGNED, ti TINYINT, si SMALLINT, mi MEDIUMINT, bi BIGINT, bu BIGINT UNSIGNED,"
        " d DOUBLE, f FLOAT, m DECIMAL(10,2), m0 DECIMAL, bo BOOL, bt BIT(3), v VARCHAR(5))",
        "SELECT COLUMN_NAME, NUMERIC_PRECISION, NUMERIC_SCALE FROM information_schema.COLUMNS"
        " WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = 'n' ORDER BY ORDINAL_POSITION",
    ])
    assert out[1].values[:4] == [("i", 10, 0), ("iu", 10, 0), ("ti", 3, 0), ("si", 5, 0)]
    assert out[1].values[7:10] == [("d", 22, None), ("f", 12, None), ("m", 10, 2)]
    assert out[1].values[-1] == ("v", None, None)


def test_information_schema_column_default(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE d (a INT, s VARCHAR(5) NOT NULL DEFAULT 'x', n INT DEFAULT 5, z INT NOT NULL,"
        " m DECIMAL(5,2) DEFAULT 1.5, q VARCHAR(5) DEFAULT 'it''s', neg INT DEFAULT -1, t DATETIME DEFAULT NOW())",
        "SELECT COLUMN_NAME, COLUMN_DEFAULT FROM information_schema.COLUMNS"
        " WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = 'd' ORDER BY ORDINAL_POSITION",
        "DESCRIBE d",
        "SHOW CREATE TABLE d",
    ])
    assert out[1].values == [("a", "NULL"), ("s", "'x'"), ("n", "5"), ("z", None), ("m", "1.50"), ("q", "'it''s'"),
                             ("neg", "-1"), ("t", "current_timestamp()")]
    assert [r[4] for r in out[2].values] == [None, "x", "5", None, "1.50", "it's", "-1", "current_timestamp()"]


def test_information_schema_character_maximum_length(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE b (data BLOB, tb TINYBLOB, mt MEDIUMTEXT, lt LONGTEXT, t TEXT, c CHAR(3), vb VARBINARY(7),"
        " e ENUM('a', 'bbb'), i INT)",
        "SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS"
        " WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = 'b' ORDER BY ORDINAL_POSITION",
    ])
    assert out[1].values == [("data", 65535), ("tb", 255), ("mt", 16777215), ("lt", 4294967295), ("t", 65535),
                             ("c", 3), ("vb", 7), ("e", 3), ("i", None)]


def test_describe_and_show_create_keep_the_declared_types(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE big (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT, y YEAR, e VARCHAR(3) UNIQUE,"
        " UNIQUE KEY uv (v), KEY ky (y))",
        "INSERT INTO big (v) VALUES (1), (2)",
        "DESCRIBE big",
        "SHOW CREATE TABLE big",
    ])
    assert [r[:4] for r in out[2].values] == [("id", "bigint(20)", "NO", "PRI"), ("v", "int(11)", "YES", "UNI"),
                                              ("y", "year(4)", "YES", "MUL"), ("e", "varchar(3)", "YES", "UNI")]
    assert "AUTO_INCREMENT=3" in out[3].values[0][1]


def test_show_databases_like_column_name(differ: Differ) -> None:
    out = differ.check(["SHOW DATABASES LIKE '{db}'", "SHOW DATABASES LIKE '{db}_nothing%'"])
    assert out[0].columns == (f"Database ({differ.db})",) and out[0].values == [(differ.db,)]
    assert out[1].values == []


# -- DDL ----------------------------------------------------------------------------------------


def test_ddl_create_alter_index_rename_truncate_drop(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(20))",
        "CREATE TABLE IF NOT EXISTS p (other INT)",
        "ALTER TABLE p ADD COLUMN age INT NOT NULL DEFAULT 0",
        "CREATE INDEX idx_name ON p (name)",
        "CREATE UNIQUE INDEX uq_age ON p (age)",
        "DESCRIBE p",
        "DROP INDEX uq_age ON p",
        "ALTER TABLE p DROP COLUMN age",
        "DESCRIBE p",
        "RENAME TABLE p TO p2",
        "ALTER TABLE p2 RENAME TO p3",
        "SHOW TABLES",
        "INSERT INTO p3 VALUES (1, 'a'), (2, 'b')",
        "TRUNCATE TABLE p3",
        "SELECT COUNT(*) FROM p3",
        "DROP TABLE IF EXISTS p3, nosuch",
        "DROP TABLE IF EXISTS p3",
        "SHOW TABLES",
    ])
    assert [r[:4] for r in out[5].values] == [("id", "int(11)", "NO", "PRI"), ("name", "varchar(20)", "YES", "MUL"),
                                              ("age", "int(11)", "NO", "UNI")]
    assert [r[:4] for r in out[8].values] == [("id", "int(11)", "NO", "PRI"), ("name", "varchar(20)", "YES", "MUL")]
    assert out[11].values == [("p3",)]
    assert out[12].rowcount == 2
    assert out[14].values == [(0,)]
    assert out[17].values == []


def test_truncate_resets_auto_increment(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE c (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
        "INSERT INTO c (v) VALUES (1), (2), (3)",
        "TRUNCATE TABLE c",
        "INSERT INTO c (v) VALUES (4)",
        "SELECT id, v FROM c",
    ])
    assert out[3].lastrowid == 1
    assert out[4].values == [(1, 4)]


def test_create_table_as_select_rowcount(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE src (id INT PRIMARY KEY, name VARCHAR(20))",
        "INSERT INTO src VALUES (1, 'a'), (2, 'b')",
        "CREATE TABLE dst AS SELECT id, name FROM src",
        "SELECT * FROM dst ORDER BY id",
        "CREATE TABLE empty_copy AS SELECT id FROM src WHERE id > 5",
    ])
    assert out[2].rowcount == 2 and out[3].values == [(1, "a"), (2, "b")]
    assert out[4].rowcount == 0


# -- DML ----------------------------------------------------------------------------------------


def test_insert_update_delete_counts_and_contents(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), qty INT NOT NULL DEFAULT 0)",
        "INSERT INTO items VALUES (1, 'apple', 5)",
        "INSERT INTO items (id, name) VALUES (2, 'pear'), (3, 'plum'), (4, NULL)",
        "SELECT id, name, qty FROM items ORDER BY id",
        "UPDATE items SET qty = qty + 10 WHERE id >= 2",
        "UPDATE items SET name = 'none' WHERE name IS NULL",
        "UPDATE items SET qty = 1 WHERE id = 999",
        "DELETE FROM items WHERE id = 3",
        "DELETE FROM items WHERE id = 999",
        "SELECT id, name, qty FROM items ORDER BY id",
        "CREATE TABLE copy (id INT PRIMARY KEY, name VARCHAR(20))",
        "INSERT INTO copy SELECT id, UPPER(name) FROM items WHERE qty > 5",
        "SELECT * FROM copy ORDER BY id",
        "DELETE FROM items",
        "SELECT COUNT(*) FROM items",
    ])
    assert out[1].rowcount == 1 and out[2].rowcount == 3
    assert out[3].values == [(1, "apple", 5), (2, "pear", 0), (3, "plum", 0), (4, None, 0)]
    assert out[4].rowcount == 3 and out[5].rowcount == 1 and out[6].rowcount == 0
    assert out[7].rowcount == 1 and out[8].rowcount == 0
    assert out[9].values == [(1, "apple", 5), (2, "pear", 10), (4, "none", 10)]
    assert out[11].rowcount == 2
    assert out[12].values == [(2, "PEAR"), (4, "NONE")]
    assert out[13].rowcount == 3 and out[14].values == [(0,)]


def test_update_and_delete_with_order_by_and_limit(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE q (id INT AUTO_INCREMENT PRIMARY KEY, owner VARCHAR(5))",
        "INSERT INTO q (owner) VALUES (NULL), (NULL), (NULL), ('x'), (NULL)",
        "UPDATE q SET owner = 'me' WHERE owner IS NULL ORDER BY id LIMIT 1",  # take the oldest job
        "UPDATE q SET owner = 'me' ORDER BY id DESC LIMIT 2",  # LIMIT counts matched rows: 1 changed
        "DELETE FROM q WHERE owner = 'me' ORDER BY id DESC LIMIT 1",
        "DELETE FROM q LIMIT 1",
        "SELECT id, owner FROM q ORDER BY id",
    ])
    assert [o.rowcount for o in out[2:6]] == [1, 2, 1, 1]
    assert out[6].values == [(2, None), (3, None), (4, "me")]


def test_multi_table_update_and_delete(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE o (id INT PRIMARY KEY, cid INT, total DECIMAL(6,2), note VARCHAR(10))",
        "CREATE TABLE c (id INT PRIMARY KEY, vip INT, disc DECIMAL(4,2))",
        "INSERT INTO o VALUES (1, 1, 10, NULL), (2, 2, 20, NULL), (3, 1, 30, NULL), (4, 9, 40, 'n')",
        "INSERT INTO c VALUES (1, 1, 0.5), (2, 0, 0.9)",
        "UPDATE o JOIN c ON o.cid = c.id SET o.total = o.total * c.disc WHERE c.vip = 1",
        "UPDATE o AS x INNER JOIN c AS y ON x.cid = y.id SET note = 'seen'",
        "UPDATE o AS x INNER JOIN c AS y ON x.cid = y.id SET note = 'seen'",  # nothing changes
        "UPDATE o JOIN o AS prev ON o.id = prev.id + 1 SET o.note = prev.note",
        "SELECT * FROM o ORDER BY id",
        "DELETE o FROM o JOIN c ON o.cid = c.id WHERE c.vip = 0",
        "DELETE x FROM o AS x, c WHERE x.cid = c.id",
        "SELECT id FROM o",
    ])
    assert [o.rowcount for o in out[4:8]] == [2, 3, 0, 1]
    assert out[8].values == [(1, 1, Decimal("5.00"), "seen"), (2, 2, Decimal("20.00"), "seen"),
                             (3, 1, Decimal("15.00"), "seen"), (4, 9, Decimal("40.00"), "seen")]
    assert out[9].rowcount == 1 and out[10].rowcount == 2 and out[11].values == [(4,)]


def test_insert_ignore_skips_duplicates(differ: Differ) -> None:
    # (Without AUTO_INCREMENT: the ids InnoDB and SQLite use up for ignored rows differ; see README.)
    out = differ.check([
        "CREATE TABLE u (id INT, email VARCHAR(20) UNIQUE)",
        "INSERT INTO u VALUES (1, 'a'), (2, 'b')",
        "INSERT IGNORE INTO u VALUES (3, 'a'), (4, 'c')",
        "INSERT IGNORE INTO u VALUES (5, 'B')",
        "SELECT email FROM u ORDER BY email",
    ])
    assert out[2].rowcount == 1 and out[3].rowcount == 0
    assert out[4].values == [("a",), ("b",), ("c",)]


def test_update_counts_changed_rows_not_matched(differ: Differ) -> None:
    """pymysql does not set CLIENT_FOUND_ROWS by default: affected rows are the rows changed."""
    out = differ.check([
        "CREATE TABLE u (id INT PRIMARY KEY, v INT, s VARCHAR(5))",
        "INSERT INTO u VALUES (1, 5, 'a'), (2, 5, 'b')",
        "UPDATE u SET v = 5",
        "UPDATE u SET v = 6 WHERE id = 1",
        "UPDATE u SET v = 6, s = 'b'",
        "UPDATE u SET s = 'B'",  # a change of case is a change, though 'b' = 'B'
        "UPDATE u SET s = s, v = v + 0",
        "UPDATE u SET v = NULL WHERE id = 1",
        "UPDATE u SET v = NULL",
        "SELECT * FROM u ORDER BY id",
    ])
    assert [o.rowcount for o in out[2:9]] == [0, 1, 2, 2, 0, 1, 1]
    assert out[9].values == [(1, None, "B"), (2, None, "B")]


def test_update_counts_matched_rows_for_client_found_rows(differ: Differ) -> None:
    """With CLIENT_FOUND_ROWS (SQLAlchemy sets it), affected rows are the rows matched."""
    conns = differ.connect(autocommit=True, client_flag=pymysql.constants.CLIENT.FOUND_ROWS)
    out = differ.check([
        "CREATE TABLE u (id INT PRIMARY KEY, v INT)",
        "INSERT INTO u VALUES (1, 5), (2, 5)",
        "UPDATE u SET v = 5",
        "UPDATE u SET v = 6 WHERE id = 1",
        "INSERT INTO u VALUES (1, 6) ON DUPLICATE KEY UPDATE v = 6",  # already so: 1 with the flag
        "INSERT INTO u VALUES (2, 6) ON DUPLICATE KEY UPDATE v = 6",
    ], conns=conns)
    assert [o.rowcount for o in out[2:6]] == [2, 1, 1, 2]


def test_upsert_and_replace_affected_rows(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE kv (k INT PRIMARY KEY, v VARCHAR(5), u INT UNIQUE)",
        "INSERT INTO kv VALUES (1, 'a', 10), (2, 'b', 20)",
        "INSERT INTO kv VALUES (1, 'z', 11) ON DUPLICATE KEY UPDATE v = 'z'",  # updated: 2
        "INSERT INTO kv VALUES (1, 'z', 11) ON DUPLICATE KEY UPDATE v = 'z'",  # already so: 0
        "INSERT INTO kv VALUES (1, 'y', 12), (3, 'c', 30) ON DUPLICATE KEY UPDATE v = VALUES(v)",  # 2 + 1
        "REPLACE INTO kv VALUES (2, 'r', 20)",  # deleted and inserted: 2
        "REPLACE INTO kv VALUES (2, 'q', 10)",  # replaces the rows with k = 2 and with u = 10: 3
        "REPLACE INTO kv VALUES (5, 'n', 50)",  # new: 1
        "SELECT * FROM kv ORDER BY k",
    ])
    assert [o.rowcount for o in out[2:8]] == [2, 0, 3, 2, 3, 1]
    assert out[8].values == [(2, "q", 10), (3, "c", 30), (5, "n", 50)]


def test_upsert_insert_id(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(5), u INT UNIQUE)",
        "INSERT INTO a (v, u) VALUES ('x', 1), ('y', 2)",
        "INSERT INTO a (v, u) VALUES ('w', 2) ON DUPLICATE KEY UPDATE v = 'w'",  # the updated row's id
        "INSERT INTO a (v, u) VALUES ('w', 2) ON DUPLICATE KEY UPDATE v = 'w'",  # nothing changed: 0
        # inserted: the new id (InnoDB used up 3 and 4 for the two attempts before)
        "INSERT INTO a (v, u) VALUES ('n', 3) ON DUPLICATE KEY UPDATE v = 'n'",
        "SELECT LAST_INSERT_ID()",
        "INSERT INTO a (v, u) VALUES ('k', 1) ON DUPLICATE KEY UPDATE v = VALUES(v), id = LAST_INSERT_ID(id)",
        "SELECT LAST_INSERT_ID()",
    ])
    assert [(o.rowcount, o.lastrowid) for o in out[2:5]] == [(2, 2), (0, 0), (1, 5)]
    assert out[5].values == [(5,)] and out[7].values == [(1,)]


# -- SELECT: joins, GROUP BY, ORDER BY, LIMIT ------------------------------------------------------

_SHOP = [
    "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20), city VARCHAR(20))",
    "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT, amount DECIMAL(10,2), status VARCHAR(10),"
    " qty INT)",
    "INSERT INTO customers VALUES (1, 'ann', 'oslo'), (2, 'bob', 'rome'), (3, 'cid', 'oslo'), (4, 'dee', NULL)",
    "INSERT INTO orders (customer_id, amount, status, qty) VALUES (1, 10.50, 'paid', 3), (1, 20.25, 'open', 4),"
    " (2, 5.00, 'paid', 1), (9, 1.00, 'paid', 2), (3, NULL, 'open', NULL)",
]


def test_select_joins(differ: Differ) -> None:
    out = differ.check([
        *_SHOP,
        "SELECT c.name, o.id, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.id",
        "SELECT c.name, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id ORDER BY c.id, o.id",
        "SELECT o.id, c.name FROM orders o LEFT JOIN customers c ON o.customer_id = c.id ORDER BY o.id",
        "SELECT c.name, o.id FROM orders o RIGHT JOIN customers c ON o.customer_id = c.id ORDER BY c.id, o.id",
        "SELECT a.name, b.name FROM customers a JOIN customers b ON a.city = b.city AND a.id < b.id",
        "SELECT c.name FROM customers c WHERE c.id IN (SELECT customer_id FROM orders WHERE status = 'paid')"
        " ORDER BY c.name",
        "SELECT c.name, o.status FROM customers c, orders o WHERE o.customer_id = c.id AND c.city = 'oslo'"
        " ORDER BY o.id",
    ])
    n = len(_SHOP)
    assert out[n].values == [("ann", 1, Decimal("10.50")), ("ann", 2, Decimal("20.25")), ("bob", 3, Decimal("5.00")),
                             ("cid", 5, None)]
    assert out[n + 1].values == [("ann", 1), ("ann", 2), ("bob", 3), ("cid", 5), ("dee", None)]
    assert out[n + 2].values[3] == (4, None)
    assert out[n + 3].values == out[n + 1].values
    assert out[n + 4].values == [("ann", "cid")]
    assert out[n + 5].values == [("ann",), ("bob",)]
    assert out[n + 6].values == [("ann", "paid"), ("ann", "open"), ("cid", "open")]


def test_group_by_and_aggregates(differ: Differ) -> None:
    out = differ.check([
        *_SHOP,
        "SELECT customer_id, COUNT(*), SUM(qty), MIN(qty), MAX(qty), MIN(status) FROM orders"
        " GROUP BY customer_id ORDER BY customer_id",
        "SELECT status, COUNT(amount) AS n FROM orders GROUP BY status ORDER BY status",
        "SELECT city, COUNT(*) FROM customers GROUP BY city ORDER BY city",
        "SELECT customer_id, SUM(qty) AS total FROM orders GROUP BY customer_id HAVING total > 1"
        " ORDER BY total DESC",
        "SELECT c.name, COUNT(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id"
        " GROUP BY c.id, c.name ORDER BY n DESC, c.name",
        "SELECT COUNT(*), COUNT(DISTINCT status), SUM(qty), SUM(amount) FROM orders",
        "SELECT COUNT(*), SUM(qty), MAX(id) FROM orders WHERE id > 100",
        "SELECT DISTINCT city FROM customers ORDER BY city",
    ])
    n = len(_SHOP)
    assert out[n].values == [(1, 2, Decimal(7), 3, 4, "open"), (2, 1, Decimal(1), 1, 1, "paid"),
                             (3, 1, None, None, None, "open"), (9, 1, Decimal(2), 2, 2, "paid")]
    assert [type(v) for v in out[n].values[0]] == [int, int, Decimal, int, int, str]
    assert out[n + 1].values == [("open", 1), ("paid", 3)]
    assert out[n + 2].values == [(None, 1), ("oslo", 2), ("rome", 1)]
    assert out[n + 3].values == [(1, Decimal(7)), (9, Decimal(2))]
    assert out[n + 4].values == [("ann", 2), ("bob", 1), ("cid", 1), ("dee", 0)]
    assert out[n + 5].values == [(5, 2, Decimal(10), Decimal("36.75"))]
    assert out[n + 6].values == [(0, None, None)]
    assert out[n + 7].values == [(None,), ("oslo",), ("rome",)]


def test_decimal_min_max_keep_type(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE m (id INT PRIMARY KEY, amount DECIMAL(10,2))",
        "INSERT INTO m VALUES (1, 10.50), (2, 20.25), (3, 5.00)",
        "SELECT MIN(amount), MAX(amount) FROM m",
        "SELECT id, MAX(amount) FROM m GROUP BY id ORDER BY id",
    ])
    assert out[2].values == [(Decimal("5.00"), Decimal("20.25"))]
    assert out[2].rows is not None and out[2].rows[0][0][2] == "5.00"


def test_decimal_sum_keeps_scale(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE m (id INT PRIMARY KEY, amount DECIMAL(10,2))",
        "INSERT INTO m VALUES (1, 10.50), (2, 6.00), (3, 5.00), (4, 0.10), (5, 0.20)",
        "SELECT SUM(amount) FROM m WHERE id < 3",
        "SELECT SUM(amount) FROM m WHERE id = 3",
        "SELECT SUM(amount) FROM m WHERE id > 3",  # 0.1 + 0.2 as binary floats is 0.30000000000000004
        "SELECT SUM(amount) FROM m WHERE id > 100",
    ])
    assert [o.rows[0][0][2] for o in out[2:5] if o.rows] == ["16.50", "5.00", "0.30"]
    assert out[5].values == [(None,)]


def test_datetime_aggregates_keep_type(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE e (id INT PRIMARY KEY, at DATETIME, day DATE, t TIME)",
        "INSERT INTO e VALUES (1, '2024-01-02 03:04:05', '2024-01-02', '01:02:03'),"
        " (2, '2025-01-02 03:04:05', '2025-01-02', '10:00:00')",
        "SELECT MIN(at), MAX(at), MIN(day), MAX(day), MIN(t) FROM e",
        "SELECT COALESCE(day, at), IFNULL(day, 'x'), IF(id > 1, day, at) FROM e ORDER BY id",
    ])
    assert out[2].values == [(dt.datetime(2024, 1, 2, 3, 4, 5), dt.datetime(2025, 1, 2, 3, 4, 5), dt.date(2024, 1, 2),
                               dt.date(2025, 1, 2), dt.timedelta(hours=1, minutes=2, seconds=3))]
    assert out[3].values[0] == (dt.datetime(2024, 1, 2), "2024-01-02", dt.datetime(2024, 1, 2, 3, 4, 5))


def test_order_by_and_limit(differ: Differ) -> None:
    out = differ.check([
        *_SHOP,
        "SELECT id FROM orders ORDER BY amount, id",
        "SELECT id FROM orders ORDER BY amount DESC, id",
        "SELECT id, status FROM orders ORDER BY status DESC, id DESC",
        "SELECT name FROM customers ORDER BY city, name",
        "SELECT id FROM orders ORDER BY id LIMIT 2",
        "SELECT id FROM orders ORDER BY id LIMIT 1, 2",
        "SELECT id FROM orders ORDER BY id LIMIT 2 OFFSET 3",
        "SELECT id FROM orders ORDER BY id LIMIT 4, 10",
        "SELECT id FROM orders ORDER BY id LIMIT 10, 5",
        "SELECT id FROM orders ORDER BY id LIMIT 0",
        "SELECT id, amount AS x FROM orders WHERE amount IS NOT NULL ORDER BY 2 DESC LIMIT 1",
        "SELECT name AS n FROM customers ORDER BY n DESC LIMIT 1",
    ])
    n = len(_SHOP)
    assert out[n].values == [(5,), (4,), (3,), (1,), (2,)]  # NULL sorts first, as in MariaDB
    assert out[n + 1].values == [(2,), (1,), (3,), (4,), (5,)]
    assert out[n + 4].values == [(1,), (2,)]
    assert out[n + 5].values == [(2,), (3,)]
    assert out[n + 6].values == [(4,), (5,)]
    assert out[n + 7].values == [(5,)]
    assert out[n + 8].values == [] and out[n + 9].values == []
    assert out[n + 10].values[0][0] == 2
    assert out[n + 11].values == [("dee",)]


# -- AUTO_INCREMENT, LAST_INSERT_ID(), cursor.lastrowid -------------------------------------------


def test_auto_increment_last_insert_id_and_lastrowid(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(5))",
        "SELECT LAST_INSERT_ID()",
        "INSERT INTO a (v) VALUES ('x')",
        "SELECT LAST_INSERT_ID()",
        "INSERT INTO a (v) VALUES ('y'), ('z')",
        "SELECT LAST_INSERT_ID()",  # the first id of a multi-row insert
        "INSERT INTO a (id, v) VALUES (10, 'ten')",
        "SELECT LAST_INSERT_ID()",  # an explicit id does not change it
        "INSERT INTO a (v) VALUES ('next')",
        "SELECT LAST_INSERT_ID()",
        "UPDATE a SET v = 'u' WHERE id = 1",
        "SELECT LAST_INSERT_ID()",
        "DELETE FROM a WHERE id = 11",
        "INSERT INTO a (v) VALUES ('after')",  # ids are not reused
        "INSERT INTO a (id, v) VALUES (NULL, 'null')",
        "SELECT id, v FROM a ORDER BY id",
        "SELECT LAST_INSERT_ID(42)",
        "SELECT LAST_INSERT_ID()",
    ])
    assert out[1].values == [(0,)]
    assert out[2].lastrowid == 1 and out[3].values == [(1,)]
    assert out[4].lastrowid == 2 and out[5].values == [(2,)]
    assert out[6].lastrowid == 10 and out[7].values == [(2,)]
    assert out[8].lastrowid == 11 and out[9].values == [(11,)]
    assert out[10].lastrowid == 0 and out[11].values == [(11,)]
    assert out[13].lastrowid == 12 and out[14].lastrowid == 13
    assert [r[0] for r in out[15].values] == [1, 2, 3, 10, 12, 13]
    assert out[16].values == [(42,)] and out[17].values == [(42,)]


def test_auto_increment_zero_or_null_generates_id(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(5))",
        "INSERT INTO a (v) VALUES ('x')",
        "INSERT INTO a (id, v) VALUES (0, 'zero')",
        "INSERT INTO a VALUES (0, 'zero2')",
        "INSERT INTO a VALUES (NULL, 'null')",
        "SELECT LAST_INSERT_ID()",
        "INSERT INTO a VALUES (10, 'ten')",  # explicit: LAST_INSERT_ID() stays
        "SELECT LAST_INSERT_ID()",
        "INSERT INTO a (id, v) VALUES (0, 'p'), (0, 'q')",
        "SELECT LAST_INSERT_ID()",
        "SELECT id, v FROM a ORDER BY id",
    ])
    assert [o.lastrowid for o in out[1:5]] == [1, 2, 3, 4]
    assert out[5].values == [(4,)] and out[6].lastrowid == 10 and out[7].values == [(4,)]
    assert out[8].lastrowid == 11 and out[9].values == [(11,)]
    assert [r[0] for r in out[10].values] == [1, 2, 3, 4, 10, 11, 12]


def test_last_insert_id_is_per_connection(differ: Differ) -> None:
    differ.check(["CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, v INT)", "INSERT INTO a (v) VALUES (1)"])
    other = differ.connect(autocommit=True)
    out_other = differ.check(["INSERT INTO a (v) VALUES (2), (3)", "SELECT LAST_INSERT_ID()"], conns=other)
    out = differ.check(["SELECT LAST_INSERT_ID()", "SELECT MAX(id) FROM a"])
    assert out_other[0].lastrowid == 2 and out_other[1].values == [(2,)]
    assert out[0].values == [(1,)] and out[1].values == [(3,)]


# -- names, functions -------------------------------------------------------------------------


def test_backquoted_names(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE `order` (`select` INT, `from` VARCHAR(5), `weird col` INT, `a``b` INT)",
        "INSERT INTO `order` (`select`, `from`, `weird col`, `a``b`) VALUES (1, 'x', 2, 3)",
        "SELECT `select`, `from`, `weird col`, `a``b` FROM `order`",
        "SELECT o.`select` AS `the value` FROM `{db}`.`order` AS o",
        "UPDATE `order` SET `from` = 'y' WHERE `select` = 1",
        "SELECT * FROM `order`",
        "DESCRIBE `order`",
        "SHOW TABLES",
        "DROP TABLE `order`",
    ])
    assert out[2].columns == ("select", "from", "weird col", "a`b") and out[2].values == [(1, "x", 2, 3)]
    assert out[3].columns == ("the value",)
    assert out[5].values == [(1, "y", 2, 3)]
    assert [r[0] for r in out[6].values] == ["select", "from", "weird col", "a`b"]
    assert out[7].values == [("order",)]


def test_concat_ifnull_coalesce(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE f (id INT PRIMARY KEY, s VARCHAR(10), n INT, t VARCHAR(10))",
        "INSERT INTO f VALUES (1, 'a', 1, NULL), (2, NULL, NULL, 'tee'), (3, 'c', NULL, NULL)",
        "SELECT CONCAT(s, '-', id), CONCAT('x', n), IFNULL(s, 'none'), IFNULL(n, -1), COALESCE(s, t, 'both null'),"
        " COALESCE(n, id) FROM f ORDER BY id",
        "SELECT CONCAT('a', 'b', 'c'), CONCAT('a', NULL), CONCAT(1, 2), IFNULL(NULL, 'd'), IFNULL('e', 'f'),"
        " COALESCE(NULL, NULL, 3), COALESCE(NULL, NULL)",
    ])
    assert out[2].values == [("a-1", "x1", "a", 1, "a", 1), (None, None, "none", -1, "tee", 2),
                             ("c-3", None, "c", -1, "c", 3)]
    assert out[3].values == [("abc", None, "12", "d", "e", 3, None)]


def test_coalesce_ifnull_keep_decimal(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE m (id INT PRIMARY KEY, amount DECIMAL(10,2), d DOUBLE)",
        "INSERT INTO m VALUES (1, 10.50, 1.5), (2, NULL, NULL)",
        "SELECT COALESCE(amount, 0), IFNULL(amount, 0), COALESCE(amount, d), NULLIF(amount, 10.5),"
        " GREATEST(amount, 7), LEAST(id, 1.5) FROM m ORDER BY id",
        "SELECT IF(id = 1, amount, 0), CASE WHEN id = 1 THEN amount ELSE d END, CASE id WHEN 1 THEN 'one' ELSE 2 END"
        " FROM m ORDER BY id",
    ])
    assert out[2].values[0] == (Decimal("10.50"), Decimal("10.50"), 10.5, None, Decimal("10.50"), Decimal("1.0"))
    assert out[2].values[1][:2] == (Decimal("0.00"), Decimal("0.00"))
    assert out[3].values == [(Decimal("10.50"), 10.5, "one"), (Decimal("0.00"), None, "2")]


def test_decimal_arithmetic_stays_decimal(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE m (id INT PRIMARY KEY, amount DECIMAL(10,2), d DOUBLE, s VARCHAR(5))",
        "INSERT INTO m VALUES (1, 10.50, 1.5, '7'), (2, 5, 6.5, 'x')",
        "SELECT amount * 2, amount + 1, amount - d, amount * amount, amount / 3, id / 2, -amount, amount * 1.5,"
        " amount % 3, 1.5 % 1, 7 % 3, -7 % 3, 7 MOD 0 FROM m ORDER BY id",
        "SELECT 1/3, 1.0/3, 1.5/2.25, 2*1.5, 1.25+1, 7 DIV 2, 7.5 DIV 2, id + '1', s + 0 FROM m ORDER BY id",
        "SELECT a.amount + b.amount FROM m a JOIN m b ON a.id = b.id ORDER BY a.id",
        "SELECT x * 2 FROM (SELECT amount AS x FROM m) AS sub ORDER BY x",
        "WITH c AS (SELECT id, amount AS x FROM m) SELECT x + 1 FROM c ORDER BY id",
        "SELECT *, amount * 2 FROM m ORDER BY id",
        "SELECT m.*, amount + 1 AS a1 FROM m ORDER BY a1",
    ])
    assert out[2].values[0] == (Decimal("21.00"), Decimal("11.50"), 9.0, Decimal("110.2500"), Decimal("3.500000"),
                                Decimal("0.5000"), Decimal("-10.50"), Decimal("15.750"), Decimal("1.50"),
                                Decimal("0.5"), 1, -1, None)
    assert out[3].values[0] == (Decimal("0.3333"), Decimal("0.33333"), Decimal("0.66667"), Decimal("3.0"),
                                Decimal("2.25"), 3, 3, 2.0, 7.0)
    assert out[5].values == [(Decimal("10.00"),), (Decimal("21.00"),)]
    assert out[8].values[0][-1] == Decimal("6.00")


def test_aggregate_types(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE m (id INT PRIMARY KEY, amount DECIMAL(10,2), score DOUBLE, s VARCHAR(5), b TINYINT)",
        "INSERT INTO m VALUES (1, 10.50, 1.5, '7', 1), (2, 20.25, 6.5, 'x', 0), (3, 5.00, NULL, NULL, 1)",
        "SELECT AVG(amount), SUM(score), AVG(score), SUM(s), AVG(s), SUM(b), AVG(b), AVG(id), SUM(amount * 2)"
        " FROM m",
        "SELECT COUNT(*), COUNT(DISTINCT b), MAX(id) - MIN(id), SUM(id) / COUNT(*), SUM(DISTINCT b) FROM m",
        "SELECT STD(id), STDDEV_SAMP(id), VARIANCE(id), VAR_SAMP(score), BIT_OR(id), BIT_AND(id), BIT_XOR(b) FROM m",
        "SELECT b, SUM(amount), AVG(amount) FROM m GROUP BY b ORDER BY b",
    ])
    assert out[2].values == [(Decimal("11.916667"), 8.0, 4.0, 7.0, 3.5, Decimal("2"), Decimal("0.6667"),
                               Decimal("2.0000"), Decimal("71.50"))]
    assert out[4].values[0][:2] == (0.8165, 1.0)
    assert out[5].values == [(0, Decimal("20.25"), Decimal("20.250000")), (1, Decimal("15.50"), Decimal("7.750000"))]


def test_union_column_types_merge(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE m (id INT PRIMARY KEY, amount DECIMAL(10,2), d DOUBLE)",
        "INSERT INTO m VALUES (1, 10.50, 1.5)",
        "SELECT 1 UNION SELECT 'a'",
        "SELECT 1 UNION SELECT 2.5",
        "SELECT amount FROM m UNION ALL SELECT d FROM m",
        "SELECT id FROM m UNION SELECT amount FROM m ORDER BY 1",
    ])
    assert out[2].values == [("1",), ("a",)]
    assert out[3].values == [(Decimal("1.0"),), (Decimal("2.5"),)]
    assert out[4].values == [(10.5,), (1.5,)]
    assert out[5].values == [(Decimal("1.00"),), (Decimal("10.50"),)]


def test_literal_string_comparison_is_case_insensitive(differ: Differ) -> None:
    out = differ.check([
        "SELECT 'a' = 'A', 'abc' LIKE 'ABC', 'a' IN ('A', 'b'), 'a' BETWEEN 'A' AND 'B', 'B' > 'a', 'a' <> 'A'",
        "SELECT '5' = 5, 'abc' = 0, '1.0' = 1, 10 > '9'",  # a string compared with a number compares as numbers
        "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10), bin VARBINARY(10))",
        "INSERT INTO t VALUES (1, 'Alice', 'Alice'), (2, 'bob', 'bob')",
        "SELECT id FROM t WHERE UPPER(name) = 'alice'",
        "SELECT id FROM t WHERE CONCAT(name, '!') = 'ALICE!'",
        "SELECT id FROM t WHERE LOWER(name) IN ('ALICE', 'BOB') ORDER BY id",
        "SELECT id, name = 'ALICE', bin = 'ALICE', bin = 'Alice' FROM t ORDER BY id",  # binary strings: byte for byte
    ])
    assert out[0].values == [(1, 1, 1, 1, 1, 0)]
    assert out[1].values == [(1, 1, 1, 1)]
    assert out[4].values == [(1,)] and out[5].values == [(1,)] and out[6].values == [(1,), (2,)]
    assert out[7].values == [(1, 1, 0, 1), (2, 0, 0, 0)]


def test_varchar_column_comparison_is_case_insensitive(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE ci (name VARCHAR(10))",
        "INSERT INTO ci VALUES ('Alice'), ('bob')",
        "SELECT name FROM ci WHERE name = 'ALICE'",
        "SELECT name FROM ci ORDER BY name DESC",
    ])
    assert out[2].values == [("Alice",)]
    assert out[3].values == [("bob",), ("Alice",)]


# -- type mapping: what pymysql returns -------------------------------------------------------


def test_type_mapping_of_columns(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE ty (i INT, d DOUBLE, m DECIMAL(10,2), v VARCHAR(20), b BLOB, ts DATETIME, day DATE, z INT)",
        "INSERT INTO ty VALUES (42, 2.5, 1234.5, 'héllo', x'00ff10', '2024-02-29 13:14:15', '2024-02-29', NULL)",
        "INSERT INTO ty VALUES (-7, -0.125, 0, '', '', '1999-12-31 23:59:59', '1970-01-01', NULL)",
        "SELECT i, d, m, v, b, ts, day, z FROM ty ORDER BY i DESC",
        "SELECT i, d, m, v, b, ts, day, z FROM ty WHERE i = 999",
    ])
    rows = out[3].values
    assert rows[0] == (42, 2.5, Decimal("1234.50"), "héllo", b"\x00\xff\x10", dt.datetime(2024, 2, 29, 13, 14, 15),
                       dt.date(2024, 2, 29), None)
    assert [type(v) for v in rows[0]] == [int, float, Decimal, str, bytes, dt.datetime, dt.date, type(None)]
    assert rows[1] == (-7, -0.125, Decimal("0.00"), "", b"", dt.datetime(1999, 12, 31, 23, 59, 59),
                       dt.date(1970, 1, 1), None)
    assert out[4].values == [] and out[4].columns == ("i", "d", "m", "v", "b", "ts", "day", "z")


def test_type_mapping_of_literals_and_expressions(differ: Differ) -> None:
    out = differ.check([
        "SELECT NULL, 1, -5, 1.5, 12345678901, 'x' AS s",
        "SELECT 1 + 1, 7 DIV 2, 7 % 3, 1 = 1, 1 IS NULL",
        "SELECT CAST('2024-01-02' AS DATE), CAST('2024-01-02 03:04:05' AS DATETIME), CAST('7' AS SIGNED),"
        " CAST(1.5 AS DECIMAL(10,2))",
        "SELECT UPPER('abc'), LOWER('ABC'), LENGTH('abc'), SUBSTRING('abcdef', 2, 3)",
    ])
    assert out[0].values == [(None, 1, -5, Decimal("1.5"), 12345678901, "x")]
    assert out[1].values == [(2, 3, 1, 1, 0)]
    assert out[2].values == [(dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 3, 4, 5), 7, Decimal("1.50"))]
    assert out[3].values == [("ABC", "abc", 3, "bcd")]


def test_float_literal_is_double_and_string_literal_names_its_column(differ: Differ) -> None:
    out = differ.check(["SELECT 2.5e0, 1e3, 'x', 'it''s'"])
    assert out[0].columns == ("2.5e0", "1e3", "x", "it's")
    assert out[0].values == [(2.5, 1000.0, "x", "it's")]
    assert [type(v) for v in out[0].values[0]] == [float, float, str, str]


def test_blob_columns_holding_text_and_numbers_return_bytes(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE b (id INT PRIMARY KEY, data BLOB, vb VARBINARY(10))",
        "INSERT INTO b VALUES (1, '', 'abc'), (2, 'hello', x'00'), (3, x'ff', NULL), (4, 5, 6)",
        "SELECT id, data, vb FROM b ORDER BY id",
        "SELECT *, 'lit' FROM b ORDER BY id",
        "SELECT 1",  # the connection survived
    ])
    assert out[2].values == [(1, b"", b"abc"), (2, b"hello", b"\x00"), (3, b"\xff", None), (4, b"5", b"6")]
    assert out[3].values[0] == (1, b"", b"abc", "lit")
    assert out[4].values == [(1,)]


def _assert_now(value: object, before: dt.datetime, after: dt.datetime, what: str) -> None:
    assert type(value) is dt.datetime, f"{what}: {value!r} is not a datetime"
    slack = dt.timedelta(seconds=3)
    # NOW() has whole seconds: it may read up to a second before `before`.
    assert before - slack <= value <= after + slack, f"{what}: {value} is not within 3 s of the local clock ({before})"


def test_now_is_a_datetime_near_the_local_clock(differ: Differ) -> None:
    for name, conn in (("ours", differ.ours), ("MariaDB", differ.reference)):
        with conn.cursor() as cur:
            before = dt.datetime.now()
            cur.execute("SELECT NOW(), CURRENT_TIMESTAMP, NOW(3), CURDATE()")
            now, current, now3, today = cur.fetchone()
            after = dt.datetime.now()
        _assert_now(now, before, after, f"{name} NOW()")
        _assert_now(current, before, after, f"{name} CURRENT_TIMESTAMP")
        _assert_now(now3, before, after, f"{name} NOW(3)")
        assert now3.replace(microsecond=0) == now, f"{name}: NOW(3) {now3} and NOW() {now} are not the same instant"
        assert type(today) is dt.date and today in (before.date(), after.date()), f"{name} CURDATE() {today!r}"


def test_now_is_the_same_for_every_row_of_a_statement(app_server: testingshim.TestServer) -> None:
    conn = app_server.application_layer().sql_conn(autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE r (id INT PRIMARY KEY, at DATETIME)")
        cur.execute("INSERT INTO r VALUES " + ", ".join(f"({i}, NOW())" for i in range(200)))
        cur.execute("SELECT DISTINCT at FROM r")
        values = cur.fetchall()
    assert len(values) == 1, values
    (at,) = values[0]
    assert type(at) is dt.datetime and abs(at - dt.datetime.now()) < dt.timedelta(seconds=5)


def test_do_evaluates_expressions_for_their_effects(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1)",
        "DO 1", "DO 1, 'a', NULL", "do  1/0 ;", "DO (SELECT COUNT(*) FROM t)", "DO (SELECT 1 UNION SELECT 2)",
        "DO @unset",
        "DO SLEEP(0)", "DO LAST_INSERT_ID(7)", "SELECT LAST_INSERT_ID(), ROW_COUNT()",
        "DO (SELECT a FROM nosuch)", "DO nosuchfn()", "DO", "DO 1 +",
    ])
    assert [o.rowcount for o in out[2:10]] == [0] * 8
    assert out[10].values == [(7, 0)]
    assert [o.error[1] if o.error else None for o in out[11:]] == [1146, 1305, 1064, 1064]


def test_failed_inserts_use_up_ids_and_joined_writes_change_every_table(differ: Differ) -> None:
    # Two of README's former known differences, now answered as MariaDB answers them.
    differ.check([
        "CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(3) UNIQUE)",
        "INSERT INTO a (v) VALUES ('x')", "INSERT INTO a (v) VALUES ('x')", "INSERT IGNORE INTO a (v) VALUES ('x')",
        "INSERT INTO a (v) VALUES ('y')", "SELECT LAST_INSERT_ID()", "SELECT id, v FROM a ORDER BY id",
        "CREATE TABLE o (id INT PRIMARY KEY, cid INT, note VARCHAR(5))",
        "CREATE TABLE c (id INT PRIMARY KEY, note VARCHAR(5))",
        "INSERT INTO o VALUES (1, 1, NULL), (2, 9, NULL)", "INSERT INTO c VALUES (1, NULL), (2, NULL)",
        "UPDATE o JOIN c ON o.cid = c.id SET o.note = 'x', c.note = 'y'",
        "UPDATE o LEFT JOIN c ON o.cid = c.id SET o.note = 'z' WHERE c.id IS NULL",
        "SELECT * FROM o ORDER BY id", "SELECT * FROM c ORDER BY id",
        "DELETE o, c FROM o JOIN c ON o.cid = c.id", "SELECT * FROM o ORDER BY id", "SELECT * FROM c ORDER BY id",
    ])


def test_text_compares_by_its_collation_in_expressions_keys_and_sorts(differ: Differ) -> None:
    # README's former known difference (ASCII-only case folding): utf8mb4_general_ci folds accents and
    # case and pads with spaces, in comparisons, ORDER BY, GROUP BY, DISTINCT and unique keys alike.
    out = differ.check([
        "SELECT 'a' = 'A', 'é' = 'É', 'é' = 'e', 'a' = 'a ', 'a\t' < 'a', 'ß' = 's', '_' > 'Z'",
        "CREATE TABLE w (id INT PRIMARY KEY, v VARCHAR(10), b VARCHAR(10) COLLATE utf8mb4_bin, "
        "u VARCHAR(10) COLLATE utf8mb4_unicode_ci, UNIQUE KEY (v))",
        "INSERT INTO w VALUES (1, 'é', 'é', 'ß'), (2, 'b', 'B', 'ss'), (3, '_', 'a ', 'Ä')",
        "INSERT INTO w VALUES (4, 'E ', 'x', 'x')",
        "SELECT id FROM w ORDER BY v, id", "SELECT id FROM w ORDER BY b, id", "SELECT id FROM w ORDER BY u, id",
        "SELECT COUNT(DISTINCT u), COUNT(DISTINCT b) FROM w", "SELECT id FROM w WHERE b = 'a' AND u = 'a'",
    ])
    assert out[0].values == [(1, 1, 1, 1, 1, 1, 1)]
    assert out[3].error is not None and out[3].error[1] == 1062


def test_columns_named_with_their_database_and_table(differ: Differ) -> None:
    differ.check([
        "CREATE TABLE w (c INT)", "INSERT INTO w VALUES (2)",
        "CREATE TABLE `odd ``name``` (`2col` INT)", "INSERT INTO `odd ``name``` VALUES (7)",
        "SELECT {db}.w.c FROM {db}.w",
        "SELECT {db}.w.c, COUNT(*) FROM {db}.w GROUP BY {db}.w.c ORDER BY {db}.w.c",
        "SELECT `{db}`.`odd ``name```.`2col` FROM `{db}`.`odd ``name```",
        "CREATE DATABASE {db}_o", "CREATE TABLE {db}_o.w (c INT)", "INSERT INTO {db}_o.w VALUES (5)",
        "SELECT {db}_o.w.c, {db}.w.c FROM {db}_o.w JOIN {db}.w",
        "SELECT {db}.w.c FROM {db}_o.w",  # 1054: that table is no table of the query
        "DROP DATABASE {db}_o",
    ])


def test_collations_sort_group_and_count_as_mariadb(differ: Differ) -> None:
    # Each collation's weights come from MariaDB's (tools/collation_weights.py): strings of accents,
    # ligatures, dotless i, tabs, trailing spaces, CJK and emoji sort, group and count distinct alike.
    values = ["a", "A", "á", "a ", "a\t", "", " ", "ß", "ss", "s", "æ", "ae", "Æ", "\u0131", "I", "i", "İ", "ø", "o",
              "å", "z", "Z", "_", "-", ".", "0", "9", "é", "É", "e", "ê", "日", "本", "😀", "😁", "œ", "oe", "ñ", "n"]
    rows = ", ".join(f"({i}, '{v}')" for i, v in enumerate(values))
    statements = []
    for collation in ("utf8mb4_general_ci", "utf8mb4_unicode_ci", "utf8mb4_unicode_520_ci", "utf8mb4_bin"):
        statements += [f"CREATE TABLE s_{collation} (id INT PRIMARY KEY, v VARCHAR(5) COLLATE {collation})",
                       f"INSERT INTO s_{collation} VALUES {rows}",
                       f"SELECT id FROM s_{collation} ORDER BY v, id",
                       f"SELECT MIN(id), COUNT(*) FROM s_{collation} GROUP BY v ORDER BY MIN(id)",
                       f"SELECT COUNT(DISTINCT v) FROM s_{collation}"]
    out = differ.check(statements)
    # (MariaDB's answers, which app's were just compared with)
    assert [o.values for o in out[4::5]] == [[(23,)], [(23,)], [(22,)], [(37,)]]

"""The DDL that migration tools emit, compared with MariaDB (see _sqldiff.py): named constraints in
CREATE TABLE, every ALTER TABLE form Django and Alembic use, foreign keys enforced as InnoDB
enforces them, and the table's definition as SHOW CREATE TABLE, SHOW INDEX and information_schema
show it afterwards (which is what ORMs reflect).
"""

from __future__ import annotations

from _sqldiff import Differ

_KEY_TABLES = [
    "SELECT CONSTRAINT_NAME, TABLE_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS "
    "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_TYPE, CONSTRAINT_NAME",
    "SELECT CONSTRAINT_NAME, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, POSITION_IN_UNIQUE_CONSTRAINT, "
    "REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
    "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
    "SELECT CONSTRAINT_NAME, UNIQUE_CONSTRAINT_NAME, MATCH_OPTION, UPDATE_RULE, DELETE_RULE, TABLE_NAME, "
    "REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() "
    "ORDER BY TABLE_NAME, CONSTRAINT_NAME",
    "SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
    "WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME",
    "SELECT TABLE_NAME, NON_UNIQUE, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, COLLATION, SUB_PART, NULLABLE, "
    "INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
    "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
]


def test_create_table_with_named_constraints_shows_as_mariadb_shows_it(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE parent (id INT NOT NULL, code VARCHAR(5), CONSTRAINT parent_pk PRIMARY KEY (id), "
        "CONSTRAINT uq_code UNIQUE (code))",
        "CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, a INT, b INT, c VARCHAR(5), "
        "q INT UNSIGNED NOT NULL CHECK (q >= 0), "
        "CONSTRAINT fk_named FOREIGN KEY (a) REFERENCES parent (id), "
        "FOREIGN KEY (b) REFERENCES parent (id) ON DELETE SET NULL ON UPDATE CASCADE, KEY ib (b), "
        "FOREIGN KEY (c) REFERENCES parent (code) ON DELETE CASCADE, CHECK (a > 0), "
        "CONSTRAINT named_chk CHECK (a <> 5), UNIQUE KEY (a, b), INDEX (c, a))",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
        "SHOW CREATE TABLE parent",
        "SHOW CREATE TABLE child",
        "SHOW CREATE TABLE alembic_version",
        "SHOW INDEX FROM child",
        "SHOW KEYS FROM parent",
        *_KEY_TABLES,
    ])
    assert "CONSTRAINT `child_ibfk_1` FOREIGN KEY (`b`) REFERENCES `parent` (`id`) ON DELETE SET NULL ON UPDATE " \
           "CASCADE" in out[4].values[0][1]


def test_foreign_keys_are_enforced_as_innodb_enforces_them(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR(10))",
        "CREATE TABLE c_restrict (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES p (id))",
        "CREATE TABLE c_cascade (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES p (id) ON DELETE CASCADE "
        "ON UPDATE CASCADE)",
        "CREATE TABLE c_null (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES p (id) ON DELETE SET NULL)",
        "INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'c')",
        "INSERT INTO c_restrict VALUES (1, 99)",
        "INSERT INTO c_restrict VALUES (1, 1), (2, NULL)",
        "INSERT INTO c_cascade VALUES (1, 2), (2, 2)",
        "INSERT INTO c_null VALUES (1, 3)",
        "DELETE FROM p WHERE id = 1",
        "UPDATE c_restrict SET p = 42 WHERE id = 1",
        "DELETE FROM p WHERE id = 2",
        "SELECT * FROM c_cascade",
        "DELETE FROM p WHERE id = 3",
        "SELECT * FROM c_null",
        "DROP TABLE p",
        "SET FOREIGN_KEY_CHECKS = 0",
        "INSERT INTO c_restrict VALUES (3, 77)",
        "SET FOREIGN_KEY_CHECKS = 1",
        "SELECT * FROM c_restrict ORDER BY id",
        "DROP TABLE c_restrict, c_cascade, c_null, p",
        "SHOW TABLES",
    ])
    assert out[5].error == ("IntegrityError", 1452) and out[9].error == ("IntegrityError", 1451)
    assert out[12].values == [] and out[14].values == [(1, None)]
    assert out[15].error == ("IntegrityError", 1451) and out[-1].values == []


def test_alter_table_forms_that_django_and_alembic_emit(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE author (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
        "CREATE TABLE book (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(20) NOT NULL DEFAULT 'x', "
        "price DECIMAL(6,2), author_id INT)",
        "INSERT INTO author (name) VALUES ('ann'), ('bob')",
        "INSERT INTO book (title, price, author_id) VALUES ('one', 1.50, 1), ('two', NULL, 2), ('three', 3, 1)",
        "ALTER TABLE book ADD CONSTRAINT book_title_uniq UNIQUE (title)",
        "ALTER TABLE book ADD CONSTRAINT book_author_id_fk FOREIGN KEY (author_id) REFERENCES author (id)",
        "ALTER TABLE book MODIFY price DECIMAL(8,3) NOT NULL DEFAULT 0",
        "ALTER TABLE book MODIFY price DECIMAL(8,3) NULL",
        "ALTER TABLE book ALTER COLUMN title DROP DEFAULT",
        "ALTER TABLE book ALTER COLUMN title SET DEFAULT 'untitled'",
        "ALTER TABLE book CHANGE title name VARCHAR(40) NOT NULL",
        "ALTER TABLE book RENAME COLUMN name TO title",
        "ALTER TABLE book ADD COLUMN isbn VARCHAR(13) NOT NULL AFTER id, ADD INDEX book_isbn_idx (isbn), "
        "ADD COLUMN pages INT FIRST",
        "ALTER TABLE book RENAME INDEX book_isbn_idx TO ix_isbn",
        "ALTER TABLE book ADD CHECK (pages > 0), ADD CONSTRAINT positive_price CHECK (price >= 0)",
        "SHOW CREATE TABLE book",
        "SELECT * FROM book ORDER BY id",
        # (InnoDB uses up an AUTO_INCREMENT id in a failed insert, app does not: no SHOW CREATE after these)
        "INSERT INTO book (title, author_id, isbn) VALUES ('four', 9, 'i')",
        "INSERT INTO book (title, author_id, isbn, price) VALUES ('four', 1, 'i', -1)",
        "INSERT INTO book (title, author_id, isbn) VALUES ('one', 1, 'i')",
        "ALTER TABLE book DROP FOREIGN KEY book_author_id_fk",
        "ALTER TABLE book DROP INDEX book_title_uniq, DROP CHECK positive_price",
        "ALTER TABLE book DROP COLUMN pages, DROP CONSTRAINT positive_price",
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_KEY FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'book' ORDER BY ORDINAL_POSITION",
        "CREATE TABLE pk (a INT NOT NULL, b INT NOT NULL, c INT)",
        "ALTER TABLE pk ADD PRIMARY KEY (a)",
        "ALTER TABLE pk DROP PRIMARY KEY, ADD PRIMARY KEY (a, b), ADD UNIQUE (c)",
        "SHOW CREATE TABLE pk",
        "ALTER TABLE pk DROP PRIMARY KEY",
        "ALTER TABLE pk DROP PRIMARY KEY",
        "ALTER TABLE book DROP INDEX nosuch",
        "ALTER TABLE book DROP FOREIGN KEY nosuch",
        "ALTER TABLE book DROP COLUMN nosuch",
        "ALTER TABLE book MODIFY nosuch INT",
        "ALTER TABLE book ADD COLUMN title INT",
        "ALTER TABLE book ADD INDEX (nosuch)",
        "ALTER TABLE nosuch ADD COLUMN x INT",
        "ALTER TABLE book RENAME TO volume",
        "SELECT id, title, isbn, price FROM volume ORDER BY id",
        *_KEY_TABLES,
    ])
    assert out[16].values[0][:3] == (None, 1, "")
    assert out[17].error == ("IntegrityError", 1452) and out[18].error == ("OperationalError", 4025)
    assert out[19].error == ("IntegrityError", 1062)


def test_alter_keeps_rows_and_auto_increment(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(5))",
        "INSERT INTO t (v) VALUES ('a'), ('b'), ('c')",
        "DELETE FROM t WHERE id = 3",
        "ALTER TABLE t MODIFY v VARCHAR(10) NOT NULL",
        "INSERT INTO t (v) VALUES ('d')",
        "SELECT * FROM t ORDER BY id",
        "ALTER TABLE t ADD COLUMN n INT NOT NULL",
        "SELECT * FROM t ORDER BY id",
        "ALTER TABLE t MODIFY v VARCHAR(1)",
        "SELECT * FROM t ORDER BY id",
    ])
    assert out[4].lastrowid == 4 and [r[0] for r in out[5].values] == [1, 2, 4]
    assert out[7].values[0] == (1, "a", 0)


def test_checks_follow_a_renamed_column(differ: Differ) -> None:
    # A CHECK names the column; renaming it renames the CHECK's reference (and the check keeps checking).
    out = differ.check([
        "CREATE TABLE k (id INT PRIMARY KEY AUTO_INCREMENT, b INT CHECK (b > 0), c INT, CONSTRAINT cc CHECK (c > b))",
        "ALTER TABLE k RENAME COLUMN b TO bb",
        "SHOW CREATE TABLE k",
        "INSERT INTO k (bb, c) VALUES (0, 1)",
        "INSERT INTO k (bb, c) VALUES (2, 1)",
        "INSERT INTO k (bb, c) VALUES (2, 3)",
        "ALTER TABLE k CHANGE bb b2 INT",
        "SHOW CREATE TABLE k",
        "INSERT INTO k (b2, c) VALUES (5, 4)",
        "SELECT * FROM k",
    ])
    assert out[3].error is not None and out[4].error is not None and out[9].values == [(1, 2, 3)]


def test_dropping_a_parent_table_and_its_keys(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE p (id INT PRIMARY KEY)",
        "CREATE TABLE c (id INT PRIMARY KEY, p INT, CONSTRAINT fk FOREIGN KEY (p) REFERENCES p (id))",
        "ALTER TABLE c DROP INDEX fk",
        "DROP TABLE p",
        "DROP TABLE c",
        "DROP TABLE p",
    ])
    assert out[2].error == ("OperationalError", 1553)
    assert out[3].error == ("IntegrityError", 1451)


def test_int_primary_key_refuses_null(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE k (id INT PRIMARY KEY, v INT)",
        "INSERT INTO k VALUES (NULL, 1)",
        "INSERT INTO k (v) VALUES (1)",
        "CREATE TABLE k2 (a INT, b INT, PRIMARY KEY (a, b))",
        "INSERT INTO k2 VALUES (1, NULL)",
        "DESCRIBE k2",
    ])
    assert out[1].error == ("IntegrityError", 1048)


def test_truncate_of_a_parent_and_update_of_a_referenced_key(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE p (id INT PRIMARY KEY, v INT)",
        "CREATE TABLE c (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES p (id))",
        "CREATE TABLE s (id INT PRIMARY KEY, up INT, FOREIGN KEY (up) REFERENCES s (id))",
        "TRUNCATE TABLE p",
        "TRUNCATE TABLE s",
        "INSERT INTO p VALUES (1, 0), (2, 0)",
        "INSERT INTO c VALUES (1, 1)",
        "UPDATE p SET id = 3 WHERE id = 1",
        "UPDATE p SET id = 4, v = 1 WHERE id = 2",
        "UPDATE c SET p = 5",
        "SELECT * FROM p ORDER BY id",
        "SET FOREIGN_KEY_CHECKS = 0",
        "TRUNCATE TABLE p",
        "SET FOREIGN_KEY_CHECKS = 1",
        "SELECT COUNT(*) FROM p",
    ])
    assert out[3].error == ("OperationalError", 1701) and out[4].error is None
    assert out[7].error == ("IntegrityError", 1451) and out[8].error is None
    assert out[9].error == ("IntegrityError", 1452) and out[-1].values == [(0,)]


def test_generated_columns_are_computed_and_shown_as_mariadb_does(differ: Differ) -> None:
    differ.check([
        "CREATE TABLE gen (a INT, b INT AS (a * 2) VIRTUAL, c VARCHAR(10) AS (CONCAT('n', a)) PERSISTENT, "
        "d INT GENERATED ALWAYS AS (a + 1) STORED, g INT AS (-a) COMMENT 'negated', u INT AS (a) UNIQUE)",
        "INSERT INTO gen (a) VALUES (1), (2)",
        "INSERT INTO gen SET a = 3",
        "SELECT * FROM gen ORDER BY a",
        "SELECT a, b + d, CONCAT(c, '!') FROM gen WHERE b > 2 ORDER BY a",
        "INSERT INTO gen VALUES (4, 8, 'n4', 5, -4, 4)",  # 1906: a value for a generated column
        "INSERT INTO gen (a, d) VALUES (4, 5)",  # 1906
        "INSERT INTO gen (a) VALUES (3)",  # 1062 on the generated column's unique key
        "UPDATE gen SET a = 10 WHERE a = 1",
        "SELECT * FROM gen ORDER BY a",
        "SHOW CREATE TABLE gen",
        "DESCRIBE gen",
        "SELECT COLUMN_NAME, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, IS_GENERATED, IS_NULLABLE "
        "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'gen' "
        "ORDER BY ORDINAL_POSITION",
        "ALTER TABLE gen ADD COLUMN e INT DEFAULT 0",
        "ALTER TABLE gen DROP COLUMN c",
        "SELECT * FROM gen ORDER BY a",
        "SHOW CREATE TABLE gen",
        "CREATE TABLE gen2 LIKE gen",
        "INSERT INTO gen2 (a) VALUES (7)",
        "SELECT * FROM gen2",
        "CREATE TABLE plain AS SELECT * FROM gen",
        "INSERT INTO plain (a, b) VALUES (20, 1)",  # plain columns now
        "SELECT * FROM plain ORDER BY a",
    ])


def test_real_is_double_but_in_real_as_float(differ: Differ) -> None:
    differ.check([
        "CREATE TABLE r (a REAL, b FLOAT, c DOUBLE PRECISION)",
        "INSERT INTO r VALUES (1.1, 1.1, 1.1)",
        "SELECT a, b, c, a * 3 FROM r",
        "SHOW CREATE TABLE r",
        "SET sql_mode = 'REAL_AS_FLOAT'",
        "CREATE TABLE r2 (a REAL)",
        "SHOW CREATE TABLE r2",
    ])


def test_silent_column_changes(differ: Differ) -> None:
    differ.check([
        "SET sql_mode = ''",  # strict mode refuses the long VARCHAR and VARBINARY (1074)
        "CREATE TABLE s (f1 TEXT CHARACTER SET BINARY, f2 VARCHAR(15) CHARACTER SET BINARY, "
        "f3 CHAR CHARACTER SET BINARY, f5 VARCHAR(65536), "
        "f6 VARBINARY(65536), f7 VARCHAR(20000000), f8 TINYTEXT CHARACTER SET BINARY, f9 VARCHAR(16384), "
        "f10 VARBINARY(65533) NOT NULL)",
        "SHOW WARNINGS",
        "DESCRIBE s",
        "SHOW CREATE TABLE s",
        "INSERT INTO s (f1, f2, f3, f10) VALUES ('abc', 'de', 'f', 'g')",
        "SELECT f1, HEX(f2), LENGTH(f3), f10 FROM s",
        "SET sql_mode = DEFAULT",
        "CREATE TABLE s2 (a VARCHAR(65536))",
        "CREATE TABLE s3 (a VARBINARY(65536))",
    ])


def test_zerofill_integers_take_the_unsigned_width(differ: Differ) -> None:
    differ.check([
        "CREATE TABLE z (a MEDIUMINT ZEROFILL, b INT ZEROFILL, c TINYINT ZEROFILL, d SMALLINT ZEROFILL, "
        "e BIGINT ZEROFILL, f INT(5) ZEROFILL, g INT UNSIGNED ZEROFILL)",
        "DESCRIBE z",
        "SHOW CREATE TABLE z",
        "INSERT INTO z VALUES (1, 2, 3, 4, 5, 6, 7)",
        "SELECT * FROM z",
    ])


def test_servers_are_never_defined(differ: Differ) -> None:
    differ.check([
        "ALTER SERVER s OPTIONS (USER 'sally')",
        "DROP SERVER s",
        "DROP SERVER IF EXISTS s",
        "SHOW WARNINGS",
    ])

-- category: prepared statements (SQL level)
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == PREPARE Statement: https://mariadb.com/docs/server/reference/sql-statements/prepared-statements/prepare-statement
CREATE TABLE t1 (a INT,b CHAR(10));
INSERT INTO t1 VALUES (1,"one"),(2, "two"),(3,"three");
PREPARE test FROM "select * from t1 where a=?";
SET @param=2;
EXECUTE test USING @param;
SET @param=3;
EXECUTE test USING @param;
DEALLOCATE PREPARE test;
DROP TABLE IF EXISTS t1;

-- category: information functions
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == CURRENT_ROLE: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/current_role
SELECT CURRENT_ROLE;
SELECT CURRENT_ROLE;

-- == CURRENT_USER: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/current_user
SELECT USER(),CURRENT_USER();

-- == DECODE_HISTOGRAM: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/decode_histogram
CREATE TABLE origin (
  i INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  v INT UNSIGNED NOT NULL
);
INSERT INTO origin(v) VALUES
  (1),(2),(3),(4),(5),(10),(20),
  (30),(40),(50),(60),(70),(80),
  (90),(100),(200),(400),(800);
SET histogram_size=10,histogram_type=SINGLE_PREC_HB;
SET histogram_size=20,histogram_type=DOUBLE_PREC_HB;
DROP TABLE IF EXISTS origin;

-- == FOUND_ROWS: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/found_rows
SELECT FOUND_ROWS();

-- == LAST_INSERT_ID: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/last_insert_id
SELECT LAST_INSERT_ID();
SELECT LAST_INSERT_ID();
SELECT LAST_INSERT_ID();
SELECT LAST_INSERT_ID(12);
SELECT LAST_INSERT_ID();
SELECT LAST_INSERT_ID();
SELECT LAST_INSERT_ID(12);

-- == LAST_VALUE: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/last_value
CREATE TABLE t1 (a int, b int);
INSERT INTO t1 VALUES(1,10),(2,20);
DELETE FROM t1 WHERE a=1 AND last_value(@a:=a,@b:=b,1);
SELECT @a,@b;
DROP TABLE IF EXISTS t1;

-- == ROW_COUNT: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/row_count
CREATE TABLE t (A INT);
INSERT INTO t VALUES(1),(2),(3);
DELETE FROM t WHERE A IN(1,2);
DROP TABLE IF EXISTS t;

-- == USER: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/user
SELECT USER(),CURRENT_USER();

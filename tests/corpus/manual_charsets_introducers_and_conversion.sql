-- category: charsets, introducers and conversion
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == Setting Character Sets and Collations: https://mariadb.com/docs/server/reference/data-types/string-data-types/character-sets/setting-character-sets-and-collations
CREATE TABLE t1 (a VARCHAR(10)) CHARACTER SET utf8 COLLATE utf8_general_ci;
INSERT INTO t1 VALUES ('oe'),('ö');
DROP TABLE IF EXISTS t1;

-- == CHARSET: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/charset
SELECT CHARSET('abc');
SELECT CHARSET(CONVERT('abc' USING utf8));
SELECT CHARSET(USER());

-- == COERCIBILITY: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/coercibility
SELECT COERCIBILITY(_latin1 'abc' COLLATE latin1_swedish_ci);
CREATE TABLE t (a VARCHAR(30) COLLATE uca1400_swedish_ai_ci, b VARCHAR(30) COLLATE uca1400_german2_ai_ci) CHARSET utf8mb4;
SELECT COERCIBILITY(CAST(1 AS CHAR));
SELECT COERCIBILITY(USER());
SELECT COERCIBILITY('abc');
SELECT COERCIBILITY(1);
SELECT COERCIBILITY(NULL);
DROP TABLE IF EXISTS t;

-- == COLLATION: https://mariadb.com/docs/server/reference/sql-functions/secondary-functions/information-functions/collation
SELECT COLLATION('abc');
SELECT COLLATION(_utf8'abc');

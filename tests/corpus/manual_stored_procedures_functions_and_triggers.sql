-- category: stored procedures, functions and triggers
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == Cursor Overview: https://mariadb.com/docs/server/reference/sql-statements/programmatic-compound-statements/programmatic-compound-statements-cursors/cursor-overview
CREATE TABLE c1(i INT);
CREATE TABLE c2(i INT);
CREATE TABLE c3(i INT);
DELIMITER //
CREATE PROCEDURE p1()
BEGIN
  DECLARE done INT DEFAULT FALSE;
  DECLARE x, y INT;
  DECLARE cur1 CURSOR FOR SELECT i FROM c1;
  DECLARE cur2 CURSOR FOR SELECT i FROM c2;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;

  OPEN cur1;
  OPEN cur2;

  read_loop: LOOP
    FETCH cur1 INTO x;
    FETCH cur2 INTO y;
    IF done THEN
      LEAVE read_loop;
    END IF;
    IF x < y THEN
      INSERT INTO c3 VALUES (x);
    ELSE
      INSERT INTO c3 VALUES (y);
    END IF;
  END LOOP;

  CLOSE cur1;
  CLOSE cur2;
END;//
DELIMITER ;
INSERT INTO c1 VALUES(5),(50),(500);
INSERT INTO c2 VALUES(10),(20),(30);
DROP PROCEDURE IF EXISTS p1;
DROP TABLE IF EXISTS c3;
DROP TABLE IF EXISTS c2;
DROP TABLE IF EXISTS c1;

-- == FOR: https://mariadb.com/docs/server/reference/sql-statements/programmatic-compound-statements/for
CREATE TABLE t1 (a INT);
SELECT * FROM t1;
DROP TABLE IF EXISTS t1;

-- == GET DIAGNOSTICS: https://mariadb.com/docs/server/reference/sql-statements/programmatic-compound-statements/programmatic-compound-statements-diagnostics/get-diagnostics
SELECT @num_conditions;

-- == GOTO: https://mariadb.com/docs/server/reference/sql-statements/programmatic-compound-statements/goto
SET sql_mode=ORACLE;
DELIMITER //
CREATE OR REPLACE PROCEDURE p1 AS

BEGIN

  SELECT 1;
  GOTO label;
  SELECT 2;
  <<label>>
  SELECT 3;

END;//
DELIMITER ;
DROP PROCEDURE IF EXISTS p1;

-- == SIGNAL: https://mariadb.com/docs/server/reference/sql-statements/programmatic-compound-statements/signal
SHOW WARNINGS;

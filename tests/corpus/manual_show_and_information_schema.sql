-- category: SHOW and information_schema
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == SHOW CHARACTER SET: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/show/show-character-set
SHOW CHARACTER SET LIKE 'latin%';

-- == SHOW COLLATION: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/show/show-collation
SHOW COLLATION LIKE 'latin1%';

-- == SHOW ERRORS: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/show/show-errors
SHOW ERRORS;

-- == SHOW PROCEDURE CODE: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/show/show-procedure-code
DELIMITER //
CREATE PROCEDURE p1 ()
  BEGIN
    DECLARE fanta INT DEFAULT 55;
    DROP TABLE t2;
    LOOP
      INSERT INTO t3 VALUES (fanta);
      END LOOP;
  END//
DELIMITER ;
DROP PROCEDURE IF EXISTS p1;

-- == SHOW PROFILE: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/show/show-profile
SELECT @@profiling;
SET profiling = 1;
DROP TABLE IF EXISTS t1;
CREATE TABLE T1 (id INT);
DROP TABLE IF EXISTS T1;

-- == SHOW VARIABLES: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/show/show-variables
SHOW VARIABLES LIKE 'aria%';

-- == SHOW WARNINGS: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/show/show-warnings
SELECT 1/0;
SHOW COUNT(*) WARNINGS;
SHOW WARNINGS;

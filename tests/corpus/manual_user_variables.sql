-- category: user variables
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == Assignment Operator (:=): https://mariadb.com/docs/server/reference/sql-structure/operators/assignment-operators/assignment-operator
SELECT @x := 10;
SELECT @x, @y := @x;

-- == User-Defined Variables: https://mariadb.com/docs/server/reference/sql-structure/sql-language-structure/user-defined-variables
SET @v1 = 0;
SET @v2 = 'abc';
SET @v3 = CAST(123 AS CHAR(5));
SHOW USER_VARIABLES;

-- category: type conversion and CAST
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == BINARY Operator: https://mariadb.com/docs/server/reference/sql-functions/string-functions/binary-operator
SELECT 'a' = 'A';
SELECT BINARY 'a' = 'A';
SELECT 'a' = 'a ';
SELECT BINARY 'a' = 'a ';

-- == CAST: https://mariadb.com/docs/server/reference/sql-functions/string-functions/cast
SELECT CAST("abc" AS BINARY);
SELECT CAST("1" AS UNSIGNED INTEGER);

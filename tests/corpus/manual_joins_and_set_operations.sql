-- category: joins and set operations
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == Precedence Control in Table Operations: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/set-operations/precedence-control-in-table-operations
CREATE TABLE t1 (num INT);
INSERT INTO t1 VALUES (1),(2),(3);
DROP TABLE IF EXISTS t1;

-- category: queries (SELECT, GROUP BY, ORDER BY, LIMIT, CTE)
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == LIMIT: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/limit
CREATE TABLE members (name VARCHAR(20));
INSERT INTO members VALUES('Jagdish'),('Kenny'),('Rokurou'),('Immaculada');
SELECT * FROM members;
DROP TABLE IF EXISTS members;

-- == LOAD DATA INFILE: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/inserting-loading-data/load-data-into-tables-or-index/load-data-infile
CREATE TABLE t1 (a INT, b INT, c INT, d INT, PRIMARY KEY (a));
DROP TABLE IF EXISTS t1;

-- == ORDER BY: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/order-by
CREATE TABLE seq (i INT, x VARCHAR(1));
INSERT INTO seq VALUES (1,'a'), (2,'b'), (3,'b'), (4,'f'), (5,'e');
SELECT * FROM seq ORDER BY x,i;
DROP TABLE IF EXISTS seq;

-- == Recursive Common Table Expressions Overview: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/common-table-expressions/recursive-common-table-expressions-overview
CREATE TABLE t1
(
  id INT,     -- employee ID
  mid INT,    -- manager ID, or NULL if top level employee
  name TEXT   -- employee name
);
INSERT INTO t1 VALUES (0,NULL, 'Name');
INSERT INTO t1 VALUES (1,0,    'Name1');
INSERT INTO t1 VALUES (2,0,    'Name2');
INSERT INTO t1 VALUES (11,1,   'Name11');
INSERT INTO t1 VALUES (12,1,   'Name12');
DROP TABLE IF EXISTS t1;

-- == SELECT ... OFFSET ... FETCH: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/select-offset-fetch
CREATE OR REPLACE TABLE t1 (i INT);
INSERT INTO t1 VALUES (1),(2),(3),(4), (4), (5);
SELECT i FROM t1 ORDER BY i ASC;
DROP TABLE IF EXISTS t1;

-- == SELECT WITH ROLLUP: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/select-with-rollup
CREATE TABLE booksales (
  country VARCHAR(35), genre ENUM('fiction','non-fiction'), year YEAR, sales INT);
INSERT INTO booksales VALUES
  ('Senegal','fiction',2014,12234), ('Senegal','fiction',2015,15647),
  ('Senegal','non-fiction',2014,64980), ('Senegal','non-fiction',2015,78901),
  ('Paraguay','fiction',2014,87970), ('Paraguay','fiction',2015,76940),
  ('Paraguay','non-fiction',2014,8760), ('Paraguay','non-fiction',2015,9030);
DROP TABLE IF EXISTS booksales;

-- category: aggregates and GROUP_CONCAT
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == AVG: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/avg
CREATE TABLE sales (sales_value INT);
INSERT INTO sales VALUES(10),(20),(20),(40);
SELECT AVG(sales_value) FROM sales;
SELECT AVG(DISTINCT(sales_value)) FROM sales;
DROP TABLE IF EXISTS sales;

-- == BIT_AND: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/bit_and
CREATE TABLE vals (x INT);
INSERT INTO vals VALUES(111),(110),(100);
SELECT BIT_AND(x), BIT_OR(x), BIT_XOR(x) FROM vals;
DROP TABLE IF EXISTS vals;

-- == BIT_OR: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/bit_or
CREATE TABLE vals (x INT);
INSERT INTO vals VALUES(111),(110),(100);
SELECT BIT_AND(x), BIT_OR(x), BIT_XOR(x) FROM vals;
DROP TABLE IF EXISTS vals;

-- == BIT_XOR: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/bit_xor
CREATE TABLE vals (x INT);
INSERT INTO vals VALUES(111),(110),(100);
SELECT BIT_AND(x), BIT_OR(x), BIT_XOR(x) FROM vals;
DROP TABLE IF EXISTS vals;

-- == COUNT: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/count
CREATE TABLE student (name CHAR(10), test CHAR(10), score TINYINT);
INSERT INTO student VALUES
  ('Chun', 'SQL', 75), ('Chun', 'Tuning', 73),
  ('Esben', 'SQL', 43), ('Esben', 'Tuning', 31),
  ('Kaolin', 'SQL', 56), ('Kaolin', 'Tuning', 88),
  ('Tatiana', 'SQL', 87), ('Tatiana', 'Tuning', 83);
DROP TABLE IF EXISTS student;

-- == COUNT DISTINCT: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/count-distinct
CREATE TABLE student (name CHAR(10), test CHAR(10), score TINYINT);
INSERT INTO student VALUES
  ('Chun', 'SQL', 75), ('Chun', 'Tuning', 73),
  ('Esben', 'SQL', 43), ('Esben', 'Tuning', 31),
  ('Kaolin', 'SQL', 56), ('Kaolin', 'Tuning', 88),
  ('Tatiana', 'SQL', 87), ('Tatiana', 'Tuning', 83);
SELECT COUNT(DISTINCT (name)) FROM student;
DROP TABLE IF EXISTS student;

-- == MAX: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/max
CREATE TABLE student (name CHAR(10), test CHAR(10), score TINYINT);
INSERT INTO student VALUES
  ('Chun', 'SQL', 75), ('Chun', 'Tuning', 73),
  ('Esben', 'SQL', 43), ('Esben', 'Tuning', 31),
  ('Kaolin', 'SQL', 56), ('Kaolin', 'Tuning', 88),
  ('Tatiana', 'SQL', 87), ('Tatiana', 'Tuning', 83);
SELECT name, MAX(score) FROM student GROUP BY name;
DROP TABLE IF EXISTS student;

-- == MIN: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/min
CREATE TABLE student (name CHAR(10), test CHAR(10), score TINYINT);
INSERT INTO student VALUES
  ('Chun', 'SQL', 75), ('Chun', 'Tuning', 73),
  ('Esben', 'SQL', 43), ('Esben', 'Tuning', 31),
  ('Kaolin', 'SQL', 56), ('Kaolin', 'Tuning', 88),
  ('Tatiana', 'SQL', 87), ('Tatiana', 'Tuning', 83);
SELECT name, MIN(score) FROM student GROUP BY name;
DROP TABLE IF EXISTS student;

-- == STD: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/std
CREATE OR REPLACE TABLE stats (category VARCHAR(2), x INT);
INSERT INTO stats VALUES
  ('a',1),('a',2),('a',3),
  ('b',11),('b',12),('b',20),('b',30),('b',60);
SELECT category, STDDEV_POP(x), STDDEV_SAMP(x), VAR_POP(x)
  FROM stats GROUP BY category;
DROP TABLE IF EXISTS stats;

-- == STDDEV: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/stddev
CREATE OR REPLACE TABLE stats (category VARCHAR(2), x INT);
INSERT INTO stats VALUES
  ('a',1),('a',2),('a',3),
  ('b',11),('b',12),('b',20),('b',30),('b',60);
SELECT category, STDDEV_POP(x), STDDEV_SAMP(x), VAR_POP(x)
  FROM stats GROUP BY category;
DROP TABLE IF EXISTS stats;

-- == STDDEV_POP: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/stddev_pop
CREATE OR REPLACE TABLE stats (category VARCHAR(2), x INT);
INSERT INTO stats VALUES
  ('a',1),('a',2),('a',3),
  ('b',11),('b',12),('b',20),('b',30),('b',60);
SELECT category, STDDEV_POP(x), STDDEV_SAMP(x), VAR_POP(x)
  FROM stats GROUP BY category;
DROP TABLE IF EXISTS stats;

-- == SUM: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/sum
CREATE TABLE sales (sales_value INT);
INSERT INTO sales VALUES(10),(20),(20),(40);
SELECT SUM(sales_value) FROM sales;
SELECT SUM(DISTINCT(sales_value)) FROM sales;
DROP TABLE IF EXISTS sales;

-- == VARIANCE: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/variance
CREATE TABLE v(i tinyint);
INSERT INTO v VALUES(101),(99);
SELECT VARIANCE(i) FROM v;
INSERT INTO v VALUES(120),(80);
SELECT VARIANCE(i) FROM v;
DROP TABLE IF EXISTS v;

-- == VAR_POP: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/var_pop
CREATE TABLE v(i tinyint);
INSERT INTO v VALUES(101),(99);
SELECT VAR_POP(i) FROM v;
INSERT INTO v VALUES(120),(80);
SELECT VAR_POP(i) FROM v;
DROP TABLE IF EXISTS v;

-- == VAR_SAMP: https://mariadb.com/docs/server/reference/sql-functions/aggregate-functions/var_samp
CREATE OR REPLACE TABLE stats (category VARCHAR(2), x INT);
INSERT INTO stats VALUES
  ('a',1),('a',2),('a',3),
  ('b',11),('b',12),('b',20),('b',30),('b',60);
SELECT category, STDDEV_POP(x), STDDEV_SAMP(x), VAR_POP(x)
  FROM stats GROUP BY category;
DROP TABLE IF EXISTS stats;

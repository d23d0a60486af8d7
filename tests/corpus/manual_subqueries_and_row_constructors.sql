-- category: subqueries and row constructors
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == Row Subqueries: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/joins-subqueries/subqueries/subqueries-row-subqueries
CREATE TABLE staff (name VARCHAR(10), age TINYINT);
CREATE TABLE customer (name VARCHAR(10), age TINYINT);
INSERT INTO staff VALUES ('Bilhah',37), ('Valerius',61), ('Maia',25);
INSERT INTO customer VALUES ('Thanasis',48), ('Valerius',61), ('Brion',51);
SELECT * FROM staff WHERE (name,age) = (SELECT name,age FROM customer WHERE name='Valerius');
DROP TABLE IF EXISTS customer;
DROP TABLE IF EXISTS staff;

-- == Scalar Subqueries: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/joins-subqueries/subqueries/subqueries-scalar-subqueries
CREATE TABLE sq1 (num TINYINT);
CREATE TABLE sq2 (num TINYINT);
INSERT INTO sq1 VALUES (1);
DROP TABLE IF EXISTS sq2;
DROP TABLE IF EXISTS sq1;

-- == Subqueries and ALL: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/joins-subqueries/subqueries/subqueries-and-all
CREATE TABLE sq1 (num TINYINT);
CREATE TABLE sq2 (num2 TINYINT);
INSERT INTO sq1 VALUES(100);
INSERT INTO sq2 VALUES(40),(50),(60);
DROP TABLE IF EXISTS sq2;
DROP TABLE IF EXISTS sq1;

-- == Subqueries and EXISTS: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/joins-subqueries/subqueries/subqueries-and-exists
CREATE TABLE sq1 (num TINYINT);
CREATE TABLE sq2 (num2 TINYINT);
INSERT INTO sq1 VALUES(100);
INSERT INTO sq2 VALUES(40),(50),(60);
DROP TABLE IF EXISTS sq2;
DROP TABLE IF EXISTS sq1;

-- == Subqueries in a FROM Clause (Derived Tables): https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/joins-subqueries/subqueries/subqueries-in-a-from-clause-derived-tables
CREATE TABLE student (name CHAR(10), test CHAR(10), score TINYINT);
INSERT INTO student VALUES
  ('Chun', 'SQL', 75), ('Chun', 'Tuning', 73),
  ('Esben', 'SQL', 43), ('Esben', 'Tuning', 31),
  ('Kaolin', 'SQL', 56), ('Kaolin', 'Tuning', 88),
  ('Tatiana', 'SQL', 87), ('Tatiana', 'Tuning', 83);
DROP TABLE IF EXISTS student;

-- == Subqueries With ANY and SOME: https://mariadb.com/docs/server/reference/sql-statements/data-manipulation/selecting-data/joins-subqueries/subqueries/subqueries-and-any
CREATE TABLE sq1 (num1 TINYINT);
CREATE TABLE sq2 (num2 TINYINT);
INSERT INTO sq1 VALUES(100);
INSERT INTO sq2 VALUES(40),(50),(120);
DROP TABLE IF EXISTS sq2;
DROP TABLE IF EXISTS sq1;

-- category: DDL and column types
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == SHOW CREATE SEQUENCE: https://mariadb.com/docs/server/reference/sql-statements/administrative-sql-statements/show/show-create-sequence
CREATE SEQUENCE s1 START WITH 50;
DROP SEQUENCE IF EXISTS s1;

-- == CREATE SEQUENCE: https://mariadb.com/docs/server/reference/sql-structure/sequences/create-sequence
CREATE SEQUENCE s START WITH 100 INCREMENT BY 10;
CREATE SEQUENCE s2 START WITH -100 INCREMENT BY -10;
DROP SEQUENCE IF EXISTS s2;
DROP SEQUENCE IF EXISTS s;

-- == ALTER SERVER: https://mariadb.com/docs/server/reference/sql-statements/data-definition/alter/alter-server
ALTER SERVER s OPTIONS (USER 'sally');

-- == CONSTRAINT: https://mariadb.com/docs/server/reference/sql-statements/data-definition/constraint
CREATE TABLE product (category INT NOT NULL, id INT NOT NULL,
                      price DECIMAL,
                      PRIMARY KEY(category, id)) ENGINE=INNODB;
CREATE TABLE customer (id INT NOT NULL,
                       PRIMARY KEY (id)) ENGINE=INNODB;
CREATE TABLE product_order (NO INT NOT NULL AUTO_INCREMENT,
                            product_category INT NOT NULL,
                            product_id INT NOT NULL,
                            customer_id INT NOT NULL,
                            PRIMARY KEY(NO),
                            INDEX (product_category, product_id),
                            FOREIGN KEY (product_category, product_id)
                              REFERENCES product(category, id)
                              ON UPDATE CASCADE ON DELETE RESTRICT,
                            INDEX (customer_id),
                            FOREIGN KEY (customer_id)
                              REFERENCES customer(id)) ENGINE=INNODB;
DROP TABLE IF EXISTS product_order;
DROP TABLE IF EXISTS customer;
DROP TABLE IF EXISTS product;

-- == CREATE DATABASE: https://mariadb.com/docs/server/reference/sql-statements/data-definition/create/create-database
CREATE OR REPLACE DATABASE {db}_db1;
SHOW WARNINGS;

-- == CREATE PACKAGE BODY: https://mariadb.com/docs/server/reference/sql-statements/data-definition/create/create-package-body
SET sql_mode=ORACLE;
DELIMITER //
CREATE OR REPLACE PACKAGE employee_tools AS
  FUNCTION getSalary(eid INT) RETURN DECIMAL(10,2);
  PROCEDURE raiseSalary(eid INT, amount DECIMAL(10,2));
  PROCEDURE raiseSalaryStd(eid INT);
  PROCEDURE hire(ename TEXT, esalary DECIMAL(10,2));
END;//
DELIMITER ;

-- == Invisible Columns: https://mariadb.com/docs/server/reference/sql-statements/data-definition/create/invisible-columns
CREATE TABLE t (x INT INVISIBLE);
CREATE TABLE t (x INT, y INT INVISIBLE, z INT INVISIBLE NOT NULL);
CREATE TABLE t (x INT, y INT INVISIBLE, z INT INVISIBLE NOT NULL DEFAULT 4);
INSERT INTO t VALUES (1),(2);
INSERT INTO t (x,y) VALUES (3,33);
SELECT * FROM t;
SELECT x,y,z FROM t;
DESC t;
ALTER TABLE t MODIFY x INT INVISIBLE, MODIFY y INT, MODIFY z INT NOT NULL DEFAULT 4;
DESC t;
DROP TABLE IF EXISTS t;

-- == Silent Column Changes: https://mariadb.com/docs/server/reference/sql-statements/data-definition/create/silent-column-changes
CREATE TABLE SilenceIsGolden
   (
    f1 TEXT CHARACTER SET BINARY,
    f2 VARCHAR(15) CHARACTER SET BINARY,
    f3 CHAR CHARACTER SET BINARY,
    f4 ENUM('x','y','z') CHARACTER SET BINARY,
    f5 VARCHAR (65536),
    f6 VARBINARY (65536),
    f7 INT1
   );
SHOW WARNINGS;
DESCRIBE SilenceIsGolden;
DROP TABLE IF EXISTS SilenceIsGolden;

-- category: data types and literals
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == BIGINT: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/bigint
CREATE TABLE bigints (a BIGINT,b BIGINT UNSIGNED,c BIGINT ZEROFILL);
INSERT INTO bigints VALUES (-10,-10,-10);
INSERT INTO bigints VALUES (-10,10,-10);
INSERT INTO bigints VALUES (-10,10,10);
INSERT INTO bigints VALUES (9223372036854775808,9223372036854775808,9223372036854775808);
INSERT INTO bigints VALUES (9223372036854775807,9223372036854775808,9223372036854775808);
SELECT * FROM bigints;
DROP TABLE IF EXISTS bigints;

-- == BINARY: https://mariadb.com/docs/server/reference/data-types/string-data-types/binary
CREATE TABLE bins (a BINARY(10));
INSERT INTO bins VALUES('12345678901');
SELECT * FROM bins;
SET sql_mode='STRICT_ALL_TABLES';
INSERT INTO bins VALUES('12345678901');
DROP TABLE IF EXISTS bins;

-- == BIT: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/bit
CREATE TABLE bit_example (
  description VARCHAR(20),
  b1 BIT,
  b4 BIT(4),
  b16 BIT(16)
);
DROP TABLE IF EXISTS bit_example;

-- == BOOL: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/bool
CREATE TABLE bool_example (
  example BOOL
) DEFAULT CHARSET=latin1;
DROP TABLE IF EXISTS bool_example;

-- == BOOLEAN: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/boolean
CREATE TABLE boolean_example (
  example BOOLEAN
);
DROP TABLE IF EXISTS boolean_example;

-- == CHAR: https://mariadb.com/docs/server/reference/data-types/string-data-types/char
CREATE TABLE strtest (c CHAR(10));
INSERT INTO strtest VALUES('Maria   ');
SELECT c='Maria',c='Maria   ' FROM strtest;
SELECT c LIKE 'Maria',c LIKE 'Maria   ' FROM strtest;
DROP TABLE IF EXISTS strtest;

-- == CHAR BYTE: https://mariadb.com/docs/server/reference/data-types/string-data-types/char-byte
CREATE TABLE char_byte_example (
  example CHAR BYTE
);
DROP TABLE IF EXISTS char_byte_example;

-- == CHAR VARYING: https://mariadb.com/docs/server/reference/data-types/string-data-types/char-varying
CREATE TABLE char_varying_example (
  example CHAR VARYING(32)
);
DROP TABLE IF EXISTS char_varying_example;

-- == CHARACTER: https://mariadb.com/docs/server/reference/data-types/string-data-types/character
CREATE TABLE character_example (
  example CHARACTER
);
DROP TABLE IF EXISTS character_example;

-- == CLOB: https://mariadb.com/docs/server/reference/data-types/string-data-types/clob
SET sql_mode='oracle';
CREATE TABLE clob_example (
  example CLOB
);
DROP TABLE IF EXISTS clob_example;

-- == DATE: https://mariadb.com/docs/server/reference/data-types/date-and-time-data-types/date
CREATE TABLE t1 (d DATE);
SELECT * FROM t1;
DROP TABLE IF EXISTS t1;

-- == DATETIME: https://mariadb.com/docs/server/reference/data-types/date-and-time-data-types/datetime
CREATE TABLE t1 (d DATETIME);
DROP TABLE IF EXISTS t1;

-- == DEC: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/numeric-data-types-dec
CREATE TABLE dec_example (
  example DEC
);
DROP TABLE IF EXISTS dec_example;

-- == DECIMAL: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/decimal
CREATE TABLE t1 (d DECIMAL UNSIGNED ZEROFILL);
INSERT INTO t1 VALUES (1),(2),(3),(4.0),(5.2),(5.7);
SELECT * FROM t1;
DROP TABLE IF EXISTS t1;

-- == DOUBLE: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/double
CREATE TABLE t1 (d DOUBLE(5,0) zerofill);
INSERT INTO t1 VALUES (1),(2),(3),(4);
DROP TABLE IF EXISTS t1;

-- == DOUBLE PRECISION: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/double-precision
CREATE TABLE double_precision_example (
  example DOUBLE PRECISION
);
DROP TABLE IF EXISTS double_precision_example;

-- == ENUM: https://mariadb.com/docs/server/reference/data-types/string-data-types/enum
CREATE TABLE fruits (
  id INT NOT NULL auto_increment PRIMARY KEY,
  fruit ENUM('apple','orange','pear'),
  bushels INT);
DESCRIBE fruits;
INSERT INTO fruits
    (fruit,bushels) VALUES
    ('pear',20),
    ('apple',100),
    ('orange',25);
INSERT INTO fruits
    (fruit,bushels) VALUES
    ('avocado',10);
SELECT * FROM fruits;
DROP TABLE IF EXISTS fruits;

-- == FIXED: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/fixed
CREATE TABLE fixed_example (
  example FIXED
);
DROP TABLE IF EXISTS fixed_example;

-- == FLOAT: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/float
CREATE TABLE float_signed_example (
  description VARCHAR(20),
  example FLOAT,
  sz6_2 FLOAT(6,2),
  sz20_19 FLOAT(20,19) SIGNED
);
DROP TABLE IF EXISTS float_signed_example;

-- == FLOAT4: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/float4
CREATE TABLE float4_example (
  example FLOAT4
);
DROP TABLE IF EXISTS float4_example;

-- == FLOAT8: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/float8
CREATE TABLE float8_example (
  example FLOAT8
);
DROP TABLE IF EXISTS float8_example;

-- == Floating-point Accuracy: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/floating-point-accuracy
CREATE TABLE fpn (id INT, f1 FLOAT, f2 DOUBLE, f3 DECIMAL (10,3));
INSERT INTO fpn VALUES (1,2,2,2),(2,0.1,0.1,0.1);
DROP TABLE IF EXISTS fpn;

-- == INET4: https://mariadb.com/docs/server/reference/data-types/string-data-types/inet4
CREATE OR REPLACE TABLE t1 (a INET4);
INSERT INTO t1 VALUES('0.0.0.0'), ('255.10.0.0'), ('255.255.255.255');
INSERT INTO t1 VALUES (0xa0000001);
INSERT INTO t1 VALUES (0xf0000000);
INSERT INTO t1 VALUES (0xff000001);
SELECT HEX(a), a FROM t1 ORDER BY a;
DROP TABLE IF EXISTS t1;

-- == INET6: https://mariadb.com/docs/server/reference/data-types/string-data-types/inet6
CREATE TABLE t1 (a INET6);
DROP TABLE IF EXISTS t1;

-- == INT: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/int
CREATE TABLE ints (a INT,b INT UNSIGNED,c INT ZEROFILL);
DROP TABLE IF EXISTS ints;

-- == INT1: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/int1
CREATE TABLE int1_example (
  example INT1
);
DROP TABLE IF EXISTS int1_example;

-- == INT2: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/int2
CREATE TABLE int2_example (
  example INT2
);
DROP TABLE IF EXISTS int2_example;

-- == INT3: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/int3
CREATE TABLE int3_example (
  example INT3
);
DROP TABLE IF EXISTS int3_example;

-- == INT4: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/int4
CREATE TABLE int4_example (
  example INT4
);
DROP TABLE IF EXISTS int4_example;

-- == INT8: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/int8
CREATE TABLE int8_example (
  example INT8
);
DROP TABLE IF EXISTS int8_example;

-- == INTEGER: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/integer
CREATE TABLE integer_example (
  example INTEGER
);
DROP TABLE IF EXISTS integer_example;

-- == LONG CHAR VARYING: https://mariadb.com/docs/server/reference/data-types/string-data-types/long-char-varying
CREATE TABLE long_char_varying_example (
  example LONG CHAR VARYING
);
DROP TABLE IF EXISTS long_char_varying_example;

-- == LONG CHARACTER VARYING: https://mariadb.com/docs/server/reference/data-types/string-data-types/long-character-varying
CREATE TABLE long_character_varying_example (
  example LONG CHARACTER VARYING
);
DROP TABLE IF EXISTS long_character_varying_example;

-- == LONG VARBINARY: https://mariadb.com/docs/server/reference/data-types/string-data-types/long-varbinary
CREATE TABLE long_varbinary_example (
  example LONG VARBINARY
);
DROP TABLE IF EXISTS long_varbinary_example;

-- == LONG VARCHAR: https://mariadb.com/docs/server/reference/data-types/string-data-types/long-varchar
CREATE TABLE long_varchar_example (
  example LONG VARCHAR
);
DROP TABLE IF EXISTS long_varchar_example;

-- == LONG VARCHARACTER: https://mariadb.com/docs/server/reference/data-types/string-data-types/long-varcharacter
CREATE TABLE long_varcharacter_example (
  example LONG VARCHARACTER
);
DROP TABLE IF EXISTS long_varcharacter_example;

-- == MEDIUMINT: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/mediumint
CREATE TABLE mediumints (a MEDIUMINT,b MEDIUMINT UNSIGNED,c MEDIUMINT ZEROFILL);
DESCRIBE mediumints;
DROP TABLE IF EXISTS mediumints;

-- == MIDDLEINT: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/middleint
CREATE TABLE middleint_example (
  example MIDDLEINT
);
DROP TABLE IF EXISTS middleint_example;

-- == NATIONAL CHAR: https://mariadb.com/docs/server/reference/data-types/string-data-types/national-char
CREATE TABLE national_char_example (
  example NATIONAL CHAR(32)
);
DROP TABLE IF EXISTS national_char_example;

-- == NATIONAL CHAR VARYING: https://mariadb.com/docs/server/reference/data-types/string-data-types/national-char-varying
CREATE TABLE national_char_varying_example (
  example NATIONAL CHAR VARYING(32)
);
DROP TABLE IF EXISTS national_char_varying_example;

-- == NATIONAL CHARACTER: https://mariadb.com/docs/server/reference/data-types/string-data-types/national-character
CREATE TABLE national_character_example (
  example NATIONAL CHARACTER(32)
);
DROP TABLE IF EXISTS national_character_example;

-- == NATIONAL CHARACTER VARYING: https://mariadb.com/docs/server/reference/data-types/string-data-types/national-character-varying
CREATE TABLE national_character_varying_example (
  example NATIONAL CHARACTER VARYING(32)
);
DROP TABLE IF EXISTS national_character_varying_example;

-- == NATIONAL VARCHAR: https://mariadb.com/docs/server/reference/data-types/string-data-types/national-varchar
CREATE TABLE national_varchar_example (
  example NATIONAL VARCHAR(32)
);
DROP TABLE IF EXISTS national_varchar_example;

-- == NATIONAL VARCHARACTER: https://mariadb.com/docs/server/reference/data-types/string-data-types/national-varcharacter
CREATE TABLE national_varcharacter_example (
  example NATIONAL VARCHARACTER(32)
);
DROP TABLE IF EXISTS national_varcharacter_example;

-- == NCHAR: https://mariadb.com/docs/server/reference/data-types/string-data-types/nchar
CREATE TABLE nchar_example (
  example NCHAR(32)
);
DROP TABLE IF EXISTS nchar_example;

-- == NCHAR VARCHAR: https://mariadb.com/docs/server/reference/data-types/string-data-types/nchar-varchar
CREATE TABLE nchar_varchar_example (
  example NCHAR VARCHAR(32)
);
DROP TABLE IF EXISTS nchar_varchar_example;

-- == NCHAR VARCHARACTER: https://mariadb.com/docs/server/reference/data-types/string-data-types/nchar-varcharacter
CREATE TABLE nchar_varcharacter_example (
  example NCHAR VARCHARACTER(32)
);
DROP TABLE IF EXISTS nchar_varcharacter_example;

-- == NCHAR VARYING: https://mariadb.com/docs/server/reference/data-types/string-data-types/nchar-varying
CREATE TABLE nchar_varying_example (
  example NCHAR VARYING(32)
);
DROP TABLE IF EXISTS nchar_varying_example;

-- == NULL Values: https://mariadb.com/docs/server/reference/data-types/null-values
CREATE TABLE nulltest (
  a INT(11),
  x VARCHAR(10) NOT NULL DEFAULT 'a',
  y INT(11) NOT NULL DEFAULT 23
);
DROP TABLE IF EXISTS nulltest;

-- == NUMBER: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/number
SET sql_mode='oracle';

-- == NUMERIC: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/numeric
CREATE TABLE numeric_example (
  example NUMERIC
);
DROP TABLE IF EXISTS numeric_example;

-- == Numeric Data Type Overview: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/numeric-data-type-overview
CREATE TABLE zf (
  i1 TINYINT SIGNED,
  i2 TINYINT UNSIGNED,
  i3 TINYINT ZEROFILL
);
INSERT INTO zf VALUES (2,2,2);
DROP TABLE IF EXISTS zf;

-- == RAW: https://mariadb.com/docs/server/reference/data-types/string-data-types/raw
SET sql_mode='oracle';

-- == REAL: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/real
CREATE TABLE real_example (
  example REAL
);
DROP TABLE IF EXISTS real_example;

-- == ROW TYPE OF: https://mariadb.com/docs/server/reference/data-types/row-type-of
CREATE TABLE rowtypeof_table(
  descr VARCHAR(20),
  val INT
);
DROP TABLE IF EXISTS rowtypeof_table;

-- == SERIAL: https://mariadb.com/docs/server/reference/data-types/serial
CREATE TABLE serial_example (
  id SERIAL,
  data VARCHAR(32)
);
DROP TABLE IF EXISTS serial_example;

-- == SET Data Type: https://mariadb.com/docs/server/reference/data-types/string-data-types/set-data-type
CREATE TABLE set_example (
  description VARCHAR(20),
  example SET('Foo', 'Bar', 'Baz', 'Bob')
);
DROP TABLE IF EXISTS set_example;

-- == SMALLINT: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/smallint
CREATE TABLE smallints (a SMALLINT,b SMALLINT UNSIGNED,c SMALLINT ZEROFILL);
DROP TABLE IF EXISTS smallints;

-- == SQL_TSI_YEAR: https://mariadb.com/docs/server/reference/data-types/date-and-time-data-types/sql_tsi_year
CREATE TABLE sql_tsi_year_example (
  example SQL_TSI_YEAR
);
DROP TABLE IF EXISTS sql_tsi_year_example;

-- == TEXT: https://mariadb.com/docs/server/reference/data-types/string-data-types/text
CREATE TABLE strtest (d TEXT(10));
INSERT INTO strtest VALUES('Maria   ');
SELECT d='Maria',d='Maria   ' FROM strtest;
SELECT d LIKE 'Maria',d LIKE 'Maria   ' FROM strtest;
DROP TABLE IF EXISTS strtest;

-- == TIMESTAMP: https://mariadb.com/docs/server/reference/data-types/date-and-time-data-types/timestamp
CREATE TABLE t (id INT, ts TIMESTAMP);
DESC t;
INSERT INTO t(id)  VALUES (1),(2);
INSERT INTO t  VALUES (3,NULL),(4,'2001-07-22 12:12:12');
SELECT * FROM t;
DROP TABLE IF EXISTS t;

-- == TINYINT: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/tinyint
CREATE TABLE tinyints (a TINYINT,b TINYINT UNSIGNED,c TINYINT ZEROFILL);
DROP TABLE IF EXISTS tinyints;

-- == TYPE OF: https://mariadb.com/docs/server/reference/data-types/type-of
CREATE TABLE typeof_table(
  descr VARCHAR(20),
  val INT
);
DROP TABLE IF EXISTS typeof_table;

-- == UUID Data Type: https://mariadb.com/docs/server/reference/data-types/string-data-types/uuid-data-type
CREATE TABLE t1 (id UUID);
DROP TABLE IF EXISTS t1;

-- == VARBINARY: https://mariadb.com/docs/server/reference/data-types/string-data-types/varbinary
CREATE TABLE varbins (a VARBINARY(10));
INSERT INTO varbins VALUES('12345678901');
SELECT * FROM varbins;
SET sql_mode='STRICT_ALL_TABLES';
INSERT INTO varbins VALUES('12345678901');
DROP TABLE IF EXISTS varbins;

-- == VARCHAR2: https://mariadb.com/docs/server/reference/data-types/string-data-types/varchar2
SET sql_mode='oracle';
CREATE TABLE varchar2_example (
  example VARCHAR2(32)
);
DROP TABLE IF EXISTS varchar2_example;

-- == VARCHARACTER: https://mariadb.com/docs/server/reference/data-types/string-data-types/varcharacter
CREATE TABLE varcharacter_example (
  example VARCHARACTER(32)
);
DROP TABLE IF EXISTS varcharacter_example;

-- == VECTOR: https://mariadb.com/docs/server/reference/data-types/numeric-data-types/vector
CREATE TABLE t1 (id INT AUTO_INCREMENT PRIMARY KEY, v VECTOR(5) NOT NULL,
 VECTOR INDEX (v));
DROP TABLE IF EXISTS t1;

-- == YEAR Data Type: https://mariadb.com/docs/server/reference/data-types/date-and-time-data-types/year-data-type
CREATE TABLE y(y YEAR);
INSERT INTO y VALUES (1990),('2012');
SELECT * FROM y;
DROP TABLE IF EXISTS y;

-- == Binary Literals: https://mariadb.com/docs/server/reference/sql-structure/sql-language-structure/binary-literals
SELECT 0b1000001;

-- == Hexadecimal Literals: https://mariadb.com/docs/server/reference/sql-structure/sql-language-structure/hexadecimal-literals
SELECT x'61', X'61', 0x61;

-- == Identifier Names: https://mariadb.com/docs/server/reference/sql-structure/sql-language-structure/identifier-names
CREATE TABLE t1 (i int);
INSERT INTO t1(i) VALUES (10);
SELECT i FROM t1;
SELECT t1.i FROM t1;
DROP TABLE IF EXISTS t1;

-- == Table Value Constructors: https://mariadb.com/docs/server/reference/sql-structure/sql-language-structure/table-value-constructors
CREATE TABLE t1 (val1 INT, val2 INT);
INSERT INTO t1 VALUES(5, 8), (3, 4), (1, 2);
SELECT * FROM t1
UNION
VALUES (70, 90), (100, 110);
DROP TABLE IF EXISTS t1;

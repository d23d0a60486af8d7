-- category: data types and literals
-- source: the MariaDB manual's Numeric Literals, String Literals, Hexadecimal Literals, Binary Literals, Boolean
-- Literals, Date and Time Literals, Identifier Names, Identifier Qualifiers, Comment Syntax and Reserved Words
-- pages: how each literal is read, typed (the protocol's column type) and shown.

SELECT 1, -1, +1, 0, -0, 00012, 2147483647, 2147483648, 4294967296, 9223372036854775807, 9223372036854775808, 18446744073709551616;
SELECT 1.0, 1.50, -0.5, .5, 5., 00.100, 1.2345678901234567890123456789;
SELECT 1e0, 1E0, 1e1, 1.5e3, -1e-3, 1e+2, .5e1, 1e308, 1e-308, 5e-324, 2.2250738585072014e-308;
SELECT 1e0-1e0, 1e0 - 1e0, 1-1, 1.0-1.0, 1-1e0, 2e0-1;
SELECT 1--1, 1 - -1, 1- -1, 1 -- -1
;
SELECT 1 /* inline */ + 1, 1 # hash comment
;
SELECT 1 /*! + 1 */, 1 /*!100000 + 2 */, 1 /*!999999 + 3 */, 1 /*M! + 4 */;
SELECT 'string', "double quoted", 'it''s', "say ""hi""", 'back\\slash', 'tab\there', 'nl\nhere', 'quote\'s', 'percent\%', 'under\_';
SELECT 'a' 'b' 'c', 'a'   "b", 'x'
'y';
SELECT '\0' = CHAR(0), LENGTH('\0'), '\Z' = CHAR(26), '\b', '\r' = CHAR(13), '\x' = 'x', HEX('\%'), HEX('\_');
SELECT '', "", LENGTH(''), '' = ' ', '' IS NULL, CHAR_LENGTH(' ');
SELECT X'4D617269614442', x'4d', 0x4D617269614442, 0x4d, X'', 0x0, 0x00, 0xA, HEX(0xA);
SELECT X'4D' + 0, 0x4D + 0, 0x4D * 1, 0x4D = 77, 0x4D = 'M', CAST(0x4D AS UNSIGNED), 0x1 + 0x1;
SELECT b'1', B'0101', 0b101, b'1' + 0, b'1111111111111111111111111111111111111111111111111111111111111111' + 0;
SELECT TRUE, FALSE, true + true, TRUE = 1, FALSE = 0, TRUE IS TRUE, NULL IS NOT FALSE;
SELECT DATE'2024-02-29', TIME'10:11:12', TIMESTAMP'2024-02-29 10:11:12', TIMESTAMP'2024-02-29 10:11:12.345', TIME'10:11:12.5', TIME'-1 10:00:00';
SELECT DATE'2024-2-9', DATE'24-02-29', DATE'20240229', TIMESTAMP'2024-02-29T10:11:12', TIME'101112', TIME'10:11';
SELECT DATE'2024-02-30';
SELECT TIME'25:00:00', TIME'839:00:00';
SELECT {d '2024-02-29'}, {t '10:11:12'}, {ts '2024-02-29 10:11:12'};
SELECT N'national', n'x', _utf8mb4'x', _binary'x';
SELECT `1`, `select` FROM (SELECT 1 AS `1`, 2 AS `select`) AS t;
SELECT 1 AS `a b`, 2 AS "c d", 3 AS 'e f', 4 `g`, 5 AS h;
SELECT 1 AS ``;
SELECT 1 AS `é`, 2 AS `日本`, 3 AS `😀`;
CREATE TABLE `weird ``table```(`col``1` INT, `2col` INT, `select` INT, `from` INT, `Key` INT, `order` INT);
INSERT INTO `weird ``table``` VALUES (1, 2, 3, 4, 5, 6);
SELECT `col``1`, `2col`, `select`, `from`, `Key`, `order` FROM `weird ``table```;
SELECT `weird ``table```.`col``1` FROM `weird ``table```;
SELECT `{db}`.`weird ``table```.`2col` FROM `{db}`.`weird ``table```;
CREATE TABLE 1t (1a INT, a1 INT, $d INT, _u INT);
INSERT INTO 1t VALUES (1, 2, 3, 4);
SELECT 1a, a1, $d, _u FROM 1t;
SELECT 1t.1a FROM 1t;
CREATE TABLE select (a INT);
CREATE TABLE t (date DATE, time TIME, timestamp TIMESTAMP NULL, text TEXT, status INT, name INT, value INT, year INT, comment INT, data INT, action INT, level INT, type INT, user INT);
INSERT INTO t VALUES ('2024-01-01', '10:00:00', NULL, 'txt', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
SELECT date, time, text, status, name, value, year, comment, data, action, level, type, user FROM t;
SELECT 1 AS count, 2 AS sum, 3 AS max, 4 AS date, 5 AS end, 6 AS position;
SELECT 1 AS from;
SELECT 1 AS select;
SELECT -2147483648, -2147483649, -9223372036854775808, -9223372036854775809;
SELECT 0.1 + 0, 1/10, 100000000000000000000, 100000000000000000000.0, 1.0000000000000000000000000000001;
SELECT 123456789012345678901234567890123456789012345678901234567890123456;
SELECT 1.5e0, 1.5E00, 150e-2, 0.00015e4, 1.0e0, 10e0, 100e0, 1e15, 1e16, 1e-4, 1e-5, 123456789e0, 1234567890123456789e0;
SELECT 0.1e0, 0.3e0, 1/3e0, 2/3e0, 100/3e0, 1e0/7, 22/7e0, 1e22, 1e21, 123.456e0;
SELECT -1e0, -0e0, 0e0, -0.0e0, 1e0 * -0;
SELECT 3.0e0 * 1, 3e0, 1.0 * 3e0, 4e0 / 2, SQRT(16), POW(2, 3), EXP(0), LN(1), 2e0 * 1.5;
SELECT 0.30000000000000004e0, 0.1e0 + 0.2e0, 1e0 / 3 * 3, 1.1e0 * 1.1e0, 3.3e0 / 1.1e0;
SELECT CAST(1 AS DOUBLE), CAST(1.5 AS DOUBLE), CAST('1e3' AS DOUBLE), CAST(1 AS FLOAT), CAST(0.1 AS FLOAT), CAST(16777217 AS FLOAT);
CREATE TABLE fl (f FLOAT, d DOUBLE, r REAL);
INSERT INTO fl VALUES (1.1, 1.1, 1.1), (0.1, 0.1, 0.1), (16777217, 16777217, 16777217), (1e38, 1e308, 1e-308), (-0.0, -0.0, -0.0), (3.14159265358979, 3.14159265358979, 3.14159265358979), (100, 100, 100), (1e15, 1e15, 1e15), (1e16, 1e16, 1e16), (123456.7, 123456.7, 123456.7);
SELECT f, d, r, f + 0, d * 1, f = 1.1, d = 1.1, f * 2 FROM fl;
SELECT SUM(f), SUM(d), AVG(d), MAX(f), MIN(d) FROM fl;
SELECT CONCAT(f), CONCAT(d), CAST(f AS CHAR), CAST(d AS DECIMAL(20,5)), ROUND(f, 2), FORMAT(d, 3) FROM fl;

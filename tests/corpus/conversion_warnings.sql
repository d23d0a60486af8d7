-- category: type conversion and CAST
-- source: strings read as numbers and zero divisors, each followed by SHOW WARNINGS so that the level, code
-- and message are compared too (MariaDB 10.11: a note when only spaces follow the number, a warning
-- otherwise; DOUBLE in arithmetic, DECIMAL against an integer, INTEGER for CAST AS SIGNED and counts).

CREATE TABLE cw (id INT PRIMARY KEY, s VARCHAR(20), e ENUM('a','b'), st SET('p','q'), j JSON, vb VARBINARY(8), d DECIMAL(6,2));
INSERT INTO cw VALUES (1, '12abc', 'b', 'p,q', '{}', 'x1', 1.50), (2, ' 42 ', 'a', 'p', '[1]', '7', 0), (3, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT '42 ' + 0;
SHOW WARNINGS;
SELECT '  ' + 0, '' + 0, '-' + 0, '1e' + 0, '1e+' + 0, '0x10' + 0, '\t4' + 0;
SHOW WARNINGS;
SELECT 'abc' * 1, 'abc' / 1, -'abc', 'abc' DIV 1, 'abc' MOD 2;
SHOW WARNINGS;
SELECT 1 = 'a', 1.0 = 'a', 'a' = 1e0, 'a' < 2;
SHOW WARNINGS;
SELECT id, s + 0, vb + 0, j + 0 FROM cw ORDER BY id;
SHOW WARNINGS;
SELECT id, s * 2, -s, ABS(s), ROUND(s, 1) FROM cw ORDER BY id;
SELECT id FROM cw WHERE s = 12 ORDER BY id;
SELECT id, s = d, d = s, s < id FROM cw ORDER BY id;
SHOW WARNINGS;
SELECT CAST('1.5' AS SIGNED), CAST('-2.7' AS SIGNED), CAST('1e3' AS SIGNED), CAST(' 42 ' AS UNSIGNED);
SHOW WARNINGS;
SELECT CAST('12abc' AS DECIMAL(6,2)), CAST('x' AS DOUBLE);
SHOW WARNINGS;
SELECT LEFT('abcdef', 2.9), ROUND(1.25, '1');
SELECT 'x' AND 1, NOT 'x', 'x' OR 0, IF('x', 1, 2), CASE WHEN 'x' THEN 1 ELSE 2 END;
SHOW WARNINGS;
SELECT 'x' XOR 1, NULL XOR 'x', 'x' XOR NULL;
SELECT '12abc' BETWEEN -1 AND 20, 'x' IN (0, 1), 'a' IN ('a', 1);
SELECT NULL & 'x', 'x' & NULL, ~'12abc', '12abc' >> 1, '12abc' IS TRUE;
SELECT 10 / 0, 10 DIV 0, 10 % 0, MOD(10, 0), 1.5 / 0, 1e0 / 0;
SHOW WARNINGS;
SELECT 7 DIV 2, -7 DIV 2, 7.5 DIV 2, 9223372036854775807 DIV 3, -9223372036854775807 DIV 2;
SELECT LN(0), LOG(0), LOG(-1), LOG2(0), LOG10(0), LOG(2, 0), LOG(0, 2), LOG(1, 8);
SHOW WARNINGS;
SELECT LN(2), LOG(3), LOG(2, 8), LOG2(8), LOG10(1000), LN('x');
SELECT id, e + 0, st + 0 FROM cw ORDER BY id;
SELECT id, s / 0 FROM cw ORDER BY id;
SHOW WARNINGS;
-- A string column compared with a number literal is compared as numbers; the same statement with the
-- literal quoted compares strings (the two share a shape: their plans must not be shared).
SELECT id FROM cw WHERE s = '12' ORDER BY id;
SELECT id FROM cw WHERE 12 = s ORDER BY id;
SHOW WARNINGS;
SELECT id FROM cw WHERE s > 11 ORDER BY id;
SELECT id FROM cw WHERE s IN (12, 13) ORDER BY id;
SELECT id FROM cw WHERE s BETWEEN 11 AND 12.5 ORDER BY id;
SELECT id FROM cw WHERE s = 12.0 ORDER BY id;
SELECT id FROM cw WHERE s = 1.2e1 ORDER BY id;
SHOW WARNINGS;
SELECT id FROM cw WHERE s <=> 12 ORDER BY id;
SELECT id FROM cw WHERE s = '12' ORDER BY id;
-- CAST of table columns: the operand's type is known only when the statement runs.
CREATE TABLE cc (id INT PRIMARY KEY, dt DATE, ts DATETIME(2), tm TIME, dc DECIMAL(8,3), db DOUBLE, s VARCHAR(20), bi BIGINT UNSIGNED, vb VARBINARY(8));
INSERT INTO cc VALUES (1, '2020-01-02', '2020-01-02 03:04:05.67', '-12:34:56', -2.5, 2.5, '12abc', 18446744073709551615, 'xyz'), (2, '1999-12-31', '1999-12-31 23:59:59.99', '838:59:59', 123456.789, -1e20, '2024-02-29', 5, '7'), (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT id, CAST(dt AS SIGNED), CAST(ts AS SIGNED), CAST(tm AS SIGNED), CAST(dc AS SIGNED), CAST(db AS SIGNED), CAST(s AS SIGNED), CAST(bi AS SIGNED) FROM cc ORDER BY id;
SHOW WARNINGS;
SELECT id, CAST(dt AS UNSIGNED), CAST(dc AS UNSIGNED), CAST(db AS UNSIGNED), CAST(s AS UNSIGNED) FROM cc ORDER BY id;
SHOW WARNINGS;
SELECT id, CAST(dt AS DECIMAL(10,1)), CAST(ts AS DECIMAL(20,3)), CAST(tm AS DECIMAL(8,1)), CAST(dc AS DECIMAL(4,1)), CAST(db AS DECIMAL(5,2)), CAST(s AS DECIMAL(5,2)) FROM cc ORDER BY id;
SHOW WARNINGS;
SELECT id, CAST(dt AS DOUBLE), CAST(tm AS DOUBLE), CAST(dc AS DOUBLE), CAST(s AS DOUBLE) FROM cc ORDER BY id;
SHOW WARNINGS;
SELECT id, CAST(dt AS CHAR(4)), CAST(ts AS CHAR(25)), CAST(dc AS CHAR(5)), CAST(s AS CHAR(2)), CAST(bi AS CHAR(3)), HEX(CAST(vb AS BINARY(4))) FROM cc ORDER BY id;
SHOW WARNINGS;
SELECT id, CAST(ts AS DATE), CAST(dt AS DATETIME(1)), CAST(ts AS TIME(1)), CAST(s AS DATE), CAST(dc AS TIME), CAST(tm AS DATETIME) IS NULL FROM cc ORDER BY id;
SHOW WARNINGS;
SELECT id FROM cc WHERE CAST(dc AS SIGNED) = -3 OR CAST(s AS CHAR(2)) = '20' ORDER BY id;

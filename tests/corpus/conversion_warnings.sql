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

-- category: issue 14 examples
-- source: every example of issue 14 ("MySQL semantics in breadth"), in the issue's order, with the statements
-- around it that make it run (its tables). The issue's own finding in brackets where it names one.

-- missing built-ins
SELECT ADDTIME('500:00:00','416:40:00');
SELECT MAKETIME(10, 20, 30), MAKETIME(-1, 0, 0), MAKETIME(839, 0, 0);
SELECT UNIX_TIMESTAMP('2024-01-01 00:00:00'), UNIX_TIMESTAMP('2024-01-01 00:00:00.5');
SELECT TIMESTAMP('2024-01-01'), TIMESTAMP('2024-01-01', '10:00:00');
SELECT TO_BASE64('abc'), FROM_BASE64('YWJj'), FROM_BASE64('not base64!');
SELECT CONV('ff', 16, 10), CONV(255, 10, 2), CONV('-1', 10, 16), CONV('z', 36, 10);
SELECT SOUNDEX('Robert'), SOUNDEX('Rupert'), SOUNDEX('');
SELECT CHARSET('a'), CHARSET(1), COLLATION('a'), COLLATION(_latin1'a');
SELECT LENGTH(RANDOM_BYTES(8));
SELECT HEX(ENCODE('secret', 'key')), DECODE(ENCODE('secret', 'key'), 'key');
-- syntax refused
DO 1;
DO 1 + 1, SLEEP(0);
CREATE TABLE sales (id INT PRIMARY KEY, region VARCHAR(10), product VARCHAR(10), amount INT);
INSERT INTO sales VALUES (1, 'east', 'a', 10), (2, 'east', 'b', 20), (3, 'west', 'a', 5), (4, 'west', 'a', 7);
SELECT region, SUM(amount) FROM sales GROUP BY region WITH ROLLUP;
SELECT region, product, SUM(amount) FROM sales GROUP BY region, product WITH ROLLUP;
SELECT region, COUNT(*) FROM sales GROUP BY region DESC;
SELECT ALL region FROM sales ORDER BY id;
SELECT DISTINCTROW region FROM sales ORDER BY region;
SELECT STRAIGHT_JOIN a.id, b.id FROM sales a JOIN sales b ON a.id = b.id ORDER BY a.id;
SELECT a.id FROM sales a STRAIGHT_JOIN sales b ON a.id = b.id ORDER BY a.id;
CREATE TABLE defs (id INT AUTO_INCREMENT PRIMARY KEY, n INT DEFAULT 7, s VARCHAR(10) DEFAULT 'x', d DATE DEFAULT '2024-01-01');
INSERT INTO defs VALUES ();
INSERT INTO defs () VALUES ();
INSERT INTO defs VALUES (DEFAULT, DEFAULT, DEFAULT, DEFAULT);
INSERT INTO defs (n, s) VALUES (DEFAULT(n) + 1, CONCAT(DEFAULT(s), 'y'));
SELECT * FROM defs ORDER BY id;
SELECT DEFAULT(n), DEFAULT(s), DEFAULT(d) FROM defs ORDER BY id LIMIT 1;
CREATE TABLE exprdef (id INT PRIMARY KEY, a INT DEFAULT (1 + 1), b VARCHAR(20) DEFAULT (CONCAT('p', 'q')), c DOUBLE DEFAULT (PI()));
INSERT INTO exprdef (id) VALUES (1);
SELECT * FROM exprdef;
SHOW CREATE TABLE exprdef;
-- subquery predicates and rows
CREATE TABLE sq (a INT, b INT);
INSERT INTO sq VALUES (1, 2), (3, 4), (NULL, 5);
SELECT 1 > ALL (SELECT a FROM sq WHERE a IS NOT NULL);
SELECT 5 > ALL (SELECT a FROM sq);
SELECT 2 > ANY (SELECT a FROM sq);
SELECT 2 = SOME (SELECT a FROM sq);
SELECT 0 > ALL (SELECT a FROM sq WHERE a > 100);
SELECT ROW(1, 2) = (SELECT a, b FROM sq WHERE a = 1);
SELECT (1, 2) = (SELECT a, b FROM sq WHERE a = 1);
SELECT (1, 2) IN (SELECT a, b FROM sq);
SELECT (3, 4) IN ((1, 2), (3, 4));
SELECT (1, NULL) IN ((1, 2), (3, 4));
SELECT * FROM sq WHERE (a, b) IN ((1, 2), (3, 4)) ORDER BY a;
SELECT * FROM sq WHERE (a, b) = (3, 4);
-- CREATE TABLE ... SELECT keeps column types
create table t2 select concat('a','b') c, 1.5 d;
show create table t2;
select * from t2;
-- user variables, PREPARE, temporary tables, stored programs
SET @v := 5;
SELECT @v, @v := @v + 1, @v;
SELECT COUNT(*) INTO @n FROM sales;
SELECT @n;
PREPARE st FROM 'SELECT amount FROM sales WHERE id = ?';
SET @id = 2;
EXECUTE st USING @id;
DEALLOCATE PREPARE st;
CREATE TEMPORARY TABLE tmp (x INT);
INSERT INTO tmp VALUES (1), (2);
SELECT SUM(x) FROM tmp;
DROP TEMPORARY TABLE tmp;
DELIMITER //
CREATE PROCEDURE add_one(IN a INT, OUT b INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  IF a > 0 THEN
    SET b = a + 1;
  ELSE
    SET b = 0;
  END IF;
  WHILE i < 3 DO
    SET i = i + 1;
  END WHILE;
END//
DELIMITER ;
CALL add_one(41, @out);
SELECT @out;
DELIMITER //
CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2//
DELIMITER ;
SELECT twice(21);
CREATE TABLE audit (msg VARCHAR(50));
CREATE TRIGGER sales_ai AFTER INSERT ON sales FOR EACH ROW INSERT INTO audit VALUES (CONCAT('new ', NEW.id));
INSERT INTO sales VALUES (5, 'north', 'c', 1);
SELECT * FROM audit;
DROP TRIGGER sales_ai;
DROP FUNCTION twice;
DROP PROCEDURE add_one;
-- charset introducers and collations
SELECT _latin1'1', _utf8mb4'x', _binary'y';
SELECT 'a' COLLATE latin1_bin;
SELECT _latin1'a' COLLATE latin1_bin = _latin1'A';
SELECT CONVERT('abc' USING utf8mb4), CONVERT('é' USING latin1), HEX(CONVERT('é' USING latin1));
SELECT 'a' = 'a ', 'a ' = 'a', 'a' LIKE 'a ', 'a' < 'a ';
SELECT hex(char(256)), hex(char(1, 2)), hex(char(65 USING utf8mb4));
-- errors of SQLite leaking
CREATE TABLE t1 (a INT, b INT);
INSERT INTO t1 VALUES (1, 10), (2, 20);
select a from t1 having a=1;
SELECT a FROM t1 WHERE SUM(b) > 1;
SELECT a FROM t1 JOIN sq ON 1 = 1 ORDER BY a;
SELECT COUNT(SUM(a)) FROM t1;
-- values MariaDB refuses that app accepts; numbers rendered differently
SELECT EXP(750);
SELECT -''/1e1;
SELECT 1e0-1e0, 1e0+1e0, 2e0*3e0;
CREATE TABLE ub (u BIGINT UNSIGNED);
INSERT INTO ub VALUES (11120436154190595086);
SELECT u FROM ub;
INSERT INTO ub VALUES (-1);
INSERT INTO ub VALUES (18446744073709551616);
SELECT u + 1 FROM ub;
SELECT CAST(u AS SIGNED) FROM ub;
SELECT 18446744073709551615 + 1;
SELECT 9223372036854775807 + 1;
SELECT CAST(0 AS UNSIGNED) - 1;
-- NULL against a value
SELECT from_unixtime(-1);
SELECT TIME('+100:20:30');
SELECT CASE WHEN 1 THEN CAST('2024-01-01 10:00:00' AS DATETIME) ELSE CAST('10:00:00' AS TIME) END;
SELECT COALESCE(DATE'2024-01-01', TIME'10:00:00');
-- ALTER TABLE forms, session variables
CREATE TABLE alt (id INT, v INT);
INSERT INTO alt VALUES (3, 1), (1, 2), (2, 3);
ALTER TABLE alt ORDER BY id;
ALTER TABLE alt FORCE;
ALTER TABLE alt ADD COLUMN k INT AUTO_INCREMENT PRIMARY KEY;
SELECT * FROM alt ORDER BY k;
SET timestamp = 1700000000;
SELECT NOW(), UNIX_TIMESTAMP(), CURDATE();
SET timestamp = DEFAULT;
SET max_sort_length = 1024;
SET sql_buffer_result = 1;
SET lc_time_names = 'de_DE';
SELECT DATE_FORMAT('2024-03-01', '%W %M');
SET lc_time_names = 'en_US';
SET default_week_format = 1;
SELECT WEEK('2024-01-07');
SET default_week_format = 0;
SET sql_select_limit = 2;
SELECT id FROM sales ORDER BY id;
SET sql_select_limit = DEFAULT;
-- internal errors reaching clients
CREATE TABLE dec30 (d DECIMAL(31,30));
INSERT INTO dec30 VALUES (0.123456789012345678901234567890), (1);
SELECT d FROM dec30 ORDER BY d;
SET sql_mode = @never_set;
SELECT crc32('a', 'b');
SELECT FROM_UNIXTIME('string');
SELECT hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex(hex('a')))))))))))))))))))))))))))))))))))))))))))));
CREATE TABLE big (f DOUBLE);
INSERT INTO big VALUES (1e300), (-1e300), (1e300);
SELECT STDDEV(f), VARIANCE(f) FROM big;
CREATE TABLE ai (id INT AUTO_INCREMENT PRIMARY KEY, v INT);
insert into ai (id) values (-5);
SELECT * FROM ai;
INSERT INTO ai (v) VALUES (1);
SELECT * FROM ai ORDER BY id;
-- the documented known differences that applications hit first
CREATE TABLE money (amount DECIMAL(10,2));
INSERT INTO money VALUES (0.10), (0.20), (0.30), (1234567.89), (0.01);
SELECT SUM(amount), SUM(amount) = 1234568.50, AVG(amount) FROM money;
SELECT amount * 3 FROM money ORDER BY amount;
SELECT COUNT(*) FROM money WHERE amount * 3 = 0.3;
SELECT @@tx_isolation;
CREATE TABLE CaseT (id INT);
CREATE TABLE caset (id INT);
SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'caset';
SET sql_mode = '';
CREATE TABLE strict_off (s VARCHAR(3), n TINYINT);
INSERT INTO strict_off VALUES ('toolong', 1000);
SELECT * FROM strict_off;
SET sql_mode = DEFAULT;
CREATE TABLE au (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(3) UNIQUE);
INSERT INTO au (v) VALUES ('x');
INSERT INTO au (v) VALUES ('x');
INSERT IGNORE INTO au (v) VALUES ('x');
INSERT INTO au (v) VALUES ('y');
SELECT * FROM au ORDER BY id;

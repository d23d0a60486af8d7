-- category: stored procedures, functions and triggers
-- source: the MariaDB manual's CREATE PROCEDURE, CREATE FUNCTION, CREATE TRIGGER, CALL, DECLARE Variable,
-- SET, IF, CASE Statement, WHILE, REPEAT, LOOP, LEAVE, ITERATE, DECLARE HANDLER, DECLARE CURSOR, OPEN/FETCH/
-- CLOSE, SIGNAL, RESIGNAL, RETURN and SHOW CREATE PROCEDURE/FUNCTION/TRIGGER pages (SHOW ... STATUS and SHOW
-- TRIGGERS only where they are empty: their rows carry creation times).

CREATE TABLE acct (id INT PRIMARY KEY, bal DECIMAL(10,2), owner VARCHAR(10));
INSERT INTO acct VALUES (1, 100.00, 'ann'), (2, 50.00, 'bob'), (3, 0.00, 'cid');
CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100));
DELIMITER //
CREATE PROCEDURE hello()
BEGIN
  SELECT 'hello' AS greeting;
END//
CREATE PROCEDURE two_results()
BEGIN
  SELECT 1 AS a;
  SELECT 2 AS b, 3 AS c;
END//
CREATE PROCEDURE no_result()
BEGIN
  DECLARE x INT DEFAULT 1;
  SET x = x + 1;
END//
CREATE PROCEDURE transfer(IN src INT, IN dst INT, IN amount DECIMAL(10,2))
BEGIN
  UPDATE acct SET bal = bal - amount WHERE id = src;
  UPDATE acct SET bal = bal + amount WHERE id = dst;
  INSERT INTO log (msg) VALUES (CONCAT('moved ', amount, ' from ', src, ' to ', dst));
END//
CREATE PROCEDURE get_bal(IN who INT, OUT result DECIMAL(10,2))
BEGIN
  SELECT bal INTO result FROM acct WHERE id = who;
END//
CREATE PROCEDURE inc(INOUT n INT, IN by_ INT)
BEGIN
  SET n = n + by_;
END//
CREATE PROCEDURE classify(IN v INT, OUT label VARCHAR(10))
BEGIN
  IF v < 0 THEN
    SET label = 'negative';
  ELSEIF v = 0 THEN
    SET label = 'zero';
  ELSE
    SET label = 'positive';
  END IF;
END//
CREATE PROCEDURE case_stmt(IN v INT)
BEGIN
  CASE v
    WHEN 1 THEN SELECT 'one';
    WHEN 2 THEN SELECT 'two';
    ELSE SELECT 'many';
  END CASE;
END//
CREATE PROCEDURE loops(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE s INT DEFAULT 0;
  WHILE i < n DO
    SET i = i + 1;
    SET s = s + i;
  END WHILE;
  REPEAT
    SET i = i - 1;
  UNTIL i <= 0 END REPEAT;
  lbl: LOOP
    SET i = i + 1;
    IF i = 2 THEN ITERATE lbl; END IF;
    IF i >= 5 THEN LEAVE lbl; END IF;
  END LOOP lbl;
  SELECT s, i;
END//
CREATE PROCEDURE cursor_sum(OUT total DECIMAL(10,2), OUT n INT)
BEGIN
  DECLARE done INT DEFAULT FALSE;
  DECLARE b DECIMAL(10,2);
  DECLARE cur CURSOR FOR SELECT bal FROM acct ORDER BY id;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;
  SET total = 0, n = 0;
  OPEN cur;
  read_loop: LOOP
    FETCH cur INTO b;
    IF done THEN LEAVE read_loop; END IF;
    SET total = total + b, n = n + 1;
  END LOOP;
  CLOSE cur;
END//
CREATE PROCEDURE safe_insert(IN i INT)
BEGIN
  DECLARE CONTINUE HANDLER FOR 1062 SET @dup = CONCAT('duplicate ', i);
  SET @dup = NULL;
  INSERT INTO acct VALUES (i, 0, 'new');
  SELECT @dup;
END//
CREATE PROCEDURE exit_handler()
BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION SELECT 'caught' AS handled;
  SELECT * FROM nosuch_table;
  SELECT 'not reached';
END//
CREATE PROCEDURE raise_it(IN v INT)
BEGIN
  IF v < 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative not allowed', MYSQL_ERRNO = 1644;
  END IF;
  SELECT v;
END//
CREATE FUNCTION add2(a INT, b INT) RETURNS INT DETERMINISTIC
BEGIN
  RETURN a + b;
END//
CREATE FUNCTION greet(n VARCHAR(20)) RETURNS VARCHAR(30) DETERMINISTIC RETURN CONCAT('hi ', n)//
CREATE FUNCTION total_bal() RETURNS DECIMAL(12,2) READS SQL DATA
BEGIN
  DECLARE t DECIMAL(12,2);
  SELECT SUM(bal) INTO t FROM acct;
  RETURN t;
END//
CREATE FUNCTION fact(n INT) RETURNS BIGINT DETERMINISTIC
BEGIN
  DECLARE r BIGINT DEFAULT 1;
  WHILE n > 1 DO
    SET r = r * n;
    SET n = n - 1;
  END WHILE;
  RETURN r;
END//
CREATE TRIGGER acct_bi BEFORE INSERT ON acct FOR EACH ROW
BEGIN
  IF NEW.bal < 0 THEN
    SET NEW.bal = 0;
  END IF;
  SET NEW.owner = LOWER(NEW.owner);
END//
CREATE TRIGGER acct_au AFTER UPDATE ON acct FOR EACH ROW
  INSERT INTO log (msg) VALUES (CONCAT('bal ', OLD.bal, ' -> ', NEW.bal))//
CREATE TRIGGER acct_bd BEFORE DELETE ON acct FOR EACH ROW
BEGIN
  IF OLD.bal > 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'account not empty';
  END IF;
END//
DELIMITER ;
CALL hello();
CALL hello;
CALL two_results();
CALL no_result();
CALL transfer(1, 2, 25.50);
SELECT * FROM acct ORDER BY id;
SELECT msg FROM log ORDER BY id;
CALL get_bal(2, @b);
SELECT @b;
CALL get_bal(99, @b2);
SELECT @b2;
SET @n = 10;
CALL inc(@n, 5);
SELECT @n;
CALL classify(-3, @l1);
CALL classify(0, @l2);
CALL classify(7, @l3);
SELECT @l1, @l2, @l3;
CALL case_stmt(1);
CALL case_stmt(5);
CALL loops(4);
CALL cursor_sum(@total, @count);
SELECT @total, @count;
CALL safe_insert(10);
CALL safe_insert(10);
CALL exit_handler();
CALL raise_it(1);
CALL raise_it(-1);
CALL nosuch_proc();
CALL hello(1);
CALL get_bal(1);
SELECT add2(2, 3), add2(NULL, 1), greet('x'), greet(NULL);
SELECT total_bal();
SELECT fact(5), fact(20), fact(0);
SELECT id, add2(id, 100) FROM acct ORDER BY id;
SELECT add2(1);
SELECT nosuch_func(1);
INSERT INTO acct VALUES (20, -5, 'LOUD');
SELECT * FROM acct WHERE id = 20;
UPDATE acct SET bal = bal + 1 WHERE id = 3;
SELECT msg FROM log ORDER BY id DESC LIMIT 1;
DELETE FROM acct WHERE id = 1;
DELETE FROM acct WHERE id = 20;
SELECT COUNT(*) FROM acct;
DELIMITER //
CREATE PROCEDURE count_accts(OUT n INT)
BEGIN
  DECLARE c INT;
  SET c = (SELECT COUNT(*) FROM acct);
  SET n = c * 10;
END//
CREATE PROCEDURE stats(OUT a INT, OUT b INT)
BEGIN
  DECLARE top INT DEFAULT (SELECT MAX(id) FROM acct);
  SET a = (SELECT COUNT(*) FROM acct), b = a * 10 + top;
END//
DELIMITER ;
CALL count_accts(@cnt);
SELECT @cnt;
CALL stats(@sa, @sb);
SELECT @sa, @sb;
SHOW CREATE PROCEDURE inc;
SHOW CREATE FUNCTION add2;
SHOW PROCEDURE STATUS WHERE Db = DATABASE() AND Name = 'nosuch';
SHOW FUNCTION STATUS WHERE Db = DATABASE() AND Name = 'nosuch';
SHOW TRIGGERS LIKE 'nosuch';
SELECT ROUTINE_NAME, ROUTINE_TYPE, DATA_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_NAME;
SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_TIMING, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME;
SELECT SPECIFIC_NAME, PARAMETER_NAME, PARAMETER_MODE, DATA_TYPE FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = DATABASE() ORDER BY SPECIFIC_NAME, ORDINAL_POSITION;
CREATE PROCEDURE hello() SELECT 1;
CREATE OR REPLACE PROCEDURE hello() SELECT 'replaced';
CALL hello();
CREATE FUNCTION IF NOT EXISTS add2(a INT) RETURNS INT RETURN a;
SHOW WARNINGS;
DROP PROCEDURE hello;
DROP PROCEDURE IF EXISTS hello;
DROP PROCEDURE hello;
DROP FUNCTION add2;
DROP FUNCTION IF EXISTS add2;
DROP TRIGGER acct_bi;
DROP TRIGGER IF EXISTS acct_bi;
DROP TRIGGER acct_bi;
DROP TABLE acct;
SHOW TRIGGERS;

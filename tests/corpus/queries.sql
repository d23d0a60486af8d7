-- category: queries (SELECT, GROUP BY, ORDER BY, LIMIT, CTE)
-- source: the MariaDB manual's SELECT, GROUP BY, WITH ROLLUP, ORDER BY, LIMIT, OFFSET ... FETCH, HAVING,
-- DISTINCT, UNION / INTERSECT / EXCEPT, WITH (recursive and not), VALUES (table value constructor) and DUAL
-- pages, over one small table of employees.

CREATE TABLE emp (id INT PRIMARY KEY, name VARCHAR(20), dept VARCHAR(10), salary DECIMAL(8,2), hired DATE, boss INT);
INSERT INTO emp VALUES (1, 'Ann', 'eng', 5000.00, '2020-01-15', NULL), (2, 'Bob', 'eng', 4000.50, '2021-03-01', 1), (3, 'Cid', 'ops', 3000.00, '2019-07-30', 1), (4, 'Dee', 'ops', 3000.00, '2022-11-11', 3), (5, 'Eve', 'hr', NULL, '2023-05-05', 1), (6, 'Fay', NULL, 2500.25, NULL, 5), (7, 'ann', 'eng', 4500.00, '2020-01-15', 2);
SELECT * FROM emp;
SELECT name FROM emp WHERE id = 3;
SELECT 1 + 1;
SELECT 1 + 1 FROM DUAL;
SELECT 'x' AS a, 2 AS b, NULL AS c;
SELECT id AS `the id`, name "the name", dept 'the dept' FROM emp WHERE id < 3 ORDER BY id;
SELECT emp.id, e.name FROM emp e WHERE e.id = 1;
SELECT * FROM emp WHERE salary > 3000 ORDER BY salary DESC, id;
SELECT * FROM emp WHERE salary BETWEEN 3000 AND 4500 ORDER BY id;
SELECT * FROM emp WHERE dept IN ('eng', 'hr') AND salary IS NOT NULL ORDER BY id;
SELECT * FROM emp WHERE name LIKE 'a%' ORDER BY id;
SELECT * FROM emp WHERE name LIKE BINARY 'a%' ORDER BY id;
SELECT * FROM emp WHERE dept IS NULL OR salary IS NULL ORDER BY id;
SELECT * FROM emp WHERE NOT (dept = 'eng') ORDER BY id;
SELECT * FROM emp WHERE dept <> 'eng' ORDER BY id;
SELECT * FROM emp WHERE hired > '2021-01-01' ORDER BY hired;
SELECT * FROM emp WHERE YEAR(hired) = 2020 ORDER BY id;
-- DISTINCT
SELECT DISTINCT dept FROM emp ORDER BY dept;
SELECT DISTINCT dept, salary FROM emp ORDER BY dept, salary;
SELECT DISTINCT name FROM emp ORDER BY name;
SELECT COUNT(DISTINCT dept), COUNT(DISTINCT name), COUNT(DISTINCT dept, salary) FROM emp;
-- ORDER BY forms
SELECT name FROM emp ORDER BY 1;
SELECT name, salary AS s FROM emp ORDER BY s, name;
SELECT name FROM emp ORDER BY salary IS NULL, salary;
SELECT name FROM emp ORDER BY dept, name DESC;
SELECT name FROM emp ORDER BY LENGTH(name) DESC, id;
SELECT name FROM emp ORDER BY name;
SELECT name FROM emp ORDER BY name COLLATE utf8mb4_bin;
SELECT name FROM emp ORDER BY BINARY name;
SELECT name, dept FROM emp ORDER BY dept DESC, id;
SELECT name FROM emp ORDER BY FIELD(dept, 'ops', 'hr', 'eng'), id;
SELECT name FROM emp ORDER BY 3;
SELECT name FROM emp ORDER BY nosuch;
SELECT id FROM emp ORDER BY NULL;
SELECT id FROM emp ORDER BY RAND(1) IS NOT NULL, id;
-- LIMIT
SELECT id FROM emp ORDER BY id LIMIT 2;
SELECT id FROM emp ORDER BY id LIMIT 2, 3;
SELECT id FROM emp ORDER BY id LIMIT 3 OFFSET 5;
SELECT id FROM emp ORDER BY id LIMIT 0;
SELECT id FROM emp ORDER BY id LIMIT 100 OFFSET 100;
SELECT id FROM emp ORDER BY id OFFSET 2 ROWS FETCH FIRST 2 ROWS ONLY;
SELECT id FROM emp ORDER BY salary FETCH FIRST 2 ROWS WITH TIES;
SELECT id FROM emp ORDER BY id LIMIT -1;
SELECT id FROM emp ORDER BY id LIMIT 1.5;
SELECT id FROM emp ORDER BY id LIMIT ROWS EXAMINED 100;
-- GROUP BY and HAVING
SELECT dept, COUNT(*) FROM emp GROUP BY dept ORDER BY dept;
SELECT dept, COUNT(*), SUM(salary), AVG(salary), MIN(name), MAX(hired) FROM emp GROUP BY dept ORDER BY dept;
SELECT dept, COUNT(*) AS n FROM emp GROUP BY dept HAVING n > 1 ORDER BY dept;
SELECT dept, COUNT(*) FROM emp GROUP BY dept HAVING COUNT(*) > 1 ORDER BY dept;
SELECT dept, SUM(salary) FROM emp GROUP BY dept HAVING SUM(salary) > 5000 ORDER BY 2;
SELECT dept FROM emp GROUP BY dept HAVING dept LIKE 'e%';
SELECT YEAR(hired) AS y, COUNT(*) FROM emp GROUP BY y ORDER BY y;
SELECT YEAR(hired), COUNT(*) FROM emp GROUP BY YEAR(hired) ORDER BY 1;
SELECT dept, name FROM emp GROUP BY dept ORDER BY dept;
SELECT name, COUNT(*) FROM emp GROUP BY name ORDER BY name;
SELECT COUNT(*) FROM emp GROUP BY dept, boss ORDER BY 1 DESC, MIN(id);
SELECT dept, COUNT(*) FROM emp GROUP BY 1 ORDER BY 1;
SELECT dept, COUNT(*) FROM emp GROUP BY dept ASC;
SELECT COUNT(*), SUM(salary) FROM emp WHERE 1 = 0;
SELECT COUNT(*), SUM(salary) FROM emp WHERE 1 = 0 GROUP BY dept;
SELECT dept, SUM(salary) FROM emp GROUP BY dept WITH ROLLUP;
SELECT dept, boss, COUNT(*) FROM emp GROUP BY dept, boss WITH ROLLUP;
SELECT COALESCE(dept, 'ALL'), COUNT(*) FROM emp GROUP BY dept WITH ROLLUP;
SELECT dept, COUNT(*) FROM emp GROUP BY dept WITH ROLLUP HAVING COUNT(*) > 1;
SELECT dept, COUNT(*) FROM emp GROUP BY dept WITH ROLLUP ORDER BY dept LIMIT 10;
SELECT SQL_CALC_FOUND_ROWS id FROM emp ORDER BY id LIMIT 2;
SELECT FOUND_ROWS();
SELECT id FROM emp WHERE dept = 'eng' ORDER BY id;
SELECT FOUND_ROWS();
SELECT SQL_NO_CACHE id FROM emp WHERE id = 1;
SELECT SQL_CACHE id FROM emp WHERE id = 1;
SELECT HIGH_PRIORITY id FROM emp WHERE id = 1;
SELECT SQL_SMALL_RESULT dept FROM emp GROUP BY dept ORDER BY dept;
SELECT SQL_BIG_RESULT dept FROM emp GROUP BY dept ORDER BY dept;
SELECT SQL_BUFFER_RESULT id FROM emp WHERE id = 1;
-- set operations
SELECT id FROM emp WHERE id < 3 UNION SELECT id FROM emp WHERE id < 5 ORDER BY id;
SELECT dept FROM emp UNION SELECT dept FROM emp ORDER BY dept;
SELECT dept FROM emp UNION ALL SELECT dept FROM emp WHERE id = 1 ORDER BY dept;
SELECT dept FROM emp UNION DISTINCT SELECT 'new' ORDER BY 1;
SELECT 1 UNION SELECT 'a' UNION SELECT 2.5;
SELECT 1 AS x UNION SELECT NULL ORDER BY x;
SELECT id FROM emp WHERE id < 4 INTERSECT SELECT id FROM emp WHERE id > 2;
SELECT id FROM emp EXCEPT SELECT id FROM emp WHERE id > 2 ORDER BY id;
SELECT dept FROM emp INTERSECT ALL SELECT dept FROM emp WHERE id < 3 ORDER BY 1;
SELECT dept FROM emp EXCEPT ALL SELECT dept FROM emp WHERE id < 3 ORDER BY 1;
(SELECT id FROM emp ORDER BY id LIMIT 2) UNION (SELECT id FROM emp ORDER BY id DESC LIMIT 2) ORDER BY id;
(SELECT id FROM emp WHERE id = 1) UNION ALL (SELECT id FROM emp WHERE id = 2) LIMIT 1;
SELECT id, name FROM emp WHERE id = 1 UNION SELECT id FROM emp;
SELECT * FROM (SELECT id FROM emp UNION SELECT 100) AS u ORDER BY id DESC LIMIT 2;
-- table value constructor
VALUES (1, 'a'), (2, 'b');
VALUES (1), (2) ORDER BY 1 DESC;
SELECT * FROM (VALUES (1, 2), (3, 4)) AS t;
SELECT * FROM emp WHERE id IN (VALUES (1), (2)) ORDER BY id;
-- common table expressions
WITH e AS (SELECT * FROM emp WHERE dept = 'eng') SELECT name FROM e ORDER BY id;
WITH e (a, b) AS (SELECT id, name FROM emp) SELECT b FROM e WHERE a = 2;
WITH d AS (SELECT dept, COUNT(*) AS n FROM emp GROUP BY dept), m AS (SELECT MAX(n) AS mx FROM d) SELECT dept FROM d, m WHERE n = mx;
WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10) SELECT SUM(n), COUNT(*) FROM c;
WITH RECURSIVE chain AS (SELECT id, name, boss, 0 AS depth FROM emp WHERE boss IS NULL UNION ALL SELECT e.id, e.name, e.boss, chain.depth + 1 FROM emp e JOIN chain ON e.boss = chain.id) SELECT * FROM chain ORDER BY depth, id;
WITH RECURSIVE fib (a, b, i) AS (SELECT 0, 1, 1 UNION ALL SELECT b, a + b, i + 1 FROM fib WHERE i < 20) SELECT a FROM fib ORDER BY i DESC LIMIT 1;
WITH RECURSIVE s AS (SELECT 'a' AS str UNION ALL SELECT CONCAT(str, 'a') FROM s WHERE LENGTH(str) < 5) SELECT str FROM s;
WITH RECURSIVE d AS (SELECT DATE'2024-02-27' AS day UNION ALL SELECT day + INTERVAL 1 DAY FROM d WHERE day < '2024-03-02') SELECT day, DAYNAME(day) FROM d;
WITH x AS (SELECT 1 AS v) SELECT * FROM x AS a JOIN x AS b USING (v);
WITH x AS (SELECT 1) SELECT * FROM nosuch_x;
-- derived tables and expressions in the select list
SELECT * FROM (SELECT dept, COUNT(*) AS n FROM emp GROUP BY dept) AS d WHERE n > 1 ORDER BY dept;
SELECT d.n FROM (SELECT COUNT(*) AS n FROM emp) d;
SELECT * FROM (SELECT 1) AS a, (SELECT 2) AS b;
SELECT (SELECT MAX(id) FROM emp) - (SELECT MIN(id) FROM emp);
SELECT id, salary * 12 AS yearly, salary / 3, salary DIV 1000, -salary FROM emp ORDER BY id;
SELECT id, CASE WHEN salary >= 4000 THEN 'high' WHEN salary >= 3000 THEN 'mid' ELSE 'low' END AS band FROM emp ORDER BY id;
SELECT id, IF(boss IS NULL, 'top', CONCAT('reports to ', boss)) FROM emp ORDER BY id;
SELECT name, dept, name = 'ann', name = BINARY 'ann' FROM emp ORDER BY id;
SELECT *, id FROM emp WHERE id = 1;
SELECT emp.* FROM emp WHERE id = 1;
SELECT id, (SELECT name FROM emp b WHERE b.id = emp.boss) AS boss_name FROM emp ORDER BY id;
SELECT 1 FROM emp LIMIT 1;
SELECT COUNT(*) FROM emp e1, emp e2;
SELECT id FROM emp WHERE id = (SELECT MAX(id) FROM emp);
SELECT id FROM emp FOR UPDATE;
SELECT id FROM emp WHERE id = 1 LOCK IN SHARE MODE;
SELECT MAX(salary) FROM emp WHERE dept = 'nope';
SELECT name FROM emp WHERE salary = (SELECT MAX(salary) FROM emp);
-- WITH ROLLUP and GROUP BY ... DESC
CREATE TABLE ru (a INT, b VARCHAR(3), c INT);
INSERT INTO ru VALUES (1, 'x', 1), (1, 'y', 2), (2, 'x', 3), (NULL, 'z', 4), (2, 'X', 5);
SELECT a, b, SUM(c) FROM ru GROUP BY a, b WITH ROLLUP;
SELECT a, b, SUM(c) FROM ru GROUP BY a DESC, b WITH ROLLUP;
SELECT a, b, SUM(c) FROM ru GROUP BY a, b WITH ROLLUP ORDER BY a;
SELECT a, SUM(c) FROM ru GROUP BY a WITH ROLLUP LIMIT 2;
SELECT a, SUM(c) AS s FROM ru GROUP BY a WITH ROLLUP HAVING s > 3;
SELECT SUM(c) FROM ru GROUP BY a WITH ROLLUP;
SELECT a, SUM(c) FROM ru WHERE c > 100 GROUP BY a WITH ROLLUP;
SELECT a + 1, COUNT(*) FROM ru GROUP BY a + 1 WITH ROLLUP;
SELECT a, COUNT(*) FROM ru GROUP BY a DESC;
SELECT a, COUNT(*) FROM ru WHERE c > 1 GROUP BY a DESC LIMIT 1;
SELECT b, COUNT(*) FROM ru GROUP BY b ASC;
SELECT a, COUNT(*) FROM ru GROUP BY a DESC ORDER BY a;
-- INTERSECT ALL / EXCEPT ALL: the n-th copy of a row meets the n-th copy on the other side
SELECT dept, salary > 3000 AS high FROM emp INTERSECT ALL SELECT dept, 1 FROM emp ORDER BY 1, 2;
SELECT dept FROM emp EXCEPT ALL SELECT 'eng' ORDER BY 1 LIMIT 3;
SELECT boss FROM emp INTERSECT ALL SELECT boss FROM emp WHERE boss IS NULL OR boss = 1 ORDER BY 1;
SELECT hired FROM emp EXCEPT ALL SELECT hired FROM emp WHERE id > 3 ORDER BY 1;
-- HAVING without GROUP BY sees the select list only
SELECT id AS x FROM emp HAVING id = 1;
SELECT id AS x FROM emp HAVING x > 5 ORDER BY x;
SELECT name FROM emp HAVING dept = 'eng';
SELECT name, (SELECT COUNT(*) FROM emp e2 WHERE e2.boss = emp.id) AS n FROM emp HAVING n > 1;

-- category: operators, comparison and collation
-- source: MariaDB's rule for comparing a DATE or DATETIME with a string or a number (the manual's Type
-- Conversion page: "if one of the arguments is a TIMESTAMP or DATETIME column and the other argument is a
-- constant, the constant is converted to a timestamp"): columns of each temporal type against strings,
-- numbers and string columns, fractional seconds, and what is no date (the zero date, with a warning).

CREATE TABLE cmpd (id INT PRIMARY KEY, d DATE, dt DATETIME, dt3 DATETIME(3), ts TIMESTAMP NULL, s VARCHAR(30), n BIGINT);
INSERT INTO cmpd VALUES (1, '2024-01-01', '2024-01-01 10:00:00', '2024-01-01 10:00:00.500', '2024-01-01 10:00:00', '2024-01-01', 20240101), (2, '2024-02-29', '2024-02-29 00:00:00', '2024-02-29 23:59:59.999', NULL, '2024-02-29 00:00:00', 20240229000000), (3, NULL, NULL, NULL, NULL, 'x', 0);
SELECT id, d = '2024-01-01', d < 'a', d = 20240101, d = '20240101', d = '2024-01-01 00:00:00', d < '2024-01-01 00:00:01' FROM cmpd ORDER BY id;
SELECT id, s = d, n = d, d = s, d >= n FROM cmpd ORDER BY id;
SELECT id, dt = '2024-01-01 10:00:00', dt = '2024-01-01 10:00', dt > 'a', dt = 20240101100000, dt > '2024-01-01', dt = 20240229 FROM cmpd ORDER BY id;
SELECT id, dt3 = '2024-01-01 10:00:00.5', dt3 > '2024-01-01 10:00:00', dt3 < 'x', dt3 = 20240101100000.5, dt3 < '2024-02-29 23:59:59.9991' FROM cmpd ORDER BY id;
SELECT id, ts = '2024-01-01 10:00', ts > 5, ts = 20240101100000, ts < '2024-01-01 10:00:00.1' FROM cmpd ORDER BY id;
SELECT id FROM cmpd WHERE d = '2024-02-29';
SELECT id FROM cmpd WHERE dt >= '2024-02-29' ORDER BY id;
SELECT id FROM cmpd WHERE d BETWEEN '2023-12-31' AND 20240102;
SELECT id FROM cmpd WHERE d IN ('2024-02-29', 20240101) ORDER BY id;
SELECT id FROM cmpd WHERE dt <> 'never' ORDER BY id;
SELECT NOW() > '2000-01-01', CURDATE() > 20000101, TIMESTAMP'2024-01-01 10:00:00' = '2024-01-01 10:00', TIMESTAMP'2024-01-01 10:00:00' < 'b';
DROP TABLE cmpd;

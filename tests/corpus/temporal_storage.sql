-- category: data types and literals
-- Dates and times as the columns store them: the forms applications and ORMs send (no seconds, one-digit
-- parts, a T, digits only, fractions), read back as MariaDB writes them.
CREATE TABLE ts_forms (id INT PRIMARY KEY, dt DATETIME, d DATE, t TIME, ts TIMESTAMP NULL, dt3 DATETIME(3), t2 TIME(2));
INSERT INTO ts_forms VALUES (1, '2024-01-02 03:04', '2024-01-02 03:04', '03:04', '2024-01-02 03:04', '2024-01-02 03:04:05.1234', '03:04:05.129');
INSERT INTO ts_forms VALUES (2, '2024-1-2', '2024-1-2', '3:4:5', '20240102030405', '2024-1-2 3:4:5', '3:4:5.5');
INSERT INTO ts_forms VALUES (3, '2024-01-02T03:04:05.5', '24-01-02', '1 03:04', '2024-01-02 03:04:05.123', '2024-01-02T03:04:05.5', '-1 03:04');
INSERT INTO ts_forms VALUES (4, 20240102030405, 20240102, 30405, 20240102030405, 20240102030405.25, 30405.25);
INSERT INTO ts_forms VALUES (5, '24/01/02 3.4.5', '2024.01.02', '030405', '24-01-02 03:04:05', '240102030405', '12:00');
SELECT * FROM ts_forms ORDER BY id;
SELECT id, dt + 0, d + 0, t + 0, ts + 0 FROM ts_forms ORDER BY id;
SELECT id FROM ts_forms WHERE t = '03:04:00' OR dt = '2024-01-02 03:04:00' ORDER BY id;
SELECT id, TIME_TO_SEC(t), DATEDIFF(dt, d), HOUR(t), MINUTE(ts) FROM ts_forms ORDER BY id;
INSERT INTO ts_forms (id, dt) VALUES (6, '2024-01-02 03:04x');
INSERT INTO ts_forms (id, dt) VALUES (7, '2024-02-30');
INSERT INTO ts_forms (id, t) VALUES (8, '03:04x');
INSERT INTO ts_forms (id, t) VALUES (9, '839:00:00');
INSERT INTO ts_forms (id, ts) VALUES (10, '1960-01-01 00:00:00');
UPDATE ts_forms SET t = '5:6', ts = '2025-2-3 4:5' WHERE id = 1;
SELECT id, t, ts FROM ts_forms WHERE id = 1;

-- category: transactions and isolation
-- source: the MariaDB manual's START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, SET TRANSACTION, autocommit,
-- SQL Statements That Cause an Implicit Commit, READ COMMITTED and REPEATABLE READ pages. A second session
-- (`-- connection: other`) watches what the first one's transactions make visible, and when.

CREATE TABLE acct (id INT PRIMARY KEY, bal INT);
INSERT INTO acct VALUES (1, 100), (2, 100);
SELECT @@autocommit, @@in_transaction, @@tx_isolation, @@tx_read_only;
START TRANSACTION;
SELECT @@in_transaction;
UPDATE acct SET bal = bal - 10 WHERE id = 1;
SELECT bal FROM acct WHERE id = 1;
ROLLBACK;
SELECT @@in_transaction;
SELECT bal FROM acct WHERE id = 1;
BEGIN;
UPDATE acct SET bal = bal - 10 WHERE id = 1;
UPDATE acct SET bal = bal + 10 WHERE id = 2;
COMMIT;
SELECT * FROM acct ORDER BY id;
BEGIN WORK;
INSERT INTO acct VALUES (3, 0);
COMMIT WORK;
START TRANSACTION;
INSERT INTO acct VALUES (4, 4);
SAVEPOINT sp1;
INSERT INTO acct VALUES (5, 5);
SAVEPOINT sp2;
INSERT INTO acct VALUES (6, 6);
ROLLBACK TO SAVEPOINT sp2;
SELECT id FROM acct ORDER BY id;
ROLLBACK TO sp1;
SELECT id FROM acct ORDER BY id;
RELEASE SAVEPOINT sp1;
ROLLBACK TO sp1;
COMMIT;
SELECT id FROM acct ORDER BY id;
SAVEPOINT outside;
ROLLBACK TO outside;
SET autocommit = 0;
SELECT @@autocommit;
INSERT INTO acct VALUES (7, 7);
ROLLBACK;
SELECT COUNT(*) FROM acct WHERE id = 7;
INSERT INTO acct VALUES (8, 8);
COMMIT;
SELECT COUNT(*) FROM acct WHERE id = 8;
INSERT INTO acct VALUES (9, 9);
SET autocommit = 1;
ROLLBACK;
SELECT COUNT(*) FROM acct WHERE id = 9;
START TRANSACTION;
INSERT INTO acct VALUES (10, 10);
CREATE TABLE implicit_commit (x INT);
ROLLBACK;
SELECT COUNT(*) FROM acct WHERE id = 10;
START TRANSACTION;
INSERT INTO acct VALUES (11, 11);
START TRANSACTION;
ROLLBACK;
SELECT COUNT(*) FROM acct WHERE id = 11;
START TRANSACTION READ ONLY;
SELECT COUNT(*) FROM acct;
INSERT INTO acct VALUES (12, 12);
COMMIT;
START TRANSACTION READ WRITE;
COMMIT;
START TRANSACTION WITH CONSISTENT SNAPSHOT;
COMMIT;
BEGIN;
INSERT INTO acct VALUES (1, 1);
SELECT @@in_transaction;
COMMIT;
COMMIT AND NO CHAIN;
ROLLBACK AND NO CHAIN;
-- isolation levels: the variables
SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
SELECT @@tx_isolation;
SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SELECT @@tx_isolation;
SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;
SELECT @@tx_isolation;
SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;
SELECT @@tx_isolation, @@session.tx_isolation;
SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
SELECT @@tx_isolation;
SET tx_isolation = 'READ-COMMITTED';
SELECT @@tx_isolation;
SET tx_isolation = 'bogus';
SET SESSION TRANSACTION READ ONLY;
SELECT @@tx_read_only;
INSERT INTO acct VALUES (13, 13);
SET SESSION TRANSACTION READ WRITE;
SET tx_isolation = 'REPEATABLE-READ';
-- what another session sees
DELETE FROM acct WHERE id > 2;
START TRANSACTION;
UPDATE acct SET bal = 0 WHERE id = 1;
-- connection: other
SELECT bal FROM acct WHERE id = 1;
-- connection: main
COMMIT;
-- connection: other
SELECT bal FROM acct WHERE id = 1 /* after commit */;
START TRANSACTION;
SELECT bal FROM acct WHERE id = 2;
-- connection: main
UPDATE acct SET bal = 555 WHERE id = 2;
-- connection: other
SELECT bal FROM acct WHERE id = 2 /* repeatable read keeps the snapshot */;
COMMIT;
SELECT bal FROM acct WHERE id = 2 /* a new transaction sees it */;
SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
START TRANSACTION;
SELECT bal FROM acct WHERE id = 2 /* read committed, first read */;
-- connection: main
UPDATE acct SET bal = 777 WHERE id = 2;
-- connection: other
SELECT bal FROM acct WHERE id = 2 /* read committed sees the new commit */;
COMMIT;
-- connection: main
START TRANSACTION;
INSERT INTO acct VALUES (50, 50);
-- connection: other
SELECT COUNT(*) FROM acct /* uncommitted insert invisible */;
-- connection: main
ROLLBACK;
SELECT COUNT(*) FROM acct;

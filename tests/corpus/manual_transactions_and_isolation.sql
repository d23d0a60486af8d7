-- category: transactions and isolation
-- source: the examples of the MariaDB reference manual as MariaDB 10.11.19 ships it (mysql.help_topic,
-- from fill_help_tables.sql), page by page; written by tools/corpus_from_manual.py, do not edit by
-- hand (rerun the script). Each page is followed by DROPs of what its examples created.

-- == START TRANSACTION: https://mariadb.com/docs/server/reference/sql-statements/transactions/start-transaction
START TRANSACTION;
COMMIT;

-- == Transaction Timeouts: https://mariadb.com/docs/server/reference/sql-statements/transactions/transaction-timeouts
SET SESSION idle_transaction_timeout=2;
BEGIN;

"""The statement families. Importing one registers its planners and executors (see `_plan`).

    accounts     CREATE / ALTER / DROP / RENAME USER, SET PASSWORD, GRANT, REVOKE, SHOW GRANTS (before ddl,
                 session and show, whose first words they share)
    grants       GRANT, REVOKE, SHOW GRANTS, SHOW CREATE USER: their executors
    query        SELECT, UNION, WITH, ... FOR UPDATE
    rollup       GROUP BY ... WITH ROLLUP and GROUP BY keys with ASC / DESC
    infoschema   queries on information_schema and the virtual schemas
    dml          INSERT, REPLACE, UPDATE, DELETE
    multitable   UPDATE / DELETE of several tables, or through a join (planned by dml's)
    ddl          CREATE / ALTER / DROP / TRUNCATE of tables, indexes, views
    rename       RENAME TABLE
    servers      ALTER / DROP SERVER (no server is ever defined: 1477)
    sequence     CREATE / ALTER / DROP SEQUENCE, SHOW CREATE SEQUENCE (before ddl and show, whose first
                 words they share)
    database     CREATE / DROP DATABASE, USE
    diagnostics  SHOW WARNINGS / ERRORS / COUNT(*) WARNINGS (before show, which refuses what it does not know)
    filtered     SHOW ... WHERE condition (imported before show, whose first word it shares)
    show         SHOW ..., DESCRIBE
    maintenance  ANALYZE, CHECK, OPTIMIZE, REPAIR TABLE
    transaction  BEGIN, COMMIT, ROLLBACK, SAVEPOINT, SET TRANSACTION
    scoped       SET STATEMENT ... FOR (imported before session, whose first word it shares)
    session      SET, SET NAMES, FLUSH and the other statements accepted and ignored
    programs     CREATE / DROP / SHOW of stored procedures, functions and triggers (its planners pass
                 what is not a stored program)
    call         CALL of stored procedures and of the server's procedures
    prepared     PREPARE, EXECUTE, DEALLOCATE PREPARE (SQL-level prepared statements)
    temporary    CREATE / DROP TEMPORARY TABLE (planned by ddl's CREATE and DROP)

A new family is a module here, added to this list.
"""

from __future__ import annotations

from . import (
    accounts,
    call,
    database,
    ddl,
    diagnostics,
    dml,
    filtered,
    grants,
    infoschema,
    maintenance,
    multitable,
    prepared,
    programs,
    query,
    rename,
    rollup,
    scoped,
    sequence,
    servers,
    session,
    show,
    temporary,
    transaction,
)

FAMILIES = (accounts, grants, query, rollup, infoschema, dml, multitable, servers, sequence, ddl, rename, database,
            diagnostics, filtered, show, maintenance, transaction, scoped, session, programs, call, prepared, temporary)

__all__ = ["FAMILIES"]

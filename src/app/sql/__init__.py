"""The SQL layer: MySQL statements run on SQLite, with sessions, transactions and locks.

`app.sql` never imports `app.server`: the server composes this layer, not the
other way round. White-box tests of this package start servers through
`app.testingshim.new_test_server()`.

Inside, top to bottom (the import-linter contract in pyproject.toml keeps the order):

    _engine, _replica      the node's SQL state (Engine), and applying replicated changes
    _session               one connection: translate a statement, run its plan's executor
    _statements/           statement families: query, infoschema, dml, ddl, database, show,
                           transaction, session, call; each with its plans, planners, executors
    _translator, _rewrite, _routing, _resultset, _sqlite_errors, _transaction
    _connections, _variables, _exprtypes
    _functions/            the registry of MySQL functions, one module per family
    _catalog, _state, _plan, _locks, _commits, _lexer, _strict
    _storage, _sqltypes, _results, _sqlite
    _types, _errors

A query's way: Session.execute(sql) -> Translator.plan (cached per shape and Dialect; on a miss
sqlglot parses, the family's planner rewrites functions through the registry, derives result
types, makes a QueryPlan) -> EXECUTORS[QueryPlan] = run_query(plan, params, conns, tx, ...) ->
Connections.query on the database's SQLite connection -> query_result types the columns -> Result.
"""

from __future__ import annotations

from ._accounts import Access as Access
from ._accounts import Account as Account
from ._accounts import AccountStore as AccountStore
from ._catalog import VirtualTable as VirtualTable
from ._commits import Change as Change
from ._engine import Engine as Engine
from ._errors import SQLError as SQLError
from ._errors import syntax_error as syntax_error
from ._passwords import check_native_scramble as check_native_scramble
from ._passwords import check_password as check_password
from ._passwords import check_sha2_scramble as check_sha2_scramble
from ._replica import Applier as Applier
from ._replica import ReplicationApplyError as ReplicationApplyError
from ._results import ErrorInResult as ErrorInResult
from ._results import Result as Result
from ._session import Session as Session
from ._split import split_statements as split_statements
from ._storage import Storage as Storage
from ._storage import StorageKnobs as StorageKnobs
from ._storage import sweep_stale_ephemeral_dirs as sweep_stale_ephemeral_dirs
from ._types import Column as Column
from ._types import MySQLType as MySQLType
from ._types import double_text as double_text
from ._types import fixed_double_text as fixed_double_text
from ._types import float_text as float_text
from ._variables import Variable as Variable

__all__ = [
    "Access",
    "Account",
    "AccountStore",
    "Applier",
    "Change",
    "Column",
    "Engine",
    "ErrorInResult",
    "MySQLType",
    "ReplicationApplyError",
    "Result",
    "SQLError",
    "Session",
    "Storage",
    "StorageKnobs",
    "Variable",
    "VirtualTable",
    "check_native_scramble",
    "check_password",
    "check_sha2_scramble",
    "double_text",
    "fixed_double_text",
    "float_text",
    "split_statements",
    "sweep_stale_ephemeral_dirs",
    "syntax_error",
]

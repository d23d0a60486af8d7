"""The SQL layer: MySQL statements run on SQLite, with sessions, transactions and locks.

`app.sql` never imports `app.server`: the server composes this layer, not the
other way round. White-box tests of this package start servers through
`app.testingshim.new_test_server()`.
"""

from __future__ import annotations

from ._catalog import VirtualTable as VirtualTable
from ._commits import Change as Change
from ._engine import Engine as Engine
from ._errors import SQLError as SQLError
from ._replica import Applier as Applier
from ._replica import ReplicationApplyError as ReplicationApplyError
from ._results import Result as Result
from ._session import Session as Session
from ._storage import Storage as Storage
from ._storage import sweep_stale_ephemeral_dirs as sweep_stale_ephemeral_dirs
from ._types import Column as Column
from ._types import MySQLType as MySQLType
from ._variables import Variable as Variable

__all__ = [
    "Applier",
    "Change",
    "Column",
    "Engine",
    "MySQLType",
    "ReplicationApplyError",
    "Result",
    "SQLError",
    "Session",
    "Storage",
    "Variable",
    "VirtualTable",
    "sweep_stale_ephemeral_dirs",
]

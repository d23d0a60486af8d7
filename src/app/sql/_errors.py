"""MySQL errors raised by the SQL layer.

Every error a client can see is a `SQLError` carrying MySQL's error number and
SQLSTATE, so that drivers map it to the exception class they would for MySQL
(pymysql: 1062 -> IntegrityError, 1064 -> ProgrammingError, ...).
"""

from __future__ import annotations

from typing import Final


class SQLError(Exception):
    """An error reported to the client as a MySQL error packet."""

    def __init__(self, code: int, message: str, sqlstate: str | None = None) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.sqlstate = sqlstate or SQLSTATES.get(code, "HY000")

    def __str__(self) -> str:
        return f"({self.code}, {self.sqlstate}) {self.message}"


# Error numbers, as MariaDB and MySQL number them.
ER_DB_CREATE_EXISTS: Final = 1007
ER_DB_DROP_EXISTS: Final = 1008
ER_ACCESS_DENIED: Final = 1045
ER_NO_DB: Final = 1046
ER_BAD_NULL: Final = 1048
ER_BAD_DB: Final = 1049
ER_TABLE_EXISTS: Final = 1050
ER_BAD_TABLE: Final = 1051
ER_BAD_FIELD: Final = 1054
ER_DUP_ENTRY: Final = 1062
ER_PARSE: Final = 1064
ER_EMPTY_QUERY: Final = 1065
ER_UNKNOWN: Final = 1105
ER_NO_SUCH_TABLE: Final = 1146
ER_UNKNOWN_SYSTEM_VARIABLE: Final = 1193
ER_LOCK_WAIT_TIMEOUT: Final = 1205
ER_LOCK_DEADLOCK: Final = 1213
ER_WRONG_VALUE_FOR_VAR: Final = 1231
ER_NOT_SUPPORTED: Final = 1235
ER_READ_ONLY: Final = 1290
ER_SP_DOES_NOT_EXIST: Final = 1305
ER_WRONG_ARGUMENTS: Final = 1210
ER_CHECK_CONSTRAINT: Final = 4025

SQLSTATES: Final[dict[int, str]] = {
    ER_DB_CREATE_EXISTS: "HY000",
    ER_DB_DROP_EXISTS: "HY000",
    ER_ACCESS_DENIED: "28000",
    ER_NO_DB: "3D000",
    ER_BAD_NULL: "23000",
    ER_BAD_DB: "42000",
    ER_TABLE_EXISTS: "42S01",
    ER_BAD_TABLE: "42S02",
    ER_BAD_FIELD: "42S22",
    ER_DUP_ENTRY: "23000",
    ER_PARSE: "42000",
    ER_EMPTY_QUERY: "42000",
    ER_NO_SUCH_TABLE: "42S02",
    ER_UNKNOWN_SYSTEM_VARIABLE: "HY000",
    ER_LOCK_WAIT_TIMEOUT: "HY000",
    ER_LOCK_DEADLOCK: "40001",
    ER_WRONG_VALUE_FOR_VAR: "42000",
    ER_NOT_SUPPORTED: "42000",
    ER_READ_ONLY: "HY000",
    ER_SP_DOES_NOT_EXIST: "42000",
    ER_CHECK_CONSTRAINT: "23000",
    # As MariaDB sends them (drivers pick exception classes by SQLSTATE: 23000 is IntegrityError).
    1005: "HY000",  # can't create table (errno 150: a foreign key incorrectly formed)
    1054: "42S22",
    1060: "42S21",  # duplicate column name
    1061: "42000",  # duplicate key name
    1063: "42000",  # incorrect column specifier
    1068: "42000",  # multiple primary key defined
    1072: "42000",  # key column doesn't exist in table
    1075: "42000",  # only one auto column, and it must be a key
    1091: "42000",  # can't DROP ...; check that it exists
    1102: "42000",  # incorrect database name
    1136: "21S01",  # column count doesn't match value count
    1176: "42000",  # key doesn't exist in table
    1264: "22003",  # out of range value
    1265: "01000",  # data truncated (an error in strict mode, with a warning's SQLSTATE)
    1292: "22007",  # incorrect datetime value
    1364: "HY000",  # field doesn't have a default value
    1365: "22012",  # division by 0
    1366: "22007",  # incorrect integer value
    1406: "22001",  # data too long
    1451: "23000",  # cannot delete or update a parent row
    1452: "23000",  # cannot add or update a child row
    1553: "HY000",  # cannot drop index needed in a foreign key constraint
    1690: "22003",  # value out of range
    1701: "42000",  # cannot truncate a table referenced in a foreign key constraint
}


def syntax_error(near: str, detail: str = "") -> SQLError:
    """MySQL's 1064 message, quoting the text where parsing went wrong."""
    near = near.strip()[:80]
    suffix = f" ({detail})" if detail else ""
    return SQLError(
        ER_PARSE,
        "You have an error in your SQL syntax; check the manual that corresponds to your"
        f" MariaDB server version for the right syntax to use near '{near}' at line 1{suffix}",
    )


def not_supported(what: str) -> SQLError:
    """1235: a statement MySQL accepts that this server does not implement."""
    return SQLError(ER_NOT_SUPPORTED, f"This version of app doesn't yet support '{what}'")


def unknown_database(name: str) -> SQLError:
    return SQLError(ER_BAD_DB, f"Unknown database '{name}'")


def no_database() -> SQLError:
    return SQLError(ER_NO_DB, "No database selected")


def read_only(database: str) -> SQLError:
    """A write refused by a node that does not accept writes (a standby)."""
    return SQLError(ER_READ_ONLY, f"database server is set to read only mode: {database} is read-only")

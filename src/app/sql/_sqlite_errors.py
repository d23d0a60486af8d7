"""SQLite's errors as MySQL's: the number, SQLSTATE and wording a MySQL client expects.

For a duplicate key (1062) or a strict-mode refusal (1406, 1264) MySQL names the value and the
row; the statement has been undone by then, so they are worked out from what the statement said
(`WrittenRows`: its VALUES rows and SET assignments) and the table as it is.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from typing import Any, Final, Protocol

import apsw

from ._catalog import Catalog
from ._connections import Conn
from ._errors import (
    ER_BAD_DB,
    ER_BAD_FIELD,
    ER_BAD_NULL,
    ER_CHECK_CONSTRAINT,
    ER_DUP_ENTRY,
    ER_LOCK_WAIT_TIMEOUT,
    ER_NO_SUCH_TABLE,
    ER_SP_DOES_NOT_EXIST,
    ER_TABLE_EXISTS,
    ER_UNKNOWN,
    SQLError,
    not_supported,
    stack_overrun,
    syntax_error,
)
from ._sealed import trusted
from ._sqlite import quote
from ._strict import strict_check

logger = logging.getLogger("app.sql.errors")

# A VALUES cell or SET value the statement spelled out: ("p", index of the shape's parameter) or
# ("v", a literal's value); None for an expression.
Cell = tuple[str, Any] | None


class WrittenRows(Protocol):
    """What a DML plan says about the rows it writes."""

    @property
    def insert_table(self) -> str | None: ...
    @property
    def insert_columns(self) -> tuple[str, ...] | None: ...
    @property
    def values(self) -> tuple[tuple[Cell, ...], ...]: ...
    @property
    def assigned(self) -> dict[str, Cell] | None: ...
    @property
    def deletes(self) -> bool: ...
    @property
    def update_table(self) -> str | None: ...


_NO_TABLE: Final = re.compile(r"no such table: (?:(\w+)\.)?(.+)")
# SQLite's own tables and virtual tables, which a client's statement names as if they were tables.
_SQLITE_TABLE: Final = re.compile(r"table (\S+) may not be (?:modified|altered|indexed|dropped)"
                                  r'|unsafe use of virtual table "([^"]+)"'
                                  r"|virtual tables may not be (?:altered|indexed)")
# A double-quoted name that resolves to nothing (string literals in double quotes are off) gets a hint.
_NO_COLUMN: Final = re.compile(r'no such column: (?:"([^"]+)" - should this be a string literal in single-quotes\?'
                               r"|(.+))|table \S+ has no column named (.+)")
_EXISTS: Final = re.compile(r'(?:table|view|index) "?([^"]+)"? already exists')
_RENAME_EXISTS: Final = re.compile(r"there is already another table or index with this name: (.+)")
_DUP_COLUMN: Final = re.compile(r"duplicate column name: (.+)")
_UNIQUE: Final = re.compile(r"UNIQUE constraint failed: (.+)")
_NOT_NULL: Final = re.compile(r"NOT NULL constraint failed: [^.]+\.(.+)")
_STRICT: Final = re.compile(r"CHECK constraint failed: app_(len|range)_(.+)")
_CHARSET: Final = re.compile(r"CHECK constraint failed: app_charset_(.+)")
_COUNT_MISMATCH: Final = re.compile(
    r"table (\S+) has \d+ columns but (\d+) values were supplied|\d+ values for \d+ columns")
_GENERATED: Final = re.compile(r'cannot (?:INSERT into|UPDATE) generated column "?([^"]+)"?')
ER_WARNING_NON_DEFAULT_VALUE_FOR_GENERATED_COLUMN: Final = 1906
_NO_FUNCTION: Final = re.compile(r"no such function: (\w+)")
_NUMBER: Final = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")
_NEAR: Final = re.compile(r'near "(.*)": syntax error')


def sqlite_error(e: apsw.Error, database: str | None, rows: WrittenRows | None = None, params: list[Any] | None = None,
                 conn: Conn | None = None, catalog: Catalog | None = None) -> SQLError:
    """The MySQL error for an SQLite error of a statement on `database` (through `conn`), which wrote
    `rows` (a DML plan) with `params`."""
    # apsw prefixes SQLite's message with its class name ("SQLError: no such table: t").
    msg = str(e)
    prefix = type(e).__name__ + ": "
    if msg.startswith(prefix):
        msg = msg[len(prefix):]
    found = _schema_error(msg, database)
    if found is not None:
        return found
    if m := _UNIQUE.search(msg):
        return _duplicate_entry(m.group(1), rows, params, conn, catalog)
    if m := _NOT_NULL.search(msg):
        column = m.group(1)
        if rows is not None and rows.insert_columns is not None and column.lower() not in rows.insert_columns:
            return SQLError(1364, f"Field '{column}' doesn't have a default value", "HY000")
        return SQLError(ER_BAD_NULL, f"Column '{column}' cannot be null")
    if m := _CHARSET.search(msg):
        table = (rows.insert_table or rows.update_table) if rows is not None else None
        return SQLError(1366, f"Incorrect string value for column `{database}`.`{table or '?'}`.`{m.group(1)}` "
                              "at row 1", "22007")
    if m := _STRICT.search(msg):
        column = m.group(2)
        row, value = _offending_row(rows, params, column, conn, catalog)
        if m.group(1) == "len":
            return SQLError(1406, f"Data too long for column '{column}' at row {row}", "22001")
        if _generated_id(rows, params, column, conn, catalog):
            # the AUTO_INCREMENT counter ran past the column's type: the handler's error (HA_ERR_AUTOINC_ERANGE)
            return SQLError(167, f"Out of range value for column '{column}' at row {row}", "22003")
        if isinstance(value, str) and not _NUMBER.match(value):  # not a number at all, not one too big
            return SQLError(1366, f"Incorrect integer value: '{value}' for column `{database}`.`"
                                  f"{rows.insert_table if rows is not None else '?'}`.`{column}` at row {row}", "22007")
        return SQLError(1264, f"Out of range value for column '{column}' at row {row}", "22003")
    return _other_error(e, msg, rows, conn)


def _generated_id(rows: WrittenRows | None, params: list[Any] | None, column: str, conn: Conn | None,
                  catalog: Catalog | None) -> bool:
    """Whether `column` is the AUTO_INCREMENT column of an INSERT ... VALUES that had it generate a value
    (NULL or 0 in a row, or the column left out)."""
    if rows is None or rows.insert_table is None or conn is None or catalog is None or not rows.values:
        return False
    if catalog.auto_increment_column(conn.database, rows.insert_table) != column.lower():
        return False
    columns = _insert_columns(rows, conn, catalog)
    if column.lower() not in columns:
        return True
    position = columns.index(column.lower())
    return any(position < len(row) and _cell_value(row[position], params) in (None, 0) for row in rows.values)


def _schema_error(msg: str, database: str | None) -> SQLError | None:
    """Errors about what exists: tables, columns, indexes."""
    if m := _NO_TABLE.search(msg):
        schema = m.group(1) if m.group(1) and m.group(1) != "main" else database
        return SQLError(ER_NO_SUCH_TABLE, f"Table '{schema}.{m.group(2)}' doesn't exist")
    if m := _SQLITE_TABLE.search(msg):
        return SQLError(ER_NO_SUCH_TABLE, f"Table '{database}.{m.group(1) or m.group(2) or '?'}' doesn't exist")
    if m := _NO_COLUMN.search(msg):
        return SQLError(ER_BAD_FIELD, f"Unknown column '{m.group(1) or m.group(2) or m.group(3)}' in 'field list'")
    if m := _RENAME_EXISTS.search(msg):
        return SQLError(ER_TABLE_EXISTS, f"Table '{m.group(1)}' already exists")
    if m := _DUP_COLUMN.search(msg):
        return SQLError(1060, f"Duplicate column name '{m.group(1)}'", "42S21")
    if m := _EXISTS.search(msg):
        if "index" in msg:
            return SQLError(1061, f"Duplicate key name '{m.group(1).split('.', 1)[-1]}'", "42000")
        return SQLError(ER_TABLE_EXISTS, f"Table '{m.group(1)}' already exists")
    if "no such index" in msg:
        return SQLError(1091, f"Can't DROP INDEX; check that it exists ({msg})", "42000")
    return None


def _other_error(e: apsw.Error, msg: str, rows: WrittenRows | None, conn: Conn | None) -> SQLError:
    if m := _GENERATED.search(msg):
        table = (rows.insert_table or rows.update_table) if rows is not None else None
        return _generated_value(m.group(1), table or "?")
    if m := _COUNT_MISMATCH.search(msg):
        # SQLite's INSERT without a column list takes no values for generated columns; MariaDB's takes
        # one for each column, and refuses a value for a generated one.
        generated = _generated_columns(conn, m.group(1)) if m.group(1) and conn is not None else None
        if generated is not None and int(m.group(2)) == len(generated[0]):
            return _generated_value(generated[1][0], m.group(1))
        return SQLError(1136, "Column count doesn't match value count at row 1", "21S01")
    if "FOREIGN KEY constraint failed" in msg:
        if rows is not None and (rows.deletes or _updates_parent_only(rows, conn)):
            return SQLError(1451, "Cannot delete or update a parent row: a foreign key constraint fails", "23000")
        return SQLError(1452, "Cannot add or update a child row: a foreign key constraint fails", "23000")
    if "CHECK constraint failed" in msg:
        return SQLError(ER_CHECK_CONSTRAINT, f"CONSTRAINT failed: {msg.split(': ', 1)[-1]}")
    if m := _NO_FUNCTION.search(msg):
        return SQLError(ER_SP_DOES_NOT_EXIST, f"FUNCTION {m.group(1)} does not exist")
    if m := _NEAR.search(msg):
        return syntax_error(m.group(1))
    if isinstance(e, apsw.BusyError):
        return SQLError(ER_LOCK_WAIT_TIMEOUT, "Lock wait timeout exceeded; try restarting transaction")
    if "unknown database" in msg:
        return SQLError(ER_BAD_DB, f"Unknown database '{msg.rsplit(' ', 1)[-1]}'")
    if isinstance(e, apsw.TooBigError):
        return SQLError(1153, "Got a packet bigger than 'max_allowed_packet' bytes", "08S01")
    for pattern, make in _TRANSLATED:
        if m := pattern.search(msg):
            return make(m)
    # Not one SQLite should give for a statement we translated: log it, and keep its text to ourselves.
    logger.warning("unmapped SQLite error: %s", msg)
    return SQLError(ER_UNKNOWN, f"Internal error ({type(e).__name__}); the server log has the details")


def _generated_value(column: str, table: str) -> SQLError:
    return SQLError(ER_WARNING_NON_DEFAULT_VALUE_FOR_GENERATED_COLUMN,
                    f"The value specified for generated column '{column}' in table '{table}' has been ignored")


def _generated_columns(conn: Conn, table: str) -> tuple[list[str], list[str]] | None:
    """(every column, the generated ones) of `table`; None when it has no generated column."""
    with trusted(conn.conn):
        info = conn.conn.execute(f"PRAGMA table_xinfo({quote(table)})").fetchall()
    generated = [str(r[1]) for r in info if r[6] in (2, 3)]
    return ([str(r[1]) for r in info if r[6] != 1], generated) if generated else None


def _updates_parent_only(rows: WrittenRows, conn: Conn | None) -> bool:
    """Whether a failed UPDATE set none of its table's own foreign key columns: then the key that failed
    is one that other rows reference (1451), not one of its own references (1452)."""
    if rows.assigned is None or rows.update_table is None or conn is None:
        return False
    with trusted(conn.conn):
        own = {str(r[3]).lower() for r in conn.conn.execute(f"PRAGMA foreign_key_list({quote(rows.update_table)})")}
    return not own & rows.assigned.keys()


def _ambiguous(m: re.Match[str]) -> SQLError:
    parts = m.group(1).split(".")
    if len(parts) == 3:  # main.t.c: a star over two tables by one name (FROM t, t)
        return SQLError(1066, f"Not unique table/alias: '{parts[1]}'", "42000")
    return SQLError(1052, f"Column '{parts[-1]}' in SELECT is ambiguous", "23000")


# Functions MariaDB's grammar spells out: a wrong argument count is a syntax error there.
_GRAMMAR_FUNCTIONS: Final = frozenset({"COUNT", "SUM", "AVG", "MIN", "MAX", "SUBSTRING", "SUBSTR", "GROUP_CONCAT",
                                       "STD", "STDDEV", "VARIANCE", "BIT_AND", "BIT_OR", "BIT_XOR", "TRIM"})


def _parameter_count(m: re.Match[str]) -> SQLError:
    name = m.group(1).upper()
    if name in _GRAMMAR_FUNCTIONS:
        return syntax_error(")")
    return SQLError(1582, f"Incorrect parameter count in the call to native function '{name}'", "42000")


_GROUP_FUNCTION: Final = SQLError(1111, "Invalid use of group function", "HY000")
_OPERAND: Final = SQLError(1241, "Operand should contain 1 column(s)", "21000")
# SQLite's messages for what MySQL refuses in its own words: (pattern, the MySQL error).
_TRANSLATED: Final[tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], SQLError]], ...]] = (
    (re.compile(r"ambiguous column name: (\S+)"), _ambiguous),
    (re.compile(r"misuse of aggregate|aggregate functions are not allowed in the GROUP BY"),
     lambda m: _GROUP_FUNCTION),
    (re.compile(r"sub-select returns \d+ columns|row value misused"), lambda m: _OPERAND),
    (re.compile(r"SELECTs to the left and right of \w+ do not have the same number"),
     lambda m: SQLError(1222, "The used SELECT statements have a different number of columns", "21000")),
    (re.compile(r"wrong number of arguments to function (\w+)\(\)"), _parameter_count),
    (re.compile(r"\d+\w\w (ORDER|GROUP) BY term out of range - should be between \d+ and \d+"),
     lambda m: SQLError(ER_BAD_FIELD, f"Unknown column in '{m.group(1).lower()} clause'", "42S22")),
    (re.compile(r"(\d+)\w\w (ORDER) BY term does not match any column"),
     lambda m: SQLError(ER_BAD_FIELD, f"Unknown column in '{m.group(2).lower()} clause'", "42S22")),
    (re.compile(r"table \S+ has more than one primary key"),
     lambda m: SQLError(1068, "Multiple primary key defined", "42000")),
    # SQLite's limit on an expression's depth (1000) is where MariaDB's thread stack may run out as well.
    (re.compile(r"Expression tree is too large|parser stack overflow|Recursion limit"), lambda m: stack_overrun()),
    (re.compile(r"integer overflow"), lambda m: SQLError(1690, "BIGINT value is out of range", "22003")),
    (re.compile(r"argument of ntile must be a positive integer"),
     lambda m: SQLError(4024, "Argument of NTILE must be greater than 0", "HY000")),
    # A window alias where SQLite resolves it and MariaDB's GROUP BY does (`query.check_windows` refuses
    # the others before SQLite sees them); a window function without OVER is MariaDB's syntax error.
    (re.compile(r"misuse of aliased window function"),
     lambda m: SQLError(4015, "Window function is allowed only in SELECT list and ORDER BY clause", "HY000")),
    (re.compile(r"misuse of window function|unrecognized token: (.*)|datatype mismatch"),
     lambda m: syntax_error(m.group(1) or "")),
    (re.compile(r"DISTINCT aggregates must have exactly one argument"),
     lambda m: not_supported("DISTINCT over several arguments in this aggregate")),
    (re.compile(r"cannot join using column (\S+) - column not present in both tables"),
     lambda m: SQLError(ER_BAD_FIELD, f"Unknown column '{m.group(1)}' in 'from clause'", "42S22")),
    (re.compile(r"may not be used as a window function|DISTINCT is not supported for window functions"),
     lambda m: not_supported("this function as a window function")),
)


_UNKNOWN: Final = object()


def _cell_value(cell: Cell, params: list[Any] | None) -> Any:
    if cell is None:
        return _UNKNOWN
    if cell[0] == "p":
        return params[cell[1]] if params is not None and cell[1] < len(params) else _UNKNOWN
    return cell[1]


def _insert_columns(rows: WrittenRows, conn: Conn, catalog: Catalog) -> tuple[str, ...]:
    if rows.insert_columns is not None:
        return rows.insert_columns
    return catalog.columns(conn.database, rows.insert_table or "")


def _offending_row(rows: WrittenRows | None, params: list[Any] | None, column: str, conn: Conn | None,
                   catalog: Catalog | None) -> tuple[int, Any]:
    """The 1-based row of an INSERT ... VALUES whose value for `column` broke a strict-mode check,
    and that value (1 and None when the statement does not say)."""
    if rows is None or conn is None or catalog is None or rows.insert_table is None or not rows.values:
        return 1, None
    with contextlib.suppress(Exception), trusted(conn.conn):
        position = _insert_columns(rows, conn, catalog).index(column.lower())
        decl = {r[1].lower(): r[2] for r in conn.conn.execute(f"PRAGMA table_info({quote(rows.insert_table)})")}
        check = strict_check(column, (decl.get(column.lower()) or "").lower())
        probe = "SELECT " + check.split(" CHECK ", 1)[1].replace(quote(column), "?")
        for i, row in enumerate(rows.values, 1):
            cell = row[position] if position < len(row) else None
            if cell is None:
                continue
            value = _cell_value(cell, params)
            if value is _UNKNOWN:
                value = None
            if value is not None and not conn.conn.execute(probe, (value,) * probe.count("?")).fetchall()[0][0]:
                return i, value
    return 1, None


def _duplicate_value(cols: list[str], table: str, rows: WrittenRows, params: list[Any] | None, conn: Conn,
                     catalog: Catalog) -> tuple[Any, ...] | None:
    """The key value that a failed INSERT or UPDATE duplicated, when its statement says it.

    The statement has been undone: of the rows it would have inserted, the duplicate is the first
    whose key is already in the table or in an earlier row of the same statement.
    """
    keys = [k.lower() for k in cols]
    if rows.assigned is not None:
        found = tuple(_cell_value(rows.assigned.get(k), params) for k in keys)
        return None if _UNKNOWN in found else found
    if not rows.values or rows.insert_table is None:
        return None
    columns = _insert_columns(rows, conn, catalog)
    if any(k not in columns for k in keys):
        return None
    positions = [columns.index(k) for k in keys]
    candidates = [tuple(_cell_value(row[p], params) if p < len(row) else _UNKNOWN for p in positions)
                  for row in rows.values]
    if len(candidates) == 1:
        return None if _UNKNOWN in candidates[0] else candidates[0]
    where = " AND ".join(f"{quote(k)} = ?" for k in keys)
    seen: set[tuple[Any, ...]] = set()
    for cand in candidates:
        if _UNKNOWN in cand:
            return None
        folded = tuple(v.lower() if isinstance(v, str) else v for v in cand)
        if folded in seen or conn.conn.execute(f"SELECT 1 FROM {quote(table)} WHERE {where}", cand).fetchall():
            return cand
        seen.add(folded)
    return None


def _duplicate_entry(columns_text: str, rows: WrittenRows | None, params: list[Any] | None, conn: Conn | None,
                     catalog: Catalog | None) -> SQLError:
    """1062, naming the key as MySQL does (PRIMARY, or the index name) and, when known, the value."""
    cols = [c.split(".", 1)[-1] for c in columns_text.split(", ")]
    table = columns_text.split(".", 1)[0]
    key = "PRIMARY"
    if conn is not None:
        with contextlib.suppress(Exception), trusted(conn.conn):
            for _, name, unique, origin, _ in conn.conn.execute(f"PRAGMA index_list({quote(table)})"):
                if not unique:
                    continue
                icols = [r[2] for r in conn.conn.execute(f"PRAGMA index_info({quote(name)})")]
                if [x.lower() for x in icols] == [x.lower() for x in cols]:
                    key = "PRIMARY" if origin == "pk" else name.split(".", 1)[-1]
                    break
    value = "?"
    if rows is not None and conn is not None and catalog is not None:
        with contextlib.suppress(Exception), trusted(conn.conn):
            found = _duplicate_value(cols, table, rows, params, conn, catalog)
            if found is not None:
                value = "-".join("NULL" if v is None else str(v) for v in found)
    return SQLError(ER_DUP_ENTRY, f"Duplicate entry '{value}' for key '{key}'")

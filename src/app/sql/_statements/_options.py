"""Table options of CREATE TABLE and ALTER TABLE: COMMENT, AUTO_INCREMENT, ENGINE and ALTER's ORDER BY.

ENGINE is accepted and kept by nobody: every table is SQLite's, shown as InnoDB. A COMMENT is kept in the
table's extras (`_schema`); AUTO_INCREMENT = N sets the table's counter in `sqlite_sequence`, as InnoDB
sets it: never below the largest value the column holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import apsw
from sqlglot import exp

from .._errors import not_supported
from .._sqlite import quote
from ._schema import read_extras, save_statements


@dataclass(frozen=True, slots=True)
class TableOptions:
    """What the options of a statement set (None: not set). order: an SQLite ORDER BY list."""

    comment: str | None = None
    auto_increment: int | None = None
    order: str | None = None


def table_options(properties: Sequence[exp.Expr], sql: str, *, alter: bool) -> TableOptions:
    """The options among a CREATE / ALTER TABLE's properties. In ALTER TABLE one that app cannot honour is
    1235; CREATE TABLE ignores them (ROW_FORMAT, CHARSET, ... as mariadb-dump writes them).")"""
    options = TableOptions()
    for p in properties:
        if isinstance(p, exp.SchemaCommentProperty):
            options = replace(options, comment=p.this.name)
        elif isinstance(p, exp.AutoIncrementProperty):
            options = replace(options, auto_increment=max(int(p.this.name), 1))
        elif isinstance(p, exp.Order):
            options = replace(options, order=", ".join(o.sql(dialect="sqlite") for o in p.expressions))
        elif isinstance(p, (exp.EngineProperty, exp.TemporaryProperty)):
            continue
        elif alter:
            raise not_supported(" ".join(sql.split())[:60])
    return options


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def option_statements(conn: apsw.Connection, table: str, options: TableOptions) -> tuple[str, ...]:
    """The statements of options that change no column: the comment (AUTO_INCREMENT: see below)."""
    if options.comment is None:
        return ()
    return save_statements(table, replace(read_extras(conn, table), comment=options.comment))


def _auto_column(conn: apsw.Connection, table: str) -> str | None:
    for row in conn.execute(f"PRAGMA table_xinfo({quote(table)})"):
        if int(row[5]) == 1:  # the INTEGER PRIMARY KEY column: AUTOINCREMENT if sqlite_sequence counts it
            sql = conn.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (table,)).fetchall()
            return str(row[1]) if sql and "AUTOINCREMENT" in str(sql[0][0]).upper() else None
    return None


def auto_increment_statements(conn: apsw.Connection, table: str, value: int) -> tuple[str, ...]:
    """ALTER TABLE ... AUTO_INCREMENT = value: the next id is `value`, or one past the largest id held."""
    column = _auto_column(conn, table)
    if column is None:
        return ()
    name = _literal(table)
    return (f"DELETE FROM sqlite_sequence WHERE name = {name}",
            f"INSERT INTO sqlite_sequence (name, seq) SELECT {name}, max({value - 1}, "
            f"coalesce((SELECT max({quote(column)}) FROM {quote(table)}), 0))")


def created_auto_increment(table: str, value: int) -> str:
    """CREATE TABLE ... AUTO_INCREMENT = value, for a table just made with an AUTO_INCREMENT column."""
    return f"INSERT INTO sqlite_sequence (name, seq) VALUES ({_literal(table)}, {value - 1})"

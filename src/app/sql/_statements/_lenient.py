"""INSERT and UPDATE values converted to their columns' types (see `_functions._store`): when strict mode
is off, or with IGNORE, values the column cannot hold are stored as MariaDB stores them, with a warning
instead of the error; in strict mode the same conversion runs and its warnings are the statement's error.

At planning, each stored value becomes `APP_STORE(value, <marker of its column>, row)`; the marker
names the column (by name, or by position for an INSERT without a column list) and is replaced when
the statement runs by the column's description, read from the schema as it is then.
"""

from __future__ import annotations

import json
import re
from typing import Final

from sqlglot import exp

from .._catalog import Catalog
from .._connections import Conn
from .._diagnostics import warn
from .._functions import udf
from .._functions._store import column_spec, implicit_default
from .._sealed import trusted
from .._sqlite import quote
from .._transaction import Transaction

_STORE_MARKER: Final = re.compile(r'"?__APP_STORE_(?:P(\d+)|N([0-9a-f]*))_(d?)(s?)([zi]*)__"?')


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_strict(sql_mode: str) -> bool:
    """Whether a data error is an error (else the value is adjusted, with a warning)."""
    upper = sql_mode.upper()
    return "STRICT_TRANS_TABLES" in upper or "STRICT_ALL_TABLES" in upper


def zero_date_modes(sql_mode: str) -> str:
    """The sql_mode's rules for zero dates, as APP_STORE's flags: `z` NO_ZERO_DATE, `i` NO_ZERO_IN_DATE."""
    upper = sql_mode.upper()
    return ("z" if "NO_ZERO_DATE" in upper else "") + ("i" if "NO_ZERO_IN_DATE" in upper else "")


def _marker(column: str | int, null_to_default: bool, strict: bool, zero_modes: str) -> exp.Column:
    key = f"P{column}" if isinstance(column, int) else "N" + str(column).lower().encode().hex()
    return exp.column(f"__APP_STORE_{key}_{'d' if null_to_default else ''}{'s' if strict else ''}{zero_modes}__")


def _is_marker(node: exp.Expr) -> bool:
    """A DEFAULT or implicit-default marker, which stays as it is."""
    return isinstance(node, exp.Column) and node.name.startswith("__APP_")


_INT64_MAX: Final = 2**63 - 1


def _exact(cell: exp.Expr) -> exp.Expr:
    """A decimal literal (`1.50`, `-0.5`) or an integer past SQLite's as its text: SQLite would read it as
    a double, and the column keeps what MariaDB keeps of the exact number (a DECIMAL all its digits, a
    BIGINT UNSIGNED up to 2**64 - 1, a VARCHAR the text as written, an INT its rounding: 2147483647.5 is
    out of range)."""
    negative = isinstance(cell, exp.Neg)
    literal = cell.this if negative else cell
    if isinstance(literal, exp.Literal) and not literal.is_string and (
            ("." in literal.this and "e" not in literal.this.lower())
            or (literal.this.isdigit() and int(literal.this) > _INT64_MAX)):
        return exp.Literal.string(("-" if negative else "") + literal.this)
    if negative and isinstance(literal, exp.Placeholder):  # a literal cut out of the statement (`_lexer`)
        return udf("APP_STORE_NEG", literal.copy())
    return cell.copy()


def wrap_values(tree: exp.Insert, *, ignore: bool, strict: bool, zero_modes: str = "") -> bool:
    """Wrap each cell of INSERT ... VALUES in APP_STORE; whether there were any. A NULL into a NOT NULL
    column stores the implicit default in a multi-row INSERT and under IGNORE (a single row's is 1048,
    and any row's in strict mode: the column's NOT NULL refuses it)."""
    values = tree.expression
    if not isinstance(values, exp.Values):
        return False
    schema = tree.this
    names = [c.name for c in schema.expressions] if isinstance(schema, exp.Schema) else None
    rows = values.expressions
    null_to_default = not strict and (ignore or len(rows) > 1)
    wrapped = False
    for number, row in enumerate(rows, 1):
        cells = row.expressions if isinstance(row, exp.Tuple) else [row]
        for i, cell in enumerate(list(cells)):
            if _is_marker(cell):
                continue
            column: str | int = names[i] if names is not None and i < len(names) else i
            cell.replace(udf("APP_STORE", _exact(cell), _marker(column, null_to_default, strict, zero_modes),
                             exp.Literal.number(number)))
            wrapped = True
    return wrapped


def wrap_assignments(tree: exp.Update, table: str, *, strict: bool, zero_modes: str = "") -> bool:
    """Wrap each SET value of an UPDATE of `table` (its name or alias) in APP_STORE (the row named by its
    rowid); whether there were any."""
    wrapped = False
    for eq in tree.expressions:
        if isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column) and not _is_marker(eq.expression):
            eq.set("expression", udf("APP_STORE", _exact(eq.expression),
                                     _marker(eq.this.name, True, strict, zero_modes),
                                     exp.column("rowid", table=exp.to_identifier(table, quoted=True))))
            wrapped = True
    return wrapped


def with_column_specs(sql: str, c: Conn, table: str, catalog: Catalog) -> str:
    """The statement with each APP_STORE marker replaced by its column's description."""
    db = c.database
    types = catalog.decltypes(db, table) or {}
    order = catalog.columns(db, table)
    auto = catalog.auto_increment_column(db, table)
    not_null = catalog.not_null_columns(db, table)

    def spec(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            position = int(m.group(1))
            column = order[position] if position < len(order) else ""
        else:
            column = bytes.fromhex(m.group(2)).decode()
        # The AUTO_INCREMENT column is converted as any column (10.6 is 11), except that a NULL stays NULL: NULL
        # (and 0, which `dml._prepare` binds as NULL) generates the next value.
        type_text = types.get(column, "")
        return _literal(column_spec(column, type_text, db.name, table,
                                    null_to_default=bool(m.group(3)) and column in not_null and column != auto,
                                    strict=bool(m.group(4)), zero_modes=m.group(5)))

    return _STORE_MARKER.sub(spec, sql)


# INSERT IGNORE: SQLite's upsert clause with a WHERE that is never true skips a row that duplicates a key
# as OR IGNORE would, and lets APP_IGNORED see both rows to name the key and value in MariaDB's 1062
# warning. (OR IGNORE stays, for the rows a NOT NULL or CHECK constraint refuses.)
_IGNORED_MARKER: Final = "__APP_IGNORED_KEYS__"
IGNORED_CLAUSE: Final = f" ON CONFLICT DO UPDATE SET rowid = rowid WHERE APP_IGNORED({_IGNORED_MARKER})"


def conflict_safe(tree: exp.Insert) -> None:
    """INSERT ... SELECT followed by an upsert clause: SQLite would read its ON as a join's, unless the
    SELECT has a WHERE."""
    query = tree.expression
    if isinstance(query, exp.Select) and query.args.get("where") is None:
        query.set("where", exp.Where(this=exp.true()))
    elif isinstance(query, exp.Query) and not isinstance(query, exp.Select):
        tree.set("expression", exp.select("*").from_(query.subquery("__app_rows")).where(exp.true()))


def with_ignored_keys(sql: str, c: Conn, table: str, catalog: Catalog) -> str:
    """INSERT IGNORE's statement with APP_IGNORED's arguments: its keys (PRIMARY, then the unique ones),
    and each key column of the row in the table and of the row refused."""
    keys: list[tuple[str, list[str]]] = []
    auto = catalog.auto_increment_column(c.database, table)
    if auto is not None:  # the rowid alias, which SQLite lists as no index
        keys.append(("PRIMARY", [auto]))
    with trusted(c.conn):
        for _, name, unique, origin, *_ in c.conn.execute(f"PRAGMA index_list({quote(table)})").fetchall():
            if unique:
                columns = [str(r[2]) for r in c.conn.execute(f"PRAGMA index_info({quote(str(name))})").fetchall()]
                keys.append(("PRIMARY" if origin == "pk" else str(name).split(".", 1)[-1], columns))
    keys.sort(key=lambda k: k[0] != "PRIMARY")
    spec = json.dumps([[name, len(columns)] for name, columns in keys])
    args = [_literal(spec)]
    for _, columns in keys:
        for column in columns:
            args += [quote(column), "excluded." + quote(column)]
    return sql.replace(_IGNORED_MARKER, ", ".join(args))


def consume_ids(tx: Transaction, dbname: str, table: str, rows: int, catalog: Catalog) -> None:
    """After an INSERT of `rows` rows into `table` failed on a duplicate key: the AUTO_INCREMENT ids it
    reserved stay used, as InnoDB's counter does not go back (SQLite's sqlite_sequence was undone with
    the statement). In autocommit mode the statement's transaction is gone: the counter moves in its own."""
    deferred = tx.deferred
    c = tx.begin_write(dbname)
    if catalog.auto_increment_column(c.database, table) is None:
        if not deferred:
            tx.end_statement()
        return
    top = f"max(coalesce((SELECT max(rowid) FROM {quote(table)}), 0), seq)"
    with trusted(c.conn):
        c.conn.execute(f"UPDATE sqlite_sequence SET seq = {top} + ? WHERE name = ? COLLATE NOCASE",
                       (rows, table)).fetchall()
        if not c.conn.changes():
            c.conn.execute(f"INSERT INTO sqlite_sequence (name, seq) SELECT ?, coalesce(max(rowid), 0) + ? "
                           f"FROM {quote(table)}", (table, rows)).fetchall()
    if not deferred:
        tx.end_statement()


# A NOT NULL column without a default that a lenient INSERT's column list leaves out gets the type's
# implicit default (1364 as a warning): markers at the end of the column list and of each row, resolved
# when the statement runs.
_IMPLICIT_COLUMNS: Final = re.compile(r',\s*"?__APP_IMPLICIT_C__"?')
_IMPLICIT_VALUES: Final = re.compile(r',\s*"?__APP_IMPLICIT_V__"?')
_TYPE_BASE: Final = re.compile(r"\w+")
ER_NO_DEFAULT_FOR_FIELD: Final = 1364


def mark_implicit_defaults(tree: exp.Insert) -> bool:
    """Room for the columns an INSERT with a column list leaves out; whether there is any."""
    schema = tree.this
    query = tree.expression
    if not isinstance(schema, exp.Schema) or not schema.expressions:
        return False
    if isinstance(query, exp.Values):
        rows = query.expressions
        if not all(isinstance(r, exp.Tuple) for r in rows):
            return False
        for row in rows:
            row.append("expressions", exp.column("__APP_IMPLICIT_V__"))
    elif isinstance(query, exp.Select) and not query.args.get("group") and not query.args.get("distinct"):
        query.append("expressions", exp.column("__APP_IMPLICIT_V__"))
    else:
        return False
    schema.append("expressions", exp.column("__APP_IMPLICIT_C__"))
    return True


def with_implicit_defaults(sql: str, c: Conn, table: str, named: tuple[str, ...], catalog: Catalog) -> str:
    """The statement with the NOT NULL columns it leaves out that have no default, given their implicit
    default (each warned of, 1364); without the markers when there are none."""
    auto = catalog.auto_increment_column(c.database, table)
    with trusted(c.conn):
        info = c.conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    columns, values = [], []
    types = catalog.decltypes(c.database, table) or {}
    for _, name, _, not_null, default, _ in info:
        lower = str(name).lower()
        if not_null and default is None and lower not in named and lower != auto:
            warn(ER_NO_DEFAULT_FOR_FIELD, f"Field '{name}' doesn't have a default value")
            m = _TYPE_BASE.match(types.get(lower, ""))
            value = implicit_default(m.group() if m else "")
            columns.append(", " + quote(str(name)))
            values.append(", " + (_literal(value) if isinstance(value, str) else str(value)))
    return _IMPLICIT_VALUES.sub(lambda m: "".join(values), _IMPLICIT_COLUMNS.sub(lambda m: "".join(columns), sql))


def next_id(c: Conn, table: str, catalog: Catalog) -> int | None:
    """The last AUTO_INCREMENT id `table` has given (None: it has no AUTO_INCREMENT column)."""
    if catalog.auto_increment_column(c.database, table) is None:
        return None
    with trusted(c.conn):
        rows = c.conn.execute(f"SELECT max(coalesce((SELECT max(rowid) FROM {quote(table)}), 0), coalesce("
                              "(SELECT seq FROM sqlite_sequence WHERE name = ? COLLATE NOCASE), 0))",
                              (table,)).fetchall()
    return int(rows[0][0] or 0)


def pack_ids(c: Conn, table: str, last: int) -> None:
    """After a multi-row INSERT IGNORE / upsert whose ids were generated past `last`: the rows it inserted
    take the ids from `last` + 1 on, in order, as MySQL gives a skipped row's id to the next row (SQLite
    spent one on each row it tried). The counter stays past every row tried, as InnoDB's."""
    with trusted(c.conn):
        ids = [r[0] for r in c.conn.execute(f"SELECT rowid FROM {quote(table)} WHERE rowid > ? ORDER BY rowid",
                                            (last,)).fetchall()]
        for i, rowid in enumerate(ids, last + 1):
            if rowid != i:
                c.conn.execute(f"UPDATE {quote(table)} SET rowid = ? WHERE rowid = ?", (i, rowid)).fetchall()
        if ids and ids[-1] != last + len(ids):
            c.conn.set_last_insert_rowid(last + len(ids))

"""CREATE VIEW as SQLite has views: in the view's own database (its tables named without it), made
again for CREATE OR REPLACE, and read once when made, so that what MariaDB refuses is refused."""

from __future__ import annotations

import re
from typing import Final

import apsw
import sqlglot
from sqlglot import exp

from .._errors import ER_BAD_FIELD, SQLError, not_supported
from .._rewrite import rewrite_functions, to_sqlite
from .._sqlite import quote

_NO_COLUMN: Final = re.compile(r"no such column: (?:\w+\.)?(\w+)")
# Where MariaDB says an unknown column of a view's query is, by the clause that names it.
_CLAUSES: Final = ((exp.Where, "WHERE"), (exp.Having, "having clause"), (exp.Group, "group statement"),
                   (exp.Order, "order clause"), (exp.Join, "on clause"))


def view_statements(tree: exp.Create) -> tuple[str, str | None, str, tuple[str, ...]]:
    """CREATE VIEW's SQLite statement, the view's database (None: the current one), its name, and what
    runs first (CREATE OR REPLACE VIEW: the view of that name dropped)."""
    view = tree.this
    rewrite_functions(tree.expression)
    table = view.this if isinstance(view, exp.Schema) else view  # CREATE VIEW v (x, y) AS ...
    view_db = table.text("db") or None
    table.set("db", None)
    for source in tree.expression.find_all(exp.Table):
        db = source.text("db")
        if db and (view_db is None or db.lower() != view_db.lower()):
            # SQLite's view names only tables of its own database (which the statement may not be in)
            raise not_supported("a view of another database's tables")
        if db:
            source.set("db", None)  # SQLite's view is in that database: its tables are named without it
    replacing = bool(tree.args.get("replace"))
    tree.set("replace", False)
    prelude = (f"DROP VIEW IF EXISTS {quote(table.name)}",) if replacing else ()
    return to_sqlite(tree), view_db, table.name, prelude


def check_view(cursor: apsw.Cursor, view: str, create: str) -> None:
    """Read a new view once, as a client's query: one over a table that does not exist, or that only
    SQLite has (the guard's 1146), or naming a column its tables do not have (1054), is refused, as
    MySQL refuses it; `create` is its CREATE VIEW as SQLite has it."""
    try:
        cursor.execute(f"SELECT * FROM {quote(view)} LIMIT 0", can_cache=False).fetchall()
    except apsw.SQLError as e:
        if "no such table" in str(e) or "unsafe use of virtual table" in str(e):
            raise
        m = _NO_COLUMN.search(str(e))
        if m is not None:
            raise SQLError(ER_BAD_FIELD, f"Unknown column '{m.group(1)}' in '{_clause(create, m.group(1))}'") from None
    except apsw.Error:
        pass


def _clause(create: str, column: str) -> str:
    try:
        tree = sqlglot.parse_one(create, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return "SELECT"
    for node in tree.find_all(exp.Column):
        if node.name.lower() == column.lower():
            for kind, clause in _CLAUSES:
                if node.find_ancestor(kind) is not None:
                    return clause
            break
    return "SELECT"

"""RENAME TABLE: tables renamed in order, all or none, in one database; the session's temporary
tables renamed without a commit (see `temporary`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import apsw

from .._catalog import Catalog
from .._connections import Conn, Connections
from .._errors import ER_NO_SUCH_TABLE, ER_TABLE_EXISTS, SQLError, not_supported
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import OK, Result
from .._sqlite import quote, stored_name
from .._sqlite_errors import sqlite_error
from .._state import SessionState
from .._transaction import Transaction
from ._alter import read_draft, rename_table_statements
from ._words import IDENT as _IDENT
from ._words import unquote
from .temporary import temporary_changed, temporary_tables, temporary_tables_of


@dataclass(frozen=True, slots=True, eq=False)
class RenamePlan(Plan):
    """RENAME TABLE old TO new [, old2 TO new2 ...]: (database or None, table) pairs, renamed in order."""

    pairs: tuple[tuple[tuple[str | None, str], tuple[str | None, str]], ...]


_QUALIFIED: Final = rf"(?:({_IDENT})\s*\.\s*)?({_IDENT})"
_RENAME: Final = re.compile(r"(?is)^\s*rename\s+tables?\s+(.*?)\s*;?\s*$")
_RENAME_PAIR: Final = re.compile(rf"(?is)\s*{_QUALIFIED}\s+to\s+{_QUALIFIED}\s*(?:,|$)")


@plans_words("rename")
def plan_rename(sql: str, ctx: PlanContext) -> Plan | None:
    m = _RENAME.match(sql)
    if m is None:
        return None
    pairs = []
    rest = m.group(1)
    while rest:
        pair = _RENAME_PAIR.match(rest)
        if pair is None:
            return None  # the statement as written reports its own error
        old_db, old, new_db, new = (unquote(g) if g else None for g in pair.groups())
        assert old is not None and new is not None
        pairs.append(((old_db, stored_name(old)), (new_db, stored_name(new))))
        rest = rest[pair.end():]
    return RenamePlan(tuple(pairs)) if pairs else None


@executes(RenamePlan)
def run_rename(plan: RenamePlan, tx: Transaction, conns: Connections, state: SessionState,
               catalog: Catalog) -> Result:
    """The pairs in order, all or none (a later pair sees the names the earlier ones made)."""
    dbs = {state.resolve(db) for pair in plan.pairs for db, _ in pair}
    if len(dbs) > 1:
        raise not_supported("RENAME TABLE to another database")
    dbname = dbs.pop()
    temporary = temporary_tables(conns, dbname)
    if all(old.lower() in temporary for (_, old), _ in plan.pairs):
        return _rename_temporary(plan, conns.get(dbname), dbname, catalog)
    if any(old.lower() in temporary for (_, old), _ in plan.pairs):
        raise not_supported("RENAME TABLE of temporary and other tables together")
    tx.implicit_commit()
    catalog.check_writable(dbname)
    c = tx.begin_ddl(dbname)
    statements: tuple[str, ...] = ()
    try:
        for (_, old), (_, new) in plan.pairs:
            read_draft(c.conn, dbname, old)  # 1146 if there is no such table
            if c.run("SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE", (new,)):
                raise SQLError(ER_TABLE_EXISTS, f"Table '{new}' already exists")
            renamed = rename_table_statements(c.conn, old, new)
            for statement in renamed:
                c.run(statement)
            statements += renamed
    except SQLError:
        tx.rollback()
        raise
    except apsw.Error as e:
        tx.rollback()
        raise sqlite_error(e, dbname, conn=c, catalog=catalog) from None
    tx.ddl_done(c, statements)
    tx.commit()
    return OK


def _rename_temporary(plan: RenamePlan, c: Conn, dbname: str, catalog: Catalog) -> Result:
    """RENAME TABLE of the session's temporary tables: no commit, nothing published."""
    try:
        with c.conn:  # all of it or none
            for (_, old), (_, new) in plan.pairs:
                if old.lower() not in temporary_tables_of(c.conn):
                    raise SQLError(ER_NO_SUCH_TABLE, f"Table '{dbname}.{old}' doesn't exist")
                c.conn.execute(f"ALTER TABLE temp.{quote(old)} RENAME TO {quote(new)}").fetchall()
    except apsw.Error as e:
        raise sqlite_error(e, dbname, conn=c, catalog=catalog) from None
    temporary_changed(catalog, dbname)
    return OK

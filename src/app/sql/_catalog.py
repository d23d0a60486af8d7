"""The node's databases as statements see them: which exist, their tables' metadata, and when the
schema last changed.

Every change of schema, from any connection or from replication, goes through `schema_changed`
(DDL) or the database operations here (CREATE/DROP DATABASE, a snapshot replacing one), and each
bumps `generation`. What is derived from the schema is keyed by it, so nothing cached outlives the
schema it was made for: table metadata by the database's schema version, resolved result types and
text by the generation, and SQLite's prepared statements too (`_connections` puts the generation in
the text of every query, so a statement prepared before a change is never reused after it).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar, final

from ._errors import ER_DB_CREATE_EXISTS, ER_DB_DROP_EXISTS, SQLError, read_only
from ._sqlite import quote
from ._sqltypes import TableLookup
from ._storage import Database, Storage

T = TypeVar("T")
_RESERVED: Final = frozenset({"information_schema", "mysql", "performance_schema", "sys"})
_MEMO_MAX: Final = 4096
_AUTO: Final = re.compile(r'"((?:[^"]|"")+)" INTEGER PRIMARY KEY AUTOINCREMENT(?: /\*([^*]*)\*/)?')


@final
@dataclass(frozen=True, slots=True)
class VirtualTable:
    """A read-only table materialised per query from node state (e.g. app_cluster.app_cluster_status).

    ddl: a SQLite CREATE TABLE whose declared types are MySQL types (they type the result);
    rows: returns the current rows.
    """

    name: str
    ddl: str
    rows: Callable[[], list[tuple[Any, ...]]]


@final
class Catalog:
    """The databases of one node, their schemas' metadata, and the generation of the schema."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.generation = 0
        self.virtual_tables: dict[str, dict[str, VirtualTable]] = {}
        # Returns the reason writes are refused (a standby, a broken cluster), or None.
        self.write_guard: Callable[[str], str | None] | None = None
        self._lock = threading.Lock()
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        # Told when a database goes (dropped, or replaced when the flag is True): the sessions.
        self._watchers: dict[int, Callable[[Database, bool], None]] = {}

    def watch(self, key: int, forget: Callable[[Database, bool], None]) -> None:
        """Call `forget(db, replaced)` when a database is dropped or replaced (until `unwatch(key)`)."""
        self._watchers[key] = forget

    def unwatch(self, key: int) -> None:
        self._watchers.pop(key, None)

    def _forget(self, db: Database, replaced: bool) -> None:
        for forget in list(self._watchers.values()):
            forget(db, replaced)

    # -- databases ------------------------------------------------------------------------------

    def get(self, name: str) -> Database | None:
        return self.storage.get(name)

    def check_writable(self, database: str) -> None:
        """Refuse a write to `database` when the node does not take writes (1290)."""
        if self.write_guard is not None:
            reason = self.write_guard(database)
            if reason is not None:
                raise read_only(database) if reason == "read-only" else SQLError(1290, reason)

    def create_database(self, name: str, *, if_not_exists: bool = False, image: bytes | None = None) -> Database | None:
        """CREATE DATABASE (None: it existed and `if_not_exists`)."""
        if name.lower() in _RESERVED:
            raise SQLError(ER_DB_CREATE_EXISTS, f"Can't create database '{name}'; database exists")
        _check_name(name)
        if self.storage.get(name) is not None:
            if if_not_exists:
                return None
            raise SQLError(ER_DB_CREATE_EXISTS, f"Can't create database '{name}'; database exists")
        db = self.storage.create(name, image)
        self._changed()
        return db

    def drop_database(self, name: str, *, if_exists: bool = False) -> Database | None:
        """DROP DATABASE: the dropped database (None: there was none and `if_exists`)."""
        db = self.storage.get(name)
        if db is None:
            if if_exists:
                return None
            raise SQLError(ER_DB_DROP_EXISTS, f"Can't drop database '{name}'; database doesn't exist")
        self._forget(db, False)
        self.storage.drop(db.name)
        self._changed()
        return db

    def replace_database(self, old: str, name: str, image: bytes) -> Database:
        """Swap database `old` for a copy of a snapshot's `image` in one step (see Storage.replace);
        sessions that use it go on using the copy."""
        current = self.storage.get(old)
        if current is not None:
            self._forget(current, True)
        db = self.storage.replace(old, name, image)
        self._changed()
        return db

    def schema_changed(self, db: Database) -> None:
        """DDL on `db` committed: what was derived from its schema is out of date."""
        with self._lock:
            db.schema_version += 1
            db._meta.clear()
            self.generation += 1

    def _changed(self) -> None:
        with self._lock:
            self.generation += 1

    # -- metadata -------------------------------------------------------------------------------

    def _table_meta(self, db: Database, kind: str, table: str, read: Callable[[], T]) -> T:
        """Metadata of a table, cached for the database's schema version."""
        key = (db.schema_version, kind, table.lower())
        try:
            found: T = db._meta[key]
            return found
        except KeyError:
            pass
        with db.lock:  # the anchor is shared by every session's thread
            if db.dropped:
                raise KeyError(db.name)
            refresh_schema(db)
            value = read()
        db._meta[key] = value
        return value

    def decltypes(self, db: Database, table: str) -> dict[str, str] | None:
        """The declared types of a table's columns by lower-case name; None when there is no such table."""
        def read() -> dict[str, str]:
            rows = db.anchor.execute(f"PRAGMA table_xinfo({quote(table)})").fetchall()
            found = {str(r[1]).lower(): str(r[2] or "") for r in rows if r[6] != 1}
            if "INTEGER" in found.values():
                # An AUTO_INCREMENT column is SQLite's INTEGER PRIMARY KEY; its MySQL type (which
                # result columns report: INT is LONG) is kept in a comment after it.
                sql = db.anchor.execute("SELECT sql FROM sqlite_schema WHERE type='table' AND name = ? "
                                        "COLLATE NOCASE", (table,)).fetchall()
                m = _AUTO.search(str(sql[0][0])) if sql and sql[0][0] else None
                if m is not None and m.group(2):
                    found[m.group(1).replace('""', '"').lower()] = m.group(2)
            return found

        try:
            found = self._table_meta(db, "decltypes", table, read)
        except KeyError:
            return None
        return dict(found) or None

    def columns(self, db: Database, table: str) -> tuple[str, ...]:
        """A table's column names (lower case), in order."""
        return self._table_meta(db, "columns", table, lambda: tuple(  # table_xinfo: generated columns too
            str(r[1]).lower() for r in db.anchor.execute(f"PRAGMA table_xinfo({quote(table)})") if r[6] != 1))

    def not_null_columns(self, db: Database, table: str) -> frozenset[str]:
        """The (lower-case) names of a table's NOT NULL columns."""
        return self._table_meta(db, "not_null", table, lambda: frozenset(
            str(r[1]).lower() for r in db.anchor.execute(f"PRAGMA table_xinfo({quote(table)})")
            if (r[3] or r[5]) and r[6] != 1))

    def has_table(self, db: Database, table: str) -> bool:
        """Whether the database holds a table or view of that name (not one of SQLite's own)."""
        def read() -> bool:
            return bool(db.anchor.execute("SELECT 1 FROM sqlite_schema WHERE type IN ('table','view') AND name = ? "
                                          "COLLATE NOCASE", (table,)).fetchall())

        try:
            return self._table_meta(db, "exists", table, read)
        except KeyError:
            return False

    def view_definition(self, db: Database, table: str) -> str | None:
        """The SQLite CREATE VIEW statement of the view of that name (None: no such view); DML through a
        view asks before each statement, so the answer is cached."""
        def read() -> str | None:
            row = db.anchor.execute("SELECT sql FROM sqlite_schema WHERE type='view' AND name = ? COLLATE NOCASE",
                                    (table,)).fetchall()
            return str(row[0][0]) if row and row[0][0] else None

        try:
            return self._table_meta(db, "view", table, read)
        except KeyError:
            return None

    def auto_increment_column(self, db: Database, table: str) -> str | None:
        """The name (lower case) of a table's AUTO_INCREMENT column, if it has one."""
        def read() -> str | None:
            row = db.anchor.execute("SELECT sql FROM sqlite_schema WHERE type='table' AND name = ? COLLATE NOCASE",
                                    (table,)).fetchall()
            m = _AUTO.search(str(row[0][0])) if row and row[0][0] else None
            return m.group(1).replace('""', '"').lower() if m else None

        return self._table_meta(db, "auto", table, read)

    def auto_increment_type(self, db: Database, table: str) -> tuple[str, str] | None:
        """A table's AUTO_INCREMENT column (lower case) and its MySQL type, which SQLite declares INTEGER."""
        def read() -> tuple[str, str] | None:
            row = db.anchor.execute("SELECT sql FROM sqlite_schema WHERE type='table' AND name = ? COLLATE NOCASE",
                                    (table,)).fetchall()
            m = _AUTO.search(str(row[0][0])) if row and row[0][0] else None
            return (m.group(1).replace('""', '"').lower(), m.group(2) or "bigint") if m else None

        try:
            return self._table_meta(db, "auto_type", table, read)
        except KeyError:
            return None

    def lookup(self, default: str | None) -> tuple[tuple[Any, ...], TableLookup]:
        """(the schema state a statement's derived types depend on, a lookup of tables' declared
        types, unqualified tables being in database `default`)."""
        default_db = self.storage.get(default) if default else None
        state = (self.generation, default.lower() if default else None)

        def lookup(name: str | None, table: str) -> dict[str, str] | None:
            database = default_db if name is None else self.storage.get(name)
            if database is None or database.dropped:
                return None
            return self.decltypes(database, table)

        return state, lookup

    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """A value derived from the schema, cached under `key` (which must hold a `lookup` state)."""
        with self._lock:
            try:
                found: T = self._memo[key]
                self._memo.move_to_end(key)
                return found
            except KeyError:
                pass
        value = compute()
        with self._lock:
            self._memo[key] = value
            if len(self._memo) > _MEMO_MAX:
                self._memo.popitem(last=False)
        return value


def _check_name(name: str) -> None:
    if not name or len(name) > 64 or name != name.rstrip() or "/" in name or "\\" in name or "." in name:
        raise SQLError(1102, f"Incorrect database name '{name}'", "42000")


def refresh_schema(db: Database) -> None:
    """Make the database's anchor connection read the schema again (see `_connections`): call it
    with `db.lock` held before reading the schema through the anchor."""
    db.anchor.execute("SELECT 1 FROM main.sqlite_schema LIMIT 0").fetchall()

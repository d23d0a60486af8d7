"""Where stored programs live: the table "app.routines" of their database's own file.

A routine is one row (its kind, its name, and as JSON its CREATE text, definer, sql_mode and times),
written by the DDL statements that create or drop it, so that it commits, rolls back, survives a
restart and replicates like a table's definition (`_schema`'s "app.tables" is the same idea). Its
parsed form is cached by the database's schema version, which every committed DDL bumps.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final

import apsw

from .._catalog import Catalog
from .._functions import REGISTRY
from .._sealed import trusted
from .._sqlite import quote
from .._storage import Database
from ._spparse import parse
from ._sptree import Routine

ROUTINES_TABLE: Final = "app.routines"
ENSURE_ROUTINES: Final = (f"CREATE TABLE IF NOT EXISTS {quote(ROUTINES_TABLE)} (kind TEXT NOT NULL, "
                          "name TEXT NOT NULL COLLATE NOCASE, definition TEXT NOT NULL, PRIMARY KEY (kind, name))")
_CACHE_MAX: Final = 512


@dataclass(frozen=True, slots=True)
class Stored:
    """A routine as stored: its parse, and what SHOW and information_schema show of it."""

    routine: Routine
    sql: str  # the CREATE statement as the client wrote it (after the kind: see `create_text`)
    definer: str  # user@host
    sql_mode: str
    created: str  # YYYY-MM-DD HH:MM:SS
    database: str
    order: float = 0.0  # when it was created (triggers fire in that order)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def save_statements(kind: str, name: str, definition: dict[str, Any], *, replace: bool) -> tuple[str, ...]:
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    return (ENSURE_ROUTINES, f"{verb} INTO {quote(ROUTINES_TABLE)} (kind, name, definition) VALUES "
                             f"({_literal(kind)}, {_literal(name)}, {_literal(json.dumps(definition))})")


def drop_statements(kind: str, name: str) -> tuple[str, ...]:
    return (ENSURE_ROUTINES,
            f"DELETE FROM {quote(ROUTINES_TABLE)} WHERE kind = {_literal(kind)} AND name = {_literal(name)}")


def _has_table(conn: apsw.Connection) -> bool:
    return bool(conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                             (ROUTINES_TABLE,)).fetchall())


_lock = threading.Lock()
_cache: OrderedDict[tuple[Any, ...], Stored | None] = OrderedDict()


def _read(conn: apsw.Connection, db: Database, kind: str, name: str) -> Stored | None:
    with trusted(conn):
        if not _has_table(conn):
            return None
        rows = conn.execute(f"SELECT name, definition FROM {quote(ROUTINES_TABLE)} WHERE kind = ? AND name = ?",
                            (kind, name)).fetchall()
    if not rows:
        return None
    return _stored(db.name, str(rows[0][1]))


def _stored(database: str, definition: str) -> Stored:
    data = json.loads(definition)
    _, routine = parse(str(data["sql"]))
    return Stored(routine, str(data["sql"]), str(data["definer"]), str(data["sql_mode"]), str(data["created"]),
                  database, float(data.get("order") or 0.0))


def find(conn: apsw.Connection, db: Database, kind: str, name: str) -> Stored | None:
    """The routine `kind` `name` of database `db` (read on `conn`, a connection to it), None if none."""
    key = (id(db), db.schema_version, kind, name.lower())
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    found = _read(conn, db, kind, name)
    with _lock:
        _cache[key] = found
        if len(_cache) > _CACHE_MAX:
            _cache.popitem(last=False)
    return found


def every(conn: apsw.Connection, db: Database, kind: str | None = None) -> list[Stored]:
    """Every routine of database `db` (of one `kind`), by name."""
    with trusted(conn):
        if not _has_table(conn):
            return []
        rows = conn.execute(f"SELECT kind, definition FROM {quote(ROUTINES_TABLE)} ORDER BY name").fetchall()
    return [_stored(db.name, str(d)) for k, d in rows if kind is None or k == kind]


def table_dropped_statements(conn: apsw.Connection, db: Database, table: str) -> tuple[str, ...]:
    """The statements that drop a table's triggers with it (as DROP TABLE does)."""
    out: tuple[str, ...] = ()
    for s in every(conn, db, "TRIGGER"):
        if s.routine.table.lower() == table.lower():
            out += drop_statements("TRIGGER", s.routine.name)
    return out


_triggers: OrderedDict[tuple[Any, ...], list[Stored]] = OrderedDict()


def triggers_of(conn: apsw.Connection, db: Database, table: str, event: str, timing: str) -> list[Stored]:
    """The stored triggers of a table that fire at `timing` on `event`, in the order they were created."""
    key = (id(db), db.schema_version)
    with _lock:
        found = _triggers.get(key)
    if found is None:
        found = sorted(every(conn, db, "TRIGGER"), key=lambda s: (s.order, s.routine.name.lower()))
        with _lock:
            _triggers[key] = found
            if len(_triggers) > _CACHE_MAX:
                _triggers.popitem(last=False)
    table = table.lower()
    return [s for s in found if s.routine.table.lower() == table and s.routine.event == event
            and s.routine.timing == timing]


# -- the names of stored functions, for the translator ---------------------------------------------

_catalogs: weakref.WeakSet[Catalog] = weakref.WeakSet()
_names: weakref.WeakKeyDictionary[Catalog, tuple[int, dict[str, str]]] = weakref.WeakKeyDictionary()


def watch_functions(catalog: Catalog) -> None:
    """Make the stored functions of `catalog`'s databases callable by name (see `is_stored_function`)."""
    _catalogs.add(catalog)


def unwatch_functions(catalog: Catalog) -> None:
    """`catalog`'s node stopped: its functions are no one's to call."""
    _catalogs.discard(catalog)


def _function_names(catalog: Catalog) -> dict[str, str]:
    """The stored functions of `catalog`'s databases: name (lower case) -> declared return type."""
    found = _names.get(catalog)
    generation = catalog.generation
    if found is not None and found[0] == generation:
        return found[1]
    names: dict[str, str] = {}
    for db in catalog.storage.databases():
        with db.lock:
            if db.dropped:
                continue
            conn = db.anchor
            with trusted(conn):
                if _has_table(conn):
                    for n, definition in conn.execute(
                            f"SELECT name, definition FROM {quote(ROUTINES_TABLE)} WHERE kind = 'FUNCTION'"):
                        names[str(n).lower()] = str(json.loads(str(definition)).get("returns") or "")
    _names[catalog] = (generation, names)
    return names


def stored_function_type(name: str) -> str | None:
    """The declared return type of a stored function of this name in a database of some node of this
    process (None: there is none). The translator then calls it, and the call finds it in the current
    database when it runs (or reports 1305 then)."""
    low = name.lower()
    for catalog in list(_catalogs):
        try:
            found = _function_names(catalog).get(low)
        except apsw.Error:  # a node stopping: its databases are closing
            continue
        if found is not None:
            return found
    return None


REGISTRY.stored_function = stored_function_type

"""SQLite sealed off: client SQL reaches only what MySQL has.

Every SQLite connection that runs a client's statements has a `Guard` as its apsw authorizer. SQLite
asks it about every table, function, pragma and ATTACH while it prepares a statement, and the guard
refuses what only SQLite has, with the error MySQL gives for something that does not exist:

- SQLite's own tables (`sqlite_master`, `sqlite_schema`, `sqlite_sequence`, `sqlite_stat1`, ...) and
  its table-valued functions and eponymous virtual tables (`pragma_database_list`, `dbstat`,
  `json_each`, ...): 1146 Table 'db.name' doesn't exist (a user table of such a name stays readable);
- SQLite-only functions (`sqlite_version()`, `randomblob()`, `load_extension()`, `typeof()`, ...):
  1305 FUNCTION name does not exist. The function registry already refuses them, and the internal
  `APP_*` helpers, when a client names them; the guard also covers what reaches SQLite outside a
  rewritten expression;
- PRAGMA, ATTACH, DETACH, virtual tables and triggers: refused.

The server's own statements (reading the schema, PRAGMA table_info, ATTACH of the databases a query
names, the counter reset of TRUNCATE) run inside `trusted(conn)`. A statement is authorized when it
is prepared, so the mode is the one in force when the text is first prepared (apsw caches prepared
statements by text: the server's internal texts never equal a client's translated one, and the one
that could is run uncached).

Client DDL runs in the `DDL` mode: SQLite's own machinery reads and rewrites `sqlite_schema` while
it creates, alters or drops a table, and calls internal functions (`sqlite_rename_column`,
`printf`) to do it; the client's part of a DDL statement is names and expressions (CHECK, DEFAULT),
whose functions the registry has already rewritten. `CREATE TABLE ... AS SELECT` and `CREATE VIEW`
embed a client query and run in the `CREATE` mode: the query is checked as any client query, and
the schema table may only be written (and read by the row id SQLite's own UPDATE uses) after the
query's part.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Final

import apsw

from ._errors import (
    ER_BAD_FIELD,
    ER_NO_SUCH_TABLE,
    ER_SP_DOES_NOT_EXIST,
    SQLError,
    no_database,
    not_supported,
    shown_name,
)

# Modes of a guard.
CLIENT: Final = 0  # a client's query or DML
CREATE: Final = 1  # a client's CREATE TABLE ... AS SELECT / CREATE VIEW
DDL: Final = 2  # a client's other DDL
TRUSTED: Final = 3  # the server's own statements
REPLICA: Final = 4  # DDL a primary sent, applied by a standby (see `replicating`)

_OK: Final = apsw.SQLITE_OK
_SCHEMA_TABLES: Final = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"})


def _modules() -> frozenset[str]:
    conn = apsw.Connection(":memory:")
    try:
        return frozenset(str(r[0]).lower() for r in conn.execute("SELECT name FROM pragma_module_list"))
    finally:
        conn.close()


# SQLite's virtual table modules: each eponymous one is a table any statement could name.
SQLITE_MODULES: Final = _modules()

# SQLite's built-in functions that MySQL does not have (or has under another meaning and that the
# registry rewrites to its own implementation). `tests` check that every SQLite function is either
# here or one the registry's rewrites and sqlglot's SQLite dialect call on purpose.
SQLITE_ONLY_FUNCTIONS: Final = frozenset({
    "acosh", "asinh", "atanh", "cosh", "json", "json_array_length", "json_group_array", "julianday", "percentile",
    "random", "sinh", "strftime", "string_agg", "tanh", "total", "trunc", "unixepoch",
    "bm25", "changes", "fts3_tokenizer", "fts5", "fts5_get_locale", "fts5_insttoken", "fts5_locale",
    "fts5_source_id", "geopoly_area", "geopoly_bbox", "geopoly_blob", "geopoly_ccw", "geopoly_contains_point",
    "geopoly_debug", "geopoly_group_bbox", "geopoly_json", "geopoly_overlap", "geopoly_regular", "geopoly_svg",
    "geopoly_within", "geopoly_xform", "glob", "highlight", "json_error_position", "json_patch",
    "jsonb", "jsonb_array", "jsonb_array_insert", "jsonb_extract", "jsonb_group_array", "jsonb_group_object",
    "jsonb_insert", "jsonb_object", "jsonb_patch", "jsonb_remove", "jsonb_replace", "jsonb_set",
    "last_insert_rowid", "likelihood", "likely", "load_extension", "match", "matchinfo", "offsets", "optimize",
    "randomblob", "rtreecheck", "rtreedepth", "rtreenode", "snippet", "sqlite_compileoption_get",
    "sqlite_compileoption_used", "sqlite_log", "sqlite_offset", "sqlite_source_id", "sqlite_version", "subtype",
    "total_changes", "typeof", "unicode", "unistr", "unistr_quote", "unlikely", "zeroblob",
})
# What SQLite's ALTER TABLE calls on its own (the sqlite_ ones are internal to SQLite: no statement can
# call them); a client's expressions in DDL have been through the registry, which knows none of them.
_DDL_FUNCTIONS: Final = frozenset({"glob", "printf", "sqlite_rename_column", "sqlite_rename_table",
                                   "sqlite_rename_test", "sqlite_rename_quotefix", "sqlite_drop_column"})
_REFUSED_FUNCTIONS: Final = SQLITE_ONLY_FUNCTIONS | _DDL_FUNCTIONS
_REFUSED_IN_DDL: Final = _REFUSED_FUNCTIONS - _DDL_FUNCTIONS
# The session extension (replication's change capture) reads a table's columns with this pragma while
# a client's write runs.
_CAPTURE_PRAGMAS: Final = frozenset({"table_xinfo", "table_info"})
# ALTER TABLE ... ADD COLUMN checks the table's CHECK constraints with this pragma's table.
# ALTER TABLE by rebuild (replicated as the primary ran it) switches legacy_alter_table around its rename.
_DDL_PRAGMAS: Final = frozenset({"quick_check", "legacy_alter_table"})
_ALWAYS: Final = frozenset({apsw.SQLITE_SELECT, apsw.SQLITE_TRANSACTION, apsw.SQLITE_SAVEPOINT,
                            apsw.SQLITE_RECURSIVE})
_CREATE_OPS: Final = frozenset({apsw.SQLITE_CREATE_TABLE, apsw.SQLITE_CREATE_VIEW})
_DDL_OPS: Final = frozenset({
    apsw.SQLITE_CREATE_TABLE, apsw.SQLITE_CREATE_INDEX, apsw.SQLITE_CREATE_VIEW, apsw.SQLITE_DROP_TABLE,
    apsw.SQLITE_DROP_INDEX, apsw.SQLITE_DROP_VIEW, apsw.SQLITE_ALTER_TABLE, apsw.SQLITE_REINDEX,
    apsw.SQLITE_ANALYZE})
_TABLE_OPS: Final = frozenset({apsw.SQLITE_READ, apsw.SQLITE_INSERT, apsw.SQLITE_UPDATE, apsw.SQLITE_DELETE})
_ROWID_NAMES: Final = re.compile(r"(?i)(?<![\w$])(_rowid_|rowid|oid)(?![\w$])")
_STRINGS: Final = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"", re.S)
_PRIVILEGE_OF: Final = {apsw.SQLITE_READ: "SELECT", apsw.SQLITE_INSERT: "INSERT", apsw.SQLITE_UPDATE: "UPDATE",
                        apsw.SQLITE_DELETE: "DELETE"}
# A session's privilege check: (privilege, database, table), raising SQLError (1142) if it is not granted.
TableCheck = Callable[[str, str, str], None]


def is_sealed_table(name: str) -> bool:
    """Whether `name` (lower case) is a table only SQLite has."""
    return name.startswith(("sqlite_", "pragma_")) or name in SQLITE_MODULES


class Guard:
    """The apsw authorizer of one SQLite connection that runs client statements.

    Args:
        database: the database the connection is to (its `main`), None for one in memory.
        has_table: whether a database holds a user table of a name (a user table may be named like
            one of SQLite's virtual tables, and then shadows it).
        current: the session's current database, which errors name on a connection to none.
    """

    __slots__ = ("_master_written", "check", "current", "database", "has_table", "mode", "statement")

    def __init__(self, database: str | None, has_table: Callable[[str, str], bool] | None = None,
                 current: Callable[[], str | None] | None = None, mode: int = CLIENT) -> None:
        self.database = database
        self.has_table = has_table
        self.current = current
        self.mode = mode
        self._master_written = False
        # The session's privilege check (privilege, database, table) of each table a client's statement
        # uses, None when it may use every table (see `_access`).
        self.check: TableCheck | None = None
        # The client's statement as it sent it (what a read of SQLite's implicit rowid is checked against).
        self.statement: Callable[[], str | None] | None = None

    @contextlib.contextmanager
    def running(self, mode: int) -> Iterator[None]:
        """Prepare the statements run inside in `mode`."""
        previous, self.mode, self._master_written = self.mode, mode, False
        try:
            yield
        finally:
            self.mode, self._master_written = previous, False

    def __call__(self, op: int, p1: str | None, p2: str | None, dbname: str | None, source: str | None) -> int:
        mode = self.mode
        if mode == TRUSTED:
            return _OK
        if op in _ALWAYS:
            if mode == REPLICA and op != apsw.SQLITE_SELECT and op != apsw.SQLITE_RECURSIVE:
                raise not_supported("a transaction in replicated DDL")  # the applier owns the transaction
            return _OK
        if op in _TABLE_OPS:
            if op == apsw.SQLITE_READ and p2 == "ROWID" and mode in (CLIENT, CREATE):
                self._implicit_rowid()
            if self.check is not None and mode in (CLIENT, CREATE) and p1 and dbname != "temp" and (
                    not is_sealed_table(p1.lower())):
                self._check_privilege(op, p1, dbname, source)
            return self._table(op, (p1 or "").lower(), p2, dbname)
        if op == apsw.SQLITE_FUNCTION:
            name = (p2 or "").lower()
            if name in (_REFUSED_IN_DDL if mode in (DDL, REPLICA) else _REFUSED_FUNCTIONS):
                raise SQLError(ER_SP_DOES_NOT_EXIST, f"FUNCTION {self._qualify(None, p2 or '')} does not exist")
            return _OK
        if op == apsw.SQLITE_PRAGMA and ((p1 or "").lower() in _CAPTURE_PRAGMAS or (
                mode in (DDL, REPLICA) and (p1 or "").lower() in _DDL_PRAGMAS)):
            return _OK
        if (mode in (DDL, REPLICA) and op in _DDL_OPS) or (mode == CREATE and op in _CREATE_OPS):
            return _OK
        raise not_supported(str(apsw.mapping_authorizer_function.get(op, op)).removeprefix("SQLITE_"))

    def _implicit_rowid(self) -> None:
        """SQLite's implicit rowid (rowid, _rowid_, oid of a table without such a column) is not MySQL's:
        1054 when the client's statement names it. The server's own rewrites read it too (UPDATE ...
        LIMIT, multi-table DELETE), in statements whose client text does not name it."""
        text = self.statement() if self.statement is not None else None
        if not text:
            return
        named = _ROWID_NAMES.search(_STRINGS.sub("''", text))
        if named is not None:
            raise SQLError(ER_BAD_FIELD, f"Unknown column '{named.group(1)}' in 'SELECT'")

    def _check_privilege(self, op: int, table: str, dbname: str | None, view: str | None) -> None:
        database = self.database if dbname in (None, "main") else dbname
        if database is None or self.check is None:
            return
        # Grants name tables as MariaDB does; SQLite names them by their stored names (see `_sqlite`).
        if view:  # a read through a view needs SELECT on the view (MySQL's definer rights), not its tables
            self.check("SELECT", database, shown_name(view))
        else:
            self.check(_PRIVILEGE_OF[op], database, shown_name(table))

    def _table(self, op: int, name: str, column: str | None, dbname: str | None) -> int:
        mode = self.mode
        if mode == REPLICA:
            # SQLite's own schema machinery, and TRUNCATE's counter reset; nothing else only SQLite has.
            if name in _SCHEMA_TABLES or name == "sqlite_sequence" or name == "pragma_quick_check" or (
                    not is_sealed_table(name)):
                return _OK
        elif mode == DDL or not is_sealed_table(name):
            # In DDL, SQLite's own reading and rewriting of the schema (see the module docstring); a
            # client's DDL only names tables, and SQLite refuses to change or index a virtual table.
            return _OK
        if name in _SCHEMA_TABLES:
            if mode == CREATE:
                if op in (apsw.SQLITE_INSERT, apsw.SQLITE_UPDATE):
                    self._master_written = True
                    return _OK
                if op == apsw.SQLITE_READ and column == "ROWID" and self._master_written:
                    return _OK
        elif self.has_table is not None and dbname is not None and not name.startswith("sqlite_"):
            database = self.database if dbname == "main" else dbname
            if database is not None and self.has_table(database, name):
                return _OK  # a user table that shadows SQLite's virtual table of that name
        qualified = self._qualify(dbname, name)
        if "." not in qualified:
            raise no_database()
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{qualified}' doesn't exist")

    def _qualify(self, dbname: str | None, name: str) -> str:
        if dbname not in (None, "main", "temp"):
            return f"{dbname}.{name}"
        database = self.database if self.database is not None or self.current is None else self.current()
        return f"{database}.{name}" if database else name


def guard(conn: apsw.Connection, database: str | None, has_table: Callable[[str, str], bool] | None = None,
          current: Callable[[], str | None] | None = None) -> Guard:
    """Seal `conn`: install a guard as its authorizer, in the client mode (arguments: see `Guard`)."""
    found = Guard(database, has_table, current)
    conn.authorizer = found
    return found


# What a replicated DDL statement may be: the DDL family, and the writes DDL makes (TRUNCATE's DELETEs, the
# table definitions kept in `app.tables`).
_REPLICATED_DDL: Final = re.compile(r"\s*(CREATE|DROP|ALTER|DELETE|INSERT|REPLACE|UPDATE)\b"
                                    r"|\s*PRAGMA\s+legacy_alter_table\s*=\s*(ON|OFF)\s*;?\s*$", re.IGNORECASE)


def replicated_ddl(conn: apsw.Connection, database: str, statements: tuple[str, ...]) -> None:
    """Apply the DDL statements a primary sent for `database` on `conn` (its connection, in the
    applier's transaction): each one statement of the DDL family, run in the REPLICA mode, so that it
    reaches only this database's own tables (no ATTACH, PRAGMA, VACUUM INTO, virtual tables, SQLite's
    functions, transactions). Raises SQLError for a statement that is not; the caller rolls back."""
    seen: list[str] = []

    def one_statement(cursor: apsw.Cursor, sql: str, bindings: object) -> bool:
        # apsw runs every statement of a string; each passes here before it runs.
        if seen or not _REPLICATED_DDL.match(sql):
            raise not_supported(f"replicated statement {sql.strip()[:40]!r}")
        seen.append(sql)
        return True

    previous = conn.authorizer
    conn.authorizer = Guard(database, mode=REPLICA)
    try:
        for statement in statements:
            if not isinstance(statement, str):
                raise not_supported("a replicated statement that is not text")
            seen.clear()
            cursor = conn.cursor()
            cursor.exec_trace = one_statement
            cursor.execute(statement, can_cache=False).fetchall()
    finally:
        conn.authorizer = previous


@contextlib.contextmanager
def trusted(conn: apsw.Connection) -> Iterator[None]:
    """Run the server's own statements on `conn` (a guarded connection or not)."""
    found = conn.authorizer
    if not isinstance(found, Guard):
        yield
        return
    with found.running(TRUSTED):
        yield

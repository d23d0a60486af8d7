"""SQLite sealed off: what a client can run reaches only what MySQL has (src/app/sql/_sealed.py).

The probes are the ways in that a probe of the server found (issue 12): SQLite's own tables, its
table-valued functions and eponymous virtual tables, PRAGMA, ATTACH, SQLite-only functions, the
server's internal APP_* functions, in every place a client statement can put them. Each fixed probe
runs on app and on MariaDB: both refuse it, with the same error where MariaDB's parser does not stop
first (app's does not parse MariaDB's grammar exactly: those are listed with MariaDB's answer). The
fuzz combines names and statement contexts from a seed (printed; APP_TEST_SEED reproduces a run).
Nothing any probe returns may name a file of the server.
"""

from __future__ import annotations

import os
import random
import re
from typing import Any

import pymysql
import pytest

from _sqldiff import Differ
from app.sql._sealed import SQLITE_ONLY_FUNCTIONS

# (statement, MariaDB's error number where app gives another because MariaDB's grammar refuses the
# statement first, or None where both answer alike)
PROBES: list[tuple[str, int | None]] = [
    ("SELECT * FROM pragma_database_list", None),
    ("SELECT file FROM pragma_database_list", None),
    ("SELECT * FROM sqlite_master", None),
    ("SELECT * FROM sqlite_schema", None),
    ("SELECT * FROM sqlite_temp_master", None),
    ("SELECT * FROM sqlite_sequence", None),
    ("SELECT * FROM sqlite_stat1", None),
    ("SELECT * FROM sqlite_dbpage", None),
    ("SELECT * FROM dbstat", None),
    ("SELECT * FROM pragma_function_list", None),
    ("SELECT * FROM pragma_compile_options", None),
    ("SELECT * FROM pragma_module_list", None),
    ("SELECT * FROM pragma_pragma_list", None),
    ("SELECT * FROM `pragma_database_list`", None),
    ("SELECT * FROM {db}.sqlite_master", None),
    ("SELECT 1 FROM t, pragma_database_list", None),
    ("SELECT (SELECT file FROM pragma_database_list)", None),
    ("SELECT * FROM t WHERE a IN (SELECT seq FROM pragma_database_list)", None),
    ("WITH x AS (SELECT * FROM pragma_database_list) SELECT * FROM x", None),
    ("INSERT INTO t SELECT seq FROM pragma_database_list", None),
    ("INSERT INTO sqlite_sequence VALUES ('t', 5)", None),
    ("DELETE FROM sqlite_sequence", None),
    ("UPDATE t SET a = (SELECT COUNT(*) FROM sqlite_master)", None),
    ("CREATE VIEW v AS SELECT * FROM pragma_database_list", None),
    ("CREATE VIEW v AS SELECT name FROM sqlite_master", None),
    ("CREATE TABLE t2 AS SELECT * FROM pragma_database_list", None),
    ("CREATE TABLE t3 AS SELECT name FROM sqlite_master", None),
    ("SET @p = (SELECT file FROM pragma_database_list)", None),
    ("SELECT sqlite_version()", None),
    ("SELECT sqlite_source_id()", None),
    ("SELECT sqlite_compileoption_used('THREADSAFE')", None),
    ("SELECT randomblob(800000000)", None),
    ("SELECT zeroblob(800000000)", None),
    ("SELECT load_extension('/tmp/x')", None),
    ("SELECT typeof(1)", None),
    ("SELECT glob('a', 'a')", None),
    ("SELECT printf('%s', 1)", None),
    ("SELECT changes()", None),
    ("SELECT last_insert_rowid()", None),
    ("SELECT likely(1)", None),
    ("SELECT APP_UPSERT_UPDATED()", None),
    ("SELECT APP_DECIMAL_TEXT(1, 2)", None),
    ("SELECT APP_REPLACED()", None),
    ("SELECT * FROM t WHERE typeof(a) = 'integer'", None),
    ("SELECT * FROM t ORDER BY randomblob(4)", None),
    ("CREATE TABLE c1 (a INT DEFAULT (sqlite_version()))", 1901),
    ("PRAGMA database_list", 1064),
    ("PRAGMA writable_schema = ON", 1064),
    ("ATTACH DATABASE '/tmp/app_sec_probe.db' AS p", 1064),
    ("DETACH DATABASE p", 1064),
    ("VACUUM INTO '/tmp/app_sec_probe.db'", 1064),
    ("SELECT * FROM pragma_table_info('t')", 1064),
    ("SELECT * FROM json_each('[1]')", 1064),
    ("CREATE TABLE c2 (a INT, CHECK (typeof(a) = 'integer'))", 1901),
    ("CREATE TABLE c3 (a INT, CHECK (APP_DOUBLE_TEXT(a) > 0))", 1901),
]

# A file of the server: its data files, the in-memory mode's directory, any absolute path with a file.
_PATH = re.compile(r"(/dev/shm|app-sql-|mem-\d+-|\.db\b|/tmp/|/[\w.@-]+/[\w.@-]+\.\w+)")


def _shows_path(statement: str, text: str) -> bool:
    """Whether `text` names a file the statement did not name itself (an error may quote it)."""
    return any(m.group() not in statement for m in _PATH.finditer(text))


def _run(conn: Any, statement: str) -> tuple[int | None, str]:
    """(error number or None, everything the client saw as text)."""
    with conn.cursor() as cur:
        try:
            cur.execute(statement)
            return None, repr(cur.fetchall())
        except pymysql.MySQLError as e:
            return int(e.args[0]), str(e.args[1:])


def test_probes_are_refused_as_mariadb_refuses_them(differ: Differ) -> None:
    setup = ["CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1)"]
    differ.check(setup)
    for statement, mariadb_code in PROBES:
        text = differ.sql(statement)
        ours, ours_text = _run(differ.ours, text)
        theirs, _ = _run(differ.reference, text)
        assert theirs is not None, f"MariaDB runs {text!r}: not a probe"
        assert ours is not None, f"app runs {text!r}: {ours_text}"
        assert not _shows_path(text, ours_text), f"{text!r} shows a path: {ours_text}"
        if mariadb_code is None:
            assert ours == theirs, f"{text!r}: app {ours} {ours_text}, MariaDB {theirs}"
        else:
            assert theirs == mariadb_code, f"{text!r}: MariaDB answers {theirs} now: update PROBES"
            assert ours in (1064, 1235, 1305, 1146), f"{text!r}: app {ours} {ours_text}"
    # Nothing was made, and the table's rows are untouched.
    differ.check(["SHOW TABLES", "SELECT * FROM t"])


# -- the fuzz ---------------------------------------------------------------------------------------

_TABLES = ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_sequence", "sqlite_stat1", "dbstat",
           "sqlite_dbpage", "pragma_database_list", "pragma_function_list", "pragma_compile_options",
           "pragma_module_list", "pragma_collation_list", "pragma_pragma_list", "pragma_table_list",
           "SQLITE_MASTER", "Pragma_Database_List", "`sqlite_schema`"]
_TABLE_CONTEXTS = [
    "SELECT * FROM {x}", "SELECT COUNT(*) FROM {x}", "SELECT 1 FROM t JOIN {x} ON 1 = 1",
    "SELECT * FROM t WHERE EXISTS (SELECT 1 FROM {x})", "SELECT (SELECT 1 FROM {x} LIMIT 1)",
    "WITH c AS (SELECT * FROM {x}) SELECT * FROM c", "SELECT * FROM (SELECT * FROM {x}) AS d",
    "INSERT INTO t SELECT 1 FROM {x}", "UPDATE t SET a = (SELECT COUNT(*) FROM {x})",
    "DELETE FROM t WHERE a IN (SELECT 1 FROM {x})", "CREATE VIEW fv AS SELECT * FROM {x}",
    "CREATE TABLE ft AS SELECT * FROM {x}", "SET @v = (SELECT COUNT(*) FROM {x})", "DELETE FROM {x}",
    "INSERT INTO {x} VALUES (1)", "SELECT * FROM t UNION SELECT 1 FROM {x}", "DROP TABLE {x}",
]
_INTERNAL = ["APP_UPSERT_UPDATED", "APP_DECIMAL_TEXT", "APP_DOUBLE_TEXT", "APP_REPLACED", "APP_UTC_NOW"]
_FUNCTION_CONTEXTS = [
    "SELECT {f}", "SELECT * FROM t WHERE {f} IS NOT NULL", "SELECT * FROM t ORDER BY {f}",
    "SELECT COUNT(*) FROM t GROUP BY {f}", "SELECT COUNT(*) FROM t HAVING {f} IS NULL",
    "UPDATE t SET a = {f}", "INSERT INTO t VALUES ({f})", "CREATE TABLE fc (a INT, CHECK ({f} IS NOT NULL))",
    "CREATE TABLE fd (a INT DEFAULT ({f}))", "CREATE VIEW fw AS SELECT {f} AS x", "SET @v = {f}",
    "SELECT IF({f}, 1, 2)", "SELECT CONCAT('a', {f})",
]


def _read_as_mysql(name: str) -> bool:
    """Whether sqlglot reads a call of `name` as a MySQL function the registry declares (RANDOM() as RAND(),
    TRUNC() as TRUNCATE()): then it never reaches SQLite's function of that name."""
    import sqlglot

    from app.sql._functions import REGISTRY

    try:
        call = sqlglot.parse_one(f"SELECT {name}(1)", read="mysql").expressions[0]
    except sqlglot.errors.SqlglotError:
        return False
    return type(call) in REGISTRY.by_node


def _seed() -> int:
    raw = os.environ.get("APP_TEST_SEED")
    return int(raw) if raw and raw.isdigit() else random.SystemRandom().randrange(2**32)


def test_fuzzed_probes_reach_nothing_sqlite_has(app_database: Any) -> None:
    seed = _seed()
    print(f"test_sealed fuzz seed: {seed} (APP_TEST_SEED={seed} reproduces it)")
    rng = random.Random(seed)
    conn = app_database.sql_conn(autocommit=True)
    _run(conn, "CREATE TABLE t (a INT)")
    _run(conn, "INSERT INTO t VALUES (1)")
    probes = [rng.choice(_TABLE_CONTEXTS).format(x=rng.choice(_TABLES)) for _ in range(120)]
    functions = [f for f in sorted(SQLITE_ONLY_FUNCTIONS) if not _read_as_mysql(f)] + _INTERNAL
    for _ in range(120):
        name = rng.choice(functions)
        args = ", ".join(rng.choice(["1", "'a'", "a", "NULL", "8e8"]) for _ in range(rng.randrange(3)))
        probes.append(rng.choice(_FUNCTION_CONTEXTS).format(f=f"{name}({args})"))
    for statement in probes:
        code, text = _run(conn, statement)
        # Refused (1146, 1305 mostly; a clause SQLite itself refuses first may say so in its own words).
        assert code is not None, f"seed {seed}: {statement!r} ran: {text}"
        assert not _shows_path(statement, text), f"seed {seed}: {statement!r} shows a path: {text}"
    assert _run(conn, "SHOW TABLES") == (None, "(('t',),)"), f"seed {seed}: a probe made something"
    assert _run(conn, "SELECT * FROM t") == (None, "((1,),)"), f"seed {seed}: a probe changed t"


def test_a_user_table_named_like_a_virtual_table_stays_usable(app_database: Any) -> None:
    conn = app_database.sql_conn(autocommit=True)
    for name in ("json_each", "dbstat", "pragma_database_list"):
        assert _run(conn, f"CREATE TABLE {name} (a INT)")[0] is None
        assert _run(conn, f"INSERT INTO {name} VALUES (7)")[0] is None
        assert _run(conn, f"SELECT * FROM {name}") == (None, "((7,),)")


@pytest.mark.parametrize("statement", [
    "ALTER TABLE k ADD COLUMN c INT", "ALTER TABLE k RENAME COLUMN b TO bb", "ALTER TABLE k DROP COLUMN b",
    "RENAME TABLE k TO k2", "TRUNCATE TABLE k", "CREATE INDEX kb ON k (b)", "SHOW CREATE TABLE k", "DESCRIBE k",
    "CREATE TABLE k3 LIKE k", "REPLACE INTO k (id, b) VALUES (1, 5)",
])
def test_the_servers_own_statements_still_reach_sqlite(app_database: Any, statement: str) -> None:
    # DDL reads and rewrites SQLite's schema table, TRUNCATE resets sqlite_sequence, SHOW reads pragmas.
    conn = app_database.sql_conn(autocommit=True)
    assert _run(conn, "CREATE TABLE k (id INT PRIMARY KEY AUTO_INCREMENT, b INT CHECK (b > 0))")[0] is None
    assert _run(conn, "INSERT INTO k (b) VALUES (1), (2)")[0] is None
    code, text = _run(conn, statement)
    assert code is None, f"{statement}: {code} {text}"


# SQLite functions that translated client statements call on purpose though no MySQL function has
# their name: sqlglot's SQLite dialect writes them for functions and operators the registry declares
# (->, ->> for JSON paths, IIF for IF, datetime for date arithmetic, ...).
_WRITTEN_BY_TRANSLATION = frozenset({"->", "->>", "datetime", "iif", "json_group_object", "like", "percentile_cont"})


def test_every_sqlite_function_is_refused_or_reached_on_purpose() -> None:
    # A new SQLite version's new function fails here until it is classified.
    import apsw

    from app.sql._functions import REGISTRY
    from app.sql._sealed import _DDL_FUNCTIONS

    conn = apsw.Connection(":memory:")
    try:
        builtins = {str(r[0]).lower() for r in conn.execute("SELECT name FROM pragma_function_list")}
    finally:
        conn.close()
    declared = set()
    for fn in REGISTRY.functions:
        declared |= {n.lower() for n in fn.names}
        if fn.sqlite_name:
            declared.add(fn.sqlite_name.lower())
    unclassified = builtins - declared - SQLITE_ONLY_FUNCTIONS - _DDL_FUNCTIONS - _WRITTEN_BY_TRANSLATION
    assert not unclassified, f"SQLite functions neither refused (SQLITE_ONLY_FUNCTIONS) nor declared: {unclassified}"
    assert not SQLITE_ONLY_FUNCTIONS & declared, "a function the registry declares is refused"

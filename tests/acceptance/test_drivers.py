"""The DB-API drivers on their own: prepared statements over every common type, bytes that are not
UTF-8 in a query, and transactions with autocommit off.

Drivers: PyMySQL, mysqlclient (libmariadb), and mysql-connector-python both as its C extension
(libmysqlclient's protocol code) and in pure Python. Each test runs on MariaDB and on app and compares
the values read back, with their Python types.

mysql-connector's C extension runs its scenario in a fresh interpreter (`_connector_c.py`): the
extension links the OpenSSL its wheel ships (libssl.so.3 of 3.2 or later), and a process that loaded
the system's libssl.so.3 first, as the test process has (Python's ssl module, through PyMySQL and
the test servers), cannot load it; mysql-connector then quietly falls back to pure Python.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from _harness import ENV_REQUIRE, Sides, Target, ToolFailed, plain, require_module, run_tool

from app.testingshim import scaled

DRIVERS = ["pymysql", "mysqlclient", "connector-c", "connector-pure"]


def open_connection(driver: str, target: Target, *, autocommit: bool) -> Any:
    """A DB-API connection of `driver` to the target's database (utf8mb4, bounded waits)."""
    common = {"host": target.host, "port": target.port, "user": target.user, "password": target.password}
    if driver == "pymysql":
        pymysql = require_module("pymysql", "PyMySQL")
        return pymysql.connect(**common, database=target.database, charset="utf8mb4", autocommit=autocommit,
                               connect_timeout=scaled(5), read_timeout=scaled(30), ssl_disabled=True)
    if driver == "mysqlclient":
        mysqldb = require_module("MySQLdb", "mysqlclient")
        # autocommit as a connect argument, as applications and SQLAlchemy pass it: mysqlclient applies it
        # only when the server advertises CLIENT_TRANSACTIONS.
        return mysqldb.connect(**common, database=target.database, charset="utf8mb4", autocommit=autocommit,
                               connect_timeout=int(scaled(5)), read_timeout=int(scaled(30)), ssl_mode="DISABLED")
    connector = require_module("mysql.connector", "mysql-connector-python")
    use_pure = driver == "connector-pure"
    assert use_pure or connector.HAVE_CEXT, "the C extension is used in a process of its own: see run_scenario"
    return connector.connect(**common, database=target.database, charset="utf8mb4", use_pure=use_pure,
                             autocommit=autocommit, connection_timeout=int(scaled(5)), read_timeout=int(scaled(30)),
                             ssl_disabled=True)


@pytest.fixture
def connections() -> Iterator[Callable[..., Any]]:
    """connect(driver, target, autocommit=...): DB-API connections, all closed at teardown."""
    opened: list[Any] = []

    def connect(driver: str, target: Target, *, autocommit: bool = True) -> Any:
        conn = open_connection(driver, target, autocommit=autocommit)
        opened.append(conn)
        return conn

    yield connect
    for conn in reversed(opened):
        try:
            conn.close()
        except Exception:
            pass  # a connection the server dropped


Connect = Callable[..., Any]
SCENARIOS: dict[str, Callable[[Connect, Target, str], Any]] = {}
CHILD = os.path.join(os.path.dirname(__file__), "_connector_c.py")
NO_CEXT_EXIT = 3  # _connector_c.py: the C extension does not load here


def scenario(fn: Callable[[Connect, Target, str], Any]) -> Callable[[Connect, Target, str], Any]:
    """A scenario `fn(connect, target, driver)` that returns plain data; by name for the C extension's process."""
    SCENARIOS[fn.__name__] = fn
    return fn


def run_scenario(name: str, driver: str, target: Target, connect: Connect) -> Any:
    """Run SCENARIOS[name] for `driver` on `target`: here, or in a process of its own for the C extension."""
    if driver != "connector-c":
        return json.loads(json.dumps(SCENARIOS[name](connect, target, driver)))  # as the child's JSON would be
    argv = [sys.executable, CHILD, name, json.dumps({k: v for k, v in asdict(target).items() if k != "_conns"})]
    try:
        return json.loads(run_tool(argv, timeout=60))
    except ToolFailed as e:
        if e.returncode == NO_CEXT_EXIT and not os.environ.get(ENV_REQUIRE):
            pytest.skip(f"mysql-connector-python's C extension does not load here: {e.output.strip()}")
        raise


TYPES_TABLE = """CREATE TABLE every_type (
    id INT PRIMARY KEY,
    c_tinyint TINYINT, c_smallint SMALLINT, c_mediumint MEDIUMINT, c_int INT, c_bigint BIGINT,
    c_ubigint BIGINT UNSIGNED, c_float FLOAT, c_double DOUBLE, c_decimal DECIMAL(12,4),
    c_date DATE, c_datetime DATETIME, c_datetime6 DATETIME(6), c_time TIME, c_year YEAR,
    c_char CHAR(10), c_varchar VARCHAR(100), c_text TEXT, c_blob BLOB, c_varbinary VARBINARY(20),
    c_enum ENUM('small','large')
) DEFAULT CHARSET=utf8mb4"""
TYPE_COLUMNS = ["c_tinyint", "c_smallint", "c_mediumint", "c_int", "c_bigint", "c_ubigint", "c_float", "c_double",
                "c_decimal", "c_date", "c_datetime", "c_datetime6", "c_time", "c_year", "c_char", "c_varchar",
                "c_text", "c_blob", "c_varbinary", "c_enum"]
TYPE_ROWS = [
    (1, 1, -300, 70000, -2147483648, 9007199254740993, 4294967296, 1.5, -2.25e-10, Decimal("12345678.1234"),
     date(2024, 2, 29), datetime(2024, 2, 29, 23, 59, 58), datetime(1999, 12, 31, 23, 59, 59, 123456),
     timedelta(hours=-838, minutes=-59, seconds=-59), 2155, "ch", "Zoë 北京 🎉", "text " * 50,
     bytes(range(256)), b"\x00\xff\x80", "large"),
    (2, *([None] * len(TYPE_COLUMNS))),
    (3, 0, 0, 0, 0, 0, 0, 0.0, 0.0, Decimal("-0.0001"), date(1000, 1, 1), datetime(9999, 12, 31, 23, 59, 59),
     datetime(1970, 1, 1, 0, 0, 0, 1), timedelta(seconds=1), 1901, "", "", "", b"", b"", "small"),
]


@scenario
def prepared_every_type(connect: Connect, target: Target, driver: str) -> Any:
    setup = connect("pymysql", target)
    with setup.cursor() as cur:
        cur.execute(TYPES_TABLE)
    conn = connect(driver, target)
    cur = conn.cursor(prepared=True)
    insert = f"INSERT INTO every_type (id, {', '.join(TYPE_COLUMNS)}) VALUES ({', '.join(['?'] * 21)})"
    seen: dict[str, Any] = {"affected rows": []}
    for row in TYPE_ROWS:  # one statement executed again with other values and types (NULLs)
        cur.execute(insert, row)
        seen["affected rows"].append(cur.rowcount)
    with setup.cursor() as text:  # the C extension cannot bind an int above 2**63 - 1; it reads one back
        text.execute("UPDATE every_type SET c_ubigint = 18446744073709551615 WHERE id = 3")
    # mysql-connector's pure-Python protocol reads a YEAR of the binary protocol (two bytes) as a
    # length-prefixed string, and misreads every column after it: YEAR only by the text protocol there.
    columns = [c for c in TYPE_COLUMNS if driver != "connector-pure" or c != "c_year"]
    cur.execute(f"SELECT id, {', '.join(columns)} FROM every_type WHERE id >= ? ORDER BY id", (1,))
    seen["rows"] = cur.fetchall()
    cur.execute("SELECT c_varchar, c_blob FROM every_type WHERE c_blob = ? OR c_datetime6 = ?",
                (bytes(range(256)), datetime(1970, 1, 1, 0, 0, 0, 1)))
    seen["by_blob_or_datetime"] = sorted(cur.fetchall(), key=repr)
    cur.execute("SELECT COUNT(*), SUM(c_decimal), MAX(c_date), MIN(c_time) FROM every_type WHERE id <> ?", (2,))
    seen["aggregates"] = cur.fetchall()
    cur.execute("UPDATE every_type SET c_char = CONCAT(c_char, ?) WHERE id <> ?", ("+", 2))
    seen["affected rows"].append(cur.rowcount)
    with setup.cursor() as text:
        text.execute("CREATE TABLE counter (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
    cur.execute("INSERT INTO counter (v) VALUES (?), (?)", (1, 2))
    seen["auto increment"] = [[cur.rowcount, cur.lastrowid]]
    cur.close()
    # The same values through the text protocol, as a baseline the binary protocol must agree with.
    with setup.cursor() as text:
        text.execute(f"SELECT id, {', '.join(TYPE_COLUMNS)} FROM every_type ORDER BY id")
        seen["text_protocol"] = text.fetchall()
    blob = seen["rows"][0][columns.index("c_blob") + 1]
    assert bytes(blob) == bytes(range(256)), seen["rows"][0]
    # Byte strings as bytes: the C extension gives bytearray for some, the pure protocol bytes.
    return plain({k: [[bytes(v) if isinstance(v, bytearray) else v for v in r] if isinstance(r, (list, tuple)) else r
                      for r in rows]
                  for k, rows in seen.items()})


@pytest.mark.parametrize("driver", ["connector-c", "connector-pure"])
def test_prepared_statements_over_every_type(sides: Sides, connections: Any, driver: str) -> None:
    sides.compare(lambda target: run_scenario("prepared_every_type", driver, target, connections))


NON_UTF8 = bytes(range(256))


@scenario
def non_utf8_bytes(connect: Connect, target: Target, driver: str) -> Any:
    conn = connect(driver, target)
    cur = conn.cursor()
    cur.execute("CREATE TABLE blobs (id INT PRIMARY KEY, b BLOB, vb VARBINARY(300))")
    # Client-side interpolation: each driver writes the bytes into the statement its own way (raw in a
    # quoted literal with backslash escapes, or as X'..'), so the statement is not valid UTF-8.
    cur.execute("INSERT INTO blobs VALUES (%s, %s, %s)", (1, NON_UTF8, NON_UTF8[::-1]))
    cur.execute("INSERT INTO blobs VALUES (%s, %s, %s)", (2, b"\xff\xfe\x00'\\\"", b"\x80"))
    cur.execute("SELECT id, LENGTH(b), HEX(vb) FROM blobs WHERE b = %s", (NON_UTF8,))
    found = cur.fetchall()
    cur.execute("SELECT id, b, vb FROM blobs ORDER BY id")
    rows = cur.fetchall()
    cur.close()
    assert bytes(rows[0][1]) == NON_UTF8 and bytes(rows[1][1]) == b"\xff\xfe\x00'\\\"", rows
    return plain({"found": [list(r) for r in found], "rows": [[r[0], bytes(r[1]), bytes(r[2])] for r in rows]})


@pytest.mark.parametrize("driver", DRIVERS)
def test_non_utf8_bytes_in_a_query(sides: Sides, connections: Any, driver: str) -> None:
    sides.compare(lambda target: run_scenario("non_utf8_bytes", driver, target, connections))


@scenario
def transactions(connect: Connect, target: Target, driver: str) -> Any:
    setup = connect("pymysql", target)
    with setup.cursor() as cur:
        cur.execute("CREATE TABLE acct (id INT PRIMARY KEY, bal INT NOT NULL)")
    conn = connect(driver, target, autocommit=False)
    other = connect("pymysql", target)
    seen: dict[str, Any] = {}
    cur = conn.cursor()
    cur.execute("SELECT @@autocommit")
    seen["@@autocommit"] = cur.fetchall()
    cur.execute("INSERT INTO acct VALUES (1, 100)")
    with other.cursor() as o:
        o.execute("SELECT COUNT(*) FROM acct")
        seen["others_see_before_commit"] = o.fetchall()
    conn.rollback()
    cur.execute("SELECT COUNT(*) FROM acct")
    seen["after_rollback"] = cur.fetchall()
    cur.execute("INSERT INTO acct VALUES (2, 200)")
    cur.execute("UPDATE acct SET bal = bal - 50 WHERE id = 2")
    conn.commit()
    with other.cursor() as o:
        o.execute("SELECT id, bal FROM acct")
        seen["others_see_after_commit"] = o.fetchall()
    cur.execute("DELETE FROM acct")
    conn.rollback()
    cur.execute("SELECT id, bal FROM acct")
    seen["delete_rolled_back"] = cur.fetchall()
    cur.close()
    conn.commit()
    seen = {k: [list(r) for r in v] for k, v in seen.items()}
    assert seen["after_rollback"] == [[0]] and seen["delete_rolled_back"] == [[2, 150]], seen
    assert seen["others_see_before_commit"] == [[0]] and seen["others_see_after_commit"] == [[2, 150]], seen
    return plain(seen)


@pytest.mark.parametrize("driver", DRIVERS)
def test_transactions_with_autocommit_off(sides: Sides, connections: Any, driver: str) -> None:
    sides.compare(lambda target: run_scenario("transactions", driver, target, connections))

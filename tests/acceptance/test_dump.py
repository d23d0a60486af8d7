"""mariadb-dump and the mariadb command-line client: a database with foreign keys, indexes, BLOBs,
DECIMALs, DATETIMEs, NULLs and Unicode, dumped and restored.

- A dump made on MariaDB restores with the mariadb CLI into app as into MariaDB, with the same contents.
- mariadb-dump of each server's own copy of the database restores into that server, contents unchanged.
- mariadb-dump writes the same dump of app as of MariaDB (apart from the header's host and version),
  which is how SHOW CREATE TABLE and the rest of what it asks must look.

mariadb-dump runs with its defaults (--opt: DROP TABLE, LOCK TABLES, DISABLE KEYS, extended INSERTs,
BLOBs as escaped bytes, not hex), as people run it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from _harness import Sides, Target, plain, require_program, run_tool

SCHEMA = [
    """CREATE TABLE customer (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        name VARCHAR(100) NOT NULL,
        email VARCHAR(200) NULL,
        joined DATE NULL,
        UNIQUE KEY uq_customer_email (email),
        KEY ix_customer_name (name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""",
    """CREATE TABLE orders (
        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        customer_id INT NOT NULL,
        total DECIMAL(12,2) NOT NULL,
        rate DECIMAL(5,4) NULL,
        placed DATETIME NOT NULL,
        shipped DATETIME(6) NULL,
        note TEXT NULL,
        receipt BLOB NULL,
        KEY ix_orders_placed (placed),
        FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""",
]
ROWS = [
    ("INSERT INTO customer (id, name, email, joined) VALUES (%s, %s, %s, %s)", [
        (1, "Zoë 北京 🎉", "zoe@example.com", "2020-02-29"),
        (2, "O'Brien \\ \"quoted\"\nnewline\ttab", None, None),
        (3, "", "empty@example.com", "1000-01-01"),
    ]),
    ("INSERT INTO orders (id, customer_id, total, rate, placed, shipped, note, receipt) "
     "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", [
        (1, 1, "1234.56", "0.0825", "2024-02-29 23:59:58", "2024-03-01 00:00:00.123456", "first ✓", bytes(range(256))),
        (2, 1, "-0.01", None, "1999-12-31 23:59:59", None, None, None),
        (3, 2, "9999999999.99", "-9.9999", "2038-01-19 03:14:08", "9999-12-31 23:59:59.999999", "x" * 3000,
         b"\x00'\"\\\n\r\x1a\xff"),
        (4, 3, "0.00", "0.0000", "1970-01-01 00:00:01", None, "", b""),
    ]),
]
TABLES = ["customer", "orders"]


def fill(target: Target, database: str) -> None:
    conn = target.connect(database)
    with conn.cursor() as cur:
        for statement in SCHEMA:
            cur.execute(statement)
        for statement, rows in ROWS:
            cur.executemany(statement, rows)


def contents(target: Target, database: str) -> Any:
    """Every table's rows, typed, and whether its foreign key is still enforced after the restore."""
    conn = target.connect(database)
    seen: dict[str, Any] = {}
    with conn.cursor() as cur:
        cur.execute("SHOW TABLES")
        seen["tables"] = sorted(r[0] for r in cur.fetchall())
        for table in TABLES:
            cur.execute(f"SELECT * FROM {table} ORDER BY id")
            seen[table] = plain([list(r) for r in cur.fetchall()])
        try:
            cur.execute("INSERT INTO orders (customer_id, total, placed) VALUES (99, 1, '2024-01-01 00:00:00')")
            seen["orphan insert"] = "accepted"
        except Exception as e:
            seen["orphan insert"] = f"error {e.args[0]}"
    return seen


def dump(target: Target, database: str, path: Path) -> bytes:
    text = run_tool([require_program("mariadb-dump", "mariadb-client"), *target.cli_args(), database])
    path.write_bytes(text)
    return text


def restore(target: Target, database: str, path: Path) -> None:
    run_tool([require_program("mariadb", "mariadb-client"), *target.cli_args(), f"--database={database}"],
             stdin=path.read_bytes())


@pytest.fixture(autouse=True)
def _programs() -> None:
    require_program("mariadb-dump", "mariadb-client")
    require_program("mariadb", "mariadb-client")


def test_mariadb_dump_restores_into_app_and_mariadb(sides: Sides, tmp_path: Path) -> None:
    source = sides.mariadb or sides.app  # a MariaDB: the reference, or under the external factory the server itself
    source_db = source.create_database("src")
    fill(source, source_db)
    path = tmp_path / "mariadb.sql"
    dump(source, source_db, path)
    expected = contents(source, source_db)

    def scenario(target: Target) -> Any:
        restore(target, target.database, path)
        seen = contents(target, target.database)
        assert seen["tables"] == TABLES and seen["orphan insert"] == "error 1452", seen
        assert {k: v for k, v in seen.items() if k != "orphan insert"} == \
               {k: v for k, v in expected.items() if k != "orphan insert"}, "the restored rows differ from the source's"
        return seen

    sides.compare(scenario)


def test_dump_of_each_server_restores_into_it(sides: Sides, tmp_path: Path) -> None:
    def scenario(target: Target) -> Any:
        source_db = target.create_database("src")
        fill(target, source_db)
        dump(target, source_db, tmp_path / f"{target.side}.sql")
        restore(target, target.database, tmp_path / f"{target.side}.sql")
        seen = contents(target, target.database)
        assert seen == contents(target, source_db), "the restored copy differs from what was dumped"
        return seen

    sides.compare(scenario)


def normalized(text: bytes, target: Target) -> list[str]:
    """A dump's lines without those naming the server and the time ("-- Host: ...", "-- Dump completed on ...")."""
    lines = text.decode("utf-8", errors="backslashreplace").splitlines()
    return [line.replace(target.database, "<db>") for line in lines
            if not re.match(r"-- (Host|Server version|Dump completed|MariaDB dump|MySQL dump)", line)]


def test_dump_text_is_mariadbs(sides: Sides, tmp_path: Path) -> None:
    def scenario(target: Target) -> Any:
        fill(target, target.database)
        return normalized(dump(target, target.database, tmp_path / f"{target.side}.sql"), target)

    sides.compare(scenario, what="the text of the dump")

"""White-box tests of replication's SQL side: changesets captured on one engine, applied on another.

No server here: two engines over their own in-memory storage, driven by sessions as the
protocol would drive them, so a failure points at app.sql rather than the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.sql import Applier, Change, Engine, Storage


@pytest.fixture
def engines() -> Iterator[tuple[Engine, Engine, list[list[Change]]]]:
    primary, standby = Engine(Storage()), Engine(Storage())
    log: list[list[Change]] = []
    primary.commits.capture = True
    primary.commits.listeners.append(log.append)
    try:
        yield primary, standby, log
    finally:
        primary.close()
        standby.close()


def _run(engine: Engine, *statements: str) -> list[Any]:
    session = engine.new_session()
    try:
        return [session.execute(sql) for sql in statements]
    finally:
        session.close()


def _replay(standby: Engine, log: list[list[Change]]) -> None:
    applier = Applier(standby)
    for changes in log:
        applier.apply(changes)
    assert applier.conflicts == 0


def test_changesets_reproduce_rows_exactly_including_tables_without_a_key(
        engines: tuple[Engine, Engine, list[list[Change]]]) -> None:
    primary, standby, log = engines
    _run(primary, "CREATE DATABASE d", "USE d",
         "CREATE TABLE k (id INT PRIMARY KEY AUTO_INCREMENT, at DATETIME(6), r DOUBLE)",
         "CREATE TABLE nokey (v VARCHAR(10))",
         "INSERT INTO k (at, r) VALUES (NOW(6), RAND()), (NOW(6), RAND())",
         "INSERT INTO nokey VALUES ('a'), ('a'), ('b')",
         "UPDATE nokey SET v = 'c' WHERE v = 'b'",
         "DELETE FROM k WHERE id = 1")
    assert [c.kind for changes in log for c in changes] == [
        "create_database", "ddl", "ddl", "changeset", "changeset", "changeset", "changeset"]
    _replay(standby, log)
    assert standby.storage.checksum("d") == primary.storage.checksum("d")
    rows = standby.storage.get("d").anchor.execute("SELECT rowid, v FROM nokey ORDER BY rowid").fetchall()
    assert rows == [(1, "a"), (2, "a"), (3, "c")]


def test_a_transaction_over_two_databases_is_one_log_entry(engines: tuple[Engine, Engine, list[list[Change]]]) -> None:
    primary, _, log = engines
    _run(primary, "CREATE DATABASE a", "CREATE DATABASE b", "CREATE TABLE a.t (i INT PRIMARY KEY)",
         "CREATE TABLE b.t (i INT PRIMARY KEY)")
    log.clear()
    _run(primary, "BEGIN", "INSERT INTO a.t VALUES (1)", "INSERT INTO b.t VALUES (2)", "COMMIT")
    assert len(log) == 1 and {c.database for c in log[0]} == {"a", "b"}


def test_snapshot_replaces_and_drops_databases_and_keeps_sessions_current_database(
        engines: tuple[Engine, Engine, list[list[Change]]]) -> None:
    primary, standby, _ = engines
    _run(primary, "CREATE DATABASE keep", "CREATE TABLE keep.t (i INT PRIMARY KEY)", "INSERT INTO keep.t VALUES (7)")
    _run(standby, "CREATE DATABASE keep", "CREATE DATABASE stale")

    reader = standby.new_session()
    try:
        reader.execute("USE keep")
        with primary.commit_lock:
            images = Applier(primary).snapshot()
        Applier(standby).install(images)
        assert reader.execute("SELECT i FROM t").rows == [(7,)]
    finally:
        reader.close()
    assert standby.storage.names() == ["keep"]
    assert standby.storage.checksum("keep") == primary.storage.checksum("keep")

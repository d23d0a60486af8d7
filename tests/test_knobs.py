"""Testing knobs: typed per subsystem, declared where they are read, carried by TestServerArgs.knobs,
honoured by in-process servers and (through their configuration) by subprocess ones. And the
ack-writes timeout as a configuration key, kept across restarts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymysql
import pytest

from app import testingshim
from app.server._config import ConfigError, parse_config
from app.server._replstandby import ReplicationKnobs
from app.sql import StorageKnobs
from app.testingshim import TestClusterArgs, TestServerArgs, wait_for


def _exec(server: Any, sql: str, args: Any = None) -> None:
    conn = server.application_layer().sql_conn(autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
    finally:
        conn.close()


def _ids(server: Any, table: str = "t") -> list[int]:
    conn = server.application_layer().sql_conn(autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT id FROM {table} ORDER BY id")
            return [int(r[0]) for r in cur.fetchall()]
    finally:
        conn.close()


def _ids_or_none(server: Any) -> list[int] | None:
    try:
        return _ids(server)
    except pymysql.MySQLError:
        return None  # the table is not there yet


# -- the knobs themselves --------------------------------------------------------------------------


def test_knobs_are_typed_declared_by_their_subsystem_and_one_per_subsystem() -> None:
    from app.testingshim._knobs import knob_types

    types = knob_types()
    assert types["storage"] is StorageKnobs and StorageKnobs.__module__ == "app.sql._storage"
    assert types["replication"] is ReplicationKnobs and ReplicationKnobs.__module__ == "app.server._replstandby"
    args = TestServerArgs(knobs=(StorageKnobs(fail_commit=2),))
    assert args.knob(StorageKnobs) == StorageKnobs(fail_commit=2) and args.knob(ReplicationKnobs) is None
    with pytest.raises(ValueError, match="two knobs for subsystem 'storage'"):
        TestServerArgs(knobs=(StorageKnobs(), StorageKnobs(fail_commit=1)))
    with pytest.raises(TypeError, match="TestingKnobs instances"):
        TestServerArgs(knobs=({"storage": {}},))  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        StorageKnobs().fail_commit = 3  # type: ignore[misc]


def test_knobs_in_a_config_file_are_checked_with_the_line() -> None:
    cfg = parse_config("testing_knobs:\n  storage: {fail_commit: 3}\n  replication: {drop_acks: true}\n")
    assert cfg.knob(StorageKnobs) == StorageKnobs(fail_commit=3)
    assert cfg.knob(ReplicationKnobs) == ReplicationKnobs(drop_acks=True)
    for text, needles in {
        "testing_knobs:\n  disk: {full: true}\n": ("<config>:2:", "no testing knobs for subsystem 'disk'"),
        "testing_knobs:\n  storage:\n    fail_comit: 3\n": ("<config>:2:", "unknown knob storage.fail_comit"),
        "testing_knobs:\n  storage: {fail_commit: soon}\n": ("<config>:2:", "storage.fail_commit must be"),
        "testing_knobs:\n  replication: {drop_acks: 1}\n": ("replication.drop_acks must be",),
    }.items():
        with pytest.raises(ConfigError) as info:
            parse_config(text)
        assert all(n in str(info.value) for n in needles), (text, str(info.value))


# -- storage ---------------------------------------------------------------------------------------


@pytest.mark.app_server_args(knobs=(StorageKnobs(fail_commit=3),))
def test_storage_fail_commit_fails_the_nth_commit_as_a_full_disk(app_server: Any) -> None:
    conn = app_server.application_layer().sql_conn(autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")  # commit 1
        cur.execute("INSERT INTO t VALUES (1)")  # commit 2
        with pytest.raises(pymysql.MySQLError) as info:
            cur.execute("INSERT INTO t VALUES (2)")  # commit 3: the disk is full
        assert info.value.args == (1180, 'Got error 28 "No space left on device" during COMMIT')
        cur.execute("BEGIN")
        cur.execute("INSERT INTO t VALUES (3)")
        cur.execute("INSERT INTO t VALUES (4)")
        cur.execute("COMMIT")  # commit 4: fine again
    assert _ids(app_server) == [1, 3, 4]  # nothing of the failed commit landed


# -- replication -----------------------------------------------------------------------------------

def _cluster_args(standby: ReplicationKnobs, ack_timeout: float = 0.0) -> TestClusterArgs:
    return TestClusterArgs(server_args={1: TestServerArgs(knobs=(standby,))}, ack_writes_timeout_secs=ack_timeout)


def _status_error(cluster: Any) -> str:
    conn = cluster.server(0).application_layer().sql_conn(database="", autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT current_error FROM app_cluster.app_cluster_status WHERE current_error IS NOT NULL")
            return " ".join(str(r[0]) for r in cur.fetchall())
    finally:
        conn.close()


@pytest.mark.app_cluster(num_nodes=2, args=_cluster_args(ReplicationKnobs(pause_apply=True), ack_timeout=0.5))
def test_replication_pause_apply_holds_entries_and_commits_wait_out_the_ack_timeout(app_cluster: Any) -> None:
    primary, standby = app_cluster.server(0), app_cluster.server(1)
    _exec(primary, "CREATE TABLE t (id INT PRIMARY KEY)")
    wait_for(lambda: "did not acknowledge" in _status_error(app_cluster), timeout=10,
             what="the primary to mark the paused standby as lagging")
    _exec(primary, "INSERT INTO t VALUES (1)")
    pos, _ = app_cluster.position(0)
    assert app_cluster.position(1)[0] < pos
    with pytest.raises(pymysql.MySQLError):  # the standby never applied the table
        _ids(standby)


@pytest.mark.app_cluster(num_nodes=2, args=_cluster_args(ReplicationKnobs(drop_acks=True), ack_timeout=0.5))
def test_replication_drop_acks_applies_but_never_acknowledges(app_cluster: Any) -> None:
    primary, standby = app_cluster.server(0), app_cluster.server(1)
    _exec(primary, "CREATE TABLE t (id INT PRIMARY KEY)")
    _exec(primary, "INSERT INTO t VALUES (1)")
    # A commit waited out the ack timeout (the first one the standby received) and marked it lagging.
    assert "did not acknowledge" in _status_error(app_cluster)
    wait_for(lambda: _ids_or_none(standby) == [1], timeout=10,
             what="the standby to apply the row it does not acknowledge")


@pytest.mark.app_cluster(num_nodes=2, args=_cluster_args(ReplicationKnobs(fail_after_entries=2)))
def test_replication_fail_after_entries_stops_applying_with_an_error(app_cluster: Any) -> None:
    primary, standby = app_cluster.server(0), app_cluster.server(1)
    # Entries 1 and 2 apply: the default database (unless the standby got it in its first snapshot, as the
    # race of their starts has it) and the table, or the table and the first row. Then applying fails.
    _exec(primary, "CREATE TABLE t (id INT PRIMARY KEY)")
    for i in (1, 2, 3):
        _exec(primary, "INSERT INTO t VALUES (%s)", (i,))
    wait_for(lambda: "fail_after_entries" in _status_error(app_cluster), timeout=10,
             what="the primary to report the standby's apply error")
    assert _ids_or_none(standby) in ([], [1]), "the standby applied past the entries its knob allows"


@pytest.mark.app_cluster(num_nodes=2, args=_cluster_args(ReplicationKnobs(ack_without_apply=3), ack_timeout=5))
def test_replication_ack_without_apply_plants_a_lost_acknowledged_write(app_cluster: Any) -> None:
    primary, standby = app_cluster.server(0), app_cluster.server(1)
    # Entry 1 or 2 (the default database reaches the standby in its snapshot or as an entry, as the race
    # of their starts has it); so entry 3 is the first or the second insert.
    _exec(primary, "CREATE TABLE t (id INT PRIMARY KEY)")
    for i in range(1, 6):
        _exec(primary, "INSERT INTO t VALUES (%s)", (i,))  # each acknowledged: the commit returned
    app_cluster.wait_for_replication()  # positions agree...
    have = _ids(standby)
    missing = sorted(set(range(1, 6)) - set(have))
    assert len(missing) == 1 and missing[0] in (1, 2), have  # ...but one acknowledged row is not there


# -- the ack-writes timeout: a configuration key, kept across restarts ---------------------------------


@pytest.fixture
def durable_cluster(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A cluster whose nodes keep their data (and cluster state) in directories: restarts keep both."""
    num_nodes, timeout = request.param
    args = TestClusterArgs(default=TestServerArgs(data_dir=str(tmp_path / "data")), ack_writes_timeout_secs=timeout)
    with testingshim.start_cluster(num_nodes, args) as cluster:
        yield cluster


@pytest.mark.parametrize("durable_cluster", [(2, 7)], indirect=True, ids=["2 nodes"])
def test_ack_timeout_comes_from_config_and_a_set_global_survives_restart(durable_cluster: Any) -> None:
    app_cluster = durable_cluster
    assert float(app_cluster.server(0).system_layer().setting("app_cluster_ack_writes_timeout_secs")) == 7
    app_cluster.server(1).system_layer().set_setting("app_cluster_ack_writes_timeout_secs", 3)
    app_cluster.restart_server(0)
    app_cluster.restart_server(1)
    assert float(app_cluster.server(0).system_layer().setting("app_cluster_ack_writes_timeout_secs")) == 7
    assert float(app_cluster.server(1).system_layer().setting("app_cluster_ack_writes_timeout_secs")) == 3


def test_config_refuses_a_bad_ack_timeout() -> None:
    with pytest.raises(ConfigError, match=r"<config>:2: cluster.ack_writes_timeout_secs: expected a number"):
        parse_config("cluster:\n  ack_writes_timeout_secs: -1\n")


@pytest.mark.parametrize("durable_cluster", [(3, 10)], indirect=True, ids=["3 nodes"])
def test_acknowledged_commits_survive_a_primary_restart_then_failover(durable_cluster: Any) -> None:
    """The regression: after the primary restarted, its ack timeout was 0 again, so commits returned
    before any standby had them, and a failover after killing it lost acknowledged commits."""
    app_cluster = durable_cluster
    primary = app_cluster.server(0)
    app_cluster.restart_server(0)
    assert float(primary.system_layer().setting("app_cluster_ack_writes_timeout_secs")) == 10
    writers = app_cluster.start_writers(1, table="w")
    wait_for(lambda: writers.acknowledged >= 200, timeout=60, what="200 acknowledged writes")
    app_cluster.kill_server(0)
    history = writers.stop()
    app_cluster.failover(to=1)
    assert len(history.acknowledged) >= 200
    history.assert_no_lost_writes(app_cluster)  # on the new primary and the other standby


def test_external_skips_a_test_with_knobs(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.testing import ExternalFactory

    monkeypatch.setenv("APP_TEST_MYSQL_URL", "mysql://root@127.0.0.1:1")
    with pytest.raises(testingshim.RequirementNotMet, match="testing knobs"):
        ExternalFactory().new_server(TestServerArgs(knobs=(StorageKnobs(fail_commit=1),)), name="external")

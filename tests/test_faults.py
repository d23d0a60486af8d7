"""Faults on clusters (partition, heal, delay, freeze, thaw), a write workload with a history, and the
lost-write check: the replication semantics README promises, proved under faults, under both factories.

Nothing sleeps to wait: progress is awaited on the writers' acknowledged count or on the nodes'
positions and roles, each with a deadline.
"""

from __future__ import annotations

import time
from typing import Any

import pymysql
import pytest

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


def _count(server: Any, table: str = "t") -> int:
    conn = server.application_layer().sql_conn(autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            return int(cur.fetchone()[0])
    finally:
        conn.close()


def _progress(writers: Any, more: int, what: str) -> None:
    """Wait until the writers got `more` further writes acknowledged."""
    target = writers.acknowledged + more
    wait_for(lambda: writers.acknowledged >= target, timeout=60, what=f"{more} more acknowledged writes {what}")


@pytest.mark.app_cluster(num_nodes=3)
def test_partition_stops_replication_across_groups_and_heal_resumes_it(app_cluster: Any) -> None:
    primary = app_cluster.server(0)
    _exec(primary, "CREATE TABLE t (id INT PRIMARY KEY)")
    app_cluster.wait_for_replication()
    app_cluster.partition([0, 1], [2])
    for i in range(5):
        _exec(primary, "INSERT INTO t VALUES (%s)", (i,))
    pos, _ = app_cluster.position(0)
    wait_for(lambda: app_cluster.position(1)[0] == pos, timeout=15, what="node 1, on the primary's side, to apply")
    assert _count(app_cluster.server(1)) == 5
    assert app_cluster.position(2)[0] < pos and _count(app_cluster.server(2)) == 0  # cut off
    with pytest.raises(Exception, match="node 2"):
        app_cluster.wait_for_replication(timeout=0.5)  # says which node is behind
    app_cluster.heal()
    app_cluster.wait_for_replication()
    assert _count(app_cluster.server(2)) == 5


@pytest.mark.app_cluster(num_nodes=2, args=TestClusterArgs(ack_writes_timeout_secs=10))
def test_delay_slows_the_link_and_heal_removes_it(app_cluster: Any) -> None:
    primary = app_cluster.server(0)
    _exec(primary, "CREATE TABLE t (id INT PRIMARY KEY)")
    app_cluster.delay(0, 1, 0.3)
    began = time.monotonic()
    _exec(primary, "INSERT INTO t VALUES (1)")  # waits for the standby's ack: the entry arrives 0.3 s late
    assert time.monotonic() - began >= 0.3
    app_cluster.heal()
    began = time.monotonic()
    _exec(primary, "INSERT INTO t VALUES (2)")
    assert time.monotonic() - began < 0.3 * 5, "heal() should have removed the delay"
    assert _count(app_cluster.server(1)) == 2


@pytest.mark.app_cluster(num_nodes=3, args=TestClusterArgs(ack_writes_timeout_secs=0.5))
def test_a_partitioned_standby_with_an_ack_timeout_loses_no_acknowledged_write(app_cluster: Any) -> None:
    writers = app_cluster.start_writers(3)
    try:
        _progress(writers, 20, "before the partition")
        app_cluster.partition([0, 1], [2])  # node 2 is cut off: commits wait 0.5 s once, then stop waiting
        _progress(writers, 50, "during the partition")
        app_cluster.heal()
        _progress(writers, 20, "after healing")
    finally:
        history = writers.stop()
    assert history.acknowledged and not history.unknown, history.summary()
    history.assert_no_lost_writes(app_cluster)  # node 2 caught up with all of them


@pytest.mark.app_cluster(num_nodes=3, args=TestClusterArgs(ack_writes_timeout_secs=5))
def test_a_frozen_primary_fails_over_and_thaws_back_as_a_standby(app_cluster: Any) -> None:
    writers = app_cluster.start_writers(2)
    try:
        _progress(writers, 20, "before the freeze")
        app_cluster.freeze_server(0)
        app_cluster.failover(to=1)  # node 0 answers nothing: only node 1 is promoted
        _progress(writers, 20, "on the new primary")
        app_cluster.thaw_server(0)  # it meets the higher epoch and steps down
        wait_for(lambda: app_cluster.roles()[0] == ("standby", 2), timeout=30,
                 what="the thawed old primary to become a standby")
        _progress(writers, 10, "after the thaw")
    finally:
        history = writers.stop()
    assert {w.node for w in history.acknowledged} == {0, 1}, history.summary()
    history.assert_no_lost_writes(app_cluster)


@pytest.mark.app_cluster(num_nodes=3, args=TestClusterArgs(ack_writes_timeout_secs=0.5))
def test_a_failover_during_a_partition_keeps_every_write_the_majority_acknowledged(app_cluster: Any) -> None:
    """The isolated old primary keeps acknowledging after its ack timeout (README: commits stop waiting
    for a lagging standby); those writes are lost when it heals back as a standby. Every other
    acknowledged write survives."""
    writers = app_cluster.start_writers(2)
    try:
        _progress(writers, 20, "before the partition")
        cut_at = time.monotonic()
        app_cluster.partition([0], [1, 2])
        app_cluster.failover(to=1, demote=False)  # the operator cannot reach node 0's standbys from it
        _progress(writers, 20, "on the new primary")
        app_cluster.heal()
        wait_for(lambda: app_cluster.roles()[0] == ("standby", 2), timeout=30,
                 what="the old primary, healed, to become a standby")
        _progress(writers, 10, "after healing")
    finally:
        history = writers.stop()
    lost = {w.id: w for ws in history.lost_writes(app_cluster).values() for w in ws}
    began = writers_began(history, cut_at)
    assert all(w.node == 0 and w.ended >= began for w in lost.values()), \
        "only writes the isolated old primary acknowledged after the partition may be lost: " + \
        "; ".join(str(w) for w in lost.values())
    assert any(w.node == 1 for w in history.acknowledged), history.summary()


def writers_began(history: Any, cut_at: float) -> float:
    """The partition's time on the history's clock (seconds since the writers started)."""
    if not history.writes:
        return 0.0
    # History times count from the writers' start; the latest write ended before the call returned.
    last = history.writes[-1]
    return last.ended - (time.monotonic() - cut_at) - 1.0  # a second of slack for the clocks' offset


@pytest.mark.app_cluster(num_nodes=2, args=TestClusterArgs(
    server_args={1: TestServerArgs(knobs=(ReplicationKnobs(ack_without_apply=25),))}, ack_writes_timeout_secs=5))
def test_assert_no_lost_writes_catches_a_planted_loss(app_cluster: Any) -> None:
    writers = app_cluster.start_writers(1)
    try:
        _progress(writers, 40, "past the planted loss")
    finally:
        history = writers.stop()
    with pytest.raises(AssertionError) as info:
        history.assert_no_lost_writes(app_cluster)
    text = str(info.value)
    assert "node 1 (standby) lacks acknowledged writes (1):" in text and "acknowledged by node 0 at" in text, text
    lost = history.lost_writes(app_cluster)
    assert list(lost) == [1] and len(lost[1]) == 1


@pytest.mark.app_cluster(num_nodes=2, args=TestClusterArgs(
    server_args={0: TestServerArgs(knobs=(StorageKnobs(error_after_commit=30),))}, ack_writes_timeout_secs=5))
def test_assert_no_lost_writes_catches_a_failed_write_that_appears(app_cluster: Any) -> None:
    """Jepsen's fail: an error that means nothing was written. The planted lie (the 30th commit is made,
    then reported as a full disk) must be caught on both nodes; the writes of unknown outcome are not."""
    writers = app_cluster.start_writers(1)
    try:
        _progress(writers, 40, "past the planted failure")
    finally:
        history = writers.stop()
    failed = [w for w in history.failed if w.error and w.error.startswith("1180")]
    assert len(failed) == 1, history.summary()
    with pytest.raises(AssertionError) as info:
        history.assert_no_lost_writes(app_cluster)
    text = str(info.value)
    for node, role in ((0, "primary"), (1, "standby")):
        assert f"node {node} ({role}) holds failed writes (1):" in text, text
    assert f"write #{failed[0].id} (writer 0): refused by node 0" in text and "lacks" not in text, text
    assert history.unexpected_writes(app_cluster) == {0: failed, 1: failed}
    assert history.lost_writes(app_cluster) == {}


@pytest.mark.app_cluster(num_nodes=2)
def test_fault_calls_check_their_nodes(app_cluster: Any) -> None:
    with pytest.raises(ValueError, match="no node 5"):
        app_cluster.partition([0], [5])
    with pytest.raises(ValueError, match="negative"):
        app_cluster.delay(0, 1, -1)
    with pytest.raises(ValueError, match="at least one writer"):
        app_cluster.start_writers(0)
    app_cluster.freeze_server(0)
    try:
        assert app_cluster.running() == [1]
        with pytest.raises(pymysql.MySQLError):  # no write completes on a frozen node
            conn = app_cluster.server(0).application_layer().sql_conn(connect_timeout=0.5, read_timeout=0.5,
                                                                        autocommit=True)
            with conn.cursor() as cur:
                cur.execute("CREATE TABLE frozen (id INT)")
    finally:
        app_cluster.thaw_server(0)
    app_cluster.wait_for_replication()

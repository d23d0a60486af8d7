"""A write workload with a history, and the check that no acknowledged write was lost and no failed
write appeared (Jepsen's set checker, in pytest).

`TestCluster.start_writers(n)` starts n clients that insert numbered rows into one table on the
current primary, following failovers; `stop()` ends them and returns the `History`. Each write has
one of Jepsen's three outcomes:
- `acknowledged` (Jepsen's ok): the commit returned; the write must be there, for good;
- `failed` (Jepsen's fail): the server answered with an error that means nothing was written (a
  read-only standby's 1290, a lock timeout, a full disk's 1180); the write must never appear;
- `unknown` (Jepsen's info, indeterminate): the connection broke while the statement was in flight,
  or the error is one that can end a statement after its commit (shutdown, KILL, a statement
  timeout while the commit waits for standbys); the write may or may not be there.
`History.assert_no_lost_writes(cluster)` then checks, on the current primary and, once replicated,
on every running standby, that every acknowledged write is there and no failed one is, and names
each offending write with when and by which node it was answered.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal, final

from app.testingshim import scaled

Outcome = Literal["acknowledged", "failed", "unknown"]
# The connection broke while the statement was in flight: it may or may not have committed.
_IN_FLIGHT = frozenset({2006, 2013})
# Server errors that can end a statement after its commit was made (while the commit waits for the
# standbys' acks): shutdown in progress, query interrupted, connection killed, max_statement_time.
_MAYBE_COMMITTED = frozenset({1053, 1317, 1927, 1969})


@final
@dataclass(frozen=True)
class Write:
    """One write of the history; times are seconds since the writers started."""

    id: int
    writer: int
    node: int | None
    outcome: Outcome
    started: float
    ended: float
    error: str | None = None

    def __str__(self) -> str:
        where = f"node {self.node}" if self.node is not None else "no node"
        what = {"acknowledged": "acknowledged by", "failed": "refused by", "unknown": "unknown outcome on"}
        tail = f" ({self.error})" if self.error else ""
        return f"write #{self.id} (writer {self.writer}): {what[self.outcome]} {where} at {self.ended:.3f}s{tail}"


@final
class History:
    """What the writers did, in the order the writes ended."""

    __test__ = False

    def __init__(self, writes: list[Write], database: str, table: str) -> None:
        self.writes = tuple(sorted(writes, key=lambda w: (w.ended, w.id)))
        self.database = database
        self.table = table

    def _with(self, outcome: Outcome) -> list[Write]:
        return [w for w in self.writes if w.outcome == outcome]

    @property
    def acknowledged(self) -> list[Write]:
        return self._with("acknowledged")

    @property
    def failed(self) -> list[Write]:
        return self._with("failed")

    @property
    def unknown(self) -> list[Write]:
        return self._with("unknown")

    def summary(self) -> str:
        return (f"{len(self.writes)} writes: {len(self.acknowledged)} acknowledged, {len(self.failed)} failed, "
                f"{len(self.unknown)} unknown")

    def lost_writes(self, cluster: Any, timeout: float | None = None) -> dict[int, list[Write]]:
        """Per running node, the acknowledged writes it does not hold (after waiting for replication)."""
        return self._check(cluster, timeout)[0]

    def unexpected_writes(self, cluster: Any, timeout: float | None = None) -> dict[int, list[Write]]:
        """Per running node, the failed writes it holds all the same (after waiting for replication)."""
        return self._check(cluster, timeout)[1]

    def _check(self, cluster: Any, timeout: float | None) -> tuple[dict[int, list[Write]], dict[int, list[Write]]]:
        cluster.wait_for_replication(timeout)
        lost: dict[int, list[Write]] = {}
        unexpected: dict[int, list[Write]] = {}
        for i in cluster.running():
            rows = cluster.server(i).admin_rows(f"SELECT id FROM `{self.database}`.`{self.table}`")
            have = {int(r[0]) for r in rows}
            missing = [w for w in self.acknowledged if w.id not in have]
            if missing:
                lost[i] = missing
            appeared = [w for w in self.failed if w.id in have]
            if appeared:
                unexpected[i] = appeared
        return lost, unexpected

    # `cluster` is app's TestCluster (typed Any: _testclusters imports this module).
    def assert_no_lost_writes(self, cluster: Any, timeout: float | None = None) -> None:
        """Every acknowledged write is on the current primary and on every running standby, and no
        write that failed (the client got an error meaning nothing was written) is on any of them.

        Waits for replication first (so heal partitions and thaw nodes before calling it). Fails
        naming each offending write, when it was answered and by which node. Writes of unknown
        outcome may be there or not.
        """
        __tracebackhide__ = True
        lost, unexpected = self._check(cluster, timeout)
        if lost or unexpected:
            primary = cluster.primary()
            lines = [f"the history does not hold ({self.summary()}):"]
            for title, found in (("lacks acknowledged writes", lost), ("holds failed writes", unexpected)):
                for i, writes in sorted(found.items()):
                    role = "primary" if i == primary else "standby"
                    lines.append(f"  node {i} ({role}) {title} ({len(writes)}):")
                    lines += [f"    {w}" for w in writes[:20]]
                    if len(writes) > 20:
                        lines.append(f"    ... and {len(writes) - 20} more")
            raise AssertionError("\n".join(lines))


@final
class Writers:
    """Running writer threads; `stop()` gives their History."""

    def __init__(self, cluster: Any, n: int, database: str, table: str) -> None:
        self._cluster = cluster
        self.database = database
        self.table = table
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._writes: list[Write] = []
        self._primary: int | None = None
        self._began = time.monotonic()
        self._threads = [threading.Thread(target=self._run, args=(w,), name=f"app-writer-{w}", daemon=True)
                         for w in range(n)]

    @classmethod
    def start(cls, cluster: Any, n: int, table: str) -> Writers:
        if n < 1:
            raise ValueError(f"start_writers needs at least one writer, not {n}")
        primary = cluster.primary()
        database = cluster.server(primary).args.database
        cluster.server(primary).admin_query(
            f"CREATE TABLE IF NOT EXISTS `{database}`.`{table}` (id BIGINT PRIMARY KEY, writer INT, node INT)")
        writers = cls(cluster, n, database, table)
        writers._primary = primary
        for thread in writers._threads:
            thread.start()
        return writers

    @property
    def acknowledged(self) -> int:
        """How many writes were acknowledged so far (for waiting on progress)."""
        with self._lock:
            return sum(w.outcome == "acknowledged" for w in self._writes)

    def stop(self) -> History:
        """End the writers (each finishes its write in flight) and return the history."""
        self._stop.set()
        for thread in self._threads:
            thread.join(scaled(30))
        alive = [t.name for t in self._threads if t.is_alive()]
        if alive:
            raise RuntimeError(f"writers did not stop within {scaled(30):.0f}s: {alive}")
        with self._lock:
            return History(list(self._writes), self.database, self.table)

    # -- one writer ----------------------------------------------------------------------------

    def _current_primary(self, stale: int | None) -> int | None:
        """The primary to write to; looked up again when `stale` (the node that failed us) is it."""
        with self._lock:
            if self._primary is not None and self._primary != stale:
                return self._primary
        try:
            primary = int(self._cluster.primary())
        except Exception:  # no primary right now (a failover in progress, nodes down): try again shortly
            return None
        with self._lock:
            self._primary = primary
        return primary

    def _record(self, write: Write) -> None:
        with self._lock:
            self._writes.append(write)

    def _run(self, writer: int) -> None:
        import pymysql

        conn: Any = None
        conn_node: int | None = None
        stale: int | None = None
        backoff = 0.005
        try:
            while not self._stop.is_set():
                node = self._current_primary(stale)
                if node is None:
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, 0.2)
                    continue
                if conn is None or conn_node != node:
                    _close(conn)
                    conn, conn_node = None, node
                    try:
                        conn = self._cluster.server(node).connect(
                            database=self.database, autocommit=True, connect_timeout=scaled(2),
                            read_timeout=scaled(5), write_timeout=scaled(5))
                    except Exception:
                        stale = node  # down, frozen, or changing role: ask again who is primary
                        self._stop.wait(backoff)
                        backoff = min(backoff * 2, 0.2)
                        continue
                with self._lock:
                    write_id = next(self._ids)
                started = time.monotonic() - self._began
                try:
                    with conn.cursor() as cur:
                        cur.execute(f"INSERT INTO `{self.table}` VALUES (%s, %s, %s)", (write_id, writer, node))
                except pymysql.err.MySQLError as e:
                    code = e.args[0] if e.args else None
                    indeterminate = code in _MAYBE_COMMITTED or (
                        isinstance(e, pymysql.err.OperationalError) and code in _IN_FLIGHT)
                    message = e.args[1] if len(e.args) > 1 else e
                    self._record(Write(write_id, writer, node, "unknown" if indeterminate else "failed", started,
                                       time.monotonic() - self._began, f"{code}: {message}"))
                    _close(conn)
                    conn, stale = None, node
                    self._stop.wait(backoff)  # a read-only node refuses at once: do not spin on it
                    backoff = min(backoff * 2, 0.2)
                    continue
                except Exception as e:  # the socket itself broke mid-statement
                    self._record(Write(write_id, writer, node, "unknown", started, time.monotonic() - self._began,
                                       f"{type(e).__name__}: {e}"))
                    _close(conn)
                    conn, stale = None, node
                    self._stop.wait(backoff)
                    backoff = min(backoff * 2, 0.2)
                    continue
                self._record(Write(write_id, writer, node, "acknowledged", started, time.monotonic() - self._began))
                stale, backoff = None, 0.005
        finally:
            _close(conn)


def _close(conn: Any) -> None:
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.close()

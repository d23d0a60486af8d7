"""TestCluster: N nodes from one test server factory, node 0 primary, the others its standbys.

The cluster is built on the test servers' own lifecycle (start, stop, restart, kill),
so it works the same over the in-process and the subprocess factory; everything it
asks of a node goes over SQL (`@@GLOBAL.app_cluster_*`, `CALL app_assume_cluster_role`,
`CALL app_cluster_wait_for_position`), which the nodes answer alike in both modes.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import secrets
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from app._faultproxy import Network
from app._ports import free_port
from app.testingshim import TestClusterArgs, TestServerArgs, WaitTimeout, scaled

from ._replstandby import ReplicationKnobs
from ._subprocess import SubprocessFactory, SubprocessTestServer
from ._testservers import InProcessFactory, InProcessTestServer
from ._workload import Writers

Server = InProcessTestServer | SubprocessTestServer


class TestCluster:
    """A started cluster of test servers (see `app.testingshim.TestCluster`)."""

    __test__ = False

    def __init__(self, new_server: Callable[[TestServerArgs], Server], num_nodes: int, args: TestClusterArgs,
                 name: str) -> None:
        if num_nodes < 1:
            raise ValueError(f"a cluster needs at least one node, not {num_nodes}")
        self._new_server = new_server
        self._args = args
        self.factory_name = name
        self._ports = [free_port() for _ in range(num_nodes)]
        self._secret = secrets.token_hex(16)  # this cluster's own: nodes of two test clusters never talk
        # Every replication link goes through a proxy of the framework's: the path faults act on.
        self.network = Network()
        self._servers = [new_server(self._node_args(i)) for i in range(num_nodes)]
        self._up: set[int] = set()
        self._frozen: set[int] = set()

    @property
    def num_nodes(self) -> int:
        return len(self._servers)

    @property
    def args(self) -> TestClusterArgs:
        return self._args

    def remotesapi_port(self, i: int) -> int:
        """The replication endpoint port of node `i`."""
        return self._ports[i]

    def _node_args(self, i: int) -> TestServerArgs:
        base = self._args.for_node(i)
        config = dict(base.config)
        config["cluster"] = {
            "standby_remotes": [{"name": f"node{j}", "remote_url_template":
                                 f"http://127.0.0.1:{self.network.link(f'node{i}', f'node{j}', ('127.0.0.1', port))}"
                                 "/{database}"}
                                for j, port in enumerate(self._ports) if j != i],
            "bootstrap_role": "primary" if i == 0 else "standby",
            "bootstrap_epoch": 1,
            "remotesapi": {"port": self._ports[i]},
            "ack_writes_timeout_secs": self._args.ack_writes_timeout_secs,
            "secret": self._secret,  # the cluster's credentials (see app.server._peerauth)
            **self._peer_tls(),
            **dict(base.config.get("cluster", {})),  # a test may override any of it
        }
        data_dir = base.data_dir
        if data_dir is not None and sum(self._args.for_node(j).data_dir == data_dir
                                        for j in range(len(self._ports))) > 1:
            data_dir = os.path.join(data_dir, f"node{i}")  # nodes never share a data directory
        return dataclasses.replace(base, config=config, data_dir=data_dir,
                                   start_timeout=max(base.start_timeout, self._args.start_timeout))

    def _peer_tls(self) -> dict[str, Any]:
        """Mutual TLS with the run's test CA on the replication links, when every node is secure."""
        if not all(self._args.for_node(j).secure for j in range(len(self._ports))):
            return {}
        from app._certs import run_certificates

        return {"tls": run_certificates().server_config()}

    def server(self, i: int) -> Server:
        return self._servers[i]

    def log_text(self) -> str:
        """Every node's log, each line prefixed with its node (shown for a failing test)."""
        return "\n".join(f"[node{i}] {line}" for i, server in enumerate(self._servers)
                         for line in server.log_text().splitlines())

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start every node in parallel; ready once each standby applied the primary's state."""
        try:
            self._each(range(self.num_nodes), self._start_node)
            self.wait_for_replication(self._args.start_timeout)
        except BaseException:
            self.stop()
            raise

    def _start_node(self, i: int) -> None:
        self._servers[i].start()
        self._up.add(i)

    def _each(self, nodes: Any, fn: Callable[[int], None]) -> None:
        nodes = list(nodes)
        if len(nodes) == 1:
            fn(nodes[0])
            return
        with concurrent.futures.ThreadPoolExecutor(len(nodes), thread_name_prefix="app-cluster") as pool:
            for fut in [pool.submit(fn, i) for i in nodes]:
                fut.result()

    def stop(self) -> None:
        """Stop every node (idempotent), and the proxies between them."""
        try:
            self._each(range(self.num_nodes), self.stop_server)
        finally:
            self.network.close()

    def stop_server(self, i: int) -> None:
        """Graceful stop of node `i` (thawed first if frozen)."""
        self.thaw_server(i)
        self._up.discard(i)
        self._servers[i].stop()

    def kill_server(self, i: int) -> None:
        """Node `i` dies without shutdown work (SIGKILL, or its in-process equivalent)."""
        self.thaw_server(i)
        self._up.discard(i)
        self._servers[i].kill()

    # -- faults --------------------------------------------------------------------------------

    def partition(self, *groups: Sequence[int]) -> None:
        """Cut every replication link between nodes of different groups: `partition([0], [1, 2])`.

        Links inside a group work; a node in no group is cut off from all. `heal()` ends it.
        """
        for group in groups:
            for i in group:
                self._check_node(i)
        self.network.partition([[f"node{i}" for i in group] for group in groups])

    def heal(self) -> None:
        """Restore every replication link and remove every delay."""
        self.network.heal()

    def delay(self, a: int, b: int, seconds: float) -> None:
        """Bytes from node `a` to node `b` arrive `seconds` later (0 removes the delay); see `heal()`."""
        self._check_node(a)
        self._check_node(b)
        self.network.set_delay(f"node{a}", f"node{b}", seconds)

    def freeze_server(self, i: int) -> None:
        """Stop node `i` without killing it until `thaw_server(i)`: SIGSTOP; in process, its event loop
        held and its frontend frozen (nothing replicates, nothing answers)."""
        self._check_node(i)
        if i in self._up and i not in self._frozen:
            self._servers[i].freeze()
            self._frozen.add(i)

    def thaw_server(self, i: int) -> None:
        """Resume a frozen node (SIGCONT): it carries on where it stood."""
        if i in self._frozen:
            self._frozen.discard(i)
            self._servers[i].thaw()

    def _check_node(self, i: int) -> None:
        if not 0 <= i < self.num_nodes:
            raise ValueError(f"no node {i}; the cluster has nodes 0..{self.num_nodes - 1}")

    def start_writers(self, n: int = 1, *, table: str = "app_writes") -> Writers:
        """Start `n` clients writing numbered rows to the current primary, following failovers.

        `stop()` on the handle ends them and gives the `History` (acknowledged, failed, unknown per
        write), whose `assert_no_lost_writes(cluster)` checks every acknowledged write is everywhere.
        """
        return Writers.start(self, n, table)

    def restart_server(self, i: int) -> None:
        """Start node `i` again (stopping it first if it runs); in-process nodes keep in-memory data."""
        self.thaw_server(i)
        server = self._servers[i]
        if i in self._up:
            self._up.discard(i)
            server.restart()
            self._up.add(i)
        else:
            self._start_node(i)

    def __enter__(self) -> TestCluster:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- roles and replication -----------------------------------------------------------------

    def _query(self, i: int, sql: str, args: Any = None) -> tuple[Any, ...]:
        """One row of an admin statement on node `i`, riding through the role changes it may be in."""
        return self._servers[i].admin_query(sql, args)

    def running(self) -> list[int]:
        """The nodes that run and are not frozen (the ones that can answer)."""
        return sorted(self._up - self._frozen)

    def roles(self) -> dict[int, tuple[str, int]]:
        """(role, epoch) of every running node (frozen ones cannot say)."""
        out = {}
        for i in self.running():
            role, epoch = self._query(i, "SELECT @@GLOBAL.app_cluster_role, @@GLOBAL.app_cluster_role_epoch")
            out[i] = (str(role), int(epoch))
        return out

    def primary(self) -> int:
        """The running node that is primary at the highest epoch."""
        primaries = [(epoch, i) for i, (role, epoch) in self.roles().items() if role == "primary"]
        if not primaries:
            raise LookupError(f"no running node is primary; roles: {self.roles()}")
        return max(primaries)[1]

    def position(self, i: int) -> tuple[int, str]:
        """(replication position, log id) of node `i`."""
        pos, log_id = self._query(i, "SELECT @@GLOBAL.app_cluster_replication_position, "
                                     "@@GLOBAL.app_cluster_replication_log_id")
        return int(pos), str(log_id)

    def wait_for_replication(self, timeout: float | None = None) -> None:
        """Return once every running standby applied the primary's current position (a standby whose
        knobs pause applying is not waited for)."""
        seconds = scaled(15.0 if timeout is None else timeout)
        deadline = time.monotonic() + seconds
        p = self.primary()
        pos, log_id = self.position(p)
        for i in sorted(set(self.running()) - {p} - self._paused()):
            remaining = max(0.01, deadline - time.monotonic())
            try:
                self._query(i, "CALL app_cluster_wait_for_position(%s, %s, %s)", (pos, remaining, log_id))
            except Exception as e:
                import pymysql

                if not isinstance(e, pymysql.MySQLError):
                    raise
                have, have_log = self.position(i)
                behind = f"{pos - have} commit(s) behind" if have_log == log_id else "on another log (no snapshot yet)"
                status = "; ".join(f"{remote}: {error or 'ok'}" for remote, error in self._status(p))
                raise WaitTimeout(f"node {i} to apply the primary's (node {p}) position {pos} of log {log_id}",
                                  seconds, f"it is at position {have} of log {have_log or '-'}, {behind}; "
                                           f"the primary's view of its standbys: {status}") from None

    def _paused(self) -> set[int]:
        """Nodes whose testing knobs hold every entry (ReplicationKnobs.pause_apply): never caught up."""
        return {i for i in range(self.num_nodes)
                if (knobs := self._args.for_node(i).knob(ReplicationKnobs)) is not None and knobs.pause_apply}

    def _status(self, i: int) -> list[tuple[Any, ...]]:
        return self._servers[i].admin_rows("SELECT DISTINCT standby_remote, current_error "
                                           "FROM app_cluster.app_cluster_status")

    def failover(self, to: int, *, demote: bool = True) -> None:
        """Make node `to` the primary at a new epoch, demoting the running primary first.

        `demote=False` only promotes: what an operator does when the old primary is cut off (its
        demotion would wait for standbys it cannot reach); it steps down when it meets the new epoch.
        """
        roles = self.roles()
        if to not in roles:
            raise ValueError(f"node {to} is not running (or frozen); start it with restart_server({to}) first")
        epoch = max(e for _, e in roles.values()) + 1
        for i, (role, _) in roles.items():
            if demote and role == "primary" and i != to:
                self._query(i, "CALL app_assume_cluster_role('standby', %s)", (epoch,))
        self._query(to, "CALL app_assume_cluster_role('primary', %s)", (epoch,))


class InProcessClusterFactory:
    """Cluster nodes in the test's own process."""

    capabilities = InProcessTestServer.capabilities

    def new_cluster(self, num_nodes: int, args: TestClusterArgs, *, name: str = "inprocess") -> TestCluster:
        factory = InProcessFactory()
        return TestCluster(lambda a: factory.new_server(a, name=name), num_nodes, args, name)


class SubprocessClusterFactory:
    """Cluster nodes as `app sql-server` processes."""

    capabilities = SubprocessTestServer.capabilities

    def new_cluster(self, num_nodes: int, args: TestClusterArgs, *, name: str = "subprocess") -> TestCluster:
        factory = SubprocessFactory()
        return TestCluster(lambda a: factory.new_server(a, name=name), num_nodes, args, name)


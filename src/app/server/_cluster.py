"""Cluster replication: a node's role and epoch, its log or applied position, and its SQL surface.

Semantics follow Dolt's cluster replication:
- a node is `primary`, `standby` or `detected_broken_config`, at an epoch; the role and
  epoch persist in the node's storage directory and win over the bootstrap values;
- the primary pushes every committed transaction, in commit order, to each configured
  standby over the standby's replication endpoint (`cluster.remotesapi.port`);
- a primary that meets a higher epoch becomes a standby at that epoch; two primaries
  at the same epoch both become `detected_broken_config` and refuse writes;
- `@@GLOBAL.app_cluster_ack_writes_timeout_secs` above 0 makes a commit wait until every
  standby applied it, or the timeout passed (the standby is then marked lagging).

The parts, one module a job: _replwire (roles, frames), _repllog (the log and positions),
_replprimary (a primary's link to one standby), _replstandby (the endpoint a standby serves and
its applier), and here the `Cluster` that holds the node's state and changes its role.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import os
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import injector

from app.sql import Applier, Change, Engine, Result, Session, SQLError, Variable, VirtualTable
from app.sql._types import Column, MySQLType

from . import _tls
from ._config import ServerConfig
from ._protocol import Frontend
from ._repllog import ReplicationLog
from ._replprimary import StandbyLink
from ._replstandby import ReplicationKnobs, StandbyEndpoint
from ._replwire import BROKEN, PRIMARY, PROTOCOL, STANDBY, Refused

logger = logging.getLogger("app.server.cluster")
T = TypeVar("T")

STATE_FILE: Final = "cluster_state.json"
# How long a primary asked to become a standby waits for its standbys to catch up.
DEMOTE_TIMEOUT_SECS: Final = 5.0
STATUS_DDL: Final = ("CREATE TABLE app_cluster_status (`database` VARCHAR(64), standby_remote VARCHAR(64), "
                     "role VARCHAR(32), epoch BIGINT, replication_lag_millis BIGINT, last_update DATETIME, "
                     "current_error TEXT)")
_ER_UNKNOWN: Final = 1105


@dataclass
class _Waiter:
    log_id: str | None
    position: int
    future: asyncio.Future[None]


class Cluster:
    """A node's place in a cluster: its role and epoch, its log or its applied position.

    Without a `cluster` section in the configuration the node is a lone primary at
    epoch 0 that records nothing.
    """

    @injector.inject
    def __init__(self, config: ServerConfig, engine: Engine, frontend: Frontend) -> None:
        self.config = config.cluster
        self.engine = engine
        self.frontend = frontend
        self.applier = Applier(engine)
        # The shared secret that proves membership (config validation requires it to replicate).
        self.secret = (config.cluster.secret or "").encode() if config.cluster is not None else b""
        # Mutual TLS with the cluster's CA on every link (cluster.tls), with or without the secret (see _tls).
        tls = config.cluster.tls if config.cluster is not None else None
        self.peer_tls = (_tls.peer_server_context(tls), _tls.peer_client_context(tls)) if tls is not None else None
        # cluster.ack_writes_timeout_secs, until a SET GLOBAL (kept in the cluster state across restarts).
        self.ack_writes_timeout: int | float = _whole(config.cluster.ack_writes_timeout_secs if config.cluster else 0)
        self._ack_timeout_set = False
        self.name = f"{config.listener.host}:{config.listener.port}"
        self.role: str = PRIMARY
        self.epoch = 0
        self.log: ReplicationLog | None = None
        self.applied: tuple[str | None, int] = (None, 0)
        self.links: list[StandbyLink] = []
        self.endpoint = StandbyEndpoint(self, config.knob(ReplicationKnobs) or ReplicationKnobs())
        self._waiters: list[_Waiter] = []
        self._state_path: Path | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._define_sql_surface()

    @property
    def enabled(self) -> bool:
        return self.config is not None

    # -- SQL surface ---------------------------------------------------------------------------

    def _define_sql_surface(self) -> None:
        e = self.engine
        e.define_variable(Variable("app_cluster_role", PRIMARY, scope="global", read_only=True,
                                   getter=lambda: self.role))
        e.define_variable(Variable("app_cluster_role_epoch", 0, scope="global", read_only=True,
                                   getter=lambda: self.epoch))
        e.define_variable(Variable("app_cluster_ack_writes_timeout_secs", 0, scope="global", convert=_non_negative,
                                   getter=lambda: self.ack_writes_timeout, on_set=self._set_ack_timeout))
        e.define_variable(Variable("app_cluster_replication_position", 0, scope="global", read_only=True,
                                   getter=lambda: self.position))
        e.define_variable(Variable("app_cluster_replication_log_id", "", scope="global", read_only=True,
                                   getter=lambda: self.log_id or ""))
        e.procedures["app_assume_cluster_role"] = self._call_assume_role
        e.procedures["app_cluster_wait_for_position"] = self._call_wait_for_position
        e.add_virtual_table("app_cluster", VirtualTable("app_cluster_status", STATUS_DDL, self.status_rows))

    def _set_ack_timeout(self, value: int | float) -> None:
        self.ack_writes_timeout = value
        self._ack_timeout_set = True
        self.write_state(clean=False)

    @property
    def position(self) -> int:
        return self.log.position if self.log is not None else self.applied[1]

    @property
    def log_id(self) -> str | None:
        return self.log.log_id if self.log is not None else self.applied[0]

    def describe(self) -> dict[str, Any]:
        """What the replication endpoint tells anyone who looks (a person, curl): no credentials are asked,
        so only what every SQL client may read anyway (@@app_cluster_role, @@app_cluster_role_epoch).
        The standbys, positions and errors are app_cluster.app_cluster_status's, behind a login."""
        return {"protocol": PROTOCOL, "role": self.role, "epoch": self.epoch}

    def status_rows(self) -> list[tuple[Any, ...]]:
        if self.config is None:
            return []
        rows: list[tuple[Any, ...]] = []
        names = self.engine.storage.names()
        by_name = {link.name: link for link in self.links}
        for db in names:
            for remote in self.config.standby_remotes:
                link = by_name.get(remote.name)
                if link is None:
                    rows.append((db, remote.name, self.role, self.epoch, None, None, None))
                else:
                    updated = link.last_update.strftime("%Y-%m-%d %H:%M:%S") if link.last_update else None
                    error = "; ".join(e for e in (link.lag_error, link.error) if e) or None
                    rows.append((db, remote.name, self.role, self.epoch, link.lag_millis(), updated, error))
        return rows

    def _on_loop(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the node's event loop and wait for it (from a session's thread)."""
        assert self._loop is not None, "the cluster is not started"
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def _call_assume_role(self, session: Session, args: list[Any]) -> Result:
        if len(args) != 2:
            raise SQLError(1318, "Incorrect number of arguments for PROCEDURE app_assume_cluster_role; "
                                 f"expected 2, got {len(args)}", "42000")
        role, epoch = str(args[0]), args[1]
        try:
            epoch = int(epoch)
        except (TypeError, ValueError):
            raise _assume_error(role, epoch, "the epoch must be an integer") from None
        self._on_loop(self.assume_role(role, epoch, keep=session))
        return Result(columns=[Column("status", MySQLType.LONGLONG)], rows=[(0,)])

    def _call_wait_for_position(self, session: Session, args: list[Any]) -> Result:
        if len(args) not in (2, 3):
            raise SQLError(1318, "Incorrect number of arguments for PROCEDURE app_cluster_wait_for_position; "
                                 "expected (position, timeout_secs[, log_id])", "42000")
        position, timeout = int(args[0]), float(args[1])
        log_id = str(args[2]) if len(args) == 3 and args[2] else None
        try:
            self._on_loop(self._wait_for_position(position, log_id, timeout))
        except TimeoutError:
            raise SQLError(_ER_UNKNOWN, f"timed out after {timeout:g}s waiting for replication position {position}"
                           f"{f' of log {log_id}' if log_id else ''}; this node ({self.role}) is at position "
                           f"{self.position} of log {self.log_id}") from None
        return Result(columns=[Column("position", MySQLType.LONGLONG)], rows=[(self.position,)])

    async def _wait_for_position(self, position: int, log_id: str | None, timeout: float) -> None:
        async with asyncio.timeout(timeout):
            await self.wait_for_position(position, log_id)

    async def wait_for_position(self, position: int, log_id: str | None = None) -> None:
        """Returns once this node holds `position` (of `log_id`, when given)."""
        if self._reached(position, log_id):
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(log_id, position, fut)
        self._waiters.append(waiter)
        try:
            await fut
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)

    def _reached(self, position: int, log_id: str | None) -> bool:
        return self.position >= position and (log_id is None or log_id == self.log_id)

    def notify_position(self) -> None:
        for w in self._waiters:
            if not w.future.done() and self._reached(w.position, w.log_id):
                w.future.set_result(None)

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.config is None:
            return
        self.endpoint.start_applier()
        self._state_path = self.engine.storage.directory / STATE_FILE
        state = self._read_state()
        if state is not None:
            self.role, self.epoch = state["role"], int(state["epoch"])
            source = "persisted"
        else:
            self.role, self.epoch = self.config.bootstrap_role, self.config.bootstrap_epoch
            source = "bootstrap"
        if state is not None and isinstance(state.get("ack_writes_timeout_secs"), (int, float)):
            self.ack_writes_timeout = _whole(state["ack_writes_timeout_secs"])
            self._ack_timeout_set = True
        clean = bool(state and state.get("clean"))
        position = int(state.get("position", 0)) if state else 0
        if clean:
            self.applied = (state.get("log_id") if state else None, position)
        self.engine.commits.capture = True
        self.engine.commits.hook = self._on_commit
        self.engine.write_guard = self._write_guard
        if self.config.remotesapi_port is not None:
            await self.endpoint.listen(self.name.rsplit(":", 1)[0], self.config.remotesapi_port)
        if self.role == PRIMARY:
            log_id = state.get("log_id") if clean and state and state.get("was") == PRIMARY else None
            self._open_log(log_id=log_id, base=position, parent=None)
        self.write_state(clean=False)
        logger.info("cluster role %s at epoch %d (%s); replication endpoint on %s:%d", self.role, self.epoch,
                    source, *(self.endpoint.addr or ("?", 0)))

    async def stop(self) -> None:
        """Graceful: stop replicating and remember where this node stands, for a quick resume."""
        if self.config is None:
            return
        await self._stop_links()
        await self.endpoint.close()
        await self.endpoint.drain_applier()
        self.endpoint.stop_applier()
        self.write_state(clean=True)

    def kill(self) -> None:
        """No shutdown work, as SIGKILL: the persisted state stays marked unclean."""
        for link in self.links:
            link.cancel()
        self.links = []
        self.endpoint.kill()

    async def _stop_links(self) -> None:
        links, self.links = self.links, []
        await asyncio.gather(*(link.stop() for link in links))

    # -- persistence ---------------------------------------------------------------------------

    def _read_state(self) -> dict[str, Any] | None:
        assert self._state_path is not None
        try:
            data = json.loads(self._state_path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            logger.warning("ignoring unreadable cluster state %s: %s", self._state_path, e)
            return None
        if data.get("role") not in (PRIMARY, STANDBY, BROKEN) or not isinstance(data.get("epoch"), int):
            logger.warning("ignoring invalid cluster state %s: %r", self._state_path, data)
            return None
        return data  # type: ignore[no-any-return]

    def write_state(self, *, clean: bool) -> None:
        if self._state_path is None or self.engine.storage.closed:
            return
        data = {"role": self.role, "epoch": self.epoch, "log_id": self.log_id, "position": self.position,
                "was": PRIMARY if self.log is not None else STANDBY, "clean": clean}
        if self._ack_timeout_set:
            data["ack_writes_timeout_secs"] = self.ack_writes_timeout
        tmp = self._state_path.with_suffix(".tmp")
        with contextlib.suppress(OSError):
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self._state_path)

    # -- roles ---------------------------------------------------------------------------------

    def _write_guard(self, database: str) -> str | None:
        if self.role == PRIMARY:
            return None
        if self.role == BROKEN:
            return (f"{database} is read-only: this node's cluster role is {BROKEN} (another primary at epoch "
                    f"{self.epoch}); resolve it with CALL app_assume_cluster_role(...) at a higher epoch")
        return "read-only"

    def _open_log(self, *, log_id: str | None, base: int, parent: tuple[str | None, int] | None) -> None:
        self.log = ReplicationLog(log_id or uuid.uuid4().hex, base, parent)
        assert self.config is not None
        self.links = [StandbyLink(self, remote) for remote in self.config.standby_remotes]
        for link in self.links:
            link.start()
        self.notify_position()

    async def assume_role(self, role: str, epoch: int, *, keep: Session | None = None) -> None:
        """`CALL app_assume_cluster_role(role, epoch)`: the operator's failover and failback."""
        if self.config is None:
            raise _assume_error(role, epoch, "this server has no cluster configuration")
        if role not in (PRIMARY, STANDBY):
            raise _assume_error(role, epoch, f"unknown role; use '{PRIMARY}' or '{STANDBY}'")
        if epoch < self.epoch:
            raise _assume_error(role, epoch, f"this node is already at the higher epoch {self.epoch}")
        if epoch == self.epoch:
            if role == self.role:
                return
            raise _assume_error(role, epoch, f"this node is already {self.role} at epoch {epoch}; "
                                             "a change of role needs a higher epoch")
        if role == PRIMARY:
            await self._become_primary(epoch)
        else:
            await self._demote(epoch)
        self.frontend.kill_connections(keep)

    async def _become_primary(self, epoch: int) -> None:
        self.endpoint.close_incoming()
        await self.endpoint.drain_applier()  # the log continues from the last position applied
        self.role, self.epoch = PRIMARY, epoch
        self._open_log(log_id=None, base=self.applied[1], parent=self.applied)
        self.write_state(clean=False)
        logger.info("became primary at epoch %d (log %s from position %d)", epoch, self.log and self.log.log_id,
                    self.position)

    async def _demote(self, epoch: int) -> None:
        """Primary to standby, gracefully: refuse writes, let standbys catch up, then stop pushing."""
        if self.role == PRIMARY and self.log is not None:
            log = self.log
            previous = self.role
            self.role = STANDBY  # no new writes while the standbys catch up
            # Every standby, connected or not yet: one that has not connected (it is starting, or its link
            # is retrying) would otherwise miss this term's writes, and a failover to it would lose them.
            behind = list(self.links)
            try:
                async with asyncio.timeout(DEMOTE_TIMEOUT_SECS):
                    await asyncio.gather(*(link.wait_acked(log.position) for link in behind))
            except TimeoutError:
                self.role = previous
                late = ", ".join(f"{link.name} at {link.acked}" for link in behind
                                 if link.acked is None or link.acked < log.position)
                raise _assume_error(STANDBY, epoch, f"standbys did not catch up to position {log.position} within "
                                                    f"{DEMOTE_TIMEOUT_SECS:g}s ({late}); still primary") from None
        self._step_down(epoch)

    def _step_down(self, epoch: int, role: str = STANDBY) -> None:
        links, self.links = self.links, []
        for link in links:
            asyncio.get_running_loop().create_task(link.stop())
        if self.log is not None:
            self.applied = (self.log.log_id, self.log.position)
            self.log = None
        self.role, self.epoch = role, epoch
        self.write_state(clean=False)
        logger.info("now %s at epoch %d", role, epoch)

    def on_refused(self, e: Refused) -> None:
        """A standby refused our stream: it knows a higher epoch, or is a primary at ours."""
        if self.role != PRIMARY:
            return
        if e.epoch > self.epoch:
            logger.warning("a node is at the higher epoch %d (%s); becoming a standby", e.epoch, e.role)
            self._step_down(e.epoch)
            self.frontend.kill_connections(None)
        elif e.epoch == self.epoch and e.role in (PRIMARY, BROKEN):
            logger.error("another primary at epoch %d: %s", self.epoch, BROKEN)
            self._step_down(self.epoch, BROKEN)
            self.frontend.kill_connections(None)

    def accept_primary(self, epoch: int) -> str | None:
        """Whether a primary at `epoch` may replicate to this node; the reason to refuse if not."""
        if epoch < self.epoch:
            return f"this node is at the higher epoch {self.epoch}"
        if self.role == PRIMARY:
            if epoch == self.epoch:
                logger.error("another primary at epoch %d: %s", epoch, BROKEN)
                self._step_down(epoch, BROKEN)
                self.frontend.kill_connections(None)
                return f"two primaries at epoch {epoch}"
            logger.warning("a primary at the higher epoch %d connected; becoming a standby", epoch)
            self._step_down(epoch)
            self.frontend.kill_connections(None)
        elif self.role == BROKEN:
            if epoch == self.epoch:
                return f"this node is in {BROKEN} at epoch {epoch}"
            self._step_down(epoch)
        elif epoch > self.epoch:
            self.epoch = epoch
            self.write_state(clean=False)
        return None

    # -- commits on the primary ----------------------------------------------------------------

    def _on_commit(self, changes: list[Change]) -> Callable[[], None] | None:
        """The engine's commit hook: on the committing session's thread, with the commit lock held
        (so the log is in commit order). Returns the wait for the standbys' acks, if any."""
        log, loop = self.log, self._loop
        if log is None or loop is None:
            return None
        position = log.append(changes)
        with contextlib.suppress(RuntimeError):  # the loop is closed: the node is gone
            loop.call_soon_threadsafe(self._appended, log)
        timeout = float(self.ack_writes_timeout)
        if timeout <= 0:
            return None
        links = [link for link in self.links if not link.lagging]
        if not links:
            return None

        def wait() -> None:
            with contextlib.suppress(RuntimeError, concurrent.futures.TimeoutError, concurrent.futures.CancelledError):
                future = asyncio.run_coroutine_threadsafe(self._wait_acks(links, position, timeout), loop)
                future.result(timeout + 5)

        return wait

    def _appended(self, log: ReplicationLog) -> None:
        log.wake()
        self.notify_position()

    async def _wait_acks(self, links: list[StandbyLink], position: int, timeout: float) -> None:
        _, pending = await asyncio.wait([asyncio.ensure_future(link.wait_acked(position)) for link in links],
                                        timeout=timeout)
        for fut in pending:
            fut.cancel()
        for link in links:
            if link.acked is None or link.acked < position:
                link.lagging = True
                link.lag_error = (f"standby {link.name} did not acknowledge position {position} within the ack "
                                  f"timeout of {timeout:g}s; commits no longer wait for it until it catches up")
                logger.warning("%s", link.lag_error)


def _non_negative(name: str, value: Any) -> int | float:
    # Seconds; fractions are allowed (tests use them), integral values stay integers as in MySQL.
    try:
        n = float(value)
    except (TypeError, ValueError):
        raise SQLError(1232, f"Incorrect argument type to variable '{name}'", "42000") from None
    if n < 0 or n != n:
        raise SQLError(1231, f"Variable '{name}' can't be set to the value of '{value}'", "42000")
    return int(n) if n.is_integer() else n


def _whole(n: float) -> int | float:
    return int(n) if float(n).is_integer() else n


def _assume_error(role: str, epoch: Any, why: str) -> SQLError:
    return SQLError(_ER_UNKNOWN, f"error assuming role '{role}' at epoch {epoch}: {why}")


class ClusterModule(injector.Module):
    """Binds the node's `Cluster` (inert without a `cluster` configuration section)."""

    def configure(self, binder: injector.Binder) -> None:
        binder.bind(Cluster, to=Cluster, scope=injector.singleton)

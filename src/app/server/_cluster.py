"""Cluster replication: roles and epochs, the replication log, and the endpoint standbys serve.

Semantics follow Dolt's cluster replication:
- a node is `primary`, `standby` or `detected_broken_config`, at an epoch; the role and
  epoch persist in the node's storage directory and win over the bootstrap values;
- the primary pushes every committed transaction, in commit order, to each configured
  standby over the standby's replication endpoint (`cluster.remotesapi.port`);
- a primary that meets a higher epoch becomes a standby at that epoch; two primaries
  at the same epoch both become `detected_broken_config` and refuse writes;
- `@@GLOBAL.app_cluster_ack_writes_timeout_secs` above 0 makes a commit wait until every
  standby applied it, or the timeout passed (the standby is then marked lagging).

Wire format. The primary connects to the host:port of a standby's `remote_url_template`
(one stream for all databases, since commit order spans databases) and upgrades an
HTTP/1.1 request to the `app-replication/1` protocol; then both sides send frames:
4-byte header length, 4-byte body length, a JSON header, a binary body.

Positions. Each primary term has a log: an id and positions counting commits. A standby
remembers the (log id, position) it applied. On connect the primary streams the entries
after that position if its log holds them, or else sends a snapshot (every database's
SQLite image) and streams from there. A killed node does not trust its position and
asks for a snapshot; a node stopped gracefully resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import os
import struct
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Final, TypeVar
from urllib.parse import urlsplit

import injector

from app.sql import Applier, Change, Engine, ReplicationApplyError, Result, Session, SQLError, Variable, VirtualTable
from app.sql._types import Column, MySQLType
from app.testingshim import TestingKnobs

from ._config import ServerConfig, StandbyRemote
from ._peerauth import NONCE_HEADER, PROOF_HEADER, PROOF_LENGTH, check, header_value, new_nonce, proof, valid_nonce
from ._protocol import Frontend

logger = logging.getLogger("app.server.cluster")
T = TypeVar("T")

PRIMARY: Final = "primary"
STANDBY: Final = "standby"
BROKEN: Final = "detected_broken_config"
PROTOCOL: Final = "app-replication/1"
STATE_FILE: Final = "cluster_state.json"
HEARTBEAT_SECS: Final = 0.1
# Entries kept for standbys that fall behind; one further back gets a snapshot.
MAX_LOG_ENTRIES: Final = 100_000
# How long a primary asked to become a standby waits for its standbys to catch up.
DEMOTE_TIMEOUT_SECS: Final = 5.0
STATUS_DDL: Final = ("CREATE TABLE app_cluster_status (`database` VARCHAR(64), standby_remote VARCHAR(64), "
                     "role VARCHAR(32), epoch BIGINT, replication_lag_millis BIGINT, last_update DATETIME, "
                     "current_error TEXT)")
_ER_UNKNOWN: Final = 1105


class EndpointBindError(Exception):
    """The replication endpoint's port could not be bound."""

    def __init__(self, port: int, reason: str) -> None:
        super().__init__(port, reason)
        self.port = port
        self.reason = reason

    def __str__(self) -> str:
        return (f"cannot listen for replication on port {self.port}: {self.reason}; "
                "choose another with cluster.remotesapi.port")


class _ProtocolError(Exception):
    pass


class _Refused(Exception):
    def __init__(self, role: str, epoch: int, reason: str) -> None:
        super().__init__(f"refused by a {role} at epoch {epoch}: {reason}")
        self.role, self.epoch, self.reason = role, epoch, reason


# -- frames -----------------------------------------------------------------------------------


def _frame(header: dict[str, Any], body: bytes = b"") -> bytes:
    head = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack(">II", len(head), len(body)) + head + body


async def _read_frame(reader: asyncio.StreamReader) -> tuple[dict[str, Any], bytes]:
    head_len, body_len = struct.unpack(">II", await reader.readexactly(8))
    header = json.loads(await reader.readexactly(head_len))
    body = await reader.readexactly(body_len) if body_len else b""
    return header, body


def _encode_changes(changes: list[Change]) -> tuple[list[dict[str, Any]], bytes]:
    items: list[dict[str, Any]] = []
    body = bytearray()
    for c in changes:
        item: dict[str, Any] = {"k": c.kind, "db": c.database}
        if isinstance(c.payload, bytes):
            item["n"] = len(c.payload)
            body += c.payload
        else:
            item["stmts"] = list(c.payload)
        items.append(item)
    return items, bytes(body)


def _decode_changes(items: list[dict[str, Any]], body: bytes) -> list[Change]:
    changes: list[Change] = []
    offset = 0
    for item in items:
        if "stmts" in item:
            changes.append(Change(item["k"], item["db"], tuple(item["stmts"])))
        else:
            n = item["n"]
            changes.append(Change(item["k"], item["db"], body[offset:offset + n]))
            offset += n
    return changes


# -- the log ----------------------------------------------------------------------------------


class ReplicationLog:
    """A primary term's committed transactions, as ready-to-send frames, by position.

    Sessions append from their own threads (in commit order: under the engine's commit lock);
    the links read on the event loop, so the deques change and are read under `_lock`.
    """

    def __init__(self, log_id: str, base: int, parent: tuple[str | None, int] | None = None) -> None:
        self.log_id = log_id
        self.base = base          # the position before the first entry of this log
        self.parent = parent      # the (log id, position) this term continues from
        self.position = base
        self._first = base + 1    # the oldest position still held
        self._frames: deque[bytes] = deque()
        self._times: deque[float] = deque()
        self._lock = threading.Lock()
        self.listeners: set[asyncio.Event] = set()  # set on the event loop after each append (wake)

    def append(self, changes: list[Change]) -> int:
        """Add a committed transaction (any thread); its position. Call `wake` on the loop after."""
        items, body = _encode_changes(changes)
        with self._lock:
            position = self.position + 1
            self._frames.append(_frame({"t": "entry", "pos": position, "changes": items}, body))
            self._times.append(time.monotonic())
            if len(self._frames) > MAX_LOG_ENTRIES:
                self._frames.popleft()
                self._times.popleft()
                self._first += 1
            self.position = position  # last: a reader that sees it finds its frame
        return position

    def wake(self) -> None:
        """Wake the links waiting for entries (on the event loop)."""
        for event in self.listeners:
            event.set()

    def holds_after(self, position: int) -> bool:
        """Whether every entry after `position` is still here."""
        with self._lock:
            return self._first - 1 <= position <= self.position

    def frames_after(self, position: int) -> list[bytes]:
        # Index from the tail: a deque is cheap at its ends, and copying up to
        # MAX_LOG_ENTRIES frames on every wake-up of every link would not be.
        with self._lock:
            start = max(0, position + 1 - self._first)
            return [self._frames[i] for i in range(start, len(self._frames))]

    def commit_time(self, position: int) -> float | None:
        with self._lock:
            i = position - self._first
            return self._times[i] if 0 <= i < len(self._times) else None


# -- the primary's side of one standby ---------------------------------------------------------


def _endpoint_of(remote: StandbyRemote) -> tuple[str, int]:
    url = urlsplit(remote.remote_url_template.replace("{database}", ""))
    if url.hostname is None or url.port is None:
        raise ValueError(f"standby remote {remote.name!r}: no host:port in {remote.remote_url_template!r}")
    return url.hostname, url.port


class _StandbyLink:
    """Pushes the log to one standby, reconnecting until stopped; tracks its acknowledgements."""

    def __init__(self, cluster: Cluster, remote: StandbyRemote) -> None:
        self.cluster = cluster
        self.name = remote.name
        self.host, self.port = _endpoint_of(remote)
        self.acked: int | None = None        # position of the primary's current log it applied
        self.connected = False
        self.lagging = False
        self.last_update: datetime | None = None
        self.error: str | None = None             # the connection's trouble, if any
        self.remote_error: str | None = None      # what the standby last said went wrong, until it progresses
        self.lag_error: str | None = None         # set while commits no longer wait for this standby
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"replicate-to-{self.name}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for _, fut in self._waiters:
            if not fut.done():
                fut.cancel()
        self._waiters.clear()

    async def wait_acked(self, position: int) -> None:
        if self.acked is not None and self.acked >= position:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((position, fut))
        await fut

    def lag_millis(self) -> int | None:
        log = self.cluster.log
        if log is None or self.acked is None:
            return None
        if self.acked >= log.position:
            return 0
        t = log.commit_time(self.acked + 1)
        return None if t is None else int((time.monotonic() - t) * 1000)

    def _on_ack(self, position: int) -> None:
        if self.acked is None or position > self.acked:
            self.remote_error = None
        self.acked = position
        self.last_update = datetime.now()
        log = self.cluster.log
        if log is not None and position >= log.position and self.lagging:
            self.lagging = False
            self.lag_error = None
        keep = []
        for pos, fut in self._waiters:
            if pos <= position:
                if not fut.done():
                    fut.set_result(None)
            else:
                keep.append((pos, fut))
        self._waiters = keep

    async def _run(self) -> None:
        delay = 0.005
        while True:
            try:
                await self._session()
            except asyncio.CancelledError:
                raise
            except _Refused as e:
                self.error = str(e)
                self.connected = False
                self.cluster.on_refused(e)
                return
            except (OSError, EOFError, asyncio.IncompleteReadError, _ProtocolError, ValueError) as e:
                was = self.connected
                self.connected = False
                # The standby's own account, when it gave one before closing, says more than the closing.
                self.error = self.remote_error or \
                    f"standby {self.name} at {self.host}:{self.port} unreachable: {e or type(e).__name__}"
                if was:
                    logger.warning("%s", self.error)
            except Exception as e:  # a bug must not end replication to this standby silently
                self.connected = False
                self.error = f"replication to standby {self.name} failed: {type(e).__name__}: {e}"
                logger.exception("%s", self.error)
            # Reconnect backoff of a long-running server, not a test waiting for something.
            await asyncio.sleep(delay)
            # Capped low: a refused connect to a standby still starting costs microseconds.
            delay = min(delay * 2, 0.05)

    async def _session(self) -> None:
        cluster = self.cluster
        async with asyncio.timeout(2.0):
            reader, writer = await asyncio.open_connection(self.host, self.port)
        receiver: asyncio.Task[None] | None = None
        wake = asyncio.Event()
        try:
            nonce = new_nonce()
            writer.write((f"POST /replicate HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          f"Connection: Upgrade\r\nUpgrade: {PROTOCOL}\r\n{NONCE_HEADER}: {nonce}\r\n"
                          "Content-Length: 0\r\n\r\n").encode())
            async with asyncio.timeout(5.0):
                status = await reader.readuntil(b"\r\n\r\n")
            if status.startswith(b"HTTP/1.1 401"):
                raise _ProtocolError("the standby refused this node's proof: is cluster.secret the same on both?")
            if not status.startswith(b"HTTP/1.1 101"):
                raise _ProtocolError(f"not a replication endpoint: {status.splitlines()[0]!r}")
            # Nothing goes to a standby that does not prove it knows the secret (see _peerauth).
            theirs = header_value(status, NONCE_HEADER)
            secret = cluster.secret
            if not valid_nonce(theirs) or not check(secret, STANDBY, nonce, theirs or "",
                                                    header_value(status, PROOF_HEADER)):
                raise _ProtocolError("the standby did not prove it is a member of the cluster: is cluster.secret "
                                     "the same on both?")
            writer.write(proof(secret, PRIMARY, nonce, theirs or "").encode())
            log = cluster.log
            if log is None:
                return
            writer.write(_frame({"t": "hello", "role": PRIMARY, "epoch": cluster.epoch, "log_id": log.log_id,
                                 "position": log.position, "name": cluster.name}))
            async with asyncio.timeout(5.0):
                reply, _ = await _read_frame(reader)
            if reply.get("t") == "refuse":
                raise _Refused(reply["role"], int(reply["epoch"]), reply.get("reason", ""))
            their = (reply.get("log_id"), int(reply.get("position", 0)))
            if cluster.log is not log:
                return
            if their[0] == log.log_id and log.holds_after(their[1]):
                sent = their[1]
            elif log.parent is not None and their == log.parent and log.holds_after(log.base):
                sent = log.base  # this term continues the history the standby has
                writer.write(_frame({"t": "continue", "log_id": log.log_id, "pos": sent}))
            else:
                # Under the commit lock, so that images and position agree.
                with cluster.engine.commit_lock:
                    images = cluster.applier.snapshot()
                    sent = log.position
                header = {"t": "snapshot", "log_id": log.log_id, "pos": sent,
                          "dbs": [[name, len(image)] for name, image in images]}
                writer.write(_frame(header, b"".join(image for _, image in images)))
                logger.info("sending a snapshot of %d database(s) at position %d to standby %s",
                            len(images), sent, self.name)
            self.acked = their[1] if sent == their[1] else None
            self.connected = True
            self.error = None
            self.last_update = datetime.now()
            receiver = asyncio.get_running_loop().create_task(self._receive(reader))
            log.listeners.add(wake)
            while True:
                wake.clear()
                if sent < log.position:
                    if not log.holds_after(sent):
                        raise _ProtocolError("the standby fell too far behind; reconnecting for a snapshot")
                    frames = log.frames_after(sent)
                    for frame in frames:
                        writer.write(frame)
                    sent += len(frames)
                else:
                    writer.write(_frame({"t": "hb", "epoch": cluster.epoch, "pos": log.position}))
                await writer.drain()
                if receiver.done():
                    receiver.result()  # raises what ended it
                    raise EOFError("the standby closed the stream")
                if cluster.log is not log:
                    return
                await _first_of(wake.wait(), receiver, HEARTBEAT_SECS)
        finally:
            if cluster.log is not None:
                cluster.log.listeners.discard(wake)
            if receiver is not None:
                receiver.cancel()
                with contextlib.suppress(BaseException):
                    await receiver
            writer.close()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(1.0):
                    await writer.wait_closed()

    async def _receive(self, reader: asyncio.StreamReader) -> None:
        while True:
            header, _ = await _read_frame(reader)
            kind = header.get("t")
            if kind == "ack":
                self._on_ack(int(header["pos"]))
            elif kind == "refuse":
                raise _Refused(header["role"], int(header["epoch"]), header.get("reason", ""))
            elif kind == "error":
                self.remote_error = self.error = f"standby {self.name}: {header.get('message')}"


async def _first_of(coro: Any, task: asyncio.Task[None], timeout: float) -> None:
    """Wait for `coro` or `task`, at most `timeout` seconds.

    asyncio.wait, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
    races with completion, and a link that misses its cancellation never stops.
    """
    waiter = asyncio.ensure_future(coro)
    try:
        await asyncio.wait({waiter, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()


# -- the node's cluster state ------------------------------------------------------------------


@dataclass(frozen=True)
class ReplicationKnobs(TestingKnobs):
    """Testing knobs of replication, read by a standby's endpoint (`Cluster._handle`).

    pause_apply: entries are received but neither applied nor acknowledged (a stalled applier).
    drop_acks: entries are applied but never acknowledged (acks lost on the way).
    fail_after_entries: after applying N entries, applying fails: the stream ends with an error
        (the primary's app_cluster_status shows it) and every later attempt fails the same way.
    ack_without_apply: the Nth entry received is acknowledged without being applied: a planted
        lost write, for proving that a check of acknowledged writes catches one.
    """

    subsystem: ClassVar[str] = "replication"
    pause_apply: bool = False
    drop_acks: bool = False
    fail_after_entries: int | None = None
    ack_without_apply: int | None = None


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
        self.knobs = config.knob(ReplicationKnobs) or ReplicationKnobs()
        # cluster.ack_writes_timeout_secs, until a SET GLOBAL (kept in the cluster state across restarts).
        self.ack_writes_timeout: int | float = _whole(config.cluster.ack_writes_timeout_secs if config.cluster else 0)
        self._ack_timeout_set = False
        self._entries_received = 0
        self.name = f"{config.listener.host}:{config.listener.port}"
        self.role: str = PRIMARY
        self.epoch = 0
        self.log: ReplicationLog | None = None
        self.applied: tuple[str | None, int] = (None, 0)
        self.links: list[_StandbyLink] = []
        self.endpoint_addr: tuple[str, int] | None = None
        self._server: asyncio.Server | None = None
        self._streams: set[asyncio.StreamWriter] = set()
        self._current_stream: asyncio.StreamWriter | None = None
        self._stream_tasks: set[asyncio.Task[None]] = set()
        self._waiters: list[_Waiter] = []
        self._state_path: Path | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Applies what the primary sends, off the event loop: the Applier blocks while a session
        # holds a database's lock.
        self._applier_thread: concurrent.futures.ThreadPoolExecutor | None = None
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
        self._write_state(clean=False)

    @property
    def position(self) -> int:
        return self.log.position if self.log is not None else self.applied[1]

    @property
    def log_id(self) -> str | None:
        return self.log.log_id if self.log is not None else self.applied[0]

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

    def _notify_position(self) -> None:
        for w in self._waiters:
            if not w.future.done() and self._reached(w.position, w.log_id):
                w.future.set_result(None)

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.config is None:
            return
        self._applier_thread = concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                                     thread_name_prefix="app-replica-apply")
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
        await self._listen()
        if self.role == PRIMARY:
            log_id = state.get("log_id") if clean and state and state.get("was") == PRIMARY else None
            self._open_log(log_id=log_id, base=position, parent=None)
        self._write_state(clean=False)
        logger.info("cluster role %s at epoch %d (%s); replication endpoint on %s:%d", self.role, self.epoch,
                    source, *(self.endpoint_addr or ("?", 0)))

    async def _listen(self) -> None:
        assert self.config is not None
        port = self.config.remotesapi_port
        if port is None:
            return
        host = self.name.rsplit(":", 1)[0]
        try:
            self._server = await asyncio.start_server(self._serve_endpoint, host=host, port=port, reuse_address=True)
        except OSError as e:
            raise EndpointBindError(port, e.strerror or str(e)) from None
        self.endpoint_addr = self._server.sockets[0].getsockname()[:2]

    async def stop(self) -> None:
        """Graceful: stop replicating and remember where this node stands, for a quick resume."""
        if self.config is None:
            return
        await self._stop_links()
        await self._close_endpoint()
        await self._drain_applier()
        self._stop_applier()
        self._write_state(clean=True)

    def kill(self) -> None:
        """No shutdown work, as SIGKILL: the persisted state stays marked unclean."""
        for link in self.links:
            if link._task is not None:
                link._task.cancel()
        self.links = []
        if self._server is not None:
            self._server.close()
        for writer in list(self._streams):
            writer.transport.abort()
        for task in list(self._stream_tasks):
            task.cancel()
        self._stop_applier()

    async def _close_endpoint(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._streams):
            writer.close()
        tasks = list(self._stream_tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=2)
        if self._server is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await self._server.wait_closed()
            self._server = None

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

    def _write_state(self, *, clean: bool) -> None:
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
        self.links = [_StandbyLink(self, remote) for remote in self.config.standby_remotes]
        for link in self.links:
            link.start()
        self._notify_position()

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
        self._close_incoming()
        await self._drain_applier()  # the log continues from the last position applied
        self.role, self.epoch = PRIMARY, epoch
        self._open_log(log_id=None, base=self.applied[1], parent=self.applied)
        self._write_state(clean=False)
        logger.info("became primary at epoch %d (log %s from position %d)", epoch, self.log and self.log.log_id,
                    self.position)

    async def _demote(self, epoch: int) -> None:
        """Primary to standby, gracefully: refuse writes, let standbys catch up, then stop pushing."""
        if self.role == PRIMARY and self.log is not None:
            log = self.log
            previous = self.role
            self.role = STANDBY  # no new writes while the standbys catch up
            behind = [link for link in self.links if link.connected]
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
        self._write_state(clean=False)
        logger.info("now %s at epoch %d", role, epoch)

    def on_refused(self, e: _Refused) -> None:
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
        self._notify_position()

    async def _wait_acks(self, links: list[_StandbyLink], position: int, timeout: float) -> None:
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

    # -- the standby's endpoint ----------------------------------------------------------------

    def _close_incoming(self) -> None:
        if self._current_stream is not None:
            self._current_stream.close()
            self._current_stream = None

    async def _serve_endpoint(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._stream_tasks.add(task)
        self._streams.add(writer)
        try:
            await self._handle(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError, _ProtocolError):
            pass
        except ReplicationApplyError as e:
            logger.error("replication stopped: %s", e)
            with contextlib.suppress(Exception):
                writer.write(_frame({"t": "error", "message": str(e)}))
        finally:
            self._stream_tasks.discard(task)
            self._streams.discard(writer)
            if self._current_stream is writer:
                self._current_stream = None
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with asyncio.timeout(5.0):
            request = await reader.readuntil(b"\r\n\r\n")
        if PROTOCOL.encode() not in request:
            # A person (or curl) looking: say what this port is and where the node stands.
            body = json.dumps({"role": self.role, "epoch": self.epoch, "log_id": self.log_id,
                               "position": self.position,
                               "standbys": [{"name": link.name, "connected": link.connected, "acked": link.acked,
                                             "error": link.error, "running": bool(link._task and not link._task.done())}
                                            for link in self.links]}).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
            await writer.drain()
            return
        peer = writer.get_extra_info("peername")
        nonce = header_value(request, NONCE_HEADER)
        if not valid_nonce(nonce):
            logger.warning("refused a replication peer at %s: no credentials", peer)
            writer.write(b"HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            return
        assert nonce is not None
        mine = new_nonce()
        writer.write((f"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: {PROTOCOL}\r\n"
                      f"{NONCE_HEADER}: {mine}\r\n{PROOF_HEADER}: {proof(self.secret, STANDBY, nonce, mine)}\r\n\r\n")
                     .encode())
        async with asyncio.timeout(5.0):
            given = await reader.readexactly(PROOF_LENGTH)
        if not check(self.secret, PRIMARY, nonce, mine, given):
            # Before any frame is read: a peer that is not a member changes nothing here.
            logger.warning("refused a replication peer at %s: it does not know the cluster secret", peer)
            return
        async with asyncio.timeout(5.0):
            hello, _ = await _read_frame(reader)
        refusal = self._accept_primary(int(hello["epoch"]))
        if refusal is not None:
            writer.write(_frame({"t": "refuse", "role": self.role, "epoch": self.epoch, "reason": refusal}))
            await writer.drain()
            return
        self._close_incoming()
        self._current_stream = writer
        writer.write(_frame({"t": "hello", "role": self.role, "epoch": self.epoch, "log_id": self.applied[0],
                             "position": self.applied[1]}))
        log_id = hello["log_id"]  # the primary's log, which the entries below extend
        while True:
            header, body = await _read_frame(reader)
            if self._current_stream is not writer or self.role != STANDBY:
                return  # promoted, or another primary took over
            kind = header.get("t")
            if kind == "entry":
                if not await self._receive_entry(header, body, log_id):
                    continue
            elif kind == "snapshot":
                images, offset = [], 0
                for name, size in header["dbs"]:
                    images.append((name, body[offset:offset + size]))
                    offset += size
                log_id = header["log_id"]
                await self._apply(self._install_snapshot, images, (log_id, int(header["pos"])))
                self._write_state(clean=False)
                logger.info("installed a snapshot of %d database(s) at position %d", len(images), self.applied[1])
            elif kind == "continue":
                if self.applied[1] != int(header["pos"]):
                    raise _ProtocolError(f"asked to continue at {header['pos']} from {self.applied}")
                log_id = header["log_id"]
                self.applied = (log_id, int(header["pos"]))
            elif kind == "hb":
                if int(header.get("epoch", 0)) < self.epoch:
                    writer.write(_frame({"t": "refuse", "role": self.role, "epoch": self.epoch,
                                         "reason": "a primary at a higher epoch took over"}))
                    return
            else:
                raise _ProtocolError(f"unknown frame {kind!r}")
            self._notify_position()
            if not self.knobs.drop_acks:
                writer.write(_frame({"t": "ack", "pos": self.applied[1]}))

    async def _receive_entry(self, header: dict[str, Any], body: bytes, log_id: str) -> bool:
        """Apply one entry, as the knobs allow; False if it is to be neither applied nor acknowledged."""
        self._entries_received += 1
        n, knobs = self._entries_received, self.knobs
        position = (log_id, int(header["pos"]))
        if knobs.fail_after_entries is not None and n > knobs.fail_after_entries:
            raise ReplicationApplyError(f"testing knob replication.fail_after_entries={knobs.fail_after_entries}: "
                                        f"applying entry {n} fails")
        if knobs.pause_apply:
            return False
        if knobs.ack_without_apply == n:
            self.applied = position  # acknowledged below, never applied: the planted loss
            return True
        await self._apply(self._apply_entry, _decode_changes(header["changes"], body), position)
        return True

    async def _apply(self, fn: Callable[[Any, tuple[str, int]], None], what: Any, position: tuple[str, int]) -> None:
        """Apply on the applier's thread (it may wait for a session's lock; the loop must not)."""
        assert self._loop is not None and self._applier_thread is not None
        await self._loop.run_in_executor(self._applier_thread, fn, what, position)

    def _apply_entry(self, changes: list[Change], position: tuple[str, int]) -> None:
        self.applier.apply(changes)
        self.applied = position  # here, not on the loop: a stop that cancels the wait must not lose it

    def _install_snapshot(self, images: list[tuple[str, bytes]], position: tuple[str, int]) -> None:
        self.applier.install(images)
        self.applied = position

    async def _drain_applier(self) -> None:
        """Wait until what the applier's thread was given is applied."""
        if self._applier_thread is not None:
            with contextlib.suppress(RuntimeError):  # shut down already
                await asyncio.wrap_future(self._applier_thread.submit(lambda: None))

    def _stop_applier(self) -> None:
        executor, self._applier_thread = self._applier_thread, None
        if executor is not None:
            executor.shutdown(wait=False)

    def _accept_primary(self, epoch: int) -> str | None:
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
            self._write_state(clean=False)
        return None


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

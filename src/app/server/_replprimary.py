"""The primary's side of replication: one link per standby, pushing the log and tracking acks.

A link connects to its standby's endpoint, proves membership (see _peerauth), says hello with
its log id and position, and then catches the standby up from what it answers: the entries after
its position if the log holds them, a `continue` when this term extends the standby's history, or
a snapshot. Then it streams entries as they commit, heartbeats when there are none, and counts
the standby's acks, which commits waiting for `app_cluster_ack_writes_timeout_secs` await.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from app.sql import Applier, Engine

from ._config import StandbyRemote
from ._peerauth import NONCE_HEADER, PROOF_HEADER, check, header_value, new_nonce, proof, valid_nonce
from ._repllog import ReplicationLog
from ._replwire import (
    HEARTBEAT_SECS,
    PRIMARY,
    PROTOCOL,
    STANDBY,
    ProtocolError,
    Refused,
    first_of,
    frame,
    read_frame,
    send,
)

logger = logging.getLogger("app.server.cluster")


class PrimaryNode(Protocol):
    """What a link reads of its node (the `Cluster`)."""

    name: str
    epoch: int
    secret: bytes
    peer_tls: tuple[ssl.SSLContext, ssl.SSLContext] | None  # (as a standby, as a primary): mutual TLS
    engine: Engine
    applier: Applier
    log: ReplicationLog | None

    def on_refused(self, e: Refused) -> None: ...


def endpoint_of(remote: StandbyRemote) -> tuple[str, int]:
    url = urlsplit(remote.remote_url_template.replace("{database}", ""))
    if url.hostname is None or url.port is None:
        raise ValueError(f"standby remote {remote.name!r}: no host:port in {remote.remote_url_template!r}")
    return url.hostname, url.port


class StandbyLink:
    """Pushes the log to one standby, reconnecting until stopped; tracks its acknowledgements."""

    def __init__(self, cluster: PrimaryNode, remote: StandbyRemote) -> None:
        self.cluster = cluster
        self.name = remote.name
        self.host, self.port = endpoint_of(remote)
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

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def cancel(self) -> None:
        """Stop at once, as a killed node does (no waiting for the task to finish)."""
        if self._task is not None:
            self._task.cancel()

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
            except Refused as e:
                self.error = str(e)
                self.connected = False
                self.cluster.on_refused(e)
                return
            except (OSError, EOFError, asyncio.IncompleteReadError, ProtocolError, ValueError) as e:
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
        tls = cluster.peer_tls
        async with asyncio.timeout(2.0 if tls is None else 5.0):
            # Under mutual TLS the standby's certificate (and its name) is checked against the cluster's CA
            # before a byte of the protocol is sent.
            reader, writer = await asyncio.open_connection(self.host, self.port, ssl=tls[1] if tls else None,
                                                           server_hostname=self.host if tls else None)
        receiver: asyncio.Task[None] | None = None
        wake = asyncio.Event()
        try:
            nonce = new_nonce()
            send(writer, (f"POST /replicate HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          f"Connection: Upgrade\r\nUpgrade: {PROTOCOL}\r\n{NONCE_HEADER}: {nonce}\r\n"
                          "Content-Length: 0\r\n\r\n").encode())
            async with asyncio.timeout(5.0):
                status = await reader.readuntil(b"\r\n\r\n")
            if status.startswith(b"HTTP/1.1 401"):
                raise ProtocolError("the standby refused this node's proof: is cluster.secret the same on both?")
            if not status.startswith(b"HTTP/1.1 101"):
                raise ProtocolError(f"not a replication endpoint: {status.splitlines()[0]!r}")
            # Nothing goes to a standby that does not prove it knows the secret (see _peerauth).
            theirs = header_value(status, NONCE_HEADER)
            secret = cluster.secret
            if not valid_nonce(theirs) or not check(secret, STANDBY, nonce, theirs or "",
                                                    header_value(status, PROOF_HEADER)):
                raise ProtocolError("the standby did not prove it is a member of the cluster: is cluster.secret "
                                     "the same on both?")
            send(writer, proof(secret, PRIMARY, nonce, theirs or "").encode())
            log = cluster.log
            if log is None:
                return
            send(writer, frame({"t": "hello", "role": PRIMARY, "epoch": cluster.epoch, "log_id": log.log_id,
                                 "position": log.position, "name": cluster.name}))
            async with asyncio.timeout(5.0):
                reply, _ = await read_frame(reader)
            if reply.get("t") == "refuse":
                raise Refused(reply["role"], int(reply["epoch"]), reply.get("reason", ""))
            their = (reply.get("log_id"), int(reply.get("position", 0)))
            if cluster.log is not log:
                return
            if their[0] == log.log_id and log.holds_after(their[1]):
                sent = their[1]
            elif log.parent is not None and their == log.parent and log.holds_after(log.base):
                sent = log.base  # this term continues the history the standby has
                send(writer, frame({"t": "continue", "log_id": log.log_id, "pos": sent}))
            else:
                # Under the commit lock, so that images and position agree.
                with cluster.engine.commit_lock:
                    images = cluster.applier.snapshot()
                    sent = log.position
                header = {"t": "snapshot", "log_id": log.log_id, "pos": sent,
                          "dbs": [[name, len(image)] for name, image in images]}
                send(writer, frame(header, b"".join(image for _, image in images)))
                logger.info("sending a snapshot of %d database(s) at position %d to standby %s",
                            sum(1 for name, _ in images if name), sent, self.name)  # "": the accounts
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
                        raise ProtocolError("the standby fell too far behind; reconnecting for a snapshot")
                    frames = log.frames_after(sent)
                    for entry in frames:
                        send(writer, entry)
                    sent += len(frames)
                else:
                    send(writer, frame({"t": "hb", "epoch": cluster.epoch, "pos": log.position}))
                await writer.drain()
                if receiver.done():
                    receiver.result()  # raises what ended it
                    raise EOFError("the standby closed the stream")
                if cluster.log is not log:
                    return
                await first_of(wake.wait(), receiver, HEARTBEAT_SECS)
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
            header, _ = await read_frame(reader)
            kind = header.get("t")
            if kind == "ack":
                self._on_ack(int(header["pos"]))
            elif kind == "refuse":
                raise Refused(header["role"], int(header["epoch"]), header.get("reason", ""))
            elif kind == "error":
                self.remote_error = self.error = f"standby {self.name}: {header.get('message')}"

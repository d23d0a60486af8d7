"""The standby's side of replication: the endpoint a primary streams to, and the applier.

The endpoint listens on `cluster.remotesapi.port`. A replication request (an HTTP/1.1 upgrade to
`app-replication/1` from a member of the cluster, see _peerauth) becomes the node's one incoming
stream: a newer one replaces it. Entries and snapshots are applied in order on one applier
thread (applying may wait for a session's lock; the event loop must not) and acknowledged with
the position applied. Any other request (a person, or curl, looking) gets a JSON page saying
where the node stands.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, final

from app.sql import Applier, Change, ReplicationApplyError
from app.testingshim import TestingKnobs

from ._peerauth import NONCE_HEADER, PROOF_HEADER, PROOF_LENGTH, check, header_value, new_nonce, proof, valid_nonce
from ._replwire import PRIMARY, PROTOCOL, STANDBY, ProtocolError, decode_changes, frame, read_frame, send

logger = logging.getLogger("app.server.cluster")


class EndpointBindError(Exception):
    """The replication endpoint's port could not be bound."""

    def __init__(self, port: int, reason: str) -> None:
        super().__init__(port, reason)
        self.port = port
        self.reason = reason

    def __str__(self) -> str:
        return (f"cannot listen for replication on port {self.port}: {self.reason}; "
                "choose another with cluster.remotesapi.port")


@dataclass(frozen=True)
class ReplicationKnobs(TestingKnobs):
    """Testing knobs of replication, read by a standby's endpoint (`StandbyEndpoint._handle`).

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


class StandbyNode(Protocol):
    """What the endpoint reads and changes of its node (the `Cluster`)."""

    role: str
    epoch: int
    applied: tuple[str | None, int]
    secret: bytes
    peer_tls: tuple[ssl.SSLContext, ssl.SSLContext] | None  # (as a standby, as a primary): mutual TLS
    applier: Applier

    def describe(self) -> dict[str, Any]: ...

    def accept_primary(self, epoch: int) -> str | None: ...

    def write_state(self, *, clean: bool) -> None: ...

    def notify_position(self) -> None: ...


@final
class StandbyEndpoint:
    """The node's replication endpoint and applier thread (a primary has one too: it may be demoted)."""

    def __init__(self, node: StandbyNode, knobs: ReplicationKnobs) -> None:
        self.node = node
        self.knobs = knobs
        self.addr: tuple[str, int] | None = None
        self._server: asyncio.Server | None = None
        self._streams: set[asyncio.StreamWriter] = set()
        self._current_stream: asyncio.StreamWriter | None = None
        self._stream_tasks: set[asyncio.Task[None]] = set()
        self._entries_received = 0
        # Applies what the primary sends, off the event loop: the Applier blocks while a session
        # holds a database's lock.
        self._applier_thread: concurrent.futures.ThreadPoolExecutor | None = None

    def start_applier(self) -> None:
        self._applier_thread = concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                                     thread_name_prefix="app-replica-apply")

    async def listen(self, host: str, port: int) -> None:
        try:
            tls = self.node.peer_tls
            # Under mutual TLS the handshake comes first (asyncio runs it before the stream is served).
            self._server = await asyncio.start_server(self._serve_endpoint, host=host, port=port, reuse_address=True,
                                                      ssl=tls[0] if tls else None,
                                                      ssl_handshake_timeout=5.0 if tls else None)
        except OSError as e:
            raise EndpointBindError(port, e.strerror or str(e)) from None
        self.addr = self._server.sockets[0].getsockname()[:2]

    async def close(self) -> None:
        """Graceful: close the listener and every stream, waiting a little for their tasks."""
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

    def kill(self) -> None:
        """No shutdown work, as SIGKILL: abort the streams, leave the applier's queue."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._streams):
            writer.transport.abort()
        for task in list(self._stream_tasks):
            task.cancel()
        self.stop_applier()

    def close_incoming(self) -> None:
        if self._current_stream is not None:
            self._current_stream.close()
            self._current_stream = None

    async def drain_applier(self) -> None:
        """Wait until what the applier's thread was given is applied."""
        if self._applier_thread is not None:
            with contextlib.suppress(RuntimeError):  # shut down already
                await asyncio.wrap_future(self._applier_thread.submit(lambda: None))

    def stop_applier(self) -> None:
        executor, self._applier_thread = self._applier_thread, None
        if executor is not None:
            executor.shutdown(wait=False)

    async def _serve_endpoint(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._stream_tasks.add(task)
        self._streams.add(writer)
        try:
            if not self._peer_certified(writer):
                return
            await self._handle(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError, ProtocolError):
            pass
        except (TimeoutError, asyncio.LimitOverrunError, ValueError) as e:
            # A stranger's request that never ends, or whose head overruns the reader's limit: one line, no
            # traceback (asyncio would log the callback's exception with its whole stack).
            logger.warning("closed a replication connection from %s: %s", writer.get_extra_info("peername"),
                           "no complete request in time" if isinstance(e, TimeoutError) else "request too long")
        except ReplicationApplyError as e:
            logger.error("replication stopped: %s", e)
            with contextlib.suppress(Exception):
                send(writer, frame({"t": "error", "message": str(e)}))
        finally:
            self._stream_tasks.discard(task)
            self._streams.discard(writer)
            if self._current_stream is writer:
                self._current_stream = None
            writer.close()

    def _peer_certified(self, writer: asyncio.StreamWriter) -> bool:
        """Under mutual TLS, whether the peer presented a certificate of the cluster's CA. One of another CA
        failed the TLS handshake already (the stream never got here); one without any certificate is refused
        here, before any byte of the protocol is read."""
        if self.node.peer_tls is None or writer.get_extra_info("peercert"):
            return True
        logger.warning("refused a replication peer at %s: it presented no certificate of the cluster's CA",
                       writer.get_extra_info("peername"))
        return False

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with asyncio.timeout(5.0):
            request = await reader.readuntil(b"\r\n\r\n")
        if PROTOCOL.encode() not in request:
            # A person (or curl) looking: say what this port is and where the node stands.
            body = json.dumps(self.node.describe()).encode()
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
        secret = self.node.secret
        writer.write((f"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: {PROTOCOL}\r\n"
                      f"{NONCE_HEADER}: {mine}\r\n{PROOF_HEADER}: {proof(secret, STANDBY, nonce, mine)}\r\n\r\n")
                     .encode())
        async with asyncio.timeout(5.0):
            given = await reader.readexactly(PROOF_LENGTH)
        if not check(secret, PRIMARY, nonce, mine, given):
            # Before any frame is read: a peer that is not a member changes nothing here.
            logger.warning("refused a replication peer at %s: it does not know the cluster secret", peer)
            return
        async with asyncio.timeout(5.0):
            hello, _ = await read_frame(reader)
        refusal = self.node.accept_primary(int(hello["epoch"]))
        if refusal is not None:
            send(writer, frame({"t": "refuse", "role": self.node.role, "epoch": self.node.epoch, "reason": refusal}))
            await writer.drain()
            return
        self.close_incoming()
        self._current_stream = writer
        node = self.node
        send(writer, frame({"t": "hello", "role": node.role, "epoch": node.epoch, "log_id": node.applied[0],
                            "position": node.applied[1]}))
        log_id = hello["log_id"]  # the primary's log, which the entries below extend
        while True:
            header, body = await read_frame(reader)
            if self._current_stream is not writer or self.node.role != STANDBY:
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
                self.node.write_state(clean=False)
                logger.info("installed a snapshot of %d database(s) at position %d",
                            sum(1 for name, _ in images if name), self.node.applied[1])  # "": the accounts
            elif kind == "continue":
                if self.node.applied[1] != int(header["pos"]):
                    raise ProtocolError(f"asked to continue at {header['pos']} from {self.node.applied}")
                log_id = header["log_id"]
                self.node.applied = (log_id, int(header["pos"]))
            elif kind == "hb":
                if int(header.get("epoch", 0)) < self.node.epoch:
                    send(writer, frame({"t": "refuse", "role": self.node.role, "epoch": self.node.epoch,
                                         "reason": "a primary at a higher epoch took over"}))
                    return
            else:
                raise ProtocolError(f"unknown frame {kind!r}")
            self.node.notify_position()
            if not self.knobs.drop_acks:
                send(writer, frame({"t": "ack", "pos": self.node.applied[1]}))

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
            self.node.applied = position  # acknowledged below, never applied: the planted loss
            return True
        await self._apply(self._apply_entry, decode_changes(header["changes"], body), position)
        return True

    async def _apply(self, fn: Callable[[Any, tuple[str, int]], None], what: Any, position: tuple[str, int]) -> None:
        """Apply on the applier's thread (it may wait for a session's lock; the loop must not)."""
        assert self._applier_thread is not None
        await asyncio.get_running_loop().run_in_executor(self._applier_thread, fn, what, position)

    def _apply_entry(self, changes: list[Change], position: tuple[str, int]) -> None:
        self.node.applier.apply(changes)
        self.node.applied = position  # here, not on the loop: a stop that cancels the wait must not lose it

    def _install_snapshot(self, images: list[tuple[str, bytes]], position: tuple[str, int]) -> None:
        self.node.applier.install(images)
        self.node.applied = position

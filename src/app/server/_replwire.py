"""The replication stream's wire format: roles, frames and the two errors a link meets.

The primary connects to the host:port of a standby's `remote_url_template` (one stream for all
databases, since commit order spans databases) and upgrades an HTTP/1.1 request to the
`app-replication/1` protocol (see _peerauth for the proofs both sides exchange); then both sides
send frames: 4-byte header length, 4-byte body length, a JSON header, a binary body.

Frames (`t` in the header): `hello` (both ways: role, epoch, log id, position), `refuse` (a
standby that will not take this primary's stream), `entry` (one committed transaction's changes),
`snapshot` (every database's SQLite image), `continue` (a new term extends the standby's history),
`hb` (heartbeat with the primary's epoch), `ack` (the position a standby applied), `error` (why a
standby stopped applying).
"""

from __future__ import annotations

import asyncio
import json
import struct
from typing import Any, Final

from app.sql import Change

PRIMARY: Final = "primary"
STANDBY: Final = "standby"
BROKEN: Final = "detected_broken_config"
PROTOCOL: Final = "app-replication/1"
HEARTBEAT_SECS: Final = 0.1


class ProtocolError(Exception):
    """The peer broke the replication protocol (or is not a replication endpoint)."""


class Refused(Exception):
    """A standby refused a primary's stream: it knows a higher epoch, or is a primary at its own."""

    def __init__(self, role: str, epoch: int, reason: str) -> None:
        super().__init__(f"refused by a {role} at epoch {epoch}: {reason}")
        self.role, self.epoch, self.reason = role, epoch, reason


def send(writer: asyncio.StreamWriter, data: bytes) -> None:
    """Write to a replication stream, or raise ConnectionResetError when the peer already closed it.

    A peer that goes away closes the transport between two of our writes; uvloop then raises RuntimeError ("the
    handler is closed"), not an OSError, which both ends would log as a bug with a traceback instead of handling
    the lost connection it is.
    """
    if writer.is_closing():
        raise ConnectionResetError("the peer closed the replication stream")
    writer.write(data)


def frame(header: dict[str, Any], body: bytes = b"") -> bytes:
    """One frame, ready to write."""
    head = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack(">II", len(head), len(body)) + head + body


async def read_frame(reader: asyncio.StreamReader) -> tuple[dict[str, Any], bytes]:
    """The next frame's header and body."""
    head_len, body_len = struct.unpack(">II", await reader.readexactly(8))
    header = json.loads(await reader.readexactly(head_len))
    body = await reader.readexactly(body_len) if body_len else b""
    return header, body


def encode_changes(changes: list[Change]) -> tuple[list[dict[str, Any]], bytes]:
    """A transaction's changes as an entry's header items and body (changesets go in the body)."""
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


def decode_changes(items: list[dict[str, Any]], body: bytes) -> list[Change]:
    """The changes `encode_changes` encoded."""
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


async def first_of(coro: Any, task: asyncio.Task[None], timeout: float) -> None:
    """Wait for `coro` or `task`, at most `timeout` seconds.

    asyncio.wait, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
    races with completion, and a link that misses its cancellation never stops.
    """
    waiter = asyncio.ensure_future(coro)
    try:
        await asyncio.wait({waiter, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()

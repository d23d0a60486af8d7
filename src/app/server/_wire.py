"""MySQL packets over a blocking socket: framing, sequence ids, 16 MiB splitting, size limits.

A logical packet of 16 MiB - 1 bytes or more travels as several physical packets, each full one
(0xFFFFFF bytes) followed by the next, the last shorter (maybe empty); both directions split and
join here. Every read is bounded: a packet whose announced length passes `max_packet` is refused
before its body is read, so no client makes the server buffer more than it allows.
"""

from __future__ import annotations

import socket
import struct
from typing import Final, final

MAX_PAYLOAD: Final = 0xFFFFFF
_HEADER: Final = struct.Struct("<I")
_FLUSH_AT: Final = 1 << 20  # bytes buffered before a response is written out in parts


class ClientGone(Exception):
    """The client hung up, reset the connection, or stayed silent past the timeout."""


class ProtocolViolation(Exception):
    """The client broke the framing: the connection gets `code` and is closed."""

    def __init__(self, code: int, message: str, sqlstate: str = "08S01") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.sqlstate = sqlstate


def too_large() -> ProtocolViolation:
    return ProtocolViolation(1153, "Got a packet bigger than 'max_allowed_packet' bytes")


def lenenc(n: int) -> bytes:
    """A length-encoded integer."""
    if n < 251:
        return bytes((n,))
    if n < 1 << 16:
        return b"\xfc" + n.to_bytes(2, "little")
    if n < 1 << 24:
        return b"\xfd" + n.to_bytes(3, "little")
    return b"\xfe" + n.to_bytes(8, "little")


def lenenc_str(data: bytes) -> bytes:
    n = len(data)
    return bytes((n,)) + data if n < 251 else lenenc(n) + data


@final
class Wire:
    """One client socket: reads whole commands, buffers and frames replies.

    `seq` is the sequence id of the next packet to send; reading a command resets it.
    """

    __slots__ = ("_buf", "exact", "max_packet", "out", "seq", "sock")

    def __init__(self, sock: socket.socket, max_packet: int) -> None:
        self.sock = sock
        self.max_packet = max_packet
        self._buf = bytearray()
        self.out = bytearray()
        self.seq = 0
        # Read no byte past the packet asked for: before an SSLRequest's TLS handshake, whatever follows
        # the packet (the client's ClientHello, sent at once) belongs to the TLS layer, not to us.
        self.exact = False

    # -- reading ------------------------------------------------------------------------------------

    def _fill(self, n: int) -> None:
        buf = self._buf
        while len(buf) < n:
            try:
                chunk = self.sock.recv(n - len(buf) if self.exact else max(65536, min(n - len(buf), 1 << 22)))
            except (TimeoutError, OSError) as e:
                raise ClientGone(str(e)) from None
            if not chunk:
                raise ClientGone("the client hung up")
            buf += chunk

    def pending(self) -> bool:
        """Bytes of another packet have already arrived."""
        return bool(self._buf)

    def read(self, *, command: bool = True) -> bytes:
        """The next logical packet. A command starts at sequence id 0; a reply to the server
        (authentication) continues the exchange's ids."""
        expected = 0 if command else self.seq
        data = b""
        parts: list[bytes] | None = None
        total = 0
        while True:
            self._fill(4)
            buf = self._buf
            length = buf[0] | buf[1] << 8 | buf[2] << 16
            seq = buf[3]
            if seq != expected:
                del buf[:4]
                self.seq = 0  # as MariaDB numbers this error
                raise ProtocolViolation(1156, "Got packets out of order")
            total += length
            if total > self.max_packet:
                del buf[:4]
                self.seq = (seq + 1) & 0xFF
                raise too_large()
            self._fill(4 + length)
            part = bytes(buf[4:4 + length])
            del buf[:4 + length]
            expected = (expected + 1) & 0xFF
            if length < MAX_PAYLOAD and parts is None:
                data = part
                break
            if parts is None:
                parts = []
            parts.append(part)
            if length < MAX_PAYLOAD:
                data = b"".join(parts)
                break
        self.seq = expected
        return data

    # -- writing ------------------------------------------------------------------------------------

    def packet(self, payload: bytes | bytearray) -> None:
        """Frame one logical packet into the output buffer (split when 16 MiB - 1 or longer)."""
        out = self.out
        n = len(payload)
        if n < MAX_PAYLOAD:
            out += _HEADER.pack(n | self.seq << 24)
            out += payload
            self.seq = (self.seq + 1) & 0xFF
        else:
            view = memoryview(payload)
            pos = 0
            while True:
                part = view[pos:pos + MAX_PAYLOAD]
                out += _HEADER.pack(len(part) | self.seq << 24)
                out += part
                self.seq = (self.seq + 1) & 0xFF
                pos += MAX_PAYLOAD
                if len(part) < MAX_PAYLOAD:
                    break
        if len(out) >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        """Write what is buffered."""
        if self.out:
            try:
                self.sock.sendall(self.out)
            except (TimeoutError, OSError) as e:
                raise ClientGone(str(e)) from None
            finally:
                self.out = bytearray()

    def send(self, payload: bytes | bytearray) -> None:
        """Frame one packet and write everything buffered."""
        self.packet(payload)
        self.flush()

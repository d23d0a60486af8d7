"""The connection phase's packets: greeting, handshake response (or SSLRequest), COM_CHANGE_USER.

Every field of a client's packet is read with bounds (`Reader`): a missing NUL terminator or a
length past the end is a malformed packet (1043 "Bad handshake"), never a loop or an index error.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from typing import Final, final

from ._packets import (
    CONNECT_ATTRS,
    CONNECT_WITH_DB,
    PLUGIN_AUTH,
    PLUGIN_AUTH_LENENC,
    PROTOCOL_41,
    SECURE_CONNECTION,
    SSL,
    UTF8MB4_GENERAL_CI,
)

NATIVE: Final = "mysql_native_password"


class Malformed(Exception):
    """A client packet that does not parse."""


@final
class Reader:
    """Bounded reads over one packet's payload."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise Malformed(f"{n} bytes wanted at offset {self.pos} of a {len(self.data)}-byte packet")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def uint(self, n: int) -> int:
        return int.from_bytes(self.take(n), "little")

    def lenenc(self) -> int:
        first = self.uint(1)
        if first < 0xFB:
            return first
        if first == 0xFC:
            return self.uint(2)
        if first == 0xFD:
            return self.uint(3)
        if first == 0xFE:
            return self.uint(8)
        raise Malformed(f"bad length-encoded integer prefix {first:#x}")

    def lenenc_bytes(self) -> bytes:
        return self.take(self.lenenc())

    def null_str(self) -> bytes:
        """Bytes up to a NUL (one find: linear in the packet, whatever its length)."""
        end = self.data.find(b"\0", self.pos)
        if end < 0:
            raise Malformed("a string lacks its NUL terminator")
        out = self.data[self.pos:end]
        self.pos = end + 1
        return out

    def rest(self) -> bytes:
        out = self.data[self.pos:]
        self.pos = len(self.data)
        return out


def nonce() -> bytes:
    """20 random printable bytes without NUL (some clients stop at one)."""
    return bytes(33 + b % 94 for b in os.urandom(20))


def greeting(version: str, connection_id: int, salt: bytes, capabilities: int, status: int) -> bytes:
    """The server's first packet (HandshakeV10), offering mysql_native_password as MariaDB does."""
    return (b"\x0a" + version.encode() + b"\0" + struct.pack("<I", connection_id) + salt[:8] + b"\0"
            + struct.pack("<HBHHB", capabilities & 0xFFFF, UTF8MB4_GENERAL_CI, status, capabilities >> 16,
                          len(salt) + 1)
            + b"\0" * 10 + salt[8:] + b"\0" + NATIVE.encode() + b"\0")


@dataclass
class HandshakeResponse:
    """What a client's HandshakeResponse41 says."""

    capabilities: int
    max_packet: int
    charset: int
    user: str
    auth: bytes
    database: str | None
    plugin: str
    attributes: dict[str, str] = field(default_factory=dict)
    ssl_request: bool = False


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def parse_response(data: bytes) -> HandshakeResponse:
    """Parse a HandshakeResponse41 (or an SSLRequest: the first 32 bytes of one)."""
    r = Reader(data)
    caps = r.uint(4)
    if not caps & PROTOCOL_41:
        raise Malformed("clients older than the 4.1 protocol are not supported")
    max_packet = r.uint(4)
    charset = r.uint(1)
    r.take(23)
    if r.remaining() == 0 and caps & SSL:
        return HandshakeResponse(caps, max_packet, charset, "", b"", None, NATIVE, ssl_request=True)
    user = _text(r.null_str())
    if caps & PLUGIN_AUTH_LENENC:
        auth = r.lenenc_bytes()
    elif caps & SECURE_CONNECTION:
        auth = r.take(r.uint(1))
    else:
        auth = r.null_str()
    database = None
    if caps & CONNECT_WITH_DB and r.remaining():
        database = _text(r.null_str()) or None
    plugin = NATIVE
    if caps & PLUGIN_AUTH and r.remaining():
        plugin = _text(r.null_str()) or NATIVE
    attributes: dict[str, str] = {}
    if caps & CONNECT_ATTRS and r.remaining():
        attrs = Reader(r.lenenc_bytes())
        while attrs.remaining():
            key = _text(attrs.lenenc_bytes())
            attributes[key] = _text(attrs.lenenc_bytes())
    return HandshakeResponse(caps, max_packet, charset, user, auth, database, plugin, attributes)


@dataclass
class ChangeUser:
    """What a COM_CHANGE_USER says (after its command byte)."""

    user: str
    auth: bytes
    database: str | None
    charset: int | None
    plugin: str


def parse_change_user(data: bytes, caps: int) -> ChangeUser:
    r = Reader(data)
    user = _text(r.null_str())
    auth = r.take(r.uint(1)) if caps & SECURE_CONNECTION else r.null_str()
    database = _text(r.null_str()) or None if r.remaining() else None
    charset = r.uint(2) if r.remaining() >= 2 else None
    plugin = NATIVE
    if caps & PLUGIN_AUTH and r.remaining():
        plugin = _text(r.null_str()) or NATIVE
    return ChangeUser(user, auth, database, charset, plugin)


def access_denied(user: str, with_password: bool, host: str = "localhost") -> tuple[int, str, str]:
    return (1045, f"Access denied for user '{user}'@'{host}' (using password: {'YES' if with_password else 'NO'})",
            "28000")


def python_codec(collation: int) -> str:
    """The Python codec of a client's character set, by collation id (utf-8 unless latin1 or binary)."""
    if collation in _LATIN1:
        return "latin-1"
    if collation == 63:
        return "latin-1"  # binary: every byte stands for itself
    return "utf-8"


_LATIN1: Final = frozenset({5, 8, 15, 31, 47, 48, 49, 94})

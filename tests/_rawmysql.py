"""A MySQL client at the packet level, for hostile inputs: what a driver would never send.

Used by the robustness tests against app and against the MariaDB on 127.0.0.1:3306 alike.
"""

from __future__ import annotations

import socket
import struct
import time
from typing import Any

import pymysql

from _sqldiff import MARIADB_HOST, MARIADB_PASSWORD, MARIADB_PORT, MARIADB_USER
from app.testingshim import scaled

CLIENT_LONG_PASSWORD = 1
CLIENT_CONNECT_WITH_DB = 1 << 3
CLIENT_PROTOCOL_41 = 1 << 9
CLIENT_TRANSACTIONS = 1 << 13
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_PLUGIN_AUTH = 1 << 19
CLIENT_PLUGIN_AUTH_LENENC = 1 << 21
CLIENT_DEPRECATE_EOF = 1 << 24
CLIENT_QUERY_ATTRIBUTES = 1 << 27
UTF8MB4_GENERAL_CI = 45
CAPABILITIES = (CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
                | CLIENT_PLUGIN_AUTH | CLIENT_PLUGIN_AUTH_LENENC)


def frame(seq: int, payload: bytes) -> bytes:
    """A packet: 3-byte length, sequence id, payload."""
    return struct.pack("<I", len(payload) | seq << 24) + payload


def handshake_response(user: bytes, caps: int = CAPABILITIES, *, terminated: bool = True) -> bytes:
    body = struct.pack("<IIB", caps, 1 << 24, UTF8MB4_GENERAL_CI) + b"\0" * 23 + user
    if terminated:
        body += b"\0" + b"\0" + b"mysql_native_password\0"
    return body


class Raw:
    """One socket to a server, speaking packets."""

    def __init__(self, host: str, port: int, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection((host, port), timeout=scaled(timeout))
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def packet(self) -> tuple[bytes, int]:
        """The next packet (payload, sequence id); AssertionError when the server hung up first."""
        while True:
            if len(self.buffer) >= 4:
                length = int.from_bytes(self.buffer[:3], "little")
                if len(self.buffer) >= 4 + length:
                    payload, seq = self.buffer[4:4 + length], self.buffer[3]
                    self.buffer = self.buffer[4 + length:]
                    return payload, seq
            chunk = self.sock.recv(1 << 20)
            assert chunk, "the server hung up"
            self.buffer += chunk

    def closed_by_server(self, within: float) -> bool:
        """Whether the server closes the socket within `within` seconds (anything it sends is dropped)."""
        deadline = time.monotonic() + scaled(within)
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                return False
            except ConnectionResetError:
                return True
            if not chunk:
                return True
        return False

    def login(self, user: bytes = b"root", database: bytes | None = None) -> None:
        """Greeting, then a well-formed handshake response with an empty password."""
        greeting, _ = self.packet()
        assert greeting[0] == 10, greeting
        caps = CAPABILITIES | (CLIENT_CONNECT_WITH_DB if database else 0)
        body = struct.pack("<IIB", caps, 1 << 24, UTF8MB4_GENERAL_CI) + b"\0" * 23 + user + b"\0" + b"\0"
        if database:
            body += database + b"\0"
        body += b"mysql_native_password\0"
        self.send(frame(1, body))
        ok, _ = self.packet()
        assert ok[0] == 0, ok

    def command(self, payload: bytes) -> tuple[bytes, int]:
        """Send one command packet; its first reply packet."""
        self.send(frame(0, payload))
        return self.packet()


def error_code(payload: bytes) -> int | None:
    """The error number of an ERR packet, None for any other packet."""
    if payload[:1] != b"\xff":
        return None
    return int(struct.unpack("<H", payload[1:3])[0])


def _select_1(host: str, port: int, limit: float, **kwargs: Any) -> None:
    conn = pymysql.connect(host=host, port=port, user=kwargs.get("user", "root"),
                           password=kwargs.get("password", ""), connect_timeout=limit, read_timeout=limit,
                           ssl_disabled=True)  # pymysql would build a TLS context per connection
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchall() == ((1,),)
    finally:
        conn.close()


def load_allowance() -> float:
    """Extra seconds a loaded machine needs: 20 times the slowest of three connect + SELECT 1 on the
    MariaDB at 127.0.0.1:3306, a server that app's state cannot slow down (a few milliseconds on a
    quiet machine: a test's 1 s bound then holds as it is). 0 when MariaDB is not reachable."""
    times = []
    for _ in range(3):
        start = time.monotonic()
        try:
            _select_1(MARIADB_HOST, MARIADB_PORT, scaled(10), user=MARIADB_USER, password=MARIADB_PASSWORD)
        except pymysql.err.Error:
            return 0.0
        times.append(time.monotonic() - start)
    return 20 * max(times)


def select_1_within(host: str, port: int, seconds: float, allowance: float | None = None, **kwargs: Any) -> None:
    """A normal client connects and gets SELECT 1 back within `seconds` (scaled), plus the
    machine's load allowance (`load_allowance`, measured now unless given)."""
    __tracebackhide__ = True
    start = time.monotonic()
    limit = scaled(seconds)
    _select_1(host, port, scaled(10), **kwargs)
    took = time.monotonic() - start
    if took >= limit:
        extra = load_allowance() if allowance is None else allowance
        assert took < limit + extra, f"SELECT 1 took {took:.3f} s (load allowance {extra:.3f} s)"

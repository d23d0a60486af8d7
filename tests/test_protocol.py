"""The MySQL wire protocol as clients other than pymysql speak it, with a raw socket.

pymysql asks for neither CLIENT_DEPRECATE_EOF nor CLIENT_QUERY_ATTRIBUTES (MySQL 8 clients ask for
both), sends one command at a time and each in one piece. These tests speak the protocol byte by
byte, so that those paths of the server's command loop are exercised too: statements sent back to
back before any answer, a packet split across writes, query attributes, the OK that ends rows.
"""

from __future__ import annotations

import struct
from typing import Any

from _rawmysql import (
    CAPABILITIES,
    CLIENT_CONNECT_WITH_DB,
    CLIENT_DEPRECATE_EOF,
    CLIENT_QUERY_ATTRIBUTES,
    UTF8MB4_GENERAL_CI,
    Raw,
    frame,
)
from app import testingshim

BASE_CAPABILITIES = CAPABILITIES | CLIENT_CONNECT_WITH_DB


class RawClient(Raw):
    """Just enough of a MySQL client: handshake as root without a password, COM_QUERY, read packets."""

    def __init__(self, server: testingshim.TestServer, capabilities: int) -> None:
        super().__init__(*server.application_layer().sql_addr, timeout=10)
        greeting, _ = self.packet()
        assert greeting[0] == 10, greeting  # protocol version 10
        self.capabilities = capabilities
        database = server.application_layer().database.encode()
        response = (struct.pack("<IIB", capabilities, 1 << 24, UTF8MB4_GENERAL_CI) + b"\0" * 23
                    + b"root\0" + b"\0" + database + b"\0" + b"mysql_native_password\0")
        self.send(frame(1, response))
        ok, seq = self.packet()
        assert ok[0] == 0, f"login refused: {ok!r}"
        assert seq == 2

    def query_packet(self, sql: str) -> bytes:
        payload = b"\x03"
        if self.capabilities & CLIENT_QUERY_ATTRIBUTES:
            payload += b"\x00\x01"  # no attributes, one parameter set
        return frame(0, payload + sql.encode())

    def result(self) -> Any:
        """Rows (as lists of text values) of a result set, or ("OK", affected rows) / ("ERR", code)."""
        first, seq = self.packet()
        assert seq == 1
        if first[0] == 0xFF:
            return ("ERR", int.from_bytes(first[1:3], "little"))
        if first[0] == 0x00:
            return ("OK", first[1])
        for _ in range(first[0]):  # column definitions
            self.packet()
        if not self.capabilities & CLIENT_DEPRECATE_EOF:
            eof, _ = self.packet()
            assert eof[0] == 0xFE and len(eof) == 5
        rows = []
        while True:
            row, _ = self.packet()
            if row[0] == 0xFE and len(row) < 9:  # EOF, or the OK packet that ends rows
                return rows
            values, i = [], 0
            while i < len(row):
                if row[i] == 0xFB:
                    values.append(None)
                    i += 1
                else:
                    n = row[i]
                    values.append(row[i + 1:i + 1 + n].decode())
                    i += 1 + n
            rows.append(values)


def test_mysql8_style_client_with_query_attributes_and_deprecated_eof(app_server: testingshim.TestServer) -> None:
    client = RawClient(app_server, BASE_CAPABILITIES | CLIENT_DEPRECATE_EOF | CLIENT_QUERY_ATTRIBUTES)
    try:
        client.send(client.query_packet("SELECT 40 + 2, 'x'"))
        assert client.result() == [["42", "x"]]
        client.send(client.query_packet("SELECT * FROM no_such_table"))
        assert client.result() == ("ERR", 1146)
    finally:
        client.close()


def test_statements_sent_back_to_back_are_answered_in_order(app_server: testingshim.TestServer) -> None:
    client = RawClient(app_server, BASE_CAPABILITIES)
    try:
        # Reads (answered as they arrive), a write (which the connection's task finishes) and reads
        # after it, all in one send: every answer must come, in order, with the write's effect seen.
        statements = ["SELECT 1", "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (7)",
                      "SELECT id FROM t", "SELECT 2"]
        client.send(b"".join(client.query_packet(s) for s in statements))
        assert [client.result() for _ in statements] == [[["1"]], ("OK", 0), ("OK", 1), [["7"]], [["2"]]]
    finally:
        client.close()


def test_a_statement_split_across_writes(app_server: testingshim.TestServer) -> None:
    client = RawClient(app_server, BASE_CAPABILITIES)
    try:
        packet = client.query_packet("SELECT 'split' AS s")
        for part in (packet[:2], packet[2:9], packet[9:]):  # inside the header, then inside the payload
            client.send(part)
        client.send(client.query_packet("SELECT 'next'"))
        assert client.result() == [["split"]]
        assert client.result() == [["next"]]
    finally:
        client.close()

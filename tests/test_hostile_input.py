"""Hostile clients: inputs that hung, looped or misframed the server, each followed by a normal client.

Each input goes to app and to the MariaDB on 127.0.0.1:3306 (the `target` parameter), and both must
answer the same way; afterwards a normal client must get SELECT 1 back within a second.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import pymysql
import pytest

from _rawmysql import Raw, error_code, frame, handshake_response, select_1_within
from _sqldiff import MARIADB_HOST, MARIADB_PORT, mariadb_unreachable
from app import testingshim

Addr = tuple[str, int]


@pytest.fixture(params=["app", "mariadb"])
def target(request: pytest.FixtureRequest, app_server: testingshim.TestServer) -> Iterator[Addr]:
    """Where the hostile input goes: app, or MariaDB (the trusted server's answer)."""
    if request.param == "mariadb":
        reason = mariadb_unreachable()
        if reason or testingshim.selected_name() == "external":
            pytest.skip(reason or "under the external factory app is MariaDB")
        addr = (MARIADB_HOST, MARIADB_PORT)
    else:
        addr = app_server.application_layer().sql_addr
    yield addr
    select_1_within(*addr, 1.0)


def test_user_name_without_nul_is_a_bad_handshake(target: Addr) -> None:
    with Raw(*target) as raw:
        raw.packet()
        raw.send(frame(1, handshake_response(b"root", terminated=False)))
        reply, seq = raw.packet()
        assert (error_code(reply), seq) == (1043, 2)
        assert raw.closed_by_server(2.0)


def test_a_512_kb_user_name_is_refused_at_once(target: Addr) -> None:
    with Raw(*target) as raw:
        raw.packet()
        raw.send(frame(1, handshake_response(b"u" * 512 * 1024)))
        reply, _ = raw.packet()
        assert error_code(reply) in (1045, 1698)  # MariaDB: 1698 for a user with no password plugin


@pytest.mark.parametrize("command", [0x04, 0x1A, 0x0C, 0x17], ids=["field_list", "stmt_reset", "process_kill",
                                                                   "stmt_execute"])
def test_short_commands_get_an_error_and_the_connection_goes_on(target: Addr, command: int) -> None:
    with Raw(*target) as raw:
        raw.login()
        reply, seq = raw.command(bytes((command,)))
        assert error_code(reply) is not None and seq == 1
        reply, _ = raw.command(b"\x03SELECT 1")
        assert reply[:1] == b"\x01"  # one column: the connection still answers


def test_short_change_user_does_not_hang(target: Addr) -> None:
    with Raw(*target) as raw:
        raw.login()
        raw.send(frame(0, b"\x11"))
        raw.packet()  # app: 1835; MariaDB restarts the handshake: either way an answer, at once


@pytest.mark.parametrize("command", [0x20, 0xFF, None], ids=["0x20", "0xff", "empty"])
def test_unknown_commands_get_1047(target: Addr, command: int | None) -> None:
    with Raw(*target) as raw:
        raw.login()
        reply, seq = raw.command(b"" if command is None else bytes((command,)))
        assert (error_code(reply), seq) == (1047, 1)
        reply, _ = raw.command(b"\x03SELECT 1")
        assert reply[:1] == b"\x01"


def test_a_packet_out_of_order_closes_the_connection(target: Addr) -> None:
    with Raw(*target) as raw:
        raw.login()
        raw.send(frame(5, b"\x03SELECT 1"))
        reply, seq = raw.packet()
        assert (error_code(reply), seq) == (1156, 0)
        assert raw.closed_by_server(2.0)


def test_a_packet_over_max_allowed_packet_gets_1153_and_closes(target: Addr) -> None:
    with Raw(*target, timeout=30) as raw:
        raw.login()
        # 16 MiB - 1 bytes, then more: one COM_QUERY of 16 MiB + 99 bytes, over the 16 MiB default.
        raw.send(struct.pack("<I", 0xFFFFFF) + b"\x03" + b"a" * (0xFFFFFF - 1) + frame(1, b"a" * 100))
        reply, seq = raw.packet()
        assert (error_code(reply), seq) == (1153, 2)
        assert raw.closed_by_server(5.0)


def test_unknown_statement_ids(target: Addr) -> None:
    with Raw(*target) as raw:
        raw.login()
        reply, _ = raw.command(b"\x17" + struct.pack("<IBI", 77, 0, 1))
        assert error_code(reply) == 1243
        assert b"(77) given to mysqld_stmt_execute" in reply
        raw.send(frame(0, b"\x19" + struct.pack("<I", 77)))  # COM_STMT_CLOSE: no reply at all
        reply, _ = raw.command(b"\x03SELECT 1")
        assert reply[:1] == b"\x01"


def test_16_mib_packets_split_and_join_both_ways(app_server: testingshim.TestServer) -> None:
    """A command and a result row of more than 16 MiB: split into full packets and joined again.

    The command is COM_STMT_SEND_LONG_DATA (a query of that size would spend its time in the SQL layer's
    parser, not in the protocol): the connection answers the next commands in step, so the join took
    exactly the packet's bytes."""
    host, port = app_server.application_layer().sql_addr
    admin = app_server.application_layer().sql_conn()
    with admin.cursor() as cur:
        cur.execute("SET GLOBAL max_allowed_packet = 67108864")
    try:
        with Raw(host, port, timeout=30) as raw:
            raw.login()
            reply, _ = raw.command(b"\x16SET @long = ?")
            assert reply[0] == 0, reply
            stmt_id = reply[1:5]
            while raw.packet()[0][:1] != b"\xfe":  # the parameter's definition, then EOF
                pass
            payload = b"\x18" + stmt_id + b"\0\0" + b"z" * (17 << 20)
            raw.send(struct.pack("<I", 0xFFFFFF) + payload[:0xFFFFFF] + frame(1, payload[0xFFFFFF:]))
            reply, seq = raw.command(b"\x1a" + stmt_id)  # COM_STMT_RESET
            assert (reply[:1], seq) == (b"\0", 1), reply
        conn = pymysql.connect(host=host, port=port, user="root", password="", max_allowed_packet=64 << 20)
        try:
            with conn.cursor() as cur:
                cur.execute(f"SELECT REPEAT('ab', {9 << 20}), 7")
                (repeated, seven), = cur.fetchall()
                assert len(repeated) == 18 << 20 and repeated[:4] == "abab" and seven == 7
                cur.execute("SELECT 1")
                assert cur.fetchall() == ((1,),)
        finally:
            conn.close()
    finally:
        with admin.cursor() as cur:
            cur.execute("SET GLOBAL max_allowed_packet = 16777216")


def test_results_over_max_allowed_packet_are_null_with_warning_1301(target: Addr) -> None:
    conn = pymysql.connect(host=target[0], port=target[1], user="root", password="")
    try:
        with conn.cursor() as cur:
            for sql, name in [("SELECT REPEAT('hello', 4294967295)", "repeat"), ("SELECT SPACE(20000000)", "space"),
                              ("SELECT RPAD('a', 20000000, 'b')", "rpad"), ("SELECT LPAD('a', 20000000, 'b')", "lpad")]:
                cur.execute(sql)
                assert cur.fetchall() == ((None,),)
                cur.execute("SHOW WARNINGS")
                assert cur.fetchall() == (("Warning", 1301, f"Result of {name}() was larger than max_allowed_packet "
                                                            "(16777216) - truncated"),)
    finally:
        conn.close()

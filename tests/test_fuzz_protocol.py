"""A seeded packet fuzzer against a live server: no input may hang, crash or stall it.

Each case is a short exchange built from the seed and the case's number alone: a well-formed
handshake or command mutated (bytes flipped, cut short, lengths and sequence ids lied about, random
bytes), sent on a fresh socket, which is then closed. After every case a normal client must get
SELECT 1 back within a second. The same cases go to the MariaDB on 127.0.0.1:3306.

The seed is APP_TEST_SEED's (printed in pytest's header) or a fresh one; a failure names the seed
and the case. Replay one case with APP_FUZZ_CASE=n (and the same APP_TEST_SEED).
"""

from __future__ import annotations

import logging
import os
import random
import struct
import time
from collections.abc import Iterator

import pytest

from _rawmysql import CAPABILITIES, Raw, select_1_within
from _sqldiff import MARIADB_HOST, MARIADB_PORT, mariadb_unreachable
from app import testingshim

CASES = int(os.environ.get("APP_FUZZ_CASES", "300"))
Addr = tuple[str, int]

# Commands worth mutating, as a driver would send them (after login).
COMMANDS = [
    b"\x03SELECT 1", b"\x03SELECT 'a\\'b', X'41', _binary'\\x80', ?", b"\x16SELECT ?, ?", b"\x04t\x00",
    b"\x11root\x00\x00\x00\x2d\x00mysql_native_password\x00", b"\x17\x01\x00\x00\x00\x00\x01\x00\x00\x00",
    b"\x18\x01\x00\x00\x00\x00\x00abc", b"\x19\x01\x00\x00\x00", b"\x1a\x01\x00\x00\x00", b"\x1b\x00\x00",
    b"\x1c\x01\x00\x00\x00\x01\x00\x00\x00", b"\x02defaultdb", b"\x09", b"\x0e", b"\x1f",
    b"\x0d",
]


def _seed() -> int:
    env = os.environ.get("APP_TEST_SEED")
    return int(env) if env and env.isdigit() else random.SystemRandom().randrange(1 << 32)


SEED = _seed()


def mutate(rng: random.Random, payload: bytes) -> bytes:
    data = bytearray(payload)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        if kind == 0 and data:  # flip bytes
            for _ in range(rng.randint(1, 3)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1 and data:  # cut short
            del data[rng.randrange(len(data)):]
        elif kind == 2:  # random bytes in the middle
            pos = rng.randint(0, len(data))
            data[pos:pos] = rng.randbytes(rng.randint(1, 16))
        elif kind == 3:  # a huge length-encoded integer somewhere
            pos = rng.randint(0, len(data))
            data[pos:pos] = rng.choice([b"\xfe" + b"\xff" * 8, b"\xfd\xff\xff\xff", b"\xfc\xff\xff", b"\xfb"])
        elif kind == 4 and data:  # drop a NUL terminator
            idx = data.find(0)
            if idx >= 0:
                del data[idx]
        else:  # nothing but noise
            data = bytearray(rng.randbytes(rng.randint(0, 64)))
    return bytes(data)


# Commands no fuzz case sends, to app or to the shared MariaDB: shutdown, process kill, replication.
_FORBIDDEN = frozenset({0x08, 0x0C, 0x10, 0x12, 0x13, 0x14, 0x15, 0x1D, 0x1E})


def _safe(payload: bytes) -> bytes:
    if payload and payload[0] in _FORBIDDEN:
        return b"\x20" + payload[1:]  # an unknown command instead
    return payload


def case_bytes(seed: int, n: int) -> tuple[bool, bytes]:
    """Case `n`: (whether to log in first, the bytes then sent)."""
    rng = random.Random(f"{seed}:{n}")
    login = rng.random() < 0.7
    out = b""
    count = rng.randint(1, 16) if login else 1
    for i in range(count):
        if login:
            payload = _safe(mutate(rng, rng.choice(COMMANDS)) if rng.random() < 0.9 else rng.choice(COMMANDS))
            seq = 0 if rng.random() < 0.9 else rng.randrange(256)
        else:
            body = struct.pack("<IIB", CAPABILITIES, 1 << 24, 45) + b"\0" * 23 + b"root\0\0mysql_native_password\0"
            payload, seq = mutate(rng, body), 1
        length = len(payload)
        # A header that lies about the length, only on the last packet: misaligned bytes after it could
        # read as any command (COM_SHUTDOWN on the shared MariaDB).
        if i == count - 1 and rng.random() < 0.05:
            length = rng.choice([0xFFFFFF, length + rng.randint(1, 100), max(0, length - 1)])
        out += struct.pack("<I", (length & 0xFFFFFF) | seq << 24) + payload
    return login, out


def run_case(addr: Addr, seed: int, n: int) -> None:
    login, data = case_bytes(seed, n)
    with Raw(*addr, timeout=2.0) as raw:
        if login:
            raw.login()
        else:
            raw.packet()
        try:
            raw.send(data)
            raw.sock.settimeout(0.02)
            while raw.sock.recv(65536):  # whatever the server answers, until it pauses or hangs up
                pass
        except (TimeoutError, ConnectionError, OSError):
            pass


@pytest.fixture(params=["app", "mariadb"])
def target(request: pytest.FixtureRequest, app_server: testingshim.TestServer) -> Iterator[Addr]:
    if request.param == "mariadb":
        reason = mariadb_unreachable()
        if reason or testingshim.selected_name() == "external":
            pytest.skip(reason or "under the external factory app is MariaDB")
        yield MARIADB_HOST, MARIADB_PORT
    else:
        yield app_server.application_layer().sql_addr


def test_fuzzed_packets_never_stall_the_server(target: Addr, caplog: pytest.LogCaptureFixture) -> None:
    only = os.environ.get("APP_FUZZ_CASE")
    cases = [int(only)] if only else range(CASES)
    print(f"fuzz seed {SEED}: replay a case with APP_TEST_SEED={SEED} APP_FUZZ_CASE=n")
    caplog.set_level(logging.WARNING, logger="app")
    started = time.monotonic()
    for n in cases:
        try:
            run_case(target, SEED, n)
            select_1_within(*target, 1.0)
        except (TimeoutError, AssertionError, OSError) as e:
            raise AssertionError(f"fuzz case {n} (APP_TEST_SEED={SEED} APP_FUZZ_CASE={n}): {e!r}; "
                                 f"bytes sent: {case_bytes(SEED, n)!r:.400}") from e
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert not tracebacks, f"seed {SEED}: the server logged a traceback: {tracebacks[0].getMessage()}"
    print(f"{len(cases)} cases in {time.monotonic() - started:.1f} s")

"""caching_sha2_password (src/app/server/_auth.py): fast path, full authentication over TLS, and the RSA
key exchange on plaintext connections, with the clients that speak it.

The accounts here are bootstrap accounts of the configuration (`users:` with `plugin:`). MariaDB 10.11
has no caching_sha2_password (it is MySQL 8's), so there is nothing of it to compare with there.
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

import pymysql
import pytest

from _rawmysql import CAPABILITIES, Raw, frame
from app import testingshim
from app._certs import run_certificates
from app.testingshim import TestServerArgs

USERS = (("root", ""), ("sha", "s3cret pass", "caching_sha2_password"), ("nat", "n4tive"),
         ("nopw", "", "caching_sha2_password"))


@pytest.fixture
def server() -> Any:
    with testingshim.new_test_server(TestServerArgs(secure=True, users=USERS)) as srv:
        yield srv


def _connect(srv: Any, user: str, password: str, *, secure: bool, **kwargs: Any) -> Any:
    host, port = srv.application_layer().sql_addr
    tls: dict[str, Any] = ({"ssl_ca": run_certificates().ca, "ssl_verify_cert": True} if secure
                           else {"ssl_disabled": True})
    return pymysql.connect(host=host, port=port, user=user, password=password, **tls, **kwargs)


def _current_user(conn: Any) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT CURRENT_USER()")
        return str(cur.fetchone()[0])


def test_rsa_key_exchange_on_plaintext_then_fast_path(server: Any) -> None:
    """No login yet: the first plaintext login authenticates fully through the RSA key exchange (PyMySQL
    asks for the key); the next takes the fast path from the cache."""
    conn = _connect(server, "sha", "s3cret pass", secure=False)
    assert _current_user(conn).startswith("sha@")
    assert conn.server_public_key and conn.server_public_key.startswith(b"-----BEGIN PUBLIC KEY-----")
    conn.close()
    again = _connect(server, "sha", "s3cret pass", secure=False)
    assert again.server_public_key is None  # fast path: no key was needed
    again.close()
    with pytest.raises(pymysql.err.OperationalError) as e:
        _connect(server, "sha", "wrong", secure=False)
    assert e.value.args[0] == 1045


def test_full_authentication_over_tls(server: Any) -> None:
    conn = _connect(server, "sha", "s3cret pass", secure=True)
    assert _current_user(conn).startswith("sha@")
    conn.close()
    with pytest.raises(pymysql.err.OperationalError) as e:
        _connect(server, "sha", "s3cret", secure=True)
    assert e.value.args[0] == 1045


def test_cleartext_password_on_plaintext_is_never_accepted(server: Any) -> None:
    """mysql-connector (pure Python) cannot do the RSA exchange and answers a full-authentication request
    with the password in clear: on a plaintext connection that is refused. Once the account is cached
    (a login over TLS), its fast path works on plaintext too, as on MySQL."""
    connector = pytest.importorskip("mysql.connector", reason="mysql-connector-python is in the clients extra")
    host, port = server.application_layer().sql_addr
    plain = {"host": host, "port": port, "user": "sha", "password": "s3cret pass", "ssl_disabled": True,
             "use_pure": True}
    with pytest.raises(connector.Error) as e:
        connector.connect(**plain)
    assert e.value.errno == 1045, e.value
    tls = connector.connect(**{**plain, "ssl_disabled": False, "ssl_ca": run_certificates().ca,
                               "ssl_verify_cert": True})
    tls.close()
    conn = connector.connect(**plain)
    cur = conn.cursor()
    cur.execute("SELECT CURRENT_USER()")
    assert cur.fetchall()[0][0].startswith("sha@")
    conn.close()


def test_client_defaulting_to_caching_sha2_keeps_it_or_switches(server: Any) -> None:
    """mysql-connector starts with caching_sha2_password: a caching_sha2 account goes on with it (no switch
    to SHA-1), a mysql_native_password account is switched."""
    connector = pytest.importorskip("mysql.connector", reason="mysql-connector-python is in the clients extra")
    host, port = server.application_layer().sql_addr
    for user, password in (("sha", "s3cret pass"), ("nat", "n4tive"), ("nopw", "")):
        conn = connector.connect(host=host, port=port, user=user, password=password, use_pure=True,
                                 ssl_ca=run_certificates().ca, ssl_verify_cert=True)
        cur = conn.cursor()
        cur.execute("SELECT CURRENT_USER()")
        assert cur.fetchall()[0][0].startswith(user + "@")
        conn.close()


def _greeting_salt(greeting: bytes) -> bytes:
    end = greeting.index(b"\0", 1)
    pos = end + 1 + 4
    salt = greeting[pos:pos + 8]
    pos += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10
    return salt + greeting[pos:pos + 12]


def _sha2_scramble(password: bytes, nonce: bytes) -> bytes:
    p1 = hashlib.sha256(password).digest()
    mask = hashlib.sha256(hashlib.sha256(p1).digest() + nonce).digest()
    return bytes(a ^ b for a, b in zip(p1, mask, strict=True))


def _raw_login(srv: Any, user: bytes, auth: bytes) -> tuple[Raw, bytes]:
    host, port = srv.application_layer().sql_addr
    raw = Raw(host, port)
    greeting, _ = raw.packet()
    salt = _greeting_salt(greeting)
    scramble = auth if auth != b"SCRAMBLE" else _sha2_scramble(b"s3cret pass", salt)
    body = (struct.pack("<IIB", CAPABILITIES, 1 << 24, 45) + b"\0" * 23 + user + b"\0"
            + bytes((len(scramble),)) + scramble + b"caching_sha2_password\0")
    raw.send(frame(1, body))
    reply, _ = raw.packet()
    return raw, reply


def test_the_exchange_as_the_protocol_says(server: Any) -> None:
    """Packet by packet: a caching_sha2 answer in the handshake response is taken as is (no
    AuthSwitchRequest); uncached, the server asks for full authentication (0x01 0x04); on plaintext a
    password in clear is taken for an RSA ciphertext and fails; cached, the scramble is a fast-auth
    success (0x01 0x03) followed by OK."""
    raw, reply = _raw_login(server, b"sha", b"SCRAMBLE")
    with raw:
        assert reply == b"\x01\x04"
        raw.send(frame(3, b"s3cret pass\0"))
        refused, _ = raw.packet()
        assert refused[0] == 0xFF and struct.unpack_from("<H", refused, 1)[0] == 1045
    _connect(server, "sha", "s3cret pass", secure=True).close()  # full authentication over TLS fills the cache
    raw, reply = _raw_login(server, b"sha", b"SCRAMBLE")
    with raw:
        assert reply == b"\x01\x03"
        ok, _ = raw.packet()
        assert ok[0] == 0x00
    raw, reply = _raw_login(server, b"nat", b"\x01" * 32)
    with raw:
        assert reply.startswith(b"\xfemysql_native_password\0")


def test_account_without_password(server: Any) -> None:
    for secure in (False, True):
        conn = _connect(server, "nopw", "", secure=secure)
        assert _current_user(conn).startswith("nopw@")
        conn.close()
    with pytest.raises(pymysql.err.OperationalError) as e:
        _connect(server, "nopw", "something", secure=False)
    assert e.value.args[0] == 1045


def test_mysqlclient_with_caching_sha2(server: Any) -> None:
    MySQLdb = pytest.importorskip("MySQLdb", reason="mysqlclient is in the clients extra")
    host, port = server.application_layer().sql_addr
    conn = MySQLdb.connect(host=host, port=port, user="sha", password="s3cret pass",
                           ssl={"ca": run_certificates().ca}, ssl_mode="VERIFY_IDENTITY")
    try:
        cur = conn.cursor()
        cur.execute("SELECT CURRENT_USER()")
        assert cur.fetchone()[0].startswith("sha@")
    finally:
        conn.close()


def test_mariadb_cli_full_authentication_by_rsa_then_over_tls(server: Any) -> None:
    """libmariadb asks for the server's public key by itself on a plaintext connection."""
    import shutil
    import subprocess

    mariadb_cli = shutil.which("mariadb")
    if mariadb_cli is None:
        pytest.skip("the mariadb client is not installed (apt-get install mariadb-client)")
    host, port = server.application_layer().sql_addr
    for extra in (["--skip-ssl"], [f"--ssl-ca={run_certificates().ca}", "--ssl-verify-server-cert"]):
        proc = subprocess.run([mariadb_cli, f"-h{host}", f"-P{port}", "-usha", "-ps3cret pass", *extra, "-N", "-e",
                               "SELECT CURRENT_USER()"], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, proc
        assert proc.stdout.strip() == "sha@%", proc
    proc = subprocess.run([mariadb_cli, f"-h{host}", f"-P{port}", "-usha", "-pwrong", "--skip-ssl", "-e", "SELECT 1"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1 and "ERROR 1045" in proc.stderr, proc


def test_no_such_account_answers_as_an_uncached_one(server: Any) -> None:
    """A caching_sha2 client logging in as a user that does not exist gets the exchange a real account gets
    (full authentication asked for), then 1045: the answer does not tell which names exist."""
    for user in (b"sha", b"nobody_here"):
        raw, reply = _raw_login(server, user, b"SCRAMBLE")
        with raw:
            assert reply == b"\x01\x04", user
            raw.send(frame(3, b"\x02"))  # the public key, please
            key, _ = raw.packet()
            assert key.startswith(b"\x01-----BEGIN PUBLIC KEY-----"), user
            raw.send(frame(5, b"\x00" * 256))  # not a ciphertext of the key
            refused, _ = raw.packet()
            assert refused[0] == 0xFF and struct.unpack_from("<H", refused, 1)[0] == 1045, user
    with pytest.raises(pymysql.err.OperationalError) as e:
        _connect(server, "nobody_here", "x", secure=False)
    assert e.value.args[0] == 1045

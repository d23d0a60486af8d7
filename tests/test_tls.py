"""TLS on the SQL listener (src/app/server/_tls.py): the SSLRequest upgrade, verification by real clients,
`require_secure_transport`, `SHOW STATUS LIKE 'Ssl_%'`, `@@have_ssl`, and the framework's secure servers.

Certificates come from the run's test CA (`app.server._certs.run_certificates`, made once per run) or from a
CA a test makes for itself in its tmp_path; none is checked in. The MariaDB on 127.0.0.1:3306 has TLS
disabled (have_ssl DISABLED) and is shared: what it can answer without reconfiguring it (a plaintext
session's Ssl_* status, @@have_ssl, a client that insists on TLS) is compared with app's answer.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pymysql
import pytest

from _rawmysql import CAPABILITIES, Raw, frame, handshake_response
from _sqldiff import MARIADB_HOST, MARIADB_PORT, MARIADB_USER
from app import testingshim
from app._certs import CertificateAuthority, run_certificates
from app.testingshim import TestServerArgs, scaled

CLIENT_SSL = 1 << 11

def _one(conn: Any, sql: str) -> tuple[Any, ...]:
    with conn.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
    return tuple(row) if row is not None else ()


def _status(conn: Any, like: str) -> dict[str, str]:
    with conn.cursor() as cur:
        cur.execute(f"SHOW STATUS LIKE '{like}'")
        return {k: v for k, v in cur.fetchall()}


def _mariadb(**kwargs: Any) -> Any:
    return pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user=MARIADB_USER, ssl_disabled=True, **kwargs)


@pytest.fixture
def secure_server() -> Any:
    with testingshim.new_test_server(TestServerArgs(secure=True)) as srv:
        yield srv


def test_secure_server_is_verified_by_sql_conn(secure_server: Any) -> None:
    conn = secure_server.application_layer().sql_conn()
    status = _status(conn, "Ssl_%")
    assert status["Ssl_version"] in ("TLSv1.2", "TLSv1.3"), status
    assert status["Ssl_cipher"], status
    assert status["Ssl_server_not_after"].endswith(" GMT"), status
    assert _one(conn, "SELECT @@have_ssl, @@GLOBAL.require_secure_transport") == ("YES", 0)
    assert conn._secure  # PyMySQL's own record that it upgraded the socket


def test_plaintext_session_status_and_have_ssl_match_mariadb() -> None:
    """A server without TLS answers as the MariaDB without TLS does."""
    queries = ["SHOW STATUS LIKE 'Ssl_version'", "SHOW STATUS LIKE 'Ssl_cipher'", "SELECT @@have_ssl",
               "SHOW VARIABLES LIKE 'have_ssl'", "SHOW VARIABLES LIKE 'tls_version'",
               "SELECT @@GLOBAL.require_secure_transport"]
    mariadb = _mariadb()
    try:
        expected = [_one(mariadb, q) for q in queries]
    finally:
        mariadb.close()
    with testingshim.new_test_server(TestServerArgs(secure=False)) as srv:
        conn = srv.application_layer().sql_conn()
        assert [_one(conn, q) for q in queries] == expected


def test_client_insisting_on_tls_is_refused_by_a_plaintext_server_as_by_mariadb() -> None:
    """`mariadb --ssl-verify-server-cert` does not fall back to plaintext: 2026 on both."""
    mariadb_cli = shutil.which("mariadb")
    if mariadb_cli is None:
        pytest.skip("the mariadb client is not installed (apt-get install mariadb-client)")
    ca = run_certificates().ca
    results = []
    with testingshim.new_test_server(TestServerArgs(secure=False)) as srv:
        for host, port in ((MARIADB_HOST, MARIADB_PORT), srv.application_layer().sql_addr):
            proc = subprocess.run([mariadb_cli, f"-h{host}", f"-P{port}", "-uroot", "--ssl", f"--ssl-ca={ca}",
                                   "--ssl-verify-server-cert", "-e", "SELECT 1"],
                                  capture_output=True, text=True, timeout=30)
            results.append((proc.returncode, "ERROR 2026" in proc.stderr))
    assert results == [(1, True), (1, True)], results


def test_pymysql_refuses_a_server_of_another_ca(tmp_path: Path) -> None:
    other = CertificateAuthority.create(tmp_path / "other", name="another CA")
    cert = other.issue("server", tmp_path / "other")
    with testingshim.new_test_server(TestServerArgs(config={"tls": {"cert": cert.cert, "key": cert.key}})) as srv:
        host, port = srv.application_layer().sql_addr
        with pytest.raises(pymysql.err.OperationalError, match="CERTIFICATE_VERIFY_FAILED"):
            pymysql.connect(host=host, port=port, user="root", ssl_ca=run_certificates().ca, ssl_verify_cert=True)
        # The server goes on serving.
        ok = pymysql.connect(host=host, port=port, user="root", ssl_ca=other.cert, ssl_verify_cert=True,
                             ssl_verify_identity=True)
        assert _status(ok, "Ssl_version")["Ssl_version"].startswith("TLSv1.")
        ok.close()


def test_hostname_is_verified(tmp_path: Path) -> None:
    ca = CertificateAuthority.create(tmp_path)
    cert = ca.issue("elsewhere", tmp_path, names=("db.example.com",))
    with testingshim.new_test_server(TestServerArgs(config={"tls": {"cert": cert.cert, "key": cert.key}})) as srv:
        host, port = srv.application_layer().sql_addr
        with pytest.raises(pymysql.err.OperationalError, match=r"CERTIFICATE_VERIFY_FAILED|match"):
            pymysql.connect(host=host, port=port, user="root", ssl_ca=ca.cert, ssl_verify_cert=True,
                            ssl_verify_identity=True)


def test_require_secure_transport() -> None:
    args = TestServerArgs(secure=True, config={"require_secure_transport": True})
    with testingshim.new_test_server(args) as srv:
        host, port = srv.application_layer().sql_addr
        with pytest.raises(pymysql.err.OperationalError) as refused:
            pymysql.connect(host=host, port=port, user="root", ssl_disabled=True)
        assert refused.value.args[0] == 3159, refused.value
        assert "insecure transport are prohibited" in refused.value.args[1]
        conn = srv.application_layer().sql_conn(autocommit=True)
        assert _one(conn, "SELECT @@GLOBAL.require_secure_transport") == (1,)
        with conn.cursor() as cur:
            cur.execute("SET GLOBAL require_secure_transport = OFF")
        plain = pymysql.connect(host=host, port=port, user="root", ssl_disabled=True)
        assert _one(plain, "SELECT 1") == (1,)
        plain.close()


def test_require_secure_transport_cannot_be_set_without_tls() -> None:
    # MariaDB 10.11's error for it (4167); not asked of the shared MariaDB, where unix sockets count as a
    # secure transport, so the SET would succeed and lock every other TCP client out.
    if testingshim.selected_name() == "external":
        pytest.skip("SET GLOBAL require_secure_transport on the shared server would lock out its other clients")
    with testingshim.new_test_server(TestServerArgs(secure=False)) as srv:
        conn = srv.application_layer().sql_conn(autocommit=True)
        with pytest.raises(pymysql.err.OperationalError) as e, conn.cursor() as cur:
            cur.execute("SET GLOBAL require_secure_transport = ON")
        assert e.value.args[0] == 4167


def _ssl_request() -> bytes:
    return struct.pack("<IIB", CAPABILITIES | CLIENT_SSL, 1 << 24, 45) + b"\0" * 23


def test_bytes_sent_before_the_tls_handshake_are_never_read_as_a_login(secure_server: Any) -> None:
    """STARTTLS injection: a plaintext login right behind the SSLRequest goes to the TLS layer, which
    refuses it; nothing logs in, and the server goes on serving."""
    host, port = secure_server.application_layer().sql_addr
    with Raw(host, port) as raw:
        greeting, _ = raw.packet()
        caps = struct.unpack_from("<H", greeting, greeting.index(b"\0", 1) + 1 + 4 + 9)[0]
        assert caps & CLIENT_SSL
        raw.send(frame(1, _ssl_request()) + frame(2, handshake_response(b"root")))
        assert raw.closed_by_server(within=5)
    conn = secure_server.application_layer().sql_conn()
    assert _one(conn, "SELECT 1") == (1,)


def test_ssl_request_to_a_server_without_tls_is_a_bad_handshake_as_on_mariadb() -> None:
    def answer(host: str, port: int) -> tuple[bytes, int]:
        with Raw(host, port) as raw:
            greeting, _ = raw.packet()
            caps = struct.unpack_from("<H", greeting, greeting.index(b"\0", 1) + 1 + 4 + 9)[0]
            assert not caps & CLIENT_SSL  # neither offers TLS
            raw.send(frame(1, _ssl_request()))
            return raw.packet()

    with testingshim.new_test_server(TestServerArgs(secure=False)) as srv:
        ours = answer(*srv.application_layer().sql_addr)
    assert ours == answer(MARIADB_HOST, MARIADB_PORT) == (b"\xff\x13\x04#08S01Bad handshake", 2)


def test_garbage_instead_of_a_tls_handshake(secure_server: Any) -> None:
    host, port = secure_server.application_layer().sql_addr
    with Raw(host, port) as raw:
        raw.packet()
        raw.send(frame(1, _ssl_request()) + b"\x16\x03\x01\x00\x05hello" + b"\0" * 100)
        assert raw.closed_by_server(within=5)
    assert _one(secure_server.application_layer().sql_conn(), "SELECT 2") == (2,)


# -- real clients ---------------------------------------------------------------------------------


def test_pymysql_with_a_client_certificate(secure_server: Any) -> None:
    certs = run_certificates()
    host, port = secure_server.application_layer().sql_addr
    conn = pymysql.connect(host=host, port=port, user="root", ssl_ca=certs.ca, ssl_cert=certs.client_cert,
                           ssl_key=certs.client_key, ssl_verify_cert=True, ssl_verify_identity=True)
    assert _status(conn, "Ssl_version")["Ssl_version"].startswith("TLSv1.")
    conn.close()


def test_mariadb_cli_verifies_the_server(secure_server: Any) -> None:
    mariadb_cli = shutil.which("mariadb")
    if mariadb_cli is None:
        pytest.skip("the mariadb client is not installed (apt-get install mariadb-client)")
    host, port = secure_server.application_layer().sql_addr
    proc = subprocess.run([mariadb_cli, f"-h{host}", f"-P{port}", "-uroot", f"--ssl-ca={run_certificates().ca}",
                           "--ssl-verify-server-cert", "-N", "-e", "SHOW STATUS LIKE 'Ssl_version'"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc
    assert proc.stdout.split() in (["Ssl_version", "TLSv1.3"], ["Ssl_version", "TLSv1.2"]), proc


def test_mysqlclient_verifies_the_server(secure_server: Any) -> None:
    MySQLdb = pytest.importorskip("MySQLdb", reason="mysqlclient is in the clients extra")
    host, port = secure_server.application_layer().sql_addr
    conn = MySQLdb.connect(host=host, port=port, user="root", ssl={"ca": run_certificates().ca},
                           ssl_mode="VERIFY_IDENTITY")
    try:
        assert _status(conn, "Ssl_version")["Ssl_version"].startswith("TLSv1.")
    finally:
        conn.close()


def test_mysql_connector_pure_verifies_the_server(secure_server: Any) -> None:
    connector = pytest.importorskip("mysql.connector", reason="mysql-connector-python is in the clients extra")
    host, port = secure_server.application_layer().sql_addr
    conn = connector.connect(host=host, port=port, user="root", password="", ssl_ca=run_certificates().ca,
                             ssl_verify_cert=True, ssl_verify_identity=True, use_pure=True)
    try:
        cur = conn.cursor()
        cur.execute("SHOW STATUS LIKE 'Ssl_version'")
        assert cur.fetchall()[0][1].startswith("TLSv1.")
    finally:
        conn.close()


_CONNECTOR_C = textwrap.dedent("""
    import _mysql_connector  # first: it links its own OpenSSL, which cannot load after the system's libssl
    import sys
    import mysql.connector
    from mysql.connector.connection_cext import CMySQLConnection
    host, port, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    conn = mysql.connector.connect(host=host, port=port, user="root", password="", ssl_ca=ca,
                                   ssl_verify_cert=True, ssl_verify_identity=True, use_pure=False)
    assert isinstance(conn, CMySQLConnection), type(conn)
    cur = conn.cursor()
    cur.execute("SHOW STATUS LIKE 'Ssl_version'")
    print(cur.fetchall()[0][1])
    conn.close()
""")


def test_mysql_connector_c_extension_verifies_the_server(secure_server: Any) -> None:
    # In a fresh interpreter: the C extension cannot load where Python's ssl loaded the system libssl
    # first (README, "Acceptance tests").
    pytest.importorskip("mysql.connector", reason="mysql-connector-python is in the clients extra")
    host, port = secure_server.application_layer().sql_addr
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", _CONNECTOR_C, host, str(port), run_certificates().ca],
                          capture_output=True, text=True, timeout=60, env=env)
    if proc.returncode != 0 and "No module named '_mysql_connector'" in proc.stderr:
        pytest.skip("mysql-connector-python's C extension is not installed")
    assert proc.returncode == 0, proc
    assert proc.stdout.strip().startswith("TLSv1."), proc


# -- configuration ----------------------------------------------------------------------------------


def test_command_line_flags_turn_tls_on(tmp_path: Path) -> None:
    certs = run_certificates()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "app", "sql-server", f"--port={port}", "--ssl-cert", certs.cert,
                             "--ssl-key", certs.key, "--tls-ca", certs.ca, "--require-secure-transport"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "ready for connections" in line:
                break
        else:
            pytest.fail(f"the server exited with {proc.wait()}")
        ctx = ssl.create_default_context(cafile=certs.ca)
        conn = pymysql.connect(host="127.0.0.1", port=port, user="root", ssl=ctx)
        assert _one(conn, "SELECT @@have_ssl, @@require_secure_transport") == ("YES", 1)
        conn.close()
    finally:
        proc.terminate()
        assert proc.wait(timeout=15) == 0
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.parametrize(("text", "message"), [
    ("tls: {cert: missing.pem, key: missing-key.pem}\n", "tls.cert: cannot read"),
    ("tls: {cert: ca.pem}\n", "missing 'key'"),
    ("require_secure_transport: true\n", "require_secure_transport needs TLS"),
    ("tls: {cert: ca.pem, key: ca.pem, bogus: 1}\n", "unknown key 'bogus'"),
])
def test_bad_tls_configuration_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    shutil.copy(run_certificates().ca, tmp_path / "ca.pem")
    (tmp_path / "server.yaml").write_text(text)
    proc = subprocess.run([sys.executable, "-m", "app", "sql-server", "--config", str(tmp_path / "server.yaml"),
                           "--port=0"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc
    assert message in proc.stderr and "server.yaml" in proc.stderr, proc.stderr


def test_a_key_that_does_not_match_its_certificate_stops_the_server(tmp_path: Path) -> None:
    certs = run_certificates()
    proc = subprocess.run([sys.executable, "-m", "app", "sql-server", "--port=0", "--tls-cert", certs.cert,
                           "--tls-key", certs.client_key], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc
    assert "cannot load the server certificate" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


# -- the framework's secure mode ----------------------------------------------------------------------


def test_random_factory_draws_secure_mode_from_the_seed() -> None:
    from app.testingshim import _registry

    before = _registry._current_test
    try:
        testingshim.select_factory("random")
        draws = {}
        for i in range(32):
            _registry.set_current_test(f"tests/x.py::test_{i}")
            draws[i] = _registry.resolve_secure(TestServerArgs()).secure
            assert _registry.resolve_secure(TestServerArgs()).secure == draws[i]  # the same test, the same draw
            assert _registry.resolve_secure(TestServerArgs(secure=False)).secure is False  # a test's own choice wins
        assert set(draws.values()) == {True, False}, draws
        testingshim.select_factory("inprocess")
        assert _registry.resolve_secure(TestServerArgs()).secure is False
    finally:
        testingshim.select_factory(None)
        _registry.set_current_test(before)


def test_change_user_to_a_caching_sha2_account_over_tls() -> None:
    connector = pytest.importorskip("mysql.connector", reason="mysql-connector-python is in the clients extra")
    users = (("root", ""), ("sha", "pw 2", "caching_sha2_password"))
    with testingshim.new_test_server(TestServerArgs(secure=True, users=users)) as srv:
        host, port = srv.application_layer().sql_addr
        conn = connector.connect(host=host, port=port, user="root", password="", use_pure=True,
                                 ssl_ca=run_certificates().ca, ssl_verify_cert=True)
        try:
            conn.cmd_change_user(username="sha", password="pw 2")
            cur = conn.cursor()
            cur.execute("SELECT CURRENT_USER()")
            assert cur.fetchall()[0][0].startswith("sha@")
            cur.close()
            with pytest.raises(connector.Error) as e:
                conn.cmd_change_user(username="sha", password="wrong")
            assert e.value.errno == 1045
        finally:
            conn.close()


def test_large_results_kill_and_shutdown_over_tls() -> None:
    """What runs over the plain socket runs over TLS: a multi-megabyte result (many TLS records), KILL of
    a TLS connection from another one (its socket shut down under its thread), and a stop with a TLS
    client connected."""
    srv = testingshim.new_test_server(TestServerArgs(secure=True))
    try:
        app = srv.application_layer()
        victim = app.sql_conn(autocommit=True)
        with victim.cursor() as cur:
            cur.execute("SELECT REPEAT('ab', 3000000), CONNECTION_ID()")
            text, victim_id = cur.fetchone()
            assert text == "ab" * 3000000
        killer = app.sql_conn(autocommit=True)
        with killer.cursor() as cur:
            cur.execute(f"KILL CONNECTION {int(victim_id)}")
        with pytest.raises(pymysql.err.OperationalError), victim.cursor() as cur:
            cur.execute("SELECT 1")
        idle = app.sql_conn()
        assert _one(idle, "SELECT 3") == (3,)
    finally:
        srv.stop()  # closes the idle TLS client too (the leak check after the test says so)


def test_wait_timeout_closes_an_idle_tls_connection(secure_server: Any) -> None:
    """A TLS connection keeps Python's socket timeout (a plaintext one blocks in the kernel with
    SO_RCVTIMEO, which the ssl module would retry forever): an idle TLS client is closed at wait_timeout."""
    conn = secure_server.application_layer().sql_conn()
    with conn.cursor() as cur:
        cur.execute("SET SESSION wait_timeout = 1")
    conn._sock.settimeout(scaled(4.0))
    try:
        closed = conn._sock.recv(1) == b""  # the server hung up
    except (ssl.SSLError, ConnectionError):
        closed = True  # or cut the stream without a TLS close_notify
    except TimeoutError:
        closed = False
    assert closed, "an idle TLS connection outlived wait_timeout"


def test_external_factory_skips_secure_servers() -> None:
    from app.testing._external import ExternalFactory
    from app.testingshim import RequirementNotMet

    with pytest.raises(RequirementNotMet, match="TLS from the run's test CA"):
        ExternalFactory().new_server(TestServerArgs(secure=True))


def test_a_certificate_flag_without_its_key_stops_the_server() -> None:
    proc = subprocess.run([sys.executable, "-m", "app", "sql-server", "--port=0", "--tls-cert",
                           run_certificates().cert], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc
    assert "--tls-key" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_a_client_certificate_of_another_ca_is_refused(secure_server: Any, tmp_path: Path) -> None:
    other = CertificateAuthority.create(tmp_path, name="not the server's CA")
    stranger = other.issue("stranger", tmp_path)
    host, port = secure_server.application_layer().sql_addr
    with pytest.raises(pymysql.err.OperationalError):
        conn = pymysql.connect(host=host, port=port, user="root", ssl_ca=run_certificates().ca,
                               ssl_cert=stranger.cert, ssl_key=stranger.key, ssl_verify_cert=True)
        conn.close()  # not reached: TLS 1.3 reports the refusal at the first read, inside connect
    assert _one(secure_server.application_layer().sql_conn(), "SELECT 4") == (4,)

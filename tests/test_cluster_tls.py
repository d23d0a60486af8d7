"""Mutual TLS on the replication links (cluster.tls; src/app/server/_tls.py, _replstandby.py, _replprimary.py).

A cluster whose nodes are all secure (`TestServerArgs(secure=True)`) replicates over TLS, each end
presenting a certificate of the run's test CA. A peer without such a certificate is refused in the TLS
handshake, before any byte of the replication protocol is read: a plaintext client (even one that knows
the cluster secret), and a client with a certificate of another CA.
"""

from __future__ import annotations

import socket
import ssl
from pathlib import Path
from typing import Any

import pytest

from app import testingshim
from app._certs import CertificateAuthority, run_certificates
from app.server._config import parse_config
from app.server._peerauth import NONCE_HEADER, new_nonce
from app.testingshim import TestClusterArgs, TestServerArgs

SECURE = TestClusterArgs(default=TestServerArgs(secure=True))


def _request(port: int) -> bytes:
    return (f"POST /replicate HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\n"
            f"Upgrade: app-replication/1\r\n{NONCE_HEADER}: {new_nonce()}\r\nContent-Length: 0\r\n\r\n").encode()


def _read_all(sock: socket.socket) -> bytes:
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            pytest.fail(f"the node kept the peer's stream open: {received[:200]!r}")
        except (ssl.SSLError, ConnectionResetError):
            return received
        if not chunk:
            return received
        received += chunk


def _write(cluster: Any) -> None:
    conn = cluster.server(cluster.primary()).application_layer().sql_conn(autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS t (a INT)")
        cur.execute("INSERT INTO t VALUES (1)")


def _count(cluster: Any, i: int) -> int:
    with cluster.server(i).application_layer().sql_conn().cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM t")
        return int(cur.fetchone()[0])


def test_a_secure_cluster_replicates_over_mutual_tls() -> None:
    with testingshim.start_cluster(2, SECURE) as cluster:
        _write(cluster)
        cluster.wait_for_replication()
        assert _count(cluster, 1) == 1
        # The SQL listeners are secure too.
        with cluster.server(1).application_layer().sql_conn().cursor() as cur:
            cur.execute("SHOW STATUS LIKE 'Ssl_version'")
            assert cur.fetchone()[1].startswith("TLSv1.")


def test_peers_without_a_certificate_of_the_cluster_ca_are_refused_before_any_frame(tmp_path: Path) -> None:
    other = CertificateAuthority.create(tmp_path, name="not the cluster's CA")
    stranger = other.issue("stranger", tmp_path)
    certs = run_certificates()
    with testingshim.start_cluster(2, SECURE) as cluster:
        _write(cluster)
        cluster.wait_for_replication()
        for i in range(cluster.num_nodes):
            port = cluster.remotesapi_port(i)
            # Plaintext, as README's wire format: the node expects a TLS ClientHello and closes.
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(_request(port))
                answer = _read_all(s)
                assert b"HTTP/1.1" not in answer, answer[:200]
            # TLS with a certificate of another CA: the handshake fails.
            ctx = ssl.create_default_context(cafile=certs.ca)
            ctx.load_cert_chain(stranger.cert, stranger.key)
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with pytest.raises((ssl.SSLError, ConnectionResetError)):
                    with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                        s.sendall(_request(port))
                        _read_all(s)
                        raise ssl.SSLError("the node read a request from a peer of another CA")
            # TLS without any client certificate: closed before the request is read.
            bare = ssl.create_default_context(cafile=certs.ca)
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with bare.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                    s.sendall(_request(port))
                    assert _read_all(s) == b""
        _write(cluster)
        cluster.wait_for_replication()
        assert _count(cluster, 1) == 2
        assert "presented no certificate of the cluster's CA" in cluster.log_text()


def test_a_member_certificate_still_needs_the_secret() -> None:
    """Both credentials, when both are configured: a peer with a good certificate but no secret is
    refused by the HMAC handshake (401 without a nonce)."""
    certs = run_certificates()
    with testingshim.start_cluster(2, SECURE) as cluster:
        port = cluster.remotesapi_port(1)
        ctx = ssl.create_default_context(cafile=certs.ca)
        ctx.load_cert_chain(certs.client_cert, certs.client_key)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                s.sendall(b"POST /replicate HTTP/1.1\r\nHost: x\r\nUpgrade: app-replication/1\r\n\r\n")
                assert _read_all(s).startswith(b"HTTP/1.1 401")


def test_cluster_tls_alone_is_enough_credentials(tmp_path: Path) -> None:
    certs = run_certificates()
    text = (f"cluster:\n  standby_remotes: [{{name: b, remote_url_template: 'http://127.0.0.1:1/{{database}}'}}]\n"
            f"  remotesapi: {{port: 0}}\n  tls: {{cert: {certs.cert}, key: {certs.key}, ca: {certs.ca}}}\n")
    cfg = parse_config(text, str(tmp_path / "server.yaml"))
    assert cfg.cluster is not None and cfg.cluster.tls is not None and cfg.cluster.secret is None
    with pytest.raises(Exception, match="missing 'ca'"):
        parse_config(text.replace(f", ca: {certs.ca}", ""), str(tmp_path / "server.yaml"))


def test_tls_per_node() -> None:
    """One secure node in a cluster: its SQL listener has TLS; the links keep the secret alone (mutual TLS
    needs every node's certificate)."""
    args = TestClusterArgs(server_args={1: TestServerArgs(secure=True)})
    with testingshim.start_cluster(2, args) as cluster:
        _write(cluster)
        cluster.wait_for_replication()
        assert _count(cluster, 1) == 1
        versions = []
        for i in range(2):
            with cluster.server(i).application_layer().sql_conn().cursor() as cur:
                cur.execute("SHOW STATUS LIKE 'Ssl_version'")
                versions.append(cur.fetchone()[1])
        assert versions[0] == "" and versions[1].startswith("TLSv1."), versions

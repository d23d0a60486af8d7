"""Replication that only a member of the cluster can speak (src/app/server/_peerauth.py), and a standby
that applies only structured changes (src/app/sql/_replica.py, src/app/sql/_sealed.py).

The rogue-primary probe of issue 12: a client that opens a node's replication endpoint as README's
wire format says, without the cluster secret, and says hello at a higher epoch, so that a real
primary would step down and take its snapshot. Every node refuses it before reading a frame, and
nothing changes: roles, epochs, data. A peer that knows the secret gets no further with a "ddl"
entry carrying ATTACH (a file written anywhere): the standby applies only DDL of its own database.
"""

from __future__ import annotations

import json
import socket
import struct
from pathlib import Path
from typing import Any

import pytest

from app import testingshim
from app.server._peerauth import NONCE_HEADER, PROOF_HEADER, check, new_nonce, proof
from app.sql import Applier, Change, Engine, ReplicationApplyError, Storage
from app.testingshim import TestClusterArgs, TestServerArgs, wait_for


def _frame(header: dict[str, Any], body: bytes = b"") -> bytes:
    head = json.dumps(header).encode()
    return struct.pack(">II", len(head), len(body)) + head + body


def _rogue_primary(port: int, *, nonce: str | None, proof_text: bytes | None = None,
                   frames: list[bytes] | None = None) -> bytes:
    """Speak the replication wire format to a node's endpoint as README describes it; what came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        nonce_line = f"{NONCE_HEADER}: {nonce}\r\n" if nonce is not None else ""
        s.sendall(f"POST /replicate HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\n"
                  f"Upgrade: app-replication/1\r\n{nonce_line}Content-Length: 0\r\n\r\n".encode())
        s.sendall((proof_text or b"") + b"".join(frames or [
            _frame({"t": "hello", "role": "primary", "epoch": 1000, "log_id": "rogue", "position": 0, "name": "x"}),
            _frame({"t": "snapshot", "log_id": "rogue", "pos": 1, "dbs": []}),
        ]))
        received = b""
        while True:  # until the node closes the stream (a refusal) or the timeout says it waits for more
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                pytest.fail(f"the node kept the rogue's stream open: {received[:200]!r}")
            except ConnectionResetError:
                # The node closed the stream with the rogue's frames unread, so the kernel reset it:
                # closed all the same (what it answered before is in `received`).
                return received
            if not chunk:
                return received
            received += chunk


def _state(cluster: Any) -> list[tuple[Any, ...]]:
    out = []
    for i in range(cluster.num_nodes):
        conn = cluster.server(i).application_layer().sql_conn()
        with conn.cursor() as cur:
            cur.execute("SELECT @@GLOBAL.app_cluster_role, @@GLOBAL.app_cluster_role_epoch")
            out.append(tuple(cur.fetchone()))
            cur.execute("SELECT COUNT(*) FROM sec_probe.t")
            out.append(tuple(cur.fetchone()))
    return out


def test_the_rogue_primary_probe_is_refused_by_every_node_and_changes_nothing() -> None:
    with testingshim.start_cluster(2, TestClusterArgs()) as cluster:
        conn = cluster.server(cluster.primary()).application_layer().sql_conn(autocommit=True)
        with conn.cursor() as cur:
            cur.execute("CREATE DATABASE sec_probe")
            cur.execute("CREATE TABLE sec_probe.t (a INT)")
            cur.execute("INSERT INTO sec_probe.t VALUES (1), (2)")
        cluster.wait_for_replication()
        before = _state(cluster)
        for i in range(cluster.num_nodes):
            port = cluster.remotesapi_port(i)
            # No credentials at all: 401, the stream closed, no frame read.
            answer = _rogue_primary(port, nonce=None)
            assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
            assert b"101" not in answer.split(b"\r\n")[0]
            # A well-formed nonce but a proof made without the secret: the stream closes after the 101.
            nonce = new_nonce()
            answer = _rogue_primary(port, nonce=nonce, proof_text=proof(b"not the cluster secret", "primary",
                                                                         nonce, "0" * 32).encode())
            head, _, rest = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 101"), answer[:200]
            assert rest == b"", f"node {i} answered a rogue's frames: {rest[:200]!r}"
        cluster.wait_for_replication()
        assert _state(cluster) == before
        assert "refused a replication peer" in cluster.log_text()


def _until_closed(s: socket.socket) -> None:
    """Read until the node closes the connection (a reset counts: it closed with our bytes unread)."""
    try:
        while s.recv(65536):
            pass
    except ConnectionResetError:
        pass


def test_a_request_without_end_costs_one_log_line_and_the_node_goes_on() -> None:
    # Hostile input on the replication port: a head longer than the reader takes, and one that never ends.
    with testingshim.start_cluster(2, TestClusterArgs()) as cluster:
        port = cluster.remotesapi_port(0)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"GET / HTTP/1.1\r\nX: " + b"a" * 200_000)
            _until_closed(s)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"GET / HTTP/1.1\r\n")  # and nothing more: the endpoint's 5 s deadline closes it
            _until_closed(s)
        wait_for(lambda: cluster.log_text().count("closed a replication connection") >= 2, timeout=30,
                 what="both requests to be closed and logged")
        assert "Traceback" not in cluster.log_text() and "Unhandled exception" not in cluster.log_text()
        with cluster.server(0).application_layer().sql_conn().cursor() as cur:
            cur.execute("SELECT @@GLOBAL.app_cluster_role")
            assert cur.fetchone() == ("primary",)


def test_nodes_with_another_secret_do_not_replicate_to_each_other(app_server_factory: Any) -> None:
    from app._ports import free_port

    ports = [free_port(), free_port()]

    def config(i: int) -> dict[str, Any]:
        return {"cluster": {"standby_remotes": [{"name": f"node{1 - i}", "remote_url_template":
                                                 f"http://127.0.0.1:{ports[1 - i]}/{{database}}"}],
                            "bootstrap_role": "standby" if i else "primary", "bootstrap_epoch": 1,
                            "remotesapi": {"port": ports[i]}, "secret": f"secret number {i} of this test"}}

    primary, standby = (app_server_factory(TestServerArgs(config=config(i))) for i in range(2))
    conn = primary.application_layer().sql_conn(autocommit=True)

    def errors() -> set[Any]:
        with conn.cursor() as cur:
            cur.execute("SELECT current_error FROM app_cluster.app_cluster_status")
            return {r[0] for r in cur.fetchall()}

    # The primary's link says why; the standby never got the default database.
    wait_for(lambda: any(e and "cluster.secret" in e for e in errors()), timeout=20,
             what="the primary to report the standby's unproven membership")
    with standby.application_layer().sql_conn(database="").cursor() as cur:
        cur.execute("SHOW DATABASES LIKE 'defaultdb'")
        assert cur.fetchall() == ()


def test_the_standby_proves_itself_before_the_primary_sends_anything() -> None:
    # The primary's check of the standby's proof, with the standby's own answer.
    secret = b"the cluster secret of this test"
    primary_nonce, standby_nonce = new_nonce(), new_nonce()
    good = proof(secret, "standby", primary_nonce, standby_nonce)
    assert check(secret, "standby", primary_nonce, standby_nonce, good)
    assert not check(secret, "primary", primary_nonce, standby_nonce, good)  # roles do not swap
    assert not check(secret, "standby", primary_nonce, new_nonce(), good)    # nor replay elsewhere
    assert not check(b"another secret of this test", "standby", primary_nonce, standby_nonce, good)
    assert PROOF_HEADER and not check(secret, "standby", primary_nonce, standby_nonce, None)


@pytest.mark.parametrize("statements", [
    ("ATTACH DATABASE '{path}' AS p", "CREATE TABLE p.x (a INT)"),
    ("ATTACH DATABASE '{path}' AS p; CREATE TABLE p.x (a INT)",),
    ("CREATE TABLE ok (a INT); ATTACH DATABASE '{path}' AS p",),
    ("VACUUM INTO '{path}'",),
    ("PRAGMA writable_schema = ON",),
    ("CREATE TABLE y AS SELECT file FROM pragma_database_list",),
    ("CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END",),
    ("CREATE TABLE z (a INT DEFAULT (load_extension('x')))",),
    ("SELECT load_extension('x')",),
    ("COMMIT",),
])
def test_a_standby_applies_only_ddl_of_its_own_database(tmp_path: Path, statements: tuple[str, ...]) -> None:
    target = tmp_path / "written.db"
    engine = Engine(Storage())
    try:
        session = engine.new_session()
        for sql in ("CREATE DATABASE d", "USE d", "CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1)"):
            session.execute(sql)
        session.close()
        before = engine.storage.checksum("d")
        change = Change("ddl", "d", tuple(s.format(path=target) for s in statements))
        with pytest.raises(ReplicationApplyError):
            Applier(engine).apply([change])
        assert not target.exists()
        assert engine.storage.checksum("d") == before
    finally:
        engine.close()


def test_a_standby_applies_the_ddl_a_primary_sends() -> None:
    primary, standby = Engine(Storage()), Engine(Storage())
    log: list[list[Change]] = []
    primary.commits.capture = True
    primary.commits.listeners.append(log.append)
    try:
        session = primary.new_session()
        for sql in ("CREATE DATABASE d", "USE d", "CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, b INT)",
                    "INSERT INTO t (b) VALUES (1)", "ALTER TABLE t ADD COLUMN c INT", "CREATE INDEX tb ON t (b)",
                    "CREATE VIEW v AS SELECT b FROM t", "TRUNCATE TABLE t", "RENAME TABLE t TO t2",
                    "ALTER TABLE t2 DROP COLUMN c", "DROP VIEW v", "CREATE TABLE c AS SELECT 1 AS one"):
            session.execute(sql)
        session.close()
        applier = Applier(standby)
        for changes in log:
            applier.apply(changes)
        assert standby.storage.checksum("d") == primary.storage.checksum("d")
    finally:
        primary.close()
        standby.close()

"""Accounts replicate (src/app/sql/_replica.py, the "accounts" change and the snapshot's accounts): an
account made on the primary logs in on every standby with its grants; a standby refuses account
changes as it refuses writes (1290); a standby that comes back from a snapshot has the accounts too; the
cluster's procedures need SUPER (1227)."""

from __future__ import annotations

import json
import socket
from typing import Any

import pymysql
import pytest


def _exec(server: Any, sql: str) -> None:
    with server.application_layer().sql_conn(autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql)


def _login(server: Any, user: str, password: str, *, database: bool = True) -> Any:
    host, port = server.application_layer().sql_addr
    return pymysql.connect(host=host, port=port, user=user, password=password, autocommit=True,
                           database=server.application_layer().database if database else None)


def _grants(server: Any, user: str, password: str) -> set[str]:
    with _login(server, user, password, database=False) as conn, conn.cursor() as cur:
        cur.execute("SHOW GRANTS")
        return {r[0] for r in cur.fetchall()}


@pytest.mark.app_cluster(num_nodes=2)
def test_accounts_replicate_and_standbys_refuse_account_changes(app_cluster: Any) -> None:
    primary, standby = app_cluster.server(0), app_cluster.server(1)
    db = primary.application_layer().database
    _exec(primary, "CREATE TABLE t (a INT)")
    _exec(primary, "CREATE USER h_acc_repl IDENTIFIED BY 'pw'")
    _exec(primary, f"GRANT SELECT ON {db}.t TO h_acc_repl")
    _exec(primary, "INSERT INTO t VALUES (1)")
    app_cluster.wait_for_replication()
    assert _grants(standby, "h_acc_repl", "pw") == _grants(primary, "h_acc_repl", "pw")
    with _login(standby, "h_acc_repl", "pw") as conn, conn.cursor() as cur:
        cur.execute("SELECT a FROM t")
        assert cur.fetchall() == ((1,),)
        with pytest.raises(pymysql.err.OperationalError) as refused:
            cur.execute("INSERT INTO t VALUES (2)")
        assert refused.value.args[0] in (1142, 1290)
    with pytest.raises(pymysql.MySQLError) as refused:
        _exec(standby, "CREATE USER h_acc_on_standby")
    assert refused.value.args[0] == 1290
    # A password change replicates; the old password stops working on the standby.
    _exec(primary, "ALTER USER h_acc_repl IDENTIFIED BY 'new'")
    _exec(primary, "INSERT INTO t VALUES (3)")
    app_cluster.wait_for_replication()
    _login(standby, "h_acc_repl", "new").close()
    with pytest.raises(pymysql.err.OperationalError) as denied:
        _login(standby, "h_acc_repl", "pw")
    assert denied.value.args[0] == 1045


@pytest.mark.app_cluster(num_nodes=2)
def test_a_standby_restored_from_a_snapshot_has_the_accounts(app_cluster: Any) -> None:
    primary = app_cluster.server(0)
    app_cluster.kill_server(1)  # killed: it comes back from a snapshot
    _exec(primary, "CREATE USER h_acc_snap IDENTIFIED BY 'pw'")
    _exec(primary, "CREATE TABLE t (a INT)")
    app_cluster.restart_server(1)
    app_cluster.wait_for_replication()
    assert _grants(app_cluster.server(1), "h_acc_snap", "pw") == _grants(primary, "h_acc_snap", "pw")


@pytest.mark.app_cluster(num_nodes=2)
def test_cluster_procedures_need_super(app_cluster: Any) -> None:
    primary = app_cluster.server(0)
    _exec(primary, "CREATE USER h_acc_op IDENTIFIED BY 'pw'")
    _exec(primary, f"GRANT ALL ON {primary.application_layer().database}.* TO h_acc_op")
    with _login(primary, "h_acc_op", "pw") as conn, conn.cursor() as cur:
        for sql in ("CALL app_assume_cluster_role('standby', 100)",
                    "SET GLOBAL app_cluster_ack_writes_timeout_secs = 5"):
            with pytest.raises(pymysql.MySQLError) as refused:
                cur.execute(sql)
            assert refused.value.args[0] == 1227, sql
        cur.execute("SELECT @@GLOBAL.app_cluster_role")
        assert cur.fetchall() == (("primary",),)


@pytest.mark.app_cluster(num_nodes=2)
def test_the_replication_status_page_shows_only_what_any_client_may_read(app_cluster: Any) -> None:
    _exec(app_cluster.server(0), "CREATE TABLE t (a INT)")
    app_cluster.wait_for_replication()
    for i in range(app_cluster.num_nodes):
        port = app_cluster.remotesapi_port(i)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            received = b""
            while chunk := s.recv(65536):
                received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), received[:200]
        role, epoch = app_cluster.server(i).system_layer().role()
        assert json.loads(body) == {"protocol": "app-replication/1", "role": role, "epoch": epoch}

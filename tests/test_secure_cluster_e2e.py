"""The end-to-end test of a secure cluster, as proglog's (Travis Jeffery's distributed log) runs its own:
three nodes with mutual TLS between peers, clients with their own accounts and grants (an ACL), a record
produced on the primary and consumed on each standby, and a client without the grant refused.

Every client connection verifies the node it reaches against the run's test CA; the replication links
carry the nodes' certificates of the same CA (`TestServerArgs(secure=True)` on every node). Producer and
consumer authenticate with caching_sha2_password; their accounts and grants, made on the primary,
replicate to the standbys.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pymysql
import pytest

from app import testingshim
from app._certs import run_certificates
from app.testingshim import TestClusterArgs, TestServerArgs

ACCOUNTS = {"producer": "produce-pw-8f1", "consumer": "consume-pw-c3a", "nobody": "nobody-pw-77e"}
SETUP = [
    "CREATE DATABASE proglog",
    "CREATE TABLE proglog.records (off BIGINT AUTO_INCREMENT PRIMARY KEY, value VARBINARY(255) NOT NULL)",
    *(f"CREATE USER '{user}'@'%' IDENTIFIED WITH caching_sha2_password BY '{pw}'" for user, pw in ACCOUNTS.items()),
    "GRANT INSERT, SELECT ON proglog.* TO 'producer'@'%'",
    "GRANT SELECT ON proglog.records TO 'consumer'@'%'",
]


def _client(stack: contextlib.ExitStack, cluster: Any, node: int, user: str) -> Any:
    """A client of `node` as `user`, over TLS that verifies the node (CA and name); closed with `stack`."""
    host, port = cluster.server(node).application_layer().sql_addr
    conn = pymysql.connect(host=host, port=port, user=user, password=ACCOUNTS[user], autocommit=True,
                           ssl_ca=run_certificates().ca, ssl_verify_cert=True, ssl_verify_identity=True)
    stack.callback(conn.close)
    assert conn._secure
    return conn


def _accounts_on(conn: Any) -> set[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT user FROM mysql.user")
        return {row[0] for row in cur.fetchall()}


def test_produce_on_the_primary_consume_on_the_standbys_with_mutual_tls_and_acls() -> None:
    with (testingshim.start_cluster(3, TestClusterArgs(default=TestServerArgs(secure=True))) as cluster,
          contextlib.ExitStack() as clients):
        primary = cluster.primary()
        admin = cluster.server(primary).application_layer().sql_conn(autocommit=True)
        with admin.cursor() as cur:
            for sql in SETUP:
                cur.execute(sql)
        cluster.wait_for_replication()
        standbys = [i for i in range(cluster.num_nodes) if i != primary]
        for i in standbys:  # accounts and grants replicate with the rest
            assert set(ACCOUNTS) <= _accounts_on(cluster.server(i).application_layer().sql_conn()), f"node {i}"

        producer = _client(clients, cluster, primary, "producer")
        with producer.cursor() as cur:
            cur.execute("INSERT INTO proglog.records (value) VALUES (%s)", (b"hello world",))
            offset = cur.lastrowid
        cluster.wait_for_replication()

        for i in standbys:
            consumer = _client(clients, cluster, i, "consumer")
            with consumer.cursor() as cur:
                cur.execute("SELECT value FROM proglog.records WHERE off = %s", (offset,))
                assert cur.fetchall() == ((b"hello world",),), f"node {i}"

        consumer = _client(clients, cluster, primary, "consumer")
        with pytest.raises(pymysql.err.OperationalError) as denied, consumer.cursor() as cur:
            cur.execute("INSERT INTO proglog.records (value) VALUES ('not allowed')")
        assert denied.value.args[0] == 1142, denied.value
        for i in range(cluster.num_nodes):
            nobody = _client(clients, cluster, i, "nobody")
            with pytest.raises(pymysql.err.OperationalError) as refused, nobody.cursor() as cur:
                cur.execute("SELECT value FROM proglog.records")
            assert refused.value.args[0] == 1142, refused.value
        # Nothing the refused clients tried reached the log.
        with admin.cursor() as cur:
            cur.execute("SELECT off, value FROM proglog.records")
            assert cur.fetchall() == ((offset, b"hello world"),)

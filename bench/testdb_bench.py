"""Benchmark: the cost of a test's private database, per test, on MariaDB and on our shared servers.

1. The `external` factory on the MariaDB at APP_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306):
   `create` is `new_server(); start()` (one connection, one CREATE DATABASE), what a test waits
   for before its first statement; `drop` is `stop()` (SHOW DATABASES LIKE for the test's extra
   databases, DROP DATABASE, close). Target: create under 15 ms at the median (pytest-mysql spends
   about 40 ms per test on this).
2. For comparison, the same CREATE/DROP with PyMySQL's default connection settings, which build a
   TLS context per connection (what a hand-written fixture does).
3. `app_database` on a shared server (`new_test_database` + `drop()`): on a shared in-process app
   server, and on the external factory's MariaDB.

Iterations are interleaved across the variants so that machine load hits them alike; medians and
p90 in milliseconds. A script to run by hand (`python bench/testdb_bench.py [-n N]`), not a timed
test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pymysql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import testingshim
from app.server.testing import InProcessFactory
from app.testing import ExternalFactory
from app.testing._external import url_from_env
from app.testingshim import TestServerArgs


def ms(samples: list[float]) -> str:
    s = sorted(samples)
    return f"median {statistics.median(s) * 1e3:7.2f}   p90 {s[int(len(s) * 0.9)] * 1e3:7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=300, help="iterations per variant")
    n = parser.parse_args().n
    os.environ.setdefault("APP_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306")
    url = url_from_env()
    external = ExternalFactory()
    shared_app = InProcessFactory().new_server(TestServerArgs(), name="inprocess")
    shared_app.start()
    shared_maria = external.new_server(TestServerArgs(database="shared"), name="external")
    shared_maria.start()

    def external_cycle() -> tuple[float, float]:
        t0 = time.perf_counter()
        srv = external.new_server(TestServerArgs(), name="external")
        srv.start()
        t1 = time.perf_counter()
        srv.stop()
        return t1 - t0, time.perf_counter() - t1

    def pymysql_defaults_cycle() -> tuple[float, float]:
        name = testingshim.unique_database_name("bench")
        t0 = time.perf_counter()
        conn = pymysql.connect(host=url.host, port=url.port, user=url.user, password=url.password, autocommit=True)
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}`")
        t1 = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE `{name}`")
        conn.close()
        return t1 - t0, time.perf_counter() - t1

    def on_shared(server: testingshim.TestServer) -> Callable[[], tuple[float, float]]:
        def cycle() -> tuple[float, float]:
            t0 = time.perf_counter()
            db = testingshim.new_test_database(server, "bench")
            t1 = time.perf_counter()
            db.drop()
            return t1 - t0, time.perf_counter() - t1
        return cycle

    variants: dict[str, Callable[[], tuple[float, float]]] = {
        "external factory on MariaDB": external_cycle,
        "PyMySQL defaults on MariaDB": pymysql_defaults_cycle,
        "app_database, shared in-process app": on_shared(shared_app),
        "app_database, external MariaDB": on_shared(shared_maria),
    }
    results: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in variants}
    try:
        for fn in variants.values():  # warm-up
            fn()
        for _ in range(n):
            for name, fn in variants.items():
                create, drop = fn()
                results[name][0].append(create)
                results[name][1].append(drop)
    finally:
        shared_maria.stop()
        shared_app.stop()
    print(f"per-test database on {url.text}, {n} iterations each, milliseconds")
    for name, (create, drop) in results.items():
        print(f"  {name:38s} create: {ms(create)}   drop: {ms(drop)}")


if __name__ == "__main__":
    main()

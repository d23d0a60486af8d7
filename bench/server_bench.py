"""Benchmark script for the `app` SQL server: start-up time and pymysql round-trip latency.

1. Start-to-ready time: (a) in process, from `build_node()` to `node.start()` returning
   on a `new_event_loop()` loop run in a background thread (median, p90); (b) as a
   subprocess, from Popen of `sys.executable -m app sql-server --port 0` until a pymysql
   connection succeeds (median/min/max). Target: subprocess under 250 ms.
2. pymysql round-trip latency (p50/p99, microseconds) for `SELECT 1`, a
   primary-key point select over a 1000-row table and a single-row autocommit
   INSERT into an AUTO_INCREMENT table, against our server (subprocess) and the
   MariaDB on 127.0.0.1:3306 side by side, interleaved iteration by iteration.
   Target: each p50 within 1.3x of MariaDB's.

This is a benchmark script to run by hand (`python bench/server_bench.py`), not
a timed test: it asserts nothing and always exits 0 when it ran to the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import queue
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

import pymysql

from app.server._config import ListenerConfig, ServerConfig
from app.server._node import build_node, new_event_loop

READY_RE = re.compile(r"ready for connections on (\S+):(\d+)")
START_TARGET_MS = 250.0
RATIO_TARGET = 1.3
TABLE_ROWS = 1000


def pct(samples: list[float], p: float) -> float:
    """Nearest-rank percentile of `samples` (p in 0..100)."""
    s = sorted(samples)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def bench_inprocess_start(runs: int) -> list[float]:
    """Milliseconds from build_node() to node.start() returning, one fresh node per run."""
    loop = new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="bench-node-loop", daemon=True)
    thread.start()
    out: list[float] = []
    try:
        for _ in range(runs):
            t0 = time.perf_counter_ns()
            node = build_node(ServerConfig(listener=ListenerConfig("127.0.0.1", 0)))
            try:
                asyncio.run_coroutine_threadsafe(node.start(), loop).result(timeout=30)
                out.append((time.perf_counter_ns() - t0) / 1e6)
            finally:
                asyncio.run_coroutine_threadsafe(node.stop(), loop).result(timeout=30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
    return out


class ServerProcess:
    """`python -m app sql-server --port 0` as a child; stderr is drained by a thread."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter_ns()
        self.proc = subprocess.Popen([sys.executable, "-m", "app", "sql-server", "--port", "0"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.tail: list[str] = []
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)
        self.lines.put(None)

    def wait_ready(self, timeout: float = 30.0) -> tuple[str, int]:
        """Port from the ready line; raises if the process dies or the line never comes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.01)
            except queue.Empty:
                line = ""
            if line:
                self.tail = (self.tail + [line.rstrip()])[-20:]
                if m := READY_RE.search(line):
                    return m[1], int(m[2])
            if line is None or self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.poll()}) before ready: {self.tail}")
        raise RuntimeError(f"no ready line within {timeout}s: {self.tail}")

    def connect_when_ready(self, timeout: float = 30.0) -> tuple[Any, float]:
        """A pymysql connection and the ms from Popen to its success."""
        host, port = self.wait_ready(timeout)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}) while connecting: {self.tail}")
            try:
                conn = pymysql.connect(host=host, port=port, user="root", autocommit=True, connect_timeout=5)
                return conn, (time.perf_counter_ns() - self.t0) / 1e6
            except pymysql.err.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.001)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, wait, SIGKILL on timeout; then join the stderr reader."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=5)
        if self.proc.stderr is not None:
            self.proc.stderr.close()


def bench_subprocess_start(runs: int) -> list[float]:
    """Milliseconds from Popen until a pymysql connection succeeds, one process per run."""
    out: list[float] = []
    for _ in range(runs):
        server = ServerProcess()
        try:
            conn, ms = server.connect_when_ready()
            conn.close()
            out.append(ms)
        finally:
            server.stop()
    return out


def setup_db(conn: Any, db: str) -> None:
    """Create the private database with `bench_t` (1000 rows) and `bench_i` (AUTO_INCREMENT)."""
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {db}")
        cur.execute(f"CREATE DATABASE {db}")
        cur.execute(f"USE {db}")
        cur.execute("CREATE TABLE bench_t (id INT PRIMARY KEY, v VARCHAR(64))")
        cur.executemany("INSERT INTO bench_t (id, v) VALUES (%s, %s)",
                        [(i, f"value-{i}") for i in range(1, TABLE_ROWS + 1)])
        cur.execute("CREATE TABLE bench_i (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64))")


def workloads(n: int, seed: int) -> dict[str, tuple[str, list[tuple[Any, ...] | None]]]:
    """Per workload: the SQL and the arguments of each of `n` executions (same for both servers)."""
    rnd = random.Random(seed)
    return {
        "SELECT 1": ("SELECT 1", [None] * n),
        "PK point select": ("SELECT id, v FROM bench_t WHERE id = %s",
                            [(rnd.randint(1, TABLE_ROWS),) for _ in range(n)]),
        "INSERT autoinc": ("INSERT INTO bench_i (v) VALUES (%s)", [(f"row-{i}",) for i in range(n)]),
    }


def bench_latency(conns: dict[str, Any], warmup: int, iterations: int, seed: int) -> dict[str, dict[str, list[float]]]:
    """Microsecond round trips per workload and server, alternating servers every execution."""
    results: dict[str, dict[str, list[float]]] = {}
    cursors = {name: c.cursor() for name, c in conns.items()}
    timer = time.perf_counter_ns
    for wname, (sql, args_list) in workloads(warmup + iterations, seed).items():
        samples: dict[str, list[float]] = {name: [] for name in conns}
        order = list(cursors.items())
        for i, args in enumerate(args_list):
            for name, cur in (order if i % 2 == 0 else order[::-1]):
                t0 = timer()
                cur.execute(sql, args)
                cur.fetchall()
                dt = timer() - t0
                if i >= warmup:
                    samples[name].append(dt / 1000)
        results[wname] = samples
    for cur in cursors.values():
        cur.close()
    return results


def render(res: dict[str, Any]) -> str:
    """Plain-text aligned tables."""
    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

        def fmt(r: list[str]) -> str:
            return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        return [fmt(header), "  ".join("-" * w for w in widths), *map(fmt, rows)]

    s = res["start"]
    ip, sp = s["in_process_ms"], s["subprocess_ms"]
    verdict = "PASS" if sp["median"] < START_TARGET_MS else "FAIL"
    lines = [f"Server start-to-ready (ms; in-process runs={ip['runs']}, subprocess runs={sp['runs']})"]
    lines += table(["measurement", "median", "p90", "min", "max", "target"], [
        ["in process: build_node -> start()", f"{ip['median']:.2f}", f"{ip['p90']:.2f}",
         f"{ip['min']:.2f}", f"{ip['max']:.2f}", "-"],
        ["subprocess: Popen -> pymysql connect", f"{sp['median']:.1f}", f"{sp['p90']:.1f}",
         f"{sp['min']:.1f}", f"{sp['max']:.1f}", f"<{START_TARGET_MS:.0f} {verdict}"],
    ])
    lat = res["latency"]
    maria_ok = res["mariadb"]["available"]
    lines += ["", f"pymysql round trip (us; warmup={lat['warmup']}, iterations={lat['iterations']}"
                  + (", interleaved app/MariaDB)" if maria_ok else ")")]
    if not maria_ok:
        lines.append(f"MariaDB {res['mariadb']['addr']}: {res['mariadb']['error']}; column skipped")
    header = ["query", "app p50", "app p99"]
    if maria_ok:
        header += ["maria p50", "maria p99", "ratio p50", "ratio p99", f"p50<={RATIO_TARGET}x"]
    rows = []
    for wname, w in lat["workloads"].items():
        row = [wname, f"{w['app']['p50']:.0f}", f"{w['app']['p99']:.0f}"]
        if maria_ok:
            m, r = w["mariadb"], w["ratio"]
            row += [f"{m['p50']:.0f}", f"{m['p99']:.0f}", f"{r['p50']:.2f}x", f"{r['p99']:.2f}x",
                    "PASS" if r["p50"] <= RATIO_TARGET else "FAIL"]
        rows.append(row)
    lines += table(header, rows)
    return "\n".join(lines)


def summarize(samples: list[float]) -> dict[str, float]:
    """Median, p90, min and max of start-up samples."""
    return {"runs": len(samples), "median": statistics.median(samples), "p90": pct(samples, 90),
            "min": min(samples), "max": max(samples)}


def main(argv: list[str] | None = None) -> int:
    """Parse options, run every measurement, print the table (or JSON)."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--iterations", type=int, default=3000, help="measured round trips per query (default 3000)")
    ap.add_argument("--warmup", type=int, default=200, help="unmeasured round trips per query first (default 200)")
    ap.add_argument("--start-runs", type=int, default=10, help="subprocess start-up runs (default 10)")
    ap.add_argument("--inprocess-runs", type=int, default=20, help="in-process start-up runs (default 20)")
    ap.add_argument("--mariadb-host", default="127.0.0.1")
    ap.add_argument("--mariadb-port", type=int, default=3306)
    ap.add_argument("--mariadb-user", default="root", help="MariaDB user, no password (default root)")
    ap.add_argument("--no-mariadb", action="store_true", help="do not compare against MariaDB")
    ap.add_argument("--seed", type=int, default=1234, help="seed for the random point-select ids")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a table")
    a = ap.parse_args(argv)
    if min(a.iterations, a.start_runs, a.inprocess_runs) < 1 or a.warmup < 0:
        ap.error("run and iteration counts must be positive (warmup >= 0)")

    db = f"app_bench_{os.getpid()}"
    res: dict[str, Any] = {"start": {"in_process_ms": summarize(bench_inprocess_start(a.inprocess_runs)),
                                     "subprocess_ms": summarize(bench_subprocess_start(a.start_runs))}}
    maria_addr = f"{a.mariadb_host}:{a.mariadb_port}"
    res["mariadb"] = {"addr": maria_addr, "available": False, "error": "disabled by --no-mariadb", "version": None}
    server = ServerProcess()
    conns: dict[str, Any] = {}
    try:
        conns["app"], _ = server.connect_when_ready()
        setup_db(conns["app"], db)
        if not a.no_mariadb:
            try:
                conns["mariadb"] = pymysql.connect(host=a.mariadb_host, port=a.mariadb_port, user=a.mariadb_user,
                                                   autocommit=True, connect_timeout=3)
            except pymysql.err.MySQLError as e:
                res["mariadb"]["error"] = "unreachable: " + str(e.args[1] if len(e.args) > 1 else e)
            else:  # a failure from here on propagates; the finally block still drops the database
                res["mariadb"].update(available=True, error=None, version=conns["mariadb"].get_server_info())
                setup_db(conns["mariadb"], db)
        raw = bench_latency(conns, a.warmup, a.iterations, a.seed)
    finally:
        for conn in conns.values():
            try:
                conn.close()
            except Exception:  # an interrupted connection may not close cleanly
                pass
        if "mariadb" in conns:  # a fresh connection: the measured one may be mid-statement
            try:
                with pymysql.connect(host=a.mariadb_host, port=a.mariadb_port, user=a.mariadb_user,
                                     autocommit=True, connect_timeout=5) as conn, conn.cursor() as cur:
                    cur.execute(f"DROP DATABASE IF EXISTS {db}")
            except Exception as e:
                print(f"warning: could not drop {db} on MariaDB {maria_addr}: {e}", file=sys.stderr)
        server.stop()  # the app's database is in memory and goes with the process

    workloads_out: dict[str, Any] = {}
    for wname, per in raw.items():
        w: dict[str, Any] = {name: {"p50": pct(s, 50), "p99": pct(s, 99), "mean": statistics.fmean(s)}
                             for name, s in per.items()}
        if "mariadb" in w:
            w["ratio"] = {k: w["app"][k] / w["mariadb"][k] for k in ("p50", "p99")}
        workloads_out[wname] = w
    res["latency"] = {"unit": "us", "warmup": a.warmup, "iterations": a.iterations, "workloads": workloads_out}
    res["targets"] = {"subprocess_start_ms": START_TARGET_MS, "p50_ratio_vs_mariadb": RATIO_TARGET}
    print(json.dumps(res, indent=2) if a.json else render(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())

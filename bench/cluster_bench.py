"""Cluster benchmark: 3-node start-to-ready and replication lag at a steady commit rate.

    python bench/cluster_bench.py [--runs 5] [--rate 500] [--seconds 4] [--json]

Start-to-ready is `testingshim.start_cluster(3)` until it returns (every standby has
applied the primary's state), for the in-process and the subprocess factory.

Replication lag: a writer commits single-row INSERTs on the primary at a steady rate;
an observer connected to a standby calls `app_cluster_wait_for_position(p)` for each
commit's position in turn. Lag of a commit = when the observer saw it applied on the
standby minus when the commit returned to the writer (so with an ack timeout above 0,
where a commit returns only after the standbys applied it, lag is ~0 and the cost shows
up as commit latency instead; both are reported). Measured with ack timeout 0 and 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import conftest  # noqa: F401  (registers the factories, as pytest would)
from app import testingshim
from app.testingshim import TestClusterArgs


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def start_times(factory: str, runs: int) -> list[float]:
    testingshim.select_factory(factory)
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        cluster = testingshim.start_cluster(3)
        out.append((time.perf_counter() - t) * 1000)
        cluster.stop()
    return out


def lag(factory: str, ack_timeout: float, rate: int, seconds: float) -> dict[str, Any]:
    testingshim.select_factory(factory)
    with testingshim.start_cluster(3, TestClusterArgs(ack_writes_timeout_secs=ack_timeout)) as cluster:
        writer = cluster.server(0).sql_conn(autocommit=True)
        observer = cluster.server(1).sql_conn(database="", autocommit=True)
        with writer.cursor() as cur:
            cur.execute("CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20), at DATETIME(6))")
        cluster.wait_for_replication()
        base, log_id = cluster.position(0)
        n = int(rate * seconds)
        committed: list[float] = [0.0] * n
        latency: list[float] = [0.0] * n
        seen: list[float] = [0.0] * n

        def observe() -> None:
            with observer.cursor() as cur:
                for k in range(n):
                    cur.execute("CALL app_cluster_wait_for_position(%s, 30, %s)", (base + k + 1, log_id))
                    seen[k] = time.perf_counter()

        thread = threading.Thread(target=observe, name="bench-observer")
        thread.start()
        interval = 1.0 / rate
        start = time.perf_counter()
        behind = 0
        with writer.cursor() as cur:
            for k in range(n):
                due = start + k * interval
                now = time.perf_counter()
                if now < due:
                    time.sleep(due - now)  # pacing the load generator, not waiting for a condition
                elif now - due > interval:
                    behind += 1
                t0 = time.perf_counter()
                cur.execute("INSERT INTO t (v, at) VALUES ('x', NOW(6))")
                committed[k] = time.perf_counter()
                latency[k] = (committed[k] - t0) * 1000
        achieved = n / (time.perf_counter() - start)
        thread.join()
        lags = [max(0.0, (s - c) * 1000) for s, c in zip(seen, committed)]
        return {"factory": factory, "ack_timeout_s": ack_timeout, "commits": n, "rate_achieved": round(achieved),
                "late_commits": behind, "lag_p50_ms": pct(lags, 50), "lag_p99_ms": pct(lags, 99),
                "commit_p50_ms": pct(latency, 50), "commit_p99_ms": pct(latency, 99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--factories", default="inprocess,subprocess")
    parser.add_argument("--json", action="store_true")
    a = parser.parse_args()
    factories = a.factories.split(",")
    result: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "load": os.getloadavg()}, "start": {}, "lag": []}
    for f in factories:
        times = start_times(f, a.runs)
        result["start"][f] = {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times)}
    for f in factories:
        for ack in (0.0, 5.0):
            result["lag"].append(lag(f, ack, a.rate, a.seconds))
    if a.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']['cpus']} cpus, load {result['machine']['load'][0]:.1f}")
    print("\n3-node cluster start-to-ready (targets: in process < 50 ms, subprocess < 400 ms)")
    print(f"{'factory':<12}{'median ms':>10}{'min ms':>10}{'max ms':>10}")
    for f, s in result["start"].items():
        print(f"{f:<12}{s['median_ms']:>10.1f}{s['min_ms']:>10.1f}{s['max_ms']:>10.1f}")
    print(f"\nreplication lag at {a.rate} commits/s for {a.seconds:g}s (target p99 < 10 ms)")
    print(f"{'factory':<12}{'ack s':>6}{'rate':>6}{'lag p50':>9}{'lag p99':>9}{'commit p50':>11}{'commit p99':>11}")
    for r in result["lag"]:
        print(f"{r['factory']:<12}{r['ack_timeout_s']:>6g}{r['rate_achieved']:>6}{r['lag_p50_ms']:>9.2f}"
              f"{r['lag_p99_ms']:>9.2f}{r['commit_p50_ms']:>11.2f}{r['commit_p99_ms']:>11.2f}")


if __name__ == "__main__":
    main()

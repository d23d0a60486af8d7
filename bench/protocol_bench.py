"""The node under load, side by side with the MariaDB on 127.0.0.1:3306 (a script, not a timed test).

    python bench/protocol_bench.py [--rounds N] [--sysbench-time S] [--sysbench-repeat R] [--port P] [--db NAME]

Prints, for app (a fresh `app sql-server`, in-memory) and MariaDB in the same run:
- round-trip p50/p99 of SELECT 1, a point select and an INSERT (one pymysql connection);
- p99 of SELECT 1 on one connection while another runs a 5-second statement (a recursive CTE
  stopped by max_statement_time = 5);
- sysbench oltp_point_select and oltp_read_write transactions per second at 1 and 8 threads,
  with --db-ps-mode=disable and auto.
The servers take turns (round trips in alternating blocks of 50 statements, sysbench runs alternating and
averaged), so that the changing load of a shared machine weighs on both alike and the ratio holds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pymysql

RUNAWAY = ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 2000000000) "
           "SELECT COUNT(*) FROM r")
MARIADB = ("127.0.0.1", 3306)
DB = "node_bench"  # the database both servers are measured in (--db: another, when two runs share MariaDB)


def connect(addr: tuple[str, int], db: str | None = None) -> Any:
    return pymysql.connect(host=addr[0], port=addr[1], user="root", password="", database=db, autocommit=True,
                           ssl_disabled=True)


def percentiles(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return s[len(s) // 2] * 1e6, s[min(len(s) - 1, int(len(s) * 0.99))] * 1e6


def round_trips(servers: dict[str, tuple[str, int]], rounds: int) -> dict[str, dict[str, tuple[float, float]]]:
    """p50/p99 per server and statement, the servers measured in alternating blocks of statements, so that
    a change in the machine's load (shared machines) weighs on both alike."""
    curs = {}
    for name, addr in servers.items():
        cur = connect(addr, DB).cursor()
        cur.execute("DROP TABLE IF EXISTS rt")
        cur.execute("CREATE TABLE rt (id INT PRIMARY KEY, v VARCHAR(20))")
        cur.executemany("INSERT INTO rt VALUES (%s, %s)", [(i, f"v{i}") for i in range(1000)])
        curs[name] = cur
    kinds: dict[str, Callable[[Any, int], Any]] = {
        "SELECT 1": lambda cur, i: (cur.execute("SELECT 1"), cur.fetchall()),
        "point select": lambda cur, i: (cur.execute("SELECT v FROM rt WHERE id = %s", (i % 1000,)), cur.fetchall()),
        "insert": lambda cur, i: cur.execute("INSERT INTO rt VALUES (%s, 'x')", (10000 + i,)),
    }
    out: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in servers}
    block = 50
    for kind, fn in kinds.items():
        samples: dict[str, list[float]] = {name: [] for name in servers}
        names = list(servers)
        for start in range(0, rounds, block):
            for name in names:
                cur = curs[name]
                for i in range(start, min(rounds, start + block)):
                    t = time.perf_counter()
                    fn(cur, i)
                    samples[name].append(time.perf_counter() - t)
            names.reverse()  # each server goes first in every other block
        for name in servers:
            out[name][kind] = percentiles(samples[name])
    for cur in curs.values():
        cur.execute("DROP TABLE rt")
        cur.connection.close()
    return out


def during_long_statement(addr: tuple[str, int]) -> tuple[float, float]:
    """p99 (and max) in µs of SELECT 1 on one connection while another runs a 5-second statement."""
    long_conn = connect(addr)

    def run() -> None:
        with long_conn.cursor() as cur:
            cur.execute("SET SESSION max_statement_time = 5")
            try:  # MariaDB stops a recursive CTE after 1000 iterations by default
                cur.execute("SET SESSION max_recursive_iterations = 4294967295")
            except pymysql.err.Error:
                pass
            try:
                cur.execute(RUNAWAY)
            except pymysql.err.Error:
                pass

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.2)  # let it start
    conn = connect(addr)
    cur = conn.cursor()
    samples = []
    while thread.is_alive():
        start = time.perf_counter()
        cur.execute("SELECT 1")
        cur.fetchall()
        samples.append(time.perf_counter() - start)
        time.sleep(0.001)
    thread.join()
    conn.close()
    long_conn.close()
    s = sorted(samples) or [0.0]
    return s[min(len(s) - 1, int(len(s) * 0.99))] * 1e6, s[-1] * 1e6


def sysbench(addr: tuple[str, int], test: str, threads: int, ps_mode: str, seconds: int,
             step: str = "run") -> float | str:
    """One sysbench step (prepare, run, cleanup) on a server; for `run`, the transactions per second."""
    exe = shutil.which("sysbench")
    if exe is None:
        return "no sysbench (apt install sysbench)"
    argv = [exe, test, "--db-driver=mysql", f"--mysql-host={addr[0]}", f"--mysql-port={addr[1]}", "--mysql-user=root",
            "--mysql-password=", f"--mysql-db={DB}", "--tables=1", "--table-size=10000", f"--threads={threads}",
            f"--time={seconds}", f"--db-ps-mode={ps_mode}", "--mysql-ssl=off"]
    if step != "run":
        if step == "prepare":
            subprocess.run([*argv, "cleanup"], capture_output=True, timeout=120)
        done = subprocess.run([*argv, step], capture_output=True, timeout=300)
        if done.returncode:
            return f"{step} failed: " + done.stdout.decode()[-200:] + done.stderr.decode()[-200:]
        return 0.0
    run = subprocess.run([*argv, "run"], capture_output=True, timeout=seconds + 120)
    m = re.search(r"transactions:\s+\d+\s+\(([\d.]+) per sec", run.stdout.decode())
    if run.returncode or m is None:
        return "failed: " + (run.stdout.decode() + run.stderr.decode())[-300:]
    return float(m.group(1))


def sysbench_alternating(servers: dict[str, tuple[str, int]], test: str, threads: int, ps_mode: str, seconds: int,
                         repeat: int) -> dict[str, str]:
    """Mean tps per server over `repeat` runs, the servers taking turns (and turns at going first)."""
    tps: dict[str, list[float]] = {name: [] for name in servers}
    failed: dict[str, str] = {}
    names = list(servers)
    for _ in range(repeat):
        for name in names:
            if name in failed:
                continue
            got = sysbench(servers[name], test, threads, ps_mode, seconds)
            if isinstance(got, str):
                failed[name] = got
            else:
                tps[name].append(got)
        names.reverse()
    return {name: failed.get(name) or f"{sum(tps[name]) / len(tps[name]):.0f}" for name in servers}


def start_app(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "app", "sql-server", "--port", str(port), "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            connect(("127.0.0.1", port)).close()
            return proc
        except pymysql.err.Error:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("app did not start") from None
            time.sleep(0.1)


def main() -> None:
    global DB
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--sysbench-time", type=int, default=5, help="seconds of each sysbench run")
    parser.add_argument("--sysbench-repeat", type=int, default=2,
                        help="sysbench runs per server and setting, the servers taking turns (tps is their mean)")
    parser.add_argument("--port", type=int, default=3410)
    parser.add_argument("--db", default=DB, help="database to create on both servers (dropped after)")
    args = parser.parse_args()
    DB = args.db
    load = os.getloadavg()[0]
    proc = start_app(args.port)
    servers = {"app": ("127.0.0.1", args.port), "MariaDB": MARIADB}
    try:
        for addr in servers.values():
            with connect(addr).cursor() as cur:
                cur.execute(f"CREATE DATABASE IF NOT EXISTS {DB}")
        results: dict[str, dict[str, Any]] = {name: {} for name in servers}
        for name, by_kind in round_trips(servers, args.rounds).items():
            for what, (p50, p99) in by_kind.items():
                results[name][f"{what} p50 / p99 (µs)"] = f"{p50:.0f} / {p99:.0f}"
        for name, addr in servers.items():
            p99, worst = during_long_statement(addr)
            results[name]["SELECT 1 p99 / max during a 5 s statement (µs)"] = f"{p99:.0f} / {worst:.0f}"
        for test in ("oltp_point_select", "oltp_read_write"):
            prepared = {name: sysbench(addr, test, 1, "disable", 1, "prepare") for name, addr in servers.items()}
            for threads in (1, 8):
                for ps_mode in ("disable", "auto"):
                    runs = sysbench_alternating({n: a for n, a in servers.items() if prepared[n] == 0.0}, test,
                                                threads, ps_mode, args.sysbench_time, args.sysbench_repeat)
                    for name in servers:
                        results[name][f"{test} {threads} thr ps={ps_mode} (tps)"] = runs.get(name, prepared[name])
            for addr in servers.values():
                sysbench(addr, test, 1, "disable", 1, "cleanup")
        width = max(len(k) for k in results["app"])
        print(f"{'':{width}}  {'app':>14}  {'MariaDB':>14}  app/MariaDB")
        for key in results["app"]:
            a, m = results["app"][key], results["MariaDB"][key]
            ratio = ""
            if "tps" in key and a.replace(".", "").isdigit() and m.replace(".", "").isdigit():
                ratio = f"{float(a) / float(m):.2f}x"
            elif "p50" in key:
                ratio = f"p50 {float(a.split(' / ')[0]) / float(m.split(' / ')[0]):.2f}x"
            print(f"{key:{width}}  {a:>14}  {m:>14}  {ratio}")
        print(f"(machine load average: {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, "
              f"on {os.cpu_count()} CPUs)")
    finally:
        with connect(MARIADB).cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {DB}")
        proc.terminate()
        proc.wait(15)


if __name__ == "__main__":
    main()

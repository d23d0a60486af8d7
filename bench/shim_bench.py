"""Benchmark script for the test framework: how fast a test gets a server.

1. `testingshim.new_test_server()` start time (until it returns a started server with its
   default database), per factory: median and p90 over fresh servers, each stopped before
   the next starts (stop time reported too). Target: in-process median under 5 ms.
2. A pytest run of generated tests, each taking its own server through the `app_server`
   fixture, connecting with pymysql and running a query (`sys.executable -m pytest` on a
   temporary directory, one process, no xdist). Reported: pytest's own duration (its
   "in N.NNs" line), the per-test average, and the wall time of the whole pytest process.
   Also measured, to tell the framework's cost from pytest's: the same number of tests
   without a server, and the server tests with `--app-no-leak-check`.
   Target: 100 tests under 3 s with the in-process factory.

This is a script to run by hand (`python bench/shim_bench.py`), not a timed test: it asserts
nothing and exits 0 once it ran to the end (1 if a generated pytest run did not pass).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

START_TARGET_MS = 5.0
PYTEST_TARGET_S = 3.0

CONFTEST = '''\
"""Registers the server factories, as the repository's root conftest.py does."""
from app import testingshim
from app.server.testing import InProcessFactory, SubprocessFactory

testingshim.init_test_server_factory(InProcessFactory(), name="inprocess")
testingshim.init_test_server_factory(SubprocessFactory(), name="subprocess")
'''

SERVER_TEST = '''
def test_server_{i}(app_server):
    conn = app_server.application_layer().sql_conn()
    with conn.cursor() as cur:
        cur.execute("SELECT {i} + 1")
        assert cur.fetchone() == ({i} + 1,)
'''

PLAIN_TEST = '''
def test_plain_{i}():
    assert {i} + 1 == {i1}
'''

SUMMARY = re.compile(r"(\d+) passed.* in ([\d.]+)s")


def pct(samples: list[float], p: float) -> float:
    """Nearest-rank percentile of `samples` (p in 0..100)."""
    s = sorted(samples)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def bench_start(factory: str, runs: int) -> dict[str, Any]:
    """Milliseconds in new_test_server() and in stop(), one fresh server per run (after 2 warm-ups)."""
    from app import testingshim

    testingshim.select_factory(factory)
    starts: list[float] = []
    stops: list[float] = []
    try:
        for i in range(runs + 2):
            t0 = time.perf_counter()
            server = testingshim.new_test_server()
            t1 = time.perf_counter()
            server.stop()
            t2 = time.perf_counter()
            if i >= 2:  # the first starts pay for imports and caches
                starts.append((t1 - t0) * 1000)
                stops.append((t2 - t1) * 1000)
    finally:
        testingshim.select_factory(None)
    return {"runs": runs, "start_median": statistics.median(starts), "start_p90": pct(starts, 90),
            "start_max": max(starts), "stop_median": statistics.median(stops), "stop_p90": pct(stops, 90)}


def run_pytest(directory: Path, factory: str, extra: list[str]) -> dict[str, Any]:
    """Run pytest on `directory` in a child process; its duration, test count and wall time."""
    env = dict(os.environ, APP_TEST_SERVER_FACTORY=factory)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(directory),
           *extra, str(directory)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=directory, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    m = SUMMARY.search(proc.stdout)
    if proc.returncode != 0 or m is None:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise RuntimeError(f"pytest failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    passed, duration = int(m.group(1)), float(m.group(2))
    return {"passed": passed, "pytest_s": duration, "per_test_ms": duration / passed * 1000, "wall_s": wall}


def bench_pytest(tests: int, factories: list[str], repeat: int, pytest_args: list[str]) -> dict[str, Any]:
    """pytest runs over generated files (best of `repeat` runs each: the machine may be shared)."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="app-shim-bench-") as tmp:
        root = Path(tmp)
        servers = root / "servers"
        plain = root / "plain"
        for d in (servers, plain):
            d.mkdir()
            (d / "conftest.py").write_text(CONFTEST)
        (servers / "test_generated.py").write_text(
            "".join(SERVER_TEST.format(i=i) for i in range(tests)))
        (plain / "test_generated.py").write_text(
            "".join(PLAIN_TEST.format(i=i, i1=i + 1) for i in range(tests)))

        def best(directory: Path, factory: str, extra: list[str]) -> dict[str, Any]:
            runs = [run_pytest(directory, factory, [*pytest_args, *extra]) for _ in range(repeat)]
            return min(runs, key=lambda r: r["pytest_s"])

        out["no server (pytest alone)"] = best(plain, "inprocess", [])
        for factory in factories:
            out[f"{factory}"] = best(servers, factory, [])
            out[f"{factory}, --app-no-leak-check"] = best(servers, factory, ["--app-no-leak-check"])
    return out


def render(res: dict[str, Any]) -> str:
    """Plain-text aligned tables."""
    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

        def fmt(r: list[str]) -> str:
            return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        return [fmt(header), "  ".join("-" * w for w in widths), *map(fmt, rows)]

    lines = ["testingshim.new_test_server() (ms; fresh server per run, stopped before the next)"]
    rows = []
    for factory, s in res["start"].items():
        target = f"<{START_TARGET_MS:.0f} " + ("PASS" if s["start_median"] < START_TARGET_MS else "FAIL") \
            if factory == "inprocess" else "-"
        rows.append([factory, str(s["runs"]), f"{s['start_median']:.2f}", f"{s['start_p90']:.2f}",
                     f"{s['start_max']:.2f}", f"{s['stop_median']:.2f}", f"{s['stop_p90']:.2f}", target])
    lines += table(["factory", "runs", "start median", "start p90", "start max", "stop median", "stop p90",
                    "target"], rows)
    p = res["pytest"]
    lines += ["", f"pytest, {res['tests']} generated tests, one process (best of {res['repeat']} runs)"
              + (f", with {p['args']}" if p["args"] else "")]
    rows = []
    for name, r in p["runs"].items():
        target = "-"
        if name == "inprocess":
            target = f"<{PYTEST_TARGET_S:.0f}s " + ("PASS" if r["pytest_s"] < PYTEST_TARGET_S else "FAIL")
        rows.append([name, str(r["passed"]), f"{r['pytest_s']:.2f}", f"{r['per_test_ms']:.1f}",
                     f"{r['wall_s']:.2f}", target])
    lines += table(["run", "passed", "pytest s", "per test ms", "process wall s", "target"], rows)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the measurements, print the tables (or JSON)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--start-runs", type=int, default=50, help="in-process starts measured (default 50)")
    ap.add_argument("--subprocess-start-runs", type=int, default=10, help="subprocess starts measured (default 10)")
    ap.add_argument("--tests", type=int, default=100, help="generated tests per pytest run (default 100)")
    ap.add_argument("--repeat", type=int, default=3, help="pytest runs of each kind; the best counts (default 3)")
    ap.add_argument("--no-subprocess", action="store_true", help="measure the in-process factory only")
    ap.add_argument("--pytest-args", default="", metavar="ARGS",
                    help="more arguments for every pytest run, e.g. '-p no:hypothesispytest' to leave out a "
                         "plugin the environment has installed")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON instead of tables")
    a = ap.parse_args(argv)
    if min(a.start_runs, a.subprocess_start_runs, a.tests, a.repeat) < 1:
        ap.error("counts must be positive")

    from app import testingshim
    from app.server.testing import InProcessFactory, SubprocessFactory

    testingshim.init_test_server_factory(InProcessFactory(), name="inprocess")
    testingshim.init_test_server_factory(SubprocessFactory(), name="subprocess")
    factories = ["inprocess"] if a.no_subprocess else ["inprocess", "subprocess"]
    res: dict[str, Any] = {"start": {"inprocess": bench_start("inprocess", a.start_runs)}}
    if not a.no_subprocess:
        # Forks of the pre-imported template (the default), and side by side the plain start.
        os.environ["APP_TEST_FORK_TEMPLATE"] = "0"
        try:
            res["start"]["subprocess, plain start"] = bench_start("subprocess", a.subprocess_start_runs)
        finally:
            del os.environ["APP_TEST_FORK_TEMPLATE"]
        os.environ["APP_TEST_FORK_TEMPLATE"] = "1"
        try:
            res["start"]["subprocess, forked from the template"] = bench_start("subprocess", a.subprocess_start_runs)
        finally:
            del os.environ["APP_TEST_FORK_TEMPLATE"]
    try:
        runs = bench_pytest(a.tests, factories, a.repeat, shlex.split(a.pytest_args))
    except RuntimeError as e:
        print(e, file=sys.stderr)
        return 1
    res.update(tests=a.tests, repeat=a.repeat, pytest={"runs": runs, "args": a.pytest_args},
               targets={"inprocess_start_median_ms": START_TARGET_MS, "pytest_100_tests_s": PYTEST_TARGET_S})
    print(json.dumps(res, indent=2) if a.json else render(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark script: a subprocess test server's start, plain versus forked from the pre-imported template.

Starts subprocess test servers (`SubprocessFactory().new_server(...).start()`, which returns once
the server accepts connections and has its default database), alternating a plain start
(`APP_TEST_FORK_TEMPLATE=0`) and a fork of the template (the default), pair by
pair, so that a machine whose speed drifts slows both alike; each server is stopped before the
next starts. Reported per kind: min, median, p90 and max of the whole start in milliseconds and of
its phases (spawn: until the process exists; ready: until its ready pipe names the address it listens on; database:
the default database's creation), and the per-pair ratio plain / forked. The target is a median
under 20 ms for the forked start on a quiet machine: on a loaded one compare the ratio, not the
absolute times.

Run by hand: `python bench/fork_bench.py [--pairs 20] [--json]`. It asserts nothing.
`--only plain|forked --starts N` starts N servers of one kind and prints nothing: a whole-process
timer (`/usr/bin/time -v`, or any that pairs two commands) then compares the CPU time of the two
kinds, a figure the machine's load does not inflate as it does wall time (the template's forks are
counted once the template is reaped, at exit).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from typing import Any

KINDS = ("plain", "forked")
PHASES = ("total", "spawn", "ready", "database")


def pct(samples: list[float], p: float) -> float:
    """Nearest-rank percentile of `samples` (p in 0..100)."""
    s = sorted(samples)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))]


def one_start(kind: str) -> dict[str, float]:
    """Start and stop one subprocess test server; its phases in milliseconds."""
    from app import _forkserver
    from app.server import _subprocess
    from app.server.testing import SubprocessFactory
    from app.testingshim import TestServerArgs

    marks: dict[str, float] = {}
    spawn, wait_ready = _subprocess.spawn_server, _subprocess.SubprocessTestServer._wait_ready

    def timed_spawn(*args: Any, **kwargs: Any) -> Any:
        child = spawn(*args, **kwargs)
        marks["spawned"] = time.perf_counter()
        return child

    def timed_ready(self: Any) -> Any:
        addr = wait_ready(self)
        marks["ready"] = time.perf_counter()
        return addr

    os.environ[_forkserver.ENV_SWITCH] = "1" if kind == "forked" else "0"
    _subprocess.spawn_server = timed_spawn  # type: ignore[assignment]
    _subprocess.SubprocessTestServer._wait_ready = timed_ready  # type: ignore[method-assign]
    try:
        server = SubprocessFactory().new_server(TestServerArgs(), name="subprocess")
        began = time.perf_counter()
        server.start()
        done = time.perf_counter()
        forked = isinstance(server.child, _forkserver.ForkedProcess)
        server.stop()
    finally:
        _subprocess.spawn_server = spawn  # type: ignore[assignment]
        _subprocess.SubprocessTestServer._wait_ready = wait_ready  # type: ignore[method-assign]
        os.environ.pop(_forkserver.ENV_SWITCH, None)
    if forked != (kind == "forked"):
        raise RuntimeError(f"asked for a {kind} start, got {'a fork' if forked else 'a plain start'}")
    return {"total": (done - began) * 1000, "spawn": (marks["spawned"] - began) * 1000,
            "ready": (marks["ready"] - marks["spawned"]) * 1000, "database": (done - marks["ready"]) * 1000}


def bench(pairs: int, warmup: int) -> dict[str, Any]:
    samples: dict[str, dict[str, list[float]]] = {k: {p: [] for p in PHASES} for k in KINDS}
    ratios: list[float] = []
    for i in range(warmup + pairs):
        run = {kind: one_start(kind) for kind in (KINDS if i % 2 else reversed(KINDS))}
        if i < warmup:
            continue  # the first starts pay for the template's start, imports and caches
        for kind in KINDS:
            for phase in PHASES:
                samples[kind][phase].append(run[kind][phase])
        ratios.append(run["plain"]["total"] / run["forked"]["total"])
    stats = {kind: {phase: {"min": min(v), "median": statistics.median(v), "p90": pct(v, 90), "max": max(v)}
                    for phase, v in by_phase.items()} for kind, by_phase in samples.items()}
    return {"pairs": pairs, "ms": stats,
            "ratio_plain_over_forked": {"min": min(ratios), "median": statistics.median(ratios),
                                        "max": max(ratios)}}


def render(res: dict[str, Any]) -> str:
    lines = [f"{res['pairs']} pairs (plain and forked alternating), milliseconds: min / median / p90 / max"]
    for kind in KINDS:
        for phase in PHASES:
            s = res["ms"][kind][phase]
            lines.append(f"  {kind:7} {phase:9} {s['min']:8.1f} {s['median']:8.1f} {s['p90']:8.1f} {s['max']:8.1f}")
    r = res["ratio_plain_over_forked"]
    lines.append(f"  ratio plain/forked (total, pair by pair): {r['min']:.1f} / {r['median']:.1f} / {r['max']:.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=20, help="measured pairs (default 20)")
    ap.add_argument("--warmup", type=int, default=2, help="pairs not counted, first (default 2)")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--only", choices=KINDS, help="start servers of this kind only, print nothing")
    ap.add_argument("--starts", type=int, default=10, help="with --only: how many (default 10)")
    a = ap.parse_args(argv)
    if a.only:
        for _ in range(a.starts):
            one_start(a.only)
        return 0
    if a.pairs < 1 or a.warmup < 0:
        ap.error("--pairs must be positive, --warmup not negative")
    res = bench(a.pairs, a.warmup)
    print(json.dumps(res, indent=2) if a.json else render(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())

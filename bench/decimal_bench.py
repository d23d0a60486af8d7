"""DECIMAL benchmark: what exact DECIMAL arithmetic costs next to SQLite's own DOUBLE arithmetic.

    python bench/decimal_bench.py [--rows 20000] [--runs 7] [--json]

One in-process server, one table of `--rows` rows with the same values in a DECIMAL(12,2) column and in a
DOUBLE column. Each query runs `--runs` times over the whole table, once on each column; reported is
the median time per query and per row, and the DECIMAL/DOUBLE ratio. DECIMAL `+ - * /`, SUM and AVG run
in Python (`_functions/_decimal.py`), DOUBLE ones in SQLite, so the ratio is the price of exactness.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import conftest  # noqa: F401  (registers the factories, as pytest would)
from app import testingshim

QUERIES = {
    "SUM": "SELECT SUM({c}) FROM b",
    "AVG": "SELECT AVG({c}) FROM b",
    "x * 3 + 1 (every row)": "SELECT {c} * 3 + 1 FROM b",
    "WHERE x * 3 > 100": "SELECT COUNT(*) FROM b WHERE {c} * 3 > 100",
    "plain read": "SELECT {c} FROM b",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    testingshim.select_factory("inprocess")
    results: dict[str, Any] = {}
    with testingshim.new_test_server() as server, server.application_layer().sql_conn(autocommit=True) as conn:
        cur = conn.cursor()
        cur.execute("CREATE TABLE b (id INT PRIMARY KEY, d DECIMAL(12,2), f DOUBLE)")
        for start in range(0, args.rows, 1000):
            rows = ", ".join(f"({i}, {i % 997 / 100:.2f}, {i % 997 / 100:.2f})"
                             for i in range(start, min(start + 1000, args.rows)))
            cur.execute(f"INSERT INTO b VALUES {rows}")
        for name, sql in QUERIES.items():
            timing = {}
            for column in ("d", "f"):
                text = sql.format(c=column)
                cur.execute(text)
                cur.fetchall()  # warm the plan cache
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    cur.execute(text)
                    cur.fetchall()
                    times.append(time.perf_counter() - started)
                timing[column] = statistics.median(times)
            results[name] = {"decimal_ms": timing["d"] * 1e3, "double_ms": timing["f"] * 1e3,
                             "decimal_us_per_row": timing["d"] * 1e6 / args.rows,
                             "ratio": timing["d"] / timing["f"]}
    if args.json:
        print(json.dumps({"rows": args.rows, "runs": args.runs, "queries": results}, indent=2))
        return
    print(f"{args.rows} rows, median of {args.runs} runs")
    print(f"{'query':28} {'DECIMAL ms':>11} {'DOUBLE ms':>10} {'ratio':>6} {'DECIMAL us/row':>15}")
    for name, r in results.items():
        print(f"{name:28} {r['decimal_ms']:11.1f} {r['double_ms']:10.1f} {r['ratio']:6.2f} "
              f"{r['decimal_us_per_row']:15.2f}")


if __name__ == "__main__":
    main()

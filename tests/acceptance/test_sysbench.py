"""sysbench oltp_read_write (libmariadb as its client), with server-side prepared statements and without.

prepare, run and cleanup on one table, one thread, a fixed number of transactions: a bounded
workload of point and range SELECTs, UPDATEs by primary and secondary key, DELETE and INSERT in
transactions. What is compared: that each phase succeeds, the query counts sysbench reports (reads,
writes, others, transactions, ignored errors), and the table's row count after the run. (sysbench's
random values are not reproducible between runs even with --rand-seed, so the rows themselves are not.)
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from _harness import Sides, Target, require_program, run_tool

EVENTS = 40  # transactions: 20 statements each; about 0.25 s on MariaDB (an fsync per commit)


@pytest.mark.parametrize("ps_mode", ["auto", "disable"])
def test_oltp_read_write(sides: Sides, ps_mode: str) -> None:
    sysbench = require_program("sysbench", "sysbench")

    def scenario(target: Target) -> Any:
        argv = [sysbench, "oltp_read_write", "--db-driver=mysql", f"--mysql-host={target.host}",
                f"--mysql-port={target.port}", f"--mysql-user={target.user}", f"--mysql-password={target.password}",
                f"--mysql-db={target.database}", "--tables=1", "--table-size=100", "--threads=1",
                f"--events={EVENTS}", "--time=0", "--rand-seed=7", f"--db-ps-mode={ps_mode}", "--mysql-ssl=off"]
        seen: dict[str, Any] = {}
        run_tool([*argv, "prepare"])
        report = run_tool([*argv, "run"]).decode()
        for name in ("read", "write", "other", "transactions", "queries", "ignored errors"):
            found = re.search(rf"^\s*{name}:\s+(\d+)", report, re.MULTILINE)
            assert found, f"no '{name}:' in sysbench's report:\n{report}"
            seen[name] = int(found.group(1))
        seen["rows after run"] = target.query("SELECT COUNT(*) FROM sbtest1")
        run_tool([*argv, "cleanup"])
        seen["tables after cleanup"] = target.query("SHOW TABLES")
        assert seen["transactions"] == EVENTS and seen["ignored errors"] == 0, report
        return seen

    sides.compare(scenario)

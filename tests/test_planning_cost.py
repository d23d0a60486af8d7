"""Planning cost grows linearly with a statement's size (issue 10: no statement can stall another client).

Type inference used to re-derive every subexpression for each enclosing one, so `SELECT 1+1+...+1` took
4 s of CPU with 400 terms and a 1 MB statement would have held the GIL for hours. Each statement here is
planned in-process and its CPU time (not wall time: the machine is shared) must stay far below what a
quadratic pass would take; the bound is generous so that load does not make the test flaky. Where
MariaDB answers the same statement, app's answer must be MariaDB's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pymysql
import pytest

from _sqldiff import MARIADB_HOST, MARIADB_PORT, mariadb_unreachable
from app.sql import Engine, SQLError, Storage

# CPU seconds a statement below may take to plan and run: a linear planner needs a fraction of this
# (0.2 s for 1000 terms on a loaded machine); the quadratic one needed 10 s and more.
_BOUND = 2.0


def _nested(wrap: Callable[[str], str], depth: int, leaf: str) -> str:
    expr = leaf
    for _ in range(depth):
        expr = wrap(expr)
    return "SELECT " + expr


def _app(sql: str) -> tuple[float, Any]:
    """(CPU seconds, rows or error code) of `sql` on a fresh in-process session (no plan cached)."""
    session = Engine(Storage(None)).new_session()
    start = time.process_time()
    try:
        answer: Any = [tuple(str(v) for v in row) for row in session.execute(sql).rows]
    except SQLError as e:
        answer = e.args[0]
    return time.process_time() - start, answer


# pymysql's encoders without its decoders: values come back as MariaDB wrote them (500, not 500.0)
_TEXT = {k: v for k, v in pymysql.converters.conversions.items() if not isinstance(k, int)}


def _mariadb(sql: str) -> Any:
    reason = mariadb_unreachable()
    if reason:
        pytest.skip(reason)
    conn = pymysql.connect(host=MARIADB_HOST, port=MARIADB_PORT, user="root", conv=_TEXT)
    try:
        with conn.cursor() as cur:
            try:
                cur.execute(sql)
            except pymysql.MySQLError as e:
                return e.args[0]
            return [tuple(str(v) for v in row) for row in cur.fetchall()]
    finally:
        conn.close()


# Each shape is one MariaDB answers (or refuses with 1436) without harm. Not here: a long sum of DECIMAL
# literals (SELECT 1.5+1.5+... with 500 terms), which dropped MariaDB 10.11's connection and restarted it.
SHAPES = {
    "sum_500": "SELECT " + "+".join(["1"] * 500),
    "sum_2000": "SELECT " + "+".join(["1"] * 2000),  # MariaDB: 1436, its thread stack runs out
    "strings_500": "SELECT " + "+".join(["'1'"] * 500),
    "concat_200": _nested(lambda e: f"CONCAT({e}, 'a')", 200, "'x'"),
    "if_200": _nested(lambda e: f"IF(1 > 0, {e}, 'b')", 200, "'x'"),
    "case_200": _nested(lambda e: f"CASE WHEN 1 = 1 THEN {e} ELSE 'c' END", 200, "'x'"),
    "parens_200": _nested(lambda e: f"({e} + 1)", 200, "1"),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_large_expressions_are_planned_in_linear_time_as_mariadb_answers(name: str) -> None:
    sql = SHAPES[name]
    cpu, answer = _app(sql)
    assert cpu < _BOUND, f"{name}: {cpu:.2f} s of CPU"
    assert answer == _mariadb(sql)


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT " + "+".join(["1"] * 1000), [("1000",)]),  # MariaDB: 1436; app follows it deeper
    ("SELECT " + "+".join(["1.5"] * 400), [("600.0",)]),
    ("SELECT " + "+".join(["'1'"] * 900), [("900",)]),
    ("SELECT " + "+".join(["1.5"] * 1000), 1436),  # past SQLite's expression depth: nested too deeply, not 1105
])
def test_long_sums_cost_little_cpu(sql: str, expected: Any) -> None:
    cpu, answer = _app(sql)
    assert cpu < _BOUND, f"{cpu:.2f} s of CPU"
    assert answer == expected

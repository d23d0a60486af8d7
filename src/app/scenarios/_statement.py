"""One statement of a scenario's connection: run it, then compare with the expected result or error.

A failure says what was expected and what came, as the failure report shows them: columns as a JSON
list, one JSON list a row, NULL as `NULL`, bytes decoded (undecodable ones as backslash escapes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from ._errors import ScenarioFailed
from ._schema import QuerySpec


def run_statement(db: Any, q: QuerySpec, step: str, render_: Callable[[str], str],
                  check_time: Callable[[], object]) -> None:
    """Run `q` on the pymysql connection `db`; ScenarioFailed if the outcome is not the expected one.

    `render_` fills the templates of the SQL, its arguments and the expected values; `check_time`
    raises once the test's deadline passed.
    """
    import pymysql

    args = tuple(render_(a) if isinstance(a, str) else a for a in q.args)
    sql = render_(q.sql)
    shown = sql + (f"    -- args: {json.dumps(list(args))}" if args else "")
    check_time()
    try:
        with db.cursor() as cur:
            cur.execute(sql, args or None)
            columns = [d[0] for d in cur.description] if cur.description else []
            rows = [tuple(_cell(v) for v in row) for row in cur.fetchall()] if cur.description else []
    except pymysql.err.MySQLError as e:
        if q.error_match is None:
            raise ScenarioFailed("the statement failed", where=q.where, step=step, sql=shown,
                                 expected="success" if q.result is None else _show_result(q, render_),
                                 actual=error_text(e)) from None
        pattern = render_(q.error_match)
        if not re.search(pattern, _error_message(e)):
            raise ScenarioFailed("the statement failed, but not with the expected error", where=q.where,
                                 step=step, sql=shown, expected=f"an error matching /{pattern}/",
                                 actual=error_text(e)) from None
        return
    if q.error_match is not None:
        raise ScenarioFailed("the statement succeeded, but it should have failed", where=q.where, step=step,
                             sql=shown, expected=f"an error matching /{render_(q.error_match)}/",
                             actual=_show(columns, rows))
    res = q.result
    if res is None:
        return
    want_cols = [render_(c) for c in res.columns] if res.columns is not None else None
    want_rows = [tuple(render_(c) for c in row) for row in res.rows] if res.rows is not None else None
    ok = want_cols is None or want_cols == columns
    if want_rows is not None:
        got, want = (sorted(rows), sorted(want_rows)) if res.order == "any" else (rows, want_rows)
        ok = ok and got == want
    if not ok:
        what = "columns differ" if want_cols is not None and want_cols != columns else "rows differ"
        if res.order == "any":
            what += " (compared in any order)"
        raise ScenarioFailed(f"unexpected result: {what}", where=q.where, step=step, sql=shown,
                             expected=_show(want_cols if want_cols is not None else columns,
                                            want_rows if want_rows is not None else rows),
                             actual=_show(columns, rows))


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="backslashreplace")
    return str(value)


def _error_message(e: BaseException) -> str:
    """The server's message of a pymysql error (its args are (code, message))."""
    args: tuple[Any, ...] = e.args
    return str(args[1]) if len(args) >= 2 else str(e)


def error_text(e: BaseException) -> str:
    args: tuple[Any, ...] = e.args
    if len(args) >= 2 and isinstance(args[0], int):
        return f"error {args[0]}: {args[1]}"
    return f"{type(e).__name__}: {e}"


def _show(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["columns " + json.dumps(list(columns))]
    lines += [json.dumps(list(r)) for r in rows] if rows else ["(no rows)"]
    return "\n".join(lines)


def _show_result(q: QuerySpec, render_: Callable[[str], str]) -> str:
    res = q.result
    if res is None:
        return "success"
    cols = [render_(c) for c in res.columns] if res.columns is not None else ["(not checked)"]
    rows = [[render_(c) for c in r] for r in res.rows] if res.rows is not None else []
    return _show(cols, rows)

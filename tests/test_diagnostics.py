"""The diagnostics area (SHOW WARNINGS, SHOW ERRORS, SHOW COUNT(*), @@warning_count, @@error_count) and
the warning counts of OK packets and result sets, compared with MariaDB (see _sqldiff.py).

MariaDB's rules are in app.sql._diagnostics: a statement that uses tables clears the area; one that does not
(SELECT 1, SET, DO) clears it only when it raises a condition of its own; SHOW WARNINGS leaves it alone.
"""

from __future__ import annotations

from _sqldiff import Differ, run_wire


def test_notes_of_if_exists_and_if_not_exists(differ: Differ) -> None:
    out = differ.check([
        "CREATE TABLE t (a INT)",
        "CREATE TABLE IF NOT EXISTS t (a INT)", "SHOW WARNINGS",
        "CREATE TABLE IF NOT EXISTS t AS SELECT 1 AS a", "SELECT COUNT(*) FROM t", "SHOW WARNINGS",
        "DROP TABLE IF EXISTS nope, t, nope2", "SHOW WARNINGS", "SELECT @@warning_count, @@error_count",
        "DROP TABLE IF EXISTS t", "SHOW COUNT(*) WARNINGS",
    ])
    assert out[2].values == [("Note", 1050, "Table 't' already exists")]
    assert out[4].values == [(0,)]
    assert out[7].values == [("Note", 1051, f"Unknown table '{differ.db}.nope,{differ.db}.nope2'")]
    assert out[8].values == [(1, 0)]
    assert out[10].values == [(1,)]


def test_an_error_is_kept_until_a_statement_clears_it(differ: Differ) -> None:
    out = differ.check([
        "SELECT * FROM no_such_table", "SHOW WARNINGS", "SHOW ERRORS", "SELECT @@error_count, @@warning_count",
        "SHOW COUNT(*) ERRORS", "SELECT 1", "SHOW ERRORS",
        "CREATE TABLE u (a INT)", "SELECT a FROM u", "SHOW WARNINGS", "SELECT @@error_count",
    ])
    error = ("Error", 1146, f"Table '{differ.db}.no_such_table' doesn't exist")
    assert out[1].values == [error] and out[2].values == [error]
    assert out[3].values == [(1, 1)] and out[4].values == [(1,)]
    assert out[6].values == [error]  # SELECT 1 uses no table: the area stays
    assert out[9].values == [] and out[10].values == [(0,)]


def test_counts_on_the_wire(differ: Differ) -> None:
    """The OK packet and the end of a result set carry the statement's own count; SHOW WARNINGS none."""
    statements = ["CREATE TABLE IF NOT EXISTS w (a INT)", "CREATE TABLE IF NOT EXISTS w (a INT)", "SHOW WARNINGS",
                  "SELECT 1", "DROP TABLE IF EXISTS w, w2"]
    ours = [run_wire(differ.ours, differ.sql(s)) for s in statements]
    theirs = [run_wire(differ.reference, differ.sql(s)) for s in statements]
    counts = [[part.warnings for part in answer] for answer in theirs]  # type: ignore[union-attr]
    assert counts == [[0], [1], [0], [0], [1]]
    assert [[part.warnings for part in answer] for answer in ours] == counts  # type: ignore[union-attr]

"""A table changed by one connection, read by another: each sees the table as it is now.

Migration tools change tables on one connection while the application's pool holds others; a
server that keeps a statement's translation or result columns past a schema change answers with
the old column list (a silent wrong answer) or fails.
"""

from __future__ import annotations

from typing import Any

from _harness import Sides, Target


def test_other_connections_see_dropped_recreated_and_altered_tables(sides: Sides) -> None:
    def scenario(target: Target) -> Any:
        changer, reader = target.connect(), target.connect()
        seen: dict[str, Any] = {}

        def read(label: str, sql: str = "SELECT * FROM t ORDER BY 1") -> None:
            with reader.cursor() as cur:
                cur.execute(sql)
                seen[label] = [[d[0] for d in cur.description], [list(r) for r in cur.fetchall()]]

        with changer.cursor() as cur:
            cur.execute("CREATE TABLE t (a INT)")
            cur.execute("INSERT INTO t VALUES (1)")
            read("created")
            cur.execute("DROP TABLE t")
            cur.execute("CREATE TABLE t (c VARCHAR(5), d INT)")
            cur.execute("INSERT INTO t VALUES ('x', 2)")
            read("dropped and created again")
            cur.execute("ALTER TABLE t ADD COLUMN e INT DEFAULT 7")
            read("column added")
            cur.execute("ALTER TABLE t DROP COLUMN c")
            read("column dropped")
            read("count", "SELECT COUNT(*) FROM t")
            cur.execute("ALTER TABLE t RENAME COLUMN d TO f")
            read("column renamed", "SELECT * FROM t WHERE f = 2")
        assert seen["column renamed"] == [["f", "e"], [[2, 7]]], seen
        return seen

    sides.compare(scenario)

"""The function registry, function by function: every registered MySQL function has a result type that
the type deriver finds without running it, and every example of it runs and comes back with that
type. The examples are MySQL: MariaDB runs them too.

A new function needs nothing here: its declaration's examples make its cases.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pymysql
import pytest

from app.sql import Engine, Session, SQLError, Storage
from app.sql._functions import FAMILIES, REGISTRY, Function
from app.sql._statements.query import QueryPlan
from app.sql._translator import Translator
from app.sql._types import Column

FUNCTIONS = sorted((f for f in REGISTRY.functions if not f.internal), key=lambda f: (f.family, f.name))


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    engine = Engine(Storage())
    try:
        yield engine.new_session()
    finally:
        engine.close()


def test_every_function_is_declared_with_a_type_and_examples_of_each_of_its_names() -> None:
    assert len(FUNCTIONS) > 100, len(FUNCTIONS)
    declared_by = {module.fn.family for module in FAMILIES}
    assert {f.family for f in REGISTRY.functions} == declared_by, "a Family declared outside a family module"
    for fn in FUNCTIONS:
        assert fn.returns is not None, f"{fn.family} function {fn.name} has no result type"
        for name in fn.names:
            called = re.compile(rf"(?i)\b{name}\b")
            assert any(called.search(e) for e in fn.examples), (
                f"{fn.family} function {fn.name}: no example calls {name}")


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f"{f.family}.{f.name}")
def test_each_function_has_a_type_and_runs(fn: Function, session: Session) -> None:
    translator = Translator()
    for example in fn.examples:
        sql = f"SELECT {example}"
        plan, _ = translator.plan(sql)
        assert isinstance(plan, QueryPlan), sql
        declared = plan.hints[0]
        assert isinstance(declared, Column), f"{sql}: the type deriver found no type ({declared!r})"
        result = session.execute(sql)
        assert result.columns is not None and len(result.rows) == 1, f"{sql}: {result}"
        column = result.columns[0]
        assert (column.type, column.binary) == (declared.type, declared.binary), (
            f"{sql}: declared {declared.type.name}, but its value {result.rows[0][0]!r} went out as {column.type.name}")


def test_internal_and_sqlite_only_functions_are_not_callable(session: Session) -> None:
    internal = sorted({f.sqlite_name for f in REGISTRY.functions if f.implementation is not None and f.sqlite_name
                       and f.sqlite_name.upper() not in REGISTRY.by_name})
    assert "APP_NOW" in internal and "APP_UPSERT_UPDATED" in internal
    for name in [*internal, "sqlite_version", "load_extension", "randomblob", "zeroblob", "printf", "typeof",
                 "last_insert_rowid", "changes", "julianday", "strftime", "unixepoch"]:
        with pytest.raises(SQLError) as caught:
            session.execute(f"SELECT {name}(1)")
        assert caught.value.code == 1305, f"{name}: {caught.value}"


def test_the_examples_are_mysql() -> None:
    """MariaDB runs every example (the reference decides what MySQL is, not the examples' author)."""
    try:
        conn = pymysql.connect(host=os.environ.get("APP_TEST_MARIADB_HOST", "127.0.0.1"),
                               port=int(os.environ.get("APP_TEST_MARIADB_PORT", "3306")),
                               user=os.environ.get("APP_TEST_MARIADB_USER", "root"),
                               password=os.environ.get("APP_TEST_MARIADB_PASSWORD", ""), ssl_disabled=True,
                               connect_timeout=5)
    except pymysql.err.OperationalError as e:
        pytest.skip(f"the reference MariaDB is unreachable: {e}")
    refused = []
    try:
        with conn.cursor() as cur:
            for fn in FUNCTIONS:
                for example in fn.examples:
                    try:
                        cur.execute(f"SELECT {example}")
                        cur.fetchall()
                    except pymysql.MySQLError as e:
                        refused.append(f"{fn.name}: SELECT {example}: {e}")
    finally:
        conn.close()
    assert not refused, "MariaDB refused:\n" + "\n".join(refused)

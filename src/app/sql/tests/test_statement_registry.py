"""The statement families as the session sees them: every plan class has an executor, every executor
asks only for services a session has, and dispatch goes by class."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from app.sql import Engine, Session, Storage
from app.sql._plan import EXECUTORS, Plan
from app.sql._statements import FAMILIES
from app.sql._translator import Translator


def _plan_classes(cls: type[Plan]) -> Iterator[type[Plan]]:
    for sub in cls.__subclasses__():
        # @dataclass(slots=True) makes a new class: skip the one it replaced
        if getattr(sys.modules[sub.__module__], sub.__qualname__, None) is sub:
            yield sub
        yield from _plan_classes(sub)


@pytest.fixture
def session() -> Iterator[Session]:
    engine = Engine(Storage())
    try:
        yield engine.new_session()
    finally:
        engine.close()


def test_every_plan_class_has_an_executor_asking_for_services_a_session_has(session: Session) -> None:
    plans = set(_plan_classes(Plan))
    assert len(plans) > 20, plans
    missing = sorted(p.__qualname__ for p in plans if p not in EXECUTORS)
    assert not missing, f"plan classes without an executor (@executes): {missing}"
    for plan_type, executor in EXECUTORS.items():
        for need in executor.needs:
            assert need in session._services, (
                f"{executor.run.__module__}.{executor.run.__name__} ({plan_type.__name__}) needs {need.__name__}, "
                "which a session does not provide")


def test_plans_are_frozen_dataclasses_and_each_family_module_declares_some() -> None:
    for plan_type in _plan_classes(Plan):
        params = plan_type.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen, f"{plan_type.__qualname__} is not frozen"
    declaring = {e.run.__module__ for e in EXECUTORS.values()}
    assert {f.__name__ for f in FAMILIES} <= declaring


@pytest.mark.parametrize("sql, family", [
    ("SELECT 1", "query"), ("SELECT * FROM information_schema.tables", "infoschema"),
    ("INSERT INTO t VALUES (1)", "dml"), ("UPDATE t SET a = 1", "dml"), ("DELETE FROM t", "dml"),
    ("CREATE TABLE t (a INT)", "ddl"), ("ALTER TABLE t ADD COLUMN b INT", "ddl"), ("RENAME TABLE a TO b", "rename"),
    ("CREATE DATABASE d", "database"), ("USE d", "database"), ("SHOW TABLES", "show"), ("DESC t", "show"),
    ("BEGIN", "transaction"), ("SAVEPOINT s", "transaction"), ("SET @a = 1", "session"), ("FLUSH TABLES", "session"),
    ("CALL p(1)", "call"),
])
def test_a_statement_is_planned_and_run_by_its_family(sql: str, family: str) -> None:
    plan, _ = Translator().plan(sql)
    assert EXECUTORS[type(plan)].run.__module__ == f"app.sql._statements.{family}", (sql, type(plan))

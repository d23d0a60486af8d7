"""The reference MariaDB's reachability probe (`_sqldiff.mariadb_unreachable`), which every differential test
asks before it runs: a connect missed under load is retried, and in CI an unreachable MariaDB fails instead of
silently skipping the differential tests (a clean-clone CI once passed with the whole corpus skipped)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pymysql
import pytest

import _sqldiff


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Connect attempts are counted and fail with 2003 while the list's first item is positive."""
    failures = [0]

    class _Conn:
        def close(self) -> None:
            pass

    def connect(**kwargs: Any) -> _Conn:
        if failures[0] != 0:
            failures[0] -= 1
            raise pymysql.err.OperationalError(2003, "Can't connect to MySQL server (timed out)")
        return _Conn()

    monkeypatch.setattr(_sqldiff, "_mariadb_connect", connect)
    monkeypatch.setattr(_sqldiff, "_down", [])
    monkeypatch.setattr(_sqldiff.time, "sleep", lambda seconds: None)
    yield failures


def test_a_missed_connect_is_retried(probe: list[int]) -> None:
    probe[0] = 3
    assert _sqldiff.mariadb_unreachable() is None
    assert probe[0] == 0


def test_unreachable_skips_outside_ci_and_is_remembered(probe: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_TEST_REQUIRE_CLIENTS", raising=False)
    monkeypatch.setattr(_sqldiff, "scaled", lambda seconds: 0.0)
    probe[0] = -1  # never answers
    reason = _sqldiff.mariadb_unreachable()
    assert reason is not None and "unreachable" in reason
    probe[0] = 0  # answers now, but the probe gave up once: no second wait
    assert _sqldiff.mariadb_unreachable() == reason


def test_unreachable_fails_in_ci(probe: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_TEST_REQUIRE_CLIENTS", "1")
    monkeypatch.setattr(_sqldiff, "scaled", lambda seconds: 0.0)
    probe[0] = -1
    with pytest.raises(pytest.fail.Exception, match="APP_TEST_REQUIRE_CLIENTS is set"):
        _sqldiff.mariadb_unreachable()

"""The acceptance harness itself: what a known failure lets through and what it does not, without servers."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from _harness import AppKnownFailure, KnownFailure, Sides, Target, ToolFailed, missing, run_tool

KNOWN = KnownFailure("row 'x'", r"1105 .*codec", "app decodes bytes as UTF-8")


def sides(known: KnownFailure | None = KNOWN, *, reference: bool = True) -> Sides:
    app = Target("app", "127.0.0.1", 1, "root", "", "db")
    mariadb = Target("mariadb", "127.0.0.1", 2, "root", "", "db") if reference else None
    return Sides(app, mariadb, known)


def failing_on(side: str, error: Exception) -> Any:
    def scenario(target: Target) -> Any:
        if target.side == side:
            raise error
        return {"rows": [1]}
    return scenario


def test_the_recorded_app_failure_is_the_known_failure() -> None:
    with pytest.raises(AppKnownFailure, match="row 'x'"):
        sides().compare(failing_on("app", RuntimeError("1105 'utf-8' codec can't decode")))


def test_another_app_failure_fails_and_says_to_update_the_entry() -> None:
    with pytest.raises(AssertionError, match="app fails differently") as info:
        sides().compare(failing_on("app", RuntimeError("1064 syntax")))
    assert not isinstance(info.value, AppKnownFailure)
    assert "1064 syntax" in str(info.value)


def test_a_mariadb_failure_is_never_the_known_failure() -> None:
    with pytest.raises(RuntimeError) as info:
        sides().compare(failing_on("mariadb", RuntimeError("1105 'utf-8' codec can't decode")))
    assert "on the mariadb side" in "".join(getattr(info.value, "__notes__", []))


def test_different_results_fail_on_the_app_side() -> None:
    def scenario(target: Target) -> Any:
        return [target.side == "app"]

    with pytest.raises(AssertionError, match="app and MariaDB differ"):
        sides(known=None).compare(scenario)
    # A known failure that is a difference of results needs a pattern over the assertion's text.
    with pytest.raises(AppKnownFailure):
        sides(KnownFailure("row", r"differ in", "...")).compare(scenario)


def test_equal_results_pass_and_return_mariadbs() -> None:
    assert sides(known=None).compare(lambda target: {"ok": True}) == {"ok": True}


def test_without_a_reference_the_scenario_runs_once_on_app() -> None:
    ran: list[str] = []
    sides(known=None, reference=False).compare(lambda target: ran.append(target.side))
    assert ran == ["app"]


def test_a_missing_tool_skips_or_fails_when_ci_requires_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_TEST_REQUIRE_CLIENTS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="sysbench is not installed: apt-get install sysbench"):
        missing("sysbench", "apt-get install sysbench")
    monkeypatch.setenv("APP_TEST_REQUIRE_CLIENTS", "1")
    with pytest.raises(pytest.fail.Exception, match="APP_TEST_REQUIRE_CLIENTS is set"):
        missing("sysbench", "apt-get install sysbench")


def test_a_tool_that_hangs_is_killed_at_its_deadline() -> None:
    with pytest.raises(ToolFailed, match="timed out") as info:
        run_tool([sys.executable, "-c", "import time; print('started', flush=True); time.sleep(60)"], timeout=0.5)
    assert "started" in info.value.output and info.value.returncode is None


def test_a_failing_tool_reports_its_command_exit_code_and_output() -> None:
    with pytest.raises(ToolFailed) as info:
        run_tool([sys.executable, "-c", "import sys; sys.exit('ERROR 1065 (42000) at line 1: Query was empty')"])
    assert info.value.returncode == 1 and "ERROR 1065" in str(info.value) and sys.executable in str(info.value)

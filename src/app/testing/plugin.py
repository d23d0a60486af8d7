"""The pytest plugin: `app_server`, `app_server_factory`, markers, the seed header, log scope, leak check."""

from __future__ import annotations

import os
import time
from typing import Any, Iterator, Protocol

import pytest

from app import testingshim
from app.testingshim import TestServer, TestServerArgs
from app.testingshim import _registry

from . import _leaks

_STARTED = pytest.StashKey[list[Any]]()
_SNAPSHOT = pytest.StashKey[_leaks.Snapshot]()
_UNREGISTER = pytest.StashKey[Any]()


class AppServerFactory(Protocol):
    """Starts a test server; every one it starts is stopped at teardown, newest first."""

    def __call__(self, args: TestServerArgs | None = None) -> TestServer: ...


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("app", "app test servers")
    group.addoption("--app-server-factory", default=None, metavar="NAME",
                    help="test server factory (overrides APP_TEST_SERVER_FACTORY): inprocess, subprocess, "
                         "external, random, or package.module:attribute")
    group.addoption("--app-no-leak-check", action="store_true", default=False,
                    help="do not fail tests that leave threads, processes, sockets or files behind")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "app_server_args(**kwargs): TestServerArgs for the app_server fixture")
    config.addinivalue_line("markers", "app_server_factory(name): force a test server factory for this test")
    name = config.getoption("--app-server-factory")
    if name:
        os.environ[_registry.ENV_FACTORY] = name  # xdist workers and subprocesses inherit it
    testingshim.seed()  # drawn once here, so that xdist workers inherit the same seed


def pytest_report_header(config: pytest.Config) -> str:
    factory = os.environ.get(_registry.ENV_FACTORY) or _registry.DEFAULT_FACTORY
    return (f"app: test server factory {factory} (registered: {', '.join(testingshim.registered_server_factories()) or 'none'}); "
            f"APP_TEST_SEED={testingshim.seed()}")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _registry.set_current_test(item.nodeid)
    marker = item.get_closest_marker("app_server_factory")
    _registry.select_factory(marker.args[0] if marker else None)
    started: list[Any] = []
    item.stash[_STARTED] = started
    item.stash[_SNAPSHOT] = _leaks.snapshot()
    item.stash[_UNREGISTER] = _registry.on_server_started(started.append)



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    started = item.stash.get(_STARTED, [])
    if report.failed and started:
        # Log scope: a failing test shows what its servers logged; a passing one drops it.
        for i, server in enumerate(started):
            text = _log_of(server)
            if text:
                report.sections.append((f"app server {i} ({getattr(server, 'factory_name', '?')}) log",
                                        "\n".join(text.splitlines()[-200:])))


def _log_of(obj: Any) -> str:
    if hasattr(obj, "log_text"):
        return str(obj.log_text())
    return ""


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    unregister = item.stash.get(_UNREGISTER, None)
    if unregister is not None:
        unregister()
    _registry.select_factory(None)
    started = item.stash.get(_STARTED, [])
    if not started or item.config.getoption("--app-no-leak-check"):
        return
    before = item.stash[_SNAPSHOT]
    # Servers stop in their fixtures' teardown, which ran before this hook; give sockets a moment
    # to leave the kernel's tables by waiting on the condition, not a fixed sleep.
    deadline = time.monotonic() + testingshim.scaled(2.0)
    found = _leaks.leaks(before)
    while found and time.monotonic() < deadline:
        time.sleep(0.01)
        found = _leaks.leaks(before)
    if found:
        where = "\n".join(f"  server from {getattr(s, 'factory_name', '?')} created at:\n{getattr(s, 'created_at', '')}"
                          for s in started)
        pytest.fail("the test left behind:\n  " + "\n  ".join(found) + "\n" + where, pytrace=False)


@pytest.fixture
def app_server_factory(request: pytest.FixtureRequest) -> Iterator[AppServerFactory]:
    """Start test servers from the selected factory; all stop at teardown, in reverse order."""
    servers: list[TestServer] = []

    def start(args: TestServerArgs | None = None) -> TestServer:
        server = testingshim.new_test_server(args)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        errors = []
        for server in reversed(servers):
            try:
                server.stop()
            except Exception as e:  # keep stopping the others
                errors.append(e)
        if errors:
            raise errors[0]


@pytest.fixture
def app_server(request: pytest.FixtureRequest, app_server_factory: AppServerFactory) -> TestServer:
    """A started test server for this test. Configure it with `@pytest.mark.app_server_args(...)`."""
    marker = request.node.get_closest_marker("app_server_args")
    args = None
    if marker is not None:
        args = marker.args[0] if marker.args else TestServerArgs(**marker.kwargs)
    return app_server_factory(args)

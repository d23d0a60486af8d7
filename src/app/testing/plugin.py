"""The pytest plugin: `app_server`, `app_server_factory`, private databases on a shared server, markers,
the seed header, the run directory of `testingshim.once`, log scope, kept databases, leak check."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from typing import Any, Protocol

import pytest

from app import testingshim
from app.testingshim import TestCluster, TestDatabase, TestServer, TestServerArgs, _once, _registry

from . import _external, _leaks

_STARTED = pytest.StashKey[list[Any]]()
_SNAPSHOT = pytest.StashKey[_leaks.Snapshot]()
_UNREGISTER = pytest.StashKey[Any]()
_RUN_DIR = pytest.StashKey[tuple[str, "str | None"]]()
# The test being set up, so that a session-scoped server started during its setup is not its leak.
_current_item: pytest.Item | None = None


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
    config.addinivalue_line("markers", "app_cluster(num_nodes=3, args=TestClusterArgs()): the app_cluster fixture's "
                                       "size and arguments")
    name = config.getoption("--app-server-factory")
    if name:
        os.environ[_registry.ENV_FACTORY] = name  # xdist workers and subprocesses inherit it
    testingshim.seed()  # drawn once here, so that xdist workers inherit the same seed
    if "external" not in testingshim.registered_server_factories():
        # Needs no server of ours, so any project gets it with the plugin: private databases on a real MySQL.
        testingshim.init_test_server_factory(_external.ExternalFactory(), name="external")
    if not hasattr(config, "workerinput"):
        # The controlling process (or a run without xdist): a fresh directory for `once`, which the
        # workers, started after this, inherit. Always fresh: a pytest run inside a test is another run.
        previous = os.environ.get(_once.ENV_RUN_DIR)
        _once.sweep_run_dirs()  # those of runs that were killed before they could remove theirs
        path = _once.new_run_dir()
        os.environ[_once.ENV_RUN_DIR] = path
        config.stash[_RUN_DIR] = (path, previous)


def pytest_unconfigure(config: pytest.Config) -> None:
    run_dir = config.stash.get(_RUN_DIR, None)
    if run_dir is not None:
        path, previous = run_dir
        shutil.rmtree(path, ignore_errors=True)
        if previous is None:
            os.environ.pop(_once.ENV_RUN_DIR, None)
        else:
            os.environ[_once.ENV_RUN_DIR] = previous


def pytest_report_header(config: pytest.Config) -> list[str]:
    factory = os.environ.get(_registry.ENV_FACTORY) or _registry.DEFAULT_FACTORY
    registered = ", ".join(testingshim.registered_server_factories()) or "none"
    lines = [f"app: test server factory {factory} (registered: {registered}); "
             f"APP_TEST_SEED={testingshim.seed()}"]
    if factory == "external":
        lines.append(f"app: external server: {_external.describe_server()}")
    return lines


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _current_item
    _current_item = item
    _registry.set_current_test(item.nodeid)
    marker = item.get_closest_marker("app_server_factory")
    _registry.select_factory(marker.args[0] if marker else None)
    started: list[Any] = []
    item.stash[_STARTED] = started
    item.stash[_SNAPSHOT] = _leaks.snapshot()
    item.stash[_UNREGISTER] = _registry.on_server_started(started.append)



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome: Any = yield  # pluggy's Result
    report: pytest.TestReport = outcome.get_result()
    started = item.stash.get(_STARTED, [])
    if report.failed and call.excinfo is not None and getattr(call.excinfo.value, "one_line", False):
        # Nothing in the traceback would help (APP_TEST_MYSQL_URL unset, ...): the error's line is the report.
        report.longrepr = f"{type(call.excinfo.value).__name__}: {call.excinfo.value}"
    if report.failed and report.when in ("setup", "call"):
        # Keep what a failed test had on a shared server (its private databases), and say where it is.
        funcargs = getattr(item, "funcargs", {})
        # The shared server is the worker's, not this test's: only the test's own databases are kept.
        kept, seen = [], {id(funcargs.get("app_shared_server"))}
        for obj in [*started, *funcargs.values()]:
            if id(obj) not in seen and hasattr(obj, "keep_for_debugging"):
                seen.add(id(obj))
                line = obj.keep_for_debugging()
                if line:
                    kept.append(line)
        if kept:
            report.sections.append(("app kept databases", "\n".join(kept)))
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
    global _current_item
    _current_item = None
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
def app_cluster(request: pytest.FixtureRequest) -> Iterator[TestCluster]:
    """A started cluster for this test (node 0 primary), stopped at teardown.

    Size and arguments: `@pytest.mark.app_cluster(num_nodes=3, args=TestClusterArgs(...))`.
    """
    marker = request.node.get_closest_marker("app_cluster")
    num_nodes, args = 3, None
    if marker is not None:
        num_nodes = marker.kwargs.get("num_nodes", marker.args[0] if marker.args else 3)
        args = marker.kwargs.get("args")
    cluster = testingshim.start_cluster(num_nodes, args)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def app_server(request: pytest.FixtureRequest, app_server_factory: AppServerFactory) -> TestServer:
    """A started test server for this test. Configure it with `@pytest.mark.app_server_args(...)`."""
    marker = request.node.get_closest_marker("app_server_args")
    args = None
    if marker is not None:
        args = marker.args[0] if marker.args else TestServerArgs(**marker.kwargs)
    return app_server_factory(args)


@pytest.fixture(scope="session")
def app_shared_server() -> Iterator[TestServer]:
    """One server per process (so per xdist worker) from the selected factory, shared by its tests.

    Use it through `app_database` / `app_module_database`, which give each test (or module) a
    private database on it: tests sharing the server cannot see each other's tables. It is stopped
    when the process's session ends, and is no test's leak.
    """
    item = _current_item
    before = _leaks.snapshot()
    server = testingshim.new_test_server()
    if item is not None:
        started = item.stash.get(_STARTED, [])
        if server in started:
            started.remove(server)
        if _SNAPSHOT in item.stash:
            item.stash[_SNAPSHOT] = item.stash[_SNAPSHOT].including(_leaks.snapshot(), besides=before)
    try:
        yield server
    finally:
        server.stop()


def _private_database(server: TestServer, node: pytest.Item | pytest.Collector) -> Iterator[TestDatabase]:
    db = testingshim.new_test_database(server, base=node.name.removesuffix(".py"))
    try:
        yield db
    finally:
        db.drop()


@pytest.fixture
def app_database(app_shared_server: TestServer, request: pytest.FixtureRequest) -> Iterator[TestDatabase]:
    """A private database for this test on the process's shared server; dropped after it (kept if it failed).

    Example::

        def test_items(app_database):
            conn = app_database.sql_conn(autocommit=True)   # the database is selected
    """
    yield from _private_database(app_shared_server, request.node)


@pytest.fixture(scope="module")
def app_module_database(app_shared_server: TestServer, request: pytest.FixtureRequest) -> Iterator[TestDatabase]:
    """A private database for this module's tests on the process's shared server (one CREATE per module).

    The module's tests share it, so they must not depend on each other's rows. Under xdist each
    worker that runs tests of the module has its own, used by its tests one after another.
    """
    yield from _private_database(app_shared_server, request.node)

"""pytest plugin: each test of a scenario file is a pytest item.

Collected files: `*.yaml` / `*.yml` in a directory named `scenarios` whose top
level has a `tests:` key (a line starting with `tests:`), and any YAML file
named on the command line. Other YAML, such as a data file beside the
scenarios, is left alone. A scenario file that does not validate is a
collection error naming the file and line. A failing test reports the step's
file and line, the SQL, expected and actual, and every server's output tail,
not the runner's traceback.

    pytest tests/scenarios                                   # all of them
    pytest tests/scenarios/cluster.yaml::'failover and failback'
    pytest tests/scenarios/basics.yaml --app-scenario-debug server1=5678
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ._errors import ScenarioFailed, ScenarioSchemaError
from ._runner import RunOptions, run_test
from ._schema import ScenarioTest, load_file

_SERVERS_KEY = "app_scenario_server_processes"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("app-scenarios", "app YAML scenarios")
    group.addoption("--app-scenario-debug", action="append", default=[], metavar="SERVER=PORT",
                    help="run the scenario server named SERVER under debugpy, waiting for a debugger on PORT "
                         "(set APP_TEST_TIMEOUT_SCALE high so that nothing times out at a breakpoint)")


def pytest_configure(config: pytest.Config) -> None:
    # Under xdist the controller gets every worker's reports, user_properties included, so it counts all.
    config.pluginmanager.register(_Summary(), "app-scenarios-summary")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    if not parent.session.isinitpath(file_path) and not (file_path.parent.name == "scenarios"
                                                          and is_scenario_file(file_path)):
        return None
    return ScenarioFileCollector.from_parent(parent, path=file_path)


_TESTS_KEY = re.compile(rb"^tests\s*:", re.MULTILINE)


def is_scenario_file(path: Path) -> bool:
    """Whether `path` is a scenario file: its top level has a `tests:` key (checked on the text, so that
    a scenario with a YAML mistake is still collected, and its error reported)."""
    try:
        return _TESTS_KEY.search(path.read_bytes()) is not None
    except OSError:
        return False


class ScenarioFileCollector(pytest.File):
    """A scenario file: validated as a whole, so that any mistake fails its collection."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            display = os.path.relpath(self.path, self.config.invocation_params.dir)
        except ValueError:  # another drive (Windows)
            display = str(self.path)
        try:
            loaded = load_file(self.path, display=display)
        except ScenarioSchemaError as e:
            raise self.CollectError(f"invalid scenario file: {e}") from None
        for test in loaded.tests:
            item = ScenarioItem.from_parent(self, name=test.name, test=test)
            if test.skip is not None:
                item.add_marker(pytest.mark.skip(reason=test.skip))
            yield item


class ScenarioItem(pytest.Item):
    """One scenario test."""

    def __init__(self, *, test: ScenarioTest, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.test = test

    def runtest(self) -> None:
        options = RunOptions(notice=_notice, debug_ports=_debug_ports(self.config))
        with _file_lock(self.path, self.test.parallel):
            try:
                result = run_test(self.test, options)
            except ScenarioFailed as e:
                self.user_properties.append((_SERVERS_KEY, e.server_processes))
                raise
        self.user_properties.append((_SERVERS_KEY, result.server_processes))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.test.where.line - 1, f"scenario: {self.test.name}"


def _notice(text: str) -> None:
    # Past pytest's capture: a person has to see this now, to attach a debugger.
    print(f"\n[app scenarios] {text}", file=sys.__stderr__, flush=True)


def _debug_ports(config: pytest.Config) -> dict[str, int]:
    out = {}
    for item in config.getoption("--app-scenario-debug") or []:
        name, sep, port = item.partition("=")
        if not sep or not port.isdigit():
            raise pytest.UsageError(f"--app-scenario-debug {item!r}: write SERVER=PORT, for example server1=5678")
        out[name] = int(port)
    return out


@contextlib.contextmanager
def _file_lock(path: Path, parallel: bool) -> Iterator[None]:
    """Tests of a file without `parallel: true` never overlap, also across xdist workers (an flock per file)."""
    if parallel or sys.platform == "win32":
        yield
        return
    import fcntl

    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"app-scenarios-{digest}.lock"
    with open(lock_path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class _Summary:
    """Counts scenario tests and the server processes they started, for the line at the end of the run."""

    def __init__(self) -> None:
        self.tests = 0
        self.servers = 0
        self.seconds = 0.0

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for key, value in report.user_properties:
            if key == _SERVERS_KEY:
                self.tests += 1
                self.servers += int(value)  # type: ignore[call-overload]
                self.seconds += report.duration

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.tests:
            terminalreporter.write_line(
                f"app scenarios: {self.tests} tests started {self.servers} server processes "
                f"in {self.seconds:.1f}s of test time")

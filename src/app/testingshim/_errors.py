"""The shim's exceptions: one tree, details kept as attributes, text built in __str__."""

from __future__ import annotations

import unittest
from collections.abc import Sequence


class TestingShimError(Exception):
    """Base of every error the test framework raises."""

    __test__ = False


class FactoryNotRegistered(TestingShimError):
    """No factory by that name (or none at all) is registered."""

    def __init__(self, wanted: str, registered: Sequence[str], kind: str = "server") -> None:
        super().__init__(wanted)
        self.wanted = wanted
        self.registered = list(registered)
        self.kind = kind

    def __str__(self) -> str:
        fn = "init_test_server_factory" if self.kind == "server" else "init_test_cluster_factory"
        have = ", ".join(self.registered) if self.registered else "none"
        example = "InProcessFactory" if self.kind == "server" else "InProcessClusterFactory"
        return (
            f"no test {self.kind} factory named {self.wanted!r} is registered (registered: {have}).\n"
            f"Register app's factories from your conftest.py with one call:\n"
            f"    from app.server.testing import register_factories\n"
            f"    register_factories()\n"
            f"or register your own: testingshim.{fn}({example}(), name=\"inprocess\").\n"
            f"Pick a registered one with APP_TEST_SERVER_FACTORY or --app-server-factory."
        )


class UnsupportedByFactory(TestingShimError):
    """The selected factory cannot do what the test asked (e.g. a subprocess has no live storage objects)."""

    def __init__(self, factory: str, what: str) -> None:
        super().__init__(factory, what)
        self.factory = factory
        self.what = what

    def __str__(self) -> str:
        return (
            f"the {self.factory!r} test server factory does not support {self.what}. "
            f"Declare it in TestServerArgs(requires={{...}}) so the test is skipped under other factories, "
            f"or force the in-process factory for this test with @pytest.mark.app_server_factory(\"inprocess\") "
            f"(or APP_TEST_SERVER_FACTORY=inprocess)."
        )


class RequirementNotMet(unittest.SkipTest, TestingShimError):
    """A test declared a capability the selected factory lacks: a skip, with the reason."""

    def __init__(self, factory: str, missing: Sequence[str]) -> None:
        self.factory = factory
        self.missing = list(missing)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"needs {', '.join(self.missing)}, which the {self.factory!r} test server factory does not offer"


class ServerStartError(TestingShimError):
    """A server did not become ready: the command, exit code and the tail of its output."""

    def __init__(self, reason: str, *, command: Sequence[str] = (), exit_code: int | None = None,
                 output: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.command = list(command)
        self.exit_code = exit_code
        self.output = output

    def __str__(self) -> str:
        lines = [self.reason]
        if self.command:
            lines.append("command: " + " ".join(self.command))
        if self.exit_code is not None:
            lines.append(f"exit code: {self.exit_code}")
        if self.output:
            tail = "\n".join(self.output.rstrip().splitlines()[-30:])
            lines.append("output (last lines):\n" + tail)
        return "\n".join(lines)


class ServerTimeout(ServerStartError):
    """A server did not become ready before its deadline."""


class ExternalServerUnavailable(ServerStartError):
    """The `external` factory has no server to use: APP_TEST_MYSQL_URL is unset, malformed or unreachable.

    Its text is one line, which the pytest plugin shows as the whole failure (no traceback).
    """

    one_line = True


class WaitTimeout(TestingShimError, TimeoutError):
    """A condition awaited with a deadline did not come true; says what was awaited."""

    def __init__(self, what: str, seconds: float, detail: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.seconds = seconds
        self.detail = detail

    def __str__(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"timed out after {self.seconds:.1f}s waiting for {self.what}{detail}"

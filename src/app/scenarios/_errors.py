"""The scenario runner's exceptions: one tree, details kept as attributes, text built in __str__."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    """A place in a scenario file: what a failure or a schema error points at."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class ScenarioError(Exception):
    """Base of every error the scenario runner raises."""


class ScenarioSchemaError(ScenarioError):
    """A scenario file is not valid: says where, what is wrong, and how to fix it."""

    def __init__(self, message: str, where: Where | None = None, *, file: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.file = where.file if where is not None else file

    def __str__(self) -> str:
        if self.where is not None:
            return f"{self.where}: {self.message}"
        if self.file:
            return f"{self.file}: {self.message}"
        return self.message


@dataclass(frozen=True)
class ServerOutput:
    """What one server wrote (stdout and stderr together), for a failure report."""

    name: str
    text: str
    state: str  # "running", "exited with code 1", ...

    def tail(self, lines: int = 40) -> str:
        body = self.text.rstrip("\n").splitlines()[-lines:] if self.text.strip() else ["(no output)"]
        return "\n".join(f"{self.name}| {line}" for line in body)


class ScenarioFailed(ScenarioError):
    """A step of a scenario did not do what the file says.

    `where` is the step's place in the file, `step` says what it was ("query on server1"), `sql` the
    statement (if any), `expected`/`actual` the difference, and `outputs` every server's output.
    """

    def __init__(self, message: str, *, where: Where | None = None, step: str = "", sql: str | None = None,
                 expected: str | None = None, actual: str | None = None,
                 outputs: Sequence[ServerOutput] = (), notes: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.step = step
        self.sql = sql
        self.expected = expected
        self.actual = actual
        self.outputs = list(outputs)
        self.notes = list(notes)
        self.server_processes = 0  # how many server processes the test had started (set by the runner)

    def __str__(self) -> str:
        head = f"{self.where}: " if self.where is not None else ""
        lines = [head + (f"{self.step}: " if self.step else "") + self.message]
        if self.sql is not None:
            lines.append(f"  sql:      {self.sql}")
        if self.expected is not None:
            lines.append(f"  expected: {_indent(self.expected)}")
        if self.actual is not None:
            lines.append(f"  actual:   {_indent(self.actual)}")
        for note in self.notes:
            lines.append(f"  also: {note}")
        for out in self.outputs:
            lines.append(f"--- output of {out.name} ({out.state}), last lines ---")
            lines.append(out.tail())
        return "\n".join(lines)


class ServerStartFailed(ScenarioFailed):
    """A server of the scenario exited or timed out before it accepted connections."""


def _indent(text: str) -> str:
    return text.replace("\n", "\n            ")

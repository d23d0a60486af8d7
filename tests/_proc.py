"""Helpers for tests that run real `python -m app ...` processes.

Every process started here is cleaned up (SIGKILL of the process and its descendants at the latest),
every wait has a deadline and says what it awaited, and `Proc.describe()` is the assertion message:
the command, the exit code and everything the process wrote.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil

from app import _watchdog
from app._lifecycle import ChildProcess, NotReady, wait_ready
from app.testingshim import scaled

READY = re.compile(r"ready for connections on (\S+):(\d+)")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def app_command(*args: str) -> list[str]:
    """`python -m app ARGS` with the interpreter running the tests (never a `python3` shim)."""
    return [sys.executable, "-m", "app", *args]


def child_env() -> dict[str, str]:
    """This environment, with this workspace's sources first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


class WaitFailed(AssertionError):
    """A deadline passed; the message says what was awaited and what the process did."""


class _PipeReader:
    """Reads a pipe line by line in a daemon thread, so waits never block on the pipe itself."""

    def __init__(self, pipe: object, name: str, cond: threading.Condition) -> None:
        self.lines: list[str] = []
        self.closed = False
        self._pipe = pipe
        self._cond = cond
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for raw in iter(self._pipe.readline, b""):  # type: ignore[attr-defined]
                with self._cond:
                    self.lines.append(raw.decode(errors="replace").rstrip("\r\n"))
                    self._cond.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


class Proc:
    """A subprocess (an `app._lifecycle.ChildProcess`) whose stdout and stderr are read line by line."""

    def __init__(self, command: Sequence[str], *, stdin: int | None = subprocess.DEVNULL,
                 cwd: str | os.PathLike[str] | None = None) -> None:
        self.command = list(command)
        self._cond = threading.Condition()
        self.child = ChildProcess(self.command, cwd=cwd, env=child_env(), pipes=True, stdin=stdin)
        self.child.start()
        assert self.child.popen is not None
        self.popen = self.child.popen
        self.pid = self.popen.pid
        self._out = _PipeReader(self.popen.stdout, f"stdout-{self.pid}", self._cond)
        self._err = _PipeReader(self.popen.stderr, f"stderr-{self.pid}", self._cond)

    @property
    def descendants(self) -> dict[int, psutil.Process]:
        return {pid: p for pid, p in self.child.seen.items() if pid != self.pid}

    # -- what it said ---------------------------------------------------------------------------

    @property
    def stdout_lines(self) -> list[str]:
        with self._cond:
            return list(self._out.lines)

    @property
    def stderr_lines(self) -> list[str]:
        with self._cond:
            return list(self._err.lines)

    @property
    def stdout(self) -> str:
        return "".join(line + "\n" for line in self.stdout_lines)

    @property
    def stderr(self) -> str:
        return "".join(line + "\n" for line in self.stderr_lines)

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def describe(self) -> str:
        """The whole story of the process, for assertion messages."""
        code = self.popen.poll()
        return (f"\ncommand: {' '.join(self.command)}\npid: {self.pid}\n"
                f"exit code: {'still running' if code is None else code}\n"
                f"--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}--- end ---")

    # -- waiting --------------------------------------------------------------------------------

    def wait_for_stderr(self, pattern: str | re.Pattern[str], what: str, timeout: float = 20.0) -> re.Match[str]:
        """The first stderr line matching `pattern`; fails if the process exits or the deadline passes first."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + scaled(timeout)
        seen = 0
        with self._cond:
            while True:
                lines = self._err.lines
                for line in lines[seen:]:
                    m = regex.search(line)
                    if m:
                        return m
                seen = len(lines)
                if self._err.closed:
                    # The pipe is closed: the process is gone (or closed stderr); nothing more will come.
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.child.track()
                # Woken by every new line; the timeout bounds the wait (this is no sleep-and-hope).
                self._cond.wait(min(remaining, 0.5))
        self.popen.poll()
        raise WaitFailed(f"awaited {what} (a stderr line matching {regex.pattern!r}) for {scaled(timeout):.1f}s; "
                         f"{'the process exited first' if self.popen.returncode is not None else 'the deadline passed'}"
                         f"{self.describe()}")

    def wait_ready(self, timeout: float = 20.0) -> tuple[str, int]:
        """The (host, port) of the `ready for connections` line, once a MySQL client can connect there."""
        m = self.wait_for_stderr(READY, "the server's ready line", timeout)
        addr = m.group(1), int(m.group(2))
        try:
            # The framework's one readiness check: a handshake, while the process is alive.
            return wait_ready(self.child, time.monotonic() + scaled(timeout), address=lambda: addr)
        except NotReady as e:
            raise WaitFailed(f"awaited the server on {addr[0]}:{addr[1]}: {e}{self.describe()}") from None

    def wait_exit(self, what: str, timeout: float = 10.0) -> int:
        """The exit code; fails (the process still running, to be killed by `stop`) at the deadline."""
        try:
            code = self.popen.wait(scaled(timeout))
        except subprocess.TimeoutExpired:
            raise WaitFailed(f"awaited {what} for {scaled(timeout):.1f}s; the process is still running"
                             f"{self.describe()}") from None
        # The pipes close when the process (and any child holding them) is gone; drain what is left.
        self._out.join(scaled(5))
        self._err.join(scaled(5))
        return code

    # -- signals and cleanup --------------------------------------------------------------------

    def send_signal(self, sig: int) -> None:
        self.child.send_signal(sig)

    def kill_tree(self) -> None:
        """SIGKILL the process and every descendant still running, and reap the process."""
        self.child.kill()
        for pipe in (self.popen.stdout, self.popen.stderr):
            with contextlib.suppress(Exception):
                pipe.close()  # type: ignore[union-attr]

    def leftovers(self) -> list[psutil.Process]:
        """The process itself or its known descendants, if any is still running (zombies excepted)."""
        return self.child.leftovers()

    def close(self) -> None:
        """Kill what is still running and assert nothing of it remains."""
        self.kill_tree()
        left = self.leftovers()
        assert not left, f"processes left after cleanup: {left}{self.describe()}"


def assert_no_process_left(proc: Proc) -> None:
    """psutil: neither the process nor any descendant seen while it ran is still alive."""
    left = proc.leftovers()
    assert not left, f"processes still running after the server exited: {left}{proc.describe()}"


def _live_children() -> dict[int, psutil.Process]:
    alive = {}
    own_pids, _ = _watchdog.own_resources()
    for p in psutil.Process().children(recursive=True):
        if p.pid in own_pids:
            continue  # the framework's lifeline watchdog: it lives as long as the test run
        with contextlib.suppress(psutil.Error):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive[p.pid] = p
    return alive


@contextlib.contextmanager
def started_command(command: Sequence[str], *, cwd: str | os.PathLike[str] | None = None,
                    stdin: int | None = subprocess.DEVNULL) -> Iterator[Proc]:
    """Start `command`; always kill it (and its descendants) afterwards, whatever happened."""
    before = set(_live_children())
    proc = Proc(command, cwd=cwd, stdin=stdin)
    try:
        yield proc
    finally:
        proc.close()
        # Nothing started by this test may survive it, even a process we did not see spawn.
        new = [p for pid, p in _live_children().items() if pid not in before]
        assert not new, f"child processes left behind: {new}{proc.describe()}"


def started(*args: str, cwd: str | os.PathLike[str] | None = None,
            stdin: int | None = subprocess.DEVNULL) -> contextlib.AbstractContextManager[Proc]:
    """Start `python -m app ARGS` (see `started_command`)."""
    return started_command(app_command(*args), cwd=cwd, stdin=stdin)


@contextlib.contextmanager
def server(*args: str, cwd: str | os.PathLike[str] | None = None) -> Iterator[tuple[Proc, int]]:
    """`app sql-server --host 127.0.0.1 --port 0 ARGS`, ready; yields the process and its port."""
    with started("sql-server", "--host", "127.0.0.1", "--port", "0", *args, cwd=cwd) as proc:
        _, port = proc.wait_ready()
        yield proc, port


def stop_gracefully(proc: Proc, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
    """Send `sig` and wait for the exit code."""
    proc.send_signal(sig)
    return proc.wait_exit(f"exit after {signal.Signals(sig).name}", timeout)


def run_app(*args: str, timeout: float = 30.0, cwd: str | os.PathLike[str] | None = None) -> Proc:
    """Run `python -m app ARGS` to completion (killed at the deadline); the finished process."""
    with started(*args, cwd=cwd) as proc:
        proc.wait_exit(f"`app {' '.join(args)}` to finish", timeout)
    return proc


def run_command(command: Sequence[str], *, input: str | None = None,
                timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
    """Run another program to completion; `subprocess.run` kills it at the deadline."""
    return subprocess.run(list(command), input=input, capture_output=True, text=True, timeout=scaled(timeout),
                          stdin=None if input is not None else subprocess.DEVNULL)


def describe_run(result: subprocess.CompletedProcess[str]) -> str:
    return (f"\ncommand: {' '.join(map(str, result.args))}\nexit code: {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}--- stderr ---\n{result.stderr}--- end ---")


@contextlib.contextmanager
def listening_socket(host: str = "127.0.0.1") -> Iterator[int]:
    """A socket bound to a free port and listening (so the port is taken); yields the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((host, 0))
        sock.listen(1)
        yield sock.getsockname()[1]
    finally:
        sock.close()

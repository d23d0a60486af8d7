"""One lifecycle for every child process the framework starts, and one readiness check.

The subprocess test servers (`app.server`), the scenario runner's servers
(`app.scenarios`) and the tests' own processes (`tests/_proc.py`) all start
through `ChildProcess`: its own session (a Ctrl-C at the terminal reaches only
the test run, which then stops its servers itself), a tag in its environment
(a daemonizing grandchild, such as debugpy's adapter, is nobody's child but
inherits the tag), descendants remembered while it runs, a graceful stop that
turns into SIGKILL of the whole tree at its deadline, and a check that nothing
of it outlives the stop.

`wait_ready` is the readiness check: a MySQL handshake on the server's port,
while watching that the process is alive, so a crashed server fails at once
and not after a timeout.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Final, Protocol, final

import psutil

#: Every process of a child carries this variable (inherited by its descendants), with the child's tag.
TAG_VARIABLE: Final = "APP_PROCESS_TAG"


class NotReady(Exception):
    """A child did not become ready: the message says why (it exited, or the deadline passed)."""


class ExitedBeforeReady(NotReady):
    """The process exited before it accepted connections."""


class ReadyTimeout(NotReady, TimeoutError):
    """The deadline passed before the process accepted connections."""


@final
class ChildProcess:
    """A command run as a child: started, watched, stopped as a tree. Not thread-safe."""

    def __init__(self, command: Sequence[str], *, cwd: str | os.PathLike[str] | None = None,
                 env: Mapping[str, str] | None = None, output: Path | None = None, pipes: bool = False,
                 stdin: int | IO[bytes] | None = subprocess.DEVNULL) -> None:
        """`output`: a file taking stdout and stderr together; `pipes`: stdout and stderr as pipes instead."""
        self.command = [str(c) for c in command]
        self.cwd = cwd
        self.env = dict(os.environ if env is None else env)
        self.output = output
        self.pipes = pipes
        self.stdin = stdin
        self.tag = uuid.uuid4().hex
        self.popen: subprocess.Popen[bytes] | None = None
        self.seen: dict[int, psutil.Process] = {}

    # -- start -------------------------------------------------------------------------------

    def start(self) -> None:
        assert self.popen is None, f"already started: {self.command}"
        from . import _watchdog

        env = dict(self.env)
        env[TAG_VARIABLE] = self.tag
        common: dict[str, object] = {"stdin": self.stdin, "cwd": self.cwd, "env": env,
                                     # Its own session: a signal for the test run is not also the server's.
                                     "start_new_session": True}
        if self.pipes:
            self.popen = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          **common)  # type: ignore[call-overload]
        elif self.output is not None:
            with open(self.output, "ab") as log:
                self.popen = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT,
                                              **common)  # type: ignore[call-overload]
        else:
            self.popen = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          **common)  # type: ignore[call-overload]
        assert self.popen is not None
        # Whatever way this process dies, the watchdog ends the child's group with it.
        _watchdog.adopt(self.popen.pid, self.tag)
        self.track()

    # -- state -------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self.popen is not None

    @property
    def pid(self) -> int:
        assert self.popen is not None, "not started"
        return self.popen.pid

    def poll(self) -> int | None:
        """The exit code, or None while it runs (or before it started)."""
        return None if self.popen is None else self.popen.poll()

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def track(self) -> None:
        """Remember the process, its descendants and anything else carrying its tag, to stop and check later."""
        if self.popen is not None:
            with contextlib.suppress(psutil.Error):
                proc = psutil.Process(self.popen.pid)
                self.seen.setdefault(proc.pid, proc)
                for child in proc.children(recursive=True):
                    self.seen.setdefault(child.pid, child)
        for proc in tagged(self.tag):
            self.seen.setdefault(proc.pid, proc)

    # -- stop --------------------------------------------------------------------------------

    def send_signal(self, sig: int) -> None:
        self.track()
        if self.running:
            assert self.popen is not None
            with contextlib.suppress(ProcessLookupError):
                self.popen.send_signal(sig)

    def wait(self, timeout: float) -> int | None:
        """The exit code once it exited within `timeout`, else None."""
        if self.popen is None:
            return None
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float) -> int | None:
        """SIGTERM, wait up to `timeout`; at the deadline SIGKILL. The exit code, or None if it had to be killed."""
        if self.popen is None:
            return None
        self.send_signal(signal.SIGTERM)
        code = self.wait(timeout)
        if code is None:
            self.kill()
            return None
        self.reap_descendants()
        self._forget()
        return code

    def kill(self) -> int | None:
        """SIGKILL the process group and every descendant seen: no shutdown work at all. The exit code."""
        if self.popen is None:
            return None
        self.track()
        if self.popen.poll() is None:
            # The group id stays valid until the leader is reaped, which only happens below.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                self.popen.kill()
        code = self.popen.wait()
        self.reap_descendants()
        self._forget()
        return code

    def reap_descendants(self, timeout: float = 10.0) -> None:
        """SIGKILL whatever of the tree still runs (a grandchild that outlived its parent)."""
        self.track()
        alive = []
        for proc in self.seen.values():
            if self.popen is not None and proc.pid == self.popen.pid:
                continue  # the child itself is reaped through popen, which keeps its exit code
            with contextlib.suppress(psutil.Error):
                if proc.is_running():
                    proc.kill()
                    alive.append(proc)
        psutil.wait_procs(alive, timeout=timeout)

    def _forget(self) -> None:
        from . import _watchdog

        if self.popen is not None:
            _watchdog.release(self.popen.pid)

    def leftovers(self) -> list[psutil.Process]:
        """Processes of this child that still run (zombies excepted); none once it was stopped."""
        self.track()
        left = []
        for proc in self.seen.values():
            with contextlib.suppress(psutil.Error):
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    left.append(proc)
        return left


def tagged(tag: str) -> list[psutil.Process]:
    """Running processes whose environment has TAG_VARIABLE=tag (only our own user's are readable)."""
    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if proc.environ().get(TAG_VARIABLE) == tag:
                found.append(proc)
    return found


class Process(Protocol):
    """What `wait_ready` needs of a process (a ChildProcess, or a fork of the server template)."""

    @property
    def started(self) -> bool: ...

    def poll(self) -> int | None: ...

    def track(self) -> None: ...


def wait_ready(child: Process, deadline: float, *, address: Callable[[], tuple[str, int] | None],
               user: str = "root", password: str = "", what: str = "") -> tuple[str, int]:
    """Wait until the child accepts a MySQL connection; its (host, port).

    `address` gives the address to try, or None while it is not known yet (a server on port 0 names
    its port in its ready line). A refused login (1045) still proves a MySQL server listens there.
    Raises ExitedBeforeReady as soon as the process exits, ReadyTimeout at `deadline` (monotonic).
    """
    import pymysql

    delay = 0.002
    last = ""
    while True:
        code = child.poll()
        if code is not None or not child.started:
            raise ExitedBeforeReady(f"the process exited with code {code} before it accepted connections")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            where = address()
            raise ReadyTimeout("it did not accept connections" + (f" on {where[0]}:{where[1]}" if where else "")
                               + " in time" + (f" (the last attempt: {last})" if last else "")
                               + (f"; {what}" if what else ""))
        addr = address()
        if addr is not None:
            try:
                conn = pymysql.connect(host=addr[0], port=addr[1], user=user, password=password,
                                       connect_timeout=max(0.1, min(2.0, remaining)),
                                       read_timeout=max(0.1, min(5.0, remaining)), ssl_disabled=True)
            except pymysql.err.MySQLError as e:
                if e.args and e.args[0] == 1045:
                    child.track()
                    return addr
                last = f"{type(e).__name__}: {e}"
            else:
                conn.close()
                child.track()
                return addr
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 1.5, 0.05)

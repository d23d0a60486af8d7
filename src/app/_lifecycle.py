"""One lifecycle for every child process the framework starts, and one readiness check.

The subprocess test servers (`app.server`), the scenario runner's servers
(`app.scenarios`) and the tests' own processes (`tests/_proc.py`) all start
through `ChildProcess`: its own session (a Ctrl-C at the terminal reaches only
the test run, which then stops its servers itself), a tag in its environment
(a daemonizing grandchild, such as debugpy's adapter, is nobody's child but
inherits the tag), descendants remembered while it runs, a graceful stop that
turns into SIGKILL of the whole tree at its deadline, and a check that nothing
of it outlives the stop.

`wait_ready` is the readiness check. An `app sql-server` started with a ready
pipe (`ChildProcess(ready_pipe=True)`, and every fork of the server template)
writes its bound address there once it listens: the parent blocks on the pipe,
with no polling and no handshake, and end-of-file before the address means the
process died. Any other server gets a MySQL handshake on its port, while the
parent watches that the process is alive, so a crashed server fails at once and
not after a timeout.
"""

from __future__ import annotations

import contextlib
import os
import select
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
#: The write end of a ready pipe, as a file descriptor number (read by `app sql-server`; see `app.server._cli`).
READY_FD_VARIABLE: Final = "APP_READY_FD"


class NotReady(Exception):
    """A child did not become ready: the message says why (it exited, or the deadline passed)."""


class ExitedBeforeReady(NotReady):
    """The process exited before it accepted connections."""


class ReadyTimeout(NotReady, TimeoutError):
    """The deadline passed before the process accepted connections."""


class ProcessTree:
    """The lifecycle every child shares, whoever started it (`ChildProcess`, or a fork of the server
    template): a tag and the descendants seen, a graceful stop that turns into SIGKILL of the whole
    tree at its deadline, and a check that nothing of it outlives the stop.

    Subclasses say how the child starts, what its pid is, and how its exit code is read.
    """

    def __init__(self) -> None:
        self.tag = uuid.uuid4().hex
        self.seen: dict[int, psutil.Process] = {}
        #: The read end of the child's ready pipe until `wait_ready` read it (None: no pipe).
        self.ready_fd: int | None = None

    def close_ready(self) -> None:
        """Close the ready pipe's read end (idempotent)."""
        fd, self.ready_fd = self.ready_fd, None
        if fd is not None:
            os.close(fd)

    # -- what a subclass provides --------------------------------------------------------------

    def _leader(self) -> int | None:
        """The child's pid, None before it started."""
        raise NotImplementedError

    def poll(self) -> int | None:
        """The exit code, or None while it runs (or before it started)."""
        raise NotImplementedError

    def wait(self, timeout: float) -> int | None:
        """The exit code once it exited within `timeout`, else None."""
        raise NotImplementedError

    # -- state ---------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._leader() is not None

    @property
    def pid(self) -> int:
        pid = self._leader()
        assert pid is not None, "not started"
        return pid

    @property
    def running(self) -> bool:
        return self.started and self.poll() is None

    def note_leader(self) -> None:
        """Remember the process itself, just started (cheap: no scan of the machine's processes).

        Its descendants are found when it stops, by `track`: as children, or, once orphaned, by the tag
        they inherited. A full scan here would cost a start more than the rest of a forked start.
        """
        pid = self._leader()
        if pid is not None:
            with contextlib.suppress(psutil.Error):
                self.seen.setdefault(pid, psutil.Process(pid))

    def track(self) -> None:
        """Remember the process, its descendants and anything else carrying its tag, to stop and check later.

        The tag is looked for in every process's environment (a scan of the machine's processes): the
        only way to find a descendant that left the tree (a daemon, an orphan). A stop scans once, after
        the exit; before the signal it takes only the tree (`_track_tree`), which costs no scan.
        """
        self._track_tree()
        for proc in tagged(self.tag):
            self.seen.setdefault(proc.pid, proc)

    def _track_tree(self) -> None:
        """Remember the process and its descendants as they are now (no scan of the machine's processes)."""
        pid = self._leader()
        if pid is None:
            return
        for found in descendants(pid, include_self=True):
            with contextlib.suppress(psutil.Error):
                self.seen.setdefault(found, psutil.Process(found))

    # -- stop ----------------------------------------------------------------------------------

    def send_signal(self, sig: int) -> None:
        self._track_tree()  # while the tree holds together; what leaves it is found by its tag later
        if self.running:
            # Not reaped while poll() said it runs, so the pid is still this child's.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def stop(self, timeout: float) -> int | None:
        """SIGTERM, wait up to `timeout`; at the deadline SIGKILL. The exit code, or None if it had to be killed."""
        if not self.started:
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
        if not self.started:
            return None
        self._track_tree()
        if self.poll() is None:
            # The group id stays valid until the leader is reaped, which only happens below.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        code = self.wait(_KILLED_EXIT_SECS)
        self.reap_descendants()
        self._forget()
        return code

    def reap_descendants(self, timeout: float = 10.0) -> None:
        """SIGKILL whatever of the tree still runs (a grandchild that outlived its parent)."""
        self.track()
        alive = []
        for proc in self.seen.values():
            if proc.pid == self._leader():
                continue  # the child itself is reaped by whoever started it, which keeps its exit code
            with contextlib.suppress(psutil.Error):
                if proc.is_running():
                    proc.kill()
                    alive.append(proc)
        psutil.wait_procs(alive, timeout=timeout)

    def _forget(self) -> None:
        from . import _watchdog

        self.close_ready()
        pid = self._leader()
        if pid is not None and self.poll() is not None:
            _watchdog.release(pid)

    def leftovers(self) -> list[psutil.Process]:
        """Processes of this child that still run (zombies excepted); none once it was stopped."""
        self.track()
        left = []
        for proc in self.seen.values():
            with contextlib.suppress(psutil.Error):
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    left.append(proc)
        return left


# A SIGKILLed process is gone within milliseconds; one that is not after this long is stuck in the kernel.
_KILLED_EXIT_SECS: Final = 30.0


@final
class ChildProcess(ProcessTree):
    """A command run as a child: started, watched, stopped as a tree. Not thread-safe."""

    def __init__(self, command: Sequence[str], *, cwd: str | os.PathLike[str] | None = None,
                 env: Mapping[str, str] | None = None, output: Path | None = None, pipes: bool = False,
                 stdin: int | IO[bytes] | None = subprocess.DEVNULL, ready_pipe: bool = False) -> None:
        """`output`: a file taking stdout and stderr together; `pipes`: stdout and stderr as pipes instead;
        `ready_pipe`: the command is `app sql-server`, given a pipe to say when it is ready."""
        super().__init__()
        self.ready_pipe = ready_pipe
        self.command = [str(c) for c in command]
        self.cwd = cwd
        self.env = dict(os.environ if env is None else env)
        self.output = output
        self.pipes = pipes
        self.stdin = stdin
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert self.popen is None, f"already started: {self.command}"
        from . import _watchdog

        env = dict(self.env)
        env[TAG_VARIABLE] = self.tag
        common: dict[str, object] = {"stdin": self.stdin, "cwd": self.cwd, "env": env,
                                     # Its own session: a signal for the test run is not also the server's.
                                     "start_new_session": True}
        write_end = None
        if self.ready_pipe:
            self.ready_fd, write_end = os.pipe()
            env[READY_FD_VARIABLE] = str(write_end)
            common["pass_fds"] = (write_end,)
        try:
            self._popen(common)
        finally:
            if write_end is not None:
                os.close(write_end)  # the child's copy is the only one: its exit is our end-of-file
        assert self.popen is not None
        # Whatever way this process dies, the watchdog ends the child's group with it.
        _watchdog.adopt(self.popen.pid, self.tag)
        self.note_leader()

    def _popen(self, common: dict[str, object]) -> None:
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

    def _leader(self) -> int | None:
        return None if self.popen is None else self.popen.pid

    def poll(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def wait(self, timeout: float) -> int | None:
        if self.popen is None:
            return None
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None


def tagged(tag: str) -> list[psutil.Process]:
    """Running processes whose environment has TAG_VARIABLE=tag (only our own user's are readable)."""
    if not os.path.isdir("/proc/self"):  # pragma: no cover - no procfs: psutil's portable (slower) way
        return [p for p in psutil.process_iter() if _environ_has(p, tag)]
    # /proc read directly, the environment searched as bytes: psutil parses every process's whole
    # environment into a dict, five times slower, and a stop pays for one such scan.
    needle = f"{TAG_VARIABLE}={tag}\0".encode()
    found = []
    with os.scandir("/proc") as entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/environ", "rb") as f:
                    env = f.read()
            except OSError:
                continue  # gone, or another user's
            if env.startswith(needle) or b"\0" + needle in env:
                with contextlib.suppress(psutil.Error):
                    found.append(psutil.Process(int(entry.name)))
    return found


def _environ_has(proc: psutil.Process, tag: str) -> bool:  # pragma: no cover - no procfs
    with contextlib.suppress(psutil.Error, OSError):
        return bool(proc.environ().get(TAG_VARIABLE) == tag)
    return False


def descendants(pid: int, *, include_self: bool = False) -> list[int]:
    """The pids of `pid`'s descendants, read from /proc/PID/task/TID/children (no scan of every process);
    psutil's scan where the kernel has no such file."""
    found = [pid] if include_self else []
    pending = [pid]
    while pending:
        parent = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            if parent == pid and not os.path.exists(f"/proc/{pid}"):
                return found  # gone: it has no tree left to walk
            return _descendants_by_scan(pid, include_self)
        for tid in tasks:
            try:
                with open(f"/proc/{parent}/task/{tid}/children", "rb") as f:
                    children = [int(c) for c in f.read().split()]
            except FileNotFoundError:
                if os.path.exists(f"/proc/{parent}/task/{tid}"):
                    return _descendants_by_scan(pid, include_self)  # a kernel without the file
                continue  # the thread ended meanwhile
            except OSError:
                continue
            found += children
            pending += children
    return found


def _descendants_by_scan(pid: int, include_self: bool) -> list[int]:
    try:
        children = [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        children = []
    return ([pid] if include_self else []) + children


class Process(Protocol):
    """What `wait_ready` needs of a process (a ChildProcess, or a fork of the server template)."""

    ready_fd: int | None

    @property
    def started(self) -> bool: ...

    def poll(self) -> int | None: ...

    def wait(self, timeout: float) -> int | None: ...

    def close_ready(self) -> None: ...


def wait_ready(child: Process, deadline: float, *, address: Callable[[], tuple[str, int] | None],
               user: str = "root", password: str = "", what: str = "") -> tuple[str, int]:
    """Wait until the child accepts a MySQL connection; its (host, port).

    `address` gives the address to try, or None while it is not known yet (a server on port 0 names
    its port in its ready line). A refused login (1045, or 3159 from a server that requires TLS) still
    proves a MySQL server listens there.
    Raises ExitedBeforeReady as soon as the process exits, ReadyTimeout at `deadline` (monotonic).
    A child with a ready pipe is waited for on the pipe instead (`address` then only names the
    address in a timeout's message).
    """
    if child.ready_fd is not None:
        try:
            return _wait_ready_pipe(child, child.ready_fd, deadline, address, what)
        finally:
            child.close_ready()
    import pymysql

    # Polled from 1 ms, growing slowly: a forked server is ready in tens of milliseconds, and a coarse
    # step would add as much again.
    delay = 0.001
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
                if e.args and e.args[0] in (1045, 3159):
                    return addr
                last = f"{type(e).__name__}: {e}"
            else:
                conn.close()
                return addr
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 1.25, 0.02)


def _wait_ready_pipe(child: Process, fd: int, deadline: float, address: Callable[[], tuple[str, int] | None],
                     what: str) -> tuple[str, int]:
    """The address a server wrote on its ready pipe (`host port` and a newline), once it listens there."""
    data = b""
    poller = select.poll()  # not select(): a busy test process may hold descriptors above FD_SETSIZE
    poller.register(fd, select.POLLIN)
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            where = address()
            raise ReadyTimeout("it did not accept connections" + (f" on {where[0]}:{where[1]}" if where else "")
                               + " in time" + (f"; {what}" if what else ""))
        chunk = os.read(fd, 256)
        if not chunk:
            # Every copy of the write end is closed: the process exited (or, with its pipe, gave up).
            code = child.wait(1.0)
            raise ExitedBeforeReady(f"the process exited with code {code} before it accepted connections")
        data += chunk
    host, _, port = data.decode("ascii", "replace").strip().rpartition(" ")
    return host, int(port)

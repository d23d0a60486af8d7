"""Server processes in milliseconds: a pre-imported template process forks each one.

Nearly all of a `python -m app sql-server` start is importing modules. A test
process that starts servers (the subprocess factory's, its clusters' nodes,
the scenario runner's) starts one template (`app.server._forktemplate`), which
imports the server once and then waits on a Unix socket; each server is a
fork of it: a real, separate process running this workspace's code, in its
own session, with its own directory, environment, output file and arguments,
running `app sql-server` from the top. Each fork gets a ready pipe: the test
process learns the bound address from it, without polling or a handshake.

This module is the test process's side and imports nothing of the server
(the scenario runner may not): the template is a command line.

The template dies with its parent (the lifeline watchdog adopts it and every
fork). It is the default; `APP_TEST_FORK_TEMPLATE=0` starts plain processes
(`app._lifecycle.ChildProcess`) instead, as happens wherever the template
cannot start. bench/fork_bench.py compares the two. A fork starts with the signal handlers a
fresh Python process has (SIGPIPE ignored: a fork that had it at SIG_DFL died
silently when it wrote to a replication stream its peer had closed).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, final

import psutil

from app import _watchdog
from app._lifecycle import READY_FD_VARIABLE, TAG_VARIABLE, ChildProcess, ProcessTree

ENV_SWITCH: Final = "APP_TEST_FORK_TEMPLATE"
TEMPLATE_PROGRAM: Final = "from app.server._forktemplate import serve; serve()"
#: What a Python process reads from its environment once, as it starts: a fork has the template's.
#: A server asked for with other values than the template's is started plainly.
_STARTUP_VARIABLES: Final = ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONNOUSERSITE", "PYTHONUSERBASE",
                             "PYTHONHASHSEED", "PYTHONOPTIMIZE", "PYTHONDEVMODE", "PYTHONWARNINGS", "PYTHONMALLOC",
                             "PYTHONUTF8", "PYTHONIOENCODING", "PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE",
                             "LC_ALL", "LC_CTYPE", "LANG")  # (TZ is read again in each fork)
#: A reply is a pid or an exit code; a request is read whole by the template (see MAX_REQUEST there).
_MAX_REPLY: Final = 4096


# -- the test process's side -----------------------------------------------------------------------


@final
class _Template:
    """The running template and its pipe (one per test process, shared by threads)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._lock = threading.Lock()
        self.startup = _startup(env)
        # Messages, not a byte stream: each request is read whole, with the descriptor it carries.
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", TEMPLATE_PROGRAM], stdin=theirs.fileno(),
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         env=dict(env), start_new_session=True, close_fds=True)
        except BaseException:
            self.channel.close()
            raise
        finally:
            theirs.close()
        _watchdog.adopt(self.proc.pid)
        _watchdog.keep(self.proc.pid)  # it lives as long as the run: no test's leak
        try:
            hello = self.channel.recv(_MAX_REPLY)
            ok = json.loads(hello or b"{}").get("ready") is True
        except (OSError, ValueError):
            ok = False
        if not ok:
            self.close()
            raise OSError("the fork template did not start")

    def request(self, req: dict[str, Any], fds: Sequence[int] = ()) -> dict[str, Any]:
        with self._lock:
            try:
                socket.send_fds(self.channel, [json.dumps(req).encode()], list(fds))
                data = self.channel.recv(_MAX_REPLY)
            except OSError as e:
                raise OSError(f"the fork template is gone: {e}") from None
        if not data:
            raise OSError("the fork template is gone")
        reply: dict[str, Any] = json.loads(data)
        return reply

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.channel.close()  # the template's end-of-file: it exits
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        # Reaped: the watchdog must not kill its number, which another process will get in time.
        _watchdog.release(self.proc.pid)


def _startup(env: Mapping[str, str]) -> dict[str, str | None]:
    return {name: env.get(name) for name in _STARTUP_VARIABLES}


_template: _Template | None = None
_template_lock = threading.Lock()
_template_failed = False


def _get_template(env: Mapping[str, str]) -> _Template | None:
    global _template, _template_failed
    with _template_lock:
        if _template is not None and _template.alive:
            return _template
        if _template is not None:  # it died: reap it before starting another
            _template.close()
            _template = None
        if _template_failed:
            return None
        try:
            _template = _Template(env)
        except OSError:
            _template_failed = True  # fall back to plain starts for the rest of the run
            return None
        return _template


def _after_fork_in_child() -> None:
    global _template
    _template = None  # a fork of the test process must not talk on its parent's socket


os.register_at_fork(after_in_child=_after_fork_in_child)


@final
class ForkedProcess(ProcessTree):
    """A server forked by the template, with the lifecycle of every child (`ProcessTree`)."""

    def __init__(self, template: _Template, argv: Sequence[str], *, cwd: str, env: Mapping[str, str],
                 output: Path) -> None:
        super().__init__()
        self._template = template
        self.command = ["<fork of the template>", "app", *argv]
        self._argv = list(argv)
        self._cwd = cwd
        self._env = dict(env)
        self._output = output
        self._pid: int | None = None
        self._code: int | None = None
        self._pidfd: int | None = None

    def start(self) -> None:
        env = dict(self._env)
        env[TAG_VARIABLE] = self.tag
        env.pop(READY_FD_VARIABLE, None)  # the template names the fork's own descriptor
        read_end, write_end = os.pipe()
        try:
            reply = self._template.request({"op": "spawn", "argv": self._argv, "cwd": self._cwd, "env": env,
                                            "output": str(self._output)}, [write_end])
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)  # the fork holds the only copy now: its exit is our end-of-file
        self.ready_fd = read_end
        self._pid = int(reply["pid"])
        # The template reaps its forks, so this process cannot wait for one; a pidfd (Linux 5.3) says when
        # it exits without asking the template over and over. Where there is none, the template is polled.
        with contextlib.suppress(AttributeError, OSError):
            self._pidfd = os.pidfd_open(self._pid)
        _watchdog.adopt(self._pid, self.tag)
        self.note_leader()

    def _leader(self) -> int | None:
        return self._pid

    def poll(self) -> int | None:
        if self._pid is None or self._code is not None:
            return self._code
        if self._pidfd is not None and not _readable(self._pidfd, 0):
            return None  # still running: no need to ask
        try:
            code = self._template.request({"op": "status", "pid": self._pid})["code"]
        except OSError:  # the template is gone (so is its child's exit code): ask the system
            code = None if psutil.pid_exists(self._pid) else -signal.SIGKILL
        if code is not None:
            self._code = int(code)
            self._close_pidfd()
        return self._code

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        if self._pidfd is not None and self._code is None:
            _readable(self._pidfd, timeout)
        # Without a pidfd (or in the instant between the exit and the template's reaping) the exit is polled.
        delay = 0.001
        while True:
            code = self.poll()
            if code is not None or time.monotonic() >= deadline:
                return code
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 0.02)

    def _close_pidfd(self) -> None:
        fd, self._pidfd = self._pidfd, None
        if fd is not None:
            os.close(fd)

    def __del__(self) -> None:
        self._close_pidfd()


def _readable(fd: int, timeout: float) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(max(0.0, timeout) * 1000))


def spawn_server(argv: Sequence[str], *, command: Sequence[str], cwd: str, env: Mapping[str, str],
                 output: Path) -> ChildProcess | ForkedProcess:
    """Start `app ARGV`: forked from the template where it runs, else `command` as a plain process.

    Either way with a ready pipe (`wait_ready` reads it): `command` must run `app ARGV`.
    """
    if os.environ.get(ENV_SWITCH, "1") != "0" and sys.platform != "win32":
        template = _get_template(env)
        if template is not None and template.startup == _startup(env):
            forked = ForkedProcess(template, argv, cwd=cwd, env=env, output=output)
            try:
                forked.start()
                return forked
            except OSError:
                pass  # the template died under us: a plain start below
    child = ChildProcess(command, cwd=cwd, env=env, output=output, ready_pipe=True)
    child.start()
    return child


def template_pid() -> int | None:
    """The template's pid, once one runs (for tests)."""
    return _template.proc.pid if _template is not None and _template.alive else None


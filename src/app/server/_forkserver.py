"""Subprocess test servers in milliseconds: a pre-imported template process forks each one.

Nearly all of a `python -m app sql-server` start is importing modules. A test
process that starts subprocess servers starts one template (this module's
`serve()`), which imports the server once and then waits on a pipe; each
server is a fork of it: a real, separate process running this workspace's
code, in its own session, with its own directory, environment, output file and
arguments, running `app sql-server` from the top. The template itself never
runs a server and holds no state a fork could inherit (no threads, no loop, no
sockets, no open databases).

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
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, final

import psutil

from app import _watchdog
from app._lifecycle import TAG_VARIABLE, ChildProcess, ProcessTree

ENV_SWITCH: Final = "APP_TEST_FORK_TEMPLATE"


# -- the template process ------------------------------------------------------------------------


def serve() -> None:  # pragma: no cover - runs in the template process
    """The template: import the server, then fork one server per request until stdin closes."""
    import app.server._cli
    import app.server._config
    import app.server._logging
    import app.server._node
    import app.sql

    # What every server's start would otherwise import or compile on its own: the YAML reader (and its
    # regular expressions, warmed by reading a configuration), the event loop.
    app.server._config.parse_config("log_level: info\nusers: [{name: root, password: ''}]\n", "<template>")
    with contextlib.suppress(ImportError):
        import uvloop  # noqa: F401

    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    exits: dict[int, int] = {}
    replies.write(b'{"ready": true}\n')
    replies.flush()
    for line in requests:
        req = json.loads(line)
        _reap(exits)
        if req["op"] == "spawn":
            pid = os.fork()
            if pid == 0:
                _child(req, app.server._cli.main)
            reply: dict[str, Any] = {"pid": pid}
        else:
            pid = int(req["pid"])
            reply = {"code": exits.get(pid)}
        replies.write(json.dumps(reply).encode() + b"\n")
        replies.flush()


def _reap(exits: dict[int, int]) -> None:  # pragma: no cover - runs in the template process
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        exits[pid] = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _child(req: dict[str, Any], main: Any) -> None:  # pragma: no cover - runs in a fork
    code = 1
    try:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDONLY)
        out = os.open(req["output"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(devnull)
        os.close(out)
        sys.stdin = open(os.devnull)
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        # The handlers a fresh Python process starts with. Not SIG_DFL for SIGPIPE: Python ignores it
        # (a write to a closed socket raises EPIPE); with SIG_DFL a standby that acknowledged an entry
        # on a stream its primary had just closed (a freeze, a partition) died at once, silently.
        for sig, handler in ((signal.SIGTERM, signal.SIG_DFL), (signal.SIGCHLD, signal.SIG_DFL),
                             (signal.SIGINT, signal.default_int_handler), (signal.SIGPIPE, signal.SIG_IGN),
                             (signal.SIGXFSZ, signal.SIG_IGN)):
            signal.signal(sig, handler)
        sys.argv = ["app", *req["argv"]]
        code = main(req["argv"])
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


# -- the test process's side -----------------------------------------------------------------------


@final
class _Template:
    """The running template and its pipe (one per test process, shared by threads)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._lock = threading.Lock()
        self.proc = subprocess.Popen([sys.executable, "-c", "from app.server._forkserver import serve; serve()"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=dict(env), start_new_session=True, close_fds=True)
        _watchdog.adopt(self.proc.pid)
        _watchdog.keep(self.proc.pid)  # it lives as long as the run: no test's leak
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if json.loads(line or b"{}").get("ready") is not True:
            self.close()
            raise OSError("the fork template did not start")

    def request(self, req: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            pipe_in, pipe_out = self.proc.stdin, self.proc.stdout
            assert pipe_in is not None and pipe_out is not None
            pipe_in.write(json.dumps(req).encode() + b"\n")
            pipe_in.flush()
            line = pipe_out.readline()
        if not line:
            raise OSError("the fork template is gone")
        reply: dict[str, Any] = json.loads(line)
        return reply

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        # Reaped: the watchdog must not kill its number, which another process will get in time.
        _watchdog.release(self.proc.pid)


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
    _template = None  # a fork of the test process must not talk on its parent's pipe


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

    def start(self) -> None:
        env = dict(self._env)
        env[TAG_VARIABLE] = self.tag
        reply = self._template.request({"op": "spawn", "argv": self._argv, "cwd": self._cwd, "env": env,
                                        "output": str(self._output)})
        self._pid = int(reply["pid"])
        _watchdog.adopt(self._pid, self.tag)
        self.note_leader()

    def _leader(self) -> int | None:
        return self._pid

    def poll(self) -> int | None:
        if self._pid is None or self._code is not None:
            return self._code
        try:
            code = self._template.request({"op": "status", "pid": self._pid})["code"]
        except OSError:  # the template is gone (so is its child's exit code): ask the system
            code = None if psutil.pid_exists(self._pid) else -signal.SIGKILL
        if code is not None:
            self._code = int(code)
        return self._code

    def wait(self, timeout: float) -> int | None:
        # The template reaps its forks; this process can only ask it, so the exit is polled, bounded.
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            code = self.poll()
            if code is not None or time.monotonic() >= deadline:
                return code
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            delay = min(delay * 2, 0.02)


def spawn_server(argv: Sequence[str], *, command: Sequence[str], cwd: str, env: Mapping[str, str],
                 output: Path) -> ChildProcess | ForkedProcess:
    """Start `app ARGV`: forked from the template where it runs, else `command` as a plain process."""
    if os.environ.get(ENV_SWITCH, "1") != "0" and sys.platform != "win32":
        template = _get_template(env)
        if template is not None:
            forked = ForkedProcess(template, argv, cwd=cwd, env=env, output=output)
            try:
                forked.start()
                return forked
            except OSError:
                pass  # the template died under us: a plain start below
    child = ChildProcess(command, cwd=cwd, env=env, output=output)
    child.start()
    return child


def template_pid() -> int | None:
    """The template's pid, once one runs (for tests)."""
    return _template.proc.pid if _template is not None and _template.alive else None


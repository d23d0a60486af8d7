"""One server of a scenario: its directory, its process across restarts, its output, its process tree.

The process is `app sql-server`, forked from the pre-imported template as the
subprocess factory's servers are (`app._forkserver`, milliseconds instead of a
fresh interpreter's hundreds), or, where no template runs, under a debugger,
or with an environment that changes how Python starts, `python -m app
sql-server` with the interpreter running the runner and this workspace's
sources first on the path (never a `python3` shim, which would swallow
signals). A `command:` server is its own program, started plainly. Each run
is an `app._lifecycle.ProcessTree` (own session, tagged, watched by the run's
watchdog), and every process seen in a run's tree is remembered, so that the
runner can prove none outlives the test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, final

import psutil

from app._forkserver import spawn_server
from app._lifecycle import ChildProcess, ExitedBeforeReady, ProcessTree, ReadyTimeout, wait_ready

SRC: Final = str(Path(__file__).resolve().parents[2])


def has_port_flag(args: Sequence[str]) -> bool:
    return any(a == "--port" or a.startswith("--port=") for a in args)


def server_argv(args: Sequence[str], port: int) -> list[str]:
    """`app`'s arguments for a server: `--port` added unless the arguments choose one themselves."""
    return ["sql-server", *args] + ([] if has_port_flag(args) else ["--port", str(port)])


def server_command(args: Sequence[str], port: int, debug_port: int | None) -> list[str]:
    """The command line of a server (its plain start)."""
    cmd = [sys.executable]
    if debug_port is not None:
        # debugpy runs the module in this same process; --wait-for-client holds it before any server code runs.
        cmd += ["-m", "debugpy", "--listen", f"127.0.0.1:{debug_port}", "--wait-for-client"]
    return [*cmd, "-m", "app", *server_argv(args, port)]


@final
class ServerProcess:
    """A scenario server. Not thread-safe: the runner drives it from one thread."""

    def __init__(self, name: str, directory: Path, log_dir: Path, port: int) -> None:
        self.name = name
        self.directory = directory
        self.port = port
        self._log_dir = log_dir
        self.child: ProcessTree | None = None
        self.command: list[str] = []
        self.runs: list[tuple[Path, str]] = []  # (output file, how that run ended)
        self.seen: dict[int, psutil.Process] = {}
        self._children: list[ProcessTree] = []
        self.last_exit: int | None = None
        self.stopped_on_purpose = False
        self._term_sent = False
        self._kill_reason = "killed"
        self.frozen = False

    # -- state -------------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        """The current run's process id (None before the first start and after a run ended)."""
        return None if self.child is None else self.child.pid

    @property
    def running(self) -> bool:
        return self.child is not None and self.child.running

    @property
    def starts(self) -> int:
        return len(self.runs)

    def state(self) -> str:
        if self.child is None:
            return "never started" if not self.runs else self.runs[-1][1]
        code = self.child.poll()
        return f"running, pid {self.child.pid}" if code is None else f"exited with code {code}"

    # -- start -------------------------------------------------------------------------------

    def start(self, args: Sequence[str], envs: Mapping[str, str], debug_port: int | None,
              command: Sequence[str] = ()) -> None:
        """Start a run: app's server with `args`, or `command` (any program) when given."""
        assert not self.running, f"{self.name} is already running"
        self._finish_run()
        env = dict(os.environ)
        env["PYTHONPATH"] = SRC + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        # A killed server loses nothing it printed, and log_matches sees lines as they are written.
        env["PYTHONUNBUFFERED"] = "1"
        env.update(envs)
        self.command = list(command) if command else server_command(args, self.port, debug_port)
        log_path = self._log_dir / f"{self.name}.{len(self.runs) + 1}.log"
        child: ProcessTree
        if command or debug_port is not None:
            # Any program, or app under debugpy: a plain start, ready once it accepts a MySQL connection.
            child = ChildProcess(self.command, cwd=self.directory, env=env, output=log_path)
            child.start()
        else:
            # app's own server: a fork of the template where one runs, telling its readiness on a pipe.
            child = spawn_server(server_argv(args, self.port), command=self.command, cwd=str(self.directory),
                                 env=env, output=log_path)
        self.child = child
        self._children.append(child)
        self.runs.append((log_path, "running"))
        self.stopped_on_purpose = False
        self._term_sent = False
        self.track()

    def track(self) -> None:
        """Remember the process, its descendants and anything else carrying its tag, to kill and check later."""
        if self.child is not None:
            self.child.track()
            self.seen.update(self.child.seen)

    # -- stop --------------------------------------------------------------------------------

    def freeze(self) -> None:
        """SIGSTOP the server's process group: it keeps its state and answers nothing until `thaw`."""
        if self.child is not None and self.child.running:
            os.killpg(self.child.pid, signal.SIGSTOP)
            self.frozen = True

    def thaw(self) -> None:
        """SIGCONT: the server carries on."""
        if self.child is not None and self.frozen:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.child.pid, signal.SIGCONT)
        self.frozen = False

    def signal_stop(self) -> None:
        """Send SIGTERM once (a second one during shutdown would find the default handler back and kill it)."""
        self.thaw()  # a stopped process would act on SIGTERM only once continued
        if self.child is None or self._term_sent:
            return
        self.stopped_on_purpose = True
        self._term_sent = True
        self.child.send_signal(signal.SIGTERM)
        self.track()

    def stop(self, timeout: float) -> int | None:
        """SIGTERM, wait up to `timeout`; at the deadline SIGKILL. The exit code, or None if it had to be killed."""
        if self.child is None:
            return self.last_exit
        self.signal_stop()
        if self.child.wait(timeout) is None:
            self.kill()
            return None
        self.child.reap_descendants()
        self.track()
        return self._finish_run()

    def kill(self, reason: str = "killed") -> None:
        """SIGKILL the process group and every descendant seen: no shutdown work at all."""
        if self.child is None:
            return
        self._kill_reason = reason
        self.stopped_on_purpose = True
        self.track()
        self.child.kill()
        self.track()
        self._finish_run()

    def _finish_run(self) -> int | None:
        """Record how the current run ended; the exit code."""
        if self.child is None:
            return self.last_exit
        code = self.child.poll()
        if code is None:
            return None
        self.last_exit = code
        how = f"exited with code {code}" + (f" ({self._kill_reason})" if code == -signal.SIGKILL else "")
        self.runs[-1] = (self.runs[-1][0], how)
        self.child = None
        return code

    def leftovers(self) -> list[psutil.Process]:
        """Processes of this server that still run (should be none once the test ends)."""
        left: dict[int, psutil.Process] = {}
        for child in self._children:
            for proc in child.leftovers():
                left[proc.pid] = proc
        return list(left.values())

    # -- output ------------------------------------------------------------------------------

    def output(self) -> str:
        """Everything every run of this server wrote, stdout and stderr together."""
        return "".join(self._read(path) for path, _ in self.runs)

    def report_text(self) -> str:
        """The output of every run, each followed by a line saying how it ended (for failure reports)."""
        parts = []
        for i, (path, how) in enumerate(self.runs):
            text = self._read(path)
            if text and not text.endswith("\n"):
                text += "\n"
            if i == len(self.runs) - 1 and self.child is not None:
                how = self.state()
            parts.append(f"{text}[runner: run {i + 1} of {self.name}, {how}]\n")
        return "".join(parts)

    @staticmethod
    def _read(path: Path) -> str:
        try:
            return path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


def wait_until_ready(server: ServerProcess, deadline: float, what: str) -> None:
    """Connect until the server accepts, failing at once if its process exits. Raises TimeoutError/RuntimeError."""
    if server.child is None:
        raise RuntimeError(f"{server.name} exited before it accepted connections ({server.state()})")
    try:
        wait_ready(server.child, deadline, address=lambda: ("127.0.0.1", server.port))
    except ExitedBeforeReady:
        raise RuntimeError(f"{server.name} exited before it accepted connections ({server.state()})") from None
    except ReadyTimeout:
        raise TimeoutError(f"{server.name} did not accept connections on 127.0.0.1:{server.port} in time; "
                           f"{what}") from None
    server.track()

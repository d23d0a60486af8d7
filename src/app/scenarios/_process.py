"""One server of a scenario: its directory, its process across restarts, its output, its process tree.

The process is `python -m app sql-server` with the interpreter running the
runner and this workspace's sources first on the path (never a `python3`
shim, which would swallow signals). It runs in its own session, so a Ctrl-C
at the terminal reaches only the runner, which then kills every server
itself. Every process seen in the server's tree is remembered, so that the
runner can prove none outlives the test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, final

import psutil

SRC: Final = str(Path(__file__).resolve().parents[2])
# Every process of a server carries this variable. debugpy's adapter daemonizes (setsid, double fork)
# and is nobody's child, so the process tree alone would miss it; the environment is inherited.
TAG_VARIABLE: Final = "APP_SCENARIO_TAG"


def has_port_flag(args: Sequence[str]) -> bool:
    return any(a == "--port" or a.startswith("--port=") for a in args)


def server_command(args: Sequence[str], port: int, debug_port: int | None) -> list[str]:
    """The command line of a server: `--port` added unless the arguments choose one themselves."""
    cmd = [sys.executable]
    if debug_port is not None:
        # debugpy runs the module in this same process; --wait-for-client holds it before any server code runs.
        cmd += ["-m", "debugpy", "--listen", f"127.0.0.1:{debug_port}", "--wait-for-client"]
    cmd += ["-m", "app", "sql-server", *args]
    if not has_port_flag(args):
        cmd += ["--port", str(port)]
    return cmd


@final
class ServerProcess:
    """A scenario server. Not thread-safe: the runner drives it from one thread."""

    def __init__(self, name: str, directory: Path, log_dir: Path, port: int) -> None:
        self.name = name
        self.directory = directory
        self.port = port
        self._log_dir = log_dir
        self.popen: subprocess.Popen[bytes] | None = None
        self.command: list[str] = []
        self.runs: list[tuple[Path, str]] = []  # (output file, how that run ended)
        self.seen: dict[int, psutil.Process] = {}
        self.last_exit: int | None = None
        self.stopped_on_purpose = False
        self._term_sent = False
        self._kill_reason = "killed"
        self.tag = f"{uuid.uuid4().hex}:{name}"

    # -- state -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    @property
    def starts(self) -> int:
        return len(self.runs)

    def state(self) -> str:
        if self.popen is None:
            return "never started" if not self.runs else self.runs[-1][1]
        code = self.popen.poll()
        return f"running, pid {self.popen.pid}" if code is None else f"exited with code {code}"

    # -- start -------------------------------------------------------------------------------

    def start(self, args: Sequence[str], envs: Mapping[str, str], debug_port: int | None) -> None:
        assert not self.running, f"{self.name} is already running"
        self._finish_run()
        env = dict(os.environ)
        env["PYTHONPATH"] = SRC + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        # A killed server loses nothing it printed, and log_matches sees lines as they are written.
        env["PYTHONUNBUFFERED"] = "1"
        env.update(envs)
        env[TAG_VARIABLE] = self.tag
        self.command = server_command(args, self.port, debug_port)
        log_path = self._log_dir / f"{self.name}.{len(self.runs) + 1}.log"
        with open(log_path, "wb") as log:
            self.popen = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, cwd=self.directory, env=env,
                                          start_new_session=True)
        self.runs.append((log_path, "running"))
        self.stopped_on_purpose = False
        self._term_sent = False
        self.track()

    def track(self) -> None:
        """Remember the process, its descendants and anything else carrying its tag, to kill and check later."""
        if self.popen is not None:
            with contextlib.suppress(psutil.Error):
                proc = psutil.Process(self.popen.pid)
                self.seen.setdefault(proc.pid, proc)
                for child in proc.children(recursive=True):
                    self.seen.setdefault(child.pid, child)
        for proc in tagged(self.tag):
            self.seen.setdefault(proc.pid, proc)

    # -- stop --------------------------------------------------------------------------------

    def signal_stop(self) -> None:
        """Send SIGTERM once (a second one during shutdown would find the default handler back and kill it)."""
        if self.popen is None or self._term_sent:
            return
        self.track()
        self.stopped_on_purpose = True
        self._term_sent = True
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.popen.send_signal(signal.SIGTERM)

    def stop(self, timeout: float) -> int | None:
        """SIGTERM, wait up to `timeout`; at the deadline SIGKILL. The exit code, or None if it had to be killed."""
        if self.popen is None:
            return self.last_exit
        self.signal_stop()
        if self.popen.poll() is None:
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        self._reap_descendants()
        return self._finish_run()

    def kill(self, reason: str = "killed") -> None:
        """SIGKILL the process group and every descendant seen: no shutdown work at all."""
        if self.popen is None:
            return
        self._kill_reason = reason
        self.track()
        self.stopped_on_purpose = True
        if self.popen.poll() is None:
            # The group id stays valid until the leader is reaped, which only happens below.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.popen.kill()
        self.popen.wait()
        self._reap_descendants()
        self._finish_run()

    def _reap_descendants(self) -> None:
        self.track()
        alive = []
        for proc in self.seen.values():
            with contextlib.suppress(psutil.Error):
                if proc.is_running():
                    proc.kill()
                    alive.append(proc)
        psutil.wait_procs(alive, timeout=10)

    def _finish_run(self) -> int | None:
        """Record how the current run ended; the exit code."""
        if self.popen is None:
            return self.last_exit
        code = self.popen.poll()
        if code is None:
            return None
        self.last_exit = code
        how = f"exited with code {code}" + (f" ({self._kill_reason})" if code == -signal.SIGKILL else "")
        self.runs[-1] = (self.runs[-1][0], how)
        self.popen = None
        return code

    def leftovers(self) -> list[psutil.Process]:
        """Processes of this server that still run (should be none once the test ends)."""
        self.track()
        left = []
        for proc in self.seen.values():
            with contextlib.suppress(psutil.Error):
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    left.append(proc)
        return left

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
            if i == len(self.runs) - 1 and self.popen is not None:
                how = self.state()
            parts.append(f"{text}[runner: run {i + 1} of {self.name}, {how}]\n")
        return "".join(parts)

    @staticmethod
    def _read(path: Path) -> str:
        try:
            return path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


def tagged(tag: str) -> list[psutil.Process]:
    """Running processes whose environment has TAG_VARIABLE=tag (only our own user's are readable)."""
    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if proc.environ().get(TAG_VARIABLE) == tag:
                found.append(proc)
    return found


def wait_until_ready(server: ServerProcess, deadline: float, what: str) -> None:
    """Connect until the server accepts, failing at once if its process exits. Raises TimeoutError/RuntimeError."""
    import pymysql

    delay = 0.002
    while True:
        if server.popen is None or server.popen.poll() is not None:
            raise RuntimeError(f"{server.name} exited before it accepted connections "
                               f"({server.state() if server.popen else 'not running'})")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"{server.name} did not accept connections on 127.0.0.1:{server.port} in time; "
                               f"{what}")
        try:
            conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="",
                                   connect_timeout=max(0.1, min(2.0, remaining)),
                                   read_timeout=max(0.1, min(5.0, remaining)))
        except pymysql.err.OperationalError as e:
            # Refused credentials still prove the server speaks the protocol on that port.
            if e.args and e.args[0] == 1045:
                return
        else:
            conn.close()
            server.track()
            return
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 1.5, 0.05)

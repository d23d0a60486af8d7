"""The `subprocess` test server: `python -m app sql-server --port 0` with this interpreter and workspace."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final, final

from app._forkserver import ForkedProcess, spawn_server
from app._lifecycle import ChildProcess, ExitedBeforeReady, ReadyTimeout, wait_ready
from app._watchdog import run_dir
from app.testingshim import ServerStartError, ServerTimeout, TestServerArgs, UnsupportedByFactory, scaled

from ._testservers import _Base

READY: Final = re.compile(r"ready for connections on (\S+):(\d+)")
SRC: Final = str(Path(__file__).resolve().parents[2])


def child_env() -> dict[str, str]:
    """This environment, with this workspace's sources first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


@final
class SubprocessTestServer(_Base):
    """A real `app sql-server` process: configured by a server.yaml in its own directory."""

    capabilities = frozenset({"restart"})

    def __init__(self, args: TestServerArgs, name: str) -> None:
        super().__init__(args, name)
        self.child: ChildProcess | ForkedProcess | None = None
        self._dir: str | None = None
        self._output = ""
        self._log_path: Path | None = None

    @property
    def command(self) -> list[str]:
        assert self._dir is not None
        return [sys.executable, "-m", "app", "sql-server", "--config", os.path.join(self._dir, "server.yaml"),
                "--host", "127.0.0.1", "--port", "0"]

    @property
    def pid(self) -> int | None:
        """The server process's id while it runs."""
        return self.child.pid if self.child is not None and self.child.running else None

    def storage_layer(self) -> Any:
        raise UnsupportedByFactory(self._factory_name, "storage_layer() (the databases live in another process)")

    def start(self) -> None:
        if self.child is not None:
            return
        import yaml

        self._dir = tempfile.mkdtemp(prefix="server-", dir=run_dir())
        cfg: dict[str, Any] = dict(self._args.config)
        cfg["log_level"] = self._args.log_level
        cfg["users"] = [{"name": u[0], "password": u[1], **({"plugin": u[2]} if len(u) > 2 else {})}
                        for u in self._args.users]
        if self._args.secure and "tls" not in cfg:
            from app._certs import run_certificates

            cfg["tls"] = run_certificates().server_config()
        if self._args.data_dir is not None:
            cfg["data_dir"] = str(Path(self._args.data_dir).resolve())
        if self._args.knobs:
            cfg["testing_knobs"] = {k.subsystem: k.to_config() for k in self._args.knobs}
        Path(self._dir, "server.yaml").write_text(yaml.safe_dump(cfg))
        self._log_path = Path(self._dir, "server.log")
        # Forked from the pre-imported template where it runs (milliseconds), else a plain start.
        self.child = spawn_server(self.command[3:], command=self.command, cwd=self._dir, env=child_env(),
                                  output=self._log_path)
        try:
            self._addr = self._wait_ready()
            self._create_default_database()
        except BaseException:
            self._terminate(graceful=False)
            raise

    def _read_log(self) -> str:
        if self._log_path is None:
            return self._output
        with contextlib.suppress(FileNotFoundError):
            self._output = self._log_path.read_text(errors="replace")
        return self._output

    def _ready_address(self) -> tuple[str, int] | None:
        m = READY.search(self._read_log())
        return (m.group(1), int(m.group(2))) if m else None

    def _wait_ready(self) -> tuple[str, int]:
        assert self.child is not None
        user, password = self._args.users[0][:2]
        seconds = scaled(self._args.start_timeout)
        try:
            return wait_ready(self.child, time.monotonic() + seconds, address=self._ready_address,
                              user=user, password=password)
        except ExitedBeforeReady:
            raise ServerStartError("the server process exited before it was ready", command=self.command,
                                   exit_code=self.child.poll(), output=self._read_log()) from None
        except ReadyTimeout as e:
            raise ServerTimeout(f"the server was not ready within {seconds:.1f}s: {e}", command=self.command,
                                output=self._read_log()) from None

    def stop(self) -> None:
        self._terminate(graceful=True)

    def kill(self) -> None:
        """SIGKILL: no shutdown work at all."""
        self._terminate(graceful=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def freeze(self) -> None:
        """SIGSTOP the server's process group: it keeps its state and answers nothing."""
        if self.child is not None and self.child.running:
            os.killpg(self.child.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT: the server carries on."""
        if self.child is not None and self.child.running:
            os.killpg(self.child.pid, signal.SIGCONT)

    def _terminate(self, *, graceful: bool) -> None:
        child, self.child = self.child, None
        if child is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGCONT)  # a frozen server could not act on SIGTERM
            if graceful:
                child.stop(scaled(10))
            else:
                child.kill()
            self._read_log()
        # After the process ended: closing a client connection whose statement still runs would wait for it.
        self._close_conns()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
            self._log_path = None
        self._addr = None

    def log_text(self) -> str:
        return self._read_log()


class SubprocessFactory:
    """Real `app sql-server` processes."""

    capabilities = SubprocessTestServer.capabilities

    def new_server(self, args: TestServerArgs, *, name: str = "subprocess") -> SubprocessTestServer:
        if args.modules:
            raise UnsupportedByFactory(name, "injector modules in TestServerArgs "
                                             "(they cannot cross a process boundary)")
        return SubprocessTestServer(args, name)

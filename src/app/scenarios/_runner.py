"""Running one scenario test: start its servers, run its connections in order, stop everything.

Whatever happens (a failed step, a timeout, Ctrl-C), every process of the
test is killed and its directories removed before `run_test` returns or
raises, and the runner checks with psutil that no process it saw survives.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, final

from app._faultproxy import Network
from app._lifecycle import ChildProcess
from app._ports import free_port
from app._watchdog import run_dir
from app.testingshim import scaled

from ._errors import ScenarioFailed, ServerOutput, ServerStartFailed, Where
from ._process import ServerProcess, wait_until_ready
from ._schema import ConnectionSpec, FaultStep, QuerySpec, ScenarioTest, ServerAction, ServerSpec
from ._statement import error_text, run_statement
from ._template import render
from ._tls import ScenarioTLS

STOP_TIMEOUT: Final = 10.0  # seconds a graceful stop may take (scaled), then SIGKILL and a failure


@dataclass(frozen=True)
class ServerInfo:
    """A running scenario server, as `RunOptions.pause` sees it."""

    name: str
    port: int
    directory: str
    state: str
    command: tuple[str, ...]


@dataclass(frozen=True)
class RunOptions:
    """How `run_test` reports progress and what it lets a person do.

    progress: called with one line per step (the command line's `-v`).
    notice:   called with things a person must act on (a server waits for a debugger).
    pause:    called before the servers are stopped, with them still running (the command line's `--pause`).
    debug_ports: server name -> port: run that server under debugpy even if its file has no debug_port.
    """

    progress: Callable[[str], None] | None = None
    notice: Callable[[str], None] | None = None
    pause: Callable[[Sequence[ServerInfo], BaseException | None], None] | None = None
    debug_ports: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RunResult:
    """What a passing test did: its duration and the server processes it started."""

    name: str
    seconds: float
    server_processes: int
    pids: tuple[int, ...]


def run_test(test: ScenarioTest, options: RunOptions | None = None) -> RunResult:
    """Run one scenario test; raises ScenarioFailed (with every server's output) if a step fails."""
    run = _Run(test, options or RunOptions())
    return run.run()


def _text_conversions() -> dict[Any, Any]:
    from pymysql.converters import conversions

    # Encoders for query args, but no decoders: values stay the text the server sent, which is what
    # scenario files compare against (and how MySQL's own client shows them).
    return {k: v for k, v in conversions.items() if not isinstance(k, int)}


@final
class _Run:
    def __init__(self, test: ScenarioTest, options: RunOptions) -> None:
        self.test = test
        self.options = options
        self.ports: dict[str, int] = {}
        self.tempdirs: dict[str, str] = {}
        self.servers: dict[str, ServerProcess] = {}
        self.args: dict[str, tuple[str, ...]] = {}
        self.envs: dict[str, dict[str, str]] = {}
        self.root = Path(tempfile.mkdtemp(prefix="scenario-", dir=run_dir()))
        self.deadline = time.monotonic() + scaled(test.timeout)
        self.conv = _text_conversions()
        self._paused = False
        self.network = Network()  # the replication links' proxies ({{get_link}}), where faults act
        self.commands: dict[str, tuple[str, ...]] = {}
        self.tls = ScenarioTLS(self.root / "tls")  # {{get_ca}}, {{get_cert}}, {{get_key}}; connections' tls

    # -- helpers -----------------------------------------------------------------------------

    def progress(self, text: str) -> None:
        if self.options.progress is not None:
            self.options.progress(text)

    def port(self, key: str) -> int:
        if key not in self.ports:
            self.ports[key] = free_port()
        return self.ports[key]

    def tempdir(self, key: str) -> str:
        if key not in self.tempdirs:
            base = self.root / "tmp"
            base.mkdir(exist_ok=True)
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key)[:40]
            self.tempdirs[key] = tempfile.mkdtemp(prefix=f"{safe}-", dir=base)
        return self.tempdirs[key]

    def render(self, text: str, server: str | None = None) -> str:
        """`text` with its templates filled; `server` is the server whose files or arguments these are."""
        def link(target: str) -> str:
            if server is None:
                raise ScenarioFailed(f"{{{{get_link \"{target}\"}}}} is for a server's files and args, where it "
                                     "names the port through which that server reaches another's replication "
                                     "endpoint", where=self.test.where, step="render")
            return str(self.network.link(server, target, ("127.0.0.1", self.port(f"{target}_cluster"))))

        return render(text, {"get_port": lambda k: str(self.port(k)), "get_tempdir": self.tempdir,
                             "get_link": link, **self.tls.functions()})

    def remaining(self, where: Where, step: str) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ScenarioFailed(
                f"the test ran past its timeout of {scaled(self.test.timeout):.1f}s "
                f"(timeout: {self.test.timeout:g}, times APP_TEST_TIMEOUT_SCALE); raise `timeout:` in the test if "
                "this much time is expected", where=where, step=step)
        return left

    def backoff(self, attempt: int) -> None:
        """Between retries of a step: the step's own success is the condition waited on."""
        time.sleep(min(0.01 * 1.5 ** attempt, 0.25, max(0.0, self.deadline - time.monotonic())))

    def outputs(self) -> list[ServerOutput]:
        return [ServerOutput(s.name, s.report_text(), s.state()) for s in self.servers.values()]

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> RunResult:
        started = time.monotonic()
        failure: BaseException | None = None
        try:
            self.start_servers()
            for conn in self.test.connections:
                self.connection(conn)
            self.pause(None)
            self.finish()
        except BaseException as e:
            failure = e
            if not isinstance(e, KeyboardInterrupt):
                self.pause(e)
            raise
        finally:
            self.cleanup(failure)
        return RunResult(name=self.test.name, seconds=time.monotonic() - started,
                         server_processes=sum(s.starts for s in self.servers.values()),
                         pids=tuple(pid for s in self.servers.values() for pid in s.seen))

    def pause(self, failure: BaseException | None) -> None:
        """Let a person look at the servers while they still run (once per test)."""
        if self.options.pause is None or self._paused:
            return
        self._paused = True
        infos = [ServerInfo(s.name, s.port, str(s.directory), s.state(), tuple(s.command))
                 for s in self.servers.values()]
        with contextlib.suppress(KeyboardInterrupt, EOFError):
            self.options.pause(infos, failure)

    def cleanup(self, failure: BaseException | None) -> None:
        interrupted: KeyboardInterrupt | None = None
        reason = "killed by the runner after the failure" if failure is not None else "killed"
        for server in self.servers.values():
            # An impatient second Ctrl-C must not leave the remaining servers running.
            try:
                server.kill(reason=reason)
            except KeyboardInterrupt as e:
                interrupted = e
                server.kill(reason=reason)
        left = [(s.name, p) for s in self.servers.values() for p in s.leftovers()]
        self.network.close()
        outputs = self.outputs()  # before the directory with the output files goes
        shutil.rmtree(self.root, ignore_errors=True)
        if isinstance(failure, ScenarioFailed):
            failure.outputs = outputs
            failure.server_processes = sum(s.starts for s in self.servers.values())
        if left:
            text = ", ".join(f"{name}: pid {p.pid}" for name, p in left)
            if isinstance(failure, ScenarioFailed):
                failure.notes.append(f"processes outlived the test even after SIGKILL: {text}")
            elif failure is None:
                raise ScenarioFailed(f"processes outlived the test even after SIGKILL: {text}",
                                     where=self.test.where, outputs=outputs)
        if interrupted is not None and failure is None:
            raise interrupted

    # -- servers -----------------------------------------------------------------------------

    def start_servers(self) -> None:
        for spec in self.test.servers:
            directory = self.root / "servers" / spec.name
            directory.mkdir(parents=True)
            for f in spec.files:
                path = directory / self.render(f.name, spec.name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(self.render(f.contents, spec.name), encoding="utf-8")
            self.servers[spec.name] = ServerProcess(spec.name, directory, self.root, self.port(spec.port))
            self.args[spec.name] = tuple(self.render(a, spec.name) for a in spec.args)
            self.envs[spec.name] = {k: self.render(v, spec.name) for k, v in spec.envs}
            self.commands[spec.name] = tuple(self.render(a, spec.name) for a in spec.command)
            for i, setup in enumerate(spec.setup):
                self.run_setup(spec, i, [self.render(a, spec.name) for a in setup], directory)
        # The servers start together (each start is mostly interpreter start-up); the ones that must fail
        # start after the others are up, so that "port already in use" finds the port taken.
        normal = [s for s in self.test.servers if not s.error_matches]
        for spec in normal:
            self.launch(spec)
        for spec in normal:
            self.await_ready(spec, spec.where, "start")
        for spec in self.test.servers:
            if spec.error_matches:
                self.launch(spec)
                self.await_failure(spec)

    def run_setup(self, spec: ServerSpec, i: int, command: list[str], directory: Path) -> None:
        """One `setup:` command, in the server's directory, before its first start: it must exit 0."""
        step = f"setup {i + 1} of {spec.name}"
        self.progress(f"{spec.name}: {step}: {' '.join(command)}")
        log = self.root / f"{spec.name}.setup{i + 1}.log"
        child = ChildProcess(command, cwd=directory, env={**os.environ, **self.envs[spec.name]}, output=log)
        try:
            child.start()
        except OSError as e:
            raise ScenarioFailed(f"setup command {command[0]!r} cannot run: {e.strerror or e}", where=spec.where,
                                 step=step) from None
        code = child.wait(self.remaining(spec.where, step))
        child.kill()
        output = log.read_text(errors="replace") if log.exists() else ""
        if code != 0:
            how = "did not finish before the test's timeout" if code is None else f"exited with code {code}"
            raise ScenarioFailed(f"setup command {how}", where=spec.where, step=step, sql=" ".join(command),
                                 actual=_tail(output))

    def debug_port(self, spec: ServerSpec) -> int | None:
        if spec.name in self.options.debug_ports:
            return self.options.debug_ports[spec.name]
        if spec.debug_port is None:
            return None
        text = self.render(spec.debug_port)
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise ScenarioFailed(f"debug_port {spec.debug_port!r} is {text!r}, not a port number",
                                 where=spec.where, step=f"start {spec.name}")
        return int(text)

    def launch(self, spec: ServerSpec) -> None:
        server = self.servers[spec.name]
        debug = self.debug_port(spec)
        server.start(self.args[spec.name], self.envs[spec.name], debug, self.commands[spec.name])
        self.progress(f"{spec.name}: started pid {server.pid or '?'}: "
                      f"{' '.join(server.command)}")
        if debug is not None and self.options.notice is not None:
            self.options.notice(f"{spec.name} (pid {server.pid or '?'}, SQL port "
                                f"{server.port}) waits for a debugger: attach to 127.0.0.1:{debug}")

    def await_ready(self, spec: ServerSpec, where: Where, step: str) -> None:
        server = self.servers[spec.name]
        step_name = f"{step} {spec.name}"
        self.remaining(where, step_name)
        try:
            wait_until_ready(server, self.deadline,
                             f"the test's timeout ({scaled(self.test.timeout):.1f}s) passed")
        except (RuntimeError, TimeoutError) as e:
            raise ServerStartFailed(str(e), where=where, step=step_name,
                                    notes=[f"command: {' '.join(server.command)}"]) from None
        self.progress(f"{spec.name}: accepting connections on 127.0.0.1:{server.port}")
        if spec.databases and server.starts == 1:
            # Once, like a directory made before the first start: a restart finds what its storage kept.
            self.create_databases(spec, server, where, step_name)

    def create_databases(self, spec: ServerSpec, server: ServerProcess, where: Where, step: str) -> None:
        import pymysql

        try:
            try:
                conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="", autocommit=True,
                                       read_timeout=self.remaining(where, step))
            except pymysql.err.OperationalError as e:
                if e.args[0] != 3159:
                    raise
                # A server that requires TLS: the runner's own setup connection to the server it started
                # takes TLS without verifying it (the test's connections verify with their `tls:`).
                conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="", autocommit=True,
                                       read_timeout=self.remaining(where, step),
                                       ssl={"check_hostname": False, "verify_mode": "none"})
            try:
                with conn.cursor() as cur:
                    cur.execute("SHOW DATABASES")
                    have = {row[0] for row in cur.fetchall()}
                    for db in spec.databases:
                        if db not in have:
                            cur.execute(f"CREATE DATABASE `{db}`")
            finally:
                conn.close()
        except pymysql.err.MySQLError as e:
            raise ScenarioFailed(f"could not create the server's databases {list(spec.databases)}: {error_text(e)}",
                                 where=spec.where, step=step) from None

    def await_failure(self, spec: ServerSpec) -> None:
        """A server with error_matches: it must exit non-zero by itself, its output matching every pattern."""
        server = self.servers[spec.name]
        step = f"start {spec.name} (expected to fail)"
        child = server.child
        assert child is not None
        while (code := child.poll()) is None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise ScenarioFailed(f"{spec.name} was expected to exit with an error, but it is still running "
                                     f"when the test's timeout passed", where=spec.where, step=step)
            child.wait(min(left, 0.1))  # poll again; the deadline bounds the loop
        server.stopped_on_purpose = True  # its exit was the point
        server.stop(0)
        output = server.output()
        if code == 0:
            raise ScenarioFailed(f"{spec.name} exited with code 0; expected a non-zero exit code",
                                 where=spec.where, step=step)
        for pattern in spec.error_matches:
            rendered = self.render(pattern)
            if not re.search(rendered, output):
                raise ScenarioFailed(f"{spec.name} failed (exit code {code}) but its output does not match "
                                     "error_matches", where=spec.where, step=step, expected=f"/{rendered}/",
                                     actual=_tail(output))
        self.progress(f"{spec.name}: exited with code {code} as expected")

    # -- connections -------------------------------------------------------------------------

    def connection(self, conn: ConnectionSpec) -> None:
        if conn.fault is not None:
            self.fault(conn.fault)
            return
        step = f"connection on {conn.on}"
        self.progress(f"{conn.where}: {step}")
        if conn.queries:
            for attempt in range(1, conn.retry_attempts + 1):
                try:
                    self.queries(conn, step)
                    break
                except ScenarioFailed as e:
                    if attempt == conn.retry_attempts or time.monotonic() >= self.deadline:
                        if conn.retry_attempts > 1:
                            e.notes.append(f"the connection was tried {attempt} times (retry_attempts: "
                                           f"{conn.retry_attempts}); this is the last attempt's failure")
                        raise
                    self.progress(f"  attempt {attempt} failed ({e.message.splitlines()[0]}); retrying")
                    self.backoff(attempt)
        if conn.action is not None:
            self.action(conn, conn.action)

    def queries(self, conn: ConnectionSpec, step: str) -> None:
        import pymysql

        server = self.servers[conn.on]
        if not server.running:
            raise ScenarioFailed(f"{conn.on} is not running ({server.state()}); start it with a connection that "
                                 "has `start_server: {}`", where=conn.where, step=step)
        left = self.remaining(conn.where, step)
        try:
            db = pymysql.connect(host="127.0.0.1", port=server.port, user=self.render(conn.user),
                                 password=self.render(conn.password), database=conn.database, autocommit=True,
                                 conv=self.conv, connect_timeout=max(0.1, min(left, 10.0)), read_timeout=left,
                                 write_timeout=left,
                                 **self.tls.client_params(conn.tls, self.render))
        except pymysql.err.MySQLError as e:
            raise ScenarioFailed(f"cannot connect to {conn.on} on 127.0.0.1:{server.port} as {conn.user!r}: "
                                 f"{error_text(e)}", where=conn.where, step=step) from None
        try:
            for q in conn.queries:
                self.query(db, conn, q)
        finally:
            db.close()

    def query(self, db: Any, conn: ConnectionSpec, q: QuerySpec) -> None:
        step = f"{q.kind} on {conn.on}"
        for attempt in range(1, q.retry_attempts + 1):
            try:
                self.statement(db, q, step)
                return
            except ScenarioFailed as e:
                if attempt == q.retry_attempts or time.monotonic() >= self.deadline:
                    if q.retry_attempts > 1:
                        e.notes.append(f"the statement was tried {attempt} times (retry_attempts: "
                                       f"{q.retry_attempts})")
                    raise
                self.backoff(attempt)

    def statement(self, db: Any, q: QuerySpec, step: str) -> None:
        run_statement(db, q, step, self.render, lambda: self.remaining(q.where, step))

    # -- server actions ----------------------------------------------------------------------

    def action(self, conn: ConnectionSpec, action: ServerAction) -> None:
        spec = self.test.server(conn.on)
        server = self.servers[conn.on]
        step = f"{action.kind} {conn.on}"
        self.remaining(action.where, step)
        self.progress(f"{action.where}: {step}")
        if action.args is not None:
            self.args[conn.on] = tuple(self.render(a) for a in action.args)
        if action.envs is not None:
            self.envs[conn.on] = {k: self.render(v) for k, v in action.envs}
        if action.kind in ("freeze_server", "thaw_server"):
            if not server.running:
                raise ScenarioFailed(f"{conn.on} is not running ({server.state()}), so it cannot be "
                                     f"{'frozen' if action.kind == 'freeze_server' else 'thawed'}",
                                     where=action.where, step=step)
            server.freeze() if action.kind == "freeze_server" else server.thaw()
            return
        if action.kind == "kill_server":
            if not server.running:
                raise ScenarioFailed(f"{conn.on} is not running ({server.state()}), so it cannot be killed",
                                     where=action.where, step=step)
            server.kill()
            return
        if action.kind in ("stop_server", "restart_server"):
            if not server.running:
                raise ScenarioFailed(f"{conn.on} is not running ({server.state()}); "
                                     + ("use start_server" if action.kind == "restart_server" else
                                        "there is nothing to stop"), where=action.where, step=step)
            self.graceful_stop(server, action.where, step)
            if action.kind == "stop_server":
                return
        elif server.running:
            raise ScenarioFailed(f"{conn.on} is already running; stop_server or kill_server it first",
                                 where=action.where, step=step)
        self.launch(spec)
        self.await_ready(spec, action.where, action.kind.removesuffix("_server"))

    def fault(self, step: FaultStep) -> None:
        self.progress(f"{step.where}: {step.kind}")
        if step.kind == "partition":
            self.network.partition(step.groups)
        elif step.kind == "heal":
            self.network.heal()
        else:
            self.network.set_delay(step.source, step.target, step.seconds)

    def graceful_stop(self, server: ServerProcess, where: Where, step: str) -> None:
        timeout = min(scaled(STOP_TIMEOUT), max(0.5, self.deadline - time.monotonic()))
        code = server.stop(timeout)
        if code is None:
            raise ScenarioFailed(f"{server.name} did not exit within {timeout:.1f}s of SIGTERM; it was killed",
                                 where=where, step=step)
        if code != 0:
            raise ScenarioFailed(f"{server.name} exited with code {code} after SIGTERM; a graceful stop exits 0",
                                 where=where, step=step)

    # -- the end -----------------------------------------------------------------------------

    def finish(self) -> None:
        """Stop every server gracefully (all at once), then check exits and log_matches."""
        problems: list[ScenarioFailed] = []
        for spec in self.test.servers:
            server = self.servers[spec.name]
            if not spec.error_matches and not server.stopped_on_purpose and server.child is not None \
                    and server.child.poll() is not None:
                problems.append(ScenarioFailed(f"{spec.name} exited by itself during the test "
                                               f"({server.state()})", where=spec.where, step="end of test"))
        running = [s for s in self.servers.values() if s.running]
        for server in running:
            server.signal_stop()
        for server in running:
            try:
                self.graceful_stop(server, self.test.where, f"stop {server.name} at the end of the test")
            except ScenarioFailed as e:
                problems.append(e)
        for spec in self.test.servers:
            output = self.servers[spec.name].output()
            for pattern in spec.log_matches:
                rendered = self.render(pattern)
                if not re.search(rendered, output, re.MULTILINE):
                    problems.append(ScenarioFailed(f"the output of {spec.name} does not match log_matches",
                                                   where=spec.where, step="end of test",
                                                   expected=f"/{rendered}/ somewhere in the output",
                                                   actual="no match (the output is below)"))
            for pattern in spec.log_not_matches:
                rendered = self.render(pattern)
                m = re.search(rendered, output, re.MULTILINE)
                if m:
                    line = output[output.rfind("\n", 0, m.start()) + 1:].split("\n", 1)[0]
                    problems.append(ScenarioFailed(f"the output of {spec.name} matches log_not_matches",
                                                   where=spec.where, step="end of test",
                                                   expected=f"no line matching /{rendered}/", actual=line))
        if problems:
            first = problems[0]
            first.notes.extend(str(p).splitlines()[0] for p in problems[1:])
            raise first


def _tail(output: str, lines: int = 15) -> str:
    body = output.rstrip("\n").splitlines()[-lines:]
    return "\n".join(body) if body else "(no output)"

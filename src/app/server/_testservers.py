"""The `inprocess` and `subprocess` test server factories (implementations of app.testingshim)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import itertools
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import injector

from app.sql import Engine, Storage
from app.testingshim import (
    ServerStartError,
    ServerTimeout,
    TestServerArgs,
    UnsupportedByFactory,
    scaled,
)

from ._config import ListenerConfig, ServerConfig, UserConfig, parse_config
from ._node import Node, build_node, new_event_loop

T = TypeVar("T")
_READY = re.compile(r"ready for connections on (\S+):(\d+)")
_ids = itertools.count(1)


def _config_for(args: TestServerArgs) -> ServerConfig:
    import yaml

    base = parse_config(yaml.safe_dump(dict(args.config)), "<TestServerArgs.config>") if args.config else ServerConfig()
    return dataclasses.replace(
        base,
        log_level=args.log_level,
        data_dir=args.data_dir,
        listener=ListenerConfig("127.0.0.1", 0),
        users=tuple(UserConfig(n, p) for n, p in args.users),
    )


class _Base:
    """What both kinds share: client connections to close at stop, context management."""

    __test__ = False
    capabilities: frozenset[str] = frozenset()

    def __init__(self, args: TestServerArgs, name: str) -> None:
        self._args = args
        self._factory_name = name
        self._conns: list[Any] = []
        self._addr: tuple[str, int] | None = None
        self.created_at = "".join(traceback.format_stack(limit=8)[:-2])

    @property
    def args(self) -> TestServerArgs:
        return self._args

    @property
    def factory_name(self) -> str:
        return self._factory_name

    @property
    def sql_addr(self) -> tuple[str, int]:
        if self._addr is None:
            raise RuntimeError("the test server is not started")
        return self._addr

    @property
    def database(self) -> str:
        return self._args.database

    def sql_conn(self, database: str | None = None, **kwargs: Any) -> Any:
        import pymysql

        host, port = self.sql_addr
        user, password = self._args.users[0]
        params: dict[str, Any] = {"host": host, "port": port, "user": user, "password": password,
                                  "database": self._args.database if database is None else (database or None),
                                  "connect_timeout": scaled(10),
                                  # Else PyMySQL builds a TLS context per connection (~18 ms loading CA
                                  # certificates) for servers that offer no TLS.
                                  "ssl_disabled": True}
        params.update(kwargs)
        conn = pymysql.connect(**params)
        # A server shared by many tests (app_shared_server) must not hoard their closed connections.
        self._conns = [c for c in self._conns if c.open]
        self._conns.append(conn)
        return conn

    def _close_conns(self) -> None:
        conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(Exception):
                conn.close()

    def application_layer(self) -> _Base:
        return self

    def __enter__(self) -> _Base:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()  # type: ignore[attr-defined]

    def _create_default_database(self) -> None:
        import pymysql

        host, port = self.sql_addr
        user, password = self._args.users[0]
        for attempt in range(3):
            conn = None
            try:
                conn = pymysql.connect(host=host, port=port, user=user, password=password,
                                       connect_timeout=scaled(10), ssl_disabled=True)
                with conn.cursor() as cur:
                    cur.execute("SELECT @@GLOBAL.app_cluster_role")
                    if cur.fetchone()[0] == "primary":  # a standby gets its databases from its primary
                        cur.execute(f"CREATE DATABASE IF NOT EXISTS `{self._args.database}`")
                return
            except pymysql.MySQLError as e:
                # A cluster node can change role as it starts (it met a higher epoch or another
                # primary): that ends client connections and refuses writes (1290). Look again.
                if e.args[0] not in (1290, 2006, 2013) or attempt == 2:
                    raise
            finally:
                if conn is not None:
                    conn.close()

    def setting(self, name: str) -> Any:
        conn = self._admin()
        with conn.cursor() as cur:
            cur.execute(f"SELECT @@GLOBAL.{name}")
            return cur.fetchone()[0]

    def set_setting(self, name: str, value: Any) -> None:
        conn = self._admin()
        with conn.cursor() as cur:
            cur.execute(f"SET @@GLOBAL.{name} = %s", (value,))

    def role(self) -> tuple[str, int]:
        conn = self._admin()
        with conn.cursor() as cur:
            cur.execute("SELECT @@GLOBAL.app_cluster_role, @@GLOBAL.app_cluster_role_epoch")
            role, epoch = cur.fetchone()
            return str(role), int(epoch)

    def _admin(self) -> Any:
        return self.sql_conn(database="", autocommit=True)


class _LogCapture(logging.Handler):
    """Keeps the log records of one in-process server (its loop thread's records)."""

    def __init__(self, thread_name: str) -> None:
        super().__init__(logging.DEBUG)
        self.thread_name = thread_name
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if record.threadName == self.thread_name:
            self.lines.append(self.format(record))


class _StickyStorage(injector.Module):
    """Binds a storage that outlives the node, so an in-process restart keeps in-memory data."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def configure(self, binder: injector.Binder) -> None:
        binder.bind(Storage, to=self._storage)


class InProcessTestServer(_Base):
    """A node on its own event loop in a background thread of the test's process."""

    capabilities = frozenset({"modules", "storage_layer", "restart", "sticky_memory"})

    def __init__(self, args: TestServerArgs, name: str) -> None:
        super().__init__(args, name)
        self.node: Node | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._storage: Storage | None = None
        self._log: _LogCapture | None = None
        self._log_lines: list[str] = []
        self._n = next(_ids)

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        assert self._loop is not None
        fut = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return fut.result(scaled(timeout))
        except concurrent.futures.TimeoutError:
            raise ServerTimeout(f"in-process server {self._n} did not answer within {scaled(timeout):.1f}s") from None

    def start(self) -> None:
        if self._thread is not None:
            return
        config = _config_for(self._args)
        if self._storage is None:
            self._storage = Storage(config.data_dir)
        thread_name = f"app-test-server-{self._n}"
        self._log = _LogCapture(thread_name)
        self._log.lines = self._log_lines
        logging.getLogger("app").addHandler(self._log)
        logger = logging.getLogger("app")
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
        self._loop = new_event_loop()
        self._thread = threading.Thread(target=self._loop_main, name=thread_name, daemon=True)
        self._thread.start()
        modules = [_StickyStorage(self._storage), *self._args.modules]
        try:
            self.node = build_node(config, modules)  # while the thread starts
            self._addr = self._run(self.node.start(), self._args.start_timeout)
            self._create_database()  # on this thread: a statement may block, the loop must not
        except BaseException:
            self._shutdown(close_storage=True)
            raise

    def _loop_main(self) -> None:
        assert self._loop is not None
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()  # runs what _run handed over before it started, too

    def _create_database(self) -> None:
        assert self.node is not None
        engine = self.node.engine
        # A standby gets its databases from its primary; a primary's must replicate, so
        # it is created through a session, which publishes the change.
        if engine.storage.get(self._args.database) is not None or self.node.cluster.role != "primary":
            return
        session = engine.new_session()
        try:
            session.execute(f"CREATE DATABASE IF NOT EXISTS `{self._args.database}`")
        finally:
            session.close()

    def stop(self) -> None:
        self._shutdown(close_storage=True)

    def restart(self) -> None:
        """Stop gracefully and start again; in-memory data survives (a sticky store)."""
        self._shutdown(close_storage=False)
        self.start()

    def kill(self) -> None:
        """Drop the node without any shutdown work (the in-process SIGKILL); data stays."""
        self._shutdown(close_storage=False, graceful=False)

    def _shutdown(self, *, close_storage: bool, graceful: bool = True) -> None:
        self._close_conns()
        if self._thread is not None and self._loop is not None:
            if self.node is not None:
                node = self.node
                with contextlib.suppress(Exception):
                    if graceful:
                        self._run(node.stop(close_storage=False), 10)
                    else:
                        self._run(node.kill(), 10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(scaled(10))
            self._loop.close()
        self._thread = None
        self._loop = None
        self.node = None
        self._addr = None
        if self._log is not None:
            logging.getLogger("app").removeHandler(self._log)
            self._log = None
        if close_storage and self._storage is not None:
            self._storage.close()
            self._storage = None

    def storage_layer(self) -> InProcessTestServer:
        return self

    def system_layer(self) -> InProcessTestServer:
        return self

    def databases(self) -> list[str]:
        assert self._storage is not None
        return self._storage.names()

    def sqlite_handle(self, database: str) -> Any:
        assert self._storage is not None
        db = self._storage.get(database)
        if db is None:
            raise KeyError(f"no database {database!r}; have {self._storage.names()}")
        return db.anchor

    def checksum(self, database: str) -> str:
        assert self._storage is not None
        return self._storage.checksum(database)

    def engine(self) -> Engine:
        assert self.node is not None
        return self.node.engine

    def log_text(self) -> str:
        return "\n".join(self._log_lines)


class SubprocessTestServer(_Base):
    """`python -m app sql-server --port 0` with this interpreter and this workspace's code."""

    capabilities = frozenset({"restart"})

    def __init__(self, args: TestServerArgs, name: str) -> None:
        super().__init__(args, name)
        self.proc: subprocess.Popen[bytes] | None = None
        self._dir: str | None = None
        self._output = ""
        self._log_path: Path | None = None

    @property
    def command(self) -> list[str]:
        assert self._dir is not None
        return [sys.executable, "-m", "app", "sql-server", "--config", os.path.join(self._dir, "server.yaml"),
                "--host", "127.0.0.1", "--port", "0"]

    def start(self) -> None:
        if self.proc is not None:
            return
        import yaml

        self._dir = tempfile.mkdtemp(prefix="app-test-server-")
        cfg: dict[str, Any] = dict(self._args.config)
        cfg["log_level"] = self._args.log_level
        cfg["users"] = [{"name": n, "password": p} for n, p in self._args.users]
        if self._args.data_dir is not None:
            cfg["data_dir"] = str(Path(self._args.data_dir).resolve())
        Path(self._dir, "server.yaml").write_text(yaml.safe_dump(cfg))
        self._log_path = Path(self._dir, "server.log")
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        with open(self._log_path, "wb") as log:
            self.proc = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env=env, cwd=self._dir, start_new_session=True)
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

    def _wait_ready(self) -> tuple[str, int]:
        assert self.proc is not None
        deadline = time.monotonic() + scaled(self._args.start_timeout)
        delay = 0.002
        while True:
            m = _READY.search(self._read_log())
            if m:
                return m.group(1), int(m.group(2))
            code = self.proc.poll()
            if code is not None:
                raise ServerStartError("the server process exited before it was ready", command=self.command,
                                       exit_code=code, output=self._read_log())
            if time.monotonic() > deadline:
                raise ServerTimeout(f"the server was not ready within {scaled(self._args.start_timeout):.1f}s",
                                    command=self.command, output=self._read_log())
            time.sleep(delay)
            delay = min(delay * 1.5, 0.02)

    def stop(self) -> None:
        self._terminate(graceful=True)

    def kill(self) -> None:
        """SIGKILL: no shutdown work at all."""
        self._terminate(graceful=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def _terminate(self, *, graceful: bool) -> None:
        self._close_conns()
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_process_tree(proc, graceful=graceful, timeout=scaled(10))
            self._read_log()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
            self._log_path = None
        self._addr = None

    def storage_layer(self) -> Any:
        raise UnsupportedByFactory(self._factory_name, "storage_layer() (the databases live in another process)")

    def system_layer(self) -> SubprocessTestServer:
        return self

    def log_text(self) -> str:
        return self._read_log()


def stop_process_tree(proc: subprocess.Popen[bytes], *, graceful: bool, timeout: float) -> int | None:
    """SIGTERM then wait (graceful), else or at the deadline SIGKILL the process and its children."""
    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    if graceful and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    for p in [*children]:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    if proc.poll() is None:
        proc.kill()
    code = proc.wait()
    psutil.wait_procs(children, timeout=timeout)
    return code


class InProcessFactory:
    """Servers in the test's own process: milliseconds to start, white-box access to storage."""

    capabilities = InProcessTestServer.capabilities

    def new_server(self, args: TestServerArgs, *, name: str = "inprocess") -> InProcessTestServer:
        return InProcessTestServer(args, name)


class SubprocessFactory:
    """Real `app sql-server` processes."""

    capabilities = SubprocessTestServer.capabilities

    def new_server(self, args: TestServerArgs, *, name: str = "subprocess") -> SubprocessTestServer:
        if args.modules:
            raise UnsupportedByFactory(name, "injector modules in TestServerArgs (they cannot cross a process boundary)")
        return SubprocessTestServer(args, name)


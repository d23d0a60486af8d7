"""The `inprocess` and `subprocess` test server factories (implementations of app.testingshim)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import functools
import itertools
import logging
import re
import ssl
import threading
import time
import traceback
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self, TypeVar, final

import injector

from app.sql import Storage, StorageKnobs
from app.testingshim import (
    ServerTimeout,
    TestServerArgs,
    scaled,
)

from ._config import ListenerConfig, ServerConfig, TLSConfig, UserConfig, parse_config
from ._node import Node, build_node, new_event_loop

T = TypeVar("T")
_READY = re.compile(r"ready for connections on (\S+):(\d+)")
_ids = itertools.count(1)


def _config_for(args: TestServerArgs) -> ServerConfig:
    import yaml

    base = parse_config(yaml.safe_dump(dict(args.config)), "<TestServerArgs.config>") if args.config else ServerConfig()
    tls = base.tls
    if args.secure and tls is None:
        from app._certs import run_certificates

        certs = run_certificates()
        tls = TLSConfig(certs.cert, certs.key, certs.ca)
    return dataclasses.replace(
        base,
        log_level=args.log_level,
        data_dir=args.data_dir,
        listener=ListenerConfig("127.0.0.1", 0),
        users=tuple(UserConfig(*user) for user in args.users),
        knobs=args.knobs,
        tls=tls,
    )


def client_tls_params(args: TestServerArgs) -> dict[str, Any]:
    """PyMySQL's arguments for a connection to a server started with `args`: TLS verified against the
    run's test CA (hostname included) for a secure server, no TLS otherwise (PyMySQL's default would build
    a TLS context per connection, ~18 ms loading CA certificates, for servers that offer none)."""
    if not args.secure:
        return {"ssl_disabled": True}
    from app._certs import run_certificates

    return {"ssl": _client_context(run_certificates().ca)}


@functools.cache
def _client_context(ca: str) -> ssl.SSLContext:
    # One context per CA for every connection: loading it is what costs, not the handshake.
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = True
    return ctx


class _Base:
    """What every kind of test server shares: its layers, client connections to close at stop, `with`."""

    __test__ = False
    capabilities: frozenset[str] = frozenset()

    def __init__(self, args: TestServerArgs, name: str) -> None:
        self._args = args
        self._factory_name = name
        self._conns: list[Any] = []
        self._addr: tuple[str, int] | None = None
        self.created_at = "".join(traceback.format_stack(limit=8)[:-2])
        self._application = Application(self)
        self._system = System(self)

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

    def connect(self, database: str | None = None, **kwargs: Any) -> Any:
        """A pymysql connection as the first user, closed when the server stops (see ApplicationLayer.sql_conn)."""
        import pymysql

        host, port = self.sql_addr
        user, password = self._args.users[0][:2]
        params: dict[str, Any] = {"host": host, "port": port, "user": user, "password": password,
                                  "database": self._args.database if database is None else (database or None),
                                  "connect_timeout": scaled(10), **client_tls_params(self._args)}
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

    def application_layer(self) -> Application:
        return self._application

    def system_layer(self) -> System:
        return self._system

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def admin_query(self, sql: str, args: Any = None) -> tuple[Any, ...]:
        """The first row of `sql` (empty if none) on a fresh admin connection; see `admin_rows`."""
        rows = self.admin_rows(sql, args)
        return rows[0] if rows else ()

    def admin_rows(self, sql: str, args: Any = None) -> list[tuple[Any, ...]]:
        """The rows of `sql` on a fresh admin connection (no database), riding through role changes.

        A cluster node ends every client connection when its role changes (it met a higher epoch,
        or the framework failed over): a statement caught in that moment is asked again on a new
        connection, until the deadline. Only statements that may run twice go through here.
        """
        import pymysql

        deadline = time.monotonic() + scaled(10)
        delay = 0.005
        while True:
            conn = None
            try:
                conn = self.connect(database="", autocommit=True)
                with conn.cursor() as cur:
                    cur.execute(sql, args)
                    return [tuple(row) for row in cur.fetchall()] if cur.description else []
            except pymysql.err.OperationalError as e:
                if e.args[0] not in _ROLE_CHANGE_ERRORS or time.monotonic() > deadline:
                    raise
            finally:
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.close()
                    with contextlib.suppress(ValueError):
                        self._conns.remove(conn)
            time.sleep(delay)  # the node is changing role: give it a moment, then ask again
            delay = min(delay * 2, 0.1)

    def _create_default_database(self) -> None:
        import pymysql

        # One statement on one connection (it is part of every start): a standby, or a node in
        # detected_broken_config, refuses it with 1290 and gets its databases from its primary.
        try:
            self.admin_query(f"CREATE DATABASE IF NOT EXISTS `{self._args.database}`")
        except pymysql.MySQLError as e:
            if e.args[0] != 1290:
                raise


# A role change ends client connections: CR_SERVER_GONE_ERROR, CR_SERVER_LOST, or refused at connect.
_ROLE_CHANGE_ERRORS = frozenset({2006, 2013})


@final
class Application:
    """The SQL surface of a test server (testingshim.ApplicationLayer)."""

    def __init__(self, server: _Base) -> None:
        self._server = server

    @property
    def sql_addr(self) -> tuple[str, int]:
        return self._server.sql_addr

    @property
    def database(self) -> str:
        return self._server.args.database

    def sql_conn(self, database: str | None = None, **kwargs: Any) -> Any:
        """An open pymysql connection (default database selected), closed when the server stops."""
        return self._server.connect(database, **kwargs)


@final
class System:
    """Node-level state of a test server, over SQL (testingshim.SystemLayer)."""

    def __init__(self, server: _Base) -> None:
        self._server = server

    def setting(self, name: str) -> Any:
        """@@GLOBAL.`name`."""
        return self._server.admin_query(f"SELECT @@GLOBAL.{_variable(name)}")[0]

    def set_setting(self, name: str, value: Any) -> None:
        self._server.admin_query(f"SET @@GLOBAL.{_variable(name)} = %s", (value,))

    def role(self) -> tuple[str, int]:
        """(cluster role, epoch)."""
        role, epoch = self._server.admin_query("SELECT @@GLOBAL.app_cluster_role, @@GLOBAL.app_cluster_role_epoch")
        return str(role), int(epoch)


def _variable(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"{name!r} is not a variable name")
    return name


async def _finish_tasks() -> None:
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


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
        self._frozen: threading.Event | None = None

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
            self._storage = Storage(config.data_dir, config.knob(StorageKnobs))
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

    def freeze(self) -> None:
        """The in-process SIGSTOP: the node's event loop is held (it replicates nothing) and its frontend
        frozen (its connections' threads answer nothing) until `thaw()`."""
        if self._loop is None or self.node is None or self._frozen is not None:
            return
        release, holding = threading.Event(), threading.Event()

        def hold() -> None:
            holding.set()
            release.wait()

        self._frozen = release
        if self.node is not None:
            self.node.frontend.freeze()  # its connections have threads of their own
        self._loop.call_soon_threadsafe(hold)
        if not holding.wait(scaled(10)):
            self.thaw()
            raise ServerTimeout(f"in-process server {self._n}'s event loop did not stop to freeze")

    def thaw(self) -> None:
        """The in-process SIGCONT."""
        release, self._frozen = self._frozen, None
        if release is not None:
            release.set()
            if self.node is not None:
                self.node.frontend.thaw()

    def _shutdown(self, *, close_storage: bool, graceful: bool = True) -> None:
        self.thaw()
        if self._thread is None:
            self._close_conns()
        if self._thread is not None and self._loop is not None:
            if self.node is not None:
                node = self.node
                with contextlib.suppress(Exception):
                    if graceful:
                        self._run(node.stop(close_storage=False), 10)
                    else:
                        self._run(node.kill(), 10)
            with contextlib.suppress(Exception):
                # What a kill cancelled but did not wait for ends here, before its loop closes (else
                # "Task was destroyed but it is pending!" at exit).
                self._run(_finish_tasks(), 10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(scaled(10))
            self._loop.close()
            # Only now: a client connection with a statement running would block its close (PyMySQL waits
            # for the reading thread) until the statement ended, and the node, not yet stopped, would not
            # end it. The node has cut them all.
            self._close_conns()
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

    def storage_layer(self) -> StorageView:
        if self._storage is None:
            raise RuntimeError("the test server is not started")
        return StorageView(self._storage)

    def log_text(self) -> str:
        return "\n".join(self._log_lines)


@final
class StorageView:
    """The databases' SQLite handles of an in-process server, for white-box assertions (testingshim.StorageLayer)."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    def databases(self) -> list[str]:
        return self._storage.names()

    def sqlite_handle(self, database: str) -> Any:
        """The apsw.Connection that anchors `database`."""
        db = self._storage.get(database)
        if db is None:
            raise KeyError(f"no database {database!r}; have {self._storage.names()}")
        return db.anchor

    def checksum(self, database: str) -> str:
        return self._storage.checksum(database)


class InProcessFactory:
    """Servers in the test's own process: milliseconds to start, white-box access to storage."""

    capabilities = InProcessTestServer.capabilities

    def new_server(self, args: TestServerArgs, *, name: str = "inprocess") -> InProcessTestServer:
        return InProcessTestServer(args, name)

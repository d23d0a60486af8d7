"""A node: configuration, storage, SQL engine and MySQL frontend, composed with injector.

Each part is bound by a module; a caller (a test, through `TestServerArgs`) can
pass further modules whose bindings override these, for example a pinned clock
or a storage that outlives the node.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

import injector

from app.sql import Engine, Storage, StorageKnobs

from ._cluster import Cluster, ClusterModule
from ._config import ServerConfig
from ._protocol import Frontend

logger = logging.getLogger("app.server")


class ConfigModule(injector.Module):
    """Binds the node's `ServerConfig`."""

    def __init__(self, config: ServerConfig) -> None:
        self._config = config

    def configure(self, binder: injector.Binder) -> None:
        binder.bind(ServerConfig, to=self._config)


class StorageModule(injector.Module):
    """Storage in the configured data directory, or in memory without one."""

    @injector.singleton
    @injector.provider
    def storage(self, config: ServerConfig) -> Storage:
        return Storage(config.data_dir, config.knob(StorageKnobs))


class SQLModule(injector.Module):
    """The SQL engine over the node's storage."""

    @injector.singleton
    @injector.provider
    def engine(self, storage: Storage) -> Engine:
        return Engine(storage)


class FrontendModule(injector.Module):
    """The MySQL protocol frontend, with the configured users."""

    @injector.singleton
    @injector.provider
    def frontend(self, engine: Engine, config: ServerConfig) -> Frontend:
        return Frontend(engine, config.users, tls=config.tls,
                        require_secure_transport=config.require_secure_transport)


class Node:
    """One server process's worth of state, run on an asyncio event loop."""

    @injector.inject
    def __init__(self, config: ServerConfig, engine: Engine, frontend: Frontend, cluster: Cluster,
                 injector_: injector.Injector) -> None:
        self.config = config
        self.engine = engine
        self.frontend = frontend
        self.cluster = cluster
        self.injector = injector_
        self.sql_addr: tuple[str, int] | None = None
        self.stopped = False

    async def start(self) -> tuple[str, int]:
        """Accept connections; returns the bound (host, port) and logs the ready line."""
        listener = self.config.listener
        # Replication first: a node that says it is ready can already be reached by its primary.
        await self.cluster.start()
        try:
            self.sql_addr = self.frontend.listen(listener.host, listener.port)
        except BaseException:
            self.cluster.kill()
            raise
        self.engine.globals["port"] = self.sql_addr[1]
        storage = self.engine.storage
        where = "in-memory storage" if storage.in_memory else f"data directory {storage.directory}"
        logger.info("ready for connections on %s:%d (%s)", self.sql_addr[0], self.sql_addr[1], where)
        return self.sql_addr

    async def stop(self, timeout: float = 5.0, *, close_storage: bool = True) -> None:
        """Graceful stop: stop accepting, finish running statements, close clients, close storage."""
        if self.stopped:
            return
        self.stopped = True
        await self.frontend.close(timeout)
        await self.cluster.stop()
        self.engine.close(close_storage=close_storage)
        logger.info("stopped")

    async def kill(self) -> None:
        """Drop the node with no shutdown work, as SIGKILL would: connections cut, nothing finished.

        As with a killed process, nothing of it runs on: its running statements are interrupted and
        its threads (connections', the statement watchdog) have ended when this returns.
        """
        if self.stopped:
            return
        self.stopped = True
        self.frontend.abort()
        self.cluster.kill()
        await self.frontend.ended()
        self.engine.close(close_storage=False)


def build_node(config: ServerConfig, modules: Iterable[injector.Module] = ()) -> Node:
    """Compose a node; later modules override the bindings of earlier ones."""
    inj = injector.Injector([ConfigModule(config), StorageModule(), SQLModule(), FrontendModule(), ClusterModule(),
                             *modules])
    return inj.get(Node)


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where installed: it halves the protocol's round trip (see DESIGN.md)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - platforms without uvloop
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()

"""What a test server is, as Protocols: the server package implements them, tests use them."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

from ._args import TestClusterArgs, TestServerArgs


@runtime_checkable
class ApplicationLayer(Protocol):
    """The SQL surface: what a client of the server sees."""

    @property
    def sql_addr(self) -> tuple[str, int]:
        """(host, port) of the MySQL protocol listener."""
        ...

    @property
    def database(self) -> str:
        """The test's default database (created at start; `sql_conn()` selects it)."""
        ...

    def sql_conn(self, database: str | None = None, **kwargs: Any) -> Any:
        """An open DB-API (pymysql) connection, closed when the server stops.

        `database=None` selects the default database; pass `database=""` for none.
        Keyword arguments go to `pymysql.connect` (for example `autocommit=True`).
        """
        ...


@runtime_checkable
class StorageLayer(Protocol):
    """The databases' SQLite handles, for white-box assertions (in-process servers only)."""

    def databases(self) -> list[str]: ...

    def sqlite_handle(self, database: str) -> Any:
        """The apsw.Connection that anchors `database` (use it from the test thread with care)."""
        ...

    def checksum(self, database: str) -> str:
        """A digest of the database's schema and rows; equal on nodes holding the same data."""
        ...


@runtime_checkable
class SystemLayer(Protocol):
    """Node-level state: settings (global variables) and the cluster role."""

    def setting(self, name: str) -> Any: ...

    def set_setting(self, name: str, value: Any) -> None: ...

    def role(self) -> tuple[str, int]:
        """(cluster role, epoch)."""
        ...


@runtime_checkable
class TestServer(Protocol):
    """A server a test started. A context manager; `stop()` is idempotent."""

    @property
    def args(self) -> TestServerArgs: ...

    @property
    def factory_name(self) -> str: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def restart(self) -> None:
        """Stop and start again, keeping data where the factory can (see capabilities)."""
        ...

    def kill(self) -> None:
        """End the server with no shutdown work at all (SIGKILL, or its in-process equivalent); data on
        disk (and an in-process server's sticky memory) stays for a later `start()`."""
        ...

    def application_layer(self) -> ApplicationLayer: ...

    def storage_layer(self) -> StorageLayer: ...

    def system_layer(self) -> SystemLayer: ...

    def log_text(self) -> str:
        """Everything the server logged so far."""
        ...

    def __enter__(self) -> TestServer: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


@runtime_checkable
class TestServerFactory(Protocol):
    """Makes test servers. `capabilities` lists what its servers can do beyond SQL."""

    capabilities: frozenset[str]

    def new_server(self, args: TestServerArgs, *, name: str) -> TestServer:
        """A server for `args`, not yet started."""
        ...


@runtime_checkable
class TestCluster(Protocol):
    """N nodes: node 0 primary, the others its standbys."""

    @property
    def num_nodes(self) -> int: ...

    def server(self, i: int) -> TestServer: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def stop_server(self, i: int) -> None: ...

    def restart_server(self, i: int) -> None: ...

    def kill_server(self, i: int) -> None: ...

    def wait_for_replication(self, timeout: float | None = None) -> None: ...

    def failover(self, to: int, *, demote: bool = True) -> None: ...

    def partition(self, *groups: Sequence[int]) -> None:
        """Cut every replication link between nodes of different groups (`partition([0], [1, 2])`)."""
        ...

    def heal(self) -> None:
        """Restore every link and remove every delay."""
        ...

    def delay(self, a: int, b: int, seconds: float) -> None:
        """Slow the links from node `a` to node `b` by `seconds`."""
        ...

    def freeze_server(self, i: int) -> None:
        """Stop node `i` without killing it (SIGSTOP or the in-process equivalent)."""
        ...

    def thaw_server(self, i: int) -> None: ...

    def start_writers(self, n: int = 1) -> WriterPool:
        """n clients writing numbered rows to the current primary, following failovers."""
        ...

    def __enter__(self) -> TestCluster: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


@runtime_checkable
class WriteHistory(Protocol):
    """What `TestCluster.start_writers(n).stop()` returns: every write and its outcome."""

    def summary(self) -> str: ...

    def assert_no_lost_writes(self, cluster: TestCluster, timeout: float | None = None) -> None:
        """Every acknowledged write is on the current primary and every running standby (names the missing)."""
        ...


@runtime_checkable
class WriterPool(Protocol):
    """Running writers (`TestCluster.start_writers`)."""

    @property
    def acknowledged(self) -> int: ...

    def stop(self) -> WriteHistory: ...


@runtime_checkable
class TestClusterFactory(Protocol):
    def new_cluster(self, num_nodes: int, args: TestClusterArgs, *, name: str) -> TestCluster: ...

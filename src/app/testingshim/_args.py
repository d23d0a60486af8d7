"""Arguments of test servers and clusters: plain, frozen data that any factory can honour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ._knobs import TestingKnobs

K = TypeVar("K", bound=TestingKnobs)

#: Capabilities a test may require of a factory (see `TestServerArgs.requires`).
CAPABILITIES = frozenset({"modules", "storage_layer", "restart", "sticky_memory"})


@dataclass(frozen=True)
class TestServerArgs:
    """What to start.

    Attributes:
        database: the default database, created at start and selected by `sql_conn()`.
        data_dir: keep databases there; None keeps them in memory.
        users: (name, password) pairs, or (name, password, plugin) with plugin `mysql_native_password`
            (the default) or `caching_sha2_password`; the first one is what `sql_conn()` logs in as.
        log_level: the server's log level.
        config: extra server configuration, as the YAML file would hold it (plain data).
        knobs: typed testing knobs, at most one per subsystem (see `TestingKnobs`); in-process servers
            honour them directly, subprocess servers through their configuration.
        modules: injector modules overriding the node's bindings (in-process servers only).
        requires: capabilities the test needs ("storage_layer", "modules", "restart",
            "sticky_memory"); under a factory without them the test is skipped with the reason.
        start_timeout: seconds to wait for readiness (scaled by APP_TEST_TIMEOUT_SCALE).
        secure: TLS on the server's SQL listener, with a certificate of the run's test CA, and
            `sql_conn()` verifying it; in a cluster where every node is secure, the replication links
            also use mutual TLS with that CA. None: the factory's choice (plaintext; `random` draws it
            from APP_TEST_SEED and the test's id).
    """

    __test__ = False

    database: str = "defaultdb"
    data_dir: str | None = None
    users: tuple[tuple[str, str] | tuple[str, str, str], ...] = (("root", ""),)
    log_level: str = "info"
    config: Mapping[str, Any] = field(default_factory=dict)
    knobs: tuple[TestingKnobs, ...] = ()
    modules: tuple[Any, ...] = ()
    requires: frozenset[str] = frozenset()
    start_timeout: float = 15.0
    secure: bool | None = None

    def __post_init__(self) -> None:
        unknown = set(self.requires) - CAPABILITIES
        if unknown:
            raise ValueError(f"unknown capabilities {sorted(unknown)}; known: {sorted(CAPABILITIES)}")
        seen: dict[str, TestingKnobs] = {}
        for knob in self.knobs:
            if not isinstance(knob, TestingKnobs):
                raise TypeError(f"knobs must be TestingKnobs instances (one per subsystem), not {knob!r}")
            if knob.subsystem in seen:
                raise ValueError(f"two knobs for subsystem {knob.subsystem!r}: {seen[knob.subsystem]!r} and {knob!r}")
            seen[knob.subsystem] = knob
        if self.modules and "modules" not in self.requires:
            object.__setattr__(self, "requires", frozenset(self.requires | {"modules"}))

    def knob(self, cls: type[K]) -> K | None:
        """The knobs of `cls`'s subsystem, if given."""
        return next((k for k in self.knobs if isinstance(k, cls)), None)


@dataclass(frozen=True)
class TestClusterArgs:
    """What cluster to start: per-node server args (node i uses `server_args[i]` or `default`)."""

    __test__ = False

    default: TestServerArgs = field(default_factory=TestServerArgs)
    server_args: Mapping[int, TestServerArgs] = field(default_factory=dict)
    ack_writes_timeout_secs: float = 0.0
    start_timeout: float = 30.0

    def for_node(self, i: int) -> TestServerArgs:
        return self.server_args.get(i, self.default)

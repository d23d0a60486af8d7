"""The registry of test server factories, and which one a test gets.

Selection, strongest first: `select_factory()` (the pytest option and marker
use it), then APP_TEST_SERVER_FACTORY, then "inprocess". `random` picks per
test from the seed and the test's id only, so one failing test rerun alone
with the same APP_TEST_SEED gets the same factory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import os
import random
import threading
from collections.abc import Callable
from typing import Any

from ._args import TestClusterArgs, TestServerArgs
from ._errors import FactoryNotRegistered, RequirementNotMet, TestingShimError
from ._protocols import TestCluster, TestClusterFactory, TestServer, TestServerFactory

ENV_FACTORY = "APP_TEST_SERVER_FACTORY"
ENV_SEED = "APP_TEST_SEED"
DEFAULT_FACTORY = "inprocess"
# Factories `random` does not choose: they need something from outside (a MySQL URL).
_NOT_RANDOM = frozenset({"external"})

_lock = threading.Lock()
_server_factories: dict[str, TestServerFactory] = {}
_cluster_factories: dict[str, TestClusterFactory] = {}
_override: str | None = None
_current_test = ""
_seed: int | None = None
_started_listeners: list[Callable[[Any], None]] = []


def init_test_server_factory(factory: TestServerFactory, *, name: str) -> None:
    """Register a server factory under `name` (conftest.py does this at load time)."""
    with _lock:
        _server_factories[name] = factory


def init_test_cluster_factory(factory: TestClusterFactory, *, name: str) -> None:
    """Register a cluster factory under `name`."""
    with _lock:
        _cluster_factories[name] = factory


def registered_server_factories() -> list[str]:
    return sorted(_server_factories)


def registered_cluster_factories() -> list[str]:
    return sorted(_cluster_factories)


def select_factory(name: str | None) -> None:
    """Override the environment's choice (None: back to the environment)."""
    global _override
    _override = name


def set_current_test(test_id: str) -> None:
    """Tell the shim which test runs now (the pytest plugin does), for `random` selection."""
    global _current_test
    _current_test = test_id


def seed() -> int:
    """The seed of every random choice the framework makes: APP_TEST_SEED, or drawn once."""
    global _seed
    if _seed is None:
        text = os.environ.get(ENV_SEED)
        if text:
            try:
                _seed = int(text)
            except ValueError:
                raise TestingShimError(f"{ENV_SEED}={text!r} is not a whole number") from None
        else:
            _seed = random.SystemRandom().randrange(1, 2**31)
            os.environ[ENV_SEED] = str(_seed)  # xdist workers and subprocesses inherit it
    return _seed


def _draw(what: str) -> int:
    """A number drawn from the run's seed and the current test's id (the same for a rerun with the seed)."""
    digest = hashlib.sha256(f"{seed()}:{_current_test}{what}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def resolve_secure(args: TestServerArgs) -> TestServerArgs:
    """`args` with `secure` decided: as given, else drawn from the seed under `random` (as CockroachDB
    randomizes its layers), else plaintext."""
    if args.secure is not None:
        return args
    name = _override or os.environ.get(ENV_FACTORY) or DEFAULT_FACTORY
    return dataclasses.replace(args, secure=name == "random" and _draw(":secure") % 2 == 1)


def selected_name(kind: str = "server") -> str:
    """The factory name a new server would come from, with `random` resolved for this test."""
    name = _override or os.environ.get(ENV_FACTORY) or DEFAULT_FACTORY
    if name != "random":
        return name
    pool = sorted(n for n in (_server_factories if kind == "server" else _cluster_factories) if n not in _NOT_RANDOM)
    if not pool:
        raise FactoryNotRegistered("random", [], kind)
    return pool[_draw("") % len(pool)]


def _resolve(name: str, table: dict[str, Any], kind: str) -> Any:
    factory = table.get(name)
    if factory is not None:
        return factory
    if ":" in name:
        module, _, attr = name.partition(":")
        try:
            obj = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as e:
            raise TestingShimError(f"cannot load factory {name!r}: {e}") from None
        factory = obj() if isinstance(obj, type) else obj
        with _lock:
            table[name] = factory
        return factory
    raise FactoryNotRegistered(name, sorted(table), kind)


def get_server_factory(name: str | None = None) -> tuple[str, TestServerFactory]:
    name = name or selected_name("server")
    return name, _resolve(name, _server_factories, "server")


def on_server_started(listener: Callable[[Any], None]) -> Callable[[], None]:
    """Call `listener(server)` for each server or cluster started; returns a function that unregisters it."""
    _started_listeners.append(listener)
    return lambda: _started_listeners.remove(listener) if listener in _started_listeners else None


def notify_started(obj: Any) -> None:
    for listener in list(_started_listeners):
        listener(obj)


def new_test_server(args: TestServerArgs | None = None) -> TestServer:
    """Start a test server from the selected factory and return it, started.

    Example::

        with testingshim.new_test_server() as srv:
            conn = srv.application_layer().sql_conn()
    """
    args = resolve_secure(args or TestServerArgs())
    name, factory = get_server_factory()
    missing = sorted(args.requires - factory.capabilities)
    if missing:
        raise RequirementNotMet(name, missing)
    server = factory.new_server(args, name=name)
    notify_started(server)
    server.start()
    return server


def start_cluster(num_nodes: int, args: TestClusterArgs | None = None) -> TestCluster:
    """Start `num_nodes` nodes (node 0 primary) from the selected cluster factory, ready."""
    args = args or TestClusterArgs()
    args = dataclasses.replace(args, default=resolve_secure(args.default),
                               server_args={i: resolve_secure(a) for i, a in args.server_args.items()})
    name = selected_name("cluster")
    if name in _NOT_RANDOM and name not in _cluster_factories:
        # The external server is one shared server: a test that needs a cluster is skipped, saying so.
        raise RequirementNotMet(name, ["a cluster of its own nodes"])
    if name not in _cluster_factories and ":" in name:
        # A custom server factory named by APP_TEST_SERVER_FACTORY=module:attr makes servers, not clusters.
        obj = _resolve(name, _server_factories, "server")
        if not hasattr(obj, "new_cluster"):
            raise RequirementNotMet(name, ["a cluster factory (it makes single servers only)"])
        with _lock:
            _cluster_factories[name] = obj
    factory: TestClusterFactory = _resolve(name, _cluster_factories, "cluster")
    cluster = factory.new_cluster(num_nodes, args, name=name)
    notify_started(cluster)
    cluster.start()
    return cluster

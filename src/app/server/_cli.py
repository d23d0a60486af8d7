"""`app sql-server`: run a node until SIGTERM or SIGINT, then shut down gracefully (exit 0).

A process that starts the server and wants to know, without polling, when it
accepts connections passes the write end of a pipe and names its number in
`APP_READY_FD` (`app._lifecycle.READY_FD_VARIABLE`): once the server listens it
writes `host port` and a newline there and closes it; if it dies first, the
reader sees end-of-file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import functools
import logging
import os
import signal
import sys

from ._config import DEFAULT_PORT, ConfigError, ServerConfig, load_config

logger = logging.getLogger("app.server")

#: The same name as app._lifecycle.READY_FD_VARIABLE (not imported: that module pulls in psutil).
_READY_FD_VARIABLE = "APP_READY_FD"


@functools.cache  # built once in the fork template, then shared by every fork
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="app", description="A MySQL-compatible SQL server on SQLite.")
    sub = parser.add_subparsers(dest="command", required=True)
    srv = sub.add_parser("sql-server", help="run the SQL server")
    srv.add_argument("--config", metavar="FILE", help="server configuration file (YAML)")
    srv.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    srv.add_argument("--port", type=int, help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free port)")
    srv.add_argument("--data-dir", metavar="DIR", help="keep databases in DIR (default: in memory)")
    srv.add_argument("--log-level", help="trace | debug | info | warning | error")
    tls = srv.add_argument_group("TLS (MariaDB's --ssl-* names work too)")
    tls.add_argument("--tls-cert", "--ssl-cert", metavar="FILE", help="the server's certificate (PEM)")
    tls.add_argument("--tls-key", "--ssl-key", metavar="FILE", help="its private key (PEM)")
    tls.add_argument("--tls-ca", "--ssl-ca", metavar="FILE", help="CA of client certificates (PEM; optional)")
    tls.add_argument("--require-secure-transport", action=argparse.BooleanOptionalAction, default=None,
                     help="refuse logins that do not use TLS (error 3159)")
    return parser


_early_signal: list[int] = []


def _remember_signal(signum: int, frame: object) -> None:
    _early_signal.append(signum)


def main(argv: list[str]) -> int:
    # A supervisor may stop us while we are still importing: remember it and exit 0 once up.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _remember_signal)
    ready_fd = _take_ready_fd()
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config) if args.config else ServerConfig()
        config = config.with_overrides(host=args.host, port=args.port, data_dir=args.data_dir,
                                       log_level=args.log_level, tls_cert=args.tls_cert, tls_key=args.tls_key,
                                       tls_ca=args.tls_ca, require_secure_transport=args.require_secure_transport)
    except ConfigError as e:
        print(f"app sql-server: error: {e}", file=sys.stderr)
        return 1
    from . import _logging

    _logging.configure(config.log_level)
    return run(config, ready_fd)


def _take_ready_fd() -> int | None:
    """The ready pipe named in the environment, kept from any process this one starts."""
    value = os.environ.pop(_READY_FD_VARIABLE, None)
    if value is None:
        return None
    try:
        fd = int(value)
        os.set_inheritable(fd, False)
    except (ValueError, OSError):
        return None  # not ours to use: readiness is then only the log line and the port
    return fd


def _announce_ready(fd: int, addr: tuple[str, int]) -> None:
    with contextlib.suppress(OSError):  # the starter gave up waiting: nothing to tell
        os.write(fd, f"{addr[0]} {addr[1]}\n".encode())
    with contextlib.suppress(OSError):
        os.close(fd)


def run(config: ServerConfig, ready_fd: int | None = None) -> int:
    """Serve until a signal; the process's exit code. `ready_fd`: a pipe to write the bound address to."""
    from app.sql import sweep_stale_ephemeral_dirs

    from ._node import new_event_loop

    if config.data_dir is None:
        sweep_stale_ephemeral_dirs()
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_serve(config, ready_fd))
    finally:
        loop.close()


async def _serve(config: ServerConfig, ready_fd: int | None) -> int:
    from ._node import build_node
    from ._replstandby import EndpointBindError

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if _early_signal:
        stop.set()
    try:
        node = build_node(config)
    except ConfigError as e:
        print(f"app sql-server: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        # The storage could not open its directory (a file there, no permission): one line, not a traceback.
        if config.data_dir is None:
            print(f"app sql-server: error: cannot create the in-memory storage: {e}", file=sys.stderr)
        else:
            print(f"app sql-server: error: cannot use the data directory {config.data_dir}: {e.strerror or e}; "
                  "choose another with --data-dir", file=sys.stderr)
        return 1
    try:
        addr = await node.start()
    except EndpointBindError as e:
        node.engine.close()
        print(f"app sql-server: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        # Nothing was served: release the storage without logging the "stopped" of a server that never
        # started, so that the error below stays the only line.
        node.engine.close()
        host, port = config.listener.host, config.listener.port
        if e.errno == errno.EADDRINUSE:
            print(f"app sql-server: error: port {port} on {host} is already in use; choose another with --port "
                  "(--port 0 picks a free one)", file=sys.stderr)
        else:
            print(f"app sql-server: error: cannot listen on {host}:{port}: {e.strerror}", file=sys.stderr)
        return 1
    if ready_fd is not None:
        _announce_ready(ready_fd, addr)
    await stop.wait()
    logger.info("shutting down")
    await node.stop()
    return 0

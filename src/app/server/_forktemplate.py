"""The fork template's own process: import the server once, then fork one server per request.

Started by `app._forkserver` (the test process's side) as
`python -c "from app.server._forktemplate import serve; serve()"` with one end of
a Unix socket pair as its stdin. Each request is one message: JSON, with the
write end of the server's ready pipe attached (SCM_RIGHTS) where it has one.
The template itself never runs a server and holds no state a fork could
inherit (no threads, no loop, no sockets, no open databases).

Where the milliseconds of a forked start went, and what this module does about each:
- a full garbage collection in every fork (~24 ms): the template's imports leave the collector's
  generation counts where the fork's first allocations trigger a collection of the oldest generation,
  which walks (and, touching reference counts, copies) every page of the imported heap. The template
  collects once and freezes what it has (`gc.freeze()`), so a fork's collections see only its own objects;
- the command line's parser and the configuration reader are built once, here, and the regular
  expressions they compile as they parse are compiled here too.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import socket
import sys
import time
from typing import Any

from app._lifecycle import READY_FD_VARIABLE

#: The largest request (argv, environment, paths): a fork's environment is the test process's.
MAX_REQUEST = 1 << 20


def serve() -> None:  # pragma: no cover - runs in the template process
    """The template: import the server, then fork one server per request until the socket closes."""
    import app.server._cli
    import app.server._config
    import app.server._logging
    import app.server._node
    import app.sql

    # What every server's start would otherwise import or build on its own: the YAML reader (and its
    # regular expressions, warmed by reading a configuration), the command line's parser, the event loop.
    app.server._config.parse_config("log_level: info\nusers: [{name: root, password: ''}]\n", "<template>")
    # Parsing compiles regular expressions of its own, one per shape of command line: warmed for the shapes
    # the framework starts (the subprocess factory's; a scenario's with and without a configuration file).
    for argv in (["--config", "c", "--host", "h", "--port", "0"], ["--config", "c", "--port", "0"], ["--port", "0"],
                 ["--data-dir", "d", "--port", "0"]):
        app.server._cli._parser().parse_args(["sql-server", *argv])
    with contextlib.suppress(ImportError):
        import uvloop  # noqa: F401

    gc.collect()
    gc.freeze()
    channel = socket.socket(fileno=0)
    exits: dict[int, int] = {}
    # Reaped as soon as they exit, as a plain start's parent would: a fork's zombie would otherwise stay
    # until the next request, and whoever waits for the pid to vanish (psutil's wait) would wait in vain.
    signal.signal(signal.SIGCHLD, lambda signum, frame: _reap(exits))
    channel.send(b'{"ready": true}')
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(channel, MAX_REQUEST, 1)
        except OSError:
            return
        if not data:
            return
        req = json.loads(data)
        _reap(exits)
        if req["op"] == "spawn":
            ready_fd = fds[0] if fds else None
            pid = os.fork()
            if pid == 0:
                channel.close()
                _child(req, ready_fd, app.server._cli.main)
            if ready_fd is not None:
                os.close(ready_fd)  # the fork's copy is the only one: its exit is the test process's end-of-file
            reply: dict[str, Any] = {"pid": pid}
        else:
            for fd in fds:
                os.close(fd)
            pid = int(req["pid"])
            reply = {"code": exits.get(pid)}
        channel.send(json.dumps(reply).encode())


def _reap(exits: dict[int, int]) -> None:  # pragma: no cover - runs in the template process
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        exits[pid] = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _child(req: dict[str, Any], ready_fd: int | None, main: Any) -> None:  # pragma: no cover - runs in a fork
    code = 1
    try:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDONLY)
        out = os.open(req["output"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(devnull)
        os.close(out)
        sys.stdin = open(os.devnull)
        # Line by line, as a plain start under PYTHONUNBUFFERED would write: a killed server loses nothing it
        # printed (the template's stdout was a pipe, so block-buffered).
        with contextlib.suppress(AttributeError, ValueError):
            sys.stdout.reconfigure(line_buffering=True, write_through=True)  # type: ignore[union-attr]
        os.chdir(req["cwd"])
        env = dict(req["env"])
        if ready_fd is not None:
            env[READY_FD_VARIABLE] = str(ready_fd)  # its number here, not in the test process
        # The request's environment, changing only what differs (each change is a putenv: most are equal).
        for key in [k for k in os.environ if k not in env]:
            del os.environ[key]
        for key, value in env.items():
            if os.environ.get(key) != value:
                os.environ[key] = value
        time.tzset()  # the C library read TZ once, in the template: a server's own TZ must count
        # The handlers a fresh Python process starts with. Not SIG_DFL for SIGPIPE: Python ignores it
        # (a write to a closed socket raises EPIPE); with SIG_DFL a standby that acknowledged an entry
        # on a stream its primary had just closed (a freeze, a partition) died at once, silently.
        for sig, handler in ((signal.SIGTERM, signal.SIG_DFL), (signal.SIGCHLD, signal.SIG_DFL),
                             (signal.SIGINT, signal.default_int_handler), (signal.SIGPIPE, signal.SIG_IGN),
                             (signal.SIGXFSZ, signal.SIG_IGN)):
            signal.signal(sig, handler)
        sys.argv = ["app", *req["argv"]]
        code = main(req["argv"])
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)

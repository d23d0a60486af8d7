"""No orphans: every child the framework starts dies with the process that started it, however it dies.

A process that starts servers gets one watchdog: a tiny stdlib-only Python
process, in a session of its own, whose stdin is a pipe from its parent (the
lifeline). The parent tells it each child it starts (pid and tag) and each it
stopped. When the lifeline reaches end-of-file (the parent exited, was
SIGKILLed, crashed) the watchdog SIGKILLs every child's process group and
every process carrying a child's tag (a daemonized grandchild such as
debugpy's adapter), removes the parent's run directory, and exits.

PR_SET_PDEATHSIG would not do: it fires when the parent *thread* ends, and
the framework starts servers from worker threads (a cluster starts its nodes
in parallel); and it reaches only the direct child, not `command:` servers'
own children.

Run directories: every temporary directory the framework makes lives under
`run_dir()`, one directory per process, holding a lock file the process keeps
locked while it lives. The next run sweeps directories whose lock is free
(their owner is dead), so even a run whose watchdog was killed too leaves
nothing behind for long.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Final

RUNS_PREFIX: Final = "app-run-"

# The watchdog itself: stdlib only, started with -I -S so that it costs a few milliseconds.
_PROGRAM: Final = r"""
import os, shutil, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
children = {}
dirs = set()
for line in sys.stdin.buffer:
    op, _, rest = line.decode(errors="replace").rstrip("\n").partition(" ")
    if op == "+":
        pid, _, rest = rest.partition(" ")
        started, _, tag = rest.partition(" ")
        children[int(pid)] = (started, tag)
    elif op == "-":
        children.pop(int(rest), None)
    elif op == "d":
        dirs.add(rest)
def started_at(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None
tags = {t for _, t in children.values() if t}
for pid, (started, _) in children.items():
    now = started_at(pid) if started != "-" else None
    if now is not None and now != started:
        # The number names another process now (the child died unnoticed): neither it nor a group of
        # ours can carry the number any more, since Linux reuses no pid that a live group still holds.
        continue
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass
if tags:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        for item in env:
            if item.startswith(b"APP_PROCESS_TAG=") and item[16:].decode(errors="replace") in tags:
                try:
                    os.kill(int(entry), signal.SIGKILL)
                except OSError:
                    pass
for d in dirs:
    shutil.rmtree(d, ignore_errors=True)
"""

_lock = threading.Lock()
_watchdog: subprocess.Popen[bytes] | None = None
_pipe: IO[bytes] | None = None
_run_dir: Path | None = None
_run_lock: IO[bytes] | None = None


def _send(line: str) -> None:
    global _watchdog, _pipe
    with _lock:
        if _pipe is None or _watchdog is None or _watchdog.poll() is not None:
            _watchdog = subprocess.Popen([sys.executable, "-I", "-S", "-c", _PROGRAM], stdin=subprocess.PIPE,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         start_new_session=True, close_fds=True)
            _pipe = _watchdog.stdin
            assert _pipe is not None
            if _run_dir is not None:
                _pipe.write(f"d {_run_dir}\n".encode())
        with contextlib.suppress(OSError):
            _pipe.write(line.encode() + b"\n")
            _pipe.flush()


def adopt(pid: int, tag: str = "") -> None:
    """Kill process group `pid` (and processes tagged `tag`) when this process dies."""
    # With its start time, so that the watchdog never kills another process that got the number later.
    _send(f"+ {pid} {started_at(pid) or '-'} {tag}")


def started_at(pid: int) -> str | None:
    """When process `pid` started (Linux: clock ticks since boot, from /proc); None where that is unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def release(pid: int) -> None:
    """`pid` was stopped and reaped: forget it (its number may be reused)."""
    _kept.discard(pid)
    if _pipe is not None:
        _send(f"- {pid}")


def watchdog_pid() -> int | None:
    """The watchdog's pid, once one runs (for tests)."""
    return None if _watchdog is None else _watchdog.pid


_kept: set[int] = set()


def keep(pid: int) -> None:
    """`pid` is the framework's own, for the whole run (the fork template): no test's leak."""
    _kept.add(pid)


def own_resources() -> tuple[frozenset[int], frozenset[str]]:
    """(pids, open file paths) the framework keeps for the life of the process: not a test's leak."""
    pids = frozenset(({_watchdog.pid} if _watchdog is not None else set()) | _kept)
    files = frozenset({str(_run_dir / ".lock")} if _run_dir is not None else ())
    return pids, files


def run_dir() -> Path:
    """This process's directory for temporary files; removed when it ends, or swept by the next run."""
    global _run_dir, _run_lock
    with _lock:
        if _run_dir is not None and _run_dir.is_dir():
            return _run_dir
        base = Path(tempfile.gettempdir())
        sweep(base)
        # Made under a name the sweep does not match, locked, then renamed into view: a sweep in
        # another process must never find the directory before its lock is held (it would take
        # the directory for a dead run's and remove it under us).
        hidden = Path(tempfile.mkdtemp(prefix=f".{RUNS_PREFIX}{os.getpid()}-", dir=base))
        _run_lock = _lock_file(hidden)
        path = hidden.with_name(hidden.name[1:])
        hidden.rename(path)
        _run_dir = path
    # Starts the watchdog if none runs yet: the directory goes with this process even if no child ever starts.
    _send(f"d {path}")
    return path


def _lock_file(path: Path) -> IO[bytes] | None:
    if sys.platform == "win32":
        return None
    import fcntl

    fh = open(path / ".lock", "wb")
    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fh


def sweep(base: Path) -> list[Path]:
    """Remove the run directories under `base` whose owner is dead (their lock is free). The ones removed."""
    if sys.platform == "win32":
        return []
    import fcntl

    removed = []
    for path in base.glob(f"{RUNS_PREFIX}*"):
        lock = path / ".lock"
        try:
            fh = open(lock, "rb")
        except OSError:
            continue  # being created right now, or not ours
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its owner lives
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            fh.close()
    return removed


def _after_fork_in_child() -> None:
    # A forked child must not speak for its parent on the lifeline, nor hold the parent's run lock.
    global _watchdog, _pipe, _run_dir, _run_lock
    for fh in (_pipe, _run_lock):
        if fh is not None:
            with contextlib.suppress(OSError):
                os.close(fh.fileno())
            # Never collected: closing the object again could close an unrelated file that reused the number.
            _closed_at_fork.append(fh)
    _watchdog = None
    _pipe = None
    _run_lock = None
    _run_dir = None


_closed_at_fork: list[IO[bytes]] = []


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

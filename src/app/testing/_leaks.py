"""What a test leaves behind: threads, child processes, sockets and files it created.

A snapshot is taken before every test and compared after each test that started a server,
so it must be cheap: on Linux it reads this process's own /proc entries (its threads'
`children` lists and its file descriptors) rather than scanning every process on the
machine and the kernel's socket tables, as psutil's `children()`, `net_connections()` and
`open_files()` do (about 4 ms per snapshot on a busy machine). psutil describes what leaked,
once something did.
"""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import dataclass

import psutil

from app import _ports, _watchdog
from app._lifecycle import descendants


@dataclass(frozen=True)
class Snapshot:
    threads: frozenset[int]
    children: frozenset[int]
    # What the process's file descriptors point at: "socket:[inode]", "pipe:[...]", a path, ...
    handles: frozenset[str]

    def including(self, now: Snapshot, *, besides: Snapshot) -> Snapshot:
        """This baseline plus what `now` has that `besides` had not (a shared server that a test did not own)."""
        return Snapshot(
            threads=self.threads | (now.threads - besides.threads),
            children=self.children | (now.children - besides.children),
            handles=self.handles | (now.handles - besides.handles),
        )


def _children(pid: int) -> frozenset[int]:
    """The descendants of `pid` (`_lifecycle.descendants`: each thread's /proc children list, psutil without one)."""
    return frozenset(descendants(pid))


def _handles(pid: int) -> dict[int, str]:
    """File descriptor -> what it points at."""
    base = f"/proc/{pid}/fd"
    try:
        fds = os.listdir(base)
    except OSError:
        return _handles_by_psutil(pid)
    out: dict[int, str] = {}
    for fd in fds:
        try:
            out[int(fd)] = os.readlink(f"{base}/{fd}")
        except OSError:
            continue  # closed meanwhile
    return out


def _handles_by_psutil(pid: int) -> dict[int, str]:
    proc = psutil.Process(pid)
    out = {f.fd: f.path for f in proc.open_files()}
    out.update({c.fd: f"socket:{c.laddr}->{c.raddr}" for c in proc.net_connections(kind="inet")})
    return out


def snapshot() -> Snapshot:
    pid = os.getpid()
    return Snapshot(
        threads=frozenset(t.ident or 0 for t in threading.enumerate()),
        children=_children(pid),
        handles=frozenset(_handles(pid).values()),
    )


def _is_regular_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def leaks(before: Snapshot) -> list[str]:
    """What exists now that did not before, described for a failure message."""
    pid = os.getpid()
    found = []
    for t in threading.enumerate():
        if (t.ident or 0) not in before.threads and t.is_alive():
            found.append(f"thread {t.name!r} (daemon={t.daemon}) is still running")
    own_pids, own_files = _watchdog.own_resources()  # the framework's lifeline, kept for the whole run
    own_files = own_files | _ports.claim_files()  # port claims, held until the process exits
    for child in sorted(_children(pid) - before.children - own_pids):
        try:
            found.append(f"child process {child} is still running: {' '.join(psutil.Process(child).cmdline())}")
        except psutil.NoSuchProcess:
            continue
    handles = _handles(pid)
    new = {fd: target for fd, target in handles.items() if target not in before.handles}
    if any(target.startswith("socket:") for target in new.values()):
        sockets = []
        for c in psutil.Process(pid).net_connections(kind="inet"):  # TCP and UDP only, as before
            if c.fd in new and c.status != psutil.CONN_TIME_WAIT:
                local = f"{c.laddr.ip}:{c.laddr.port}" if c.laddr else ""
                remote = f"{c.raddr.ip}:{c.raddr.port}" if c.raddr else c.status
                sockets.append(f"socket {local} -> {remote} is still open")
        found += sorted(sockets)
    for path in sorted({t for t in new.values() if t.startswith("/") and _is_regular_file(t)} - own_files):
        found.append(f"file {path} is still open")
    return found

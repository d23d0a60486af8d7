"""What a test leaves behind: threads, child processes, sockets and files it created."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class Snapshot:
    threads: frozenset[int]
    children: frozenset[int]
    sockets: frozenset[tuple[str, str]]
    files: frozenset[str]

    def including(self, now: Snapshot, *, besides: Snapshot) -> Snapshot:
        """This baseline plus what `now` has that `besides` had not (a shared server that a test did not own)."""
        return Snapshot(
            threads=self.threads | (now.threads - besides.threads),
            children=self.children | (now.children - besides.children),
            sockets=self.sockets | (now.sockets - besides.sockets),
            files=self.files | (now.files - besides.files),
        )


def _sockets(proc: psutil.Process) -> frozenset[tuple[str, str]]:
    out = set()
    for c in proc.net_connections(kind="inet"):
        local = f"{c.laddr.ip}:{c.laddr.port}" if c.laddr else ""
        remote = f"{c.raddr.ip}:{c.raddr.port}" if c.raddr else ""
        out.add((local, remote or c.status))
    return frozenset(out)


def snapshot() -> Snapshot:
    proc = psutil.Process(os.getpid())
    return Snapshot(
        threads=frozenset(t.ident or 0 for t in threading.enumerate()),
        children=frozenset(p.pid for p in proc.children(recursive=True)),
        sockets=_sockets(proc),
        files=frozenset(f.path for f in proc.open_files()),
    )


def leaks(before: Snapshot) -> list[str]:
    """What exists now that did not before, described for a failure message."""
    proc = psutil.Process(os.getpid())
    found = []
    for t in threading.enumerate():
        if (t.ident or 0) not in before.threads and t.is_alive():
            found.append(f"thread {t.name!r} (daemon={t.daemon}) is still running")
    for child in proc.children(recursive=True):
        if child.pid not in before.children:
            try:
                found.append(f"child process {child.pid} is still running: {' '.join(child.cmdline())}")
            except psutil.NoSuchProcess:
                continue
    for local, remote in sorted(_sockets(proc) - before.sockets):
        if remote == "TIME_WAIT":
            continue
        found.append(f"socket {local} -> {remote} is still open")
    for path in sorted(f.path for f in proc.open_files() if f.path not in before.files):
        found.append(f"file {path} is still open")
    return found

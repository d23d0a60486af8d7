"""Free ports for servers that must keep their port across restarts, never handed out twice on this machine.

A cluster's replication ports are chosen before its nodes start and written into their configuration, so a
node that restarts binds the same port again. Two things can take such a port in between, and both happened
in CI ("address already in use" on restart):

- the kernel's ephemeral range: every outgoing connection (a test's client, a peer's replication link) gets
  a source port from it, so a port chosen there can be taken by any connection on the machine;
- another process of the run (an xdist worker, a second run) choosing the same port.

So ports come from below the ephemeral range, which the kernel never hands out on its own, and each one is
claimed machine-wide by an exclusive lock on a file named after it in the temporary directory, held until
the process that chose it exits (the kernel drops the lock then, also on SIGKILL). A probe bind checks that
nothing listens on the port now. Dolt's runner draws from a fixed pool without any claim, so two runs on one
machine collide; here they cannot.
"""

from __future__ import annotations

import os
import random
import socket
import sys
import tempfile
import threading
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: claims hold within this process only
    fcntl = None  # type: ignore[assignment]

_lock = threading.Lock()
_handed_out: set[int] = set()
# The open lock files: closing one would release its claim, so they live as long as the process.
_claims: list[IO[bytes]] = []
# The lowest port we use: below it live the well-known services (3306 among them).
_LOWEST = 10000


def claim_files() -> frozenset[str]:
    """The lock files this process holds open on purpose (the leak check of the test framework skips them)."""
    with _lock:
        return frozenset(f.name for f in _claims if isinstance(f.name, str))


def _ephemeral_range() -> tuple[int, int]:
    """The kernel's range of ports for outgoing connections (Linux says; others use IANA's)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
                low, high = (int(x) for x in f.read().split())
                return low, high
        except (OSError, ValueError):
            pass
    return 49152, 65535


def _candidate_ranges() -> list[range]:
    """Port ranges outside the ephemeral range, the larger first."""
    low, high = _ephemeral_range()
    ranges = [range(_LOWEST, low), range(high + 1, 65536)]
    ranges = [r for r in ranges if len(r) >= 100]
    ranges.sort(key=len, reverse=True)
    # A kernel whose ephemeral range covers everything leaves no choice but to ask it for a port.
    return ranges


def _claim(port: int) -> bool:
    """Claim `port` for this process machine-wide; False if another live process holds it."""
    if fcntl is None:
        return True
    directory = os.path.join(tempfile.gettempdir(), f"app-ports-{os.getuid()}")
    os.makedirs(directory, mode=0o700, exist_ok=True)
    f = open(os.path.join(directory, str(port)), "ab")  # held open: closing it drops the claim
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        return False
    _claims.append(f)
    return True


def _listening_possible(host: str, port: int) -> bool:
    """Whether a server could bind `port` on `host` now (SO_REUSEADDR, as servers bind)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _kernel_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
    return port


def free_port(host: str = "127.0.0.1") -> int:
    """A port on `host` that nothing listens on now, outside the kernel's ephemeral range, claimed for this process.

    No other process that uses free_port gets it while this process lives, and no outgoing connection
    takes it as its source port, so a server may stop and bind it again later.
    """
    rng = random.Random()  # seeded from the OS: two processes start their search at different ports
    with _lock:
        for ports in _candidate_ranges():
            for _ in range(200):
                port = rng.choice(ports)
                if port in _handed_out or not _listening_possible(host, port):
                    continue
                if _claim(port):
                    _handed_out.add(port)
                    return port
        # No room outside the ephemeral range: the kernel's choice, claimed like any other.
        for _ in range(1000):
            port = _kernel_port(host)
            if port not in _handed_out and _claim(port):
                _handed_out.add(port)
                return port
    raise OSError(f"no free port on {host} that this machine's runs have not claimed")

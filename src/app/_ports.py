"""Free ports that the operating system handed out, never the same one twice in this process.

Dolt's runner draws ports from a fixed pool, so two runs on one machine (or
two xdist workers) collide. Here the kernel picks: bind port 0, read the port
back, close. The port is free at that moment; the server binds it soon after.
A process-wide registry keeps one run from handing a port out twice, which the
kernel may otherwise do once the probe socket is closed.
"""

from __future__ import annotations

import socket
import threading

_lock = threading.Lock()
_handed_out: set[int] = set()


def free_port(host: str = "127.0.0.1") -> int:
    """A port on `host` that nothing listens on now and that this process has not handed out before."""
    with _lock:
        for _ in range(1000):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind((host, 0))
                port: int = s.getsockname()[1]
            if port not in _handed_out:
                _handed_out.add(port)
                return port
    raise OSError(f"the operating system offered no port on {host} that this run has not used yet")

"""The network between test nodes, owned by the framework: one TCP proxy per directed link.

Node a reaches node b's replication endpoint only through the proxy of link
(a, b), which forwards bytes unchanged both ways (so whatever the nodes speak
over it, TLS or a secret included, keeps working). The proxies run in the test
process, so the same faults work for in-process nodes and for subprocesses:

- `cut(a, b)` / `restore(a, b)`: the link's connections are closed and new
  ones refused (closed at once) until it is restored: a partition;
- `set_delay(a, b, seconds)`: every byte travelling from a to b (on link (a, b),
  and the replies on link (b, a)) arrives `seconds` later, in order.

Standard library only: the scenario runner uses it too.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterable
from typing import Final, final

_CHUNK: Final = 65536


@final
class _Pump:
    """Copies one direction of a connection, holding each chunk back by the link's current delay."""

    def __init__(self, src: socket.socket, dst: socket.socket, delay: _Delay, name: str) -> None:
        self.src, self.dst, self.delay = src, dst, delay
        self._queue: list[tuple[float, int, bytes]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._eof = False
        self.reader = threading.Thread(target=self._read, name=f"{name}-read", daemon=True)
        self.writer = threading.Thread(target=self._write, name=f"{name}-write", daemon=True)

    def start(self) -> None:
        self.reader.start()
        self.writer.start()

    def _read(self) -> None:
        try:
            while True:
                data = self.src.recv(_CHUNK)
                if not data:
                    break
                with self._cond:
                    # Never earlier than what is queued: a shorter new delay must not reorder bytes.
                    due = time.monotonic() + self.delay.seconds
                    if self._queue:
                        due = max(due, max(d for d, _, _ in self._queue))
                    heapq.heappush(self._queue, (due, next(self._seq), data))
                    self._cond.notify()
        except OSError:
            pass
        finally:
            with self._cond:
                self._eof = True
                self._cond.notify()

    def _write(self) -> None:
        try:
            while True:
                with self._cond:
                    while not self._queue and not self._eof:
                        self._cond.wait()
                    if not self._queue:
                        break
                    due, _, data = self._queue[0]
                    wait = due - time.monotonic()
                    if wait > 0:
                        self._cond.wait(wait)  # woken early only by new data; the loop looks again
                        continue
                    heapq.heappop(self._queue)
                self.dst.sendall(data)
            with contextlib.suppress(OSError):
                self.dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


@final
class _Delay:
    """The delay of one direction, read by its pumps for each chunk (so changing it takes effect at once)."""

    def __init__(self) -> None:
        self.seconds = 0.0


@final
class LinkProxy:
    """The path of one directed link: listens on 127.0.0.1 (port 0), forwards to `target`."""

    def __init__(self, name: str, target: tuple[str, int], forward: _Delay, backward: _Delay) -> None:
        self.name = name
        self.target = target
        self._forward = forward
        self._backward = backward
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self.cut = False
        self._closed = False
        self._acceptor = threading.Thread(target=self._accept, name=f"proxy-{name}", daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                refuse = self.cut or self._closed
            if refuse:
                _abort(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _abort(client)  # the node is down: as if it refused the connection itself
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self.cut or self._closed:
                    _abort(client)
                    _abort(upstream)
                    continue
                self._conns.update((client, upstream))
                pumps = [_Pump(client, upstream, self._forward, f"proxy-{self.name}-fwd"),
                         _Pump(upstream, client, self._backward, f"proxy-{self.name}-back")]
                self._threads = [t for t in self._threads if t.is_alive()]
                for pump in pumps:
                    pump.start()
                    self._threads += [pump.reader, pump.writer]

    def set_cut(self, cut: bool) -> None:
        """Cut: close every connection and refuse new ones; restore: accept again."""
        with self._lock:
            self.cut = cut
            conns = list(self._conns) if cut else []
            if cut:
                self._conns.clear()
        for s in conns:
            _abort(s)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            conns = list(self._conns)
            self._conns.clear()
            threads = list(self._threads)
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for s in conns:
            _abort(s)
        self._acceptor.join(5)
        for t in threads:
            t.join(5)


def _abort(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        s.close()


@final
class Network:
    """The proxies of every directed link between named nodes, and the faults on them."""

    def __init__(self) -> None:
        self._links: dict[tuple[str, str], LinkProxy] = {}
        self._delays: dict[tuple[str, str], _Delay] = {}
        self._lock = threading.Lock()

    def _delay(self, a: str, b: str) -> _Delay:
        return self._delays.setdefault((a, b), _Delay())

    def link(self, a: str, b: str, target: tuple[str, int]) -> int:
        """The port node `a` connects to in order to reach `target` (node `b`'s endpoint)."""
        with self._lock:
            proxy = self._links.get((a, b))
            if proxy is None or proxy.target != target:
                if proxy is not None:
                    proxy.close()
                proxy = LinkProxy(f"{a}->{b}", target, self._delay(a, b), self._delay(b, a))
                self._links[(a, b)] = proxy
            return proxy.port

    def partition(self, groups: Iterable[Iterable[str]]) -> None:
        """Cut every link between nodes of different groups; heal the links inside each group.

        Nodes named in no group form a group of their own.
        """
        group_of: dict[str, int] = {}
        for i, group in enumerate(groups):
            for name in group:
                if name in group_of:
                    raise ValueError(f"{name!r} is in two groups of the partition")
                group_of[name] = i
        loners = itertools.count(len(group_of) + 1000)
        with self._lock:
            links = dict(self._links)
        for (a, b), proxy in links.items():
            ga = group_of.get(a, next(loners))
            gb = group_of.get(b, next(loners))
            proxy.set_cut(ga != gb)

    def heal(self) -> None:
        """Restore every link and remove every delay."""
        with self._lock:
            links = list(self._links.values())
            delays = list(self._delays.values())
        for proxy in links:
            proxy.set_cut(False)
        for d in delays:
            d.seconds = 0.0

    def set_delay(self, a: str, b: str, seconds: float) -> None:
        """Bytes from `a` to `b` arrive `seconds` later (0 removes the delay)."""
        if seconds < 0:
            raise ValueError(f"a delay cannot be negative: {seconds}")
        with self._lock:
            self._delay(a, b).seconds = float(seconds)

    def is_cut(self, a: str, b: str) -> bool:
        proxy = self._links.get((a, b))
        return proxy is not None and proxy.cut

    def close(self) -> None:
        with self._lock:
            links = list(self._links.values())
            self._links.clear()
        for proxy in links:
            proxy.close()

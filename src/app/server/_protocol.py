"""The MySQL frontend: a listening socket, and a thread per client connection.

Why our own protocol rather than mysql-mimic's: mysql-mimic looped forever on a user name without
its NUL terminator and on short COM_FIELD_LIST / COM_CHANGE_USER payloads, misframed packets of
16 MiB and more, refused re-executes without parameter types, and ran every connection on one
event loop, where one slow statement stalled every client. Here each connection has a thread with a
blocking socket (apsw releases the GIL while SQLite works): a statement blocks only its own client,
and a thread that waits costs no CPU. The packets live in `_wire`, `_handshake`, `_packets`,
`_binary`, `_prepared` and `_literals`; a connection's command loop in `_connection`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from typing import Any, final

from app.sql import Engine, Session, SQLError, Variable, VirtualTable
from app.sql._variables import as_bool, as_int

from . import _tls
from ._accountauth import StoreCredentials
from ._auth import Authenticator, Credentials
from ._config import ConfigError, TLSConfig, UserConfig
from ._connection import ClientConnection
from ._packets import SERVER_CAPABILITIES, SSL, err
from ._prepared import StatementCounter
from ._watchdog import KILLED, SHUTDOWN, Watchdog

logger = logging.getLogger("app.server.protocol")

# MariaDB lets one connection more than max_connections in (for an administrator to look around).
_EXTRA_CONNECTIONS = 1


@final
class Frontend:
    """Accepts MySQL clients for one engine; `close()` drains them gracefully."""

    def __init__(self, engine: Engine, users: Iterable[UserConfig], *, tls: TLSConfig | None = None,
                 require_secure_transport: bool = False, credentials: Credentials | None = None) -> None:
        self.engine = engine
        self.accounts = engine.accounts
        # The config's users are the bootstrap accounts: every privilege, the configured password and plugin.
        engine.accounts.bootstrap((u.name, u.password, u.plugin) for u in users)
        self.authenticator = Authenticator(credentials if credentials is not None
                                           else StoreCredentials(engine.accounts))
        self.capabilities = SERVER_CAPABILITIES
        # TLS on this listener (CLIENT_SSL advertised, SSLRequest upgraded; see _tls), if configured.
        if require_secure_transport and tls is None:
            raise ConfigError("require_secure_transport needs TLS: configure tls: {cert, key}",
                              key="require_secure_transport")
        self.tls_context: ssl.SSLContext | None = None
        self.tls_dates = ("", "")
        if tls is not None:
            self.tls_context = _tls.server_context(tls)
            self.tls_dates = _tls.certificate_dates(tls.cert)
            self.capabilities |= SSL
        self._define_tls_variables(tls, require_secure_transport)
        self.statement_counter = StatementCounter()
        self.started = time.monotonic()
        self.watchdog = Watchdog()
        for var in (Variable("connect_timeout", 10, scope="global", convert=as_int),
                    Variable("max_prepared_stmt_count", 16382, scope="global", convert=as_int)):
            if var.name not in engine.variables:
                engine.define_variable(var)
        engine.add_virtual_table("information_schema", VirtualTable(
            "PROCESSLIST", "CREATE TABLE PROCESSLIST (ID bigint, USER varchar(128), HOST varchar(64), DB varchar(64), "
            "COMMAND varchar(16), TIME int, STATE varchar(64), INFO longtext)",
            lambda: [s.process_row(True) for s in engine.processes.states()]))
        self._lock = threading.Lock()
        self._connections: dict[int, ClientConnection] = {}
        self._threads: dict[int, threading.Thread] = {}
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._closed = False
        # Cleared while the node is frozen (a test's SIGSTOP of an in-process server): no connection
        # is accepted or served until it is set again.
        self.running = threading.Event()
        self.running.set()

    def global_value(self, name: str, default: Any) -> Any:
        return self.engine.globals.get(name, default)

    def _define_tls_variables(self, tls: TLSConfig | None, require_secure_transport: bool) -> None:
        engine = self.engine

        def refuse_without_tls(value: Any) -> None:
            if value and tls is None:
                raise SQLError(4167, "No secure transports are configured, unable to set "
                                     "--require_secure_transport=ON")

        for var in (Variable("require_secure_transport", 0, scope="global", convert=as_bool,
                             on_set=refuse_without_tls),
                    Variable("have_openssl", "YES", scope="global", read_only=True),
                    Variable("ssl_cert", "", scope="global", read_only=True),
                    Variable("ssl_key", "", scope="global", read_only=True),
                    Variable("ssl_ca", "", scope="global", read_only=True),
                    Variable("tls_version", _tls.TLS_VERSIONS, scope="global", read_only=True),
                    Variable("version_ssl_library", ssl.OPENSSL_VERSION, scope="global", read_only=True)):
            engine.define_variable(var)
        values = engine.globals
        values["require_secure_transport"] = int(require_secure_transport)
        # MariaDB: YES when TLS is configured and works, DISABLED when it could be but is not.
        values["have_ssl"] = "YES" if tls is not None else "DISABLED"
        values["ssl_cert"] = tls.cert if tls is not None else ""
        values["ssl_key"] = tls.key if tls is not None else ""
        values["ssl_ca"] = (tls.ca or "") if tls is not None else ""

    def require_secure_transport(self) -> bool:
        return bool(self.engine.globals.get("require_secure_transport"))

    # -- accepting ------------------------------------------------------------------------------------

    def listen(self, host: str, port: int) -> tuple[str, int]:
        """Bind and start accepting; returns the bound (host, port)."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.create_server((host, port), family=family, backlog=512, reuse_port=False)
        self._listener = sock
        bound = sock.getsockname()
        self._acceptor = threading.Thread(target=self._accept_loop, args=(sock,), name=f"app-accept-{bound[1]}",
                                          daemon=True)
        self._acceptor.start()
        return bound[0], bound[1]

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._closed:
            self.running.wait()
            try:
                sock, _ = listener.accept()
            except OSError as e:
                if self._closed:
                    return
                logger.warning("accept failed: %s", e)
                time.sleep(0.05)  # out of file descriptors: let connections close before trying again
                continue
            try:
                self._start_connection(sock)
            except Exception:
                logger.exception("could not start a connection")
                sock.close()

    def _start_connection(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.connection_count() >= int(self.global_value("max_connections", 151)) + _EXTRA_CONNECTIONS:
            # Answered in the greeting's place, as MariaDB does; the socket gets no thread.
            sock.settimeout(1.0)
            try:
                sock.sendall((len(payload := err(1040, "Too many connections", "08004"))).to_bytes(3, "little")
                             + b"\0" + payload)
            except OSError:
                pass
            sock.close()
            return
        conn = ClientConnection(self, sock, self.engine.new_session())
        thread = threading.Thread(target=self._serve, args=(conn,), name=f"app-conn-{conn.id}", daemon=True)
        with self._lock:
            if self._closed:
                conn.release()
                return
            self._connections[conn.id] = conn
            self._threads[conn.id] = thread
        thread.start()

    def _serve(self, conn: ClientConnection) -> None:
        conn.serve()

    def forget(self, conn: ClientConnection) -> None:
        """A connection's thread ends: free its session and socket, forget it."""
        try:
            conn.release()
        finally:
            with self._lock:
                self._connections.pop(conn.id, None)
                self._threads.pop(conn.id, None)

    # -- what other parts ask -------------------------------------------------------------------------

    def connection_count(self) -> int:
        return len(self._connections)

    def connection(self, connection_id: int) -> ClientConnection | None:
        return self._connections.get(connection_id)

    def kill(self, connection_id: int, *, query_only: bool, by: ClientConnection | None = None) -> None:
        """KILL [QUERY | CONNECTION] id (1094 for an id that is not connected).

        KILL QUERY stops the running statement (1317), the connection goes on; KILL CONNECTION also
        closes the connection."""
        conn = self._connections.get(connection_id)
        if conn is None:
            raise SQLError(1094, f"Unknown thread id: {connection_id}")
        if by is not None and conn.session.user != by.session.user and not (
                by.session.access.has("CONNECTION ADMIN") or by.session.access.has("SUPER")):
            # Another user's thread: an administrator's to stop, as in MariaDB.
            raise SQLError(1095, f"You are not owner of thread {connection_id}")
        if conn is by:
            if not query_only:
                conn.cut()
            return
        conn.stop_statement(KILLED)
        if not query_only:
            conn.cut()

    def kill_connections(self, keep: Session | None = None) -> None:
        """Close every client connection (but `keep`'s), as becoming primary requires."""
        for conn in list(self._connections.values()):
            if conn.session is not keep:
                conn.cut()

    def freeze(self) -> None:
        """Serve nothing until `thaw()`: what SIGSTOP does to a server process, for in-process servers."""
        self.running.clear()

    def thaw(self) -> None:
        self.running.set()

    # -- the end --------------------------------------------------------------------------------------

    def _stop_accepting(self) -> None:
        self._closed = True
        self.running.set()
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the acceptor's accept() on Linux
            except OSError:
                pass
            listener.close()
        acceptor = self._acceptor
        if acceptor is not None and acceptor is not threading.current_thread():
            acceptor.join(2.0)

    def abort(self) -> None:
        """Stop accepting and cut every connection at once (their statements are stopped); `ended()`
        waits for what that set going."""
        self._stop_accepting()
        for conn in list(self._connections.values()):
            conn.stop_statement(SHUTDOWN)
            conn.cut()

    async def close(self, timeout: float = 5.0) -> None:
        """Stop accepting, give running statements `timeout` seconds to finish, then stop them and close
        every client connection."""
        self._stop_accepting()
        deadline = time.monotonic() + timeout
        while any(c.busy for c in list(self._connections.values())) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        self.abort()
        await self.ended()

    async def ended(self, timeout: float = 2.0) -> None:
        """Wait (up to `timeout`) for every connection's thread to end, their statements stopped by the
        watchdog, which then ends too: nothing of the frontend runs on after a stop or a kill."""
        end = time.monotonic() + timeout
        while self._threads and time.monotonic() < end:
            await asyncio.sleep(0.005)
        self.watchdog.stop()


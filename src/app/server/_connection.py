"""One client connection, served by its own thread with a blocking socket.

The thread reads a command, runs it on the connection's `app.sql` session and writes the reply; a
statement that takes long blocks only this thread (apsw releases the GIL while SQLite works).
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from typing import Any, Final, Protocol, final

from app.sql import (
    AccountStore,
    Column,
    Engine,
    ErrorInResult,
    Result,
    Session,
    SQLError,
    split_statements,
    syntax_error,
)

from . import _handshake as hs
from . import _packets as pk
from . import _tls as tls
from ._accountauth import client_host, login_account
from ._auth import Authenticator
from ._binary import binary_columns, binary_rows, skip_query_attributes
from ._literals import decode_query
from ._prepared import Prepared, StatementCounter, Statements, execute_text
from ._watchdog import TIMED_OUT, Watchdog, hinted_limit
from ._wire import ClientGone, ProtocolViolation, Wire, lenenc

logger = logging.getLogger("app.server.protocol")

_COMMAND_NAMES: Final = {0x16: "mysqld_stmt_prepare", 0x17: "mysqld_stmt_execute", 0x1A: "mysqld_stmt_reset",
                         0x1C: "mysqld_stmt_fetch"}


_KILL: Final = re.compile(r"\s*kill\s+(?:(query|connection)\s+)?(\d+)\s*;?\s*$", re.I)
_KILL_START: Final = frozenset("kK \t\r\n")
_TIMEVAL: Final = struct.Struct("@ll")  # struct timeval: seconds, microseconds


class Server(Protocol):
    """What a connection uses of the frontend that accepted it (`_protocol.Frontend`)."""

    engine: Engine
    authenticator: Authenticator
    accounts: AccountStore
    capabilities: int
    tls_context: ssl.SSLContext | None
    tls_dates: tuple[str, str]
    statement_counter: StatementCounter
    watchdog: Watchdog
    started: float
    running: threading.Event

    def global_value(self, name: str, default: Any) -> Any: ...
    def connection_count(self) -> int: ...
    def require_secure_transport(self) -> bool: ...
    def forget(self, conn: ClientConnection) -> None: ...
    def kill(self, connection_id: int, *, query_only: bool, by: ClientConnection | None = None) -> None: ...


class CommandError(hs.Malformed):
    """A malformed command after login: answered with 1835 and logged once; the connection goes on."""


@final
class ClientConnection:
    """A client's socket, its session and its prepared statements."""

    def __init__(self, frontend: Server, sock: socket.socket, session: Session) -> None:
        self.frontend = frontend
        self.sock = sock
        self.session = session
        self.id = session.connection_id
        self.wire = Wire(sock, int(frontend.engine.globals.get("max_allowed_packet", 16 << 20)))
        session.state.max_allowed_packet = self.wire.max_packet
        self.caps = 0
        self.codec = "utf-8"
        self.salt = hs.nonce()
        self.secure = False  # the connection runs over TLS
        session.state.connection_status.update(tls.PLAINTEXT.status())
        self.busy = False  # a command is running (shutdown waits for these)
        self.closing = False  # the server closes this connection
        # A statement runs; why it is being stopped (KILL, shutdown), if it is.
        self.running = False
        self.stop_reason: tuple[int, str, str] | None = None
        self._stop_lock = threading.Lock()
        self.statements = Statements(frontend.statement_counter)
        self._timeout: float | None = None
        self._kernel_timeouts = False  # see _use_kernel_timeouts
        # MORE_RESULTS_EXISTS while the statements of a multi-statement query are answered, but the last.
        self.more_results = 0
        self._handlers: dict[int, Callable[[bytes], None]] = {
            0x02: self._init_db, 0x03: self._query, 0x04: self._field_list, 0x09: self._statistics,
            0x0C: self._process_kill, 0x0D: self._debug, 0x0E: self._ping, 0x11: self._change_user,
            0x16: self._stmt_prepare, 0x17: self._stmt_execute, 0x18: self._stmt_send_long_data,
            0x19: self._stmt_close, 0x1A: self._stmt_reset, 0x1B: self._set_option, 0x1C: self._stmt_fetch,
            0x1F: self._reset_connection,
        }

    # -- the thread -----------------------------------------------------------------------------------

    def serve(self) -> None:
        """The connection's thread: handshake, then commands until the client quits or is cut off."""
        try:
            self._set_timeout(float(self.frontend.global_value("connect_timeout", 10)))
            if self._login():
                self._commands()
        except ClientGone:
            pass
        except ProtocolViolation as e:
            logger.warning("connection %d: %s; closing it", self.id, e.message)
            self._try_send(pk.err(e.code, e.message, e.sqlstate))
        except hs.Malformed as e:
            logger.warning("connection %d: malformed handshake (%s); closing it", self.id, e)
            self._try_send(pk.err(1043, "Bad handshake", "08S01"))
        except tls.HandshakeFailed as e:  # nothing can be sent: the socket is neither TLS nor plaintext now
            logger.info("connection %d: TLS handshake failed (%s); closing it", self.id, e)
        except Exception:
            if not self.closing:
                logger.exception("connection %d failed", self.id)
        finally:
            self.frontend.forget(self)

    def _try_send(self, payload: bytes) -> None:
        try:
            self.wire.out = bytearray()
            self.wire.send(payload)
        except ClientGone:
            pass

    def _set_timeout(self, seconds: float) -> None:
        if seconds != self._timeout:
            self._timeout = seconds
            if self._kernel_timeouts:
                # SO_RCVTIMEO / SO_SNDTIMEO (0: none): a read or write past it fails with EAGAIN, an
                # OSError the wire reads as the client gone, as it reads socket.timeout.
                whole = int(seconds) if seconds > 0 else 0
                tv = _TIMEVAL.pack(whole, int((seconds - whole) * 1e6) if seconds > 0 else 0)
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv)
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)
            else:
                self.sock.settimeout(seconds if seconds > 0 else None)

    def _use_kernel_timeouts(self) -> None:
        """From the command phase on, a plaintext socket blocks in the kernel, with the idle timeout as
        SO_RCVTIMEO / SO_SNDTIMEO instead of Python's socket timeout. Python implements a timeout by a
        poll() before every recv and send: two more syscalls per statement, and two more releases of
        the GIL that connections' threads then contend for. Not under TLS: the ssl module retries a
        read that a blocking socket's SO_RCVTIMEO interrupted, forever, so there the timeout stays
        Python's (and the handshake, TLS or not, keeps connect_timeout as Python's)."""
        if self.secure or not hasattr(socket, "SO_RCVTIMEO"):
            return
        self.sock.settimeout(None)
        self._kernel_timeouts = True
        self._timeout = None

    def status(self) -> int:
        sql = self.session
        return ((pk.AUTOCOMMIT if sql.autocommit else 0) | (pk.IN_TRANS if sql.in_transaction else 0)
                | self.more_results)

    # -- connection phase -----------------------------------------------------------------------------

    def _login(self) -> bool:
        self.frontend.running.wait()
        wire = self.wire
        wire.seq = 0
        wire.send(hs.greeting(self.session.engine.version, self.id, self.salt, self.frontend.capabilities,
                              self.status()))
        wire.exact = True
        resp = hs.parse_response(wire.read(command=False))
        wire.exact = False
        if resp.ssl_request:
            resp = self._start_tls()
        elif self.frontend.require_secure_transport():
            wire.send(pk.err(3159, "Connections using insecure transport are prohibited while "
                                   "--require_secure_transport=ON.", "HY000"))
            return False
        self.caps = resp.capabilities & (self.frontend.capabilities | pk.SSL)
        self.codec = hs.python_codec(resp.charset)
        host = client_host(self.sock)
        account = None
        if self.frontend.authenticator.authenticate(wire, resp.user, host, resp.plugin, resp.auth,
                                                    self.salt, secure=self.secure):
            account = login_account(self.frontend.accounts, resp.user, host)
        if account is None:
            code, message, state = hs.access_denied(resp.user, bool(resp.auth), host)
            wire.send(pk.err(code, message, state))
            return False
        self.session.login(account, resp.user, host, used_password=bool(resp.auth))
        if resp.database is not None:
            try:
                self.session.use(resp.database)
            except SQLError as e:
                wire.send(pk.err(e.code, e.message, e.sqlstate))
                return False
        # UPDATE's affected rows: matched rather than changed rows for clients that ask (as MySQL does).
        self.session.client_found_rows = bool(self.caps & pk.FOUND_ROWS)
        wire.send(pk.ok(self.caps, 0, 0, self.status()))
        return True

    def _start_tls(self) -> hs.HandshakeResponse:
        """After an SSLRequest: the TLS handshake, then the client's real handshake response inside TLS."""
        ctx = self.frontend.tls_context
        if ctx is None:
            raise hs.Malformed("TLS was asked for, but this server has no TLS configured")
        self.sock = self.wire.sock = tls.accept(self.sock, ctx)
        self.secure = True
        self.session.state.connection_status.update(
            tls.session_tls(self.sock, self.frontend.tls_dates, int(ctx.verify_mode)).status())
        resp = hs.parse_response(self.wire.read(command=False))
        if resp.ssl_request:
            raise hs.Malformed("a second SSLRequest inside TLS")
        return resp

    # -- command phase --------------------------------------------------------------------------------

    def _commands(self) -> None:
        self._use_kernel_timeouts()
        wire = self.wire
        handlers = self._handlers
        interactive = bool(self.caps & pk.INTERACTIVE)
        variables = self.session.variables
        running = self.frontend.running
        while not self.closing:
            self._set_timeout(float(variables.get("interactive_timeout" if interactive else "wait_timeout")))
            data = wire.read()
            if not running.is_set():  # the node is frozen (tests): the command waits
                running.wait()
            command = data[0] if data else -1  # an empty packet is an unknown command, as in MariaDB
            if command == 0x01:  # COM_QUIT
                return
            handler = handlers.get(command)
            self.busy = True
            try:
                if handler is None:
                    wire.send(pk.err(1047, "Unknown command", "08S01"))
                else:
                    handler(data)
            except hs.Malformed as e:
                logger.warning("connection %d: malformed command %#x (%s)", self.id, command, e)
                wire.out = bytearray()
                wire.send(pk.err(1835, "Malformed communication packet"))
            finally:
                self.busy = False

    def _run(self, sql: str, binary: bool = False) -> Result | None:
        """Run one statement; on an error, its ERR packet is sent and None returned."""
        hinted, sql = hinted_limit(sql)
        limit = hinted or float(self.session.variables.get("max_statement_time") or 0)
        deadline = time.monotonic() + limit if limit > 0 else None
        watchdog = self.frontend.watchdog
        with self._stop_lock:
            self.running = True
            if deadline is not None:
                watchdog.arm(self, deadline)
        try:
            return self.session.execute(sql)
        except SQLError as e:
            cause = self._stop_cause(deadline)
            if cause is None and isinstance(e, ErrorInResult):  # the columns and rows before it, then it
                self.send_result(e.result, binary, error=e)
            else:
                code, message, state = cause or (e.code, e.message, e.sqlstate)
                self.wire.send(pk.err(code, message, state))
        except Exception as e:  # a bug in the SQL layer: the client gets 1105, the log the traceback
            cause = self._stop_cause(deadline)
            if cause is not None:
                self.wire.send(pk.err(*cause))
            else:
                logger.exception("statement failed on connection %d", self.id)
                self.wire.send(pk.err(1105, f"{type(e).__name__}: {e}"))
        finally:
            with self._stop_lock:
                self.running = False
                if deadline is not None or self.stop_reason is not None:
                    watchdog.disarm(self)
                self.stop_reason = None
        return None

    def _stop_cause(self, deadline: float | None) -> tuple[int, str, str] | None:
        """Why the statement that just failed was stopped, if it was."""
        if self.stop_reason is not None:
            return self.stop_reason
        if deadline is not None and time.monotonic() >= deadline:
            return TIMED_OUT
        return None

    def stop_statement(self, reason: tuple[int, str, str]) -> None:
        """Stop the running statement, if any (from another thread): it fails with `reason`."""
        with self._stop_lock:
            if self.running:
                self.stop_reason = reason
                self.frontend.watchdog.arm(self, 0.0)

    def _query(self, data: bytes) -> None:
        body = data[1:]
        if self.caps & pk.QUERY_ATTRIBUTES:
            body = skip_query_attributes(body)
        sql = decode_query(body, self.codec)
        if self.caps & pk.MULTI_STATEMENTS and ";" in sql:
            self._statements(sql)
        else:
            self._statement(sql)

    def _statement(self, sql: str) -> bool:
        """Run one statement of a COM_QUERY and send its answer; False if that was an error."""
        if sql[:1] in _KILL_START and self._kill_statement(sql):
            return True  # an error here closes nothing: KILL acts on another connection
        result = self._run(sql)
        if result is None:
            return False
        self.send_result(result)
        return True

    def _statements(self, sql: str) -> None:
        """A query of several statements (CLIENT_MULTI_STATEMENTS): answered one by one, up to the first error."""
        mode = str(self.session.variables.get("sql_mode") or "").upper()
        spans = split_statements(sql, backslash_escapes="NO_BACKSLASH_ESCAPES" not in mode)
        last = len(spans) - 1
        try:
            for i, (start, end) in enumerate(spans):
                if last and not sql[start:end].strip():  # an empty statement between semicolons
                    self.more_results = 0
                    error = syntax_error(sql[end:])  # MariaDB quotes the text from the empty statement's `;`
                    self.wire.send(pk.err(error.code, error.message, error.sqlstate))
                    return
                self.more_results = pk.MORE_RESULTS_EXISTS if i < last else 0
                if not self._statement(sql[start:end]) or self.closing:
                    return
        finally:
            self.more_results = 0

    def _kill_statement(self, sql: str) -> bool:
        """KILL [QUERY | CONNECTION] id: handled here, since it acts on connections (False: not a KILL)."""
        m = _KILL.match(sql)
        if m is None:
            return False
        try:
            self.frontend.kill(int(m.group(2)), query_only=(m.group(1) or "").lower() == "query", by=self)
        except SQLError as e:
            self.wire.send(pk.err(e.code, e.message, e.sqlstate))
            return True
        if not self.closing:
            self._ok()
        return True

    def send_result(self, result: Result, binary: bool = False, error: SQLError | None = None) -> None:
        """A statement's OK packet or result set, text or binary; a result set ends with `error` if given."""
        wire = self.wire
        if result.results:  # a CALL's result sets come first, each saying that more follow
            more, self.more_results = self.more_results, pk.MORE_RESULTS_EXISTS
            try:
                for before in result.results:
                    self.send_result(before, binary)
            finally:
                self.more_results = more
        if result.columns is None:
            wire.send(pk.ok(self.caps, result.affected_rows, result.last_insert_id, self.status(), result.warnings,
                            info=result.info.encode() if result.info else b""))
            return
        columns: list[Column] = result.columns
        rows = result.rows
        decimals = None
        if binary:
            columns, decimals = binary_columns(columns, rows)
        status = self.status()  # the statement has ended: the same after the columns and after the rows
        self._send_columns(columns, decimals, status)
        packet = wire.packet
        if binary:
            for payload in binary_rows(columns, rows):
                packet(payload)
        else:
            encoders = pk.text_encoders(columns)
            for row in rows:
                packet(pk.text_row(row, encoders))
        if error is not None:
            wire.send(pk.err(error.code, error.message, error.sqlstate))
            return
        self._send_end(result.warnings, status)

    def _send_columns(self, columns: list[Column], decimals: list[int | None] | None, status: int) -> None:
        packet = self.wire.packet
        packet(bytes((len(columns),)) if len(columns) < 251 else lenenc(len(columns)))
        definition_of = pk.definition_of
        if decimals:
            for col, dec in zip(columns, decimals, strict=True):
                packet(definition_of(col, dec))
        else:
            for col in columns:
                packet(definition_of(col))
        if not self.caps & pk.DEPRECATE_EOF:
            packet(pk.eof(self.caps, status))

    def _send_end(self, warnings: int, status: int) -> None:
        if self.caps & pk.DEPRECATE_EOF:
            self.wire.send(pk.ok(self.caps, 0, 0, status, warnings, header=0xFE))
        else:
            self.wire.send(pk.eof(self.caps, status, warnings))

    # -- the other commands ---------------------------------------------------------------------------

    def _ok(self) -> None:
        self.wire.send(pk.ok(self.caps, 0, 0, self.status()))

    def _init_db(self, data: bytes) -> None:
        try:
            self.session.use(data[1:].decode(self.codec, "replace"))
        except SQLError as e:
            self.wire.send(pk.err(e.code, e.message, e.sqlstate))
            return
        self._ok()

    def _ping(self, data: bytes) -> None:
        self._ok()

    def _debug(self, data: bytes) -> None:
        self.wire.send(pk.eof(self.caps, self.status()))

    def _statistics(self, data: bytes) -> None:
        uptime = int(time.monotonic() - self.frontend.started)
        self.wire.send(f"Uptime: {uptime}  Threads: {self.frontend.connection_count()}  Questions: 0  "
                       f"Slow queries: 0  Opens: 0  Open tables: 0  Queries per second avg: 0.000".encode())

    def _set_option(self, data: bytes) -> None:
        if len(data) != 3:
            raise CommandError(f"COM_SET_OPTION of {len(data)} bytes")
        option = data[1] | data[2] << 8
        if option > 1:
            self.wire.send(pk.err(1047, "Unknown command", "08S01"))
            return
        # MYSQL_OPTION_MULTI_STATEMENTS_ON (0) and _OFF (1) switch the client's capability, as in MariaDB.
        if option == 0:
            self.caps |= pk.MULTI_STATEMENTS
        else:
            self.caps &= ~pk.MULTI_STATEMENTS
        self.wire.send(pk.eof(self.caps, self.status()))

    def _process_kill(self, data: bytes) -> None:
        target = int.from_bytes(data[1:5], "little")  # missing bytes read as 0, as in MariaDB
        try:
            self.frontend.kill(target, query_only=False, by=self)
        except SQLError as e:
            self.wire.send(pk.err(e.code, e.message, e.sqlstate))
            return
        self._ok()

    def _field_list(self, data: bytes) -> None:
        r = hs.Reader(data, 1)
        end = data.find(b"\0", 1)
        table = (r.null_str() if end >= 0 else r.rest()).decode(self.codec, "replace")
        name = "`" + table.replace("`", "``") + "`"
        result = self._run(f"SELECT * FROM {name} LIMIT 0")
        if result is None or result.columns is None:
            return
        for col in result.columns:
            charset = pk.BINARY_CHARSET if col.binary else pk.UTF8MB4_GENERAL_CI
            self.wire.packet(pk.column_definition(col.name, int(col.type), charset, table=table,
                                                  schema=self.session.database or "", field_list=True))
        self.wire.send(pk.eof(self.caps, self.status()))

    def _change_user(self, data: bytes) -> None:
        req = hs.parse_change_user(data[1:], self.caps)
        host = client_host(self.sock)
        account = None
        if self.frontend.authenticator.authenticate(self.wire, req.user, host, req.plugin, req.auth,
                                                    self.salt, secure=self.secure):
            account = login_account(self.frontend.accounts, req.user, host)
        if account is None:
            code, message, state = hs.access_denied(req.user, bool(req.auth), host)
            self.wire.send(pk.err(code, message, state))
            self.closing = True  # MySQL hangs up after a failed COM_CHANGE_USER
            return
        self._reset_session()
        self.session.login(account, req.user, host, used_password=bool(req.auth))
        if req.charset is not None:
            self.codec = hs.python_codec(req.charset)
        self.session.database = None
        if req.database is not None:
            try:
                self.session.use(req.database)
            except SQLError as e:
                self.wire.send(pk.err(e.code, e.message, e.sqlstate))
                self.closing = True
                return
        self._ok()

    def _reset_connection(self, data: bytes) -> None:
        self._reset_session()
        self._ok()

    def _reset_session(self) -> None:
        """What COM_RESET_CONNECTION and COM_CHANGE_USER undo: the transaction, variables, statements."""
        sql = self.session
        sql.transaction.rollback()
        sql.variables.reset()
        self.statements.close_all()

    # -- prepared statements ----------------------------------------------------------------------------

    def _stmt_prepare(self, data: bytes) -> None:
        sql = decode_query(data[1:], self.codec)
        try:
            stmt = self.statements.prepare(sql, int(self.frontend.global_value("max_prepared_stmt_count", 16382)))
        except SQLError as e:
            self.wire.send(pk.err(e.code, e.message, e.sqlstate))
            return
        columns = self._describe(stmt)
        if columns is None:
            self.statements.close(stmt.id)
            return
        wire = self.wire
        wire.packet(b"\x00" + struct.pack("<IHHxH", stmt.id, len(columns), stmt.num_params, 0))
        if stmt.num_params:
            param = pk.column_definition("?", 0xFD, pk.BINARY_CHARSET, pk.BINARY_FLAG, length=0)
            for _ in range(stmt.num_params):
                wire.packet(param)
            if not self.caps & pk.DEPRECATE_EOF:
                wire.packet(pk.eof(self.caps, self.status()))
        if columns:
            for col in columns:
                wire.packet(pk.definition_of(col))
            if not self.caps & pk.DEPRECATE_EOF:
                wire.packet(pk.eof(self.caps, self.status()))
        wire.flush()

    def _describe(self, stmt: Prepared) -> list[Column] | None:
        """The result columns of a prepared statement (by running it with NULL parameters when it only
        reads), [] for one without rows; None when it failed (its error is sent)."""
        if not stmt.returns_rows:
            return []
        result = self._run(stmt.text_with_nulls())
        if result is None:
            return None
        return list(result.columns or [])

    def _stmt_execute(self, data: bytes) -> None:
        r = hs.Reader(data, 1)
        stmt_id = r.uint(4)
        try:
            # Cursors (the flags) are not opened: every execute sends its rows at once.
            stmt = self.statements.get(stmt_id, _COMMAND_NAMES[0x17])
            sql = execute_text(stmt, r, self.codec, bool(self.caps & pk.QUERY_ATTRIBUTES))
        except SQLError as e:
            self.wire.send(pk.err(e.code, e.message, e.sqlstate))
            return
        result = self._run(sql, binary=True)
        if result is not None:
            self.send_result(result, binary=True)

    def _stmt_send_long_data(self, data: bytes) -> None:
        self.statements.send_long_data(data[1:], self.wire.max_packet)

    def _stmt_close(self, data: bytes) -> None:
        if len(data) >= 5:
            self.statements.close(int.from_bytes(data[1:5], "little"))

    def _stmt_reset(self, data: bytes) -> None:
        try:  # missing bytes of the id read as 0, as in MariaDB
            stmt = self.statements.get(int.from_bytes(data[1:5], "little"), _COMMAND_NAMES[0x1A])
        except SQLError as e:
            self.wire.send(pk.err(e.code, e.message, e.sqlstate))
            return
        stmt.long_data.clear()
        stmt.long_data_too_large = False
        self._ok()

    def _stmt_fetch(self, data: bytes) -> None:
        # No cursor is ever opened (executes send every row), so there is nothing to fetch.
        stmt_id = int.from_bytes(data[1:5], "little") if len(data) >= 5 else 0
        self.wire.send(pk.err(1243, f"Unknown prepared statement handler ({stmt_id}) given to mysqld_stmt_fetch"))

    # -- the end --------------------------------------------------------------------------------------

    def cut(self) -> None:
        """Close the socket from another thread: this connection's thread ends at its next read or write."""
        self.closing = True
        try:
            # socket.socket's own shutdown, also under TLS: SSLSocket.shutdown would drop its SSL object
            # under the connection's thread, which may be inside a read.
            socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def release(self) -> None:
        """Free what the connection holds (on its own thread, after its last command)."""
        self.statements.close_all()
        self.session.close()
        try:
            self.sock.close()
        except OSError:
            pass

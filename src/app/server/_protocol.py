"""The MySQL wire protocol, served by mysql-mimic, in front of the SQL layer.

mysql-mimic does the handshake, authentication and the rarer commands (prepared
statements, COM_FIELD_LIST, COM_CHANGE_USER); this module adapts it to
`app.sql`: results and OK packets with affected rows and insert ids, MySQL's
SQLSTATEs, status flags (autocommit, in transaction) that drivers read,
`mysql_native_password` against the configured users, and connection tracking
for graceful shutdown.

COM_QUERY, nearly every packet a client sends, has its own path here
(`_Connection.command_phase`): one read per packet, the response framed into
one buffer and handed to the transport in one write, column definitions built
once per (name, type) and reused. mysql-mimic's generic path costs about 60 us
of Python per statement (enum flag arithmetic, a coroutine per packet written,
charset lookups through session variables); a point select on SQLite costs 10.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any

from mysql_mimic import packets
from mysql_mimic import utils as mimic_utils
from mysql_mimic.auth import AuthInfo, Forbidden, IdentityProvider, NativePasswordAuthPlugin, Success, User
from mysql_mimic.charset import CharacterSet
from mysql_mimic.connection import Connection
from mysql_mimic.constants import DEFAULT_SERVER_CAPABILITIES
from mysql_mimic.control import LocalControl
from mysql_mimic.errors import ErrorCode, MysqlError
from mysql_mimic.results import ResultColumn, ResultSet
from mysql_mimic.session import BaseSession
from mysql_mimic.stream import ConnectionClosed, MysqlStream
from mysql_mimic.types import Capabilities, ColumnDefinition, ColumnType, Commands, ServerStatus, uint_len
from mysql_mimic.variables import GlobalVariables, SessionVariables

from app.sql import Column, Engine, MySQLType, Result, Session, SQLError, double_text, float_text
from app.sql._errors import SQLSTATES, unknown_database

from ._config import UserConfig

logger = logging.getLogger("app.server.protocol")

_COM_QUERY = int(Commands.COM_QUERY)
_COM_QUIT = int(Commands.COM_QUIT)
_MAX_PAYLOAD = 0xFFFFFF
_IN_TRANS = int(ServerStatus.SERVER_STATUS_IN_TRANS)
_AUTOCOMMIT = int(ServerStatus.SERVER_STATUS_AUTOCOMMIT)
# Rows framed per transport write; between writes other connections run (as mysql-mimic does).
_ROWS_PER_WRITE = 10_000

# mysql-mimic's handlers for the commands that are not COM_QUERY (COM_QUIT ends the loop).
_HANDLERS: dict[int, str] = {
    Commands.COM_STMT_PREPARE: "handle_stmt_prepare",
    Commands.COM_STMT_SEND_LONG_DATA: "handle_stmt_send_long_data",
    Commands.COM_STMT_EXECUTE: "handle_stmt_execute",
    Commands.COM_STMT_FETCH: "handle_stmt_fetch",
    Commands.COM_STMT_RESET: "handle_stmt_reset",
    Commands.COM_STMT_CLOSE: "handle_stmt_close",
    Commands.COM_PING: "handle_ping",
    Commands.COM_CHANGE_USER: "handle_change_user",
    Commands.COM_RESET_CONNECTION: "handle_reset_connection",
    Commands.COM_DEBUG: "handle_debug",
    Commands.COM_INIT_DB: "handle_init_db",
    Commands.COM_FIELD_LIST: "handle_field_list",
}

_PROTOCOL_41 = int(Capabilities.CLIENT_PROTOCOL_41)
_TRANSACTIONS = int(Capabilities.CLIENT_TRANSACTIONS)
_DEPRECATE_EOF = int(Capabilities.CLIENT_DEPRECATE_EOF)
_QUERY_ATTRIBUTES = int(Capabilities.CLIENT_QUERY_ATTRIBUTES)
_OPTIONAL_METADATA = int(Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA)
_FOUND_ROWS = int(Capabilities.CLIENT_FOUND_ROWS)
# What we offer clients: mysql-mimic's set, and CLIENT_FOUND_ROWS as MySQL offers it.
_SERVER_CAPABILITIES = DEFAULT_SERVER_CAPABILITIES | Capabilities.CLIENT_FOUND_ROWS

_COLUMN_CACHE: dict[Column, tuple[ResultColumn, bytes]] = {}
_UNSIGNED = 32  # UNSIGNED_FLAG of a column definition
_NOT_FIXED_DEC = 31  # the decimals MariaDB reports for a DOUBLE or FLOAT shown in its shortest form
# Values the SQL layer leaves as Python floats go out in MariaDB's text form (1 not 1.0, 1e20 not 1e+20).
_FLOAT_TEXT: dict[int, Callable[[ResultColumn, Any], bytes]] = {
    int(MySQLType.DOUBLE): lambda col, v: (double_text(v) if type(v) is float else str(v)).encode(),
    int(MySQLType.FLOAT): lambda col, v: (float_text(v) if type(v) is float else str(v)).encode(),
}


def _fixed_text(decimals: int) -> Callable[[ResultColumn, Any], bytes]:
    spec = f".{decimals}f"
    return lambda col, v: format(v, spec).encode() if type(v) is float else str(v).encode()


def _column(column: Column) -> tuple[ResultColumn, bytes]:
    """mysql-mimic's column for encoding values, and its column definition packet's payload.

    Names are encoded as utf8mb4: mysql-mimic's `character_set_results`, which nothing here changes.
    The definition carries what clients convert values by: the type, UNSIGNED, and the decimals
    (a DECIMAL's scale, the fractional digits of a temporal type).
    """
    entry = _COLUMN_CACHE.get(column)
    if entry is None:
        name, type_code = column.name, column.type
        charset = CharacterSet.binary if column.binary else CharacterSet.utf8mb4
        decimals = column.scale
        encoder = _FLOAT_TEXT.get(type_code)
        if encoder is not None and decimals is not None:  # a DOUBLE with fixed decimals (ROUND(x, 2)): 3.00
            encoder = _fixed_text(decimals)
        col = ResultColumn(name, ColumnType(type_code), charset, text_encoder=encoder)
        if decimals is None:
            decimals = _NOT_FIXED_DEC if type_code in _FLOAT_TEXT else 0
        definition = packets.make_column_definition_41(
            server_charset=CharacterSet.utf8mb4, name=name, column_type=col.type, character_set=charset,
            flags=ColumnDefinition(_UNSIGNED if column.unsigned else 0), decimals=decimals)
        entry = (col, definition)
        if len(_COLUMN_CACHE) < 10000:
            _COLUMN_CACHE[column] = entry
    return entry


class _Header:
    """The framed column-count and column-definition packets of a result set, and its columns."""

    __slots__ = ("columns", "next_seq", "packets")

    def __init__(self, packets: bytes, next_seq: int, columns: list[ResultColumn]) -> None:
        self.packets = packets
        self.next_seq = next_seq
        self.columns = columns


_HEADERS: dict[tuple[Column, ...], _Header] = {}


def _result_header(key: tuple[Column, ...], caps: int) -> _Header:
    out = bytearray()
    count = _lenenc(len(key))
    if caps & _OPTIONAL_METADATA:
        count = b"\x01" + count  # RESULTSET_METADATA_FULL
    seq = _frame(out, 1, count)
    columns = []
    for column in key:
        col, definition = _column(column)
        columns.append(col)
        seq = _frame(out, seq, definition)
    header = _Header(bytes(out), seq, columns)
    if not caps & _OPTIONAL_METADATA and len(_HEADERS) < 10000:
        _HEADERS[key] = header
    return header


def _lenenc(n: int) -> bytes:
    return bytes((n,)) if n < 251 else uint_len(n)


def _packet(seq: int, payload: bytes) -> bytes:
    """One framed packet (payload under 16 MiB)."""
    return (len(payload) | (seq << 24)).to_bytes(4, "little") + payload


def _frame(buf: bytearray, seq: int, payload: bytes) -> int:
    """Append one packet (payload under 16 MiB) to `buf`; the next sequence id."""
    buf += (len(payload) | (seq << 24)).to_bytes(4, "little")
    buf += payload
    return (seq + 1) & 0xFF


class _NativePassword(NativePasswordAuthPlugin):
    """mysql_native_password with MySQL's wording when a login is refused."""

    async def auth(self, auth_info: AuthInfo | None = None) -> Any:
        if auth_info and auth_info.handshake_plugin_name == self.name and auth_info.handshake_auth_data:
            nonce = auth_info.handshake_auth_data.rstrip(b"\x00")
        else:
            nonce = mimic_utils.nonce(20)
            auth_info = yield nonce + b"\x00"  # some clients expect the terminating NUL
        assert auth_info is not None
        if self.password_matches(user=auth_info.user, scramble=auth_info.data, nonce=nonce):
            yield Success(auth_info.user.name)
        else:
            yield Forbidden(f"Access denied for user '{auth_info.username}'@'localhost' "
                            f"(using password: {'YES' if auth_info.data else 'NO'})")


class Users(IdentityProvider):
    """The configured users; an unknown user fails like a wrong password (1045), as in MySQL."""

    def __init__(self, users: Iterable[UserConfig]) -> None:
        self._plugin = _NativePassword()
        self._users = {
            u.name: User(name=u.name, auth_string=NativePasswordAuthPlugin.create_auth_string(u.password) if u.password else None,
                         auth_plugin=self._plugin.name)
            for u in users
        }

    def get_plugins(self) -> list[Any]:
        return [self._plugin]

    def get_default_plugin(self) -> Any:
        return self._plugin

    async def get_user(self, username: str) -> User | None:
        user = self._users.get(username)
        if user is None:
            # A hash no password produces: the login is refused with 1045.
            return User(name=username, auth_string="0" * 40, auth_plugin=self._plugin.name)
        return user


class _SessionAdapter(BaseSession):
    """What mysql-mimic's Connection talks to, backed by an `app.sql` session."""

    def __init__(self, engine: Engine) -> None:
        self.variables = SessionVariables(GlobalVariables())
        self.variables.set("version", engine.version, force=True)
        self.sql: Session = engine.new_session()
        self._username: str | None = None
        self._requested_database: str | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._closed = False
        # Set when the credentials were right but the login still fails (an unknown database).
        self.refused_login: SQLError | None = None

    @property
    def database(self) -> str | None:
        return self.sql.database

    @database.setter
    def database(self, value: str | None) -> None:
        # The database named in the handshake (or COM_CHANGE_USER), set before authentication.
        self._requested_database = value or None

    @property
    def username(self) -> str | None:
        return self._username

    @username.setter
    def username(self, value: str | None) -> None:
        # mysql-mimic sets the user once the password is right, just before it sends the OK packet.
        # MySQL answers an unknown database with 1049 in that OK's place, so check it here
        # (`_Connection.ok` then sends the error and `_start` hangs up).
        self._username = value
        name, self._requested_database = self._requested_database, None
        if value is None or name is None:
            return
        db = self.sql.engine.storage.get(name)
        if db is None:
            self.refused_login = unknown_database(name)
        else:
            self.sql.database = db.name

    async def handle_query(self, sql: str, attrs: dict[str, str]) -> Any:
        try:
            result = await self.execute(sql)
        except SQLError as e:
            raise MysqlError(e.message, e.code) from None
        if result.columns is None:
            return None
        return ResultSet(result.rows, [_column(c)[0] for c in result.columns])

    def execute(self, sql: str) -> asyncio.Future[Result]:
        """Run a statement on this connection's own thread: it may block there (a lock wait, a
        commit waiting for acks) without stalling the event loop and the other connections."""
        if self._executor is None:
            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"app-conn-{self.sql.connection_id}")
        return asyncio.get_running_loop().run_in_executor(self._executor, self.sql.execute, sql)

    async def use(self, database: str) -> None:
        try:
            self.sql.use(database)
        except SQLError as e:
            raise MysqlError(e.message, e.code) from None

    async def close(self) -> None:
        self.close_now()

    def close_now(self) -> None:
        """Close the session on its own thread, after a statement still running there."""
        if self._closed:
            return
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is None:
            self.sql.close()
            return
        executor.submit(self.sql.close)
        executor.shutdown(wait=False)


class _Connection(Connection):
    """mysql-mimic's connection with its own COM_QUERY path, counts in OK packets, SQLSTATEs and status flags."""

    session: _SessionAdapter
    channel: _Channel
    busy: bool = False
    _caps: int = 0  # the capabilities agreed in the handshake, as an int (enum flag tests are slow)
    _codec: str = "utf8"  # the client's character set, for decoding statements
    _pending: Coroutine[Any, Any, None] | None = None  # a statement answer_now started, for the command loop

    @property
    def status_flags(self) -> ServerStatus:
        return ServerStatus(self._status_bits())

    @status_flags.setter
    def status_flags(self, value: ServerStatus) -> None:
        pass  # always derived from the session (mysql-mimic assigns an initial value)

    def _status_bits(self) -> int:
        sql = self.session.sql
        return (_AUTOCOMMIT if sql.autocommit else 0) | (_IN_TRANS if sql.in_transaction else 0)

    def error(self, **kwargs: Any) -> bytes:
        code = int(kwargs.get("code", 1105))
        msg = str(kwargs.get("msg", ""))
        state = kwargs.get("state") or SQLSTATES.get(code)
        if state is None:
            from mysql_mimic.errors import get_sqlstate

            state = get_sqlstate(code).decode()
        return b"\xff" + code.to_bytes(2, "little") + b"#" + state.encode() + msg.encode("utf-8", "replace")

    def ok(self, **kwargs: Any) -> bytes:
        refused = self.session.refused_login
        if refused is not None:  # the OK that would end a login (see _SessionAdapter.username)
            return self.error(msg=refused.message, code=refused.code)
        ok: bytes = super().ok(**kwargs)
        return ok

    async def _start(self) -> None:
        try:
            await self.connection_phase()
        except Exception as e:  # a broken handshake: tell the client, then hang up
            logger.debug("handshake failed: %s", e)
            with contextlib.suppress(Exception):
                await self.stream.write(self.error(msg=str(e), code=1043))
            return
        if self.session.username is None or self.session.refused_login is not None:
            return  # the login was refused; the error packet is already sent
        self._caps = int(self.capabilities)
        self._codec = self.client_charset.codec
        # UPDATE's affected rows: matched rather than changed rows for clients that ask (as MySQL does).
        self.session.sql.client_found_rows = bool(self._caps & _FOUND_ROWS)
        try:
            await self.command_phase()
        finally:
            await self.session.close()

    async def command_phase(self) -> None:
        """Serve commands until the client quits or hangs up.

        Takes each packet straight from the channel's buffer and answers COM_QUERY itself; every
        other command goes to mysql-mimic's handler with the sequence numbers its own reader
        would have set. While this task waits for a packet, the channel answers statements that
        finish at once from its callback (`answer_now`), and leaves the rest to this task.
        """
        channel = self.channel
        buf = channel.buffer
        loop = channel.loop
        channel.answer = self.answer_now
        while True:
            pending = self._pending
            if pending is not None:  # a statement answer_now started, which waits
                self._pending = None
                await pending
                continue
            n = len(buf)
            if n >= 4:
                length = buf[0] | buf[1] << 8 | buf[2] << 16
                if n >= length + 4 and length < _MAX_PAYLOAD and buf[3] == 0:
                    data = bytes(buf[4:length + 4])
                    del buf[:length + 4]
                    seq = 1
                else:
                    data, seq = await self._read_command()
            elif channel.eof:
                return  # the client hung up
            else:  # wait for the next packet (channel.wait_for_data, inlined: this is once per statement)
                channel.waiter = waiter = loop.create_future()
                channel.idle = True
                await waiter
                channel.idle = False
                channel.waiter = None
                continue
            command = data[0] if data else -1
            if command == _COM_QUERY:
                more = self._query(data, seq)
                if more is not None:
                    await more
            elif command == _COM_QUIT:
                return
            else:
                await self._command(command, data[1:], seq)
                if self.session.refused_login is not None:
                    return  # COM_CHANGE_USER named an unknown database

    def answer_now(self) -> bool:
        """Answer the whole COM_QUERY packets in the buffer whose statements finish at once.

        Called by the channel when data arrives while the command loop waits: a read then costs
        no task switch. False when the command loop must go on: another command, a statement that
        waits (left in `_pending`), more to write than the socket takes.
        """
        buf = self.channel.buffer
        while True:
            n = len(buf)
            if n < 4:
                return True
            length = buf[0] | buf[1] << 8 | buf[2] << 16
            if n < length + 4:
                return True  # the rest of the packet is still on its way
            if length >= _MAX_PAYLOAD or buf[3] != 0 or buf[4] != _COM_QUERY or self._caps & _QUERY_ATTRIBUTES:
                return False
            data = buf[4:length + 4]
            del buf[:length + 4]
            more = self._query(data, 1)
            if more is not None:
                self._pending = more
                return False

    async def _read_command(self) -> tuple[bytes, int]:
        """A command that has not fully arrived, or that spans packets (16 MiB or more)."""
        channel = self.channel
        data = b""
        expected = 0
        while True:
            header = await channel.readexactly(4)
            length = header[0] | header[1] << 8 | header[2] << 16
            if header[3] != expected:
                raise MysqlError(f"Expected seq({expected}) got seq({header[3]})", ErrorCode.MALFORMED_PACKET)
            expected = (expected + 1) & 0xFF
            data += await channel.readexactly(length)
            if length < _MAX_PAYLOAD:
                return data, expected

    async def _command(self, command: int, rest: bytes, seq: int) -> None:
        """Any command but COM_QUERY and COM_QUIT, by mysql-mimic's handler."""
        stream = self.stream
        stream.seq.value = seq
        self.busy = True
        try:
            handler = _HANDLERS.get(command)
            if handler is None:
                raise MysqlError(f"Unsupported Command: {hex(command)}", ErrorCode.UNKNOWN_COM_ERROR)
            await getattr(self, handler)(rest)
        except MysqlError as e:
            await stream.write(self.error(msg=e.msg, code=e.code))
        except Exception as e:
            logger.exception("command %#x failed on connection %d", command, self.connection_id)
            await stream.write(self.error(msg=str(e)))
        finally:
            self.busy = False
            stream.reset_seq()
            self._codec = self.client_charset.codec  # COM_CHANGE_USER may name another

    def _query(self, data: bytes | bytearray, seq: int) -> Coroutine[Any, Any, None] | None:
        """COM_QUERY: run the statement and answer it, when it finishes at once; else (or when a
        large result must be written in parts) the coroutine that does the rest."""
        try:
            if self._caps & _QUERY_ATTRIBUTES:
                sql = packets.parse_com_query(capabilities=self.capabilities, client_charset=self.client_charset,
                                              data=bytes(data[1:])).sql
            else:
                sql = data[1:].decode(self._codec)
        except Exception as e:
            self._fail(seq, e)
            return None
        return self._finish_query(seq, self.session.execute(sql))

    async def _finish_query(self, seq: int, statement: Awaitable[Result]) -> None:
        self.busy = True
        try:
            result = await statement
        except Exception as e:
            self._fail(seq, e)
            return
        finally:
            self.busy = False
        try:
            more = self._answer(seq, result)
        except Exception as e:
            self._fail(seq, e)
            return
        if more is not None:
            await more

    def _fail(self, seq: int, e: Exception) -> None:
        if isinstance(e, SQLError):
            packet = self.error(msg=e.message, code=e.code, state=e.sqlstate)
        else:
            # A bug: the traceback goes to the log, never its text to the client.
            logger.exception("statement failed on connection %d", self.connection_id)
            packet = self.error(msg=f"Internal error ({type(e).__name__}); the server log has the details")
        self.channel.transport.write(_packet(seq, packet))

    def _answer(self, seq: int, result: Result) -> Coroutine[Any, Any, None] | None:
        """Write a statement's OK packet or result set; a coroutine when more must be awaited."""
        channel = self.channel
        if result.columns is None:
            channel.transport.write(_packet(seq, self._ok_payload(
                0x00, result.affected_rows, result.last_insert_id, result.warnings, self._status_bits())))
        elif len(result.rows) <= _ROWS_PER_WRITE:
            channel.transport.write(self._result_set(seq, result.columns, result.rows, result.warnings))
        else:
            return self._large_result_set(seq, result.columns, result.rows, result.warnings)
        return channel.drain() if channel.paused else None

    def _ok_payload(self, header: int, affected_rows: int, last_insert_id: int, warnings: int, status: int) -> bytes:
        """mysql-mimic's `make_ok` (0xFE as the header: the OK that ends rows under CLIENT_DEPRECATE_EOF)."""
        payload = bytes((header,)) + _lenenc(affected_rows) + _lenenc(last_insert_id)
        if self._caps & _PROTOCOL_41:
            return payload + (status | warnings << 16).to_bytes(4, "little")
        if self._caps & _TRANSACTIONS:
            return payload + status.to_bytes(2, "little")
        return payload

    def _eof_payload(self, status: int, warnings: int = 0) -> bytes:
        """mysql-mimic's `make_eof`, with the statement's warning count."""
        if self._caps & _PROTOCOL_41:
            return b"\xfe" + min(warnings, 0xFFFF).to_bytes(2, "little") + status.to_bytes(2, "little")
        return b"\xfe"

    def _result_set(self, seq: int, columns: list[Column], rows: list[tuple[Any, ...]], warnings: int = 0) -> bytearray:
        """A text result set, framed as mysql-mimic's `write_text_resultset` frames it.

        `_result_head`, `_encode_rows` and `_result_end` in one: this runs for every query.
        """
        caps = self._caps
        sql = self.session.sql
        status = (_AUTOCOMMIT if sql.autocommit else 0) | (_IN_TRANS if sql.in_transaction else 0)
        key = tuple(columns)
        header = _HEADERS.get(key)
        if header is None:
            header = _result_header(key, caps)
        out = bytearray(header.packets)
        seq = header.next_seq
        if caps & _DEPRECATE_EOF:
            end = None
        else:
            end = self._eof_payload(status)
            out += (len(end) | seq << 24).to_bytes(4, "little")
            out += end
            seq = (seq + 1) & 0xFF
        if rows:
            stream = self.stream  # mysql-mimic's row encoder (compiled) appends to its stream's buffer
            stream.seq.value = seq
            stream._buffer = out
            try:
                stream.write_text_rows(rows, header.columns)
                seq = stream.seq.value
            finally:
                stream._buffer = bytearray()
                stream.seq.value = 0
        if end is None:
            end = self._ok_payload(0xFE, len(rows), 0, warnings, status)
        elif warnings:
            end = self._eof_payload(status, warnings)
        out += (len(end) | seq << 24).to_bytes(4, "little")
        out += end
        return out

    def _result_head(self, seq: int, columns: list[Column], status: int) -> tuple[bytearray, int, list[ResultColumn]]:
        # The column count and definitions are the same bytes for every result with these columns.
        key = tuple(columns)
        header = _HEADERS.get(key)
        if header is None:
            header = _result_header(key, self._caps)
        out = bytearray(header.packets)
        seq = header.next_seq
        if not self._caps & _DEPRECATE_EOF:
            seq = _frame(out, seq, self._eof_payload(status))
        return out, seq, header.columns

    def _encode_rows(self, out: bytearray, seq: int, rows: list[tuple[Any, ...]], cols: list[ResultColumn]) -> int:
        """Append `rows` as framed text rows to `out`; the next sequence id."""
        # mysql-mimic's row encoder (compiled) appends to its stream's buffer.
        stream = self.stream
        stream.seq.value = seq
        stream._buffer = out
        try:
            stream.write_text_rows(rows, cols)
            return stream.seq.value  # type: ignore[no-any-return]
        finally:
            stream._buffer = bytearray()
            stream.seq.value = 0

    def _result_end(self, out: bytearray, seq: int, row_count: int, status: int, warnings: int) -> bytearray:
        if self._caps & _DEPRECATE_EOF:
            _frame(out, seq, self._ok_payload(0xFE, row_count, 0, warnings, status))
        else:
            _frame(out, seq, self._eof_payload(status, warnings))
        return out

    async def _large_result_set(self, seq: int, columns: list[Column], rows: list[tuple[Any, ...]],
                               warnings: int) -> None:
        """A result set in writes of `_ROWS_PER_WRITE` rows, letting other connections run between them."""
        channel = self.channel
        status = self._status_bits()
        out, seq, cols = self._result_head(seq, columns, status)
        for i in range(0, len(rows), _ROWS_PER_WRITE):
            seq = self._encode_rows(out, seq, rows[i:i + _ROWS_PER_WRITE], cols)
            channel.transport.write(out)
            out = bytearray()
            await asyncio.sleep(0)
            await channel.drain()
        channel.transport.write(self._result_end(out, seq, len(rows), status, warnings))
        await channel.drain()


class _Channel(asyncio.Protocol):
    """One client's socket: what mysql-mimic's stream reads and writes during the handshake, and
    the packets of the command phase.

    In place of asyncio's StreamReader and StreamWriter: the command loop takes a whole packet
    from the buffer with no coroutine call when it has arrived, which is nearly always.
    """

    def __init__(self, frontend: Frontend) -> None:
        self._frontend = frontend
        self.transport: asyncio.Transport = None  # type: ignore[assignment]  # set by connection_made
        self.buffer = bytearray()
        self.eof = False
        self.waiter: asyncio.Future[None] | None = None  # set while the reader waits for data
        # Set by the command loop: answers what it can from data_received (True: nothing left to do),
        # while `idle` says that the loop waits for a command (not for the rest of a packet).
        self.answer: Callable[[], bool] | None = None
        self.idle = False
        self.paused = False  # the transport's write buffer is over its high-water mark
        self._drain_waiters: list[asyncio.Future[None]] = []
        # Kept rather than looked up: get_running_loop() makes a getpid() system call each time.
        self.loop = asyncio.get_running_loop()

    # -- asyncio.Protocol ---------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self._frontend._accept(self)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            if self.idle and self.answer is not None and self.answer():
                return  # answered here; the command loop waits on for the next packet
            waiter.set_result(None)

    def eof_received(self) -> bool:
        self._lost()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost()
        for fut in self._drain_waiters:
            if not fut.done():
                fut.set_result(None)
        self._drain_waiters.clear()

    def _lost(self) -> None:
        self.eof = True
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        for fut in self._drain_waiters:
            if not fut.done():
                fut.set_result(None)
        self._drain_waiters.clear()

    # -- reading ------------------------------------------------------------------------------------

    async def wait_for_data(self) -> None:
        """Until more bytes arrive or the client hangs up."""
        fut = self.loop.create_future()
        self.waiter = fut
        try:
            await fut
        finally:
            self.waiter = None

    async def read(self, n: int) -> bytes:
        """Up to `n` bytes; b"" once the client has hung up (StreamReader.read)."""
        while not self.buffer and not self.eof:
            await self.wait_for_data()
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    async def readexactly(self, n: int) -> bytes:
        """Exactly `n` bytes, or IncompleteReadError (StreamReader.readexactly)."""
        while len(self.buffer) < n:
            if self.eof:
                partial = bytes(self.buffer)
                self.buffer.clear()
                raise asyncio.IncompleteReadError(partial, n)
            await self.wait_for_data()
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    # -- writing (StreamWriter's part that MysqlStream and Frontend use) -----------------------------

    def write(self, data: bytes | bytearray) -> None:
        self.transport.write(data)

    async def drain(self) -> None:
        """Wait while the transport's buffer is over its high-water mark."""
        if self.eof and self.transport.is_closing():
            raise ConnectionResetError("Connection lost")
        if self.paused:
            fut = self.loop.create_future()
            self._drain_waiters.append(fut)
            await fut

    def close(self) -> None:
        self.transport.close()


class Frontend:
    """Accepts MySQL clients for one engine; `close()` drains them gracefully."""

    def __init__(self, engine: Engine, users: Iterable[UserConfig]) -> None:
        self.engine = engine
        self.identity = Users(users)
        self.control = LocalControl()
        self.connections: set[_Connection] = set()
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def listen(self, host: str, port: int) -> tuple[str, int]:
        """Bind and start accepting; returns the bound (host, port)."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: _Channel(self), host=host, port=port, reuse_address=True)
        sock = self._server.sockets[0].getsockname()
        return sock[0], sock[1]

    def _accept(self, channel: _Channel) -> None:
        task = asyncio.get_running_loop().create_task(self._serve(channel))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, channel: _Channel) -> None:
        stream = MysqlStream(channel, channel)  # it uses only what _Channel has of StreamReader and StreamWriter
        conn = _Connection(stream=stream, session=_SessionAdapter(self.engine), control=self.control,
                           identity_provider=self.identity, server_capabilities=_SERVER_CAPABILITIES)
        conn.connection_id = conn.session.sql.connection_id
        conn.channel = channel
        await self.control.add(conn)
        self.connections.add(conn)
        try:
            await conn._start()
        except (ConnectionError, asyncio.IncompleteReadError, ConnectionClosed):
            pass
        except Exception:
            logger.exception("connection %d failed", conn.connection_id)
        finally:
            self.connections.discard(conn)
            with contextlib.suppress(Exception):
                await self.control.remove(conn.connection_id)
            conn.session.close_now()
            channel.close()

    def kill_connections(self, keep: Session | None = None) -> None:
        """Close every client connection (but `keep`'s), as becoming primary requires."""
        for conn in list(self.connections):
            if conn.session.sql is not keep:
                conn.channel.close()

    def abort(self) -> None:
        """Stop accepting and cut every connection at once."""
        if self._server is not None:
            self._server.close()
        for conn in list(self.connections):
            conn.channel.transport.abort()
        for task in list(self._tasks):
            task.cancel()

    async def close(self, timeout: float = 5.0) -> None:
        """Stop accepting, let running statements finish, then close every client connection."""
        if self._server is not None:
            self._server.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while any(c.busy for c in self.connections) and loop.time() < deadline:
            await asyncio.sleep(0.005)
        for conn in list(self.connections):
            conn.channel.close()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=max(0.1, deadline - loop.time()))
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)

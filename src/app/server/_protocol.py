"""The MySQL wire protocol, served by mysql-mimic, in front of the SQL layer.

mysql-mimic writes every packet; this module adapts it to `app.sql`: results
and OK packets with affected rows and insert ids, MySQL's SQLSTATEs, status
flags (autocommit, in transaction) that drivers read, `mysql_native_password`
against the configured users, and connection tracking for graceful shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Iterable

from mysql_mimic import packets
from mysql_mimic import utils as mimic_utils
from mysql_mimic.auth import AuthInfo, Forbidden, IdentityProvider, NativePasswordAuthPlugin, Success, User
from mysql_mimic.charset import CharacterSet
from mysql_mimic.connection import Connection
from mysql_mimic.constants import DEFAULT_SERVER_CAPABILITIES
from mysql_mimic.control import LocalControl
from mysql_mimic.errors import MysqlError
from mysql_mimic.results import ResultColumn, ResultSet
from mysql_mimic.session import BaseSession
from mysql_mimic.stream import MysqlStream
from mysql_mimic.types import ColumnType, ServerStatus
from mysql_mimic.variables import GlobalVariables, SessionVariables

from app.sql import Engine, Result, Session, SQLError
from app.sql._errors import SQLSTATES

from ._config import UserConfig

logger = logging.getLogger("app.server.protocol")

_COLUMN_CACHE: dict[tuple[str, int, bool], ResultColumn] = {}


def _result_column(name: str, type_code: int, binary: bool) -> ResultColumn:
    key = (name, type_code, binary)
    col = _COLUMN_CACHE.get(key)
    if col is None:
        col = ResultColumn(name, ColumnType(type_code), CharacterSet.binary if binary else CharacterSet.utf8mb4)
        if len(_COLUMN_CACHE) < 10000:
            _COLUMN_CACHE[key] = col
    return col


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
        self.username: str | None = None

    @property  # type: ignore[override]
    def database(self) -> str | None:
        return self.sql.database

    @database.setter
    def database(self, value: str | None) -> None:
        # Set by the handshake before authentication; checked in `_Connection._start`.
        self._requested_database = value

    async def handle_query(self, sql: str, attrs: dict[str, str]) -> Any:
        result = await _execute(self.sql, sql)
        if result.columns is None:
            return None
        return ResultSet(result.rows, [_result_column(c.name, c.type, c.binary) for c in result.columns])

    async def use(self, database: str) -> None:
        try:
            await self.sql.use(database)
        except SQLError as e:
            raise MysqlError(e.message, e.code) from None  # type: ignore[arg-type]

    async def close(self) -> None:
        self.sql.close()


async def _execute(session: Session, sql: str) -> Result:
    try:
        return await session.execute(sql)
    except SQLError as e:
        raise MysqlError(e.message, e.code) from None  # type: ignore[arg-type]


class _Connection(Connection):
    """mysql-mimic's connection with counts in OK packets, SQLSTATEs and status flags."""

    session: _SessionAdapter
    busy: bool = False

    def error(self, **kwargs: Any) -> bytes:
        code = int(kwargs.get("code", 1105))
        msg = str(kwargs.get("msg", ""))
        state = SQLSTATES.get(code)
        if state is None:
            from mysql_mimic.errors import get_sqlstate

            state = get_sqlstate(code).decode()  # type: ignore[arg-type]
        return b"\xff" + code.to_bytes(2, "little") + b"#" + state.encode() + msg.encode("utf-8", "replace")

    def _status(self) -> None:
        sql = self.session.sql
        flags = ServerStatus(0)
        if sql.autocommit:
            flags |= ServerStatus.SERVER_STATUS_AUTOCOMMIT
        if sql.in_transaction:
            flags |= ServerStatus.SERVER_STATUS_IN_TRANS
        self.status_flags = flags

    async def _start(self) -> None:
        self._status()
        try:
            await self.connection_phase()
        except Exception as e:  # a broken handshake: tell the client, then hang up
            logger.debug("handshake failed: %s", e)
            with contextlib.suppress(Exception):
                await self.stream.write(self.error(msg=str(e), code=1043))
            return
        if self.session.username is None:
            return  # authentication refused; the error packet is already sent
        requested = getattr(self.session, "_requested_database", None)
        if requested:
            try:
                await self.session.sql.use(requested)
            except SQLError as e:
                await self.stream.write(self.error(msg=e.message, code=e.code))
                return
        try:
            await self.command_phase()
        finally:
            await self.session.close()

    async def handle_query(self, data: bytes) -> None:
        com_query = packets.parse_com_query(capabilities=self.capabilities, client_charset=self.client_charset, data=data)
        self.busy = True
        try:
            try:
                result = await _execute(self.session.sql, com_query.sql)
            finally:
                self._status()
            if result.columns is None:
                await self.stream.write(self.ok(affected_rows=result.affected_rows,
                                                last_insert_id=result.last_insert_id, warnings=result.warnings))
                return
            columns = [_result_column(c.name, c.type, c.binary) for c in result.columns]
            await self.write_text_resultset(ResultSet(result.rows, columns))
        finally:
            self.busy = False


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
        self._server = await asyncio.start_server(self._serve, host=host, port=port, reuse_address=True)
        sock = self._server.sockets[0].getsockname()
        return sock[0], sock[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        stream = MysqlStream(reader, writer)
        conn = _Connection(stream=stream, session=_SessionAdapter(self.engine), control=self.control,
                           identity_provider=self.identity, server_capabilities=DEFAULT_SERVER_CAPABILITIES)
        conn.connection_id = conn.session.sql.connection_id
        await self.control.add(conn)
        self.connections.add(conn)
        try:
            await conn._start()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except Exception:
            logger.exception("connection %d failed", conn.connection_id)
        finally:
            self.connections.discard(conn)
            with contextlib.suppress(Exception):
                await self.control.remove(conn.connection_id)
            conn.session.sql.close()
            writer.close()
            self._tasks.discard(task)

    def kill_connections(self, keep: Session | None = None) -> None:
        """Close every client connection (but `keep`'s), as becoming primary requires."""
        for conn in list(self.connections):
            if conn.session.sql is not keep:
                conn.stream.writer.close()

    def abort(self) -> None:
        """Stop accepting and cut every connection at once."""
        if self._server is not None:
            self._server.close()
        for conn in list(self.connections):
            transport = conn.stream.writer.transport
            transport.abort()
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
            conn.stream.writer.close()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=max(0.1, deadline - loop.time()))
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)

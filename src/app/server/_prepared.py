"""Prepared statements of the binary protocol: COM_STMT_PREPARE / EXECUTE / SEND_LONG_DATA / RESET / CLOSE.

A statement is kept as its text cut at the `?` placeholders; an execute splices the parameters in
as SQL literals and runs the text like a query (the SQL layer caches the translation of each shape,
so this costs little more than a server-side plan). Parameter types are remembered between
executes: a client may send them only once (new-params-bound flag 0 afterwards, as libmariadb does).
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass, field
from typing import Final, final

from app.sql import SQLError

from ._binary import literal_of, read_param
from ._handshake import Malformed, Reader
from ._literals import placeholders

# Statements that answer with rows: their columns are described at prepare time.
_ROW_STATEMENTS: Final = ("select", "with", "show", "desc", "describe", "explain", "values", "table", "(")


@final
@dataclass(eq=False)
class Prepared:
    """One prepared statement of a connection."""

    id: int
    sql: str
    pieces: list[str]
    types: list[tuple[int, bool]] | None = None
    long_data: dict[int, bytearray] = field(default_factory=dict)
    long_data_too_large: bool = False

    @property
    def num_params(self) -> int:
        return len(self.pieces) - 1

    @property
    def returns_rows(self) -> bool:
        return self.sql.lstrip().lower().startswith(_ROW_STATEMENTS)

    def text(self, literals: list[str]) -> str:
        out = [self.pieces[0]]
        for literal, piece in zip(literals, self.pieces[1:], strict=True):
            out.append(literal)
            out.append(piece)
        return "".join(out)

    def text_with_nulls(self) -> str:
        return self.text(["NULL"] * self.num_params)


@final
class StatementCounter:
    """The node's count of prepared statements, against max_prepared_stmt_count (1461 beyond it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def acquire(self, limit: int) -> None:
        with self._lock:
            if self.count >= limit:
                raise SQLError(1461, "Can't create more than max_prepared_stmt_count statements "
                                     f"(current value: {limit})", "42000")
            self.count += 1

    def release(self, n: int = 1) -> None:
        with self._lock:
            self.count -= n


def unknown_statement(stmt_id: int, command: str) -> SQLError:
    return SQLError(1243, f"Unknown prepared statement handler ({stmt_id}) given to {command}")


@final
class Statements:
    """A connection's prepared statements, by id (ids start at 1: 0 means none to clients)."""

    def __init__(self, counter: StatementCounter) -> None:
        self._counter = counter
        self._by_id: dict[int, Prepared] = {}
        self._next = 1

    def prepare(self, sql: str, limit: int) -> Prepared:
        self._counter.acquire(limit)
        offsets = placeholders(sql)
        pieces, start = [], 0
        for o in offsets:
            pieces.append(sql[start:o])
            start = o + 1
        pieces.append(sql[start:])
        stmt = Prepared(self._next, sql, pieces)
        self._next += 1
        self._by_id[stmt.id] = stmt
        return stmt

    def get(self, stmt_id: int, command: str) -> Prepared:
        stmt = self._by_id.get(stmt_id)
        if stmt is None:
            raise unknown_statement(stmt_id, command)
        return stmt

    def close(self, stmt_id: int) -> None:
        if self._by_id.pop(stmt_id, None) is not None:
            self._counter.release()

    def close_all(self) -> None:
        if self._by_id:
            self._counter.release(len(self._by_id))
            self._by_id.clear()

    def send_long_data(self, data: bytes, max_packet: int) -> None:
        """COM_STMT_SEND_LONG_DATA (no reply, even to an unknown statement, as in MySQL)."""
        r = Reader(data)
        stmt = self._by_id.get(r.uint(4))
        param = r.uint(2)
        if stmt is None or param >= stmt.num_params:
            return
        buf = stmt.long_data.setdefault(param, bytearray())
        if len(buf) + r.remaining() > max_packet:
            stmt.long_data_too_large = True
            buf.clear()  # held no longer than this: the execute fails with 1153
            return
        buf += r.rest()


def execute_text(stmt: Prepared, r: Reader, codec: str, attributes: bool) -> str:
    """The statement text of a COM_STMT_EXECUTE (read past its id; `attributes`: CLIENT_QUERY_ATTRIBUTES,
    under which the parameters may be followed by query attributes, named, which nothing reads)."""
    flags = r.uint(1)
    r.take(4)  # iteration count
    if stmt.long_data_too_large:
        stmt.long_data_too_large = False
        stmt.long_data.clear()
        raise SQLError(1153, "Parameter of prepared statement which is set through mysql_send_long_data() is "
                             "longer than 'max_allowed_packet' bytes", "08S01")
    n = stmt.num_params
    count = n
    if attributes and (n or flags & 0x08) and r.remaining():
        count = r.lenenc()  # PARAMETER_COUNT_AVAILABLE
        if count < n:
            raise Malformed(f"{count} parameters sent for a statement with {n}")
    if count == 0:
        return stmt.sql
    nulls = r.take((count + 7) // 8)
    if r.remaining() and r.uint(1):
        types = []
        for _ in range(count):
            type_code, type_flags = struct.unpack("<BB", r.take(2))
            types.append((type_code, bool(type_flags & 0x80)))
            if attributes:
                r.lenenc_bytes()  # the parameter's name
        stmt.types = types
    if stmt.types is None or len(stmt.types) < n:
        raise Malformed("COM_STMT_EXECUTE without parameter types, and none sent before")
    literals = []
    for i, (type_code, unsigned) in enumerate(stmt.types[:n]):
        if nulls[i >> 3] & (1 << (i & 7)):
            literals.append("NULL")
        elif i in stmt.long_data:
            literals.append(literal_of(bytes(stmt.long_data[i]), type_code, codec))
        else:
            literals.append(read_param(r, type_code, unsigned, codec))
    stmt.long_data.clear()
    return stmt.text(literals)

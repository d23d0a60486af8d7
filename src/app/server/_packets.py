"""Payloads of the server's packets: OK, ERR, EOF, column definitions, text and binary rows.

Values arrive from `app.sql` as Python values (int, float, str, bytes, Decimal text, dates as
'YYYY-MM-DD[ hh:mm:ss[.ffffff]]' text) and are encoded as the column type says.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any, Final

from app.sql import Column, MySQLType, double_text, fixed_double_text, float_text

from ._wire import lenenc, lenenc_str

# Server status flags.
IN_TRANS: Final = 0x0001
AUTOCOMMIT: Final = 0x0002
MORE_RESULTS_EXISTS: Final = 0x0008
MORE_RESULTS: Final = 0x0008

# Capability flags.
LONG_PASSWORD: Final = 1
FOUND_ROWS: Final = 1 << 1
LONG_FLAG: Final = 1 << 2
CONNECT_WITH_DB: Final = 1 << 3
NO_SCHEMA: Final = 1 << 4
ODBC: Final = 1 << 6
IGNORE_SPACE: Final = 1 << 8
PROTOCOL_41: Final = 1 << 9
INTERACTIVE: Final = 1 << 10
SSL: Final = 1 << 11
IGNORE_SIGPIPE: Final = 1 << 12
TRANSACTIONS: Final = 1 << 13
RESERVED: Final = 1 << 14
SECURE_CONNECTION: Final = 1 << 15
MULTI_STATEMENTS: Final = 1 << 16
MULTI_RESULTS: Final = 1 << 17
PS_MULTI_RESULTS: Final = 1 << 18
PLUGIN_AUTH: Final = 1 << 19
CONNECT_ATTRS: Final = 1 << 20
PLUGIN_AUTH_LENENC: Final = 1 << 21
CAN_HANDLE_EXPIRED: Final = 1 << 22
DEPRECATE_EOF: Final = 1 << 24
QUERY_ATTRIBUTES: Final = 1 << 27

# What MariaDB 10.11 advertises (0x81fff7fe) but compression, LOAD DATA LOCAL, session tracking and
# TLS (the security module adds CLIENT_SSL when configured), plus MySQL 8's query attributes.
SERVER_CAPABILITIES: Final = (
    LONG_PASSWORD | FOUND_ROWS | LONG_FLAG | CONNECT_WITH_DB | NO_SCHEMA | ODBC | IGNORE_SPACE | PROTOCOL_41
    | INTERACTIVE | IGNORE_SIGPIPE | TRANSACTIONS | RESERVED | SECURE_CONNECTION | MULTI_STATEMENTS | MULTI_RESULTS
    | PS_MULTI_RESULTS | PLUGIN_AUTH | CONNECT_ATTRS | PLUGIN_AUTH_LENENC | CAN_HANDLE_EXPIRED | DEPRECATE_EOF
    | QUERY_ATTRIBUTES)

UTF8MB4_GENERAL_CI: Final = 45
BINARY_CHARSET: Final = 63
NOT_NULL_FLAG: Final = 0x01  # a table's NOT NULL column: what drivers report as null_ok
UNSIGNED_FLAG: Final = 0x20
BINARY_FLAG: Final = 0x80


def ok(caps: int, affected_rows: int, last_insert_id: int, status: int, warnings: int = 0,
       header: int = 0x00, info: bytes = b"") -> bytes:
    """An OK packet (header 0xFE: the OK that ends rows under CLIENT_DEPRECATE_EOF)."""
    payload = bytes((header,)) + lenenc(affected_rows) + lenenc(last_insert_id)
    if caps & PROTOCOL_41:
        payload += struct.pack("<HH", status, min(warnings, 0xFFFF))
    elif caps & TRANSACTIONS:
        payload += struct.pack("<H", status)
    return payload + info


def eof(caps: int, status: int, warnings: int = 0) -> bytes:
    if caps & PROTOCOL_41:
        return b"\xfe" + struct.pack("<HH", min(warnings, 0xFFFF), status)
    return b"\xfe"


def err(code: int, message: str, sqlstate: str = "HY000") -> bytes:
    return (b"\xff" + struct.pack("<H", code) + b"#" + sqlstate.encode("ascii", "replace")[:5].ljust(5, b"0")
            + message.encode("utf-8", "replace"))


def column_definition(name: str, type_code: int, charset: int, flags: int = 0, decimals: int = 0,
                      table: str = "", schema: str = "", length: int = 256, field_list: bool = False) -> bytes:
    """A Protocol::ColumnDefinition41 payload."""
    enc_name = name.encode("utf-8", "surrogateescape")
    enc_table = table.encode("utf-8", "surrogateescape")
    payload = (b"\x03def" + lenenc_str(schema.encode("utf-8", "surrogateescape")) + lenenc_str(enc_table)
               + lenenc_str(enc_table) + lenenc_str(enc_name) + lenenc_str(enc_name)
               + b"\x0c" + struct.pack("<HIBHBxx", charset, length, type_code, flags, decimals))
    if field_list:
        payload += b"\xfb"  # no default value
    return payload


_NOT_FIXED_DEC: Final = 31  # the decimals MariaDB reports for a DOUBLE or FLOAT shown in its shortest form
_DOUBLE: Final = int(MySQLType.DOUBLE)
_FLOAT: Final = int(MySQLType.FLOAT)
_DEFINITIONS: dict[tuple[Column, int | None], bytes] = {}


def definition_of(col: Column, decimals: int | None = None) -> bytes:
    """The column definition of a result column (cached: the same columns come back all the time).

    It carries what clients convert values by: the type, UNSIGNED, NOT NULL, and the decimals (a DECIMAL's
    scale, the fractional digits of a temporal type; `decimals` overrides them)."""
    key = (col, decimals)
    payload = _DEFINITIONS.get(key)
    if payload is None:
        if decimals is None:
            decimals = col.scale if col.scale is not None else _NOT_FIXED_DEC if col.type in (_DOUBLE, _FLOAT) else 0
        flags = ((BINARY_FLAG if col.binary else 0) | (UNSIGNED_FLAG if col.unsigned else 0)
                 | (NOT_NULL_FLAG if col.not_null else 0))
        payload = column_definition(col.name, int(col.type), BINARY_CHARSET if col.binary else UTF8MB4_GENERAL_CI,
                                    flags, decimals)
        if len(_DEFINITIONS) < 10000:
            _DEFINITIONS[key] = payload
    return payload


# -- text rows ---------------------------------------------------------------------------------------

Encoder = Callable[[Any], str]
_TINY: Final = int(MySQLType.TINY)


def _fixed(decimals: int) -> Encoder:
    return lambda v: fixed_double_text(v, decimals) if type(v) is float else str(v)


def text_encoders(columns: Sequence[Column]) -> list[Encoder | None]:
    """How each column's values that are not str, bytes or int are written (None: str()).

    Floats go out in MariaDB's text form (1 not 1.0, 1e20 not 1e+20; a DOUBLE with fixed decimals,
    ROUND(x, 2), as 3.00); TINYINT's booleans as 0/1."""
    out: list[Encoder | None] = []
    for c in columns:
        t = c.type
        if t == _DOUBLE or t == _FLOAT:
            if c.scale is not None:
                out.append(_fixed(c.scale))
            else:
                out.append(double_text if t == _DOUBLE else float_text)
        elif t == _TINY:
            out.append(lambda v: str(int(v)))
        else:
            out.append(None)
    return out


def text_row(row: Sequence[Any], encoders: Sequence[Encoder | None]) -> bytearray:
    """One text-protocol row (`encoders` from `text_encoders`)."""
    out = bytearray()
    for i, value in enumerate(row):
        if value is None:
            out.append(0xFB)
            continue
        t = type(value)
        if t is str:
            data = value.encode("utf-8", "surrogateescape")
        elif t is bytes:
            data = value
        elif t is int:
            data = str(value).encode()
        elif isinstance(value, (bytearray, memoryview)):
            data = bytes(value)
        else:
            enc = encoders[i]
            data = (enc(value) if enc is not None else str(value)).encode("utf-8", "surrogateescape")
        n = len(data)
        if n < 251:
            out.append(n)
        else:
            out += lenenc(n)
        out += data
    return out

"""The binary protocol's values: result rows (COM_STMT_EXECUTE) and parameters, as MySQL encodes them.

Result values come from `app.sql` as text for DATE/DATETIME/TIME and DECIMAL; they are parsed here
into the binary forms. A column whose values do not fit its declared binary form (text in an INT
column, an INT beyond its range) is sent as a string column instead, so that a row never misframes.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Sequence
from typing import Any, Final

from app.sql import Column, MySQLType

from ._handshake import Malformed, Reader
from ._wire import lenenc

_INT_FORMS: Final[dict[int, tuple[str, int, int]]] = {
    # type: (struct code, minimum, maximum) of the signed form
    MySQLType.TINY: ("<b", -(1 << 7), (1 << 7) - 1),
    MySQLType.SHORT: ("<h", -(1 << 15), (1 << 15) - 1),
    MySQLType.YEAR: ("<h", -(1 << 15), (1 << 15) - 1),
    MySQLType.INT24: ("<i", -(1 << 31), (1 << 31) - 1),
    MySQLType.LONG: ("<i", -(1 << 31), (1 << 31) - 1),
    MySQLType.LONGLONG: ("<q", -(1 << 63), (1 << 63) - 1),
}
_UINT_FORMS: Final[dict[int, tuple[str, int, int]]] = {
    # the unsigned forms: BIGINT UNSIGNED up to 2**64 - 1 goes out as the integer it is
    MySQLType.TINY: ("<B", 0, (1 << 8) - 1),
    MySQLType.SHORT: ("<H", 0, (1 << 16) - 1),
    MySQLType.INT24: ("<I", 0, (1 << 32) - 1),
    MySQLType.LONG: ("<I", 0, (1 << 32) - 1),
    MySQLType.LONGLONG: ("<Q", 0, (1 << 64) - 1),
}
_DATES: Final = frozenset({MySQLType.DATE, MySQLType.DATETIME, MySQLType.TIMESTAMP})
_DATE_RE: Final = re.compile(r"(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?)?$")
_TIME_RE: Final = re.compile(r"(-)?(\d{1,3}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$")

Encoder = Callable[[Any], bytes]


def _string(value: Any) -> bytes:
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogateescape")
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
    else:
        data = str(value).encode()
    return lenenc(len(data)) + data


def _date(value: Any) -> bytes:
    m = _DATE_RE.match(value)
    assert m is not None
    y, mo, d, h, mi, s, frac = m.groups()
    if h is None:
        return struct.pack("<BHBB", 4, int(y), int(mo), int(d))
    micro = int(frac.ljust(6, "0")) if frac else 0
    if micro:
        return struct.pack("<BHBBBBBI", 11, int(y), int(mo), int(d), int(h), int(mi), int(s), micro)
    return struct.pack("<BHBBBBB", 7, int(y), int(mo), int(d), int(h), int(mi), int(s))


def _time(value: Any) -> bytes:
    m = _TIME_RE.match(value)
    assert m is not None
    neg, h, mi, s, frac = m.groups()
    hours = int(h)
    micro = int(frac.ljust(6, "0")) if frac else 0
    days, hours = divmod(hours, 24)
    if micro:
        return struct.pack("<BBIBBBI", 12, bool(neg), days, hours, int(mi), int(s), micro)
    return struct.pack("<BBIBBB", 8, bool(neg), days, hours, int(mi), int(s))


def _fits(col: Column, values: list[Any]) -> bool:
    t = col.type
    form = (_UINT_FORMS if col.unsigned else _INT_FORMS).get(t)
    if form is not None:
        _, lo, hi = form
        return all(v is None or ((type(v) is int or type(v) is bool) and lo <= v <= hi) for v in values)
    if t in (MySQLType.DOUBLE, MySQLType.FLOAT):
        return all(v is None or type(v) in (int, float) for v in values)
    if t in _DATES:
        return all(v is None or (type(v) is str and _DATE_RE.match(v) is not None) for v in values)
    if t == MySQLType.TIME:
        return all(v is None or (type(v) is str and _TIME_RE.match(v) is not None) for v in values)
    return True


def encoder_for(col: Column) -> Encoder:
    t = col.type
    form = (_UINT_FORMS if col.unsigned else _INT_FORMS).get(t)
    if form is not None:
        return struct.Struct(form[0]).pack
    if t == MySQLType.DOUBLE:
        return lambda v: struct.pack("<d", v)
    if t == MySQLType.FLOAT:
        return lambda v: struct.pack("<f", v)
    if t in _DATES:
        return _date
    if t == MySQLType.TIME:
        return _time
    return _string


def binary_columns(columns: Sequence[Column], rows: list[tuple[Any, ...]]
                   ) -> tuple[list[Column], list[int | None]]:
    """The columns as the binary rows will carry them (a column whose values do not fit goes as text),
    and their decimals (6 for a temporal column with fractional seconds)."""
    out: list[Column] = []
    decimals: list[int | None] = []
    for i, col in enumerate(columns):
        values = [r[i] for r in rows]
        if col.type == MySQLType.NULL or not _fits(col, values):
            col = Column(col.name, MySQLType.VAR_STRING, col.binary)
        out.append(col)
        temporal = col.type in _DATES or col.type == MySQLType.TIME
        if temporal and col.scale is None:
            decimals.append(6 if any(v is not None and "." in v for v in values) else 0)
        else:
            decimals.append(None)
    return out, decimals


def binary_rows(columns: Sequence[Column], rows: list[tuple[Any, ...]]) -> list[bytes]:
    """ProtocolBinary::ResultsetRow payloads (`columns` from `binary_columns`)."""
    encoders = [encoder_for(c) for c in columns]
    nbytes = (len(columns) + 7 + 2) // 8
    out = []
    for row in rows:
        bitmap = bytearray(nbytes)
        parts = []
        for i, value in enumerate(row):
            if value is None:
                bit = i + 2
                bitmap[bit >> 3] |= 1 << (bit & 7)
            else:
                parts.append(encoders[i](value))
        out.append(b"\x00" + bytes(bitmap) + b"".join(parts))
    return out


# -- parameters ---------------------------------------------------------------------------------------

_STRING_TYPES: Final = frozenset({0x0F, 0x10, 0xF5, 0xF6, 0xF7, 0xF8, 0xFD, 0xFE, 0xFF, 0x00})
_BLOB_TYPES: Final = frozenset({0xF9, 0xFA, 0xFB, 0xFC})
_NUMERIC: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def quote_text(text: str) -> str:
    """A string literal of `text`, safe in any statement."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''").replace("\0", "\\0") + "'"


def literal_of(value: bytes, type_code: int, codec: str) -> str:
    """A parameter sent as bytes (strings, BLOBs, DECIMAL, long data) as an SQL literal."""
    if type_code in (0x00, 0xF6):
        text = value.decode("ascii", "replace")
        if _NUMERIC.match(text):
            return text
    if type_code not in _BLOB_TYPES:
        try:
            return quote_text(value.decode(codec))
        except UnicodeDecodeError:
            pass
    return "X'" + value.hex() + "'"


def read_param(r: Reader, type_code: int, unsigned: bool, codec: str) -> str:
    """One parameter value of a COM_STMT_EXECUTE, as an SQL literal."""
    if type_code == 0x01:
        return str(r.uint(1) if unsigned else struct.unpack("<b", r.take(1))[0])
    if type_code in (0x02, 0x0D):
        return str(r.uint(2) if unsigned else struct.unpack("<h", r.take(2))[0])
    if type_code in (0x03, 0x09):
        return str(r.uint(4) if unsigned else struct.unpack("<i", r.take(4))[0])
    if type_code == 0x08:
        return str(r.uint(8) if unsigned else struct.unpack("<q", r.take(8))[0])
    if type_code in (0x04, 0x05):
        f = struct.unpack("<f" if type_code == 0x04 else "<d", r.take(4 if type_code == 0x04 else 8))[0]
        return repr(f) if f == f and f not in (float("inf"), float("-inf")) else "NULL"
    if type_code in (0x07, 0x0A, 0x0C):
        return _read_datetime(r, type_code)
    if type_code == 0x0B:
        return _read_time(r)
    if type_code == 0x06:
        return "NULL"
    if type_code in _STRING_TYPES or type_code in _BLOB_TYPES:
        return literal_of(r.lenenc_bytes(), type_code, codec)
    raise Malformed(f"unknown parameter type {type_code:#x}")


def _read_datetime(r: Reader, type_code: int) -> str:
    n = r.uint(1)
    if n not in (0, 4, 7, 11):
        raise Malformed(f"a DATETIME parameter of {n} bytes")
    part = Reader(r.take(n))
    y, mo, d = (part.uint(2), part.uint(1), part.uint(1)) if n else (0, 0, 0)
    h, mi, s = (part.uint(1), part.uint(1), part.uint(1)) if n >= 7 else (0, 0, 0)
    micro = part.uint(4) if n == 11 else 0
    if type_code == 0x0A:
        return f"'{y:04d}-{mo:02d}-{d:02d}'"
    frac = f".{micro:06d}" if micro else ""
    return f"'{y:04d}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}{frac}'"


def _read_time(r: Reader) -> str:
    n = r.uint(1)
    if n not in (0, 8, 12):
        raise Malformed(f"a TIME parameter of {n} bytes")
    if n == 0:
        return "'00:00:00'"
    part = Reader(r.take(n))
    neg, days, h, mi, s = part.uint(1), part.uint(4), part.uint(1), part.uint(1), part.uint(1)
    micro = part.uint(4) if n == 12 else 0
    hours = days * 24 + h
    if mi > 59 or s > 59 or micro > 999999:  # not a time: MariaDB takes it as 00:00:00
        return "'00:00:00'"
    if hours > 838:  # past TIME's range: MariaDB stores the nearest end, as it does for a value it converts
        return f"'{'-' if neg else ''}838:59:59'"
    frac = f".{micro:06d}" if micro else ""
    return f"'{'-' if neg else ''}{hours:02d}:{mi:02d}:{s:02d}{frac}'"


def skip_query_attributes(body: bytes) -> bytes:
    """COM_QUERY under CLIENT_QUERY_ATTRIBUTES: parameter count, set count, then (if any) the
    attributes, which nothing here reads; the query follows."""
    r = Reader(body)
    count = r.lenenc()
    r.lenenc()  # parameter sets: always 1
    if count:
        nulls = r.take((count + 7) // 8)
        if r.uint(1):
            types = []
            for _ in range(count):
                types.append(r.take(2)[0])
                r.lenenc_bytes()  # the attribute's name
            for i, type_code in enumerate(types):
                if not nulls[i >> 3] & (1 << (i & 7)):
                    _skip_value(r, type_code)
    return r.rest()


_SIZES: Final = {0x01: 1, 0x02: 2, 0x0D: 2, 0x03: 4, 0x09: 4, 0x04: 4, 0x08: 8, 0x05: 8}


def _skip_value(r: Reader, type_code: int) -> None:
    size = _SIZES.get(type_code)
    if size is not None:
        r.take(size)
    elif type_code in (0x07, 0x0A, 0x0B, 0x0C):
        r.take(r.uint(1))
    elif type_code != 0x06:
        r.lenenc_bytes()

"""MySQL column types of result sets, derived from SQLite declared types and values."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final


class MySQLType(enum.IntEnum):
    """Column type codes of the MySQL protocol (what drivers convert values by)."""

    DECIMAL = 0x00
    TINY = 0x01
    SHORT = 0x02
    LONG = 0x03
    FLOAT = 0x04
    DOUBLE = 0x05
    NULL = 0x06
    TIMESTAMP = 0x07
    LONGLONG = 0x08
    INT24 = 0x09
    DATE = 0x0A
    TIME = 0x0B
    DATETIME = 0x0C
    YEAR = 0x0D
    VARCHAR = 0x0F
    BIT = 0x10
    JSON = 0xF5
    NEWDECIMAL = 0xF6
    ENUM = 0xF7
    SET = 0xF8
    BLOB = 0xFC
    VAR_STRING = 0xFD
    STRING = 0xFE


@dataclass(frozen=True, slots=True)
class Column:
    """A result column: its name, MySQL type, binary-ness and, for DECIMAL, its scale."""

    name: str
    type: MySQLType
    binary: bool = False
    scale: int | None = None


_BASE = re.compile(r"\s*([a-z]+)(?:\s*\(\s*(\d+)(?:\s*,\s*(\d+))?\s*\))?", re.I)

_BY_BASE: Final[dict[str, MySQLType]] = {
    "tinyint": MySQLType.TINY,
    "bool": MySQLType.TINY,
    "boolean": MySQLType.TINY,
    "smallint": MySQLType.SHORT,
    "mediumint": MySQLType.INT24,
    "int": MySQLType.LONG,
    "integer": MySQLType.LONGLONG,  # our AUTO_INCREMENT columns (SQLite rowid aliases)
    "bigint": MySQLType.LONGLONG,
    "decimal": MySQLType.NEWDECIMAL,
    "numeric": MySQLType.NEWDECIMAL,
    "float": MySQLType.FLOAT,
    "double": MySQLType.DOUBLE,
    "real": MySQLType.DOUBLE,
    "date": MySQLType.DATE,
    "datetime": MySQLType.DATETIME,
    "timestamp": MySQLType.TIMESTAMP,
    "time": MySQLType.TIME,
    "year": MySQLType.YEAR,
    "char": MySQLType.STRING,
    "varchar": MySQLType.VAR_STRING,
    "binary": MySQLType.STRING,
    "varbinary": MySQLType.VAR_STRING,
    "tinytext": MySQLType.BLOB,
    "text": MySQLType.BLOB,
    "mediumtext": MySQLType.BLOB,
    "longtext": MySQLType.BLOB,
    "json": MySQLType.BLOB,
    "tinyblob": MySQLType.BLOB,
    "blob": MySQLType.BLOB,
    "mediumblob": MySQLType.BLOB,
    "longblob": MySQLType.BLOB,
    "enum": MySQLType.STRING,
    "set": MySQLType.STRING,
    "bit": MySQLType.BIT,
}
_BINARY_BASES: Final = frozenset({"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit"})

_decl_cache: dict[str, Column] = {}


def column_for_decltype(name: str, decltype: str) -> Column:
    """The result column for a table column declared (in SQLite) as `decltype`.

    Tables keep MySQL's type text as SQLite's declared type (`varchar(20)`,
    `decimal(10,2)`), so the MySQL type is recovered from it here.
    """
    proto = _decl_cache.get(decltype)
    if proto is None:
        m = _BASE.match(decltype)
        base = m.group(1).lower() if m else ""
        mtype = _BY_BASE.get(base, MySQLType.VAR_STRING)
        scale: int | None = None
        if mtype is MySQLType.NEWDECIMAL:
            scale = int(m.group(3)) if m and m.group(3) else 0
        proto = Column("", mtype, binary=base in _BINARY_BASES, scale=scale)
        _decl_cache[decltype] = proto
    return Column(name, proto.type, proto.binary, proto.scale)


def column_for_value(name: str, value: Any) -> Column:
    """The result column for an expression, from the first non-NULL value it produced."""
    if value is None:
        return Column(name, MySQLType.NULL)
    if isinstance(value, bool) or isinstance(value, int):
        return Column(name, MySQLType.LONGLONG)
    if isinstance(value, float):
        return Column(name, MySQLType.DOUBLE)
    if isinstance(value, Decimal):
        return Column(name, MySQLType.NEWDECIMAL)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return Column(name, MySQLType.BLOB, binary=True)
    return Column(name, MySQLType.VAR_STRING)


def format_decimal(value: Any, scale: int | None) -> Any:
    """Render a DECIMAL value with its declared scale, as MySQL sends it (1.5 -> '1.50')."""
    if value is None or scale is None or isinstance(value, (str, bytes)):
        return value
    if isinstance(value, int) and scale == 0:
        return value
    return f"{Decimal(str(value)):.{scale}f}"

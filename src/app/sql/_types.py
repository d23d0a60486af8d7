"""MySQL column types of result sets, derived from SQLite declared types and values."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
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
    TINY_BLOB = 0xF9  # MIN/MAX of a TINYTEXT / TINYBLOB column
    MEDIUM_BLOB = 0xFA  # TEXT results MariaDB sends so (CHECK TABLE's Msg_text)
    LONG_BLOB = 0xFB  # LONGTEXT / LONGBLOB results (REGEXP_REPLACE, UNCOMPRESS)
    BLOB = 0xFC
    VAR_STRING = 0xFD
    STRING = 0xFE


@dataclass(frozen=True, slots=True)
class Column:
    """A result column: its name, MySQL type, binary-ness, for DECIMAL its scale (for temporal types
    the fractional digits), and for numbers whether they are UNSIGNED."""

    name: str
    type: MySQLType
    binary: bool = False
    scale: int | None = None
    unsigned: bool = False
    not_null: bool = False  # a table's NOT NULL column (the NOT_NULL flag drivers read as null_ok)
    checked: bool = False  # integer arithmetic: a result SQLite widened to REAL overflowed (1690)


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
_NUMBER_TYPES: Final = frozenset({MySQLType.TINY, MySQLType.SHORT, MySQLType.INT24, MySQLType.LONG, MySQLType.LONGLONG,
                                  MySQLType.NEWDECIMAL, MySQLType.FLOAT, MySQLType.DOUBLE})
_BINARY_BASES: Final = frozenset({"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit"})

_decl_cache: dict[str, Column] = {}


def column_for_decltype(name: str, decltype: str, not_null: bool = False) -> Column:
    """The result column for a table column declared (in SQLite) as `decltype` (and NOT NULL if `not_null`).

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
        elif mtype in (MySQLType.TIME, MySQLType.DATETIME, MySQLType.TIMESTAMP):
            scale = int(m.group(2)) if m and m.group(2) else 0  # the fractional digits it keeps
        unsigned = mtype in _NUMBER_TYPES and "unsigned" in decltype.lower()
        proto = Column("", mtype, binary=base in _BINARY_BASES, scale=scale, unsigned=unsigned)
        _decl_cache[decltype] = proto
    return Column(name, proto.type, proto.binary, proto.scale, proto.unsigned, not_null)


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
    """Render a DECIMAL value with its declared scale, as MySQL sends it (1.5 -> '1.50').

    Halves round away from zero, as MySQL rounds DECIMALs (0.125 -> '0.13').
    """
    if type(value) is bytes:  # a DECIMAL column's value past a double's digits, kept as its (padded) digits
        try:
            value = Decimal(value.decode())
        except (InvalidOperation, UnicodeDecodeError):
            return value
    if value is None or scale is None or isinstance(value, (str, bytes)):
        return value
    if isinstance(value, int) and scale == 0:
        return value
    if isinstance(value, float) and (value != value or value in (_INF, -_INF)):
        return None
    quantum = _QUANTUM[scale] if scale < len(_QUANTUM) else Decimal(1).scaleb(-scale)
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(exact.quantize(quantum, rounding=ROUND_HALF_UP, context=_WIDE), "f")
    return text[1:] if text[0] == "-" and not text.strip("-0.") else text  # no negative zero


_INF: Final = float("inf")
_TWO_63: Final = 2.0**63
_QUANTUM: Final = [Decimal(1).scaleb(-s) for s in range(39)]
_WIDE: Final = Context(prec=200)  # room for 65 digits before and 38 after the point, and floats' exponents


_NUMBER_PREFIX: Final = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_INT_TYPES: Final = frozenset({MySQLType.TINY, MySQLType.SHORT, MySQLType.LONG, MySQLType.INT24, MySQLType.LONGLONG,
                               MySQLType.YEAR})
_TEXT_TYPES: Final = frozenset({MySQLType.VAR_STRING, MySQLType.STRING, MySQLType.VARCHAR, MySQLType.BLOB,
                                MySQLType.LONG_BLOB})


def number_of(value: Any) -> int | float:
    """A value used as a number, as MySQL converts a string: its numeric prefix ('12abc' -> 12), else 0."""
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", "replace")
    m = _NUMBER_PREFIX.match(str(value))
    if m is None:
        return 0
    text = m.group().strip()
    try:
        return int(text)
    except ValueError:
        return float(text)


def column_for_values(name: str, values: list[Any]) -> Column:
    """The result column for an expression of unknown type, from every value it produced."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return Column(name, MySQLType.NULL)
    if kinds <= {int, bool}:
        return Column(name, MySQLType.LONGLONG)
    if kinds <= {int, bool, float}:
        return Column(name, MySQLType.DOUBLE)
    if kinds & {bytes, bytearray, memoryview}:
        return Column(name, MySQLType.BLOB, binary=True)
    return Column(name, MySQLType.VAR_STRING)


_Values = list[Any]
_Converter = Callable[[Any], Any]
_FALLBACK: Final = object()  # the values do not fit the type: the column is typed by them instead


def _to_decimal(col: Column, values: _Values) -> Any:
    scale = col.scale if col.scale is not None else 0
    return lambda v: format_decimal(_exact_number(v), scale) if type(v) is not str or v[:1] != "-" or v.strip(
        "-0.") else "-" + format_decimal(Decimal(v[1:]), scale)  # MOD's negative zero: -3.3 % 0.1 is -0.0


def _exact_number(value: Any) -> Any:
    """A value as a number for a DECIMAL column: a decimal's text (an exact result too long for a
    double) read exactly, anything else as MySQL converts it."""
    if isinstance(value, (str, bytes)):  # bytes: a DECIMAL column's value past a double's digits
        try:
            return Decimal(value.decode() if isinstance(value, bytes) else value)
        except (InvalidOperation, UnicodeDecodeError):
            pass
    return number_of(value)


class ValueOutOfRange(Exception):
    """A result value out of its column type's range (MySQL's error 1690 with `message`), found in row
    `row` (0-based); the caller makes it the client's error (errors sit beside this module)."""

    def __init__(self, message: str, row: int) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


def _to_integer(col: Column, values: _Values) -> Any:
    if col.checked:
        if col.unsigned:  # below zero: MariaDB refuses it where SQLite's signed arithmetic goes on
            for k, v in enumerate(values):
                if type(v) is int and v < 0:
                    raise ValueOutOfRange(f"BIGINT UNSIGNED value is out of range in '{col.name}'", k)
        elif col.type is MySQLType.LONGLONG:
            for k, v in enumerate(values):
                if type(v) is float and not -_TWO_63 < v < _TWO_63:
                    # SQLite's integer arithmetic turns to REAL when it overflows 64 bits; MariaDB refuses it.
                    raise ValueOutOfRange(f"BIGINT value is out of range in '{col.name}'", k)
    if col.unsigned and any(type(v) is int and v < 0 for v in values):
        # SQLite's integers are signed 64-bit: a BIGINT UNSIGNED result past 2^63 comes back negative
        return lambda v: v + 2**64 if type(v) is int and v < 0 else v
    if all(v is None or type(v) is int for v in values):
        return None
    if not all(v is None or type(v) is int or (type(v) is float and v.is_integer()) or _digits(v) for v in values):
        return _FALLBACK
    return int


def _digits(value: Any) -> bool:
    """An integer written out: a BIGINT UNSIGNED literal past 2^63 reaches SQLite as its text, and a
    stored one is its digits in a BLOB (see _statements.dml)."""
    if type(value) is bytes:
        return value.isdigit()
    return type(value) is str and value.lstrip("-").isdigit()


def _to_double(col: Column, values: _Values) -> Any:
    for k, v in enumerate(values):
        if type(v) is float and v in (_INF, -_INF):  # MariaDB has no infinity: EXP(1000), 1e308 * 10
            raise ValueOutOfRange(f"DOUBLE value is out of range in '{col.name}'", k)
    scale = col.scale
    if scale:
        return lambda v: round(float(number_of(v)), scale)
    if any(v is not None and type(v) not in (int, float) for v in values):
        return lambda v: float(number_of(v))
    return None


def _to_datetime(col: Column, values: _Values) -> Any:
    # A DATE merged into a DATETIME (COALESCE(day, at)) is midnight of that day.
    if any(type(v) is str and len(v) == 10 for v in values):
        return lambda v: v + " 00:00:00" if type(v) is str and len(v) == 10 else v
    return None


def _to_date(col: Column, values: _Values) -> Any:
    if any(type(v) is str and len(v) > 10 for v in values):
        return lambda v: v[:10] if type(v) is str else v
    return None


def _to_null(col: Column, values: _Values) -> Any:
    return _FALLBACK if any(v is not None for v in values) else None


def _to_binary(col: Column, values: _Values) -> Any:
    if any(isinstance(v, (str, int, float)) for v in values):
        return lambda v: v.encode() if isinstance(v, str) else str(v).encode() if isinstance(v, (int, float)) else v
    return None


def _to_text(col: Column, values: _Values) -> Any:
    if any(type(v) is float for v in values):
        return lambda v: _float_text(v) if type(v) is float else v
    return None


# How a column of each type gets its values (given them all): a converter, None for no change, or _FALLBACK.
_CONFORM: Final[dict[MySQLType, Callable[[Column, _Values], Any]]] = {
    MySQLType.NEWDECIMAL: _to_decimal, MySQLType.DOUBLE: _to_double, MySQLType.FLOAT: _to_double,
    MySQLType.DATETIME: _to_datetime, MySQLType.DATE: _to_date, MySQLType.NULL: _to_null,
    **{t: _to_integer for t in _INT_TYPES},
}


def conform(col: Column, rows: list[tuple[Any, ...]], i: int) -> tuple[Column, list[tuple[Any, ...]]]:
    """Make column `i` of `rows` what a client expects of `col`'s type, converting values SQLite
    returned in another storage class (a DECIMAL as REAL, a DATE inside a DATETIME expression);
    the column falls back to a type its values fit when they cannot be converted."""
    rule = _CONFORM.get(col.type)
    if rule is None:
        rule = _to_binary if col.binary else _to_text if col.type in _TEXT_TYPES else None
        if rule is None:
            return col, rows
    convert = rule(col, [r[i] for r in rows])
    if convert is None:
        return col, rows
    if convert is _FALLBACK:
        return _fallback(col, rows, i)
    return col, [(*r[:i], None if r[i] is None else convert(r[i]), *r[i + 1 :]) for r in rows]


def _float_text(value: float) -> str:
    """A DOUBLE as MySQL prints it in a string: 1.5, 10 (not 10.0), 1e20."""
    return double_text(value)


def double_text(value: float) -> str:
    """A DOUBLE as MariaDB writes it: the shortest digits that read back as the same double, in fixed
    notation when the exponent is within [-15, 15) and as `1.5e20` / `5e-324` otherwise; no `.0`, no
    `+` or leading zeros in the exponent, no negative zero (MariaDB's `my_gcvt`)."""
    text = repr(value)
    if "e" not in text and "n" not in text and abs(value) < 1e15:
        if text.endswith(".0"):
            return "0" if value == 0 else text[:-2]
        return text
    return _digits_text(text, 15)


def fixed_double_text(value: float, scale: int) -> str:
    """A DOUBLE with fixed decimals (ROUND(x, 2), STD(), AVG of doubles) as MariaDB writes it: the
    shortest digits that read back as the same double, padded with zeros to `scale` decimals
    (ROUND(1e0/3, 20) is 0.33333333333333330000, not the binary value's 0.33333333333333331483)."""
    shortest = Decimal(repr(value))
    if shortest.is_finite() and -shortest.as_tuple().exponent <= scale:  # type: ignore[operator]
        return format(shortest, f".{scale}f")
    return format(value, f".{scale}f")


def float_text(value: float) -> str:
    """A FLOAT (single precision) as MariaDB writes it: at most 6 significant digits (FLT_DIG),
    otherwise laid out as `double_text` lays out a DOUBLE."""
    return _digits_text(format(value, ".5e"), 15)


def _digits_text(text: str, limit: int) -> str:
    """`text` (a float in Python's notation) laid out as MariaDB lays out doubles: its significant
    digits in fixed notation when the decimal exponent is within [-limit, limit), else `d.ddde±x`."""
    if text in ("inf", "-inf", "nan"):
        return text  # never sent: out-of-range results are errors before they get here
    mantissa, _, exp = text.partition("e")
    negative = mantissa.startswith("-")
    mantissa = mantissa.lstrip("-")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    # the exponent of the first significant digit
    exponent = int(exp or 0) + len(whole) - 1 - (len(whole + frac) - len((whole + frac).lstrip("0")))
    digits = digits.rstrip("0")
    if not digits:
        return "0"
    sign = "-" if negative else ""
    if -limit <= exponent < limit:
        if exponent >= 0:
            if len(digits) <= exponent + 1:
                return sign + digits + "0" * (exponent + 1 - len(digits))
            return f"{sign}{digits[:exponent + 1]}.{digits[exponent + 1:]}"
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{body}e{exponent}"


def _fallback(col: Column, rows: list[tuple[Any, ...]], i: int) -> tuple[Column, list[tuple[Any, ...]]]:
    fallback = column_for_values(col.name, [r[i] for r in rows])
    if fallback.type is MySQLType.NULL or fallback.type is col.type:
        return fallback, rows
    return conform(fallback, rows, i)

"""CAST and CONVERT as MariaDB converts: the helpers `_casts.lower_casts` writes a CAST as.

SQLite's CAST truncates 1.5 to 1 where MariaDB rounds it to 2, reads a DATE as the number before its
first dash (2020, not 20200101), a hex literal as the number its characters spell (0, not 65), and
ignores the length of CHAR(n), BINARY(n) and DECIMAL(m,d). Each helper takes the value, a letter
saying what the statement knows of its type (the source, below) and the target's parameters:

    i  a signed integer        u  an unsigned integer     d  a DECIMAL    f  a DOUBLE
    s  a string (text or binary)                          x  a hex literal (its bytes)
    D  a DATE   T  a DATETIME  t  a TIME                  ?  unknown until the statement runs

A number whose digits SQLite cannot keep (a literal past 2^63, a long DECIMAL) arrives as its text.
A value of unknown type that is a string was already read as a number where the target is one (see
`_coercion`), so a string reaching an unknown-source helper is a date or time of a column.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from .._diagnostics import WARN_INVALID_CHARACTER_STRING, WARN_OUT_OF_RANGE, WARN_TRUNCATED_WRONG_VALUE, note, warn
from .._sqltypes import DATE, DATETIME, DOUBLE, STRING, TIME, VARBINARY
from .._types import double_text
from ._coerce import SPACES, numeric_prefix
from ._datetime import zero_parts
from ._decimal import WIDE, from_decimal, to_decimal
from ._mytime import datetime_string, read_datetime
from ._registry import Family, FunctionContext
from ._temporal import TIME_MAX, Time, parse_time, time_string
from ._values import date_text, parse_datetime

fn = Family("cast")

WARN_OVERFLOW: Final = 1916
WARN_UNSIGNED_COMPLEMENT: Final = 1105
_INT64: Final = 2**63
_UINT64: Final = 2**64
_TEMPORAL: Final = frozenset("DTt")
# A date, a datetime or a time as SQLite stores them (a column's value of unknown type).
_STORED_TEMPORAL: Final = re.compile(
    r"-?\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2}(?:\.\d+)?)?|-?\d{2,3}:\d{2}:\d{2}(?:\.\d+)?")
_STORED_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _temporal_number(value: Any) -> Decimal:
    """A DATE, DATETIME or TIME as MariaDB reads it as a number: 20200101, 20200101101112.5, -123456.7."""
    s = _text(value).strip()
    negative = s.startswith("-")
    digits = s.lstrip("-").replace("-", "").replace(" ", "").replace(":", "")
    number = Decimal(digits) if digits else Decimal(0)
    return -number if negative else number


def _is_temporal(source: str, value: Any) -> bool:
    return source in _TEMPORAL or (
        source == "?" and type(value) is str and _STORED_TEMPORAL.fullmatch(value) is not None)


def _wrapped(n: int) -> int:
    """A 64-bit integer as SQLite keeps it (BIGINT UNSIGNED past 2^63 - 1 as its negative complement)."""
    return (n + _INT64) % _UINT64 - _INT64


# -- CAST(x AS SIGNED / UNSIGNED) --------------------------------------------------------------------


@fn.internal("APP_CAST_INTEGER", returns=None)
def cast_integer(value: Any, source: str, unsigned: int) -> int | None:
    if value is None:
        return None
    target = "UNSIGNED" if unsigned else "SIGNED"
    if source == "x":
        return _wrapped(int.from_bytes(bytes(value)[-8:], "big"))
    if _is_temporal(source, value):
        n = int(_temporal_number(value))
    elif isinstance(value, (str, bytes)) and source in ("s", "?"):
        n = _string_integer(value)
    elif isinstance(value, str) and source in ("i", "u"):  # a literal past 2^63: its digits
        n = int(value)
    elif source == "d":
        return _decimal_integer(to_decimal(value), unsigned)
    elif isinstance(value, float):
        return _double_integer(value, target)
    else:
        n = int(value)
    if unsigned and n < 0 and source != "u":
        note(WARN_UNSIGNED_COMPLEMENT, "Cast to unsigned converted negative integer to it's positive complement")
    return _wrapped(n)


def _string_integer(value: Any) -> int:
    """A string's integer prefix as MariaDB reads it for a CAST: past 64 bits it is cut to the limit
    (and read as unsigned, so '99999999999999999999' AS SIGNED is -1), with the 1292 warning."""
    s = _text(value)
    digits = numeric_prefix(_text(s), "INTEGER")
    n = int(digits)
    if n >= _UINT64 or n < -_INT64:
        if s.strip(SPACES) == digits.strip():  # no warning yet: the whole string was a number
            warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect INTEGER value: '{s}'")
        n = _UINT64 - 1 if n > 0 else -_INT64
    return n


def _decimal_integer(d: Decimal | None, unsigned: int) -> int | None:
    if d is None:
        return None
    n = int(d.to_integral_value(rounding=ROUND_HALF_UP))
    low, high = (0, _UINT64 - 1) if unsigned else (-_INT64, _INT64 - 1)
    if not low <= n <= high:
        target = "UNSIGNED INT" if unsigned else "INT"
        warn(WARN_OVERFLOW, f"Got overflow when converting '{_decimal_text(d)}' to {target}. Value truncated")
        n = low if n < low else high
    return _wrapped(n)


def _decimal_text(d: Decimal) -> str:
    return format(d, "f")


def _double_integer(v: float, target: str) -> int:
    """A DOUBLE rounded half to even (MariaDB's rint), cut to the 64-bit range with the 1916 note."""
    unsigned = target == "UNSIGNED"
    low, high = (0, _UINT64 - 1) if unsigned else (-_INT64, _INT64 - 1)
    if math.isnan(v):
        return 0
    n = round(v) if math.isfinite(v) else (high if v > 0 else low)
    if not low <= n <= high:
        note(WARN_OVERFLOW, f"Got overflow when converting '{double_text(v)}' to {target} BIGINT. Value truncated")
        n = low if n < low else high
    return _wrapped(n)


# -- CAST(x AS DECIMAL(m, d)) -----------------------------------------------------------------------


def _exact(value: Any, source: str) -> Decimal | None:
    """A value as the exact number MariaDB converts to DECIMAL or DOUBLE; None for NULL."""
    if source == "x":
        return Decimal(int.from_bytes(bytes(value), "big"))
    if _is_temporal(source, value):
        return _temporal_number(value)
    if isinstance(value, (str, bytes)) and source in ("s", "?"):
        return Decimal(numeric_prefix(_text(value), "DECIMAL"))
    return to_decimal(value)


@fn.internal("APP_CAST_DECIMAL", returns=None)
def cast_decimal(value: Any, source: str, precision: int, scale: int, name: str) -> int | float | str | None:
    if value is None:
        return None
    d = _exact(value, source)
    if d is None:
        return None
    try:
        d = d.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP, context=WIDE)
    except InvalidOperation:  # more digits than the context keeps: far out of any DECIMAL's range
        pass
    # in the wide context: DECIMAL(38,30)'s limit has 38 digits (the default context would round it to 1e8)
    limit = WIDE.subtract(WIDE.power(10, precision - scale), Decimal(1).scaleb(-scale))
    if abs(d) > limit:
        warn(WARN_OUT_OF_RANGE, f"Out of range value for column '{name}' at row 1")
        d = limit if d > 0 else -limit
    return from_decimal(d)


# -- CAST(x AS DOUBLE) -------------------------------------------------------------------------------


@fn.internal("APP_CAST_DOUBLE", returns=DOUBLE)
def cast_double(value: Any, source: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, float):
        return value
    if source == "x":
        return float(int.from_bytes(bytes(value), "big"))
    if _is_temporal(source, value):
        return float(_temporal_number(value))
    if isinstance(value, (str, bytes)) and source in ("s", "?"):
        return float(numeric_prefix(_text(value), "DOUBLE"))
    d = to_decimal(value)
    return None if d is None else float(d)


# -- CAST(x AS CHAR(n) / BINARY(n)) -----------------------------------------------------------------


def _as_text(value: Any, source: str) -> str:
    if isinstance(value, float):
        return double_text(value) if source != "d" else _text(value)
    return _text(value)


def _utf8(raw: bytes) -> str:
    """Bytes read as utf8mb4: those that are no UTF-8 become '?', with MariaDB's 1300 warning."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        shown = "".join(f"\\x{b:02X}" for b in raw[e.start:e.start + 6])
        warn(WARN_INVALID_CHARACTER_STRING, f"Invalid utf8mb4 character string: '{shown}'")
        return raw.decode("utf-8", "replace").replace("\ufffd", "?")


@fn.internal("APP_BYTES_AS_TEXT", returns=None)
def bytes_as_text(value: Any) -> Any:
    """A column's value for SQLite's CAST(.. AS TEXT) (`_casts`): its bytes as text when it holds a binary
    string (SQLite would hand on bytes that are no UTF-8 as text no one can read), any other value as it is."""
    if isinstance(value, bytes):
        return _utf8(value)
    return value


@fn.internal("APP_CAST_CHAR", returns=STRING)
def cast_char(value: Any, source: str, length: int) -> str | None:
    """At most `length` characters (-1: any number), with MariaDB's 1292 warning when it cut some; bytes
    that are no UTF-8 become '?', with the 1300 warning."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        s = _utf8(bytes(value))
    else:
        s = _as_text(value, source)
    if 0 <= length < len(s):
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect CHAR({length}) value: '{s}'")
        return s[:length]
    return s


@fn.internal("APP_CAST_BINARY", returns=VARBINARY)
def cast_binary(value: Any, source: str, length: int) -> bytes | None:
    """`length` bytes: cut (MariaDB counts the characters of a text value, so 'héllo' AS BINARY(4) keeps
    'héll'), or padded with zero bytes; -1: the value's bytes (a number's text)."""
    if value is None:
        return None
    if length < 0:
        return _as_text(value, source).encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if len(raw) > length:
            warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect BINARY({length}) value: '{_text(raw)}'")
            raw = raw[:length]
    else:
        s = _as_text(value, source)
        if len(s) > length:
            warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect BINARY({length}) value: '{s}'")
            s = s[:length]
        raw = s.encode("utf-8", "surrogateescape")
    return raw.ljust(length, b"\0")


# -- CAST(x AS DATE / DATETIME(n) / TIME(n)) ---------------------------------------------------------

_YY_PART_YEAR: Final = 70
_TIME_DIGITS_MAX: Final = 99991231235959  # two-digit years below it are 20YY, from it 19YY


def _number_datetime(n: int) -> datetime | None:
    """A number read as a DATETIME as MariaDB reads it (number_to_datetime): YYMMDD, YYYYMMDD,
    YYMMDDhhmmss or YYYYMMDDhhmmss; None for what is no date (0, the zero date, is the caller's)."""
    if n < 0:
        return None
    if n <= (_YY_PART_YEAR - 1) * 10000 + 1231:
        n = (n + 20000000) * 1000000
    elif n < _YY_PART_YEAR * 10000 + 101:
        return None
    elif n <= 991231:
        n = (n + 19000000) * 1000000
    elif n < 10000101:
        return None
    elif n <= 99991231:
        n *= 1000000
    elif n < 101000000:
        return None
    elif n <= (_YY_PART_YEAR - 1) * 10**10 + 1231235959:
        n += 20000000000000
    elif n < _YY_PART_YEAR * 10**10 + 101000000:
        return None
    elif n <= 991231235959:
        n += 19000000000000
    if n > 99991231235959:
        return None
    date_part, clock = divmod(n, 1000000)
    try:
        return datetime(date_part // 10000, date_part // 100 % 100, date_part % 100, clock // 10000,
                        clock // 100 % 100, clock % 100)
    except ValueError:
        return None


def _shown(value: Any, source: str) -> str:
    """A value as MariaDB quotes it in a warning."""
    if isinstance(value, float):
        return double_text(value) if source != "d" else _text(value)
    return _text(value)


_ZERO_DATETIME: Final = "0000-00-00 00:00:00"


def _datetime_of(ctx: FunctionContext, value: Any, source: str, name: str) -> tuple[datetime | str, str] | None:
    """(the moment, or the text of a zero date; the fraction digits it carries) of a value CAST to a
    DATE or DATETIME; None, with MariaDB's warning, for what is no date."""
    if source == "D" or source == "T":
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed[0], ""
        zero = zero_parts(value)
        if zero is not None:
            return f"{zero[0]:04d}-{zero[1]:02d}-{zero[2]:02d} 00:00:00", ""
        return None
    if source == "t":  # a TIME is today's
        t = parse_time(value, quiet=True)
        if t is None:
            return None
        today = ctx.statement_time().replace(hour=0, minute=0, second=0, microsecond=0)
        return today + timedelta(microseconds=t.micros), ""
    if isinstance(value, (int, float)) or (isinstance(value, str) and source in ("i", "u", "d")):
        d = to_decimal(value) if source in ("d", "u") or isinstance(value, str) else None
        whole = int(d) if d is not None else int(value)
        frac = ""
        if d is not None and d != d.to_integral_value():
            frac = format(abs(d), "f").partition(".")[2]
        elif isinstance(value, float) and math.isfinite(value) and not value.is_integer():
            frac = repr(abs(value)).partition(".")[2]
        if whole == 0 and not frac:
            return _ZERO_DATETIME, ""
        moment = _number_datetime(whole) if math.isfinite(float(whole)) else None
        if moment is None or (frac and isinstance(value, float) and "e" in repr(value)):
            warn(WARN_TRUNCATED_WRONG_VALUE, f"Incorrect {name} value: '{_shown(value, source)}'")
            return None
        if frac and whole <= 99991231:  # a date's number has no time to give the fraction to
            note(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect date value: '{_shown(value, source)}'")
            frac = ""
        return moment, frac
    read = read_datetime(_text(value))  # MariaDB's formats ('2024/2/3', '240229', '2024-02-29T10:00'), its warnings
    if read is None:
        return None
    if read.year == 0 or read.zero_in_date:
        return datetime_string(read, 0), ""
    return datetime(read.year, read.month, read.day, read.hour, read.minute, read.second, read.micro), ""


@fn.internal("APP_CAST_DATE", returns=DATE, needs_session=True)
def cast_date(ctx: FunctionContext, value: Any, source: str) -> str | None:
    if value is None:
        return None
    found = _datetime_of(ctx, value, source, "datetime")
    if found is None:
        return None
    moment = found[0]
    return moment[:10] if isinstance(moment, str) else date_text(moment)


@fn.internal("APP_CAST_DATETIME", returns=DATETIME, needs_session=True)
def cast_datetime(ctx: FunctionContext, value: Any, source: str, fsp: int) -> str | None:
    """A DATETIME with `fsp` fractional digits, cut (not rounded) as MariaDB's CAST cuts them."""
    if value is None:
        return None
    found = _datetime_of(ctx, value, source, "datetime")
    if found is None:
        return None
    moment, frac = found
    if isinstance(moment, str):
        return moment + ("." + "0" * fsp if fsp else "")
    whole = f"{date_text(moment)} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    digits = (frac or f"{moment.microsecond:06d}").ljust(6, "0")[:fsp]
    return f"{whole}.{digits}" if fsp else whole


@fn.internal("APP_CAST_TIME", returns=TIME)
def cast_time(value: Any, source: str, fsp: int) -> str | None:
    """A TIME with `fsp` fractional digits (cut toward zero)."""
    if value is None:
        return None
    if source == "D" or (source == "?" and type(value) is str and _STORED_DATE.fullmatch(value) is not None):
        return "00:00:00" + ("." + "0" * fsp if fsp else "")  # a DATE's time of day
    if source == "x":
        value = _text(value)
    elif source in ("?", "u") and isinstance(value, bytes) and value.isdigit():
        value = int(value)  # a BIGINT UNSIGNED past 2^63, stored as its digits
    elif isinstance(value, str) and source in ("i", "u", "d"):  # a number's digits
        d = to_decimal(value)
        value = int(d) if d is not None and d == d.to_integral_value() else float(value)
    t: Time | None
    if isinstance(value, (int, float)) and not -_TIME_DIGITS_MAX <= value <= _TIME_DIGITS_MAX:
        # past any YYYYMMDDhhmmss: the TIME range's end, with the 1292 warning
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect time value: '{_shown(value, source)}'")
        t = Time(TIME_MAX if value > 0 else -TIME_MAX, 6)
    else:
        t = parse_time(value)
    if t is None:
        return None
    step = 10 ** (6 - fsp)
    micros = abs(t.micros) // step * step
    return time_string(Time(-micros if t.micros < 0 else micros, fsp))

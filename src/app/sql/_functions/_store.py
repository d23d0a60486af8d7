"""Values stored into a column when strict mode is off (or under INSERT IGNORE / UPDATE IGNORE): what
MariaDB keeps of a value the column cannot hold, and the warning it gives instead of the error.

- an integer, DECIMAL or floating-point column clips to its range (1264 Out of range value); a string
  that is no number stores 0 (1366 Incorrect integer value ...), one that starts with a number stores
  that number (1265 Data truncated; a note when only spaces followed); a DECIMAL rounds to its scale
  (a 1265 note);
- a CHAR / VARCHAR / BINARY / VARBINARY keeps its first characters (1265; a note when only spaces
  were cut);
- a DATE or DATETIME that is no valid date stores the zero date (1265);
- NULL into a NOT NULL column, where MariaDB allows it (a multi-row INSERT, an UPDATE), stores the
  type's implicit default (1048 as a warning).

The DML statements wrap each stored value in `APP_STORE(value, spec, row)`, `spec` describing the
column (`column_spec`), resolved when the statement runs since plans do not depend on the schema.
"""

from __future__ import annotations

import re
import struct
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Final

from .._diagnostics import WARN_DATA_TRUNCATED, WARN_OUT_OF_RANGE, note, silenced, warn
from .._errors import SQLError
from .._types import double_text
from ._mytime import (
    EDOM,
    FUZZY,
    OUT_OF_RANGE,
    TRUNCATED,
    Kind,
    number_parts,
    number_to_time,
    str_to_datetime,
    str_to_time,
    time_string,
)
from ._registry import Family

fn = Family("dml")

_SEP: Final = "\x1f"
_TYPE: Final = re.compile(r"(\w+)(?:\((\d+)(?:,(\d+))?\))?( unsigned)?")
_INT_BITS: Final = {"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "integer": 32, "bigint": 64}
_NUMBER: Final = re.compile(r"[ \t\n\r\v\f]*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_SPACES: Final = " \t\n\r\v\f"
_EXACT: Final = Context(prec=200, rounding=ROUND_HALF_UP)  # DECIMAL(65,30) and beyond, with room
_DOUBLE_MAX: Final = 1.7976931348623157e308
_FLOAT_MAX: Final = 3.402823466e38
_DATE: Final = re.compile(r"\s*(\d{4})[-/.:](\d{1,2})[-/.:](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?)?\s*$")
_TIMESTAMP_MIN: Final = "1970-01-01 00:00:01"
_TIMESTAMP_MAX: Final = "2038-01-19 03:14:07"
_DATE_DIGITS: Final = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?\s*$")
ER_BAD_NULL_WARNING: Final = 1048
ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: Final = 1366
ER_TRUNCATED_WRONG_VALUE: Final = 1292
_INT64_MAX: Final = 2**63 - 1
_SINGLE: Final = struct.Struct("<f")


def column_spec(column: str, type_text: str, database: str, table: str, *, null_to_default: bool,
                strict: bool = False, zero_modes: str = "") -> str:
    """What APP_STORE needs to know of a column, as one string: its name, declared type (lower case),
    database and table (for 1366's message), whether a NULL stores the implicit default, and whether
    strict mode makes a value the column cannot hold an error (the statement runs with its warnings as
    errors; the errors that are no warning's, 1406 and 1292, are raised here or by the column's CHECK)."""
    flags = ("d" if null_to_default else "") + ("s" if strict else "") + zero_modes
    return _SEP.join((column, type_text.lower(), database, table, flags))


@lru_cache(maxsize=256)
def _parsed(spec: str) -> tuple[str, str, int, int, bool, str, str, str, Any]:
    """The spec's parts, and `quick`: a test that `value` is stored as it is, without a warning (the usual
    case, decided without the conversions below), or None."""
    column, type_text, database, table, flags = spec.split(_SEP)
    m = _TYPE.match(type_text)
    base = m.group(1) if m else type_text
    size = int(m.group(2)) if m and m.group(2) else 0
    scale = int(m.group(3)) if m and m.group(3) else 0
    unsigned = bool(m and m.group(4))
    quick: Any = None
    if base in _INT_BITS:
        bits = _INT_BITS[base]
        low, high = (0, 2**bits - 1) if unsigned else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        high = min(high, _INT64_MAX)  # past it: the BLOB of digits
        quick = lambda v: type(v) is int and low <= v <= high  # noqa: E731
    elif base in _DECIMALS:
        whole = 10 ** ((size or 10) - scale)
        low_d = 0 if unsigned else -whole

        def quick(v: Any) -> bool:
            if type(v) is int:
                return bool(low_d < v < whole)
            if type(v) is float and low_d < v < whole:  # its shortest digits fit the scale: kept as it is
                text = repr(v)
                return "e" not in text and len(text) - text.index(".") - 1 <= scale
            return False
    elif base == "varchar" and size:
        quick = lambda v: type(v) is str and len(v) <= size  # noqa: E731
    elif base == "char" and size:  # (a CHAR keeps no trailing spaces: see `_string`)
        quick = lambda v: type(v) is str and len(v) <= size and not v.endswith(" ")  # noqa: E731
    return column, base, size, scale, unsigned, database, table, flags, quick


_DECIMALS: Final = frozenset({"decimal", "numeric", "dec", "fixed"})


@fn.internal("APP_STORE", returns=None)
def store(value: Any, spec: str, row: Any) -> Any:
    """`value` as the column of `spec` keeps it, at `row` (1-based) of the statement."""
    column, base, size, scale, unsigned, database, table, flags, quick = _parsed(spec)
    if value is None:
        if "d" not in flags:
            return None
        warn(ER_BAD_NULL_WARNING, f"Column '{column}' cannot be null")
        return implicit_default(base)
    if quick is not None and quick(value):
        return value
    at = f"for column '{column}' at row {row}"
    if base in _INT_BITS:
        return _integer(value, base, unsigned, column, database, table, row, at)
    if base in _DECIMALS:
        return _decimal(value, size or 10, scale, unsigned, column, database, table, row, at)
    if base in ("double", "float", "real"):
        return _float(value, base, unsigned, column, database, table, row, at)
    if base in ("char", "varchar", "binary", "varbinary") and size:
        return _string(value, base, size, "s" in flags, at)
    if base in ("date", "datetime", "timestamp"):
        return _date(value, base, size if base != "date" else 0, flags, f"`{database}`.`{table}`.`{column}`",
                     row, at)
    if base == "time":
        return _time(value, size, "s" in flags, f"`{database}`.`{table}`.`{column}`", row, at)
    return value


@fn.internal("APP_STORE_QUIET", returns=None)
def store_quiet(value: Any, spec: str, row: Any) -> Any:
    """APP_STORE without its warnings: an UPDATE's SET, whose value its WHERE computed (and warned of)
    to leave out the rows it would not change."""
    with silenced():
        return store(value, spec, row)


@fn.internal("APP_STORE_NEG", returns=None)
def store_negated(value: Any) -> Any:
    """-x of a number literal stored into a column: a long decimal literal is bound as its text, which
    SQLite's minus would make a double (-0.999...9 with 30 nines is -1.0); its text keeps every digit."""
    if isinstance(value, str):
        return value[1:] if value.startswith("-") else "-" + value
    return None if value is None else -value


def implicit_default(base: str) -> Any:
    """The value MariaDB stores for a NOT NULL column given nothing (or NULL, where it allows that)."""
    if base in ("date",):
        return "0000-00-00"
    if base in ("datetime", "timestamp"):
        return "0000-00-00 00:00:00"
    if base == "time":
        return "00:00:00"
    if base in _INT_BITS or base in ("decimal", "numeric", "dec", "fixed", "double", "float", "real", "year", "bit"):
        return 0
    return ""


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _number_of(value: Any, kind: str, column: str, database: str, table: str, row: Any, at: str) -> Any:
    """A string's numeric prefix (int, or Decimal with a point or exponent), warning as MariaDB does."""
    s = _text(value)
    m = _NUMBER.match(s)
    if m is None:
        warn(ER_TRUNCATED_WRONG_VALUE_FOR_FIELD, f"Incorrect {kind} value: '{s}' for column `{database}`.`{table}`."
                                                 f"`{column}` at row {row}")
        return 0
    if m.end() < len(s):
        if s[m.end():].strip(_SPACES):
            warn(WARN_DATA_TRUNCATED, f"Data truncated {at}")
        else:
            note(WARN_DATA_TRUNCATED, f"Data truncated {at}")
    digits = m.group(1)
    return int(digits) if digits.lstrip("+-").isdigit() else Decimal(digits)


def _integer(value: Any, base: str, unsigned: bool, column: str, database: str, table: str, row: Any,
             at: str) -> Any:
    number = value if isinstance(value, (int, float)) else _number_of(value, "integer", column, database, table,
                                                                         row, at)
    bits = _INT_BITS[base]
    low, high = (0, 2**bits - 1) if unsigned else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    if isinstance(number, float):
        if number != number:  # NaN
            number = 0
        elif number in (float("inf"), float("-inf")):
            number = high if number > 0 else low
        else:
            number = Decimal(repr(number))
    if isinstance(number, Decimal):
        number = int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if number < low or number > high:
        warn(WARN_OUT_OF_RANGE, f"Out of range value {at}")
        number = low if number < low else high
    if number > _INT64_MAX:
        # a BIGINT UNSIGNED past SQLite's integers: its 20 digits, zero-padded, in a BLOB (they sort after
        # every integer, and among themselves as their numbers)
        return str(number).zfill(20).encode()
    return number


def _decimal(value: Any, precision: int, scale: int, unsigned: bool, column: str, database: str, table: str,
             row: Any, at: str) -> Any:
    if isinstance(value, float):
        number: Any = Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
        if number is None:
            warn(WARN_OUT_OF_RANGE, f"Out of range value {at}")
            return 0
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        number = _number_of(value, "decimal", column, database, table, row, at)
        number = Decimal(number)
    limit, quantum = _bounds(precision, scale)
    low = _ZERO if unsigned else -limit
    try:
        rounded = number.quantize(quantum, context=_EXACT)
    except InvalidOperation:  # beyond 200 digits: out of range whatever the column
        rounded = limit + 1 if number > 0 else low - 1
    if rounded > limit or rounded < low:
        warn(WARN_OUT_OF_RANGE, f"Out of range value {at}")
        rounded = limit if rounded > limit else low
    elif rounded != number:
        note(WARN_DATA_TRUNCATED, f"Data truncated {at}")
    return stored_decimal(rounded)


_ZERO: Final = Decimal(0)


@lru_cache(maxsize=128)
def _bounds(precision: int, scale: int) -> tuple[Decimal, Decimal]:
    """The largest value of a DECIMAL(precision, scale), and its unit in the last place."""
    return _EXACT.subtract(_EXACT.power(10, precision - scale), Decimal(1).scaleb(-scale)), Decimal(1).scaleb(-scale)


_DECIMAL_DIGITS: Final = 65  # MariaDB's widest DECIMAL: the integer digits a stored BLOB is padded to


def stored_decimal(d: Decimal) -> int | float | bytes:
    """A DECIMAL value as its column keeps it exactly: an INTEGER when it is whole (and fits), a REAL when
    the double's shortest repr is the same decimal (so comparisons and SQLite's own arithmetic see the
    number), else its digits in a BLOB, the integer part zero-padded so that BLOBs of one column sort among
    themselves as their numbers (positive ones; SQLite reads a BLOB's digits as the number in arithmetic)."""
    if d == d.to_integral_value() and -_INT64_MAX - 1 <= d <= _INT64_MAX:
        return int(d)
    f = float(d)
    if Decimal(repr(f)) == d:
        return f
    text = format(d, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    return (sign + whole.zfill(_DECIMAL_DIGITS) + ("." + fraction if fraction else "")).encode()


def _float(value: Any, base: str, unsigned: bool, column: str, database: str, table: str, row: Any,
           at: str) -> Any:
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        found = _number_of(value, "double", column, database, table, row, at)
        number = float(found)
    top = _FLOAT_MAX if base == "float" else _DOUBLE_MAX
    low = 0.0 if unsigned else -top
    if number != number:
        return 0.0
    if number > top or number < low:
        warn(WARN_OUT_OF_RANGE, f"Out of range value {at}")
        number = top if number > top else low
    elif isinstance(value, int) and abs(value) < 2**24:
        return value  # exact in either precision
    if base == "float":  # single precision: 0.1 is kept as 0.10000000149011612
        return _SINGLE.unpack(_SINGLE.pack(number))[0]
    return int(number) if isinstance(value, int) and abs(value) < 2**53 else number


def _string(value: Any, base: str, size: int, strict: bool, at: str) -> Any:
    """A CHAR / VARCHAR (characters) or BINARY / VARBINARY (bytes) value cut to the column's length.

    Cutting only spaces is a note (none for a CHAR, whose trailing spaces are no part of its value);
    cutting more is a warning, and in strict mode 1406, which the column's CHECK raises (`_strict`)."""
    binary = base in ("binary", "varbinary")
    if isinstance(value, (int, float)) and not binary:
        value = str(value) if isinstance(value, int) else double_text(value)
    kept: str | bytes
    if isinstance(value, (bytes, bytearray, memoryview)) or binary:
        data = bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else _text(value).encode()
        if len(data) <= size:
            # BINARY(n) is padded with zero bytes to its length, as MariaDB stores it
            return data.ljust(size, b"\0") if base == "binary" else value
        kept, only_spaces = data[:size], not data[size:].strip(b" ")
    else:
        s = value if isinstance(value, str) else _text(value)
        if len(s) <= size:
            # MariaDB pads a CHAR with spaces and reads it back without them: kept without them
            return s.rstrip(" ") if base == "char" else value
        kept, only_spaces = s[:size], not s[size:].strip(" ")
        if base == "char":
            kept = kept.rstrip(" ")
    if only_spaces:
        if base != "char":
            note(WARN_DATA_TRUNCATED, f"Data truncated {at}")
    elif strict:
        return value
    else:
        warn(WARN_DATA_TRUNCATED, f"Data truncated {at}")
    return kept


def _date(value: Any, base: str, precision: int, flags: str, name: str, row: Any, at: str) -> Any:
    """A DATE / DATETIME value as MariaDB writes it (`2024-01-02`, `2024-01-02 10:11:12`, the fraction cut
    to the column's digits; a DATE keeps the date of a datetime, with a note unless its time is zero), or
    for what is no valid date the zero date (1265), in strict mode (`s` in `flags`) 1292 Incorrect date
    value. The zero date under NO_ZERO_DATE (`z`) is 1264, a zero month or day under NO_ZERO_IN_DATE (`i`)
    1265 and the zero date; both 1292 in strict mode."""
    if isinstance(value, float):
        return value
    s = str(value) if isinstance(value, int) else _text(value)
    kind = "date" if base == "date" else "datetime"
    zero = value == 0 and isinstance(value, int)
    parts, cut = (None, False) if zero else _date_parts(s)
    if not zero and (parts is None or cut or not _valid(parts[0], parts[1], parts[2])):
        if "s" in flags:
            raise SQLError(ER_TRUNCATED_WRONG_VALUE, f"Incorrect {kind} value: '{s}' for column {name} at row {row}",
                           "22007")
        warn(WARN_DATA_TRUNCATED, f"Data truncated {at}")
        if parts is None or not _valid(parts[0], parts[1], parts[2]):
            return implicit_default(base)
    year, month, day, hours, minutes, seconds, fraction = parts or (0, 0, 0, 0, 0, 0, "")
    all_zero = not (year or month or day)
    if ("z" in flags and all_zero) or ("i" in flags and not all_zero and not (month and day)):
        if "s" in flags:
            raise SQLError(ER_TRUNCATED_WRONG_VALUE, f"Incorrect {kind} value: '{s}' for column {name} at row {row}",
                           "22007")
        if all_zero:
            warn(WARN_OUT_OF_RANGE, f"Out of range value {at}")
        else:
            warn(WARN_DATA_TRUNCATED, f"Data truncated {at}")
            return implicit_default(base)
    if parts is None:
        return implicit_default(base)
    day_text = f"{year:04d}-{month:02d}-{day:02d}"
    if base == "date":
        if hours or minutes or seconds or fraction.strip("0"):
            note(WARN_DATA_TRUNCATED, f"Data truncated {at}")
        return day_text
    if hours > 23 or minutes > 59 or seconds > 59:
        return value
    # the fraction cut (not rounded) to the column's digits, as MariaDB does without TIME_ROUND_FRACTIONAL
    kept = f".{fraction[:precision].ljust(precision, '0')}" if precision else ""
    stored = f"{day_text} {hours:02d}:{minutes:02d}:{seconds:02d}{kept}"
    if base == "timestamp" and not all_zero and not _TIMESTAMP_MIN <= stored[:19] <= _TIMESTAMP_MAX:
        # TIMESTAMP holds 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC. A TIMESTAMP is kept as the session
        # wrote it (its reading and time zone are the session's), so the range is checked on that text: exact
        # where the session's time zone is UTC.
        if "s" in flags:
            raise SQLError(ER_TRUNCATED_WRONG_VALUE, f"Incorrect {kind} value: '{s}' for column {name} at row {row}",
                           "22007")
        warn(WARN_OUT_OF_RANGE, f"Out of range value {at}")
        return implicit_default(base)
    return stored


def _time(value: Any, precision: int, strict: bool, name: str, row: Any, at: str) -> Any:
    """A TIME value as MariaDB stores it: '[-]hh:mm:ss' with the column's fractional digits (cut, without a
    warning); a datetime's time of day (note 1265); hours past 838 clipped with 1264, text cut short with 1265,
    what is no time 00:00:00 with 1265; in strict mode each of these is 1292 Incorrect time value."""
    if isinstance(value, (int, float)):
        neg, whole, micro, _ = number_parts(value)
        t, status = number_to_time(neg, whole, micro)
    else:
        t, status = str_to_time(_text(value))
    if t is None or status & (TRUNCATED | EDOM | OUT_OF_RANGE):
        if strict:
            shown = _text(value) if not isinstance(value, float) or not value.is_integer() else str(int(value))
            raise SQLError(ER_TRUNCATED_WRONG_VALUE, f"Incorrect time value: '{shown}' for column {name} at row {row}",
                           "22007")
        if t is not None and status & OUT_OF_RANGE:
            warn(WARN_OUT_OF_RANGE, f"Out of range value {at}")
        else:
            warn(WARN_DATA_TRUNCATED, f"Data truncated {at}")
        if t is None:
            return implicit_default("time")
    if t.kind != Kind.TIME:
        note(WARN_DATA_TRUNCATED, f"Data truncated {at}")
        t = t.time_of_day()
    return time_string(t, precision)


def _date_parts(s: str) -> tuple[tuple[int, int, int, int, int, int, str] | None, bool]:
    """Year, month, day, hours, minutes, seconds and the fraction's digits of a date or datetime text (or None),
    and whether text after the value was cut.

    The common forms are matched here; every other form MariaDB reads as a date ('2024-01-02 03:04' without
    seconds, '24-1-2', '2024-01-02T03:04:05') is read by the one reader of dates (`_mytime`)."""
    m = _DATE.match(s) or _DATE_DIGITS.match(s)
    if m is not None:
        hours, minutes, seconds = (int(m.group(i) or 0) for i in (4, 5, 6))
        fraction = (m.group(7) or "")[1:] if m.re is _DATE else ""
        return (int(m.group(1)), int(m.group(2)), int(m.group(3)), hours, minutes, seconds, fraction), False
    t, status = str_to_datetime(s, FUZZY)
    if t is None or status & (OUT_OF_RANGE | EDOM):
        return None, False
    return (t.year, t.month, t.day, t.hour, t.minute, t.second, f"{t.micro:06d}"[:t.digits]), bool(status & TRUNCATED)


def _valid(year: int, month: int, day: int) -> bool:
    if month == 0 or day == 0:  # zero parts: allowed unless NO_ZERO_IN_DATE
        return month <= 12
    try:
        date(year or 2000, month, day)
    except ValueError:
        return False
    return True

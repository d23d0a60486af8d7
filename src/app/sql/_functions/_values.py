"""How MySQL's functions read their arguments: as text, as numbers, as dates and times.

Dates are the text SQLite stores ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS'); a value that cannot be
read as one gives None, as MySQL gives NULL (with a warning) for an invalid date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Final

from .._diagnostics import WARN_TRUNCATED_WRONG_VALUE, warn
from .._types import number_of

__all__ = ["date_arg", "date_text", "datetime_text", "number_of", "parse_datetime", "text", "to_int"]


def text(value: Any) -> str:
    """A value as MySQL's string functions see it."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def to_int(value: Any) -> int:
    """A value used as an integer argument (a count, a position): a float rounds."""
    n = number_of(value)
    return round(n) if isinstance(n, float) else n


_DATETIME: Final = re.compile(
    r"\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?)?\s*$")


def parse_datetime(value: Any) -> tuple[datetime, bool] | None:
    """(the moment, whether the value had a time of day); None for NULL or what is not a date."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value))  # MySQL reads 20240102 and 20240102030405 as dates
        try:
            if len(digits) == 8:
                return datetime.strptime(digits, "%Y%m%d"), False
            if len(digits) in (5, 6):  # YYMMDD: 70-99 are 19YY
                six = digits.zfill(6)
                century = 1900 if int(six[:2]) >= 70 else 2000
                return datetime.strptime(f"{century + int(six[:2])}{six[2:]}", "%Y%m%d"), False
            if len(digits) == 14:
                return datetime.strptime(digits, "%Y%m%d%H%M%S"), True
        except ValueError:
            return None
        return None
    m = _DATETIME.match(text(value))
    if m is None:
        return None
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                          int((frac or "0").ljust(6, "0")))
    except ValueError:
        return None
    return moment, h is not None


def date_arg(value: Any) -> tuple[datetime, bool] | None:
    """`parse_datetime` for a function that needs a date: what is no date (and is not NULL) gives
    MariaDB's warning `1292 Incorrect datetime value: '...'`."""
    parsed = parse_datetime(value)
    if parsed is None and value is not None:
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Incorrect datetime value: '{text(value)}'")
    return parsed


def date_text(d: date) -> str:
    """A DATE as MySQL writes it."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def datetime_text(dt: datetime) -> str:
    """A DATETIME as MySQL writes it (microseconds only when there are some)."""
    out = f"{date_text(dt)} {dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    return out + f".{dt.microsecond:06d}" if dt.microsecond else out

"""How MySQL's functions read their arguments: as text, as numbers, as dates and times.

Dates are the text SQLite stores ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS'); a value that cannot be
read as one gives None, as MySQL gives NULL (with a warning) for an invalid date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .._types import number_of
from ._mytime import NO_ZERO, Kind, MyTime, read_datetime

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


def parse_datetime(value: Any) -> tuple[datetime, bool] | None:
    """(the moment, whether the value had a time of day); None for NULL or what is not a calendar
    date (a zero date, Feb 30): MariaDB's reading of dates (see `_mytime`), without its warnings."""
    return _moment(read_datetime(value, NO_ZERO, quiet=True))


def date_arg(value: Any) -> tuple[datetime, bool] | None:
    """`parse_datetime` for a function that needs a date: what is no date (and is not NULL) gives
    MariaDB's warning `1292 Incorrect datetime value: '...'`."""
    return _moment(read_datetime(value, NO_ZERO))


def _moment(t: MyTime | None) -> tuple[datetime, bool] | None:
    if t is None or not t.year:  # (no year 0 in Python's calendar)
        return None
    return datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro), t.kind == Kind.DATETIME


def date_text(d: date) -> str:
    """A DATE as MySQL writes it."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def datetime_text(dt: datetime) -> str:
    """A DATETIME as MySQL writes it (microseconds only when there are some)."""
    out = f"{date_text(dt)} {dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    return out + f".{dt.microsecond:06d}" if dt.microsecond else out

"""MariaDB's reading of strings and numbers as dates, datetimes and times, with its warnings.

MariaDB reads a value the same way wherever a date or time is wanted (CAST, HOUR, DATE_FORMAT, ...);
these follow its rules as measured on 10.11:

- a date is YYYY-MM-DD with any punctuation between the parts (2024/2/3, 24.2.3), a space or a T before
  an optional time of day, a fraction after the seconds; or digits only: YYMMDD, YYYYMMDD,
  YYMMDDhhmmss, YYYYMMDDhhmmss. A two-digit year 70-99 is 19YY, 00-69 is 20YY. Zero parts
  ('2024-00-10', '0000-00-00') are a date for CAST and YEAR but not for DAYOFWEEK; Feb 30 is none;
- a time is [-][D ]hh:mm:ss[.ffffff], hh:mm, or digits read from the right as [hh]mmss; a string of 12
  characters or more, or with a T, is read as a datetime whose time of day is taken. Hours past 838
  are cut to 838:59:59.999999 with a warning;
- trailing spaces are fine; anything else after a value is cut with a warning
  (`Truncated incorrect ... value`); what is no value at all is NULL (`Incorrect ... value`).
"""

from __future__ import annotations

import functools
import math
import re
import string
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any, Final

from .._diagnostics import WARN_TRUNCATED_WRONG_VALUE, note, warn

__all__ = ["FUZZY", "NO_ZERO", "Kind", "MyTime", "date_string", "datetime_string", "read_datetime", "read_interval",
           "read_time", "time_string"]

_SPACE: Final = frozenset(" \t\n\v\f\r")
_PUNCT: Final = frozenset(string.punctuation)
_DIGIT: Final = frozenset(string.digits)

# What a reader allows of a date (MariaDB's date_mode_t).
NO_ZERO_IN_DATE: Final = 1  # '2024-00-10', '2024-02-00'
NO_ZERO_DATE: Final = 2  # '0000-00-00'
INVALID_DATES: Final = 4  # '2024-02-30'
FUZZY: Final = 0  # CAST, YEAR, DATE_FORMAT: zero parts allowed, Feb 30 not
NO_ZERO: Final = NO_ZERO_IN_DATE | NO_ZERO_DATE  # DAYOFWEEK, TO_DAYS, WEEK: a calendar date

# Conversion status bits (MYSQL_TIME_WARN_*).
TRUNCATED: Final = 1
OUT_OF_RANGE: Final = 2
EDOM: Final = 4
ZERO_DATE: Final = 8
NOTE_TRUNCATED: Final = 16

TIME_MAX_HOUR: Final = 838
_ERR_HOUR: Final = 2**32 - 1  # hours past this are no time at all, even as an interval
INTERVAL_HOURS: Final = _ERR_HOUR
_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Kind(IntEnum):
    """What a value was read as (MariaDB's timestamp types)."""

    NONE = -2  # not a datetime at all (maybe a time)
    ERROR = -1  # a datetime with wrong values
    DATE = 0
    DATETIME = 1
    TIME = 2


@dataclass(frozen=True, slots=True)
class MyTime:
    """A date, datetime or time as MariaDB holds it: parts that may be zero ('0000-00-00')."""

    kind: Kind
    year: int = 0
    month: int = 0
    day: int = 0
    hour: int = 0  # a TIME's hours go past 23
    minute: int = 0
    second: int = 0
    micro: int = 0
    neg: bool = False  # a TIME only
    digits: int = 0  # fractional digits the text had (0..6)

    def time_of_day(self) -> MyTime:
        """A TIME: a DATETIME's time of day, a DATE's midnight, a TIME itself."""
        if self.kind == Kind.TIME:
            return self
        return MyTime(Kind.TIME, hour=self.hour, minute=self.minute, second=self.second, micro=self.micro,
                      digits=self.digits)

    @property
    def zero_in_date(self) -> bool:
        return self.month == 0 or self.day == 0


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or (year % 400 == 0 and year != 0))


def _date_error(t: MyTime, not_zero: bool, flags: int) -> int:
    """The status bit that makes a date unacceptable under `flags` (0: acceptable)."""
    if not_zero:
        if (flags & NO_ZERO_IN_DATE) and t.zero_in_date:
            return OUT_OF_RANGE
        if (not flags & INVALID_DATES) and t.month and t.day > _DAYS_IN_MONTH[t.month - 1] and not (
                t.month == 2 and t.day == 29 and _leap(t.year)):
            return OUT_OF_RANGE
        return 0
    return ZERO_DATE if flags & NO_ZERO_DATE else 0


# -- strings ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Body:
    """A string's value part: leading spaces and sign skipped, trailing spaces and letters cut."""

    text: str
    neg: bool
    status: int


def _body(s: str) -> _Body | None:
    i, n = 0, len(s)
    while i < n and s[i] in _SPACE:
        i += 1
    neg = False
    if i < n and s[i] in "+-":
        neg = s[i] == "-"
        i += 1
        while i < n and s[i] in _SPACE:
            i += 1
    end, garbage = n, False
    while end > i:  # trailing spaces and letters (a T right after a digit is the ISO separator)
        ch = s[end - 1]
        if ch in _DIGIT or ch in _PUNCT:
            break
        if ch in _SPACE:
            end -= 1
            continue
        if ch == "T" and end - i >= 2 and s[end - 2] in _DIGIT:
            break
        garbage = True
        end -= 1
    body = s[i:end]
    if not body or body[0] not in _DIGIT:
        return None
    return _Body(body, neg, TRUNCATED if garbage else 0)


class _Scan:
    """A cursor over a string's characters."""

    __slots__ = ("pos", "s")

    def __init__(self, s: str) -> None:
        self.s = s
        self.pos = 0

    def more(self) -> bool:
        return self.pos < len(self.s)

    def peek(self) -> str:
        return self.s[self.pos] if self.pos < len(self.s) else ""

    def number(self, limit: int | None = None) -> int | None:
        """The digits here (at most `limit` of them); None when there is none."""
        end = len(self.s) if limit is None else min(len(self.s), self.pos + limit)
        start = self.pos
        while self.pos < end and self.s[self.pos] in _DIGIT:
            self.pos += 1
        return int(self.s[start:self.pos]) if self.pos > start else None

    def skip_digits(self) -> int:
        start = self.pos
        while self.pos < len(self.s) and self.s[self.pos] in _DIGIT:
            self.pos += 1
        return self.pos - start


def _datetime_body(s: str, flags: int, punct_separates: bool) -> tuple[MyTime, int, int, int]:
    """(the value, status, number of fields read, where reading stopped) of a datetime's body."""
    sc = _Scan(s)
    parts: list[int] = []
    status = 0
    digits = _all_digits(s)
    if digits:
        year_length = 4 if digits in (4, 8) or digits >= 14 else 2
        for width in (year_length, 2, 2, None, 2, 2, 2):
            if width is None:  # an optional T between the date and the time
                if sc.peek() == "T":
                    sc.pos += 1
                continue
            if not sc.more():
                break
            value = sc.number(width)
            if value is None:
                status |= TRUNCATED
                break
            parts.append(value)
    else:
        start = sc.pos
        first = sc.number()
        assert first is not None  # a body starts with a digit
        parts.append(first)
        year_length = sc.pos - start
        # year - month - day [T| |punct] hour : minute : second
        for sep in ("punct", "punct", "datetime", "punct", "punct"):
            if not sc.more():
                break
            ch = sc.peek()
            if sep == "punct" or ch == "T":
                if sep == "punct" and ch not in _PUNCT:
                    status |= TRUNCATED
                    break
                sc.pos += 1
            elif ch in _PUNCT:
                if not punct_separates:  # CAST('11:11:11.12' AS TIME) is no datetime
                    return MyTime(Kind.NONE), status | TRUNCATED, 0, sc.pos
                sc.pos += 1
            elif ch in _SPACE:
                while sc.more() and sc.peek() in _SPACE:
                    sc.pos += 1
            else:
                status |= TRUNCATED
                break
            if not sc.more():
                break
            value = sc.number()
            if value is None:
                status |= TRUNCATED
                break
            parts.append(value)
    fields = len(parts)
    if fields < 3:
        return MyTime(Kind.NONE), status | TRUNCATED, fields, sc.pos
    micro = digits_read = 0
    if not status and sc.peek() == ".":
        sc.pos += 1
        micro, digits_read, extra = _microseconds(sc)
        status |= extra
        fields += 1 if digits_read else 0
    parts += [0] * (6 - len(parts))
    year, month, day, hour, minute, second = parts[:6]
    not_zero = any(parts[:6]) or micro > 0
    if year_length == 2 and not_zero:
        year += 2000 if year < 70 else 1900
    if year > 9999 or month > 12 or day > 31 or hour > 23 or minute > 59 or second > 59:
        return MyTime(Kind.ERROR), status | TRUNCATED, fields, sc.pos
    t = MyTime(Kind.DATE if fields <= 3 else Kind.DATETIME, year, month, day, hour, minute, second, micro,
               digits=digits_read)
    bad = _date_error(t, not_zero, flags)
    if bad:
        return MyTime(Kind.ERROR), status | bad, fields, sc.pos
    if sc.more():
        status |= TRUNCATED
    return t, status, fields, sc.pos


def _all_digits(s: str) -> int:
    """The digits of `s` when it is digits only ([YY]YYMMDD[T][hhmmss[.ffffff]], read by fixed widths),
    else 0."""
    sc = _Scan(s)
    digits = sc.skip_digits()
    if sc.peek() == "T":
        sc.pos += 1
        digits += sc.skip_digits()
    if sc.peek() == "." and digits >= 12:
        sc.pos += 1
        sc.skip_digits()
    return 0 if sc.more() else digits


def _microseconds(sc: _Scan) -> tuple[int, int, int]:
    """(microseconds, digits read, status) of a fraction: six digits kept, the rest cut with a note."""
    start = sc.pos
    value = sc.number(6)
    read = sc.pos - start
    micro = 0 if value is None else value * 10 ** (6 - read)
    status = TRUNCATED if value is None and sc.more() else 0
    return micro, read, status | (NOTE_TRUNCATED if sc.skip_digits() else 0)


def _looks_like_datetime(s: str, dates_delimited: bool, dates_numeric: bool) -> bool:
    """Whether a time's text may be a full datetime, which a time reader tries first."""
    if len(s) >= 12:
        return True
    if len(s) < 5 + (0 if dates_delimited else 1) and not dates_numeric:
        return False
    punct = 0
    for ch in s:
        if ch == "T":
            return True
        if ch == " ":
            return punct > 0  # '1-1-1 1:1:1' is a datetime; '1 10:00:00' is a day and a time
        if ch in _PUNCT:
            if dates_delimited and ch != ":":
                return True
            punct += 1
    return dates_numeric and punct == 0


def _counts(s: str) -> tuple[int, int, int]:
    """(punctuation, colons, T) in `s`."""
    return sum(ch in _PUNCT for ch in s), s.count(":"), s.count("T")


def _time_body(s: str, neg: bool, max_hour: int = TIME_MAX_HOUR) -> tuple[MyTime | None, int]:
    """[D ]hh:mm:ss[.ffffff], hh:mm, or [[hh]mm]ss digits; hours past 838 cut."""
    sc = _Scan(s)
    first = sc.number() or 0
    end_of_days = sc.pos
    while sc.more() and sc.peek() in _SPACE:
        sc.pos += 1
    rest = len(s) - sc.pos
    status = 0
    if rest > 1 and sc.pos != end_of_days and sc.peek() in _DIGIT:  # a day count, then hours
        days, state, values = first, 1, [first]
        found = True
    elif rest > 1 and sc.peek() == ":" and s[sc.pos + 1] in _DIGIT:  # hours
        days, state, values = 0, 2, [0, first]
        sc.pos += 1
        found = True
    else:  # one number: [[hh]mm]ss
        days, values, found = 0, [0, first // 10000, first // 100 % 100, first % 100], False
        state = 4
    if found:
        while True:
            values.append(sc.number() or 0)
            state += 1
            if state == 4 or len(s) - sc.pos < 2 or sc.peek() != ":" or s[sc.pos + 1] not in _DIGIT:
                break
            sc.pos += 1
        values += [0] * (4 - len(values))
    micro = digits = 0
    if sc.peek() == ".":
        sc.pos += 1
        micro, digits, extra = _microseconds(sc)
        status |= extra
    if len(s) - sc.pos > 1 and sc.peek() in "eE" and (
            s[sc.pos + 1] in _DIGIT or (s[sc.pos + 1] in "+-" and len(s) - sc.pos > 2 and s[sc.pos + 2] in _DIGIT)):
        return None, status | TRUNCATED
    _, hours, minutes, seconds = values[:4]
    hours += days * 24
    if minutes >= 60 or seconds >= 60 or hours > _ERR_HOUR:
        return None, status | TRUNCATED
    t = MyTime(Kind.TIME, hour=hours, minute=minutes, second=seconds, micro=micro, neg=neg, digits=digits)
    if hours > max_hour:
        t = replace(t, hour=max_hour, minute=59, second=59, micro=999_999)
        status |= OUT_OF_RANGE
    if sc.more():
        status |= TRUNCATED
    return t, status


# How SQLite holds a DATE or DATETIME column's value: read without the general scanner.
_CANONICAL: Final = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?)?")


@functools.lru_cache(maxsize=4096)
def str_to_datetime(s: str, flags: int) -> tuple[MyTime | None, int]:
    """A string as a DATE or DATETIME (MariaDB's str_to_datetime_or_date): (value or None, status).
    Pure, so cached: a column's values repeat."""
    m = _CANONICAL.fullmatch(s)
    if m is not None:
        y, mo, d, h, mi, sec, frac = m.groups()
        t = MyTime(Kind.DATETIME if h else Kind.DATE, int(y), int(mo), int(d), int(h or 0), int(mi or 0),
                   int(sec or 0), int((frac or "0").ljust(6, "0")), digits=len(frac or ""))
        if t.month <= 12 and t.day <= 31 and t.hour <= 23 and t.minute <= 59 and t.second <= 59:
            not_zero = bool(t.year or t.month or t.day or t.hour or t.minute or t.second or t.micro)
            bad = _date_error(t, not_zero, flags)
            return (None, bad) if bad else (t, 0)
    body = _body(s)
    if body is None:
        return None, EDOM
    t, status, _, _ = _datetime_body(body.text, flags, True)
    status |= body.status
    if t.kind < Kind.DATE:
        return None, status
    if body.neg:
        return None, status | OUT_OF_RANGE
    return t, status


@functools.lru_cache(maxsize=4096)
def str_to_time(s: str, flags: int = FUZZY, *, dates_delimited: bool = False, dates_numeric: bool = False,
                max_hour: int = TIME_MAX_HOUR) -> tuple[MyTime | None, int]:
    """A string as a TIME, or as the DATETIME it is (str_to_datetime_or_date_or_time): (value or None, status).

    EXTRACT reads its argument as an interval: `dates_delimited` takes '2024-02-29' as a date (not the
    time 00:20:24), `dates_numeric` '20240315' too, and hours go past 838."""
    body = _body(s)
    if body is None:
        return None, EDOM
    text = body.text
    if _looks_like_datetime(text, dates_delimited, dates_numeric):
        t, status, fields, stop = _datetime_body(text, flags, False)
        status |= body.status
        if t.kind == Kind.DATETIME:
            return (None, status | OUT_OF_RANGE) if body.neg else (t, status)
        punct, colons, iso = _counts(text[:stop])
        if t.kind == Kind.DATE and (iso or not colons):
            return (None, status | OUT_OF_RANGE) if body.neg else (t, status)
        if t.kind == Kind.ERROR and (fields > 3 or iso or not colons):
            return None, status
        if t.kind == Kind.NONE and dates_numeric and stop >= len(text) and not (punct or colons or iso):
            return None, status  # EXTRACT(DAY FROM '1111'): digits too few for a date are no time either
    t2, status2 = _time_body(text, body.neg, max_hour)
    return t2, status2 | body.status


# -- numbers ----------------------------------------------------------------------------------------


def number_parts(value: int | float) -> tuple[bool, int, int, bool]:
    """(negative, whole part, microseconds, digits past the sixth cut) of a number."""
    if isinstance(value, int):
        return value < 0, abs(value), 0, False
    neg = value < 0
    x = abs(value)
    whole = math.floor(x)
    nanos = int((x - whole) * 1e9)
    # A double's digits past the sixth are cut without a note (MariaDB's Sec6 of a double): a FLOAT's 0.1
    # is 0.10000000149011612 and reads as 0 seconds quietly.
    return neg, int(whole), nanos // 1000, False


def number_to_datetime(n: int, micro: int, flags: int) -> MyTime | None:
    """YYMMDD, YYYYMMDD, YYMMDDhhmmss, YYYYMMDDhhmmss as a number (MariaDB's number_to_datetime)."""
    kind = Kind.DATE
    if n == 0 or n >= 10000101000000:
        if n > 99991231235959:
            return None
        kind = Kind.DATETIME
    elif n < 101:
        return None
    elif n <= 691231:
        n = (n + 20000000) * 1000000
    elif n < 700101:
        return None
    elif n <= 991231:
        n = (n + 19000000) * 1000000
    elif n <= 99991231:
        n *= 1000000
    elif n < 101000000:
        return None
    else:
        kind = Kind.DATETIME
        if n <= 691231235959:
            n += 20000000000000
        elif n < 700101000000:
            return None
        elif n <= 991231235959:
            n += 19000000000000
    ymd, hms = divmod(n, 1000000)
    t = MyTime(kind, ymd // 10000, ymd // 100 % 100, ymd % 100, hms // 10000, hms // 100 % 100, hms % 100, micro,
               digits=6 if micro else 0)
    if t.month > 12 or t.day > 31 or t.hour > 23 or t.minute > 59 or t.second > 59:
        return None
    if _date_error(t, bool(n or micro), flags):
        return None
    return t


def number_to_time(neg: bool, n: int, micro: int) -> tuple[MyTime | None, int]:
    """[[hh]mm]ss as a number, or the time of day of a YYYYMMDD[hhmmss] (MariaDB's number_to_time)."""
    if 9999999 < n < 99991231235959 and not neg:
        t = number_to_datetime(n, micro, INVALID_DATES)
        return t, 0 if t is not None else TRUNCATED
    if n // 100 % 100 >= 60 or n % 100 >= 60:
        return None, TRUNCATED
    status = 0
    if n > 8385959:
        n, micro, status = 8385959, 999_999, OUT_OF_RANGE
    return MyTime(Kind.TIME, hour=n // 10000, minute=n // 100 % 100, second=n % 100, micro=micro, neg=neg,
                  digits=6 if micro else 0), status


# -- values as functions get them, with MariaDB's warnings -------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, float):
        return repr(value) if not value.is_integer() or abs(value) >= 1e15 else str(int(value))
    return str(value)


def _report(value: Any, result: MyTime | None, status: int, wanted: str) -> None:
    """MariaDB's warning for a conversion: NULL is `Incorrect <wanted> value`; a value kept in part is
    `Truncated incorrect <its kind> value` (a warning, or a note for digits past the sixth only)."""
    if result is None:
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Incorrect {wanted} value: '{_text(value)}'")
        return
    kind = {Kind.DATE: "date", Kind.DATETIME: "datetime"}.get(result.kind, "time")
    if status & (TRUNCATED | OUT_OF_RANGE | EDOM | ZERO_DATE):
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect {kind} value: '{_text(value)}'")
    elif status & NOTE_TRUNCATED:
        note(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect {kind} value: '{_text(value)}'")


def read_datetime(value: Any, flags: int = FUZZY, *, quiet: bool = False) -> MyTime | None:
    """A value where MariaDB wants a DATE or DATETIME: None for NULL, or (with a warning) for what is none."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        neg, whole, micro, cut = number_parts(value)
        t = None if neg else number_to_datetime(whole, micro, flags)
        status = NOTE_TRUNCATED if cut else 0
    else:
        t, status = str_to_datetime(_text(value), flags)
    if not quiet:
        _report(value, t, status, "datetime")
    return t


def read_time(value: Any, *, quiet: bool = False, max_hour: int = TIME_MAX_HOUR) -> MyTime | None:
    """A value where MariaDB wants a TIME: a DATETIME's text gives its time of day. None for NULL, or
    (with a warning) for what is no time. An interval (ADDTIME's) has no `max_hour` (see `INTERVAL_HOURS`)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        neg, whole, micro, cut = number_parts(value)
        t, status = number_to_time(neg, whole, micro)
        if cut:
            status |= NOTE_TRUNCATED
    else:
        t, status = str_to_time(_text(value), max_hour=max_hour)
    if not quiet:
        _report(value, t, status, "time")
    return t


def read_interval(value: Any, *, days: bool) -> MyTime | None:
    """A value as EXTRACT reads it for a unit of time (`days`: DAY, DAY_HOUR, ... too): a date or
    datetime, or a time whose hours go past 838; a number is [[hh]mm]ss."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        neg, whole, micro, cut = number_parts(value)
        t: MyTime | None = None
        status = TRUNCATED
        if whole // 100 % 100 < 60 and whole % 100 < 60 and whole // 10000 <= _ERR_HOUR:
            t = MyTime(Kind.TIME, hour=whole // 10000, minute=whole // 100 % 100, second=whole % 100, micro=micro,
                       neg=neg)
            status = NOTE_TRUNCATED if cut else 0
    else:
        t, status = str_to_time(_text(value), dates_delimited=True, dates_numeric=days, max_hour=_ERR_HOUR)
    _report(value, t, status, "time")
    return t


# -- writing them --------------------------------------------------------------------------------------


def _fraction(micro: int, fsp: int) -> str:
    return "." + f"{micro:06d}"[:fsp] if fsp > 0 else ""


def date_string(t: MyTime) -> str:
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}"


def datetime_string(t: MyTime, fsp: int) -> str:
    """'YYYY-MM-DD hh:mm:ss' with `fsp` fractional digits (cut, as MariaDB cuts them)."""
    return f"{date_string(t)} {t.hour:02d}:{t.minute:02d}:{t.second:02d}{_fraction(t.micro, fsp)}"


def time_string(t: MyTime, fsp: int) -> str:
    """'[-]hh:mm:ss' (hours past 99 as they are) with `fsp` fractional digits."""
    micro = int(f"{t.micro:06d}"[:fsp].ljust(6, "0")) if fsp > 0 else 0
    sign = "-" if t.neg and (t.hour or t.minute or t.second or micro) else ""
    return f"{sign}{t.hour:02d}:{t.minute:02d}:{t.second:02d}{_fraction(t.micro, fsp)}"

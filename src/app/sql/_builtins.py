"""MySQL's built-in functions that SQLite lacks or defines differently, as SQLite functions.

The translator (`_translate._rewrite_functions`) turns `YEAR(d)`, `DATE_ADD(d,
INTERVAL 1 DAY)`, `LPAD(s, 5, '0')`, `x MOD y` and their kind into calls of the
`APP_*` functions here, which follow MySQL: NULL in, NULL out; strings compare
case-insensitively where MySQL's default collation does (LOCATE, FIELD,
STRCMP); dates are the text SQLite stores ('YYYY-MM-DD', 'YYYY-MM-DD
HH:MM:SS'), and a date that cannot be read gives NULL, as MySQL gives NULL
(with a warning) for an invalid date. None of them reads the session; they
are registered on every connection with the session's own functions
(`_functions.register`).
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import math
import re
import zlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any, Final

from ._types import number_of

# -- values -----------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A value as MySQL's string functions see it."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _int(value: Any) -> int:
    n = number_of(value)
    return int(round(n)) if isinstance(n, float) else n


_DATETIME: Final = re.compile(
    r"\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?)?\s*$")
_TIME: Final = re.compile(r"\s*(-)?(?:(\d+) )?(\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?\s*$")


def _datetime(value: Any) -> tuple[datetime, bool] | None:
    """(the moment, whether the value had a time of day); None for NULL or what is not a date."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value))  # MySQL reads 20240102 and 20240102030405 as dates
        try:
            if len(digits) == 8:
                return datetime.strptime(digits, "%Y%m%d"), False
            if len(digits) == 14:
                return datetime.strptime(digits, "%Y%m%d%H%M%S"), True
        except ValueError:
            return None
        return None
    m = _DATETIME.match(_text(value))
    if m is None:
        return None
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                          int((frac or "0").ljust(6, "0")))
    except ValueError:
        return None
    return moment, h is not None


def _date_text(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _datetime_text(dt: datetime) -> str:
    text = f"{_date_text(dt)} {dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    return text + f".{dt.microsecond:06d}" if dt.microsecond else text


def _seconds_of_time(value: Any) -> float | None:
    """A TIME (or the time of day of a DATETIME) in seconds."""
    if value is None:
        return None
    m = _TIME.match(_text(value))
    if m is not None:
        sign, days, h, mi, s, frac = m.groups()
        total = (int(days or 0) * 24 + int(h)) * 3600 + int(mi) * 60 + int(s or 0) + int((frac or "0").ljust(6, "0")) / 1e6
        return -total if sign else total
    parsed = _datetime(value)
    if parsed is None:
        return None
    dt = parsed[0]
    return dt.hour * 3600 + dt.minute * 60 + dt.second + dt.microsecond / 1e6


def _time_text(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    whole = int(seconds)
    micros = round((seconds - whole) * 1e6)
    text = f"{sign}{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return text + f".{micros:06d}" if micros else text


def _part(getter: Callable[[datetime], Any]) -> Callable[[Any], Any]:
    def part(value: Any) -> Any:
        parsed = _datetime(value)
        return None if parsed is None else getter(parsed[0])

    return part


def _time_part(index: int) -> Callable[[Any], Any]:
    """HOUR, MINUTE, SECOND of a TIME or a DATETIME."""
    def part(value: Any) -> Any:
        parsed = _datetime(value)
        if parsed is not None:
            dt = parsed[0]
            return (dt.hour, dt.minute, dt.second)[index]
        seconds = _seconds_of_time(value)
        if seconds is None:
            return None
        whole = int(abs(seconds))
        return (whole // 3600, whole % 3600 // 60, whole % 60)[index]

    return part


# -- numbers ----------------------------------------------------------------------------------------


def mod(a: Any, b: Any) -> Any:
    """MOD and %: works on fractions, takes the dividend's sign, NULL for a zero divisor."""
    if a is None or b is None:
        return None
    x, y = number_of(a), number_of(b)
    if y == 0:
        return None
    if isinstance(x, int) and isinstance(y, int):
        return int(math.fmod(x, y)) if abs(x) < 2**53 else x - y * int(x / y)
    return math.fmod(x, y)


def truncate(x: Any, digits: Any) -> Any:
    if x is None or digits is None:
        return None
    n, d = number_of(x), _int(digits)
    if isinstance(n, int) and d >= 0:
        return n
    quantum = Decimal(1).scaleb(-d)
    result = Decimal(repr(n) if isinstance(n, float) else n).quantize(quantum, rounding=ROUND_DOWN) \
        if d >= 0 else (Decimal(n) / quantum).to_integral_value(rounding=ROUND_DOWN) * quantum
    return int(result) if isinstance(n, int) else float(result)


def format_number(x: Any, digits: Any, *_locale: Any) -> str | None:
    """FORMAT(1234.5, 2) = '1,234.50'."""
    if x is None or digits is None:
        return None
    d = max(0, min(_int(digits), 30))
    n = number_of(x)
    value = Decimal(repr(n) if isinstance(n, float) else n).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    return f"{value:,.{d}f}"


def hex_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        n = int(round(value))
        return format(n if n >= 0 else n + 2**64, "X")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex().upper()
    return str(value).encode().hex().upper()


def _digest(algorithm: str) -> Callable[[Any], str | None]:
    def digest(value: Any) -> str | None:
        if value is None:
            return None
        data = bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else _text(value).encode()
        return hashlib.new(algorithm, data).hexdigest()

    return digest


def sha2(value: Any, bits: Any) -> str | None:
    if value is None or bits is None:
        return None
    size = _int(bits) or 256
    if size not in (224, 256, 384, 512):
        return None
    return _digest(f"sha{size}")(value)


def crc32(value: Any) -> int | None:
    if value is None:
        return None
    data = bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else _text(value).encode()
    return zlib.crc32(data)


# -- strings ------------------------------------------------------------------------------------------


def length(value: Any) -> int | None:
    """LENGTH is in bytes (CHAR_LENGTH in characters)."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    return len(_text(value).encode())


def char_length(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    return len(_text(value))


def left(s: Any, n: Any) -> str | None:
    if s is None or n is None:
        return None
    k = _int(n)
    return _text(s)[:k] if k > 0 else ""


def right(s: Any, n: Any) -> str | None:
    if s is None or n is None:
        return None
    k = _int(n)
    return _text(s)[-k:] if k > 0 else ""


def _pad(left_side: bool) -> Callable[[Any, Any, Any], str | None]:
    def pad(s: Any, n: Any, fill: Any = " ") -> str | None:
        if s is None or n is None or fill is None:
            return None
        text, k, fill_text = _text(s), _int(n), _text(fill)
        if k < 0:
            return None
        if len(text) >= k:
            return text[:k]
        if not fill_text:
            return None
        padding = (fill_text * (k // len(fill_text) + 1))[: k - len(text)]
        return padding + text if left_side else text + padding

    return pad


def reverse(s: Any) -> str | None:
    return None if s is None else _text(s)[::-1]


def repeat(s: Any, n: Any) -> str | None:
    if s is None or n is None:
        return None
    return _text(s) * max(0, _int(n))


def space(n: Any) -> str | None:
    return None if n is None else " " * max(0, _int(n))


def substring_index(s: Any, delimiter: Any, count: Any) -> str | None:
    if s is None or delimiter is None or count is None:
        return None
    text, delim, k = _text(s), _text(delimiter), _int(count)
    if not delim or k == 0:
        return ""
    parts = text.split(delim)
    return delim.join(parts[:k]) if k > 0 else delim.join(parts[k:])


def locate(sub: Any, s: Any, position: Any = 1) -> int | None:
    """LOCATE / INSTR / POSITION: 1-based, 0 when absent, case-insensitive as the default collation."""
    if sub is None or s is None or position is None:
        return None
    start = _int(position)
    if start < 1:
        return 0
    text, needle = _text(s).casefold(), _text(sub).casefold()
    found = text.find(needle, start - 1)
    return found + 1 if found >= 0 else 0


def instr(s: Any, sub: Any) -> int | None:
    return locate(sub, s)


def field(value: Any, *candidates: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        key = value.casefold()
        for i, c in enumerate(candidates, 1):
            if c is not None and _text(c).casefold() == key:
                return i
        return 0
    for i, c in enumerate(candidates, 1):
        if c is not None and number_of(c) == number_of(value):
            return i
    return 0


def elt(n: Any, *values: Any) -> Any:
    if n is None:
        return None
    k = _int(n)
    return _text(values[k - 1]) if 1 <= k <= len(values) and values[k - 1] is not None else None


def find_in_set(value: Any, items: Any) -> int | None:
    if value is None or items is None:
        return None
    key = _text(value).casefold()
    if "," in key:
        return 0
    for i, item in enumerate(_text(items).split(","), 1):
        if item.casefold() == key:
            return i
    return 0


def strcmp(a: Any, b: Any) -> int | None:
    if a is None or b is None:
        return None
    x, y = _text(a).casefold(), _text(b).casefold()
    return (x > y) - (x < y)


def insert(s: Any, position: Any, count: Any, new: Any) -> str | None:
    if s is None or position is None or count is None or new is None:
        return None
    text, pos, n = _text(s), _int(position), _int(count)
    if pos < 1 or pos > len(text):
        return text
    if n < 0 or pos - 1 + n > len(text):
        n = len(text) - pos + 1
    return text[: pos - 1] + _text(new) + text[pos - 1 + n :]


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)  # the default collation is case-insensitive
    except re.error:
        return None


def regexp(pattern: Any, value: Any) -> int | None:
    """`value REGEXP pattern` (SQLite calls regexp(pattern, value))."""
    if pattern is None or value is None:
        return None
    rx = _regex(_text(pattern))
    return None if rx is None else int(rx.search(_text(value)) is not None)


def regexp_replace(value: Any, pattern: Any, replacement: Any) -> str | None:
    if value is None or pattern is None or replacement is None:
        return None
    rx = _regex(_text(pattern))
    # MySQL writes back-references as \1 too; Python's templates take them the same way.
    return None if rx is None else rx.sub(_text(replacement), _text(value))


def regexp_substr(value: Any, pattern: Any) -> str | None:
    if value is None or pattern is None:
        return None
    rx = _regex(_text(pattern))
    found = rx.search(_text(value)) if rx is not None else None
    return None if found is None else found.group()


def regexp_instr(value: Any, pattern: Any) -> int | None:
    if value is None or pattern is None:
        return None
    rx = _regex(_text(pattern))
    found = rx.search(_text(value)) if rx is not None else None
    return 0 if found is None else found.start() + 1


def decimal_text(value: Any, scale: Any) -> Any:
    """A DECIMAL column's value where MySQL uses it as a string (CONCAT, GROUP_CONCAT, CAST AS
    CHAR): with the column's scale, '10.50', which SQLite's REAL 10.5 lost."""
    if value is None or scale is None or isinstance(value, (str, bytes)):
        return value
    quantum = Decimal(1).scaleb(-int(scale))
    text = format(Decimal(repr(value) if isinstance(value, float) else value).quantize(quantum, rounding=ROUND_HALF_UP), "f")
    return text[1:] if text[0] == "-" and not text.strip("-0.") else text


def double_text(value: Any) -> Any:
    """A DOUBLE column's value as a string: 10, not SQLite's 10.0."""
    return _text(value) if isinstance(value, float) else value


# -- dates --------------------------------------------------------------------------------------------


def date_of(value: Any) -> str | None:
    parsed = _datetime(value)
    return None if parsed is None else _date_text(parsed[0])


def time_of(value: Any) -> str | None:
    parsed = _datetime(value)
    if parsed is not None:
        dt = parsed[0]
        text = f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
        return text + f".{dt.microsecond:06d}" if dt.microsecond else text
    seconds = _seconds_of_time(value)
    return None if seconds is None else _time_text(seconds)


_WEEK_MONDAY_FIRST: Final = 1
_WEEK_YEAR: Final = 2
_WEEK_FIRST_WEEKDAY: Final = 4


def _days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _calc_week(d: date, behaviour: int) -> tuple[int, int]:
    """(week, year) as MySQL's calc_week computes them (sql-common/my_time.c)."""
    daynr = d.toordinal()
    first_daynr = date(d.year, 1, 1).toordinal()
    monday_first = bool(behaviour & _WEEK_MONDAY_FIRST)
    week_year = bool(behaviour & _WEEK_YEAR)
    first_weekday = bool(behaviour & _WEEK_FIRST_WEEKDAY)
    weekday = (first_daynr + (0 if monday_first else 1) - 1) % 7  # 0 = the week's first day
    year = d.year
    if d.month == 1 and d.day <= 7 - weekday:
        if not week_year and ((first_weekday and weekday != 0) or (not first_weekday and weekday >= 4)):
            return 0, year
        week_year = True
        year -= 1
        days = _days_in_year(year)
        first_daynr -= days
        weekday = (weekday + 53 * 7 - days) % 7
    if (first_weekday and weekday != 0) or (not first_weekday and weekday >= 4):
        days = daynr - (first_daynr + (7 - weekday))
    else:
        days = daynr - (first_daynr - weekday)
    if week_year and days >= 52 * 7:
        weekday = (weekday + _days_in_year(year)) % 7
        if (not first_weekday and weekday < 4) or (first_weekday and weekday == 0):
            return 1, year + 1
    return days // 7 + 1, year


def _week_mode(mode: int) -> int:
    behaviour = mode & 7
    if not behaviour & _WEEK_MONDAY_FIRST:
        behaviour ^= _WEEK_FIRST_WEEKDAY
    return behaviour


def _week(d: date, mode: int) -> int:
    return _calc_week(d, _week_mode(mode))[0]


def week(value: Any, mode: Any = 0) -> int | None:
    """WEEK(d, mode): mode 0 (the default) counts Sunday-started weeks from 0."""
    parsed = _datetime(value)
    if parsed is None:
        return None
    return _week(parsed[0].date(), _int(mode) if mode is not None else 0)


def yearweek(value: Any, mode: Any = 0) -> int | None:
    parsed = _datetime(value)
    if parsed is None:
        return None
    w, y = _calc_week(parsed[0].date(), _week_mode(_int(mode) if mode is not None else 0) | _WEEK_YEAR)
    return y * 100 + w


def last_day(value: Any) -> str | None:
    parsed = _datetime(value)
    if parsed is None:
        return None
    d = parsed[0]
    return _date_text(date(d.year, d.month, calendar.monthrange(d.year, d.month)[1]))


def to_days(value: Any) -> int | None:
    parsed = _datetime(value)
    return None if parsed is None else parsed[0].toordinal() + 365


def makedate(year: Any, day_of_year: Any) -> str | None:
    if year is None or day_of_year is None:
        return None
    y, n = _int(year), _int(day_of_year)
    if n <= 0:
        return None
    try:
        return _date_text(date(y, 1, 1) + timedelta(days=n - 1))
    except (ValueError, OverflowError):
        return None


def datediff(a: Any, b: Any) -> int | None:
    x, y = _datetime(a), _datetime(b)
    if x is None or y is None:
        return None
    return (x[0].date() - y[0].date()).days


def _months_between(a: datetime, b: datetime) -> int:
    months = (b.year - a.year) * 12 + (b.month - a.month)
    # A month counts once the day and time of day reach the start's.
    if months > 0 and (b.day, b.time()) < (a.day, a.time()):
        months -= 1
    elif months < 0 and (b.day, b.time()) > (a.day, a.time()):
        months += 1
    return months


_UNIT_SECONDS: Final = {"MICROSECOND": 1e-6, "SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400, "WEEK": 604800}


def timestampdiff(unit: Any, a: Any, b: Any) -> int | None:
    x, y = _datetime(a), _datetime(b)
    if x is None or y is None or unit is None:
        return None
    u = _text(unit).upper()
    if u in ("MONTH", "QUARTER", "YEAR"):
        months = _months_between(x[0], y[0])
        return int(months / {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[u])
    if u not in _UNIT_SECONDS:
        return None
    delta = y[0] - x[0]
    if u == "MICROSECOND":
        return delta // timedelta(microseconds=1)
    return int(delta.total_seconds() / _UNIT_SECONDS[u])


_COMPOUND: Final = {  # INTERVAL 'a:b' UNIT: the fields, largest first
    "YEAR_MONTH": ("YEAR", "MONTH"), "DAY_HOUR": ("DAY", "HOUR"), "DAY_MINUTE": ("DAY", "HOUR", "MINUTE"),
    "DAY_SECOND": ("DAY", "HOUR", "MINUTE", "SECOND"), "HOUR_MINUTE": ("HOUR", "MINUTE"),
    "HOUR_SECOND": ("HOUR", "MINUTE", "SECOND"), "MINUTE_SECOND": ("MINUTE", "SECOND"),
    "DAY_MICROSECOND": ("DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND"),
    "HOUR_MICROSECOND": ("HOUR", "MINUTE", "SECOND", "MICROSECOND"),
    "MINUTE_MICROSECOND": ("MINUTE", "SECOND", "MICROSECOND"), "SECOND_MICROSECOND": ("SECOND", "MICROSECOND"),
}
DATE_UNITS: Final = frozenset({"DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "YEAR_MONTH"})


def _add_months(dt: datetime, months: int) -> datetime:
    total = dt.year * 12 + dt.month - 1 + months
    year, month = divmod(total, 12)
    day = min(dt.day, calendar.monthrange(year, month + 1)[1])
    return dt.replace(year=year, month=month + 1, day=day)


def date_add(value: Any, amount: Any, unit: Any, sign: Any = 1) -> str | None:
    """DATE_ADD / DATE_SUB / d + INTERVAL n UNIT; `sign` -1 subtracts."""
    parsed = _datetime(value)
    if parsed is None or amount is None or unit is None:
        return None
    dt, has_time = parsed
    u = _text(unit).upper()
    direction = -1 if sign is not None and number_of(sign) < 0 else 1
    try:
        if u in _COMPOUND:
            text = _text(amount).strip()
            negative = text.startswith("-")
            numbers = [int(x) for x in re.findall(r"\d+", text)]
            fields = _COMPOUND[u][-len(numbers):] if numbers else ()
            sign = (-1 if negative else 1) * direction
            months = 0
            delta = timedelta()
            for name, n in zip(fields, numbers):
                if name == "YEAR":
                    months += 12 * n
                elif name == "MONTH":
                    months += n
                elif name == "MICROSECOND":
                    delta += timedelta(microseconds=n)
                else:
                    delta += timedelta(seconds=n * _UNIT_SECONDS[name])
            result = _add_months(dt, sign * months) + sign * delta
        elif u in ("MONTH", "QUARTER", "YEAR"):
            result = _add_months(dt, direction * _int(amount) * {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[u])
        elif u in _UNIT_SECONDS:
            count = direction * number_of(amount)
            if u == "MICROSECOND":
                result = dt + timedelta(microseconds=count)
            else:
                result = dt + timedelta(seconds=(round(count) if u != "SECOND" else count) * _UNIT_SECONDS[u])
        else:
            return None
    except (OverflowError, ValueError):
        return None
    if not has_time and u in DATE_UNITS:
        return _date_text(result)
    return _datetime_text(result)


_DAY_NAMES: Final = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_NAMES: Final = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                       "October", "November", "December"]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _format_one(dt: datetime, code: str) -> str:
    h12 = dt.hour % 12 or 12
    if code == "a":
        return _DAY_NAMES[dt.weekday()][:3]
    if code == "b":
        return _MONTH_NAMES[dt.month - 1][:3]
    if code == "c":
        return str(dt.month)
    if code == "D":
        return _ordinal(dt.day)
    if code == "d":
        return f"{dt.day:02d}"
    if code == "e":
        return str(dt.day)
    if code == "f":
        return f"{dt.microsecond:06d}"
    if code == "H":
        return f"{dt.hour:02d}"
    if code in ("h", "I"):
        return f"{h12:02d}"
    if code == "i":
        return f"{dt.minute:02d}"
    if code == "j":
        return f"{dt.timetuple().tm_yday:03d}"
    if code == "k":
        return str(dt.hour)
    if code == "l":
        return str(h12)
    if code == "M":
        return _MONTH_NAMES[dt.month - 1]
    if code == "m":
        return f"{dt.month:02d}"
    if code == "p":
        return "AM" if dt.hour < 12 else "PM"
    if code == "r":
        return f"{h12:02d}:{dt.minute:02d}:{dt.second:02d} {'AM' if dt.hour < 12 else 'PM'}"
    if code in ("S", "s"):
        return f"{dt.second:02d}"
    if code == "T":
        return f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    if code == "U":
        return f"{_calc_week(dt.date(), _WEEK_FIRST_WEEKDAY)[0]:02d}"
    if code == "u":
        return f"{_calc_week(dt.date(), _WEEK_MONDAY_FIRST)[0]:02d}"
    if code == "V":
        return f"{_calc_week(dt.date(), _WEEK_YEAR | _WEEK_FIRST_WEEKDAY)[0]:02d}"
    if code == "v":
        return f"{_calc_week(dt.date(), _WEEK_MONDAY_FIRST | _WEEK_YEAR)[0]:02d}"
    if code == "W":
        return _DAY_NAMES[dt.weekday()]
    if code == "w":
        return str((dt.weekday() + 1) % 7)
    if code == "X":
        return f"{_calc_week(dt.date(), _WEEK_YEAR | _WEEK_FIRST_WEEKDAY)[1]:04d}"
    if code == "x":
        return f"{_calc_week(dt.date(), _WEEK_MONDAY_FIRST | _WEEK_YEAR)[1]:04d}"
    if code == "Y":
        return f"{dt.year:04d}"
    if code == "y":
        return f"{dt.year % 100:02d}"
    return code  # %% and unknown specifiers: the character itself


def date_format(value: Any, fmt: Any) -> str | None:
    """DATE_FORMAT with MySQL's specifiers (%Y-%m-%d %H:%i:%s, %W, %M, %D, %p, ...)."""
    parsed = _datetime(value)
    if parsed is None or fmt is None:
        return None
    dt = parsed[0]
    return re.sub(r"%(.)", lambda m: _format_one(dt, m.group(1)), _text(fmt))


_PARSE_CODES: Final = {
    "Y": r"(?P<Y>\d{4})", "y": r"(?P<y>\d{2})", "m": r"(?P<m>\d{1,2})", "c": r"(?P<m>\d{1,2})",
    "d": r"(?P<d>\d{1,2})", "e": r"(?P<d>\d{1,2})", "H": r"(?P<H>\d{1,2})", "k": r"(?P<H>\d{1,2})",
    "h": r"(?P<h>\d{1,2})", "I": r"(?P<h>\d{1,2})", "l": r"(?P<h>\d{1,2})", "i": r"(?P<i>\d{1,2})",
    "s": r"(?P<s>\d{1,2})", "S": r"(?P<s>\d{1,2})", "f": r"(?P<f>\d{1,6})", "p": r"(?P<p>AM|PM|am|pm)",
    "M": r"(?P<M>[A-Za-z]+)", "b": r"(?P<b>[A-Za-z]{3})", "W": r"[A-Za-z]+", "a": r"[A-Za-z]{3}",
    "j": r"(?P<j>\d{1,3})", "T": r"(?P<H>\d{1,2}):(?P<i>\d{1,2}):(?P<s>\d{1,2})",
    "D": r"(?P<d>\d{1,2})(?:st|nd|rd|th)", "%": "%",
}


def str_to_date(value: Any, fmt: Any) -> str | None:
    """STR_TO_DATE: a DATE, DATETIME or TIME string, depending on what the format has."""
    if value is None or fmt is None:
        return None
    pattern = ""
    for m in re.finditer(r"%(.)|([^%]+)", _text(fmt)):
        if m.group(1) is not None:
            pattern += _PARSE_CODES.get(m.group(1), re.escape(m.group(1)))
        else:
            pattern += r"\s+" if m.group(2).isspace() else re.escape(m.group(2))
    try:
        found = re.match(pattern, _text(value).strip())
    except re.error:
        return None
    if found is None:
        return None
    g = found.groupdict()
    has_date = any(k in g for k in ("Y", "y", "m", "d", "M", "b", "j"))
    has_time = any(k in g for k in ("H", "h", "i", "s", "f"))
    try:
        year = int(g["Y"]) if g.get("Y") else (2000 + int(g["y"]) if int(g["y"]) < 70 else 1900 + int(g["y"])) \
            if g.get("y") else 0
        month = int(g["m"]) if g.get("m") else 0
        for key in ("M", "b"):
            if g.get(key):
                names = [n.lower()[: len(g[key])] if key == "b" else n.lower() for n in _MONTH_NAMES]
                month = names.index(g[key].lower()) + 1
        day = int(g["d"]) if g.get("d") else 0
        hour = int(g.get("H") or 0)
        if g.get("h"):
            hour = int(g["h"]) % 12 + (12 if (g.get("p") or "").upper() == "PM" else 0)
        minute, second = int(g.get("i") or 0), int(g.get("s") or 0)
        micro = int((g.get("f") or "0").ljust(6, "0"))
        if g.get("j"):
            d = date(year, 1, 1) + timedelta(days=int(g["j"]) - 1)
            month, day = d.month, d.day
        if has_date:
            if month and day:
                date(year, month, day)  # validates
            date_text = f"{year:04d}-{month:02d}-{day:02d}"
        time_text = f"{hour:02d}:{minute:02d}:{second:02d}" + (f".{micro:06d}" if micro else "")
    except (ValueError, KeyError, IndexError):
        return None
    if has_date and has_time:
        return f"{date_text} {time_text}"
    if has_date:
        return date_text
    return time_text


def time_to_sec(value: Any) -> int | None:
    seconds = _seconds_of_time(value)
    return None if seconds is None else int(seconds)


def sec_to_time(value: Any) -> str | None:
    return None if value is None else _time_text(float(number_of(value)))


def timediff(a: Any, b: Any) -> str | None:
    x, y = _datetime(a), _datetime(b)
    if x is not None and y is not None:
        return _time_text((x[0] - y[0]).total_seconds())
    s, t = _seconds_of_time(a), _seconds_of_time(b)
    return None if s is None or t is None else _time_text(s - t)


def extract(unit: Any, value: Any) -> int | None:
    u = _text(unit).upper()
    getters: dict[str, Callable[[Any], Any]] = {
        "YEAR": FUNCTIONS["APP_YEAR"], "MONTH": FUNCTIONS["APP_MONTH"], "DAY": FUNCTIONS["APP_DAY"],
        "HOUR": FUNCTIONS["APP_HOUR"], "MINUTE": FUNCTIONS["APP_MINUTE"], "SECOND": FUNCTIONS["APP_SECOND"],
        "MICROSECOND": FUNCTIONS["APP_MICROSECOND"], "QUARTER": FUNCTIONS["APP_QUARTER"],
        "WEEK": week, "DOW": FUNCTIONS["APP_DAYOFWEEK"], "DOY": FUNCTIONS["APP_DAYOFYEAR"],
    }
    getter = getters.get(u)
    if getter is None:
        parsed = _datetime(value)
        if parsed is None:
            return None
        dt = parsed[0]
        if u == "YEAR_MONTH":
            return dt.year * 100 + dt.month
        if u == "DAY_HOUR":
            return dt.day * 100 + dt.hour
        return None
    result = getter(value)
    return None if result is None else int(result)


# -- aggregates -----------------------------------------------------------------------------------------


class _Variance:
    """VARIANCE / STDDEV and their _POP and _SAMP forms (Welford's running mean)."""

    def __init__(self, sample: bool, root: bool) -> None:
        self.sample, self.root = sample, root
        self.n, self.mean, self.m2 = 0, 0.0, 0.0

    def step(self, value: Any) -> None:
        if value is None:
            return
        x = float(number_of(value))
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)

    def final(self) -> float | None:
        if self.n == 0 or (self.sample and self.n < 2):
            return None
        v = self.m2 / (self.n - 1 if self.sample else self.n)
        return math.sqrt(v) if self.root else v


class _Bits:
    def __init__(self, op: str) -> None:
        self.op = op
        self.value = -1 if op == "and" else 0

    def step(self, value: Any) -> None:
        if value is None:
            return
        n = _int(value) & (2**64 - 1)
        if self.op == "and":
            self.value &= n
        elif self.op == "or":
            self.value |= n
        else:
            self.value ^= n

    def final(self) -> int:
        result = self.value & (2**64 - 1)
        return result if result < 2**63 else result - 2**64  # SQLite integers are signed 64-bit


def _aggregate(make: Callable[[], Any]) -> Callable[[], tuple[Any, Callable[..., None], Callable[[Any], Any]]]:
    def factory() -> tuple[Any, Callable[..., None], Callable[[Any], Any]]:
        state = make()
        return state, lambda _ctx, *args: state.step(*args), lambda _ctx: state.final()

    return factory


AGGREGATES: Final[dict[str, Callable[[], Any]]] = {
    "APP_VAR_POP": _aggregate(lambda: _Variance(False, False)),
    "APP_VAR_SAMP": _aggregate(lambda: _Variance(True, False)),
    "APP_STDDEV_POP": _aggregate(lambda: _Variance(False, True)),
    "APP_STDDEV_SAMP": _aggregate(lambda: _Variance(True, True)),
    "APP_BIT_AND": _aggregate(lambda: _Bits("and")),
    "APP_BIT_OR": _aggregate(lambda: _Bits("or")),
    "APP_BIT_XOR": _aggregate(lambda: _Bits("xor")),
}


FUNCTIONS: Final[dict[str, Callable[..., Any]]] = {
    "APP_MOD": mod,
    "APP_TRUNCATE": truncate,
    "APP_FORMAT": format_number,
    "APP_HEX": hex_of,
    "APP_MD5": _digest("md5"),
    "APP_SHA1": _digest("sha1"),
    "APP_SHA2": sha2,
    "APP_CRC32": crc32,
    "APP_LENGTH": length,
    "APP_CHAR_LENGTH": char_length,
    "APP_LEFT": left,
    "APP_RIGHT": right,
    "APP_LPAD": _pad(True),
    "APP_RPAD": _pad(False),
    "APP_REVERSE": reverse,
    "APP_REPEAT": repeat,
    "APP_SPACE": space,
    "APP_SUBSTRING_INDEX": substring_index,
    "APP_LOCATE": locate,
    "APP_INSTR": instr,
    "APP_FIELD": field,
    "APP_ELT": elt,
    "APP_FIND_IN_SET": find_in_set,
    "APP_STRCMP": strcmp,
    "APP_INSERT": insert,
    "REGEXP": regexp,
    "APP_REGEXP_REPLACE": regexp_replace,
    "APP_REGEXP_SUBSTR": regexp_substr,
    "APP_REGEXP_INSTR": regexp_instr,
    "APP_DECIMAL_TEXT": decimal_text,
    "APP_DOUBLE_TEXT": double_text,
    "APP_DATE": date_of,
    "APP_TIME": time_of,
    "APP_YEAR": _part(lambda d: d.year),
    "APP_MONTH": _part(lambda d: d.month),
    "APP_DAY": _part(lambda d: d.day),
    "APP_HOUR": _time_part(0),
    "APP_MINUTE": _time_part(1),
    "APP_SECOND": _time_part(2),
    "APP_MICROSECOND": _part(lambda d: d.microsecond),
    "APP_DAYOFWEEK": _part(lambda d: (d.weekday() + 1) % 7 + 1),
    "APP_WEEKDAY": _part(lambda d: d.weekday()),
    "APP_DAYOFYEAR": _part(lambda d: d.timetuple().tm_yday),
    "APP_QUARTER": _part(lambda d: (d.month - 1) // 3 + 1),
    "APP_WEEK": week,
    "APP_YEARWEEK": yearweek,
    "APP_WEEKOFYEAR": _part(lambda d: _week(d.date(), 3)),
    "APP_DAYNAME": _part(lambda d: _DAY_NAMES[d.weekday()]),
    "APP_MONTHNAME": _part(lambda d: _MONTH_NAMES[d.month - 1]),
    "APP_LAST_DAY": last_day,
    "APP_TO_DAYS": to_days,
    "APP_MAKEDATE": makedate,
    "APP_DATEDIFF": datediff,
    "APP_TIMESTAMPDIFF": timestampdiff,
    "APP_DATE_ADD": date_add,
    "APP_DATE_FORMAT": date_format,
    "APP_STR_TO_DATE": str_to_date,
    "APP_TIME_TO_SEC": time_to_sec,
    "APP_SEC_TO_TIME": sec_to_time,
    "APP_TIMEDIFF": timediff,
    "APP_EXTRACT": extract,
}

# Functions whose result depends only on their arguments (SQLite may use them in indexes and
# factor them out of loops).
DETERMINISTIC: Final = frozenset(FUNCTIONS)

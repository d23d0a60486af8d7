"""DATE_FORMAT and STR_TO_DATE, with MySQL's format specifiers (%Y-%m-%d %H:%i:%s, %W, %M, %D, ...)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import WARN_TRUNCATED_WRONG_VALUE, warn
from .._errors import SQLError
from .._sqltypes import DATE, DATETIME, STRING, TIME, SQLType, TypeExpr
from ._calendar import DAY_NAMES, MONTH_NAMES, WEEK_FIRST_WEEKDAY, WEEK_MONDAY_FIRST, WEEK_YEAR, calc_week
from ._mytime import MyTime, read_datetime
from ._registry import Family, Typer, udf
from ._values import text

fn = Family("datetime")

WARN_WRONG_VALUE_FOR_TYPE: Final = 1411

# sqlglot's MySQL dialect turns DATE_FORMAT's MySQL specifiers into strftime ones; token by token
# this is the way back (%M is MySQL's minutes, %B its month name; the rest are the same).
_STRFTIME_TO_MYSQL: Final = {"%B": "%M", "%-m": "%c", "%-d": "%e", "%I": "%h", "%M": "%i", "%S": "%s", "%W": "%u",
                             "%-H": "%k", "%-I": "%l", "%A": "%W", "%G": "%x"}


def mysql_format(node: exp.Expr | None) -> exp.Expr | None:
    """A DATE_FORMAT / STR_TO_DATE pattern with MySQL's specifiers, as our functions take it."""
    if isinstance(node, exp.Literal) and node.is_string:
        pattern = re.sub(r"%-?.", lambda m: _STRFTIME_TO_MYSQL.get(m.group(), m.group()), node.this)
        return exp.Literal.string(pattern)
    return node


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _h12(dt: datetime) -> int:
    return dt.hour % 12 or 12


def _week_code(behaviour: int, part: int, width: int) -> Callable[[datetime], str]:
    return lambda dt: f"{calc_week(dt.date(), behaviour)[part]:0{width}d}"


_SPECIFIERS: Final[dict[str, Callable[[datetime], str]]] = {
    "a": lambda dt: DAY_NAMES[dt.weekday()][:3],
    "b": lambda dt: MONTH_NAMES[dt.month - 1][:3],
    "c": lambda dt: str(dt.month),
    "D": lambda dt: _ordinal(dt.day),
    "d": lambda dt: f"{dt.day:02d}",
    "e": lambda dt: str(dt.day),
    "f": lambda dt: f"{dt.microsecond:06d}",
    "H": lambda dt: f"{dt.hour:02d}",
    "h": lambda dt: f"{_h12(dt):02d}",
    "I": lambda dt: f"{_h12(dt):02d}",
    "i": lambda dt: f"{dt.minute:02d}",
    "j": lambda dt: f"{dt.timetuple().tm_yday:03d}",
    "k": lambda dt: str(dt.hour),
    "l": lambda dt: str(_h12(dt)),
    "M": lambda dt: MONTH_NAMES[dt.month - 1],
    "m": lambda dt: f"{dt.month:02d}",
    "p": lambda dt: "AM" if dt.hour < 12 else "PM",
    "r": lambda dt: f"{_h12(dt):02d}:{dt.minute:02d}:{dt.second:02d} {'AM' if dt.hour < 12 else 'PM'}",
    "S": lambda dt: f"{dt.second:02d}",
    "s": lambda dt: f"{dt.second:02d}",
    "T": lambda dt: f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}",
    "U": _week_code(WEEK_FIRST_WEEKDAY, 0, 2),
    "u": _week_code(WEEK_MONDAY_FIRST, 0, 2),
    "V": _week_code(WEEK_YEAR | WEEK_FIRST_WEEKDAY, 0, 2),
    "v": _week_code(WEEK_MONDAY_FIRST | WEEK_YEAR, 0, 2),
    "W": lambda dt: DAY_NAMES[dt.weekday()],
    "w": lambda dt: str((dt.weekday() + 1) % 7),
    "X": _week_code(WEEK_YEAR | WEEK_FIRST_WEEKDAY, 1, 4),
    "x": _week_code(WEEK_MONDAY_FIRST | WEEK_YEAR, 1, 4),
    "Y": lambda dt: f"{dt.year:04d}",
    "y": lambda dt: f"{dt.year % 100:02d}",
}


def _format_one(dt: datetime, code: str) -> str:
    specifier = _SPECIFIERS.get(code)
    return code if specifier is None else specifier(dt)  # %% and unknown specifiers: the character itself


@fn.scalar("DATE_FORMAT", node=exp.TimeToStr, args=lambda n: [n.this, mysql_format(n.args.get("format"))],
           returns=STRING, examples=["DATE_FORMAT('2024-02-29 13:04:05', '%W %D %M %Y %h:%i %p')",
                                     "DATE_FORMAT('2024-01-01', '%U %u %V %v %X %x %j')"])
def date_format(value: Any, fmt: Any) -> str | None:
    """NULL with MariaDB's warning for what is no date; a date with zero parts ('2006-06-00') shows
    them, except by specifiers that need a calendar day (weekday, day of the year, week): NULL."""
    if value is None or fmt is None:
        return None
    t = read_datetime(value)
    if t is None:
        return None
    if t.year and t.month and t.day:
        dt = datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro)
        return re.sub(r"%(.)", lambda m: _format_one(dt, m.group(1)), text(fmt))
    out: list[str] = []
    for m in re.finditer(r"%(.)|[^%]+|%$", text(fmt)):
        code = m.group(1)
        if code is None:
            out.append(m.group())
            continue
        part = _zero_part(t, code)
        if part is None:
            return None
        out.append(part)
    return "".join(out)


def _zero_part(t: MyTime, code: str) -> str | None:
    """A specifier of a date with zero parts (None: MariaDB has no answer for it)."""
    h12 = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    simple = {"Y": f"{t.year:04d}", "y": f"{t.year % 100:02d}", "m": f"{t.month:02d}", "c": str(t.month),
              "d": f"{t.day:02d}", "e": str(t.day), "D": _ordinal(t.day), "H": f"{t.hour:02d}", "k": str(t.hour),
              "h": f"{h12:02d}", "I": f"{h12:02d}", "l": str(h12), "i": f"{t.minute:02d}", "s": f"{t.second:02d}",
              "S": f"{t.second:02d}", "f": f"{t.micro:06d}", "p": ampm,
              "r": f"{h12:02d}:{t.minute:02d}:{t.second:02d} {ampm}",
              "T": f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"}
    if code in simple:
        return simple[code]
    if code in "Mb":
        return None if not t.month else MONTH_NAMES[t.month - 1][: 3 if code == "b" else None]
    return None if code in _SPECIFIERS else code


_DATE_CODES: Final = frozenset("abcDdejMmUuVvWwXxYy")
_TIME_CODES: Final = frozenset("HkhIliSsTrp")


def _str_to_date_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """A DATE, DATETIME or TIME by the specifiers of a literal format (%f: six fractional digits)."""
    if len(node.expressions) != 2:
        return None
    fmt = node.expressions[1]
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        return None
    codes = set(re.findall(r"%(.)", fmt.this))
    has_date, has_time = bool(codes & _DATE_CODES), bool(codes & _TIME_CODES)
    if "f" in codes:
        return SQLType("datetime" if has_date else "time", 6, fixed=True)
    return DATE if has_date and not has_time else TIME if has_time and not has_date else DATETIME


class _NoDate(Exception):
    """The value does not match the format (MariaDB's 1411)."""


@dataclass
class _Parsed:
    year: int = 0
    month: int = 0
    day: int = 0
    hour: int = 0
    minute: int = 0
    second: int = 0
    micro: int = 0
    yearday: int = 0
    usa_time: bool = False
    daypart: int = 0


_SPACES: Final = " \t\n\v\f\r"


def _digits(value: str, pos: int, width: int) -> tuple[int, int]:
    """(the number of at most `width` digits at `pos`; where it ends)."""
    end = min(len(value), pos + width)
    m = re.compile(r"\d+").match(value, pos, end)  # a sign is no part of a date
    if m is None:
        raise _NoDate
    return int(m.group()), m.end()


def _word(value: str, pos: int, names: list[str], abbreviated: bool) -> tuple[int, int]:
    """(1-based index of the (abbreviated) name at `pos`, where it ends)."""
    m = re.compile(r"[A-Za-z]+").match(value, pos)
    if m is None:
        raise _NoDate
    word = m.group().lower()
    for i, name in enumerate(names):
        if (name[:3] if abbreviated else name).lower() == word:
            return i + 1, m.end()
    raise _NoDate


def _extract(value: str, fmt: str, p: _Parsed) -> int:
    """MariaDB's extract_date_time: read `value` by `fmt` into `p`; where reading stopped."""
    pos, i = 0, 0
    while i < len(fmt) and pos < len(value):
        while pos < len(value) and value[pos] in _SPACES:  # spaces before each element are skipped
            pos += 1
        if pos >= len(value):
            break
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            i += 1
            code = fmt[i]
            if code in "Yy":
                n, end = _digits(value, pos, 4 if code == "Y" else 2)
                p.year = n if code == "Y" and end - pos > 2 else (n + 2000 if n < 70 else n + 1900)
                pos = end
            elif code in "mc":
                p.month, pos = _digits(value, pos, 2)
            elif code in "Mb":
                p.month, pos = _word(value, pos, MONTH_NAMES, code == "b")
            elif code in "deD":
                p.day, pos = _digits(value, pos, 2)
                if code == "D":
                    pos = min(len(value), pos + 2)  # st, nd, rd, th
            elif code in "hIlkH":
                p.usa_time = p.usa_time or code in "hIl"
                p.hour, pos = _digits(value, pos, 2)
            elif code == "i":
                p.minute, pos = _digits(value, pos, 2)
            elif code in "sS":
                p.second, pos = _digits(value, pos, 2)
            elif code == "f":
                start = pos
                p.micro, pos = _digits(value, pos, 6)
                p.micro *= 10 ** (6 - (pos - start))
            elif code == "p":
                if len(value) - pos < 2 or not p.usa_time:
                    raise _NoDate
                half = value[pos:pos + 2].upper()
                if half not in ("AM", "PM"):
                    raise _NoDate
                p.daypart = 12 if half == "PM" else 0
                pos += 2
            elif code in "Wa":
                _, pos = _word(value, pos, DAY_NAMES, code == "a")
            elif code == "w":
                n, pos = _digits(value, pos, 1)
                if not 0 <= n < 7:
                    raise _NoDate
            elif code == "j":
                p.yearday, pos = _digits(value, pos, 3)
            elif code in "UuVv":
                _, pos = _digits(value, pos, 2)
            elif code in "Xx":
                _, pos = _digits(value, pos, 4)
            elif code in "Tr":
                pos += _extract(value[pos:], "%H:%i:%s" if code == "T" else "%I:%i:%S %p", p)
            elif code == ".":
                while pos < len(value) and value[pos] in string.punctuation:
                    pos += 1
            elif code == "@":
                while pos < len(value) and value[pos].isalpha():
                    pos += 1
            elif code == "#":
                while pos < len(value) and value[pos].isdigit():
                    pos += 1
            else:
                if value[pos] != code:
                    raise _NoDate
                pos += 1
        elif ch not in _SPACES:
            if value[pos] != ch:
                raise _NoDate
            pos += 1
        i += 1
    return pos


@fn.scalar("STR_TO_DATE", node=(exp.StrToTime, exp.StrToDate), returns=_str_to_date_type,
           args=lambda n: [n.this, mysql_format(n.args.get("format"))],
           examples=["STR_TO_DATE('01/02/2024', '%m/%d/%Y')", "STR_TO_DATE('2024-01-02 10:11:12', '%Y-%m-%d %H:%i:%s')",
                     "STR_TO_DATE('10:11', '%H:%i')", "STR_TO_DATE('nope', '%Y')", "STR_TO_DATE('2024', '%Y-%m-%d')"])
def str_to_date(value: Any, fmt: Any) -> str | None:
    """A DATE, DATETIME or TIME string, depending on what the format has; NULL with MariaDB's 1411 for
    a value that does not match (what the value lacks at its end is zero: '2024' by '%Y-%m-%d' is 2024-00-00)."""
    if value is None or fmt is None:
        return None
    s, pattern = text(value), text(fmt)
    codes = set(re.findall(r"%(.)", pattern))
    has_date, has_time = bool(codes & _DATE_CODES), bool(codes & _TIME_CODES)
    p = _Parsed()
    try:
        stop = _extract(s, pattern, p)
        if p.usa_time:
            if not 1 <= p.hour <= 12:
                raise _NoDate
            p.hour = p.hour % 12 + p.daypart
        if p.yearday > 0:
            first = date(p.year, 1, 1) if p.year > 0 else None
            if first is None:
                raise _NoDate
            d = first + timedelta(days=p.yearday - 1)
            p.year, p.month, p.day = d.year, d.month, d.day
        if p.month > 12 or p.day > 31 or p.hour > 23 or p.minute > 59 or p.second > 59:
            raise _NoDate
    except (_NoDate, ValueError, OverflowError):
        warn(WARN_WRONG_VALUE_FOR_TYPE, f"Incorrect datetime value: '{s}' for function str_to_date")
        return None
    kind = "time" if has_time and not has_date else "date" if has_date and not has_time else "datetime"
    if s[stop:].strip(_SPACES):
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect {kind} value: '{s}'")
    fraction = f".{p.micro:06d}" if "f" in codes else ""
    if kind == "time":
        return f"{p.day * 24 + p.hour:02d}:{p.minute:02d}:{p.second:02d}{fraction}"
    day_part = f"{p.year:04d}-{p.month:02d}-{p.day:02d}"
    return day_part if kind == "date" else f"{day_part} {p.hour:02d}:{p.minute:02d}:{p.second:02d}{fraction}"


# -- TO_CHAR (Oracle's format elements) ---------------------------------------------------------------

ER_INVALID_ARGUMENT: Final = 3047
# The elements TO_CHAR knows, longest first where one begins another (MONTH before MON, HH24 before HH).
_TO_CHAR_ELEMENTS: Final = ("YYYY", "YYY", "YY", "Y", "RRRR", "RR", "MONTH", "MON", "MM", "MI", "DAY", "DD", "DY",
                            "HH24", "HH12", "HH", "SS", "A.D.", "AD", "B.C.", "BC", "A.M.", "AM", "P.M.", "PM")
_TO_CHAR_SEPARATORS: Final = frozenset(" \t!#%'()*+-./:;<=>,_")
_TO_CHAR_DEFAULT: Final = "YYYY-MM-DD HH24:MI:SS"


def _to_char_tokens(fmt: str) -> list[tuple[bool, str]] | str:
    """A TO_CHAR format as (is an element, text) tokens; or, for one MariaDB does not read, the text from
    where it stopped (its error names it)."""
    tokens: list[tuple[bool, str]] = []
    i, upper = 0, fmt.upper()
    while i < len(fmt):
        ch = fmt[i]
        if ch in _TO_CHAR_SEPARATORS:
            tokens.append((False, ch))
            i += 1
            continue
        if ch == '"':
            end = fmt.find('"', i + 1)
            if end < 0:
                return fmt[i:]
            tokens.append((False, fmt[i + 1:end]))
            i = end + 1
            continue
        if ch == "&" and (i + 1 == len(fmt) or not fmt[i + 1].isascii() or not fmt[i + 1].isalpha()):
            tokens.append((False, ch))
            i += 1
            continue
        element = next((e for e in _TO_CHAR_ELEMENTS if upper.startswith(e, i)), None)
        if element is None:
            return fmt[i:]
        tokens.append((True, element))
        i += len(element)
    return tokens


def _to_char_error(rest: str) -> SQLError:
    return SQLError(ER_INVALID_ARGUMENT, f"Invalid argument error: date format not recognized at {rest[:8]} in "
                                         f"function to_char.", "HY000")


def _to_char_call(node: exp.ToChar) -> exp.Expr:
    """TO_CHAR(x[, fmt]) as APP_TO_CHAR; a number (or NULL) to format, or a constant format MariaDB does not
    read, is its error 3047 when the statement is prepared."""
    value, fmt = node.this, node.args.get("format")
    if isinstance(value, exp.Null) or (isinstance(value, exp.Literal) and not value.is_string) or (
            isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal)):
        raise SQLError(ER_INVALID_ARGUMENT, "Invalid argument error: data type of first argument must be type "
                                            "date/datetime/time or string in function to_char.", "HY000")
    if isinstance(fmt, exp.Literal) and fmt.is_string:
        tokens = _to_char_tokens(fmt.this)
        if isinstance(tokens, str):
            raise _to_char_error(tokens)
    return udf("APP_TO_CHAR", value, fmt if fmt is not None else exp.Literal.string(_TO_CHAR_DEFAULT))


def _to_char_element(t: MyTime, element: str) -> str:
    hour12 = t.hour % 12 or 12
    if element in ("YYYY", "RRRR"):
        return f"{t.year:04d}"
    if element == "YYY":
        return f"{t.year % 1000:03d}"
    if element in ("YY", "RR"):
        return f"{t.year % 100:02d}"
    if element == "Y":
        return str(t.year % 10)
    if element in ("MM", "DD", "MI", "SS", "HH24", "HH", "HH12"):
        part = {"MM": t.month, "DD": t.day, "MI": t.minute, "SS": t.second, "HH24": t.hour}.get(element, hour12)
        return f"{part:02d}"
    if element in ("MONTH", "MON"):
        name = MONTH_NAMES[t.month - 1] if 1 <= t.month <= 12 else ""
        return name[:3] if element == "MON" else name.ljust(9)
    if element in ("DAY", "DY"):
        name = DAY_NAMES[date(t.year, t.month, t.day).weekday()] if t.year and t.month and t.day else ""
        return name[:3] if element == "DY" else name.ljust(9)
    if element in ("AD", "BC", "A.D.", "B.C."):
        return "A.D." if "." in element else "AD"
    return ("A.M." if t.hour < 12 else "P.M.") if "." in element else ("AM" if t.hour < 12 else "PM")


@fn.scalar("TO_CHAR", node=exp.ToChar, rewrite=_to_char_call, returns=STRING, text_args=lambda n: n.expressions[:1],
           examples=["TO_CHAR('99-12-31 23:59:59', 'YY-MM-DD HH24:MI:SS')", "TO_CHAR('2021-01-03', 'DAY')",
                     "TO_CHAR('2020-01-06 10:11:12')"])
def to_char(value: Any, fmt: Any) -> str | None:
    """TO_CHAR(datetime, fmt): MariaDB's Oracle-style format elements (YYYY, MON, DAY, HH24, AM, ...), separators
    and "quoted text"; NULL with warning 3047 for a format it does not read, with 1292 for what is no datetime."""
    if value is None or fmt is None:
        return None
    tokens = _to_char_tokens(text(fmt))
    if isinstance(tokens, str):
        error = _to_char_error(tokens)
        warn(error.code, error.message)
        return None
    t = read_datetime(value)
    if t is None:
        return None
    return "".join(_to_char_element(t, piece) if element else piece for element, piece in tokens)

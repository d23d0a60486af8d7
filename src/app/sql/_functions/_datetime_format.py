"""DATE_FORMAT and STR_TO_DATE, with MySQL's format specifiers (%Y-%m-%d %H:%i:%s, %W, %M, %D, ...)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlglot import exp

from .._sqltypes import DATE, DATETIME, STRING, TIME, TypeExpr
from ._calendar import DAY_NAMES, MONTH_NAMES, WEEK_FIRST_WEEKDAY, WEEK_MONDAY_FIRST, WEEK_YEAR, calc_week
from ._registry import Family, Typer
from ._values import parse_datetime, text

fn = Family("datetime")

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
    parsed = parse_datetime(value)
    if parsed is None or fmt is None:
        return None
    dt = parsed[0]
    return re.sub(r"%(.)", lambda m: _format_one(dt, m.group(1)), text(fmt))


_PARSE_CODES: Final = {
    "Y": r"(?P<Y>\d{4})", "y": r"(?P<y>\d{2})", "m": r"(?P<m>\d{1,2})", "c": r"(?P<m>\d{1,2})",
    "d": r"(?P<d>\d{1,2})", "e": r"(?P<d>\d{1,2})", "H": r"(?P<H>\d{1,2})", "k": r"(?P<H>\d{1,2})",
    "h": r"(?P<h>\d{1,2})", "I": r"(?P<h>\d{1,2})", "l": r"(?P<h>\d{1,2})", "i": r"(?P<i>\d{1,2})",
    "s": r"(?P<s>\d{1,2})", "S": r"(?P<s>\d{1,2})", "f": r"(?P<f>\d{1,6})", "p": r"(?P<p>AM|PM|am|pm)",
    "M": r"(?P<M>[A-Za-z]+)", "b": r"(?P<b>[A-Za-z]{3})", "W": r"[A-Za-z]+", "a": r"[A-Za-z]{3}",
    "j": r"(?P<j>\d{1,3})", "T": r"(?P<H>\d{1,2}):(?P<i>\d{1,2}):(?P<s>\d{1,2})",
    "D": r"(?P<d>\d{1,2})(?:st|nd|rd|th)", "%": "%",
}


def _str_to_date_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """A DATE, DATETIME or TIME, by the specifiers of a literal format."""
    if len(node.expressions) != 2:
        return None
    fmt = node.expressions[1]
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        return None
    codes = set(re.findall(r"%(.)", fmt.this))
    has_date, has_time = bool(codes & set("YymcdeMbjD")), bool(codes & set("HkhIlisSfTrp"))
    return DATETIME if has_date and has_time else DATE if has_date else TIME if has_time else None


def _pattern(fmt: str) -> str:
    pattern = ""
    for m in re.finditer(r"%(.)|([^%]+)", fmt):
        if m.group(1) is not None:
            pattern += _PARSE_CODES.get(m.group(1), re.escape(m.group(1)))
        else:
            pattern += r"\s+" if m.group(2).isspace() else re.escape(m.group(2))
    return pattern


def _year(g: dict[str, str]) -> int:
    if g.get("Y"):
        return int(g["Y"])
    if g.get("y"):
        two = int(g["y"])
        return 2000 + two if two < 70 else 1900 + two
    return 0


def _month(g: dict[str, str]) -> int:
    month = int(g["m"]) if g.get("m") else 0
    for key in ("M", "b"):
        if g.get(key):
            names = [n.lower()[: len(g[key])] if key == "b" else n.lower() for n in MONTH_NAMES]
            month = names.index(g[key].lower()) + 1
    return month


@fn.scalar("STR_TO_DATE", node=(exp.StrToTime, exp.StrToDate), returns=_str_to_date_type,
           args=lambda n: [n.this, mysql_format(n.args.get("format"))],
           examples=["STR_TO_DATE('01/02/2024', '%m/%d/%Y')", "STR_TO_DATE('2024-01-02 10:11:12', '%Y-%m-%d %H:%i:%s')",
                     "STR_TO_DATE('10:11', '%H:%i')", "STR_TO_DATE('nope', '%Y')"])
def str_to_date(value: Any, fmt: Any) -> str | None:
    """A DATE, DATETIME or TIME string, depending on what the format has."""
    if value is None or fmt is None:
        return None
    try:
        found = re.match(_pattern(text(fmt)), text(value).strip())
    except re.error:
        return None
    if found is None:
        return None
    g = {k: v for k, v in found.groupdict().items() if v is not None}
    names = found.groupdict()
    has_date = any(k in names for k in ("Y", "y", "m", "d", "M", "b", "j"))
    has_time = any(k in names for k in ("H", "h", "i", "s", "f"))
    try:
        year, month = _year(g), _month(g)
        day = int(g["d"]) if g.get("d") else 0
        hour = int(g.get("H") or 0)
        if g.get("h"):
            hour = int(g["h"]) % 12 + (12 if (g.get("p") or "").upper() == "PM" else 0)
        minute, second = int(g.get("i") or 0), int(g.get("s") or 0)
        micro = int((g.get("f") or "0").ljust(6, "0"))
        if g.get("j"):
            d = date(year, 1, 1) + timedelta(days=int(g["j"]) - 1)
            month, day = d.month, d.day
        if has_date and month and day:
            date(year, month, day)  # validates
    except (ValueError, KeyError, IndexError):
        return None
    date_part = f"{year:04d}-{month:02d}-{day:02d}"
    time_part = f"{hour:02d}:{minute:02d}:{second:02d}" + (f".{micro:06d}" if micro else "")
    if has_date and has_time:
        return f"{date_part} {time_part}"
    return date_part if has_date else time_part

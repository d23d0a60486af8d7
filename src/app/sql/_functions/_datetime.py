"""Date and time functions: NOW, YEAR, WEEK, DATE_ADD, DATEDIFF, TIMESTAMPDIFF, EXTRACT, ...

MySQL evaluates NOW() once per statement, so the session's functions read the statement's clock
(`FunctionContext.statement_time`): every row of one statement sees the same time. DATE_FORMAT and
STR_TO_DATE are in `_datetime_format`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import WARN_DATETIME_OVERFLOW, WARN_TRUNCATED_WRONG_VALUE, warn
from .._sqltypes import BIGINT, DATE, DATETIME, INT, STRING, TIME, SQLType, TypeExpr, date_added, decimal, seconds_of
from ._calendar import (
    DAY_NAMES,
    MONTH_NAMES,
    UNIT_SECONDS,
    WEEK_YEAR,
    add_months,
    calc_week,
    months_between,
    week_mode,
    week_of,
)
from ._mytime import FUZZY, NO_ZERO, Kind, MyTime, read_datetime, read_interval, read_time
from ._registry import Family, FunctionContext, Typer, udf
from ._temporal import MICROS, TIME_MAX, Time, fraction_digits, literal_fsp, time_arg, time_string
from ._values import (
    date_arg,
    date_text,
    number_of,
    parse_datetime,
    text,
    to_int,
)

fn = Family("datetime")

DATE_UNITS: Final = frozenset({"DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "YEAR_MONTH"})


# -- rewriting calls ------------------------------------------------------------------------------


def unit_literal(node: exp.Expr | None, default: str = "DAY") -> exp.Literal:
    """A date unit (DAY, HOUR_MINUTE, ...) as the string literal our functions take."""
    if node is None:
        return exp.Literal.string(default)
    return exp.Literal.string((node.name or default).upper())


def date_add_call(value: exp.Expr, interval: exp.Expr, sign: int) -> exp.Expr:
    """`value + INTERVAL n UNIT` (or `- ...` with sign -1) as a call of DATE_ADD's implementation;
    an interval that is a bare number counts days (ADDDATE(d, n))."""
    if isinstance(interval, exp.Interval):
        amount, unit = interval.this, unit_literal(interval.args.get("unit"))
    else:
        amount, unit = interval, exp.Literal.string("DAY")
    if isinstance(value, exp.Cast) and value.to.is_type(exp.DataType.Type.TIME) and unit.this in _TIME_UNITS:
        return udf("APP_TIME_ADD", value, amount, unit, exp.Literal.number(sign))  # TIME'10:00:00' + INTERVAL 1 HOUR
    return udf("APP_DATE_ADD", value, amount, unit, exp.Literal.number(sign))


# Units a TIME moves by and stays a TIME (a day is 24 hours of it).
_TIME_UNITS: Final = frozenset({
    "DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND", "DAY_HOUR", "DAY_MINUTE", "DAY_SECOND", "DAY_MICROSECOND",
    "HOUR_MINUTE", "HOUR_SECOND", "HOUR_MICROSECOND", "MINUTE_SECOND", "MINUTE_MICROSECOND", "SECOND_MICROSECOND"})


def _date_arg(node: exp.Expr) -> exp.Expr:
    """sqlglot wraps the argument of YEAR(d) and such in DATE(); MySQL does not."""
    inner: exp.Expr = node.this
    if isinstance(inner, exp.TsOrDsToDate) and not inner.args.get("format"):
        unwrapped: exp.Expr = inner.this
        return unwrapped
    if isinstance(inner, exp.Anonymous) and inner.name == "APP_DATE" and len(inner.expressions) == 1:
        only: exp.Expr = inner.expressions[0]
        return only
    return inner


def _interval_of(node: exp.Expr) -> exp.Interval:
    return exp.Interval(this=node.expression, unit=node.args.get("unit"))


def _date_add_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    args = node.expressions
    if len(args) < 3 or not isinstance(args[2], exp.Literal):
        return None
    unit = args[2].this.upper()
    amount = args[1]
    digits = fraction_digits(amount.this) if isinstance(amount, exp.Literal) else 0
    return typer.apply(date_added, [args[0]], unit in DATE_UNITS, _interval_digits(unit, digits))


def _interval_digits(unit: str, amount_digits: int) -> int:
    """The fraction digits an interval gives a DATETIME: six for a unit of microseconds, a SECOND's
    own (INTERVAL 1.5 SECOND: one), none for other units."""
    return 6 if "MICROSECOND" in unit else amount_digits if unit == "SECOND" else 0


# -- parts of a date ------------------------------------------------------------------------------


_ZERO_PARTS: Final = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,6})?)?)?\s*$")


def zero_parts(value: Any) -> tuple[int, int, int] | None:
    """(year, month, day) of a date with a zero month or day ('0000-00-00', '2024-02-00'), which
    MariaDB's YEAR, MONTH, DAY and QUARTER read without complaint."""
    m = _ZERO_PARTS.match(value) if isinstance(value, str) else None
    if m is None:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return (y, mo, d) if (mo == 0 or d == 0) and mo <= 12 and d <= 31 else None


def _part(getter: Callable[[datetime], Any], fuzzy: Callable[[tuple[int, int, int]], Any] | None = None,
          ) -> Callable[[Any], Any]:
    """A part of a date; NULL with MariaDB's warning for what is no date (`fuzzy`: the part of a
    date with zero parts ('2024-00-10', 0), which is no calendar date but has a year, month and day)."""
    def part(value: Any) -> Any:
        t = read_datetime(value, FUZZY if fuzzy is not None else NO_ZERO)
        if t is None:
            return None
        if t.year and t.month and t.day:
            return getter(datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro))
        return None if fuzzy is None else fuzzy((t.year, t.month, t.day))

    return part


def _time_part(index: int) -> Callable[[Any], Any]:
    """HOUR, MINUTE, SECOND, MICROSECOND of a TIME or a DATETIME's time of day."""
    def part(value: Any) -> Any:
        t = read_time(value)
        if t is None:
            return None
        t = t.time_of_day()
        return (t.hour, t.minute, t.second, t.micro)[index]

    return part


def _of_date(name: str, node: type[exp.Expr] | tuple[type[exp.Expr], ...], getter: Callable[[Any], Any],
             *aliases: str, returns: SQLType = INT, example: str = "'2024-02-29 13:14:15.5'",
             of_time: bool = False) -> Callable[[Any], Any]:
    """Declare a function of one date (YEAR(d), HOUR(t), ...); `node` () for a call sqlglot knows by name
    only; `of_time`: it reads a TIME (a DATE is midnight)."""
    def args(n: exp.Expr) -> list[exp.Expr]:
        arg = _date_arg(n) if node else n.expressions[0] if n.expressions else None
        return [] if arg is None else [time_arg(arg) if of_time else arg]

    fn.scalar(name, *aliases, node=node, args=args if node or of_time else None, returns=returns,
              examples=[f"{n}({example})" for n in (name, *aliases)] + [f"{name}(NULL)"])(getter)
    return getter


year = _of_date("YEAR", exp.Year, _part(lambda d: d.year, lambda z: z[0]))
month = _of_date("MONTH", exp.Month, _part(lambda d: d.month, lambda z: z[1]))
day = _of_date("DAY", (exp.Day, exp.DayOfMonth), _part(lambda d: d.day, lambda z: z[2]), "DAYOFMONTH")
hour = _of_date("HOUR", exp.Hour, _time_part(0), example="'10:05:03'", of_time=True)
minute = _of_date("MINUTE", exp.Minute, _time_part(1), example="'10:05:03'", of_time=True)
second = _of_date("SECOND", exp.Second, _time_part(2), example="'10:05:03'", of_time=True)
microsecond = _of_date("MICROSECOND", (), _time_part(3), of_time=True)
dayofweek = _of_date("DAYOFWEEK", exp.DayOfWeek, _part(lambda d: (d.weekday() + 1) % 7 + 1))
_of_date("WEEKDAY", (), _part(lambda d: d.weekday()))
dayofyear = _of_date("DAYOFYEAR", exp.DayOfYear, _part(lambda d: d.timetuple().tm_yday))
quarter = _of_date("QUARTER", exp.Quarter, _part(lambda d: (d.month - 1) // 3 + 1, lambda z: (z[1] + 2) // 3))
_of_date("WEEKOFYEAR", exp.WeekOfYear, _part(lambda d: week_of(d.date(), 3)))
_of_date("DAYNAME", exp.Dayname, _part(lambda d: DAY_NAMES[d.weekday()]), returns=STRING)
# sqlglot parses MONTHNAME(d) as DATE_FORMAT(d, '%M'); a call by name would come here.
_of_date("MONTHNAME", (), _part(lambda d: MONTH_NAMES[d.month - 1], lambda z: MONTH_NAMES[z[1] - 1] if z[1] else None),
         returns=STRING)


@fn.scalar("WEEK", node=exp.Week, args=lambda n: [_date_arg(n), n.args.get("mode")], returns=INT,
           examples=["WEEK('2024-01-01')", "WEEK('2024-01-01', 1)", "WEEK('2020-12-31', 3)"])
def week(value: Any, mode: Any = 0) -> int | None:
    """WEEK(d, mode): mode 0 (the default) counts Sunday-started weeks from 0."""
    parsed = date_arg(value)
    if parsed is None:
        return None
    return week_of(parsed[0].date(), to_int(mode) if mode is not None else 0)


@fn.scalar("YEARWEEK", returns=INT, examples=["YEARWEEK('2020-01-01')", "YEARWEEK('2021-01-03', 1)"])
def yearweek(value: Any, mode: Any = 0) -> int | None:
    parsed = date_arg(value)
    if parsed is None:
        return None
    w, y = calc_week(parsed[0].date(), week_mode(to_int(mode) if mode is not None else 0) | WEEK_YEAR)
    return y * 100 + w


@fn.scalar("DATE", node=exp.TsOrDsToDate, args=lambda n: [n.this], returns=DATE,
           examples=["DATE('2024-01-02 03:04:05')", "DATE('nonsense')"])
def date_of(value: Any) -> str | None:
    parsed = parse_datetime(value)
    if parsed is not None:
        return date_text(parsed[0])
    zero = zero_parts(value)
    if zero is not None:
        return f"{zero[0]:04d}-{zero[1]:02d}-{zero[2]:02d}"
    date_arg(value)  # (the warning)
    return None


@fn.scalar("LAST_DAY", node=exp.LastDay, args=lambda n: [n.this], returns=DATE, examples=["LAST_DAY('2024-02-10')"])
def last_day(value: Any) -> str | None:
    parsed = parse_datetime(value) if zero_parts(value) else date_arg(value)  # (a zero date: NULL, no warning)
    if parsed is None:
        return None
    d = parsed[0]
    return date_text(date(d.year, d.month, calendar.monthrange(d.year, d.month)[1]))


@fn.scalar("MAKEDATE", returns=DATE, examples=["MAKEDATE(2024, 60)", "MAKEDATE(2024, 0)"])
def makedate(year: Any, day_of_year: Any) -> str | None:
    if year is None or day_of_year is None:
        return None
    y, n = to_int(year), to_int(day_of_year)
    if n <= 0:
        return None
    try:
        return date_text(date(y, 1, 1) + timedelta(days=n - 1))
    except (ValueError, OverflowError):
        return None


# -- arithmetic -----------------------------------------------------------------------------------


@fn.scalar("DATEDIFF", node=exp.DateDiff, args=lambda n: [n.this, n.expression], returns=INT,
           examples=["DATEDIFF('2024-03-01', '2024-02-01 23:00:00')"])
def datediff(a: Any, b: Any) -> int | None:
    x, y = date_arg(a), date_arg(b)
    if x is None or y is None:
        return None
    return (x[0].date() - y[0].date()).days


@fn.scalar("TIMESTAMPDIFF", node=exp.TimestampDiff, returns=BIGINT,
           args=lambda n: [unit_literal(n.args.get("unit")), n.expression, n.this],
           examples=["TIMESTAMPDIFF(MONTH, '2024-01-31', '2024-03-30')",
                     "TIMESTAMPDIFF(HOUR, '2024-01-01', '2024-01-02')"])
def timestampdiff(unit: Any, a: Any, b: Any) -> int | None:
    x, y = date_arg(a), date_arg(b)
    if x is None or y is None or unit is None:
        return None
    u = text(unit).upper()
    if u in ("MONTH", "QUARTER", "YEAR"):
        months = months_between(x[0], y[0])
        return int(months / {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[u])
    if u not in UNIT_SECONDS:
        return None
    delta = y[0] - x[0]
    if u == "MICROSECOND":
        return delta // timedelta(microseconds=1)
    return int(delta.total_seconds() / UNIT_SECONDS[u])


_COMPOUND: Final = {  # INTERVAL 'a:b' UNIT: the fields, largest first
    "YEAR_MONTH": ("YEAR", "MONTH"), "DAY_HOUR": ("DAY", "HOUR"), "DAY_MINUTE": ("DAY", "HOUR", "MINUTE"),
    "DAY_SECOND": ("DAY", "HOUR", "MINUTE", "SECOND"), "HOUR_MINUTE": ("HOUR", "MINUTE"),
    "HOUR_SECOND": ("HOUR", "MINUTE", "SECOND"), "MINUTE_SECOND": ("MINUTE", "SECOND"),
    "DAY_MICROSECOND": ("DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND"),
    "HOUR_MICROSECOND": ("HOUR", "MINUTE", "SECOND", "MICROSECOND"),
    "MINUTE_MICROSECOND": ("MINUTE", "SECOND", "MICROSECOND"), "SECOND_MICROSECOND": ("SECOND", "MICROSECOND"),
}


def _compound_delta(dt: datetime, unit: str, amount: Any, direction: int) -> datetime:
    """`dt` moved by an interval of a compound unit ('1-2' YEAR_MONTH, '1 02:03' DAY_MINUTE, ...)."""
    spec = text(amount).strip()
    numbers = [int(x) for x in re.findall(r"\d+", spec)]
    fields = _COMPOUND[unit][-len(numbers):] if numbers else ()
    sign = (-1 if spec.startswith("-") else 1) * direction
    months = 0
    delta = timedelta()
    if fields and fields[-1] == "MICROSECOND":  # the fraction's digits: '4.5' is 4 seconds 500000 microseconds
        last = re.findall(r"\d+", spec)[-1]
        numbers[-1] = int(last[:6].ljust(6, "0"))
    for name, n in zip(fields, numbers, strict=False):
        if name == "YEAR":
            months += 12 * n
        elif name == "MONTH":
            months += n
        elif name == "MICROSECOND":
            delta += timedelta(microseconds=n)
        else:
            delta += timedelta(seconds=n * UNIT_SECONDS[name])
    return add_months(dt, sign * months) + sign * delta


@fn.scalar("DATE_ADD", node=(exp.DateAdd, exp.TimestampAdd), returns=_date_add_type,
           rewrite=lambda n: date_add_call(n.this, _interval_of(n), 1),
           examples=["DATE_ADD('2024-01-31', INTERVAL 1 MONTH)", "DATE_ADD('2024-01-01', INTERVAL '1:30' HOUR_MINUTE)",
                     "TIMESTAMPADD(DAY, 1, '2024-01-01')"])
def date_add(value: Any, amount: Any, unit: Any, sign: Any = 1) -> str | None:
    """DATE_ADD / DATE_SUB / d + INTERVAL n UNIT; `sign` -1 subtracts."""
    if amount is None or unit is None:
        return None
    parsed = date_arg(value)
    if parsed is None:
        return None
    dt, has_time = parsed
    u = text(unit).upper()
    direction = -1 if sign is not None and number_of(sign) < 0 else 1
    try:
        if u in _COMPOUND:
            result = _compound_delta(dt, u, amount, direction)
        elif u in ("MONTH", "QUARTER", "YEAR"):
            result = add_months(dt, direction * to_int(amount) * {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[u])
        elif u in UNIT_SECONDS:
            count = direction * number_of(amount)
            if u == "MICROSECOND":
                result = dt + timedelta(microseconds=count)
            else:
                result = dt + timedelta(seconds=(round(count) if u != "SECOND" else count) * UNIT_SECONDS[u])
        else:
            return None
    except (OverflowError, ValueError):
        warn(WARN_DATETIME_OVERFLOW, "Datetime function: datetime field overflow")
        return None
    if not has_time and u in DATE_UNITS:
        return date_text(result)
    shown = max(fraction_digits(value) if isinstance(value, str) else 0,
                _interval_digits(u, fraction_digits(amount)))
    text_ = f"{date_text(result)} {result.hour:02d}:{result.minute:02d}:{result.second:02d}"
    return text_ + f".{result.microsecond:06d}"[:shown + 1] if shown else text_


@fn.internal("APP_TIME_ADD", returns=TIME)
def time_add(value: Any, amount: Any, unit: Any, sign: Any = 1) -> str | None:
    """A TIME moved by an interval of time units: a TIME still, cut at 838:59:59 with a warning."""
    t = read_time(value)
    if t is None or amount is None or unit is None:
        return None
    u = text(unit).upper()
    direction = -1 if sign is not None and number_of(sign) < 0 else 1
    base = datetime(2000, 1, 1)
    if u in _COMPOUND:
        delta = _compound_delta(base, u, amount, direction) - base
    elif u == "MICROSECOND":
        delta = timedelta(microseconds=direction * number_of(amount))
    else:
        count = number_of(amount)
        delta = timedelta(seconds=direction * (count if u == "SECOND" else round(count)) * UNIT_SECONDS[u])
    t = t.time_of_day()
    total = _micros(t) + delta // timedelta(microseconds=1)
    fsp = max(t.digits, _interval_digits(u, fraction_digits(amount)))
    if abs(total) > TIME_MAX:
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect time value: '{time_string(Time(total, fsp))}'")
        total = TIME_MAX if total > 0 else -TIME_MAX
    return time_string(Time(total, fsp))


# The other spellings of DATE_ADD: calls of its implementation with other arguments.
fn.native("DATE_SUB", node=exp.DateSub, returns=_date_add_type,
          rewrite=lambda n: date_add_call(n.this, _interval_of(n), -1),
          examples=["DATE_SUB('2024-03-31', INTERVAL 1 MONTH)"])
fn.native("ADDDATE", returns=_date_add_type,
          rewrite=lambda n: date_add_call(n.expressions[0], n.expressions[1], 1) if len(n.expressions) == 2 else None,
          examples=["ADDDATE('2024-01-01', 1)", "ADDDATE('2024-01-01', INTERVAL 2 DAY)"])
fn.native("SUBDATE", returns=_date_add_type,
          rewrite=lambda n: date_add_call(n.expressions[0], n.expressions[1], -1) if len(n.expressions) == 2 else None,
          examples=["SUBDATE('2024-01-01', 1)"])


def _literal_time_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """TIME_TO_SEC of a string literal: a DECIMAL with the fraction digits the literal shows (six when
    it is no time: MariaDB cannot tell), else a BIGINT."""
    arg = node.expressions[0] if node.expressions else None
    if isinstance(arg, exp.Literal) and arg.is_string:
        t = read_time(arg.this, quiet=True)
        digits = 6 if t is None else t.time_of_day().digits
        return decimal(digits, 17 + digits) if digits else BIGINT
    if isinstance(arg, exp.Cast) and arg.to.expressions and arg.to.expressions[0].name.isdigit():
        digits = min(int(arg.to.expressions[0].name), 6)  # TIMESTAMP'...5', CAST(... AS TIME(3))
        return decimal(digits, 17 + digits) if digits else BIGINT
    return (typer.apply(seconds_of, [arg], 17) if arg is not None else None) or BIGINT


@fn.scalar("TIME_TO_SEC", returns=_literal_time_type, args=lambda n: [time_arg(a) for a in n.expressions],
           examples=["TIME_TO_SEC('01:00:05')", "TIME_TO_SEC('-01:00:00')", "TIME_TO_SEC('00:00:00.5')"])
def time_to_sec(value: Any) -> int | str | None:
    """Seconds of a TIME (or of a DATETIME's time of day); with the fraction the value shows."""
    t = read_time(value)
    if t is None:
        return None
    t = t.time_of_day()
    whole = (t.hour * 60 + t.minute) * 60 + t.second
    sign = "-" if t.neg and (whole or t.micro) else ""
    if not t.digits:
        return -whole if sign else whole
    return f"{sign}{whole}.{t.micro:06d}"[:len(sign) + len(str(whole)) + 1 + t.digits]


_TIME_MAX_SECONDS: Final = 838 * 3600 + 59 * 60 + 59
_DECIMAL_TEXT: Final = re.compile(r"-?\d+\.\d+")  # a DECIMAL as a function (TIME_TO_SEC) returns it


def _sec_to_time_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """A TIME with the fraction digits of its argument: a constant's own, a DECIMAL's scale (of
    TIME_TO_SEC('00:00:00.5'): one), six for a DOUBLE or a string."""
    arg = node.expressions[0] if node.expressions else None
    if arg is None or isinstance(arg, (exp.Literal, exp.Null)):
        return literal_fsp(TIME, "number")(node, typer)
    if arg.find(exp.Null) is not None:  # NULL * 3600: MariaDB's NULL has no digits
        return TIME
    found = typer.infer(arg)
    if not isinstance(found, SQLType):
        return TIME
    digits = found.scale if found.kind == "decimal" else 6 if found.kind in ("double", "string") else 0
    return SQLType("time", min(digits, 6), fixed=True) if digits else TIME


@fn.scalar("SEC_TO_TIME", returns=_sec_to_time_type,
           examples=["SEC_TO_TIME(3725)", "SEC_TO_TIME(1700000000)", "SEC_TO_TIME(1.5)"])
def sec_to_time(value: Any) -> str | None:
    """A count of seconds as a TIME, cut at 838:59:59 with a warning; shown with the fraction digits
    of the number (six for a string)."""
    if value is None:
        return None
    n = number_of(value)
    fsp = fraction_digits(value) if not isinstance(value, (str, bytes)) or _DECIMAL_TEXT.fullmatch(text(value)) else 6
    micros = n * MICROS if isinstance(n, int) else int(Decimal(repr(n)) * MICROS)
    if abs(micros) > _TIME_MAX_SECONDS * MICROS + 999_999:
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect seconds value: '{text(value)}'")
        limit = _TIME_MAX_SECONDS * MICROS + (999_999 if fsp else 0)
        micros = limit if micros > 0 else -limit
    return time_string(Time(micros, fsp))


@fn.scalar("TIMEDIFF", returns=literal_fsp(TIME, "time", "time"),
           examples=["TIMEDIFF('10:00:00', '09:30:00')", "TIMEDIFF('2024-01-02 00:00:00', '2024-01-01 12:00:00')",
                     "TIMEDIFF('839:00:00', '01:00:00')"])
def timediff(a: Any, b: Any) -> str | None:
    """Two times or two datetimes apart (a time and a datetime: NULL), cut at 838:59:59 with a warning."""
    x, y = read_time(a), read_time(b)
    if x is None or y is None or (x.kind == Kind.TIME) != (y.kind == Kind.TIME):
        return None
    if x.kind == Kind.TIME:
        total = _micros(x) - _micros(y)
    else:
        moments = [datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro) if t.year and t.month
                   and t.day else None for t in (x, y)]
        if moments[0] is None or moments[1] is None:
            return None
        total = (moments[0] - moments[1]) // timedelta(microseconds=1)
    fsp = max(x.digits, y.digits)
    if abs(total) > TIME_MAX:
        total = TIME_MAX if total > 0 else -TIME_MAX
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect time value: '{time_string(Time(total, fsp))}'")
    return time_string(Time(total, fsp))


def _micros(t: MyTime) -> int:
    whole = ((t.hour * 60 + t.minute) * 60 + t.second) * MICROS + t.micro
    return -whole if t.neg else whole


_DAY_UNITS: Final = frozenset({"DAY", "DAY_HOUR", "DAY_MINUTE", "DAY_SECOND", "DAY_MICROSECOND"})
# A unit of time: how many of its fields (from the day down to the microsecond) it shows, and from which.
_TIME_FIELDS: Final = {
    "DAY": (0, 1), "DAY_HOUR": (0, 2), "DAY_MINUTE": (0, 3), "DAY_SECOND": (0, 4), "DAY_MICROSECOND": (0, 5),
    "HOUR": (1, 1), "HOUR_MINUTE": (1, 2), "HOUR_SECOND": (1, 3), "HOUR_MICROSECOND": (1, 4),
    "MINUTE": (2, 1), "MINUTE_SECOND": (2, 2), "MINUTE_MICROSECOND": (2, 3),
    "SECOND": (3, 1), "SECOND_MICROSECOND": (3, 2), "MICROSECOND": (4, 1),
}


def _extract_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """An INT, a BIGINT for the units of microseconds and DAY_MINUTE, DAY_SECOND of what is no temporal type."""
    unit = node.expressions[0].name.upper() if node.expressions else ""
    if unit in ("DAY_MICROSECOND", "HOUR_MICROSECOND", "MINUTE_MICROSECOND"):
        return BIGINT
    if unit in ("DAY_MINUTE", "DAY_SECOND") and len(node.expressions) > 1:
        return typer.apply(lambda t: INT if t.kind in ("date", "datetime", "time") else BIGINT, node.expressions[1:2])
    return INT


@fn.scalar("EXTRACT", node=exp.Extract, args=lambda n: [unit_literal(n.this), n.expression], returns=_extract_type,
           examples=["EXTRACT(YEAR FROM '2024-02-29')", "EXTRACT(YEAR_MONTH FROM '2024-02-29')",
                     "EXTRACT(DAY_SECOND FROM '100:20:30')", "EXTRACT(HOUR FROM '-01:00:00')"])
def extract(unit: Any, value: Any) -> int | None:
    """A unit of the calendar reads a date; a unit of time reads an interval: a time's hours past 23 are
    days ('100:20:30' is 4 days 04:20:30), a DATE is midnight."""
    u = text(unit).upper()
    fields = _TIME_FIELDS.get(u)
    if fields is None:
        t = read_datetime(value)
        if t is None:
            return None
        if u == "YEAR_MONTH":
            return t.year * 100 + t.month
        if u == "QUARTER":
            return (t.month + 2) // 3
        if u == "WEEK":
            return None if t.zero_in_date else week_of(date(t.year, t.month, t.day), 0)
        return {"YEAR": t.year, "MONTH": t.month}.get(u)
    t = read_interval(value, days=u in _DAY_UNITS)
    if t is None:
        return None
    days, hours = (t.hour // 24, t.hour % 24) if t.kind == Kind.TIME else (t.day, t.hour)
    parts = (days, hours, t.minute, t.second)
    first, count = fields
    result = 0
    for i in range(first, first + count):
        result = result * 1_000_000 + t.micro if i == 4 else result * 100 + parts[i]
    return -result if t.neg else result


# -- the clock ------------------------------------------------------------------------------------


def _clock_type(base: SQLType) -> Callable[[exp.Expr, Typer], TypeExpr | None]:
    """NOW(3), CURTIME(6): the precision asked for."""
    def rule(node: exp.Expr, typer: Typer) -> TypeExpr | None:
        args = node.expressions if isinstance(node, exp.Anonymous) else [node.this] if node.this else []
        fsp = args[0] if args else None
        digits = int(fsp.this) if isinstance(fsp, exp.Literal) and fsp.this.isdigit() else 0
        return SQLType(base.kind, min(digits, 6), fixed=True) if digits else base

    return rule


def _clock_text(dt: datetime, fsp: int = 0) -> str:
    out = dt.strftime("%Y-%m-%d %H:%M:%S")
    if fsp:
        out += "." + f"{dt.microsecond:06d}"[: int(fsp)]
    return out


@fn.scalar("NOW", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_TIMESTAMP",
           node=(exp.CurrentTimestamp, exp.Localtime, exp.Localtimestamp), returns=_clock_type(DATETIME),
           needs_session=True,
           deterministic=False,
           examples=["NOW()", "NOW(6)", "CURRENT_TIMESTAMP", "LOCALTIME()", "LOCALTIMESTAMP()"])
def now(ctx: FunctionContext, *fsp: Any) -> str:
    return _clock_text(session_time(ctx), int(fsp[0]) if fsp else 0)


@fn.scalar("SYSDATE", returns=_clock_type(DATETIME), needs_session=True, deterministic=False,
           examples=["SYSDATE()", "SYSDATE(6)"])
def sysdate(ctx: FunctionContext, *fsp: Any) -> str:
    """The time the call runs (not the statement's, and not SET timestamp's), on the session's clock."""
    moment = datetime.now().astimezone()
    tz = ctx.time_zone
    local = moment.astimezone(tz) if tz is not None else moment
    return _clock_text(local.replace(tzinfo=None), int(fsp[0]) if fsp else 0)


def session_time(ctx: FunctionContext) -> datetime:
    """The statement's time on the clock of the session's @@time_zone (NOW(), CURDATE(), CURTIME())."""
    moment = ctx.statement_time()
    tz = ctx.time_zone
    return moment if tz is None else moment.astimezone(tz).replace(tzinfo=None)


@fn.scalar("UTC_TIMESTAMP", node=exp.UtcTimestamp, sqlite_name="APP_UTC_NOW", returns=_clock_type(DATETIME),
           needs_session=True,
           deterministic=False, examples=["UTC_TIMESTAMP()"])
def utc_now(ctx: FunctionContext, *fsp: Any) -> str:
    return _clock_text(ctx.statement_time().astimezone(UTC), int(fsp[0]) if fsp else 0)


@fn.scalar("UTC_DATE", node=exp.UtcDate, returns=DATE, needs_session=True, deterministic=False,
           examples=["UTC_DATE()"])
def utc_date(ctx: FunctionContext) -> str:
    return ctx.statement_time().astimezone(UTC).strftime("%Y-%m-%d")


@fn.scalar("UTC_TIME", node=exp.UtcTime, returns=_clock_type(TIME), needs_session=True, deterministic=False,
           examples=["UTC_TIME()", "UTC_TIME(3)"])
def utc_time(ctx: FunctionContext, fsp: Any = 0) -> str:
    return _clock_text(ctx.statement_time().astimezone(UTC), to_int(fsp or 0))[11:]


@fn.scalar("CURDATE", "CURRENT_DATE", node=exp.CurrentDate, returns=DATE, needs_session=True, deterministic=False,
           examples=["CURDATE()", "CURRENT_DATE"])
def curdate(ctx: FunctionContext) -> str:
    return session_time(ctx).strftime("%Y-%m-%d")


@fn.scalar("CURTIME", "CURRENT_TIME", node=exp.CurrentTime, returns=_clock_type(TIME), needs_session=True,
           deterministic=False,
           examples=["CURTIME()", "CURTIME(6)", "CURRENT_TIME"])
def curtime(ctx: FunctionContext, fsp: Any = 0) -> str:
    return _clock_text(session_time(ctx), to_int(fsp or 0))[11:]

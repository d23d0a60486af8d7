"""Date and time functions over TIME values and day and period numbers: TIME, ADDTIME, SUBTIME, TIMESTAMP,
MAKETIME, TIME_FORMAT, FROM_DAYS, TO_SECONDS, PERIOD_ADD, PERIOD_DIFF, ADD_MONTHS, GET_FORMAT, FROM_UNIXTIME,
UNIX_TIMESTAMP.

TIME values follow MariaDB's range and parsing (`_temporal`); a day number counts from year 0 as
MariaDB's TO_DAYS does (FROM_DAYS(366) is 0001-01-01; below that, and past 9999-12-31, 0000-00-00).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import WARN_DATETIME_OVERFLOW, WARN_TRUNCATED_WRONG_VALUE, warn
from .._sqltypes import (
    BIGINT,
    DATE,
    DATETIME,
    INT,
    STRING,
    TIME,
    SQLType,
    TypeExpr,
    char_of_string,
    decimal,
    seconds_of,
)
from ._calendar import add_months
from ._datetime_format import date_format, mysql_format
from ._mytime import datetime_string, read_datetime
from ._registry import Family, FunctionContext, Typer, udf
from ._temporal import (
    MICROS,
    TIME_MAX,
    Time,
    clamp,
    fraction_digits,
    is_date,
    literal_fsp,
    parse_time,
    time_arg,
    time_string,
)
from ._timezone import local_to_utc
from ._values import date_arg, date_text, number_of, parse_datetime, text, to_int

fn = Family("datetime")

_DAY_OFFSET: Final = 365  # MariaDB's day number of a date is Python's ordinal + 365
_MAX_DAY: Final = date(9999, 12, 31).toordinal() + _DAY_OFFSET
_ZERO_DATE: Final = "0000-00-00"
_TIMESTAMP_MAX: Final = 2**31 - 1
_ABSENT: Final = object()  # an argument not given (where NULL means something else)


def _datetime_string(dt: datetime, fsp: int) -> str:
    out = dt.strftime("%Y-%m-%d %H:%M:%S") if dt.year >= 1000 else \
        f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d} {dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    return out + "." + f"{dt.microsecond:06d}"[:fsp] if fsp else out


def literal_datetime_type(literal: exp.Expr) -> exp.DataType:
    """The type of TIMESTAMP'...' (which sqlglot reads as a cast to TIMESTAMPTZ; MariaDB has no CAST AS
    TIMESTAMP): a DATETIME with the fractional digits its text shows."""
    shown = fraction_digits(literal.this) if isinstance(literal, exp.Literal) and literal.is_string else 0
    return exp.DataType.build(f"DATETIME({shown})" if shown else "DATETIME")


_TEMPORAL_KINDS: Final = {exp.DataType.Type.DATE: "date", exp.DataType.Type.DATETIME: "datetime",
                          exp.DataType.Type.TIMESTAMPTZ: "datetime", exp.DataType.Type.TIME: "time"}


def temporal_branches(tree: exp.Expr) -> None:
    """CASE, IF, COALESCE over a DATE and a TIME (or either and a DATETIME) give a DATETIME in MariaDB:
    each branch that is a DATE or TIME constant becomes one (a DATE at midnight, a TIME today), so the
    value is written as the result's type says. Only branches typed by the statement itself (DATE'...',
    CAST(... AS TIME)) are known here."""
    for node in list(tree.find_all(exp.Case, exp.If, exp.Coalesce)):
        if isinstance(node, exp.If) and isinstance(node.parent, exp.Case):
            continue  # a WHEN of a CASE: its CASE decides
        if isinstance(node, exp.Case):
            branches = [i.args.get("true") for i in node.args.get("ifs") or []] + [node.args.get("default")]
        elif isinstance(node, exp.If):
            branches = [node.args.get("true"), node.args.get("false")]
        else:
            branches = [node.this, *node.expressions]
        kinds: dict[int, str] = {}
        for i, b in enumerate(branches):
            if b is None or isinstance(b, exp.Null):
                continue
            kind = _TEMPORAL_KINDS.get(b.to.this) if isinstance(b, exp.Cast) else None
            if kind is None:
                kinds = {}
                break
            kinds[i] = kind
        if len(set(kinds.values())) < 2:
            continue
        fsp = max((int(b.to.expressions[0].name) for b in branches if isinstance(b, exp.Cast) and b.to.expressions
                   and b.to.expressions[0].name.isdigit()), default=0)
        to = exp.DataType.build(f"DATETIME({fsp})" if fsp else "DATETIME")
        for i, kind in kinds.items():
            branch = branches[i]
            if kind != "datetime" and branch is not None:
                branch.replace(exp.Cast(this=branch.copy(), to=to.copy()))


def _fsp_type(base: SQLType) -> Callable[[exp.Expr, Typer], TypeExpr | None]:
    def rule(node: exp.Expr, typer: Typer) -> TypeExpr | None:
        fsp = node.expressions[1] if len(node.expressions) > 1 else None
        digits = int(fsp.name) if isinstance(fsp, exp.Literal) and fsp.name.isdigit() else 0
        return SQLType(base.kind, digits, fixed=True) if 0 < digits <= 6 else base

    return rule


def _has_date(value: Any) -> bool:
    """Whether a string is a DATETIME (a date and a time of day), as ADDTIME decides what it adds to."""
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed is not None and parsed[1]


def _time_call(node: exp.Time) -> exp.Expr:
    """TIME(x): a DATE argument is midnight."""
    arg = node.this
    return udf("APP_TIME_OF_DATE" if is_date(arg) else "APP_TIME", arg)


@fn.internal("APP_TIME_OF_DATE", returns=_fsp_type(TIME))
def time_of_date(value: Any, fsp: int = 0) -> str | None:
    return None if value is None or parse_datetime(value) is None else "00:00:00" + ("." + "0" * fsp if fsp else "")


@fn.scalar("TIME", node=exp.Time, rewrite=_time_call, returns=literal_fsp(TIME, "time"),
           examples=["TIME('2024-01-02 03:04:05')", "TIME('+100:20:30')", "TIME('839:00:00')", "TIME('1 2:3:4')",
                     "TIME(123456)", "TIME('abc')"])
def time_of(value: Any) -> str | None:
    t = parse_time(value)
    return None if t is None else time_string(t)


def _add_time(a: Any, b: Any, sign: int) -> str | None:
    if a is None or b is None:
        return None
    fsp = 6 if max(fraction_digits(a), fraction_digits(b)) else 0  # a string shows all six digits or none
    if _has_date(b):
        return None  # a DATETIME is no interval
    interval = parse_time(b, quiet=True, interval=True)
    if interval is None:
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Incorrect INTERVAL DAY TO SECOND value: '{text(b)}'")
        return None
    if _has_date(a):
        parsed = parse_datetime(a)
        assert parsed is not None
        try:
            moved = parsed[0] + sign * timedelta(microseconds=interval.micros)
        except OverflowError:
            return None
        return _datetime_string(moved, fsp)
    t = parse_time(a)
    if t is None:
        return None
    total = t.micros + sign * interval.micros
    if t.micros % MICROS:  # a time cut at 838:59:59.999999 shows its digits
        fsp = 6
    if abs(total) > TIME_MAX:  # MariaDB's string result shows the limit with all six digits
        clamp(Time(total, fsp), time_string(Time(total, fsp)))
        return time_string(Time(TIME_MAX if total > 0 else -TIME_MAX, 6))
    return time_string(Time(total, fsp))


@fn.scalar("ADDTIME", returns=lambda n, t: t.apply(char_of_string, n.expressions[:1]),
           examples=["ADDTIME('500:00:00', '416:40:00')", "ADDTIME('2007-12-31 23:59:59.999999', '1 1:1:1.000002')",
                     "ADDTIME('10:00:00', 'x')"])
def addtime(a: Any, b: Any) -> str | None:
    return _add_time(a, b, 1)


@fn.scalar("SUBTIME", returns=lambda n, t: t.apply(char_of_string, n.expressions[:1]),
           examples=["SUBTIME('2007-12-31 23:59:59.999999', '1 1:1:1.000002')",
                     "SUBTIME('01:00:00.999999', '02:00:00.999998')"])
def subtime(a: Any, b: Any) -> str | None:
    return _add_time(a, b, -1)


@fn.scalar("TIMESTAMP", node=exp.Timestamp, args=lambda n: [n.this, n.args.get("zone")],
           returns=literal_fsp(DATETIME, "datetime", "interval"),
           examples=["TIMESTAMP('2003-12-31')", "TIMESTAMP('2003-12-31 12:00:00', '12:00:00')", "TIMESTAMP('x')"])
def timestamp(value: Any, add: Any = _ABSENT) -> str | None:
    """A DATETIME (zero dates kept), plus a time when one is given (a NULL one makes NULL)."""
    if value is None or add is None:
        return None
    t = read_datetime(value)
    if t is None:
        return None
    fsp = fraction_digits(value)
    if add is _ABSENT:
        return datetime_string(t, fsp)
    if not (t.year and t.month and t.day):
        return None  # a zero date plus a time: NULL, without a warning
    interval = parse_time(add, interval=True)
    if interval is None:
        return None
    fsp = max(fsp, interval.fsp)
    try:
        dt = datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro)
        dt += timedelta(microseconds=interval.micros)
    except (OverflowError, ValueError):
        return None
    return _datetime_string(dt, fsp)


def _half_up(n: int | float) -> int:
    """A number rounded as MariaDB rounds an integer argument: halves away from zero."""
    return n if isinstance(n, int) else int(Decimal(repr(n)).quantize(Decimal(1), ROUND_HALF_UP))


@fn.scalar("MAKETIME", node=exp.TimeFromParts, returns=TIME,
           args=lambda n: [n.args.get("hour"), n.args.get("min"), n.args.get("sec")],
           examples=["MAKETIME(12, 15, 30)", "MAKETIME(839, 0, 0)", "MAKETIME(-1, 2, 3)", "MAKETIME(1, 60, 3)",
                     "MAKETIME(1, 2, 3.5)"])
def maketime(hour: Any, minute: Any, second: Any) -> str | None:
    if hour is None or minute is None or second is None:
        return None
    h, m = _half_up(number_of(hour)), to_int(minute)
    s = number_of(second)
    if not 0 <= m <= 59 or not 0 <= s < 60:
        return None
    fsp = fraction_digits(second) if isinstance(s, float) else 0
    micros = round(s * MICROS) if isinstance(s, float) else s * MICROS
    total = (abs(h) * 3600 + m * 60) * MICROS + micros
    shown = f"{'-' if h < 0 else ''}{abs(h):02d}:{m:02d}:{int(s):02d}"
    return time_string(clamp(Time(-total if h < 0 else total, fsp), shown))


_TIME_SPECIFIERS: Final = frozenset("HkhIlisSfprT%")


@fn.scalar("TIME_FORMAT", returns=STRING, args=lambda n: [time_arg(n.expressions[0]), *n.expressions[1:]],
           examples=["TIME_FORMAT('100:00:00', '%H %k %h %I %l')", "TIME_FORMAT('-10:05:03.5', '%H:%i:%s %f %p %r')",
                     "TIME_FORMAT('10:00:00', '%Y')"])
def time_format(value: Any, pattern: Any) -> str | None:
    """DATE_FORMAT's time specifiers over a TIME (hours past 23 kept); a date specifier makes it NULL."""
    if value is None or pattern is None:
        return None
    t = parse_time(value)
    if t is None:
        return None
    whole, micros = divmod(abs(t.micros), MICROS)
    hours, minutes, seconds = whole // 3600, whole // 60 % 60, whole % 60
    h12 = hours % 12 or 12
    ampm = "AM" if hours % 24 < 12 else "PM"
    sign = "-" if t.micros < 0 else ""
    parts: dict[str, str] = {
        "H": f"{sign}{hours:02d}", "k": str(hours), "h": f"{h12:02d}", "I": f"{h12:02d}", "l": str(h12),
        "i": f"{minutes:02d}", "s": f"{seconds:02d}", "S": f"{seconds:02d}", "f": f"{micros:06d}", "p": ampm,
        "r": f"{h12:02d}:{minutes:02d}:{seconds:02d} {ampm}", "T": f"{hours:02d}:{minutes:02d}:{seconds:02d}",
        "%": "%",
    }
    out, fmt, i = [], text(pattern), 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            spec = fmt[i + 1]
            if spec in _TIME_SPECIFIERS:
                out.append(parts[spec])
            elif spec in "aDbcdejMmUuVvWwXxYy":
                return None
            else:
                out.append(spec)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# -- day and period numbers --------------------------------------------------------------------------


@fn.scalar("FROM_DAYS", returns=DATE, examples=["FROM_DAYS(730669)", "FROM_DAYS(366)", "FROM_DAYS(0)"])
def from_days(n: Any) -> str | None:
    if n is None:
        return None
    day = to_int(n)
    if day < 366 or day > _MAX_DAY:
        return _ZERO_DATE
    return date_text(date.fromordinal(day - _DAY_OFFSET))


@fn.scalar("TO_DAYS", returns=INT, examples=["TO_DAYS('2024-02-29')", "TO_DAYS(20240315)", "TO_DAYS('x')"])
def to_days(value: Any) -> int | None:
    """The day number of a date (0000-01-01 is day 1); NULL with a warning for what is no date."""
    parsed = date_arg(value)
    return None if parsed is None else parsed[0].toordinal() + _DAY_OFFSET


def undo_to_days(tree: exp.Expr) -> None:
    """sqlglot's MySQL parser writes TO_DAYS(x) as (DATEDIFF(DATE(x), DATE('0000-01-01')) + 1), which
    SQLite cannot compute (Python has no year 0): back to the call, which the registry declares."""
    for paren in list(tree.find_all(exp.Paren)):
        add = paren.this
        if not (isinstance(add, exp.Add) and isinstance(add.this, exp.DateDiff)
                and add.expression == exp.Literal.number(1)):
            continue
        diff = add.this
        start = diff.expression
        if (isinstance(diff.this, exp.TsOrDsToDate) and isinstance(start, exp.TsOrDsToDate)
                and start.this == exp.Literal.string("0000-01-01")):
            paren.replace(exp.Anonymous(this="TO_DAYS", expressions=[diff.this.this]))


@fn.scalar("TO_SECONDS", returns=BIGINT, examples=["TO_SECONDS('2009-11-29')", "TO_SECONDS(950501)", "TO_SECONDS('x')"])
def to_seconds(value: Any) -> int | None:
    parsed = date_arg(value)
    if parsed is None:
        return None
    dt = parsed[0]
    return (dt.toordinal() + _DAY_OFFSET) * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second


_UINT32: Final = 2**32
_UINT64: Final = 2**64


def _period_months(p: int) -> int:
    """A period YYMM or YYYYMM as a count of months (YY below 70 is 20YY), read as MariaDB's unsigned
    number: 0, past 999912 or negative (a huge unsigned) is no period, 0 months."""
    p %= _UINT64
    if p == 0 or p > 999912:
        return 0
    year, month = divmod(p, 100)
    if year < 70:
        year += 2000
    elif year < 100:
        year += 1900
    return year * 12 + month - 1


@fn.scalar("PERIOD_ADD", returns=INT, examples=["PERIOD_ADD(200801, 2)", "PERIOD_ADD(0801, 2)", "PERIOD_ADD(0, 1)",
                                                 "PERIOD_ADD(202401, 4294967295)"])
def period_add(period: Any, months: Any) -> int | None:
    """MariaDB's arithmetic: the count of months is a 32-bit int, the sum a 32-bit unsigned."""
    if period is None or months is None:
        return None
    p = to_int(period)
    if p == 0:
        return 0
    added = (to_int(months) + 2**31) % _UINT32 - 2**31  # (int) of the argument
    total = (_period_months(p) + added) % _UINT32
    if total == 0:
        return 0
    year = total // 12
    if year < 100:
        year += 2000 if year < 70 else 1900
    return year * 100 + total % 12 + 1


@fn.scalar("PERIOD_DIFF", returns=INT, examples=["PERIOD_DIFF(200802, 200703)", "PERIOD_DIFF(0802, 0703)",
                                                   "PERIOD_DIFF(202401, -1)"])
def period_diff(a: Any, b: Any) -> int | None:
    if a is None or b is None:
        return None
    return _period_months(to_int(a)) - _period_months(to_int(b))


@fn.scalar("ADD_MONTHS", node=exp.AddMonths, args=lambda n: [n.this, n.expression],
           returns=lambda n, t: t.apply(char_of_string, n.expressions[:1]),
           examples=["ADD_MONTHS('2012-01-31', 1)", "ADD_MONTHS('2012-01-31 10:00:00', -1)", "ADD_MONTHS('x', 1)"])
def add_months_of(value: Any, months: Any) -> str | None:
    parsed = date_arg(value)
    if parsed is None or months is None:
        return None
    try:
        moved = add_months(parsed[0], _half_up(number_of(months)))
    except (OverflowError, ValueError):
        warn(WARN_DATETIME_OVERFLOW, "Datetime function: datetime field overflow")
        return None
    return _datetime_string(moved, fraction_digits(value)) if parsed[1] else date_text(moved)


_FORMATS: Final = {
    ("DATE", "USA"): "%m.%d.%Y", ("DATE", "JIS"): "%Y-%m-%d", ("DATE", "ISO"): "%Y-%m-%d",
    ("DATE", "EUR"): "%d.%m.%Y", ("DATE", "INTERNAL"): "%Y%m%d",
    ("DATETIME", "USA"): "%Y-%m-%d %H.%i.%s", ("DATETIME", "JIS"): "%Y-%m-%d %H:%i:%s",
    ("DATETIME", "ISO"): "%Y-%m-%d %H:%i:%s", ("DATETIME", "EUR"): "%Y-%m-%d %H.%i.%s",
    ("DATETIME", "INTERNAL"): "%Y%m%d%H%i%s",
    ("TIME", "USA"): "%h:%i:%s %p", ("TIME", "JIS"): "%H:%i:%s", ("TIME", "ISO"): "%H:%i:%s",
    ("TIME", "EUR"): "%H.%i.%s", ("TIME", "INTERNAL"): "%H%i%s",
}


def _get_format_call(node: exp.Anonymous) -> exp.Expr:
    """GET_FORMAT(DATE, ...): the parser reads the type's name as a column's."""
    kind, *rest = node.expressions
    name = kind.name if isinstance(kind, exp.Column) else kind.sql()
    return exp.Anonymous(this="APP_GET_FORMAT", expressions=[exp.Literal.string(name.upper()), *rest])


@fn.scalar("GET_FORMAT", returns=STRING, rewrite=_get_format_call,
           examples=["GET_FORMAT(DATE, 'USA')", "GET_FORMAT(DATETIME, 'iso')", "GET_FORMAT(TIME, 'x')"])
def get_format(kind: Any, standard: Any) -> str | None:
    if kind is None or standard is None:
        return None
    name = text(kind).upper()
    return _FORMATS.get(("DATETIME" if name == "TIMESTAMP" else name, text(standard).upper()))


# -- Unix time ---------------------------------------------------------------------------------------


def _from_unixtime_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """A string with a format; else a DATETIME with the fraction digits of a number literal."""
    if len(node.expressions) > 1:
        return STRING
    arg = node.expressions[0] if node.expressions else None
    digits = fraction_digits(arg.this) if isinstance(arg, exp.Literal) and not arg.is_string else 0
    return SQLType("datetime", digits, fixed=True) if digits else DATETIME


@fn.scalar("FROM_UNIXTIME", node=exp.UnixToTime, args=lambda n: [n.this, mysql_format(n.args.get("format"))],
           returns=_from_unixtime_type, needs_session=True,
           deterministic=False, examples=["FROM_UNIXTIME(0)", "FROM_UNIXTIME(-1)", "FROM_UNIXTIME('abc')",
                                          "FROM_UNIXTIME(1.5)"])
def from_unixtime(ctx: FunctionContext, ts: Any, pattern: Any = None) -> str | None:
    """NULL outside 0 .. 2^31-1 (MariaDB 10.11's TIMESTAMP range); a string is read as a number."""
    if ts is None:
        return None
    seconds = number_of(ts)
    if seconds < 0:
        return None
    if seconds > _TIMESTAMP_MAX:
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect unixtime value: '{text(ts)}'")
        return None
    whole = int(seconds)
    fsp = fraction_digits(ts) if not isinstance(ts, int) else 0
    micros = round((Decimal(repr(seconds)) - whole) * MICROS) if isinstance(seconds, float) else 0
    tz = ctx.time_zone  # the moment on the clock of the session's @@time_zone
    moment = (datetime.fromtimestamp(whole) if tz is None else datetime.fromtimestamp(whole, tz).replace(
        tzinfo=None)) + timedelta(microseconds=micros)
    if pattern is not None:
        return date_format(_datetime_string(moment, 6), pattern)
    return _datetime_string(moment, fsp)


def _unix_timestamp_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """A BIGINT; of a string literal a DECIMAL with the digits it shows (six when it is no date), of a
    DATETIME(n) a DECIMAL with n."""
    arg = node.expressions[0] if node.expressions else None
    digits = 0
    if isinstance(arg, exp.Literal) and arg.is_string:
        t = read_datetime(arg.this, quiet=True)
        digits = 6 if t is None else t.digits
    elif isinstance(arg, exp.Cast) and arg.to.expressions and arg.to.expressions[0].name.isdigit():
        digits = int(arg.to.expressions[0].name)
    elif arg is not None:
        return typer.apply(seconds_of, [arg], 11) or BIGINT
    return decimal(digits, 11 + digits) if digits else BIGINT


@fn.scalar("UNIX_TIMESTAMP", returns=_unix_timestamp_type, needs_session=True, deterministic=False,
           examples=["UNIX_TIMESTAMP()", "UNIX_TIMESTAMP('2020-01-01 00:00:00')", "UNIX_TIMESTAMP('abc')"])
def unix_timestamp(ctx: FunctionContext, *args: Any) -> int | str | None:
    if not args:
        return int(ctx.statement_time().timestamp())
    t = read_datetime(args[0])
    if t is None or not (t.year and t.month and t.day):
        return None
    moment = datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro)
    tz = ctx.time_zone  # a time on the clock of the session's @@time_zone
    seconds = moment.timestamp() if tz is None else local_to_utc(moment, tz).timestamp()
    if seconds < 0 or seconds > _TIMESTAMP_MAX:
        return None
    fsp = fraction_digits(args[0])
    if fsp:
        return f"{int(seconds)}.{moment.microsecond:06d}"[:len(str(int(seconds))) + 1 + fsp]
    return int(seconds)

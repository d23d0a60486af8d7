"""MariaDB's reading of TIME values: '[-][D ]HH:MM[:SS[.ffffff]]', 'HHMMSS', a number, or a DATETIME's
time of day; the range -838:59:59.999999 .. 838:59:59.999999, clamped with a warning.

A TIME is carried as a signed count of microseconds with the number of fractional digits it is
shown with (`fsp`): a constant '10:00:00.5' shows one digit, as MariaDB types the constant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import WARN_TRUNCATED_WRONG_VALUE, warn
from .._sqltypes import SQLType
from ._mytime import INTERVAL_HOURS, TIME_MAX_HOUR, read_datetime, read_time
from ._values import text

MICROS: Final = 1_000_000
TIME_MAX: Final = (838 * 3600 + 59 * 60 + 59) * MICROS + 999_999

# Calls (as rewritten) whose value is a DATE: read as a time, it is midnight, where the same text as a
# string would be read as digits of a time ('2020-06-15' is 00:20:20).
_DATE_CALLS: Final = frozenset({"APP_CAST_DATE", "APP_DATE", "APP_CURDATE", "APP_FROM_DAYS", "APP_MAKEDATE",
                                "APP_LAST_DAY"})


def is_date(node: exp.Expr) -> bool:
    """Whether an expression (rewritten, or not yet) is known to be a DATE: DATE'...', CAST(... AS DATE), CURDATE()."""
    return (isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.DATE)) or isinstance(
        node, (exp.CurrentDate, exp.TsOrDsToDate)) or (isinstance(node, exp.Anonymous) and node.name in _DATE_CALLS)


# Functions (by their SQLite names) whose first argument is read as a TIME.
TIME_READERS: Final = frozenset({"APP_TIME", "APP_HOUR", "APP_MINUTE", "APP_SECOND", "APP_MICROSECOND",
                                 "APP_TIME_TO_SEC", "APP_TIME_FORMAT"})


def literal_fsp(base: SQLType, *readers: str) -> Callable[[exp.Expr, Any], SQLType]:
    """A result-type rule: `base` with the fraction digits its arguments show, as MariaDB types a call
    of constants: a string literal read as a 'time', 'datetime' or 'interval' (per argument, `readers`)
    shows its own digits, six when it is none (an interval's NULL too); a number its fraction's; a CAST
    its precision."""
    def rule(node: exp.Expr, typer: Any) -> SQLType:
        digits = 0
        for arg, reader in zip(node.expressions, readers, strict=False):
            digits = max(digits, _digits_of(arg, reader))
        return SQLType(base.kind, min(digits, 6), fixed=True) if digits else base

    return rule


def _digits_of(arg: exp.Expr, reader: str) -> int:
    if isinstance(arg, exp.Null):
        return 6 if reader == "interval" else 0
    if isinstance(arg, exp.Literal) and arg.is_string:
        if reader == "number":
            return 6
        t = read_datetime(arg.this, quiet=True) if reader == "datetime" else read_time(arg.this, quiet=True)
        return 6 if t is None else t.digits
    if isinstance(arg, exp.Literal):
        return fraction_digits(arg.this)
    if isinstance(arg, exp.Cast) and arg.to.expressions:
        fsp = arg.to.expressions[0].name
        return int(fsp) if fsp.isdigit() else 0
    return 0


def time_arg(node: exp.Expr) -> exp.Expr:
    """An argument read as a TIME: a DATE is midnight (see `is_date`)."""
    return exp.Anonymous(this="APP_TIME_OF_DATE", expressions=[node]) if is_date(node) else node


@dataclass(frozen=True, slots=True)
class Time:
    micros: int  # signed
    fsp: int  # fractional digits to show (0..6)


def clamp(t: Time, shown: str) -> Time:
    """The TIME range, with MariaDB's 1292 warning naming the value as it was before clamping."""
    if abs(t.micros) <= TIME_MAX:
        return t
    warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect time value: '{shown}'")
    limit = TIME_MAX - (999_999 if t.fsp == 0 else 0)
    return Time(limit if t.micros > 0 else -limit, t.fsp)


def parse_time(value: Any, *, quiet: bool = False, interval: bool = False) -> Time | None:
    """A value as MariaDB's TIME(): None (with a warning unless `quiet`) for what is no time. An
    `interval` (what ADDTIME adds) is not cut at 838 hours."""
    t = read_time(value, quiet=quiet, max_hour=INTERVAL_HOURS if interval else TIME_MAX_HOUR)
    if t is None:
        return None
    t = t.time_of_day()
    micros = ((t.hour * 60 + t.minute) * 60 + t.second) * MICROS + t.micro
    fsp = fraction_digits(value) if isinstance(value, (int, float)) else t.digits
    return Time(-micros if t.neg else micros, fsp)


def time_string(t: Time) -> str:
    """A TIME as MariaDB writes it: '-838:59:59.999999', at least two digits of hours."""
    sign = "-" if t.micros < 0 else ""
    whole, micros = divmod(abs(t.micros), MICROS)
    out = f"{sign}{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    if t.fsp:
        out += "." + f"{micros:06d}"[:t.fsp]
    return out


def fraction_digits(value: Any) -> int:
    """The fractional digits a value shows ('10:00:00.50' two; a number or NULL none)."""
    if value is None or isinstance(value, int):
        return 0
    if isinstance(value, float):
        digits = repr(value).partition(".")[2]
        return 0 if value.is_integer() or "e" in digits else min(len(digits), 6)
    m = re.search(r"\.(\d+)", text(value))
    return min(len(m.group(1)), 6) if m else 0

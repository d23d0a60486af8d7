"""MariaDB's reading of TIME values: '[-][D ]HH:MM[:SS[.ffffff]]', 'HHMMSS', a number, or a DATETIME's
time of day; the range -838:59:59.999999 .. 838:59:59.999999, clamped with a warning.

A TIME is carried as a signed count of microseconds with the number of fractional digits it is
shown with (`fsp`): a constant '10:00:00.5' shows one digit, as MariaDB types the constant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from .._diagnostics import WARN_TRUNCATED_WRONG_VALUE, note, warn
from ._values import parse_datetime, text

MICROS: Final = 1_000_000
TIME_MAX: Final = (838 * 3600 + 59 * 60 + 59) * MICROS + 999_999

_CLOCK: Final = re.compile(r"(\d+):(\d+)(?::(\d+))?(?:\.(\d*))?")
_DAYS: Final = re.compile(r"(\d+)\s+(\d+)(?::(\d+)(?::(\d+))?)?(?:\.(\d*))?")
_DIGITS: Final = re.compile(r"(\d+)(?:\.(\d*))?")
_DATE_LIKE: Final = re.compile(r"\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,2}")


@dataclass(frozen=True, slots=True)
class Time:
    micros: int  # signed
    fsp: int  # fractional digits to show (0..6)


def _fraction(digits: str | None) -> tuple[int, int, bool]:
    """(microseconds, digits shown, whether digits past the sixth were cut)."""
    if not digits:
        return 0, 0, False
    return int(digits[:6].ljust(6, "0")), min(len(digits), 6), len(digits) > 6


def clamp(t: Time, shown: str) -> Time:
    """The TIME range, with MariaDB's 1292 warning naming the value as it was before clamping."""
    if abs(t.micros) <= TIME_MAX:
        return t
    warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect time value: '{shown}'")
    limit = TIME_MAX - (999_999 if t.fsp == 0 else 0)
    return Time(limit if t.micros > 0 else -limit, t.fsp)


def _invalid(s: str) -> None:
    warn(WARN_TRUNCATED_WRONG_VALUE, f"Incorrect time value: '{s}'")


def parse_time(value: Any, *, quiet: bool = False) -> Time | None:
    """A value as MariaDB's TIME(): None (with a warning unless `quiet`) for what is no time."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, (int, float)):
        return _time_of_number(value, quiet)
    s = text(value)
    if _DATE_LIKE.match(s) or (s.strip().isdigit() and len(s.strip()) >= 12):
        parsed = parse_datetime(int(s) if s.strip().isdigit() else s)
        if parsed is not None and parsed[1]:  # a date alone is read as digits of a time: '2020-01-01' 00:20:20
            dt = parsed[0]
            shown = re.search(r"\.(\d+)\s*$", s)
            micros = ((dt.hour * 60 + dt.minute) * 60 + dt.second) * MICROS + dt.microsecond
            return Time(micros, min(len(shown.group(1)), 6) if shown else 0)
    body = s.lstrip()
    negative = body.startswith("-")
    if body[:1] in "+-" and body:
        body = body[1:]
    m = _DAYS.match(body)
    if m is not None:
        days, h, mi, sec, frac = m.groups()
        hours, minutes, seconds = int(days) * 24 + int(h), int(mi or 0), int(sec or 0)
    else:
        m = _CLOCK.match(body)
        if m is not None:
            h, mi, sec, frac = m.groups()
            hours, minutes, seconds = int(h), int(mi), int(sec or 0)
        else:
            m = _DIGITS.match(body)
            if m is None:
                if not quiet:
                    _invalid(s)
                return None
            digits, frac = m.groups()
            n = int(digits)
            hours, minutes, seconds = n // 10000, n // 100 % 100, n % 100
    if minutes > 59 or seconds > 59:
        if not quiet:
            _invalid(s)
        return None
    micros, fsp, cut = _fraction(frac)
    total = ((hours * 60 + minutes) * 60 + seconds) * MICROS + micros
    t = Time(-total if negative else total, fsp)
    rest = body[m.end():].strip()
    if rest and not quiet:
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect time value: '{s}'")
    elif cut and not quiet:
        note(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect time value: '{s}'")
    return clamp(t, s) if not quiet else t


def _time_of_number(value: int | float, quiet: bool) -> Time | None:
    negative = value < 0
    whole = int(abs(value))
    if whole >= 10**7:  # YYYYMMDD or YYYYMMDDHHMMSS: a DATE's time is midnight
        parsed = parse_datetime(whole)
        if parsed is None:
            if not quiet:
                _invalid(text(value))
            return None
        dt = parsed[0]
        return Time(((dt.hour * 60 + dt.minute) * 60 + dt.second) * MICROS, 0)
    hours, minutes, seconds = whole // 10000, whole // 100 % 100, whole % 100
    if minutes > 59 or seconds > 59:
        if not quiet:
            _invalid(text(value))
        return None
    fsp = 0
    micros = 0
    if isinstance(value, float):
        frac = repr(abs(value)).partition(".")[2]
        if frac and "e" not in frac and frac != "0":
            micros, fsp, _ = _fraction(frac)
    total = ((hours * 60 + minutes) * 60 + seconds) * MICROS + micros
    return clamp(Time(-total if negative else total, fsp), text(value))


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

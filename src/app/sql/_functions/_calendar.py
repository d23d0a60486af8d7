"""The calendar as MySQL counts it: week numbers in every WEEK() mode, month arithmetic, day and month names."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Final

WEEK_MONDAY_FIRST: Final = 1
WEEK_YEAR: Final = 2
WEEK_FIRST_WEEKDAY: Final = 4

DAY_NAMES: Final = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES: Final = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]
UNIT_SECONDS: Final = {"MICROSECOND": 1e-6, "SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400, "WEEK": 604800}


def _days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def calc_week(d: date, behaviour: int) -> tuple[int, int]:
    """(week, year) as MySQL's calc_week computes them (sql-common/my_time.c)."""
    daynr = d.toordinal()
    first_daynr = date(d.year, 1, 1).toordinal()
    monday_first = bool(behaviour & WEEK_MONDAY_FIRST)
    week_year = bool(behaviour & WEEK_YEAR)
    first_weekday = bool(behaviour & WEEK_FIRST_WEEKDAY)
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


def week_mode(mode: int) -> int:
    """calc_week's behaviour flags for a WEEK() mode."""
    behaviour = mode & 7
    if not behaviour & WEEK_MONDAY_FIRST:
        behaviour ^= WEEK_FIRST_WEEKDAY
    return behaviour


def week_of(d: date, mode: int) -> int:
    """WEEK(d, mode)."""
    return calc_week(d, week_mode(mode))[0]


def months_between(a: datetime, b: datetime) -> int:
    """Whole months from `a` to `b` (negative when `b` is earlier)."""
    months = (b.year - a.year) * 12 + (b.month - a.month)
    # A month counts once the day and time of day reach the start's.
    if months > 0 and (b.day, b.time()) < (a.day, a.time()):
        months -= 1
    elif months < 0 and (b.day, b.time()) > (a.day, a.time()):
        months += 1
    return months



def add_months(dt: datetime, months: int) -> datetime:
    """`dt` moved by whole months, the day clamped to the month's last (Jan 31 + 1 month = Feb 29)."""
    total = dt.year * 12 + dt.month - 1 + months
    year, month = divmod(total, 12)
    day = min(dt.day, calendar.monthrange(year, month + 1)[1])
    return dt.replace(year=year, month=month + 1, day=day)


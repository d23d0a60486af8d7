"""Time zones: CONVERT_TZ, with offsets ('+05:30'), SYSTEM, and named zones ('Europe/Paris').

Named zones come from the system's tz database through `zoneinfo`, looked up without regard to case
as MariaDB looks them up in its mysql.time_zone_name table. MariaDB's rules, kept here:

- an offset is `[+-]H:MM` within -12:59 .. +13:00; anything else (and an unknown name) gives NULL;
- a moment that is outside TIMESTAMP's range once in UTC (1970-01-01 00:00:01 .. 2038-01-19
  03:14:07) is returned unchanged;
- a local time in a daylight-saving gap is the moment of the transition; an ambiguous one (the hour
  repeated in autumn) is its first occurrence.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, Final

from sqlglot import exp

from .._sqltypes import DATETIME
from ._mytime import NO_ZERO, read_datetime
from ._registry import Family
from ._temporal import literal_fsp
from ._values import date_text, text

fn = Family("timezone")

_OFFSET: Final = re.compile(r"([+-])(\d{1,2}):(\d{1,2})")
_TIMESTAMP_MIN: Final = datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)
_TIMESTAMP_MAX: Final = datetime(2038, 1, 19, 3, 14, 7, 999999, tzinfo=UTC)
_FRACTION: Final = re.compile(r"\.(\d+)\s*$")


@functools.cache
def _names() -> dict[str, str]:
    """The tz database's zone names by lower case."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def zone(name: Any) -> tzinfo | None:
    """The time zone a CONVERT_TZ argument names (None: no such zone, as MariaDB's NULL)."""
    if name is None:
        return None
    spelled = text(name)
    m = _OFFSET.fullmatch(spelled)
    if m is not None:
        hours, minutes = int(m.group(2)), int(m.group(3))
        offset = hours * 60 + minutes
        if minutes > 59 or (m.group(1) == "+" and offset > 13 * 60) or (m.group(1) == "-" and offset > 12 * 60 + 59):
            return None
        return timezone(timedelta(minutes=-offset if m.group(1) == "-" else offset))
    if spelled.lower() == "system":
        local = datetime.now().astimezone().tzinfo
        return local
    # Zones the tz database lists, in any case; others by their file name ('posixrules').
    found = _names().get(spelled.lower(), spelled)
    try:
        return zoneinfo.ZoneInfo(found)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def local_to_utc(local: datetime, tz: tzinfo) -> datetime:
    """The UTC moment of a wall-clock time in `tz` (a time in a daylight-saving gap is its transition)."""
    return _to_utc(local, tz)


def _to_utc(local: datetime, tz: tzinfo) -> datetime:
    """The UTC moment of a wall-clock time in `tz` (see the module docstring for gaps and repeats)."""
    first = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == local:
        return first
    # In a gap: the transition is between the two readings; find its first second.
    low = local.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = first
    if low > high:
        low, high = high, low
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0) + timedelta(microseconds=local.microsecond)


def _fraction_digits(value: Any) -> int:
    """How many fractional-second digits the argument shows (MySQL keeps them in the result)."""
    if isinstance(value, str):
        m = _FRACTION.search(value)
        return len(m.group(1)) if m else 0
    return 0


@fn.scalar("CONVERT_TZ", node=exp.ConvertTimezone,
           args=lambda n: [n.args.get("timestamp"), n.args.get("source_tz"), n.args.get("target_tz")],
           returns=literal_fsp(DATETIME, "datetime"),
           examples=["CONVERT_TZ('2024-07-01 12:00:00', '+00:00', '+05:30')",
                     "CONVERT_TZ('2024-07-01 12:00:00', 'UTC', 'Europe/Paris')",
                     "CONVERT_TZ('2024-03-31 02:30:00', 'Europe/Paris', 'UTC')",
                     "CONVERT_TZ('2024-07-01 12:00:00', '+13:01', 'UTC')",
                     "CONVERT_TZ('1969-07-01 12:00:00', 'UTC', '+05:00')",
                     "CONVERT_TZ('2024-07-01 12:00:00.5', 'utc', 'MET')"])
def convert_tz(value: Any, source: Any, target: Any) -> str | None:
    read = read_datetime(value, NO_ZERO)  # (MariaDB's warning for what is no date, and for a zero date)
    from_tz, to_tz = zone(source), zone(target)
    if read is None or from_tz is None or to_tz is None:
        return None
    local = datetime(read.year, read.month, read.day, read.hour, read.minute, read.second, read.micro)
    moment = _to_utc(local, from_tz)
    if _TIMESTAMP_MIN <= moment <= _TIMESTAMP_MAX:
        local = moment.astimezone(to_tz).replace(tzinfo=None)
    out = f"{date_text(local)} {local.hour:02d}:{local.minute:02d}:{local.second:02d}"
    digits = _fraction_digits(value)
    if digits:
        out += "." + f"{local.microsecond:06d}"[:digits]
    elif local.microsecond:
        out += f".{local.microsecond:06d}"
    return out

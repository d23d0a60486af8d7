"""Strings read as numbers, with MariaDB's warnings: the helpers `_coercion` wraps around a string
operand where MySQL wants a number (arithmetic, numeric functions, a comparison with a number).

MariaDB reads a string's numeric prefix after leading spaces ('12abc' is 12, 'x' is 0) and says
what it dropped: `1292 Truncated incorrect DOUBLE value: '12abc'` as a warning, or as a note when
only spaces followed the number ('42 '); an empty string (or only spaces) warns too. The word in
the message is the type MariaDB converts to (DOUBLE in arithmetic, DECIMAL in a comparison with an
integer, INTEGER for a count or position argument).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Final

from .._diagnostics import WARN_TRUNCATED_WRONG_VALUE, note, warn
from .._sqltypes import BIGINT, DATE, DOUBLE, decimal
from ._mytime import Kind, MyTime, date_string, datetime_string, read_datetime
from ._registry import Family

fn = Family("coerce")

_NUMBER: Final = re.compile(r"[ \t\n\r\v\f]*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_INTEGER: Final = re.compile(r"[ \t\n\r\v\f]*([-+]?\d+)")
SPACES: Final = " \t\n\r\v\f"  # what MariaDB skips around a number
_INT64: Final = 2**63


def numeric_prefix(s: str, kind: str) -> str:
    """The numeric prefix of `s` that MariaDB reads as a number of `kind` ("0" when there is none), with
    its 1292 warning (a note when only spaces follow the number). An INTEGER stops at a point or exponent."""
    m = (_INTEGER if kind == "INTEGER" else _NUMBER).match(s)
    if m is None:
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect {kind} value: '{s}'")
        return "0"
    if m.end() < len(s):
        message = f"Truncated incorrect {kind} value: '{s}'"
        if s[m.end():].strip(SPACES):
            warn(WARN_TRUNCATED_WRONG_VALUE, message)
        else:
            note(WARN_TRUNCATED_WRONG_VALUE, message)
    return m.group(1)


def to_number(value: Any, kind: str) -> Any:
    """`value` as a number (int or float), warning as MariaDB does when a string is not one."""
    if value is None or isinstance(value, (int, float)):
        return value
    s = bytes(value).decode("utf-8", "replace") if isinstance(value, (bytes, bytearray, memoryview)) else str(value)
    digits = numeric_prefix(s, kind)
    try:
        n = int(digits)
    except ValueError:
        return float(digits)
    if -_INT64 <= n < _INT64:
        return n
    # past SQLite's integers: a DOUBLE is read as one; for a DECIMAL or an integer the digits stay
    # text, which the exact helpers read exactly (SQLite's arithmetic as the nearest double)
    return float(n) if kind == "DOUBLE" else digits


@fn.internal("APP_TO_DOUBLE", returns=DOUBLE)
def to_double(value: Any) -> Any:
    return to_number(value, "DOUBLE")


@fn.internal("APP_TO_DECIMAL", returns=decimal(0))
def to_decimal(value: Any) -> Any:
    return to_number(value, "DECIMAL")


@fn.internal("APP_TO_INTEGER", returns=BIGINT)
def to_integer(value: Any) -> Any:
    return to_number(value, "INTEGER")


@fn.internal("APP_TO_INTEGER_TWICE", returns=BIGINT)
def to_integer_twice(value: Any) -> Any:
    """A constant string read as an integer by a function that MariaDB evaluates once more while it
    sizes its result (LEFT, SUBSTRING, LPAD, REPEAT, SPACE, FORMAT, ...): its 1292 warning comes twice."""
    to_number(value, "INTEGER")
    return to_number(value, "INTEGER")


@fn.internal("APP_TEMPORAL_NUMBER", returns=BIGINT)
def temporal_number(value: Any) -> Any:
    """A DATE, DATETIME, TIMESTAMP or TIME column's value where MySQL wants a number: its digits,
    20240229 for '2024-02-29', 20240229101112 for '2024-02-29 10:11:12', -8385959 for '-838:59:59'
    (with the fractional seconds after the point, when there are some)."""
    if type(value) is not str:
        return value
    whole, _, fraction = value.strip().partition(".")
    digits = "".join(ch for ch in whole if ch.isdigit())
    if not digits:
        return value
    n = int(digits)
    if whole.startswith("-"):
        n = -n
    if fraction.strip("0"):
        return float(f"{n}.{fraction}")
    return n


@fn.internal("APP_DATE_OPERAND", returns=DATE)
def date_operand(form: Any, value: Any) -> Any:
    """A string or number compared with a DATE (`form` 0) or a DATETIME of `form` - 1 fractional
    digits, read as MariaDB reads it there: as a datetime, written as that side's text is stored
    ('YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss[.fff]'), so that SQLite's comparison of the texts orders
    them as the datetimes they are. What is no date is the zero date, with `Truncated incorrect
    datetime value`; what is one cut short warns as `read_datetime` words it ('2024-01-01x')."""
    if value is None:
        return None
    t = read_datetime(value, quiet=True)
    if t is None:
        shown = value if isinstance(value, str) else str(value)
        warn(WARN_TRUNCATED_WRONG_VALUE, f"Truncated incorrect datetime value: '{shown}'")
        t = _ZERO
    else:
        read_datetime(value)  # again for its warning of a value cut short (the common case: none)
    if not form and not (t.hour or t.minute or t.second or t.micro):
        return date_string(t)
    fsp = max(form - 1, 0) if isinstance(form, int) else 0
    # digits past the other side's: all six, so that the texts differ as the values do
    return datetime_string(t, fsp if t.micro % 10 ** (6 - fsp) == 0 else 6)


_ZERO: Final = MyTime(Kind.DATETIME)


@functools.lru_cache(maxsize=256)
def _members(decltype: str) -> tuple[bool, dict[str, int]]:
    """(whether it is a SET, its members' numbers by lower-case value) of an ENUM or SET declared type."""
    body = decltype.strip()
    is_set = body[:3].lower() == "set"
    values = [v.replace("''", "'") for v in _MEMBER.findall(body[body.index("(") + 1:body.rindex(")")])]
    return is_set, {v.lower(): (1 << k if is_set else k + 1) for k, v in reversed(list(enumerate(values)))}


_MEMBER: Final = re.compile(r"'((?:[^']|'')*)'")


@fn.internal("APP_ENUM_NUMBER", returns=BIGINT)
def enum_number(decltype: Any, value: Any) -> Any:
    """An ENUM or SET column's value where MySQL wants a number: the member's position (1, 2, ...;
    0 for the '' of an invalid value), a SET's bits. `decltype` is the column's declared type."""
    if type(value) is not str or type(decltype) is not str:
        return value
    is_set, members = _members(decltype)
    if not is_set:
        return members.get(value.lower(), 0)
    return sum(members.get(v.lower(), 0) for v in value.split(",")) if value else 0


# The helper for each kind of conversion (the word MariaDB's message uses).
# INTEGER2: an INTEGER argument that MariaDB reads twice when it is a constant (`to_integer_twice`).
HELPERS: Final = {"DOUBLE": "APP_TO_DOUBLE", "DECIMAL": "APP_TO_DECIMAL", "INTEGER": "APP_TO_INTEGER",
                  "INTEGER2": "APP_TO_INTEGER_TWICE"}
# What a temporal column's value becomes in a numeric context (its digits; see `temporal_number`).
TEMPORAL_HELPER: Final = "APP_TEMPORAL_NUMBER"
# A string or number compared with a DATE (see `date_operand`).
DATE_HELPER: Final = "APP_DATE_OPERAND"
# ... and an ENUM or SET column's (its member's number; see `enum_number`).
ENUM_HELPER: Final = "APP_ENUM_NUMBER"

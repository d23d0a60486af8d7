"""The type families MySQL gives expressions, and how operations combine them.

SQLite reports a declared type only for a result column that is a plain table column; MySQL
clients convert values by the column type in the result's metadata, so the SQL layer derives
the type of every other expression the way MariaDB derives it. This module holds the values of
that reasoning (`SQLType`), the rules that combine them (`merge`, `arithmetic`, `sum_of`, ...),
and type expressions (`TypeExpr`): a type that depends on the columns of tables is a small
expression over column references, evaluated against the schema when a statement runs.

It sits at the bottom of the SQL layer with `_types`: it imports nothing above them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Final

from ._types import Column, MySQLType, column_for_decltype


@dataclass(frozen=True, slots=True)
class SQLType:
    """A MySQL type family as results carry it; `scale` for DECIMAL (and a DOUBLE shown with decimals).

    Integers also carry what MariaDB derives for them: `code`, the protocol type (TINY ... LONGLONG,
    YEAR), `length`, the display width (digits and sign), and `unsigned`. Arithmetic grows the width
    as MariaDB does, and the width decides between INT and BIGINT results (`1+1` is INT, `i+1` of an
    INT column BIGINT). For DECIMAL `length` is the precision (0: not known).

    Strings carry the most characters they hold (`length`; bytes for binary strings, 0: not known),
    which decides between VARCHAR and the BLOB types as MariaDB's max_length does (`string_code`), and
    `code` where the type is a column's (CHAR, TEXT's BLOB, JSON's LONG_BLOB: what MIN and COALESCE keep).
    """

    kind: str  # int | decimal | double | string | binary | date | datetime | time | null
    scale: int = 0
    length: int = 0
    unsigned: bool = False
    code: int = 0  # for int: the MySQLType; 0 is INT (LONG, 11 wide)
    fixed: bool = False  # a DOUBLE shown with `scale` decimals even when that is 0 (CEIL(1.5e300))


INT: Final = SQLType("int", length=11, code=MySQLType.LONG)  # most functions of integers: INT
BIGINT: Final = SQLType("int", length=21, code=MySQLType.LONGLONG)  # COUNT, TIMESTAMPDIFF, ...
UBIGINT: Final = SQLType("int", length=21, unsigned=True, code=MySQLType.LONGLONG)  # bit operations
ULONG: Final = SQLType("int", length=10, unsigned=True, code=MySQLType.LONG)  # CRC32, CONNECTION_ID
DOUBLE: Final = SQLType("double")
FLOAT: Final = SQLType("double", code=MySQLType.FLOAT)  # single precision: CAST(x AS FLOAT)
STRING: Final = SQLType("string")
# A string MariaDB sends as a fixed CHAR (MYSQL_TYPE_STRING): what DATE_ADD and ADDTIME make of a string.
CHAR: Final = SQLType("string", code=MySQLType.STRING)
# A TEXT result (a BLOB that is not binary): GROUP_CONCAT with MariaDB's default group_concat_max_len.
TEXT: Final = SQLType("string", code=MySQLType.BLOB)
BINARY: Final = SQLType("binary")  # a BLOB
LONGTEXT: Final = SQLType("string", code=MySQLType.LONG_BLOB)  # REGEXP_REPLACE's result
LONGBLOB: Final = SQLType("binary", code=MySQLType.LONG_BLOB)  # UNCOMPRESS's result
VARBINARY: Final = SQLType("varbinary")  # a binary string MariaDB sends as VARCHAR with the binary charset
DATE: Final = SQLType("date")
DATETIME: Final = SQLType("datetime")
TIME: Final = SQLType("time")
NULL: Final = SQLType("null")
MAX_SCALE: Final = 38
MAX_PRECISION: Final = 65
DEFAULT_DIV_INCREMENT: Final = 4  # MariaDB's default div_precision_increment


MB: Final = 4  # the most bytes of a character (utf8mb4)
_STRING_KINDS: Final = frozenset({"string", "binary", "varbinary"})
# The protocol types of BLOB / TEXT columns, by size.
_BLOBS: Final = frozenset({MySQLType.TINY_BLOB, MySQLType.BLOB, MySQLType.MEDIUM_BLOB, MySQLType.LONG_BLOB})
_VARCHAR_BYTES: Final = 65532  # a string result of more bytes is a BLOB (MariaDB's string_type_handler)


def text_type(chars: int, binary: bool = False) -> SQLType:
    """A string result of at most `chars` characters (bytes, if `binary`), its protocol type by that length."""
    return SQLType("varbinary" if binary else "string", length=max(chars, 0))


def octets(t: SQLType) -> int:
    """The most bytes of a string type's values (MariaDB's max_length)."""
    return t.length * MB if t.kind == "string" else t.length


def chars_of(t: SQLType) -> int:
    """The most characters of a value of `t` written as a string: a string's length, a number's display
    width (MariaDB's max_length of numbers, dates and times)."""
    if t.kind in _STRING_KINDS:
        return t.length
    if t.kind == "int":
        return t.length
    if t.kind == "decimal":
        return precision_of(t) + 2
    if t.kind == "double":
        return 22
    if t.kind in ("date", "datetime", "time"):
        return {"date": 10, "time": 10}.get(t.kind, 19) + (t.scale + 1 if t.scale else 0)
    return 0


def string_code(length: int) -> MySQLType | None:
    """The BLOB type a string result of `length` bytes is sent as, None for a VARCHAR (MariaDB's
    Type_handler::string_type_handler: from 65532 bytes a BLOB, from 64 KiB MEDIUM, from 16 MiB LONG)."""
    if length >= 16777216:
        return MySQLType.LONG_BLOB
    if length >= 65536:
        return MySQLType.MEDIUM_BLOB
    if length >= _VARCHAR_BYTES:
        return MySQLType.BLOB
    return None


def blob_code(length: int) -> MySQLType:
    """The BLOB type that holds `length` bytes (MariaDB's blob_type_handler: what COALESCE of a TEXT is)."""
    if length <= 255:
        return MySQLType.TINY_BLOB
    if length <= 65535:
        return MySQLType.BLOB
    if length <= 16777215:
        return MySQLType.MEDIUM_BLOB
    return MySQLType.LONG_BLOB


def decimal(scale: int, precision: int = 0) -> SQLType:
    """DECIMAL with `scale` digits after the point (clamped to what MySQL allows)."""
    scale = max(0, min(scale, MAX_SCALE))
    return SQLType("decimal", scale, min(max(precision, scale), MAX_PRECISION) if precision else 0)


def integer(length: int, unsigned: bool = False, *, long_up_to: int = 9) -> SQLType:
    """An integer result `length` wide: INT while it is at most `long_up_to` wide, else BIGINT."""
    length = max(1, min(length, 21))
    return SQLType("int", length=length, unsigned=unsigned,
                   code=MySQLType.LONG if length <= long_up_to else MySQLType.LONGLONG)


def precision_of(t: SQLType) -> int:
    """The number of digits of a number type's values (MariaDB's decimal_precision)."""
    if t.kind == "int":
        return max(1, t.length - (0 if t.unsigned else 1))
    if t.kind == "decimal":
        return t.length or MAX_PRECISION
    return 0


# -- between SQLType and result columns ------------------------------------------------------------

_TO_MYSQL: Final = {
    "double": MySQLType.DOUBLE,
    "string": MySQLType.VAR_STRING,
    "binary": MySQLType.BLOB,
    "varbinary": MySQLType.VAR_STRING,
    "date": MySQLType.DATE,
    "datetime": MySQLType.DATETIME,
    "time": MySQLType.TIME,
    "null": MySQLType.NULL,
}
# The display width of integer columns by type, signed and unsigned.
_INT_WIDTHS: Final = {MySQLType.TINY: (4, 3), MySQLType.SHORT: (6, 5), MySQLType.INT24: (9, 8),
                      MySQLType.LONG: (11, 10), MySQLType.LONGLONG: (20, 20), MySQLType.YEAR: (4, 4)}
_FROM_MYSQL: Final = {
    MySQLType.FLOAT: FLOAT, MySQLType.DOUBLE: DOUBLE, MySQLType.DATE: DATE,
    MySQLType.DATETIME: DATETIME, MySQLType.TIMESTAMP: DATETIME, MySQLType.TIME: TIME,
}


def to_column(name: str, t: SQLType) -> Column:
    """The result column a value of type `t` goes out as."""
    if t.kind == "decimal":
        return Column(name, MySQLType.NEWDECIMAL, scale=t.scale, unsigned=t.unsigned)
    if t.kind == "int":
        return Column(name, MySQLType(t.code or MySQLType.LONG), unsigned=t.unsigned)
    if t.kind == "double" and t.code == MySQLType.FLOAT:
        return Column(name, MySQLType.FLOAT)
    if t.kind == "double" and (t.scale or t.fixed):
        return Column(name, MySQLType.DOUBLE, scale=t.scale)  # a DOUBLE shown with fixed decimals
    if t.kind == "double" and t.unsigned:
        return Column(name, MySQLType.DOUBLE, unsigned=True)  # the MOD of a BIGINT UNSIGNED
    if t.kind in _STRING_KINDS and t.code and t.code not in _MEMBERS:
        return Column(name, MySQLType(t.code), binary=t.kind != "string")
    if t.kind in _STRING_KINDS and t.length and not t.code:
        code = string_code(octets(t))
        if code is not None:
            return Column(name, code, binary=t.kind != "string")
    if t.fixed and t.kind in ("datetime", "time"):
        return Column(name, _TO_MYSQL[t.kind], scale=t.scale)  # its fractional digits
    return Column(name, _TO_MYSQL[t.kind], binary=t.kind in _BINARY_KINDS)


def from_decltype(decltype: str) -> SQLType | None:
    """The type of a table column declared (in SQLite) as `decltype`; None for BIT(64)."""
    col = column_for_decltype("", decltype)
    if col.type is MySQLType.NEWDECIMAL:
        m = _PRECISION.match(decltype)
        return decimal(col.scale or 0, int(m.group(1)) if m else 10)
    if col.type in _INT_WIDTHS:
        return _int_column(col)
    if col.type is MySQLType.BIT:  # an UNSIGNED integer of its bits' digits (MIN and MAX keep the BIT)
        m = _SIZED.match(decltype)
        bits = int(m.group(2)) if m and m.group(2) else 1
        if bits >= 64:  # stored as SQLite's signed integer: typed by its values (see _types.conform)
            return None
        return SQLType("int", length=len(str(2**bits - 1)), unsigned=True, code=MySQLType.BIT)
    if col.type in (MySQLType.VAR_STRING, MySQLType.STRING, MySQLType.BLOB):
        return _string_column(col, decltype)
    if col.binary:
        return VARBINARY if col.type in (MySQLType.VAR_STRING, MySQLType.STRING) else BINARY
    found = _FROM_MYSQL.get(col.type, STRING)
    if col.scale and found.kind in ("datetime", "time"):  # DATETIME(3): its fractional digits
        return SQLType(found.kind, col.scale, fixed=True)
    return found


# TEXT and BLOB columns: the most characters (bytes for BLOBs) MariaDB counts for them, and their type.
_TEXT_COLUMNS: Final = {
    "tinytext": (255, MySQLType.TINY_BLOB), "text": (65535, MySQLType.BLOB),
    "mediumtext": (16777215, MySQLType.MEDIUM_BLOB), "longtext": (4294967295, MySQLType.LONG_BLOB),
    "json": (4294967295, MySQLType.LONG_BLOB),
}
_SIZED: Final = re.compile(r"\s*([a-z]+)\s*(?:\(\s*(\d+))?", re.I)


def _string_column(col: Column, decltype: str) -> SQLType | None:
    """A CHAR, VARCHAR, BINARY, VARBINARY, TEXT or BLOB column's type, with its length."""
    m = _SIZED.match(decltype)
    base = m.group(1).lower() if m else ""
    if base in ("enum", "set"):  # a string that is a number where MySQL wants one (its member's: `_coercion`)
        return SQLType("string", code=MySQLType.ENUM if base == "enum" else MySQLType.SET)
    size = int(m.group(2)) if m and m.group(2) else 1
    kind = "varbinary" if col.binary else "string"
    if base in ("char", "binary"):
        return SQLType(kind, length=size, code=MySQLType.STRING)
    if base in ("varchar", "varbinary"):
        return SQLType(kind, length=size)
    found = _TEXT_COLUMNS.get(base.replace("blob", "text"))
    if found is None:
        return STRING
    return SQLType("binary" if col.binary else "string", length=found[0], code=found[1])


def _int_column(col: Column) -> SQLType:
    signed, unsigned = _INT_WIDTHS[col.type]
    is_unsigned = col.unsigned or col.type is MySQLType.YEAR
    return SQLType("int", length=unsigned if is_unsigned else signed, unsigned=is_unsigned, code=col.type)


_PRECISION: Final = re.compile(r"\s*(?:decimal|numeric|dec|fixed)\s*\(\s*(\d+)", re.I)


def from_column(col: Column) -> SQLType | None:
    """The type of a result column (the inverse of `to_column` where there is one)."""
    if col.type is MySQLType.NEWDECIMAL:
        return decimal(col.scale or 0)
    if col.type in _INT_WIDTHS:
        return _int_column(col)
    if col.binary:
        return VARBINARY if col.type in (MySQLType.VAR_STRING, MySQLType.STRING) else BINARY
    if col.type in (MySQLType.VAR_STRING, MySQLType.STRING, MySQLType.BLOB, MySQLType.VARCHAR):
        return STRING
    if col.type is MySQLType.NULL:
        return NULL
    return _FROM_MYSQL.get(col.type)


# -- combining types ---------------------------------------------------------------------------------

_NUMERIC: Final = frozenset({"int", "decimal", "double"})
_BINARY_KINDS: Final = frozenset({"binary", "varbinary"})


def merge(*types: SQLType) -> SQLType:
    """The type of COALESCE, IF, CASE, GREATEST or UNION over values of `types` (signed and UNSIGNED
    integers meet as a DECIMAL: IFNULL(u, 0) of a BIGINT UNSIGNED)."""
    if any(t.code == MySQLType.BIT for t in types) and len(types) > 1:  # COALESCE(bt, 1) is a DECIMAL
        types = tuple(decimal(0, t.length) if t.code == MySQLType.BIT else t for t in types)
    kinds = {t.kind for t in types if t.kind != "null"}
    if not kinds:
        return NULL
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind == "decimal":
            return _merged_decimal(types)
        if kind == "int":
            ints = [t for t in types if t.kind == "int"]
            if any(t.unsigned for t in ints) and not all(t.unsigned for t in ints):
                return decimal(0, max(precision_of(t) for t in ints))
            return _merged_int(ints)
        if kind in ("datetime", "time"):  # with the most fraction digits
            scale = max(t.scale for t in types if t.kind == kind)
            return SQLType(kind, scale, fixed=True) if scale else SQLType(kind)
        if kind in _STRING_KINDS:
            return _merged_string(types, kind)
        return SQLType(kind)
    if kinds <= _NUMERIC:
        if "double" in kinds:
            return DOUBLE
        return _merged_decimal(types)
    if kinds <= {"date", "datetime", "time"}:  # a DATE and a TIME meet as a DATETIME
        scale = max((t.scale for t in types if t.kind in ("datetime", "time")), default=0)
        return SQLType("datetime", scale, fixed=True) if scale else DATETIME
    return _merged_string(types, "binary" if "binary" in kinds else "varbinary" if "varbinary" in kinds else "string")


def _merged_string(types: tuple[SQLType, ...], kind: str) -> SQLType:
    """Strings (and numbers, dates as strings) merged as MariaDB aggregates them for COALESCE, IF, CASE:
    as long as the longest; a TEXT or BLOB among them makes a BLOB type that holds that length, only
    CHARs (and values that are not strings) a CHAR, anything else a VARCHAR."""
    binary = kind != "string"
    known = [t for t in types if t.kind != "null"]
    length = max((octets(t) if binary and t.kind == "string" else chars_of(t)) for t in known)
    strings = [t for t in known if t.kind in _STRING_KINDS]
    code = 0
    if any(t.code in _BLOBS or (t.kind == "binary" and not t.code) for t in strings):
        if any(not t.length for t in strings):
            code = MySQLType.BLOB  # a BLOB of unknown size
        else:
            code = blob_code(length * (1 if binary else MB))
        return SQLType("binary" if binary else "string", length=length, code=code)
    if strings and all(t.code == MySQLType.STRING for t in strings):
        code = MySQLType.STRING
    return SQLType(kind, length=length, code=code)


def union_merge(*types: SQLType) -> SQLType:
    """A UNION's column: as `merge`, but a TEXT or BLOB result is a BLOB whatever its size (MariaDB
    sends the column of its temporary table)."""
    t = merge(*types)
    return replace(t, code=MySQLType.BLOB) if t.code in _BLOBS else t


def greatest(*types: SQLType) -> SQLType:
    """GREATEST and LEAST: as `merge`, but they compare: strings with numbers (or NULL with numbers)
    as DOUBLEs, a signed with an UNSIGNED integer as DECIMALs."""
    kinds = {t.kind for t in types}
    temporal = [t for t in types if t.kind in ("date", "datetime", "time")]
    if temporal:  # compared as dates and times: GREATEST(dt, 1) is a DATETIME, of a DATE and a string a DATE
        return merge(*temporal)
    numbers = kinds & _NUMERIC
    if numbers and ("null" in kinds or kinds & {"string", "varbinary", "binary"}):
        return DOUBLE
    ints = [t for t in types if t.kind == "int"]
    if kinds == {"int"} and any(t.unsigned for t in ints) and not all(t.unsigned for t in ints):
        return decimal(0, max(precision_of(t) for t in ints))
    return merge(*types)


_INT_RANK: Final = {MySQLType.TINY: 1, MySQLType.SHORT: 2, MySQLType.YEAR: 2, MySQLType.INT24: 3, MySQLType.LONG: 4,
                    MySQLType.LONGLONG: 5}


def _merged_int(types: list[SQLType]) -> SQLType:
    """Integers merged as MariaDB aggregates their types: the widest type, UNSIGNED only if all are."""
    code = max((t.code or MySQLType.LONG for t in types), key=lambda c: _INT_RANK.get(MySQLType(c), 4))
    unsigned = all(t.unsigned for t in types)
    if not unsigned and any(t.unsigned for t in types) and code != MySQLType.LONGLONG:
        code = MySQLType.LONGLONG if code == MySQLType.LONG else code
    return SQLType("int", length=max(t.length for t in types), unsigned=unsigned, code=code)


def _merged_decimal(types: tuple[SQLType, ...]) -> SQLType:
    numbers = [t for t in types if t.kind in ("int", "decimal")]
    scale = max(t.scale for t in numbers)
    digits = max(precision_of(t) - t.scale for t in numbers)
    return decimal(scale, digits + scale)


def first(t: SQLType, *_: SQLType) -> SQLType:
    """The type of the first argument (MIN, MAX, NULLIF)."""
    return t


# ENUM and SET (string types whose values are numbers in arithmetic), and the type of that number.
_MEMBERS: Final = frozenset({MySQLType.ENUM, MySQLType.SET})
_MEMBER_NUMBER: Final = SQLType("int", length=3, code=MySQLType.LONG)
# The digits of a temporal value read as a number (20240229, 20240229101112, -8385959).
_TEMPORAL_DIGITS: Final = {"date": 8, "datetime": 14, "time": 7}


def numeric(t: SQLType) -> SQLType:
    """An operand of arithmetic: a temporal value is an integer of its digits (dt + 0 is BIGINT);
    strings and NULL are used as DOUBLE (NULL + 1 and ABS(NULL) are DOUBLE columns in MariaDB)."""
    if t.kind in _NUMERIC:
        return integer(t.length, True) if t.code == MySQLType.BIT else t
    if t.code in _MEMBERS:  # an ENUM or SET: its member's number
        return _MEMBER_NUMBER
    digits = _TEMPORAL_DIGITS.get(t.kind)
    if digits is None:
        return DOUBLE
    return decimal(t.scale, digits + t.scale) if t.scale else integer(digits + 1)


def _arithmetic(a: SQLType, b: SQLType, scales: Callable[[int, int], int] = max) -> SQLType | None:
    """What every arithmetic operator shares: NULL stays NULL, a DOUBLE makes a DOUBLE (None: neither).
    A DOUBLE of fixed decimals (PI(), ROUND(x, 2)) with integers, DECIMALs or other such keeps fixed
    decimals, as many as `scales` makes of the operands' (PI() + 1 is 4.141593); with any other
    DOUBLE it has none."""
    if a.kind == "null" or b.kind == "null":
        return NULL
    if "double" in (a.kind, b.kind):
        if all(t.kind != "double" or t.fixed or t.scale for t in (a, b)):
            scale = scales(a.scale, b.scale)
            return SQLType("double", scale, fixed=True) if scale <= 30 else DOUBLE
        return DOUBLE
    return None


def add(a: SQLType, b: SQLType) -> SQLType:
    """+ and -: one more digit than the wider operand; DECIMALs keep the larger scale."""
    a, b = numeric(a), numeric(b)
    shared = _arithmetic(a, b)
    if shared is not None:
        return shared
    scale = max(a.scale, b.scale)
    digits = max(precision_of(a) - a.scale, precision_of(b) - b.scale) + 1
    if a.kind == "int" and b.kind == "int":
        unsigned = a.unsigned or b.unsigned
        return integer(digits + (0 if unsigned else 1), unsigned)
    return decimal(scale, digits + scale)


def modulo(a: SQLType, b: SQLType) -> SQLType:
    """MOD and %: as wide as the wider operand, signed as the dividend."""
    a, b = numeric(a), numeric(b)
    shared = _arithmetic(a, b)
    if shared is not None:  # (a DOUBLE or NULL result of an unsigned dividend is unsigned too)
        return replace(shared, unsigned=True) if a.unsigned and a.kind == "int" else shared
    scale = max(a.scale, b.scale)
    digits = max(precision_of(a) - a.scale, precision_of(b) - b.scale)
    if a.kind == "int" and b.kind == "int":
        return integer(digits + (0 if a.unsigned else 1), a.unsigned)
    return replace(decimal(scale, digits + scale), unsigned=a.unsigned)


def multiply(a: SQLType, b: SQLType) -> SQLType:
    """*: the digits and the DECIMAL scales add up."""
    a, b = numeric(a), numeric(b)
    shared = _arithmetic(a, b)
    if shared is not None:
        return shared
    digits = precision_of(a) + precision_of(b)
    if a.kind == "int" and b.kind == "int":
        unsigned = a.unsigned or b.unsigned
        return integer(digits + (0 if unsigned else 1), unsigned)
    return decimal(a.scale + b.scale, digits)


def divide(a: SQLType, b: SQLType, increment: int) -> SQLType:
    """/: a DECIMAL whose scale grows by div_precision_increment (`increment`)."""
    a, b = numeric(a), numeric(b)
    shared = _arithmetic(a, b, lambda x, y: max(x, y) + increment)
    if shared is not None:
        return shared
    scale = a.scale + increment
    return decimal(scale, precision_of(a) - a.scale + b.scale + scale)


def int_divide(a: SQLType, b: SQLType) -> SQLType:
    """DIV: the integer digits of the dividend."""
    unsigned = (a.kind == "int" and a.unsigned) or (b.kind == "int" and b.unsigned)  # either operand's
    if a.kind == "null" or b.kind == "null":  # NULL DIV 2 is an INT column
        return replace(INT, unsigned=unsigned)
    if a.kind == "string" and a.length:  # as wide as the string: 'abcdefghi' DIV 1 is INT
        return integer(a.length + 1, unsigned, long_up_to=10)
    a = numeric(a)
    if a.kind == "int":
        return integer(precision_of(a), unsigned)
    if a.kind == "decimal":  # INT up to 9 integer digits
        return integer(precision_of(a) - a.scale + 1, unsigned, long_up_to=10)
    if a.kind == "double" and a.length:  # a DOUBLE literal: as wide as its text (1e-5 DIV 2 is INT)
        return integer(a.length + 1, unsigned, long_up_to=10)
    return replace(BIGINT, unsigned=unsigned)


def signed_cast(t: SQLType) -> SQLType:
    """CAST(x AS SIGNED) of a number: as wide as its text, at least 2; of a DOUBLE or temporal: BIGINT."""
    if t.kind == "int":
        return integer(max(t.length, 2))
    if t.kind == "decimal":
        return integer(max(precision_of(t) + (1 if t.scale else 0) + 1, 2))
    return SQLType("int", length=20, code=MySQLType.LONGLONG)


def unsigned_cast(t: SQLType, constant: bool) -> SQLType:
    """CAST(x AS UNSIGNED): an UNSIGNED integer or non-negative constant keeps its width; anything that
    may be negative may wrap to 20 digits."""
    if t.kind == "int" and (t.unsigned or constant):
        return integer(t.length, True)
    if t.kind == "null":  # CAST(NULL AS UNSIGNED) is an INT UNSIGNED column
        return integer(1, True)
    return SQLType("int", length=20, unsigned=True, code=MySQLType.LONGLONG)


def negate(t: SQLType) -> SQLType:
    """Unary minus: one character wider (the sign), never UNSIGNED; a temporal value's is a DECIMAL."""
    if t.kind in _TEMPORAL_DIGITS:
        return decimal(t.scale, _TEMPORAL_DIGITS[t.kind] + t.scale)
    if t.code == MySQLType.SET:  # a SET's number has up to 64 bits: -st is a BIGINT
        return BIGINT
    t = numeric(t)
    if t.kind == "int":
        return integer(precision_of(t) + 1)
    return DOUBLE if t.code == MySQLType.FLOAT and t.kind == "double" else t  # -fl of a FLOAT is a DOUBLE


def absolute(t: SQLType) -> SQLType:
    """ABS: as wide as the argument; a temporal value's is a DECIMAL."""
    if t.kind in _TEMPORAL_DIGITS:
        return decimal(t.scale, _TEMPORAL_DIGITS[t.kind] + t.scale)
    if t.code == MySQLType.SET:
        return BIGINT
    t = numeric(t)
    if t.kind == "double" and t.code == MySQLType.FLOAT:
        return DOUBLE  # ABS of a FLOAT is a DOUBLE, with the single-precision value's digits
    return integer(t.length, t.unsigned) if t.kind == "int" else t


def sum_of(t: SQLType) -> SQLType:
    """SUM: a DECIMAL of the argument's scale (SUM of an integer too), or a DOUBLE."""
    t = numeric(t)
    return DOUBLE if t.kind == "double" else NULL if t.kind == "null" else decimal(t.scale)


def avg_of(t: SQLType, increment: int) -> SQLType:
    """AVG: like `/`, the scale grows by div_precision_increment."""
    t = numeric(t)
    return DOUBLE if t.kind == "double" else NULL if t.kind == "null" else decimal(t.scale + increment)


def variance_of(t: SQLType, increment: int) -> SQLType:
    """VARIANCE / STDDEV: a DOUBLE, shown with the argument's decimals + the increment unless it is a
    DOUBLE (MariaDB prints STDDEV_SAMP of an INT column as 0.7071)."""
    t = numeric(t)
    return DOUBLE if t.kind == "double" else SQLType("double", t.scale + increment)


def rounded(t: SQLType, digits: int | None, cut: bool = False) -> SQLType:
    """ROUND and TRUNCATE (`cut`): a DECIMAL gets the scale the digits ask for (ROUND(x, 3) of a
    DECIMAL(10,2) shows 3 decimals); a DATE (an ENUM, a SET) is an INT UNSIGNED; integers stay integers, but ROUND
    to tens and beyond may carry a digit: one more wide (INT may become BIGINT), and a BIGINT
    becomes a DECIMAL."""
    if t.kind == "date":
        return integer(_TEMPORAL_DIGITS["date"], True)
    if t.code in _MEMBERS:
        return integer(_MEMBER_NUMBER.length, True)
    t = numeric(t)
    if t.kind == "double":  # shown with that many decimals: ROUND(2e0, 1) is 2.0, ROUND(1.5e300) every digit
        if digits is not None and digits > 30:  # MariaDB's NOT_FIXED_DEC: written as a plain DOUBLE
            return DOUBLE
        return SQLType("double", max(digits or 0, 0), fixed=True)
    if t.code == MySQLType.YEAR:  # a YEAR is a number of 4 digits
        return integer(t.length, True)
    if t.kind == "int" and digits is not None and digits < 0 and not cut:
        if t.code == MySQLType.LONGLONG:
            return replace(decimal(0, t.length), unsigned=t.unsigned)
        return integer(t.length + 1, t.unsigned, long_up_to=10)
    if t.kind != "decimal":
        return t
    return decimal(digits if digits is not None else 0)


def floor_of(t: SQLType) -> SQLType:
    """FLOOR and CEIL: a DECIMAL becomes an integer of its integer digits (a DECIMAL past 18 of them);
    an integer keeps its type, a DATE (and an ENUM or SET) is an INT UNSIGNED."""
    if t.kind == "date":
        return integer(_TEMPORAL_DIGITS["date"], True)
    if t.code in _MEMBERS:
        return integer(_MEMBER_NUMBER.length, True)
    t = numeric(t)
    if t.code == MySQLType.YEAR:
        return integer(t.length, True)
    if t.kind == "double":
        return SQLType("double", fixed=True)  # no decimals: CEIL(1.5e300) is written with every digit
    if t.kind != "decimal":
        return t
    digits = precision_of(t) - t.scale
    if digits > 17:
        return decimal(0, digits + 1)
    return integer(digits + 2, long_up_to=10)


def date_added(t: SQLType, whole_days: bool, fsp: int = 0) -> SQLType:
    """DATE_ADD keeps a DATE a DATE for whole days and more, makes it a DATETIME otherwise (with the
    interval's fraction digits, `fsp`); of anything but a DATE or DATETIME it is a string."""
    if t.kind == "date":
        return DATE if whole_days else SQLType("datetime", fsp, fixed=True) if fsp else DATETIME
    if t.kind == "datetime":
        digits = max(t.scale, fsp)
        return SQLType("datetime", digits, fixed=True) if digits else DATETIME
    return CHAR


def seconds_of(t: SQLType, digits: int) -> SQLType:
    """UNIX_TIMESTAMP and TIME_TO_SEC of a value that is not a literal: a BIGINT, or a DECIMAL with the
    fractional digits its type may have (a string's or a DOUBLE's six, a DECIMAL's scale, a DATETIME(n)'s
    n: MariaDB's temporal precision of the argument); `digits` are those of the whole seconds."""
    if (t.kind in _STRING_KINDS and t.code not in _MEMBERS) or t.kind == "double":
        fsp = 6
    elif t.kind in ("decimal", "datetime", "time"):
        fsp = min(t.scale, 6)
    else:
        fsp = 0
    return decimal(fsp, digits + fsp) if fsp else BIGINT


def char_of_string(t: SQLType) -> SQLType:
    """ADDTIME and ADD_MONTHS: of a DATE, DATETIME or TIME that type, of anything else a CHAR string."""
    return t if t.kind in ("date", "datetime", "time") else CHAR


# -- type expressions --------------------------------------------------------------------------------

# decltypes of a table's columns by lower-case name, or None when there is no such table.
TableLookup = Callable[[str | None, str], "dict[str, str] | None"]


@dataclass(frozen=True, slots=True)
class ColumnRef:
    """The type of column `column` of the first of `tables` ((database or None, table)) that has it."""

    tables: tuple[tuple[str | None, str], ...]
    column: str


@dataclass(frozen=True, slots=True)
class Apply:
    """`rule(*types of args, *constants)`: a type computed from other types once they are known."""

    rule: Callable[..., SQLType]
    args: tuple[TypeExpr, ...]
    constants: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class VariableRef:
    """The type of user variable @`name` (lower case): that of the value it holds when the statement runs
    (a lookup that knows the session's variables answers it: `VariableTypes`)."""

    name: str


TypeExpr = SQLType | ColumnRef | Apply | VariableRef

_INT64_MAX: Final = 2**63 - 1
# A user variable's type by its value, as MariaDB types Item_func_get_user_var: an integer is a BIGINT
# (UNSIGNED past 2**63 - 1), a DECIMAL has 38 decimals, a string is a LONGTEXT, NULL a LONGBLOB.
VARIABLE_DECIMAL: Final = SQLType("decimal", MAX_SCALE, MAX_PRECISION)
VARIABLE_BIGINT: Final = SQLType("int", length=21, code=MySQLType.LONGLONG)
# A string variable: a LONGTEXT of 16 MiB - 1 bytes (4194303 characters) as functions of it count it
# (CONCAT(@s) and COALESCE(@s, 'x') are MEDIUMTEXTs, JSON_EXTRACT(@j, '$') and QUOTE(@s) LONGTEXTs).
VARIABLE_TEXT: Final = SQLType("string", length=16777215 // MB, code=MySQLType.LONG_BLOB)


def variable_type(value: Any) -> SQLType:
    """The type a user variable holding `value` has (see `VariableRef`)."""
    if isinstance(value, int):
        return UBIGINT if value > _INT64_MAX else VARIABLE_BIGINT
    if isinstance(value, float):
        return DOUBLE
    if isinstance(value, Decimal):
        return VARIABLE_DECIMAL
    if isinstance(value, str):
        return VARIABLE_TEXT
    return LONGBLOB


class VariableTypes:
    """A `TableLookup` that also types user variables (`VariableRef`) by the values they hold."""

    __slots__ = ("_tables", "_types")

    def __init__(self, tables: TableLookup, types: dict[str, SQLType]) -> None:
        self._tables = tables
        self._types = types

    def __call__(self, db: str | None, table: str) -> dict[str, str] | None:
        return self._tables(db, table)

    def user_variable(self, name: str) -> SQLType:
        return self._types.get(name, LONGBLOB)


def _no_tables(db: str | None, table: str) -> dict[str, str] | None:
    return None


def apply(rule: Callable[..., SQLType], args: list[TypeExpr | None], *constants: Any) -> TypeExpr | None:
    """`Apply(rule, args, constants)`, folded when every argument is known now; None if one is unknown."""
    known: list[TypeExpr] = []
    for a in args:
        if a is None:
            return None
        known.append(a)
    expr = Apply(rule, tuple(known), constants)
    if all(isinstance(a, SQLType) for a in known):
        return evaluate(expr, _no_tables)
    return expr


def evaluate(expr: TypeExpr, lookup: TableLookup) -> SQLType | None:
    """Resolve a type expression against the tables' declared column types."""
    if isinstance(expr, SQLType):
        return expr
    if isinstance(expr, VariableRef):  # typed when the lookup knows the session's variables
        types = lookup if isinstance(lookup, VariableTypes) else None
        return None if types is None else types.user_variable(expr.name)
    if isinstance(expr, ColumnRef):
        for db, table in expr.tables:
            decltypes = lookup(db, table)
            if decltypes is not None and expr.column in decltypes:
                decl = decltypes[expr.column]
                return from_decltype(decl) if decl else None
        return None
    args: list[SQLType] = []
    for a in expr.args:
        t = evaluate(a, lookup)
        if t is None:
            return None
        args.append(t)
    return expr.rule(*args, *expr.constants)


def tables_of(expr: TypeExpr) -> list[tuple[str | None, str]]:
    """The (database, table) pairs a type expression reads."""
    if isinstance(expr, (SQLType, VariableRef)):
        return []
    if isinstance(expr, ColumnRef):
        return list(expr.tables)
    return [t for a in expr.args for t in tables_of(a)]


@dataclass(frozen=True, slots=True, eq=False)
class Deferred:
    """A result column's type that depends on the columns of tables (see module docstring)."""

    expr: TypeExpr
    checked: bool = False  # see Column.checked

    def column(self, lookup: TableLookup) -> Column | None:
        """The column type against the tables `lookup` describes (None: typed by the values)."""
        t = evaluate(self.expr, lookup)
        return None if t is None else replace(to_column("", t), checked=self.checked)

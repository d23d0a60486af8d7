"""String functions: CONCAT, LEFT, LPAD, LOCATE, SUBSTRING_INDEX, FIELD, ...

MySQL's default collation compares case-insensitively, so LOCATE, FIELD, FIND_IN_SET and STRCMP
fold case; NULL in gives NULL out unless MySQL says otherwise (FIELD, CONCAT_WS).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Final

from sqlglot import exp

from .._collations import BINARY, GENERAL_CI, SQLITE_COLLATIONS, compare
from .._diagnostics import WARN_ALLOWED_PACKET_OVERFLOWED, warn
from .._errors import ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError, syntax_error
from .._sqltypes import BIGINT, INT, MB, STRING, VARBINARY, SQLType, TypeExpr, apply, chars_of, octets, text_type
from ._registry import ArgsOf, Family, FunctionContext, Typer, TypeRule, call_args, udf
from ._values import number_of, text, to_int

fn = Family("string")


def _args(node: exp.Expr) -> Sequence[exp.Expr]:
    """A rewritten call's arguments."""
    return list(node.expressions)


def _is_binary(types: Sequence[SQLType]) -> bool:
    kinds = {t.kind for t in types}
    return bool(kinds & {"binary", "varbinary"}) or kinds == {"null"}


def _string_result(*types: SQLType) -> SQLType:
    return VARBINARY if _is_binary(types) else STRING


def _measure(t: SQLType, binary: bool) -> int:
    """The most characters of `t` in a result that is binary or not (a text's bytes in a binary one)."""
    return octets(t) if binary and t.kind == "string" else chars_of(t)


def _total_result(*types: SQLType) -> SQLType:
    """CONCAT: as long as its arguments together."""
    binary = _is_binary(types)
    return text_type(sum(_measure(t, binary) for t in types), binary)


def _first_result(*types: SQLType) -> SQLType:
    """UPPER, LOWER, TRIM, REVERSE, REPLACE: as long as the string they work on."""
    binary = _is_binary(types)
    return text_type(_measure(types[0], binary), binary)


def _quoted_result(*types: SQLType) -> SQLType:
    """QUOTE: twice the bytes and the quotes (MariaDB's Item_func_quote)."""
    binary = _is_binary(types)
    return text_type(2 * octets(types[0]) // (1 if binary else MB) + 2, binary)


def _strings(picked: slice, args: ArgsOf | None = None, result: Callable[..., SQLType] = _string_result) -> TypeRule:
    """The result type of a string function whose string arguments are `picked` from its arguments (as
    `args` takes them from the parsed call; a rewritten call has them as its arguments): a binary string
    when one of them is binary or when every one is NULL (MariaDB gives NULL the binary collation:
    LEFT(NULL, 2) is a binary string, CONCAT(NULL, 'a') is not); text otherwise. `result` makes it of
    those arguments' types (with its length, where that is known)."""

    def rule(node: exp.Expr, typer: Typer) -> TypeExpr | None:
        arguments = list(node.expressions) if isinstance(node, exp.Anonymous) else call_args(node, args)
        found = [typer.infer(a) for a in arguments[picked]]
        return apply(result, [STRING if t is None else t for t in found])

    return rule


_ALL = _strings(slice(None), result=_total_result)
_FIRST = FIRST_STRING = _strings(slice(0, 1))  # (also NATURAL_SORT_KEY's)
_SAME = _strings(slice(0, 1), result=_first_result)
_TWO: ArgsOf = lambda n: [n.this, n.expression]  # noqa: E731


def _separated_result(sep: SQLType, *types: SQLType) -> SQLType:
    """CONCAT_WS: its strings and a separator between each two."""
    binary = _is_binary((sep, *types))
    return text_type(sum(_measure(t, binary) for t in types) + _measure(sep, binary) * max(len(types) - 1, 0), binary)


def _hex_result(t: SQLType) -> SQLType:
    """HEX: two digits a byte of a string, 16 of a number."""
    return text_type(16 if t.kind in ("int", "decimal", "double") else 2 * octets(t) if t.kind in (
        "string", "binary", "varbinary") else 2 * chars_of(t))


def _first(node: exp.Expr) -> Sequence[exp.Expr]:
    """A rewritten call's first argument (the string it works on)."""
    return list(node.expressions[:1])


def _this(node: exp.Expr) -> Sequence[exp.Expr]:
    """The string a call kept as sqlglot's node works on."""
    return [node.this] if isinstance(node.this, exp.Expr) else []


# -- SQLite has these -----------------------------------------------------------------------------

fn.native("CONCAT", node=exp.Concat, returns=_ALL, text_args=_args,
          examples=["CONCAT('a', 1, 'b')", "CONCAT('a', NULL)"])


def _positive(node: exp.Expr | None, least: int) -> bool:
    """Whether `node` is an integer literal of at least `least` (where SQLite's substr agrees with MySQL's)."""
    return isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit() and (
        least <= int(node.this) < 2**31)


def _substring_call(value: exp.Expr, start: exp.Expr | None, length: exp.Expr | None) -> exp.Expr | None:
    """SQLite's substr where it gives what MySQL's SUBSTRING does (a position from 1 on, a length of 0 or
    more, both literals: the common case, in C); APP_SUBSTRING otherwise (a position 0 or past the start
    of the string from its end, a negative length: '' in MySQL, a part of the string in SQLite)."""
    if _positive(start, 1) and (length is None or _positive(length, 0)):
        return None
    return udf("APP_SUBSTRING", value, start, length)


def _substring(node: exp.Substring) -> exp.Expr | None:
    if node.args.get("start") is None:
        raise syntax_error(")")  # SUBSTRING('abc'): MariaDB's parser wants a position
    return _substring_call(node.this, node.args.get("start"), node.args.get("length"))


def _mid(node: exp.Anonymous) -> exp.Expr | None:
    args = list(node.expressions)
    if len(args) not in (2, 3):
        raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, f"Incorrect parameter count in the call to native "
                                                          f"function '{node.name}'")
    return _substring_call(args[0], args[1], args[2] if len(args) > 2 else None) or udf("SUBSTR", *args)


fn.native("SUBSTRING", "SUBSTR", node=exp.Substring, returns=_FIRST, text_args=_this, rewrite=_substring,
          examples=["SUBSTRING('abcdef', 2, 3)", "SUBSTR('abcdef', -3)", "SUBSTRING('abcdef' FROM 2 FOR 2)",
                    "SUBSTRING('abc', 0)"])
fn.native("MID", sqlite_name="SUBSTR", returns=_FIRST, rewrite=_mid, text_args=_first,
          examples=["MID('abcdef', 2, 3)", "MID('abc', 2, -1)"])


@fn.internal("APP_SUBSTRING", returns=_FIRST, text_args=_first, numbers=("", "INTEGER2"))
def substring(s: Any, position: Any, *length: Any) -> Any:
    """SUBSTRING(s, pos[, len]) as MariaDB's Item_func_substr: '' for a position 0 or outside the string
    (from its end when negative) and for a length of 0 or less; characters of a text, bytes of a binary."""
    if s is None or position is None or (length and length[0] is None):
        return None
    value: str | bytes = bytes(s) if isinstance(s, (bytes, bytearray, memoryview)) else text(s)
    start = to_int(position)
    count = to_int(length[0]) if length else None
    if (count is not None and count <= 0) or not -2**31 <= start < 2**31:
        return value[:0]
    first = len(value) + start if start < 0 else start - 1
    if first < 0 or first >= len(value):
        return value[:0]
    return value[first:] if count is None else value[first:first + count]


def _trim(node: exp.Trim) -> exp.Expr | None:
    """SQLite's trim where it does what MySQL's does (spaces, or one character given as a literal: SQLite
    removes any of the characters of its second argument, MySQL the whole string, repeatedly)."""
    remove = node.expression
    if remove is None or (isinstance(remove, exp.Literal) and remove.is_string and len(remove.this) == 1):
        return None
    where = str(node.args.get("position") or "BOTH").upper()
    return udf("APP_TRIM", node.this, remove, exp.Literal.string(where))


fn.native("TRIM", "LTRIM", "RTRIM", node=exp.Trim, returns=_strings(slice(None), _TWO, _first_result), text_args=_this,
          rewrite=_trim,
          examples=["TRIM('  a  ')", "LTRIM('  a')", "RTRIM('a  ')", "TRIM(LEADING 'x' FROM 'xxa')",
                    "TRIM('ab' FROM 'ababcab')"])


@fn.internal("APP_TRIM", returns=_strings(slice(0, 2), result=_first_result), text_args=_first)
def trim(s: Any, remove: Any, where: str) -> Any:
    """TRIM([BOTH | LEADING | TRAILING] remstr FROM s): remstr removed as a whole, as often as it repeats."""
    if s is None or remove is None:
        return None
    binary = isinstance(s, (bytes, bytearray, memoryview)) or isinstance(remove, (bytes, bytearray, memoryview))
    value: str | bytes = _bytes(s) if binary else text(s)
    cut: str | bytes = _bytes(remove) if binary else text(remove)
    if not cut:
        return value
    first, last = 0, len(value)
    if where != "TRAILING":
        while value.startswith(cut, first):  # type: ignore[arg-type]
            first += len(cut)
    if where != "LEADING":
        while last - len(cut) >= first and value.endswith(cut, first, last):  # type: ignore[arg-type]
            last -= len(cut)
    return value[first:last]


def _bytes(value: Any) -> bytes:
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else text(value).encode()
fn.native("REPLACE", node=exp.Replace,
          returns=_strings(slice(None), lambda n: [n.this, n.expression, n.args.get("replacement")], _first_result),
          text_args=_this,
          examples=["REPLACE('abc', 'b', 'x')"])
fn.native("OCTET_LENGTH", "LENGTHB", returns=INT, text_args=_first,
          rewrite=lambda n: udf("OCTET_LENGTH", *n.expressions), examples=["OCTET_LENGTH('héllo')", "LENGTHB('héllo')"])
# LENGTH counts bytes (SQLite's octet_length); CHAR_LENGTH is SQLite's length. sqlglot parses both
# into Length, LENGTH with `binary` set.
fn.native("CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH", node=exp.Length, returns=INT, text_args=_this,
          rewrite=lambda n: udf("OCTET_LENGTH", n.this) if n.args.get("binary") else None,
          examples=["CHAR_LENGTH('héllo')", "CHARACTER_LENGTH('héllo')", "LENGTH('héllo')", "LENGTH(NULL)"])


# -- ours ------------------------------------------------------------------------------------------


def _recased(value: Any, upper: bool) -> Any:
    if value is None or isinstance(value, (bytes, bytearray, memoryview)):
        return value  # a binary string has no letters
    s = text(value)
    if s.isascii():
        return s.upper() if upper else s.lower()
    # MariaDB maps one character to one (SQLite's upper() only knows ASCII; Python's makes 'ß' 'SS')
    return "".join(c2 if len(c2 := (c.upper() if upper else c.lower())) == 1 else c for c in s)


@fn.scalar("UPPER", "UCASE", node=exp.Upper, returns=_SAME, text_args=_first,
           examples=["UPPER('abc')", "UCASE('héllo')", "UPPER(NULL)"])
def upper(value: Any) -> Any:
    return _recased(value, True)


@fn.scalar("LOWER", "LCASE", node=exp.Lower, returns=_SAME, text_args=_first,
           examples=["LOWER('ABC')", "LCASE('HÉLLO')", "LOWER(NULL)"])
def lower(value: Any) -> Any:
    return _recased(value, False)


@fn.scalar("CONCAT_WS", node=exp.ConcatWs, returns=_strings(slice(None), result=_separated_result),
           text_args=lambda n: n.expressions[1:],
           examples=["CONCAT_WS('-', 'a', NULL, 'b')", "CONCAT_WS(NULL, 'a')"])
def concat_ws(sep: Any, *args: Any) -> str | None:
    if sep is None:
        return None
    return str(sep).join(str(a) for a in args if a is not None)


@fn.scalar("LEFT", node=exp.Left, args=_TWO, returns=_FIRST, numbers=("", "INTEGER2"),
           text_args=lambda n: n.expressions[:1], examples=["LEFT('abcdef', 2)", "LEFT(NULL, 2)"])
def left(s: Any, n: Any) -> str | None:
    if s is None or n is None:
        return None
    k = to_int(n)
    return text(s)[:k] if k > 0 else ""


@fn.scalar("RIGHT", node=exp.Right, args=_TWO, returns=_FIRST, numbers=("", "INTEGER2"),
           text_args=lambda n: n.expressions[:1], examples=["RIGHT('abcdef', 2)"])
def right(s: Any, n: Any) -> str | None:
    if s is None or n is None:
        return None
    k = to_int(n)
    return text(s)[-k:] if k > 0 else ""


def _fits_packet(ctx: FunctionContext, size: int, name: str) -> bool:
    """Whether a result of `size` bytes fits max_allowed_packet; else warning 1301 (and the caller
    returns NULL), as MariaDB does, instead of building a string without bound."""
    if size <= ctx.max_allowed_packet:
        return True
    warn(WARN_ALLOWED_PACKET_OVERFLOWED,
         f"Result of {name}() was larger than max_allowed_packet ({ctx.max_allowed_packet}) - truncated")
    return False


def _pad(ctx: FunctionContext, s: Any, n: Any, fill: Any, left_side: bool) -> str | None:
    if s is None or n is None or fill is None:
        return None
    value, k, fill_text = text(s), to_int(n), text(fill)
    if k < 0 or not _fits_packet(ctx, k, "lpad" if left_side else "rpad"):
        return None
    if len(value) >= k:
        return value[:k]
    if not fill_text:
        return None
    padding = (fill_text * (k // len(fill_text) + 1))[: k - len(value)]
    return padding + value if left_side else value + padding


_PADDED = _strings(slice(0, None, 2), lambda n: [n.this, n.expression, n.args.get("fill_pattern")])


def _pad_call(node: exp.Pad) -> exp.Expr:
    # sqlglot parses LPAD and RPAD into one node.
    return udf("APP_LPAD" if node.args.get("is_left") else "APP_RPAD", node.this, node.expression,
               node.args.get("fill_pattern"))


@fn.scalar("LPAD", node=exp.Pad, rewrite=_pad_call, returns=_PADDED, text_args=lambda n: n.expressions[:1],
           needs_session=True, numbers=("", "INTEGER2", ""),
           examples=["LPAD('5', 3, '0')", "LPAD('hello', 3, '*')", "LPAD(NULL, 3, 'x')"])
def lpad(ctx: FunctionContext, s: Any, n: Any, fill: Any = " ") -> str | None:
    return _pad(ctx, s, n, fill, True)


@fn.scalar("RPAD", returns=_PADDED, text_args=lambda n: n.expressions[:1], needs_session=True,
           numbers=("", "INTEGER2", ""),
           examples=["RPAD('a', 3, '-')"])
def rpad(ctx: FunctionContext, s: Any, n: Any, fill: Any = " ") -> str | None:
    return _pad(ctx, s, n, fill, False)


_QUOTED: Final = {"\\": "\\\\", "'": "\\'", "\x00": "\\0", "\x1a": "\\Z"}


@fn.scalar("QUOTE", returns=_strings(slice(0, 1), result=_quoted_result), text_args=_first,
           examples=["QUOTE('it''s')", "QUOTE(NULL)", "QUOTE(12)", "QUOTE('a\\\\b')"])
def quote(value: Any) -> Any:
    """The string as an SQL literal MariaDB reads back: in quotes, with \\, ', NUL and ^Z escaped by a
    backslash; NULL is the word NULL."""
    if value is None:
        return "NULL"
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        for raw, escaped in _QUOTED.items():
            data = data.replace(raw.encode(), escaped.encode())
        return b"'" + data + b"'"
    s = text(value)
    for raw, escaped in _QUOTED.items():
        s = s.replace(raw, escaped)
    return "'" + s + "'"


@fn.scalar("REVERSE", node=exp.Reverse, returns=_SAME, text_args=_first, examples=["REVERSE('abc')", "REVERSE(NULL)"])
def reverse(s: Any) -> str | None:
    return None if s is None else text(s)[::-1]


@fn.scalar("REPEAT", node=exp.Repeat, args=lambda n: [n.this, n.args.get("times")], returns=_FIRST,
           numbers=("", "INTEGER2"),
           needs_session=True, examples=["REPEAT('ab', 3)"])
def repeat(ctx: FunctionContext, s: Any, n: Any) -> str | None:
    if s is None or n is None:
        return None
    value, times = text(s), max(0, to_int(n))
    if not _fits_packet(ctx, len(value) * times, "repeat"):
        return None
    return value * times


@fn.scalar("SPACE", node=exp.Space, returns=STRING, needs_session=True, numbers=("INTEGER2",), examples=["SPACE(3)"])
def space(ctx: FunctionContext, n: Any) -> str | None:
    if n is None:
        return None
    k = max(0, to_int(n))
    return " " * k if _fits_packet(ctx, k, "space") else None


_SUBSTRING_INDEX: ArgsOf = lambda n: [n.this, n.args.get("delimiter"), n.args.get("count")]  # noqa: E731


@fn.scalar("SUBSTRING_INDEX", node=exp.SubstringIndex, returns=_strings(slice(0, 2), _SUBSTRING_INDEX),
           args=_SUBSTRING_INDEX,
           examples=["SUBSTRING_INDEX('a.b.c', '.', 2)", "SUBSTRING_INDEX('a.b.c', '.', -2)"])
def substring_index(s: Any, delimiter: Any, count: Any) -> str | None:
    if s is None or delimiter is None or count is None:
        return None
    value, delim, k = text(s), text(delimiter), to_int(count)
    if not delim or k == 0:
        return ""
    parts = value.split(delim)
    return delim.join(parts[:k]) if k > 0 else delim.join(parts[k:])


@fn.scalar("LOCATE", "INSTR", "POSITION", node=exp.StrPosition, returns=INT,
           args=lambda n: [n.args.get("substr"), n.this, n.args.get("position")],
           examples=["LOCATE('B', 'abc')", "LOCATE('b', 'abcb', 3)", "INSTR('ABC', 'b')", "POSITION('C' IN 'abc')"])
def locate(sub: Any, s: Any, position: Any = 1) -> int | None:
    """1-based, 0 when absent, case-insensitive as the default collation."""
    if sub is None or s is None or position is None:
        return None
    start = to_int(position)
    if start < 1:
        return 0
    found = text(s).casefold().find(text(sub).casefold(), start - 1)
    return found + 1 if found >= 0 else 0


@fn.scalar("FIELD", returns=INT, examples=["FIELD('B', 'a', 'b')", "FIELD(2, 1, 2)"])
def field(value: Any, first: Any, *rest: Any) -> int:
    candidates = (first, *rest)  # MariaDB requires one candidate at least (1582)
    if value is None:
        return 0
    if isinstance(value, str):
        key = value.casefold()
        for i, c in enumerate(candidates, 1):
            if c is not None and text(c).casefold() == key:
                return i
        return 0
    for i, c in enumerate(candidates, 1):
        if c is not None and number_of(c) == number_of(value):
            return i
    return 0


@fn.scalar("ELT", node=exp.Elt, returns=_strings(slice(1, None)), numbers=("INTEGER", ""),
           examples=["ELT(2, 'x', 'y')", "ELT(3, 'x')"])
def elt(n: Any, *values: Any) -> Any:
    if n is None:
        return None
    k = to_int(n)
    return text(values[k - 1]) if 1 <= k <= len(values) and values[k - 1] is not None else None


@fn.scalar("FIND_IN_SET", returns=INT, examples=["FIND_IN_SET('B', 'a,b,c')"])
def find_in_set(value: Any, items: Any) -> int | None:
    if value is None or items is None:
        return None
    key, listed = text(value).casefold(), text(items)
    if "," in key or not listed:  # MariaDB finds nothing in an empty list, not even ''
        return 0
    for i, item in enumerate(listed.split(","), 1):
        if item.casefold() == key:
            return i
    return 0


def _strcmp_call(node: exp.Expr) -> exp.Expr:
    """STRCMP(a, b) with the collation it compares by: one an argument names, else the default's."""
    a, b = call_args(node, None)
    named = [x.expression.name.upper() for x in (a, b) if isinstance(x, exp.Collate)]
    collation = next((n for n in named if n in SQLITE_COLLATIONS or n == BINARY), GENERAL_CI)
    return udf("APP_STRCMP", a, b, exp.Literal.string(collation))


@fn.scalar("STRCMP", returns=INT, rewrite=_strcmp_call,
           examples=["STRCMP('a', 'A')", "STRCMP('a', 'b')", "STRCMP('a ', 'a')", "STRCMP('é', 'e')",
                     "STRCMP('a', 'A' COLLATE utf8mb4_bin)", "STRCMP(X'61', 'a')"])
def strcmp(a: Any, b: Any, collation: str = GENERAL_CI) -> int | None:
    if a is None or b is None:
        return None
    if isinstance(a, bytes) or isinstance(b, bytes):  # a binary string compares bytes
        x, y = _bytes_of(a), _bytes_of(b)
        return (x > y) - (x < y)
    return compare(collation, text(a), text(b))


def _bytes_of(value: Any) -> bytes:
    return value if isinstance(value, bytes) else text(value).encode()


_STUFF: ArgsOf = lambda n: [n.this, n.args.get("start"), n.args.get("length"), n.expression]  # noqa: E731


@fn.scalar("INSERT", node=exp.Stuff, returns=_strings(slice(0, None, 3), _STUFF),
           args=_STUFF, examples=["INSERT('abcdef', 2, 3, 'X')"])
def insert(s: Any, position: Any, count: Any, new: Any) -> str | None:
    if s is None or position is None or count is None or new is None:
        return None
    value, pos, n = text(s), to_int(position), to_int(count)
    if pos < 1 or pos > len(value):
        return value
    if n < 0 or pos - 1 + n > len(value):
        n = len(value) - pos + 1
    return value[: pos - 1] + text(new) + value[pos - 1 + n :]


@fn.scalar("HEX", node=exp.Hex,
           returns=lambda n, t: t.apply(_hex_result, _first(n) if isinstance(n, exp.Anonymous) else [n.this]) or STRING,
           needs_session=True, examples=["HEX(255)", "HEX('abc')"])
def hex_of(ctx: FunctionContext, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # rounded half away from zero (2.5e0 too); past the 64-bit range MariaDB writes all ones
        n = int(value) if isinstance(value, int) else int(math.copysign(math.floor(abs(value) + 0.5), value))
        if not -2**63 <= n < 2**64:
            return "FFFFFFFFFFFFFFFF"
        return format(n if n >= 0 else n + 2**64, "X")
    raw = bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else str(value).encode()
    if not _fits_packet(ctx, 2 * len(raw), "hex"):  # HEX(HEX(...)) doubles at every level
        return None
    return raw.hex().upper()


_SOUNDEX_CODES = "01230120022455012623010202"  # A..Z; "0" for vowels, H, W, Y


def _soundex_code(ch: str) -> str:
    up = ch.upper() if "a" <= ch <= "z" else ch
    return _SOUNDEX_CODES[ord(up) - ord("A")] if "A" <= up <= "Z" else "0"  # other letters count as vowels


@fn.scalar("SOUNDEX", node=exp.Soundex, returns=_FIRST,
           examples=["SOUNDEX('Tymczak')", "SOUNDEX('Quadratically')", "SOUNDEX('  éclair')", "SOUNDEX(NULL)"])
def soundex(value: Any) -> str | None:
    """MariaDB's SOUNDEX: letters only (a-z, and every character from U+00C0 on); a code is kept when
    it differs from the last one kept, vowels not breaking a run; no truncation, padded to 4."""
    if value is None:
        return None
    letters = [c for c in text(value) if "a" <= c <= "z" or "A" <= c <= "Z" or ord(c) >= 0xC0]
    if not letters:
        return ""
    first = letters[0].upper() if "a" <= letters[0] <= "z" else letters[0]
    out, last = [first], _soundex_code(first)
    for ch in letters[1:]:
        code = _soundex_code(ch)
        if code != "0" and code != last:
            out.append(code)
            last = code
    return "".join(out).ljust(4, "0")


@fn.scalar("ASCII", node=exp.Ascii, returns=INT, text_args=lambda n: n.expressions[:1],
           examples=["ASCII('2')", "ASCII('')", "ASCII(2)", "ASCII(NULL)"])
def ascii_of(value: Any) -> int | None:
    """The first byte (of the UTF-8 text: ASCII('é') is 195)."""
    if value is None:
        return None
    data = bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else text(value).encode()
    return data[0] if data else 0


@fn.scalar("BIT_LENGTH", node=exp.BitLength, returns=BIGINT, text_args=_first,
           examples=["BIT_LENGTH('text')", "BIT_LENGTH(NULL)"])
def bit_length(value: Any) -> int | None:
    if value is None:
        return None
    data = bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else text(value).encode()
    return 8 * len(data)


@fn.scalar("MAKE_SET", returns=_strings(slice(1, None)), numbers=("INTEGER", ""),
           examples=["MAKE_SET(1 | 4, 'hello', 'nice', 'world')", "MAKE_SET(1 | 4, 'a', 'b', NULL, 'c')",
                     "MAKE_SET(NULL, 'a')"])
def make_set(bits: Any, *values: Any) -> str | None:
    """The strings whose bit is set in `bits`, comma-separated (NULLs skipped)."""
    if bits is None:
        return None
    mask = to_int(bits) & ((1 << 64) - 1)
    return ",".join(text(v) for i, v in enumerate(values) if mask >> i & 1 and v is not None)


@fn.scalar("EXPORT_SET", returns=STRING,
           examples=["EXPORT_SET(5, 'Y', 'N', ',', 4)", "EXPORT_SET(6, '1', '0', ',', 10)", "EXPORT_SET(5, 'Y', 'N')"])
def export_set(bits: Any, on: Any, off: Any, separator: Any = ",", count: Any = 64) -> str | None:
    if bits is None or on is None or off is None or separator is None or count is None:
        return None
    mask, n = to_int(bits) & ((1 << 64) - 1), to_int(count)
    n = 64 if n < 0 or n > 64 else n
    yes, no = text(on), text(off)
    return text(separator).join(yes if mask >> i & 1 else no for i in range(n))


# -- CHAR(n, ... [USING charset]) --------------------------------------------------------------------

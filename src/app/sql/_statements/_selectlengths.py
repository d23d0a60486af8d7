"""What CREATE TABLE ... SELECT knows of a query's expressions beyond the type deriver (`_exprtypes`):
the table columns a projection names, and the most characters an expression has as a string, as
MariaDB counts them (`CONCAT('a', 'b')` 2, `LPAD(s, 5, '-')` 5, an INT column 11). See `_selectcolumns`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final

from sqlglot import exp

from .._exprtypes import Scope, infer, scope_of
from .._functions import REGISTRY
from .._sqltypes import SQLType, evaluate, precision_of
from ._describe import ColumnInfo

# A table's columns and their collations other than the default (lower-case name -> collation) by
# (database or None, table): None when there is no such table.
Describe = Callable[[str | None, str], "tuple[list[ColumnInfo], dict[str, str]] | None"]

MB: Final = 4  # bytes of a utf8mb4 character

# -- the typing context --------------------------------------------------------------------------


class Context:
    """The scope of a SELECT and the columns of the tables it reads."""

    __slots__ = ("describe", "increment", "scope", "select", "variables")

    def __init__(self, scope: Scope, describe: Describe, increment: int,
                 variables: dict[str, Any] | None = None, select: exp.Select | None = None) -> None:
        self.scope = scope
        self.describe = describe
        self.increment = increment
        self.variables = variables or {}  # the session's user variables (@name, lower case)
        self.select = select  # the SELECT typed (for its derived tables)

    def derived_projection(self, node: exp.Column) -> tuple[exp.Expr, Context] | None:
        """The projection of a derived table (FROM (SELECT ...) AS d) that `node` names, and its context."""
        if self.select is None:
            return None
        name, qualifier = node.name.lower(), node.table.lower()
        for sub in self.select.find_all(exp.Subquery):
            inner = sub.this
            if sub.parent_select is not self.select or not isinstance(inner, exp.Select) or (
                    qualifier and sub.alias_or_name.lower() != qualifier):
                continue
            for p in inner.expressions:
                if p.alias_or_name.lower() == name:
                    return p, Context(scope_of(inner, div_increment=self.increment), self.describe, self.increment,
                                      self.variables, inner)
        return None

    def decltypes(self, db: str | None, table: str) -> dict[str, str] | None:
        found = self.describe(db, table)
        return None if found is None else {i.name.lower(): i.type for i in found[0]}

    def type_of(self, node: exp.Expr) -> SQLType | None:
        t = infer(node, self.scope, self.increment)
        return None if t is None else evaluate(t, self.decltypes)

    def source(self, node: exp.Expr) -> ColumnInfo | None:
        """The table column a plain column reference names (None: an expression, or unknown)."""
        found = self.source_and_collation(node)
        return None if found is None else found[0]

    def source_and_collation(self, node: exp.Expr) -> tuple[ColumnInfo, str | None] | None:
        node = unwrap(node)
        if not isinstance(node, exp.Column) or isinstance(node.this, exp.Star):
            return None
        name, qualifier = node.name.lower(), node.table.lower()
        candidates = [self.scope.get(qualifier)] if qualifier else list(self.scope.values())
        for source in candidates:
            if isinstance(source, tuple):
                infos, collations = self.describe(*source) or ([], {})
                for info in infos:
                    if info.name.lower() == name:
                        return info, collations.get(name)
        return None


def unwrap(node: exp.Expr) -> exp.Expr:
    """The expression under its alias and parentheses."""
    while isinstance(node, (exp.Alias, exp.Paren)):
        node = node.this
    return node


def function_name(node: exp.Expr) -> str | None:
    """The name the function registry knows a call by (None: not a function call)."""
    if isinstance(node, exp.Anonymous):
        return str(node.name).upper()
    fn = REGISTRY.function_of(node)
    return fn.name if fn is not None else None


def int_arg(node: exp.Expr | None) -> int | None:
    """A literal integer argument's value (None: not a literal)."""
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return int(node.this)
        except ValueError:
            return None
    return None


# -- the length of strings, in characters ------------------------------------------------------------

# sqlglot's (strftime) DATE_FORMAT directives and the most characters each gives.
_FORMAT_WIDTHS: Final = {"Y": 4, "B": 9, "A": 9, "b": 3, "a": 3, "j": 3, "f": 6, "y": 2}
_FORMAT: Final = re.compile(r"%(.)|.", re.S)
_TEXT_LENGTHS: Final = {"tinytext": 63, "text": 16383, "mediumtext": 4194303, "longtext": 1073741823,
                        "tinyblob": 255, "blob": 65535, "mediumblob": 16777215, "longblob": 4294967295}
_FIXED_CHARS: Final = {"MD5": 32, "SHA1": 40, "BIN": 65, "CONV": 65, "OCT": 65, "INET_NTOA": 31, "DAYNAME": 9,
                       "MONTHNAME": 9, "DATABASE": 64, "SCHEMA": 64, "CHARSET": 64, "COLLATION": 64, "USER": 384,
                       "CURRENT_USER": 384, "SESSION_USER": 384, "SYSTEM_USER": 384, "JSON_TYPE": 12,
                       "ADDTIME": 26, "SUBTIME": 26, "DATE_ADD": 19, "DATE_SUB": 19, "ADDDATE": 19, "SUBDATE": 19}
_DECLARED: Final = re.compile(r"([a-z]+)(?:\((\d+)(?:,(\d+))?\))?")


def _declaredchars(type_text: str) -> int | None:
    m = _DECLARED.match(type_text)
    if m is None:
        return None
    base, size, scale = m.group(1), m.group(2), m.group(3)
    if base in ("char", "varchar", "binary", "varbinary") or (size and base.endswith("int")):
        return int(size) if size else 1
    if base == "decimal":
        p, s = int(size or 10), int(scale or 0)
        return p + (1 if s else 0) + (0 if "unsigned" in type_text else 1)
    if base in ("enum", "set"):
        values = re.findall(r"'((?:[^']|'')*)'", type_text)
        return max((len(v) for v in values), default=0) if base == "enum" else len(",".join(values))
    if base in ("date", "time", "datetime", "timestamp", "year"):
        fsp = int(size) + 1 if size and base != "year" else 0
        return {"date": 10, "time": 10, "year": 4}.get(base, 19) + fsp
    return _TEXT_LENGTHS.get(base)


def _numberchars(t: SQLType, node: exp.Expr) -> int:
    """The characters of a number as text: MariaDB's display width."""
    if t.kind == "int":
        return int_width(node, t)
    if t.kind == "decimal":
        precision = t.length or precision_of(t)
        return precision + (1 if t.scale else 0) + (0 if t.unsigned else 1)
    return 22


def char_length(node: exp.Expr, ctx: Context) -> int | None:
    """The most characters `node` has as a string (None: not known from the statement)."""
    node = unwrap(node)
    if isinstance(node, exp.Literal) and node.is_string:
        return len(node.this)
    if isinstance(node, exp.Null):
        return 0
    if isinstance(node, exp.Column):
        info = ctx.source(node)
        return None if info is None else _declaredchars(info.type)
    if isinstance(node, (exp.HexString, exp.BitString)):
        return len(literal_bytes(node))
    if isinstance(node, (exp.Introducer, exp.Collate)):
        return char_length(node.this if isinstance(node, exp.Collate) else node.expression, ctx)
    rule = _LENGTH_RULES.get(type(node))
    if rule is not None:
        return rule(node, ctx)
    name = function_name(node)
    if name in _FIXED_CHARS:
        return _FIXED_CHARS[name]
    t = ctx.type_of(node)
    if t is not None and t.kind in ("int", "decimal", "double"):
        return _numberchars(t, node)
    if t is not None and t.kind in ("date", "datetime", "time"):
        return {"date": 10, "time": 10}.get(t.kind, 19) + (t.scale + 1 if t.scale else 0)
    if name in ("UPPER", "LOWER", "TRIM", "REVERSE", "JSON_UNQUOTE"):
        return char_length(node.this, ctx)
    return None


def _total(parts: Sequence[exp.Expr], ctx: Context) -> int | None:
    total = 0
    for p in parts:
        n = char_length(p, ctx)
        if n is None:
            return None
        total += n
    return total


def _widest(parts: Sequence[exp.Expr | None], ctx: Context) -> int | None:
    found = [char_length(p, ctx) for p in parts if p is not None]
    return None if not found or None in found else max(n for n in found if n is not None)


def _concat_ws(node: exp.ConcatWs, ctx: Context) -> int | None:
    sep, *parts = node.expressions
    total, n = _total(parts, ctx), char_length(sep, ctx)
    return None if total is None or n is None else total + n * max(len(parts) - 1, 0)


def _cut(node: exp.Expr, ctx: Context) -> int | None:  # LEFT, RIGHT
    n, most = char_length(node.this, ctx), int_arg(node.expression)
    return n if n is None or most is None else max(min(n, most), 0)


def _substring(node: exp.Substring, ctx: Context) -> int | None:
    n = char_length(node.this, ctx)
    length, start = int_arg(node.args.get("length")), int_arg(node.args.get("start"))
    if n is None:
        return None
    if length is not None:
        return max(min(n, length), 0)
    if start is not None and start > 1:
        # MariaDB takes the start's characters off the length in bytes: SUBSTRING('hello', 2) is varchar(19)
        return max(n * MB - (start - 1), 0)
    return n


def _repeat(node: exp.Repeat, ctx: Context) -> int | None:
    n, times = char_length(node.this, ctx), int_arg(node.args.get("times"))
    return None if n is None or times is None else n * max(times, 0)


def _replace(node: exp.Replace, ctx: Context) -> int | None:
    n, old = char_length(node.this, ctx), char_length(node.expression, ctx)
    new = char_length(node.args["replacement"], ctx)
    if n is None or old is None or new is None:
        return None
    return n // old * new if old and new > old else n


def _stuff(node: exp.Expr, ctx: Context) -> int | None:  # INSERT(s, pos, len, new)
    return _total([node.this, node.expression], ctx)


def _hex(node: exp.Hex, ctx: Context) -> int | None:
    t = ctx.type_of(node.this)
    if t is not None and t.kind in ("int", "decimal", "double"):
        return 16
    n = char_length(node.this, ctx)
    return None if n is None else n * MB * 2


def _date_format(node: exp.Expr, ctx: Context) -> int | None:
    fmt = node.args.get("format")
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        return None
    return sum(_FORMAT_WIDTHS.get(m.group(1), 2) if m.group(1) else 1 for m in _FORMAT.finditer(fmt.this))


def _format(node: exp.Expr, ctx: Context) -> int | None:  # FORMAT(x, d): the digits with their commas
    n = char_length(node.this, ctx)
    return None if n is None else n + (n - 1) // 3


def _cast_chars(node: exp.Cast, ctx: Context) -> int | None:
    params = node.to.expressions
    if params and node.to.is_type(*exp.DataType.TEXT_TYPES, exp.DataType.Type.VARBINARY,
                                  exp.DataType.Type.BINARY):
        return int_arg(params[0].this if isinstance(params[0], exp.DataTypeParam) else params[0])
    if node.to.is_type(exp.DataType.Type.BINARY, exp.DataType.Type.VARBINARY):
        n = char_length(node.this, ctx)
        t = ctx.type_of(node.this)
        return n if n is None or (t is not None and t.kind != "string") else n * MB
    return char_length(node.this, ctx)


_LENGTH_RULES: Final[dict[type[exp.Expr], Callable[[Any, Context], int | None]]] = {
    exp.Concat: lambda node, ctx: _total(node.expressions, ctx),
    exp.ConcatWs: _concat_ws,
    exp.Left: _cut,
    exp.Right: _cut,
    exp.Substring: _substring,
    exp.Repeat: _repeat,
    exp.Pad: lambda node, ctx: int_arg(node.expression),
    exp.Replace: _replace,
    exp.Stuff: _stuff,
    exp.Hex: _hex,
    exp.Unhex: lambda node, ctx: None if (n := char_length(node.this, ctx)) is None else n * MB // 2,
    exp.ToBase64: lambda node, ctx: None if (n := char_length(node.this, ctx)) is None else (n * MB + 2) // 3 * 4,
    exp.Elt: lambda node, ctx: _widest(node.expressions, ctx),
    exp.Space: lambda node, ctx: int_arg(node.this),
    exp.Chr: lambda node, ctx: 4 * len(node.expressions or [node.this]),
    exp.SHA2: lambda node, ctx: (int_arg(node.args.get("length")) or 512) // 4,
    exp.TimeToStr: _date_format,
    exp.NumberToStr: _format,
    exp.If: lambda node, ctx: _widest([node.args.get("true"), node.args.get("false")], ctx),
    exp.Coalesce: lambda node, ctx: _widest([node.this, *node.expressions], ctx),
    exp.Nullif: lambda node, ctx: char_length(node.this, ctx),
    exp.Greatest: lambda node, ctx: _widest([node.this, *node.expressions], ctx),
    exp.Least: lambda node, ctx: _widest([node.this, *node.expressions], ctx),
    exp.Case: lambda node, ctx: _widest([*(i.args["true"] for i in node.args.get("ifs") or []),
                                         node.args.get("default")], ctx),
    exp.Cast: _cast_chars,
    exp.Upper: lambda node, ctx: char_length(node.this, ctx),
    exp.Lower: lambda node, ctx: char_length(node.this, ctx),
    exp.Trim: lambda node, ctx: char_length(node.this, ctx),
    exp.Reverse: lambda node, ctx: char_length(node.this, ctx),
}


def literal_bytes(node: exp.Expr) -> bytes:
    """The bytes of X'..' or b'..'."""
    text = str(node.this)
    if isinstance(node, exp.BitString):
        bits = int(text or "0", 2)
        return bits.to_bytes(max((bits.bit_length() + 7) // 8, 1), "big")
    return bytes.fromhex(text if len(text) % 2 == 0 else "0" + text)


def int_width(node: exp.Expr, t: SQLType) -> int:
    """MariaDB's display width of an integer expression (the deriver gives a literal room for a sign)."""
    node = unwrap(node)
    if isinstance(node, exp.Neg) and isinstance(unwrap(node.this), exp.Literal):
        value = int_arg(unwrap(node.this))
        if value is not None:
            return len(str(-value))
    if isinstance(node, (exp.Literal, exp.Boolean)):
        return max(t.length - 1, 1)
    if isinstance(node, (exp.Nullif, exp.Abs)) or (
            isinstance(node, exp.Cast) and t.unsigned and isinstance(unwrap(node.this), exp.Literal)):
        return int_width(node.this, t)  # as wide as the value it passes on
    return t.length

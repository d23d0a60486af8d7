"""CAST and CONVERT written as MariaDB converts (see `_functions._cast`), as the last step before SQLite text.

A CAST stays an `exp.Cast` while a statement is planned, since the type deriver, the numeric and text
contexts and several function rewrites read it as one; `lower_casts` then replaces each CAST that
SQLite would get wrong by a helper call, told what the statement knows of the value's type. Those
SQLite gets right (an integer AS SIGNED, anything AS CHAR without a length, NULL) stay SQLite's.
"""

from __future__ import annotations

from typing import Final

from sqlglot import exp

from ._exprtypes import infer
from ._functions import udf
from ._sqltypes import SQLType

T = exp.DataType.Type
_SOURCES: Final = {"decimal": "d", "double": "f", "string": "s", "varbinary": "s", "binary": "s", "date": "D",
                   "datetime": "T", "time": "t", "null": "n"}
_TEXT: Final = (T.CHAR, T.VARCHAR, T.NCHAR, T.NVARCHAR)
_EXACT_DIGITS: Final = 15  # a number literal with more digits than a double keeps goes to the helper as text


def note_cast_source(cast: exp.Cast) -> None:
    """Remember what the statement says of a CAST's operand, read before later steps rewrite it
    (DECIMAL arithmetic becomes helper calls whose values are no longer typed as DECIMAL)."""
    cast.meta["source"] = _source(cast.this)


def lower_casts(tree: exp.Expr) -> exp.Expr:
    """`tree` with its CASTs as MariaDB's conversions (in place; the new root when `tree` was one)."""
    for cast in reversed(list(tree.find_all(exp.Cast))):
        lowered = _lowered(cast)
        if lowered is not None:
            if cast is tree:
                tree = lowered
            else:
                cast.replace(lowered)
    return tree


def _source(node: exp.Expr) -> str:
    """The letter saying what the statement knows of a value's type (see `_functions._cast`)."""
    inner = node
    while isinstance(inner, exp.Paren):
        inner = inner.this
    if isinstance(inner, exp.HexString):
        return "x"
    t = infer(node, {})
    if not isinstance(t, SQLType):
        return "?"
    if t.kind == "int":
        return "u" if t.unsigned else "i"
    return _SOURCES.get(t.kind, "?")


def _value(node: exp.Expr) -> exp.Expr:
    """The value to convert: a number literal SQLite would round (past 15 digits) as its text."""
    literal, sign = node, ""
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
        literal, sign = node.this, "-"
    if isinstance(literal, exp.Literal) and not literal.is_string:
        digits = literal.this
        if "e" not in digits.lower() and sum(c.isdigit() for c in digits.lstrip("0")) > _EXACT_DIGITS:
            return exp.Literal.string(sign + digits)
    return node


def _length(to: exp.DataType) -> int | None:
    params = to.expressions
    if params and params[0].name.isdigit():
        return int(params[0].name)
    return None


def _lowered(cast: exp.Cast) -> exp.Expr | None:
    to, inner = cast.to, cast.this
    source = cast.meta.get("source") or _source(inner)
    if source == "n":
        return None
    src = exp.Literal.string(source)
    if to.is_type(T.UBIGINT, T.UINT, *exp.DataType.INTEGER_TYPES):
        unsigned = to.is_type(T.UBIGINT, T.UINT)
        if source == "i" and not unsigned:
            return None
        return udf("APP_CAST_INTEGER", _value(inner), src, exp.Literal.number(int(unsigned)))
    if to.is_type(T.DECIMAL):
        params = to.expressions
        precision = int(params[0].name) if params else 10
        scale = int(params[1].name) if len(params) > 1 else 0
        return udf("APP_CAST_DECIMAL", _value(inner), src, exp.Literal.number(precision), exp.Literal.number(scale),
                   exp.Literal.string(cast.sql(dialect="mysql")))
    if to.is_type(T.DOUBLE, T.FLOAT):
        if source in ("f", "i"):
            return None
        return udf("APP_CAST_DOUBLE", _value(inner), src)
    if to.is_type(T.DATE):
        return udf("APP_CAST_DATE", _value(inner), src)
    if to.is_type(T.DATETIME, T.TIMESTAMP, T.TIME):
        fsp = _length(to) or 0
        if to.is_type(T.TIME):
            return udf("APP_CAST_TIME", _value(inner), src, exp.Literal.number(fsp))
        return udf("APP_CAST_DATETIME", _value(inner), src, exp.Literal.number(fsp))
    length = _length(to)
    if length is None:
        if to.is_type(T.BINARY) and source in ("i", "u", "d", "f"):  # a number's text, as MySQL writes it
            return udf("APP_CAST_BINARY", _value(inner), src, exp.Literal.number(-1))
        if to.is_type(*_TEXT) and source == "x":
            return udf("APP_CAST_CHAR", inner, src, exp.Literal.number(-1))  # bytes that may be no UTF-8
        if to.is_type(*_TEXT) and source in ("?", "s") and not (isinstance(inner, exp.Literal) and inner.is_string):
            # A string or a value of a type not known here may be bytes (VARBINARY, BLOB, UNHEX()) that
            # are no UTF-8, which SQLite's CAST would hand on as text no one can read.
            cast.set("this", udf("APP_BYTES_AS_TEXT", inner))
        return None
    if to.is_type(*_TEXT):
        return udf("APP_CAST_CHAR", _value(inner), src, exp.Literal.number(length))
    if to.is_type(T.BINARY):
        return udf("APP_CAST_BINARY", _value(inner), src, exp.Literal.number(length))
    return None

"""GROUP_CONCAT: SQLite's group_concat where it does what MariaDB's does, our aggregate where it cannot.

- GROUP_CONCAT(x [ORDER BY ...] [SEPARATOR s]) is SQLite's group_concat (fast, in C);
- GROUP_CONCAT(DISTINCT ...) and GROUP_CONCAT(... LIMIT n) are `APP_GROUP_CONCAT`: SQLite takes
  DISTINCT only on a call of one argument (GROUP_CONCAT(DISTINCT x ORDER BY y SEPARATOR s) was
  refused), its DISTINCT compares bytes where MariaDB's compares as the collation does ('pen', 'Pen'
  and 'pen ' are one value), and it has no LIMIT;
- both are cut to @@group_concat_max_len bytes (at a character's end), with MariaDB's warning
  `1260 Row N was cut by GROUP_CONCAT()`. The translator binds the variable to the call
  (`_rewrite.bind_variables` puts it in the node's `max_len`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import WARN_CUT_GROUP_CONCAT, warn
from .._sqltypes import BINARY, TEXT, SQLType, TypeExpr
from ._registry import Family, Typer, udf
from ._values import text

fn = Family("aggregate")

MAX_LEN_ARG: Final = "max_len"  # the GroupConcat node's argument that holds @@group_concat_max_len


def _parts(node: exp.Expr) -> tuple[exp.Expr, list[exp.Expr] | None, bool]:
    """(the concatenated value, the ORDER BY terms or None, DISTINCT) of a GROUP_CONCAT as parsed
    (several values are one CONCAT in sqlglot's tree)."""
    inner = node.this
    order = None
    if isinstance(inner, exp.Limit):
        inner = inner.this
    if isinstance(inner, exp.Order):
        order = list(inner.expressions)
        inner = inner.this
    if isinstance(inner, exp.Distinct):
        values = inner.expressions
        return (values[0] if len(values) == 1 else exp.Concat(expressions=values)), order, True
    return inner, order, False


def _rewrite(node: exp.GroupConcat) -> exp.Expr | None:
    max_len = node.args.get(MAX_LEN_ARG)
    node.set(MAX_LEN_ARG, None)
    limit = offset = None
    if isinstance(node.this, exp.Limit):  # sqlglot reads GROUP_CONCAT(x ORDER BY y LIMIT n) so
        limit, offset = node.this.expression, node.this.args.get("offset")
        node.set("this", node.this.this)
    value, order, distinct = _parts(node)
    separator = node.args.get("separator") or exp.Literal.string(",")
    if not distinct and limit is None:
        return None if max_len is None else udf("APP_GC_CUT", node.copy(), max_len, separator.copy())
    # MariaDB collects DISTINCT values in a tree: without ORDER BY they come out sorted
    terms = order or ([exp.Ordered(this=value.copy())] if distinct else None)
    return udf("APP_GROUP_CONCAT", max_len or exp.Null(), separator, exp.Literal.number(int(distinct)),
               limit or exp.Null(), offset or exp.Literal.number(0),
               exp.Order(this=value, expressions=terms) if terms else value)


def _concatenated(node: exp.Expr) -> Sequence[exp.Expr]:
    """The values a call concatenates (where a column is read as a string)."""
    if isinstance(node, exp.Anonymous):  # APP_GROUP_CONCAT(max_len, separator, distinct, limit, offset, value ...)
        last = node.expressions[-1]
        return [last.this if isinstance(last, exp.Order) else last]
    value, _, _ = _parts(node)
    return list(value.expressions) if isinstance(value, exp.Concat) else [value]


def _concat_of(t: SQLType) -> SQLType:
    return BINARY if t.kind in ("binary", "varbinary") else TEXT


def _group_concat_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """TEXT (a BLOB MariaDB sends as text), or a binary BLOB when the values are binary strings."""
    values = _concatenated(node)
    found = typer.apply(_concat_of, values[:1]) if len(values) == 1 else None
    return TEXT if found is None else found


fn.native("GROUP_CONCAT", node=exp.GroupConcat, returns=_group_concat_type, rewrite=_rewrite,
          text_args=_concatenated,
          examples=["GROUP_CONCAT(1)", "GROUP_CONCAT(DISTINCT 'a' ORDER BY 1)", "GROUP_CONCAT('a' SEPARATOR ';')",
                    "GROUP_CONCAT(DISTINCT 1, 'a' ORDER BY 1 DESC SEPARATOR '')"])


def _cut(value: Any, max_len: Any, separator: Any) -> Any:
    """`value` cut to `max_len` bytes at a character's end, with MariaDB's warning; the row named is
    the value of the group where the cut fell."""
    if value is None or max_len is None:
        return value
    data = value.encode() if isinstance(value, str) else bytes(value)
    if len(data) <= int(max_len):
        return value
    kept = data[:int(max_len)]
    sep = separator.encode() if isinstance(separator, str) else bytes(separator or b"")
    warn(WARN_CUT_GROUP_CONCAT, f"Row {(kept.count(sep) if sep else 0) + 1} was cut by GROUP_CONCAT()")
    return kept.decode("utf-8", "ignore") if isinstance(value, str) else kept


@fn.internal("APP_GC_CUT", returns=lambda n, t: t.infer(n.expressions[0]))
def group_concat_cut(value: Any, max_len: Any, separator: Any) -> Any:
    """SQLite's group_concat result cut to @@group_concat_max_len."""
    return _cut(value, max_len, separator)


def _key(value: Any) -> Any:
    """What DISTINCT compares: strings as the default collation does (case and trailing spaces aside)."""
    return value.rstrip(" ").lower() if isinstance(value, str) else value


@fn.internal("APP_GROUP_CONCAT", returns=_group_concat_type, aggregate=True, text_args=lambda n: _concatenated(n))
class GroupConcat:
    """GROUP_CONCAT(DISTINCT ...) and GROUP_CONCAT(... LIMIT n): with DISTINCT each value once (the
    first of those the collation finds equal), in the order SQLite feeds them (the call's ORDER BY);
    LIMIT and OFFSET count the values kept."""

    def __init__(self) -> None:
        self.parts: list[Any] = []
        self.seen: set[Any] = set()
        self.rows = 0
        self.max_len: Any = None
        self.separator: Any = ","
        self.limit: Any = None
        self.offset = 0

    def step(self, max_len: Any, separator: Any, distinct: Any, limit: Any, offset: Any, value: Any) -> None:
        self.rows += 1
        self.max_len, self.separator, self.limit, self.offset = max_len, separator, limit, int(offset or 0)
        if value is None:
            return
        if distinct:
            key = _key(value)
            if key in self.seen:
                return
            self.seen.add(key)
        self.parts.append(value)

    def final(self) -> Any:
        collected = bool(self.parts)
        if self.limit is not None:
            self.parts = self.parts[self.offset:self.offset + max(int(self.limit), 0)]
        elif self.offset:
            self.parts = self.parts[self.offset:]
        if not self.parts:
            return "" if collected else None  # LIMIT 0 of some values: '' (NULL when there were none)
        sep = self.separator if self.separator is not None else ""
        if any(isinstance(p, (bytes, bytearray, memoryview)) for p in self.parts):
            raw = sep.encode() if isinstance(sep, str) else bytes(sep)
            joined: Any = raw.join(bytes(p) if isinstance(p, (bytes, bytearray, memoryview)) else text(p).encode()
                                   for p in self.parts)
        else:
            joined = text(sep).join(text(p) for p in self.parts)
        return _cut(joined, self.max_len, sep)

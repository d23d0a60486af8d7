"""Exact DECIMAL arithmetic in queries: +, -, *, /, unary minus, SUM and AVG over DECIMAL operands
become calls of the helpers in `_functions._decimal`, which compute with Python's `decimal`.

Where the type deriver knows the type now (`1.10 * 3`), the call is written at once. Where it
depends on tables' columns (`price * qty`), the statement holds a marker resolved when it runs,
against the schema of the moment, as `_rewrite.mark_text_columns` does: a DECIMAL gets the exact
helper, anything else SQLite's own operator, so integer and DOUBLE arithmetic costs nothing more.

A marker is written as calls SQLite never sees: `__APP_DK_k__(a, __APP_DS_k__(b))` becomes
`APP_DEC_ADD(a, (b))` for a DECIMAL or `((a) + (b))` otherwise (`resolve`).
"""

from __future__ import annotations

from typing import Final

from sqlglot import exp

from ._exprtypes import Scope, infer, scope_of
from ._functions import udf
from ._sqltypes import SQLType, TableLookup, TypeExpr, evaluate

# A marker: (its number, the operation, the type expression that decides, the div increment).
DecimalMark = tuple[int, str, TypeExpr, int]

_BINARY: Final = {exp.Add: ("ADD", "+"), exp.Sub: ("SUB", "-"), exp.Mul: ("MUL", "*")}
_NODES: Final = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Neg, exp.Sum, exp.Avg)


def decimal_scopes(tree: exp.Expr, increment: int) -> dict[int, Scope]:
    """The scope of every SELECT in `tree` by id, taken before routing strips table qualifiers."""
    return {id(s): scope_of(s, div_increment=increment) for s in tree.find_all(exp.Select)}


def exact_decimals(tree: exp.Expr, scopes: dict[int, Scope], increment: int) -> tuple[DecimalMark, ...]:
    """Rewrite DECIMAL arithmetic in `tree` (in place) into exact calls or markers; the markers."""
    chosen: list[tuple[exp.Expr, TypeExpr | None, int]] = []
    node: exp.Expr
    for node in tree.find_all(*_NODES):
        if isinstance(node, (exp.Add, exp.Sub)) and isinstance(node.expression, exp.Interval):
            continue  # date arithmetic
        if isinstance(node, (exp.Sum, exp.Avg)) and (
                isinstance(node.this, exp.Distinct) or isinstance(node.parent, exp.Window)):
            continue  # SQLite runs only its own aggregates as window functions; DISTINCT stays SQLite's
        select = node.find_ancestor(exp.Select)
        if select is None:
            continue
        scope = scopes.get(id(select))
        if scope is None:
            scope = scopes[id(select)] = scope_of(select, div_increment=increment)
        t = infer(node, scope, increment)
        if t is None or (isinstance(t, SQLType) and t.kind != "decimal"):
            continue
        scales = 0
        if isinstance(node, exp.Div):
            operands = [infer(node.this, scope, increment), infer(node.expression, scope, increment)]
            scales = sum(o.scale for o in operands if isinstance(o, SQLType))
        chosen.append((node, None if isinstance(t, SQLType) else t, scales))
    if isinstance(tree, exp.Select):
        long_literals(tree)
    marks: list[DecimalMark] = []
    for found, deferred, scales in reversed(chosen):  # find_all is breadth-first: the deepest nodes come last
        node = found
        op = _operation(node)
        for arg in (node.this, node.expression if op in ("ADD", "SUB", "MUL", "DIV") else None):
            _keep_digits(arg)
        if deferred is None:
            node.replace(_exact_call(node, op, increment, scales))
            continue
        k = len(marks)
        marks.append((k, op, deferred, increment))
        node.replace(_marker(node, k, op, increment))
    return tuple(marks)


def _keep_digits(node: exp.Expr | None, *, every_decimal: bool = True) -> None:
    """A DECIMAL literal goes to the helpers as text: exact, and with its scale (1.000000 / 3 has 10
    decimals, 1.0 / 3 has 5); in a projection only one longer than a double holds."""
    if isinstance(node, exp.Literal) and not node.is_string and "e" not in node.this.lower() and (
            _long_number(node.this) or (every_decimal and "." in node.this)):
        node.replace(exp.Literal.string(node.this))


def _long_number(text: str) -> bool:
    if "e" in text or "E" in text:
        return False
    return len(text.replace(".", "").replace("-", "").lstrip("0")) > 15


def long_literals(select: exp.Select) -> None:
    """Number literals in the projection with more digits than a double holds are sent as their text
    (the result column's DECIMAL type reads it exactly)."""
    for projection in select.expressions:
        _keep_digits(projection.this if isinstance(projection, exp.Alias) else projection, every_decimal=False)


def _operation(node: exp.Expr) -> str:
    for cls, (name, _) in _BINARY.items():
        if isinstance(node, cls):
            return name
    others: dict[type[exp.Expr], str] = {exp.Div: "DIV", exp.Neg: "NEG", exp.Sum: "SUM", exp.Avg: "AVG"}
    return others[type(node)]


def _exact_call(node: exp.Expr, op: str, increment: int, scales: int) -> exp.Expr:
    if op in ("ADD", "SUB", "MUL"):
        return udf(f"APP_DEC_{op}", node.this, node.expression)
    if op == "DIV":
        return udf("APP_DEC_DIV", node.this, node.expression, exp.Literal.number(increment),
                   exp.Literal.number(scales))
    if op == "AVG":
        return udf("APP_DEC_AVG", node.this, exp.Literal.number(increment))
    return udf(f"APP_DEC_{op}", node.this)


def _marker(node: exp.Expr, k: int, op: str, increment: int) -> exp.Expr:
    head, sep = f"__APP_DK_{k}__", f"__APP_DS_{k}__"
    if op in ("ADD", "SUB", "MUL"):
        return udf(head, node.this, udf(sep, node.expression))
    if op == "DIV":
        return udf(head, node.this, node.expression, udf(sep, exp.Literal.number(increment)))
    if op == "NEG":
        return udf(head, udf(sep, node.this))
    if op == "AVG":
        return udf(head, node.this, udf(sep, exp.Literal.number(increment)))
    return udf(head, node.this)  # SUM


def _native(k: int, op: str, increment: int) -> list[tuple[str, str]]:
    head, sep = f"__APP_DK_{k}__(", f"__APP_DS_{k}__("
    symbol = {name: sym for name, sym in _BINARY.values()}.get(op)
    if symbol is not None:
        return [(head, "(("), (", " + sep, f") {symbol} (")]
    if op == "DIV":
        return [(head, "APP_DEC_FDIV("), (f"{sep}{increment})", str(increment))]
    if op == "NEG":
        return [(head + sep, "(-(")]
    if op == "AVG":
        return [(head, "AVG("), (f", {sep}{increment})", "")]
    return [(head, "SUM(")]


def _exact(k: int, op: str, t: SQLType, increment: int) -> list[tuple[str, str]]:
    if op == "DIV":  # the dividend's scale is the quotient's less the increment
        return [(f"__APP_DK_{k}__(", "APP_DEC_DIV("),
                (f"__APP_DS_{k}__({increment})", f"{increment}, {max(t.scale - increment, 0)}")]
    return [(f"__APP_DK_{k}__(", f"APP_DEC_{op}("), (f"__APP_DS_{k}__(", "(")]


def resolve(sql: str, marks: tuple[DecimalMark, ...], lookup: TableLookup) -> str:
    """`sql` with its DECIMAL markers resolved against the tables' declared types."""
    for k, op, texpr, increment in marks:
        t = evaluate(texpr, lookup)
        pairs = _exact(k, op, t, increment) if t is not None and t.kind == "decimal" else _native(k, op, increment)
        for old, new in pairs:
            sql = sql.replace(old, new)
    return sql


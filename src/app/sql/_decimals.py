"""Exact DECIMAL arithmetic in queries: +, -, *, /, unary minus, SUM and AVG over DECIMAL operands
become calls of the helpers in `_functions._decimal`, which compute with Python's `decimal`.

Where the type deriver knows the type now (`1.10 * 3`), the call is written at once. Where it
depends on tables' columns (`price * qty`), the statement holds a marker resolved when it runs,
against the schema of the moment, as `_rewrite.mark_text_columns` does: a DECIMAL gets the exact
helper, anything else SQLite's own operator, so integer and DOUBLE arithmetic costs nothing more.

BIGINT UNSIGNED `+ - *` are rewritten here too, into `_functions._unsigned`'s exact helpers (SQLite's
integers stop at 2**63 - 1), as are ABS, CEIL, FLOOR, ROUND and TRUNCATE of a DECIMAL (exact) and
ROUND and TRUNCATE of a DOUBLE (MariaDB's my_double_round).

A marker is written as calls SQLite never sees: `__APP_DK_k__(a, __APP_DS_k__(b))` becomes
`APP_DEC_ADD(a, (b))` for a DECIMAL or `((a) + (b))` otherwise (`resolve`).
"""

from __future__ import annotations

from typing import Final

from sqlglot import exp

from ._exprtypes import Scope, TypeMemo, enclosing_scope, scope_of
from ._functions import udf
from ._sqltypes import SQLType, TableLookup, TypeExpr, decimal, evaluate

# A marker: (its number, the operation, the type expression that decides, the div increment, and for
# `+ - *` the expression's text, which a BIGINT UNSIGNED result's 1690 names; "" for none).
DecimalMark = tuple[int, str, TypeExpr, int, str]

_BINARY: Final = {exp.Add: ("ADD", "+"), exp.Sub: ("SUB", "-"), exp.Mul: ("MUL", "*")}
_NODES: Final = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Neg, exp.Sum, exp.Avg, exp.Abs, exp.Ceil, exp.Floor,
                  exp.Anonymous)
# Functions of one number whose DECIMAL form is exact (`APP_DEC_<op>`), by how the call arrives (after
# the registry's rewrite), with the SQLite function that serves other types: ROUND and TRUNCATE of a
# DOUBLE round as MariaDB's my_double_round (APP_DBL_ROUND), of an integer as ROUND itself.
_FUNCTIONS: Final[dict[type[exp.Expr] | str, tuple[str, str]]] = {
    exp.Abs: ("ABS", "ABS"), exp.Ceil: ("CEIL", "CEIL"), exp.Floor: ("FLOOR", "FLOOR"),
    "APP_ROUND": ("ROUND", "APP_ROUND"), "APP_TRUNCATE": ("TRUNCATE", "APP_TRUNCATE"), "APP_MOD": ("MOD", "APP_MOD"),
}
_DOUBLE_FORMS: Final = {"ROUND": "APP_DBL_ROUND", "TRUNCATE": "APP_DBL_TRUNCATE"}


def decimal_scopes(tree: exp.Expr, increment: int) -> dict[int, Scope]:
    """The scope of every SELECT in `tree` by id, taken before routing strips table qualifiers."""
    return {id(s): scope_of(s, div_increment=increment) for s in tree.find_all(exp.Select)}


def exact_decimals(tree: exp.Expr, scopes: dict[int, Scope], increment: int, *,
                   unsigned_subtraction: bool = True) -> tuple[DecimalMark, ...]:
    """Rewrite DECIMAL arithmetic in `tree` (in place) into exact calls or markers, and BIGINT
    UNSIGNED `+ - *` into exact calls (`_functions._unsigned`; `-` not under NO_UNSIGNED_SUBTRACTION);
    the markers."""
    chosen: list[tuple[exp.Expr, TypeExpr | SQLType | None, int, str]] = []
    unsigned: list[exp.Expr] = []
    node: exp.Expr
    memo = TypeMemo()  # this loop changes nothing: every subtree is typed once (issue 10)
    for node in tree.find_all(*_NODES):
        if isinstance(node, (exp.Add, exp.Sub)) and isinstance(node.expression, exp.Interval):
            continue  # date arithmetic
        if isinstance(node, (exp.Sum, exp.Avg)) and (
                isinstance(node.this, exp.Distinct) or isinstance(node.parent, exp.Window)):
            continue  # SQLite runs only its own aggregates as window functions; DISTINCT stays SQLite's
        function = _function(node)
        if isinstance(node, exp.Anonymous) and function is None:
            continue
        scope = enclosing_scope(node, scopes, increment)
        if scope is None:
            continue
        if function is not None and function[0] == "MOD":  # decided by its own type, exact for integers too
            t = memo.infer(node, scope, increment)
            if isinstance(t, SQLType) and t.kind == "int":
                t = decimal(0)
        elif function is not None:  # decided by the argument's type (CEIL of a DECIMAL is an integer)
            t = memo.infer(_args(node)[0], scope, increment)
            if isinstance(t, SQLType) and t.kind == "int" and t.unsigned and _long_literal(_args(node)[0]):
                t = decimal(0)  # ABS(18446744073709551615): SQLite would read it as a REAL
            if isinstance(t, SQLType) and function[0] in _DOUBLE_FORMS:
                if t.kind == "double":
                    chosen.append((node, t, 0, ""))
                    continue
                if t.kind == "int":  # the exact form rounds every BIGINT (UNSIGNED) exactly, as ROUND does
                    t = decimal(0)
        else:
            t = memo.infer(node, scope, increment)
        if isinstance(t, SQLType) and t.kind == "int" and t.unsigned and isinstance(node, tuple(_BINARY)) and (
                unsigned_subtraction or not isinstance(node, exp.Sub)):
            unsigned.append(node)
            continue
        if t is None or (isinstance(t, SQLType) and t.kind != "decimal"):
            continue
        scales = 0
        if isinstance(node, exp.Div):
            operands = [memo.infer(node.this, scope, increment), memo.infer(node.expression, scope, increment)]
            scales = sum(o.scale for o in operands if isinstance(o, SQLType))
        text = node.sql(dialect="mysql") if isinstance(node, tuple(_BINARY)) and not isinstance(t, SQLType) and (
            unsigned_subtraction or not isinstance(node, exp.Sub)) else ""
        chosen.append((node, None if isinstance(t, SQLType) else t, scales, text))
    for node in list(tree.find_all(exp.Greatest, exp.Least)):  # exact past a double's digits
        values = [node.this, *node.expressions]
        if any(_long_literal(v) or (isinstance(v, exp.Neg) and _long_literal(v.this)) for v in values):
            for v in values:
                _keep_digits(v)
            name = "APP_DEC_GREATEST" if isinstance(node, exp.Greatest) else "APP_DEC_LEAST"
            node.replace(udf(name, *[v for v in [node.this, *node.expressions]]))
    if isinstance(tree, exp.Select):
        long_literals(tree)
    for node in reversed(unsigned):
        text = node.sql(dialect="mysql")
        for arg in (node.this, node.expression):
            _keep_digits(arg)
        node.replace(udf(f"APP_UINT_{_operation(node)}", exp.Literal.string(text), node.this, node.expression))
    marks: list[DecimalMark] = []
    for found, deferred, scales, text in reversed(chosen):  # find_all is breadth-first: the deepest nodes come last
        node = found
        function = _function(node)
        if isinstance(deferred, SQLType):  # ROUND or TRUNCATE of a DOUBLE
            assert function is not None
            node.replace(udf(_DOUBLE_FORMS[function[0]], *_args(node)))
            continue
        op = function[0] if function is not None else _operation(node)
        for arg in _args(node)[:2 if op == "MOD" else 1] if function is not None else (
                node.this, node.expression if op in ("ADD", "SUB", "MUL", "DIV") else None):
            _keep_digits(arg)
        if deferred is None:
            node.replace(_exact_call(node, op, increment, scales))
            continue
        k = len(marks)
        marks.append((k, op, deferred, increment, text))
        node.replace(_marker(node, k, op, increment))
    return tuple(marks)


def _function(node: exp.Expr) -> tuple[str, str] | None:
    """(the operation, its SQLite form for other types) of a function `_FUNCTIONS` lists."""
    if isinstance(node, exp.Anonymous):
        return _FUNCTIONS.get(node.name.upper())
    return _FUNCTIONS.get(type(node))


def _args(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.Anonymous):
        return list(node.expressions)
    return [node.this]


def _keep_digits(node: exp.Expr | None, *, every_decimal: bool = True) -> None:
    """A DECIMAL literal goes to the helpers as text: exact, and with its scale (1.000000 / 3 has 10
    decimals, 1.0 / 3 has 5); in a projection only one longer than a double holds."""
    if every_decimal and isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and (
            not node.this.is_string and "e" not in node.this.this.lower()):
        node.replace(exp.Literal.string("-" + node.this.this))
        return
    if isinstance(node, exp.Paren):
        _keep_digits(node.this, every_decimal=every_decimal)
        return
    if isinstance(node, exp.Literal) and not node.is_string and "e" not in node.this.lower() and (
            _long_number(node.this) or (every_decimal and "." in node.this)):
        node.replace(exp.Literal.string(node.this))


def _long_literal(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and not node.is_string and _long_number(node.this)


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
    if _function(node) is not None:
        return udf(f"APP_DEC_{op}", *_args(node))
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
    if _function(node) is not None:  # f(x) as DK(DS(x)), f(x, d) as DK(x, DS(d))
        first, *rest = _args(node)
        if not rest:
            return udf(head, udf(sep, first))
        return udf(head, first, udf(sep, rest[0]), *rest[1:])
    if op in ("ADD", "SUB", "MUL"):
        return udf(head, node.this, udf(sep, node.expression))
    if op == "DIV":
        return udf(head, node.this, node.expression, udf(sep, exp.Literal.number(increment)))
    if op == "NEG":
        return udf(head, udf(sep, node.this))
    if op == "AVG":
        return udf(head, node.this, udf(sep, exp.Literal.number(increment)))
    return udf(head, node.this)  # SUM


_NATIVE_FUNCTIONS: Final = {op: native for op, native in _FUNCTIONS.values()}


def _native(k: int, op: str, increment: int, t: SQLType | None = None) -> list[tuple[str, str]]:
    head, sep = f"__APP_DK_{k}__(", f"__APP_DS_{k}__("
    if op in _NATIVE_FUNCTIONS:
        name = _NATIVE_FUNCTIONS[op]
        if t is not None and t.kind == "double" and op in _DOUBLE_FORMS:
            name = _DOUBLE_FORMS[op]
        return [(head, name + "("), (sep, "(")]
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
    for k, op, texpr, increment, text in marks:
        t = evaluate(texpr, lookup)
        if text and t is not None and t.kind == "int" and t.unsigned:  # exact, and 1690 out of range
            quoted = "'" + text.replace("'", "''") + "'"
            sql = sql.replace(f"__APP_DK_{k}__(", f"APP_UINT_{op}({quoted}, ")
            sql = sql.replace(f"__APP_DS_{k}__(", "(")
            continue
        exact = t is not None and (t.kind == "decimal" or (  # a BIGINT UNSIGNED past 2**63 - 1 read exactly
            op in _NATIVE_FUNCTIONS and t.kind == "int" and t.unsigned))
        pairs = _exact(k, op, t, increment) if exact and t is not None else _native(k, op, increment, t)
        for old, new in pairs:
            sql = sql.replace(old, new)
    return sql


"""Strings where MySQL wants numbers: the one place that finds them in a statement's tree.

MySQL reads a string operand of arithmetic, of a numeric function or of a comparison with a number
as a number, warning when the string is not one (`1292 Truncated incorrect DOUBLE value: '12abc'`,
see `_functions._coerce`). SQLite converts such strings silently, so every operand in a numeric
context whose type is a string gets wrapped in a conversion helper (`APP_TO_DOUBLE(s)`); every
other operand is left to SQLite, so numbers cost nothing more.

Where the operand's type depends on tables' columns (`s + 0`), the wrapping is a marker
`__APP_NUM_k__(s)` resolved when the statement runs, against the schema of the moment, with the
other text-column markers (`_rewrite.text_sql`): `APP_TO_DOUBLE(s)` for a string column, `(s)`
for anything else. ENUM and SET columns are numbers in these contexts (their index), not strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from sqlglot import exp

from ._exprtypes import Scope, TypeMemo, enclosing_scope, infer, nearby
from ._functions import REGISTRY, udf
from ._functions._coerce import DATE_HELPER, ENUM_HELPER, HELPERS, TEMPORAL_HELPER
from ._sqltypes import NULL, STRING, Apply, ColumnRef, SQLType, TableLookup, TypeExpr, evaluate
from ._types import MySQLType

_Infer = Callable[[exp.Expr, Scope, int], TypeExpr | None]  # `infer`, or a `TypeMemo`'s

# A marker: ("n<k>:<KIND>", the type expression that decides: a string type means "convert").
NumberMark = tuple[str, TypeExpr]

_STRINGS: Final = frozenset({"string", "varbinary", "binary"})
_NUMBERS: Final = frozenset({"int", "decimal", "double"})
_TEMPORAL: Final = frozenset({"date", "datetime", "time"})
_ARITHMETIC: Final = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Neg)
_COMPARISONS: Final = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ)
_BITS: Final = (exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor, exp.BitwiseNot, exp.BitwiseLeftShift,
                exp.BitwiseRightShift)


def number_call(node: exp.Expr, kind: str) -> exp.Expr:
    """`node` read as a number of `kind` (DOUBLE, DECIMAL, INTEGER), with MariaDB's warnings."""
    return udf(HELPERS[kind], node)


def comparison_kind(number: TypeExpr | None, other: exp.Expr | None = None, operand: exp.Expr | None = None) -> str:
    """The conversion a string compared with a number of type `number` gets, as MariaDB words it:
    DECIMAL against an integer, and against a DECIMAL column when the string is a constant; DOUBLE
    otherwise (a DOUBLE, a DECIMAL constant, a DECIMAL compared with a string column)."""
    if not isinstance(number, SQLType):
        return "DECIMAL"
    return _kind_against(number.kind, _decimal_wins(other, operand))


def _decimal_wins(other: exp.Expr | None, operand: exp.Expr | None) -> bool:
    return isinstance(other, exp.Column) and not isinstance(operand, exp.Column)


def _kind_against(kind: str, decimal_wins: bool) -> str:
    if kind == "int" or (kind == "decimal" and decimal_wins):
        return "DECIMAL"
    return "DOUBLE"


def numeric_contexts(tree: exp.Expr, scopes: dict[int, Scope], increment: int) -> tuple[NumberMark, ...]:
    """Wrap the string operands of numeric contexts in `tree` (in place); the markers left to resolve."""
    marks: list[NumberMark] = []
    # Every subtree typed once (issue 10). find_all is breadth-first and a node's handling changes only the
    # tree at and below it (its operands, their COLLATE's operand): nodes above it, whose types went stale,
    # are not typed again; what changed below it is forgotten once it is handled.
    memo = TypeMemo()
    for node in list(tree.find_all(*_ARITHMETIC, exp.IntDiv, *_COMPARISONS, *_BITS, exp.In, exp.Between, exp.Is,
                                   exp.And, exp.Or, exp.Not, exp.Where, exp.Having, exp.Func)):
        found = enclosing_scope(node, scopes, increment)
        # (not `or {}`: an empty scope, SELECT without FROM, must stay the one object TypeMemo keys on)
        scope: Scope = {} if found is None else found
        around = nearby(node)
        try:
            _numeric_context(node, scope, increment, marks, memo.infer)
        finally:
            memo.forget([*around, *nearby(node)])
    return tuple(marks)


def _numeric_context(node: exp.Expr, scope: Scope, increment: int, marks: list[NumberMark],
                     typed: _Infer) -> None:
    """Wrap the string operands of `node` if it is a numeric context; its exact forms."""
    if isinstance(node, exp.Between) and _between_as_numbers(node, scope, increment, typed):
        return
    for operand, kind, other in _operands(node):
        if isinstance(node, exp.Cast) and isinstance(typed(operand, scope, increment), SQLType):
            continue  # a string whose type is known now: the CAST's helper reads it (`_casts`)
        _wrap(operand, kind, other, scope, increment, marks, typed)
    if isinstance(node, exp.IntDiv):  # exact for BIGINTs (SQLite would divide REALs), and 1365 for / 0
        t = typed(node, scope, increment)
        for operand in (node.this, node.expression):
            _exact_literal(operand)
        if isinstance(t, SQLType) and t.kind == "int":  # and 1690 out of the result's range
            node.replace(udf("APP_INT_DIV", node.this, node.expression, exp.Literal.number(int(t.unsigned)),
                             exp.Literal.string(node.sql(dialect="mysql"))))
        else:
            node.replace(udf("APP_INT_DIV", node.this, node.expression))
    elif isinstance(node, _BITS):
        _exact_bits(node, scope, increment, typed)
    elif isinstance(node, exp.Anonymous) and node.name.upper() in _EXACT_LITERALS:
        for operand in node.expressions:
            _exact_literal(operand)
    elif isinstance(node, exp.Div) and not _nonzero(node.expression):
        t = typed(node, scope, increment)
        if isinstance(t, SQLType) and t.kind == "double":  # SQLite's / says nothing of a zero divisor
            node.replace(udf("APP_DEC_FDIV", node.this, node.expression, exp.Literal.number(increment)))


def searched_cases(tree: exp.Expr) -> None:
    """`CASE x WHEN v THEN ...` as `CASE WHEN x = v THEN ...` (in place) when `x` is a column or a constant:
    MariaDB compares `x` with each `v` as that pair's types want (a string with an integer as DECIMALs,
    with a warning; two strings by their collation), which SQLite's `CASE x WHEN v` does not (its '1' is no 1).
    Other operands are left as they are: they would be evaluated once per WHEN."""
    for case in list(tree.find_all(exp.Case)):
        x = case.this
        if not (isinstance(x, exp.Column) or _constant(x)) or not case.args.get("ifs"):
            continue
        for branch in case.args["ifs"]:
            branch.set("this", exp.EQ(this=x.copy(), expression=branch.this))
        case.set("this", None)
    _pairwise_comparisons(tree)


def _constant(node: exp.Expr | None) -> bool:
    """A literal, or a negated number literal (-1)."""
    return isinstance(node, exp.Literal) or (isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal))


def _kinds(nodes: list[exp.Expr]) -> set[str] | None:
    """The kinds of constants (None unless every one's type is known without tables)."""
    kinds = set()
    for node in nodes:
        if isinstance(node, exp.Null):
            continue
        t = infer(node, {})
        if not isinstance(t, SQLType):
            return None
        kinds.add(t.kind)
    return kinds


def _pair_kind(a: str, b: str) -> str:
    """The kind two values of kinds `a` and `b` are compared as."""
    return a if a == b else _AGGREGATE.get(frozenset({a, b}), "string")


def _pairwise_comparisons(tree: exp.Expr) -> None:
    """Where MariaDB compares a value with each of several others pair by pair, each pair as its own
    types want, so that a string meets a number as a number but another string as a string:
    `'a' IN (1, 'a')` is 1 (one warning: 'a' read as a DECIMAL against 1), and `NULLIF('1', 1)` is NULL.
    SQLite compares them all one way, so a list of constants compared in more than one way (MariaDB
    then stops at the first match) becomes `CASE WHEN x = v THEN 1 ...`, and
    NULLIF(x, y) of a constant x and a y of another kind `NULLIF(x, CASE WHEN x = y THEN x END)` (its
    type is still the first argument's)."""
    for node in list(tree.find_all(exp.In, exp.Nullif)):
        if isinstance(node, exp.In):
            x, items = node.this, list(node.expressions)
            if node.args.get("query") is not None or not items or not _constant(x) \
                    or not all(_constant(i) or isinstance(i, exp.Null) for i in items):
                continue
            left, right = _kinds([x]), _kinds(items)
            if not left or right is None or len({_pair_kind(k, r) for k in left for r in right}) < 2:
                continue  # one kind of comparison for all: MariaDB reads every item as that (and so does SQLite)
            # a CASE, not an OR: SQLite's OR reads both sides, MariaDB stops at the first match (and
            # warns of no string after it); no match is NULL when the list holds a NULL
            nulls = any(isinstance(i, exp.Null) for i in items)
            node.replace(exp.Case(ifs=[exp.If(this=exp.EQ(this=x.copy(), expression=i.copy()),
                                              true=exp.Literal.number(1))
                                       for i in items if not isinstance(i, exp.Null)],
                                  default=exp.Null() if nulls else exp.Literal.number(0)))
        else:
            x, y = node.this, node.expression
            if not _constant(x) or not isinstance(y, exp.Expr) or isinstance(y, exp.Null):
                continue
            kinds = _kinds([x, y])
            if kinds is None or not ("string" in kinds and kinds & _NUMBERS):
                continue
            node.set("expression", exp.Case(ifs=[exp.If(this=exp.EQ(this=x.copy(), expression=y),
                                                         true=x.copy())]))


# How MariaDB compares three or more values of these kinds (BETWEEN), taken pair by pair from the left.
_AGGREGATE: Final[dict[frozenset[str], str]] = {
    frozenset({"string", "int"}): "decimal", frozenset({"string", "decimal"}): "double",
    frozenset({"int", "decimal"}): "decimal", frozenset({"string", "double"}): "double",
    frozenset({"int", "double"}): "double", frozenset({"decimal", "double"}): "double",
}


def _between_as_numbers(node: exp.Between, scope: Scope, increment: int, typed: _Infer) -> bool:
    """`x BETWEEN low AND high` of strings and numbers: MariaDB compares all three as one kind of number,
    DECIMAL or DOUBLE (`'1' BETWEEN 0 AND 'b'` is 0, 'b' being 0e0, with a warning), reading each string
    as that. Whether it was such a BETWEEN (its strings are wrapped in place)."""
    operands = [_uncollated(node.this), node.args.get("low"), node.args.get("high")]
    kinds: list[str] = []
    for operand in operands:
        t = typed(operand, scope, increment) if isinstance(operand, exp.Expr) else None
        if not isinstance(t, SQLType) or t.kind not in ("string", *_NUMBERS):
            return False
        kinds.append(t.kind)
    if "string" not in kinds or not set(kinds) & _NUMBERS:
        return False
    kind = kinds[0]
    for k in kinds[1:]:
        kind = kind if k == kind else _AGGREGATE[frozenset({kind, k})]
    for operand, k in zip(operands, kinds, strict=True):
        if k == "string" and isinstance(operand, exp.Expr):
            operand.replace(number_call(operand.copy(), kind.upper()))
    return True


_BIT_HELPERS: Final[dict[type[exp.Expr], str]] = {
    exp.BitwiseAnd: "APP_BITS_AND", exp.BitwiseOr: "APP_BITS_OR", exp.BitwiseXor: "APP_BITS_XOR",
    exp.BitwiseNot: "APP_BITS_NOT", exp.BitwiseLeftShift: "APP_BITS_SHL", exp.BitwiseRightShift: "APP_BITS_SHR",
}


def _exact_bits(node: exp.Expr, scope: Scope, increment: int, typed: _Infer) -> None:
    """A bit operation as MariaDB computes it, on 64-bit unsigned integers (`_functions._unsigned`),
    unless SQLite's own operator gives the same: & | ^ ~ of signed integers."""
    operands = [o for o in (node.this, node.args.get("expression")) if isinstance(o, exp.Expr)]
    if not isinstance(node, (exp.BitwiseLeftShift, exp.BitwiseRightShift)):
        types = [typed(o, scope, increment) for o in operands]
        if all(isinstance(t, SQLType) and t.kind == "int" and not t.unsigned for t in types):
            return
    for operand in operands:
        _exact_literal(operand)
    node.replace(udf(_BIT_HELPERS[type(node)], *(o for o in (node.this, node.args.get("expression"))
                                                 if isinstance(o, exp.Expr))))


# Helpers that read a number literal past a double's digits exactly when it comes as its text.
_EXACT_LITERALS: Final = frozenset({"APP_BITS_XOR", "APP_BIT_COUNT", "APP_CONV", "APP_BIN", "APP_OCT", "APP_FORMAT"})


def _exact_literal(operand: exp.Expr) -> None:
    """A number literal past a double's digits as its text, which the exact helpers read exactly."""
    if isinstance(operand, exp.Literal) and not operand.is_string and len(operand.this) > 15 and (
            "e" not in operand.this.lower()):
        operand.replace(exp.Literal.string(operand.this))


def _nonzero(node: exp.Expr) -> bool:
    """Whether `node` is a number literal other than 0 (a division by it needs no check)."""
    return isinstance(node, exp.Literal) and not node.is_string and node.this.strip("0.eE+-") != ""


def _operands(node: exp.Expr) -> list[tuple[exp.Expr, str, exp.Expr | None]]:
    """(operand, conversion, the number it is compared with) for each operand of `node` that MySQL
    reads as a number."""
    if isinstance(node, (exp.Add, exp.Sub)) and isinstance(node.expression, exp.Interval):
        return []
    if isinstance(node, _ARITHMETIC):
        return [(o, "DOUBLE", None) for o in (node.this, node.args.get("expression")) if isinstance(o, exp.Expr)]
    if isinstance(node, exp.IntDiv):
        if isinstance(node.this, exp.Null):  # NULL DIV 'x': MariaDB reads no further
            return []
        return [(node.this, "DECIMAL", None), (node.expression, "DECIMAL", None)]
    if isinstance(node, exp.Cast):
        kind = _cast_kind(node.to)
        return [(node.this, kind, None)] if kind else []
    if isinstance(node, _COMPARISONS):
        return [(node.this, "", node.expression), (node.expression, "", node.this)]
    if isinstance(node, exp.Nullif):  # compared as `=` does; the first argument is the value returned, kept as it is
        return [(node.expression, "", _uncollated(node.this))]
    if isinstance(node, (exp.Greatest, exp.Least)):  # a string compared with a number is read as a DOUBLE
        values = [_uncollated(node.this), *node.expressions]
        if len(values) < 2:
            return []
        return [(v, "DOUBLE", values[1] if i == 0 else values[0]) for i, v in enumerate(values)]
    if isinstance(node, exp.In) and node.args.get("query") is None and node.expressions:
        left = _uncollated(node.this)
        return [(left, "", node.expressions[0]), *((item, "", left) for item in node.expressions)]
    if isinstance(node, exp.Between):
        left = _uncollated(node.this)
        low, high = node.args.get("low"), node.args.get("high")
        return [(left, "", low), (low, "", left), (high, "", left)] if low is not None and high is not None else []
    if isinstance(node, _BITS):
        if isinstance(node.this, exp.Null):  # MariaDB reads no further than a NULL left operand, but for a
            # shift's count (NULL << 'x' warns)
            shifts = isinstance(node, (exp.BitwiseLeftShift, exp.BitwiseRightShift))
            return [(node.expression, "INTEGER", None)] if shifts else []
        return [(o, "DECIMAL", None) for o in (node.this, node.args.get("expression")) if isinstance(o, exp.Expr)]
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Boolean):  # x IS TRUE
        return [(node.this, "DOUBLE", None)]
    if isinstance(node, (exp.And, exp.Or)):  # truth values: a string is read as a DOUBLE
        return [(node.this, "DOUBLE", None), (node.expression, "DOUBLE", None)]
    if isinstance(node, (exp.Not, exp.Where, exp.Having)):
        return [(node.this, "DOUBLE", None)]
    if isinstance(node, exp.If) and not (isinstance(node.parent, exp.Case) and node.parent.this is not None):
        return [(node.this, "DOUBLE", None)]  # (in CASE x WHEN v, v is a value compared with x)
    if isinstance(node, exp.Anonymous) and node.name.startswith("__APP_DK_"):
        return [(_unmarked(a), "DOUBLE", None) for a in node.expressions]
    fn = REGISTRY.function_of(node)
    if fn is None or not fn.numbers:
        return []
    args = list(node.expressions) if isinstance(node, exp.Anonymous) else [
        v for k in type(node).arg_types if isinstance(v := node.args.get(k), exp.Expr)]
    kinds = fn.numbers
    found = [(a, _constant_kind(kinds[min(i, len(kinds) - 1)], a), None) for i, a in enumerate(args)
             if kinds[min(i, len(kinds) - 1)]]
    # SUM(DISTINCT s): MariaDB reads the distinct values without a warning ("-": a temporal value only)
    return [(d, "-" + kind, None) for a, kind, _ in found if isinstance(a, exp.Distinct) for d in a.expressions] + [
        f for f in found if not isinstance(f[0], exp.Distinct)]


def _uncollated(node: exp.Expr) -> exp.Expr:
    """The operand under the COLLATE NOCASE `_rewrite.mysql_comparisons` puts on a constant left side."""
    if isinstance(node, exp.Collate) and isinstance(node.expression, exp.Var):
        inner: exp.Expr = node.this
        return inner
    return node


def _cast_kind(to: exp.DataType) -> str:
    """The conversion CAST(string AS `to`) makes ("" for one that reads no number)."""
    if to.is_type(*exp.DataType.INTEGER_TYPES, exp.DataType.Type.UBIGINT, exp.DataType.Type.UINT):
        return "INTEGER"
    if to.is_type(exp.DataType.Type.DECIMAL):
        return "DECIMAL"
    if to.is_type(exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT):
        return "DOUBLE"
    return ""


def _unmarked(node: exp.Expr) -> exp.Expr:
    """The operand inside a DECIMAL marker's separator call (see `_decimals`)."""
    if isinstance(node, exp.Anonymous) and node.name.startswith("__APP_DS_") and node.expressions:
        inner: exp.Expr = node.expressions[0]
        return inner
    return node


def _constant_kind(kind: str, arg: exp.Expr) -> str:
    """INTEGER2 (read twice, see `_functions._coerce.to_integer_twice`) stays so for a string literal only."""
    return kind if kind != "INTEGER2" or (isinstance(arg, exp.Literal) and arg.is_string) else "INTEGER"


def _wrap(operand: exp.Expr, kind: str, other: exp.Expr | None, scope: Scope, increment: int,
          marks: list[NumberMark], typed: _Infer) -> None:
    source = operand  # what the operand is (it may be wrapped below: `operand` is what stands in the tree)
    if other is not None and not kind:
        inner = _uncollated(operand)
        date = _date_side(inner, _uncollated(other), scope, increment, typed)
        if isinstance(date, SQLType):
            inner.replace(udf(DATE_HELPER, exp.Literal.number(_date_form(date)), inner.copy()))
            return
        if date is not None:  # decided when the statement runs; the number's conversion below as well
            source = operand.copy()
            k = len(marks)
            marks.append((f"n{k}:@", date))
            marked = inner.replace(exp.Anonymous(this=f"__APP_NUM_{k}__", expressions=[inner.copy()]))
            if inner is operand:
                operand = marked
    if isinstance(source, (exp.Placeholder, exp.Null)) or (isinstance(source, exp.Literal) and not source.is_string):
        return
    t = typed(source, scope, increment)
    if t is None:
        return
    decide: TypeExpr = t
    if other is not None:  # a comparison: only a string against a number converts
        o = typed(other, scope, increment)
        if o is None:
            return
        if isinstance(o, SQLType):
            if o.kind not in _NUMBERS:
                return
            # "=": compared, so a temporal column stays as it is (GREATEST gives its own word: DOUBLE)
            kind = "=" + (kind or comparison_kind(o, other, source))
        else:  # the word is chosen by the number's type when the statement runs
            kind = "~C" if _decimal_wins(other, source) else "~F"
            decide = Apply(_string_against_number, (t, o))
    if isinstance(operand, exp.HexString):
        # a hex literal where MySQL wants a number is the unsigned integer of its bytes (0x41 + 0 is 65)
        if isinstance(decide, SQLType) and decide.kind in _STRINGS:
            operand.replace(exp.Literal.number(int(operand.this or "0", 16)))
        return
    if isinstance(decide, SQLType):
        if decide.kind in _STRINGS and kind[:1] != "-":
            operand.replace(number_call(operand.copy(), kind.lstrip("=")))
        elif decide.kind in _TEMPORAL and other is None:  # DATE(dt) + 0 is 20240229
            operand.replace(udf(TEMPORAL_HELPER, operand.copy()))
        return
    k = len(marks)
    marks.append((f"n{k}:{kind}", decide))
    operand.replace(exp.Anonymous(this=f"__APP_NUM_{k}__", expressions=[operand.copy()]))


def _date_side(operand: exp.Expr, other: exp.Expr, scope: Scope, increment: int,
               typed: _Infer) -> TypeExpr | None:
    """The DATE or DATETIME type `operand`, a string or number, is compared with (MariaDB then compares
    them as datetimes: `'a' < DATE'2024-01-01'` is 1, 'a' being the zero date, with a warning); a type
    expression when that is known only when the statement runs; None when it is no such comparison."""
    if isinstance(operand, (exp.Null, exp.HexString)):
        return None
    if isinstance(operand, exp.Placeholder) and operand.meta.get("string"):  # a string literal cut out
        t: TypeExpr | None = STRING
    else:
        t = typed(operand, scope, increment)
    o = typed(other, scope, increment)
    if o is None or (isinstance(o, SQLType) and o.kind not in _DATES):
        return None
    if t is None or (isinstance(t, SQLType) and t.kind not in _STRINGS and t.kind not in _NUMBERS):
        return None
    if isinstance(t, SQLType) and isinstance(o, SQLType):
        return o
    return Apply(_dated, (t, o))


_DATES: Final = frozenset({"date", "datetime"})


def _dated(t: SQLType, other: SQLType) -> SQLType:
    return other if other.kind in _DATES and (t.kind in _STRINGS or t.kind in _NUMBERS) else NULL


def _date_form(t: SQLType) -> int:
    """`date_operand`'s form for a comparison with `t`: 0 for a DATE, 1 + fractional digits for a DATETIME."""
    return 0 if t.kind == "date" else 1 + t.scale


def _string_against_number(t: SQLType, other: SQLType) -> SQLType:
    return STRING if t.kind in _STRINGS and other.kind in _NUMBERS else NULL


def is_number_mark(key: str) -> bool:
    return key.startswith("n")


def resolve_number_mark(sql: str, key: str, texpr: TypeExpr, lookup: TableLookup) -> str:
    """`sql` with the marker `key` resolved against the tables' declared types."""
    k, kind = key[1:].split(":", 1)
    marker = f"__APP_NUM_{k}__("
    if kind == "@":  # compared with a DATE or DATETIME (see `_date_side`)
        date = evaluate(texpr, lookup)
        if date is None or date.kind not in _DATES:
            return sql.replace(marker, "(")
        return sql.replace(marker, f"{DATE_HELPER}({_date_form(date)}, ")
    members = _enum_or_set(texpr, lookup)
    if members is not None:
        # an ENUM or SET column is its member's number, also compared with a number (e = 1); the
        # marker of a comparison with a column is resolved to STRING only when that column is a number
        if kind[:1] == "~" and evaluate(texpr, lookup) != STRING:
            return sql.replace(marker, "(")
        quoted = members.replace("'", "''")
        return sql.replace(marker, f"{ENUM_HELPER}('{quoted}', ")
    t = evaluate(texpr, lookup)
    if t is not None and t.kind == "int" and t.unsigned and t.code == MySQLType.LONGLONG and kind[:1] != "~":
        # BIGINT UNSIGNED past 2**63 - 1 is stored as its digits in a BLOB, which SQLite's own functions
        # (SIGN, ABS, ...) do not read as a number
        return sql.replace(marker, "APP_UNSIGNED_NUMBER(")
    if t is not None and t.kind in _TEMPORAL and kind[:1] not in ("~", "="):
        # SQLite keeps DATE, DATETIME and TIME as text; MySQL reads them as their digits (dt + 0 is 20240229101112)
        return sql.replace(marker, f"{TEMPORAL_HELPER}(")
    if t is None or t.kind not in _STRINGS or kind[:1] == "-":
        return sql.replace(marker, "(")
    if kind.startswith("~") and isinstance(texpr, Apply):  # a comparison: the word follows the number's type
        number = evaluate(texpr.args[1], lookup)
        kind = _kind_against(number.kind if number is not None else "int", kind == "~C")
    return sql.replace(marker, f"{HELPERS[kind.lstrip('=')]}(")


def _enum_or_set(texpr: TypeExpr, lookup: TableLookup) -> str | None:
    """The declared type of the ENUM or SET column `texpr` is (or compares), else None."""
    ref = texpr.args[0] if isinstance(texpr, Apply) and texpr.rule is _string_against_number else texpr
    if not isinstance(ref, ColumnRef):
        return None
    for db, table in ref.tables:
        decltypes = lookup(db, table)
        if decltypes is not None and ref.column in decltypes:
            decl = (decltypes[ref.column] or "").strip()
            return decl if decl.lower().startswith(("enum", "set")) and "(" in decl else None
    return None

"""The type deriver: the MySQL result type of a SELECT expression, from its sqlglot tree.

Operators, literals, columns, CASE and CAST are typed here, by a table keyed by node class;
function calls by the function registry (`_functions`), which holds each function's result
type. The rules that combine types are in `_sqltypes`.

The translator runs once per statement shape, before any table's columns are known, so a type
that depends on columns is a type expression (`ColumnRef`, `Apply`) resolved when the statement
runs, against the schema of the moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, Final, final

from sqlglot import exp

from ._functions import REGISTRY
from ._sqltypes import (
    BIGINT,
    BINARY,
    DATE,
    DATETIME,
    DEFAULT_DIV_INCREMENT,
    DOUBLE,
    FLOAT,
    INT,
    NULL,
    STRING,
    TIME,
    UBIGINT,
    VARBINARY,
    ColumnRef,
    Deferred,
    SQLType,
    TypeExpr,
    VariableRef,
    add,
    apply,
    chars_of,
    decimal,
    divide,
    first,
    from_column,
    int_divide,
    integer,
    merge,
    modulo,
    multiply,
    negate,
    numeric,
    octets,
    signed_cast,
    text_type,
    to_column,
    union_merge,
    unsigned_cast,
)
from ._types import Column, MySQLType

_INT64_MAX: Final = 2**63 - 1
TEXT_MARKER: Final = "__APP_TEXT_"  # the call that marks a column used as a string, until the schema is known
DATE_MARKER: Final = "__APP_DATE_"  # the call that marks a column read as a TIME (a DATE's is midnight)
_MARKERS: Final = (TEXT_MARKER, DATE_MARKER)
_UINT64_MAX: Final = 2**64 - 1
# TRUE and FALSE: INT, as wide as MariaDB makes them (TRUE * TRUE is BIGINT, TRUE + 1 INT).
_TRUE: Final = SQLType("int", length=6, code=MySQLType.LONG)

# What a SELECT's column qualifiers name: a table (database or None for the statement's own, table),
# a derived table or CTE (its columns' type expressions by lower-case name), or None (unknown).
Scope = dict[str, "tuple[str | None, str] | dict[str, TypeExpr | None] | None"]


def enclosing_scope(node: exp.Expr, scopes: dict[int, Scope], div_increment: int) -> Scope | None:
    """The scope of the SELECT around `node` (None outside any SELECT), made once per SELECT and kept in
    `scopes` by the SELECT's identity for the other nodes of one planning pass."""
    select = node.find_ancestor(exp.Select)
    if select is None:
        return None
    scope = scopes.get(id(select))
    if scope is None:
        scope = scopes[id(select)] = scope_of(select, div_increment=div_increment)
    return scope


def scope_of(select: exp.Select, ctes: dict[str, dict[str, TypeExpr | None]] | None = None,
             div_increment: int = DEFAULT_DIV_INCREMENT) -> Scope:
    """The tables a SELECT reads, by the name its columns qualify them with."""
    ctes = dict(ctes or {})
    with_ = select.args.get("with_") or select.args.get("with")  # the key's name depends on sqlglot's version
    if with_ is not None:
        for cte in with_.expressions:
            if isinstance(cte.this, (exp.Select, exp.Union)):
                ctes[cte.alias_or_name.lower()] = _derived_columns(cte.this, ctes, div_increment)
    scope: Scope = {}
    sources: list[exp.Expr] = []
    from_ = select.args.get("from_") or select.args.get("from")
    if from_ is not None:
        sources.append(from_.this)
    for join in select.args.get("joins") or []:
        sources.append(join.this)
    for source in sources:
        key = source.alias_or_name.lower()
        if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
            if not source.text("db") and source.name.lower() in ctes:
                scope[key] = ctes[source.name.lower()]
            else:
                scope[key] = (source.text("db") or None, source.name)
        elif isinstance(source, exp.Subquery) and isinstance(source.this, (exp.Select, exp.Union)):
            scope[key] = _derived_columns(source.this, ctes, div_increment)
        else:
            scope[key] = None
    return scope


def _derived_columns(select: exp.Select | exp.Union, ctes: dict[str, dict[str, TypeExpr | None]],
                     div_increment: int) -> dict[str, TypeExpr | None]:
    if isinstance(select, exp.Union):  # named by the first branch, typed by every branch's (merged)
        branches: list[exp.Expr] = []
        stack: list[exp.Expr] = [select]
        while stack:
            node = stack.pop()
            if isinstance(node, exp.Union):
                stack += [node.expression, node.this]
            else:
                branches.append(node)
        if not all(isinstance(b, exp.Select) for b in branches):
            return {}
        typed = [list(_derived_columns(b, ctes, div_increment).items()) for b in branches
                 if isinstance(b, exp.Select)]
        if any(len(t) != len(typed[0]) for t in typed):
            return {}
        return {name: apply(union_merge, [t[i][1] for t in typed]) for i, (name, _) in enumerate(typed[0])}
    inner = scope_of(select, ctes, div_increment)
    columns: dict[str, TypeExpr | None] = {}
    for p in select.expressions:
        if _is_star(p):
            continue
        name = p.alias_or_name.lower()
        if name:
            columns[name] = infer(p, inner, div_increment)
    return columns


def _is_star(node: exp.Expr) -> bool:
    return isinstance(node, exp.Star) or (isinstance(node, exp.Column) and isinstance(node.this, exp.Star))


@final
class _Typer:
    """The type deriver as function type rules see it (`_functions.Typer`)."""

    __slots__ = ("div_increment", "memo", "scope")

    def __init__(self, scope: Scope, div_increment: int,
                 memo: dict[int, tuple[exp.Expr, TypeExpr | None]] | None = None) -> None:
        self.scope = scope
        self.div_increment = div_increment
        self.memo = memo

    def infer(self, node: exp.Expr) -> TypeExpr | None:
        return _infer(node, self)

    def apply(self, rule: Callable[..., SQLType], args: Sequence[exp.Expr], *constants: Any) -> TypeExpr | None:
        return apply(rule, [_infer(a, self) for a in args], *constants)


def infer(node: exp.Expr, scope: Scope, div_increment: int = DEFAULT_DIV_INCREMENT) -> TypeExpr | None:
    """The type expression of `node` (None: unknown, typed by its values at run time)."""
    return _infer(node, _Typer(scope, div_increment))


@final
class TypeMemo:
    """The types inferred during one planning pass, by node identity, so that typing every node of a tree
    costs one walk of it rather than one walk of each node's subtree (a chain of n operators typed node by
    node was O(n^2): issue 10). Valid while the typed subtrees are not changed: a pass that rewrites the
    tree `forget`s what it changed. Keeps the nodes and scopes it saw alive, so their ids stay theirs."""

    __slots__ = ("_memo", "_typers")

    def __init__(self) -> None:
        self._memo: dict[int, tuple[exp.Expr, TypeExpr | None]] = {}
        self._typers: dict[tuple[int, int], tuple[Scope, _Typer]] = {}

    def infer(self, node: exp.Expr, scope: Scope, div_increment: int = DEFAULT_DIV_INCREMENT) -> TypeExpr | None:
        """`infer(node, scope, div_increment)`, remembered."""
        key = (id(scope), div_increment)
        found = self._typers.get(key)
        if found is None or found[0] is not scope:
            found = self._typers[key] = (scope, _Typer(scope, div_increment, {}))
        return _infer(node, found[1])

    def forget(self, nodes: Iterable[exp.Expr | None]) -> None:
        """Drop the types of `nodes` (whose subtrees changed). The caller drops every node above a change that
        it may ask about again."""
        for _, typer in self._typers.values():
            memo = typer.memo
            assert memo is not None
            for node in nodes:
                memo.pop(id(node), None)


def nearby(node: exp.Expr) -> list[exp.Expr]:
    """`node`, its parent, children and grandchildren: what a pass that rewrites `node`'s operands (or `node`
    itself) in place may change, for `TypeMemo.forget`."""
    children = list(node.iter_expressions())
    return [node, *([node.parent] if node.parent is not None else []), *children,
            *(g for c in children for g in c.iter_expressions())]


def _infer(node: exp.Expr, typer: _Typer) -> TypeExpr | None:
    memo = typer.memo
    if memo is not None:
        found = memo.get(id(node))
        if found is not None and found[0] is node:
            return found[1]
        result = _derive(node, typer)
        memo[id(node)] = (node, result)
        return result
    return _derive(node, typer)


def _derive(node: exp.Expr, typer: _Typer) -> TypeExpr | None:
    rule = _rule_for(type(node))
    if rule is not None:
        return rule(node, typer)
    if isinstance(node, exp.Anonymous) and node.name.startswith(_MARKERS) and node.expressions:
        return _infer(node.expressions[0], typer)  # a column used as a string or a time (`_rewrite`)
    fn = REGISTRY.function_of(node)
    return None if fn is None else fn.type_of(node, typer)


# -- operators and other expressions that are not function calls ------------------------------------

_Rule = Callable[[Any, _Typer], "TypeExpr | None"]


def _column(node: exp.Column, typer: _Typer) -> TypeExpr | None:
    if isinstance(node.this, exp.Star):
        return None
    scope = typer.scope
    name = node.name.lower()
    table = node.table.lower()
    if table:
        source = scope.get(table)
        if isinstance(source, dict):
            return source.get(name)
        return None if source is None else ColumnRef((source,), name)
    derived = [s for s in scope.values() if isinstance(s, dict) and name in s]
    if derived:
        return derived[0][name] if len(derived) == 1 else None
    if any(s is None for s in scope.values()):
        return None
    candidates = tuple(s for s in scope.values() if isinstance(s, tuple))
    return ColumnRef(candidates, name) if candidates else None


def _literal(node: exp.Literal, typer: _Typer) -> TypeExpr | None:
    if node.is_string:  # (the length: what DIV's result type follows)
        return SQLType("string", length=len(node.this))
    number = node.this.lower()
    if "e" in number:
        return SQLType("double", length=len(number))
    if "." in number:
        whole, frac = number.split(".", 1)
        # not clamped to 38 decimals: MariaDB keeps a literal's digits (0.1234...890 with 40 of them)
        return SQLType("decimal", len(frac), min(len(whole.lstrip("0")) + len(frac), 65))
    digits = number.lstrip("0") or "0"
    if len(digits) > 20 or int(digits) > _UINT64_MAX:
        return decimal(0, len(digits))  # beyond BIGINT UNSIGNED: a DECIMAL
    # A literal's width has room for a sign, as columns' widths do: 123456789 is INT, 1234567890 BIGINT.
    return integer(len(digits) + 1, int(digits) > _INT64_MAX, long_up_to=10)


def _negated_literal(node: exp.Neg) -> SQLType | None:
    """The type of a negated integer literal past BIGINT as MariaDB's parser makes it: a DECIMAL
    (-18446744073709551615, and --9223372036854775808), but -9223372036854775808 is the BIGINT."""
    inner = node.this
    while isinstance(inner, exp.Paren):
        inner = inner.this
    twice = isinstance(inner, exp.Neg)
    if twice:
        inner = inner.this
    if not (isinstance(inner, exp.Literal) and not inner.is_string and inner.this.isdigit()):
        return None
    value = int(inner.this)
    if value < _INT64_MAX + 1 or (value == _INT64_MAX + 1 and not twice):
        return None
    return decimal(0, len(inner.this.lstrip("0")))


def _arithmetic(rule: Callable[[SQLType, SQLType], SQLType]) -> _Rule:
    return lambda node, typer: typer.apply(rule, [node.this, node.expression])


def _plus_or_minus(rule: Callable[[SQLType, SQLType], SQLType]) -> _Rule:
    def derive(node: exp.Expr, typer: _Typer) -> TypeExpr | None:
        if isinstance(node.expression, exp.Interval):
            return typer.apply(first, [node.this])  # date arithmetic keeps the date's type
        return typer.apply(rule, [node.this, node.expression])

    return derive


def _case(node: exp.Case, typer: _Typer) -> TypeExpr | None:
    branches = [i.args["true"] for i in node.args.get("ifs") or []]
    return typer.apply(merge, [*branches, node.args.get("default") or exp.null()])


def _cast(node: exp.Cast, typer: _Typer) -> TypeExpr | None:
    to = node.to
    inner = node.this
    binary = to.is_type(exp.DataType.Type.VARBINARY, exp.DataType.Type.BINARY)
    if binary or to.is_type(*exp.DataType.TEXT_TYPES):
        params = to.expressions
        if params:  # CAST(x AS CHAR(n)): n characters (bytes)
            size = params[0].this if isinstance(params[0], exp.DataTypeParam) else params[0]
            if isinstance(size, exp.Literal) and size.this.isdigit():
                return text_type(int(size.this), binary)
        # as long as the value written out: CAST(text AS CHAR) of a TEXT is a MEDIUMTEXT, of JSON a LONGTEXT
        return typer.apply(_binary_cast if binary else _char_cast, [inner]) or (VARBINARY if binary else STRING)
    if isinstance(inner, exp.HexString) and to.is_type(exp.DataType.Type.UBIGINT, exp.DataType.Type.UINT,
                                                      *exp.DataType.INTEGER_TYPES):
        # a hex literal read as a number: an unsigned integer of its bytes (0x41 AS SIGNED is an INT)
        return integer(len(inner.this) + 1, to.is_type(exp.DataType.Type.UBIGINT, exp.DataType.Type.UINT))
    if to.is_type(exp.DataType.Type.UBIGINT, exp.DataType.Type.UINT):
        constant = isinstance(inner, exp.Boolean) or (isinstance(inner, exp.Literal) and not inner.is_string)
        if isinstance(inner, exp.Literal) and inner.is_string:  # MariaDB: INT for up to 1 character
            return integer(len(inner.this), True) if len(inner.this) <= 1 else integer(20, True)
        return typer.apply(unsigned_cast, [inner], constant)
    if to.is_type(*exp.DataType.INTEGER_TYPES):
        if isinstance(inner, exp.Literal) and inner.is_string:
            return integer(max(len(inner.this) + 1, 2))
        return typer.apply(_signed, [inner])
    if to.is_type(exp.DataType.Type.DECIMAL):
        params = to.expressions
        scale = int(params[1].name) if len(params) > 1 else 0
        return decimal(scale, int(params[0].name) if params else 10)
    if to.is_type(exp.DataType.Type.FLOAT):
        return FLOAT
    if to.is_type(exp.DataType.Type.DOUBLE):
        return DOUBLE
    if to.is_type(exp.DataType.Type.DATE):
        return DATE
    if to.is_type(exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIME):
        base = TIME if to.is_type(exp.DataType.Type.TIME) else DATETIME
        fsp = to.expressions[0].name if to.expressions else ""
        # CAST(x AS DATETIME(3)) reports its 3 fractional digits as the result's decimals
        return SQLType(base.kind, int(fsp), fixed=True) if fsp.isdigit() and 0 < int(fsp) <= 6 else base
    if to.is_type(exp.DataType.Type.VARBINARY, exp.DataType.Type.BINARY):
        return VARBINARY
    if to.is_type(exp.DataType.Type.BLOB):
        return BINARY
    return None


def _scalar_subquery(node: exp.Subquery, typer: _Typer) -> TypeExpr | None:
    """(SELECT x ...): the type of x, as MariaDB's single-row subquery takes its item's (a quantified
    comparison, which `_predicates` makes such a subquery, is an INT too)."""
    inner = node.this
    if isinstance(inner, exp.Union):
        name = _sole_name(inner)
        return None if name is None else _derived_columns(inner, {}, typer.div_increment).get(name)
    if not isinstance(inner, exp.Select) or len(inner.expressions) != 1 or _is_star(inner.expressions[0]):
        return None
    return infer(inner.expressions[0], scope_of(inner, div_increment=typer.div_increment), typer.div_increment)


def _sole_name(union: exp.Union) -> str | None:
    """The name of the only column of a UNION (None: not one named column)."""
    first: exp.Expr = union
    while isinstance(first, exp.Union):
        first = first.this
    if not isinstance(first, exp.Select) or len(first.expressions) != 1 or _is_star(first.expressions[0]):
        return None
    return first.expressions[0].alias_or_name.lower() or None


def _char_cast(t: SQLType) -> SQLType:
    return text_type(chars_of(t))


def _binary_cast(t: SQLType) -> SQLType:
    return text_type(octets(t) if t.kind == "string" else chars_of(t), True)


def _integer(node: exp.Expr, typer: _Typer) -> TypeExpr | None:
    return INT


def _signed(t: SQLType) -> SQLType:
    if t.kind == "null":  # CAST(NULL AS SIGNED) is an INT column
        return INT
    if t.kind == "string" and t.length and t.code not in (MySQLType.ENUM, MySQLType.SET):
        return integer(max(min(t.length, 20) + 1, 2))  # as wide as the string: CAST(CHAR(5) AS SIGNED) is INT
    if t.kind in ("date", "datetime", "time") or (t.kind == "string" and t.code not in (MySQLType.ENUM, MySQLType.SET)):
        return BIGINT
    return signed_cast(numeric(t))


def _bits(node: exp.Expr, typer: _Typer) -> TypeExpr | None:
    return UBIGINT


_DOUBLE6: Final = SQLType("double", 6, fixed=True)  # @@max_statement_time, @@timestamp
_INTEGER_OPERATORS: Final = (
    exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.ILike, exp.In, exp.And, exp.Or, exp.Not,
    exp.Is, exp.Between, exp.NullSafeEQ, exp.NullSafeNEQ, exp.Exists, exp.Xor,
)
_BIT_OPERATORS: Final = (exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor, exp.BitwiseNot, exp.BitwiseLeftShift,
                         exp.BitwiseRightShift)

_RULES: Final[dict[type[exp.Expr], _Rule]] = {
    exp.Alias: lambda node, typer: typer.infer(node.this),
    exp.Paren: lambda node, typer: typer.infer(node.this),
    exp.Ordered: lambda node, typer: typer.infer(node.this),
    exp.Window: lambda node, typer: typer.infer(node.this),  # f(...) OVER (...) is f's type
    exp.Column: _column,
    exp.Null: lambda node, typer: NULL,
    exp.Literal: _literal,
    exp.HexString: lambda node, typer: VARBINARY,  # 0x41 is a binary string, but for CAST and arithmetic
    # A number literal cut out of a shaped statement (`_translator._mark_compared_numbers`); others: by value.
    exp.Placeholder: lambda node, typer: (typer.infer(exp.Literal.number(node.meta["literal"]))
                                          if "literal" in node.meta else UBIGINT if node.meta.get("unsigned")
                                          else _DOUBLE6 if node.meta.get("double6")
                                          else STRING if node.meta.get("varchar")
                                          else VariableRef(node.meta["user"]) if "user" in node.meta else None),
    exp.Neg: lambda node, typer: _negated_literal(node) or typer.apply(negate, [node.this]),
    exp.Boolean: lambda node, typer: _TRUE,
    exp.Add: _plus_or_minus(add),
    exp.Sub: _plus_or_minus(add),
    exp.Mul: _arithmetic(multiply),
    exp.Div: lambda node, typer: typer.apply(divide, [node.this, node.expression], typer.div_increment),
    exp.Mod: _arithmetic(modulo),
    exp.IntDiv: _arithmetic(int_divide),
    exp.Case: _case,
    exp.Cast: _cast,
    exp.Subquery: _scalar_subquery,
    **{op: _integer for op in _INTEGER_OPERATORS},
    **{op: _bits for op in _BIT_OPERATORS},
}
_rule_cache: dict[type[exp.Expr], _Rule | None] = {}


def _rule_for(cls: type[exp.Expr]) -> _Rule | None:
    """The rule for a node class or the nearest of its bases that has one (TryCast is a Cast)."""
    try:
        return _rule_cache[cls]
    except KeyError:
        pass
    found = next((_RULES[base] for base in cls.__mro__ if base in _RULES), None)
    _rule_cache[cls] = found
    return found


# -- result columns -------------------------------------------------------------------------------


def hint(node: exp.Expr, scope: Scope, div_increment: int = DEFAULT_DIV_INCREMENT) -> Column | Deferred | None:
    """The result column type of a projection: known now, deferred to the schema, or unknown."""
    t = infer(node, scope, div_increment)
    if t is None:
        return None
    checked = _overflows(node)
    if isinstance(t, SQLType):
        column = to_column("", t)
        return replace(column, checked=True) if checked else column
    return Deferred(t, checked)


def derived_hint(node: exp.Column, scope: Scope,
                 div_increment: int = DEFAULT_DIV_INCREMENT) -> Column | Deferred | None:
    """The result column type of a projection that names a column of a derived table or CTE computed
    there (`SELECT x FROM (SELECT 1 AS x) AS d`: an INT, which SQLite declares no type for); None for
    a table's column (its declared type says it)."""
    t = infer(node, scope, div_increment)
    if t is None or isinstance(t, ColumnRef):
        return None
    return hint(node, scope, div_increment)


def _overflows(node: exp.Expr) -> bool:
    """Whether `node` is integer arithmetic that MariaDB refuses past 64 bits (1690) where SQLite goes
    on in REAL: +, -, * and negation, but not a negated literal (-9223372036854775809 is a DECIMAL)."""
    while isinstance(node, (exp.Paren, exp.Alias)):
        node = node.this
    if isinstance(node, exp.Neg):
        inner = node.this
        while isinstance(inner, (exp.Neg, exp.Paren)):
            inner = inner.this
        return not isinstance(inner, exp.Literal)
    return isinstance(node, (exp.Add, exp.Sub, exp.Mul))


def merged_hint(hints: list[Column | Deferred | None]) -> Column | Deferred | None:
    """The type of a UNION's column from its branches' types."""
    exprs: list[TypeExpr | None] = []
    for h in hints:
        if h is None:
            return None
        exprs.append(h.expr if isinstance(h, Deferred) else from_column(h))
    merged = apply(union_merge, exprs)
    if merged is None:
        return None
    return to_column("", merged) if isinstance(merged, SQLType) else Deferred(merged)

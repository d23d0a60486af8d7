"""MySQL result types of SELECT expressions, which SQLite does not keep.

SQLite reports a declared type only for a result column that is a plain table
column; `SUM(amount)`, `amount * 2` or `COALESCE(day, at)` come back as bare
values (a DECIMAL(10,2) is a REAL, a DATE is text). MySQL clients convert by
the column type in the result's metadata, so the type is derived here the way
MariaDB derives it: DECIMAL scales add up under `*` and grow by 4 under `/`
and AVG, SUM of an integer is DECIMAL, MIN/MAX keep the argument's type,
COALESCE and CASE merge their branches' types, and so on.

The translator runs once per statement shape, before any table's columns are
known, so a type that depends on columns is a small expression over column
references (`Deferred`), resolved when the statement runs against the schema
of the moment and cached per schema version.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from sqlglot import exp

from ._types import Column, MySQLType, column_for_decltype

# decltypes of a table's columns by lower-case name, or None when there is no such table.
TableLookup = Callable[[str | None, str], "dict[str, str] | None"]


@dataclass(frozen=True, slots=True)
class SQLType:
    """A MySQL type family as results carry it; `scale` for DECIMAL."""

    kind: str  # int | decimal | double | string | binary | date | datetime | time | null
    scale: int = 0


INT: Final = SQLType("int")
DOUBLE: Final = SQLType("double")
STRING: Final = SQLType("string")
BINARY: Final = SQLType("binary")
DATE: Final = SQLType("date")
DATETIME: Final = SQLType("datetime")
TIME: Final = SQLType("time")
NULL: Final = SQLType("null")
_MAX_SCALE: Final = 38
_DIV_INCREMENT: Final = 4  # MariaDB's div_precision_increment


def decimal(scale: int) -> SQLType:
    return SQLType("decimal", max(0, min(scale, _MAX_SCALE)))


_TO_MYSQL: Final = {
    "int": MySQLType.LONGLONG,
    "double": MySQLType.DOUBLE,
    "string": MySQLType.VAR_STRING,
    "binary": MySQLType.BLOB,
    "date": MySQLType.DATE,
    "datetime": MySQLType.DATETIME,
    "time": MySQLType.TIME,
    "null": MySQLType.NULL,
}


def to_column(name: str, t: SQLType) -> Column:
    if t.kind == "decimal":
        return Column(name, MySQLType.NEWDECIMAL, scale=t.scale)
    if t.kind == "double" and t.scale:
        return Column(name, MySQLType.DOUBLE, scale=t.scale)  # a DOUBLE shown with fixed decimals
    return Column(name, _TO_MYSQL[t.kind], binary=t.kind == "binary")


_FROM_MYSQL: Final = {
    MySQLType.TINY: INT, MySQLType.SHORT: INT, MySQLType.LONG: INT, MySQLType.INT24: INT, MySQLType.LONGLONG: INT,
    MySQLType.YEAR: INT, MySQLType.FLOAT: DOUBLE, MySQLType.DOUBLE: DOUBLE, MySQLType.DATE: DATE,
    MySQLType.DATETIME: DATETIME, MySQLType.TIMESTAMP: DATETIME, MySQLType.TIME: TIME,
}


def from_decltype(decltype: str) -> SQLType | None:
    col = column_for_decltype("", decltype)
    if col.type is MySQLType.NEWDECIMAL:
        return decimal(col.scale or 0)
    if col.type is MySQLType.BIT:
        return None
    if col.binary:
        return BINARY
    return _FROM_MYSQL.get(col.type, STRING)


# -- combining types ------------------------------------------------------------------------------

_NUMERIC: Final = frozenset({"int", "decimal", "double"})
_TEMPORAL: Final = frozenset({"date", "datetime", "time"})


def merge(types: list[SQLType]) -> SQLType:
    """The type of COALESCE, IF, CASE, GREATEST or UNION over values of `types`."""
    kinds = {t.kind for t in types if t.kind != "null"}
    if not kinds:
        return NULL
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind == "decimal":
            return decimal(max(t.scale for t in types if t.kind == "decimal"))
        return SQLType(kind)
    if kinds <= _NUMERIC:
        if "double" in kinds:
            return DOUBLE
        return decimal(max(t.scale for t in types if t.kind == "decimal"))
    if kinds == {"date", "datetime"}:
        return DATETIME
    if "binary" in kinds:
        return BINARY
    return STRING


def _numeric(t: SQLType) -> SQLType:
    """An operand of arithmetic: strings and temporal values are used as DOUBLE."""
    return t if t.kind in _NUMERIC or t.kind == "null" else DOUBLE


def arithmetic(op: str, a: SQLType, b: SQLType) -> SQLType:
    a, b = _numeric(a), _numeric(b)
    if a.kind == "null" or b.kind == "null":
        return NULL
    if op == "intdiv":
        return INT
    if "double" in (a.kind, b.kind):
        return DOUBLE
    if op == "div":
        return decimal(a.scale + _DIV_INCREMENT)
    if a.kind == "int" and b.kind == "int":
        return INT
    if op == "mul":
        return decimal(a.scale + b.scale)
    return decimal(max(a.scale, b.scale))


def _sum(t: SQLType) -> SQLType:
    t = _numeric(t)
    return DOUBLE if t.kind == "double" else NULL if t.kind == "null" else decimal(t.scale)


def _avg(t: SQLType) -> SQLType:
    t = _numeric(t)
    return DOUBLE if t.kind == "double" else NULL if t.kind == "null" else decimal(t.scale + _DIV_INCREMENT)


def _variance(t: SQLType) -> SQLType:
    """VARIANCE / STDDEV: a DOUBLE, shown with the argument's decimals + 4 unless it is a DOUBLE
    (MariaDB prints STDDEV_SAMP of an INT column as 0.7071)."""
    t = _numeric(t)
    return DOUBLE if t.kind == "double" else SQLType("double", t.scale + _DIV_INCREMENT)


def _round(t: SQLType, digits: int | None) -> SQLType:
    """ROUND and TRUNCATE: a DECIMAL gets the scale the digits ask for (ROUND(x, 3) of a
    DECIMAL(10,2) shows 3 decimals); integers stay integers."""
    t = _numeric(t)
    if t.kind != "decimal":
        return t
    return decimal(digits if digits is not None else 0)


def _floor(t: SQLType) -> SQLType:
    t = _numeric(t)
    return INT if t.kind == "decimal" else t


def _abs(t: SQLType) -> SQLType:
    return _numeric(t)


_OPS: Final[dict[str, Callable[..., SQLType]]] = {
    "merge": lambda *ts: merge(list(ts)),
    "first": lambda t, *_: t,
    "sum": _sum,
    "avg": _avg,
    "floor": _floor,
    "abs": _abs,
    "neg": _abs,
    "variance": lambda t: _variance(t),
    "date_add:date": lambda t: _date_add_type(True)(t),
    "date_add:time": lambda t: _date_add_type(False)(t),
}


# -- inference over sqlglot trees ----------------------------------------------------------------

# A type expression: an SQLType; ("col", ((db, table), ...), column) for a column of one of the
# candidate tables; or (operation, argument expressions..., [constant]) combined by _OPS,
# "arith:<op>" or "round".
TypeExpr = Any
# What a SELECT's column qualifiers name: a table (database or None for the statement's own, table),
# a derived table or CTE (its columns' type expressions by lower-case name), or None (unknown).
Scope = dict[str, "tuple[str | None, str] | dict[str, TypeExpr] | None"]


def scope_of(select: exp.Select, ctes: dict[str, dict[str, TypeExpr]] | None = None) -> Scope:
    """The tables a SELECT reads, by the name its columns qualify them with."""
    ctes = dict(ctes or {})
    with_ = select.args.get("with_") or select.args.get("with")  # the key's name depends on sqlglot's version
    if with_ is not None:
        for cte in with_.expressions:
            if isinstance(cte.this, exp.Select):
                ctes[cte.alias_or_name.lower()] = _derived_columns(cte.this, ctes)
    scope: Scope = {}
    sources: list[exp.Expression] = []
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
        elif isinstance(source, exp.Subquery) and isinstance(source.this, exp.Select):
            scope[key] = _derived_columns(source.this, ctes)
        else:
            scope[key] = None
    return scope


def _derived_columns(select: exp.Select, ctes: dict[str, dict[str, TypeExpr]]) -> dict[str, TypeExpr]:
    inner = scope_of(select, ctes)
    columns: dict[str, TypeExpr] = {}
    for p in select.expressions:
        if isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)):
            continue
        name = p.alias_or_name.lower()
        if name:
            columns[name] = infer(p, inner)
    return columns


def _column_ref(node: exp.Column, scope: Scope) -> TypeExpr | None:
    name = node.name.lower()
    table = node.table.lower()
    if table:
        source = scope.get(table)
        if isinstance(source, dict):
            return source.get(name)
        return None if source is None else ("col", (source,), name)
    derived = [s for s in scope.values() if isinstance(s, dict) and name in s]
    if derived:
        return derived[0][name] if len(derived) == 1 else None
    if any(s is None for s in scope.values()):
        return None
    candidates = tuple(s for s in scope.values() if isinstance(s, tuple))
    return ("col", candidates, name) if candidates else None


_STRING_FUNCS: Final = (
    exp.Concat, exp.ConcatWs, exp.Upper, exp.Lower, exp.Substring, exp.Trim, exp.GroupConcat, exp.TimeToStr,
    exp.Initcap, exp.Pad, exp.Repeat, exp.Reverse, exp.Left, exp.Right, exp.Hex, exp.MD5, exp.SHA, exp.SHA2,
    exp.Chr, exp.DateToDateStr, exp.Split,
)
_INT_FUNCS: Final = (
    exp.Count, exp.Length, exp.IntDiv, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.ILike,
    exp.In, exp.And, exp.Or, exp.Not, exp.Is, exp.Between, exp.NullSafeEQ, exp.NullSafeNEQ, exp.Boolean,
    exp.Exists, exp.Sign, exp.StrPosition, exp.Unicode, exp.Year, exp.Month, exp.Day, exp.DayOfWeek,
    exp.DayOfMonth, exp.DayOfYear, exp.WeekOfYear, exp.Quarter, exp.DateDiff, exp.Xor, exp.RegexpLike,
    exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor, exp.BitwiseNot, exp.BitwiseLeftShift, exp.BitwiseRightShift,
)
_DOUBLE_FUNCS: Final = (exp.Pow, exp.Sqrt, exp.Exp, exp.Ln, exp.Log, exp.Stddev, exp.StddevPop, exp.StddevSamp,
                        exp.Variance, exp.VariancePop)
# Our UDFs (see _translate._FUNCTION_MAP and _functions) by result type.
_UDF_TYPES: Final[dict[str, SQLType]] = {
    "APP_NOW": DATETIME, "APP_UTC_NOW": DATETIME, "APP_FROM_UNIXTIME": DATETIME, "APP_CURDATE": DATE,
    "APP_CURTIME": TIME, "APP_LAST_INSERT_ID": INT, "APP_CONNECTION_ID": INT, "APP_ROW_COUNT": INT,
    "APP_FOUND_ROWS": INT, "APP_DATABASE": STRING, "APP_USER": STRING, "APP_VERSION": STRING, "APP_UUID": STRING,
    "APP_CONCAT_WS": STRING, "APP_RAND": DOUBLE, "APP_UNIX_TIMESTAMP": INT, "APP_SLEEP": INT,
    **{name: INT for name in (
        "APP_YEAR", "APP_MONTH", "APP_DAY", "APP_HOUR", "APP_MINUTE", "APP_SECOND", "APP_MICROSECOND",
        "APP_DAYOFWEEK", "APP_WEEKDAY", "APP_DAYOFYEAR", "APP_QUARTER", "APP_WEEK", "APP_WEEKOFYEAR", "APP_YEARWEEK",
        "APP_TO_DAYS", "APP_DATEDIFF", "APP_TIMESTAMPDIFF", "APP_TIME_TO_SEC", "APP_EXTRACT", "APP_LENGTH",
        "APP_CHAR_LENGTH", "OCTET_LENGTH", "APP_LOCATE", "APP_INSTR", "APP_FIELD", "APP_FIND_IN_SET", "APP_STRCMP",
        "APP_CRC32", "APP_BIT_AND", "APP_BIT_OR", "APP_BIT_XOR", "UNICODE", "LENGTH", "APP_REGEXP_INSTR")},
    **{name: STRING for name in (
        "APP_LEFT", "APP_RIGHT", "APP_LPAD", "APP_RPAD", "APP_REVERSE", "APP_REPEAT", "APP_SPACE",
        "APP_SUBSTRING_INDEX", "APP_ELT", "APP_INSERT", "APP_FORMAT", "APP_HEX", "APP_MD5", "APP_SHA1", "APP_SHA2",
        "APP_DATE_FORMAT", "APP_DAYNAME", "APP_MONTHNAME", "APP_DECIMAL_TEXT", "APP_DOUBLE_TEXT", "SUBSTR",
        "APP_REGEXP_REPLACE", "APP_REGEXP_SUBSTR")},
    "APP_DATE": DATE, "APP_LAST_DAY": DATE, "APP_MAKEDATE": DATE,
    "APP_TIME": TIME, "APP_SEC_TO_TIME": TIME, "APP_TIMEDIFF": TIME,
}
_DATE_UNITS: Final = frozenset({"DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "YEAR_MONTH"})


def _udf_type(node: exp.Anonymous, scope: Scope) -> TypeExpr | None:
    name = node.name.upper()
    args = node.expressions
    if name == "APP_MOD" and len(args) == 2:
        return _op("arith:mod", args, scope)
    if name == "APP_TRUNCATE" and len(args) == 2:
        digits = args[1]
        if isinstance(digits, exp.Literal) and not digits.is_string:
            return _op("round", [args[0]], scope, int(digits.this))
        if isinstance(digits, exp.Neg) and isinstance(digits.this, exp.Literal):
            return _op("round", [args[0]], scope, 0)
        return None
    if name in ("APP_VAR_POP", "APP_VAR_SAMP", "APP_STDDEV_POP", "APP_STDDEV_SAMP") and len(args) == 1:
        return _op("variance", args, scope)
    if name == "APP_DATE_ADD" and len(args) >= 3 and isinstance(args[2], exp.Literal):
        return _op("date_add:" + ("date" if args[2].this.upper() in _DATE_UNITS else "time"), [args[0]], scope)
    if name == "APP_STR_TO_DATE" and len(args) == 2:
        fmt = args[1]
        if not (isinstance(fmt, exp.Literal) and fmt.is_string):
            return None
        codes = set(re.findall(r"%(.)", fmt.this))
        has_date, has_time = bool(codes & set("YymcdeMbjD")), bool(codes & set("HkhIlisSfTrp"))
        return DATETIME if has_date and has_time else DATE if has_date else TIME if has_time else None
    return _UDF_TYPES.get(name)


def _date_add_type(date_unit: bool) -> Callable[[SQLType], SQLType]:
    """DATE_ADD keeps a DATE a DATE for whole days and more, makes it a DATETIME otherwise."""
    def result(t: SQLType) -> SQLType:
        if t.kind == "date":
            return DATE if date_unit else DATETIME
        if t.kind in ("datetime", "string"):
            return t
        return DATETIME

    return result


def infer(node: exp.Expr, scope: Scope) -> TypeExpr | None:
    """The type expression of `node` (None: unknown, typed by its values at run time)."""
    if isinstance(node, exp.Alias):
        return infer(node.this, scope)
    if isinstance(node, (exp.Paren, exp.Ordered)):
        return infer(node.this, scope)
    if isinstance(node, exp.Column):
        return None if isinstance(node.this, exp.Star) else _column_ref(node, scope)
    if isinstance(node, exp.Null):
        return NULL
    if isinstance(node, exp.Literal):
        if node.is_string:
            return STRING
        text = node.this.lower()
        if "e" in text:
            return DOUBLE
        if "." in text:
            return decimal(len(text.split(".", 1)[1]))
        return INT
    if isinstance(node, exp.Neg):
        return _op("neg", [node.this], scope)
    if isinstance(node, (exp.Add, exp.Sub)) and isinstance(node.expression, exp.Interval):
        return _op("first", [node.this], scope)  # date arithmetic keeps the date's type
    if isinstance(node, exp.Add):
        return _op("arith:add", [node.this, node.expression], scope)
    if isinstance(node, exp.Sub):
        return _op("arith:sub", [node.this, node.expression], scope)
    if isinstance(node, exp.Mul):
        return _op("arith:mul", [node.this, node.expression], scope)
    if isinstance(node, exp.Div):
        return _op("arith:div", [node.this, node.expression], scope)
    if isinstance(node, exp.Mod):
        return _op("arith:mod", [node.this, node.expression], scope)
    if isinstance(node, _INT_FUNCS):
        return INT
    if isinstance(node, exp.Sum):
        return _op("sum", [_unwrap_distinct(node.this)], scope)
    if isinstance(node, exp.Avg):
        return _op("avg", [_unwrap_distinct(node.this)], scope)
    if isinstance(node, (exp.Min, exp.Max)):
        return _op("first", [_unwrap_distinct(node.this)], scope)
    if isinstance(node, (exp.Coalesce, exp.Greatest, exp.Least)):
        return _op("merge", [node.this, *node.expressions], scope)
    if isinstance(node, exp.If):
        return _op("merge", [node.args["true"], node.args.get("false") or exp.null()], scope)
    if isinstance(node, exp.Case):
        branches = [i.args["true"] for i in node.args.get("ifs") or []]
        return _op("merge", [*branches, node.args.get("default") or exp.null()], scope)
    if isinstance(node, exp.Nullif):
        return _op("first", [node.this], scope)
    if isinstance(node, (exp.Round, exp.Trunc)):
        digits = node.args.get("decimals")
        if digits is None:
            return _op("round", [node.this], scope, None)
        if isinstance(digits, exp.Literal) and not digits.is_string:
            return _op("round", [node.this], scope, int(digits.this))
        if isinstance(digits, exp.Neg) and isinstance(digits.this, exp.Literal):
            return _op("round", [node.this], scope, 0)
        return None
    if isinstance(node, (exp.Floor, exp.Ceil)):
        return _op("floor", [node.this], scope)
    if isinstance(node, exp.Abs):
        return _op("abs", [node.this], scope)
    if isinstance(node, _STRING_FUNCS):
        return STRING
    if isinstance(node, _DOUBLE_FUNCS):
        return DOUBLE
    if isinstance(node, exp.Cast):
        return _cast_type(node.to)
    if isinstance(node, exp.Anonymous):
        return _udf_type(node, scope)
    return None


def _unwrap_distinct(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Distinct) and len(node.expressions) == 1:
        only: exp.Expr = node.expressions[0]
        return only
    return node


def _cast_type(to: exp.DataType) -> SQLType | None:
    if to.is_type(*exp.DataType.TEXT_TYPES):
        return STRING
    if to.is_type(*exp.DataType.INTEGER_TYPES):
        return INT
    if to.is_type(exp.DataType.Type.DECIMAL):
        params = to.expressions
        return decimal(int(params[1].name) if len(params) > 1 else 0)
    if to.is_type(exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT):
        return DOUBLE
    if to.is_type(exp.DataType.Type.DATE):
        return DATE
    if to.is_type(exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMP):
        return DATETIME
    if to.is_type(exp.DataType.Type.TIME):
        return TIME
    if to.is_type(exp.DataType.Type.VARBINARY, exp.DataType.Type.BINARY, exp.DataType.Type.BLOB):
        return BINARY
    return None


def _op(name: str, args: list[exp.Expr], scope: Scope, *constants: Any) -> TypeExpr | None:
    inferred = [infer(a, scope) for a in args]
    if any(t is None for t in inferred):
        return None
    expr = (name, *inferred, *constants)
    if all(isinstance(t, SQLType) for t in inferred):
        return evaluate(expr, lambda db, table: None)  # constant: fold now
    return expr


def evaluate(expr: TypeExpr, lookup: TableLookup) -> SQLType | None:
    """Resolve a type expression against the tables' declared column types."""
    if isinstance(expr, SQLType):
        return expr
    name = expr[0]
    if name == "col":
        for db, table in expr[1]:
            decltypes = lookup(db, table)
            if decltypes is not None and expr[2] in decltypes:
                decl = decltypes[expr[2]]
                return from_decltype(decl) if decl else None
        return None
    if name == "round":
        arg = evaluate(expr[1], lookup)
        return None if arg is None else _round(arg, expr[2])
    args = [evaluate(a, lookup) for a in expr[1:]]
    if any(a is None for a in args):
        return None
    if name.startswith("arith:"):
        return arithmetic(name[6:], args[0], args[1])  # type: ignore[arg-type]
    return _OPS[name](*args)


@dataclass(eq=False)
class Deferred:
    """A result column's type that depends on the columns of tables (see module docstring).

    `cache` maps a catalog state (the caller's key, e.g. database and schema version) to the column.
    """

    expr: TypeExpr
    cache: dict[Any, Column | None] = field(default_factory=dict)
    # Whether the key (the default database's schema version) covers every table the type reads.
    cacheable: bool = True

    def __post_init__(self) -> None:
        self.cacheable = not any(db is not None for db, _ in _tables_of(self.expr))

    def column(self, key: Any, lookup: TableLookup) -> Column | None:
        """The column type for the catalog state `key` (None: do not cache)."""
        if key is not None:
            try:
                return self.cache[key]
            except KeyError:
                pass
        t = evaluate(self.expr, lookup)
        col = None if t is None else to_column("", t)
        if key is not None:
            if len(self.cache) > 16:
                self.cache.clear()
            self.cache[key] = col
        return col


def _tables_of(expr: TypeExpr) -> list[tuple[str | None, str]]:
    if isinstance(expr, SQLType):
        return []
    if expr[0] == "col":
        return list(expr[1])
    return [t for a in expr[1:] if isinstance(a, (tuple, SQLType)) for t in _tables_of(a)]


def hint(node: exp.Expr, scope: Scope) -> Column | Deferred | None:
    """The result column type of a projection: known now, deferred to the schema, or unknown."""
    t = infer(node, scope)
    if t is None:
        return None
    if isinstance(t, SQLType):
        return to_column("", t)
    return Deferred(t)


def merged_hint(hints: list[Column | Deferred | None]) -> Column | Deferred | None:
    """The type of a UNION's column from its branches' types."""
    if any(h is None for h in hints):
        return None
    exprs: list[TypeExpr] = []
    for h in hints:
        if isinstance(h, Deferred):
            exprs.append(h.expr)
        else:
            assert h is not None
            exprs.append(_column_type(h))
    if any(e is None for e in exprs):
        return None
    expr = ("merge", *exprs)
    if all(isinstance(e, SQLType) for e in exprs):
        folded = evaluate(expr, lambda db, table: None)
        return None if folded is None else to_column("", folded)
    return Deferred(expr)


def _column_type(col: Column) -> SQLType | None:
    if col.type is MySQLType.NEWDECIMAL:
        return decimal(col.scale or 0)
    if col.binary:
        return BINARY
    if col.type in (MySQLType.VAR_STRING, MySQLType.STRING, MySQLType.BLOB, MySQLType.VARCHAR):
        return STRING
    if col.type is MySQLType.NULL:
        return NULL
    return _FROM_MYSQL.get(col.type)

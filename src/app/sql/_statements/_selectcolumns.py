"""The columns CREATE TABLE ... SELECT makes of a query's result, as MariaDB makes them.

MariaDB creates a column from what it derives for each result column: its type, its length in
characters, its decimals and whether it may be NULL (`CONCAT('a', 'b')` is `varchar(2) DEFAULT
NULL`, `1.5` is `decimal(2,1) NOT NULL`). A plain column of a table keeps its definition (type,
NULL-ness, default). The type deriver (`_exprtypes`) gives the type families, integer widths and
DECIMAL precisions; what it does not track, the length of strings and NULL-ness, is derived here,
for the expressions a CREATE TABLE ... SELECT is likely to hold. What is not known from the
statement is taken from the values (`from_values`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sqlglot import exp

from .._exprtypes import Scope
from .._sqltypes import SQLType, merge, precision_of
from .._types import MySQLType
from ._selectlengths import MB, Context, Describe, char_length, function_name, int_arg, int_width, literal_bytes, unwrap

_BLOB_FROM: Final = 512  # longer strings become TEXT (MariaDB's CONVERT_IF_BIGGER_TO_BLOB)
_UTF8MB3: Final = "utf8mb3_general_ci"
_JSON_TEXT: Final = "utf8mb4_bin"
_UTF8MB3_FUNCTIONS: Final = frozenset({"DATABASE", "SCHEMA", "CHARSET", "COLLATION", "USER", "CURRENT_USER",
                                       "SESSION_USER", "SYSTEM_USER", "VERSION", "JSON_TYPE"})


@dataclass(frozen=True, slots=True)
class SelectColumn:
    """A column to make: its MySQL definition's parts (`default`: SQL text, as SHOW CREATE has it)."""

    name: str
    type: str
    not_null: bool
    default: str | None = None
    collation: str | None = None

    def definition(self) -> str:
        """The column's definition as MySQL text (for `_createtable.TableDefinition`)."""
        text = "`" + self.name.replace("`", "``") + "` " + self.type
        if self.collation:
            text += f" CHARACTER SET {self.collation.split('_', 1)[0]} COLLATE {self.collation}"
        text += " NOT NULL" if self.not_null else " NULL"
        if self.default is not None:
            text += " DEFAULT " + self.default
        return text


@dataclass(frozen=True, slots=True)
class _Derived:
    type: str | None  # None: known only from the values
    collation: str | None = None


# -- NULL-ness ------------------------------------------------------------------------------------

# Functions that are NULL only when an argument is (others may be NULL for a bad argument).
_STRICT: Final = frozenset({
    "ABS", "ROUND", "FLOOR", "CEIL", "CEILING", "TRUNCATE", "SIGN", "CRC32", "BIT_COUNT", "CHAR_LENGTH",
    "LENGTH", "OCTET_LENGTH", "BIT_LENGTH", "GREATEST", "LEAST", "PI", "RAND", "FIELD", "FIND_IN_SET", "INTERVAL",
})
_NEVER_NULL: Final = frozenset({
    "COUNT", "LAST_INSERT_ID", "ROW_COUNT", "FOUND_ROWS", "CONNECTION_ID", "NOW", "CURDATE", "CURRENT_DATE",
    "CURTIME", "CURRENT_TIME", "CURRENT_TIMESTAMP", "SYSDATE", "UTC_TIMESTAMP", "UTC_DATE", "UTC_TIME",
    "LOCALTIME", "LOCALTIMESTAMP", "VERSION", "BIT_AND", "BIT_OR", "BIT_XOR", "ISNULL",
})
_STRICT_NODES: Final = (exp.Add, exp.Sub, exp.Mul, exp.Neg, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE,
                        exp.In, exp.Between, exp.And, exp.Or, exp.Not, exp.Xor, exp.BitwiseAnd, exp.BitwiseOr,
                        exp.BitwiseXor, exp.BitwiseNot, exp.BitwiseLeftShift, exp.BitwiseRightShift,
                        exp.Introducer, exp.Collate, exp.Like, exp.ILike, exp.RegexpLike)
_NEVER_NULL_NODES: Final = (exp.Literal, exp.Boolean, exp.Is, exp.NullSafeEQ, exp.NullSafeNEQ, exp.HexString,
                            exp.BitString, exp.Exists, exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime)


def _children(node: exp.Expr) -> list[exp.Expr]:
    return [c for c in node.iter_expressions() if not isinstance(c, (exp.DataType, exp.Var, exp.Identifier))]


def _nullable(node: exp.Expr, ctx: Context) -> bool:
    node = unwrap(node)
    if isinstance(node, exp.Column):
        info = ctx.source(node)
        if info is None:
            inner = ctx.derived_projection(node)  # a column of a derived table: what its query makes it
            return inner is None or _nullable(*inner)
        return info.nullable
    if isinstance(node, _NEVER_NULL_NODES):
        return False
    if isinstance(node, exp.Null):
        return True
    if isinstance(node, _STRICT_NODES):
        return any(_nullable(c, ctx) for c in _children(node))
    if isinstance(node, exp.Case):
        branches = [i.args["true"] for i in node.args.get("ifs") or []]
        default = node.args.get("default")
        return default is None or any(_nullable(b, ctx) for b in [*branches, default])
    if isinstance(node, exp.If):
        false = node.args.get("false")
        return false is None or _nullable(node.args["true"], ctx) or _nullable(false, ctx)
    if isinstance(node, exp.Coalesce):  # COALESCE and IFNULL: NULL only if every argument may be
        return all(_nullable(a, ctx) for a in [node.this, *node.expressions])
    if isinstance(node, exp.Cast):
        to = node.to
        if to.is_type(*exp.DataType.INTEGER_TYPES, exp.DataType.Type.DECIMAL, exp.DataType.Type.UBIGINT,
                      exp.DataType.Type.UINT):
            return _nullable(node.this, ctx)
        return True
    name = function_name(node)
    if name in _NEVER_NULL:
        return False
    if name in _STRICT:
        return any(_nullable(c, ctx) for c in _children(node))
    return True


# -- types ------------------------------------------------------------------------------------------

_INT_BASES: Final = {MySQLType.TINY: "tinyint", MySQLType.SHORT: "smallint", MySQLType.INT24: "mediumint",
                     MySQLType.LONG: "int", MySQLType.LONGLONG: "bigint", MySQLType.YEAR: "year"}
# Functions whose column MariaDB makes the same whatever the arguments.
_FIXED_TYPES: Final = {
    "CHAR_LENGTH": "int(10)", "LENGTH": "int(10)", "OCTET_LENGTH": "int(10)", "SIGN": "int(2)",
    "BIT_COUNT": "int(2)", "YEAR": "int(5)", "CRC32": "int(10) unsigned", "LAST_INSERT_ID": "bigint(21) unsigned",
    "ROW_COUNT": "bigint(21)", "FOUND_ROWS": "bigint(21)", "INET_ATON": "bigint(21) unsigned",
    "CONNECTION_ID": "int(10) unsigned", "SEC_TO_TIME": "time", "MAKEDATE": "date", "FROM_DAYS": "date",
    "LAST_DAY": "date", "TIMEDIFF": "time", "PI": "double(8,6)", "UUID": "uuid", "GROUP_CONCAT": "mediumtext",
    "MONTH": "int(3)", "DAY": "int(3)", "DAYOFMONTH": "int(3)", "HOUR": "int(3)", "MINUTE": "int(3)",
    "SECOND": "int(3)", "WEEK": "int(3)", "QUARTER": "int(2)", "DAYOFWEEK": "int(1)", "WEEKDAY": "int(1)",
    "TO_DAYS": "int(7)", "DATEDIFF": "int(8)", "UNIX_TIMESTAMP": "bigint(17)", "ASCII": "int(3)", "ORD": "int(7)",
    "STRCMP": "int(2)", "FIELD": "int(3)", "FIND_IN_SET": "int(3)", "LOCATE": "int(11)", "INSTR": "int(11)",
    "JSON_LENGTH": "int(10)", "JSON_VALID": "int(1)", "JSON_CONTAINS": "int(1)", "REGEXP": "int(1)",
    "COUNT": "bigint(21)", "TIMESTAMPDIFF": "bigint(21)",
}
_PREDICATES: Final = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.ILike, exp.In, exp.And,
                      exp.Or, exp.Not, exp.Is, exp.Between, exp.NullSafeEQ, exp.NullSafeNEQ, exp.Exists, exp.Xor)


def _string_type(chars: int, binary: bool) -> str:
    if binary:
        if chars > _BLOB_FROM:
            return "blob" if chars <= 65535 else "mediumblob" if chars <= 16777215 else "longblob"
        return f"varbinary({chars})"
    if chars == 0:
        return "char(0)"
    if chars > _BLOB_FROM:
        octets = chars * MB
        return "text" if octets <= 65535 else "mediumtext" if octets <= 16777215 else "longtext"
    return f"varchar({chars})"


def _collation(node: exp.Expr, ctx: Context) -> str | None:
    """The collation of a string result other than the table's (utf8mb4_general_ci)."""
    node = unwrap(node)
    if isinstance(node, exp.Collate):
        return str(node.expression.name).lower()
    if isinstance(node, exp.Introducer):
        charset = str(node.this).lstrip("_").lower()
        return _default_collation(charset)
    if isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.CHARACTER_SET):
        return _default_collation(str(node.to.args.get("kind") or "").lower())
    name = function_name(node)
    if name in _UTF8MB3_FUNCTIONS:
        return _UTF8MB3
    if name in ("JSON_UNQUOTE", "JSON_QUOTE", "JSON_EXTRACT") or (
            isinstance(node, exp.JSONExtract) and ctx.source(node.this) is not None):
        return _JSON_TEXT
    return None


def _default_collation(charset: str) -> str | None:
    if charset in ("", "utf8mb4"):
        return None
    if charset in ("binary",):
        return None
    return {"latin1": "latin1_swedish_ci", "utf8": _UTF8MB3, "utf8mb3": _UTF8MB3, "ascii": "ascii_general_ci"}.get(
        charset, f"{charset}_general_ci")


def _derive(node: exp.Expr, ctx: Context) -> _Derived:
    node = unwrap(node)
    name = function_name(node)
    if isinstance(node, (exp.Min, exp.Max)):
        info = ctx.source(node.this)
        if info is not None:
            return _Derived(info.type)
    if isinstance(node, _PREDICATES) or name in ("REGEXP", "APP_LIKE_BINARY"):
        return _Derived("int(1)")
    if name in _FIXED_TYPES:
        return _Derived(_FIXED_TYPES[name])
    if isinstance(node, (exp.HexString, exp.BitString)):
        return _Derived(_string_type(len(literal_bytes(node)), True))
    if isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.FLOAT):
        return _Derived("float")
    if isinstance(node, exp.Parameter):  # a user variable: typed by the value it holds
        return _Derived(_variable_type(ctx.variables.get(str(node.name).lower())))
    if name in _VARIANCES:  # a DOUBLE with the argument's decimals and 4 more, unless it is a DOUBLE
        arg = ctx.type_of(node.this)
        if arg is not None and arg.kind in ("int", "decimal"):
            return _Derived(f"double({22 + arg.scale + ctx.increment},{arg.scale + ctx.increment})")
        return _Derived("double")
    if isinstance(node, exp.Chr):  # CHAR(n, ...): bytes
        return _Derived(f"varbinary({4 * len(node.expressions or [node.this])})")
    t = ctx.type_of(node)
    if t is None and isinstance(node, (exp.DateAdd, exp.DateSub, exp.Trunc, exp.Round)):
        t = _open_type(node, ctx)
    if t is None:
        chars = char_length(node, ctx)
        return _Derived(None if chars is None else _string_type(chars, False), _collation(node, ctx))
    if t.kind == "int":
        base = _INT_BASES.get(MySQLType(t.code or MySQLType.LONG), "int")
        return _Derived(f"{base}({int_width(node, t)})" + (" unsigned" if t.unsigned else ""))
    if t.kind == "decimal":
        return _Derived(f"decimal({_precision(node, t, ctx)},{t.scale})")
    if t.kind == "double":
        if t.fixed or t.scale:
            return _Derived(f"double({(17 if t.fixed else 22) + t.scale},{t.scale})")
        return _Derived("double")
    if t.kind in ("date", "datetime", "time"):
        source = _temporal_source(node, ctx)
        if source is not None and source.split("(")[0] == t.kind:
            return _Derived(source)
        return _Derived(t.kind + (f"({t.scale})" if t.scale else ""))
    if t.kind == "null":
        return _Derived("binary(0)")
    if t.kind == "string" and t.code == MySQLType.BLOB:
        return _Derived("mediumtext")
    if t.kind == "binary":
        return _Derived("longblob")
    chars = char_length(node, ctx)
    if chars is None:
        return _Derived(None, _collation(node, ctx))
    if t.kind == "varbinary":
        return _Derived(_string_type(chars, True))
    return _Derived(_string_type(chars, False), _collation(node, ctx))


_WHOLE_DAYS: Final = frozenset({"DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "YEAR_MONTH"})


def _open_type(node: exp.Expr, ctx: Context) -> SQLType | None:
    """DATE_ADD / DATE_SUB, ROUND and TRUNCATE where the deriver leaves the type to the values."""
    inner = ctx.type_of(node.this)
    if inner is None:
        return None
    if isinstance(node, exp.Round):
        digits = max(int_arg(node.args.get("decimals")) or 0, 0)
        if inner.kind == "decimal":
            return SQLType("decimal", digits)  # its precision: see `_precision`
        if inner.kind == "double":
            return SQLType("double", digits, fixed=True)
        return inner if inner.kind == "int" else None
    if isinstance(node, exp.Trunc):
        kept = max(int_arg(node.args.get("decimals")) or 0, 0)
        if inner.kind == "decimal":
            return SQLType("decimal", kept, max(precision_of(inner) - inner.scale, 1) + kept)
        return inner if inner.kind in ("int", "double") else None
    given = node.args.get("unit")
    unit = str(given.name if given is not None else "DAY").upper()
    if inner.kind == "date":
        return SQLType("date" if unit in _WHOLE_DAYS else "datetime")
    return inner if inner.kind == "datetime" else None


_VARIANCES: Final = frozenset({"STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP"})


def _variable_type(value: Any) -> str:
    """The column MariaDB makes of a user variable holding `value` (NULL or unset: LONGBLOB)."""
    if isinstance(value, bool) or isinstance(value, int):
        return "bigint(20)"
    if isinstance(value, float):
        return "double"
    if isinstance(value, Decimal):
        return "decimal(65,38)"
    if isinstance(value, str):
        return "longtext"
    return "longblob"


def _temporal_source(node: exp.Expr, ctx: Context) -> str | None:
    """The declared type of the column date arithmetic starts from (`dt + INTERVAL 1 DAY` keeps `datetime(2)`)."""
    while isinstance(node, (exp.Add, exp.Sub, exp.DateAdd, exp.DateSub)):
        node = unwrap(node.this)
    info = ctx.source(node)
    return None if info is None else info.type


def _precision(node: exp.Expr, t: SQLType, ctx: Context) -> int:
    """A DECIMAL's precision where the deriver leaves it open (SUM, AVG, ROUND, TRUNCATE)."""
    if t.length:
        return max(t.length, t.scale + 1)  # at least one digit before the point (0.05 is decimal(3,2))
    inner = ctx.type_of(node.this) if isinstance(node, (exp.Sum, exp.Avg, exp.Round, exp.Trunc)) else None
    if inner is None or inner.kind not in ("int", "decimal"):
        return max(t.scale, 1) + 10
    digits = precision_of(inner) - inner.scale
    if isinstance(node, exp.Sum):
        return precision_of(inner) + 22
    if isinstance(node, exp.Avg):
        return precision_of(inner) + ctx.increment
    # ROUND may carry into one more digit; TRUNCATE does not
    return max(digits + t.scale + (1 if isinstance(node, exp.Round) else 0), 1)


# -- the table's columns -------------------------------------------------------------------------


def select_columns(select: exp.Select, names: Sequence[str], scope: Scope, describe: Describe,
                   increment: int, variables: dict[str, Any] | None = None) -> list[SelectColumn | None]:
    """The column each projection of `select` makes (None: to be typed by its values, `from_values`);
    `variables`: the session's user variables (@name, lower case)."""
    ctx = Context(scope, describe, increment, variables or {}, select)
    columns: list[SelectColumn | None] = []
    for name, projection in zip(names, select.expressions, strict=True):
        node = unwrap(projection)
        found = ctx.source_and_collation(node)
        if found is not None:
            info, collation = found
            default = info.default_sql
            if info.extra == "auto_increment":
                default = "0"  # the column is copied without AUTO_INCREMENT, with MariaDB's default
            columns.append(SelectColumn(name, info.type, not info.nullable, default, collation))
            continue
        derived = _derive(node, ctx)
        if derived.type is None:
            columns.append(None)
            continue
        columns.append(SelectColumn(name, derived.type, not _nullable(node, ctx), None, derived.collation))
    return columns


def from_values(name: str, values: list[Any]) -> SelectColumn:
    """A column for an expression the statement does not type: from the values it gave."""
    present = [v for v in values if v is not None]
    not_null = len(present) == len(values) and bool(values)
    if not present:
        return SelectColumn(name, "binary(0)", False)
    if all(isinstance(v, int) for v in present):
        width = max(len(str(v)) for v in present)
        return SelectColumn(name, f"bigint({max(width, 1)})", not_null)
    if all(isinstance(v, (int, float)) for v in present):
        return SelectColumn(name, "double", not_null)
    if any(isinstance(v, bytes) for v in present):
        return SelectColumn(name, _string_type(max(len(v) for v in present if isinstance(v, bytes)), True), False)
    return SelectColumn(name, _string_type(max(len(str(v)) for v in present), False), False)


def union_columns(branches: Sequence[exp.Select], names: Sequence[str], scopes: Sequence[Scope],
                  describe: Describe, increment: int) -> list[SelectColumn | None]:
    """The columns of a UNION: each the merged type of its branches' columns (None: from the values).

    MariaDB gives a NOT NULL column of a UNION the default of its type ('' or 0)."""
    contexts = [Context(scope, describe, increment) for scope in scopes]
    columns: list[SelectColumn | None] = []
    for i, name in enumerate(names):
        nodes = [unwrap(b.expressions[i]) for b in branches]
        types = [ctx.type_of(node) for node, ctx in zip(nodes, contexts, strict=True)]
        known = [t for t in types if t is not None]
        if len(known) != len(types):
            columns.append(None)
            continue
        merged = merge(*known)
        type_text: str | None
        if merged.kind == "int":
            width = max(int_width(n, t) if t.kind == "int" else t.length for n, t in zip(nodes, known, strict=True))
            base = _INT_BASES.get(MySQLType(merged.code or MySQLType.LONG), "int")
            type_text = f"{base}({width})" + (" unsigned" if merged.unsigned else "")
        elif merged.kind == "decimal":
            type_text = f"decimal({max(merged.length, merged.scale + 1)},{merged.scale})"
        elif merged.kind in ("string", "varbinary"):
            lengths = [char_length(n, ctx) for n, ctx in zip(nodes, contexts, strict=True)]
            widest = None if None in lengths else max(n for n in lengths if n is not None)
            type_text = None if widest is None else _string_type(widest, merged.kind == "varbinary")
        else:
            type_text = _derive(nodes[0], contexts[0]).type if len(set(t.kind for t in known)) == 1 else None
        if type_text is None:
            columns.append(None)
            continue
        not_null = not any(_nullable(n, ctx) for n, ctx in zip(nodes, contexts, strict=True))
        default = None
        if not_null:
            default = "0" if merged.kind in ("int", "decimal", "double") else "''" if merged.kind == "string" else None
        columns.append(SelectColumn(name, type_text, not_null, default))
    return columns

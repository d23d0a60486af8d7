"""Rewriting a MySQL tree into SQLite terms: variables, function calls, comparisons, numbers as text.

Every planner that turns a MySQL expression into SQLite (queries, DML, SET values, defaults, views,
CALL arguments) goes through `to_sqlite_expression` or the steps it is made of, so that a function
behaves the same wherever it is called.
"""

from __future__ import annotations

from typing import Final

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from ._casts import lower_casts, note_cast_source
from ._charsets import rewrite_charsets
from ._coercion import comparison_kind, is_number_mark, number_call, resolve_number_mark
from ._collations import GENERAL_CI
from ._errors import ER_SP_DOES_NOT_EXIST, SQLError, not_supported
from ._exprtypes import DATE_MARKER, TEXT_MARKER, Scope, TypeMemo, enclosing_scope, infer, nearby, scope_of
from ._functions import (
    REGISTRY,
    TIME_READERS,
    date_add_call,
    literal_datetime_type,
    temporal_branches,
    time_arg,
    udf,
    undo_to_days,
)
from ._functions._groupconcat import MAX_LEN_ARG as GROUP_CONCAT_MAX_LEN
from ._predicates import rewrite_predicates, single_row_subqueries
from ._sqltypes import DEFAULT_DIV_INCREMENT, SQLType, TableLookup, TypeExpr, evaluate
from ._types import MySQLType
from ._variables import DOUBLE_VARIABLES, NULLABLE_STRING_VARIABLES, UNSIGNED_VARIABLES

# A text-column marker: its number and the type expression of the column it wraps.
TextMark = tuple[str, TypeExpr]


def to_sqlite(tree: exp.Expr) -> str:
    """The SQLite text of a (rewritten) tree."""
    tree = lower_casts(tree)
    for select in tree.find_all(exp.Select):
        # SQL_NO_CACHE, HIGH_PRIORITY, SQL_CALC_FOUND_ROWS, ... (mariadb-dump's SELECT has one): SQLite has none.
        if select.args.get("operation_modifiers"):
            select.set("operation_modifiers", None)
    try:
        text = tree.sql(dialect="sqlite", unsupported_level=sqlglot.ErrorLevel.IGNORE)
        if "$" in text:  # SQLite reads an unquoted $d as a parameter: MySQL's name $d is quoted
            for ident in tree.find_all(exp.Identifier):
                if "$" in ident.name and not ident.args.get("quoted"):
                    ident.set("quoted", True)
            text = tree.sql(dialect="sqlite", unsupported_level=sqlglot.ErrorLevel.IGNORE)
        return text
    except SqlglotError as e:
        raise not_supported(str(e)) from None


def to_sqlite_expression(tree: exp.Expr) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A standalone expression (a SET value, a CALL argument list) as SQLite text, with the
    variables it reads (see `bind_variables`)."""
    var_params = bind_variables(tree)
    rewrite_functions(tree)
    return to_sqlite(tree), var_params


def bind_variables(tree: exp.Expr) -> tuple[tuple[str, str], ...]:
    """Replace @@system and @user variables with placeholders bound at execution: (placeholder, reference)."""
    found: list[tuple[str, str]] = []
    # Variables the statement assigns (@v := ...) are read where they are used (`assign_variables`).
    assigned = {_user_variable(eq.this) for eq in tree.find_all(exp.PropertyEQ) if _user_variable(eq.this)}
    for week in list(tree.find_all(exp.Week)):
        if week.args.get("mode") is None:  # WEEK(d): the mode is the session's default_week_format
            week.set("mode", exp.SessionParameter(this=exp.var("default_week_format")))
    for concat in list(tree.find_all(exp.GroupConcat)):  # cut to @@group_concat_max_len (see _functions)
        concat.set(GROUP_CONCAT_MAX_LEN, exp.SessionParameter(this=exp.var("group_concat_max_len")))
    for node in list(tree.find_all(exp.SessionParameter, exp.Parameter)):
        if isinstance(node, exp.SessionParameter):
            kind = node.text("kind").lower()
            ref = f"@@{kind + '.' if kind else ''}{node.name}"
        else:
            inner = node.this
            name = inner.name if isinstance(inner, exp.Expr) else str(inner)
            if name.lower() in assigned and not isinstance(inner, exp.SessionParameter):
                continue
            if isinstance(inner, exp.SessionParameter):
                kind = inner.text("kind").lower()
                ref = f"@@{kind + '.' if kind else ''}{inner.name}"
            else:
                ref = f"@{name}"
        key = f"v{len(found)}"
        found.append((key, ref))
        placeholder = exp.Placeholder(this=key)
        system = ref.rsplit(".", 1)[-1].removeprefix("@@").lower() if ref.startswith("@@") else ""
        if system in UNSIGNED_VARIABLES:
            placeholder.meta["unsigned"] = True  # an integer system variable: BIGINT UNSIGNED
        elif system in DOUBLE_VARIABLES:
            placeholder.meta["double6"] = True  # a DOUBLE system variable: shown with 6 decimals
        elif system in NULLABLE_STRING_VARIABLES:
            placeholder.meta["varchar"] = True  # NULL in a VARCHAR column
        elif not ref.startswith("@@"):
            placeholder.meta["user"] = ref[1:].lower()  # typed by its value when the statement runs
        node.replace(placeholder)
    return tuple(found)


def _user_variable(node: exp.Expr) -> str | None:
    """The lower-case name of a user variable reference (@v), None for anything else."""
    if isinstance(node, exp.Parameter) and not isinstance(node.this, exp.SessionParameter):
        inner = node.this
        return (inner.name if isinstance(inner, exp.Expr) else str(inner)).lower()
    return None


def assign_variables(tree: exp.Expr) -> None:
    """@v := x as a call that assigns as each row is computed, and the reads of @v in the same
    statement as calls that read it then (MySQL evaluates left to right, row by row)."""
    for eq in list(tree.find_all(exp.PropertyEQ)):
        name = _user_variable(eq.this)
        if name is not None:
            eq.replace(udf("APP_SET_VAR", exp.Literal.string(name), eq.expression))
    for node in list(tree.find_all(exp.Parameter)):
        name = _user_variable(node)
        if name is not None:
            node.replace(udf("APP_GET_VAR", exp.Literal.string(name)))


# sqlglot's function classes that are syntax, not calls of a function by name.
_SYNTAX: Final = (exp.Cast, exp.Case, exp.And, exp.Or, exp.Xor, exp.Exists, exp.Collate,
                  exp.JSONExtractScalar,  # the ->> operator
                  exp.TsOrDsToTimestamp)  # how sqlglot wraps DATE_FORMAT's argument


def rewrite_functions(tree: exp.Expr) -> None:
    """Function calls and MySQL-only operators become what SQLite runs (see `_functions`).

    The registry is the catalog of functions: a call of one it does not declare is 1305 here, before
    SQLite could run a function of its own by that name (sqlite_version(), typeof(), ...).
    """
    rewrite_predicates(tree)
    rewrite_charsets(tree)
    undo_to_days(tree)
    for cast in tree.find_all(exp.Cast):  # TIMESTAMP'...' (sqlglot's TIMESTAMPTZ) is a DATETIME in MySQL
        if cast.to.is_type(exp.DataType.Type.TIMESTAMPTZ):
            cast.set("to", literal_datetime_type(cast.this))
    temporal_branches(tree)
    # Deepest first: a rewrite takes its (already rewritten) arguments with it.
    # JSON_VALUE is no exp.Func in sqlglot's tree, but a function of the registry all the same.
    for node in reversed(list(tree.find_all(exp.Func, exp.Add, exp.Sub, exp.Mod, exp.Xor, exp.Like, exp.Glob,
                                            exp.JSONValue, exp.BitwiseXor))):
        if isinstance(node, exp.Glob):  # SQLite's, which sqlglot reads in MySQL too
            raise SQLError(ER_SP_DOES_NOT_EXIST, "FUNCTION glob does not exist")
        if isinstance(node, exp.Anonymous) and node._meta and node.meta.get("internal"):
            continue  # a helper the rewrite put there itself (see `_charsets`)
        if isinstance(node, exp.Anonymous) and node.name.upper() == "VALUES":
            # A table value constructor (IN (VALUES (1), (2))): SQLite reads it as such. VALUES(c) of
            # ON DUPLICATE KEY UPDATE is the DML planner's; anywhere else it is SQLite's syntax error.
            continue
        if (isinstance(node, exp.Func) and not isinstance(node, (exp.Anonymous, *_SYNTAX))
                and type(node) not in REGISTRY.by_node):
            raise SQLError(ER_SP_DOES_NOT_EXIST, f"FUNCTION {node.sql_name()} does not exist")
        if isinstance(node, exp.Cast):
            note_cast_source(node)
        replacement = (_operator(node) if isinstance(node, (exp.Add, exp.Sub, exp.Xor, exp.BitwiseXor))
                       else REGISTRY.rewrite(node))
        if replacement is not None:
            node.replace(replacement)
    single_row_subqueries(tree)
    assign_variables(tree)


def _operator(node: exp.Add | exp.Sub | exp.Xor | exp.BitwiseXor) -> exp.Expr | None:
    if isinstance(node, exp.BitwiseXor):  # a ^ b, which SQLite lacks (see `_functions._unsigned`)
        return udf("APP_BITS_XOR", node.this, node.expression)
    if isinstance(node, exp.Xor):
        # a XOR b: NULL when either is NULL, else whether exactly one is true. MariaDB does not read b
        # when a is NULL (a string b says nothing about its conversion then).
        # (0e0: a string operand is read as a DOUBLE, as MariaDB reads truth values)
        xor = exp.NEQ(this=exp.Paren(this=exp.NEQ(this=node.this, expression=exp.Literal.number("0e0"))),
                      expression=exp.Paren(this=exp.NEQ(this=node.expression, expression=exp.Literal.number("0e0"))))
        return exp.Case(ifs=[exp.If(this=exp.Is(this=node.this.copy(), expression=exp.Null()), true=exp.Null())],
                        default=xor)
    if isinstance(node.expression, exp.Interval):  # d + INTERVAL n UNIT
        return date_add_call(node.this, node.expression, -1 if isinstance(node, exp.Sub) else 1)
    if isinstance(node, exp.Add) and isinstance(node.this, exp.Interval):  # INTERVAL n UNIT + d
        return date_add_call(node.expression, node.this, 1)
    return None


# -- comparisons ----------------------------------------------------------------------------------

_COMPARISONS: Final = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)
_NUMERIC_KINDS: Final = frozenset({"int", "decimal", "double"})


def mysql_comparisons(tree: exp.Expr) -> None:
    """Comparisons where neither side is a column compare as MySQL's would.

    A column brings its collation (see _collations), but SQLite compares other text byte for byte:
    'a' = 'A', 'a' = 'a ', UPPER(x) = 'abc' and CONCAT(a, b) = 'xy' are true in MySQL's default
    collation, so their left side gets COLLATE utf8mb4_general_ci's (which does not touch numbers,
    and costs no index: an expression on both sides could not use one). And MySQL compares a string
    with a number as numbers: the string side is CAST to NUMERIC when the types are known here.
    """
    for node in list(tree.find_all(*_COMPARISONS, exp.In, exp.Between, *_EXTREMES)):
        if isinstance(node, _EXTREMES):
            _collated_extreme(node)
            continue
        if isinstance(node, (exp.EQ, exp.NEQ)) and _big_equality(node):
            continue
        left = node.this
        if isinstance(node, exp.In) and node.args.get("query") is not None:
            continue
        others = [node.expression] if isinstance(node, _COMPARISONS) else (
            list(node.expressions) if isinstance(node, exp.In) else [node.args.get("low"), node.args.get("high")])
        if _is_column(left) or any(o is None or _is_column(o) for o in others):
            continue
        if isinstance(left, exp.Tuple):  # a row value: SQLite takes no COLLATE on one
            continue
        if isinstance(node, _COMPARISONS) and _binary_against_string(node):
            continue
        if isinstance(node, _COMPARISONS) and _compare_as_numbers(node):
            continue
        node.set("this", exp.Collate(this=left, expression=exp.var(GENERAL_CI)))


# GREATEST, LEAST and NULLIF compare their arguments as `=` and `<` do.
_EXTREMES: Final = (exp.Greatest, exp.Least, exp.Nullif)


def _collated_extreme(node: exp.Expr) -> None:
    """GREATEST('a', 'ABC') is 'ABC' and NULLIF('abc', 'ABC') NULL in MySQL, whose default collation folds
    case: with no column among the arguments (a column brings its own collation), the first gets COLLATE
    utf8mb4_general_ci's, which SQLite's max(), min() and nullif() then use for every string they compare."""
    first = node.this
    others = [node.expression] if isinstance(node, exp.Nullif) else list(node.expressions)
    if first is None or any(o is None or _is_column(o) or _is_number(o) for o in [first, *others]):
        return  # (numbers compare as numbers: no collation needed; APP_DEC_GREATEST looks for long literals)
    if isinstance(node, exp.Least) and others:
        # of equal values MySQL gives the first, SQLite's min() the last: the arguments reversed
        first, others = others[-1], [*reversed(others[:-1]), first]
        node.set("expressions", others)
    node.set("this", exp.Collate(this=first, expression=exp.var(GENERAL_CI)))


def _is_number(node: exp.Expr) -> bool:
    """Whether `node` is a number literal (or its negation)."""
    inner = node.this if isinstance(node, exp.Neg) else node
    return isinstance(inner, exp.Literal) and not inner.is_string


def _binary_against_string(node: exp.Expr) -> bool:
    """X'4142' = 'AB': a binary literal compared with a string compares bytes (SQLite would find a BLOB
    and a TEXT never equal), so the string is CAST to its UTF-8 bytes. Whether it was such a comparison."""
    left, right = node.this, node.expression
    for hexed, other in ((left, right), (right, left)):
        if isinstance(hexed, exp.HexString) and not isinstance(other, exp.HexString):
            t = infer(other, {})
            if isinstance(t, SQLType) and t.kind == "string":
                other.replace(exp.Cast(this=other.copy(), to=exp.DataType.build("BLOB")))
                return True
    return False


def _big_equality(node: exp.EQ | exp.NEQ) -> bool:
    """`col = 18446744073709551615`: a BIGINT UNSIGNED column keeps such a value as its digits in a
    BLOB (see _statements.dml), other columns as the REAL SQLite reads the literal as; so the column is
    compared with both. Whether `node` was such a comparison."""
    if node.find_ancestor(exp.Where, exp.Having, exp.Join) is None:  # not UPDATE's SET u = ...
        return False
    column, literal = node.this, node.expression
    if isinstance(column, exp.Literal):
        column, literal = literal, column
    if not (isinstance(column, exp.Column) and isinstance(literal, exp.Literal) and not literal.is_string
            and literal.this.isdigit() and _INT64_MAX < int(literal.this) <= _UINT64_MAX):
        return False
    blob = exp.HexString(this=literal.this.zfill(20).encode().hex())
    if isinstance(node, exp.EQ):
        either: exp.Expr = exp.or_(exp.EQ(this=column.copy(), expression=literal.copy()),
                                   exp.EQ(this=column.copy(), expression=blob))
    else:
        either = exp.and_(exp.NEQ(this=column.copy(), expression=literal.copy()),
                          exp.NEQ(this=column.copy(), expression=blob))
    node.replace(exp.Paren(this=either))
    return True


_INT64_MAX: Final = 2**63 - 1
_UINT64_MAX: Final = 2**64 - 1


def _compare_as_numbers(node: exp.Expr) -> bool:
    """CAST the string side of a string-number comparison to a number; whether it did."""
    left_type, right_type = infer(node.this, {}), infer(node.expression, {})
    if not (isinstance(left_type, SQLType) and isinstance(right_type, SQLType)):
        return False
    kinds = {left_type.kind, right_type.kind}
    if "string" not in kinds or not kinds & _NUMERIC_KINDS:
        return False
    side, number = ("this", right_type) if left_type.kind == "string" else ("expression", left_type)
    other = node.expression if side == "this" else node.this
    node.set(side, number_call(node.args[side], comparison_kind(number, other)))
    return True


def _is_column(node: exp.Expr) -> bool:
    while isinstance(node, exp.Paren):
        node = node.this
    return isinstance(node, exp.Column) or isinstance(node, exp.Collate) or (
        isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.BLOB, exp.DataType.Type.VARBINARY))


# -- numbers used as text ---------------------------------------------------------------------------


def _text_contexts(node: exp.Expr) -> list[exp.Expr]:
    """The arguments of `node` that MySQL turns into strings (where a DECIMAL shows its scale)."""
    if isinstance(node, exp.Cast):
        return [node.this] if node.to.is_type(*exp.DataType.TEXT_TYPES) else []
    if isinstance(node, exp.Like):  # the value matched (a FLOAT's 6 digits, a DECIMAL's scale)
        return [node.this]
    if isinstance(node, exp.Coalesce) and any(isinstance(a, exp.Literal) and a.is_string for a in node.expressions):
        return [node.this, *node.expressions]  # COALESCE(x, 'none') is a string: x is written as one
    fn = REGISTRY.function_of(node)
    if fn is None or fn.text_args is None:
        return []
    return list(fn.text_args(node))


def mark_text_columns(tree: exp.Expr, div_increment: int = DEFAULT_DIV_INCREMENT) -> tuple[TextMark, ...]:
    """Columns used as strings, wrapped in a marker call `__APP_TEXT_<k>__(col, __APP_SCALE_<k>__)`.

    SQLite keeps a DECIMAL(10,2) as REAL, so CONCAT('$', price) would say '$5' where MySQL says
    '$5.00'. Which columns are DECIMAL (or DOUBLE: 10, not 10.0) depends on the tables, so each
    marker is resolved when the statement runs (`text_sql`), per schema version.
    """
    found: list[TextMark] = []
    scopes: dict[int, Scope] = {}
    # Every subtree typed once (issue 10): find_all is breadth-first and a node's handling rewrites only its
    # arguments, so what it changed is forgotten once it is handled and nodes above it are not typed again.
    memo = TypeMemo()
    for node in list(tree.find_all(exp.Func, exp.Like)):
        around = nearby(node)
        try:
            if isinstance(node, exp.Anonymous) and node.name in TIME_READERS and node.expressions:
                _mark_date_column(node.expressions[0], found, scopes, div_increment)
            fn = REGISTRY.function_of(node)
            if fn is not None and fn.json_args is not None:
                for arg in list(fn.json_args(node)):
                    _mark_json_value(arg, found, scopes, div_increment)
            for arg in _text_contexts(node):
                if isinstance(arg, exp.Placeholder) or (isinstance(arg, exp.Literal) and arg.is_string):
                    continue
                written = _literal_text(arg)
                if written is not None:  # as MySQL writes it, with digits a REAL would lose
                    arg.replace(exp.Literal.string(written))
                    continue
                scope = enclosing_scope(arg, scopes, div_increment)
                if scope is None:
                    continue
                texpr = memo.infer(arg, scope, div_increment)
                if texpr is None:
                    continue
                if isinstance(texpr, SQLType):  # known now: no marker needed
                    if texpr.kind == "decimal":
                        arg.replace(udf("APP_DECIMAL_TEXT", arg.copy(), exp.Literal.number(texpr.scale)))
                    elif texpr.kind == "double" and (texpr.scale or texpr.fixed):  # CONCAT(PI()) is 3.141593
                        arg.replace(udf("APP_FIXED_DOUBLE_TEXT", arg.copy(), exp.Literal.number(texpr.scale)))
                    else:
                        helper = _text_helper(texpr)
                        if helper is not None:
                            arg.replace(udf(helper, arg.copy()))
                    continue
                k = len(found)
                found.append((str(k), texpr))
                marker = exp.Anonymous(this=f"{TEXT_MARKER}{k}__",
                                       expressions=[arg.copy(), exp.column(f"__APP_SCALE_{k}__")])
                arg.replace(marker)
        finally:
            memo.forget([*around, *nearby(node)])
    return tuple(found)


def _mark_json_value(arg: exp.Expr, found: list[TextMark], scopes: dict[int, Scope], div_increment: int) -> None:
    """A value a JSON function embeds in a document, wrapped so that a number is written there as MariaDB
    writes its type (`_functions._jsonedit`: a DECIMAL with its scale, a DOUBLE as 1e15, a BIGINT UNSIGNED
    past 2**63 - 1 as its digits); a marker `__APP_JSON_<k>__(arg, __APP_SCALE_<k>__)` when that type is
    known only when the statement runs (`text_sql`)."""
    if isinstance(arg, (exp.Placeholder, exp.Null)) or (isinstance(arg, exp.Literal) and arg.is_string):
        return
    written = _literal_text(arg)
    if written is not None:  # as MySQL writes it: 1.50, 18446744073709551615
        arg.replace(udf("APP_JSON_MARK", exp.Literal.string(written)))
        return
    scope = enclosing_scope(arg, scopes, div_increment)
    if scope is None:
        return
    texpr = infer(arg, scope, div_increment)
    if texpr is None:
        return
    if isinstance(texpr, SQLType):
        helper = _json_helper(texpr)
        if helper is not None:
            name, scale = helper
            arg.replace(udf(name, arg.copy(), *([] if scale is None else [exp.Literal.number(scale)])))
        return
    k = len(found)
    found.append((f"j{k}", texpr))
    arg.replace(exp.Anonymous(this=f"__APP_JSON_{k}__", expressions=[arg.copy(), exp.column(f"__APP_SCALE_{k}__")]))


def _json_helper(t: SQLType) -> tuple[str, int | None] | None:
    """The helper (and its scale argument) that embeds a value of type `t` in a JSON document; None: as it is."""
    if t.kind == "decimal":
        return "APP_JSON_DECIMAL", t.scale
    if t.kind == "double":
        if t.scale or t.fixed:
            return "APP_JSON_FIXED", t.scale
        return ("APP_JSON_FLOAT" if t.code == MySQLType.FLOAT else "APP_JSON_DOUBLE"), None
    if t.kind == "int" and t.unsigned and t.code == MySQLType.LONGLONG:
        return "APP_JSON_UNSIGNED", None
    return None


_BINARY_KINDS: Final = frozenset({"binary", "varbinary"})


def binary_results(tree: exp.Expr, div_increment: int = DEFAULT_DIV_INCREMENT) -> list[tuple[exp.Expr, TypeExpr]]:
    """The projected CONCAT and GROUP_CONCAT calls that may be binary strings, with their types (see
    `cast_binary_results`; typed before their arguments are wrapped as text)."""
    if not isinstance(tree, exp.Select):
        return []
    found: list[tuple[exp.Expr, TypeExpr]] = []
    scope: Scope | None = None
    for projection in tree.expressions:
        node = projection.this if isinstance(projection, exp.Alias) else projection
        if isinstance(node, exp.Anonymous) and node.name.upper() == "APP_GC_CUT" and node.expressions:
            node = node.expressions[0]  # GROUP_CONCAT cut to @@group_concat_max_len (it cuts bytes too)
        if not isinstance(node, (exp.Concat, exp.GroupConcat)):
            continue
        if scope is None:
            scope = scope_of(tree, div_increment=div_increment)
        texpr = infer(node, scope, div_increment)
        if texpr is not None and (not isinstance(texpr, SQLType) or texpr.kind in _BINARY_KINDS):
            found.append((node, texpr))
    return found


def cast_binary_results(found: list[tuple[exp.Expr, TypeExpr]]) -> tuple[TextMark, ...]:
    """The projected CONCAT and GROUP_CONCAT of binary strings as BLOBs.

    SQLite's `||` and group_concat() make text of their BLOB arguments, whose bytes (0x00FF) need not
    be UTF-8, so reading the row would fail; MariaDB sends such a result as a binary string. The
    result is cast to BLOB; when its type depends on the tables, as `CAST(x AS __APP_BIN_<k>__)`,
    resolved when the statement runs (`text_sql`) to BLOB or to TEXT (which changes nothing). Only
    what the client reads is cast (a comparison keeps text against text), and after the projections'
    types are derived."""
    marks: list[TextMark] = []
    for node, texpr in found:
        if isinstance(texpr, SQLType):
            node.replace(exp.Cast(this=node.copy(), to=exp.DataType.build("BLOB")))
            continue
        k = f"b{len(marks)}"
        marks.append((k, texpr))
        node.replace(exp.Cast(this=node.copy(), to=exp.DataType.build(f"__APP_BIN_{k[1:]}__", udt=True)))
    return tuple(marks)


def _mark_date_column(arg: exp.Expr, found: list[TextMark], scopes: dict[int, Scope], div_increment: int) -> None:
    """A column read as a TIME: a DATE column's '2024-02-29' is midnight, not the digits of a time
    (which the same text as a string is), so it is wrapped in `__APP_DATE_<n>__(col)`, resolved when
    the statement runs (`text_sql`)."""
    scope = enclosing_scope(arg, scopes, div_increment) if isinstance(arg, exp.Column) else None
    if scope is None:
        return
    texpr = infer(arg, scope, div_increment)
    if isinstance(texpr, SQLType):
        if texpr.kind == "date":
            arg.replace(time_arg(arg.copy()))
    elif texpr is not None:
        k = f"d{len(found)}"
        found.append((k, texpr))
        arg.replace(exp.Anonymous(this=f"{DATE_MARKER}{k[1:]}__", expressions=[arg.copy()]))


def _literal_text(node: exp.Expr) -> str | None:
    """The text of an integer or DECIMAL literal (`-1.50`, not the REAL SQLite reads); None for others."""
    sign = ""
    if isinstance(node, exp.Neg):
        node, sign = node.this, "-"
    if not isinstance(node, exp.Literal) or node.is_string or not node.this.replace(".", "", 1).isdigit():
        return None
    whole, point, frac = node.this.partition(".")
    if not (whole + frac).strip("0"):
        sign = ""  # -0 and -0.0 are written without a sign
    return f"{sign}{whole.lstrip('0') or '0'}{point}{frac}"


def text_sql(sql: str, marks: tuple[TextMark, ...], lookup: TableLookup) -> str:
    """`sql` with its text-column markers resolved against the tables' declared types."""
    for k, texpr in marks:
        if is_number_mark(k):
            sql = resolve_number_mark(sql, k, texpr, lookup)
            continue
        if k.startswith("b"):  # see mark_binary_results
            t = evaluate(texpr, lookup)
            binary = t is not None and t.kind in _BINARY_KINDS
            sql = sql.replace(f"__APP_BIN_{k[1:]}__", "BLOB" if binary else "TEXT")
            continue
        if k.startswith("j"):  # see _mark_json_value
            t = evaluate(texpr, lookup)
            embedded = _json_helper(t) if t is not None else None
            name, scale = embedded if embedded is not None else ("", None)
            sql = sql.replace(f"__APP_JSON_{k[1:]}__(", f"{name}(")
            sql = (sql.replace(f"__APP_SCALE_{k[1:]}__", str(scale)) if scale is not None
                   else sql.replace(f", __APP_SCALE_{k[1:]}__", ""))
            continue
        if k.startswith("d"):  # see _mark_date_column
            t = evaluate(texpr, lookup)
            is_date = t is not None and t.kind == "date"
            sql = sql.replace(f"__APP_DATE_{k[1:]}__(", "APP_TIME_OF_DATE(" if is_date else "(")
            continue
        t = evaluate(texpr, lookup)
        if t is not None and t.kind == "decimal":
            sql = sql.replace(f"__APP_TEXT_{k}__(", "APP_DECIMAL_TEXT(").replace(f"__APP_SCALE_{k}__", str(t.scale))
        elif t is not None and t.kind == "int" and t.unsigned and t.code == MySQLType.LONGLONG:
            # BIGINT UNSIGNED past 2**63 - 1 is stored as its digits in a BLOB: text, not bytes
            sql = sql.replace(f"__APP_TEXT_{k}__(", "APP_UNSIGNED_TEXT(").replace(f", __APP_SCALE_{k}__", "")
        else:
            helper = _text_helper(t) if t is not None else None
            sql = sql.replace(f"__APP_TEXT_{k}__(", f"{helper or ''}(").replace(f", __APP_SCALE_{k}__", "")
    return sql


def _text_helper(t: SQLType) -> str | None:
    """The helper that writes a value of type `t` as MySQL makes it a string, where SQLite's text of
    the stored value differs (None: SQLite's will do). A DECIMAL's is the caller's (it takes the scale)."""
    if t.kind == "double" and not t.scale:
        return "APP_FLOAT_TEXT" if t.code == MySQLType.FLOAT else "APP_DOUBLE_TEXT"  # 1e300, 3.4e38: not 1e+300
    if t.kind == "int" and t.code == MySQLType.YEAR:
        return "APP_YEAR_TEXT"  # 0000
    return None

"""MySQL statements to plans, cached by statement shape and by the session's dialect.

A statement is parsed once per *shape* (see `_lexer.shape_of`): executions of the same shape with
other literals bind them as parameters. Some literals change a statement's meaning rather than
feeding it a value (`ORDER BY 1`, a DATE_FORMAT pattern, an INTERVAL, a projection whose name is
its text); a shape with such a literal is translated by full text instead.

A plan never depends on the schema (what does, like the type of `SUM(price)`, is resolved when the
statement runs); it depends on the session settings in its `Dialect`, so the caches are per
dialect, and on the virtual schemas, so adding one empties them.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from functools import lru_cache
from typing import Any, ClassVar, Final

import sqlglot
from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.parsers.mysql import MySQLParser
from sqlglot.tokenizer_core import TokenType

from ._errors import ER_EMPTY_QUERY, ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError, not_supported, syntax_error
from ._lexer import expand_executable_comments, first_keyword, separate_exponents, shape_and_kinds
from ._plan import (
    DEFAULT_DIALECT,
    DEFAULT_SQL_MODE,
    Dialect,
    NoopPlan,
    Params,
    Plan,
    PlanContext,
    tree_planner,
    word_planners,
)
from ._split import split_statements
from ._sqlmode import Modes, modes_of

# sqlglot logs a warning for every MySQL-only clause it drops; we handle those ourselves.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

# Statements that are shaped (their literals bound as parameters).
SHAPE_KINDS: Final = frozenset({"select", "insert", "update", "delete", "replace", "with"})
# Longer statements (bulk INSERTs) are not remembered by their text: it would hold their data.
_SHAPED_TEXT_MAX: Final = 1024
# Statement texts remembered with their plan and literals, per dialect, as a multiple of the other caches'
# size: a workload's point selects by key repeat per key (sysbench reads 10,000 ids at random), and a
# miss costs the shape scanner; at most 16 MiB of text.
_SHAPED_FACTOR: Final = 4
NOOP: Final = NoopPlan()
_COMMENTS: Final = re.compile(r"/\*.*?\*/|--[ \t][^\n]*|--$|#[^\n]*", re.S | re.M)

# Parents under which a literal is a plain value and can be a bound parameter.
_SAFE_PARENTS: Final = (
    exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
    exp.In, exp.Between, exp.Like, exp.ILike, exp.Tuple, exp.Add, exp.Sub, exp.Mul, exp.Div,
    exp.IntDiv, exp.Mod, exp.Neg, exp.Paren, exp.Limit, exp.Offset, exp.Coalesce, exp.And,
    exp.Or, exp.Not, exp.If, exp.Case, exp.Values,
)


_ARITHMETIC: Final = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Neg)


def _placeholders_safe(tree: exp.Expr) -> bool:
    outer_select = tree if isinstance(tree, exp.Select) else None
    for ph in tree.find_all(exp.Placeholder):
        parent = ph.parent
        if not isinstance(parent, _SAFE_PARENTS):
            return False
        if isinstance(parent, exp.Limit) and ph.arg_key not in ("expression", "offset"):
            return False
        if outer_select is not None and isinstance(parent, _ARITHMETIC):
            return False  # a query's arithmetic is typed by its literals (1.10 * x is exact DECIMAL arithmetic)
        # A literal in the outer projection names its column after its own text.
        node: exp.Expr | None = ph
        while node is not None and node.parent is not None:
            if node.parent is outer_select and node.arg_key == "expressions":
                return False
            if isinstance(node.parent, exp.Returning):  # RETURNING names its column after its text too
                return False
            node = node.parent
    return True


def _concat_term(parser: MySQLParser, **options: Any) -> exp.Expr | None:
    """A term, and the terms `||` concatenates to it (PIPES_AS_CONCAT); `options` are sqlglot's (LIMIT passes one)."""
    this = MySQLParser._parse_term(parser, **options)
    while parser._match(TokenType.DPIPE):
        this = parser.expression(exp.DPipe(this=this, expression=MySQLParser._parse_term(parser, **options)))
    return this


TT = TokenType
# MariaDB's synonyms of column types, which sqlglot does not know or reads otherwise (INT8 as TINYINT,
# LONG as BIGINT): as MariaDB's grammar reads them.
_TYPE_SYNONYMS: Final = {
    "INT1": TT.TINYINT, "INT2": TT.SMALLINT, "INT3": TT.MEDIUMINT, "MIDDLEINT": TT.MEDIUMINT, "INT4": TT.INT,
    "INT8": TT.BIGINT, "LONG": TT.MEDIUMTEXT, "LONG VARCHAR": TT.MEDIUMTEXT, "LONG VARCHARACTER": TT.MEDIUMTEXT,
    "LONG CHAR VARYING": TT.MEDIUMTEXT, "LONG CHARACTER VARYING": TT.MEDIUMTEXT, "LONG VARBINARY": TT.MEDIUMBLOB,
    "VARCHARACTER": TT.VARCHAR, "NATIONAL CHAR": TT.NCHAR, "NATIONAL CHARACTER": TT.NCHAR,
    "NATIONAL VARCHAR": TT.NVARCHAR, "NATIONAL VARCHARACTER": TT.NVARCHAR, "NATIONAL CHAR VARYING": TT.NVARCHAR,
    "NATIONAL CHARACTER VARYING": TT.NVARCHAR, "NCHAR VARCHAR": TT.NVARCHAR, "NCHAR VARCHARACTER": TT.NVARCHAR,
    "NCHAR VARYING": TT.NVARCHAR, "CHAR BYTE": TT.BINARY, "SQL_TSI_YEAR": TT.YEAR,
    "CURRENT_ROLE": TT.CURRENT_ROLE,  # CURRENT_ROLE without parentheses is the function, as CURRENT_USER
    "REAL": TT.DOUBLE,  # MariaDB's REAL is DOUBLE (sqlglot reads FLOAT), but in REAL_AS_FLOAT (parsing_dialect)
}


# Functions MariaDB's grammar spells out (sql_yacc's keyword, non-keyword and conflict functions, and the
# aggregates): a wrong number of arguments is a syntax error there, not 1582 as for a native function.
GRAMMAR_FUNCTIONS: Final = frozenset({
    "ADDDATE", "ASCII", "AVG", "BIT_AND", "BIT_OR", "BIT_XOR", "CAST", "CHAR", "CHARSET", "COLLATION", "CONVERT",
    "COUNT", "CURDATE", "CURRENT_USER", "CURTIME", "DATABASE", "DATE", "DATE_ADD", "DATE_SUB", "DAY", "EXTRACT",
    "FORMAT", "GET_FORMAT", "GROUP_CONCAT", "HOUR", "IF", "INSERT", "INTERVAL", "JSON_ARRAYAGG", "JSON_OBJECTAGG",
    "LEFT", "MAX", "MICROSECOND", "MIN", "MINUTE", "MOD", "MONTH", "NOW", "PASSWORD", "POSITION", "QUARTER",
    "REPEAT", "REPLACE", "REVERSE", "RIGHT", "ROW_COUNT", "SECOND", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP",
    "SUBDATE", "SUBSTR", "SUBSTRING", "SUM", "SYSDATE", "TIME", "TIMESTAMP", "TIMESTAMPADD", "TIMESTAMPDIFF",
    "TRIM", "TRUNCATE", "USER", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP", "VALUES", "VARIANCE", "VAR_POP",
    "VAR_SAMP", "WEEK", "WEIGHT_STRING", "YEAR",
})
_MISCOUNTED: Final = re.compile(r"Required keyword: '\w+' missing for <class|The number of provided arguments")
_CALLED: Final = re.compile(r"(\w+)\s*\($")


def _miscounted_call(error: dict[str, Any]) -> str | None:
    """The native function (upper case) whose call sqlglot refused for its number of arguments, or None."""
    if not _MISCOUNTED.match(str(error.get("description") or "")):
        return None
    before = str(error.get("start_context") or "")
    depth = 0
    for i in range(len(before) - 1, -1, -1):  # back to the call's unclosed parenthesis
        depth += {")": 1, "(": -1}.get(before[i], 0)
        if depth < 0:
            m = _CALLED.search(before[: i + 1])
            name = m.group(1).upper() if m else None
            return name if name and name not in GRAMMAR_FUNCTIONS else None
    return None


_UPDATE_IGNORE: Final = re.compile(r"(?is)^\s*update\s+(?:low_priority\s+)?ignore\s+")
_PERSISTENT: Final = re.compile(r"(?i)\)\s*PERSISTENT\b")
_INTERVAL_UNITS: Final = frozenset({
    "MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "SECOND_MICROSECOND",
    "MINUTE_MICROSECOND", "MINUTE_SECOND", "HOUR_MICROSECOND", "HOUR_SECOND", "HOUR_MINUTE", "DAY_MICROSECOND",
    "DAY_SECOND", "DAY_MINUTE", "DAY_HOUR", "YEAR_MONTH",
})


def _check_calls(tree: exp.Expr) -> None:
    """Calls sqlglot accepts that MariaDB's grammar refuses: IF(a, b), COUNT(), INTERVAL 1 FORTNIGHT, j->'$.a'."""
    for unit_of in tree.find_all(exp.DateAdd, exp.DateSub, exp.Interval):
        unit = unit_of.args.get("unit")
        if isinstance(unit, exp.Var) and unit.name.upper() not in _INTERVAL_UNITS:
            raise syntax_error(unit.name + ")")
    for arrow in tree.find_all(exp.JSONExtract, exp.JSONExtractScalar):
        if "only_json_types" in arrow.args:  # MySQL's x->'$.a' and x->>'$.a', which MariaDB does not have
            raise syntax_error(">" + arrow.expression.sql(dialect="mysql"))
    for node in tree.find_all(exp.If, exp.Count):
        if isinstance(node, exp.If) and node.args.get("false") is None and not isinstance(node.parent, exp.Case):
            raise syntax_error(")")
        if isinstance(node, exp.Count) and node.this is None:
            raise syntax_error(")")


def _chr(parser: MySQLParser) -> exp.Expr:
    """CHR(n): a call of its own (`_functions._string`; sqlglot reads it as CHAR, whose result is a binary
    string, and which skips NULLs)."""
    node = parser._parse_char()
    return exp.Anonymous(this="CHR", expressions=list(node.expressions))


class AppMySQL(MySQL):
    """sqlglot's MySQL dialect, reading MariaDB's type synonyms as MariaDB does."""

    class Tokenizer(MySQL.Tokenizer):
        KEYWORDS: ClassVar[dict[str, TokenType]] = {**MySQL.Tokenizer.KEYWORDS, **_TYPE_SYNONYMS}

    class Parser(MySQLParser):
        FUNCTION_PARSERS: ClassVar[dict[str, Any]] = {**MySQLParser.FUNCTION_PARSERS, "CHR": _chr}
        FUNC_TOKENS: ClassVar[set[TokenType]] = {*MySQLParser.FUNC_TOKENS, TT.CURRENT_ROLE}  # CURRENT_ROLE()

        def _parse_group_concat(self) -> exp.Expr | None:
            """GROUP_CONCAT(... [SEPARATOR s] [LIMIT [offset,] n | LIMIT n OFFSET m]): sqlglot reads LIMIT
            only before SEPARATOR and without OFFSET."""
            node = super()._parse_group_concat()
            if not isinstance(node, exp.GroupConcat):
                return node
            if not isinstance(node.this, exp.Limit) and self._match(TokenType.LIMIT):
                limited = self._parse_limit(node.this, skip_limit_token=True)
                node.set("this", limited)
            if isinstance(node.this, exp.Limit) and node.this.args.get("offset") is None and self._match(
                    TokenType.OFFSET):
                node.this.set("offset", self._parse_term())
            return node


@lru_cache(maxsize=16)
def parsing_dialect(modes: Modes) -> type[MySQL]:
    """sqlglot's MySQL dialect as the sql_mode reads text: ANSI_QUOTES makes "x" a name,
    NO_BACKSLASH_ESCAPES keeps backslashes in strings, PIPES_AS_CONCAT makes || concatenate."""
    if not (modes.ansi_quotes or modes.no_backslash_escapes or modes.pipes_as_concat or modes.real_as_float):
        return AppMySQL
    tokenizer: dict[str, Any] = {}
    if modes.real_as_float:
        tokenizer["KEYWORDS"] = {**AppMySQL.Tokenizer.KEYWORDS, "REAL": TokenType.FLOAT}
    if modes.ansi_quotes:
        tokenizer.update(QUOTES=["'"], IDENTIFIERS=["`", '"'])
    if modes.no_backslash_escapes:
        tokenizer["STRING_ESCAPES"] = ["'"] if modes.ansi_quotes else ["'", '"']
    attrs: dict[str, Any] = {"Tokenizer": type("Tokenizer", (AppMySQL.Tokenizer,), tokenizer)}
    if modes.pipes_as_concat:
        attrs["DPIPE_IS_STRING_CONCAT"] = True
        disjunction = {k: v for k, v in MySQLParser.DISJUNCTION.items() if k != TokenType.DPIPE}
        attrs["Parser"] = type("Parser", (AppMySQL.Parser,), {"DISJUNCTION": disjunction, "_parse_term": _concat_term})
    name = "".join(n for n, on in zip(("Ansi", "NoEsc", "Pipes", "RealFloat"),
                                      (modes.ansi_quotes, modes.no_backslash_escapes, modes.pipes_as_concat,
                                       modes.real_as_float), strict=True) if on)
    return type(f"AppMySQL{name}", (AppMySQL,), attrs)


# A representative literal of each kind of number: the type a comparison with it takes (`_exprtypes`).
_NUMBER_LITERALS: Final = {"i": "1", "d": "1.0", "f": "1e0"}
_COMPARED: Final = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ, exp.In,
                    exp.Between)


def _mark_compared_numbers(tree: exp.Expr, kinds: str) -> None:
    """Tell the type deriver which compared placeholders stand for number literals (`meta["literal"]`), so
    that a string operand compared with one is compared as a number, as MySQL compares `v = 12`; and which
    operands of arithmetic (an INSERT's or UPDATE's: a query's is not shaped), so that `u - 1` of a BIGINT
    UNSIGNED and `price * 1.1` of a DECIMAL are computed as MariaDB computes them (`_decimals`)."""
    for ph in tree.find_all(exp.Placeholder):
        name = ph.name
        if name[:1] == "p" and name[1:].isdigit() and isinstance(ph.parent, _ARITHMETIC):
            literal = _NUMBER_LITERALS.get(kinds[int(name[1:]) - 1:int(name[1:])])
            if literal is not None:
                ph.meta["literal"] = literal
        elif name[:1] == "p" and name[1:].isdigit() and isinstance(ph.parent, _COMPARED):
            kind = kinds[int(name[1:]) - 1:int(name[1:])]
            literal = _NUMBER_LITERALS.get(kind)
            if literal is not None:
                ph.meta["literal"] = literal
            elif kind == "s":  # a string compared with a DATE is read as a date (`_coercion._date_side`)
                ph.meta["string"] = True


class _Caches:
    """The plans of one planning context."""

    __slots__ = ("by_shape", "by_text", "context", "shaped")

    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.by_text: OrderedDict[str, Plan] = OrderedDict()
        self.by_shape: OrderedDict[str, Plan | None] = OrderedDict()
        # Statements seen before, by their text: their plan and literals without the scanner.
        self.shaped: OrderedDict[str, tuple[Plan, tuple[Any, ...]]] = OrderedDict()


def parse_statement(sql: str, sql_mode: str = DEFAULT_SQL_MODE) -> exp.Expr:
    """The tree of one statement as the translator reads it (a statement planned again from its text:
    DML through a view, whose target is known only when it runs)."""
    return Translator()._parse(sql, first_keyword(sql), sql_mode)


class Translator:
    """Translates MySQL statements to plans, caching by shape and by full text, per dialect."""

    def __init__(self, max_entries: int = 4096) -> None:
        self._max = max_entries
        self._caches: dict[Dialect, _Caches] = {}
        self._last: tuple[Dialect, _Caches] | None = None  # the caches last used, found by identity
        self._virtual: frozenset[str] = frozenset()
        self.parses = 0  # how many statements went through sqlglot (for tests and benchmarks)

    def add_virtual_schema(self, name: str) -> None:
        """Route queries on schema `name` to its virtual tables (plans made before no longer apply)."""
        self._virtual = self._virtual | {name.lower()}
        self._caches = {}
        self._last = None

    def plan(self, sql: str, dialect: Dialect = DEFAULT_DIALECT) -> tuple[Plan, Params]:
        """The plan for `sql` and the parameters its shape cut out (None: none were)."""
        expanded = expand_executable_comments(sql)
        if expanded is None:
            return NOOP, None
        sql = expanded
        last = self._last
        if last is not None and last[0] is dialect:
            caches = last[1]
        else:
            found = self._caches.get(dialect)
            if found is None:
                found = self._caches[dialect] = _Caches(PlanContext(dialect, self._virtual))
            caches = found
            self._last = (dialect, caches)
        plan = caches.by_text.get(sql)
        if plan is not None:
            return plan, None
        seen = caches.shaped.get(sql)
        if seen is not None:  # the same text again (a point select by the same key, a health check)
            return seen[0], list(seen[1])
        kind = first_keyword(sql)
        modes = modes_of(dialect.sql_mode)
        # The shape scanner reads quotes and backslashes as the default sql_mode has them.
        if kind in SHAPE_KINDS and not (modes.ansi_quotes or modes.no_backslash_escapes):
            shape, params, kinds = shape_and_kinds(sql)
            if params:
                key = f"{shape}\0{kinds}"  # `v = 12` and `v = '12'` compare differently on a string column
                if key in caches.by_shape:
                    plan_or_none = caches.by_shape[key]
                else:
                    plan_or_none = self._try_shape(shape, kinds, kind, caches.context)
                    self._remember(caches.by_shape, key, plan_or_none)
                if plan_or_none is not None:
                    if len(sql) <= _SHAPED_TEXT_MAX:
                        shaped = caches.shaped
                        shaped[sql] = (plan_or_none, tuple(params))
                        if len(shaped) > self._max * _SHAPED_FACTOR:
                            shaped.popitem(last=False)
                    return plan_or_none, params
        plan = self._translate(sql, kind, caches.context)
        self._remember(caches.by_text, sql, plan)
        return plan, None

    def _remember(self, cache: OrderedDict[str, Any], key: str, value: Any) -> None:
        cache[key] = value
        if len(cache) > self._max:
            cache.popitem(last=False)

    def _try_shape(self, shape: str, kinds: str, kind: str, context: PlanContext) -> Plan | None:
        try:
            tree = self._parse(shape, kind, context.dialect.sql_mode)
        except SQLError:
            return None  # the full text will report the error in its own words
        if not _placeholders_safe(tree):
            return None
        _mark_compared_numbers(tree, kinds)
        group = tree.args.get("group")
        if isinstance(group, exp.Group) and group.args.get("rollup"):
            return None  # WITH ROLLUP: planned by its words (`_statements.rollup`), from the full text
        return self._plan_tree(tree, shape, context)

    def _translate(self, sql: str, kind: str, context: PlanContext) -> Plan:
        if not sql.strip() or not kind:
            if not sql.strip(" \t\r\n;"):
                raise SQLError(ER_EMPTY_QUERY, "Query was empty", "42000")
            if not _COMMENTS.sub("", sql).strip(" \t\r\n;"):
                return NOOP  # only comments: MariaDB answers OK
            raise syntax_error(sql)
        for planner in word_planners(kind):  # (a shaped kind's planners see only what its shape could not parse)
            by_words = planner(sql, context)
            if by_words is not None:
                return by_words
        return self._plan_tree(self._parse(sql, kind, context.dialect.sql_mode), sql, context)

    def _plan_tree(self, tree: exp.Expr, sql: str, context: PlanContext) -> Plan:
        planner = tree_planner(type(tree))
        if planner is None:
            if isinstance(tree, exp.Command):
                raise not_supported(" ".join(sql.split())[:60])
            raise not_supported(type(tree).__name__.upper())
        return planner(tree, sql, context)

    def _parse(self, sql: str, kind: str, sql_mode: str = DEFAULT_SQL_MODE) -> exp.Expr:
        text = separate_exponents(sql)
        replace = kind == "replace"
        if replace:
            text = re.sub(r"(?is)^\s*replace", "INSERT", text, count=1)
        if kind in ("create", "alter") and "persistent" in text.lower():
            # MariaDB's PERSISTENT generated column is STORED (which sqlglot parses); after the expression's ")"
            text = _PERSISTENT.sub(") STORED", text)
        ignore = kind == "update" and _UPDATE_IGNORE.match(text) is not None
        if ignore:  # UPDATE IGNORE, which sqlglot does not parse
            text = _UPDATE_IGNORE.sub("UPDATE ", text, count=1)
        self.parses += 1
        try:
            trees = [t for t in sqlglot.parse(text, read=parsing_dialect(modes_of(sql_mode))) if t is not None]
        except ParseError as e:
            errs = e.errors[0] if e.errors else {}
            near = str(errs.get("highlight") or "") + str(errs.get("end_context") or "")
            called = _miscounted_call(errs)
            if called is not None:
                raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT,
                               f"Incorrect parameter count in the call to native function '{called}'") from None
            raise syntax_error(near or sql, str(errs.get("description") or "")) from None
        except SqlglotError as e:
            raise syntax_error(sql, str(e)) from None
        if not trees:
            raise SQLError(ER_EMPTY_QUERY, "Query was empty")
        if len(trees) > 1:  # without CLIENT_MULTI_STATEMENTS (the server cuts the query when a client sets it)
            spans = split_statements(sql, backslash_escapes=not modes_of(sql_mode).no_backslash_escapes)
            raise syntax_error(sql[spans[1][0]:] if len(spans) > 1 else sql)
        tree = trees[0]
        _check_calls(tree)
        if ignore and isinstance(tree, exp.Update):
            tree.set("ignore", True)
        if replace and isinstance(tree, exp.Insert):
            tree.set("alternative", "REPLACE")
        for node in list(tree.find_all(exp.DPipe, exp.BitString, exp.Interval)):
            if isinstance(node, exp.Interval):  # INTERVAL(n, n1, n2, ...), the function (`_functions._misc`)
                if isinstance(node.this, exp.Tuple) and node.args.get("unit") is None:
                    node.replace(exp.Anonymous(this="INTERVAL", expressions=list(node.this.expressions)))
            elif isinstance(node, exp.DPipe):  # PIPES_AS_CONCAT: a || b is CONCAT(a, b)
                node.replace(exp.Concat(expressions=[node.this, node.expression]))
            elif not node.this:  # b'' is the empty binary string (SQLite's text of a bit literal is its number)
                node.replace(exp.HexString(this="", is_integer=False))
            elif isinstance(tree, exp.Query) and set(node.this) <= {"0", "1"}:
                # in a query, b'1000001' is the binary string of its bytes ('A'), as X'41' is (a number
                # where one is wanted); DDL and DML keep SQLite's number, which BIT columns store
                width = (len(node.this) + 7) // 8 * 2
                node.replace(exp.HexString(this=format(int(node.this, 2), "x").zfill(width), is_integer=False))
        return tree

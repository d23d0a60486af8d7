"""MySQL statements to SQLite plans, cached by statement shape.

Parsing with sqlglot costs hundreds of microseconds, far more than running a
point query on SQLite, so a statement is parsed once per *shape*: its literals
are cut out by a regular-expression scanner, replaced by named placeholders,
and the translation is cached under the resulting text. Executions of the same
shape with other values bind the literals as parameters.

Some literals change a statement's meaning rather than feeding it a value
(`ORDER BY 1`, a DATE_FORMAT pattern, an INTERVAL, a projection whose name is
its text); a shape with such a literal is translated by full text instead.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError

from . import _exprtypes as exprtypes
from ._errors import SQLError, not_supported, syntax_error
from ._types import Column

Hint = Column | exprtypes.Deferred | None

# sqlglot logs a warning for every MySQL-only clause it drops; we handle those ourselves.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

_SCAN: Final = re.compile(
    r"""
    (?P<h>0x[0-9A-Fa-f]+\b|[xXbB]'[0-9A-Fa-f]*')
  | (?P<s>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
  | (?P<q>`(?:[^`]|``)*`)
  | (?P<c>/\*.*?\*/|--[ \t][^\n]*|\#[^\n]*)
  | (?P<v>@@?[\w.$]+|@`[^`]*`)
  | (?P<w>[A-Za-z_$][\w$]*)
  | (?P<n>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)
    """,
    re.X | re.S,
)
_ESCAPES: Final = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_UNESCAPE: Final = re.compile(r"\\(.)|''|\"\"", re.S)
_FIRST_WORD: Final = re.compile(r"\s*(?:/\*.*?\*/\s*)*\(?\s*([A-Za-z]+)", re.S)
_INT64_MAX: Final = 2**63 - 1

SHAPE_KINDS: Final = frozenset({"select", "insert", "update", "delete", "replace", "with"})
# Longer statements (bulk INSERTs) are not remembered by their text: it would hold their data.
_SHAPED_TEXT_MAX: Final = 1024


def unescape_string(body: str) -> str:
    """The value of a MySQL string literal's body (between the quotes)."""

    def repl(m: re.Match[str]) -> str:
        ch = m.group(1)
        if ch is None:
            return m.group()[0]
        if ch in "%_":  # MySQL keeps these escapes for LIKE patterns
            return "\\" + ch
        return _ESCAPES.get(ch, ch)

    return _UNESCAPE.sub(repl, body)


def first_keyword(sql: str) -> str:
    m = _FIRST_WORD.match(sql)
    return m.group(1).lower() if m else ""


def shape_of(sql: str) -> tuple[str, list[Any]]:
    """Cut the literals out of `sql`: (text with :pN placeholders, their values)."""
    params: list[Any] = []
    out: list[str] = []
    pos = 0
    for m in _SCAN.finditer(sql):
        kind = m.lastgroup
        if kind == "s":
            start = m.start()
            # A charset introducer or N'..' glued to the literal: keep it as text.
            if start and (sql[start - 1].isalnum() or sql[start - 1] == "_"):
                continue
            value: Any = unescape_string(m.group()[1:-1])
        elif kind == "n":
            text = m.group()
            if "." in text or "e" in text or "E" in text:
                # Exact decimals stay exact as text; SQLite's affinity converts on store.
                value = float(text) if ("e" in text or "E" in text) else text
                if isinstance(value, str):
                    value = float(value) if len(value) < 16 else value
            else:
                value = int(text)
                if value > _INT64_MAX:
                    continue
        else:
            continue
        out.append(sql[pos : m.start()])
        params.append(value)
        out.append(f":p{len(params)}")
        pos = m.end()
    if not params:
        return sql, params
    out.append(sql[pos:])
    return "".join(out), params


@dataclass(frozen=True, slots=True)
class Plan:
    """How to run one MySQL statement.

    kind: "query" (returns rows), "dml" (changes rows), "ddl" (changes schema, runs alone),
    or the name of a statement the session handles itself ("use", "set", "begin", ...).
    """

    kind: str
    sql: str = ""
    extra: tuple[str, ...] = ()
    primary: str | None = None
    attach: tuple[str, ...] = ()
    has_tables: bool = False
    write_db: str | None = None
    names: tuple[str | None, ...] = ()
    # Result column types where SQLite reports none: a Column, or an exprtypes.Deferred resolved
    # against the schema when the statement runs; None to type a column by its values.
    hints: tuple[Hint, ...] = ()
    var_params: tuple[tuple[str, str], ...] = ()
    insert_table: str | None = None
    insert_columns: tuple[str, ...] | None = None
    positional: bool = True
    locking_read: bool = False
    infoschema: bool = False
    node: exp.Expression | None = None
    ddl_table: str | None = None
    ddl_if: bool = False
    fields: dict[str, Any] = field(default_factory=dict)
    # (database, table) of each table reference qualified with a database: an unknown database
    # there is MySQL's 1146 for the table, not 1049.
    qualified: tuple[tuple[str, str], ...] = ()


# Parents under which a literal is a plain value and can be a bound parameter.
_SAFE_PARENTS: Final = (
    exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
    exp.In, exp.Between, exp.Like, exp.ILike, exp.Tuple, exp.Add, exp.Sub, exp.Mul, exp.Div,
    exp.IntDiv, exp.Mod, exp.Neg, exp.Paren, exp.Limit, exp.Offset, exp.Coalesce, exp.And,
    exp.Or, exp.Not, exp.If, exp.Case, exp.Values,
)


def _placeholders_safe(tree: exp.Expression) -> bool:
    outer_select = tree if isinstance(tree, exp.Select) else None
    for ph in tree.find_all(exp.Placeholder):
        parent = ph.parent
        if not isinstance(parent, _SAFE_PARENTS):
            return False
        if isinstance(parent, exp.Limit) and ph.arg_key not in ("expression", "offset"):
            return False
        # A literal in the outer projection names its column after its own text.
        node: exp.Expression | None = ph
        while node is not None and node.parent is not None:
            if node.parent is outer_select and node.arg_key == "expressions":
                return False
            node = node.parent
    return True


class Translator:
    """Translates MySQL statements to plans, caching by shape and by full text."""

    def __init__(self, max_entries: int = 4096) -> None:
        self._by_text: OrderedDict[str, Plan] = OrderedDict()
        self._by_shape: OrderedDict[str, Plan | None] = OrderedDict()
        # Statements seen before, by their text: their plan and literals without the scanner.
        self._shaped: OrderedDict[str, tuple[Plan, tuple[Any, ...]]] = OrderedDict()
        self._max = max_entries
        self.parses = 0  # how many statements went through sqlglot (for tests and benchmarks)
        # Schemas whose tables are materialised per query (Engine.add_virtual_table).
        self.virtual_schemas: set[str] = set()

    def plan(self, sql: str) -> tuple[Plan, list[Any] | None]:
        """The plan for `sql` and the parameters its shape cut out (None: none were)."""
        plan = self._by_text.get(sql)
        if plan is not None:
            return plan, None
        seen = self._shaped.get(sql)
        if seen is not None:  # the same text again (a point select by the same key, a health check)
            return seen[0], list(seen[1])
        kind = first_keyword(sql)
        if kind in SHAPE_KINDS:
            shape, params = shape_of(sql)
            if params:
                if shape in self._by_shape:
                    plan_or_none = self._by_shape[shape]
                else:
                    plan_or_none = self._try_shape(shape, kind)
                    self._remember(self._by_shape, shape, plan_or_none)
                if plan_or_none is not None:
                    if len(sql) <= _SHAPED_TEXT_MAX:
                        self._remember(self._shaped, sql, (plan_or_none, tuple(params)))
                    return plan_or_none, params
        plan = self._translate(sql, kind)
        self._remember(self._by_text, sql, plan)
        return plan, None

    def _remember(self, cache: OrderedDict[str, Any], key: str, value: Any) -> None:
        cache[key] = value
        if len(cache) > self._max:
            cache.popitem(last=False)

    def _try_shape(self, shape: str, kind: str) -> Plan | None:
        try:
            tree = self._parse(shape, kind)
        except SQLError:
            return None  # the full text will report the error in its own words
        if not _placeholders_safe(tree):
            return None
        return self._plan_tree(tree, shape)

    def _translate(self, sql: str, kind: str) -> Plan:
        if not sql.strip() or not kind:
            if not sql.strip() or sql.strip().startswith(("#", "--", "/*")):
                return Plan("empty")
            raise syntax_error(sql)
        if kind not in SHAPE_KINDS:
            from . import _statements

            by_words = _statements.plan_by_words(sql, kind)
            if by_words is not None:
                return by_words
        tree = self._parse(sql, kind)
        return self._plan_tree(tree, sql)

    def _parse(self, sql: str, kind: str) -> exp.Expression:
        text = sql
        replace = kind == "replace"
        if replace:
            text = re.sub(r"(?is)^\s*replace", "INSERT", sql, count=1)
        self.parses += 1
        try:
            trees = [t for t in sqlglot.parse(text, read="mysql") if t is not None]
        except ParseError as e:
            errs = e.errors[0] if e.errors else {}
            near = str(errs.get("highlight") or "") + str(errs.get("end_context") or "")
            raise syntax_error(near or sql, str(errs.get("description") or "")) from None
        except SqlglotError as e:
            raise syntax_error(sql, str(e)) from None
        if not trees:
            raise SQLError(1065, "Query was empty")
        if len(trees) > 1:
            raise not_supported("multiple statements in one query")
        tree = trees[0]
        if replace and isinstance(tree, exp.Insert):
            tree.set("alternative", "REPLACE")
        return tree

    # -- planning ----------------------------------------------------------------------------

    def _plan_tree(self, tree: exp.Expression, sql: str) -> Plan:
        if isinstance(tree, exp.Query):
            return self._plan_query(tree, sql)
        if isinstance(tree, (exp.Insert, exp.Update, exp.Delete)):
            return self._plan_dml(tree)
        from . import _statements

        return _statements.plan_statement(tree, sql)

    def _plan_query(self, tree: exp.Query, sql: str) -> Plan:
        var_params = _bind_variables(tree)
        _rewrite_functions(tree)
        _mysql_comparisons(tree)
        qualified = _qualified_tables(tree)
        text_columns = _mark_text_columns(tree)
        branches = _union_branches(tree)
        # The tables each branch reads, with their databases (before routing strips qualifiers).
        scopes = [exprtypes.scope_of(b) if isinstance(b, exp.Select) else None for b in branches]
        primary, attach, has_tables, infoschema = _route_tables(tree, virtual=self.virtual_schemas)
        first = branches[0]
        names: tuple[str | None, ...] = ()
        hints: tuple[Hint, ...] = ()
        positional = False
        locking = False
        if isinstance(first, exp.Select):
            texts = projection_texts(sql)
            names, hints = _name_projections(first, texts, scopes[0] or {})
            if len(branches) > 1:
                hints = _union_hints(branches, scopes, len(names)) or tuple(None for _ in names)
            positional = None not in names
            locking = bool(first.args.get("locks"))
            if locking:
                first.set("locks", None)
        query_sql = _to_sqlite(tree)
        if text_columns and infoschema:  # materialised per query: no declared types to consult
            query_sql, text_columns = text_sql(query_sql, text_columns, lambda db, table: None), ()
        return Plan(
            "query",
            sql=query_sql,
            primary=primary,
            attach=attach,
            has_tables=has_tables,
            names=names,
            hints=hints,
            positional=positional,
            var_params=var_params,
            locking_read=locking,
            infoschema=infoschema,
            write_db=primary if locking else None,
            qualified=qualified,
            fields={"text_columns": text_columns} if text_columns else {},
        )

    def _plan_dml(self, tree: exp.Insert | exp.Update | exp.Delete) -> Plan:
        var_params = _bind_variables(tree)
        _rewrite_functions(tree)
        _mysql_comparisons(tree)
        target = tree.this
        if isinstance(target, exp.Schema):
            target = target.this
        if not isinstance(target, exp.Table):
            raise not_supported(f"{tree.key} without a single target table")
        if not isinstance(tree, exp.Insert) and (target.args.get("joins") or tree.args.get("tables")):
            target = _single_table_form(tree, target)
        write_db = target.text("db") or None
        qualified = _qualified_tables(tree)
        primary, attach, _, infoschema = _route_tables(tree, prefer=write_db, virtual=self.virtual_schemas)
        if infoschema:
            raise SQLError(1044, f"Access denied for user to database '{primary}'", "42000")
        insert_table = insert_columns = None
        suffix = ""
        fields: dict[str, Any] = {}
        if isinstance(tree, exp.Insert):
            insert_table = target.name
            schema = tree.this
            if isinstance(schema, exp.Schema):
                insert_columns = tuple(c.name.lower() for c in schema.expressions)
            values = tree.expression
            if isinstance(values, exp.Values):
                fields["values"] = tuple(
                    tuple(_cell(v) for v in row.expressions) if isinstance(row, exp.Tuple) else (_cell(row),)
                    for row in values.expressions)
            if tree.args.get("alternative") == "REPLACE":
                fields["replace"] = True
            conflict = tree.args.get("conflict")
            if isinstance(conflict, exp.OnConflict) and conflict.args.get("duplicate"):
                tree.set("conflict", None)
                suffix = _upsert_clause(conflict)
                fields["upsert"] = True
        if isinstance(tree, (exp.Update, exp.Delete)) and (tree.args.get("limit") or tree.args.get("order")):
            _limit_by_rowid(tree, target)
        sql = _to_sqlite(tree) + suffix
        if isinstance(tree, exp.Update):
            fields["set"] = {eq.this.name.lower(): _cell(eq.expression) for eq in tree.expressions
                             if isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column)}
            if not tree.args.get("limit") and not tree.args.get("order"):
                # MySQL reports the rows an UPDATE changed, not the rows it matched (unless the
                # client asks for matched rows with CLIENT_FOUND_ROWS): rows that would keep their
                # values are left out, and the statement as written counts matched rows.
                fields["matched_sql"] = sql
                sql = _to_sqlite(_only_changing_rows(tree))
        return Plan(
            "dml",
            sql=sql,
            primary=primary,
            attach=attach,
            has_tables=True,
            write_db=write_db,
            var_params=var_params,
            insert_table=insert_table,
            insert_columns=insert_columns,
            qualified=qualified,
            fields=fields,
        )


def _single_table_form(tree: exp.Update | exp.Delete, target: exp.Table) -> exp.Table:
    """MySQL's multi-table UPDATE / DELETE of one table, in SQLite's terms (returns the target).

    `UPDATE t JOIN u ON c SET t.x = u.y WHERE w` is `UPDATE t SET x = u.y FROM u WHERE c AND w`;
    `DELETE t FROM t JOIN u ON c WHERE w` deletes the rowids that `SELECT t.rowid FROM t JOIN u ON c
    WHERE w` finds. Changing several tables in one statement, and outer joins, are not supported.
    """
    joins = list(target.args.get("joins") or [])
    name = target.alias_or_name.lower()
    if isinstance(tree, exp.Delete):
        deleted = tree.args.get("tables") or []
        if len(deleted) != 1 or deleted[0].name.lower() != name:
            raise not_supported("DELETE from several tables, or from a joined one")
        rows = exp.select(exp.column("rowid", table=target.alias_or_name)).from_(target.copy())
        if tree.args.get("where") is not None:
            rows.set("where", tree.args["where"])
        plain = exp.Table(this=target.this.copy(), db=target.args.get("db"))
        tree.set("tables", None)
        tree.set("this", plain)
        tree.set("where", exp.Where(this=exp.In(this=exp.column("rowid"), query=exp.Subquery(this=rows))))
        return plain
    if any(j.args.get("side") or (j.args.get("kind") or "").upper() not in ("", "INNER", "CROSS") for j in joins):
        raise not_supported("UPDATE with an outer join")
    for eq in tree.expressions:
        column = eq.this
        if isinstance(column, exp.Column) and column.table and column.table.lower() != name:
            raise not_supported("UPDATE of several tables")
        if isinstance(column, exp.Column):
            column.set("table", None)
    first, rest = joins[0], joins[1:]
    source = first.this
    if rest:
        source.set("joins", rest)
    conditions = [first.args["on"]] if first.args.get("on") is not None else []
    if tree.args.get("where") is not None:
        conditions.append(tree.args["where"].this)
    target.set("joins", None)
    tree.set("from_", exp.From(this=source))
    if conditions:
        tree.set("where", exp.Where(this=exp.and_(*[exp.Paren(this=c) for c in conditions])))
    return target


def _limit_by_rowid(tree: exp.Update | exp.Delete, target: exp.Table) -> None:
    """UPDATE / DELETE ... ORDER BY ... LIMIT n, which this SQLite build does not parse, as
    `WHERE rowid IN (SELECT rowid FROM t WHERE ... ORDER BY ... LIMIT n)`: the same rows."""
    rows = exp.select(exp.column("rowid")).from_(target.copy())
    where = tree.args.get("where")
    if where is not None:
        rows.set("where", where)
    for key in ("order", "limit"):
        if tree.args.get(key) is not None:
            rows.set(key, tree.args[key])
            tree.set(key, None)
    tree.set("where", exp.Where(this=exp.In(this=exp.column("rowid"), query=exp.Subquery(this=rows))))


def _cell(node: exp.Expression) -> tuple[str, Any] | None:
    """What a VALUES cell or SET value is, when it is simple: ("p", index of the shape's parameter)
    or ("v", a literal's value); None for an expression."""
    if isinstance(node, exp.Placeholder) and node.name[:1] == "p" and node.name[1:].isdigit():
        return ("p", int(node.name[1:]) - 1)
    if isinstance(node, exp.Null):
        return ("v", None)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return ("v", node.this)
        return ("v", int(node.this) if node.this.lstrip("-").isdigit() else node.this)
    return None


def _unchanged(assignments: list[exp.Expression], table: str | None = None) -> exp.Expr:
    """True when every assignment would store the value the row has (compared byte for byte, as
    MySQL compares a row's old and new images: 'a' -> 'A' is a change)."""
    same = [exp.NullSafeEQ(this=exp.column(eq.this.this.copy(), table=exp.to_identifier(table, quoted=True))
                           if table else eq.this.copy(),
                           expression=exp.Collate(this=exp.Paren(this=eq.expression.copy()), expression=exp.var("BINARY")))
            for eq in assignments if isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column)]
    return exp.and_(*same) if same else exp.true()


def _only_changing_rows(tree: exp.Update) -> exp.Update:
    changed = tree.copy()
    # Qualified: UPDATE ... FROM (a multi-table UPDATE) may join a table with the same columns.
    target = changed.this.alias_or_name if isinstance(changed.this, exp.Table) else None
    condition = exp.not_(exp.Paren(this=_unchanged(changed.expressions, target)))
    where = changed.args.get("where")
    changed.set("where", exp.Where(this=exp.and_(exp.Paren(this=where.this), condition) if where else condition))
    return changed


def _upsert_clause(conflict: exp.OnConflict) -> str:
    """MySQL's ON DUPLICATE KEY UPDATE as SQLite's upsert (VALUES(c) -> excluded.c).

    A row whose values would not change is left alone (SQLite then counts no change for it), and
    APP_UPSERT_UPDATED counts the rows updated, which MySQL reports as two affected rows each.
    """
    assignments = []
    for eq in conflict.expressions:
        for call in list(eq.find_all(exp.Anonymous)):
            if call.name.upper() == "VALUES" and call.expressions:
                call.replace(exp.column(call.expressions[0].name, table="excluded"))
        for col in eq.expression.find_all(exp.Column):
            if col.table and col.table != "excluded":
                col.set("table", None)
        eq.this.set("table", None)
        assignments.append(eq.sql(dialect="sqlite"))
    changed = exp.not_(exp.Paren(this=_unchanged(list(conflict.expressions))))
    return (" ON CONFLICT DO UPDATE SET " + ", ".join(assignments) + " WHERE APP_UPSERT_UPDATED("
            + changed.sql(dialect="sqlite") + ", rowid)")


def _to_sqlite(tree: exp.Expression) -> str:
    try:
        return tree.sql(dialect="sqlite", unsupported_level=sqlglot.ErrorLevel.IGNORE)
    except SqlglotError as e:
        raise not_supported(str(e)) from None


def _bind_variables(tree: exp.Expression) -> tuple[tuple[str, str], ...]:
    """Replace @@system and @user variables with placeholders bound at execution."""
    found: list[tuple[str, str]] = []
    for node in list(tree.find_all(exp.SessionParameter, exp.Parameter)):
        if isinstance(node, exp.SessionParameter):
            kind = node.text("kind").lower()
            ref = f"@@{kind + '.' if kind else ''}{node.name}"
        else:
            inner = node.this
            name = inner.name if isinstance(inner, exp.Expression) else str(inner)
            if isinstance(inner, exp.SessionParameter):
                kind = inner.text("kind").lower()
                ref = f"@@{kind + '.' if kind else ''}{inner.name}"
            else:
                ref = f"@{name}"
        key = f"v{len(found)}"
        found.append((key, ref))
        node.replace(exp.Placeholder(this=key))
    return tuple(found)


_FUNCTION_MAP: Final = {
    "NOW": "APP_NOW",
    "SYSDATE": "APP_NOW",
    "LOCALTIME": "APP_NOW",
    "LOCALTIMESTAMP": "APP_NOW",
    "CURDATE": "APP_CURDATE",
    "CURTIME": "APP_CURTIME",
    "UTC_TIMESTAMP": "APP_UTC_NOW",
    "UNIX_TIMESTAMP": "APP_UNIX_TIMESTAMP",
    "LAST_INSERT_ID": "APP_LAST_INSERT_ID",
    "CONNECTION_ID": "APP_CONNECTION_ID",
    "USER": "APP_USER",
    "SESSION_USER": "APP_USER",
    "SYSTEM_USER": "APP_USER",
    "ROW_COUNT": "APP_ROW_COUNT",
    "FOUND_ROWS": "APP_FOUND_ROWS",
    "UUID": "APP_UUID",
    "RAND": "APP_RAND",
    "SLEEP": "APP_SLEEP",
    "FROM_UNIXTIME": "APP_FROM_UNIXTIME",
}
_CLASS_MAP: Final[dict[type[exp.Expr], str]] = {
    exp.CurrentTimestamp: "APP_NOW",
    exp.Localtime: "APP_NOW",
    exp.CurrentDate: "APP_CURDATE",
    exp.CurrentTime: "APP_CURTIME",
    exp.UtcTimestamp: "APP_UTC_NOW",
    exp.Rand: "APP_RAND",
    exp.Uuid: "APP_UUID",
    exp.CurrentSchema: "APP_DATABASE",
    exp.CurrentVersion: "APP_VERSION",
    exp.CurrentUser: "APP_USER",
    exp.ConcatWs: "APP_CONCAT_WS",
    exp.UnixToTime: "APP_FROM_UNIXTIME",
}


def _rewrite_functions(tree: exp.Expression) -> None:
    """MySQL functions SQLite lacks (or has with other meanings) become our UDFs."""
    # Deepest first: a rewrite takes its (already rewritten) arguments with it.
    for node in reversed(list(tree.find_all(exp.Func, exp.Add, exp.Sub, exp.Mod, exp.Xor))):
        if isinstance(node, (exp.Add, exp.Sub)):
            if isinstance(node.expression, exp.Interval):  # d + INTERVAL n UNIT
                node.replace(_date_add(node.this, node.expression, -1 if isinstance(node, exp.Sub) else 1))
            elif isinstance(node, exp.Add) and isinstance(node.this, exp.Interval):  # INTERVAL n UNIT + d
                node.replace(_date_add(node.expression, node.this, 1))
            continue
        rewrite = _REWRITES.get(type(node))
        if rewrite is not None:
            replacement = rewrite(node)
            if replacement is not None:
                node.replace(replacement)
            continue
        if isinstance(node, exp.Anonymous):
            name = node.name.upper()
            special = _ANONYMOUS_REWRITES.get(name)
            if special is not None:
                replacement = special(list(node.expressions))
                if replacement is not None:
                    node.replace(replacement)
                continue
            target = _FUNCTION_MAP.get(name)
            args = list(node.expressions)
        else:
            target = _CLASS_MAP.get(type(node))
            candidates = [node.args.get("this"), *(node.args.get("expressions") or [])]
            args = [a for a in candidates if isinstance(a, exp.Expression)]
            if isinstance(node, exp.UnixToTime):
                args = [node.this]
        if target is not None:
            node.replace(exp.Anonymous(this=target, expressions=args))


_COMPARISONS: Final = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)
_NUMERIC_KINDS: Final = frozenset({"int", "decimal", "double"})


def _mysql_comparisons(tree: exp.Expr) -> None:
    """Comparisons where neither side is a column compare as MySQL's would.

    A column brings its collation (NOCASE for MySQL's case-insensitive text columns), but SQLite
    compares other text byte for byte: 'a' = 'A', UPPER(x) = 'abc' and CONCAT(a, b) = 'xy' are
    case-insensitive in MySQL, so their left side gets COLLATE NOCASE (which does not touch numbers,
    and costs no index: an expression on both sides could not use one). And MySQL compares a string
    with a number as numbers: the string side is CAST to NUMERIC when the types are known here.
    """
    for node in list(tree.find_all(*_COMPARISONS, exp.In, exp.Between)):
        left = node.this
        others = [node.expression] if isinstance(node, _COMPARISONS) else (
            list(node.expressions) if isinstance(node, exp.In) else [node.args.get("low"), node.args.get("high")])
        if isinstance(node, exp.In) and node.args.get("query") is not None:
            continue
        if _is_column(left) or any(o is None or _is_column(o) for o in others):
            continue
        if isinstance(node, _COMPARISONS):
            left_type, right_type = exprtypes.infer(left, {}), exprtypes.infer(node.expression, {})
            if isinstance(left_type, exprtypes.SQLType) and isinstance(right_type, exprtypes.SQLType):
                kinds = {left_type.kind, right_type.kind}
                if "string" in kinds and kinds & _NUMERIC_KINDS:
                    side = "this" if left_type.kind == "string" else "expression"
                    node.set(side, exp.Cast(this=node.args[side], to=exp.DataType.build("DOUBLE")))
                    continue
        node.set("this", exp.Collate(this=left, expression=exp.var("NOCASE")))


def _is_column(node: exp.Expr) -> bool:
    while isinstance(node, exp.Paren):
        node = node.this
    return isinstance(node, exp.Column) or isinstance(node, exp.Collate) or (
        isinstance(node, exp.Cast) and node.to.is_type(exp.DataType.Type.BLOB, exp.DataType.Type.VARBINARY))


def _udf(name: str, *args: exp.Expr | None) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=[a for a in args if a is not None])


def _unit(node: exp.Expr | None, default: str = "DAY") -> exp.Literal:
    """A date unit (DAY, HOUR_MINUTE, ...) as a string literal for our UDFs."""
    if node is None:
        return exp.Literal.string(default)
    return exp.Literal.string((node.name or default).upper())


def _date_add(value: exp.Expr, interval: exp.Expr, sign: int) -> exp.Expr:
    if isinstance(interval, exp.Interval):
        amount, unit = interval.this, _unit(interval.args.get("unit"))
    else:  # ADDDATE(d, n): days
        amount, unit = interval, exp.Literal.string("DAY")
    return _udf("APP_DATE_ADD", value, amount, unit, exp.Literal.number(sign))


def _date_arg(node: exp.Expr) -> exp.Expr:
    """sqlglot wraps the argument of YEAR(d) and such in DATE(); MySQL does not."""
    inner: exp.Expr = node.this
    if isinstance(inner, exp.TsOrDsToDate) and not inner.args.get("format"):
        unwrapped: exp.Expr = inner.this
        return unwrapped
    if isinstance(inner, exp.Anonymous) and inner.name == "APP_DATE" and len(inner.expressions) == 1:
        only: exp.Expr = inner.expressions[0]
        return only
    return inner


# sqlglot's MySQL dialect turns DATE_FORMAT's MySQL specifiers into strftime ones; token by token
# this is the way back (%M is MySQL's minutes, %B its month name; the rest are the same).
_STRFTIME_TO_MYSQL: Final = {"%B": "%M", "%-m": "%c", "%-d": "%e", "%I": "%h", "%M": "%i", "%S": "%s", "%W": "%u",
                             "%-H": "%k", "%-I": "%l", "%A": "%W", "%G": "%x"}


def _mysql_format(node: exp.Expr | None) -> exp.Expr | None:
    """A DATE_FORMAT / STR_TO_DATE pattern with MySQL's specifiers, as our UDFs take it."""
    if isinstance(node, exp.Literal) and node.is_string:
        text = re.sub(r"%-?.", lambda m: _STRFTIME_TO_MYSQL.get(m.group(), m.group()), node.this)
        return exp.Literal.string(text)
    return node


def _group_concat(node: exp.GroupConcat) -> exp.Expression | None:
    # MySQL's GROUP_CONCAT(DISTINCT x) comes out sorted (it collects the values in a tree).
    inner = node.this
    if isinstance(inner, exp.Distinct) and len(inner.expressions) == 1:
        node.set("this", exp.Order(this=inner, expressions=[exp.Ordered(this=inner.expressions[0].copy())]))
    return None


def _simple(name: str) -> Callable[[exp.Expr], exp.Expr]:
    return lambda n: _udf(name, _date_arg(n))


_REWRITES: Final[dict[type[exp.Expr], Callable[[Any], exp.Expr | None]]] = {
    exp.Year: _simple("APP_YEAR"),
    exp.Month: _simple("APP_MONTH"),
    exp.Day: _simple("APP_DAY"),
    exp.DayOfMonth: _simple("APP_DAY"),
    exp.DayOfWeek: _simple("APP_DAYOFWEEK"),
    exp.DayOfYear: _simple("APP_DAYOFYEAR"),
    exp.WeekOfYear: _simple("APP_WEEKOFYEAR"),
    exp.Quarter: _simple("APP_QUARTER"),
    exp.Hour: _simple("APP_HOUR"),
    exp.Minute: _simple("APP_MINUTE"),
    exp.Second: _simple("APP_SECOND"),
    exp.Dayname: _simple("APP_DAYNAME"),
    exp.Week: lambda n: _udf("APP_WEEK", _date_arg(n), n.args.get("mode")),
    exp.TsOrDsToDate: lambda n: _udf("APP_DATE", n.this),
    exp.Time: lambda n: _udf("APP_TIME", n.this),
    exp.LastDay: lambda n: _udf("APP_LAST_DAY", n.this),
    exp.DateAdd: lambda n: _date_add(n.this, exp.Interval(this=n.expression, unit=n.args.get("unit")), 1),
    exp.DateSub: lambda n: _date_add(n.this, exp.Interval(this=n.expression, unit=n.args.get("unit")), -1),
    exp.TimestampAdd: lambda n: _date_add(n.this, exp.Interval(this=n.expression, unit=n.args.get("unit")), 1),
    exp.DateDiff: lambda n: _udf("APP_DATEDIFF", n.this, n.expression),
    exp.TimestampDiff: lambda n: _udf("APP_TIMESTAMPDIFF", _unit(n.args.get("unit")), n.expression, n.this),
    exp.TimeToStr: lambda n: _udf("APP_DATE_FORMAT", n.this, _mysql_format(n.args.get("format"))),
    exp.StrToTime: lambda n: _udf("APP_STR_TO_DATE", n.this, _mysql_format(n.args.get("format"))),
    exp.StrToDate: lambda n: _udf("APP_STR_TO_DATE", n.this, _mysql_format(n.args.get("format"))),
    exp.Extract: lambda n: _udf("APP_EXTRACT", _unit(n.this), n.expression),
    # LENGTH counts bytes (SQLite's octet_length); CHAR_LENGTH is SQLite's length.
    exp.Length: lambda n: _udf("OCTET_LENGTH", n.this) if n.args.get("binary") else None,
    exp.StrPosition: lambda n: _udf("APP_LOCATE", n.args.get("substr"), n.this, n.args.get("position")),
    exp.Left: lambda n: _udf("APP_LEFT", n.this, n.expression),
    exp.Right: lambda n: _udf("APP_RIGHT", n.this, n.expression),
    exp.Pad: lambda n: _udf("APP_LPAD" if n.args.get("is_left") else "APP_RPAD", n.this, n.expression,
                            n.args.get("fill_pattern")),
    exp.Reverse: lambda n: _udf("APP_REVERSE", n.this),
    exp.Repeat: lambda n: _udf("APP_REPEAT", n.this, n.args.get("times")),
    exp.Space: lambda n: _udf("APP_SPACE", n.this),
    exp.SubstringIndex: lambda n: _udf("APP_SUBSTRING_INDEX", n.this, n.args.get("delimiter"), n.args.get("count")),
    exp.Stuff: lambda n: _udf("APP_INSERT", n.this, n.args.get("start"), n.args.get("length"), n.expression),
    exp.Hex: lambda n: _udf("APP_HEX", n.this),
    exp.MD5: lambda n: _udf("APP_MD5", n.this),
    exp.SHA: lambda n: _udf("APP_SHA1", n.this),
    exp.SHA2: lambda n: _udf("APP_SHA2", n.this, n.args.get("length") or exp.Literal.number(256)),
    exp.NumberToStr: lambda n: _udf("APP_FORMAT", n.this, n.args.get("format")),
    exp.Trunc: lambda n: _udf("APP_TRUNCATE", n.this, n.args.get("decimals") or exp.Literal.number(0)),
    exp.Mod: lambda n: _udf("APP_MOD", n.this, n.expression),
    exp.Elt: lambda n: _udf("APP_ELT", n.this, *n.expressions),
    exp.StddevPop: lambda n: _udf("APP_STDDEV_POP", n.this),
    exp.StddevSamp: lambda n: _udf("APP_STDDEV_SAMP", n.this),
    exp.Stddev: lambda n: _udf("APP_STDDEV_POP", n.this),
    exp.VariancePop: lambda n: _udf("APP_VAR_POP", n.this),
    exp.Variance: lambda n: _udf("APP_VAR_SAMP", n.this),
    exp.BitwiseAndAgg: lambda n: _udf("APP_BIT_AND", n.this),
    exp.BitwiseOrAgg: lambda n: _udf("APP_BIT_OR", n.this),
    exp.BitwiseXorAgg: lambda n: _udf("APP_BIT_XOR", n.this),
    exp.GroupConcat: _group_concat,
    exp.RegexpReplace: lambda n: _udf("APP_REGEXP_REPLACE", n.this, n.expression, n.args.get("replacement")),
    exp.RegexpSubstr: lambda n: _udf("APP_REGEXP_SUBSTR", n.this, n.expression),
    exp.RegexpInstr: lambda n: _udf("APP_REGEXP_INSTR", n.this, n.expression),
    # a XOR b: NULL when either is NULL, else whether exactly one is true.
    exp.Xor: lambda n: exp.NEQ(this=exp.Paren(this=exp.NEQ(this=n.this, expression=exp.Literal.number(0))),
                               expression=exp.Paren(this=exp.NEQ(this=n.expression, expression=exp.Literal.number(0)))),
}


def _anonymous(name: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: _udf(name, *args)


_ANONYMOUS_REWRITES: Final[dict[str, Callable[[list[exp.Expr]], exp.Expr | None]]] = {
    "ADDDATE": lambda a: _date_add(a[0], a[1], 1) if len(a) == 2 else None,
    "SUBDATE": lambda a: _date_add(a[0], a[1], -1) if len(a) == 2 else None,
    "WEEKDAY": _anonymous("APP_WEEKDAY"),
    "YEARWEEK": _anonymous("APP_YEARWEEK"),
    "MONTHNAME": _anonymous("APP_MONTHNAME"),
    "MICROSECOND": _anonymous("APP_MICROSECOND"),
    "MID": _anonymous("SUBSTR"),
    "FIELD": _anonymous("APP_FIELD"),
    "FIND_IN_SET": _anonymous("APP_FIND_IN_SET"),
    "STRCMP": _anonymous("APP_STRCMP"),
    "TIME_TO_SEC": _anonymous("APP_TIME_TO_SEC"),
    "SEC_TO_TIME": _anonymous("APP_SEC_TO_TIME"),
    "TIMEDIFF": _anonymous("APP_TIMEDIFF"),
    "MAKEDATE": _anonymous("APP_MAKEDATE"),
    "CRC32": _anonymous("APP_CRC32"),
    "ORD": _anonymous("UNICODE"),
    "CHARACTER_LENGTH": _anonymous("LENGTH"),
}


def _qualified_tables(tree: exp.Expr) -> tuple[tuple[str, str], ...]:
    return tuple((t.text("db"), t.name) for t in tree.find_all(exp.Table) if t.text("db"))


def _route_tables(tree: exp.Expression, prefer: str | None = None, virtual: frozenset[str] | set[str] = frozenset(),
                  ) -> tuple[str | None, tuple[str, ...], bool, bool]:
    """Decide which database's connection runs the statement.

    Returns (primary, attach, has_tables, infoschema): primary None means the session's
    current database; qualifiers naming the primary are stripped, other databases are
    attached to its connection under their own names. infoschema is True for a query on
    a schema materialised per query (information_schema, or one in `virtual`), named by
    primary in lower case.
    """
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    tables = [t for t in tree.find_all(exp.Table) if isinstance(t.this, exp.Identifier)]
    tables = [t for t in tables if t.text("db") or t.name.lower() not in ctes]
    if not tables:
        return None, (), False, False
    named = [t.text("db") for t in tables]
    system = {n.lower() for n in named if n.lower() == "information_schema" or n.lower() in virtual}
    if system:
        schema = system.pop()
        if system or any(n.lower() != schema for n in named):
            raise not_supported(f"joining {schema} with other tables")
        for t in tables:
            t.set("db", None)
        return schema, (), True, True
    if prefer:
        primary: str | None = prefer
    elif all(named) and len({n.lower() for n in named}) == 1:
        primary = named[0]
    elif all(named):
        primary = named[0]
    else:
        primary = None
    attach: list[str] = []
    for t in tables:
        db = t.text("db")
        if not db:
            continue
        if primary is not None and db.lower() == primary.lower():
            t.set("db", None)
        elif db not in attach:
            attach.append(db)
    return primary, tuple(attach), True, False


_SELECT_MODIFIERS: Final = frozenset(
    {"distinct", "all", "distinctrow", "sql_calc_found_rows", "sql_no_cache", "sql_cache",
     "high_priority", "straight_join", "sql_small_result", "sql_big_result", "sql_buffer_result"}
)
_END_OF_PROJECTION: Final = frozenset(
    {"from", "where", "group", "having", "order", "limit", "union", "into", "for", "window", "lock",
     "intersect", "except"}
)
_TOKEN: Final = re.compile(
    r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|/\*.*?\*/|[A-Za-z_$][\w$]*|[(),;]|\S""", re.S
)


def projection_texts(sql: str) -> list[str] | None:
    """The source text of each expression in the outermost SELECT list.

    MySQL names an unaliased expression column after the text the client wrote
    (`SELECT COUNT(*)` has a column named `COUNT(*)`), so the names come from here.
    """
    depth = 0
    start: int | None = None
    pieces: list[str] = []
    for m in _TOKEN.finditer(sql):
        tok = m.group()
        low = tok.lower()
        if start is None:
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth -= 1
            elif depth == 0 and low == "select":
                start = m.end()
            continue
        if tok == "(":
            depth += 1
        elif tok == ")":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (tok == "," or tok == ";" or low in _END_OF_PROJECTION):
            pieces.append(sql[start : m.start()])
            start = m.end()
            if tok != ",":
                start = None
                break
        elif depth == 0 and not pieces and low in _SELECT_MODIFIERS and not sql[start : m.start()].strip():
            start = m.end()
    if start is not None:
        pieces.append(sql[start:])
    texts = [p.strip() for p in pieces]
    return texts if texts and all(texts) else None


def _text_contexts(node: exp.Expr) -> list[exp.Expr]:
    """The arguments of `node` that MySQL turns into strings (where a DECIMAL shows its scale)."""
    if isinstance(node, exp.Concat):
        return list(node.expressions)
    if isinstance(node, exp.Anonymous) and node.name == "APP_CONCAT_WS":
        return list(node.expressions[1:])
    if isinstance(node, exp.Anonymous) and node.name in ("APP_LPAD", "APP_RPAD", "APP_LEFT", "APP_RIGHT"):
        return list(node.expressions[:1])
    if isinstance(node, exp.GroupConcat):
        inner = node.this
        if isinstance(inner, exp.Order):
            inner = inner.this
        return list(inner.expressions) if isinstance(inner, exp.Distinct) else [inner]
    if isinstance(node, exp.Cast) and node.to.is_type(*exp.DataType.TEXT_TYPES):
        return [node.this]
    return []


def _mark_text_columns(tree: exp.Expr) -> tuple[tuple[str, exprtypes.TypeExpr], ...]:
    """Columns used as strings, wrapped in a marker call `__APP_TEXT_<k>__(col, __APP_SCALE_<k>__)`.

    SQLite keeps a DECIMAL(10,2) as REAL, so CONCAT('$', price) would say '$5' where MySQL says
    '$5.00'. Which columns are DECIMAL (or DOUBLE: 10, not 10.0) depends on the tables, so each
    marker is resolved when the statement runs (`text_sql`), per schema version.
    """
    found: list[tuple[str, exprtypes.TypeExpr]] = []
    scopes: dict[int, exprtypes.Scope] = {}
    for node in list(tree.find_all(exp.Concat, exp.Anonymous, exp.GroupConcat, exp.Cast)):
        for arg in _text_contexts(node):
            if isinstance(arg, (exp.Literal, exp.Placeholder)) and (arg.is_string if isinstance(arg, exp.Literal) else True):
                continue
            select = arg.find_ancestor(exp.Select)
            if select is None:
                continue
            scope = scopes.get(id(select))
            if scope is None:
                scope = scopes[id(select)] = exprtypes.scope_of(select)
            texpr = exprtypes.infer(arg, scope)
            if texpr is None:
                continue
            if isinstance(texpr, exprtypes.SQLType):  # known now: no marker needed
                if texpr.kind == "decimal":
                    arg.replace(_udf("APP_DECIMAL_TEXT", arg.copy(), exp.Literal.number(texpr.scale)))
                elif texpr.kind == "double" and not texpr.scale:
                    arg.replace(_udf("APP_DOUBLE_TEXT", arg.copy()))
                continue
            k = len(found)
            found.append((str(k), texpr))
            arg.replace(exp.Anonymous(this=f"__APP_TEXT_{k}__", expressions=[arg.copy(), exp.column(f"__APP_SCALE_{k}__")]))
    return tuple(found)


def text_sql(sql: str, marks: tuple[tuple[str, exprtypes.TypeExpr], ...],
             lookup: exprtypes.TableLookup) -> str:
    """`sql` with its text-column markers resolved against the tables' declared types."""
    for k, texpr in marks:
        t = exprtypes.evaluate(texpr, lookup)
        if t is not None and t.kind == "decimal":
            sql = sql.replace(f"__APP_TEXT_{k}__(", "APP_DECIMAL_TEXT(").replace(f"__APP_SCALE_{k}__", str(t.scale))
        elif t is not None and t.kind == "double" and not t.scale:
            sql = sql.replace(f"__APP_TEXT_{k}__(", "APP_DOUBLE_TEXT(").replace(f", __APP_SCALE_{k}__", "")
        else:
            sql = sql.replace(f"__APP_TEXT_{k}__(", "(").replace(f", __APP_SCALE_{k}__", "")
    return sql


def _union_branches(tree: exp.Expr) -> list[exp.Expr]:
    """The SELECTs of a UNION / INTERSECT / EXCEPT, leftmost first (the query itself otherwise)."""
    if isinstance(tree, exp.SetOperation):
        return _union_branches(tree.this) + _union_branches(tree.expression)
    if isinstance(tree, exp.Subquery):
        return _union_branches(tree.this)
    return [tree]


def _union_hints(branches: list[exp.Expr], scopes: list[exprtypes.Scope | None],
                 width: int) -> tuple[Hint, ...] | None:
    """A UNION's column types merge its branches' (SELECT 1 UNION SELECT 'a' is a string column);
    SQLite would report the first branch's declared types, so every column gets a hint."""
    per_branch: list[list[Hint]] = []
    for branch, scope in zip(branches, scopes):
        if not isinstance(branch, exp.Select) or scope is None or len(branch.expressions) != width:
            return None
        if any(isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star))
               for p in branch.expressions):
            return None
        per_branch.append([exprtypes.hint(p, scope) for p in branch.expressions])
    return tuple(exprtypes.merged_hint([b[i] for b in per_branch]) for i in range(width))


def _name_projections(select: exp.Select, texts: list[str] | None,
                      scope: exprtypes.Scope) -> tuple[tuple[str | None, ...], tuple[Hint, ...]]:
    """Column names and type hints for each projection.

    Without a `*` the result columns match the projections by position. With one, each
    unaliased expression gets a marker alias `__cN` so that execution can tell it from
    the columns the star expanded to (user aliases stay: ORDER BY may refer to them).
    """
    projections = select.expressions
    if texts is not None and len(texts) != len(projections):
        texts = None
    has_star = any(
        isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)) for p in projections
    )
    names: list[str | None] = []
    hints: list[Hint] = []
    for i, proj in enumerate(list(projections)):
        inner = proj.this if isinstance(proj, exp.Alias) else proj
        if isinstance(proj, exp.Star) or (isinstance(proj, exp.Column) and isinstance(proj.this, exp.Star)):
            names.append(None)
            hints.append(None)
            continue
        if isinstance(proj, exp.Alias):
            name = proj.alias
        elif isinstance(proj, exp.Column):
            name = proj.name
        elif isinstance(proj, exp.Literal) and proj.is_string:
            name = proj.this  # MySQL names a string literal's column after its value, without quotes
        elif texts is not None:
            name = texts[i]
        else:
            name = proj.sql(dialect="mysql")
        names.append(name)
        hint = None if isinstance(inner, exp.Column) else exprtypes.hint(inner, scope)
        hints.append(hint)
        if has_star and not isinstance(proj, exp.Alias):
            proj.replace(exp.alias_(proj, f"__c{i}", quoted=False))
        elif has_star and hint is not None:
            # A typed expression needs the marker too; what referred to its alias follows it.
            _rename_alias(select, proj.alias, f"__c{i}")
            proj.set("alias", exp.to_identifier(f"__c{i}"))
    return tuple(names), tuple(hints)


def _rename_alias(select: exp.Select, alias: str, marker: str) -> None:
    for key in ("order", "group", "having"):
        clause = select.args.get(key)
        if clause is None:
            continue
        for col in list(clause.find_all(exp.Column)):
            if not col.table and col.name.lower() == alias.lower():
                col.replace(exp.column(marker))

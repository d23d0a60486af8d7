"""DML: INSERT (IGNORE, ... ON DUPLICATE KEY UPDATE), REPLACE, UPDATE, DELETE, multi-table forms.

MySQL counts affected rows its own way: an UPDATE counts the rows it changed (or matched, for
CLIENT_FOUND_ROWS clients), an upsert's update counts twice, a REPLACE counts the rows it deleted;
an AUTO_INCREMENT column given 0 generates a value. The plan says what the statement wrote
(`values`, `assigned`), so that errors can name the duplicate value and the offending row.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Any, Final

import apsw
from sqlglot import exp

from .._catalog import Catalog
from .._connections import Conn, Connections
from .._decimals import DecimalMark, decimal_scopes, exact_decimals
from .._decimals import resolve as resolve_decimals
from .._diagnostics import WARN_DIVISION_BY_ZERO, ignoring, warnings_are_errors
from .._errors import ER_DUP_ENTRY, SQLError, not_supported, shown_name, stack_overrun
from .._plan import Params, Plan, PlanContext, executes, plans
from .._results import Result
from .._resultset import Hint, query_result
from .._rewrite import bind_variables, mysql_comparisons, rewrite_functions, to_sqlite
from .._routing import qualified_tables, route_tables, table_in_unknown_database
from .._sealed import CLIENT, trusted
from .._sqlite import quote
from .._sqlite_errors import Cell, sqlite_error
from .._state import SessionState
from .._transaction import Transaction
from .._translator import parse_statement
from .._variables import SessionVariables
from ._lenient import (
    IGNORED_CLAUSE,
    conflict_safe,
    consume_ids,
    is_strict,
    mark_implicit_defaults,
    next_id,
    pack_ids,
    with_column_specs,
    with_ignored_keys,
    with_implicit_defaults,
    wrap_assignments,
    wrap_values,
    zero_date_modes,
)
from ._viewdml import MAX_NESTING, through_view
from .multitable import needs_multitable, plan_multitable
from .query import check_windows, without_dual


@dataclass(frozen=True, slots=True)
class _Returned:
    """What RETURNING's result columns are called (typed by the columns they read, or their values)."""

    names: tuple[str | None, ...]
    hints: tuple[Hint, ...]
    positional: bool


@dataclass(frozen=True, slots=True, eq=False)
class DmlPlan(Plan):
    """A statement that changes rows of one table of `write_db` (None: the current database).

    values: the cells of INSERT ... VALUES; assigned: UPDATE's SET cells by column (see `Cell`).
    matched_sql: an UPDATE counting the rows it matched, for CLIENT_FOUND_ROWS clients.
    """

    sql: str
    write_db: str | None = None
    attach: tuple[str, ...] = ()
    var_params: tuple[tuple[str, str], ...] = ()
    qualified: tuple[tuple[str, str], ...] = ()
    insert_table: str | None = None
    insert_columns: tuple[str, ...] | None = None
    values: tuple[tuple[Cell, ...], ...] = ()
    assigned: dict[str, Cell] | None = None
    deletes: bool = False
    replace: bool = False
    upsert: bool = False
    matched_sql: str | None = None
    update_table: str | None = None
    unrestricted: bool = False  # an UPDATE / DELETE without WHERE or LIMIT (sql_safe_updates refuses it)
    defaults: bool = False  # DEFAULT markers to replace with the columns' defaults (`_with_defaults`)
    stored: bool = False  # APP_STORE markers to replace with their columns' descriptions (`_lenient`)
    strict: bool = False  # strict mode: a warning while it runs (a division by zero, a bad CAST) is its error
    returning: tuple[str | None, ...] | None = None  # RETURNING's column names (None for *); None: no RETURNING
    implicit: bool = False  # markers for the NOT NULL columns a lenient INSERT leaves out (`_lenient`)
    zero_generates: bool = True  # 0 into the AUTO_INCREMENT column generates an id (not NO_AUTO_VALUE_ON_ZERO)
    ignored_keys: bool = False  # INSERT IGNORE's marker of the keys it names in its 1062 warnings (`_lenient`)
    decimal_marks: tuple[DecimalMark, ...] = ()  # exact arithmetic that depends on column types (`_decimals`)
    quiet_division: bool = False  # no ERROR_FOR_DIVISION_BY_ZERO: x / 0 stores NULL without a warning
    target: str | None = None  # the table written (its stored name): a view's is written through it
    source: str | None = None  # the statement's text and context, planned again on a view's table (`_viewdml`)
    context: PlanContext | None = None


# -- planning -------------------------------------------------------------------------------------


@plans(exp.Insert, exp.Update, exp.Delete)
def plan_dml(tree: exp.Insert | exp.Update | exp.Delete, sql: str, ctx: PlanContext) -> Plan:
    var_params = bind_variables(tree)
    without_dual(tree)
    check_windows(tree)
    _upsert_values(tree)
    rewrite_functions(tree)
    mysql_comparisons(tree)
    target = tree.this
    if isinstance(target, exp.Schema):
        target = target.this
    if not isinstance(target, exp.Table):
        raise not_supported(f"{tree.key} without a single target table")
    if not isinstance(tree, exp.Insert) and needs_multitable(tree):
        return plan_multitable(tree, target.text("db") or None, ctx.virtual_schemas)
    write_db = target.text("db") or None
    qualified = qualified_tables(tree)
    primary, attach, _, system = route_tables(tree, prefer=write_db, virtual=ctx.virtual_schemas)
    if system:
        raise SQLError(1044, f"Access denied for user to database '{primary}'", "42000")
    common: dict[str, Any] = {"write_db": write_db, "attach": attach, "var_params": var_params,
                              "qualified": qualified, "defaults": _mark_defaults(tree),
                              "unrestricted": not isinstance(tree, exp.Insert) and tree.args.get("where") is None
                              and tree.args.get("limit") is None,
                              "target": target.name, "source": sql, "context": ctx}
    lenient = not is_strict(ctx.dialect.sql_mode) or bool(tree.args.get("ignore"))
    returning = tree.args.get("returning")
    if isinstance(returning, exp.Returning):
        common["returning"] = tuple(None if isinstance(e, exp.Star) else e.alias_or_name if isinstance(e, exp.Alias)
                                    or isinstance(e, exp.Column) else e.sql(dialect="mysql")
                                    for e in returning.expressions)
    if isinstance(tree, exp.Update):
        _sequential_assignments(tree, target.alias_or_name)
    common["strict"] = not lenient and not isinstance(tree, exp.Delete)
    common["zero_generates"] = "NO_AUTO_VALUE_ON_ZERO" not in ctx.dialect.sql_mode.upper()
    if not isinstance(tree, exp.Delete):
        common["quiet_division"] = "ERROR_FOR_DIVISION_BY_ZERO" not in ctx.dialect.sql_mode.upper()
        common["decimal_marks"] = _exact_arithmetic(tree, target, ctx.dialect.div_precision_increment,
                                                    "NO_UNSIGNED_SUBTRACTION" not in ctx.dialect.sql_mode.upper())
    zero_modes = zero_date_modes(ctx.dialect.sql_mode)
    if isinstance(tree, exp.Insert):
        return _plan_insert(tree, target, common, lenient, zero_modes)
    if tree.args.get("limit") or tree.args.get("order"):
        _limit_by_rowid(tree, target)
        if isinstance(tree, exp.Update):
            assigned = _assigned(tree)
            stored = wrap_assignments(tree, target.alias_or_name, strict=common["strict"], zero_modes=zero_modes)
            return DmlPlan(to_sqlite(tree), assigned=assigned, update_table=target.name, stored=stored, **common)
    if isinstance(tree, exp.Delete):
        return DmlPlan(to_sqlite(tree), deletes=True, **common)
    assigned = _assigned(tree)
    stored = wrap_assignments(tree, target.alias_or_name, strict=common["strict"], zero_modes=zero_modes)
    # MySQL reports the rows an UPDATE changed, not the rows it matched (unless the client asks
    # for matched rows with CLIENT_FOUND_ROWS): rows that would keep their values are left out,
    # and the statement as written counts matched rows.
    ignore = bool(tree.args.get("ignore"))
    return DmlPlan(_or_ignore(to_sqlite(_only_changing_rows(tree, quiet_set=stored)), ignore), assigned=assigned,
                   matched_sql=_or_ignore(to_sqlite(tree), ignore), update_table=target.name, stored=stored, **common)


def _sequential_assignments(tree: exp.Update, table: str) -> None:
    """MariaDB's single-table UPDATE assigns left to right, each value seeing the ones assigned before it
    (`SET qty = qty + 1, qty = qty * 10` stores (qty + 1) * 10; `SET a = b, b = a` stores b in both), where
    SQLite computes every value from the row as it was: a column assigned before is replaced by what it
    was assigned, and only its last assignment is kept."""
    if any(eq.find(exp.Query) for eq in tree.expressions):
        return  # MariaDB reads a subquery's table first (as a multi-table UPDATE): every value sees the old row
    assigned: dict[str, exp.Expr] = {}
    kept: list[exp.Expr] = []
    for eq in tree.expressions:
        if not (isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column)):
            kept.append(eq)
            continue
        if assigned:
            for col in list(eq.expression.find_all(exp.Column)):
                earlier = assigned.get(col.name.lower())
                if earlier is not None and col.table in ("", table):
                    col.replace(exp.Paren(this=earlier.copy()))
        name = eq.this.name.lower()
        assigned[name] = eq.expression
        kept = [e for e in kept if not (isinstance(e, exp.EQ) and isinstance(e.this, exp.Column)
                                        and e.this.name.lower() == name)]
        kept.append(eq)
    if len(kept) != len(tree.expressions):
        tree.set("expressions", kept)


def _exact_arithmetic(tree: exp.Insert | exp.Update, target: exp.Table, increment: int,
                      unsigned_subtraction: bool) -> tuple[DecimalMark, ...]:
    """The values an INSERT ... VALUES or an UPDATE's SET computes, with the query path's exact arithmetic
    (`_decimals`): DECIMAL exactly, BIGINT UNSIGNED past 2**63 - 1 and its 1690 out of range, 1365 for / 0.
    They are typed as a SELECT of them from the target table would be; the markers whose types depend on
    its columns are resolved when the statement runs."""
    if isinstance(tree, exp.Update):
        cells = [eq.expression for eq in tree.expressions if isinstance(eq, exp.EQ)]
    elif isinstance(tree.expression, exp.Values):
        cells = [cell for row in tree.expression.expressions
                 for cell in (row.expressions if isinstance(row, exp.Tuple) else [row])]
    else:
        return ()
    if not any(cell.find(exp.Binary, exp.Unary, exp.Func) for cell in cells):
        return ()  # literals and columns: nothing to compute (the common INSERT)
    holders = [exp.Paren(this=cell.copy()) for cell in cells]
    select = exp.Select(expressions=holders)
    if isinstance(tree, exp.Update):
        select = select.from_(target.copy(), copy=False)
    marks = exact_decimals(select, decimal_scopes(select, increment), increment,
                           unsigned_subtraction=unsigned_subtraction)
    for cell, holder in zip(cells, holders, strict=True):
        cell.replace(holder.this)
    return marks


def _or_ignore(sql: str, ignore: bool) -> str:
    """UPDATE IGNORE leaves a row that would duplicate a key as it was: SQLite's UPDATE OR IGNORE."""
    return "UPDATE OR IGNORE " + sql[7:] if ignore and sql.startswith("UPDATE ") else sql


def _plan_insert(tree: exp.Insert, target: exp.Table, common: dict[str, Any], lenient: bool,
                 zero_modes: str) -> Plan:
    schema = tree.this
    columns = tuple(c.name.lower() for c in schema.expressions) if isinstance(schema, exp.Schema) else None
    if columns is not None and len(set(columns)) < len(columns):
        twice = next(c.name for i, c in enumerate(schema.expressions) if c.name.lower() in columns[:i])
        raise SQLError(1110, f"Column '{twice}' specified twice", "42000")
    values: tuple[tuple[Cell, ...], ...] = ()
    rows = tree.expression.expressions if isinstance(tree.expression, exp.Values) else []
    if rows and all(isinstance(r, exp.Tuple) and not r.expressions for r in rows) and not columns:
        # INSERT INTO t VALUES () / () VALUES (): a row of defaults, as SQLite's DEFAULT VALUES.
        if len(rows) > 1:
            raise not_supported("INSERT of several rows of defaults")
        tree.set("this", target)
        tree.set("expression", None)
        return DmlPlan(to_sqlite(tree) + " DEFAULT VALUES", insert_table=target.name, insert_columns=columns,
                       replace=tree.args.get("alternative") == "REPLACE", **common)
    if isinstance(tree.expression, exp.Values):
        values = tuple(tuple(_cell(v) for v in row.expressions) if isinstance(row, exp.Tuple) else (_cell(row),)
                       for row in tree.expression.expressions)
    stored = wrap_values(tree, ignore=bool(tree.args.get("ignore")), strict=common["strict"],
                         zero_modes=zero_modes)
    implicit = lenient and mark_implicit_defaults(tree)
    suffix = ""
    conflict = tree.args.get("conflict")
    upsert = ignored_keys = False
    if isinstance(conflict, exp.OnConflict) and conflict.args.get("duplicate"):
        upsert = True
        tree.set("conflict", None)
        conflict_safe(tree)
        suffix = _upsert_clause(conflict)
    elif tree.args.get("ignore") and tree.args.get("alternative") != "REPLACE":
        # OR IGNORE still skips the rows a NOT NULL or CHECK constraint refuses.
        conflict_safe(tree)
        suffix, ignored_keys = IGNORED_CLAUSE, True
    returning = tree.args.get("returning")
    tail = ""
    if isinstance(returning, exp.Returning):  # after the upsert clause, where SQLite reads it
        tree.set("returning", None)
        tail = " " + to_sqlite(returning)
    return DmlPlan(to_sqlite(tree) + suffix + tail, insert_table=target.name, insert_columns=columns, values=values,
                   replace=tree.args.get("alternative") == "REPLACE", upsert=upsert, stored=stored,
                   ignored_keys=ignored_keys, implicit=implicit, **common)


def _is_default(node: exp.Expr) -> bool:
    return isinstance(node, (exp.Var, exp.Column)) and not node.args.get("table") and node.name.upper() == "DEFAULT" \
        and not (isinstance(node, exp.Column) and node.this.args.get("quoted"))


def _default_marker(column: str | int) -> exp.Column:
    """A column's default in a statement's text: by name, or by position in the table (INSERT without a
    column list); resolved against the table when the statement runs."""
    key = f"P{column}" if isinstance(column, int) else "N" + str(column).lower().encode().hex()
    return exp.column(f"__APP_DEFAULT_{key}__")


def _mark_defaults(tree: exp.Expr) -> bool:
    """DEFAULT in VALUES and SET (which SQLite lacks) as markers; whether there were any."""
    marked = False
    if isinstance(tree, exp.Insert) and isinstance(tree.expression, exp.Values):
        schema = tree.this
        names = [c.name for c in schema.expressions] if isinstance(schema, exp.Schema) else None
        for row in tree.expression.expressions:
            cells = row.expressions if isinstance(row, exp.Tuple) else [row]
            for i, cell in enumerate(list(cells)):
                column = names[i] if names is not None and i < len(names) else i
                if _is_default(cell):
                    cell.replace(_default_marker(column))
                    marked = True
    if isinstance(tree, exp.Update):
        for eq in tree.expressions:
            if isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column) and _is_default(eq.expression):
                eq.set("expression", _default_marker(eq.this.name))
                marked = True
    return marked


_DEFAULT_MARKER: Final = re.compile(r'"?__APP_DEFAULT_(?:P(\d+)|N([0-9a-f]*))__"?')


def _with_defaults(sql: str, c: Conn, table: str) -> str:
    """The statement with each DEFAULT marker replaced by its column's default expression (NULL
    for a column without one)."""
    info = c.conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    by_name = {str(row[1]).lower(): row[4] for row in info}
    in_order = [row[4] for row in info]

    def default(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            position = int(m.group(1))
            expression = in_order[position] if position < len(in_order) else None
        else:
            expression = by_name.get(bytes.fromhex(m.group(2)).decode())
        return "NULL" if expression is None else f"({expression})"

    return _DEFAULT_MARKER.sub(default, sql)


def _assigned(tree: exp.Update) -> dict[str, Cell]:
    return {eq.this.name.lower(): _cell(eq.expression) for eq in tree.expressions
            if isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column)}


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


def _cell(node: exp.Expr) -> Cell:
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


def _unchanged(assignments: list[exp.Expr], table: str | None = None, *, every: bool = False) -> exp.Expr:
    """True when every assignment would store the value the row has (compared byte for byte, as
    MySQL compares a row's old and new images: 'a' -> 'A' is a change). `every`: each value is
    computed, none left out by AND's short cut (each warns of what it stores)."""
    same = [exp.NullSafeEQ(
        this=exp.column(eq.this.this.copy(), table=exp.to_identifier(table, quoted=True)) if table else eq.this.copy(),
        expression=exp.Collate(this=exp.Paren(this=eq.expression.copy()), expression=exp.var("BINARY")))
        for eq in assignments if isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column)]
    if every and len(same) > 1:
        total: exp.Expr = exp.Paren(this=same[0])
        for term in same[1:]:
            total = exp.Add(this=total, expression=exp.Paren(this=term))
        return exp.EQ(this=total, expression=exp.Literal.number(len(same)))
    return exp.and_(*same) if same else exp.true()


def _only_changing_rows(tree: exp.Update, *, quiet_set: bool = False) -> exp.Update:
    changed = tree.copy()
    # Qualified: UPDATE ... FROM (a multi-table UPDATE) may join a table with the same columns.
    target = changed.this.alias_or_name if isinstance(changed.this, exp.Table) else None
    condition = exp.not_(exp.Paren(this=_unchanged(changed.expressions, target, every=quiet_set)))
    where = changed.args.get("where")
    changed.set("where", exp.Where(this=exp.and_(exp.Paren(this=where.this), condition) if where else condition))
    if quiet_set:  # the WHERE stores each value first (and warns); the SET stores it again, quietly
        for eq in changed.expressions:
            if isinstance(eq.expression, exp.Anonymous) and eq.expression.name == "APP_STORE":
                eq.expression.set("this", "APP_STORE_QUIET")
    return changed


def _upsert_values(tree: exp.Expr) -> None:
    """VALUES(c) (or its synonym VALUE(c)) in ON DUPLICATE KEY UPDATE is the value the row would have had:
    SQLite's excluded.c."""
    conflict = tree.args.get("conflict") if isinstance(tree, exp.Insert) else None
    if not isinstance(conflict, exp.OnConflict):
        return
    for eq in conflict.expressions:
        for call in list(eq.find_all(exp.Anonymous)):
            if call.name.upper() in ("VALUES", "VALUE") and call.expressions:
                call.replace(exp.column(call.expressions[0].name, table="excluded"))


def _upsert_clause(conflict: exp.OnConflict) -> str:
    """MySQL's ON DUPLICATE KEY UPDATE as SQLite's upsert.

    A row whose values would not change is left alone (SQLite then counts no change for it), and
    APP_UPSERT_UPDATED counts the rows updated, which MySQL reports as two affected rows each.
    """
    assignments = []
    for eq in conflict.expressions:
        for col in eq.expression.find_all(exp.Column):
            if col.table and col.table != "excluded":
                col.set("table", None)
        eq.this.set("table", None)
        assignments.append(eq.sql(dialect="sqlite"))
    changed = exp.not_(exp.Paren(this=_unchanged(list(conflict.expressions))))
    return (" ON CONFLICT DO UPDATE SET " + ", ".join(assignments) + " WHERE APP_UPSERT_UPDATED("
            + changed.sql(dialect="sqlite") + ", rowid)")


# -- running --------------------------------------------------------------------------------------


@executes(DmlPlan)
def run_dml(plan: DmlPlan, params: Params, tx: Transaction, conns: Connections, variables: SessionVariables,
            state: SessionState, catalog: Catalog) -> Result:
    dbname = state.resolve(plan.write_db)
    catalog.check_writable(dbname)
    tx.check_writable()
    if plan.unrestricted and variables.get("sql_safe_updates"):
        raise SQLError(1175, "You are using safe update mode and you tried to update a table without a WHERE "
                             "that uses a KEY column", "HY000")
    try:
        c = tx.begin_write(dbname)
        if plan.attach:
            conns.attach(c, plan.attach)
    except SQLError as e:
        raise table_in_unknown_database(plan.qualified, e) from None
    if plan.source is not None and plan.target is not None:
        definition = catalog.view_definition(c.database, plan.target)
        if definition is not None:
            return _through_views(plan, definition, dbname, params, tx, conns, variables, state, catalog, c)
    bindings = variables.bindings(plan.var_params, params)
    sql, generated = _prepare(plan, c, bindings, state, catalog)
    if plan.decimal_marks:
        state_key, lookup = catalog.lookup(state.resolve(plan.write_db))
        marks, unresolved = plan.decimal_marks, sql
        sql = catalog.memo((plan, unresolved, *state_key), lambda: resolve_decimals(unresolved, marks, lookup))
    if plan.defaults:
        try:
            sql = _with_defaults(sql, c, plan.insert_table or plan.update_table or "")
        except SQLError:
            tx.end_statement(failed=True)
            raise
    if plan.stored:
        # Derived from the schema only: computed once per plan, statement text and schema state.
        key, _ = catalog.lookup(dbname)
        table, unresolved = plan.insert_table or plan.update_table or "", sql
        sql = catalog.memo((plan, unresolved, *key), lambda: with_column_specs(unresolved, c, table, catalog))
    if plan.ignored_keys:
        sql = with_ignored_keys(sql, c, plan.insert_table or "", catalog)
    if plan.implicit:
        sql = with_implicit_defaults(sql, c, plan.insert_table or "", plan.insert_columns or (), catalog)
    # A multi-row INSERT IGNORE / upsert: MySQL gives a skipped row's id to the next row inserted.
    reused = (plan.ignored_keys or plan.upsert) and generated is not False and len(plan.values) > 1
    counter = next_id(c, plan.insert_table or "", catalog) if reused else None
    returned = None
    try:
        with c.guard.running(CLIENT), warnings_are_errors() if plan.strict else nullcontext(), \
                ignoring(WARN_DIVISION_BY_ZERO) if plan.quiet_division else nullcontext():
            if plan.returning is not None:
                returned = conns.query(c, sql, bindings)
            else:
                c.run(sql, bindings)  # (a client's statement, see `_sealed`)
    except apsw.Error as e:
        error = sqlite_error(e, dbname, plan, params, c, catalog)
        tx.end_statement(failed=True)
        if error.code == ER_DUP_ENTRY and generated is not False and plan.values:
            consume_ids(tx, dbname, plan.insert_table or "", len(plan.values), catalog)
        raise error from None
    except SQLError:
        tx.end_statement(failed=True)
        raise
    affected = changes = c.conn.changes()
    counts = state.dml
    if plan.upsert:
        affected += counts.upsert_updated + (counts.upsert_same if state.client_found_rows else 0)
    elif plan.replace:
        affected += counts.replaced
    insert_id = 0
    if counter is not None:
        pack_ids(c, plan.insert_table or "", counter)
    if plan.insert_table is not None and (changes or counts.upsert_rowid):
        insert_id = _insert_id(c, plan, changes, generated, state, catalog)
    state.row_count = affected
    tx.end_statement()
    if returned is not None and plan.returning is not None:
        names = plan.returning
        shape = _Returned(names, tuple(None for _ in names), None not in names)
        return query_result(shape, returned[0], returned[1], catalog, dbname)
    # The OK packet's insert id is unsigned: an explicit -5 is reported as 2**64 - 5, as MariaDB does.
    return Result(None, affected_rows=affected, last_insert_id=insert_id & 0xFFFFFFFFFFFFFFFF)


def _through_views(plan: DmlPlan, definition: str, dbname: str, params: Params, tx: Transaction, conns: Connections,
                   variables: SessionVariables, state: SessionState, catalog: Catalog, c: Conn) -> Result:
    """The statement on a view, planned again on the view's table (a view of a view: on its table)."""
    assert plan.source is not None and plan.target is not None
    tree = parse_statement(plan.source, variables.dialect.sql_mode)
    if not isinstance(tree, (exp.Insert, exp.Update, exp.Delete)):
        raise not_supported("this statement through a view")
    view, name, found = plan.target, plan.target, definition
    for _ in range(MAX_NESTING):
        name = through_view(tree, name, found, lambda table: catalog.columns(c.database, table), dbname)
        next_definition = catalog.view_definition(c.database, name)
        if next_definition is None:
            break
        found = next_definition
    else:
        raise stack_overrun()
    planned = plan_dml(tree, plan.source, plan.context or PlanContext(variables.dialect))
    if not isinstance(planned, DmlPlan):
        raise not_supported("this statement through a view")
    try:
        return run_dml(replace(planned, source=None), params, tx, conns, variables, state, catalog)
    except SQLError as e:
        if e.code == 1364 and isinstance(tree, exp.Insert):  # a column the view does not show has no default
            raise SQLError(1423, f"Field of view '{dbname}.{shown_name(view)}' underlying table doesn't have a "
                                 "default value", "HY000") from None
        raise


def _prepare(plan: DmlPlan, c: Conn, bindings: dict[str, Any] | None, state: SessionState,
             catalog: Catalog) -> tuple[str, bool | None]:
    """The SQL to run, and for an INSERT whether its AUTO_INCREMENT values are generated (None: the
    statement does not name the column).

    An AUTO_INCREMENT column given 0 (or NULL) generates the next value, as in MySQL without
    NO_AUTO_VALUE_ON_ZERO; SQLite generates one for NULL only, so a 0 is bound as NULL.
    """
    if plan.matched_sql is not None:
        return (plan.matched_sql if state.client_found_rows else plan.sql), None
    state.dml.reset()
    if plan.replace:
        _count_replaced_rows(c, plan.insert_table or "")
    if not plan.values or plan.insert_table is None:
        return plan.sql, None
    auto = catalog.auto_increment_column(c.database, plan.insert_table)
    columns = plan.insert_columns if plan.insert_columns is not None else catalog.columns(c.database, plan.insert_table)
    if auto is None or auto not in columns:
        return plan.sql, None
    position = columns.index(auto)
    generated = True
    for row in plan.values:
        cell = row[position] if position < len(row) else None
        if cell is None:
            generated = False
        elif cell[0] == "p" and bindings is not None:
            key = f"p{cell[1] + 1}"
            value = bindings.get(key)
            if value == 0 and not isinstance(value, float) and plan.zero_generates:
                bindings[key] = None
            elif value is not None:
                generated = False
        elif cell[1] is not None:  # a literal 0 in a statement run as written stays 0
            generated = False
    return plan.sql, generated


def _insert_id(c: Conn, plan: DmlPlan, affected: int, generated: bool | None, state: SessionState,
               catalog: Catalog) -> int:
    """MySQL's insert id: the first generated AUTO_INCREMENT value of the statement."""
    auto = catalog.auto_increment_column(c.database, plan.insert_table or "")
    if auto is None:
        return 0
    rowid = c.conn.last_insert_rowid()
    counts = state.dml
    if counts.upsert_rowid and affected == counts.upsert_updated:
        return counts.upsert_rowid  # an upsert that only updated: the id of the row it updated
    if generated is not None:
        explicit = not generated
    else:
        explicit = plan.insert_columns is not None and auto in plan.insert_columns
    if explicit:
        return rowid  # the OK packet reports it; LAST_INSERT_ID() does not change
    inserted = affected - counts.upsert_updated if plan.upsert else affected  # an upsert's updates are changes too
    first = rowid - max(inserted, 1) + 1
    state.last_insert_id = first
    return first


def _count_replaced_rows(c: Conn, table: str) -> None:
    """Make the rows a REPLACE deletes call APP_REPLACED (`_functions._dml`).

    SQLite deletes them without counting them in changes(); a delete trigger sees them when
    recursive triggers are on. The trigger is TEMP: this connection's own, not part of the schema.
    """
    with trusted(c.conn):
        if not c.recursive_triggers:
            c.conn.execute("PRAGMA recursive_triggers = ON").fetchall()
            c.recursive_triggers = True
        name = quote(f"app_replaced_{table.lower()}")
        c.conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER DELETE ON main.{quote(table)} "
                       "BEGIN SELECT APP_REPLACED(); END").fetchall()

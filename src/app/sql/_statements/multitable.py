"""Multi-table UPDATE and DELETE, which SQLite cannot say in one statement: several tables changed at
once (`UPDATE a, b SET a.x = .., b.y = ..`, `DELETE a, b FROM a JOIN b ..`), a table changed through an
outer join (`UPDATE a LEFT JOIN b ON .. SET a.x = ..`), or through a join that matches a row several
times (MySQL changes it by the first match, SQLite's UPDATE ... FROM by the last).

The join is read once, as a SELECT of each changed table's rowid and (for an UPDATE) the new values
of its columns, all computed from the rows as they were; then each table's rows are changed by rowid,
each row once (the first combination that names it), as MySQL changes each row at most once. The
whole runs under a savepoint: an error leaves nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import apsw
from sqlglot import exp

from .._catalog import Catalog
from .._connections import Connections
from .._errors import SQLError
from .._plan import Params, Plan, executes
from .._results import Result
from .._rewrite import bind_variables, mysql_comparisons, rewrite_functions, to_sqlite
from .._routing import qualified_tables, route_tables, table_in_unknown_database
from .._sealed import CLIENT
from .._sqlite import quote
from .._sqlite_errors import sqlite_error
from .._state import SessionState
from .._transaction import Transaction
from .._variables import SessionVariables


@dataclass(frozen=True, slots=True, eq=False)
class MultiTablePlan(Plan):
    """select_sql: the join's rows, each target's rowid then its new values; targets: (table, the columns
    it assigns) in the SELECT's order (no columns: the rows are deleted)."""

    select_sql: str
    targets: tuple[tuple[str, tuple[str, ...]], ...]
    deletes: bool
    write_db: str | None = None
    attach: tuple[str, ...] = ()
    var_params: tuple[tuple[str, str], ...] = ()
    qualified: tuple[tuple[str, str], ...] = ()


def needs_multitable(tree: exp.Update | exp.Delete) -> bool:
    """Whether an UPDATE / DELETE reads a join (MySQL's multi-table forms, which SQLite's UPDATE ... FROM
    does not match: it changes a row once per match, the last one winning)."""
    if isinstance(tree, exp.Delete):
        return bool(tree.args.get("tables") or tree.args.get("using"))
    return isinstance(tree.this, exp.Table) and bool(tree.this.args.get("joins"))


def _sources(tree: exp.Update | exp.Delete) -> tuple[exp.Table, list[exp.Expr]]:
    """The FROM of the join the statement reads, and its joins."""
    using = tree.args.get("using")
    source = (using[0] if using else tree.this).copy()
    joins = list(source.args.get("joins") or [])
    source.set("joins", None)
    return source, joins


def _table_named(name: str, tables: list[exp.Table]) -> exp.Table:
    for t in tables:
        if t.alias_or_name.lower() == name.lower():
            return t
    raise SQLError(1109, f"Unknown table '{name}' in MULTI DELETE", "42S02")


def plan_multitable(tree: exp.Update | exp.Delete, write_db: str | None, virtual: frozenset[str]) -> Plan:
    var_params = bind_variables(tree)
    rewrite_functions(tree)
    mysql_comparisons(tree)
    source, joins = _sources(tree)
    tables = [t for t in [source, *(j.this for j in joins)] if isinstance(t, exp.Table)]
    projections: list[exp.Expr] = []
    targets: list[tuple[str, tuple[str, ...]]] = []
    if isinstance(tree, exp.Delete):
        names = [t.alias_or_name for t in tree.args.get("tables") or [tree.this]]
        for name in names:
            table = _table_named(name, tables)
            projections.append(exp.column("rowid", table=exp.to_identifier(table.alias_or_name, quoted=True)))
            targets.append((table.name, ()))
    else:
        by_table: dict[str, list[tuple[str, exp.Expr]]] = {}
        for eq in tree.expressions:
            column = eq.this
            owner = column.table if isinstance(column, exp.Column) and column.table else tables[0].alias_or_name
            by_table.setdefault(owner.lower(), []).append((column.name, eq.expression))
        for owner, assignments in by_table.items():
            table = _table_named(owner, tables)
            projections.append(exp.column("rowid", table=exp.to_identifier(table.alias_or_name, quoted=True)))
            projections.extend(value.copy() for _, value in assignments)
            targets.append((table.name, tuple(column for column, _ in assignments)))
    select = exp.select(*projections).from_(source)
    if joins:
        select.set("joins", joins)
    if tree.args.get("where") is not None:
        select.set("where", tree.args["where"].copy())
    qualified = qualified_tables(select)
    _, attach, _, system = route_tables(select, prefer=write_db, virtual=virtual)
    if system:
        raise SQLError(1044, "Access denied for user to database", "42000")
    return MultiTablePlan(to_sqlite(select), tuple(targets), isinstance(tree, exp.Delete), write_db, attach,
                          var_params, qualified)


@executes(MultiTablePlan)
def run_multitable(plan: MultiTablePlan, params: Params, tx: Transaction, conns: Connections,
                   variables: SessionVariables, state: SessionState, catalog: Catalog) -> Result:
    dbname = state.resolve(plan.write_db)
    catalog.check_writable(dbname)
    tx.check_writable()
    try:
        c = tx.begin_write(dbname)
        if plan.attach:
            conns.attach(c, plan.attach)
    except SQLError as e:
        raise table_in_unknown_database(plan.qualified, e) from None
    bindings = variables.bindings(plan.var_params, params)
    affected = 0
    try:
        c.conn.execute("SAVEPOINT app_multitable").fetchall()
        try:
            with c.guard.running(CLIENT):  # a client's statement (see `_sealed`)
                rows = c.run(plan.select_sql, bindings)
                affected = _apply(c.conn, plan, rows, state.client_found_rows)
        except BaseException:
            c.conn.execute("ROLLBACK TO app_multitable").fetchall()
            raise
        finally:
            c.conn.execute("RELEASE app_multitable").fetchall()
    except apsw.Error as e:
        error = sqlite_error(e, dbname, None, params, c, catalog)
        tx.end_statement(failed=True)
        raise error from None
    except SQLError:
        tx.end_statement(failed=True)
        raise
    state.row_count = affected
    tx.end_statement()
    return Result(None, affected_rows=affected)


def _apply(conn: apsw.Connection, plan: MultiTablePlan, rows: list[tuple[Any, ...]], found_rows: bool) -> int:
    """Change each target's rows the join found; the rows changed (or matched, for CLIENT_FOUND_ROWS)."""
    affected = 0
    position = 0
    for table, columns in plan.targets:
        seen: dict[Any, tuple[Any, ...]] = {}
        for row in rows:
            rowid = row[position]
            if rowid is not None and rowid not in seen:
                seen[rowid] = row[position + 1: position + 1 + len(columns)]
        position += 1 + len(columns)
        if plan.deletes:
            for rowid in seen:
                conn.execute(f"DELETE FROM {quote(table)} WHERE rowid = ?", (rowid,)).fetchall()
                affected += conn.changes()
            continue
        sets = ", ".join(f"{quote(c)} = ?" for c in columns)
        # MySQL counts a row as changed when a value differs byte for byte ('a' -> 'A' is a change).
        same = " AND ".join(f"{quote(c)} IS ? COLLATE BINARY" for c in columns)
        for rowid, values in seen.items():
            conn.execute(f"UPDATE {quote(table)} SET {sets} WHERE rowid = ? AND NOT ({same})",
                         (*values, rowid, *values)).fetchall()
            changed = conn.changes()
            affected += 1 if found_rows else changed
    return affected

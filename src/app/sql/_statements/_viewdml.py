"""INSERT, UPDATE and DELETE through a view, as MariaDB runs them: on the view's table.

SQLite refuses to write to a view. MariaDB writes through a view over one table whose columns are
the table's (an UPDATE may not set a computed column: 1348; an INSERT needs every column plain: 1471),
adding the view's WHERE to an UPDATE's and a DELETE's; a view that groups, aggregates or is DISTINCT
is not updatable (1288, 1471). The statement is written again on the view's table (`through_view`)
and planned as any statement on it, so that its values are converted, checked and counted as there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import sqlglot
from sqlglot import exp

from .._errors import SQLError, not_supported, shown_name

Statement = exp.Insert | exp.Update | exp.Delete
MAX_NESTING: Final = 32  # views of views: MariaDB's own limit is its stack's


def _verb(tree: Statement) -> str:
    return "INSERT" if isinstance(tree, exp.Insert) else "UPDATE" if isinstance(tree, exp.Update) else "DELETE"


def _not_updatable(view: str, tree: Statement) -> SQLError:
    if isinstance(tree, exp.Insert):
        return SQLError(1471, f"The target table {shown_name(view)} of the INSERT is not insertable-into", "HY000")
    return SQLError(1288, f"The target table {shown_name(view)} of the {_verb(tree)} is not updatable", "HY000")


def _groups(query: exp.Select) -> bool:
    """Whether the view's rows are not the table's rows one for one (grouped, aggregated, distinct, cut)."""
    if any(query.args.get(k) for k in ("group", "having", "distinct", "limit", "offset")):
        return True
    for node in query.find_all(exp.AggFunc, exp.Window):
        if isinstance(node, exp.Window) or node.find_ancestor(exp.Window, exp.Select) is query:
            return True
    return False


def _columns(create: exp.Create, query: exp.Select, base_columns: Callable[[str], tuple[str, ...]],
             base: exp.Table) -> dict[str, exp.Expr]:
    """The view's columns by lower-case name: the expression of the table each one is."""
    exprs: list[tuple[str, exp.Expr]] = []
    for p in query.expressions:
        if isinstance(p, exp.Star) or (isinstance(p, exp.Column) and isinstance(p.this, exp.Star)):
            exprs += [(c, exp.column(c)) for c in base_columns(base.name)]
        else:
            exprs.append((p.alias_or_name, p.unalias()))
    schema = create.this
    if isinstance(schema, exp.Schema) and schema.expressions:  # CREATE VIEW v (x, y) AS ...
        names = [c.name for c in schema.expressions]
        return {n.lower(): e for n, (_, e) in zip(names, exprs, strict=False)}
    return {n.lower(): e for n, e in exprs}


def through_view(tree: Statement, view: str, definition: str, base_columns: Callable[[str], tuple[str, ...]],
                 database: str) -> str:
    """Write `tree` (on view `view` of `database`, whose SQLite CREATE VIEW is `definition`) on the view's
    table, in place; returns that table's name (which may be a view in turn)."""
    create = sqlglot.parse_one(definition, read="sqlite")
    query = create.expression if isinstance(create, exp.Create) else None
    if not isinstance(create, exp.Create) or not isinstance(query, exp.Select) or _groups(query):
        raise _not_updatable(view, tree)
    from_ = query.args.get("from_")
    base = from_.this if isinstance(from_, exp.From) else None
    if not isinstance(base, exp.Table) or not isinstance(base.this, exp.Identifier):
        raise _not_updatable(view, tree)
    if query.args.get("joins"):
        if isinstance(tree, exp.Delete):
            raise SQLError(1395, f"Can not delete from join view '{database}.{shown_name(view)}'", "HY000")
        raise not_supported(f"{_verb(tree)} through a view of a join")
    columns = _columns(create, query, base_columns, base)
    target = tree.this
    table = target.this if isinstance(target, exp.Schema) else target
    if not isinstance(table, exp.Table):
        raise not_supported(f"{_verb(tree)} without a single target table")
    qualifiers = {shown_name(view).lower(), table.alias_or_name.lower()}
    base_name = shown_name(base.name)  # planned again: the planner stores the name
    if isinstance(tree, exp.Insert):
        _insert(tree, view, columns, target, base_name)
    else:
        new_table = exp.Table(this=exp.to_identifier(base_name, quoted=True), alias=base.args.get("alias"))
        tree.set("this", new_table)
        if isinstance(tree, exp.Update):
            for eq in tree.expressions:
                if isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column):
                    found = columns.get(eq.this.name.lower())
                    if found is None:
                        raise SQLError(1054, f"Unknown column '{eq.this.name}' in 'field list'", "42S22")
                    if not isinstance(found, exp.Column):
                        raise SQLError(1348, f"Column '{eq.this.name}' is not updatable", "HY000")
                    eq.set("expression", _mapped(eq.expression, columns, qualifiers))
                    eq.set("this", exp.column(found.name))
        for key in ("where", "order"):
            clause = tree.args.get(key)
            if clause is not None:
                _mapped(clause, columns, qualifiers)  # a WHERE or ORDER BY node, never a column itself
        condition = query.args.get("where")
        if condition is not None:
            where = tree.args.get("where")
            both = condition.this.copy() if where is None else exp.and_(
                exp.Paren(this=where.this), exp.Paren(this=condition.this.copy()))
            tree.set("where", exp.Where(this=both))
    return base.name


def _insert(tree: exp.Insert, view: str, columns: dict[str, exp.Expr], target: exp.Expr, base_name: str) -> None:
    named = [c.name for c in target.expressions] if isinstance(target, exp.Schema) and target.expressions \
        else list(columns)
    mapped = []
    for name in named:
        found = columns.get(name.lower())
        if found is None:
            raise SQLError(1054, f"Unknown column '{name}' in 'field list'", "42S22")
        if not isinstance(found, exp.Column):
            raise _not_updatable(view, tree)
        mapped.append(exp.to_identifier(found.name))
    table = exp.Table(this=exp.to_identifier(base_name, quoted=True))
    tree.set("this", exp.Schema(this=table, expressions=mapped))
    conflict = tree.args.get("conflict")
    if isinstance(conflict, exp.OnConflict):  # ON DUPLICATE KEY UPDATE c = ... names the view's columns
        for eq in conflict.expressions:
            if isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column):
                found = columns.get(eq.this.name.lower())
                if not isinstance(found, exp.Column):
                    raise SQLError(1348, f"Column '{eq.this.name}' is not updatable", "HY000")
                for call in eq.expression.find_all(exp.Anonymous):  # VALUES(c)
                    if call.name.upper() == "VALUES" and call.expressions:
                        inner = columns.get(call.expressions[0].name.lower())
                        if isinstance(inner, exp.Column):
                            call.set("expressions", [exp.to_identifier(inner.name)])
                eq.set("expression", _mapped(eq.expression, columns, {shown_name(view).lower()}))
                eq.set("this", exp.column(found.name))


def _mapped(node: exp.Expr, columns: dict[str, exp.Expr], qualifiers: set[str]) -> exp.Expr:
    """`node` with the view's columns in it (the statement's own, not a subquery's) as the table's
    expressions; a node that is one such column is returned replaced, any other is changed in place."""
    for column in list(node.find_all(exp.Column)):
        if column.find_ancestor(exp.Select) is not None or isinstance(column.this, exp.Star):
            continue
        if column.table and column.table.lower() not in qualifiers:
            continue
        found = columns.get(column.name.lower())
        if found is None:
            continue
        replacement = found.copy() if isinstance(found, exp.Column) else exp.Paren(this=found.copy())
        if column is node:
            return replacement
        column.replace(replacement)
    return node

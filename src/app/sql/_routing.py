"""Which database's SQLite connection runs a statement, and which others it attaches."""

from __future__ import annotations

from sqlglot import exp

from ._errors import ER_BAD_DB, ER_NO_SUCH_TABLE, SQLError, not_supported


def qualified_tables(tree: exp.Expr) -> tuple[tuple[str, str], ...]:
    """(database, table) of each table reference qualified with a database."""
    return tuple((t.text("db"), t.name) for t in tree.find_all(exp.Table) if t.text("db"))


def route_tables(tree: exp.Expr, prefer: str | None = None, virtual: frozenset[str] = frozenset(),
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
    if primary is not None:
        for column in tree.find_all(exp.Column):  # db.t.c: the primary database is SQLite's main
            if column.args.get("db") is not None and column.text("db").lower() == primary.lower():
                column.set("db", exp.to_identifier("main"))
    return primary, tuple(attach), True, False


def table_in_unknown_database(qualified: tuple[tuple[str, str], ...], error: SQLError) -> SQLError:
    """A table named with an unknown database does not exist (1146), as MySQL reports it."""
    if error.code == ER_BAD_DB:
        for db, table in qualified:
            if f"'{db}'".lower() in error.message.lower():
                return SQLError(ER_NO_SUCH_TABLE, f"Table '{db}.{table}' doesn't exist")
    return error

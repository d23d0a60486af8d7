"""ALTER TABLE by rebuilding the table, as SQLite's documentation describes: the new definition is
the table's current one (as SHOW CREATE TABLE prints it) with the alterations applied; a table of
that definition is made under a temporary name, the rows are copied, the old table dropped, and the
new one renamed and indexed. So every alteration MariaDB has that fits SQLite runs, several in one
statement, and the rows are kept.

Handled: ADD/DROP/MODIFY/CHANGE/RENAME COLUMN (FIRST, AFTER), ALTER COLUMN SET/DROP DEFAULT,
ADD/DROP INDEX/KEY/UNIQUE/PRIMARY KEY/CONSTRAINT/FOREIGN KEY/CHECK, RENAME INDEX, RENAME TO.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Final

import apsw
import sqlglot
from sqlglot import exp

from .._diagnostics import note, warn
from .._errors import ER_BAD_FIELD, ER_NO_SUCH_TABLE, SQLError, not_supported, syntax_error
from .._sqlite import quote
from ._createtable import Key, TableDefinition, foreign_key, key_columns
from ._describe import describe
from ._schema import CheckDef, Extras, ForeignKeyDef, delete_statements, read_extras, referencing, save_statements
from ._showcreate import create_table_text, table_keys
from ._tabledefs import mysql_type_text

_TEMP_PREFIX: Final = "app.alter."
_IMPLICIT_DEFAULT: Final = (("int", "0"), ("decimal", "0"), ("float", "0"), ("double", "0"), ("bit", "0"),
                            ("year", "0"), ("datetime", "'0000-00-00 00:00:00'"), ("timestamp",
                            "'0000-00-00 00:00:00'"), ("date", "'0000-00-00'"), ("time", "'00:00:00'"))


def _cant_drop(what: str, name: str) -> SQLError:
    return SQLError(1091, f"Can't DROP {what} `{name}`; check that it exists", "42000")


@dataclass
class Draft:
    """A table definition being altered: its parts, and where each new column's values come from."""

    name: str
    columns: list[exp.ColumnDef]
    primary_key: list[str] | None
    keys: list[Key]
    fks: list[ForeignKeyDef]
    checks: list[CheckDef]  # the table-level ones (a column's own CHECK is in its definition)
    sources: dict[str, str | None] = field(default_factory=dict)  # new column (lower) -> old column
    copies: bool = False  # MariaDB copies the rows (ALGORITHM=COPY) and reports them as affected
    rename_to: str | None = None
    comment: str = ""

    def find(self, column: str) -> int:
        for i, c in enumerate(self.columns):
            if c.name.lower() == column.lower():
                return i
        raise SQLError(ER_BAD_FIELD, f"Unknown column '{column}' in '{self.name}'")

    def place(self, col: exp.ColumnDef, index: int | None) -> None:
        """Put a column where its FIRST / AFTER says (else at `index`, or last)."""
        position = col.args.get("position")
        col.set("position", None)
        if isinstance(position, exp.ColumnPosition):
            if (position.text("position") or "").upper() == "FIRST":
                index = 0
            elif position.this is not None:
                index = self.find(position.this.name) + 1
        self.columns.insert(len(self.columns) if index is None else index, col)

    def rename_column(self, old: str, new: str) -> None:
        def renamed(c: str) -> str:
            return new if c.lower() == old.lower() else c

        if self.primary_key:
            self.primary_key = [renamed(c).lower() for c in self.primary_key]
        for k in self.keys:
            k.columns = [(renamed(c), d) for c, d in k.columns]
        self.fks = [ForeignKeyDef(f.name, tuple(renamed(c) for c in f.columns), f.table, f.ref_columns, f.on_delete,
                                  f.on_update) for f in self.fks]
        # CHECKs follow the column, as in MariaDB (a column's own in its definition, the table's by their text).
        for col in self.columns:
            for constraint in col.args.get("constraints") or []:
                if isinstance(constraint.args.get("kind"), exp.CheckColumnConstraint):
                    _rename_references(constraint, old, new)
        self.checks = [CheckDef(c.name, _renamed_clause(c.clause, old, new), c.column) for c in self.checks]


def _rename_references(tree: exp.Expr, old: str, new: str) -> None:
    for ref in tree.find_all(exp.Column):
        if ref.name.lower() == old.lower() and not ref.table:
            ref.set("this", exp.to_identifier(new))


def _renamed_clause(clause: str, old: str, new: str) -> str:
    """A CHECK's text (as MariaDB prints it) with the column `old` named `new`."""
    if old.lower() not in clause.lower():
        return clause
    condition = sqlglot.parse_one(f"SELECT {clause}", read="mysql").expressions[0]
    _rename_references(condition, old, new)
    text: str = condition.sql(dialect="mysql", identify=True)
    return text


def read_draft(conn: apsw.Connection, db: str, table: str) -> Draft:
    """The current definition of `table`, to alter."""
    infos = describe(conn, table)
    if infos is None:
        raise SQLError(ER_NO_SUCH_TABLE, f"Table '{db}.{table}' doesn't exist")
    extras = read_extras(conn, table)
    # Column definitions as SHOW CREATE TABLE prints them, without its keys and constraints.
    columns_only = Extras((), tuple(c for c in extras.checks if c.column), extras.collations,
                          column_comments=extras.column_comments, generated=extras.generated)
    text = create_table_text(conn, table, infos, columns_only)
    parsed = sqlglot.parse_one(text, read="mysql")
    columns = [e for e in parsed.this.expressions if isinstance(e, exp.ColumnDef)]
    keys = table_keys(conn, table)
    primary = next((list(c.lower() for c in k.columns) for k in keys if k.primary), None)
    draft = Draft(table, columns, primary, [Key(k.name, k.unique, list(zip(k.columns, k.descending or
                                                                          (False,) * len(k.columns), strict=True)))
                                            for k in keys if not k.primary],
                  list(extras.fks), [c for c in extras.checks if c.column is None])
    draft.sources = {c.name.lower(): c.name for c in columns}
    draft.comment = extras.comment
    return draft


def _apply(draft: Draft, action: exp.Expr, sql: str) -> None:
    if isinstance(action, exp.ColumnDef):
        if any(c.name.lower() == action.name.lower() for c in draft.columns):
            if action.args.get("exists"):  # ADD COLUMN IF NOT EXISTS: a note
                note(1060, f"Duplicate column name '{action.name}'")
                return
            raise SQLError(1060, f"Duplicate column name '{action.name}'", "42S21")
        col = action.copy()
        draft.place(col, None)
        draft.sources[col.name.lower()] = None
    elif isinstance(action, exp.ModifyColumn):
        col = action.this.copy()
        old = action.args.get("rename_from")
        old_name = old.name if old is not None else col.name
        i = draft.find(old_name)
        old_type = draft.columns[i].args["kind"]
        if not _in_place(old_type, col.args.get("kind")):
            draft.copies = True
        source = draft.sources.pop(draft.columns[i].name.lower())
        if col.name.lower() != old_name.lower() and any(c.name.lower() == col.name.lower() for c in draft.columns):
            raise SQLError(1060, f"Duplicate column name '{col.name}'", "42S21")
        del draft.columns[i]
        draft.place(col, i)
        draft.sources[col.name.lower()] = source
        if col.name != old_name:
            draft.rename_column(old_name, col.name)
    elif isinstance(action, exp.RenameColumn):
        old_name, new_name = action.this.name, action.args["to"].name
        i = draft.find(old_name)
        col = draft.columns[i]
        col.set("this", exp.to_identifier(new_name))
        draft.sources[new_name.lower()] = draft.sources.pop(old_name.lower())
        draft.rename_column(old_name, new_name)
    elif isinstance(action, exp.AlterColumn):
        col = draft.columns[draft.find(action.this.name)]
        kept = [c for c in col.args.get("constraints") or []
                if not isinstance(c.args.get("kind"), exp.DefaultColumnConstraint)]
        default = action.args.get("default")
        if default is not None:
            kept.append(exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(this=default.copy())))
        elif not action.args.get("drop"):
            raise not_supported("ALTER TABLE " + action.sql(dialect="mysql"))
        col.set("constraints", kept)
    elif isinstance(action, exp.Drop):
        _drop(draft, action, sql)
    elif isinstance(action, exp.DropPrimaryKey):
        if draft.primary_key is None:
            raise _cant_drop("INDEX", "PRIMARY")
        draft.primary_key = None
        for col in draft.columns:
            col.set("constraints", [c for c in col.args.get("constraints") or []
                                    if not isinstance(c.args.get("kind"), exp.AutoIncrementColumnConstraint)])
    elif isinstance(action, exp.AddConstraint):
        for e in action.expressions:
            _add_constraint(draft, e)
    elif isinstance(action, (exp.IndexColumnConstraint, exp.UniqueColumnConstraint, exp.Constraint,
                             exp.ForeignKey, exp.PrimaryKey)):
        _add_constraint(draft, action)
    elif isinstance(action, exp.RenameIndex):
        old_name, new_name = action.this.name, action.args["to"].name
        key = next((k for k in draft.keys if k.name and k.name.lower() == old_name.lower()), None)
        if key is None:
            raise SQLError(1176, f"Key '{old_name}' doesn't exist in table '{draft.name}'", "42000")
        key.name = new_name
    elif isinstance(action, exp.AlterRename):
        if action.this.text("db"):
            raise not_supported("ALTER TABLE ... RENAME TO another database")
        draft.rename_to = action.this.name
    else:
        raise not_supported("ALTER TABLE " + action.sql(dialect="mysql"))


def _drop(draft: Draft, action: exp.Drop, sql: str) -> None:
    try:
        _drop_one(draft, action, sql)
    except SQLError as e:
        if e.code != 1091 or not action.args.get("exists"):
            raise
        note(1091, e.message)  # DROP ... IF EXISTS of what is not there: a note


def _drop_one(draft: Draft, action: exp.Drop, sql: str) -> None:
    kind = (action.args.get("kind") or "").upper()
    target = action.this or (action.args.get("tables") or [None])[0]
    if target is None:
        raise syntax_error(sql)
    name = target.name
    if kind == "COLUMN":
        try:
            i = draft.find(name)
        except SQLError:
            raise _cant_drop("COLUMN", name) from None
        if len(draft.columns) == 1:
            raise SQLError(1090, "You can't delete all columns with ALTER TABLE; use DROP TABLE instead", "42000")
        if any(isinstance(c.args.get("kind"), exp.ComputedColumnConstraint) and c.args["kind"].args.get("persisted")
               for c in draft.columns[i].args.get("constraints") or []):
            draft.copies = True  # InnoDB drops a STORED generated column by copying the rows
        del draft.columns[i]
        draft.sources.pop(name.lower(), None)
        # MariaDB takes the column out of the keys (a key left with no column goes).
        for k in draft.keys:
            k.columns = [(c, d) for c, d in k.columns if c.lower() != name.lower()]
        draft.keys = [k for k in draft.keys if k.columns]
        if draft.primary_key:
            draft.primary_key = [c for c in draft.primary_key if c != name.lower()] or None
        # ... and drops the CHECKs that use it.
        used = re.compile(rf"`{re.escape(name)}`", re.I)
        draft.checks = [c for c in draft.checks if not used.search(c.clause)]
        return
    if kind in ("INDEX", "KEY"):
        found = next((k for k in draft.keys if k.name and k.name.lower() == name.lower()), None)
        if found is None:
            if name.upper() == "PRIMARY" and draft.primary_key is not None:
                draft.primary_key = None
                return
            raise _cant_drop("INDEX", name)
        _check_index_not_needed(draft, found)
        draft.keys.remove(found)
        return
    if kind == "FOREIGN KEY":
        fk = next((f for f in draft.fks if f.name.lower() == name.lower()), None)
        if fk is None:
            raise _cant_drop("FOREIGN KEY", name)
        draft.fks.remove(fk)
        return
    if kind == "CHECK":
        raise syntax_error(f"CHECK {name}")  # MariaDB drops a CHECK with DROP CONSTRAINT
    if kind == "CONSTRAINT":
        check = next((c for c in draft.checks if c.name.lower() == name.lower()), None)
        if check is not None:
            draft.checks.remove(check)
            return
        for col in draft.columns:  # a column's own CHECK is named after the column
            if col.name.lower() == name.lower() and any(isinstance(c.args.get("kind"), exp.CheckColumnConstraint)
                                                        for c in col.args.get("constraints") or []):
                col.set("constraints", [c for c in col.args.get("constraints") or []
                                        if not isinstance(c.args.get("kind"), exp.CheckColumnConstraint)])
                return
        fk = next((f for f in draft.fks if f.name.lower() == name.lower()), None)
        if fk is not None:
            draft.fks.remove(fk)
            return
        key = next((k for k in draft.keys if k.unique and k.name and k.name.lower() == name.lower()), None)
        if key is not None:
            draft.keys.remove(key)
            return
        raise _cant_drop(kind, name)
    raise not_supported("ALTER TABLE DROP " + kind)


def _in_place(old: exp.DataType, new: exp.Expr | None) -> bool:
    """Whether MariaDB changes a column's type without copying the rows: the same type, or a
    VARCHAR/VARBINARY made longer."""
    if not isinstance(new, exp.DataType):
        return False
    before, after = mysql_type_text(old), mysql_type_text(new)
    if before == after:
        return True
    m1, m2 = re.fullmatch(r"(varchar|varbinary)\((\d+)\)", before), re.fullmatch(r"(varchar|varbinary)\((\d+)\)", after)
    return bool(m1 and m2 and m1.group(1) == m2.group(1) and int(m2.group(2)) >= int(m1.group(2)))


def _check_index_not_needed(draft: Draft, key: Key) -> None:
    """1553 when a foreign key needs the index (no other key starts with its columns)."""
    others = [[c.lower() for c, _ in k.columns] for k in draft.keys if k is not key]
    if draft.primary_key:
        others.append(draft.primary_key)
    mine = [c.lower() for c, _ in key.columns]
    for fk in draft.fks:
        cols = [c.lower() for c in fk.columns]
        if mine[:len(cols)] == cols and not any(o[:len(cols)] == cols for o in others):
            raise SQLError(1553, f"Cannot drop index '{key.name}': needed in a foreign key constraint", "HY000")


def _add_constraint(draft: Draft, e: exp.Expr) -> None:
    name = e.name if isinstance(e, exp.Constraint) else None
    inner = e.expressions[0] if isinstance(e, exp.Constraint) and e.expressions else e
    if isinstance(inner, exp.PrimaryKey):
        if draft.primary_key is not None:
            raise SQLError(1068, "Multiple primary key defined", "42000")
        draft.primary_key = [c.lower() for c, _ in key_columns(list(inner.expressions))]
    elif isinstance(inner, exp.UniqueColumnConstraint):
        schema = inner.this
        cols = schema.expressions if isinstance(schema, exp.Schema) else inner.expressions
        key_name = schema.name if isinstance(schema, exp.Schema) and schema.this is not None else name
        draft.keys.append(Key(key_name or None, True, key_columns(list(cols))))
    elif isinstance(inner, exp.IndexColumnConstraint):
        draft.keys.append(Key(inner.name or None, False, key_columns(list(inner.expressions))))
    elif isinstance(inner, exp.ForeignKey):
        fk = foreign_key(inner, name or "")
        if fk.name and any(f.name.lower() == fk.name.lower() for f in draft.fks):
            raise SQLError(1826, f"Duplicate FOREIGN KEY constraint name '{fk.name}'", "HY000")
        draft.fks.append(fk)
        draft.keys.append(Key(name or None, False, [(c, False) for c in fk.columns], for_fk=True))
    elif isinstance(inner, exp.CheckColumnConstraint):
        draft.checks.append(CheckDef(name or "", inner.this.sql(dialect="mysql", identify=True)))
        draft.copies = True  # the rows are checked
    else:
        raise not_supported("ALTER TABLE ADD " + e.sql(dialect="mysql"))


def definition_of(draft: Draft) -> TableDefinition:
    """The definition a draft describes."""
    table = TableDefinition(draft.name, primary_key=draft.primary_key, comment=draft.comment)
    for col in draft.columns:
        table.add_column(col)
    table.keys.extend(draft.keys)
    table.fks.extend(draft.fks)
    for check in draft.checks:
        condition = sqlglot.parse_one(f"SELECT {check.clause}", read="mysql").expressions[0]
        table.add_check(check.name or None, condition)
    return table


def _implicit_default(col: exp.ColumnDef) -> str:
    """The value MariaDB gives existing rows in a new NOT NULL column without a default."""
    type_text = col.args["kind"].sql(dialect="mysql").lower()
    for prefix, value in _IMPLICIT_DEFAULT:
        if prefix in type_text:
            return value
    return "''"


def _copy_values(draft: Draft, table: TableDefinition) -> tuple[list[str], list[str]]:
    """(columns of the new table, what fills each from the old one)."""
    targets, values = [], []
    for col in draft.columns:
        if any(isinstance(c.args.get("kind"), exp.ComputedColumnConstraint) for c in col.args.get("constraints") or []):
            continue  # a generated column's values are computed again, not copied
        source = draft.sources.get(col.name.lower())
        if source is not None:
            targets.append(quote(col.name))
            values.append(quote(source))
            continue
        constraints = [c.args.get("kind") for c in col.args.get("constraints") or []]
        not_null = any(isinstance(c, exp.NotNullColumnConstraint) and not c.args.get("allow_null")
                       for c in constraints)
        has_default = any(isinstance(c, (exp.DefaultColumnConstraint, exp.AutoIncrementColumnConstraint))
                          for c in constraints)
        if not_null and not has_default:
            targets.append(quote(col.name))
            values.append(_implicit_default(col))
    return targets, values


@dataclass(frozen=True, slots=True)
class Alteration:
    """The SQLite statements of an ALTER TABLE; `adds_foreign_key`: the table's rows must be checked
    against a new foreign key once they ran."""

    statements: tuple[str, ...]
    adds_foreign_key: bool
    table: str  # its name once altered
    copies: bool  # the rows count as affected (see Draft)


def alter_statements(conn: apsw.Connection, db: str, table: str, actions: tuple[exp.Expr, ...], sql: str,
                     *, foreign_key_checks: bool, order: str | None = None, comment: str | None = None) -> Alteration:
    """ALTER TABLE `table` `actions`, reading its definition through `conn` (in the DDL's transaction):
    the table is made again, its rows copied (in `order`, an SQLite ORDER BY clause, if given)."""
    draft = read_draft(conn, db, table)
    table = draft.name  # as stored
    before = {f.name.lower() for f in draft.fks}
    for action in actions:
        _apply(draft, action, sql)
    if comment is not None:
        draft.comment = comment
    if order is not None:
        draft.copies = True  # MariaDB copies the rows to sort them, and counts them
        if draft.primary_key:  # InnoDB keeps rows in primary key order
            warn(1105, f"ORDER BY ignored as there is a user-defined clustered index in the table '{table}'")
            order = None
    definition = definition_of(draft)
    temp = _TEMP_PREFIX + table
    built = definition.build(name=temp)
    targets, values = _copy_values(draft, definition)
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchall() \
        if conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").fetchall() else []
    statements = [built.create]
    if targets:
        statements.append(f"INSERT INTO {quote(temp)} ({', '.join(targets)}) SELECT {', '.join(values)} "
                          f"FROM {quote(table)}" + (f" ORDER BY {order}" if order else ""))
    statements += [
        f"DROP TABLE {quote(table)}",
        # Rename without rewriting other tables' references to it (they name `table` already).
        "PRAGMA legacy_alter_table = ON",
        f"ALTER TABLE {quote(temp)} RENAME TO {quote(table)}",
        "PRAGMA legacy_alter_table = OFF",
        *built.indexes, *built.extras,
    ]
    if seq and seq[0][0] and definition.auto_column:
        statements.append(f"UPDATE sqlite_sequence SET seq = max(seq, {int(seq[0][0])}) WHERE name = "
                          f"'{table.replace(chr(39), chr(39) * 2)}'")
    added = [fk for fk in definition.fks if fk.name.lower() not in before]
    if foreign_key_checks:
        for fk in added:
            _check_parent(conn, db, table, fk)
    if draft.rename_to is not None and draft.rename_to.lower() != table.lower():
        statements += rename_table_statements(conn, table, draft.rename_to)
    checked = bool(added) and foreign_key_checks
    return Alteration(tuple(statements), checked, draft.rename_to or table, draft.copies or checked)


def _check_parent(conn: apsw.Connection, db: str, table: str, fk: ForeignKeyDef) -> None:
    """A new foreign key's parent must exist (errno 150, as InnoDB reports it)."""
    if fk.table.lower() == table.lower():
        return
    if not conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE",
                        (fk.table,)).fetchall():
        raise SQLError(1005, f"Can't create table `{db}`.`{table}` (errno: 150 \"Foreign key constraint is "
                             "incorrectly formed\")", "HY000")


def rename_table_statements(conn: apsw.Connection, old: str, new: str) -> tuple[str, ...]:
    """RENAME TABLE old TO new: SQLite rewrites the other tables' foreign keys to it; their extras
    are rewritten here."""
    statements = [f"ALTER TABLE {quote(old)} RENAME TO {quote(new)}"]
    extras = read_extras(conn, old)
    statements += delete_statements(old)
    statements += save_statements(new, extras)
    for child, _ in referencing(conn, old):
        child_extras = read_extras(conn, child)
        fks = tuple(ForeignKeyDef(f.name, f.columns, new if f.table.lower() == old.lower() else f.table,
                                  f.ref_columns, f.on_delete, f.on_update) for f in child_extras.fks)
        statements += save_statements(child, replace(child_extras, fks=fks))
    return tuple(statements)

"""A MySQL CREATE TABLE body as SQLite statements: the table, its indexes, and its extras (the names
of its foreign keys and CHECKs, see `_schema`), named as MariaDB names them.

MariaDB's naming, kept here: an unnamed key is named after its first column (`a`, then `a_2`); an
unnamed foreign key is `<table>_ibfk_<n>`, and gets an index of its columns (named after the
constraint if it has a name, else after its first column) unless a key already starts with them;
an unnamed table CHECK is `CONSTRAINT_<n>`, a column's CHECK is named after the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from sqlglot import exp

from .._errors import SQLError, not_supported
from .._sqlite import quote
from ._schema import CheckDef, Extras, ForeignKeyDef, save_statements
from ._tabledefs import ColumnSQL, check_clause, check_sqlite, column_sql

_ACTION: Final = re.compile(r"(?i)ON\s+(DELETE|UPDATE)\s+(CASCADE|SET\s+NULL|SET\s+DEFAULT|RESTRICT|NO\s+ACTION)")


@dataclass(slots=True)
class Key:
    """An index: its name (None until named), whether unique, its columns (name, descending)."""

    name: str | None
    unique: bool
    columns: list[tuple[str, bool]]
    for_fk: bool = False

    def sqlite(self, table: str) -> str:
        cols = ", ".join(quote(c) + (" DESC" if desc else "") for c, desc in self.columns)
        return (f"CREATE {'UNIQUE ' if self.unique else ''}INDEX {quote(f'{table}.{self.name}')} ON {quote(table)} "
                f"({cols})")


def key_columns(exprs: list[exp.Expr]) -> list[tuple[str, bool]]:
    out = []
    for e in exprs:
        if isinstance(e, exp.Ordered):
            out.append((e.this.name, bool(e.args.get("desc"))))
        else:
            out.append((e.name, False))
    return out


def foreign_key(fk: exp.ForeignKey, name: str) -> ForeignKeyDef:
    ref = fk.args.get("reference")
    target = ref.this if ref is not None else None
    if ref is None or not isinstance(target, exp.Schema) or not target.expressions:
        raise not_supported("FOREIGN KEY without referenced columns")
    if target.this.text("db"):
        raise not_supported("FOREIGN KEY referencing another database")
    actions = {event.upper(): " ".join(action.upper().split())
               for event, action in _ACTION.findall(" ".join(str(o) for o in ref.args.get("options") or []))}
    return ForeignKeyDef(name, tuple(c.name for c in fk.expressions), target.this.name,
                         tuple(c.name for c in target.expressions), actions.get("DELETE"), actions.get("UPDATE"))


@dataclass
class TableDefinition:
    """The parts of a CREATE TABLE body (see module docstring); `statements()` makes them SQLite's."""

    name: str
    columns: list[ColumnSQL] = field(default_factory=list)
    column_names: list[str] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    fks: list[ForeignKeyDef] = field(default_factory=list)
    checks: list[CheckDef] = field(default_factory=list)
    table_checks: list[str] = field(default_factory=list)  # SQLite text of the table-level CHECKs
    primary_key: list[str] | None = None
    auto_column: str | None = None
    comment: str = ""

    @classmethod
    def of(cls, name: str, schema: exp.Schema) -> TableDefinition:
        """The definition of CREATE TABLE `name` (`schema`: its parsed body)."""
        table = cls(name)
        for e in schema.expressions:
            pk = _primary_key(e)
            if pk is not None:
                if table.primary_key is not None:
                    raise SQLError(1068, "Multiple primary key defined", "42000")
                table.primary_key = pk
        for e in schema.expressions:
            if isinstance(e, exp.ColumnDef):
                table.add_column(e)
        for e in schema.expressions:
            if not isinstance(e, exp.ColumnDef):
                table.add_constraint(e)
        return table

    # -- the parts ------------------------------------------------------------------------------

    def add_column(self, e: exp.ColumnDef) -> None:
        pk = self.primary_key
        col = column_sql(e, pk[0] if pk and len(pk) == 1 else None, pk is not None and e.name.lower() in pk)
        if col.primary:
            if self.primary_key is not None:
                raise SQLError(1068, "Multiple primary key defined", "42000")
            self.primary_key = [e.name.lower()]
        if col.auto:
            self.auto_column = e.name.lower()
        if col.unique:
            self.keys.append(Key(None, True, [(e.name, False)]))
        if col.check is not None:
            self.checks.append(CheckDef(e.name, col.check, e.name))
        self.columns.append(col)
        self.column_names.append(e.name)

    def add_constraint(self, e: exp.Expr) -> None:
        name = e.name if isinstance(e, exp.Constraint) else None
        inner = e.expressions[0] if isinstance(e, exp.Constraint) and e.expressions else e
        if isinstance(inner, exp.PrimaryKey):
            return  # read first (see `of`)
        if isinstance(inner, exp.UniqueColumnConstraint):
            schema = inner.this
            cols = schema.expressions if isinstance(schema, exp.Schema) else inner.expressions
            key_name = schema.name if isinstance(schema, exp.Schema) and schema.this is not None else name
            self.keys.append(Key(key_name or None, True, key_columns(cols)))
        elif isinstance(inner, exp.IndexColumnConstraint):
            self.keys.append(Key(inner.name or None, False, key_columns(inner.expressions)))
        elif isinstance(inner, exp.ForeignKey):
            fk = foreign_key(inner, name or "")
            self.fks.append(fk)
            # Its index, if no key starts with its columns; where it is declared (named later).
            self.keys.append(Key(name or None, False, [(c, False) for c in fk.columns], for_fk=True))
        elif isinstance(inner, exp.CheckColumnConstraint):
            self.add_check(name, inner.this)
        else:
            raise not_supported(e.sql(dialect="mysql"))

    def add_check(self, name: str | None, condition: exp.Expr) -> None:
        if name is None:
            taken = {c.name.lower() for c in self.checks}
            n = sum(1 for c in self.checks if c.column is None) + 1
            while f"constraint_{n}" in taken:
                n += 1
            name = f"CONSTRAINT_{n}"
        if any(c.name.lower() == name.lower() for c in self.checks):
            raise SQLError(1826, f"Duplicate CHECK constraint name '{name}'", "HY000")
        self.checks.append(CheckDef(name, check_clause(condition)))
        self.table_checks.append(check_sqlite(name, condition))

    # -- naming ---------------------------------------------------------------------------------

    def _name_everything(self) -> list[Key]:
        """The keys to make, named; foreign keys named; their indexes kept only where needed."""
        columns = {c.lower() for c in self.column_names}
        n = 0
        taken_fk = {fk.name.lower() for fk in self.fks if fk.name}
        for i, fk in enumerate(self.fks):
            for c in fk.columns:
                if c.lower() not in columns:
                    raise SQLError(1072, f"Key column '{c}' doesn't exist in table", "42000")
            if not fk.name:
                n += 1
                while f"{self.name}_ibfk_{n}".lower() in taken_fk:
                    n += 1
                self.fks[i] = ForeignKeyDef(f"{self.name}_ibfk_{n}", fk.columns, fk.table, fk.ref_columns,
                                            fk.on_delete, fk.on_update)
        covering = [[c.lower() for c, _ in k.columns] for k in self.keys if not k.for_fk]
        if self.primary_key:
            covering.append(list(self.primary_key))
        made: list[Key] = []
        taken = {"primary"}
        for key in self.keys:
            for c, _ in key.columns:
                if c.lower() not in columns:
                    raise SQLError(1072, f"Key column '{c}' doesn't exist in table", "42000")
            cols = [c.lower() for c, _ in key.columns]
            if key.for_fk:
                if any(k[:len(cols)] == cols for k in covering):
                    continue
                covering.append(cols)
            if key.name is None:
                base = key.columns[0][0]
                name, i = base, 1
                while name.lower() in taken:
                    i += 1
                    name = f"{base}_{i}"
                key.name = name
            elif key.name.lower() in taken:
                raise SQLError(1061, f"Duplicate key name '{key.name}'", "42000")
            taken.add(key.name.lower())
            made.append(key)
        return made

    def extras(self) -> Extras:
        collations = {name.lower(): col.collation for name, col in zip(self.column_names, self.columns, strict=True)
                      if col.collation}
        comments = {name.lower(): col.comment for name, col in zip(self.column_names, self.columns, strict=True)
                    if col.comment}
        generated = {name.lower(): col.generated for name, col in zip(self.column_names, self.columns, strict=True)
                     if col.generated}
        return Extras(tuple(self.fks), tuple(self.checks), collations, self.comment, comments, generated=generated)

    def build(self, if_not_exists: bool = False, name: str | None = None) -> Built:
        """The SQLite statements (`name`: make the table under another name, for a rebuild)."""
        keys = self._name_everything()
        constraints = []
        pk = self.primary_key
        if pk and not (self.auto_column and len(pk) == 1 and pk[0] == self.auto_column):
            for c in pk:
                if c not in {n.lower() for n in self.column_names}:
                    raise SQLError(1072, f"Key column '{c}' doesn't exist in table", "42000")
            if not any(col.primary for col in self.columns):
                constraints.append("PRIMARY KEY (" + ", ".join(quote(c) for c in pk) + ")")
        constraints += [fk.sqlite() for fk in self.fks] + self.table_checks
        body = ", ".join([c.text for c in self.columns] + constraints)
        exists = "IF NOT EXISTS " if if_not_exists else ""
        create = f"CREATE TABLE {exists}{quote(name or self.name)} ({body})"
        # Unique keys first, as MariaDB orders them (SHOW INDEX reads the order the indexes were made).
        indexes = [k.sqlite(self.name) for k in sorted(keys, key=lambda k: not k.unique)]
        if if_not_exists:
            indexes = [i.replace(" INDEX ", " INDEX IF NOT EXISTS ", 1) for i in indexes]
        return Built(create, tuple(indexes), save_statements(self.name, self.extras(), replace=not if_not_exists))

    def statements(self, if_not_exists: bool = False) -> tuple[str, ...]:
        """CREATE TABLE, then CREATE INDEX for each key, then the extras."""
        built = self.build(if_not_exists)
        return (built.create, *built.indexes, *built.extras)


@dataclass(frozen=True, slots=True)
class Built:
    create: str
    indexes: tuple[str, ...]
    extras: tuple[str, ...]


def _primary_key(e: exp.Expr) -> list[str] | None:
    inner = e.expressions[0] if isinstance(e, exp.Constraint) and e.expressions else e
    if isinstance(inner, exp.PrimaryKey):
        return [key_columns([c])[0][0].lower() for c in inner.expressions]
    return None

"""CREATE TABLE and ALTER TABLE as SQLite statements that keep MySQL's types.

CREATE TABLE is generated here rather than by sqlglot's SQLite dialect, which maps every type to
an SQLite storage class and so loses what MySQL clients must see: columns keep MySQL's type text
(`varchar(20)`, `decimal(10,2)`) as their SQLite declared type, which still yields the right SQLite
affinity.
"""

from __future__ import annotations

from typing import Final

from sqlglot import exp

from .._errors import SQLError, not_supported, syntax_error
from .._rewrite import rewrite_functions, to_sqlite
from .._sqlite import quote
from .._strict import strict_check

_INT_DISPLAY: Final = {
    exp.DataType.Type.TINYINT: ("tinyint", 4, 3),
    exp.DataType.Type.UTINYINT: ("tinyint", 3, 3),
    exp.DataType.Type.SMALLINT: ("smallint", 6, 5),
    exp.DataType.Type.USMALLINT: ("smallint", 5, 5),
    exp.DataType.Type.MEDIUMINT: ("mediumint", 9, 8),
    exp.DataType.Type.UMEDIUMINT: ("mediumint", 8, 8),
    exp.DataType.Type.INT: ("int", 11, 10),
    exp.DataType.Type.UINT: ("int", 10, 10),
    exp.DataType.Type.BIGINT: ("bigint", 20, 20),
    exp.DataType.Type.UBIGINT: ("bigint", 20, 20),
}
_UNSIGNED: Final = {exp.DataType.Type.UTINYINT, exp.DataType.Type.USMALLINT, exp.DataType.Type.UMEDIUMINT,
                    exp.DataType.Type.UINT, exp.DataType.Type.UBIGINT}
_SIMPLE_DISPLAY: Final = {
    exp.DataType.Type.BOOLEAN: "tinyint(1)",
    exp.DataType.Type.DATE: "date",
    exp.DataType.Type.DATETIME: "datetime",
    exp.DataType.Type.TIMESTAMP: "timestamp",
    exp.DataType.Type.TIMESTAMPTZ: "timestamp",
    exp.DataType.Type.TIME: "time",
    exp.DataType.Type.YEAR: "year(4)",
    exp.DataType.Type.TEXT: "text",
    exp.DataType.Type.TINYTEXT: "tinytext",
    exp.DataType.Type.MEDIUMTEXT: "mediumtext",
    exp.DataType.Type.LONGTEXT: "longtext",
    exp.DataType.Type.JSON: "longtext",
    exp.DataType.Type.BLOB: "blob",
    exp.DataType.Type.TINYBLOB: "tinyblob",
    exp.DataType.Type.MEDIUMBLOB: "mediumblob",
    exp.DataType.Type.LONGBLOB: "longblob",
    exp.DataType.Type.DOUBLE: "double",
    exp.DataType.Type.FLOAT: "float",
    exp.DataType.Type.UUID: "uuid",
}
_TEXTUAL: Final = ("char", "varchar", "text", "tinytext", "mediumtext", "longtext", "enum", "set")


def mysql_type_text(dtype: exp.DataType) -> str:
    """The type as MariaDB's DESCRIBE shows it (`int(11)`, `varchar(20)`, `decimal(10,2)`)."""
    t = dtype.this
    params = [p.this.name if isinstance(p, exp.DataTypeParam) else p.name for p in dtype.expressions]
    if t in _INT_DISPLAY:
        base, width, _ = _INT_DISPLAY[t]
        if params:
            width = int(params[0])
        return f"{base}({width})" + (" unsigned" if t in _UNSIGNED else "")
    if t in _SIMPLE_DISPLAY:
        base = _SIMPLE_DISPLAY[t]
        if t in (exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIME) and params:
            return f"{base}({params[0]})"
        return base
    if t in (exp.DataType.Type.DECIMAL, exp.DataType.Type.UDECIMAL):
        p = params[0] if params else "10"
        s = params[1] if len(params) > 1 else "0"
        return f"decimal({p},{s})"
    if t == exp.DataType.Type.DOUBLE:
        return "double"
    if t in (exp.DataType.Type.VARCHAR, exp.DataType.Type.NVARCHAR):
        if not params:
            raise syntax_error(dtype.sql(dialect="mysql"), "VARCHAR needs a length")
        return f"varchar({params[0]})"
    if t in (exp.DataType.Type.CHAR, exp.DataType.Type.NCHAR):
        return f"char({params[0] if params else 1})"
    if t == exp.DataType.Type.VARBINARY:
        return f"varbinary({params[0]})" if params else "varbinary"
    if t == exp.DataType.Type.BINARY:
        return f"binary({params[0] if params else 1})"
    if t in (exp.DataType.Type.ENUM, exp.DataType.Type.SET):
        values = ",".join("'" + e.name.replace("'", "''") + "'" for e in dtype.expressions)
        return f"{t.value.lower()}({values})"
    if t == exp.DataType.Type.BIT:
        return f"bit({params[0] if params else 1})"
    return dtype.sql(dialect="mysql").lower()


def _default_sql(value: exp.Expr) -> str:
    if isinstance(value, (exp.CurrentTimestamp, exp.Localtime)) or (
        isinstance(value, exp.Anonymous) and value.name.upper() in ("NOW", "LOCALTIMESTAMP")
    ):
        # MySQL's CURRENT_TIMESTAMP is local time; SQLite's is UTC.
        return "(datetime('now','localtime'))"
    if isinstance(value, exp.CurrentDate):
        return "(date('now','localtime'))"
    if isinstance(value, exp.Null):
        return "NULL"
    if isinstance(value, exp.Literal):
        return value.sql(dialect="sqlite")
    if isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal):
        return value.sql(dialect="sqlite")
    if isinstance(value, exp.Boolean):
        return "1" if value.this else "0"
    rewrite_functions(value)
    return "(" + to_sqlite(value) + ")"


def column_sql(col: exp.ColumnDef, single_pk: str | None) -> tuple[str, bool, bool]:
    """SQLite text of a column; and whether it is AUTO_INCREMENT, and whether it is UNIQUE.

    An inline UNIQUE is not part of the text: the caller makes it a unique index named after the
    column, as MariaDB names the key (so that a 1062 error and SHOW INDEX name it alike).
    """
    name = col.name
    dtype = col.args.get("kind")
    if not isinstance(dtype, exp.DataType):
        raise syntax_error(col.sql(dialect="mysql"), "a column needs a type")
    type_text = mysql_type_text(dtype)
    constraints = [c.args.get("kind") for c in col.args.get("constraints") or []]
    auto = any(isinstance(c, exp.AutoIncrementColumnConstraint) for c in constraints)
    inline_pk = any(isinstance(c, exp.PrimaryKeyColumnConstraint) for c in constraints)
    unique = False
    parts = [quote(name)]
    if auto:
        if not (inline_pk or single_pk == name.lower()):
            raise SQLError(1075, "Incorrect table definition; there can be only one auto column and it must be "
                                 "defined as a key", "42000")
        if "int" not in type_text:
            raise SQLError(1063, f"Incorrect column specifier for column '{name}'", "42000")
        # SQLite's rowid alias must be declared exactly INTEGER PRIMARY KEY; the MySQL type goes in a
        # comment, which SQLite keeps in sqlite_schema.sql for DESCRIBE to find.
        parts.append(f"INTEGER PRIMARY KEY AUTOINCREMENT /*{type_text.replace('*', '')}*/")
    else:
        parts.append(quote(type_text))
        if inline_pk:
            parts.append("PRIMARY KEY")
    collate = None
    for c in constraints:
        if isinstance(c, exp.NotNullColumnConstraint):
            parts.append("NULL" if c.args.get("allow_null") else "NOT NULL")
        elif isinstance(c, exp.DefaultColumnConstraint):
            parts.append("DEFAULT " + _default_sql(c.this))
        elif isinstance(c, exp.UniqueColumnConstraint):
            unique = not inline_pk
        elif isinstance(c, exp.CollateColumnConstraint):
            collate = c.name.lower()
    if type_text.split("(")[0] in _TEXTUAL and not (collate and collate.endswith("_bin")):
        # MySQL's default collations compare case-insensitively.
        parts.append("COLLATE NOCASE")
    check = strict_check(name, type_text)
    if check:
        parts.append(check)
    return " ".join(parts), auto, unique


def index_columns(exprs: list[exp.Expr]) -> str:
    cols = []
    for e in exprs:
        if isinstance(e, exp.Ordered):
            cols.append(quote(e.this.name) + (" DESC" if e.args.get("desc") else ""))
        else:
            cols.append(quote(e.name))
    return ", ".join(cols)


def constraint_sql(e: exp.Expr) -> str:
    inner = e.expressions[0] if isinstance(e, exp.Constraint) and e.expressions else e
    if isinstance(inner, exp.ForeignKey):
        ref = inner.args.get("reference")
        target = ref.this if ref is not None else None
        if ref is None or not isinstance(target, exp.Schema):
            raise not_supported("FOREIGN KEY without referenced columns")
        cols = ", ".join(quote(c.name) for c in inner.expressions)
        rcols = ", ".join(quote(c.name) for c in target.expressions)
        options = " ".join(o.upper() for o in (ref.args.get("options") or []))
        return f"FOREIGN KEY ({cols}) REFERENCES {quote(target.this.name)} ({rcols}) {options}".strip()
    if isinstance(inner, exp.CheckColumnConstraint):
        rewrite_functions(inner.this)  # MySQL's functions only (1305 for SQLite's own, as anywhere)
        return f"CHECK ({to_sqlite(inner.this)})"
    raise not_supported(e.sql(dialect="mysql"))


# -- CREATE TABLE (t (columns, keys)) --------------------------------------------------------------


class TableDefinition:
    """The parts of a CREATE TABLE body, as SQLite text: columns, table constraints, indexes."""

    def __init__(self, name: str, schema: exp.Schema) -> None:
        self.name = name
        self.columns: list[str] = []
        self.constraints: list[str] = []
        self.indexes: list[str] = []
        self.unique_columns: list[str] = []
        self.auto_column: str | None = None
        self.primary_key: list[str] | None = None
        for e in schema.expressions:
            if isinstance(e, exp.PrimaryKey):
                self.primary_key = [c.name.lower() for c in e.expressions]
        for e in schema.expressions:
            self._add(e)

    def _add(self, e: exp.Expr) -> None:
        if isinstance(e, exp.ColumnDef):
            pk = self.primary_key
            text, auto, unique = column_sql(e, pk[0] if pk and len(pk) == 1 else None)
            if auto:
                self.auto_column = e.name.lower()
            if unique:
                self.unique_columns.append(e.name)
            self.columns.append(text)
        elif isinstance(e, exp.PrimaryKey):
            return
        elif isinstance(e, exp.UniqueColumnConstraint):
            self.indexes.append(unique_index_sql(self.name, e))
        elif isinstance(e, exp.IndexColumnConstraint):
            cols = e.expressions
            self.indexes.append(f"CREATE INDEX {quote(f'{self.name}.{e.name or cols[0].name}')} ON {quote(self.name)} "
                                f"({index_columns(cols)})")
        elif isinstance(e, (exp.Constraint, exp.ForeignKey, exp.CheckColumnConstraint)):
            self.constraints.append(constraint_sql(e))
        else:
            raise not_supported(e.sql(dialect="mysql"))

    def statements(self, if_not_exists: bool) -> tuple[str, ...]:
        """CREATE TABLE, then CREATE INDEX for each key."""
        name = self.name
        # MariaDB names an inline UNIQUE key after its column, after the keys the table names itself.
        taken = {i.split('" ON ', 1)[0].rsplit(".", 1)[-1].lower() for i in self.indexes}
        inline: list[str] = []
        for col_name in self.unique_columns:
            index_name, n = col_name, 1
            while index_name.lower() in taken:
                n += 1
                index_name = f"{col_name}_{n}"
            taken.add(index_name.lower())
            inline.append(f"CREATE UNIQUE INDEX {quote(f'{name}.{index_name}')} ON {quote(name)} ({quote(col_name)})")
        indexes = inline + self.indexes  # the column definitions come before the table's own keys
        constraints = list(self.constraints)
        pk = self.primary_key
        if pk and not (self.auto_column and len(pk) == 1 and pk[0] == self.auto_column):
            constraints.insert(0, "PRIMARY KEY (" + ", ".join(quote(c) for c in pk) + ")")
        body = ", ".join(self.columns + [c for c in constraints if c])
        sql = f"CREATE TABLE {'IF NOT EXISTS ' if if_not_exists else ''}{quote(name)} ({body})"
        if if_not_exists:
            indexes = [i.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1).replace(
                "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1) for i in indexes]
        return (sql, *indexes)


def unique_index_sql(table: str, e: exp.UniqueColumnConstraint) -> str:
    """CREATE UNIQUE INDEX for `UNIQUE [name] (cols)`, named as MariaDB names it."""
    inner = e.this
    cols = inner.expressions if isinstance(inner, exp.Schema) else e.expressions
    index_name = inner.name if isinstance(inner, exp.Schema) and inner.this is not None else cols[0].name
    return f"CREATE UNIQUE INDEX {quote(f'{table}.{index_name}')} ON {quote(table)} ({index_columns(cols)})"


# -- ALTER TABLE ------------------------------------------------------------------------------------


def _add_column(name: str, action: exp.ColumnDef) -> list[str]:
    text, auto, unique = column_sql(action, None)
    if auto:
        raise not_supported("ADD COLUMN ... AUTO_INCREMENT")
    statements = [f"ALTER TABLE {quote(name)} ADD COLUMN {text}"]
    if unique:  # SQLite cannot add a UNIQUE column; a unique index does the same
        statements.append(f"CREATE UNIQUE INDEX {quote(f'{name}.{action.name}')} ON {quote(name)} "
                          f"({quote(action.name)})")
    return statements


def _alter_action(name: str, action: exp.Expr, sql: str) -> list[str]:
    if isinstance(action, exp.ColumnDef):
        return _add_column(name, action)
    if isinstance(action, exp.Drop) and (action.args.get("kind") or "").upper() == "COLUMN":
        # sqlglot puts the dropped column in `tables` (older versions: in `this`).
        column = action.this or (action.args.get("tables") or [None])[0]
        if column is None:
            raise syntax_error(sql)
        return [f"ALTER TABLE {quote(name)} DROP COLUMN {quote(column.name)}"]
    if isinstance(action, exp.AlterRename):
        return [f"ALTER TABLE {quote(name)} RENAME TO {quote(action.this.name)}"]
    if isinstance(action, exp.RenameColumn):
        return [f"ALTER TABLE {quote(name)} RENAME COLUMN {quote(action.this.name)} TO "
                f"{quote(action.args['to'].name)}"]
    if isinstance(action, exp.IndexColumnConstraint):
        cols = action.expressions
        return [f"CREATE INDEX {quote(f'{name}.{action.name or cols[0].name}')} ON {quote(name)} "
                f"({index_columns(cols)})"]
    if isinstance(action, exp.UniqueColumnConstraint):
        return [unique_index_sql(name, action)]
    raise not_supported("ALTER TABLE " + action.sql(dialect="mysql"))


def alter_statements(tree: exp.Alter, sql: str) -> tuple[str, ...]:
    """The SQLite statements of an ALTER TABLE, one or more per action."""
    name = tree.this.name
    statements = [s for action in tree.args.get("actions") or [] for s in _alter_action(name, action, sql)]
    if not statements:
        raise not_supported(" ".join(sql.split())[:60])
    return tuple(statements)

"""CREATE TABLE and ALTER TABLE as SQLite statements that keep MySQL's types.

CREATE TABLE is generated here rather than by sqlglot's SQLite dialect, which maps every type to
an SQLite storage class and so loses what MySQL clients must see: columns keep MySQL's type text
(`varchar(20)`, `decimal(10,2)`) as their SQLite declared type, which still yields the right SQLite
affinity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sqlglot import exp

from .._collations import BINARY, sqlite_collation
from .._errors import SQLError, not_supported, syntax_error
from .._rewrite import rewrite_functions, to_sqlite
from .._sqlite import quote
from .._strict import charset_check, strict_check

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
# The default collation of a CHARACTER SET (utf8mb4's is the table's: none to keep).
_CHARSET_COLLATIONS: Final = {"latin1": "latin1_swedish_ci", "utf8": "utf8mb3_general_ci",
                              "utf8mb3": "utf8mb3_general_ci", "binary": "binary"}
_STRINGS: Final = re.compile(r"('(?:[^'\\]|\\.|'')*')")
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
    if t == exp.DataType.Type.FLOAT and len(params) == 1:
        return "double" if int(params[0]) > 24 else "float"  # FLOAT(p): a DOUBLE past 24 bits of precision
    if t in (exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT) and len(params) == 2:
        return f"{_SIMPLE_DISPLAY[t]}({params[0]},{params[1]})"  # DOUBLE(M,D): shown with D decimals
    if t in _SIMPLE_DISPLAY:
        base = _SIMPLE_DISPLAY[t]
        if t in (exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPTZ,
                 exp.DataType.Type.TIME) and params:
            return f"{base}({params[0]})"
        return base
    if t in (exp.DataType.Type.DECIMAL, exp.DataType.Type.UDECIMAL):
        p = params[0] if params else "10"
        s = params[1] if len(params) > 1 else "0"
        return f"decimal({p},{s})" + (" unsigned" if t == exp.DataType.Type.UDECIMAL else "")
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
    while isinstance(value, exp.Paren):  # DEFAULT (CURRENT_DATE) is DEFAULT CURRENT_DATE
        value = value.this
    if isinstance(value, (exp.CurrentTimestamp, exp.Localtime)) or (
        isinstance(value, exp.Anonymous) and value.name.upper() in ("NOW", "LOCALTIMESTAMP")
    ):
        # MySQL's CURRENT_TIMESTAMP is local time; SQLite's is UTC.
        return "(datetime('now','localtime'))"
    if isinstance(value, exp.CurrentDate) or (
        isinstance(value, exp.Anonymous) and value.name.upper() in ("CURDATE", "CURRENT_DATE")
    ):
        return "(date('now','localtime'))"
    if isinstance(value, exp.Null):
        return "NULL"
    if isinstance(value, exp.Literal):
        return value.sql(dialect="sqlite")
    if isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal):
        return value.sql(dialect="sqlite")
    if isinstance(value, exp.Boolean):
        return "1" if value.this else "0"
    if value.find(exp.Column) is not None:
        # SQLite's defaults are constant; MariaDB computes this one from the row's other values
        raise not_supported("DEFAULT of an expression of other columns")
    rewrite_functions(value)
    return "(" + to_sqlite(value) + ")"


@dataclass(frozen=True, slots=True)
class ColumnSQL:
    """A column as SQLite text, and what of its definition the table keeps elsewhere.

    unique: an inline UNIQUE, made a unique index named after the column by the caller (as MariaDB
    names the key, so that a 1062 error and SHOW INDEX name it alike). check: the MySQL text of the
    column's own CHECK (enforced in `text`). collation: a collation other than the default.
    """

    text: str
    auto: bool
    unique: bool
    primary: bool
    check: str | None
    collation: str | None
    comment: str | None = None
    generated: tuple[str, bool] | None = None  # (expression as MariaDB prints it, STORED)


def check_clause(condition: exp.Expr) -> str:
    """A CHECK's condition as MariaDB prints it (`a` > 0, json_valid(`j`): functions in lower case)."""
    return condition.sql(dialect="mysql", identify=True, normalize_functions="lower")


def generation_clause(expression: exp.Expr) -> str:
    """A generated column's expression as MariaDB prints it (`a` * 2, concat('n',`a`)): a CHECK's form,
    without the space after a comma outside string literals."""
    text = check_clause(expression.unnest())
    return "".join(part if i % 2 else part.replace(", ", ",") for i, part in enumerate(_STRINGS.split(text)))


def check_sqlite(name: str, condition: exp.Expr) -> str:
    """A named SQLite CHECK of a MySQL condition (SQLite's error names it: see `_sqlite_errors`)."""
    copy = condition.copy()
    rewrite_functions(copy)
    return f"CONSTRAINT {quote(name)} CHECK ({to_sqlite(copy)})"


def column_sql(col: exp.ColumnDef, single_pk: str | None, in_primary_key: bool = False) -> ColumnSQL:
    """A column's SQLite text and the parts of its definition kept beside it (see ColumnSQL).

    A column of the primary key is NOT NULL, as in MySQL (SQLite would take NULL in one).
    """
    name = col.name
    dtype = col.args.get("kind")
    if not isinstance(dtype, exp.DataType):
        raise syntax_error(col.sql(dialect="mysql"), "a column needs a type")
    type_text = mysql_type_text(dtype)
    constraints = [c.args.get("kind") for c in col.args.get("constraints") or []]
    if any(isinstance(c, exp.ZeroFillColumnConstraint) for c in constraints) and "int(" in type_text:
        if dtype.this in _INT_DISPLAY and not dtype.expressions:  # the unsigned type's width: mediumint(8)
            base, _, width = _INT_DISPLAY[dtype.this]
            type_text = f"{base}({width})"
        type_text = type_text.removesuffix(" unsigned") + " unsigned zerofill"  # ZEROFILL implies UNSIGNED
    auto = any(isinstance(c, exp.AutoIncrementColumnConstraint) for c in constraints)
    inline_pk = any(isinstance(c, exp.PrimaryKeyColumnConstraint) for c in constraints)
    unique = False
    check: str | None = None
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
        if inline_pk or in_primary_key:
            parts.append("NOT NULL")
    collate = None
    comment = None
    generated: tuple[str, bool] | None = None
    checks = []
    for c in constraints:
        if isinstance(c, exp.NotNullColumnConstraint):
            parts.append("NULL" if c.args.get("allow_null") else "NOT NULL")
        elif isinstance(c, exp.DefaultColumnConstraint):
            parts.append("DEFAULT " + _default_sql(c.this))
        elif isinstance(c, exp.UniqueColumnConstraint):
            unique = not inline_pk
        elif isinstance(c, exp.CollateColumnConstraint):
            # sqlglot reads the collation's name as a column (or a string, if quoted)
            collate = (c.this.name if isinstance(c.this, exp.Expr) else str(c.this)).lower()
        elif isinstance(c, exp.CommentColumnConstraint):
            comment = c.this.name if isinstance(c.this, exp.Expr) else str(c.this)
        elif isinstance(c, exp.BinaryColumnConstraint) and collate is None:
            collate = "utf8mb4_bin"  # CHAR(n) BINARY: the binary collation of the character set
        elif isinstance(c, exp.CharacterSetColumnConstraint) and collate is None:
            collate = _CHARSET_COLLATIONS.get(c.name.lower(), f"{c.name.lower()}_general_ci")
        elif isinstance(c, exp.ComputedColumnConstraint):
            stored = bool(c.args.get("persisted"))
            generated = (generation_clause(c.this), stored)
            expression = c.this.unnest().copy()
            rewrite_functions(expression)
            parts.append(f"GENERATED ALWAYS AS ({to_sqlite(expression)}) {'STORED' if stored else 'VIRTUAL'}")
        elif isinstance(c, exp.CheckColumnConstraint):
            # MariaDB names a column's CHECK after the column.
            check = check_clause(c.this)
            checks.append(check_sqlite(name, c.this))
    binary_charset = collate == "binary"  # CHARACTER SET binary: bytes, compared as they are
    if collate == "utf8mb4_general_ci" or collate == "binary":
        collate = None
    elif collate is not None and collate.startswith("utf8_"):
        collate = "utf8mb3_" + collate[5:]  # MariaDB's utf8 is utf8mb3
    if dtype.this == exp.DataType.Type.JSON:
        # MariaDB's JSON is LONGTEXT in utf8mb4_bin that must hold valid JSON (a CHECK named after the column)
        collate = collate or "utf8mb4_bin"
        if check is None:
            valid = exp.Anonymous(this="JSON_VALID", expressions=[exp.column(name, quoted=True)])
            check = check_clause(valid)
            checks.append(check_sqlite(name, valid))
    if collate is None and dtype.this in (exp.DataType.Type.NCHAR, exp.DataType.Type.NVARCHAR):
        collate = "utf8mb3_general_ci"  # NATIONAL CHAR / NCHAR VARYING: MariaDB's national character set
    if type_text.split("(")[0] in _TEXTUAL and dtype.this != exp.DataType.Type.JSON:
        # SQLite compares, sorts, groups and indexes the column by the collation's rules (see _collations).
        parts.append("COLLATE " + (BINARY if binary_charset else sqlite_collation(collate or "utf8mb4_general_ci")))
    strict = strict_check(name, type_text)
    if strict:
        parts.append(strict)
    if collate and type_text.split("(")[0] in _TEXTUAL:
        repertoire = charset_check(name, collate.split("_", 1)[0])
        if repertoire:
            parts.append(repertoire)
    parts.extend(checks)
    collation = collate if collate and collate != "utf8mb4_general_ci" else None
    return ColumnSQL(" ".join(parts), auto, unique, inline_pk, check, collation, comment, generated)


def index_columns(exprs: list[exp.Expr]) -> str:
    """An index's columns as SQLite text, each quoted with backticks: SQLite would read a double-quoted
    name that is no column as a string, and index a constant."""
    cols = []
    for e in exprs:
        column = e.this if isinstance(e, exp.Ordered) else e
        text = "`" + column.name.replace("`", "``") + "`"
        cols.append(text + (" DESC" if isinstance(e, exp.Ordered) and e.args.get("desc") else ""))
    return ", ".join(cols)



"""What MariaDB refuses in a CREATE TABLE before it makes anything, with its errors.

A table name of more than 64 characters or none (1103); a VARCHAR longer than utf8mb4 allows (1074,
in strict mode: otherwise MariaDB makes it a TEXT); DECIMAL beyond 65 digits (1426) or with more
decimals than digits (1427); FLOAT(p) beyond 53 (1063); a numeric column's default that is no number
(1067); an ENUM or SET listing a value twice (1291); a BLOB/TEXT key without a prefix length (1170);
an unknown storage engine (1286).
"""

from __future__ import annotations

import re
from typing import Final

from sqlglot import exp

from .._errors import SQLError

T = exp.DataType.Type
_MAX_NAME: Final = 64
_VARCHAR_MAX: Final = 16383  # 65535 bytes of utf8mb4 (4 bytes a character)
_VARBINARY_MAX: Final = 65532
_NUMERIC: Final = frozenset({T.TINYINT, T.UTINYINT, T.SMALLINT, T.USMALLINT, T.MEDIUMINT, T.UMEDIUMINT, T.INT,
                             T.UINT, T.BIGINT, T.UBIGINT, T.DECIMAL, T.UDECIMAL, T.DOUBLE, T.UDOUBLE, T.FLOAT})
_BLOBS: Final = frozenset({T.TEXT, T.MEDIUMTEXT, T.LONGTEXT, T.TINYTEXT, T.BLOB, T.MEDIUMBLOB, T.LONGBLOB,
                           T.TINYBLOB, T.JSON})
_ENGINES: Final = frozenset({"innodb", "myisam", "aria", "memory", "csv", "mrg_myisam", "sequence",
                             "performance_schema", "heap", "merge"})
_NUMBER: Final = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def check_table_name(name: str) -> None:
    if not name or len(name) > _MAX_NAME or name.endswith(" "):
        raise SQLError(1103, f"Incorrect table name '{name}'", "42000")


def _params(dtype: exp.DataType) -> list[int]:
    out = []
    for p in dtype.expressions:
        text = p.this.name if isinstance(p, exp.DataTypeParam) else p.name
        if not text.isdigit():
            return []
        out.append(int(text))
    return out


_BINARY_OF: Final = {T.TEXT: T.BLOB, T.TINYTEXT: T.TINYBLOB, T.MEDIUMTEXT: T.MEDIUMBLOB, T.LONGTEXT: T.LONGBLOB,
                     T.VARCHAR: T.VARBINARY, T.CHAR: T.BINARY}


def silent_column_changes(col: exp.ColumnDef) -> str | None:
    """MariaDB's silent column changes, made to `col`'s type: a string type of CHARACTER SET binary is the
    binary type (TEXT is BLOB, VARCHAR(n) VARBINARY(n)); a VARCHAR or VARBINARY too long for a row (which
    strict mode refused, see `check_column`) is the TEXT or BLOB that holds it, with the note (1246) it
    returns."""
    dtype = col.args.get("kind")
    if not isinstance(dtype, exp.DataType):
        return None
    t, params = dtype.this, _params(dtype)
    binary = [c for c in col.args.get("constraints") or []
              if isinstance(c.args.get("kind"), exp.CharacterSetColumnConstraint)
              and c.args["kind"].name.lower() == "binary"]
    if binary and t in _BINARY_OF:
        dtype.set("this", _BINARY_OF[t])
        t = _BINARY_OF[t]
        for c in binary:
            c.pop()
    if t in (T.VARCHAR, T.NVARCHAR) and params and params[0] > _VARCHAR_MAX:
        bytes_ = params[0] * 4
        dtype.replace(exp.DataType(this=T.MEDIUMTEXT if bytes_ < 1 << 24 else T.LONGTEXT))
        return f"Converting column '{col.name}' from VARCHAR to TEXT"
    if t == T.VARBINARY and params and params[0] > _VARBINARY_MAX:
        kind = T.BLOB if params[0] < 1 << 16 else T.MEDIUMBLOB if params[0] < 1 << 24 else T.LONGBLOB
        dtype.replace(exp.DataType(this=kind))
        return f"Converting column '{col.name}' from VARBINARY to BLOB"
    return None


def check_column(col: exp.ColumnDef, strict: bool) -> None:
    """1074, 1426, 1427, 1063, 1067, 1291 for one column definition."""
    dtype = col.args.get("kind")
    if not isinstance(dtype, exp.DataType):
        return
    name, t, params = col.name, dtype.this, _params(dtype)
    if t in (T.VARCHAR, T.NVARCHAR) and params and params[0] > _VARCHAR_MAX and strict:
        raise SQLError(1074, f"Column length too big for column '{name}' (max = {_VARCHAR_MAX}); use BLOB or TEXT "
                             "instead", "42000")
    if t == T.VARBINARY and params and params[0] > _VARBINARY_MAX and strict:
        raise SQLError(1074, f"Column length too big for column '{name}' (max = {_VARBINARY_MAX}); use BLOB or "
                             "TEXT instead", "42000")
    if t in (T.DECIMAL, T.UDECIMAL) and params:
        if params[0] > 65:
            raise SQLError(1426, f"Too big precision specified for '{name}'. Maximum is 65", "42000")
        if len(params) > 1 and params[1] > params[0]:
            raise SQLError(1427, f"For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column '{name}')",
                           "42000")
    if t == T.FLOAT and len(params) == 1 and params[0] > 53:
        raise SQLError(1063, f"Incorrect column specifier for column '{name}'", "42000")
    if t in (T.ENUM, T.SET):
        seen: dict[str, str] = {}
        for value in dtype.expressions:
            if not isinstance(value, exp.Literal):
                continue
            key = value.name.lower()  # the default collation ignores case
            first = seen.get(key)
            seen.setdefault(key, value.name)
            if first is not None:
                raise SQLError(1291, f"Column '{name}' has duplicated value '{first}' in "
                                     f"{'ENUM' if t == T.ENUM else 'SET'}", "HY000")
    if t in _NUMERIC:
        for c in col.args.get("constraints") or []:
            default = c.args.get("kind")
            if isinstance(default, exp.DefaultColumnConstraint):
                value = default.this
                if isinstance(value, exp.Literal) and value.is_string and not _NUMBER.match(value.name):
                    raise SQLError(1067, f"Invalid default value for '{name}'", "42000")


def check_keys(schema: exp.Schema) -> None:
    """1170: a BLOB/TEXT column in a PRIMARY KEY or UNIQUE without a prefix length."""
    blobs = {c.name.lower() for c in schema.expressions
             if isinstance(c, exp.ColumnDef) and isinstance(c.args.get("kind"), exp.DataType)
             and c.args["kind"].this in _BLOBS}
    if not blobs:
        return
    for e in schema.expressions:
        constraints = e.args.get("constraints") or [] if isinstance(e, exp.ColumnDef) else []
        if e.name.lower() in blobs and any(isinstance(c.args.get("kind"), exp.PrimaryKeyColumnConstraint)
                                           for c in constraints):
            raise SQLError(1170, f"BLOB/TEXT column '{e.name}' used in key specification without a key length",
                           "42000")
        inner = e.expressions[0] if isinstance(e, exp.Constraint) and e.expressions else e
        if isinstance(inner, exp.PrimaryKey):
            for key in inner.expressions:
                part = key.this if isinstance(key, exp.Ordered) else key
                if isinstance(part, (exp.Column, exp.Identifier)) and part.name.lower() in blobs:
                    raise SQLError(1170, f"BLOB/TEXT column '{part.name}' used in key specification without a "
                                         "key length", "42000")


def check_engine(properties: list[exp.Expr]) -> None:
    for p in properties:
        if isinstance(p, exp.EngineProperty) and p.this.name.lower() not in _ENGINES:
            raise SQLError(1286, f"Unknown storage engine '{p.this.name}'", "42000")

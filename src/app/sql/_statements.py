"""Plans for statements other than queries and DML: DDL, SET, SHOW, transactions, USE, CALL.

CREATE TABLE is generated here rather than by sqlglot's SQLite dialect, which
maps every type to an SQLite storage class and so loses what MySQL clients must
see: columns keep MySQL's type text (`varchar(20)`, `decimal(10,2)`) as their
SQLite declared type, which still yields the right SQLite affinity.
"""

from __future__ import annotations

import re
from typing import Any, Final

from sqlglot import exp

from ._errors import SQLError, not_supported, syntax_error
from ._translate import Plan, _bind_variables, _rewrite_functions, _to_sqlite, unescape_string

_IDENT: Final = r"(?:`(?:[^`]|``)+`|[\w$]+)"


def quote(name: str) -> str:
    """An SQLite identifier."""
    return '"' + name.replace('"', '""') + '"'


def _unquote(token: str) -> str:
    if token.startswith("`"):
        return token[1:-1].replace("``", "`")
    return token


def _like(token: str | None) -> str | None:
    if token is None:
        return None
    return unescape_string(token[1:-1])


# -- statements recognised by their words ----------------------------------------------------

_SHOW_DATABASES: Final = re.compile(r"(?is)^\s*show\s+(?:databases|schemas)(?:\s+like\s+('(?:[^'\\]|\\.)*'))?\s*;?\s*$")
_SHOW_TABLES: Final = re.compile(
    rf"(?is)^\s*show\s+(full\s+)?tables(?:\s+(?:from|in)\s+({_IDENT}))?(?:\s+like\s+('(?:[^'\\]|\\.)*'))?\s*;?\s*$"
)
_SHOW_COLUMNS: Final = re.compile(
    rf"(?is)^\s*show\s+(full\s+)?(?:columns|fields)\s+(?:from|in)\s+({_IDENT})(?:\.({_IDENT}))?"
    rf"(?:\s+(?:from|in)\s+({_IDENT}))?(?:\s+like\s+('(?:[^'\\]|\\.)*'))?\s*;?\s*$"
)
_DESCRIBE: Final = re.compile(rf"(?is)^\s*(?:describe|desc|explain)\s+({_IDENT})(?:\.({_IDENT}))?(?:\s+({_IDENT}|'[^']*'))?\s*;?\s*$")
_SHOW_CREATE_TABLE: Final = re.compile(rf"(?is)^\s*show\s+create\s+table\s+({_IDENT})(?:\.({_IDENT}))?\s*;?\s*$")
_SHOW_CREATE_DATABASE: Final = re.compile(rf"(?is)^\s*show\s+create\s+(?:database|schema)\s+({_IDENT})\s*;?\s*$")
_SHOW_VARIABLES: Final = re.compile(
    r"(?is)^\s*show\s+(global\s+|session\s+|local\s+)?variables(?:\s+like\s+('(?:[^'\\]|\\.)*'))?\s*;?\s*$"
)
_SHOW_STATUS: Final = re.compile(r"(?is)^\s*show\s+(global\s+|session\s+)?status(?:\s+like\s+('(?:[^'\\]|\\.)*'))?\s*;?\s*$")
_SHOW_SIMPLE: Final = re.compile(r"(?is)^\s*show\s+(warnings|errors|engines|processlist|full\s+processlist|grants|charset|character\s+set|collation|master\s+status|plugins)\b")
_SHOW_INDEX: Final = re.compile(rf"(?is)^\s*show\s+(?:index|indexes|keys)\s+(?:from|in)\s+({_IDENT})(?:\.({_IDENT}))?(?:\s+(?:from|in)\s+({_IDENT}))?\s*;?\s*$")
_USE: Final = re.compile(rf"(?is)^\s*use\s+({_IDENT})\s*;?\s*$")
_BEGIN: Final = re.compile(r"(?is)^\s*(?:begin(?:\s+work)?|start\s+transaction(?:\s+(?:read\s+write|read\s+only|with\s+consistent\s+snapshot)(?:\s*,\s*(?:read\s+write|read\s+only|with\s+consistent\s+snapshot))*)?)\s*;?\s*$")
_COMMIT: Final = re.compile(r"(?is)^\s*commit(?:\s+work)?(?:\s+and\s+(?:no\s+)?chain)?(?:\s+(?:no\s+)?release)?\s*;?\s*$")
_ROLLBACK: Final = re.compile(r"(?is)^\s*rollback(?:\s+work)?(?:\s+and\s+(?:no\s+)?chain)?(?:\s+(?:no\s+)?release)?\s*;?\s*$")
_SAVEPOINT: Final = re.compile(rf"(?is)^\s*(savepoint|release\s+savepoint|rollback(?:\s+work)?\s+to(?:\s+savepoint)?)\s+({_IDENT})\s*;?\s*$")
_CALL: Final = re.compile(rf"(?is)^\s*call\s+({_IDENT})(?:\.({_IDENT}))?\s*(?:\((.*)\))?\s*;?\s*$")
_CREATE_DB: Final = re.compile(
    rf"(?is)^\s*create\s+(?:database|schema)\s+(if\s+not\s+exists\s+)?({_IDENT})(?:\s+(?:default\s+)?(?:character\s+set|charset|collate)\s*=?\s*[\w]+)*\s*;?\s*$"
)
_DROP_DB: Final = re.compile(rf"(?is)^\s*drop\s+(?:database|schema)\s+(if\s+exists\s+)?({_IDENT})\s*;?\s*$")
_NOOP: Final = re.compile(r"(?is)^\s*(?:flush|analyze|optimize|lock\s+tables?|unlock\s+tables?|do\s+sleep)\b")
_SET_TRANSACTION: Final = re.compile(r"(?is)^\s*set\s+(?:(global|session|local)\s+)?transaction\b(.*)$")
_SET_NAMES: Final = re.compile(r"(?is)^\s*set\s+(?:names|character\s+set|charset)\b")


def plan_by_words(sql: str, kind: str) -> Plan | None:
    """Plans for statements recognised without sqlglot (SHOW, USE, BEGIN, ...), or None."""
    if kind == "show":
        return _plan_show(sql)
    if kind in ("describe", "desc", "explain"):
        m = _DESCRIBE.match(sql)
        if m:
            return Plan("show", fields={"what": "columns", "table": _unquote(m.group(2) or m.group(1)),
                                        "db": _unquote(m.group(1)) if m.group(2) else None,
                                        "like": m.group(3) and _unquote(m.group(3).strip("'")), "full": False})
        return None
    if kind == "use":
        m = _USE.match(sql)
        if m is None:
            raise syntax_error(sql)
        return Plan("use", fields={"db": _unquote(m.group(1))})
    if kind in ("begin", "start"):
        if _BEGIN.match(sql):
            return Plan("begin")
        if kind == "begin":
            raise syntax_error(sql)
        return None
    if kind == "commit":
        if _COMMIT.match(sql):
            return Plan("commit")
        raise syntax_error(sql)
    if kind in ("rollback", "savepoint", "release"):
        m = _SAVEPOINT.match(sql)
        if m:
            verb = m.group(1).split()[0].lower()
            return Plan({"savepoint": "savepoint", "release": "release", "rollback": "rollback_to"}[verb],
                        fields={"name": _unquote(m.group(2))})
        if kind == "rollback" and _ROLLBACK.match(sql):
            return Plan("rollback")
        raise syntax_error(sql)
    if kind == "call":
        m = _CALL.match(sql)
        if m is None:
            raise syntax_error(sql)
        name = _unquote(m.group(2) or m.group(1))
        return Plan("call", fields={"name": name, "args": m.group(3) or ""})
    if kind == "create":
        m = _CREATE_DB.match(sql)
        if m:
            return Plan("create_database", fields={"db": _unquote(m.group(2)), "if_not_exists": bool(m.group(1))})
        return None
    if kind == "drop":
        m = _DROP_DB.match(sql)
        if m:
            return Plan("drop_database", fields={"db": _unquote(m.group(2)), "if_exists": bool(m.group(1))})
        return None
    if kind == "set":
        if _SET_NAMES.match(sql):
            return Plan("noop")
        m = _SET_TRANSACTION.match(sql)
        if m:
            rest = m.group(2).lower()
            level = re.search(r"isolation\s+level\s+(read\s+uncommitted|read\s+committed|repeatable\s+read|serializable)", rest)
            return Plan("set_transaction", fields={"scope": (m.group(1) or "").lower(),
                                                   "level": level and "-".join(level.group(1).upper().split()),
                                                   "read_only": "read only" in rest})
        return None
    if _NOOP.match(sql):
        return Plan("noop")
    return None


def _plan_show(sql: str) -> Plan:
    if m := _SHOW_DATABASES.match(sql):
        return Plan("show", fields={"what": "databases", "like": _like(m.group(1))})
    if m := _SHOW_TABLES.match(sql):
        return Plan("show", fields={"what": "tables", "full": bool(m.group(1)),
                                    "db": m.group(2) and _unquote(m.group(2)), "like": _like(m.group(3))})
    if m := _SHOW_COLUMNS.match(sql):
        table, db = (m.group(3), m.group(2)) if m.group(3) else (m.group(2), m.group(4))
        return Plan("show", fields={"what": "columns", "full": bool(m.group(1)), "table": _unquote(table),
                                    "db": db and _unquote(db), "like": _like(m.group(5))})
    if m := _SHOW_CREATE_TABLE.match(sql):
        table, db = (m.group(2), m.group(1)) if m.group(2) else (m.group(1), None)
        return Plan("show", fields={"what": "create_table", "table": _unquote(table), "db": db and _unquote(db)})
    if m := _SHOW_CREATE_DATABASE.match(sql):
        return Plan("show", fields={"what": "create_database", "db": _unquote(m.group(1))})
    if m := _SHOW_VARIABLES.match(sql):
        return Plan("show", fields={"what": "variables", "scope": (m.group(1) or "").strip().lower(),
                                    "like": _like(m.group(2))})
    if m := _SHOW_STATUS.match(sql):
        return Plan("show", fields={"what": "status", "like": _like(m.group(2))})
    if m := _SHOW_INDEX.match(sql):
        table, db = (m.group(2), m.group(1)) if m.group(2) else (m.group(1), m.group(3))
        return Plan("show", fields={"what": "index", "table": _unquote(table), "db": db and _unquote(db)})
    if m := _SHOW_SIMPLE.match(sql):
        return Plan("show", fields={"what": " ".join(m.group(1).lower().split())})
    raise not_supported(" ".join(sql.split())[:60])


# -- statements parsed by sqlglot -------------------------------------------------------------


def plan_statement(tree: exp.Expression, sql: str) -> Plan:
    """Plan for a parsed statement that is neither a query nor DML."""
    if isinstance(tree, exp.Create):
        kind = (tree.args.get("kind") or "").upper()
        if kind == "TABLE":
            return _plan_create_table(tree)
        if kind == "INDEX":
            return _plan_create_index(tree)
        if kind == "VIEW":
            table = tree.this
            body = tree.expression
            _rewrite_functions(body)
            view_db = table.text("db") or None
            table.set("db", None)
            return Plan("ddl", sql=_to_sqlite(tree), write_db=view_db, ddl_table=table.name,
                        ddl_if=bool(tree.args.get("exists")))
        raise not_supported(f"CREATE {kind}")
    if isinstance(tree, exp.Drop):
        kind = (tree.args.get("kind") or "").upper()
        if kind in ("TABLE", "VIEW"):
            tables = list(tree.args.get("tables") or [t for t in [tree.this, *(tree.expressions or [])] if t])
            dbs = {t.text("db") or None for t in tables}
            if len(dbs) > 1:
                raise not_supported("DROP TABLE across databases")
            return Plan("drop_table", write_db=dbs.pop(), fields={
                "tables": [t.name for t in tables], "if_exists": bool(tree.args.get("exists")), "view": kind == "VIEW"})
        if kind == "INDEX":
            targets = tree.args.get("tables") or [tree.this]
            index = targets[0].name
            cluster = tree.args.get("cluster")
            on = cluster.this.name if isinstance(cluster, exp.OnProperty) else None
            m = re.search(rf"(?is)\bon\s+(?:({_IDENT})\.)?({_IDENT})", sql)
            if on is None and m:
                on = _unquote(m.group(2))
            db = _unquote(m.group(1)) if m and m.group(1) else None
            return Plan("ddl", sql=f"DROP INDEX {quote(f'{on}.{index}')}", write_db=db, ddl_table=on)
        raise not_supported(f"DROP {kind}")
    if isinstance(tree, exp.TruncateTable):
        table = tree.expressions[0]
        name = table.name
        return Plan("ddl", write_db=table.text("db") or None, ddl_table=name,
                    sql=f"DELETE FROM {quote(name)}",
                    extra=(f"DELETE FROM sqlite_sequence WHERE name = '{name.replace(chr(39), chr(39) * 2)}'",),
                    fields={"truncate": True})
    if isinstance(tree, exp.Alter):
        return _plan_alter(tree, sql)
    if isinstance(tree, exp.Set):
        return _plan_set(tree)
    if isinstance(tree, exp.Use):
        return Plan("use", fields={"db": tree.this.name})
    if isinstance(tree, exp.Transaction):
        return Plan("begin")
    if isinstance(tree, exp.Commit):
        return Plan("commit")
    if isinstance(tree, exp.Rollback):
        return Plan("rollback")
    if isinstance(tree, exp.Command):
        word = tree.this.upper() if isinstance(tree.this, str) else ""
        if word == "RENAME":
            m = re.match(rf"(?is)^\s*rename\s+table\s+({_IDENT})\s+to\s+({_IDENT})\s*;?\s*$", sql)
            if m:
                old, new = _unquote(m.group(1)), _unquote(m.group(2))
                return Plan("ddl", sql=f"ALTER TABLE {quote(old)} RENAME TO {quote(new)}", ddl_table=old)
        raise not_supported(" ".join(sql.split())[:60])
    raise not_supported(type(tree).__name__.upper())


def _plan_set(tree: exp.Set) -> Plan:
    assignments: list[tuple[str, str, Any]] = []
    for item in tree.expressions:
        eq = item.this if isinstance(item, exp.SetItem) else item
        scope = (item.text("kind") if isinstance(item, exp.SetItem) else "").lower()
        if not isinstance(eq, exp.EQ):
            raise not_supported("SET " + item.sql(dialect="mysql"))
        target = eq.this
        if isinstance(target, exp.SessionParameter):
            scope = target.text("kind").lower() or scope
            name = "@@" + target.name
        elif isinstance(target, exp.Parameter):
            inner = target.this
            if isinstance(inner, exp.SessionParameter):
                scope = inner.text("kind").lower() or scope
                name = "@@" + inner.name
            else:
                name = "@" + (inner.name if isinstance(inner, exp.Expression) else str(inner))
        elif isinstance(target, (exp.Column, exp.Identifier, exp.Var)):
            name = "@@" + target.name
        else:
            raise not_supported("SET " + eq.sql(dialect="mysql"))
        value = eq.expression
        if isinstance(value, (exp.Column, exp.Var)) and not isinstance(value, exp.Placeholder):
            # SET x = ON / DEFAULT / utf8mb4: a bare word is a value, not a column.
            assignments.append((scope, name, ("word", value.name)))
        else:
            var_params = _bind_variables(value)
            _rewrite_functions(value)
            sql = "SELECT " + _to_sqlite(value)
            assignments.append((scope, name, ("expr", sql, var_params)))
    return Plan("set", fields={"assignments": assignments})


# -- CREATE TABLE ---------------------------------------------------------------------------

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


def _default_sql(value: exp.Expression) -> str:
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
    _rewrite_functions(value)
    return "(" + _to_sqlite(value) + ")"


def _column_sql(col: exp.ColumnDef, single_pk: str | None) -> tuple[str, bool, bool]:
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
            raise SQLError(1075, "Incorrect table definition; there can be only one auto column and it must be defined as a key", "42000")
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


_INT_RANGES: Final = {"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32}


def strict_check(name: str, type_text: str) -> str:
    """A CHECK constraint refusing what MySQL's strict mode refuses for the type: a string longer
    than a CHAR/VARCHAR/BINARY/VARBINARY's length (1406), an integer or DECIMAL out of range (1264).

    The constraint is named `app_len_<column>` / `app_range_<column>`, which is how an SQLite
    error for it becomes MySQL's (see _session.sqlite_error).
    """
    m = re.match(r"(\w+)(?:\((\d+)(?:,(\d+))?\))?( unsigned)?", type_text)
    if m is None:
        return ""
    base, size, scale, unsigned = m.group(1), m.group(2), m.group(3), bool(m.group(4))
    col = quote(name)
    if base in ("char", "varchar") and size:
        return f"CONSTRAINT {quote('app_len_' + name)} CHECK (length({col}) <= {int(size)})"
    if base in ("binary", "varbinary") and size:
        return f"CONSTRAINT {quote('app_len_' + name)} CHECK (length(CAST({col} AS BLOB)) <= {int(size)})"
    if base in _INT_RANGES:
        bits = _INT_RANGES[base]
        low, high = (0, 2**bits - 1) if unsigned else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
        return f"CONSTRAINT {quote('app_range_' + name)} CHECK ({col} BETWEEN {low} AND {high})"
    if base == "bigint" and unsigned:
        return f"CONSTRAINT {quote('app_range_' + name)} CHECK ({col} >= 0)"
    if base == "decimal" and size:
        digits = int(size) - int(scale or 0)
        return (f"CONSTRAINT {quote('app_range_' + name)} CHECK (round(abs({col}), {int(scale or 0)}) < "
                f"{10 ** digits})")
    return ""


def _index_columns(exprs: list[exp.Expression]) -> str:
    cols = []
    for e in exprs:
        if isinstance(e, exp.Ordered):
            cols.append(quote(e.this.name) + (" DESC" if e.args.get("desc") else ""))
        else:
            cols.append(quote(e.name))
    return ", ".join(cols)


def _plan_create_table(tree: exp.Create) -> Plan:
    schema = tree.this
    if not isinstance(schema, exp.Schema):
        table = schema
        if tree.expression is not None:  # CREATE TABLE ... AS SELECT
            body = tree.expression
            _rewrite_functions(body)
            return Plan("ddl", sql=f"CREATE TABLE {'IF NOT EXISTS ' if tree.args.get('exists') else ''}"
                        f"{quote(table.name)} AS {_to_sqlite(body)}", write_db=table.text("db") or None,
                        ddl_table=table.name, ddl_if=bool(tree.args.get("exists")), fields={"ctas": True})
        like = tree.find(exp.LikeProperty)
        if like is not None:
            return Plan("create_like", write_db=table.text("db") or None, ddl_table=table.name,
                        ddl_if=bool(tree.args.get("exists")), fields={"source": like.this.name,
                                                                      "source_db": like.this.text("db") or None})
        raise syntax_error(tree.sql(dialect="mysql"), "a table needs columns")
    table = schema.this
    name = table.name
    pk_cols: list[str] | None = None
    for e in schema.expressions:
        if isinstance(e, exp.PrimaryKey):
            pk_cols = [c.name.lower() for c in e.expressions]
    single_pk = pk_cols[0] if pk_cols and len(pk_cols) == 1 else None
    columns: list[str] = []
    constraints: list[str] = []
    indexes: list[str] = []
    auto_col = None
    unique_columns: list[str] = []
    for e in schema.expressions:
        if isinstance(e, exp.ColumnDef):
            text, auto, unique = _column_sql(e, single_pk)
            if auto:
                auto_col = e.name.lower()
            if unique:
                unique_columns.append(e.name)
            columns.append(text)
        elif isinstance(e, exp.PrimaryKey):
            continue
        elif isinstance(e, exp.UniqueColumnConstraint):
            inner = e.this
            cols = inner.expressions if isinstance(inner, exp.Schema) else e.expressions
            index_name = inner.name if isinstance(inner, exp.Schema) and inner.this is not None else cols[0].name
            indexes.append(f"CREATE UNIQUE INDEX {quote(f'{name}.{index_name}')} ON {quote(name)} ({_index_columns(cols)})")
        elif isinstance(e, exp.IndexColumnConstraint):
            cols = e.expressions
            index_name = e.name or cols[0].name
            indexes.append(f"CREATE INDEX {quote(f'{name}.{index_name}')} ON {quote(name)} ({_index_columns(cols)})")
        elif isinstance(e, (exp.Constraint, exp.ForeignKey, exp.CheckColumnConstraint)):
            constraints.append(_constraint_sql(e))
        else:
            raise not_supported(e.sql(dialect="mysql"))
    # MariaDB names an inline UNIQUE key after its column, after the keys the table names itself.
    taken = {i.split('" ON ', 1)[0].rsplit(".", 1)[-1].lower() for i in indexes}
    inline: list[str] = []
    for col_name in unique_columns:
        index_name, n = col_name, 1
        while index_name.lower() in taken:
            n += 1
            index_name = f"{col_name}_{n}"
        taken.add(index_name.lower())
        inline.append(f"CREATE UNIQUE INDEX {quote(f'{name}.{index_name}')} ON {quote(name)} ({quote(col_name)})")
    indexes = inline + indexes  # the column definitions come before the table's own keys
    if pk_cols and not (auto_col and single_pk == auto_col):
        constraints.insert(0, "PRIMARY KEY (" + ", ".join(quote(c) for c in pk_cols) + ")")
    exists = bool(tree.args.get("exists"))
    body = ", ".join(columns + [c for c in constraints if c])
    sql = f"CREATE TABLE {'IF NOT EXISTS ' if exists else ''}{quote(name)} ({body})"
    if exists:
        indexes = [i.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1).replace(
            "CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1) for i in indexes]
    temporary = any(isinstance(p, exp.TemporaryProperty) for p in (tree.args.get("properties") or exp.Properties()).expressions)
    if temporary:
        raise not_supported("CREATE TEMPORARY TABLE")
    return Plan("ddl", sql=sql, extra=tuple(indexes), write_db=table.text("db") or None, ddl_table=name,
                ddl_if=exists)


def _constraint_sql(e: exp.Expression) -> str:
    inner = e.expressions[0] if isinstance(e, exp.Constraint) and e.expressions else e
    if isinstance(inner, exp.ForeignKey):
        ref = inner.args.get("reference")
        target = ref.this if ref is not None else None
        if not isinstance(target, exp.Schema):
            raise not_supported("FOREIGN KEY without referenced columns")
        cols = ", ".join(quote(c.name) for c in inner.expressions)
        rcols = ", ".join(quote(c.name) for c in target.expressions)
        options = " ".join(o.upper() for o in (ref.args.get("options") or []))
        return f"FOREIGN KEY ({cols}) REFERENCES {quote(target.this.name)} ({rcols}) {options}".strip()
    if isinstance(inner, exp.CheckColumnConstraint):
        return f"CHECK ({_to_sqlite(inner.this)})"
    raise not_supported(e.sql(dialect="mysql"))


def _plan_create_index(tree: exp.Create) -> Plan:
    index = tree.this
    table = index.args.get("table")
    params = index.args.get("params")
    cols = params.args.get("columns") if params is not None else index.expressions
    unique = bool(tree.args.get("unique"))
    sql = (f"CREATE {'UNIQUE ' if unique else ''}INDEX {'IF NOT EXISTS ' if tree.args.get('exists') else ''}"
           f"{quote(f'{table.name}.{index.name}')} ON {quote(table.name)} ({_index_columns(list(cols or []))})")
    return Plan("ddl", sql=sql, write_db=table.text("db") or None, ddl_table=table.name)


def _plan_alter(tree: exp.Alter, sql: str) -> Plan:
    table = tree.this
    name = table.name
    statements: list[str] = []
    for action in tree.args.get("actions") or []:
        if isinstance(action, exp.ColumnDef):
            text, auto, unique = _column_sql(action, None)
            if auto:
                raise not_supported("ADD COLUMN ... AUTO_INCREMENT")
            statements.append(f"ALTER TABLE {quote(name)} ADD COLUMN {text}")
            if unique:  # SQLite cannot add a UNIQUE column; a unique index does the same
                statements.append(f"CREATE UNIQUE INDEX {quote(f'{name}.{action.name}')} ON {quote(name)} "
                                  f"({quote(action.name)})")
        elif isinstance(action, exp.Drop) and (action.args.get("kind") or "").upper() == "COLUMN":
            # sqlglot puts the dropped column in `tables` (older versions: in `this`).
            column = action.this or (action.args.get("tables") or [None])[0]
            if column is None:
                raise syntax_error(sql)
            statements.append(f"ALTER TABLE {quote(name)} DROP COLUMN {quote(column.name)}")
        elif isinstance(action, exp.AlterRename):
            statements.append(f"ALTER TABLE {quote(name)} RENAME TO {quote(action.this.name)}")
        elif isinstance(action, exp.RenameColumn):
            statements.append(f"ALTER TABLE {quote(name)} RENAME COLUMN {quote(action.this.name)} TO {quote(action.args['to'].name)}")
        elif isinstance(action, exp.IndexColumnConstraint):
            cols = action.expressions
            statements.append(f"CREATE INDEX {quote(f'{name}.{action.name or cols[0].name}')} ON {quote(name)} ({_index_columns(cols)})")
        elif isinstance(action, exp.UniqueColumnConstraint):
            inner = action.this
            cols = inner.expressions if isinstance(inner, exp.Schema) else action.expressions
            iname = inner.name if isinstance(inner, exp.Schema) and inner.this is not None else cols[0].name
            statements.append(f"CREATE UNIQUE INDEX {quote(f'{name}.{iname}')} ON {quote(name)} ({_index_columns(cols)})")
        else:
            raise not_supported("ALTER TABLE " + action.sql(dialect="mysql"))
    if not statements:
        raise not_supported(" ".join(sql.split())[:60])
    return Plan("ddl", sql=statements[0], extra=tuple(statements[1:]), write_db=table.text("db") or None, ddl_table=name)

"""Information functions: DATABASE, USER, VERSION, CONNECTION_ID, LAST_INSERT_ID, ROW_COUNT, FOUND_ROWS.

They read the session (`FunctionContext`), so they are registered per connection, bound to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from sqlglot import exp

from .._diagnostics import truncated
from .._errors import ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError
from .._sqltypes import BIGINT, INT, STRING, UBIGINT, ULONG, SQLType
from ._registry import REGISTRY, Family, FunctionContext, udf
from ._values import to_int

fn = Family("information")


@fn.scalar("DATABASE", "SCHEMA", node=exp.CurrentSchema, returns=STRING, needs_session=True, deterministic=False,
           examples=["DATABASE()", "SCHEMA()"])
def database(ctx: FunctionContext) -> str | None:
    return ctx.database


@fn.scalar("USER", "SYSTEM_USER", "SESSION_USER", node=exp.SessionUser,
           returns=STRING, needs_session=True, deterministic=False,
           examples=["USER()", "SYSTEM_USER()", "SESSION_USER()"])
def user(ctx: FunctionContext) -> str:
    """The user the client logged in as, and the host it came from."""
    return f"{ctx.user}@{ctx.host}"


@fn.scalar("CURRENT_USER", node=exp.CurrentUser, returns=STRING, needs_session=True, deterministic=False,
           examples=["CURRENT_USER()", "CURRENT_USER"])
def current_user(ctx: FunctionContext) -> str:
    """The account the session authenticated as (its privileges are the session's)."""
    return f"{ctx.priv_user}@{ctx.priv_host}"


@fn.scalar("VERSION", node=exp.CurrentVersion, returns=STRING, needs_session=True, deterministic=False,
           examples=["VERSION()"])
def version(ctx: FunctionContext) -> str:
    return ctx.version


@fn.scalar("CONNECTION_ID", returns=ULONG, needs_session=True, deterministic=False, examples=["CONNECTION_ID()"])
def connection_id(ctx: FunctionContext) -> int:
    return ctx.connection_id


@fn.scalar("LAST_INSERT_ID", returns=UBIGINT, needs_session=True, deterministic=False,
           examples=["LAST_INSERT_ID()", "LAST_INSERT_ID(5)"])
def last_insert_id(ctx: FunctionContext, *value: Any) -> Any:
    """LAST_INSERT_ID(); LAST_INSERT_ID(n) also makes n the session's last insert id."""
    if not value:
        return ctx.last_insert_id
    if value[0] is None:  # MariaDB: NULL, and the session's id becomes 0
        ctx.last_insert_id = 0
        return None
    n = to_int(value[0])
    if isinstance(value[0], (str, bytes)) and str(n) != (value[0].decode() if isinstance(value[0], bytes)
                                                         else value[0]).strip():
        truncated("INTEGER", value[0].decode() if isinstance(value[0], bytes) else value[0])
    ctx.last_insert_id = n
    return n


@fn.scalar("ROW_COUNT", returns=BIGINT, needs_session=True, deterministic=False, examples=["ROW_COUNT()"])
def row_count(ctx: FunctionContext) -> int:
    return ctx.row_count


@fn.scalar("FOUND_ROWS", returns=BIGINT, needs_session=True, deterministic=False, examples=["FOUND_ROWS()"])
def found_rows(ctx: FunctionContext) -> int:
    return ctx.found_rows


# -- CHARSET, COLLATION, COERCIBILITY of an expression -----------------------------------------------
# MariaDB answers these from the expression's type, not its value, for a session whose connection
# character set is utf8mb4 (the default, and what clients ask for): strings are utf8mb4 with its
# default collation, the functions of the server's own names (USER(), DATABASE(), ...) utf8mb3, and
# numbers, dates and NULL binary. Where the type is known only when the statement runs (a column),
# the value decides: a string is utf8mb4, anything else binary.

_SYSTEM: Final = frozenset({"USER", "CURRENT_USER", "DATABASE", "VERSION", "CURRENT_ROLE"})
_CHARSETS: Final = {"string": "utf8mb4", "system": "utf8mb3", "binary": "binary", "number": "binary",
                    "null": "binary"}
_COLLATIONS: Final = {"utf8mb4": "utf8mb4_general_ci", "utf8mb3": "utf8mb3_general_ci", "binary": "binary"}
# Coercibility: 0 explicit (COLLATE), 2 implicit (a column, a CAST), 3 system constant, 4 coercible
# (a literal), 5 numeric, 6 ignorable (NULL).
_COERCIBILITY: Final = {"explicit": 0, "implicit": 2, "system": 3, "string": 4, "binary": 4, "number": 5,
                        "null": 6}


def _static_kind(node: exp.Expr) -> str | None:
    """What the statement says of an argument's character set: None when only its value can tell."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Null):
        return "null"
    if isinstance(node, exp.Collate):
        return "explicit"
    if isinstance(node, (exp.Boolean, exp.Predicate, exp.Not)) or (
            isinstance(node, exp.Literal) and not node.is_string):
        return "number"
    if isinstance(node, exp.Literal):
        return "string"
    if isinstance(node, exp.Cast):
        if node.to.is_type(*exp.DataType.TEXT_TYPES):
            return "implicit"
        return "binary" if node.to.is_type(exp.DataType.Type.VARBINARY, exp.DataType.Type.BINARY,
                                           exp.DataType.Type.BLOB) else "number"
    found = REGISTRY.function_of(node)
    if found is None:
        return None
    if found.name in _SYSTEM:
        return "system"
    returns = found.returns
    if not isinstance(returns, SQLType):
        return None
    if returns.kind == "string":
        return "implicit" if any(isinstance(c, exp.Column) for c in node.find_all(exp.Column)) else "string"
    return {"null": "null", "binary": "binary", "varbinary": "binary"}.get(returns.kind, "number")


def _info_call(sqlite_name: str) -> Callable[[exp.Expr], exp.Expr]:
    def rewrite(node: exp.Expr) -> exp.Expr:
        args = list(node.expressions) if isinstance(node, exp.Anonymous) else [node.this]
        if len(args) != 1:
            raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT,
                           f"Incorrect parameter count in the call to native function '{node.name}'")
        stated = node.meta.get("argument_charset") if node._meta else None  # see _charsets
        if stated is not None:  # a character set, collation and coercibility the statement gives
            return udf(sqlite_name, exp.Null(), exp.Literal.string("=" + "|".join(map(str, stated))))
        kind = _static_kind(args[0])
        if kind is None and isinstance(args[0], exp.Column):
            kind = "column"
        # A kind the statement fixes needs no value (MariaDB does not evaluate the argument either).
        value = args[0] if kind in (None, "column") else exp.Null()
        return udf(sqlite_name, value, exp.Literal.string(kind or ""))

    return rewrite


def _charset_of(value: Any, kind: str) -> str:
    if kind.startswith("="):
        return kind[1:].split("|")[0]
    if kind in ("", "column"):
        return "utf8mb4" if isinstance(value, str) else "binary"
    return _CHARSETS.get(kind, "utf8mb4")


@fn.scalar("CHARSET", returns=STRING, rewrite=_info_call("APP_CHARSET"),
           examples=["CHARSET('a')", "CHARSET(1)", "CHARSET(NULL)", "CHARSET(USER())"])
def charset(value: Any, kind: Any) -> str:
    return _charset_of(value, str(kind))


@fn.scalar("COLLATION", node=exp.Collation, returns=STRING, rewrite=_info_call("APP_COLLATION"),
           examples=["COLLATION('a')", "COLLATION(1)", "COLLATION(NULL)", "COLLATION(USER())"])
def collation(value: Any, kind: Any) -> str:
    if str(kind).startswith("="):
        return str(kind)[1:].split("|")[1]
    return _COLLATIONS[_charset_of(value, str(kind))]


@fn.scalar("COERCIBILITY", returns=INT, rewrite=_info_call("APP_COERCIBILITY"),
           examples=["COERCIBILITY('a')", "COERCIBILITY(1)", "COERCIBILITY(NULL)", "COERCIBILITY(USER())"])
def coercibility(value: Any, kind: Any) -> int:
    k = str(kind)
    if k.startswith("="):
        return int(k[1:].split("|")[2])
    if k == "column":
        return 5 if isinstance(value, (int, float)) else 2
    if not k:
        return 4 if value is None or isinstance(value, (str, bytes)) else 5
    return _COERCIBILITY.get(k, 4)


@fn.scalar("CURRENT_ROLE", node=exp.CurrentRole, returns=STRING, deterministic=False, examples=["CURRENT_ROLE()"])
def current_role() -> None:
    """No role is ever set (SET ROLE is not supported): NULL, as MariaDB answers without one."""
    return None

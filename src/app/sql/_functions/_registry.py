"""The registry of MySQL's built-in functions: each declared once, beside its implementation.

An entry says everything the rest of the SQL layer needs to know about a function:

- how the MySQL parser (sqlglot) sees a call: as one of its node classes (`node=exp.Left`), or as
  an `exp.Anonymous` call by name when sqlglot has no class for it;
- how the call becomes SQLite: left alone (SQLite has the function, `native`), or rewritten into a
  call of `sqlite_name` (an `APP_*` function implemented here in Python, or an SQLite builtin),
  with the arguments `args` picks from the node, or by a `rewrite` of its own;
- its result type (`returns`): an `SQLType`, or a rule over the call's arguments;
- its flags: `deterministic` (SQLite may factor it out of loops and use it in indexes) and
  `needs_session` (the implementation takes the session's `FunctionContext` first).

The translator rewrites calls by it (`rewrite`), the type deriver reads result types from it
(`function_of` + `Function.type_of`), every SQLite connection gets the implementations from it
(`register_on`), and a call of a name it does not know is MySQL's 1305 before SQLite sees it, so
SQLite's own functions (`sqlite_version()`, `load_extension()`) and our internal `APP_*` ones are
unreachable from SQL.

sqlglot parses some MySQL functions into one node (LOCATE, INSTR and POSITION into
`StrPosition`); those are one entry whose `aliases` name them all. Each family of functions
(string, numeric, date and time, ...) is a module that declares its entries through a `Family`:

    fn = Family("string")

    @fn.scalar("LEFT", node=exp.Left, args=lambda n: [n.this, n.expression], returns=STRING,
               examples=["LEFT('abcdef', 2)"])
    def left(s: Any, n: Any) -> str | None: ...
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Final, Protocol, TypeVar, final

import apsw
from sqlglot import exp

from .._collations import register_collations
from .._errors import ER_SP_DOES_NOT_EXIST, ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError
from .._sqltypes import SQLType, TypeExpr
from ._locktable import NamedLocks


class DmlCounts(Protocol):
    """What the running INSERT counts beyond SQLite's changes() (see the DML statements)."""

    upsert_updated: int  # rows an INSERT ... ON DUPLICATE KEY UPDATE updated
    upsert_same: int  # ... and rows it found already holding the new values
    upsert_rowid: int  # ... and the rowid of the last row it updated
    replaced: int  # rows a REPLACE deleted


class TriggerHooks(Protocol):
    """What the TEMP triggers that fire stored triggers call (see `_statements._sptrig`)."""

    enabled: bool

    def fire(self, database: str, table: str, event: str, timing: str, values: list[Any]) -> None: ...
    def fixing(self, database: str, table: str) -> bool: ...
    def new_value(self, i: int) -> Any: ...


class FunctionContext(Protocol):
    """What functions that need the session read (and LAST_INSERT_ID(n) writes)."""

    @property
    def connection_id(self) -> int: ...
    @property
    def user(self) -> str: ...
    @property
    def host(self) -> str: ...
    @property
    def priv_user(self) -> str: ...
    @property
    def priv_host(self) -> str: ...
    @property
    def database(self) -> str | None: ...
    @property
    def version(self) -> str: ...
    @property
    def row_count(self) -> int: ...
    @property
    def found_rows(self) -> int: ...
    @property
    def max_allowed_packet(self) -> int: ...

    @property
    def dml(self) -> DmlCounts: ...

    last_insert_id: int
    user_variables: dict[str, Any]  # @name (lower case) -> value
    time_zone: tzinfo | None  # @@time_zone (None: SYSTEM)
    # Runs the current database's stored function `name` with its arguments' values (see `_statements.programs`).
    call_stored_function: Callable[[str, list[Any]], Any]
    triggers: TriggerHooks | None  # the session's stored triggers, once it has some to fire
    named_locks: NamedLocks  # the node's GET_LOCK locks
    stopping: Callable[[], bool]  # whether the running statement was asked to stop (KILL, a timeout)

    def statement_time(self) -> datetime:
        """The time of the running statement (MySQL evaluates NOW() once per statement)."""
        ...


class Typer(Protocol):
    """What a result-type rule gets from the type deriver."""

    @property
    def div_increment(self) -> int:
        """div_precision_increment: how much `/` and AVG grow a DECIMAL's scale."""
        ...

    def infer(self, node: exp.Expr) -> TypeExpr | None:
        """The type of an argument (None: unknown until the statement runs)."""
        ...

    def apply(self, rule: Callable[..., SQLType], args: Sequence[exp.Expr], *constants: Any) -> TypeExpr | None:
        """`rule` over the types of `args` and `constants`: folded now, or deferred to the schema."""
        ...


TypeRule = Callable[[exp.Expr, Typer], "TypeExpr | None"]
Returns = SQLType | TypeRule
Rewrite = Callable[[Any], "exp.Expr | None"]
ArgsOf = Callable[[Any], "Sequence[exp.Expr | None]"]
TextArgs = Callable[[Any], "Sequence[exp.Expr]"]
F = TypeVar("F", bound=Callable[..., Any])


@final
@dataclass(frozen=True, slots=True, eq=False)
class Function:
    """One MySQL function (or an internal helper with `internal`), as the registry knows it."""

    name: str
    family: str
    returns: Returns | None
    aliases: tuple[str, ...] = ()
    nodes: tuple[type[exp.Expr], ...] = ()
    sqlite_name: str | None = None
    implementation: Callable[..., Any] | None = None
    aggregate: bool = False
    rewrite: Rewrite | None = None  # None: sqlglot writes the call as SQLite has it
    text_args: TextArgs | None = None
    # The arguments it embeds in a JSON document as values: a number there is written as MariaDB writes
    # the number's type (a DECIMAL with its scale, a DOUBLE as 1e15), see `_rewrite.mark_text_columns`.
    json_args: TextArgs | None = None
    deterministic: bool = True
    needs_session: bool = False
    internal: bool = False
    examples: tuple[str, ...] = ()
    arity: tuple[int, int | None] | None = None  # (least, most) arguments of the implementation
    # How MySQL reads each argument: as a number of this kind (DOUBLE, DECIMAL, INTEGER; the last
    # repeats, "" for none), a string given there converted with a warning (see `_coercion`).
    numbers: tuple[str, ...] = ()

    def check_arity(self, called: str, count: int) -> None:
        """1582 for a call with a number of arguments the function does not take (MySQL checks it
        when it parses the call; Python would fail with a TypeError when the row is evaluated)."""
        if self.arity is None:
            return
        least, most = self.arity
        if count < least or (most is not None and count > most):
            raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT,
                           f"Incorrect parameter count in the call to native function '{called}'")

    @property
    def names(self) -> tuple[str, ...]:
        """The MySQL names that call it (none for an internal helper)."""
        return () if self.internal else (self.name, *self.aliases)

    def type_of(self, node: exp.Expr, typer: Typer) -> TypeExpr | None:
        """The result type of a call, `node` being the call as it is after rewriting."""
        if self.returns is None or isinstance(self.returns, SQLType):
            return self.returns
        return self.returns(node, typer)


def udf(name: str, *args: exp.Expr | None) -> exp.Anonymous:
    """A call of the SQLite function `name` (None arguments left out)."""
    return exp.Anonymous(this=name, expressions=[a for a in args if a is not None])


def call_args(node: exp.Expr, args: ArgsOf | None = None) -> list[exp.Expr]:
    """A call's arguments: those `args` picks, else an anonymous call's, else the node's `this` and
    `expressions` (None and non-expression values left out)."""
    if args is not None:
        found: Sequence[Any] = args(node)
    elif isinstance(node, exp.Anonymous):
        found = node.expressions
    else:
        found = [node.args.get("this"), *(node.args.get("expressions") or [])]
    return [a for a in found if isinstance(a, exp.Expr)]


def call_as(sqlite_name: str, args: ArgsOf | None = None) -> Rewrite:
    """The rewrite of a call into `sqlite_name(arguments...)`."""
    return lambda node: udf(sqlite_name, *call_args(node, args))


class Registry:
    """Every function, indexed the three ways the SQL layer looks them up."""

    def __init__(self) -> None:
        self.functions: list[Function] = []
        self.by_name: dict[str, Function] = {}  # MySQL names, upper case
        self.by_node: dict[type[exp.Expr], Function] = {}  # sqlglot classes calls arrive as
        self.by_sqlite_name: dict[str, Function] = {}  # what a call is named after rewriting
        # Whether a name no built-in has is a stored function's (set by the stored programs): its call
        # is then APP_STORED_FUNCTION('name', args...), which finds the function when it runs.
        self.stored_function: Callable[[str], str | None] | None = None  # its declared return type

    def add(self, fn: Function) -> Function:
        for name in fn.names:
            _claim(self.by_name, name.upper(), fn, "MySQL name")
        for node in fn.nodes:
            _claim(self.by_node, node, fn, "sqlglot node")
        if fn.sqlite_name is not None:
            _claim(self.by_sqlite_name, fn.sqlite_name.upper(), fn, "SQLite name")
        self.functions.append(fn)
        return fn

    # -- the translator ------------------------------------------------------------------------

    def rewrite(self, node: exp.Expr) -> exp.Expr | None:
        """The SQLite form of a function call as the MySQL parser gave it, or None to keep it.

        Raises 1305 for a call of a name that is no MySQL function.
        """
        if isinstance(node, exp.Anonymous):
            fn = self.by_name.get(node.name.upper())
            if fn is None:
                if self.stored_function is not None and self.stored_function(node.name) is not None:
                    return udf("APP_STORED_FUNCTION", exp.Literal.string(node.name.lower()), *node.expressions)
                raise SQLError(ER_SP_DOES_NOT_EXIST, f"FUNCTION {node.name} does not exist")
        else:
            found = self.by_node.get(type(node))
            if found is None:
                return None
            fn = found
        if fn.rewrite is None:
            return None
        rewritten = fn.rewrite(node)
        if (fn.arity is not None and isinstance(rewritten, exp.Anonymous) and fn.sqlite_name is not None
                and rewritten.name.upper() == fn.sqlite_name.upper()):
            fn.check_arity(node.name if isinstance(node, exp.Anonymous) else fn.name, len(rewritten.expressions))
        return rewritten

    def function_of(self, node: exp.Expr) -> Function | None:
        """The function a node of a rewritten tree calls (None: not a function call)."""
        if isinstance(node, exp.Anonymous):
            return self.by_sqlite_name.get(node.name.upper())
        return self.by_node.get(type(node))

    # -- connections ---------------------------------------------------------------------------

    def register_on(self, conn: apsw.Connection, ctx: FunctionContext) -> None:
        """Make every implemented function callable on `conn`, session functions bound to `ctx` (and
        MariaDB's collations: every connection that runs a client's statement needs both)."""
        register_collations(conn)
        for fn in self.functions:
            impl = fn.implementation
            if impl is None or fn.sqlite_name is None:
                continue
            if fn.aggregate and hasattr(impl, "inverse"):  # also a window function over a frame (PERCENTILE_CONT)
                conn.create_window_function(fn.sqlite_name, impl)
            elif fn.aggregate:
                conn.create_aggregate_function(fn.sqlite_name, _aggregate_factory(impl))
            elif fn.needs_session:
                conn.create_scalar_function(fn.sqlite_name, _bound(impl, ctx), deterministic=fn.deterministic)
            else:
                conn.create_scalar_function(fn.sqlite_name, impl, deterministic=fn.deterministic)


def _claim(index: dict[Any, Function], key: Any, fn: Function, what: str) -> None:
    other = index.get(key)
    if other is not None:
        raise ValueError(f"{what} {key!r} of {fn.family} function {fn.name} is already {other.family} "
                         f"function {other.name}'s: declare each function once")
    index[key] = fn


def _bound(impl: Callable[..., Any], ctx: FunctionContext) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        return impl(ctx, *args)

    return call


class Aggregate(Protocol):
    """The state of one aggregate evaluation (one group)."""

    def step(self, *values: Any) -> None: ...
    def final(self) -> Any: ...


def _aggregate_factory(make: Callable[[], Aggregate]) -> Callable[[], tuple[Any, Callable[..., None],
                                                                             Callable[[Any], Any]]]:
    def factory() -> tuple[Any, Callable[..., None], Callable[[Any], Any]]:
        state = make()
        return state, lambda _ctx, *args: state.step(*args), lambda _ctx: state.final()

    return factory


REGISTRY: Final = Registry()


class Family:
    """Declares the functions of one family (one module) into the registry."""

    def __init__(self, family: str, registry: Registry = REGISTRY) -> None:
        self.family = family
        self.registry = registry

    def scalar(self, name: str, *aliases: str, returns: Returns, node: type[exp.Expr] | Sequence[type[exp.Expr]] = (),
               sqlite_name: str | None = None, args: ArgsOf | None = None, rewrite: Rewrite | None = None,
               text_args: TextArgs | None = None, deterministic: bool = True, needs_session: bool = False,
               examples: Sequence[str] = (), numbers: Sequence[str] = (),
               json_args: TextArgs | None = None) -> Callable[[F], F]:
        """Declare a function implemented in Python by the decorated callable, called in SQLite as
        `sqlite_name` (default `APP_<name>`). With `needs_session` it takes a FunctionContext first."""

        called = sqlite_name or f"APP_{name}"

        def declare(impl: F) -> F:
            self.registry.add(Function(
                name, self.family, returns, aliases=aliases, nodes=_nodes(node),
                sqlite_name=called, implementation=impl, rewrite=rewrite or call_as(called, args),
                text_args=text_args, deterministic=deterministic, needs_session=needs_session,
                examples=tuple(examples), arity=_arity(impl, needs_session), numbers=tuple(numbers),
                json_args=json_args))
            return impl

        return declare

    def aggregate(self, name: str, *aliases: str, returns: Returns,
                  node: type[exp.Expr] | Sequence[type[exp.Expr]] = (), sqlite_name: str | None = None,
                  examples: Sequence[str] = (), numbers: Sequence[str] = (),
                  rewrite: Rewrite | None = None, json_args: TextArgs | None = None) -> Callable[[F], F]:
        """Declare an aggregate implemented by the decorated class (`step(*values)`, `final()`)."""

        called = sqlite_name or f"APP_{name}"

        def declare(cls: F) -> F:
            self.registry.add(Function(
                name, self.family, returns, aliases=aliases, nodes=_nodes(node), sqlite_name=called,
                implementation=cls, aggregate=True, rewrite=rewrite or call_as(called), examples=tuple(examples),
                numbers=tuple(numbers), json_args=json_args))
            return cls

        return declare

    def native(self, name: str, *aliases: str, returns: Returns, node: type[exp.Expr] | Sequence[type[exp.Expr]] = (),
               sqlite_name: str | None = None, rewrite: Rewrite | None = None, args: ArgsOf | None = None,
               text_args: TextArgs | None = None, examples: Sequence[str] = (),
               numbers: Sequence[str] = ()) -> Function:
        """Declare a function SQLite implements: kept as sqlglot writes it, or rewritten into a call of
        the SQLite builtin `sqlite_name` (an `exp.Anonymous` call keeps its own name by default)."""
        nodes = _nodes(node)
        called = sqlite_name or (None if nodes else name)
        if rewrite is None and sqlite_name is not None and sqlite_name != name:
            rewrite = call_as(sqlite_name, args)
        return self.registry.add(Function(
            name, self.family, returns, aliases=aliases, nodes=nodes, sqlite_name=called, rewrite=rewrite,
            text_args=text_args, examples=tuple(examples), numbers=tuple(numbers)))

    def internal(self, sqlite_name: str, *, returns: Returns | None, node: type[exp.Expr] | None = None,
                 deterministic: bool = True, needs_session: bool = False, aggregate: bool = False,
                 numbers: Sequence[str] = (), text_args: TextArgs | None = None) -> Callable[[F], F]:
        """Declare a helper the SQL layer itself calls (no MySQL name: SQL cannot call it by name). With
        `node`, it implements an operator sqlglot writes as SQLite has it (REGEXP); with `aggregate`, the
        decorated class is an aggregate (as `aggregate` declares them); `numbers` and `text_args` as
        `scalar` has them."""

        def declare(impl: F) -> F:
            self.registry.add(Function(
                sqlite_name, self.family, returns, nodes=_nodes(node or ()), sqlite_name=sqlite_name,
                implementation=impl, deterministic=deterministic, needs_session=needs_session, internal=True,
                aggregate=aggregate, numbers=tuple(numbers), text_args=text_args))
            return impl

        return declare


def _arity(impl: Callable[..., Any], needs_session: bool) -> tuple[int, int | None]:
    """How many arguments a Python implementation takes: (least, most; None for *args)."""
    params = list(inspect.signature(impl).parameters.values())[1 if needs_session else 0:]
    least = sum(1 for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty)
    varargs = any(p.kind is p.VAR_POSITIONAL for p in params)
    return least, None if varargs else sum(1 for p in params if p.kind is p.POSITIONAL_OR_KEYWORD)


def _nodes(node: type[exp.Expr] | Sequence[type[exp.Expr]]) -> tuple[type[exp.Expr], ...]:
    return (node,) if isinstance(node, type) else tuple(node)

"""Statements as the SQL layer's extension point: plans, the planners that make them, the executors
that run them.

A statement family (query, dml, ddl, show, ...; see `_statements`) is one module that declares:

- its plans: frozen dataclasses deriving from `Plan`, holding what the statement needs at run
  time, computed once per statement shape;
- its planners: `@plans(exp.Update)` turns a sqlglot tree into a plan; `@plans_words("show")`
  recognises a statement by its first word without sqlglot (return None to pass);
- its executors: `@executes(UpdatePlan)` runs a plan. An executor takes the plan, then the
  statement's `Params` if it declares them, then the session's services it needs, each named by its
  type (`tx: Transaction`, `conns: Connections`): never the whole session.

    @dataclass(frozen=True, slots=True)
    class DoPlan(Plan):
        sql: str

    @plans_words("do")
    def plan_do(sql: str, ctx: PlanContext) -> Plan | None: ...

    @executes(DoPlan)
    def run_do(plan: DoPlan, params: Params, conns: Connections) -> Result: ...

Dispatch is by class: the translator looks planners up by the class of the tree (or the first
word), the session looks executors up by the class of the plan.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, Final, TypeVar, cast, final

from sqlglot import exp

from ._results import Result
from ._sqlite import store_table_names
from ._sqltypes import DEFAULT_DIV_INCREMENT

DEFAULT_SQL_MODE: Final = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION"

# Literal values cut out of a statement's text (its shape's parameters), None when there were none.
Params = list[Any] | None


@dataclass(frozen=True, slots=True, eq=False)  # a plan is itself, not its fields: no __eq__ to make
class Plan:
    """What a statement needs when it runs, computed once per statement shape (see module docstring)."""


@final
@dataclass(frozen=True, slots=True, eq=False)
class NoopPlan(Plan):
    """A statement accepted that does nothing (FLUSH, LOCK TABLES, an executable comment whose version
    is newer than ours): OK. Its executor is in the session family."""


@final
@dataclass(frozen=True, slots=True)
class Dialect:
    """The session settings a translation depends on.

    Each field is read from the session variable of the same name, and the translator caches plans
    per Dialect: a plan made under one setting is never used under another. A setting that changes
    how statements translate belongs here, and only such settings (each one divides the caches).
    """

    div_precision_increment: int = DEFAULT_DIV_INCREMENT
    sql_mode: str = DEFAULT_SQL_MODE

    @classmethod
    def from_variables(cls, get: Callable[[str], Any]) -> Dialect:
        """The dialect of a session whose variables `get` reads (one object per distinct setting, so
        that the translator finds its caches by identity)."""
        dialect = cls(**{f.name: get(f.name) for f in fields(cls)})
        return _DIALECTS.setdefault(dialect, dialect)

    def __post_init__(self) -> None:
        # MariaDB keeps div_precision_increment within 0..30 (it warns and clamps).
        object.__setattr__(self, "div_precision_increment", max(0, min(int(self.div_precision_increment), 30)))


DEFAULT_DIALECT: Final = Dialect()
_DIALECTS: Final[dict[Dialect, Dialect]] = {DEFAULT_DIALECT: DEFAULT_DIALECT}


@final
@dataclass(frozen=True, slots=True)
class PlanContext:
    """What a planner may depend on besides the statement: the session's dialect, and the schemas
    whose tables are materialised per query (information_schema, the cluster's virtual tables)."""

    dialect: Dialect = DEFAULT_DIALECT
    virtual_schemas: frozenset[str] = frozenset()


TreePlanner = Callable[[Any, str, PlanContext], Plan]
WordPlanner = Callable[[str, PlanContext], "Plan | None"]
T = TypeVar("T", bound=Callable[..., Any])

_TREE_PLANNERS: Final[dict[type[exp.Expr], TreePlanner]] = {}
_WORD_PLANNERS: Final[dict[str, list[WordPlanner]]] = {}


def plans(*nodes: type[exp.Expr]) -> Callable[[T], T]:
    """Register the decorated function as the planner of statements sqlglot parses into `nodes`."""

    def register(planner: T) -> T:
        @functools.wraps(planner)
        def planned(tree: exp.Expr, sql: str, ctx: PlanContext) -> Plan:
            # Every planner sees the tables by the names SQLite has for them (see `_sqlite`), also
            # when another planner calls it on a tree or a part of one.
            store_table_names(tree, ctx.virtual_schemas)
            found: Plan = planner(tree, sql, ctx)
            return found

        for node in nodes:
            if node in _TREE_PLANNERS:
                raise ValueError(f"{node.__name__} statements already have a planner: "
                                 f"{_TREE_PLANNERS[node].__module__}.{_TREE_PLANNERS[node].__name__}")
            _TREE_PLANNERS[node] = planned
        return cast(T, planned)

    return register


def plans_words(*words: str) -> Callable[[T], T]:
    """Register the decorated function as a planner of statements starting with one of `words`,
    tried before sqlglot parses them; it returns None for a statement it does not recognise."""

    def register(planner: T) -> T:
        for word in words:
            _WORD_PLANNERS.setdefault(word.lower(), []).append(planner)
        return planner

    return register


def tree_planner(node: type[exp.Expr]) -> TreePlanner | None:
    """The planner of a parsed statement's class (or of its nearest base that has one)."""
    return next((_TREE_PLANNERS[base] for base in node.__mro__ if base in _TREE_PLANNERS), None)


def word_planners(word: str) -> Sequence[WordPlanner]:
    """The planners of statements that start with `word` (lower case)."""
    return _WORD_PLANNERS.get(word, ())


# -- executors ------------------------------------------------------------------------------------


@final
@dataclass(frozen=True, slots=True)
class Executor:
    """How to run plans of one class: `run(plan, [params,] *services)`."""

    run: Callable[..., Result]
    takes_params: bool
    needs: tuple[type, ...]  # the services it takes, in order, by type


EXECUTORS: Final[dict[type[Plan], Executor]] = {}


def executes(*plan_types: type[Plan]) -> Callable[[T], T]:
    """Register the decorated function as the executor of `plan_types` (see module docstring)."""

    def register(run: T) -> T:
        parameters = list(inspect.signature(run, eval_str=True).parameters.values())[1:]
        takes_params = bool(parameters) and parameters[0].annotation == Params
        needs = []
        for p in parameters[1:] if takes_params else parameters:
            if not isinstance(p.annotation, type):
                raise TypeError(f"{run.__module__}.{run.__name__}: parameter {p.name!r} must be annotated with "
                                "the class of the service it needs")
            needs.append(p.annotation)
        for plan_type in plan_types:
            if plan_type in EXECUTORS:
                raise ValueError(f"{plan_type.__name__} already has an executor")
            EXECUTORS[plan_type] = Executor(run, takes_params, tuple(needs))
        return run

    return register

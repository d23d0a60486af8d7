"""A query's result: its columns typed as MySQL types them, its values as clients expect them.

SQLite describes a result column by its declared type when it is a table's column, and not at all
when it is an expression; the translator derived a type for those (the plan's `hints`), and the
values SQLite returned in another storage class are converted to it (`_types.conform`).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Final, Protocol

from ._catalog import Catalog
from ._errors import SQLError
from ._results import ErrorInResult, Result
from ._sqltypes import Deferred, SQLType, VariableRef, VariableTypes
from ._types import (
    Column,
    MySQLType,
    ValueOutOfRange,
    column_for_decltype,
    column_for_values,
    conform,
    format_decimal,
)

Hint = Column | Deferred | None
# The types of the user variables a statement reads: (name, type) pairs (see `_sqltypes.VariableRef`).
UserTypes = tuple[tuple[str, SQLType], ...]


class Projection(Protocol):
    """What a query plan says about its result columns."""

    @property
    def names(self) -> tuple[str | None, ...]: ...
    @property
    def hints(self) -> tuple[Hint, ...]: ...
    @property
    def positional(self) -> bool: ...


def query_result(plan: Projection, description: tuple[tuple[str, str | None], ...], rows: list[tuple[Any, ...]],
                 catalog: Catalog, default_db: str | None, not_null: tuple[bool, ...] = (),
                 variables: UserTypes = ()) -> Result:
    """The Result of a query that SQLite described with `description` and answered with `rows`,
    its unqualified tables being in `default_db`; `variables`: the types of the user variables it reads."""
    columns, derived = _columns(plan, description, rows, catalog, default_db, not_null, variables)
    for i, col in enumerate(columns):
        if derived and i in derived:
            if rows:  # an expression's values: converted to the type derived for it
                try:
                    columns[i], rows = conform(col, rows, i)
                except ValueOutOfRange as e:
                    # MariaDB finds it while sending rows: the columns and the rows before go out first.
                    before = query_result(plan, description, rows[:e.row], catalog, default_db, not_null, variables)
                    raise ErrorInResult(SQLError(1690, e.message, "22003"), before) from None
        elif col.type in _TEMPORAL and rows:
            fsp = _declared_fsp(description[i][1] or "")
            if fsp < 6 and any(type(r[i]) is str and "." in r[i] for r in rows):
                # a value stored with more fractional digits than the column keeps: MariaDB truncates
                rows = [(*r[:i], _truncated(r[i], fsp), *r[i + 1 :]) for r in rows]
        elif col.unsigned and col.type is MySQLType.LONGLONG and rows and any(type(r[i]) is bytes for r in rows):
            # BIGINT UNSIGNED past 2**63 - 1 is stored as its digits in a BLOB (see _statements.dml)
            rows = [(*r[:i], int(r[i]) if type(r[i]) is bytes else r[i], *r[i + 1 :]) for r in rows]
        elif col.scale is not None and col.type is MySQLType.NEWDECIMAL and rows:
            rows = [(*r[:i], format_decimal(r[i], col.scale), *r[i + 1 :]) for r in rows]
        elif col.binary and rows and any(isinstance(r[i], (str, int, float)) for r in rows):
            # Text or numbers stored in a BLOB column (SQLite keeps them so) go out as bytes.
            rows = [(*r[:i], _as_bytes(r[i]), *r[i + 1 :]) for r in rows]
    return Result(columns, rows)


def _columns(plan: Projection, description: tuple[tuple[str, str | None], ...], rows: list[tuple[Any, ...]],
             catalog: Catalog, default_db: str | None, not_null: tuple[bool, ...] = (), variables: UserTypes = (),
             ) -> tuple[list[Column], set[int] | None]:
    """The result's columns, and which of them are typed from expressions rather than declared."""
    columns: list[Column] = []
    derived: set[int] | None = None
    names, hints = plan.names, plan.hints
    for i, (name, decltype) in enumerate(description):
        hint: Hint = None
        if plan.positional and i < len(names):
            name = names[i] or name
            hint = hints[i]
        elif name.startswith("__c") and name[3:].isdigit():
            idx = int(name[3:])
            name, hint = names[idx] or name, hints[idx]
        if decltype and hint is None:
            columns.append(column_for_decltype(name, decltype, i < len(not_null) and not_null[i]))
            continue
        bare_variable = isinstance(hint, Deferred) and isinstance(hint.expr, VariableRef)
        if isinstance(hint, Deferred):
            hint = resolve(hint, catalog, default_db, variables)
        if hint is not None:
            columns.append(Column(name, hint.type, hint.binary, hint.scale, hint.unsigned, checked=hint.checked))
        else:
            columns.append(column_for_values(name, [r[i] for r in rows]))
        if bare_variable and columns[-1].type is MySQLType.NEWDECIMAL:
            continue  # a DECIMAL variable (bound as its text) goes out with its own scale: '1.50' in a (65,38) column
        if derived is None:
            derived = set()
        derived.add(i)
    return columns, derived


_TEMPORAL: Final = frozenset({MySQLType.TIME, MySQLType.DATETIME, MySQLType.TIMESTAMP})
_FSP: Final = re.compile(r"\s*[a-z]+\s*\(\s*(\d+)\s*\)", re.I)


@functools.lru_cache(maxsize=256)
def _declared_fsp(decltype: str) -> int:
    """The fractional digits a TIME / DATETIME / TIMESTAMP column declares (`time(3)`: 3, `time`: 0)."""
    m = _FSP.match(decltype)
    return int(m.group(1)) if m else 0


def _truncated(value: Any, fsp: int) -> Any:
    if type(value) is not str or "." not in value:
        return value
    whole, _, frac = value.partition(".")
    return f"{whole}.{frac[:fsp]}" if fsp else whole


def resolve(hint: Deferred, catalog: Catalog, default_db: str | None, variables: UserTypes = ()) -> Column | None:
    """A column type that depends on the tables' declared types, for the schema of the moment (and on the
    types of the user variables the statement reads, `variables`)."""
    state, lookup = catalog.lookup(default_db)
    if variables:
        typed = VariableTypes(lookup, dict(variables))
        return catalog.memo((hint, *state, variables), lambda: hint.column(typed))
    return catalog.memo((hint, *state), lambda: hint.column(lookup))


def _as_bytes(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (int, float)):
        return str(value).encode()
    return value

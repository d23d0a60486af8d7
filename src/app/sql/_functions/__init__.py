"""MySQL's built-in functions: one registry, filled by one module per family.

`REGISTRY` (see `_registry`) is what the translator, the type deriver and every SQLite connection
read. To add a function, declare it in its family's module with its implementation (or rewrite),
result type, flags and examples; `tests/test_function_registry.py` then runs it.
"""

from __future__ import annotations

# Importing a family declares its functions.
from . import (
    _aggregate,
    _cast,
    _charcodes,
    _coerce,
    _control,
    _datetime,
    _datetime_format,
    _decimal,
    _dml,
    _encoding,
    _groupconcat,
    _hashing,
    _information,
    _json,
    _jsonedit,
    _misc,
    _namedlocks,
    _numeric,
    _regex,
    _sformat,
    _sortkeys,
    _store,
    _string,
    _time,
    _timezone,
    _unsigned,
    _uservars,
    _window,
)
from ._datetime import date_add_call
from ._locktable import NamedLocks
from ._registry import REGISTRY, DmlCounts, Function, FunctionContext, Registry, Typer, udf
from ._temporal import TIME_READERS, time_arg
from ._time import literal_datetime_type, temporal_branches, undo_to_days

FAMILIES = (_aggregate, _cast, _charcodes, _coerce, _control, _datetime, _datetime_format, _decimal, _dml, _encoding,
            _groupconcat, _hashing, _information, _json, _jsonedit, _misc, _namedlocks, _numeric, _regex, _sformat,
            _sortkeys, _store, _string, _time, _timezone, _unsigned, _uservars, _window)

__all__ = [
    "FAMILIES",
    "REGISTRY",
    "TIME_READERS",
    "DmlCounts",
    "Function",
    "FunctionContext",
    "NamedLocks",
    "Registry",
    "Typer",
    "date_add_call",
    "literal_datetime_type",
    "temporal_branches",
    "time_arg",
    "udf",
    "undo_to_days",
]

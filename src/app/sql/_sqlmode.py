"""sql_mode: its modes in MariaDB's order, the combinations that stand for several, and what the
translator reads from it (`Modes`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, final

from ._errors import SQLError

# In MariaDB's bit order, which is the order @@sql_mode lists them in.
MODES: Final = (
    "REAL_AS_FLOAT", "PIPES_AS_CONCAT", "ANSI_QUOTES", "IGNORE_SPACE", "IGNORE_BAD_TABLE_OPTIONS",
    "ONLY_FULL_GROUP_BY", "NO_UNSIGNED_SUBTRACTION", "NO_DIR_IN_CREATE", "POSTGRESQL", "ORACLE", "MSSQL", "DB2",
    "MAXDB", "NO_KEY_OPTIONS", "NO_TABLE_OPTIONS", "NO_FIELD_OPTIONS", "MYSQL323", "MYSQL40", "ANSI",
    "NO_AUTO_VALUE_ON_ZERO", "NO_BACKSLASH_ESCAPES", "STRICT_TRANS_TABLES", "STRICT_ALL_TABLES",
    "NO_ZERO_IN_DATE", "NO_ZERO_DATE", "INVALID_DATES", "ERROR_FOR_DIVISION_BY_ZERO", "TRADITIONAL",
    "NO_AUTO_CREATE_USER", "HIGH_NOT_PRECEDENCE", "NO_ENGINE_SUBSTITUTION", "PAD_CHAR_TO_FULL_LENGTH",
    "EMPTY_STRING_IS_NULL", "SIMULTANEOUS_ASSIGNMENT", "TIME_ROUND_FRACTIONAL",
)
_OPTIONS: Final = ("NO_KEY_OPTIONS", "NO_TABLE_OPTIONS", "NO_FIELD_OPTIONS")
_PG_LIKE: Final = ("PIPES_AS_CONCAT", "ANSI_QUOTES", "IGNORE_SPACE", *_OPTIONS)
# What a combination mode sets besides itself (as MariaDB 10.11 expands them).
_COMBINATIONS: Final[dict[str, tuple[str, ...]]] = {
    "ANSI": ("REAL_AS_FLOAT", "PIPES_AS_CONCAT", "ANSI_QUOTES", "IGNORE_SPACE"),
    "TRADITIONAL": ("STRICT_TRANS_TABLES", "STRICT_ALL_TABLES", "NO_ZERO_IN_DATE", "NO_ZERO_DATE",
                    "ERROR_FOR_DIVISION_BY_ZERO", "NO_AUTO_CREATE_USER", "NO_ENGINE_SUBSTITUTION"),
    "ORACLE": (*_PG_LIKE, "NO_AUTO_CREATE_USER", "SIMULTANEOUS_ASSIGNMENT"),
    "MSSQL": _PG_LIKE, "DB2": _PG_LIKE, "POSTGRESQL": _PG_LIKE,
    "MAXDB": (*_PG_LIKE, "NO_AUTO_CREATE_USER"),
    "MYSQL323": ("HIGH_NOT_PRECEDENCE",), "MYSQL40": ("HIGH_NOT_PRECEDENCE",),
}


def normalize(name: str, value: Any) -> str:
    """A value given to sql_mode as @@sql_mode reads it back (1231 for an unknown mode)."""
    if value is None or isinstance(value, float):
        raise SQLError(1231, f"Variable '{name}' can't be set to the value of '{'NULL' if value is None else value}'",
                       "42000")
    if isinstance(value, int):
        if not 0 <= value < 1 << len(MODES):
            raise SQLError(1231, f"Variable '{name}' can't be set to the value of '{value}'", "42000")
        chosen = {mode for i, mode in enumerate(MODES) if value >> i & 1}
    else:
        chosen = set()
        for word in str(value).split(","):
            mode = word.strip().upper()
            if not mode:
                continue
            if mode not in MODES:
                raise SQLError(1231, f"Variable '{name}' can't be set to the value of '{word.strip()}'", "42000")
            chosen.add(mode)
    for mode in list(chosen):
        chosen.update(_COMBINATIONS.get(mode, ()))
    return ",".join(m for m in MODES if m in chosen)


@final
@dataclass(frozen=True, slots=True)
class Modes:
    """What statements translate by, of a session's sql_mode."""

    ansi_quotes: bool = False
    pipes_as_concat: bool = False
    no_backslash_escapes: bool = False
    only_full_group_by: bool = False
    real_as_float: bool = False  # REAL is FLOAT (else DOUBLE)


@lru_cache(maxsize=64)
def modes_of(sql_mode: str) -> Modes:
    chosen = set(sql_mode.upper().split(","))
    return Modes("ANSI_QUOTES" in chosen, "PIPES_AS_CONCAT" in chosen, "NO_BACKSLASH_ESCAPES" in chosen,
                 "ONLY_FULL_GROUP_BY" in chosen, "REAL_AS_FLOAT" in chosen)

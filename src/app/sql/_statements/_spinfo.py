"""information_schema.ROUTINES, PARAMETERS and TRIGGERS: the stored programs of each database (`_spstore`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

from .._errors import shown_name
from .._storage import Database
from ._spstore import Stored, every

_S = "varchar(64)"
_T = "longtext"
_I = "int(21)"
# name: columns as (name, MySQL type), as MariaDB 10.11 has them.
PROGRAM_TABLES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "routines": (("SPECIFIC_NAME", _S), ("ROUTINE_CATALOG", "varchar(512)"), ("ROUTINE_SCHEMA", _S),
                 ("ROUTINE_NAME", _S), ("ROUTINE_TYPE", "varchar(13)"), ("DATA_TYPE", _S),
                 ("CHARACTER_MAXIMUM_LENGTH", _I), ("CHARACTER_OCTET_LENGTH", _I), ("NUMERIC_PRECISION", _I),
                 ("NUMERIC_SCALE", _I), ("DATETIME_PRECISION", "bigint(21) unsigned"), ("CHARACTER_SET_NAME", _S),
                 ("COLLATION_NAME", _S), ("DTD_IDENTIFIER", _T), ("ROUTINE_BODY", "varchar(8)"),
                 ("ROUTINE_DEFINITION", _T), ("EXTERNAL_NAME", _S), ("EXTERNAL_LANGUAGE", _S),
                 ("PARAMETER_STYLE", "varchar(8)"), ("IS_DETERMINISTIC", "varchar(3)"), ("SQL_DATA_ACCESS", _S),
                 ("SQL_PATH", _S), ("SECURITY_TYPE", "varchar(7)"), ("CREATED", "datetime"),
                 ("LAST_ALTERED", "datetime"), ("SQL_MODE", "varchar(8192)"), ("ROUTINE_COMMENT", _T),
                 ("DEFINER", "varchar(384)"), ("CHARACTER_SET_CLIENT", "varchar(32)"), ("COLLATION_CONNECTION", _S),
                 ("DATABASE_COLLATION", _S)),
    "parameters": (("SPECIFIC_CATALOG", "varchar(512)"), ("SPECIFIC_SCHEMA", _S), ("SPECIFIC_NAME", _S),
                   ("ORDINAL_POSITION", _I), ("PARAMETER_MODE", "varchar(5)"), ("PARAMETER_NAME", _S),
                   ("DATA_TYPE", _S), ("CHARACTER_MAXIMUM_LENGTH", _I), ("CHARACTER_OCTET_LENGTH", _I),
                   ("NUMERIC_PRECISION", _I), ("NUMERIC_SCALE", _I), ("DATETIME_PRECISION", "bigint(21) unsigned"),
                   ("CHARACTER_SET_NAME", _S), ("COLLATION_NAME", _S), ("DTD_IDENTIFIER", _T),
                   ("ROUTINE_TYPE", "varchar(9)")),
}
_COLLATION: Final = ("utf8mb4", "utf8mb4_general_ci", "utf8mb4_general_ci")


def _base(type_text: str | None) -> str:
    """A declared type's name as DATA_TYPE shows it (DECIMAL(10,2) -> decimal)."""
    m = re.match(r"\s*([A-Za-z]+)", type_text or "")
    return m.group(1).lower() if m else ""


def _routine_row(db: str, s: Stored) -> tuple[Any, ...]:
    r = s.routine
    return (r.name, "def", db, r.name, r.kind, _base(r.returns), None, None, None, None, None, None, None,
            (r.returns or "").lower() or None, "SQL", r.body_text, None, None, "SQL",
            "YES" if r.deterministic else "NO", r.data_access, None, r.security, s.created, s.created, s.sql_mode,
            r.comment, s.definer, *_COLLATION)


def _parameter_rows(db: str, s: Stored) -> list[tuple[Any, ...]]:
    r = s.routine
    rows: list[tuple[Any, ...]] = []
    if r.kind == "FUNCTION":  # its value: position 0, no name nor mode
        rows.append(("def", db, r.name, 0, None, None, _base(r.returns), None, None, None, None, None, None, None,
                     (r.returns or "").lower(), r.kind))
    for i, p in enumerate(r.params, 1):
        rows.append(("def", db, r.name, i, p.mode, p.name, _base(p.type), None, None, None, None, None, None, None,
                     p.type.lower(), r.kind))
    return rows


def _trigger_rows(db: str, triggers: list[Stored]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for s in sorted(triggers, key=lambda s: (s.order, s.routine.name.lower())):
        r = s.routine
        key = (r.table.lower(), r.event, r.timing)
        seen[key] = seen.get(key, 0) + 1
        rows.append(("def", db, r.name, r.event, "def", db, shown_name(r.table), seen[key], None, r.body_text, "ROW",
                     r.timing, None, None, "OLD", "NEW", s.created + ".00", s.sql_mode, s.definer, *_COLLATION))
    return rows


def program_rows(db: Database, wanted: set[str]) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """The rows of the information_schema tables `wanted` (of routines, parameters, triggers) for `db`."""
    with db.lock:  # the anchor is shared by every session's thread
        if db.dropped:
            return
        programs = every(db.anchor, db)
    if "routines" in wanted:
        yield "routines", [_routine_row(db.name, s) for s in programs if s.routine.kind != "TRIGGER"]
    if "parameters" in wanted:
        yield "parameters", [row for s in programs if s.routine.kind != "TRIGGER"
                             for row in _parameter_rows(db.name, s)]
    if "triggers" in wanted:
        yield "triggers", _trigger_rows(db.name, [s for s in programs if s.routine.kind == "TRIGGER"])

"""What a statement returns to the client."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from ._errors import SQLError
from ._types import Column


@dataclass(slots=True)
class Result:
    """What a statement returns: rows with columns, or an OK with counts (`columns is None`)."""

    columns: list[Column] | None = None
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    affected_rows: int = 0
    last_insert_id: int = 0
    warnings: int = 0
    info: str = ""
    # What a CALL answered before this, its last answer: the result sets of the procedure's statements.
    results: list[Result] = field(default_factory=list)


OK: Final = Result()



class ErrorInResult(SQLError):
    """An error MariaDB reports after it has sent a result's columns, and the rows before the one that
    failed (a value out of range found as the rows go out): the client gets those, then the error.
    Anything that runs a query for its own use sees an SQLError like any other."""

    def __init__(self, error: SQLError, result: Result) -> None:
        super().__init__(error.code, error.message, error.sqlstate)
        self.result = result

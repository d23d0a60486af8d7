"""What a statement returns to the client."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

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


OK: Final = Result()


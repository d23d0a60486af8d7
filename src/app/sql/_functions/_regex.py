"""Regular expressions: the REGEXP / RLIKE operator, REGEXP_REPLACE, REGEXP_SUBSTR, REGEXP_INSTR.

Patterns match case-insensitively, as under MySQL's default collation; a pattern that does not
compile gives NULL.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from sqlglot import exp

from .._sqltypes import INT, STRING
from ._registry import Family
from ._values import text

fn = Family("regex")


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None


# SQLite runs `x REGEXP y` as regexp(y, x), so the operator stays as sqlglot writes it.
@fn.internal("REGEXP", node=exp.RegexpLike, returns=INT)
def regexp(pattern: Any, value: Any) -> int | None:
    if pattern is None or value is None:
        return None
    rx = _regex(text(pattern))
    return None if rx is None else int(rx.search(text(value)) is not None)


@fn.scalar("REGEXP_REPLACE", node=exp.RegexpReplace, returns=STRING,
           args=lambda n: [n.this, n.expression, n.args.get("replacement")],
           examples=["REGEXP_REPLACE('a1b22', '[0-9]+', '#')", "REGEXP_REPLACE('abc', '(b)', '<\\\\1>')"])
def regexp_replace(value: Any, pattern: Any, replacement: Any) -> str | None:
    if value is None or pattern is None or replacement is None:
        return None
    rx = _regex(text(pattern))
    # MySQL writes back-references as \1 too; Python's templates take them the same way.
    return None if rx is None else rx.sub(text(replacement), text(value))


@fn.scalar("REGEXP_SUBSTR", node=exp.RegexpSubstr, returns=STRING, args=lambda n: [n.this, n.expression],
           examples=["REGEXP_SUBSTR('abc123def', '[0-9]+')", "REGEXP_SUBSTR('abc', 'x')"])
def regexp_substr(value: Any, pattern: Any) -> str | None:
    if value is None or pattern is None:
        return None
    rx = _regex(text(pattern))
    found = rx.search(text(value)) if rx is not None else None
    return None if found is None else found.group()


@fn.scalar("REGEXP_INSTR", node=exp.RegexpInstr, returns=INT, args=lambda n: [n.this, n.expression],
           examples=["REGEXP_INSTR('abc123', '[0-9]')", "REGEXP_INSTR('abc', 'x')"])
def regexp_instr(value: Any, pattern: Any) -> int | None:
    if value is None or pattern is None:
        return None
    rx = _regex(text(pattern))
    found = rx.search(text(value)) if rx is not None else None
    return 0 if found is None else found.start() + 1

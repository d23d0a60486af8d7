"""Regular expressions: the REGEXP / RLIKE operator, REGEXP_REPLACE, REGEXP_SUBSTR, REGEXP_INSTR.

Patterns match case-insensitively, as under MySQL's default collation; a pattern that does not
compile is MariaDB's error 1139 (its text is Python's, not PCRE's).
"""

from __future__ import annotations

import functools
import re
from typing import Any, Final

from sqlglot import exp

from .._errors import SQLError
from .._sqltypes import INT, LONGTEXT, STRING
from ._registry import Family, Function, udf
from ._values import text

fn = Family("regex")


@functools.lru_cache(maxsize=256)
def _regex(pattern: str, case: bool = False) -> re.Pattern[str] | None:
    """The pattern compiled (`case`: case-sensitive, as for a binary string)."""
    try:
        return re.compile(pattern, 0 if case else re.IGNORECASE)
    except re.error as e:
        raise SQLError(1139, f"Regex error '{e.msg} at offset {e.pos or 0}'", "42000") from None


# SQLite runs `x REGEXP y` as regexp(y, x), so the operator stays as sqlglot writes it.
@fn.internal("REGEXP", node=exp.RegexpLike, returns=INT)
def regexp(pattern: Any, value: Any) -> int | None:
    if pattern is None or value is None:
        return None
    rx = _regex(text(pattern), _binary(pattern, value))  # 'a' REGEXP BINARY 'A' is 0
    return None if rx is None else int(rx.search(text(value)) is not None)


def _binary(*values: Any) -> bool:
    return any(isinstance(v, (bytes, bytearray, memoryview)) for v in values)


@fn.scalar("REGEXP_REPLACE", node=exp.RegexpReplace, returns=LONGTEXT,
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
    if rx is None:
        return None
    found = rx.search(text(value))
    return "" if found is None else found.group()  # no match: MariaDB's empty string


@fn.scalar("REGEXP_INSTR", node=exp.RegexpInstr, returns=INT, args=lambda n: [n.this, n.expression],
           examples=["REGEXP_INSTR('abc123', '[0-9]')", "REGEXP_INSTR('abc', 'x')"])
def regexp_instr(value: Any, pattern: Any) -> int | None:
    if value is None or pattern is None:
        return None
    rx = _regex(text(pattern))
    found = rx.search(text(value)) if rx is not None else None
    return 0 if found is None else found.start() + 1


# -- LIKE BINARY --------------------------------------------------------------------------------

_LIKE_SPECIAL: Final = re.compile(rb"\\(.)|%|_|[^\\%_]+", re.S)


@functools.lru_cache(maxsize=256)
def _like_regex(pattern: bytes) -> re.Pattern[bytes]:
    """A LIKE pattern (escape `\\`) as a regular expression over bytes: a binary comparison, where `_`
    is one byte."""
    parts = []
    for m in _LIKE_SPECIAL.finditer(pattern):
        token = m.group()
        if m.group(1) is not None:
            parts.append(re.escape(m.group(1)))
        elif token == b"%":
            parts.append(b".*")
        elif token == b"_":
            parts.append(b".")
        else:
            parts.append(re.escape(token))
    return re.compile(b"".join(parts), re.S)


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else text(value).encode("utf-8", "surrogateescape")


def _binary_operand(node: exp.Expr) -> exp.Expr | None:
    if isinstance(node, exp.Cast) and node.to.this in (exp.DataType.Type.BINARY, exp.DataType.Type.VARBINARY):
        inner: exp.Expr = node.this
        return inner
    return None


def _like_binary(node: exp.Expr) -> exp.Expr | None:
    """`x LIKE BINARY y` (Django's startswith, contains, ...): case-sensitive. SQLite's LIKE is not,
    and with a BLOB pattern matches nothing."""
    value, pattern = node.this, node.expression
    binary_pattern, binary_value = _binary_operand(pattern), _binary_operand(value)
    if binary_pattern is None and binary_value is None:
        return None
    return udf("APP_LIKE_BINARY", binary_value or value, binary_pattern or pattern)


def like_binary(value: Any, pattern: Any) -> int | None:
    if value is None or pattern is None:
        return None
    return int(_like_regex(_bytes(pattern)).fullmatch(_bytes(value)) is not None)


fn.registry.add(Function("APP_LIKE_BINARY", fn.family, INT, nodes=(exp.Like,), sqlite_name="APP_LIKE_BINARY",
                         implementation=like_binary, rewrite=_like_binary, internal=True))

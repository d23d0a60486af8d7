"""The lexical side of translation: cutting literals out of statements (shapes), and the source
text of projections (MySQL names an unaliased column after the text the client wrote).

Parsing with sqlglot costs hundreds of microseconds, far more than running a point query on
SQLite, so a statement is parsed once per *shape*: its literals are cut out by a regular-expression
scanner, replaced by named placeholders, and the translation is cached under the resulting text.
Executions of the same shape with other values bind the literals as parameters.
"""

from __future__ import annotations

import re
from typing import Any, Final

_SCAN: Final = re.compile(
    r"""
    (?P<h>0x[0-9A-Fa-f]+\b|[xXbB]'[0-9A-Fa-f]*')
  | (?P<s>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
  | (?P<q>`(?:[^`]|``)*`)
  | (?P<c>/\*.*?\*/|--[ \t][^\n]*|\#[^\n]*)
  | (?P<v>@@?[\w.$]+|@`[^`]*`)
  | (?P<w>[A-Za-z_$][\w$]*)
  | (?P<n>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)(?![\w$])  # not 1a, 1t: names that start with digits
    """,
    re.X | re.S,
)
_ESCAPES: Final = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_UNESCAPE: Final = re.compile(r"\\(.)|''|\"\"", re.S)
_FIRST_WORD: Final = re.compile(r"\s*(?:/\*.*?\*/\s*)*\(?\s*([A-Za-z]+)", re.S)
_INT64_MAX: Final = 2**63 - 1
# Executable comments: `/*! body */`, `/*!NNNNN body */` (a version of five or six digits) and MariaDB's
# `/*M!NNNNNN body */`, skipping strings and quoted names on the way.
_EXECUTABLE: Final = re.compile(
    r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|/\*(M?)!(\d{6}|\d{5})?(.*?)\*/""", re.S)
# The server version executable comments are compared with: the MariaDB 10.11 we answer as (10.11.19).
COMMENT_VERSION: Final = 101119


def separate_exponents(sql: str) -> str:
    """`sql` with a space after each number written with an exponent that a `+` or `-` follows.

    sqlglot's tokenizer reads on past such a number: `1.5e3-2` becomes one literal and `1e0-1e0` an
    identifier, where MySQL reads a subtraction."""
    if "e" not in sql and "E" not in sql:
        return sql
    out: list[str] = []
    pos = 0
    for m in _SCAN.finditer(sql):
        if m.lastgroup == "n" and m.end() < len(sql) and sql[m.end()] in "+-" and "e" in m.group().lower():
            out.append(sql[pos : m.end()])
            out.append(" ")
            pos = m.end()
    if not out:
        return sql
    out.append(sql[pos:])
    return "".join(out)


def unescape_string(body: str) -> str:
    """The value of a MySQL string literal's body (between the quotes)."""

    def repl(m: re.Match[str]) -> str:
        ch = m.group(1)
        if ch is None:
            return m.group()[0]
        if ch in "%_":  # MySQL keeps these escapes for LIKE patterns
            return "\\" + ch
        return _ESCAPES.get(ch, ch)

    return _UNESCAPE.sub(repl, body)


def expand_executable_comments(sql: str) -> str | None:
    """The statement with its executable comments' bodies in their place, as MariaDB runs them.

    A body runs when its version is at most ours, except a MySQL 5.7+ version (50700..99999), which
    MariaDB treats as a plain comment; a body that does not run is dropped like any comment, and a
    statement that was nothing else is None (MariaDB answers it with OK, not "Query was empty").
    """
    if "/*" not in sql or "!" not in sql:
        return sql
    skipped = False

    def repl(m: re.Match[str]) -> str:
        nonlocal skipped
        body = m.group(3)
        if body is None:  # a string or a quoted name
            return m.group()
        version = m.group(2)
        if version is not None:
            number = int(version)
            if number > COMMENT_VERSION or (len(version) == 5 and 50700 <= number <= 99999):
                skipped = True
                return " "
        return body  # as MariaDB names a column: `1 /*!40101 +1 */` is `1  +1`

    expanded = _EXECUTABLE.sub(repl, sql)
    if skipped and not expanded.strip(" \t\r\n;"):
        return None
    return expanded


def first_keyword(sql: str) -> str:
    """The statement's first word in lower case (after comments and an opening parenthesis)."""
    m = _FIRST_WORD.match(sql)
    return m.group(1).lower() if m else ""


def shape_of(sql: str) -> tuple[str, list[Any]]:
    """Cut the literals out of `sql`: (text with :pN placeholders, their values)."""
    shape, params, _ = shape_and_kinds(sql)
    return shape, params


def shape_and_kinds(sql: str) -> tuple[str, list[Any], str]:
    """`shape_of`, and each cut literal's kind as MySQL reads it: `s` a string, `i` an integer, `d` an exact
    decimal, `f` a number with an exponent (a DOUBLE). A plan may depend on them (a string column compared
    with a number is compared as numbers), so plans are cached per shape and kinds."""
    kinds: list[str] = []
    params: list[Any] = []
    out: list[str] = []
    pos = 0
    for m in _SCAN.finditer(sql):
        kind = m.lastgroup
        if kind == "s":
            start = m.start()
            # A charset introducer or N'..' glued to the literal: keep it as text.
            if start and (sql[start - 1].isalnum() or sql[start - 1] == "_"):
                continue
            value: Any = unescape_string(m.group()[1:-1])
            literal = "s"
        elif kind == "n":
            text = m.group()
            literal = "f" if ("e" in text or "E" in text) else "d" if "." in text else "i"
            if "." in text or "e" in text or "E" in text:
                # Exact decimals stay exact as text; SQLite's affinity converts on store.
                value = float(text) if ("e" in text or "E" in text) else text
                if isinstance(value, str):
                    value = float(value) if len(value) < 16 else value
            else:
                value = int(text)
                if value > _INT64_MAX:
                    continue
        else:
            continue
        out.append(sql[pos : m.start()])
        params.append(value)
        kinds.append(literal)
        out.append(f":p{len(params)}")
        pos = m.end()
    if not params:
        return sql, params, ""
    out.append(sql[pos:])
    return "".join(out), params, "".join(kinds)


_SELECT_MODIFIERS: Final = frozenset(
    {"distinct", "all", "distinctrow", "sql_calc_found_rows", "sql_no_cache", "sql_cache",
     "high_priority", "straight_join", "sql_small_result", "sql_big_result", "sql_buffer_result"}
)
_END_OF_PROJECTION: Final = frozenset(
    {"from", "where", "group", "having", "order", "limit", "union", "into", "for", "window", "lock",
     "intersect", "except"}
)
_TOKEN: Final = re.compile(
    r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|/\*.*?\*/|--(?=\s|$)[^\n]*|#[^\n]*"""
    r"""|[A-Za-z_$][\w$]*|[(),;]|\S""", re.S
)


def projection_texts(sql: str) -> list[str] | None:
    """The source text of each expression in the outermost SELECT list.

    MySQL names an unaliased expression column after the text the client wrote
    (`SELECT COUNT(*)` has a column named `COUNT(*)`), so the names come from here: from an
    expression's first token to its last, so that comments around it are not part of its name
    (those inside it are).
    """
    depth = 0
    start: int | None = None  # where the SELECT list (then: the current projection) begins
    first: int | None = None  # the current projection's first and last token
    last = 0
    pieces: list[str] = []
    low = ""
    for m in _TOKEN.finditer(sql):
        tok = m.group()
        if tok.startswith(("/*", "--", "#")) and not tok.startswith("/*!"):
            continue
        previous, low = low, tok.lower()
        if start is None:
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth -= 1
            elif depth == 0 and low == "select":
                start = m.end()
            continue
        if tok == "(":
            depth += 1
        elif tok == ")":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (tok == "," or tok == ";" or (low in _END_OF_PROJECTION and previous != "within")):
            pieces.append(sql[first:last] if first is not None else "")
            start, first = m.end(), None
            if tok != ",":
                start = None
                break
            continue
        elif depth == 0 and not pieces and first is None and low in _SELECT_MODIFIERS:
            start = m.end()
            continue
        if first is None:
            first = m.start()
        last = m.end()
    if start is not None:
        pieces.append(sql[first:last] if first is not None else "")
    texts = [p.strip() for p in pieces]
    return texts if texts and all(texts) else None

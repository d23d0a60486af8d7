"""Cutting a query into statements, as MariaDB does for clients that set CLIENT_MULTI_STATEMENTS.

The mariadb CLI, Rails, Laravel and many migration tools send several statements in one query and read one
result per statement. MariaDB cuts the text at each `;` outside strings, quoted names and comments, runs the
statements in order and stops at the first error (answered in the failing statement's place). Stored-program
bodies (`CREATE PROCEDURE ... BEGIN ...; ...; END`) hold semicolons of their own: inside them the cut waits
for the END that closes the body.

What MariaDB answers at the edges (asked of MariaDB 10.11, see tests/test_multistatements.py): whitespace after
the last `;` is nothing; comments after it are one more statement, answered with OK; an empty statement
between two semicolons is a syntax error (1064) in its place.

The scan is one regular expression over the text, so a long query costs a C loop, not a Python one per byte.
"""

from __future__ import annotations

import re
from typing import Final

# One token per match; strings, quoted names and comments are single tokens, so the `;` inside them never
# counts. An unterminated string or comment falls to `.`, one character: the statement's own parse reports it.
_LAYOUT: Final = r"""
    (?P<s>{strings})
  | (?P<q>`(?:[^`]|``)*`)
  | (?P<c>/\*.*?\*/|--(?:[ \t\r][^\n]*|$|(?=\n))|\#[^\n]*)
  | (?P<ws>\s+)
  | (?P<w>[A-Za-z_][\w$]*)
  | (?P<semi>;)
  | (?P<o>[(])
  | .
"""
_STRINGS: Final = r"'(?:[^'\\]|\\.|'')*'" + "|" + r'"(?:[^"\\]|\\.|"")*"'
_TOKENS: Final = re.compile(_LAYOUT.format(strings=_STRINGS), re.X | re.S)
# Under sql_mode NO_BACKSLASH_ESCAPES a backslash is an ordinary character in a string.
_PLAIN_STRINGS: Final = r"'(?:[^']|'')*'" + "|" + r'"(?:[^"]|"")*"'
_TOKENS_NO_BACKSLASH: Final = re.compile(_LAYOUT.format(strings=_PLAIN_STRINGS), re.X | re.S)
_PROGRAMS: Final = frozenset({"procedure", "function", "trigger", "event", "package"})
# A CREATE that names one of these first is not a stored program, whatever words follow (a view's columns).
_OTHER_OBJECTS: Final = frozenset({"table", "view", "index", "database", "schema", "user", "role", "sequence",
                                   "server", "tablespace"})
# END followed by one of these closes a block that the cut does not count (IF ... END IF, and the loops).
_UNCOUNTED_ENDS: Final = frozenset({"if", "loop", "while", "repeat", "for"})


def split_statements(sql: str, *, backslash_escapes: bool = True) -> list[tuple[int, int]]:
    """Where the statements of `sql` are, in order: (start, end) of each, without its `;`.

    Whitespace after the last `;` is dropped; anything else after it (comments) is one more statement. A
    statement that is empty or only whitespace stays in the list, for its caller to refuse as MariaDB does
    (its `;` is at its end).
    """
    if ";" not in sql:
        return [(0, len(sql))]
    out: list[tuple[int, int]] = []
    start = 0
    words: list[str] = []  # the statement's first words, lower case, up to its first parenthesis
    words_done = False
    compound = False  # a stored-program body: BEGIN and CASE open blocks that END closes
    depth = 0
    after_end = False  # the token after END decides what it closes (END IF closes nothing counted)
    for m in (_TOKENS if backslash_escapes else _TOKENS_NO_BACKSLASH).finditer(sql):
        kind = m.lastgroup
        if kind == "c" or kind == "ws":
            continue
        word = m.group().lower() if kind == "w" else ""
        if after_end:
            after_end = False
            if word not in _UNCOUNTED_ENDS:
                depth = max(depth - 1, 0)  # END, END CASE, END label: the innermost BEGIN or CASE
            if word:
                continue
        if kind == "w":
            if not words_done and len(words) < 8:
                words.append(word)
                if not compound and _starts_program(words):
                    compound = True
                    depth += word == "atomic"  # BEGIN NOT ATOMIC: its BEGIN was read before the block was seen
            if compound:
                if word in ("begin", "case"):
                    depth += 1
                elif word == "end":
                    after_end = True
        elif kind == "o":
            words_done = True
        elif kind == "semi" and not depth:
            out.append((start, m.start()))
            start = m.end()
            words, words_done, compound = [], False, False
    if sql[start:].strip() or not out:
        out.append((start, len(sql)))
    return out


def _starts_program(words: list[str]) -> bool:
    """Whether a statement opening with `words` is a stored program or an anonymous block (BEGIN NOT ATOMIC)."""
    if words[0] == "create":
        for w in words[1:]:
            if w in _OTHER_OBJECTS:
                return False
            if w in _PROGRAMS:
                return True
        return False
    return len(words) <= 4 and words[-3:] == ["begin", "not", "atomic"]  # also after a label

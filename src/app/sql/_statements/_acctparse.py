"""Reading the account statements (CREATE/ALTER/DROP/RENAME USER, SET PASSWORD, GRANT, REVOKE, SHOW
GRANTS, SHOW CREATE USER), which sqlglot does not parse: a small tokenizer and a cursor over it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, final

from .._errors import SQLError, syntax_error

_TOKEN: Final = re.compile(r"""
    (?P<space>\s+|/\*.*?\*/|\#[^\n]*|--(?:\s[^\n]*)?$)
  | (?P<str>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
  | (?P<ident>`(?:[^`]|``)*`)
  | (?P<word>[A-Za-z0-9_$]+(?:\.[0-9]+)*)
  | (?P<punct>[,.*@()=;])
""", re.X | re.S | re.M)
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "Z": "\x1a"}


@final
@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # str | ident | word | punct
    text: str  # the value: a string's or quoted name's content, a word as written


def _unquote(raw: str) -> str:
    quote = raw[0]
    body = raw[1:-1].replace(quote * 2, quote)
    if quote == "`":
        return body
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.S)


def tokenize(sql: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(sql):
        m = _TOKEN.match(sql, pos)
        if m is None:
            raise syntax_error(sql[pos:])
        pos = m.end()
        kind = m.lastgroup or ""
        if kind == "space":
            continue
        text = m.group()
        out.append(Token(kind, _unquote(text) if kind in ("str", "ident") else text))
    while out and out[-1] == Token("punct", ";"):
        out.pop()
    return out


@final
class Cursor:
    """Reads tokens; `error()` is MariaDB's 1064 near what is left."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.tokens = tokenize(sql)
        self.pos = 0

    def peek(self, offset: int = 0) -> Token | None:
        i = self.pos + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def word(self, *words: str) -> bool:
        """Take the next token if it is one of the (upper case) keywords `words`."""
        t = self.peek()
        if t is not None and t.kind == "word" and t.text.upper() in words:
            self.pos += 1
            return True
        return False

    def words(self, *sequence: str) -> bool:
        """Take the keywords `sequence` if they come next, all of them."""
        for i, w in enumerate(sequence):
            t = self.peek(i)
            if t is None or t.kind != "word" or t.text.upper() != w:
                return False
        self.pos += len(sequence)
        return True

    def punct(self, ch: str) -> bool:
        t = self.peek()
        if t is not None and t.kind == "punct" and t.text == ch:
            self.pos += 1
            return True
        return False

    def expect_word(self, *words: str) -> str:
        t = self.peek()
        if t is None or t.kind != "word" or t.text.upper() not in words:
            raise self.error()
        self.pos += 1
        return t.text.upper()

    def expect_punct(self, ch: str) -> None:
        if not self.punct(ch):
            raise self.error()

    def name(self) -> str:
        """A name: a word, a `quoted name` or (as MariaDB allows for accounts) a string."""
        t = self.peek()
        if t is None or t.kind not in ("word", "ident", "str"):
            raise self.error()
        self.pos += 1
        return t.text

    def string(self) -> str:
        t = self.peek()
        if t is None or t.kind != "str":
            raise self.error()
        self.pos += 1
        return t.text

    def end(self) -> None:
        if not self.at_end():
            raise self.error()

    def error(self) -> SQLError:
        rest = self.tokens[self.pos:]
        if not rest:
            return syntax_error("")
        # Near the rest of the text, as MariaDB quotes it.
        first = rest[0]
        index = self.sql.find(first.text) if first.kind == "word" or first.kind == "punct" else -1
        return syntax_error(self.sql[index:] if index >= 0 else first.text)

"""The text side of parsing a stored program: tokens, and statements' text with locals rewritten.

A local variable (or parameter) named in a statement of a routine becomes its session variable
(`@__sp_<name>`, see `_sptree.LOCAL_PREFIX`) wherever it is a value: not after a `.` (a column of a
table), not before `(` (a function). A select-list item that names one keeps its name as written.
"""

from __future__ import annotations

import re
from typing import Final

from .._errors import SQLError, syntax_error
from ._sptree import LOCAL_PREFIX, Token, tokenize
from ._words import unquote


class TextParser:
    """The tokens of one statement, a position in them, and the locals in scope."""

    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.toks = tokenize(sql)
        self.i = 0
        self.scopes: list[dict[str, str]] = []  # name (lower) -> key, innermost last
        self.pseudo_rows = False  # a trigger's: NEW.col and OLD.col are variables too

    # -- tokens --
    def peek(self, ahead: int = 0) -> Token | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def word(self, ahead: int = 0) -> str:
        t = self.peek(ahead)
        return t.word if t is not None else ""

    def error(self) -> SQLError:
        t = self.peek()
        return syntax_error(self.sql[t.start:] if t is not None else "")

    def take(self) -> Token:
        t = self.peek()
        if t is None:
            raise self.error()
        self.i += 1
        return t

    def expect(self, *words: str) -> None:
        for w in words:
            if self.word() != w:
                raise self.error()
            self.i += 1

    def accept(self, *words: str) -> bool:
        if all(self.word(k) == w for k, w in enumerate(words)):
            self.i += len(words)
            return True
        return False

    def punct(self, p: str) -> bool:
        t = self.peek()
        if t is not None and t.kind == "p" and t.text == p:
            self.i += 1
            return True
        return False

    def name(self) -> str:
        t = self.take()
        if t.kind == "q":
            return unquote(t.text)
        if t.kind == "w":
            return t.text
        raise syntax_error(self.sql[t.start:])

    def type_text(self, stops: tuple[str, ...], stop_words: frozenset[str] = frozenset()) -> str:
        """A data type as written, up to one of `stops` (punctuation at depth 0) or `stop_words`."""
        start = self.peek()
        if start is None or start.kind != "w":
            raise self.error()
        depth = 0
        end = start.end
        while True:
            t = self.peek()
            if t is None:
                break
            if depth == 0 and t.kind == "p" and (t.text in stops or t.text == ";"):
                break
            if depth == 0 and t.word in stop_words and t is not start:
                break
            depth += t.text == "("
            depth -= t.text == ")"
            end = t.end
            self.i += 1
        return re.sub(r"\s+", " ", self.sql[start.start:end].strip())

    def key_of(self, name: str) -> str | None:
        low = name.lower()
        for scope in reversed(self.scopes):
            if low in scope:
                return scope[low]
        return None


    def expr_until(self, stops: tuple[str, ...], *, comma: bool = False, raw: bool = False) -> str:
        """The text up to a word of `stops` (or `;`, or a `,` when `comma`) outside parentheses and CASE
        expressions, with locals rewritten (unless `raw`)."""
        first = self.peek()
        if first is None:
            raise self.error()
        depth = 0
        cases = 0
        j = self.i
        while j < len(self.toks):
            t = self.toks[j]
            if t.kind == "p":
                if t.text == "(":
                    depth += 1
                elif t.text == ")":
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and (t.text == ";" or (comma and t.text == ",")):
                    break
            elif t.kind == "w" and depth == 0:
                w = t.word
                if w in stops and cases == 0:
                    break
                if w == "case":
                    cases += 1
                elif w == "end" and cases:
                    cases -= 1
                elif w == "end" and "end" not in stops:
                    break
            j += 1
        if j == self.i:
            raise self.error()
        toks = self.toks[self.i:j]
        self.i = j
        return self._text(toks) if not raw else self.sql[toks[0].start:toks[-1].end]

    def select_text(self) -> str:
        """A SELECT, its locals rewritten; a select-list item that names a local and has no alias gets
        its text as written for alias (MariaDB names the column `v`, not the variable it became)."""
        start = self.i
        self.expr_until(())
        toks = self.toks[start:self.i]
        items: list[list[Token]] = [[]]
        depth = 0
        k = 1
        while k < len(toks) and toks[k].word in _SELECT_MODIFIERS:
            k += 1
        first = k
        for t in toks[k:]:
            if t.kind == "p" and t.text in "()":
                depth += 1 if t.text == "(" else -1
            elif depth == 0 and t.word in _SELECT_LIST_END:
                break
            if depth == 0 and t.kind == "p" and t.text == ",":
                items.append([])
            else:
                items[-1].append(t)
            k += 1
        if not items[0]:
            return self._text(toks)
        out: list[str] = [self.sql[toks[0].start:toks[first].start] if first < len(toks) else ""]
        for n, item in enumerate(items):
            text = self._text(item)
            if self._names_local(item) and not self._aliased(item):
                raw = self.sql[item[0].start:item[-1].end]
                text += " AS `" + raw.replace("`", "``") + "`"
            out.append(("" if n == 0 else ", ") + text)
        rest = toks[k:]
        if rest:
            out.append(" " + self._text(rest))
        return "".join(out)

    def _names_local(self, item: list[Token]) -> bool:
        return any(self._local_at(item, k) for k in range(len(item)))

    def _local_at(self, toks: list[Token], k: int) -> str | None:
        t = toks[k]
        if t.kind not in ("w", "q"):
            return None
        key = self.key_of(unquote(t.text))
        if key is None:
            return None
        before = toks[k - 1].text if k else ""
        after = toks[k + 1].text if k + 1 < len(toks) else ""
        return None if before == "." or after in (".", "(") else key

    def _aliased(self, item: list[Token]) -> bool:
        depth = 0
        for t in item:
            if t.kind == "p" and t.text in "()":
                depth += 1 if t.text == "(" else -1
            elif depth == 0 and t.word == "as":
                return True
        if len(item) < 2 or item[-1].kind not in ("w", "q", "s") or self._local_at(item, len(item) - 1):
            return False
        before = item[-2]
        return (before.kind in ("q", "n", "s", "v") or before.text == ")"
                or (before.kind == "w" and before.word not in _OPERATOR_WORDS))

    def rewrite(self, text: str) -> str:
        return self._text(tokenize(text), text)

    def _text(self, toks: list[Token], source: str | None = None) -> str:
        """The source of `toks`, each local variable named in it as its session variable."""
        src = self.sql if source is None else source
        out: list[str] = []
        pos = toks[0].start
        skip = 0
        for k, t in enumerate(toks):
            if skip:
                skip -= 1
                continue
            key = self._local_at(toks, k)
            end = t.end
            if key is None and self.pseudo_rows:
                key = self.pseudo_row_at(toks, k)
                if key is not None:
                    end, skip = toks[k + 2].end, 2
            if key is None:
                continue
            out.append(src[pos:t.start])
            out.append("@" + key)
            pos = end
        out.append(src[pos:toks[-1].end])
        return "".join(out)

    def pseudo_row_at(self, toks: list[Token], k: int) -> str | None:
        """NEW.col / OLD.col of a trigger at `toks[k]`: the key of the variable that holds it."""
        t = toks[k]
        if t.word not in ("new", "old") or k + 2 >= len(toks) or toks[k + 1].text != ".":
            return None
        column = toks[k + 2]
        if column.kind not in ("w", "q") or (k and toks[k - 1].text == "."):
            return None
        return f"{LOCAL_PREFIX}{t.word}__{unquote(column.text).lower()}"



_SELECT_MODIFIERS: Final = frozenset({"distinct", "all", "distinctrow", "high_priority", "straight_join",
                                      "sql_small_result", "sql_big_result", "sql_buffer_result", "sql_cache",
                                      "sql_no_cache", "sql_calc_found_rows"})
_SELECT_LIST_END: Final = frozenset({"from", "into", "where", "group", "having", "order", "limit", "union",
                                     "window", "for", "lock", "except", "intersect"})
_OPERATOR_WORDS: Final = frozenset({"not", "and", "or", "xor", "is", "div", "mod", "like", "regexp", "in",
                                    "between", "case", "when", "then", "else", "end", "null", "binary", "interval"})

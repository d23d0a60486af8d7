"""Pieces of the regular expressions that recognise statements by their words."""

from __future__ import annotations

from typing import Final

from .._lexer import unescape_string

IDENT: Final = r"(?:`(?:[^`]|``)+`|[\w$]+)"  # an identifier, backquoted or not
STRING: Final = r"('(?:[^'\\]|\\.)*')"  # a string literal, as a group


def unquote(token: str) -> str:
    """An identifier as written (`a``b` -> a`b)."""
    if token.startswith("`"):
        return token[1:-1].replace("``", "`")
    return token


def unquote_or_none(token: str | None) -> str | None:
    return None if token is None else unquote(token)


def string_value(token: str | None) -> str | None:
    """The value of a string literal token ('it''s' -> it's), None for None."""
    return None if token is None else unescape_string(token[1:-1])

"""`{{get_port "key"}}`, `{{get_tempdir "key"}}`, `{{get_link "server"}}` and the TLS files
`{{get_ca "ca"}}`, `{{get_cert "name"}}`, `{{get_key "name"}}` in scenario strings.

The syntax is Go template's (Dolt's scenario files use it), restricted to one
function call with one quoted key. Files are checked at collection, so a typo
is a collection error with a line number rather than a failure mid-test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final

FUNCTIONS: Final = ("get_port", "get_tempdir", "get_link", "get_ca", "get_cert", "get_key")

_OPEN = "{{"
_CALL = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s+"([^"\\]*)"\s*')


class TemplateError(ValueError):
    """A string has a malformed `{{...}}` or calls an unknown function."""


def _parts(text: str) -> list[str | tuple[str, str]]:
    """The text split into literal pieces and (function, key) calls."""
    parts: list[str | tuple[str, str]] = []
    pos = 0
    while True:
        start = text.find(_OPEN, pos)
        if start < 0:
            parts.append(text[pos:])
            return parts
        end = text.find("}}", start + 2)
        if end < 0:
            raise TemplateError(f"unterminated template {text[start:start + 40]!r}: a '{{{{' needs its '}}}}'")
        inner = text[start + 2:end]
        m = _CALL.fullmatch(inner)
        if not m:
            raise TemplateError(f"bad template {text[start:end + 2]!r}; write {{{{get_port \"key\"}}}} or "
                                f"{{{{get_tempdir \"key\"}}}} (one function, one double-quoted key)")
        func, key = m.group(1), m.group(2)
        if func not in FUNCTIONS:
            raise TemplateError(f"unknown template function {func!r} in {text[start:end + 2]!r}; "
                                f"known functions: {', '.join(FUNCTIONS)}")
        if not key:
            raise TemplateError(f"empty key in {text[start:end + 2]!r}; name it, "
                                f"for example {{{{{func} \"server1\"}}}}")
        parts.append(text[pos:start])
        parts.append((func, key))
        pos = end + 2


def check(text: str) -> None:
    """Raise TemplateError if `text` is not a valid template."""
    _parts(text)


def render(text: str, functions: Mapping[str, Callable[[str], str]]) -> str:
    """`text` with every call replaced by `functions[name](key)`."""
    if _OPEN not in text:
        return text
    out = []
    for part in _parts(text):
        out.append(part if isinstance(part, str) else functions[part[0]](part[1]))
    return "".join(out)


def placeholder(text: str) -> str:
    """`text` rendered with stand-in values: to check that a templated regular expression compiles."""
    return render(text, {"get_port": lambda key: "1", "get_tempdir": lambda key: "/tmp/x", "get_link": lambda key: "1",
                         "get_ca": lambda key: "/tmp/ca.pem", "get_cert": lambda key: "/tmp/c.pem",
                         "get_key": lambda key: "/tmp/k.pem"})

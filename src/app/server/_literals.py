"""The query text as bytes: string literals, character-set introducers and `?` placeholders.

Drivers write BLOB parameters into COM_QUERY as raw bytes inside a quoted literal (mysqlclient:
`_binary'\\x80...'`), so a query is not always valid in the connection's character set. Such a
literal becomes a hex literal (`_binary X'80...'`, or X'80...' without an introducer), which the SQL
layer reads as the introducer's character set says, as MySQL reads the original; every other byte is
decoded in the connection's character set. A query that is valid text is decoded once and not scanned.
"""

from __future__ import annotations

import re
from typing import Final

# One token of interest: a quoted string (maybe with an introducer), a quoted identifier, a comment,
# a placeholder. Backslash escapes as MySQL reads them by default (not NO_BACKSLASH_ESCAPES). Possessive
# quantifiers, and a quote or comment left open runs to the end: one pass, whatever the input (an
# open quote must not make every later position scan to the end again).
_TOKENS: Final = re.compile(
    rb"""(?P<intro>_[A-Za-z0-9]++[ \t\r\n]*+)?"""
    rb"""(?P<str>'(?:[^'\\]++|\\(?:.|\Z)|'')*+(?:'|\Z)|"(?:[^"\\]++|\\(?:.|\Z)|"")*+(?:"|\Z))"""
    rb"""|`(?:[^`]++|``)*+(?:`|\Z)|/\*.*?(?:\*/|\Z)|(?:\#|--[ \t\r\n])[^\n]*+|(?P<q>\?)""",
    re.DOTALL)
_ESCAPES: Final = {ord("0"): b"\0", ord("b"): b"\b", ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t",
                   ord("Z"): b"\x1a"}
_CHARSETS: Final = frozenset({b"_utf8mb4", b"_utf8mb3", b"_utf8", b"_latin1", b"_ascii", b"_binary"})


def unescape(body: bytes, quote: int) -> bytes:
    """The bytes a quoted literal's body stands for (backslash escapes, doubled quotes)."""
    if b"\\" not in body and bytes((quote, quote)) not in body:
        return body
    out = bytearray()
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == 0x5C and i + 1 < n:  # backslash
            nxt = body[i + 1]
            out += _ESCAPES.get(nxt, bytes((nxt,)))
            i += 2
        elif c == quote and i + 1 < n and body[i + 1] == quote:
            out.append(quote)
            i += 2
        else:
            out.append(c)
            i += 1
    return bytes(out)


def decode_query(data: bytes, codec: str) -> str:
    """The statement text of a query sent as `data` in the connection's character set `codec`."""
    try:
        return data.decode(codec)  # introducers stay: the SQL layer reads a literal's character set from them
    except UnicodeDecodeError:
        return _rewrite(data, codec)


def _rewrite(data: bytes, codec: str) -> str:
    parts: list[str] = []
    pos = 0
    for m in _TOKENS.finditer(data):
        literal = m.group("str")
        if literal is None:
            continue
        intro = m.group("intro")
        if intro is not None and intro.rstrip().lower() not in _CHARSETS:
            intro = None  # a name that ends in _x before a string: not an introducer we know
        start = m.start("intro") if intro is not None else m.start("str")
        if start > 0 and intro is not None and _word_byte(data[start - 1]):
            continue  # `a_b'...'`: part of a longer word
        closed = len(literal) > 1 and literal[-1] == literal[0]
        body = unescape(literal[1:-1] if closed else literal[1:], literal[0])
        replacement: str | None = None
        try:
            replacement = data[m.start("str"):m.end("str")].decode(codec)
        except UnicodeDecodeError:
            # its bytes, as a hex literal after the introducer (whose character set reads them)
            replacement = "X'" + body.hex() + "'"
        parts.append(data[pos:start].decode(codec, "replace"))
        if intro is not None:
            parts.append(intro.rstrip().decode() + " ")
        parts.append(replacement)
        pos = m.end()
    parts.append(data[pos:].decode(codec, "replace"))
    return "".join(parts)


def _word_byte(c: int) -> bool:
    return c == 0x5F or 0x30 <= c <= 0x39 or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A or c >= 0x80


def placeholders(sql: str) -> list[int]:
    """Offsets of the `?` placeholders of a statement (none inside literals, identifiers, comments)."""
    if "?" not in sql:
        return []
    data = sql.encode("utf-8", "surrogatepass")
    offsets = [m.start("q") for m in _TOKENS.finditer(data) if m.group("q") is not None]
    if not offsets:
        return []
    # Byte offsets back to character offsets.
    return [len(data[:o].decode("utf-8", "surrogatepass")) for o in offsets]

"""MySQL's character set names and the Python codecs that read them (at the bottom of the SQL layer:
the charset syntax and the string functions both read it)."""

from __future__ import annotations

from typing import Final

# name -> Python codec (None: binary, bytes as they are)
CHARSETS: Final[dict[str, str | None]] = {
    "utf8mb4": "utf-8", "utf8mb3": "utf-8", "utf8": "utf-8", "latin1": "latin-1", "ascii": "ascii", "binary": None,
    "ucs2": "utf-16-be", "utf16": "utf-16-be", "utf32": "utf-32-be", "cp1252": "cp1252", "latin2": "iso8859-2",
}


def charset_codec(name: str) -> str | None:
    """The Python codec of a MySQL character set name (None: binary, or one this server does not know)."""
    return CHARSETS.get(name.lower())


def _latin1_char(byte: int) -> str:
    """The character MariaDB's latin1 has at `byte` (cp1252, whose five unassigned bytes are C1 controls)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


# MariaDB's latin1, both ways (Python's latin-1 is ISO 8859-1, whose 0x80-0x9F are controls; MariaDB's
# has cp1252's characters there: 0x80 is the euro sign).
LATIN1_TEXT: Final = "".join(_latin1_char(b) for b in range(256))
_LATIN1_BYTES: Final = {ord(c): b for b, c in enumerate(LATIN1_TEXT)}
# The largest code point a character set holds (None: all of them, or bytes).
_LIMITS: Final = {"ascii": 0x7F, "utf8mb3": 0xFFFF, "utf8": 0xFFFF, "ucs2": 0xFFFF}


def holds(charset: str, ch: str) -> bool:
    """Whether a string of character set `charset` can hold the character `ch`."""
    charset = charset.lower()
    if charset == "latin1":
        return ord(ch) in _LATIN1_BYTES
    limit = _LIMITS.get(charset)
    return limit is None or ord(ch) <= limit


def encode(text: str, charset: str) -> bytes:
    """`text` as the bytes of character set `charset` (what it cannot hold as '?')."""
    charset = charset.lower()
    if charset == "latin1":
        return bytes(_LATIN1_BYTES.get(ord(c), 0x3F) for c in text)
    codec = CHARSETS.get(charset) or "utf-8"
    if charset in _LIMITS:
        text = "".join(c if ord(c) <= _LIMITS[charset] else "?" for c in text)
    return text.encode(codec, "surrogatepass")


def decode(data: bytes, charset: str) -> str:
    """The text of `data` in character set `charset` (MariaDB's latin1 for latin1)."""
    if charset.lower() == "latin1":
        return "".join(LATIN1_TEXT[b] for b in data)
    return data.decode(CHARSETS.get(charset.lower()) or "utf-8")

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

"""MySQL LIKE patterns (`%`, `_`, backslash escapes) as regular expressions: SHOW ... LIKE, account hosts."""

from __future__ import annotations

import re


def like_regex(pattern: str) -> re.Pattern[str]:
    """A MySQL LIKE pattern as a case-insensitive regular expression."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("^" + "".join(out) + "$", re.I | re.S)

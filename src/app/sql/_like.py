"""MySQL LIKE patterns (`%`, `_`, backslash escapes) as regular expressions: SHOW ... LIKE, account hosts."""

from __future__ import annotations

import re


def like_regex(pattern: str, *, case_sensitive: bool = False) -> re.Pattern[str]:
    """A MySQL LIKE pattern as a case-insensitive regular expression (`case_sensitive`: one that
    compares as the names of databases and tables do, exactly)."""
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
    return re.compile("^" + "".join(out) + "$", re.S if case_sensitive else re.I | re.S)

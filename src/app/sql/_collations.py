"""MariaDB's collations as SQLite collations, registered on every connection (`register_collations`).

SQLite compares text byte for byte (BINARY) or folding ASCII case (NOCASE); MariaDB compares by the
collation's weights, and its collations other than NO PAD ones pad the shorter string with spaces
('a' = 'a ', 'a\\t' < 'a'). Each collation here is a key (a string whose code points are the weights
MariaDB gives each character: `collations.tsv`, read from MariaDB by tools/collation_weights.py) and the
PAD SPACE comparison of two keys. SQLite calls these in every sort, GROUP BY, DISTINCT, unique index and
comparison of a column declared with them, so a key is a `str.translate` (C) or, for ASCII text under
utf8mb4_general_ci, `str.upper`.

Which MariaDB collation names which SQLite collation: `sqlite_collation`. Binary strings keep SQLite's
BINARY (MariaDB compares them byte for byte, without padding).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources
from typing import Final

import apsw

# SQLite's names of the collations (names SQLite does not have; a client cannot write them: the
# charset syntax maps MariaDB's names onto them).
GENERAL_CI: Final = "APP_GENERAL_CI"  # utf8mb4_general_ci (the default), utf8mb3_general_ci, ...
UNICODE_CI: Final = "APP_UNICODE_CI"  # utf8mb4_unicode_ci (UCA 4.0.0)
UNICODE_520_CI: Final = "APP_UNICODE_520_CI"  # utf8mb4_unicode_520_ci (UCA 5.2.0)
BIN: Final = "APP_BIN"  # utf8mb4_bin and every _bin of a character set: code points, PAD SPACE
LATIN1_SWEDISH_CI: Final = "APP_LATIN1_SWEDISH_CI"
LATIN1_GENERAL_CI: Final = "APP_LATIN1_GENERAL_CI"
LATIN1_GENERAL_CS: Final = "APP_LATIN1_GENERAL_CS"
LATIN1_GERMAN1_CI: Final = "APP_LATIN1_GERMAN1_CI"
BINARY: Final = "BINARY"  # SQLite's own: binary strings
SQLITE_COLLATIONS: Final = frozenset({GENERAL_CI, UNICODE_CI, UNICODE_520_CI, BIN, LATIN1_SWEDISH_CI,
                                      LATIN1_GENERAL_CI, LATIN1_GENERAL_CS, LATIN1_GERMAN1_CI})

_LATIN1: Final = {"latin1_swedish_ci": LATIN1_SWEDISH_CI, "latin1_general_ci": LATIN1_GENERAL_CI,
                  "latin1_general_cs": LATIN1_GENERAL_CS, "latin1_german1_ci": LATIN1_GERMAN1_CI}


def sqlite_collation(name: str) -> str:
    """The SQLite collation that compares as MariaDB's collation `name` (a known collation name)."""
    name = name.lower()
    if name == "binary":
        return BINARY
    if name in _LATIN1:
        return _LATIN1[name]
    if name.endswith("_bin"):
        return BIN
    if "_unicode_520_" in name:
        return UNICODE_520_CI
    if "_general_" in name or name.startswith("latin1_") or name.startswith("ascii_"):
        return GENERAL_CI
    # The other UCA collations (unicode_ci and its language variants) are unicode_ci here.
    return UNICODE_CI if name.endswith("_ci") else BIN


# -- the weights ----------------------------------------------------------------------------------------


class _Weights(dict[int, "str | int"]):
    """A `str.translate` table: code point -> its weights as a string (or as one code point); a code
    point not listed gets the collation's rule the first time it is met."""

    def __init__(self, rule: Callable[[int], str | int]) -> None:
        super().__init__()
        self._rule = rule

    def __missing__(self, cp: int) -> str | int:
        weights = self[cp] = self._rule(cp)
        return weights


def _implicit(base: int, cp: int) -> str:
    """UCA's implicit weights of a code point without weights of its own."""
    return chr(base + (cp >> 15)) + chr((cp & 0x7FFF) | 0x8000)


def _general_rule(cp: int) -> int:
    # utf8mb4_general_ci weighs a character above the BMP as U+FFFD: all of them compare equal.
    return 0xFFFD if cp > 0xFFFF else cp


def _unicode_rule(cp: int) -> str:
    return "\ufffd" if cp > 0xFFFF else _implicit(0xFBC0, cp)


def _unicode_520_rule(cp: int) -> str:
    return _implicit(0xFBC0, cp)


@functools.cache
def _sections() -> dict[str, list[str]]:
    """collations.tsv's lines by collation."""
    sections: dict[str, list[str]] = {}
    lines: list[str] = []
    text = resources.files(__package__ or "app.sql").joinpath("collations.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("["):
            lines = sections[line[1:-1]] = []
        elif line and not line.startswith("#"):
            lines.append(line)
    return sections


_RULES: Final[dict[str, Callable[[int], str | int]]] = {
    "utf8mb4_general_ci": _general_rule, "utf8mb4_unicode_ci": _unicode_rule,
    "utf8mb4_unicode_520_ci": _unicode_520_rule}


@functools.cache
def _table(name: str) -> _Weights:
    """The weights of collation `name` (read when first used: the UCA tables take a while)."""
    latin1 = name.startswith("latin1_")
    table = _Weights(_RULES.get(name, lambda cp: 0x3F))  # latin1: what it cannot hold weighs as '?'
    for line in _sections()[name]:
        span, weights = line.split("\t")
        first, _, last = span.partition("-")
        start, end = int(first, 16), int(last or first, 16)
        if latin1:
            for b, w in zip(range(start, end + 1), weights.split(), strict=True):
                table[ord(_latin1_char(b))] = int(w, 16)
        elif weights.startswith("@"):
            for cp in range(start, end + 1):
                table[cp] = _implicit(int(weights[1:], 16), cp)
        elif start != end:  # a run of single weights, one apart
            first_weight = int(weights, 16)
            for cp in range(start, end + 1):
                table[cp] = first_weight + cp - start
        else:
            table[start] = "".join(chr(int(w, 16)) for w in weights.split())
    return table


def _latin1_char(byte: int) -> str:
    """The character MariaDB's latin1 has at `byte` (cp1252, whose five unassigned bytes are C1 controls)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


# -- the comparisons ------------------------------------------------------------------------------------


def _pad_space(key: Callable[[str], str], space: str = " ") -> Callable[[str, str], int]:
    """A PAD SPACE comparison by `key`: the shorter key is compared as if padded with `space`, the
    weight of a space (U+0020 weighs 0209 in UCA 4.0.0, 020A in 5.2.0, itself in the others)."""

    def compare(a: str, b: str) -> int:
        x, y = key(a), key(b)
        if x == y:
            return 0
        if len(x) < len(y):
            x = x.ljust(len(y), space)
        elif len(y) < len(x):
            y = y.ljust(len(x), space)
        return (x > y) - (x < y)
    return compare


def _general_ci(a: str, b: str) -> int:
    # The default collation, so the one SQLite calls most: one function, ASCII (most text) weighed by
    # str.upper in C. Its weights of ASCII are the upper case letters and the other characters themselves.
    x = a.upper() if a.isascii() else a.translate(_table("utf8mb4_general_ci"))
    y = b.upper() if b.isascii() else b.translate(_table("utf8mb4_general_ci"))
    if x == y:
        return 0
    if len(x) < len(y):
        x = x.ljust(len(y))
    elif len(y) < len(x):
        y = y.ljust(len(x))
    return (x > y) - (x < y)


def _translating(table: str) -> Callable[[str], str]:
    def key(s: str) -> str:
        return s.translate(_table(table))
    return key


def _identity(s: str) -> str:
    return s


@functools.cache
def _collations() -> dict[str, Callable[[str, str], int]]:
    return {
        GENERAL_CI: _general_ci,
        UNICODE_CI: _pad_space(_translating("utf8mb4_unicode_ci"), "\u0209"),
        UNICODE_520_CI: _pad_space(_translating("utf8mb4_unicode_520_ci"), "\u020a"),
        BIN: _pad_space(_identity),
        LATIN1_SWEDISH_CI: _pad_space(_translating("latin1_swedish_ci")),
        LATIN1_GENERAL_CI: _pad_space(_translating("latin1_general_ci")),
        LATIN1_GENERAL_CS: _pad_space(_translating("latin1_general_cs")),
        LATIN1_GERMAN1_CI: _pad_space(_translating("latin1_german1_ci")),
    }


def compare(collation: str, a: str, b: str) -> int:
    """-1, 0 or 1 as the SQLite collation `collation` (one of this module's) orders `a` and `b`
    (for functions that compare by a collation themselves: STRCMP, FIELD)."""
    if collation == BINARY:
        x, y = a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
        return (x > y) - (x < y)
    return _collations()[collation](a, b)


_KEYS: Final[dict[str, Callable[[str], str]]] = {
    GENERAL_CI: lambda s: s.upper() if s.isascii() else s.translate(_table("utf8mb4_general_ci")),
    UNICODE_CI: _translating("utf8mb4_unicode_ci"), UNICODE_520_CI: _translating("utf8mb4_unicode_520_ci"),
    LATIN1_SWEDISH_CI: _translating("latin1_swedish_ci"), LATIN1_GENERAL_CI: _translating("latin1_general_ci"),
    LATIN1_GENERAL_CS: _translating("latin1_general_cs"), LATIN1_GERMAN1_CI: _translating("latin1_german1_ci"),
}


def weight_string(collation: str, s: str) -> bytes:
    """WEIGHT_STRING of `s` under SQLite collation `collation` (one of this module's but BINARY): each
    weight in two bytes (one in latin1), a code point in three under a _bin collation, as MariaDB's."""
    if collation == BIN:
        return b"".join(ord(c).to_bytes(3, "big") for c in s)
    key = _KEYS[collation](s)
    if collation.startswith("APP_LATIN1_"):
        return key.encode("latin-1")
    return key.encode("utf-16-be", "surrogatepass")


def register_collations(conn: apsw.Connection) -> None:
    """Make this module's collations known to `conn` (every connection: a table's columns name them)."""
    for name, fn in _collations().items():
        conn.create_collation(name, fn)

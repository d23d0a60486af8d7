"""The tree of a stored program (`_spparse` makes it, `_sprun` runs it), and its tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

LOCAL_PREFIX: Final = "__sp_"  # the user variables that hold a routine's locals (see module docstring)

_TOKENS: Final = re.compile(r"""
    (?P<s>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
  | (?P<q>`(?:[^`]|``)*`)
  | (?P<c>/\*.*?\*/|--(?:[ \t\r][^\n]*|$|(?=\n))|\#[^\n]*)
  | (?P<ws>\s+)
  | (?P<v>@@?(?:`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|[\w.$]+))
  | (?P<n>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w$]))
  | (?P<w>[A-Za-z_$\d\x80-\U0010ffff][\w$\x80-\U0010ffff]*)
  | (?P<p>.)
""", re.X | re.S)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # s string, q quoted name, v variable, n number, w word, p punctuation
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        """The lower-case word ('' for anything but a bare word)."""
        return self.text.lower() if self.kind == "w" else ""


def tokenize(sql: str) -> list[Token]:
    return [Token(m.lastgroup or "p", m.group(), m.start(), m.end()) for m in _TOKENS.finditer(sql)
            if m.lastgroup not in ("ws", "c")]


# -- the tree -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Param:
    mode: str  # IN, OUT, INOUT
    name: str
    type: str  # as written (INT, DECIMAL(10,2), ...)


@dataclass(frozen=True, slots=True)
class Node:
    """A statement of a routine's body."""


@dataclass(frozen=True, slots=True)
class Sql(Node):
    """A statement run through the session (its locals rewritten)."""

    text: str


@dataclass(frozen=True, slots=True)
class Declare(Node):
    """DECLARE a, b type [DEFAULT expr]: `init` sets them (each a SET of the default, or None)."""

    keys: tuple[str, ...]
    init: str | None  # SET @k = ..., None: the variables start as NULL


@dataclass(frozen=True, slots=True)
class Condition:
    """What a handler catches: SQLSTATE 'xxxxx', an error number, or a class (SQLEXCEPTION, SQLWARNING,
    NOT FOUND)."""

    sqlstate: str | None = None
    errno: int | None = None
    klass: str | None = None


@dataclass(frozen=True, slots=True)
class Handler:
    kind: str  # CONTINUE or EXIT
    conditions: tuple[Condition, ...]
    body: Node


@dataclass(frozen=True, slots=True)
class Cursor:
    name: str
    query: str


@dataclass(frozen=True, slots=True)
class Block(Node):
    """BEGIN ... END: its declarations, handlers, cursors and statements."""

    label: str | None
    body: tuple[Node, ...]
    handlers: tuple[Handler, ...] = ()
    cursors: tuple[Cursor, ...] = ()
    shadowed: tuple[str, ...] = ()  # keys of variables it declares (restored when it ends)


@dataclass(frozen=True, slots=True)
class If(Node):
    branches: tuple[tuple[str, tuple[Node, ...]], ...]  # (SELECT of the condition, statements)
    otherwise: tuple[Node, ...] | None = None


@dataclass(frozen=True, slots=True)
class Loop(Node):
    kind: str  # loop, while, repeat
    label: str | None
    body: tuple[Node, ...]
    condition: str | None = None  # WHILE's (checked before) or REPEAT's UNTIL (after)


@dataclass(frozen=True, slots=True)
class Leave(Node):
    label: str


@dataclass(frozen=True, slots=True)
class Iterate(Node):
    label: str


@dataclass(frozen=True, slots=True)
class Return(Node):
    expr: str  # a SELECT of the value


@dataclass(frozen=True, slots=True)
class Open(Node):
    cursor: str


@dataclass(frozen=True, slots=True)
class Fetch(Node):
    cursor: str
    targets: tuple[str, ...]  # keys of the variables


@dataclass(frozen=True, slots=True)
class Close(Node):
    cursor: str


@dataclass(frozen=True, slots=True)
class Signal(Node):
    """SIGNAL / RESIGNAL: the condition (None: RESIGNAL's own) and the SET items as SELECTs."""

    resignal: bool
    condition: Condition | None
    items: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Routine:
    """A stored procedure, function or trigger as parsed from its CREATE statement."""

    kind: str  # PROCEDURE, FUNCTION, TRIGGER
    name: str
    params: tuple[Param, ...]
    returns: str | None
    body: Node
    body_text: str  # the body as written
    params_text: str = ""  # the parameter list as written
    characteristics: str = ""  # as written, between the signature and the body
    timing: str = ""  # trigger: BEFORE / AFTER
    event: str = ""  # trigger: INSERT / UPDATE / DELETE
    table: str = ""  # trigger: its table
    comment: str = ""
    deterministic: bool = False
    data_access: str = "CONTAINS SQL"
    security: str = "DEFINER"
    coerce: str | None = None  # SET of the parameters to their declared types (None: nothing to convert)


# Declared types and the CAST that converts a value assigned to them (strings and others: no CAST).
_CASTS: Final = (
    (re.compile(r"(?i)^(tinyint|smallint|mediumint|int|integer|bigint)\b.*\bunsigned\b"), "UNSIGNED"),
    (re.compile(r"(?i)^(tinyint|smallint|mediumint|int|integer|bigint|bool|boolean)\b"), "SIGNED"),
    (re.compile(r"(?i)^(decimal|numeric|dec|fixed)\b"), None),
    (re.compile(r"(?i)^(float|double|real)\b"), "DOUBLE"),
    (re.compile(r"(?i)^(date|datetime|time)\b"), None),
)


def cast_type(vtype: str) -> str | None:
    """The CAST target that converts a value assigned to a variable of `vtype` (None: kept as it is)."""
    for pattern, target in _CASTS:
        if pattern.match(vtype):
            if target is not None:
                return target
            base = vtype.split()[0] if "(" not in vtype else vtype[: vtype.index(")") + 1]
            if re.match(r"(?i)^(numeric|dec|fixed|decimal)\b", base):
                return "DECIMAL" + base[base.index("("):] if "(" in base else "DECIMAL"
            return base
    return None


def _cast(value: str, vtype: str) -> str:
    """The value assigned to a variable of `vtype`, converted as the assignment converts it."""
    target = cast_type(vtype)
    return value if target is None else f"CAST(({value}) AS {target})"

"""JSON documents and paths as MariaDB reads and writes them.

A document is parsed with its numbers kept as written (`Number`: MariaDB shows 1.50 and 1e2 as they
came) and written back in MariaDB's layout: `{"a": 1, "b": [1, 2]}`, a space after each comma and
colon. Paths: `$`, `.key`, `."key"`, `.*`, `[n]`, `[last]`, `[last-n]`, `[*]`, `**`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from .._diagnostics import Level, warn
from ._values import text

ER_JSON_EOF: Final = 4037
ER_JSON_SYNTAX: Final = 4038
ER_JSON_PATH: Final = 4042


class Number(str):
    """A JSON number, kept as the text it was written in."""

    __slots__ = ()

    @property
    def value(self) -> int | float:
        try:
            return int(self)
        except ValueError:
            return float(self)


class JSONError(ValueError):
    pass


class Object(dict[str, Any]):
    """A JSON object whose text repeats a key: found by its first value (JSON_EXTRACT), written back with
    every member (JSON_COMPACT), as MariaDB keeps the text."""

    __slots__ = ("members",)

    def __init__(self, members: list[tuple[str, Any]]) -> None:
        super().__init__()
        for k, v in members:
            self.setdefault(k, v)
        self.members = members


def _object(members: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(members)
    return found if len(found) == len(members) else Object(members)


def parse(value: Any, arg: int = 1, function: str = "", level: Level | None = "Warning") -> Any:
    """A JSON text as Python values (objects as dicts, in order); raises JSONError (after MariaDB's
    4038 warning, or a condition of that `level`, or nothing for None) for what is no JSON."""
    try:
        return json.loads(text(value), parse_int=Number, parse_float=Number, parse_constant=_no_constant,
                          object_pairs_hook=_object)
    except (ValueError, RecursionError):
        s = text(value)
        if level is None:
            raise JSONError(s) from None
        position = _error_position(s)
        if position > len(s.rstrip()):
            warn(ER_JSON_EOF, f"Unexpected end of JSON text in argument {arg} to function '{function}'", level)
        else:
            warn(ER_JSON_SYNTAX, f"Syntax error in JSON text in argument {arg} to function '{function}' at position "
                                 f"{position}", level)
        raise JSONError(s) from None


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _error_position(s: str) -> int:
    try:
        json.loads(s)
    except json.JSONDecodeError as e:
        return e.pos + 1
    except ValueError:
        return 1
    return len(s) + 1


def dumps(doc: Any, compact: bool = False) -> str:
    """A value as MariaDB writes JSON (`compact`: with no spaces, as JSON_COMPACT)."""
    comma, colon = (",", ":") if compact else (", ", ": ")
    if isinstance(doc, Number):
        return str(doc)
    if doc is True:
        return "true"
    if doc is False:
        return "false"
    if doc is None:
        return "null"
    if isinstance(doc, str):
        return json.dumps(doc, ensure_ascii=False)
    if isinstance(doc, (int, float)):
        return json.dumps(doc)
    if isinstance(doc, dict):
        members = doc.members if isinstance(doc, Object) else doc.items()
        return "{" + comma.join(f"{json.dumps(k, ensure_ascii=False)}{colon}{dumps(v, compact)}"
                                for k, v in members) + "}"
    return "[" + comma.join(dumps(v, compact) for v in doc) + "]"


def type_name(doc: Any) -> str:
    if isinstance(doc, dict):
        return "OBJECT"
    if isinstance(doc, list):
        return "ARRAY"
    if isinstance(doc, Number):
        return "INTEGER" if re.fullmatch(r"-?\d+", doc) else "DOUBLE"
    if isinstance(doc, bool):
        return "BOOLEAN"
    if doc is None:
        return "NULL"
    return "STRING"


# -- paths --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    kind: str  # member | index | any_member | any_index | descend
    key: str = ""
    index: int = 0
    from_end: bool = False  # [last - n]: index counts back from the last element


@dataclass(frozen=True, slots=True)
class Path:
    steps: tuple[Step, ...]

    @property
    def wild(self) -> bool:
        return any(s.kind in ("any_member", "any_index", "descend") for s in self.steps)


_STEP: Final = re.compile(
    r"\s*(?:\.\s*(?:(\*)|\"((?:[^\"\\]|\\.)*)\"|([^\s.\[*]+))"
    r"|\[\s*(?:(\*)|(last)\s*(?:-\s*(\d+))?|(-?\d+))\s*\]|(\*\*))")


def parse_path(value: Any, arg: int = 2, function: str = "", quiet: bool = False) -> Path:
    """A JSON path; raises JSONError (after MariaDB's 4042 warning unless `quiet`) for what is none."""
    s = text(value).strip()
    if not s.startswith("$"):
        return _bad_path(s, arg, function, 1, quiet)
    steps: list[Step] = []
    pos = 1
    while pos < len(s):
        if s[pos:].strip() == "":
            break
        m = _STEP.match(s, pos)
        if m is None:
            return _bad_path(s, arg, function, pos + 1, quiet)
        star, quoted, name, any_index, last, back, index, descend = m.groups()
        if star:
            steps.append(Step("any_member"))
        elif quoted is not None:
            steps.append(Step("member", json.loads(f'"{quoted}"')))
        elif name is not None:
            steps.append(Step("member", name))
        elif any_index:
            steps.append(Step("any_index"))
        elif last:
            steps.append(Step("index", index=int(back or 0), from_end=True))
        elif index is not None:
            n = int(index)
            steps.append(Step("index", index=-n - 1 if n < 0 else n, from_end=n < 0))
        elif descend:
            steps.append(Step("descend"))
        pos = m.end()
    if steps and steps[-1].kind == "descend":
        return _bad_path(s, arg, function, len(s), quiet)
    return Path(tuple(steps))


def _bad_path(s: str, arg: int, function: str, position: int, quiet: bool = False) -> Path:
    if quiet:
        raise JSONError(s)
    warn(ER_JSON_PATH, f"Syntax error in JSON path in argument {arg} to function '{function}' at position {position}")
    raise JSONError(s)


def find(doc: Any, path: Path) -> list[Any]:
    """Every value `path` selects in `doc`, in document order."""
    return list(_walk(doc, path.steps))


def _walk(doc: Any, steps: tuple[Step, ...]) -> Iterator[Any]:
    if not steps:
        yield doc
        return
    step, rest = steps[0], steps[1:]
    if step.kind == "member":
        if isinstance(doc, dict) and step.key in doc:
            yield from _walk(doc[step.key], rest)
    elif step.kind == "any_member":
        if isinstance(doc, dict):
            for v in doc.values():
                yield from _walk(v, rest)
    elif step.kind == "index":
        items = doc if isinstance(doc, list) else [doc]  # a scalar is an array of one ($[0])
        i = len(items) - 1 - step.index if step.from_end else step.index
        if 0 <= i < len(items):
            yield from _walk(items[i], rest)
    elif step.kind == "any_index":
        if isinstance(doc, list):
            for v in doc:
                yield from _walk(v, rest)
    else:  # descend: this value and every value below it
        yield from _walk(doc, rest)
        children = doc.values() if isinstance(doc, dict) else doc if isinstance(doc, list) else ()
        for v in children:
            yield from _walk(v, steps)


def depth(doc: Any) -> int:
    if isinstance(doc, dict) and doc:
        return 1 + max(depth(v) for v in doc.values())
    if isinstance(doc, list) and doc:
        return 1 + max(depth(v) for v in doc)
    return 1


def equal(a: Any, b: Any) -> bool:
    """JSON equality: numbers by value, objects regardless of key order."""
    if isinstance(a, Number) and isinstance(b, Number):
        return a.value == b.value
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (Number, dict, list)) or isinstance(b, (Number, dict, list)):
        return False
    return type(a) is type(b) and a == b


def contains(target: Any, candidate: Any) -> bool:
    """JSON_CONTAINS: an array contains an array whose every element it contains, or a scalar it holds; an
    object contains an object whose every member it contains."""
    if isinstance(target, list):
        if isinstance(candidate, list):
            return all(contains(target, c) for c in candidate)
        return any(contains(t, candidate) for t in target if not isinstance(t, dict))
    if isinstance(target, dict):
        if not isinstance(candidate, dict):
            return False
        return all(k in target and contains(target[k], v) for k, v in candidate.items())
    return equal(target, candidate)


# -- raw text -----------------------------------------------------------------------------------------

_SCALAR: Final = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")
_BLANKS: Final = " \t\n\r"
# A value's place in the text: (start, end, members: (key, node) of an object, (None, node) of an array; None
# for a scalar, and whether it is an object).
_Node = tuple[int, int, "list[tuple[str | None, _Node]] | None", bool]


def _skip(s: str, i: int) -> int:
    while i < len(s) and s[i] in _BLANKS:
        i += 1
    return i


def _node(s: str, i: int) -> _Node:
    """The value that starts at `i` (after blanks) of a text already known to be JSON."""
    i = _skip(s, i)
    opening = s[i]
    if opening not in "{[":
        if opening == '"':
            return i, json.decoder.scanstring(s, i + 1)[1], None, False  # type: ignore[attr-defined]
        m = _SCALAR.match(s, i)
        return i, (m.end() if m else i + 1), None, False
    members: list[tuple[str | None, _Node]] = []
    j = _skip(s, i + 1)
    closing = "}" if opening == "{" else "]"
    while s[j] != closing:
        key = None
        if opening == "{":
            key, j = json.decoder.scanstring(s, j + 1)  # type: ignore[attr-defined]
            j = _skip(s, j) + 1  # the colon
        child = _node(s, j)
        members.append((key, child))
        j = _skip(s, child[1])
        if s[j] == ",":
            j = _skip(s, j + 1)
    return i, j + 1, members, opening == "{"


def raw_values(doc: str, path: Path) -> list[str] | None:
    """The texts of the values `path` selects in the JSON text `doc` as written there (spaces and repeated
    keys kept), in document order; None for a path this reading does not follow (`**`)."""
    if any(step.kind == "descend" for step in path.steps):
        return None
    nodes = [_node(doc, 0)]
    for step in path.steps:
        found: list[_Node] = []
        for _start, _end, members, is_object in nodes:
            if step.kind in ("member", "any_member"):
                if members is not None and is_object:
                    found += [n for k, n in members if step.kind == "any_member" or k == step.key]
            elif step.kind == "any_index":
                if members is not None and not is_object:
                    found += [n for _, n in members]
            else:
                items = [n for _, n in members] if members is not None and not is_object else [
                    (_start, _end, members, is_object)]  # a scalar or object is an array of one
                k = len(items) - 1 - step.index if step.from_end else step.index
                if 0 <= k < len(items):
                    found.append(items[k])
        nodes = found
    return [doc[start:end] for start, end, _, _ in nodes]

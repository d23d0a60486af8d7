"""YAML with line numbers: the one reader behind server.yaml and scenario files.

PyYAML's `safe_load` forgets where a value came from and silently keeps the
last of two equal keys. Both files are written by people, so every complaint
about them must name the line, and a key written twice is a mistake to
report, not a value to drop. `compose` returns a tree of `Node`s; callers
validate it with their own schema and raise their own errors, built from the
`LineYAMLError` this module raises.
"""

from __future__ import annotations

from typing import Any, final


class LineYAMLError(Exception):
    """The text is not YAML we accept: `message` and the 1-based `line` (None when unknown)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@final
class Node:
    """A YAML value with its line.

    `value` is a `dict[str, Node]` for a mapping, a `list[Node]` for a sequence, else the scalar's
    YAML value. `raw` is a scalar's text as written (`1.50` stays "1.50", `on` stays "on"), None for
    collections. `keys` maps each key of a mapping to the line it is on.
    """

    __slots__ = ("keys", "line", "raw", "value")

    def __init__(self, value: Any, line: int, raw: str | None = None, keys: dict[str, int] | None = None) -> None:
        self.value = value
        self.line = line
        self.raw = raw
        self.keys = keys or {}

    def key_line(self, key: str) -> int:
        """The line of `key` in this mapping (the mapping's own line if it has no such key)."""
        return self.keys.get(key, self.line)


def compose(text: str) -> Node | None:
    """The document's tree, or None for an empty document. Raises LineYAMLError.

    Mapping keys are kept as written, not as YAML 1.1 values (`on:` is the key "on", not True);
    a key must be a plain scalar and may appear only once in its mapping.
    """
    import yaml

    try:
        # libyaml's parser where PyYAML has it: the same tree, marks and errors, several times faster
        # (a server's start reads its configuration; a scenario file can be long).
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        raise LineYAMLError(f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
    if root is None:
        return None
    loader = yaml.SafeLoader("")  # one constructor for every scalar of the document
    try:
        return _convert(root, loader)
    finally:
        loader.dispose()


def _convert(node: Any, loader: Any) -> Node:
    import yaml

    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        value: dict[str, Node] = {}
        keys: dict[str, int] = {}
        for k, v in node.value:
            key_line = k.start_mark.line + 1
            if not isinstance(k, yaml.ScalarNode):
                raise LineYAMLError("a key must be a plain name", key_line)
            if k.value in value:
                raise LineYAMLError(f"duplicate key {k.value!r} (first on line {keys[k.value]})", key_line)
            value[k.value] = _convert(v, loader)
            keys[k.value] = key_line
        return Node(value, line, keys=keys)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(v, loader) for v in node.value], line)
    try:
        constructed = loader.construct_object(node, deep=True)
    except yaml.YAMLError as e:
        raise LineYAMLError(f"not valid YAML: {getattr(e, 'problem', None) or e}", line) from None
    return Node(constructed, line, raw=node.value)

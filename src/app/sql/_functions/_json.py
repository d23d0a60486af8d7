"""JSON functions: MariaDB's (JSON_EXTRACT, JSON_VALUE, JSON_CONTAINS, JSON_SEARCH, ...) over documents
parsed and written as MariaDB does (`_jsondoc`: numbers as written, `{"a": 1}` with its spaces); the
builders and editors (JSON_ARRAY, JSON_OBJECT, JSON_SET, ...) are `_jsonedit`'s.

A document that is no JSON gives NULL with MariaDB's warning 4038 (4042 for a bad path).
"""

from __future__ import annotations

import re
from typing import Any

from sqlglot import exp

from .._errors import ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError
from .._sqltypes import INT, STRING, TEXT
from ._jsondoc import JSONError, Object, contains, depth, dumps, equal, find, parse, parse_path, raw_values, type_name
from ._jsonedit import (
    JSON_DOCS_TEXT,
    JSON_PLAIN_TEXT,
    JSON_TEXT,
    doc_and_pairs,
    json_detailed_type,
    path_values,
    value_of,
)
from ._registry import Family, udf
from ._values import text

fn = Family("json")



@fn.scalar("JSON_VALID", returns=INT, examples=["JSON_VALID('{}')", "JSON_VALID('{')", "JSON_VALID(NULL)"])
def json_valid(doc: Any) -> int | None:
    """1 for a JSON text, else 0 with MariaDB's note saying why (4038, 4037)."""
    if doc is None:
        return None
    try:
        parse(doc, 1, "json_valid", "Note")
    except JSONError:
        return 0
    return 1


def _doc(value: Any, arg: int, function: str) -> Any:
    return parse(value, arg, function)


def _paths_of(node: exp.Expr) -> list[exp.Expr]:
    """JSON_EXTRACT(doc, path, ...) as sqlglot parses it: the path in `expression`, more in `expressions`."""
    return [node.this, node.expression, *(node.args.get("expressions") or [])]


def _json_path_arg(node: exp.Expr | None) -> exp.Expr | None:
    """sqlglot parses a literal path into a JSONPath tree; we take the text MySQL wrote."""
    if isinstance(node, exp.JSONPath):
        written = node.sql(dialect="mysql")
        return exp.Literal.string(written[1:-1] if written[:1] == "'" else written)
    return node


@fn.scalar("JSON_EXTRACT", node=exp.JSONExtract, returns=JSON_TEXT,
           args=lambda n: [_json_path_arg(a) for a in _paths_of(n)],
           examples=["JSON_EXTRACT('[1, 2]', '$[1]')", "JSON_EXTRACT('{\"a\": {\"b\": [1, 2]}}', '$.a')",
                     "JSON_EXTRACT('[1, 2, 3]', '$[*]')", "JSON_EXTRACT('{\"a\": \"x\"}', '$.a', '$.b')"])
def json_extract(doc: Any, *paths: Any) -> str | None:
    if doc is None or any(p is None for p in paths):
        return None
    try:
        d = _doc(doc, 1, "json_extract")
        parsed = [parse_path(p, i + 2, "json_extract") for i, p in enumerate(paths)]
    except JSONError:
        return None
    found = [v for p in parsed for v in find(d, p)]
    if not found:
        return None
    if len(parsed) == 1 and not parsed[0].wild:
        return dumps(found[0])
    return dumps(found)


@fn.scalar("JSON_UNQUOTE", returns=JSON_PLAIN_TEXT, examples=["JSON_UNQUOTE('\"a\\\\tb\"')", "JSON_UNQUOTE('[1]')",
                                                       "JSON_UNQUOTE('\"abc')"])
def json_unquote(value: Any) -> str | None:
    if value is None:
        return None
    s = text(value)
    if s[:1] == '"':
        try:
            d = parse(s, 1, "json_unquote")
        except JSONError:
            return s
        return d if isinstance(d, str) else s
    return s


def _scalar_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


@fn.scalar("JSON_VALUE", node=exp.JSONValue, args=lambda n: [n.this, _json_path_arg(n.args.get("path"))],
           returns=JSON_TEXT, examples=["JSON_VALUE('{\"a\": \"x\"}', '$.a')", "JSON_VALUE('{\"a\": [1, 2]}', '$.a')"])
def json_value(doc: Any, path: Any) -> str | None:
    """The scalar at `path` (NULL for an object or array)."""
    if doc is None or path is None:
        return None
    try:  # a document that is no JSON: NULL without a warning, as in MariaDB
        parsed, where = parse(doc, 1, "json_value", None), parse_path(path, 2, "json_value")
    except JSONError:
        return None
    raw = raw_values(text(doc), where)
    if raw is not None:  # the first scalar of those the path finds (a repeated key's too)
        first = next((r for r in raw if r[:1] not in ("{", "[")), None)
        found = [] if first is None else [parse(first)]
    else:
        found = find(parsed, where)
    if not found or isinstance(found[0], (dict, list)):
        return None
    if isinstance(found[0], bool):
        return "1" if found[0] else "0"
    return _scalar_text(found[0])


@fn.scalar("JSON_QUERY", returns=JSON_TEXT,
           examples=["JSON_QUERY('{\"a\": [1, 2]}', '$.a')", "JSON_QUERY('{\"a\": 1}', '$.a')"])
def json_query(doc: Any, path: Any) -> str | None:
    """The object or array at `path` (NULL for a scalar)."""
    if doc is None or path is None:
        return None
    try:
        parsed, where = parse(doc, 1, "json_query", None), parse_path(path, 2, "json_query")
    except JSONError:
        return None
    raw = raw_values(text(doc), where)
    if raw is not None:  # as written in the document, the first object or array of those the path finds
        return next((r for r in raw if r[:1] in ("{", "[")), None)
    found = find(parsed, where)
    if not found or not isinstance(found[0], (dict, list)):
        return None
    return dumps(found[0])


def _at(doc: Any, path: Any, function: str) -> tuple[bool, Any]:
    """(found, the value) of an optional path argument; raises JSONError."""
    d = _doc(doc, 1, function)
    if path is None:
        return True, d
    found = find(d, parse_path(path, 2, function))
    return (True, found[0]) if found else (False, None)


@fn.scalar("JSON_LENGTH", returns=INT,
           examples=["JSON_LENGTH('[1, [2, 3]]')", "JSON_LENGTH('{\"a\": 1}', '$.a')", "JSON_LENGTH('1')"])
def json_length(doc: Any, *path: Any) -> int | None:
    if doc is None or (path and path[0] is None):
        return None
    try:
        ok, v = _at(doc, path[0] if path else None, "json_length")
    except JSONError:
        return None
    if not ok:
        return None
    if isinstance(v, Object):  # a repeated key counts each time, as MariaDB counts the text's members
        return len(v.members)
    return len(v) if isinstance(v, (dict, list)) else 1


@fn.scalar("JSON_DEPTH", returns=INT, examples=["JSON_DEPTH('[]')", "JSON_DEPTH('[1, [2]]')"])
def json_depth(doc: Any) -> int | None:
    if doc is None:
        return None
    try:
        return depth(_doc(doc, 1, "json_depth"))
    except JSONError:
        return None


@fn.scalar("JSON_KEYS", node=exp.JSONKeys, args=lambda n: [n.this, _json_path_arg(n.expression)], returns=JSON_TEXT,
           examples=["JSON_KEYS('{\"a\": 1, \"b\": {\"c\": 1}}')", "JSON_KEYS('{\"a\": 1, \"b\": {\"c\": 1}}', '$.b')"])
def json_keys(doc: Any, *path: Any) -> str | None:
    if doc is None or (path and path[0] is None):
        return None
    try:
        ok, v = _at(doc, path[0] if path else None, "json_keys")
    except JSONError:
        return None
    return dumps(list(v)) if ok and isinstance(v, dict) else None


@fn.scalar("JSON_TYPE", node=exp.JSONType, returns=STRING, examples=["JSON_TYPE('[1]')", "JSON_TYPE('1.5')"])
def json_type(doc: Any) -> str | None:
    if doc is None:
        return None
    try:
        return type_name(_doc(doc, 1, "json_type"))
    except JSONError:
        return None


@fn.scalar("JSON_CONTAINS", returns=INT,
           examples=["JSON_CONTAINS('{\"a\": 1, \"b\": 2}', '1', '$.a')", "JSON_CONTAINS('[1, 2, [3]]', '3')"])
def json_contains(doc: Any, candidate: Any, *path: Any) -> int | None:
    if doc is None or candidate is None or (path and path[0] is None):
        return None
    try:
        ok, v = _at(doc, path[0] if path else None, "json_contains")
        c = parse(candidate, 2, "json_contains")
    except JSONError:
        return None
    return int(ok and contains(v, c))  # (a path that finds nothing: 0)


@fn.scalar("JSON_CONTAINS_PATH", returns=INT,
           examples=["JSON_CONTAINS_PATH('{\"a\": 1}', 'one', '$.a', '$.x')",
                     "JSON_CONTAINS_PATH('{\"a\": 1}', 'all', '$.a', '$.x')"])
def json_contains_path(doc: Any, mode: Any, *paths: Any) -> int | None:
    if doc is None or mode is None or any(p is None for p in paths):
        return None
    how = text(mode).lower()
    if how not in ("one", "all"):
        return None
    try:
        d = _doc(doc, 1, "json_contains_path")
        hits = [bool(find(d, parse_path(p, i + 3, "json_contains_path"))) for i, p in enumerate(paths)]
    except JSONError:
        return None
    return int(any(hits) if how == "one" else all(hits))


@fn.scalar("JSON_EXISTS", returns=INT,
           examples=["JSON_EXISTS('{\"a\": 1}', '$.a')", "JSON_EXISTS('{\"a\": 1}', '$.b')"])
def json_exists(doc: Any, path: Any) -> int | None:
    if doc is None or path is None:
        return None
    try:
        return int(bool(find(_doc(doc, 1, "json_exists"), parse_path(path, 2, "json_exists", quiet=True))))
    except JSONError:
        return None


@fn.scalar("JSON_OVERLAPS", returns=INT, examples=["JSON_OVERLAPS('[1, 2]', '[2, 3]')", "JSON_OVERLAPS('1', '2')"])
def json_overlaps(a: Any, b: Any) -> int | None:
    if a is None or b is None:
        return None
    try:
        x, y = parse(a, 1, "json_overlaps"), parse(b, 2, "json_overlaps")
    except JSONError:
        return 0
    if isinstance(x, dict) and isinstance(y, dict):
        return int(any(k in y and equal(v, y[k]) for k, v in x.items()))
    xs = x if isinstance(x, list) else [x]
    ys = y if isinstance(y, list) else [y]
    return int(any(equal(p, q) for p in xs for q in ys))


@fn.scalar("JSON_EQUALS", returns=INT, examples=["JSON_EQUALS('{\"a\": 1}', '{ \"a\" : 1 }')", "JSON_EQUALS('1', '2')"])
def json_equals(a: Any, b: Any) -> int | None:
    if a is None or b is None:
        return None
    try:
        return int(equal(parse(a, 1, "json_equals"), parse(b, 2, "json_equals")))
    except JSONError:
        return None


@fn.scalar("JSON_COMPACT", returns=JSON_TEXT, examples=["JSON_COMPACT('{ \"a\" : [1, 2] }')"])
def json_compact(doc: Any) -> str | None:
    if doc is None:
        return None
    try:
        return dumps(_doc(doc, 1, "json_compact"), compact=True)
    except JSONError:
        return None


@fn.scalar("JSON_LOOSE", returns=JSON_TEXT, examples=["JSON_LOOSE('{\"a\":[1,2]}')"])
def json_loose(doc: Any) -> str | None:
    if doc is None:
        return None
    try:
        return dumps(_doc(doc, 1, "json_loose"))
    except JSONError:
        return None


def _detailed(d: Any, level: int, indent: int) -> str:
    """MariaDB's JSON_DETAILED layout: an object or array member value on a line of its own, an empty
    object as `{` and `}` on two lines (an empty array stays `[]`)."""
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(d, dict):
        if not d:
            return "{\n" + pad + "}"
        items = [f"{inner}{dumps(k)}: " + (f"\n{inner}" if isinstance(v, (dict, list)) else "")
                 + _detailed(v, level + 1, indent) for k, v in (d.members if isinstance(d, Object) else d.items())]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(d, list):
        if not d:
            return "[]"
        return "[\n" + ",\n".join(inner + _detailed(v, level + 1, indent) for v in d) + f"\n{pad}]"
    return dumps(d)


@fn.scalar("JSON_DETAILED", "JSON_PRETTY", returns=json_detailed_type,
           examples=["JSON_DETAILED('{\"a\":[1,2]}')", "JSON_PRETTY('[1]')"])
def json_detailed(doc: Any, indent: Any = 4) -> str | None:
    if doc is None:
        return None
    try:
        return _detailed(_doc(doc, 1, "json_detailed"), 0, int(indent or 4))
    except JSONError:
        return None


@fn.scalar("JSON_ARRAY_APPEND", node=exp.JSONArrayAppend, args=doc_and_pairs, returns=JSON_TEXT, json_args=path_values,
           examples=["JSON_ARRAY_APPEND('[1, 2]', '$', 3)", "JSON_ARRAY_APPEND('{\"a\": 1}', '$.a', 2)"])
def json_array_append(doc: Any, *pairs: Any) -> str | None:
    if doc is None or len(pairs) % 2:
        return None
    try:
        d = _doc(doc, 1, "json_array_append")
        for i in range(0, len(pairs), 2):
            if pairs[i] is None:
                return None
            path = parse_path(pairs[i], i + 2, "json_array_append")
            value = _sql_value(pairs[i + 1])
            d = _append(d, path.steps, value)
    except JSONError:
        return None
    return dumps(d)


def _sql_value(v: Any) -> Any:
    """An SQL argument as a JSON value (numbers as numbers, strings as strings, JSON as JSON)."""
    return value_of(v)


def _append(d: Any, steps: tuple[Any, ...], value: Any) -> Any:
    if not steps:
        return [*d, value] if isinstance(d, list) else [d, value]
    step, rest = steps[0], steps[1:]
    if step.kind == "member" and isinstance(d, dict) and step.key in d:
        d = dict(d)
        d[step.key] = _append(d[step.key], rest, value)
    elif step.kind == "index" and isinstance(d, list):
        i = len(d) - 1 - step.index if step.from_end else step.index
        if 0 <= i < len(d):
            d = list(d)
            d[i] = _append(d[i], rest, value)
    return d


@fn.scalar("JSON_SEARCH", returns=JSON_TEXT,
           examples=["JSON_SEARCH('[\"abc\", {\"x\": \"abc\"}]', 'all', 'abc')",
                     "JSON_SEARCH('[\"abc\", {\"x\": \"abc\"}]', 'one', 'ab%')"])
def json_search(doc: Any, mode: Any, pattern: Any, escape: Any = None, *paths: Any) -> str | None:
    if doc is None or mode is None or pattern is None:
        return None
    how = text(mode).lower()
    if how not in ("one", "all"):
        return None
    esc = "\\" if escape is None or text(escape) == "" else text(escape)[0]
    rx = _like(text(pattern), esc)
    try:
        d = _doc(doc, 1, "json_search")
    except JSONError:
        return None
    hits = [p for p, v in _scalars(d, "$") if rx.fullmatch(v)]
    if not hits:
        return None
    if how == "one" or len(hits) == 1:
        return dumps(hits[0])
    return dumps(hits)


def _scalars(d: Any, path: str) -> list[tuple[str, str]]:
    """(path, text) of every scalar in `d`, in document order: JSON_SEARCH matches its pattern against a
    string's value and against the text of a number (as written), true, false and null, as MariaDB does."""
    if isinstance(d, dict):
        out: list[tuple[str, str]] = []
        for k, v in d.items():
            key = k if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", k) else dumps(k)
            out += _scalars(v, f"{path}.{key}")
        return out
    if isinstance(d, list):
        return [found for i, v in enumerate(d) for found in _scalars(v, f"{path}[{i}]")]
    return [(path, d if isinstance(d, str) else dumps(d))]


def _like(pattern: str, escape: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def _merge_preserve(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for k, v in b.items():
            out[k] = _merge_preserve(out[k], v) if k in out else v
        return out
    xs = a if isinstance(a, list) else [a]
    ys = b if isinstance(b, list) else [b]
    return [*xs, *ys]


def _merge_patch(a: Any, b: Any) -> Any:
    if not isinstance(b, dict):
        return b
    out = dict(a) if isinstance(a, dict) else {}
    for k, v in b.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = _merge_patch(out.get(k), v)
    return out


def _merge(docs: tuple[Any, ...], how: Any, function: str) -> str | None:
    if any(d is None for d in docs):
        return None
    try:
        parsed = [parse(d, i + 1, function) for i, d in enumerate(docs)]
    except JSONError:
        return None
    out = parsed[0]
    for p in parsed[1:]:
        out = how(out, p)
    return dumps(out)


@fn.scalar("JSON_MERGE_PRESERVE", "JSON_MERGE", returns=JSON_DOCS_TEXT,
           examples=["JSON_MERGE_PRESERVE('[1]', '{\"a\": 1}')", "JSON_MERGE('[1]', '[2]')"])
def json_merge_preserve(first: Any, second: Any, *more: Any) -> str | None:
    return _merge((first, second, *more), _merge_preserve, "json_merge_preserve")


@fn.scalar("JSON_MERGE_PATCH", returns=JSON_DOCS_TEXT,
           examples=["JSON_MERGE_PATCH('{\"a\": 1, \"b\": 2}', '{\"a\": null, \"c\": 3}')"])
def json_merge_patch(first: Any, second: Any, *more: Any) -> str | None:
    return _merge((first, second, *more), _merge_patch, "json_merge_patch")


def _aggregated(node: exp.Expr) -> list[exp.Expr]:
    """The value a rewritten JSON_ARRAYAGG or JSON_OBJECTAGG embeds (its last argument, under DISTINCT
    or ORDER BY)."""
    if not node.expressions:
        return []
    last = node.expressions[-1]
    if isinstance(last, exp.Order):
        last = last.this
    if isinstance(last, exp.Distinct):
        return list(last.expressions[-1:])
    return [last]


def _array_agg(node: exp.Anonymous) -> exp.Expr:
    """JSON_ARRAYAGG(DISTINCT x) collects its values sorted, as MariaDB's tree of distinct values gives them."""
    args = list(node.expressions)
    if len(args) == 1 and isinstance(args[0], exp.Distinct) and len(args[0].expressions) == 1:
        value = args[0]
        args = [exp.Order(this=value, expressions=[exp.Ordered(this=value.expressions[0].copy(), nulls_first=True)])]
    return udf("APP_JSON_ARRAYAGG", *args)


@fn.aggregate("JSON_ARRAYAGG", returns=TEXT, examples=["JSON_ARRAYAGG(1)", "JSON_ARRAYAGG(DISTINCT 1)"],
              json_args=_aggregated, rewrite=_array_agg)
class JsonArrayAgg:
    """JSON_ARRAYAGG(x): the group's values as a JSON array (strings quoted, NULL as null), written as
    MariaDB writes it: a TEXT, with no space between the values."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def step(self, value: Any) -> None:
        self.values.append(None if value is None else _sql_value(value))

    def final(self) -> str | None:
        return "[" + ",".join(dumps(v) for v in self.values) + "]" if self.values else None


def _object_agg(node: exp.JSONObjectAgg) -> exp.Expr:
    pairs = node.expressions
    if len(pairs) != 1 or not isinstance(pairs[0], exp.JSONKeyValue):
        raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT,
                       "Incorrect parameter count in the call to native function 'JSON_OBJECTAGG'", "42000")
    return udf("APP_JSON_OBJECTAGG", pairs[0].this, pairs[0].expression)


@fn.aggregate("JSON_OBJECTAGG", node=exp.JSONObjectAgg, rewrite=_object_agg, returns=TEXT, json_args=_aggregated,
              examples=["JSON_OBJECTAGG('a', 1)", "JSON_OBJECTAGG('a', NULL)"])
class JsonObjectAgg:
    """JSON_OBJECTAGG(k, v): the group's pairs as a JSON object written as MariaDB writes it (`{"k":v, "k2":v2}`:
    no space after the colon), a key repeated as often as it comes; NULL for no rows."""

    def __init__(self) -> None:
        self.members: list[str] = []

    def step(self, key: Any, value: Any) -> None:
        if key is None:  # MariaDB leaves the pair out
            return
        name = key.decode("utf-8", "replace") if isinstance(key, bytes) else text(key)
        self.members.append(f"{dumps(name)}:{dumps(None if value is None else _sql_value(value))}")

    def final(self) -> str | None:
        return "{" + ", ".join(self.members) + "}" if self.members else None

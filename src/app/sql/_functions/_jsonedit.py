"""JSON functions that build and edit documents (JSON_ARRAY, JSON_OBJECT, JSON_SET, JSON_INSERT, JSON_REPLACE,
JSON_REMOVE, JSON_ARRAY_INSERT, JSON_QUOTE), written in MariaDB's layout (`_jsondoc.dumps`: `{"a": 1}`).

A value argument that is itself JSON (the result of JSON_ARRAY, JSON_EXTRACT, ... or TRUE / FALSE) is
embedded as JSON, a string argument as a string, as MariaDB does: SQLite cannot say which of its text
values are JSON, so the translator marks such arguments (`_marked`: APP_JSON_MARK puts a NUL before the
text, which only these functions read).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from sqlglot import exp

from .._errors import ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, SQLError
from .._sqltypes import LONGBLOB, LONGTEXT, STRING, SQLType, TypeExpr, apply, chars_of, text_type
from ._jsondoc import JSONError, Number, Object, Step, dumps, parse, parse_path
from ._numeric import decimal_text, double_text, fixed_text, float_column_text
from ._registry import Family, Typer, TypeRule, call_args, udf

fn = Family("json editing")


def _doc_result(*types: SQLType) -> SQLType:
    """A JSON function's text: as long as its arguments together, so that one of a JSON column (a
    LONGTEXT) is a LONGTEXT as in MariaDB; a binary string when the document is NULL (NULL's collation)."""
    return text_type(sum(chars_of(t) for t in types), types[0].kind == "null")


def _docs_result(*types: SQLType) -> SQLType:
    """JSON_MERGE, JSON_ARRAY, JSON_OBJECT: as `_doc_result`, binary only when every argument is NULL."""
    return text_type(sum(chars_of(t) for t in types), all(t.kind == "null" for t in types))


def _text_result(*types: SQLType) -> SQLType:
    return text_type(sum(chars_of(t) for t in types))


def _json_text(result: Callable[..., SQLType]) -> TypeRule:
    def rule(node: exp.Expr, typer: Typer) -> TypeExpr | None:
        found = [typer.infer(a) for a in call_args(node)]
        return apply(result, [STRING if t is None else t for t in found]) if found else STRING

    return rule


JSON_TEXT: Final = _json_text(_doc_result)  # JSON_EXTRACT, JSON_SET, ... (the result type of most)
JSON_DOCS_TEXT: Final = _json_text(_docs_result)
JSON_PLAIN_TEXT: Final = _json_text(_text_result)  # JSON_UNQUOTE, JSON_QUOTE, JSON_NORMALIZE: text even of NULL


def json_detailed_type(node: exp.Expr, typer: Typer) -> TypeExpr | None:
    """JSON_DETAILED and JSON_PRETTY: a LONGTEXT (a LONGBLOB of NULL)."""
    args = call_args(node)
    found = typer.infer(args[0]) if args else None
    return LONGBLOB if isinstance(found, SQLType) and found.kind == "null" else LONGTEXT

_MARK: Final = "\x00"
# The SQLite names of the functions whose result MariaDB embeds as JSON in another document.
_JSON_RESULTS: Final = frozenset({
    "APP_JSON_ARRAY", "APP_JSON_OBJECT", "APP_JSON_SET", "APP_JSON_INSERT", "APP_JSON_REPLACE", "APP_JSON_REMOVE",
    "APP_JSON_ARRAY_INSERT", "APP_JSON_EXTRACT", "APP_JSON_QUERY", "APP_JSON_COMPACT", "APP_JSON_LOOSE",
    "APP_JSON_DETAILED", "APP_JSON_ARRAY_APPEND", "APP_JSON_MERGE_PRESERVE", "APP_JSON_MERGE_PATCH",
    "APP_JSON_ARRAYAGG"})


def _marked(node: exp.Expr) -> exp.Expr:
    """A value argument, marked as JSON when it is (see module docstring)."""
    if isinstance(node, exp.Boolean):
        return udf("APP_JSON_MARK", exp.Literal.string("true" if node.this else "false"))
    if isinstance(node, exp.Anonymous) and node.name.upper() in _JSON_RESULTS:
        return udf("APP_JSON_MARK", node)
    return node


def _path_text(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.JSONPath):
        written = node.sql(dialect="mysql")
        return exp.Literal.string(written[1:-1] if written[:1] == "'" else written)
    return node


def all_values(node: exp.Expr) -> list[exp.Expr]:
    """The value arguments of a rewritten JSON_ARRAY(v, ...): all of them."""
    return list(node.expressions)


def paired_values(node: exp.Expr) -> list[exp.Expr]:
    """The value arguments of a rewritten JSON_OBJECT(k, v, ...)."""
    return list(node.expressions[1::2])


def path_values(node: exp.Expr) -> list[exp.Expr]:
    """The value arguments of a rewritten JSON_SET(doc, path, v, ...) and the like."""
    return list(node.expressions[2::2])


def doc_and_pairs(node: exp.Expr) -> list[exp.Expr]:
    """(doc, path, value, path, value, ...): the values marked."""
    args = [node.this, *node.expressions] if not isinstance(node, exp.Anonymous) else list(node.expressions)
    return [a if i == 0 else _path_text(a) if i % 2 else _marked(a) for i, a in enumerate(args)]


@fn.internal("APP_JSON_MARK", returns=STRING)
def json_mark(value: Any) -> Any:
    return None if value is None else _MARK + (value.decode() if isinstance(value, bytes) else str(value))


# -- numbers embedded in a document (see `_rewrite.mark_text_columns`) ---------------------------------


def _number(written: Any) -> Any:
    return written if written is None or not isinstance(written, str) else _MARK + written


@fn.internal("APP_JSON_DECIMAL", returns=STRING)
def json_decimal(value: Any, scale: Any) -> Any:
    """A DECIMAL value in a document: its digits with the type's scale (1.10), as MariaDB writes it."""
    return _number(decimal_text(value, scale))


@fn.internal("APP_JSON_DOUBLE", returns=STRING)
def json_double(value: Any) -> Any:
    """A DOUBLE value in a document, written as MariaDB writes a DOUBLE (10000000000, 1e15, -0.0000000001)."""
    return _number(double_text(value)) if isinstance(value, float) else value


@fn.internal("APP_JSON_FLOAT", returns=STRING)
def json_float(value: Any) -> Any:
    """A FLOAT value in a document: its 6 significant digits."""
    return _number(float_column_text(value)) if isinstance(value, (int, float)) else value


@fn.internal("APP_JSON_FIXED", returns=STRING)
def json_fixed(value: Any, scale: Any) -> Any:
    """A DOUBLE of fixed decimals (PI(), STD()) in a document: with those decimals."""
    return _number(fixed_text(value, scale)) if isinstance(value, (int, float)) else value


@fn.internal("APP_JSON_UNSIGNED", returns=STRING)
def json_unsigned(value: Any) -> Any:
    """A BIGINT UNSIGNED value in a document: one past 2**63 - 1 is stored as its digits in a BLOB."""
    return _number(str(int(value))) if type(value) is bytes else value


def value_of(v: Any) -> Any:
    """An SQL argument as a JSON value: numbers as numbers, strings as strings, marked JSON as JSON."""
    if isinstance(v, str) and v.startswith(_MARK):
        return parse(v[1:])
    if isinstance(v, bool):
        return Number(int(v))
    if isinstance(v, (int, float)):
        return Number(repr(v) if isinstance(v, float) else str(v))
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).decode("utf-8", "replace")
    return v


@fn.scalar("JSON_ARRAY", returns=JSON_DOCS_TEXT, args=lambda n: [_marked(a) for a in n.expressions],
           json_args=all_values,
           examples=["JSON_ARRAY()", "JSON_ARRAY(1, 'a', NULL, TRUE)", "JSON_ARRAY(JSON_ARRAY(1), '[1]')"])
def json_array(*values: Any) -> str | None:
    try:
        return dumps([value_of(v) for v in values])
    except JSONError:
        return None


def _object_args(node: exp.Expr) -> list[exp.Expr]:
    out: list[exp.Expr] = []
    for kv in node.expressions:
        if isinstance(kv, exp.JSONKeyValue):
            out += [kv.this, _marked(kv.expression)]
        else:
            out.append(_marked(kv))
    return out


@fn.scalar("JSON_OBJECT", node=exp.JSONObject, returns=JSON_DOCS_TEXT, args=_object_args, json_args=paired_values,
           examples=["JSON_OBJECT()", "JSON_OBJECT('a', 1, 'b', 'x')", "JSON_OBJECT('a', JSON_ARRAY(1, 2))"])
def json_object(*pairs: Any) -> str | None:
    if len(pairs) % 2:
        raise SQLError(ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT, "Incorrect parameter count in the call to native "
                                                          "function 'json_object'", "42000")
    try:
        members = [f"{json.dumps(_key(pairs[i]), ensure_ascii=False)}: {dumps(value_of(pairs[i + 1]))}"
                   for i in range(0, len(pairs), 2)]  # a repeated key stays repeated, as in MariaDB
    except JSONError:
        return None
    return "{" + ", ".join(members) + "}"


def _key(k: Any) -> str:
    if k is None:
        return ""
    if isinstance(k, bytes):
        return k.decode("utf-8", "replace")
    if isinstance(k, float):
        return repr(k)
    return str(k).removeprefix(_MARK)


@fn.scalar("JSON_QUOTE", returns=JSON_PLAIN_TEXT, examples=["JSON_QUOTE('a\"b')", "JSON_QUOTE(1)"])
def json_quote(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None  # MariaDB quotes strings only
    return json.dumps(value.removeprefix(_MARK), ensure_ascii=False)


# -- editing by path --------------------------------------------------------------------------------

def _index(items: list[Any], step: Step) -> int:
    return len(items) - 1 - step.index if step.from_end else step.index


def _edit(d: Any, steps: tuple[Step, ...], change: Callable[[Any, Step | None], Any]) -> Any:
    """`d` with `change(parent, last)` applied where `steps` lead (unchanged if they lead nowhere)."""
    if len(steps) == 1:
        return change(d, steps[0])
    step, rest = steps[0], steps[1:]
    if step.kind == "member" and isinstance(d, dict) and step.key in d:
        out = dict(d)
        out[step.key] = _edit(d[step.key], rest, change)
        return out
    if step.kind == "index":
        if isinstance(d, list):
            i = _index(d, step)
            if 0 <= i < len(d):
                out_list = list(d)
                out_list[i] = _edit(d[i], rest, change)
                return out_list
        elif _index([d], step) == 0:  # a scalar or object is an array of one
            return _edit(d, rest, change)
    return d


def _setter(value: Any, *, insert: bool, replace: bool) -> Callable[[Any, Step | None], Any]:
    def change(parent: Any, last: Step | None) -> Any:
        if last is None:
            return value if replace else parent
        if last.kind == "member":
            if not isinstance(parent, dict):
                return parent
            exists = last.key in parent
            if not exists and insert and isinstance(parent, Object):  # its repeated keys stay
                return Object([*parent.members, (last.key, value)])
            if (exists and replace) or (not exists and insert):
                out = dict(parent)
                out[last.key] = value
                return out
            return parent
        items = parent if isinstance(parent, list) else [parent]
        i = _index(items, last)
        if 0 <= i < len(items):
            if not replace:
                return parent
            if not isinstance(parent, list):
                return value
            out_list = list(parent)
            out_list[i] = value
            return out_list
        return [*items, value] if insert and i >= len(items) else parent
    return change


def _modify(name: str, doc: Any, pairs: tuple[Any, ...], *, insert: bool, replace: bool) -> str | None:
    if doc is None or len(pairs) % 2:
        return None
    try:
        d = parse(doc, 1, name)
        for i in range(0, len(pairs), 2):
            if pairs[i] is None:
                return None
            path = parse_path(pairs[i], i + 2, name)
            if path.wild:
                return None
            change = _setter(value_of(pairs[i + 1]), insert=insert, replace=replace)
            d = change(d, None) if not path.steps else _edit(d, path.steps, change)
    except JSONError:
        return None
    return dumps(d)


@fn.scalar("JSON_SET", node=exp.JSONSet, args=doc_and_pairs, json_args=path_values, returns=JSON_TEXT,
           examples=["JSON_SET('{\"a\": 1}', '$.a', 2, '$.b', 3)", "JSON_SET('[1]', '$[3]', 2)"])
def json_set(doc: Any, *pairs: Any) -> str | None:
    return _modify("json_set", doc, pairs, insert=True, replace=True)


@fn.scalar("JSON_INSERT", args=doc_and_pairs, json_args=path_values, returns=JSON_TEXT,
           examples=["JSON_INSERT('{\"a\": 1}', '$.a', 2, '$.b', 3)"])
def json_insert(doc: Any, *pairs: Any) -> str | None:
    return _modify("json_insert", doc, pairs, insert=True, replace=False)


@fn.scalar("JSON_REPLACE", args=doc_and_pairs, json_args=path_values, returns=JSON_TEXT,
           examples=["JSON_REPLACE('{\"a\": 1}', '$.a', 2, '$.b', 3)"])
def json_replace(doc: Any, *pairs: Any) -> str | None:
    return _modify("json_replace", doc, pairs, insert=False, replace=True)


def _remover(parent: Any, last: Step | None) -> Any:
    if last is not None and last.kind == "member" and isinstance(parent, dict) and last.key in parent:
        return {k: v for k, v in parent.items() if k != last.key}
    if last is not None and last.kind == "index" and isinstance(parent, list):
        i = _index(parent, last)
        if 0 <= i < len(parent):
            return parent[:i] + parent[i + 1:]
    return parent


@fn.scalar("JSON_REMOVE", node=exp.JSONRemove, returns=JSON_TEXT,
           args=lambda n: [n.this, *(_path_text(a) for a in n.expressions)],
           examples=["JSON_REMOVE('[1, 2, 3]', '$[1]')", "JSON_REMOVE('{\"a\": 1, \"b\": 2}', '$.a')"])
def json_remove(doc: Any, *paths: Any) -> str | None:
    if doc is None or not paths:
        return None
    try:
        d = parse(doc, 1, "json_remove")
        for i, p in enumerate(paths):
            if p is None:
                return None
            path = parse_path(p, i + 2, "json_remove")
            if path.wild or not path.steps:
                return None
            d = _edit(d, path.steps, _remover)
    except JSONError:
        return None
    return dumps(d)


@fn.scalar("JSON_ARRAY_INSERT", node=exp.JSONArrayInsert, args=doc_and_pairs, json_args=path_values, returns=JSON_TEXT,
           examples=["JSON_ARRAY_INSERT('[1, 2]', '$[0]', 0)", "JSON_ARRAY_INSERT('[1, [2]]', '$[1][0]', 9)"])
def json_array_insert(doc: Any, *pairs: Any) -> str | None:
    if doc is None or len(pairs) % 2:
        return None
    try:
        d = parse(doc, 1, "json_array_insert")
        for i in range(0, len(pairs), 2):
            if pairs[i] is None:
                return None
            path = parse_path(pairs[i], i + 2, "json_array_insert")
            if path.wild or not path.steps or path.steps[-1].kind != "index":
                return None
            value = value_of(pairs[i + 1])

            def insert(parent: Any, last: Step | None, value: Any = value) -> Any:
                if last is None or not isinstance(parent, list):
                    return parent
                at = min(_index(parent, last), len(parent))
                return [*parent[:at], value, *parent[at:]]

            d = _edit(d, path.steps, insert)
    except JSONError:
        return None
    return dumps(d)


def _normal_number(n: Number) -> str:
    """A number as JSON_NORMALIZE writes it: a double in scientific notation (1 -> 1.0E0, 12.5 -> 1.25E1)."""
    x = float(n.value)
    if x == 0:
        return "0.0E0"
    sign, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(str(d) for d in digits)
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{exponent + len(digits) - 1}"


def _normalized(d: Any) -> str:
    if isinstance(d, Number):
        return _normal_number(d)
    if isinstance(d, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_normalized(d[k])}" for k in sorted(d)) + "}"
    if isinstance(d, list):
        return "[" + ",".join(_normalized(v) for v in d) + "]"
    return dumps(d, compact=True)


@fn.scalar("JSON_NORMALIZE", returns=JSON_PLAIN_TEXT,
           examples=["JSON_NORMALIZE('{\"b\": 1, \"a\": [2.5, \"x\"]}')", "JSON_NORMALIZE('1')"])
def json_normalize(doc: Any) -> str | None:
    """The document in a canonical form: keys sorted, no spaces, numbers as doubles."""
    if doc is None:
        return None
    try:
        return _normalized(parse(doc, 1, "json_normalize"))
    except JSONError:
        return None

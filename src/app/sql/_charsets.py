"""Character set and collation syntax, read as this server stores text: every string is utf8mb4 in SQLite.

`_latin1'abc'`, `N'abc'`, `CONVERT(x USING cs)` and `CAST(x AS CHAR CHARACTER SET cs)` are strings whose
character set the statement fixes: a literal after an introducer is its bytes read in that character set
(`_latin1'é'` is 'Ã©', as the client's UTF-8 bytes read as latin1; `_latin1 X'E9'` is 'é'), a conversion
keeps what the character set can hold ('?' for the rest, with 1977). The node that stands for such a
string carries its character set, collation and coercibility (`charset_info`), which CHARSET(),
COLLATION() and COERCIBILITY() answer, and in whose bytes LENGTH, HEX and BIT_LENGTH count (`APP_ENCODE`).
`_binary'abc'` and `CONVERT(x USING binary)` are binary strings. `COLLATE` names the SQLite collation that
compares as the MariaDB collation does (`_collations`); two different explicit collations meeting in a
comparison or CONCAT are 1267.
"""

from __future__ import annotations

import itertools
import re
from typing import Final

from sqlglot import exp

from ._charsetnames import CHARSETS, LATIN1_TEXT, decode
from ._collations import SQLITE_COLLATIONS, sqlite_collation
from ._errors import SQLError
from ._functions import udf

_CHARSETS: Final = CHARSETS
_COLLATION: Final = re.compile(rf"(?i)^(?:{'|'.join(_CHARSETS)})_\w+$|^binary$")
# A character set's default collation (utf8 is utf8mb3 in MariaDB 10.11).
_DEFAULT_COLLATIONS: Final = {"utf8mb4": "utf8mb4_general_ci", "utf8mb3": "utf8mb3_general_ci",
                              "latin1": "latin1_swedish_ci", "ascii": "ascii_general_ci", "binary": "binary",
                              "ucs2": "ucs2_general_ci", "utf16": "utf16_general_ci", "utf32": "utf32_general_ci",
                              "cp1252": "cp1252_general_ci", "latin2": "latin2_general_ci"}
# Coercibility (COERCIBILITY()): 0 a COLLATE, 2 a conversion, 4 a literal.
_EXPLICIT: Final = 0
_IMPLICIT: Final = 2
_COERCIBLE: Final = 4
# Functions whose result has their (first) argument's character set.
_KEEPING: Final = (exp.Upper, exp.Lower)
_KEEPING_NAMES: Final = frozenset({"UPPER", "LOWER", "UCASE", "LCASE", "APP_UPPER", "APP_LOWER"})
# Functions that read their argument's bytes.
_BYTE_READERS: Final = (exp.Hex, exp.BitLength)
_COMPARED: Final = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.Concat)
_OPERATION: Final[dict[type[exp.Expr], str]] = {
    exp.EQ: "=", exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<=", exp.NullSafeEQ: "<=>",
    exp.Concat: "concat"}

CharsetInfo = tuple[str, str, int]  # character set, collation, coercibility


def _charset_name(name: str) -> str:
    name = name.lower()
    return "utf8mb3" if name == "utf8" else name


def _tagged(node: exp.Expr, charset: str, coercibility: int, collation: str | None = None) -> exp.Expr:
    node.meta["charset"] = (charset, collation or _DEFAULT_COLLATIONS.get(charset, f"{charset}_general_ci"),
                            coercibility)
    return node


def charset_info(node: exp.Expr | None,
                 memo: dict[int, tuple[exp.Expr, CharsetInfo | None]] | None = None) -> CharsetInfo | None:
    """The character set, collation and coercibility the statement gives `node`; None when they are
    the default's (utf8mb4_general_ci) or known only when it runs (a column). `memo` keeps what one pass
    found, by node, so that nested CONCATs are read once each rather than once per enclosing one (issue 10)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if node is None:
        return None
    info = node.meta.get("charset") if node._meta else None
    if info is not None:
        return info  # type: ignore[no-any-return]
    if isinstance(node, _KEEPING) or (isinstance(node, exp.Anonymous) and node.name.upper() in _KEEPING_NAMES):
        first = node.this if isinstance(node, _KEEPING) else (node.expressions[0] if node.expressions else None)
        return charset_info(first, memo)
    if isinstance(node, exp.Concat):
        found = memo.get(id(node)) if memo is not None else None
        if found is not None and found[0] is node:
            return found[1]
        infos = {charset_info(e, memo) for e in node.expressions}
        one = infos.pop() if len(infos) == 1 else None
        result = None if one is None else (one[0], one[1], max(one[2], _IMPLICIT))
        if memo is not None:
            memo[id(node)] = (node, result)
        return result
    return None


def _helper(name: str, *args: exp.Expr) -> exp.Expr:
    """A call of one of the SQL layer's own functions, which the function rewrite leaves as it is (a
    client's call by that name is 1305)."""
    call = udf(name, *args)
    call.meta["internal"] = True
    return call


def _binary(node: exp.Expr) -> exp.Expr:
    return exp.Cast(this=node, to=exp.DataType.build("VARBINARY"))


def _reinterpreted(text: str, charset: str) -> str:
    """A literal's text as MariaDB reads it after an introducer: the client's (UTF-8) bytes in `charset`."""
    if text.isascii() or charset in ("utf8mb4", "utf8mb3"):
        return text
    data = text.encode("utf-8", "surrogatepass")
    if charset == "latin1":
        return "".join(LATIN1_TEXT[b] for b in data)
    if charset == "ascii":
        return "".join(chr(b) if b < 0x80 else "?" for b in data)
    try:
        return decode(data, charset)
    except (UnicodeDecodeError, LookupError):
        return text


def _introduced(charset: str, value: exp.Expr) -> exp.Expr:
    name = _charset_name(charset.lstrip("_"))
    if name not in _CHARSETS:
        raise SQLError(1115, f"Unknown character set: '{name}'", "42000")
    if name == "binary":
        cast = _tagged(_binary(value), "binary", _COERCIBLE)
        if isinstance(value, exp.Literal) and value.is_string:
            cast.meta["name"] = value.this  # MariaDB names the column after the literal's value
        return cast
    if isinstance(value, exp.HexString):
        digits = value.this.rjust(len(value.this) + len(value.this) % 2, "0")
        try:
            text = decode(bytes.fromhex(digits), name)
        except (ValueError, UnicodeDecodeError, LookupError):
            return value  # not text in that charset: the bytes, as a binary string
        literal = _tagged(exp.Literal.string(text), name, _COERCIBLE)
        literal.meta["name"] = None  # named as written (`_latin1 X'E9'`), unlike a quoted literal
        return literal
    if isinstance(value, exp.Literal) and value.is_string:
        return _tagged(exp.Literal.string(_reinterpreted(value.this, name)), name, _COERCIBLE)
    return value


def _converted(node: exp.Cast) -> exp.Expr:
    """CONVERT(x USING cs) / CAST(x AS CHAR[(n)] CHARACTER SET cs)."""
    charset = node.to.args.get("kind")
    name = _charset_name(charset.name) if isinstance(charset, exp.Expr) else ""
    if name not in _CHARSETS:
        raise SQLError(1115, f"Unknown character set: '{name}'", "42000")
    if name == "binary":
        return _binary(node.this)
    params = node.to.expressions
    length = params[0].name if params and params[0].name.isdigit() else None
    value: exp.Expr = node.this
    if not isinstance(value, exp.HexString) or length is not None:  # (a binary string's bytes are read as they are)
        # as text first, as CAST AS CHAR writes a number
        value = exp.Cast(this=value, to=exp.DataType.build(f"CHAR({length})" if length is not None else "CHAR"))
    if name not in ("utf8mb4", "utf16", "utf32", "binary"):  # what the character set cannot hold is '?'
        value = _helper("APP_CONVERT_USING", value, exp.Literal.string(name))
    return _tagged(value, name, _IMPLICIT)


def _collated(node: exp.Collate) -> None:
    collation = node.expression
    name = collation.name if isinstance(collation, (exp.Var, exp.Identifier, exp.Column)) else ""
    if name and _COLLATION.match(name):
        value = node.this
        info = charset_info(value)
        literal = info is not None or (isinstance(value, exp.Literal) and value.is_string)
        operand = info[0] if info is not None else "utf8mb4"
        charset = _charset_name(name.split("_", 1)[0])
        if literal and charset != operand and not (
                charset in ("utf8mb4", "utf8mb3", "binary") and operand in ("utf8mb4", "utf8mb3")):
            raise SQLError(1253, f"COLLATION '{name}' is not valid for CHARACTER SET '{operand}'", "42000")
        node.set("expression", exp.var(sqlite_collation(name)))
        _tagged(node, charset if literal or info else "utf8mb4", _EXPLICIT, name.lower().replace("utf8_", "utf8mb3_"))
    elif name and name.upper() not in ("BINARY", "NOCASE", "RTRIM", *SQLITE_COLLATIONS):
        raise SQLError(1273, f"Unknown collation: '{name}'", "HY000")


def _check_mix(node: exp.Expr, memo: dict[int, tuple[exp.Expr, CharsetInfo | None]]) -> None:
    """1267: two operands of different explicit collations ('a' COLLATE utf8mb4_bin = 'b' COLLATE
    utf8mb4_general_ci), which MariaDB cannot choose between."""
    operands = node.expressions if isinstance(node, exp.Concat) else [node.this, node.args.get("expression")]
    explicit = [info for info in (charset_info(o, memo) for o in operands)
                if info is not None and info[2] == _EXPLICIT]
    for a, b in itertools.pairwise(explicit):
        if a[1] != b[1]:
            raise SQLError(1267, f"Illegal mix of collations ({a[1]},EXPLICIT) and ({b[1]},EXPLICIT) for "
                                 f"operation '{_OPERATION[type(node)]}'", "HY000")


def _read_in_bytes(node: exp.Expr) -> None:
    """LENGTH, HEX, BIT_LENGTH of a string of another character set than UTF-8 count its bytes in that one."""
    if isinstance(node, exp.Anonymous):
        arg = node.expressions[0] if node.expressions else None
    else:
        arg = node.this
    info = charset_info(arg)
    if arg is None or info is None or info[0] in ("utf8mb4", "utf8mb3", "binary"):
        return
    arg.replace(_helper("APP_ENCODE", arg.copy(), exp.Literal.string(info[0])))


def rewrite_charsets(tree: exp.Expr) -> None:
    """Introducers, N'..', CONVERT ... USING, CAST ... CHARACTER SET and COLLATE in SQLite's terms."""
    for literal in list(tree.find_all(exp.Introducer, exp.National)):
        if isinstance(literal, exp.Introducer):
            literal.replace(_introduced(literal.name, literal.expression))
        else:
            literal.replace(_tagged(exp.Literal.string(literal.name), "utf8mb3", _COERCIBLE))
    for cast in list(tree.find_all(exp.Cast)):
        if cast.to.this == exp.DataType.Type.CHARACTER_SET:
            cast.replace(_converted(cast))
    for collate in reversed(list(tree.find_all(exp.Collate))):  # inner ones first: an outer one reads them
        _collated(collate)
    # Breadth-first: what `_read_in_bytes` changes is below nodes already read, and is forgotten (issue 10).
    memo: dict[int, tuple[exp.Expr, CharsetInfo | None]] = {}
    for node in list(tree.find_all(*_COMPARED, *_BYTE_READERS, exp.Length, exp.Anonymous, exp.Collation)):
        if isinstance(node, _COMPARED):
            _check_mix(node, memo)
        elif isinstance(node, exp.Collation) or (
                isinstance(node, exp.Anonymous) and node.name.upper() in ("CHARSET", "COERCIBILITY")):
            # CHARSET(x), COLLATION(x), COERCIBILITY(x): what the statement says of x, for their rewrite
            arg = node.this if isinstance(node, exp.Collation) else (node.expressions or [None])[0]
            info = charset_info(arg)
            if info is not None:
                node.meta["argument_charset"] = info
        elif isinstance(node, _BYTE_READERS) or (isinstance(node, exp.Length) and node.args.get("binary")) or (
                isinstance(node, exp.Anonymous) and node.name.upper() in ("OCTET_LENGTH", "LENGTHB")):
            for changed in (node, *node.iter_expressions()):
                memo.pop(id(changed), None)
            _read_in_bytes(node)

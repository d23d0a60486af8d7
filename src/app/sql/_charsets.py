"""Character set and collation syntax, read as this server stores text: every string is utf8mb4.

`_latin1'abc'`, `N'abc'` and `CONVERT(x USING cs)` are the string itself (a hex literal after a
charset introducer is decoded in that charset: `_latin1 X'E9'` is 'é'); `_binary'abc'` and
`CONVERT(x USING binary)` are binary strings. `COLLATE` names the SQLite collation that compares as
the MariaDB collation does (`_collations`).
"""

from __future__ import annotations

import re
from typing import Final

from sqlglot import exp

from ._charsetnames import CHARSETS
from ._collations import SQLITE_COLLATIONS, sqlite_collation
from ._errors import SQLError

_CHARSETS: Final = CHARSETS
_COLLATION: Final = re.compile(rf"(?i)^(?:{'|'.join(_CHARSETS)})_\w+$|^binary$")


def _binary(node: exp.Expr) -> exp.Expr:
    return exp.Cast(this=node, to=exp.DataType.build("VARBINARY"))


def _introduced(charset: str, value: exp.Expr) -> exp.Expr:
    name = charset.lstrip("_").lower()
    if name not in _CHARSETS:
        raise SQLError(1115, f"Unknown character set: '{name}'", "42000")
    if name == "binary":
        return _binary(value)
    if isinstance(value, exp.HexString):
        try:
            return exp.Literal.string(bytes.fromhex(value.this.rjust(len(value.this) + len(value.this) % 2, "0"))
                                      .decode(_CHARSETS[name] or "utf-8"))
        except (ValueError, UnicodeDecodeError):
            return value  # not text in that charset: the bytes, as a binary string
    return value


def rewrite_charsets(tree: exp.Expr) -> None:
    """Introducers, N'..', CONVERT ... USING, CAST ... CHARACTER SET and COLLATE in SQLite's terms."""
    for node in list(tree.find_all(exp.Introducer, exp.National, exp.Cast, exp.Collate)):
        if isinstance(node, exp.Introducer):
            node.replace(_introduced(node.name, node.expression))
        elif isinstance(node, exp.National):
            node.replace(exp.Literal.string(node.name))
        elif isinstance(node, exp.Cast):
            to = node.to
            if to.this == exp.DataType.Type.CHARACTER_SET:
                charset = to.args.get("kind")
                name = charset.name.lower() if isinstance(charset, exp.Expr) else ""
                if name not in _CHARSETS:
                    raise SQLError(1115, f"Unknown character set: '{name}'", "42000")
                node.replace(_binary(node.this) if name == "binary" else
                             exp.Cast(this=node.this, to=exp.DataType.build("CHAR")))
        else:
            collation = node.expression
            name = collation.name if isinstance(collation, (exp.Var, exp.Identifier, exp.Column)) else ""
            charset = name.lower().split("_", 1)[0]
            introduced = node.this.name.lstrip("_").lower() if isinstance(node.this, exp.Introducer) else "utf8mb4"
            value = node.this
            literal = isinstance(value, exp.Introducer) or (isinstance(value, exp.Literal) and value.is_string)
            if literal and name and _COLLATION.match(name) and charset != introduced \
                    and charset not in ("utf8mb4", "utf8", "utf8mb3", "binary"):
                raise SQLError(1253, f"COLLATION '{name}' is not valid for CHARACTER SET '{introduced}'", "42000")
            if name and _COLLATION.match(name):
                node.set("expression", exp.var(sqlite_collation(name)))
            elif name and name.upper() not in ("BINARY", "NOCASE", "RTRIM", *SQLITE_COLLATIONS):
                raise SQLError(1273, f"Unknown collation: '{name}'", "HY000")

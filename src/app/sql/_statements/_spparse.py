"""Parsing stored programs: CREATE PROCEDURE / FUNCTION / TRIGGER into a routine and its body's tree.

The body's compound statements (BEGIN ... END, DECLARE, IF, CASE, the loops, LEAVE, ITERATE, RETURN,
cursors, handlers, SIGNAL) become nodes the interpreter (`_sprun`) walks; every other statement stays
SQL text, run through the session like a client's statement. A local variable (or parameter) in that
text is rewritten, once, here, into a session variable of a reserved name (`@__sp_<name>`): the
statement then reads and assigns it as it would any user variable (bound when it starts, assigned
by SET and SELECT ... INTO), and the interpreter gives each call its own set of them (`_sprun`).
MariaDB resolves a name in a routine's statement to the local variable before a column, as this does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .._errors import SQLError, syntax_error
from .._sqlite import stored_name
from ._sptext import TextParser
from ._sptree import (
    LOCAL_PREFIX,
    Block,
    Close,
    Condition,
    Cursor,
    Declare,
    Fetch,
    Handler,
    If,
    Iterate,
    Leave,
    Loop,
    Node,
    Open,
    Param,
    Return,
    Routine,
    Signal,
    Sql,
    Token,
    _cast,
    cast_type,
)
from ._words import unquote

# -- the header -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Header:
    """What CREATE says before the routine: OR REPLACE, IF NOT EXISTS, the database and name."""

    kind: str
    name: str
    database: str | None = None
    or_replace: bool = False
    if_not_exists: bool = False
    definer: str | None = None


class Parser(TextParser):
    """One CREATE statement's parse (raises 1064 at the first thing it cannot read)."""

    def __init__(self, sql: str) -> None:
        super().__init__(sql)
        self.labels: list[str] = []
        self.conditions: list[dict[str, Condition]] = []
        self.function = False
        self.trigger = False
        self._declared_types: dict[str, str] = {}  # key -> declared type of the variable
        self.returns: str | None = None
        self.timing = ""  # a trigger's BEFORE or AFTER

    # -- CREATE ... --
    def header(self) -> Header:
        self.expect("create")
        or_replace = self.accept("or", "replace")
        definer = None
        if self.accept("definer"):
            if not self.punct("="):
                raise self.error()
            start = self.take().start
            end = self.toks[self.i - 1].end
            while self.peek() is not None and (self.peek() or Token("p", "", 0, 0)).text.startswith("@"):
                end = self.take().end
            definer = self.sql[start:end]
        self.accept("aggregate")
        kind = self.word().upper()
        if kind not in ("PROCEDURE", "FUNCTION", "TRIGGER"):
            raise self.error()
        self.i += 1
        if_not_exists = self.accept("if", "not", "exists")
        name = self.name()
        database = None
        if self.punct("."):
            database, name = name, self.name()
        return Header(kind, name, database, or_replace, if_not_exists, definer)

    def routine(self, header: Header) -> Routine:
        kind = header.kind
        if kind == "TRIGGER":
            return self.trigger_routine(header)
        self.function = kind == "FUNCTION"
        if not self.punct("("):
            raise self.error()
        params_start = self.peek().start if self.peek() is not None else len(self.sql)  # type: ignore[union-attr]
        params: list[Param] = []
        scope: dict[str, str] = {}
        if not self.punct(")"):
            while True:
                mode = "IN"
                if not self.function and self.word() in ("in", "out", "inout") and self.peek(1) is not None and (
                        self.peek(1).kind in ("w", "q")):  # type: ignore[union-attr]
                    mode = self.take().text.upper()
                pname = self.name()
                ptype = self.type_text((",", ")"))
                if pname.lower() in scope:
                    raise SQLError(1330, f"Duplicate parameter: {pname}", "42000")
                scope[pname.lower()] = LOCAL_PREFIX + pname.lower()
                self._declared_types[LOCAL_PREFIX + pname.lower()] = ptype
                params.append(Param(mode, pname, ptype))
                if self.punct(")"):
                    break
                if not self.punct(","):
                    raise self.error()
        params_text = self.sql[params_start:self.toks[self.i - 1].start]
        returns = None
        if self.function:
            self.expect("returns")
            returns = self.type_text((), stop_words=_CHARACTERISTIC_WORDS | _BODY_WORDS)
        chars_start = self.peek().start if self.peek() is not None else len(self.sql)  # type: ignore[union-attr]
        comment, deterministic, access, security = self.characteristics()
        chars_end = self.toks[self.i - 1].end if self.toks[self.i - 1].start >= chars_start else chars_start
        self.scopes.append(scope)
        self.returns = returns
        body, body_text = self.body()
        casts = [f"@{LOCAL_PREFIX}{p.name.lower()} = {_cast('@' + LOCAL_PREFIX + p.name.lower(), p.type)}"
                 for p in params if p.mode != "OUT" and cast_type(p.type)]
        return Routine(kind, header.name, tuple(params), returns, body, body_text,
                       params_text, self.sql[chars_start:chars_end], comment=comment, deterministic=deterministic,
                       data_access=access, security=security, coerce="SET " + ", ".join(casts) if casts else None)

    def body(self) -> tuple[Node, str]:
        """A routine's body, the rest of the statement: its tree and its text as written."""
        start = self.peek()
        if start is None:
            raise self.error()
        body = self.statement()
        self.punct(";")
        if self.peek() is not None:
            raise self.error()
        return body, self.sql[start.start:].rstrip(" \t\r\n;")

    def trigger_routine(self, header: Header) -> Routine:
        self.trigger = True
        timing = self.word().upper()
        if timing not in ("BEFORE", "AFTER"):
            raise self.error()
        self.i += 1
        event = self.word().upper()
        if event not in ("INSERT", "UPDATE", "DELETE"):
            raise self.error()
        self.i += 1
        self.timing, self.pseudo_rows = timing, True
        self.expect("on")
        table = self.name()
        if self.punct("."):
            table = self.name()
        self.expect("for", "each", "row")
        if self.word() in ("follows", "precedes"):
            self.i += 1
            self.name()
        self.scopes.append({})
        body, body_text = self.body()
        return Routine("TRIGGER", header.name, (), None, body, body_text,
                       timing=timing, event=event, table=stored_name(table))

    def characteristics(self) -> tuple[str, bool, str, str]:
        comment, deterministic, access, security = "", False, "CONTAINS SQL", "DEFINER"
        while True:
            if self.accept("comment"):
                t = self.take()
                if t.kind != "s":
                    raise syntax_error(self.sql[t.start:])
                comment = _string(t.text)
            elif self.accept("language", "sql"):
                pass
            elif self.accept("not", "deterministic"):
                deterministic = False
            elif self.accept("deterministic"):
                deterministic = True
            elif self.accept("contains", "sql"):
                access = "CONTAINS SQL"
            elif self.accept("no", "sql"):
                access = "NO SQL"
            elif self.accept("reads", "sql", "data"):
                access = "READS SQL DATA"
            elif self.accept("modifies", "sql", "data"):
                access = "MODIFIES SQL DATA"
            elif self.accept("sql", "security"):
                security = self.word().upper()
                if security not in ("DEFINER", "INVOKER"):
                    raise self.error()
                self.i += 1
            else:
                return comment, deterministic, access, security

    # -- statements --
    def statement(self) -> Node:
        t = self.peek()
        if t is None:
            raise self.error()
        label = None
        if t.kind in ("w", "q") and (self.peek(1) is not None and self.peek(1).text == ":"  # type: ignore[union-attr]
                                     and self.word(2) in ("begin", "loop", "while", "repeat")):
            label = self.name().lower()
            self.i += 1
        w = self.word()
        if w == "begin":
            return self.block(label)
        if w in ("loop", "while", "repeat"):
            return self.loop(w, label)
        if label is not None:
            raise self.error()
        if w == "if":
            return self.if_()
        if w == "case":
            return self.case()
        if w in ("leave", "iterate"):
            self.i += 1
            target = self.name().lower()
            if target not in self.labels:
                raise SQLError(1308, f"{w.upper()} with no matching label: {target}", "42000")
            return Leave(target) if w == "leave" else Iterate(target)
        if w == "return":
            if not self.function:
                raise SQLError(1313, "RETURN is only allowed in a FUNCTION", "42000")
            self.i += 1
            return Return("SELECT " + _cast(self.expr_until(()), self.returns or ""))
        if w == "open" or w == "close":
            self.i += 1
            name = self.name().lower()
            return Open(name) if w == "open" else Close(name)
        if w == "fetch":
            return self.fetch()
        if w in ("signal", "resignal"):
            return self.signal(w == "resignal")
        if w == "declare":
            raise self.error()  # only at the start of a block (see `block`)
        if w == "set":
            parts = self.set_statement()
            if len(parts) == 1:
                return Sql(parts[0])
            # One SET per assignment, in order (as MariaDB assigns them): the translator reads a SET of several
            # assignments with a subquery among them only one by one.
            return Block(None, tuple(Sql(p) for p in parts))
        if w == "select":
            return Sql(self.select_text())
        return Sql(self.expr_until(()))

    def block(self, label: str | None) -> Block:
        self.expect("begin")
        self.accept("not", "atomic")
        if label is not None:
            self.labels.append(label)
        scope: dict[str, str] = {}
        self.scopes.append(scope)
        self.conditions.append({})
        body: list[Node] = []
        handlers: list[Handler] = []
        cursors: list[Cursor] = []
        shadowed: list[str] = []
        while self.word() == "declare":
            self.i += 1
            names = [self.name()]
            if self.word() == "condition" and self.word(1) == "for":
                self.i += 2
                self.conditions[-1][names[0].lower()] = self.condition_value()
            elif self.word() == "cursor" and self.word(1) == "for":
                self.i += 2
                cursors.append(Cursor(names[0].lower(), self.expr_until(())))
            elif names[0].lower() in ("continue", "exit", "undo") and self.word() == "handler":
                self.i += 1
                self.expect("for")
                conditions = [self.handler_condition()]
                while self.punct(","):
                    conditions.append(self.handler_condition())
                handlers.append(Handler(names[0].upper(), tuple(conditions), self.statement()))
            else:
                while self.punct(","):
                    names.append(self.name())
                vtype = self.type_text((), stop_words=frozenset({"default"}))
                default = None
                if self.accept("default"):
                    default = self.expr_until((), raw=True)
                keys = []
                for n in names:
                    key = LOCAL_PREFIX + n.lower()
                    if n.lower() in scope:
                        raise SQLError(1331, f"Duplicate variable: {n}", "42000")
                    scope[n.lower()] = key
                    keys.append(key)
                    shadowed.append(key)
                init = None
                if default is not None:
                    value = self.rewrite(default)
                    init = "SET " + ", ".join(f"@{k} = {_cast(value, vtype)}" for k in keys)
                body.append(Declare(tuple(keys), init))
                self._declared_types.update({k: vtype for k in keys})
            if not self.punct(";"):
                raise self.error()
        while self.word() != "end":
            body.append(self.statement())
            if not self.punct(";"):
                raise self.error()
        self.expect("end")
        self.closing_label(label)
        self.scopes.pop()
        self.conditions.pop()
        if label is not None:
            self.labels.pop()
        return Block(label, tuple(body), tuple(handlers), tuple(cursors), tuple(shadowed))

    def closing_label(self, label: str | None) -> None:
        t = self.peek()
        if t is not None and t.kind in ("w", "q") and label is not None and unquote(t.text).lower() == label:
            self.i += 1

    def statements(self, stops: tuple[str, ...]) -> tuple[Node, ...]:
        out: list[Node] = []
        while self.word() not in stops:
            out.append(self.statement())
            if not self.punct(";"):
                raise self.error()
        return tuple(out)

    def if_(self) -> If:
        self.expect("if")
        branches = []
        cond = self.expr_until(("then",))
        self.expect("then")
        branches.append(("SELECT " + cond, self.statements(("elseif", "else", "end"))))
        otherwise = None
        while True:
            if self.accept("elseif"):
                cond = self.expr_until(("then",))
                self.expect("then")
                branches.append(("SELECT " + cond, self.statements(("elseif", "else", "end"))))
            elif self.accept("else"):
                otherwise = self.statements(("end",))
            else:
                break
        self.expect("end", "if")
        return If(tuple(branches), otherwise)

    def case(self) -> If:
        self.expect("case")
        operand = None if self.word() == "when" else self.expr_until(("when",))
        branches = []
        otherwise: tuple[Node, ...] | None = None
        while self.accept("when"):
            value = self.expr_until(("then",))
            self.expect("then")
            cond = f"({operand}) = ({value})" if operand is not None else value
            branches.append(("SELECT " + cond, self.statements(("when", "else", "end"))))
        if not branches:
            raise self.error()
        if self.accept("else"):
            otherwise = self.statements(("end",))
        self.expect("end", "case")
        # No branch taken and no ELSE: MariaDB's 1339 Case not found (see `_sprun`).
        return If(tuple(branches), otherwise if otherwise is not None else (_CASE_NOT_FOUND,))

    def loop(self, kind: str, label: str | None) -> Loop:
        self.i += 1
        if label is not None:
            self.labels.append(label)
        else:
            self.labels.append("\0")  # an unlabelled loop cannot be left by name
        condition = None
        if kind == "while":
            condition = "SELECT " + self.expr_until(("do",))
            self.expect("do")
            body = self.statements(("end",))
            self.expect("end", "while")
        elif kind == "repeat":
            body = self.statements(("until",))
            self.expect("until")
            condition = "SELECT " + self.expr_until(("end",))
            self.expect("end", "repeat")
        else:
            body = self.statements(("end",))
            self.expect("end", "loop")
        self.closing_label(label)
        self.labels.pop()
        return Loop(kind, label, body, condition)

    def fetch(self) -> Fetch:
        self.expect("fetch")
        if self.accept("next"):
            self.expect("from")
        else:
            self.accept("from")
        cursor = self.name().lower()
        self.expect("into")
        targets = []
        while True:
            name = self.name()
            key = self.key_of(name)
            if key is None:
                raise SQLError(1327, f"Undeclared variable: {name}", "42000")
            targets.append(key)
            if not self.punct(","):
                break
        return Fetch(cursor, tuple(targets))

    def condition_value(self) -> Condition:
        if self.accept("sqlstate"):
            self.accept("value")
            t = self.take()
            state = _string(t.text) if t.kind == "s" else ""
            if len(state) != 5 or state.startswith("00"):
                raise SQLError(1407, f"Bad SQLSTATE: '{state}'", "42000")
            return Condition(sqlstate=state)
        t = self.take()
        if t.kind == "n" and t.text.isdigit():
            return Condition(errno=int(t.text))
        raise syntax_error(self.sql[t.start:])

    def handler_condition(self) -> Condition:
        if self.accept("sqlexception"):
            return Condition(klass="SQLEXCEPTION")
        if self.accept("sqlwarning"):
            return Condition(klass="SQLWARNING")
        if self.accept("not", "found"):
            return Condition(klass="NOT FOUND")
        t = self.peek()
        if t is not None and t.kind in ("w", "q") and t.word != "sqlstate":
            name = unquote(t.text).lower()
            for scope in reversed(self.conditions):
                if name in scope:
                    self.i += 1
                    return scope[name]
            raise SQLError(1319, f"Undefined CONDITION: {unquote(t.text)}", "42000")
        return self.condition_value()

    def signal(self, resignal: bool) -> Signal:
        self.i += 1
        condition = None
        t = self.peek()
        if t is not None and not (t.kind == "p" and t.text == ";") and t.word != "set":
            if t.word == "sqlstate":
                condition = self.condition_value()
            else:
                name = self.name().lower()
                found = next((scope[name] for scope in reversed(self.conditions) if name in scope), None)
                if found is None:
                    raise SQLError(1319, f"Undefined CONDITION: {name}", "42000")
                if found.errno is not None and found.sqlstate is None:
                    raise SQLError(1407, f"Bad SQLSTATE: '{name}'", "42000")  # SIGNAL needs a SQLSTATE
                condition = found
        elif not resignal:
            raise self.error()
        items: list[tuple[str, str]] = []
        if self.accept("set"):
            while True:
                item = self.name().upper()
                if not self.punct("="):
                    raise self.error()
                items.append((item, "SELECT " + self.expr_until((), comma=True)))
                if not self.punct(","):
                    break
        return Signal(resignal, condition, tuple(items))

    def set_statement(self) -> list[str]:
        """SET with locals: each local target becomes its session variable, with its declared type."""
        start = self.take().start  # SET
        del start
        parts: list[str] = []
        while True:
            t = self.peek()
            if t is None:
                raise self.error()
            target = None
            if t.kind in ("w", "q") and self.peek(1) is not None and (
                    self.peek(1).text in ("=", ":")):  # type: ignore[union-attr]
                target = self.key_of(unquote(t.text))
            elif self.pseudo_rows and (target := self.pseudo_row_at(self.toks, self.i)) is not None:
                if t.word == "old":
                    raise SQLError(1362, "Updating of OLD row is not allowed in trigger", "HY000")
                if self.timing == "AFTER":
                    raise SQLError(1362, "Updating of NEW row is not allowed in after trigger", "HY000")
                self.i += 2
            if target is not None:
                self.i += 1
                if not self.punct("="):
                    self.i -= 1
                    target = None
            if target is not None:
                value = self.expr_until((), comma=True)
                parts.append(f"@{target} = {_cast(value, self._declared_types.get(target, ''))}")
            else:
                parts.append(self.expr_until((), comma=True))
            if not self.punct(","):
                break
        return ["SET " + p for p in parts]

_CASE_NOT_FOUND: Final = Signal(False, Condition(sqlstate="20000", errno=1339),
                                (("MESSAGE_TEXT", "SELECT 'Case not found for CASE statement'"),))
_CHARACTERISTIC_WORDS: Final = frozenset({"comment", "language", "not", "deterministic", "contains", "no", "reads",
                                          "modifies", "sql"})
_BODY_WORDS: Final = frozenset({"begin", "return", "select", "insert", "update", "delete", "set", "if", "case",
                                "while", "repeat", "loop", "call", "declare", "replace", "do"})
def _string(text: str) -> str:
    from .._lexer import unescape_string
    return unescape_string(text[1:-1])


def parse(sql: str) -> tuple[Header, Routine]:
    """Parse a CREATE PROCEDURE / FUNCTION / TRIGGER statement (1064 if it cannot)."""
    p = Parser(sql)
    header = p.header()
    routine = p.routine(header)
    return header, routine

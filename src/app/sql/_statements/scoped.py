"""SET STATEMENT var = value [, ...] FOR statement: session variables set for one statement only.

The assignments run as a SET, then the statement, then each variable gets back the session value it had
(or the global one, when the session had not set it), whether the statement succeeded or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .._errors import syntax_error
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import Result
from .._variables import SessionVariables
from .prepared import PreparedStatements


@dataclass(frozen=True, slots=True, eq=False)
class SetStatementPlan(Plan):
    """SET STATEMENT `assignments` FOR `statement`; `names`: the variables it sets."""

    assignments: str
    names: tuple[str, ...]
    statement: str


_TOKEN: Final = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|[@\w.]+|\S""", re.S)
_START: Final = re.compile(r"(?is)^\s*set\s+statement\s+")


@plans_words("set")
def plan_set_statement(sql: str, ctx: PlanContext) -> Plan | None:
    start = _START.match(sql)
    if start is None:
        return None
    depth = 0
    names: list[str] = []
    expect_name = True
    for m in _TOKEN.finditer(sql, start.end()):
        token = m.group()
        depth += token == "("
        depth -= token == ")"
        if depth:
            continue
        if expect_name:
            names.append(token.strip("`").lower().removeprefix("@@session.").removeprefix("session."))
            expect_name = False
        elif token == ",":
            expect_name = True
        elif token.lower() == "for":
            statement = sql[m.end():].strip()
            if not statement or not names:
                raise syntax_error(sql[m.start():])
            return SetStatementPlan(sql[start.end():m.start()].strip(), tuple(names), statement)
    raise syntax_error(sql[start.end():])


@executes(SetStatementPlan)
def run_set_statement(plan: SetStatementPlan, prepared: PreparedStatements, variables: SessionVariables) -> Result:
    saved = {name: variables.values[name] for name in plan.names if name in variables.values}
    prepared.run("SET SESSION " + plan.assignments)
    try:
        return prepared.run(plan.statement)
    finally:
        for name in plan.names:
            if name in saved:
                variables.set(name, saved[name])
            else:
                prepared.run(f"SET SESSION {name} = DEFAULT")

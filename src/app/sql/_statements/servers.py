"""ALTER SERVER and DROP SERVER: the foreign servers of FEDERATED and CONNECT tables.

app has neither engine, and CREATE SERVER is refused (1235), so no server is ever defined: every server a
statement names does not exist, which MariaDB answers with 1477 (DROP SERVER IF EXISTS: OK).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .._errors import SQLError
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import OK, Result
from ._words import IDENT, unquote

ER_FOREIGN_SERVER_DOESNT_EXIST: Final = 1477
_STATEMENT: Final = re.compile(rf"(?is)^\s*(alter|drop)\s+server\s+(if\s+exists\s+)?({IDENT})\b")


@dataclass(frozen=True, slots=True, eq=False)
class ServerPlan(Plan):
    """ALTER SERVER name ... / DROP SERVER [IF EXISTS] name."""

    name: str
    if_exists: bool


@plans_words("alter", "drop")
def plan_server(sql: str, ctx: PlanContext) -> Plan | None:
    m = _STATEMENT.match(sql)
    if m is None:
        return None
    return ServerPlan(unquote(m.group(3)), bool(m.group(2)) and m.group(1).lower() == "drop")


@executes(ServerPlan)
def run_server(plan: ServerPlan) -> Result:
    if plan.if_exists:
        return OK
    raise SQLError(ER_FOREIGN_SERVER_DOESNT_EXIST, "The foreign server name you are trying to reference does not "
                                                   f"exist. Data source error:  {plan.name}")

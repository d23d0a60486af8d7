"""SHOW WARNINGS, SHOW ERRORS and SHOW COUNT(*) WARNINGS | ERRORS: the session's diagnostics area
(`_diagnostics`), which these statements read without clearing it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .._diagnostics import Diagnostics
from .._plan import Plan, PlanContext, executes, plans_words
from .._results import Result
from .._types import Column, MySQLType


@dataclass(frozen=True, slots=True, eq=False)
class ShowWarningsPlan(Plan):
    """SHOW WARNINGS | ERRORS [LIMIT [offset,] n]; `errors`: only the Error rows."""

    errors: bool
    offset: int = 0
    limit: int | None = None


@dataclass(frozen=True, slots=True, eq=False)
class ShowWarningCountPlan(Plan):
    """SHOW COUNT(*) WARNINGS | ERRORS."""

    errors: bool


DIAGNOSTIC_PLANS: Final = (ShowWarningsPlan, ShowWarningCountPlan)

_SHOW_WARNINGS: Final = re.compile(
    r"(?is)^\s*show\s+(warnings|errors)(?:\s+limit\s+(\d+)(?:\s*,\s*(\d+))?)?\s*;?\s*$")
_SHOW_COUNT: Final = re.compile(r"(?is)^\s*show\s+count\s*\(\s*\*\s*\)\s+(warnings|errors)\s*;?\s*$")


@plans_words("show")
def plan_show_warnings(sql: str, ctx: PlanContext) -> Plan | None:
    m = _SHOW_WARNINGS.match(sql)
    if m is not None:
        errors = m.group(1).lower() == "errors"
        if m.group(3) is not None:
            return ShowWarningsPlan(errors, int(m.group(2)), int(m.group(3)))
        return ShowWarningsPlan(errors, 0, None if m.group(2) is None else int(m.group(2)))
    m = _SHOW_COUNT.match(sql)
    if m is not None:
        return ShowWarningCountPlan(m.group(1).lower() == "errors")
    return None


@executes(ShowWarningsPlan)
def show_warnings(plan: ShowWarningsPlan, diagnostics: Diagnostics) -> Result:
    rows = [(c.level, c.code, c.message) for c in diagnostics.conditions if not plan.errors or c.level == "Error"]
    end = None if plan.limit is None else plan.offset + plan.limit
    columns = [Column("Level", MySQLType.VAR_STRING), Column("Code", MySQLType.LONG, unsigned=True),
               Column("Message", MySQLType.VAR_STRING)]
    return Result(columns, rows[plan.offset:end])


@executes(ShowWarningCountPlan)
def show_warning_count(plan: ShowWarningCountPlan, diagnostics: Diagnostics) -> Result:
    # BIGINT UNSIGNED, as MariaDB types the two system variables
    if plan.errors:
        return Result([Column("@@session.error_count", MySQLType.LONGLONG, unsigned=True)],
                      [(diagnostics.error_count,)])
    return Result([Column("@@session.warning_count", MySQLType.LONGLONG, unsigned=True)],
                  [(diagnostics.warning_count,)])

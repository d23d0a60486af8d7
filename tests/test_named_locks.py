"""GET_LOCK between sessions, beyond what the corpus's single session shows: another session waits for the
lock up to its timeout, gets it when the holder releases it or disconnects, and KILL ends a wait."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pymysql
import pytest

from app import testingshim
from app.testingshim import wait_for
from test_execution import Background, running


def _one(conn: Any, sql: str) -> Any:
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()[0][0]


def test_a_lock_is_one_sessions_until_released_or_disconnected(connect: Callable[[], Any]) -> None:
    if testingshim.selected_name() == "external":
        pytest.skip("KILL on the shared MariaDB")
    holder, other, admin = connect(), connect(), connect()
    name = f"lock_{holder.thread_id()}"
    assert _one(holder, f"SELECT GET_LOCK('{name}', 0)") == 1
    assert _one(holder, f"SELECT GET_LOCK('{name}', 0)") == 1  # again: taken twice
    assert _one(other, f"SELECT GET_LOCK('{name}', 0.05)") == 0  # waited, timed out
    assert _one(other, f"SELECT IS_USED_LOCK('{name}')") == holder.thread_id()
    assert _one(other, f"SELECT RELEASE_LOCK('{name}')") == 0  # not its lock
    waiter = Background(other, f"SELECT GET_LOCK('{name}', -1)")
    wait_for(lambda: running(admin, other.thread_id()), "GET_LOCK to wait")
    assert _one(holder, f"SELECT RELEASE_LOCK('{name}')") == 1  # still held once
    holder.close()  # the second one goes with the session
    assert waiter.join() == ((1,),)
    third = connect()
    waiting = Background(third, f"SELECT GET_LOCK('{name}', -1)")
    wait_for(lambda: running(admin, third.thread_id()), "GET_LOCK to wait")
    with admin.cursor() as cur:
        cur.execute(f"KILL QUERY {third.thread_id()}")
    outcome = waiting.join()
    assert isinstance(outcome, pymysql.err.OperationalError) and outcome.args[0] == 1317, outcome
    assert _one(other, "SELECT RELEASE_ALL_LOCKS()") == 1

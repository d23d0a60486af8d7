"""The `connect` fixture: client connections to the test's server, for tests that need several."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app import testingshim


@pytest.fixture
def connect(app_server: testingshim.TestServer) -> Iterator[Callable[..., Any]]:
    """`connect(**kwargs)` opens a pymysql connection to the test's server (autocommit unless asked
    otherwise); each is closed when the test ends, also when it fails."""
    opened: list[Any] = []

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("autocommit", True)
        conn = app_server.application_layer().sql_conn(**kwargs)
        opened.append(conn)
        return conn

    yield make
    for conn in opened:
        with contextlib.suppress(Exception):  # a connection the test's server already cut
            conn.close()

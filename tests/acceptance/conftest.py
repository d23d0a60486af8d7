"""Acceptance tests with real client tools, and what fails on app today, in one place.

APP_KNOWN_FAILURES lists each acceptance test that fails on app now, with the row of issue 13's
table it belongs to and the error app gives (a regular expression over `Type: message`). Those
tests are strict xfails on the app side only (see _harness.py): the MariaDB side must pass, app
failing differently fails the test, and app passing fails it with XPASS(strict), so an entry is
removed in the commit that fixes the server. Under the external factory the app side is MariaDB,
so nothing here applies.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _harness import AppKnownFailure, KnownFailure, Sides, Target

from _sqldiff import MARIADB_HOST, MARIADB_PASSWORD, MARIADB_PORT, MARIADB_USER
from app import testingshim
from app.testing._external import ENV_URL, MySQLURL
from app.testing.plugin import AppServerFactory
from app.testingshim import TestServerArgs

_ROW_DJANGO = "row 'Django 5.2 + mysqlclient: migrate, ORM'"
_ROW_ALEMBIC = "row 'Alembic: autogenerate, upgrade'"
_ROW_SA_MYSQLCLIENT = "row 'SQLAlchemy via mysqlclient'"
_ROW_SA_CONNECTOR = "row 'SQLAlchemy via mysql-connector'"
_ROW_REFLECTION = "row 'SQLAlchemy reflection'"
_ROW_DUMP = "row 'mariadb-dump, and restoring a dump'"
_ROW_SYSBENCH = "row 'sysbench (libmariadb, prepared statements)'"
_ROW_CONNECTOR_C = "row 'mysql-connector C extension, prepared'"
_ROW_CONNECTOR_PURE = "row 'mysql-connector pure, prepared DATE/DATETIME result'"
_ROW_BYTES = "row 'any driver sending non-UTF-8 bytes in a query (BLOB parameters)'"

_A = "tests/acceptance/"

APP_KNOWN_FAILURES: dict[str, KnownFailure] = {}


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect: the check below needs every collected test
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _check_entries_name_tests(config, items)
    if testingshim.selected_name() == "external":
        return  # the app side is MariaDB itself
    for item in items:
        known = APP_KNOWN_FAILURES.get(item.nodeid)
        if known is not None:
            item.stash[_KNOWN] = known
            item.add_marker(pytest.mark.xfail(strict=True, raises=AppKnownFailure, reason=known.reason()))


_KNOWN = pytest.StashKey[KnownFailure]()


def _check_entries_name_tests(config: pytest.Config, items: list[pytest.Item]) -> None:
    """An entry whose test was renamed would never apply: when every acceptance module was collected, each
    entry must name a collected test."""
    here = Path(__file__).parent
    modules = {f"{_A}{p.name}" for p in here.glob("test_*.py")}
    ids = {item.nodeid for item in items}
    collected_modules = {nodeid.split("::")[0] for nodeid in ids}
    if not modules <= collected_modules or any("::" in arg for arg in config.args):
        return  # a part of the directory was asked for: entries of tests not collected say nothing
    stale = sorted(set(APP_KNOWN_FAILURES) - ids)
    if stale:
        raise pytest.UsageError(f"APP_KNOWN_FAILURES in {__file__} names tests that do not exist (renamed or "
                                f"removed?): {stale}")


@pytest.fixture
def sides(request: pytest.FixtureRequest, app_server_factory: AppServerFactory) -> Iterator[Sides]:
    """The test's two targets: a private database on MariaDB, and one of the same name on a server of its own.

    Under the external factory there is no reference (the test's server is MariaDB itself).
    """
    mariadb: Target | None = None
    user, password = "root", ""
    if testingshim.selected_name() == "external":
        server = app_server_factory()
        url = MySQLURL.parse(os.environ[ENV_URL])
        user, password = url.user, url.password
    else:
        db, _ = request.getfixturevalue("mariadb")  # created here, dropped (with db_...) at teardown
        mariadb = Target("mariadb", MARIADB_HOST, MARIADB_PORT, MARIADB_USER, MARIADB_PASSWORD, db)
        server = app_server_factory(TestServerArgs(database=db))
        user, password = server.args.users[0]
    host, port = server.application_layer().sql_addr
    app = Target("app", host, port, user, password, server.application_layer().database)
    try:
        yield Sides(app, mariadb, request.node.stash.get(_KNOWN, None))
    finally:
        app.close()
        if mariadb is not None:
            mariadb.close()

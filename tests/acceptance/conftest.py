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

APP_KNOWN_FAILURES: dict[str, KnownFailure] = {
    _A + "test_django.py::test_migrate_orm_and_altering_migration": KnownFailure(
        _ROW_DJANGO, r"1235.*ALTER TABLE ADD CONSTRAINT `django_content_type_app_label_model_76bd3d3b_uniq` UNIQUE",
        "past the connection set-up (CONVERT_TZ), ALTER TABLE ADD CONSTRAINT UNIQUE/FOREIGN KEY, MODIFY, ALTER COLUMN "
        "DROP DEFAULT and information_schema.KEY_COLUMN_USAGE/TABLE_CONSTRAINTS/CHECK_CONSTRAINTS are 1235"),
    _A + "test_alembic.py::test_autogenerate_upgrade_and_downgrade": KnownFailure(
        _ROW_ALEMBIC, r"1235.*CONSTRAINT alembic_version_pkc PRIMARY KEY",
        "a named PRIMARY KEY constraint in CREATE TABLE is 1235 (1075 beside AUTO_INCREMENT); then named UNIQUE, "
        "ALTER TABLE ADD/DROP FOREIGN KEY are 1235 and SHOW CREATE TABLE has no FOREIGN KEY"),
    _A + "test_sqlalchemy.py::test_create_all_and_round_trips[mysqlclient]": KnownFailure(
        _ROW_BYTES, r"1105.*'utf-8' codec can't decode byte 0x80",
        "a BLOB parameter is written into the query as raw bytes; app decodes COM_QUERY as UTF-8"),
    _A + "test_sqlalchemy.py::test_create_all_and_round_trips[mysql-connector]": KnownFailure(
        _ROW_SA_CONNECTOR, r"1105.*'utf-8' codec can't decode byte 0x80",
        "LargeBinary: the BLOB's raw bytes in COM_QUERY, decoded by app as UTF-8"),
    _A + "test_sqlalchemy.py::test_rollback_after_failed_flush[mysqlclient]": KnownFailure(
        _ROW_SA_MYSQLCLIENT, r"'after_rollback': 1\b",
        "the greeting lacks CLIENT_TRANSACTIONS, so mysqlclient never sends SET autocommit=0 and rollback() undoes "
        "nothing"),
    **{_A + f"test_sqlalchemy.py::test_reflection[{driver}]": KnownFailure(
        _ROW_REFLECTION, r"foreign keys reflected on book: \[\]",
        "SHOW CREATE TABLE (which SQLAlchemy parses) shows no CONSTRAINT ... FOREIGN KEY and no KEY for it")
       for driver in ("pymysql", "mysqlclient", "mysql-connector")},
    _A + "test_drivers.py::test_prepared_statements_over_every_type[connector-c]": KnownFailure(
        _ROW_CONNECTOR_C, r"2013 \(HY000\): Lost connection",
        "COM_STMT_PREPARE of 'SELECT ?' is answered with statement id 0, 0 columns, and an EOF after the parameter "
        "definitions although CLIENT_DEPRECATE_EOF was agreed"),
    _A + "test_drivers.py::test_prepared_statements_over_every_type[connector-pure]": KnownFailure(
        _ROW_CONNECTOR_PURE, r"1235 \(42000\): Unsupported parameter type: 0",
        "COM_STMT_EXECUTE parameters of type DECIMAL (0), DATE (10), TIME (11), DATETIME (12) are refused, BLOB "
        "parameters are decoded as UTF-8; DATE/DATETIME/TIME results fail to encode ('str' object has no attribute "
        "'year')"),
    **{_A + f"test_drivers.py::test_non_utf8_bytes_in_a_query[{driver}]": KnownFailure(
        _ROW_BYTES, r"1105.*'utf-8' codec can't decode byte 0x80",
        "the driver writes BLOB parameters into COM_QUERY as raw bytes; app decodes the whole query as UTF-8")
       for driver in ("mysqlclient", "connector-c", "connector-pure")},
    _A + "test_drivers.py::test_transactions_with_autocommit_off[mysqlclient]": KnownFailure(
        _ROW_SA_MYSQLCLIENT, r"'@@autocommit': \[\[1\]\]",
        "the greeting lacks CLIENT_TRANSACTIONS, so mysqlclient ignores autocommit=False"),
    _A + "test_dump.py::test_mariadb_dump_restores_into_app_and_mariadb": KnownFailure(
        _ROW_BYTES, r"ERROR 1105 \(HY000\) at line \d+: 'utf-8' codec can't decode byte",
        "the dump writes BLOBs as escaped raw bytes into INSERT statements; app decodes COM_QUERY as UTF-8"),
    _A + "test_dump.py::test_dump_of_each_server_restores_into_it": KnownFailure(
        _ROW_DUMP, r"Unknown column 'generation_expression' in 'field list' \(1054\)",
        "mariadb-dump reads information_schema.COLUMNS.GENERATION_EXPRESSION and .FILES/.PARTITIONS/.TRIGGERS"),
    _A + "test_dump.py::test_dump_text_is_mariadbs": KnownFailure(
        _ROW_DUMP, r"Unknown column 'generation_expression' in 'field list' \(1054\)",
        "mariadb-dump reads information_schema.COLUMNS.GENERATION_EXPRESSION and .FILES/.PARTITIONS/.TRIGGERS"),
    _A + "test_sysbench.py::test_oltp_read_write[auto]": KnownFailure(
        _ROW_SYSBENCH, r"1235 \(Server requires the new-params-bound-flag to be set\)",
        "libmariadb executes a prepared statement again without resending the parameter types "
        "(new-params-bound flag 0); app refuses instead of reusing the types of the previous execute"),
}


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

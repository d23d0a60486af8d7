"""Registers app.server's test server factories with app.testingshim when pytest loads it.

This is the analogue of Go's TestMain calling InitTestServerFactory: packages
that cannot import app.server (app.sql, whose white-box tests need servers)
get servers through app.testingshim.new_test_server().
"""

from __future__ import annotations

from app import testingshim
from app.server.testing import InProcessClusterFactory, InProcessFactory, SubprocessClusterFactory, SubprocessFactory
from app.testing import ExternalFactory

testingshim.init_test_server_factory(InProcessFactory(), name="inprocess")
testingshim.init_test_server_factory(SubprocessFactory(), name="subprocess")
testingshim.init_test_cluster_factory(InProcessClusterFactory(), name="inprocess")
testingshim.init_test_cluster_factory(SubprocessClusterFactory(), name="subprocess")
# Private databases on the MySQL/MariaDB at APP_TEST_MYSQL_URL (never chosen by `random`).
testingshim.init_test_server_factory(ExternalFactory(), name="external")

# pytester runs the plugin's own tests in a fresh pytest from outside.
pytest_plugins = ["pytester"]

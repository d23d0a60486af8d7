"""Registers app.server's test server factories with app.testingshim when pytest loads it.

This is the analogue of Go's TestMain calling InitTestServerFactory: packages
that cannot import app.server (app.sql, whose white-box tests need servers)
get servers through app.testingshim.new_test_server().
"""

from __future__ import annotations

from app import testingshim
from app.server.testing import InProcessFactory, SubprocessFactory

testingshim.init_test_server_factory(InProcessFactory(), name="inprocess")
testingshim.init_test_server_factory(SubprocessFactory(), name="subprocess")

# pytester runs the plugin's own tests in a fresh pytest from outside.
pytest_plugins = ["pytester"]

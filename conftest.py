"""Registers app.server's test server and cluster factories with app.testingshim when pytest loads it.

This is the analogue of Go's TestMain calling InitTestServerFactory: packages
that cannot import app.server (app.sql, whose white-box tests need servers)
get servers through app.testingshim.new_test_server(). The `external`
factory comes with the pytest plugin.
"""

from __future__ import annotations

from app.server.testing import register_factories

register_factories()

# pytester runs the plugin's own tests in a fresh pytest from outside.
pytest_plugins = ["pytester"]

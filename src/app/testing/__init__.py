"""pytest integration of the test framework: fixtures, markers, seed header, log scope, leak check.

Loaded through the `pytest11` entry point `app`. It depends on pytest and
psutil, which is why it lives apart from the dependency-free `app.testingshim`.
It also holds the `external` test server factory (private databases on a real
MySQL or MariaDB), which needs pymysql but nothing of `app.server`; the root
conftest.py registers it.
"""

from __future__ import annotations

from ._external import ExternalFactory as ExternalFactory
from ._external import ExternalTestServer as ExternalTestServer

__all__ = ["ExternalFactory", "ExternalTestServer"]

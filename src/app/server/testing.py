"""Test server factories for `app.testingshim`: register them from conftest.py.

Example (the repository's root conftest.py)::

    from app import testingshim
    from app.server.testing import InProcessFactory, SubprocessFactory

    testingshim.init_test_server_factory(InProcessFactory(), name="inprocess")
    testingshim.init_test_server_factory(SubprocessFactory(), name="subprocess")
"""

from __future__ import annotations

from ._testservers import InProcessFactory as InProcessFactory
from ._testservers import InProcessTestServer as InProcessTestServer
from ._testservers import SubprocessFactory as SubprocessFactory
from ._testservers import SubprocessTestServer as SubprocessTestServer
from ._testservers import stop_process_tree as stop_process_tree

__all__ = ["InProcessFactory", "InProcessTestServer", "SubprocessFactory", "SubprocessTestServer", "stop_process_tree"]

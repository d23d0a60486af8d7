"""Test server factories for `app.testingshim`: register them from conftest.py.

Example (the repository's root conftest.py)::

    from app import testingshim
    from app.server.testing import InProcessFactory, SubprocessFactory

    testingshim.init_test_server_factory(InProcessFactory(), name="inprocess")
    testingshim.init_test_server_factory(SubprocessFactory(), name="subprocess")
    testingshim.init_test_cluster_factory(InProcessClusterFactory(), name="inprocess")
    testingshim.init_test_cluster_factory(SubprocessClusterFactory(), name="subprocess")
"""

from __future__ import annotations

from ._testclusters import InProcessClusterFactory as InProcessClusterFactory
from ._testclusters import SubprocessClusterFactory as SubprocessClusterFactory
from ._testclusters import TestCluster as TestCluster
from ._testservers import InProcessFactory as InProcessFactory
from ._testservers import InProcessTestServer as InProcessTestServer
from ._testservers import SubprocessFactory as SubprocessFactory
from ._testservers import SubprocessTestServer as SubprocessTestServer
from ._testservers import stop_process_tree as stop_process_tree

__all__ = [
    "InProcessClusterFactory",
    "InProcessFactory",
    "InProcessTestServer",
    "SubprocessClusterFactory",
    "SubprocessFactory",
    "SubprocessTestServer",
    "TestCluster",
    "stop_process_tree",
]

"""Test server and cluster factories for `app.testingshim`: register them with one call.

A project's conftest.py (the repository's root conftest.py does the same)::

    from app.server.testing import register_factories

    register_factories()   # "inprocess" and "subprocess" servers and clusters

Then `testingshim.new_test_server()`, `testingshim.start_cluster(3)` and the
pytest plugin's fixtures (`app_server`, `app_cluster`, ...) work, with
APP_TEST_SERVER_FACTORY choosing the factory.
"""

from __future__ import annotations

from app import testingshim

from ._subprocess import SubprocessFactory as SubprocessFactory
from ._subprocess import SubprocessTestServer as SubprocessTestServer
from ._testclusters import InProcessClusterFactory as InProcessClusterFactory
from ._testclusters import SubprocessClusterFactory as SubprocessClusterFactory
from ._testclusters import TestCluster as TestCluster
from ._testservers import InProcessFactory as InProcessFactory
from ._testservers import InProcessTestServer as InProcessTestServer


def register_factories() -> None:
    """Register app's server and cluster factories, `inprocess` and `subprocess`, with app.testingshim.

    Idempotent: calling it again registers the same factories again. The `external` factory
    (app.testing.ExternalFactory) is registered by the pytest plugin.
    """
    testingshim.init_test_server_factory(InProcessFactory(), name="inprocess")
    testingshim.init_test_server_factory(SubprocessFactory(), name="subprocess")
    testingshim.init_test_cluster_factory(InProcessClusterFactory(), name="inprocess")
    testingshim.init_test_cluster_factory(SubprocessClusterFactory(), name="subprocess")


__all__ = [
    "InProcessClusterFactory",
    "InProcessFactory",
    "InProcessTestServer",
    "SubprocessClusterFactory",
    "SubprocessFactory",
    "SubprocessTestServer",
    "TestCluster",
    "register_factories",
]

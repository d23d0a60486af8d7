"""What a test server is, for packages that cannot import the server.

`app.sql`'s white-box tests need running servers, but `app.server` imports
`app.sql`. This package (standard library only, importing no other `app`
package) declares test servers as Protocols and keeps a registry of factories;
`app.server` implements them, and the repository's root conftest.py registers
them when pytest loads it. Tests call `new_test_server()`.
"""

from __future__ import annotations

from ._args import TestClusterArgs as TestClusterArgs
from ._args import TestServerArgs as TestServerArgs
from ._conformance import check_test_server_factory as check_test_server_factory
from ._databases import TestDatabase as TestDatabase
from ._databases import new_test_database as new_test_database
from ._databases import unique_database_name as unique_database_name
from ._errors import ExternalServerUnavailable as ExternalServerUnavailable
from ._errors import FactoryNotRegistered as FactoryNotRegistered
from ._errors import RequirementNotMet as RequirementNotMet
from ._errors import ServerStartError as ServerStartError
from ._errors import ServerTimeout as ServerTimeout
from ._errors import TestingShimError as TestingShimError
from ._errors import UnsupportedByFactory as UnsupportedByFactory
from ._errors import WaitTimeout as WaitTimeout
from ._knobs import TestingKnobs as TestingKnobs
from ._once import once as once
from ._protocols import ApplicationLayer as ApplicationLayer
from ._protocols import StorageLayer as StorageLayer
from ._protocols import SystemLayer as SystemLayer
from ._protocols import TestCluster as TestCluster
from ._protocols import TestClusterFactory as TestClusterFactory
from ._protocols import TestServer as TestServer
from ._protocols import TestServerFactory as TestServerFactory
from ._registry import init_test_cluster_factory as init_test_cluster_factory
from ._registry import init_test_server_factory as init_test_server_factory
from ._registry import new_test_server as new_test_server
from ._registry import registered_cluster_factories as registered_cluster_factories
from ._registry import registered_server_factories as registered_server_factories
from ._registry import seed as seed
from ._registry import select_factory as select_factory
from ._registry import selected_name as selected_name
from ._registry import start_cluster as start_cluster
from ._timeouts import scaled as scaled
from ._timeouts import wait_for as wait_for

__all__ = [
    "ApplicationLayer",
    "ExternalServerUnavailable",
    "FactoryNotRegistered",
    "RequirementNotMet",
    "ServerStartError",
    "ServerTimeout",
    "StorageLayer",
    "SystemLayer",
    "TestCluster",
    "TestClusterArgs",
    "TestClusterFactory",
    "TestDatabase",
    "TestServer",
    "TestServerArgs",
    "TestServerFactory",
    "TestingKnobs",
    "TestingShimError",
    "UnsupportedByFactory",
    "WaitTimeout",
    "check_test_server_factory",
    "init_test_cluster_factory",
    "init_test_server_factory",
    "new_test_database",
    "new_test_server",
    "once",
    "registered_cluster_factories",
    "registered_server_factories",
    "scaled",
    "seed",
    "select_factory",
    "selected_name",
    "start_cluster",
    "unique_database_name",
    "wait_for",
]

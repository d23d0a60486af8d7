"""The node: configuration, composition (injector), MySQL protocol, process lifecycle and CLI.

The test factories that implement `app.testingshim`'s protocols live here too,
and the root conftest.py registers them.
"""

from __future__ import annotations

from ._config import ConfigError as ConfigError
from ._config import ServerConfig as ServerConfig
from ._config import load_config as load_config
from ._config import parse_config as parse_config
from ._node import Node as Node
from ._node import build_node as build_node

__all__ = ["ConfigError", "Node", "ServerConfig", "build_node", "load_config", "parse_config"]

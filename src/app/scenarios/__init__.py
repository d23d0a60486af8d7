"""YAML scenarios: declarative multi-process tests of `app sql-server`.

A scenario file lists tests; each starts server processes, runs connections
against them in order (queries with expected results or errors, restarts,
kills, stops), and checks their output. pytest collects every test as an item
(`app.scenarios.plugin`); `app scenarios FILE...` runs them without pytest.
This package drives the server as a process only: it imports neither
`app.server` nor `app.sql`.

    from app.scenarios import load_file, run_test
    for test in load_file("tests/scenarios/basics.yaml").tests:
        run_test(test)          # raises ScenarioFailed with the step, SQL, expected/actual, server output
"""

from __future__ import annotations

from app._ports import free_port as free_port

from ._errors import ScenarioError as ScenarioError
from ._errors import ScenarioFailed as ScenarioFailed
from ._errors import ScenarioSchemaError as ScenarioSchemaError
from ._errors import ServerOutput as ServerOutput
from ._errors import ServerStartFailed as ServerStartFailed
from ._errors import Where as Where
from ._runner import RunOptions as RunOptions
from ._runner import RunResult as RunResult
from ._runner import ServerInfo as ServerInfo
from ._runner import run_test as run_test
from ._schema import ConnectionSpec as ConnectionSpec
from ._schema import FileSpec as FileSpec
from ._schema import QuerySpec as QuerySpec
from ._schema import ResultSpec as ResultSpec
from ._schema import ScenarioFile as ScenarioFile
from ._schema import ScenarioTest as ScenarioTest
from ._schema import ServerAction as ServerAction
from ._schema import ServerSpec as ServerSpec
from ._schema import load_file as load_file
from ._schema import parse as parse

__all__ = [
    "ConnectionSpec",
    "FileSpec",
    "QuerySpec",
    "ResultSpec",
    "RunOptions",
    "RunResult",
    "ScenarioError",
    "ScenarioFailed",
    "ScenarioFile",
    "ScenarioSchemaError",
    "ScenarioTest",
    "ServerAction",
    "ServerInfo",
    "ServerOutput",
    "ServerSpec",
    "ServerStartFailed",
    "Where",
    "free_port",
    "load_file",
    "parse",
    "run_test",
]

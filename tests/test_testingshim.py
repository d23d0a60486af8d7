"""The shim: public names, stdlib-only imports, selection, errors, conformance of every factory."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app import testingshim
from app.testingshim import _registry


def test_public_names_are_pinned() -> None:
    assert set(testingshim.__all__) == {
        "ApplicationLayer", "ExternalServerUnavailable", "FactoryNotRegistered", "RequirementNotMet",
        "ServerStartError", "ServerTimeout", "StorageLayer", "SystemLayer", "TestCluster", "TestClusterArgs",
        "TestClusterFactory", "TestDatabase", "TestServer", "TestServerArgs", "TestServerFactory", "TestingKnobs",
        "TestingShimError",
        "UnsupportedByFactory", "WaitTimeout", "check_test_server_factory", "init_test_cluster_factory",
        "init_test_server_factory", "new_test_database", "new_test_server", "once", "registered_cluster_factories",
        "registered_server_factories", "scaled", "seed", "select_factory", "selected_name", "start_cluster",
        "unique_database_name", "wait_for",
    }


def test_shim_imports_only_the_standard_library() -> None:
    code = (
        "import sys; before = set(sys.modules); import app.testingshim; "
        "extra = sorted(m for m in set(sys.modules) - before if not m.startswith(('app', '_')) "
        "and m.split('.')[0] not in sys.stdlib_module_names); print(extra)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc
    assert proc.stdout.strip() == "[]", proc


def test_unknown_factory_names_the_registered_ones_and_the_call_to_make() -> None:
    with pytest.raises(testingshim.FactoryNotRegistered) as info:
        _registry.get_server_factory("nosuch")
    text = str(info.value)
    assert "'nosuch'" in text and "inprocess" in text and "subprocess" in text
    assert "init_test_server_factory(" in text and "conftest.py" in text


def test_random_choice_depends_only_on_seed_and_test_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_TEST_SERVER_FACTORY", "random")
    monkeypatch.setattr(_registry, "_override", None)
    monkeypatch.setattr(_registry, "_seed", 12345)
    picks = {}
    for test_id in (f"tests/test_x.py::test_{i}" for i in range(40)):
        _registry.set_current_test(test_id)
        first = _registry.selected_name()
        _registry.set_current_test("other")
        _registry.selected_name()
        _registry.set_current_test(test_id)
        assert _registry.selected_name() == first
        picks[test_id] = first
    assert set(picks.values()) == {"inprocess", "subprocess"}


def test_requirements_skip_with_the_reason() -> None:
    err = testingshim.RequirementNotMet("subprocess", ["storage_layer"])
    import unittest

    assert isinstance(err, unittest.SkipTest)
    assert "storage_layer" in str(err) and "subprocess" in str(err)


@pytest.mark.parametrize("name", testingshim.registered_server_factories())
def test_factory_conformance(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, factory = _registry.get_server_factory(name)
    if name == "external" and not os.environ.get("APP_TEST_MYSQL_URL"):
        # No MySQL named: check the factory against a server of ours (the external run checks it on MariaDB).
        with testingshim.new_test_server() as target:
            host, port = target.application_layer().sql_addr
            monkeypatch.setenv("APP_TEST_MYSQL_URL", f"mysql://root@{host}:{port}")
            testingshim.check_test_server_factory(factory, name)
        return
    testingshim.check_test_server_factory(factory, name)


def test_plugin_attaches_server_log_to_a_failing_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("from app import testingshim\nfrom app.server.testing import InProcessFactory\n"
                          "testingshim.init_test_server_factory(InProcessFactory(), name='inprocess')\n")
    pytester.makepyfile("def test_fails(app_server):\n    assert False\n\n"
                        "def test_passes(app_server):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--app-server-factory", "inprocess")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*app server 0 (inprocess) log*", "*ready for connections*"])
    result.stdout.fnmatch_lines(["*APP_TEST_SEED=*"])


def test_plugin_fails_a_test_that_leaks_a_thread(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("from app import testingshim\nfrom app.server.testing import InProcessFactory\n"
                          "testingshim.init_test_server_factory(InProcessFactory(), name='inprocess')\n")
    pytester.makepyfile(
        "import threading\n"
        "stop = threading.Event()\n"
        "def test_leaks(app_server):\n"
        "    threading.Thread(target=stop.wait, name='leaky', daemon=True).start()\n"
        "def test_after():\n"
        "    stop.set()\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--app-server-factory", "inprocess")
    result.stdout.fnmatch_lines(["*thread 'leaky'*still running*"])
    result.assert_outcomes(passed=2, errors=1)


def test_missing_capability_is_a_skip_under_subprocess(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("from app import testingshim\nfrom app.server.testing import SubprocessFactory\n"
                          "testingshim.init_test_server_factory(SubprocessFactory(), name='subprocess')\n")
    pytester.makepyfile(
        "from app import testingshim\n"
        "from app.testingshim import TestServerArgs\n"
        "def test_needs_storage():\n"
        "    testingshim.new_test_server(TestServerArgs(requires=frozenset({'storage_layer'})))\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs", "--app-server-factory", "subprocess")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*needs storage_layer*subprocess*"])

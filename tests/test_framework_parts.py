"""The framework's shared parts: the line-numbered YAML reader, the layers of a test server, kill(),
one-call registration, and the lifecycle every child process goes through."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from app import _lineyaml, testingshim
from app._lifecycle import ChildProcess, ExitedBeforeReady, wait_ready
from app.scenarios import ScenarioSchemaError, parse
from app.server._config import ConfigError, parse_config


def test_both_yaml_readers_refuse_a_duplicate_key_naming_both_lines() -> None:
    with pytest.raises(ConfigError) as config_error:
        parse_config("log_level: info\nlistener: {port: 0}\nlog_level: debug\n", "server.yaml")
    assert str(config_error.value).startswith("server.yaml:3: ") and "first on line 1" in str(config_error.value)
    with pytest.raises(ScenarioSchemaError) as scenario_error:
        parse("tests: []\ntests: []\n", "s.yaml")
    assert str(scenario_error.value).startswith("s.yaml:2: ") and "duplicate key 'tests'" in str(scenario_error.value)


def test_the_reader_keeps_lines_and_the_text_as_written() -> None:
    root = _lineyaml.compose("a: 1.50\non: yes\nlist:\n- x\n- {k: v}\n")
    assert root is not None
    assert root.value["a"].raw == "1.50" and root.value["a"].value == 1.5
    assert "on" in root.value and root.key_line("on") == 2  # the key as written, not YAML 1.1's True
    items = root.value["list"].value
    assert [item.line for item in items] == [4, 5]
    assert _lineyaml.compose("") is None
    with pytest.raises(_lineyaml.LineYAMLError) as info:
        _lineyaml.compose("a: [1,\n")
    assert info.value.line is not None


def test_layers_are_distinct_objects_with_their_own_surface(app_server: testingshim.TestServer) -> None:
    app = app_server.application_layer()
    assert app is not app_server and not hasattr(app, "stop") and not hasattr(app, "set_setting")
    if app_server.factory_name == "external":
        # The external server's settings are not one test's: no system layer, only the SQL surface.
        with pytest.raises(testingshim.UnsupportedByFactory):
            app_server.system_layer()
        with app.sql_conn().cursor() as cur:
            cur.execute("SELECT DATABASE()")
            assert cur.fetchone() == (app.database,)
        return
    system = app_server.system_layer()
    assert app is not app_server and system is not app_server and app is not system
    assert not hasattr(app, "set_setting") and not hasattr(system, "sql_conn")
    assert system.role()[0] == "primary"
    system.set_setting("app_cluster_ack_writes_timeout_secs", 2)
    assert float(system.setting("app_cluster_ack_writes_timeout_secs")) == 2
    conn = app.sql_conn()
    with conn.cursor() as cur:
        cur.execute("SELECT DATABASE()")
        assert cur.fetchone() == (app.database,)


@pytest.mark.app_server_args(requires=frozenset({"storage_layer"}))
def test_the_storage_layer_sees_what_sql_wrote(app_server: testingshim.TestServer) -> None:
    conn = app_server.application_layer().sql_conn(autocommit=True)
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
        cur.execute("INSERT INTO t VALUES (7)")
    storage = app_server.storage_layer()
    assert storage is not app_server and not hasattr(storage, "sql_conn")
    assert "defaultdb" in storage.databases()
    assert storage.sqlite_handle("defaultdb").execute("SELECT id FROM t").fetchall() == [(7,)]


def test_kill_is_on_the_protocol_and_data_on_disk_survives_it(tmp_path: Path) -> None:
    assert "kill" in dir(testingshim.TestServer)
    args = testingshim.TestServerArgs(data_dir=str(tmp_path / "data"), requires=frozenset({"restart"}))
    with testingshim.new_test_server(args) as srv:
        conn = srv.application_layer().sql_conn(autocommit=True)
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
            cur.execute("INSERT INTO t VALUES (1)")
        srv.kill()
        with pytest.raises(RuntimeError):
            srv.application_layer().sql_addr  # noqa: B018 (a killed server has no address)
        srv.start()
        conn = srv.application_layer().sql_conn()
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM t")
            assert cur.fetchall() == ((1,),)


def test_one_call_registers_every_factory_of_app(pytester: pytest.Pytester) -> None:
    # An outside project: no conftest of ours, only the documented call.
    pytester.makeconftest("from app.server.testing import register_factories\nregister_factories()\n")
    pytester.makepyfile(textwrap.dedent("""
        from app import testingshim

        def test_registered():
            assert testingshim.registered_server_factories() == ["external", "inprocess", "subprocess"]
            assert testingshim.registered_cluster_factories() == ["inprocess", "subprocess"]

        def test_a_server(app_server):
            conn = app_server.application_layer().sql_conn()
            with conn.cursor() as cur:
                cur.execute("SELECT DATABASE()")
                assert cur.fetchone() == ("defaultdb",)
    """))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--app-server-factory", "inprocess")
    result.assert_outcomes(passed=2)


def test_a_child_that_dies_before_it_is_ready_fails_at_once(tmp_path: Path) -> None:
    child = ChildProcess([sys.executable, "-c", "import sys; print('bad config'); sys.exit(3)"],
                         output=tmp_path / "out.log")
    child.start()
    began = time.monotonic()
    with pytest.raises(ExitedBeforeReady) as info:
        wait_ready(child, time.monotonic() + 60, address=lambda: None)
    assert time.monotonic() - began < 30, "a dead process must fail the wait at once, not at the deadline"
    assert "code 3" in str(info.value)
    assert child.kill() == 3
    assert (tmp_path / "out.log").read_text() == "bad config\n"


@pytest.mark.parametrize("fork", ["1", "0"], ids=["forked", "plain"])
def test_a_server_that_dies_before_it_listens_ends_the_wait_at_once(tmp_path: Path, fork: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The ready pipe's end-of-file is the news: no polling, no waiting for the deadline."""
    from app import _forkserver
    from app.server._subprocess import child_env

    monkeypatch.setenv(_forkserver.ENV_SWITCH, fork)
    argv = ["sql-server", "--config", str(tmp_path / "missing.yaml"), "--port", "0"]
    child = _forkserver.spawn_server(argv, command=[sys.executable, "-m", "app", *argv], cwd=str(tmp_path),
                                     env=child_env(), output=tmp_path / "out.log")
    assert isinstance(child, _forkserver.ForkedProcess) == (fork == "1")
    assert child.ready_fd is not None
    began = time.monotonic()
    with pytest.raises(ExitedBeforeReady) as info:
        wait_ready(child, time.monotonic() + 60, address=lambda: None)
    assert time.monotonic() - began < 30, "a dead server must fail the wait at once, not at the deadline"
    assert "code 1" in str(info.value) and child.ready_fd is None
    assert child.kill() == 1
    assert "cannot read the config file" in (tmp_path / "out.log").read_text()


def test_stop_kills_the_whole_tree_when_sigterm_is_ignored(tmp_path: Path) -> None:
    # A child that ignores SIGTERM and has a grandchild of its own: stop() ends both, by its deadline.
    program = textwrap.dedent("""
        import signal, subprocess, sys, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        print(grandchild.pid, flush=True)
        time.sleep(600)
    """)
    child = ChildProcess([sys.executable, "-c", program], pipes=True)
    child.start()
    assert child.popen is not None and child.popen.stdout is not None
    grandchild = int(child.popen.stdout.readline())
    child.track()
    assert grandchild in child.seen
    assert child.stop(0.5) is None  # it had to be killed
    assert not child.leftovers()
    assert not psutil.pid_exists(grandchild) or psutil.Process(grandchild).status() == psutil.STATUS_ZOMBIE
    child.popen.stdout.close()
    assert child.popen.stderr is not None
    child.popen.stderr.close()


@pytest.mark.parametrize("how", ["stop", "kill"])
def test_stopping_a_server_scans_the_processes_once_and_leaves_nothing(monkeypatch: pytest.MonkeyPatch,
                                                                        how: str) -> None:
    """Finding a child's strays by their tag reads every process's environment: a stop does it once, after
    the exit (it did twice, a third of a stop's time); the tree before the signal costs no scan."""
    from app import _lifecycle
    from app.server.testing import SubprocessFactory

    server = SubprocessFactory().new_server(testingshim.TestServerArgs(), name="subprocess")
    server.start()
    child = server.child
    assert child is not None
    scans: list[str] = []
    real = _lifecycle.tagged

    def counted(tag: str) -> list[psutil.Process]:
        scans.append(tag)
        return real(tag)

    monkeypatch.setattr(_lifecycle, "tagged", counted)
    getattr(server, how)()
    assert scans == [child.tag]
    monkeypatch.undo()
    assert not child.leftovers() and child.poll() is not None


def test_the_tree_is_read_without_a_scan(tmp_path: Path) -> None:
    program = textwrap.dedent("""
        import subprocess, sys, time
        grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        print(grandchild.pid, flush=True)
        time.sleep(600)
    """)
    child = ChildProcess([sys.executable, "-c", program], pipes=True)
    child.start()
    try:
        assert child.popen is not None and child.popen.stdout is not None
        grandchild = int(child.popen.stdout.readline())
        from app._lifecycle import descendants

        assert descendants(child.pid) == [grandchild]
        assert descendants(child.pid, include_self=True) == [child.pid, grandchild]
        assert descendants(grandchild) == []
    finally:
        child.kill()
        for pipe in (child.popen.stdout, child.popen.stderr):  # type: ignore[union-attr]
            if pipe is not None:
                pipe.close()
    assert not child.leftovers()


def test_the_scenario_runner_and_the_subprocess_factory_share_the_lifecycle() -> None:
    from app.scenarios import _process
    from app.server import _subprocess

    for module in (_process, _subprocess):
        assert module.ChildProcess is ChildProcess and module.wait_ready is wait_ready
    # tests/_proc.py too, so every process of the suite dies and is checked the same way.
    proc_source = (Path(__file__).parent / "_proc.py").read_text()
    assert "ChildProcess(" in proc_source and "wait_ready(" in proc_source


def test_subprocess_waits_are_bounded() -> None:
    # The helper the tests use: a child that never becomes ready is reported at the deadline.
    child = ChildProcess([sys.executable, "-c", "import time; time.sleep(60)"], stdin=subprocess.DEVNULL)
    child.start()
    try:
        began = time.monotonic()
        with pytest.raises(TimeoutError):
            wait_ready(child, time.monotonic() + 0.3, address=lambda: ("127.0.0.1", 1))
        assert time.monotonic() - began < 10
    finally:
        child.kill()


def test_subprocess_servers_fork_from_a_template_and_share_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import _forkserver
    from app.server.testing import SubprocessFactory

    monkeypatch.delenv(_forkserver.ENV_SWITCH, raising=False)  # the default: forks of the template
    factory = SubprocessFactory()
    a = factory.new_server(testingshim.TestServerArgs(), name="subprocess")
    b = factory.new_server(testingshim.TestServerArgs(), name="subprocess")
    a.start()
    b.start()
    with a, b:
        assert isinstance(a.child, _forkserver.ForkedProcess) and isinstance(b.child, _forkserver.ForkedProcess)
        template = _forkserver.template_pid()
        procs = [psutil.Process(s.child.pid) for s in (a, b)]  # type: ignore[union-attr]
        assert {p.ppid() for p in procs} == {template} and len({p.pid for p in procs}) == 2
        assert procs[0].cwd() != procs[1].cwd()  # each in its own directory, its own session
        assert all(p.pid == os.getsid(p.pid) for p in procs)
        conn = a.application_layer().sql_conn(autocommit=True)
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE only_in_a (id INT)")
        conn = b.application_layer().sql_conn()
        with conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            assert cur.fetchall() == ()  # a fork starts from the template, not from a sibling
        assert "ready for connections" in b.log_text() and str(a.sql_addr[1]) not in b.log_text()
    assert not procs[0].is_running() or procs[0].status() == psutil.STATUS_ZOMBIE


def _signal_dispositions(pid: int) -> dict[str, int]:
    """The ignored and caught signal masks of a process, as the kernel reports them."""
    fields = dict(line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                  if line.startswith(("SigIgn:", "SigCgt:")))
    return {name: int(value, 16) for name, value in fields.items()}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/PID/status")
def test_a_fork_handles_signals_as_a_plain_start_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork once ran with SIGPIPE at SIG_DFL (Python ignores it): a standby that acknowledged on a
    stream its primary had just closed died silently (the frozen-primary and partition fault tests)."""
    from app import _forkserver
    from app.server.testing import SubprocessFactory

    monkeypatch.setenv(_forkserver.ENV_SWITCH, "1")
    forked = SubprocessFactory().new_server(testingshim.TestServerArgs(), name="subprocess")
    forked.start()
    monkeypatch.setenv(_forkserver.ENV_SWITCH, "0")
    plain = SubprocessFactory().new_server(testingshim.TestServerArgs(), name="subprocess")
    plain.start()
    with forked, plain:
        assert isinstance(forked.child, _forkserver.ForkedProcess)
        assert not isinstance(plain.child, _forkserver.ForkedProcess)
        want, got = _signal_dispositions(plain.child.pid), _signal_dispositions(forked.child.pid)
        assert got["SigIgn"] & (1 << (signal.SIGPIPE - 1)), got
        assert got == want, f"fork {got} != plain start {want}"
        # Nor does it hold a descriptor a plain start lacks (the template's socket, a ready pipe left open).
        # (Waited for: the server may not have closed the start's own connection yet.)
        pids = plain.child.pid, forked.child.pid
        testingshim.wait_for(lambda: _descriptor_kinds(pids[0]) == _descriptor_kinds(pids[1]), timeout=10,
                             what="a fork to hold the descriptors a plain start holds",
                             detail=lambda: f"fork {_descriptor_kinds(pids[1])}, plain {_descriptor_kinds(pids[0])}")
        assert forked.child.ready_fd is None and plain.child.ready_fd is None  # read and closed


def _descriptor_kinds(pid: int) -> dict[str, int]:
    """How many open descriptors of each kind (pipe, socket, anon_inode:..., file) a process has."""
    kinds: dict[str, int] = {}
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(FileNotFoundError):
            target = os.readlink(fd)
            kind = target.split(":", 1)[0] if not target.startswith("/") else "file"
            kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def test_a_dead_template_is_replaced_and_its_number_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watchdog kills what it was told of when this process dies: a dead template's pid, which the
    system will hand to another process in time, must not stay on its list."""
    from app import _forkserver, _watchdog
    from app.server.testing import SubprocessFactory

    monkeypatch.delenv(_forkserver.ENV_SWITCH, raising=False)
    with SubprocessFactory().new_server(testingshim.TestServerArgs(), name="subprocess") as first:
        first.start()
        old = _forkserver.template_pid()
    assert old is not None and old in _watchdog.own_resources()[0]
    os.kill(old, signal.SIGKILL)
    testingshim.wait_for(lambda: _forkserver.template_pid() is None, timeout=10, what="the killed template to exit")
    with SubprocessFactory().new_server(testingshim.TestServerArgs(), name="subprocess") as second:
        second.start()
        assert isinstance(second.child, _forkserver.ForkedProcess)
        new = _forkserver.template_pid()
        with second.application_layer().sql_conn().cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchone() == (1,)
    assert new is not None and new != old
    assert old not in _watchdog.own_resources()[0] and new in _watchdog.own_resources()[0]


def test_the_plain_start_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import _forkserver
    from app._lifecycle import ChildProcess as Plain
    from app.server.testing import SubprocessFactory

    monkeypatch.setenv(_forkserver.ENV_SWITCH, "0")  # the template is the default
    srv = SubprocessFactory().new_server(testingshim.TestServerArgs(), name="subprocess")
    srv.start()
    with srv:
        assert isinstance(srv.child, Plain)
        assert srv.child.command[:4] == [sys.executable, "-m", "app", "sql-server"]

"""The YAML scenario runner from outside: schema errors, failure reports, the pytest plugin (pytester),
the command line, process cleanup (pass, fail, Ctrl-C), and debugger attach."""

from __future__ import annotations

import contextlib
import json
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from app import _watchdog, scenarios
from app.scenarios import RunOptions, ScenarioFailed, ScenarioSchemaError, ServerStartFailed, parse, run_test
from app.testingshim import scaled, wait_for

# -- helpers -----------------------------------------------------------------------------------


def load(text: str, tmp_path: Path | None = None) -> scenarios.ScenarioFile:
    return parse(textwrap.dedent(text), "s.yaml", base_dir=tmp_path)


def schema_error(text: str, tmp_path: Path | None = None) -> ScenarioSchemaError:
    __tracebackhide__ = True
    with pytest.raises(ScenarioSchemaError) as info:
        load(text, tmp_path)
    return info.value


def one_test(text: str) -> scenarios.ScenarioTest:
    return load(text).tests[0]


@contextlib.contextmanager
def no_new_children() -> Iterator[set[int]]:
    """Yields a set to put pids in; afterwards, neither those nor any new child of this process may run."""
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    pids: set[int] = set()
    yield pids
    procs = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            procs.append(psutil.Process(pid))
    own_pids, _ = _watchdog.own_resources()  # the run's lifeline watchdog lives as long as the run
    new = [p for p in psutil.Process().children(recursive=True) if p.pid not in before | own_pids]
    alive = [p for p in procs + new if _alive(p)]
    assert not alive, f"processes outlived the scenario: {alive}"


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def collect_pids(pids: set[int]) -> RunOptions:
    def progress(line: str) -> None:
        m = re.search(r"started pid (\d+)", line)
        if m:
            pids.add(int(m.group(1)))

    return RunOptions(progress=progress)


BASIC = """\
tests:
- name: t
  servers:
  - name: server1
  connections:
  - on: server1
    queries:
    - query: "select 1"
      result: {rows: [["1"]]}
"""


# -- the public surface ------------------------------------------------------------------------


def test_public_names_are_pinned() -> None:
    assert set(scenarios.__all__) == {
        "ConnectionSpec", "FileSpec", "QuerySpec", "ResultSpec", "RunOptions", "RunResult", "ScenarioError",
        "ScenarioFailed", "ScenarioFile", "ScenarioSchemaError", "ScenarioTest", "ServerAction", "ServerInfo",
        "ServerOutput", "ServerSpec", "ServerStartFailed", "Where", "free_port", "load_file", "parse", "run_test",
    }


def test_the_runner_loads_neither_the_server_nor_the_sql_layer() -> None:
    code = ("import sys, app.scenarios, app.scenarios.plugin, app.scenarios._cli; "
            "print(sorted(m for m in sys.modules if m.startswith(('app.server', 'app.sql'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc
    assert proc.stdout.strip() == "[]", proc


# -- schema errors: file, line, what to write instead ------------------------------------------


def test_unknown_key_names_file_line_and_a_suggestion() -> None:
    err = schema_error("""\
        tests:
        - name: t
          servers:
          - name: server1
            argz: []
        """)
    assert str(err).startswith("s.yaml:5: unknown key 'argz' in a server (did you mean 'args'?)"), err
    assert "allowed here:" in str(err)


def test_unknown_template_function_is_an_error_with_the_line() -> None:
    err = schema_error("""\
        tests:
        - name: t
          servers:
          - name: server1
            args: ["--port", '{{get_prot "x"}}']
        """)
    assert str(err).startswith("s.yaml:5: "), err
    assert "unknown template function 'get_prot'" in str(err) and "get_port, get_tempdir" in str(err)


@pytest.mark.parametrize("bad, needle", [
    ('{{get_port "x"', "unterminated template"),
    ("{{get_port x}}", "bad template"),
    ('{{get_port ""}}', "empty key"),
])
def test_malformed_templates(bad: str, needle: str) -> None:
    err = schema_error(f"""\
        tests:
        - name: t
          servers:
          - name: server1
          connections:
          - on: server1
            queries:
            - exec: '{bad}'
        """)
    assert str(err).startswith("s.yaml:8: "), err
    assert needle in str(err)


def test_connection_to_a_missing_server_lists_the_servers() -> None:
    err = schema_error("""\
        tests:
        - name: t
          servers:
          - name: server1
          - name: server2
          connections:
          - on: server3
            queries: [{exec: "select 1"}]
        """)
    assert str(err).startswith("s.yaml:7: connection on 'server3'"), err
    assert "server1, server2" in str(err)


def test_other_schema_mistakes() -> None:
    cases = {
        "tests:\n- name: a\n  servers: [{name: s}]\n- name: a\n  servers: [{name: s}]\n":
            ("s.yaml:4:", "a second test named 'a'"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  connections:\n  - on: s\n    kill_server: {}\n"
        "    stop_server: {}\n": ("s.yaml:7:", "one of restart_server"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  connections:\n  - on: s\n    queries:\n"
        "    - exec: 'select 1'\n      result: {rows: []}\n": ("s.yaml:8:", "write `query:`"),
        "tests:\n- name: a\n  servers: [{name: s, log_matches: ['(']}]\n": ("s.yaml:3:", "not a valid regular"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  timeout: -1\n": ("s.yaml:4:", "number of seconds"),
        "tests:\n- name: a\n": ("s.yaml:2:", "has no servers"),
        "tests:\n- name: a\n  servers: [{name: s}, {name: s}]\n": ("s.yaml:3:", "a second server named 's'"),
        "tests: []\n": ("s.yaml:1:", "tests is empty"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  servers: []\n": ("s.yaml:4:", "duplicate key 'servers'"),
        "tests:\n- name: a\n  servers: [{name: s}\n": ("s.yaml:", "not valid YAML"),
        "tests:\n- name: a\n  servers:\n  - name: s\n    with_files: [{name: ../x, contents: ''}]\n":
            ("s.yaml:5:", "inside the server's directory"),
        "tests:\n- name: a\n  servers:\n  - name: s\n    error_matches: [x]\n    databases: [d]\n":
            ("s.yaml:6:", "cannot have databases"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  connections:\n  - partition: [[s], [t]]\n":
            ("s.yaml:5:", "the test has no server 't'"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  connections:\n  - partition: [[s]]\n":
            ("s.yaml:5:", "at least two groups"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  connections:\n  - heal: {}\n    on: s\n":
            ("s.yaml:6:", "unknown key 'on' in a heal step"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  connections:\n  - delay: {from: s, to: s}\n":
            ("s.yaml:5:", "delay needs 'seconds'"),
        "tests:\n- name: a\n  servers: [{name: s}]\n  connections:\n  - on: s\n    freeze_server: {}\n"
        "    thaw_server: {}\n": ("s.yaml:7:", "one of restart_server"),
        "tests:\n- name: a\n  servers:\n  - name: s\n    command: [mariadbd]\n    args: [x]\n":
            ("s.yaml:6:", "`args` does not apply"),
        "tests:\n- name: a\n  servers:\n  - name: s\n    command: []\n": ("s.yaml:5:", "must name a program"),
        "tests:\n- name: a\n  servers:\n  - name: s\n    setup: [[]]\n": ("s.yaml:5:", "each setup entry"),
    }
    for text, (where, needle) in cases.items():
        err = schema_error(text)
        assert str(err).startswith(where) and needle in str(err), f"{text!r} gave: {err}"


def test_source_path_is_read_at_load_time_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "server.yaml").write_text('listener: {port: {{get_port "s"}}}\n')
    f = load("""\
        tests:
        - name: a
          servers:
          - name: s
            with_files:
            - {name: server.yaml, source_path: configs/server.yaml}
        """, tmp_path)
    assert f.tests[0].servers[0].files[0].contents == 'listener: {port: {{get_port "s"}}}\n'
    err = schema_error("tests:\n- name: a\n  servers:\n  - name: s\n    with_files:\n"
                       "    - {name: x, source_path: nope.yaml}\n", tmp_path)
    assert str(err).startswith("s.yaml:6:") and "nope.yaml" in str(err) and str(tmp_path) in str(err), err
    (tmp_path / "bad.yaml").write_text("{{nope \"x\"}}")
    err = schema_error("tests:\n- name: a\n  servers:\n  - name: s\n    with_files:\n"
                       "    - {name: x, source_path: bad.yaml}\n", tmp_path)
    assert str(err).startswith("s.yaml:6:") and "unknown template function 'nope'" in str(err), err


def test_values_keep_the_text_as_written() -> None:
    t = one_test("""\
        tests:
        - name: a
          servers: [{name: s, args: [--port, 0], envs: {A: 1.50}}]
          connections:
          - on: s
            queries:
            - query: select 1.50, null, 'yes'
              args: [1, "x", null]
              result: {rows: [[1.50, NULL, yes]]}
        """)
    assert t.servers[0].args == ("--port", "0")
    assert t.servers[0].envs == (("A", "1.50"),)
    q = t.connections[0].queries[0]
    assert q.result is not None and q.result.rows == (("1.50", "NULL", "yes"),)
    assert q.args == (1, "x", None)
    # `on:` is YAML 1.1's boolean true; the runner reads keys as written.
    assert t.connections[0].on == "s"


# -- running: results and failure reports ------------------------------------------------------


def test_a_passing_test_reports_its_processes_and_leaves_none() -> None:
    with no_new_children() as pids:
        result = run_test(one_test(BASIC), collect_pids(pids))
        assert result.server_processes == 1
        pids.update(result.pids)
    assert result.pids and pids


def test_a_failed_step_reports_where_sql_expected_actual_and_output() -> None:
    t = one_test("""\
        tests:
        - name: t
          servers:
          - name: server1
          connections:
          - on: server1
            queries:
            - query: "select %s + 1"
              args: [41]
              result: {columns: ["answer"], rows: [["42"]]}
        """)
    with no_new_children() as pids, pytest.raises(ScenarioFailed) as info:
        run_test(t, collect_pids(pids))
    text = str(info.value)
    assert text.startswith("s.yaml:8: query on server1: unexpected result: columns differ"), text
    assert 'sql:      select %s + 1    -- args: [41]' in text
    assert 'expected: columns ["answer"]' in text and '["42"]' in text
    assert 'actual:   columns ["%s + 1"]' in text or "actual:   columns" in text
    assert re.search(r"server1\| .*ready for connections", text), text
    assert "--- output of server1" in text
    assert info.value.server_processes == 1


def test_error_match_both_ways() -> None:
    t = one_test("""\
        tests:
        - name: t
          servers: [{name: server1}]
          connections:
          - on: server1
            queries:
            - exec: "select * from nowhere.nothing"
              error_match: "doesn't exist"
            - exec: "select 1"
              error_match: "doesn't exist"
        """)
    with pytest.raises(ScenarioFailed) as info:
        run_test(t)
    text = str(info.value)
    assert text.startswith("s.yaml:9: exec on server1: the statement succeeded, but it should have failed"), text
    assert "expected: an error matching /doesn't exist/" in text


def test_a_server_that_dies_at_start_fails_at_once_with_its_output() -> None:
    t = one_test("""\
        tests:
        - name: t
          timeout: 60
          servers:
          - name: server1
            args: ["--log-level", "bogus"]
        """)
    began = time.monotonic()
    with no_new_children(), pytest.raises(ServerStartFailed) as info:
        run_test(t)
    assert time.monotonic() - began < scaled(20), "a dead server must fail at once, not at the test's timeout"
    text = str(info.value)
    assert "server1 exited before it accepted connections" in text, text
    assert "server1| app sql-server: error: --log-level: unknown log level 'bogus'" in text, text
    assert "command: " in text and "-m app sql-server --log-level bogus --port" in text


def test_error_matches_on_a_server_that_starts_fine_fails_at_the_timeout() -> None:
    t = one_test("""\
        tests:
        - name: t
          timeout: 2
          servers:
          - name: server1
            error_matches: ["something"]
        """)
    with no_new_children(), pytest.raises(ScenarioFailed) as info:
        run_test(t)
    assert "expected to exit with an error, but it is still running" in str(info.value)


def test_error_matches_that_does_not_match_shows_the_output() -> None:
    t = one_test("""\
        tests:
        - name: t
          servers:
          - name: server1
            args: ["--log-level", "bogus"]
            error_matches: ["port is taken"]
        """)
    with pytest.raises(ScenarioFailed) as info:
        run_test(t)
    text = str(info.value)
    assert "does not match error_matches" in text and "expected: /port is taken/" in text, text
    assert "unknown log level" in text


def test_log_not_matches_shows_the_matching_line() -> None:
    t = one_test("""\
        tests:
        - name: t
          servers:
          - name: server1
            log_not_matches: ["ready for"]
        """)
    with pytest.raises(ScenarioFailed) as info:
        run_test(t)
    text = str(info.value)
    assert "s.yaml:4: end of test: the output of server1 matches log_not_matches" in text, text
    assert re.search(r"actual: .*ready for connections on 127\.0\.0\.1:\d+", text), text


def test_the_test_timeout_stops_endless_retries() -> None:
    t = one_test("""\
        tests:
        - name: t
          timeout: 6
          servers: [{name: server1}]
          connections:
          - on: server1
            retry_attempts: 1000000
            queries:
            - query: "select 1"
              result: {rows: [["2"]]}
        """)
    began = time.monotonic()
    with no_new_children(), pytest.raises(ScenarioFailed) as info:
        run_test(t)
    assert time.monotonic() - began < scaled(20)
    text = str(info.value)
    # On a loaded machine the timeout may already end the server's start; either way it is what stopped the test.
    assert ("past its timeout" in text or "the test's timeout (" in text
            or ("rows differ" in text and "retry_attempts: 1000000" in text)), text


def test_query_retry_attempts_are_counted() -> None:
    t = one_test("""\
        tests:
        - name: t
          servers: [{name: server1}]
          connections:
          - on: server1
            queries:
            - query: "select 1"
              retry_attempts: 3
              result: {rows: [["2"]]}
        """)
    with pytest.raises(ScenarioFailed) as info:
        run_test(t)
    assert "the statement was tried 3 times (retry_attempts: 3)" in str(info.value)


def test_actions_on_a_server_in_the_wrong_state_fail_clearly() -> None:
    t = one_test("""\
        tests:
        - name: t
          servers: [{name: server1}]
          connections:
          - on: server1
            kill_server: {}
          - on: server1
            queries: [{exec: "select 1"}]
        """)
    with pytest.raises(ScenarioFailed) as info:
        run_test(t)
    assert "s.yaml:7: connection on server1: server1 is not running (exited with code -9" in str(info.value)
    t = one_test("""\
        tests:
        - name: t
          servers: [{name: server1}]
          connections:
          - on: server1
            start_server: {}
        """)
    with pytest.raises(ScenarioFailed) as info:
        run_test(t)
    assert "server1 is already running; stop_server or kill_server it first" in str(info.value)


def test_a_server_that_exits_by_itself_fails_the_test() -> None:
    # Killing the process behind the runner's back stands in for a crash.
    t = one_test(BASIC)
    pids: set[int] = set()

    def progress(line: str) -> None:
        m = re.search(r"started pid (\d+)", line)
        if m:
            pids.add(int(m.group(1)))
        if "connection on" in line:
            for pid in pids:
                proc = psutil.Process(pid)  # one handle: a fork's parent (the template) reaps it at once
                proc.kill()
                proc.wait(scaled(10))

    with pytest.raises(ScenarioFailed) as info:
        run_test(t, RunOptions(progress=progress))
    assert "server1 is not running" in str(info.value)


# -- no process outlives its test ---------------------------------------------------------------


def test_ctrl_c_in_the_middle_of_a_test_kills_its_servers() -> None:
    t = one_test(BASIC.replace("- name: server1", "- name: server1\n  - name: server2"))
    pids: set[int] = set()

    def progress(line: str) -> None:
        m = re.search(r"started pid (\d+)", line)
        if m:
            pids.add(int(m.group(1)))
        if "connection on" in line:
            raise KeyboardInterrupt

    with no_new_children() as watched, pytest.raises(KeyboardInterrupt):
        try:
            run_test(t, RunOptions(progress=progress))
        finally:
            watched.update(pids)
    assert len(pids) == 2


def test_ctrl_c_at_the_command_line_kills_the_servers(tmp_path: Path) -> None:
    f = tmp_path / "forever.yaml"
    f.write_text(textwrap.dedent("""\
        tests:
        - name: forever
          timeout: 600
          servers: [{name: server1}]
          connections:
          - on: server1
            retry_attempts: 100000000
            queries:
            - query: "select 1"
              result: {rows: [["2"]]}
        """))
    # SIGINT at its default in the child: a test run started as a background job of a
    # non-interactive shell inherits SIGINT ignored, and Python keeps that.
    proc = subprocess.Popen([sys.executable, "-m", "app", "scenarios", "-v", str(f)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    server: psutil.Process | None = None
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            m = re.search(r"server1: started pid (\d+)", line)
            if m:
                server = psutil.Process(int(m.group(1)))
            if "retrying" in line:
                break
        assert server is not None and server.is_running(), "the CLI did not start the server"
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=scaled(30))
        assert proc.returncode == 130, out
        assert "interrupted" in out
        wait_for(lambda: not _alive(server), "the server to be gone after Ctrl-C", timeout=5)  # type: ignore[arg-type]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if server is not None and _alive(server):
            server.kill()


def test_a_server_ignoring_sigterm_is_killed_at_the_deadline(tmp_path: Path) -> None:
    from app.scenarios import _process

    # A tiny program instead of the server: it ignores SIGTERM, as a hung server would.
    program = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('up', flush=True)\n" \
              "while True: time.sleep(1)\n"
    server = _process.ServerProcess("stubborn", tmp_path, tmp_path, 0)
    with no_new_children() as pids:
        server.start([], {}, None, command=[sys.executable, "-c", program])
        assert server.pid is not None
        pids.add(server.pid)
        wait_for(lambda: "up" in server.output(), "the program to start", timeout=20)
        began = time.monotonic()
        assert server.stop(0.5) is None, "stop() returns None when it had to kill"
        assert time.monotonic() - began < scaled(10)
        assert not server.leftovers()
    assert "killed" in server.state() or "-9" in server.state(), server.state()


# -- ports --------------------------------------------------------------------------------------


def test_free_ports_are_never_handed_out_twice() -> None:
    ports = [scenarios.free_port() for _ in range(200)]
    assert len(set(ports)) == len(ports)
    for port in ports[:5]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))  # nothing holds them


def test_free_ports_stay_out_of_the_ephemeral_range_and_are_claimed_machine_wide() -> None:
    # A node's replication port must survive its restart: outgoing connections draw their source ports
    # from the ephemeral range, and other processes of the run (xdist workers) draw from the same pool.
    from app._ports import _ephemeral_range

    low, high = _ephemeral_range()
    ports = [scenarios.free_port() for _ in range(20)]
    assert not [p for p in ports if low <= p <= high], (low, high, ports)
    other = subprocess.run(
        [sys.executable, "-c", f"from app._ports import _claim; print([_claim(p) for p in {ports!r}])"],
        capture_output=True, text=True, timeout=60, check=True)
    assert other.stdout.strip() == repr([False] * len(ports)), other.stdout + other.stderr


# -- debugger attach ----------------------------------------------------------------------------


class _DapClient:
    """Just enough of the Debug Adapter Protocol to attach as an IDE does: initialize, attach, configurationDone."""

    def __init__(self, port: int) -> None:
        self.sock = wait_for(lambda: self._connect(port), f"debugpy to listen on {port}", timeout=30)
        self.buf = b""
        self.seq = 0

    @staticmethod
    def _connect(port: int) -> socket.socket | None:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=scaled(10))
        except OSError:
            return None

    def request(self, command: str, arguments: dict[str, object]) -> int:
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command, "arguments": arguments}).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return self.seq

    def read(self) -> dict[str, object]:
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = int(head.split(b":")[1])
        while len(rest) < length:
            rest += self._recv()
        self.buf = rest[length:]
        message: dict[str, object] = json.loads(rest[:length])
        return message

    def _recv(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("debugpy closed the connection")
        return data

    def attach(self) -> None:
        self.request("initialize", {"adapterID": "app-tests", "clientID": "app-tests", "pathFormat": "path"})
        self.request("attach", {"justMyCode": True})
        done = self.request("configurationDone", {})
        while True:
            m = self.read()
            if m.get("type") == "response" and m.get("command") in ("attach", "configurationDone"):
                assert m.get("success"), m
                if m.get("request_seq") == done:
                    return

    def close(self) -> None:
        self.sock.close()


def test_debug_port_waits_for_a_debugger_and_runs_once_attached() -> None:
    t = one_test("""\
        tests:
        - name: t
          servers:
          - name: server1
            debug_port: '{{get_port "debugger"}}'
          connections:
          - on: server1
            queries: [{query: "select 42", result: {rows: [["42"]]}}]
        """)
    clients: list[_DapClient] = []
    notices: list[str] = []

    def notice(text: str) -> None:
        notices.append(text)
        m = re.search(r"attach to 127\.0\.0\.1:(\d+)", text)
        assert m, text
        client = _DapClient(int(m.group(1)))
        clients.append(client)
        client.attach()

    try:
        with no_new_children() as pids:
            result = run_test(t, RunOptions(notice=notice))
            pids.update(result.pids)
        assert len(result.pids) >= 2, "debugpy's adapter runs as a child of the server; it must be tracked"
    finally:
        for c in clients:
            c.close()
    assert notices and "server1" in notices[0] and "waits for a debugger" in notices[0]


def test_debug_command_line() -> None:
    from app.scenarios._process import server_command

    cmd = server_command(["--config", "x.yaml"], 4000, 5678)
    assert cmd[:7] == [sys.executable, "-m", "debugpy", "--listen", "127.0.0.1:5678", "--wait-for-client", "-m"]
    assert cmd[7:] == ["app", "sql-server", "--config", "x.yaml", "--port", "4000"]
    assert server_command(["--port=1"], 4000, None) == [sys.executable, "-m", "app", "sql-server", "--port=1"]


# -- the pytest plugin, from outside -----------------------------------------------------------


def _scenario_dir(pytester: pytest.Pytester) -> Path:
    d = pytester.path / "scenarios"
    d.mkdir(exist_ok=True)
    return d


@pytest.mark.parametrize("text, where, needle", [
    ("tests:\n- name: a\n  servers:\n  - name: s\n    prot: x\n", "broken.yaml:5:", "unknown key 'prot'"),
    ("tests:\n- name: a\n  servers:\n  - name: s\n    args: ['{{port \"s\"}}']\n", "broken.yaml:5:",
     "unknown template function 'port'"),
    ("tests:\n- name: a\n  servers: [{name: s}]\n  connections:\n  - on: t\n    queries: [{exec: x}]\n",
     "broken.yaml:5:", "connection on 't', but the test has no server of that name"),
], ids=["unknown key", "bad template", "missing server"])
def test_plugin_reports_a_broken_file_at_collection(pytester: pytest.Pytester, text: str, where: str,
                                                    needle: str) -> None:
    (_scenario_dir(pytester) / "broken.yaml").write_text(text)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*invalid scenario file: scenarios/{where} *{needle}*"])
    assert "Traceback" not in result.stdout.str()


def test_plugin_leaves_yaml_that_is_not_a_scenario_alone(pytester: pytest.Pytester) -> None:
    # An outside project's data file beside its scenarios: not ours, so not collected (nor an error).
    d = _scenario_dir(pytester)
    (d / "fixtures.yaml").write_text("name: widget\nitems: [1, 2]\n")
    (d / "config.yml").write_text("- tests: not at the top level\n")
    (d / "real.yaml").write_text("tests:\n- name: a\n  servers:\n  - name: s\n    prot: x\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--collect-only", "-q")
    result.assert_outcomes(errors=1)  # only the scenario file, which is broken
    result.stdout.fnmatch_lines(["*invalid scenario file: scenarios/real.yaml:5: *unknown key 'prot'*"])
    assert "fixtures.yaml" not in result.stdout.str() and "config.yml" not in result.stdout.str()
    from app.scenarios.plugin import is_scenario_file

    assert is_scenario_file(d / "real.yaml") and not is_scenario_file(d / "fixtures.yaml")


def test_plugin_failure_report_is_the_step_not_the_runner(pytester: pytest.Pytester) -> None:
    (_scenario_dir(pytester) / "checks.yaml").write_text(textwrap.dedent("""\
        parallel: true
        tests:
        - name: passes
          servers: [{name: server1}]
          connections:
          - on: server1
            queries: [{query: "select 1", result: {rows: [["1"]]}}]
        - name: fails with a wrong row
          servers: [{name: server1}]
          connections:
          - on: server1
            queries:
            - query: "select 'actual value'"
              result: {rows: [["expected value"]]}
        - name: skipped one
          skip: "not today"
          servers: [{name: server1}]
        """))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    result.stdout.fnmatch_lines([
        "*scenario: fails with a wrong row*",
        "scenarios/checks.yaml:13: query on server1: unexpected result: rows differ",
        "  sql:      select 'actual value'",
        '  expected: columns ["actual value"]',
        '            ["expected value"]',
        '  actual:   columns ["actual value"]',
        '            ["actual value"]',
        "--- output of server1 *",
        "server1| *ready for connections*",
    ])
    result.stdout.fnmatch_lines(["app scenarios: 2 tests started 2 server processes*"])
    result.stdout.fnmatch_lines(["*not today*"])
    out = result.stdout.str()
    assert "_runner.py" not in out and "Traceback" not in out, out


def test_plugin_selects_one_test_by_name_and_runs_under_xdist(pytester: pytest.Pytester) -> None:
    (_scenario_dir(pytester) / "two.yaml").write_text(textwrap.dedent("""\
        tests:
        - name: first test
          servers: [{name: server1}]
        - name: second test
          servers: [{name: server1}]
        """))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v", "scenarios/two.yaml::second test")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*two.yaml::second test PASSED*"])
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["app scenarios: 2 tests started 2 server processes*"])


def test_plugin_collects_yaml_named_on_the_command_line_only_elsewhere(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("elsewhere.yaml").write_text(BASIC)
    pytester.path.joinpath("config.yaml").write_text("not: a scenario\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes()  # neither is in a `scenarios` directory
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "elsewhere.yaml")
    result.assert_outcomes(passed=1)


def test_non_parallel_files_hold_a_lock_across_processes(tmp_path: Path) -> None:
    from app.scenarios.plugin import _file_lock

    f = tmp_path / "serial.yaml"
    f.write_text(BASIC)
    probe = textwrap.dedent(f"""\
        import fcntl, hashlib, sys, tempfile
        from pathlib import Path
        digest = hashlib.sha1(str(Path({str(f)!r}).resolve()).encode()).hexdigest()[:16]
        with open(Path(tempfile.gettempdir()) / f"app-scenarios-{{digest}}.lock", "a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                sys.exit(3)
        """)
    with _file_lock(f, parallel=False):
        held = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    free = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert held.returncode == 3, held
    assert free.returncode == 0, free


# -- the command line ----------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "scenarios", *args], capture_output=True, text=True,
                          timeout=scaled(120))


def test_cli_runs_files_and_says_what_passed(tmp_path: Path) -> None:
    f = tmp_path / "ok.yaml"
    f.write_text(BASIC)
    proc = run_cli(str(f))
    assert proc.returncode == 0, proc
    assert "PASS t" in proc.stdout and "1 passed, 0 failed, 0 skipped" in proc.stdout, proc
    assert "1 server processes started" in proc.stdout, proc
    proc = subprocess.run([sys.executable, "-m", "app.scenarios", "--list", str(f)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and f"{f}:2: t" in proc.stdout, proc


def test_cli_failure_exit_code_and_report(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(BASIC.replace('[["1"]]', '[["0"]]'))
    proc = run_cli(str(f))
    assert proc.returncode == 1, proc
    assert f"FAIL t\n{f}:8: query on server1: unexpected result: rows differ" in proc.stdout, proc


def test_cli_bad_input_exit_code_2(tmp_path: Path) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text("tests:\n- name: t\n  servers: [{name: s, porrt: x}]\n")
    proc = run_cli(str(f))
    assert proc.returncode == 2, proc
    assert f"{f}:3: unknown key 'porrt' in a server (did you mean 'port'?)" in proc.stderr, proc
    ok = tmp_path / "ok.yaml"
    ok.write_text(BASIC)
    proc = run_cli(f"{ok}::nope")
    assert proc.returncode == 2 and "no test named 'nope'" in proc.stderr and "\n  t" in proc.stderr, proc
    proc = run_cli("--debug", "server1", str(ok))
    assert proc.returncode == 2 and "SERVER=PORT" in proc.stderr, proc


def test_cli_pause_shows_the_running_servers_until_enter(tmp_path: Path) -> None:
    f = tmp_path / "ok.yaml"
    f.write_text(BASIC)
    proc = subprocess.run([sys.executable, "-m", "app", "scenarios", "--pause", str(f)], input="\n",
                          capture_output=True, text=True, timeout=scaled(120))
    assert proc.returncode == 0, proc
    assert "the test's servers, until you press Enter:" in proc.stdout, proc
    assert re.search(r"server1: running, pid \d+; mariadb -h127\.0\.0\.1 -P\d+ -uroot", proc.stdout), proc


def test_a_failing_setup_command_fails_the_test_with_its_output() -> None:
    t = one_test("""\
        tests:
        - name: t
          servers:
          - name: db
            setup: [[sh, -c, "echo cannot initialise; exit 3"]]
            command: [sh, -c, "sleep 60"]
        """)
    with no_new_children(), pytest.raises(ScenarioFailed) as info:
        run_test(t)
    text = str(info.value)
    assert "setup 1 of db" in text and "exited with code 3" in text and "cannot initialise" in text, text

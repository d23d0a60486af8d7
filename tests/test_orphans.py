"""No orphans: a pytest killed while it runs a cluster and a scenario leaves no process and no directory.

The run under test is a real `python -m pytest` on a small project: a test that starts a 3-node
subprocess cluster, runs a YAML scenario with two servers stuck in a long query, and then waits.
Once every server runs, the pytest process gets SIGTERM or SIGKILL (no cleanup code of its own
runs either way); the framework's lifeline watchdog must end every server and remove the run's
directory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest

from app import _watchdog
from app.testingshim import scaled, wait_for

_SRC = str(Path(__file__).resolve().parents[1] / "src")

_PROJECT_TEST = '''
import os, threading, time
import psutil
from app import testingshim
from app.scenarios import parse, run_test

SCENARIO = """
tests:
- name: stuck
  timeout: 600
  servers: [{name: a}, {name: b}]
  connections:
  - on: a
    queries: [{query: "SELECT SLEEP(600)"}]
"""


def test_runs_until_killed():
    cluster = testingshim.start_cluster(3)
    thread = threading.Thread(target=run_test, args=(parse(SCENARIO, "stuck.yaml").tests[0],), daemon=True)
    thread.start()
    me = psutil.Process()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        # Plain starts name sql-server on their command line; forks of the server template are its children.
        templates = [p for p in me.children() if "_forktemplate" in " ".join(p.cmdline())]
        servers = [p for p in me.children(recursive=True) if "sql-server" in " ".join(p.cmdline())]
        servers += [c for t in templates for c in t.children()]
        if len(servers) >= 5:
            break
        time.sleep(0.05)
    with open(os.environ["MARKER"], "w") as f:
        f.write(" ".join(str(p.pid) for p in servers))
    time.sleep(600)
'''


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_pytest_leaves_no_server_and_no_directory(tmp_path: Path, sig: signal.Signals) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "conftest.py").write_text("from app.server.testing import register_factories\n"
                                         "register_factories()\n")
    (project / "test_long.py").write_text(textwrap.dedent(_PROJECT_TEST))
    marker = tmp_path / "marker"
    runs = tmp_path / "tmp"
    runs.mkdir()
    env = dict(os.environ, MARKER=str(marker), TMPDIR=str(runs), APP_TEST_SERVER_FACTORY="subprocess",
               PYTHONPATH=_SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTEST_XDIST_WORKER", None)
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                             "-s", "test_long.py"], cwd=project, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    seen: dict[int, psutil.Process] = {}
    try:
        wait_for(lambda: (marker.exists() and marker.read_text() != "") or proc.poll() is not None, timeout=180,
                 what="the killed run's cluster and scenario servers to run")
        assert proc.poll() is None, f"the run ended by itself with code {proc.returncode}"
        servers = [int(pid) for pid in marker.read_text().split()]
        assert len(servers) >= 5, servers  # three cluster nodes and two scenario servers
        for p in psutil.Process(proc.pid).children(recursive=True):
            seen[p.pid] = p
        assert set(servers) <= set(seen)
        assert any(path.name.startswith(_watchdog.RUNS_PREFIX) for path in runs.iterdir())
        os.kill(proc.pid, sig)
        proc.wait(scaled(30))

        def all_gone() -> bool:
            return not [p for p in seen.values() if _running(p)]

        wait_for(all_gone, timeout=30, what=f"every process of the run to end after {sig.name} of pytest")
        wait_for(lambda: not [p for p in runs.iterdir() if p.name.startswith(_watchdog.RUNS_PREFIX)],
                 timeout=30, what="the run's directory to be removed")
    finally:
        for p in [*seen.values(), psutil.Process(proc.pid) if proc.poll() is None else None]:
            if p is not None and _running(p):
                p.kill()
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def test_the_next_run_sweeps_directories_of_dead_runs(tmp_path: Path) -> None:
    # A run whose watchdog died too (the machine rebooted mid-run, say) left its directory: the next one
    # sweeps it, because nobody holds its lock; a live run's directory stays.
    program = (f"import sys, time; sys.path.insert(0, {_SRC!r}); from app import _watchdog; "
               "print(_watchdog.run_dir(), flush=True); time.sleep(600)")
    live = subprocess.Popen([sys.executable, "-c", program], env=dict(os.environ, TMPDIR=str(tmp_path)),
                            stdout=subprocess.PIPE, text=True)
    try:
        assert live.stdout is not None
        live_dir = Path(live.stdout.readline().strip())
        dead_dir = tmp_path / f"{_watchdog.RUNS_PREFIX}999999-x"
        dead_dir.mkdir()
        (dead_dir / ".lock").write_bytes(b"")
        (dead_dir / "server.log").write_text("left behind")
        removed = _watchdog.sweep(tmp_path)
        assert removed == [dead_dir]
        assert live_dir.is_dir() and not dead_dir.exists()
    finally:
        live.kill()
        live.wait()
        if live.stdout is not None:
            live.stdout.close()


def test_a_sweep_never_takes_a_run_directory_being_made(tmp_path: Path) -> None:
    # The worst moment for another process's sweep: the new run's lock file exists and is not locked
    # yet. A sweep then must not see the directory at all (CI saw a live worker's run directory go).
    program = f"""
import sys; sys.path.insert(0, {_SRC!r})
from app import _watchdog
lock_file = _watchdog._lock_file
def lock_after_a_sweep(path):
    (path / ".lock").touch()
    print("swept:", [p.name for p in _watchdog.sweep(path.parent)], flush=True)
    return lock_file(path)
_watchdog._lock_file = lock_after_a_sweep
path = _watchdog.run_dir()
print("made:", path.is_dir(), (path / ".lock").exists(), flush=True)
"""
    out = subprocess.run([sys.executable, "-c", program], env=dict(os.environ, TMPDIR=str(tmp_path)),
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines() == ["swept: []", "made: True True"], out.stdout + out.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process start times come from Linux's /proc")
def test_the_watchdog_never_kills_a_process_that_got_a_dead_childs_number() -> None:
    # pid numbers wrap (32768 here) while a long run starts thousands of servers: a child that died unnoticed
    # may have its number given to another process, another test's server or an xdist worker. The watchdog
    # kills a recorded pid only if it is still the process that started at the recorded time.
    def sleeper() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)

    ours, stranger = sleeper(), sleeper()
    watchdog = subprocess.Popen([sys.executable, "-I", "-S", "-c", _watchdog._PROGRAM], stdin=subprocess.PIPE,
                                start_new_session=True)
    try:
        assert watchdog.stdin is not None
        # `stranger` stands for a process that reused a recorded child's number: its start time differs.
        started = _watchdog.started_at(stranger.pid)
        assert started is not None
        watchdog.stdin.write(f"+ {ours.pid} {_watchdog.started_at(ours.pid)} \n"
                             f"+ {stranger.pid} {int(started) - 1} \n".encode())
        watchdog.stdin.close()  # the lifeline ends: the watchdog kills what it may
        assert watchdog.wait(timeout=scaled(30)) == 0
        assert ours.wait(timeout=scaled(30)) == -signal.SIGKILL
        assert stranger.poll() is None, "the watchdog killed a process that only had a dead child's number"
    finally:
        for p in (ours, stranger, watchdog):
            if p.poll() is None:
                p.kill()
            p.wait()

"""`testingshim.once`: one-time setup per test run, across threads, processes and xdist workers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app import testingshim
from app.testingshim import _once


@pytest.fixture
def run_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A run directory of this test's own (not the surrounding pytest run's)."""
    path = tmp_path / "run"
    path.mkdir()
    monkeypatch.setenv(_once.ENV_RUN_DIR, str(path))
    return path


def test_threads_of_one_process_run_fn_once_and_all_get_its_result(run_dir: Path) -> None:
    calls = []
    inside = threading.Event()
    release = threading.Event()

    def setup() -> dict[str, int]:
        calls.append(1)
        inside.set()
        assert release.wait(testingshim.scaled(10))
        return {"rows": 3}

    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(testingshim.once("schema", setup))) for _ in range(8)]
    threads[0].start()
    assert inside.wait(testingshim.scaled(10))  # the first thread runs setup; the others must wait for it
    for t in threads[1:]:
        t.start()
    release.set()
    for t in threads:
        t.join(testingshim.scaled(10))
    assert calls == [1]
    assert results == [{"rows": 3}] * 8
    assert all(r is results[0] for r in results)  # one object per process, not re-read per call


def test_an_exception_is_everyones(run_dir: Path) -> None:
    calls = []

    def setup() -> None:
        calls.append(1)
        raise KeyError("no such table")

    for _ in range(3):
        with pytest.raises(KeyError, match="no such table"):
            testingshim.once("broken", setup)
    assert calls == [1]


def test_keys_are_independent(run_dir: Path) -> None:
    assert testingshim.once("a", lambda: 1) == 1
    assert testingshim.once("b", lambda: 2) == 2
    assert testingshim.once("a", lambda: 3) == 1


def test_a_result_that_cannot_cross_processes_is_a_clear_error(run_dir: Path) -> None:
    with pytest.raises(testingshim.TestingShimError, match=r"cannot be pickled.*Return plain data"):
        testingshim.once("lock", threading.Lock)


_PROGRAM = r"""
import os, sys
from app import testingshim

class Picky(Exception):
    def __init__(self, code, *, detail):  # cannot be rebuilt from its args by pickle
        super().__init__(f"{code}: {detail}")

def setup():
    with open(os.environ["LOG"], "a") as f:
        f.write(f"{os.getpid()}\n")
    if sys.argv[1] == "fail":
        raise Picky(7, detail="setup failed")
    if os.environ.get("DIE"):
        os._exit(3)  # killed inside fn: no result, and the kernel releases the lock
    return os.getpid()

try:
    print("RESULT", testingshim.once(sys.argv[1], setup))
except Exception as e:
    print("RAISED", type(e).__name__, e)
"""


def test_processes_of_one_run_share_the_result_and_the_exception(run_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "log"
    env = {**os.environ, "LOG": str(log)}

    def run(key: str) -> list[str]:
        procs = [subprocess.Popen([sys.executable, "-c", _PROGRAM, key], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for _ in range(4)]
        out = [p.communicate(timeout=testingshim.scaled(60))[0].strip() for p in procs]
        assert all(p.returncode == 0 for p in procs), out
        return out

    ok = run("ok")
    pids = log.read_text().split()
    assert len(pids) == 1, ok  # four processes at once, one setup
    assert ok == [f"RESULT {pids[0]}"] * 4
    failed = run("fail")
    assert len(log.read_text().split()) == 2, failed
    # The process that ran setup re-raises its own exception; the others, which cannot rebuild it, get
    # OnceFailed with its type, text and where it ran.
    assert sum(line == "RAISED Picky 7: setup failed" for line in failed) == 1, failed
    others = [line for line in failed if line.startswith("RAISED OnceFailed once('fail') failed in process ")]
    assert len(others) == 3, failed
    assert all("with Picky: 7: setup failed" in line for line in others), failed


_XDIST_TESTS = """
import os
import pytest
from app import testingshim

_mine = None

def _log(name):
    with open(os.environ["ONCE_LOG"], "a") as f:
        f.write(f"{name} {os.environ.get('PYTEST_XDIST_WORKER')}\\n")

@pytest.fixture(scope="session")
def per_process_guard():
    # The pattern that fails under xdist: "once" per process only.
    global _mine
    if _mine is None:
        _log("guard")
        _mine = os.getpid()
    return _mine

@pytest.fixture(scope="session")
def schema():
    def setup():
        _log("once")
        return {"made_by": os.environ.get("PYTEST_XDIST_WORKER")}
    return testingshim.once("schema", setup)

def broken():
    _log("broken")
    raise RuntimeError("the schema script has a syntax error")

@pytest.mark.parametrize("i", range(8))
def test_uses_schema(i, schema, per_process_guard):
    with open(os.environ["ONCE_RESULTS"], "a") as f:
        f.write(f"{os.environ['PYTEST_XDIST_WORKER']} {schema['made_by']}\\n")

@pytest.mark.parametrize("i", range(4))
def test_sees_the_exception(i):
    with pytest.raises(RuntimeError, match="syntax error"):
        testingshim.once("broken", broken)
"""


def test_once_runs_setup_once_across_xdist_workers(pytester: pytest.Pytester, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    log, results = tmp_path / "once.log", tmp_path / "results"
    monkeypatch.setenv("ONCE_LOG", str(log))
    monkeypatch.setenv("ONCE_RESULTS", str(results))
    pytester.makepyfile(test_schema=_XDIST_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "4")
    result.assert_outcomes(passed=12)
    lines = log.read_text().splitlines()
    guards = [line for line in lines if line.startswith("guard ")]
    workers = {line.split()[0] for line in results.read_text().splitlines()}
    assert len(workers) >= 2, results.read_text()  # otherwise this proves nothing about processes
    assert len(guards) == len(workers), lines  # the per-process guard ran in every worker
    assert len([line for line in lines if line.startswith("once ")]) == 1, lines
    assert len([line for line in lines if line.startswith("broken ")]) == 1, lines
    made_by = {line.split()[1] for line in results.read_text().splitlines()}
    assert len(made_by) == 1, results.read_text()  # every worker got the one result


def test_each_pytest_run_has_its_own_run_directory(pytester: pytest.Pytester, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "log"
    monkeypatch.setenv("ONCE_LOG", str(log))
    pytester.makepyfile("""
        import os
        from app import testingshim

        def test_once():
            def setup():
                with open(os.environ["ONCE_LOG"], "a") as f:
                    f.write(os.environ["APP_TEST_RUN_DIR"] + "\\n")
            testingshim.once("per-run", setup)
    """)
    for _ in range(2):
        pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    dirs = log.read_text().split()
    assert len(dirs) == 2 and dirs[0] != dirs[1], dirs  # a second run sets up again: nothing left between runs
    assert not any(Path(d).exists() for d in dirs), dirs  # each run removed its directory
    assert os.environ[_once.ENV_RUN_DIR] not in dirs  # a run inside a test is another run


def test_a_process_that_dies_inside_fn_leaves_it_to_the_next(run_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "log"
    env = {**os.environ, "LOG": str(log)}
    died = subprocess.run([sys.executable, "-c", _PROGRAM, "die"], env={**env, "DIE": "1"}, capture_output=True,
                          text=True, timeout=testingshim.scaled(60))
    assert died.returncode == 3, died
    ok = subprocess.run([sys.executable, "-c", _PROGRAM, "die"], env=env, capture_output=True, text=True,
                        timeout=testingshim.scaled(60))
    pids = log.read_text().split()
    assert len(pids) == 2, (died, ok)
    assert ok.stdout.strip() == f"RESULT {pids[1]}", ok


def test_run_directories_of_killed_runs_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "from app.testingshim import _once; print(_once.new_run_dir())"],
                          capture_output=True, text=True, timeout=testingshim.scaled(60), check=True).stdout.strip()
    live = _once.new_run_dir()  # this process: alive
    try:
        removed = _once.sweep_run_dirs()
        assert dead in removed and not Path(dead).exists()
        assert Path(live).exists() and os.environ[_once.ENV_RUN_DIR] not in removed
    finally:
        shutil.rmtree(dead, ignore_errors=True)
        shutil.rmtree(live, ignore_errors=True)

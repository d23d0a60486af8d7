"""One-time setup per test run, across every process of the run (pytest-xdist workers included).

Why: a "once per process" guard (a module global, a session-scoped fixture) guards only its own
process. Under `pytest -n 4` four processes each run their one-time setup at the same moment and
collide on whatever they share: two `CREATE TABLE` on one server, one process dropping what another
still uses. `once(key, fn)` runs `fn` in exactly one process of the run and hands every process its
result (or its exception), so the setup happens once however many workers there are.

How: the run's processes agree on one directory, APP_TEST_RUN_DIR, which the pytest plugin creates
in the controlling process before xdist starts its workers (they inherit the environment) and
removes when the run ends. Each key has a lock file there (`fcntl.flock`) and a result file: the
first process to take the lock runs `fn` and writes the result; the others wait on the lock (no
polling) and read it. A process that dies while holding the lock releases it (the kernel drops
flock locks with the process), and the next one runs `fn` itself, since no result was written.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import pickle
import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ._errors import TestingShimError

ENV_RUN_DIR = "APP_TEST_RUN_DIR"
T = TypeVar("T")

_memo: dict[tuple[str, str], tuple[bool, Any, Any]] = {}
_memo_lock = threading.Lock()


class OnceFailed(TestingShimError):
    """`fn` failed in another process with an exception that cannot cross processes (it does not pickle)."""

    def __init__(self, key: str, exc_type: str, text: str, where: str) -> None:
        super().__init__(key, exc_type, text, where)
        self.key = key
        self.exc_type = exc_type
        self.text = text
        self.where = where

    def __str__(self) -> str:
        return f"once({self.key!r}) failed in {self.where} with {self.exc_type}: {self.text}"


_RUN_DIR_PREFIX = "app-test-run-"


def new_run_dir() -> str:
    """Create a fresh directory for one test run and return its path (the pytest plugin calls this).

    It records the creating process, so that a later run can remove it if that process was killed
    before it could (see `sweep_run_dirs`).
    """
    path = tempfile.mkdtemp(prefix=_RUN_DIR_PREFIX)
    Path(path, "owner").write_text(str(os.getpid()))
    return path


def sweep_run_dirs() -> list[str]:
    """Remove the run directories of runs whose process is gone (killed runs); returns their paths."""
    removed = []
    for path in Path(tempfile.gettempdir()).glob(_RUN_DIR_PREFIX + "*"):
        try:
            owner = int(Path(path, "owner").read_text())
        except (OSError, ValueError):
            continue  # not ours, or being created right now
        try:
            os.kill(owner, 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # another user's live process
        shutil.rmtree(path, ignore_errors=True)
        removed.append(str(path))
    return removed


def run_dir() -> Path:
    """The directory the processes of this test run share: APP_TEST_RUN_DIR.

    Outside pytest (nobody set it) a directory is made for this process and its children, and
    removed at exit.
    """
    path = os.environ.get(ENV_RUN_DIR)
    if not path:
        path = new_run_dir()
        os.environ[ENV_RUN_DIR] = path  # child processes join this "run"
        atexit.register(shutil.rmtree, path, True)
    return Path(path)


def _where() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"process {os.getpid()}" + (f" (xdist worker {worker})" if worker else "")


def _record(key: str, fn: Callable[[], Any]) -> tuple[bytes, bool, Any]:
    """Run fn; return (what to store, ok, value or exception)."""
    try:
        value = fn()
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise  # the process is going down: not a result; the next process to ask runs fn
    except BaseException as e:  # pytest.skip() and pytest.fail() raise BaseExceptions: results too
        tb = "".join(traceback.format_exception(e))
        try:
            payload = pickle.dumps(e)
            pickle.loads(payload)  # some exceptions pickle but cannot be rebuilt (their __init__ takes other args)
        except Exception:
            payload = b""
        return pickle.dumps({"ok": False, "exc": payload, "type": type(e).__qualname__, "text": str(e),
                             "traceback": tb, "where": _where()}), False, e
    try:
        data = pickle.dumps({"ok": True, "value": value})
    except Exception as e:
        raise TestingShimError(f"once({key!r}): the result of {fn!r} cannot be pickled, so the other processes "
                               f"of the run cannot receive it ({e}). Return plain data (names, paths, numbers).") from e
    return data, True, value


def _load(key: str, data: bytes) -> tuple[bool, Any, Any]:
    rec = pickle.loads(data)
    if rec["ok"]:
        return True, rec["value"], None
    exc: BaseException
    if rec["exc"]:
        exc = pickle.loads(rec["exc"])
        exc.add_note(f"(raised by once({key!r}) in {rec['where']}; its traceback there:)\n{rec['traceback'].rstrip()}")
    else:
        exc = OnceFailed(key, rec["type"], rec["text"], rec["where"])
        exc.add_note(rec["traceback"].rstrip())
    return False, exc, None


def once(key: str, fn: Callable[[], T]) -> T:
    """Run `fn` exactly once per test run, across all processes of the run; return its result everywhere.

    Every process that calls `once` with the same key gets the value `fn` returned in whichever
    process ran it (the value must pickle), or the exception it raised, raised again. Later calls in
    one process return the same object without touching the disk.

    Example (a schema on a server that all xdist workers share)::

        def make_schema() -> str:
            name = testingshim.unique_database_name("shop")
            with pymysql.connect(host=..., autocommit=True) as conn, conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE {name}")
                cur.execute(f"CREATE TABLE {name}.items (id INT PRIMARY KEY)")
            return name

        shop = testingshim.once("shop-schema", make_schema)   # the same name in every worker
    """
    directory = run_dir()
    memo_key = (str(directory), key)
    with _memo_lock:
        hit = _memo.get(memo_key)
    if hit is None:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        result_path = directory / f"once-{digest}.result"
        with open(directory / f"once-{digest}.lock", "ab") as lock:
            # Blocks while another process (or thread) runs fn: waiting on the lock itself, not polling.
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if result_path.exists():
                    hit = _load(key, result_path.read_bytes())
                else:
                    data, ok, value = _record(key, fn)
                    tmp = result_path.with_suffix(f".tmp{os.getpid()}")
                    tmp.write_bytes(data)
                    os.replace(tmp, result_path)  # readers never see half a file
                    hit = (ok, value, None if ok else value.__traceback__)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        with _memo_lock:
            hit = _memo.setdefault(memo_key, hit)
    ok, value, tb = hit
    if not ok:
        raise value.with_traceback(tb)  # the same traceback each time, not one that grows per raise
    return value  # type: ignore[no-any-return]

"""Storage of a node's databases: one SQLite file per database, in WAL mode.

Without a data directory the files live in a private directory on tmpfs
(``/dev/shm`` where the machine has it), removed when the storage closes: that
is this server's in-memory mode. Real files rather than SQLite's ``memdb`` VFS
because memdb blocks every reader while a writer holds its lock, and sessions
must read committed data while another session's transaction is open; WAL
gives exactly that.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import apsw

from app.testingshim import TestingKnobs

from ._collations import register_collations

_DB_SUFFIX = ".db"
_EPHEMERAL_PREFIX = "mem-"
_OPEN_FLAGS = apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_CREATE | apsw.SQLITE_OPEN_URI


def encode_name(name: str) -> str:
    """A file name for a database name; reversible, safe for any MySQL name."""
    return re.sub(r"[^A-Za-z0-9_]", lambda m: f"@{ord(m.group()):04x}", name)


def decode_name(filename: str) -> str:
    return re.sub(r"@([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), filename)


def ephemeral_root() -> Path:
    """Where in-memory nodes keep their files: tmpfs when the machine has it."""
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    return base / f"app-sql-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_ephemeral_dirs(root: Path | None = None) -> list[Path]:
    """Remove in-memory storage left by processes that were killed (SIGKILL skips cleanup).

    Directory names carry the owner's pid, so only dead owners' files go.
    """
    root = root or ephemeral_root()
    removed: list[Path] = []
    with contextlib.suppress(FileNotFoundError):
        for entry in root.iterdir():
            parts = entry.name.split("-")
            if len(parts) >= 3 and entry.name.startswith(_EPHEMERAL_PREFIX) and parts[1].isdigit():
                if not _pid_alive(int(parts[1])):
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry)
    return removed


@dataclass(eq=False)
class Database:
    """One database: its SQLite file and an anchor connection kept open for its lifetime.

    `schema_version` counts DDL so that caches of table metadata know when to refresh. Sessions
    run on their own threads and apsw refuses a connection busy in another thread: use the
    anchor with `lock` held.
    """

    name: str
    path: Path
    anchor: apsw.Connection
    dropped: bool = False
    schema_version: int = 0
    _meta: dict[Any, Any] = field(default_factory=dict)  # see Catalog: metadata by schema version
    lock: threading.RLock = field(default_factory=threading.RLock)


@dataclass(frozen=True)
class StorageKnobs(TestingKnobs):
    """Testing knobs of storage (read by `Storage.commit_fault`).

    fail_commit: the Nth commit (1-based, counted from the node's start, every database) fails as
        on a full disk: nothing of it is applied and the client gets MySQL's error 1180 with errno 28.
    error_after_commit: the Nth commit is made (and replicated) but the client gets that same error:
        a planted lie, for proving that a check of failed writes catches a write that appears anyway.
    """

    subsystem: ClassVar[str] = "storage"
    fail_commit: int | None = None
    error_after_commit: int | None = None


class Storage:
    """The set of databases of one node.

    Args:
        data_dir: directory for durable databases; None keeps them in memory.
        knobs: testing knobs (faults to inject).
    """

    _counter = itertools.count()

    def __init__(self, data_dir: str | os.PathLike[str] | None = None, knobs: StorageKnobs | None = None) -> None:
        self.knobs = knobs or StorageKnobs()
        self._commits = itertools.count(1)
        self.in_memory = data_dir is None
        if data_dir is None:
            root = ephemeral_root()
            root.mkdir(parents=True, exist_ok=True)
            self.directory = Path(
                tempfile.mkdtemp(prefix=f"{_EPHEMERAL_PREFIX}{os.getpid()}-{next(self._counter)}-", dir=root)
            )
        else:
            self.directory = Path(data_dir).resolve()
            self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._databases: dict[str, Database] = {}
        self.closed = False
        for path in sorted(self.directory.glob(f"*{_DB_SUFFIX}")):
            name = decode_name(path.name[: -len(_DB_SUFFIX)])
            self._databases[name.lower()] = Database(name, path, self.connect_path(path))

    def commit_fault(self) -> Literal["fail", "error_after"] | None:
        """Count a commit about to be made; what the knobs make of it: "fail" (as on a full disk),
        "error_after" (made, then reported failed), or None."""
        n = next(self._commits)
        if n == self.knobs.fail_commit:
            return "fail"
        return "error_after" if n == self.knobs.error_after_commit else None

    # -- connections ---------------------------------------------------------------------------

    def connect_path(self, path: Path, *, cache_statements: bool = True) -> apsw.Connection:
        # A connection that keeps no prepared statements has every statement authorized as it runs
        # (a session whose tables are checked by the authorizer, see `_access`).
        conn = apsw.Connection(str(path), flags=_OPEN_FLAGS, statementcachesize=100 if cache_statements else 0)
        register_collations(conn)  # before anything reads a table whose columns name them
        # The SQL layer never lets two connections write one database at once (it holds
        # MySQL-style locks first), so a busy database is a bug to report, not to wait on.
        conn.execute(
            "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
            + ("PRAGMA synchronous=OFF;" if self.in_memory else "PRAGMA synchronous=NORMAL;")
        ).fetchall()
        return conn

    def connect(self, database: Database, *, cache_statements: bool = True) -> apsw.Connection:
        """A new connection to `database` (each SQL session has its own)."""
        return self.connect_path(database.path, cache_statements=cache_statements)

    # -- catalog -------------------------------------------------------------------------------

    def names(self) -> list[str]:
        with self._lock:
            return sorted(db.name for db in self._databases.values())

    def get(self, name: str) -> Database | None:
        # MySQL database names are case-sensitive on Linux; we fold case so that the
        # file system of any platform behaves the same, and keep the name as created.
        return self._databases.get(name.lower())

    def create(self, name: str, image: bytes | None = None) -> Database:
        """A new database, empty or holding `image` (a serialized SQLite database, see `image()`)."""
        with self._lock:
            if name.lower() in self._databases:
                raise FileExistsError(name)
            path = self.directory / (encode_name(name) + _DB_SUFFIX)
            if image is not None:
                path.write_bytes(image)
            db = Database(name, path, self.connect_path(path))
            self._databases[name.lower()] = db
            return db

    def drop(self, name: str) -> Database:
        with self._lock:
            db = self._databases.pop(name.lower())
            self._discard(db)
        return db

    def replace(self, old: str, name: str, image: bytes) -> Database:
        """Swap database `old` for database `name` holding `image` (the same name, but for case) in
        one step, so that no session finds it missing."""
        with self._lock:
            self._discard(self._databases.pop(old.lower()))
            path = self.directory / (encode_name(name) + _DB_SUFFIX)
            path.write_bytes(image)
            db = Database(name, path, self.connect_path(path))
            self._databases[name.lower()] = db
            return db

    @staticmethod
    def _discard(db: Database) -> None:
        with db.lock:
            db.dropped = True
            db.anchor.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(db.path) + suffix)

    def image(self, name: str) -> bytes:
        """The committed content of a database as one SQLite file image (a snapshot)."""
        db = self.get(name)
        if db is None:
            raise KeyError(name)
        with db.lock:
            return db.anchor.serialize("main") or b""

    def databases(self) -> list[Database]:
        with self._lock:
            return sorted(self._databases.values(), key=lambda d: d.name)

    # -- white-box helpers ---------------------------------------------------------------------

    def checksum(self, name: str) -> str:
        """A digest of a database's schema and rows, equal on two nodes holding the same data."""
        db = self.get(name)
        if db is None:
            raise KeyError(name)
        with db.lock:
            return checksum_connection(db.anchor)

    def close(self) -> None:
        """Close every database; in-memory storage deletes its files."""
        if self.closed:
            return
        self.closed = True
        with self._lock:
            dbs = list(self._databases.values())
        for db in dbs:
            with contextlib.suppress(Exception), db.lock:
                db.anchor.close()
        if self.in_memory:
            shutil.rmtree(self.directory, ignore_errors=True)


def user_tables(conn: apsw.Connection) -> list[tuple[str, str]]:
    """(name, create sql) of the tables users made, sorted by name."""
    return [
        (name, sql)
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


def checksum_connection(conn: apsw.Connection) -> str:
    digest = hashlib.sha256()
    for name, sql in user_tables(conn):
        digest.update(sql.encode())
        ncols = len(conn.execute(f'PRAGMA table_info("{name}")').fetchall())
        order = ", ".join(str(i) for i in range(1, ncols + 1))
        # Every column in the ORDER BY: rows of tables without a key still sort the same everywhere.
        for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY {order}'):
            digest.update(repr(row).encode())
    return digest.hexdigest()



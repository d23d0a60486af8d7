"""A session's transaction: the databases it writes, their locks, savepoints, commit and rollback.

Reads run outside any SQLite transaction and so see the latest committed data; the first write to
a database in a transaction takes that database's write lock (waiting as InnoDB would, up to
`innodb_lock_wait_timeout`) and begins an SQLite write transaction that lasts until COMMIT or
ROLLBACK. Other sessions never see its uncommitted rows (WAL), and never fail with SQLite's
"database is locked".
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import final

import apsw

from ._catalog import Catalog
from ._commits import Change, CommitListenerSet
from ._connections import Conn, Connections
from ._errors import ER_LOCK_WAIT_TIMEOUT, SQLError, unknown_database
from ._locks import LockManager
from ._sqlite import quote
from ._storage import Database
from ._variables import SessionVariables

ER_ERROR_DURING_COMMIT = 1180
_DISK_FULL = 'Got error 28 "No space left on device" during COMMIT'


@final
class Transaction:
    """One session's transaction state; also the owner of its locks (`_locks.LockOwner`)."""

    def __init__(self, conns: Connections, locks: LockManager, commits: CommitListenerSet, catalog: Catalog,
                 variables: SessionVariables) -> None:
        self.conns = conns
        self.lock_manager = locks
        self.commits = commits
        self.catalog = catalog
        self.variables = variables
        self.locks: set[str] = set()  # held (LockOwner)
        self.waiting_for: str | None = None  # the lock it waits for (LockOwner)
        self.explicit = False  # BEGIN / START TRANSACTION
        # SET TRANSACTION without GLOBAL or SESSION, START TRANSACTION READ ONLY: for this (or the next)
        # transaction only.
        self.next_isolation: str | None = None
        self.next_read_only: bool | None = None
        self._ddl: list[tuple[Database, Change]] = []
        self._savepoints: list[str] = []
        # Statements of a stored function or trigger run inside their caller's statement, which ends
        # (commits or rolls back) for them.
        self.nested = 0

    @property
    def active(self) -> bool:
        """In a transaction: begun explicitly, or writing with autocommit off."""
        return self.explicit or bool(self.conns.writing)

    @property
    def deferred(self) -> bool:
        """Whether statements wait for COMMIT (in BEGIN, or with autocommit off)."""
        return self.explicit or not self.variables.autocommit

    def _lock_timeout(self) -> float:
        return float(self.variables.get("innodb_lock_wait_timeout"))

    # -- writing ----------------------------------------------------------------------------------

    def snapshot(self, c: Conn) -> None:
        """Before a read in a transaction under REPEATABLE READ (or SERIALIZABLE): the first one opens
        an SQLite read transaction on `c`, whose WAL snapshot every later read of the transaction sees,
        as InnoDB's consistent read does. (Writes read the latest data: the first write of a
        transaction to a database ends its snapshot there, see `begin_write`.)"""
        if c.db is None or c.in_write or not self.deferred:
            return
        key = c.db.name.lower()
        if key in self.conns.reading:
            return
        isolation = self.next_isolation or self.variables.get("transaction_isolation")
        if isolation not in ("REPEATABLE-READ", "SERIALIZABLE"):
            return
        if c.conn.getautocommit():
            c.conn.execute("BEGIN DEFERRED").fetchall()  # the snapshot is taken by the read that follows
            self.conns.reading[key] = c

    def check_writable(self) -> None:
        """1792 for a write in a READ ONLY transaction (or session)."""
        read_only = self.next_read_only
        if read_only is None:
            read_only = bool(self.variables.get("transaction_read_only"))
        if read_only:
            raise SQLError(1792, "Cannot execute statement in a READ ONLY transaction", "25006")

    def _end_reads(self) -> None:
        self.next_isolation = self.next_read_only = None  # the transaction they were for ends
        reading, self.conns.reading = self.conns.reading, {}
        for c in reading.values():
            with contextlib.suppress(apsw.Error):
                c.conn.execute("COMMIT").fetchall()  # it wrote nothing

    def begin_write(self, name: str, *, ddl: bool = False) -> Conn:
        """The connection to database `name`, in a write transaction holding the database's lock.

        SQLite enforces the foreign keys of the statements in it when foreign_key_checks is on, as
        InnoDB does, except in DDL (`ddl`): a table rebuilt by ALTER TABLE is dropped and made again
        with its rows, which must not cascade into other tables.
        """
        c = self.conns.get(name)
        if c.in_write:
            return c
        db = c.database
        key = db.name.lower()
        self.lock_manager.acquire(key, self, self._lock_timeout())
        if db.dropped:  # dropped while we waited
            self.lock_manager.release_all(self)
            raise unknown_database(name)
        if self.conns.reading.pop(key, None) is not None:
            with contextlib.suppress(apsw.Error):
                c.conn.execute("COMMIT").fetchall()  # the snapshot ends: writes work on the latest data
        enforce = not ddl and bool(self.variables.get("foreign_key_checks"))
        if c.foreign_keys != enforce:  # (SQLite takes this only outside a transaction)
            c.conn.execute(f"PRAGMA foreign_keys = {'ON' if enforce else 'OFF'}").fetchall()
            c.foreign_keys = enforce
        try:
            c.conn.execute("BEGIN IMMEDIATE").fetchall()
        except apsw.BusyError:
            raise SQLError(ER_LOCK_WAIT_TIMEOUT, "Lock wait timeout exceeded; try restarting transaction") from None
        c.in_write = True
        self.capture_rows(c)
        self.conns.writing[key] = c
        return c

    def capture_rows(self, c: Conn) -> None:
        """Record the row changes made on `c` from now on, to replicate as a changeset at commit (when
        this node publishes commits). DDL stops the recording (`begin_ddl`); CREATE TABLE ... SELECT
        starts it again for the rows it copies, so that a standby receives the rows, not the query:
        the query may call functions whose values differ there (NOW(), UUID(), RAND(), variables)."""
        if self.commits.capture and c.capture is None:
            capture = apsw.Session(c.conn, "main")
            capture.config(apsw.SQLITE_SESSION_OBJCONFIG_ROWID, 1)
            capture.attach()
            c.capture = capture

    def lock(self, db: Database) -> None:
        """Take a database's lock without writing it (DROP DATABASE); released by `release_locks`."""
        self.lock_manager.acquire(db.name.lower(), self, self._lock_timeout())

    def release_locks(self) -> None:
        self.lock_manager.release_all(self)

    def begin_ddl(self, name: str) -> Conn:
        """Commit what is open (as MySQL does before DDL), then `begin_write` for DDL, which
        replicates as its statements, not as row changes."""
        self.implicit_commit()
        c = self.begin_write(name, ddl=True)
        c.stop_capture()
        return c

    def ddl_done(self, c: Conn, statements: tuple[str, ...]) -> None:
        """DDL ran on `c`: once committed, it replicates and changes the schema (`commit` tells the catalog)."""
        self._ddl.append((c.database, Change("ddl", c.database.name, statements)))

    def publish(self, make: Callable[[], Change | None], *, release_locks: bool = False) -> Change | None:
        """Make a change to the catalog (CREATE/DROP DATABASE) and publish it, in commit order; then
        release the locks if asked, and wait for the change to be acknowledged."""
        waiter = None
        try:
            with self.commits.lock:
                change = make()
                if change is not None:
                    waiter = self.commits.publish([change])
        finally:
            if release_locks:
                self.release_locks()
        if waiter is not None:
            waiter()
        return change

    # -- ending ---------------------------------------------------------------------------------

    def commit(self) -> None:
        """Commit every database written in this transaction and release the locks.

        Blocks while the commit hook waits for acknowledgements (a primary with an ack timeout).
        """
        fault = self.catalog.storage.commit_fault() if self.conns.writing else None
        if fault == "fail":
            # A testing knob (StorageKnobs.fail_commit): the disk is full; nothing of it lands.
            self.rollback()
            raise SQLError(ER_ERROR_DURING_COMMIT, _DISK_FULL)
        self._end_reads()
        ddl, self._ddl = self._ddl, []
        changes = [change for _, change in ddl]
        writing, self.conns.writing = self.conns.writing, {}
        waiter = None
        with self.commits.lock:
            try:
                for c in writing.values():
                    payload = c.stop_capture()
                    if payload:
                        changes.append(Change("changeset", c.database.name, payload))
                    c.conn.execute("COMMIT").fetchall()
                    c.in_write = False
            finally:
                self.explicit = False
                self._savepoints.clear()
                self.lock_manager.release_all(self)
            for db, _ in ddl:  # committed: the schema changed
                self.catalog.schema_changed(db)
            if changes:
                waiter = self.commits.publish(changes)
        if waiter is not None:
            waiter()
        if fault == "error_after":
            # A testing knob (StorageKnobs.error_after_commit): committed, yet reported failed.
            raise SQLError(ER_ERROR_DURING_COMMIT, _DISK_FULL)

    def rollback(self) -> None:
        """Undo what the transaction wrote and release the locks."""
        self._end_reads()
        writing, self.conns.writing = self.conns.writing, {}
        self._ddl.clear()
        for c in writing.values():
            c.stop_capture()
            with contextlib.suppress(apsw.Error):
                c.conn.execute("ROLLBACK").fetchall()
            c.in_write = False
        self.explicit = False
        self._savepoints.clear()
        self.lock_manager.release_all(self)

    def implicit_commit(self) -> None:
        """What MySQL does before DDL, BEGIN, or SET autocommit=1: commit what is open."""
        if self.conns.writing or self.conns.reading or self.explicit:
            self.commit()

    def end_statement(self, failed: bool = False) -> None:
        """In autocommit mode, a statement outside BEGIN commits (or rolls back) on its own."""
        if self.deferred or self.nested:
            return
        if failed:
            self.rollback()
        else:
            self.commit()

    # -- savepoints -----------------------------------------------------------------------------

    def savepoint(self, name: str) -> None:
        for c in self.conns.writing.values():
            c.conn.execute("SAVEPOINT " + quote(name)).fetchall()
        self._savepoints.append(name.lower())

    def release_savepoint(self, name: str) -> None:
        self._to_savepoint(name, "RELEASE SAVEPOINT ")

    def rollback_to_savepoint(self, name: str) -> None:
        self._to_savepoint(name, "ROLLBACK TO SAVEPOINT ")

    def _to_savepoint(self, name: str, verb: str) -> None:
        if name.lower() not in self._savepoints:
            raise SQLError(1305, f"SAVEPOINT {name} does not exist", "42000")
        for c in self.conns.writing.values():
            with contextlib.suppress(apsw.SQLError):  # a database first written after the savepoint
                c.conn.execute(verb + quote(name)).fetchall()
        if verb.startswith("RELEASE"):
            self._savepoints = self._savepoints[: self._savepoints.index(name.lower())]

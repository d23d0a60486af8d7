"""The receiving end of replication: applying a primary's commits and snapshots to this node.

The primary records each transaction as SQLite session changesets (row images, so
NOW(), RAND(), UUID() and AUTO_INCREMENT values arrive as the primary computed
them), DDL as the statements it ran, and CREATE/DROP DATABASE as catalog changes.
`Applier` replays them here in commit order. A standby that cannot follow the log
(new, or on another history) gets a snapshot instead: every database's committed
SQLite image, installed in place of what it had.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Sequence

import apsw

from ._engine import Change, Engine
from ._errors import SQLError
from ._sealed import replicated_ddl

logger = logging.getLogger("app.sql.replica")

# Waiting on a session's lock means the node wrote while it should not have; give up
# after this long rather than stall replication forever.
_LOCK_TIMEOUT = 10.0


_KINDS = frozenset({"create_database", "drop_database", "changeset", "ddl", "accounts"})
# The snapshot's entry that holds the accounts (no database has an empty name).
_ACCOUNTS_IMAGE = ""


class ReplicationApplyError(Exception):
    """A replicated change could not be applied: the standby's state differs from the primary's."""


class Applier:
    """Applies replicated changes to an engine's databases (a lock owner like a session).

    Its methods block while a session holds a database's lock: call them off any event loop.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.locks: set[str] = set()
        self.waiting_for: str | None = None
        self.conflicts = 0

    def apply(self, changes: Sequence[Change]) -> None:
        """Apply one committed transaction's changes, in the order the primary made them.

        Only structured changes: row changesets, DDL statements of the database they name (re-checked
        here, see `_sealed.replicated_ddl`), and the creation and drop of databases.
        """
        for change in changes:
            if change.kind not in _KINDS or not isinstance(change.database, str):
                raise ReplicationApplyError(f"not a replicated change: {change.kind!r}")
            if change.kind == "create_database":
                try:
                    self.engine.create_database(change.database, if_not_exists=True)
                except SQLError as e:
                    raise ReplicationApplyError(f"creating database {change.database!r}: {e.message}") from None
            elif change.kind == "drop_database":
                self._drop(change.database)
            elif change.kind == "accounts":
                self._accounts(change.payload)
            else:
                self._apply_to(change)

    def _accounts(self, payload: object) -> None:
        """Take the primary's accounts: plain data, checked field by field (`AccountStore.restore`)."""
        try:
            if not isinstance(payload, bytes):
                raise ValueError("not bytes")
            self.engine.accounts.restore(json.loads(payload))
        except ValueError as e:
            raise ReplicationApplyError(f"replicated accounts that do not parse: {e}") from None

    def _drop(self, name: str) -> None:
        db = self.engine.storage.get(name)
        if db is None:
            return
        self.engine.locks.acquire(db.name.lower(), self, _LOCK_TIMEOUT)
        try:
            self.engine.drop_database(name, if_exists=True)
        finally:
            self.engine.locks.release_all(self)

    def _apply_to(self, change: Change) -> None:
        db = self.engine.storage.get(change.database)
        if db is None:
            raise ReplicationApplyError(f"database {change.database!r} does not exist here")
        try:
            self.engine.locks.acquire(db.name.lower(), self, _LOCK_TIMEOUT)
        except SQLError as e:
            raise ReplicationApplyError(f"database {db.name!r} stayed locked by a session: {e.message}") from None
        conn = db.anchor
        try:
            with db.lock:  # the anchor is shared with sessions' threads
                # The primary enforced the foreign keys; its cascades arrive as row changes, and a
                # rebuilt table (ALTER TABLE) must not cascade its drop here.
                conn.execute("PRAGMA foreign_keys = OFF").fetchall()
                conn.execute("BEGIN IMMEDIATE").fetchall()
                try:
                    if change.kind == "changeset":
                        if not isinstance(change.payload, bytes):
                            raise ReplicationApplyError("a changeset that is not bytes")
                        apsw.Changeset.apply(change.payload, conn, conflict=self._conflict)
                    else:
                        if not isinstance(change.payload, tuple):
                            raise ReplicationApplyError("DDL that is not a list of statements")
                        replicated_ddl(conn, db.name, change.payload)
                    conn.execute("COMMIT").fetchall()
                except BaseException:
                    with contextlib.suppress(apsw.Error):
                        conn.execute("ROLLBACK").fetchall()
                    raise
        except (apsw.Error, SQLError) as e:
            raise ReplicationApplyError(f"applying {change.kind} to {db.name!r}: {e}") from None
        finally:
            self.engine.locks.release_all(self)
        if change.kind == "ddl":
            self.engine.catalog.schema_changed(db)

    def _conflict(self, reason: int, change: apsw.TableChange) -> int:
        # Equal states never conflict; if they do, the primary's row wins and we say so,
        # since a silently diverged standby is worse than a noisy one.
        self.conflicts += 1
        logger.warning("replication conflict %d on table %s (%s); taking the primary's row",
                       reason, change.name, change.opcode)
        if reason in (apsw.SQLITE_CHANGESET_DATA, apsw.SQLITE_CHANGESET_CONFLICT):
            return apsw.SQLITE_CHANGESET_REPLACE
        return apsw.SQLITE_CHANGESET_OMIT

    def snapshot(self) -> list[tuple[str, bytes]]:
        """Every database's committed image, and the accounts (under the name ""), consistent as of now:
        call it with the engine's
        `commit_lock` held, so that no commit lands between two images."""
        storage = self.engine.storage
        accounts = json.dumps(self.engine.accounts.snapshot(), separators=(",", ":")).encode()
        return [(db.name, storage.image(db.name)) for db in storage.databases() if not db.dropped] + [
            (_ACCOUNTS_IMAGE, accounts)]

    def install(self, images: Sequence[tuple[str, bytes]]) -> None:
        """Replace every database with the snapshot's (databases it lacks are dropped), and the accounts.

        Each database is swapped for its new image in one step (`Storage.replace`), so a client
        never finds a database missing that both sides hold.
        """
        engine = self.engine
        wanted = {name.lower(): (name, image) for name, image in images}
        accounts = wanted.pop(_ACCOUNTS_IMAGE, None)
        if accounts is not None:
            self._accounts(accounts[1])
        for db in engine.storage.databases():
            self._replace(db.name, wanted.pop(db.name.lower(), None))
        for name, image in wanted.values():
            engine.catalog.create_database(name, image=image)

    def _replace(self, name: str, new: tuple[str, bytes] | None) -> None:
        engine = self.engine
        db = engine.storage.get(name)
        if db is None:
            return
        engine.locks.acquire(db.name.lower(), self, _LOCK_TIMEOUT)
        try:
            if new is not None:  # sessions that USE'd it go on using the new copy
                engine.catalog.replace_database(db.name, *new)
            else:
                engine.catalog.drop_database(db.name)
        finally:
            engine.locks.release_all(self)

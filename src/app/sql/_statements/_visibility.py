"""information_schema shows a restricted session only what it may see, as MariaDB's does: the
databases and tables it has a privilege on, and (without PROCESS) only its own user's threads."""

from __future__ import annotations

import apsw

from .._accounts import Access
from .._sqlite import quote


def hide_invisible_rows(conn: apsw.Connection, access: Access) -> None:
    """Delete from the information_schema tables made in `conn` the rows `access` may not see."""
    if access.unrestricted:
        return
    for (found,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall():
        table = str(found)
        columns = {str(r[1]).upper() for r in conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()}
        if table.upper() == "PROCESSLIST":
            if not access.has("PROCESS"):
                conn.execute(f"DELETE FROM {quote(table)} WHERE USER IS NOT ?", (access.user,)).fetchall()
            continue
        schema = "TABLE_SCHEMA" if "TABLE_SCHEMA" in columns else "SCHEMA_NAME" if "SCHEMA_NAME" in columns else None
        if schema is None:
            continue
        name = "TABLE_NAME" if "TABLE_NAME" in columns else None
        rows = conn.execute(f"SELECT rowid, {schema}, {name or 'NULL'} FROM {quote(table)}").fetchall()
        hidden = []
        for rowid, db, tname in rows:
            db = str(db)
            if db.lower() == "information_schema":
                continue
            visible = access.sees_table(db, str(tname)) if tname is not None else access.sees_database(db)
            if not visible:
                hidden.append((rowid,))
        if hidden:
            conn.executemany(f"DELETE FROM {quote(table)} WHERE rowid = ?", hidden)

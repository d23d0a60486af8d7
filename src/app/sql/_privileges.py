"""MariaDB's privileges: their names, the levels they apply at, and how SHOW GRANTS orders them."""

from __future__ import annotations

from typing import Final

# Every global privilege, in the order MariaDB 10.11 lists them (SHOW GRANTS, ALL PRIVILEGES).
GLOBAL: Final = (
    "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "RELOAD", "SHUTDOWN", "PROCESS", "FILE",
    "REFERENCES", "INDEX", "ALTER", "SHOW DATABASES", "SUPER", "CREATE TEMPORARY TABLES", "LOCK TABLES",
    "EXECUTE", "REPLICATION SLAVE", "BINLOG MONITOR", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE",
    "ALTER ROUTINE", "CREATE USER", "EVENT", "TRIGGER", "CREATE TABLESPACE", "DELETE HISTORY", "SET USER",
    "FEDERATED ADMIN", "CONNECTION ADMIN", "READ_ONLY ADMIN", "REPLICATION SLAVE ADMIN",
    "REPLICATION MASTER ADMIN", "BINLOG ADMIN", "BINLOG REPLAY", "SLAVE MONITOR",
)
# What may be granted on a database (`db`.*).
DATABASE: Final = (
    "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "REFERENCES", "INDEX", "ALTER",
    "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE",
    "ALTER ROUTINE", "EVENT", "TRIGGER", "DELETE HISTORY",
)
# What may be granted on a table (`db`.`t`).
TABLE: Final = (
    "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "REFERENCES", "INDEX", "ALTER", "CREATE VIEW",
    "SHOW VIEW", "TRIGGER", "DELETE HISTORY",
)
GRANT_OPTION: Final = "GRANT OPTION"
# Other names MariaDB accepts for a privilege.
ALIASES: Final = {
    "REPLICATION CLIENT": "BINLOG MONITOR",
    "REPLICA MONITOR": "SLAVE MONITOR",
    "REPLICATION REPLICA": "REPLICATION SLAVE",
    "REPLICATION REPLICA ADMIN": "REPLICATION SLAVE ADMIN",
}
_ORDER: Final = {name: i for i, name in enumerate(GLOBAL)}

# The columns of mysql.user / mysql.db that show a privilege ('Y' or 'N'), in MariaDB's order.
USER_COLUMNS: Final = (
    ("Select_priv", "SELECT"), ("Insert_priv", "INSERT"), ("Update_priv", "UPDATE"), ("Delete_priv", "DELETE"),
    ("Create_priv", "CREATE"), ("Drop_priv", "DROP"), ("Reload_priv", "RELOAD"), ("Shutdown_priv", "SHUTDOWN"),
    ("Process_priv", "PROCESS"), ("File_priv", "FILE"), ("Grant_priv", GRANT_OPTION),
    ("References_priv", "REFERENCES"), ("Index_priv", "INDEX"), ("Alter_priv", "ALTER"),
    ("Show_db_priv", "SHOW DATABASES"), ("Super_priv", "SUPER"), ("Create_tmp_table_priv", "CREATE TEMPORARY TABLES"),
    ("Lock_tables_priv", "LOCK TABLES"), ("Execute_priv", "EXECUTE"), ("Repl_slave_priv", "REPLICATION SLAVE"),
    ("Repl_client_priv", "BINLOG MONITOR"), ("Create_view_priv", "CREATE VIEW"), ("Show_view_priv", "SHOW VIEW"),
    ("Create_routine_priv", "CREATE ROUTINE"), ("Alter_routine_priv", "ALTER ROUTINE"),
    ("Create_user_priv", "CREATE USER"), ("Event_priv", "EVENT"), ("Trigger_priv", "TRIGGER"),
    ("Create_tablespace_priv", "CREATE TABLESPACE"), ("Delete_history_priv", "DELETE HISTORY"),
)
DB_COLUMNS: Final = tuple((c, p) for c, p in USER_COLUMNS if p in DATABASE or p == GRANT_OPTION)


def ordered(privileges: frozenset[str] | set[str]) -> list[str]:
    """`privileges` in MariaDB's order."""
    return sorted(privileges, key=lambda p: _ORDER.get(p, len(_ORDER)))


def describe(privileges: frozenset[str], level: tuple[str, ...]) -> str:
    """How SHOW GRANTS writes a set of privileges at a level: ALL PRIVILEGES, USAGE or the list."""
    if not privileges:
        return "USAGE"
    if privileges >= frozenset(level):
        return "ALL PRIVILEGES"
    return ", ".join(ordered(privileges))


def canonical(name: str) -> str:
    """A privilege's canonical name (upper case, one space between words, aliases resolved)."""
    words = " ".join(name.upper().split())
    return ALIASES.get(words, words)

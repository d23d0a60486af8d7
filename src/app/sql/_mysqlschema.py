"""The `mysql` schema as clients and tools read it: `mysql.user`, `mysql.db` and `mysql.tables_priv`,
read-only views of the node's accounts (`_accounts.AccountStore`) with MariaDB 10.11's columns."""

from __future__ import annotations

from typing import Any, Final

from . import _privileges as pv
from ._accounts import AccountStore
from ._catalog import VirtualTable

SCHEMA: Final = "mysql"


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def _columns(names: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{c} char(1)" for c, _ in names)


_USER_DDL: Final = (
    "CREATE TABLE user (Host char(255), User char(128), Password longtext, " + _columns(pv.USER_COLUMNS)
    + ", ssl_type varchar(9), ssl_cipher longtext, x509_issuer longtext, x509_subject longtext, "
    "max_questions bigint unsigned, max_updates bigint unsigned, max_connections bigint unsigned, "
    "max_user_connections bigint, plugin longtext, authentication_string longtext, password_expired varchar(1), "
    "is_role varchar(1), default_role longtext, max_statement_time decimal(12,6))")
_DB_DDL: Final = "CREATE TABLE db (Host char(255), Db char(64), User char(128), " + _columns(pv.DB_COLUMNS) + ")"
_TABLES_PRIV_DDL: Final = (
    "CREATE TABLE tables_priv (Host char(255), Db char(64), User char(128), Table_name char(64), Grantor varchar(384), "
    "Timestamp timestamp, Table_priv varchar(200), Column_priv varchar(40))")


def tables(store: AccountStore) -> list[VirtualTable]:
    """The virtual tables of the `mysql` schema, over `store`."""

    def users() -> list[tuple[Any, ...]]:
        out = []
        for a in store.accounts():
            password = a.auth_string if a.plugin == "mysql_native_password" else ""
            out.append((a.host, a.user, password, *(_yn(p in a.privileges) for _, p in pv.USER_COLUMNS),
                        "", "", "", "", 0, 0, 0, 0, a.plugin, a.auth_string, "N", "N", "", 0.0))
        return out

    def dbs() -> list[tuple[Any, ...]]:
        return [(a.host, name, a.user, *(_yn(p in privileges) for _, p in pv.DB_COLUMNS))
                for a in store.accounts() for name, privileges in a.databases.values()]

    def tables_priv() -> list[tuple[Any, ...]]:
        return [(a.host, db, a.user, table, "", "1970-01-01 00:00:00",
                 ",".join(p.title() if p != pv.GRANT_OPTION else "Grant" for p in pv.ordered(privileges)), "")
                for a in store.accounts() for db, table, privileges in a.tables.values()]

    return [VirtualTable("user", _USER_DDL, users), VirtualTable("db", _DB_DDL, dbs),
            VirtualTable("tables_priv", _TABLES_PRIV_DDL, tables_priv)]

"""System variables: definitions, defaults, scopes and validation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal

from ._errors import ER_UNKNOWN_SYSTEM_VARIABLE, ER_WRONG_VALUE_FOR_VAR, SQLError

Scope = Literal["both", "global", "session"]

_TRUE: Final = {"1", "on", "true", "yes"}
_FALSE: Final = {"0", "off", "false", "no"}


def as_bool(name: str, value: Any) -> int:
    text = str(value).lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise SQLError(ER_WRONG_VALUE_FOR_VAR, f"Variable '{name}' can't be set to the value of '{value}'")


def as_int(name: str, value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise SQLError(1232, f"Incorrect argument type to variable '{name}'", "42000") from None


def as_str(name: str, value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Variable:
    """A system variable. `on_set` runs after a global assignment (and may refuse it by raising)."""

    name: str
    default: Any
    scope: Scope = "both"
    convert: Callable[[str, Any], Any] = as_str
    read_only: bool = False
    getter: Callable[[], Any] | None = None
    on_set: Callable[[Any], None] | None = None


def default_variables(version: str) -> dict[str, Variable]:
    defs = [
        Variable("autocommit", 1, convert=as_bool),
        Variable("innodb_lock_wait_timeout", 50, convert=as_int),
        Variable("lock_wait_timeout", 86400, convert=as_int),
        Variable("version", version, scope="global", read_only=True),
        Variable("version_comment", "app (MySQL-compatible server on SQLite)", scope="global", read_only=True),
        Variable("version_compile_os", "Linux", scope="global", read_only=True),
        Variable("sql_mode", "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION"),
        Variable("time_zone", "SYSTEM"),
        Variable("system_time_zone", "UTC", scope="global", read_only=True),
        # Honest: reads see the latest committed data (see README, known differences).
        Variable("transaction_isolation", "READ-COMMITTED"),
        Variable("tx_isolation", "READ-COMMITTED"),
        Variable("transaction_read_only", 0, convert=as_bool),
        Variable("tx_read_only", 0, convert=as_bool),
        Variable("read_only", 0, scope="global", convert=as_bool),
        Variable("max_allowed_packet", 16777216, convert=as_int),
        Variable("net_buffer_length", 16384, convert=as_int),
        Variable("wait_timeout", 28800, convert=as_int),
        Variable("interactive_timeout", 28800, convert=as_int),
        Variable("net_read_timeout", 30, convert=as_int),
        Variable("net_write_timeout", 60, convert=as_int),
        Variable("character_set_client", "utf8mb4"),
        Variable("character_set_connection", "utf8mb4"),
        Variable("character_set_results", "utf8mb4"),
        Variable("character_set_server", "utf8mb4"),
        Variable("character_set_database", "utf8mb4"),
        Variable("collation_connection", "utf8mb4_general_ci"),
        Variable("collation_server", "utf8mb4_general_ci"),
        Variable("collation_database", "utf8mb4_general_ci"),
        Variable("default_storage_engine", "InnoDB"),
        Variable("storage_engine", "InnoDB"),
        Variable("lower_case_table_names", 0, scope="global", read_only=True, convert=as_int),
        Variable("max_connections", 151, scope="global", convert=as_int),
        Variable("sql_select_limit", 18446744073709551615, convert=as_int),
        Variable("sql_auto_is_null", 0, convert=as_bool),
        Variable("sql_safe_updates", 0, convert=as_bool),
        Variable("foreign_key_checks", 1, convert=as_bool),
        Variable("unique_checks", 1, convert=as_bool),
        Variable("sql_notes", 1, convert=as_bool),
        Variable("sql_log_bin", 1, convert=as_bool),
        Variable("div_precision_increment", 4, convert=as_int),
        Variable("group_concat_max_len", 1048576, convert=as_int),
        Variable("performance_schema", 0, scope="global", read_only=True, convert=as_bool),
        Variable("license", "MIT", scope="global", read_only=True),
        Variable("hostname", "localhost", scope="global", read_only=True),
        Variable("port", 0, scope="global", read_only=True, convert=as_int),
        Variable("server_id", 1, scope="global", convert=as_int),
        Variable("init_connect", "", scope="global"),
        Variable("have_ssl", "DISABLED", scope="global", read_only=True),
        Variable("query_cache_size", 0, scope="global", convert=as_int),
        Variable("query_cache_type", "OFF"),
        Variable("explicit_defaults_for_timestamp", 1, convert=as_bool),
        Variable("last_insert_id", 0, scope="session", convert=as_int),
        Variable("identity", 0, scope="session", convert=as_int),
    ]
    return {v.name: v for v in defs}


def unknown_variable(name: str) -> SQLError:
    return SQLError(ER_UNKNOWN_SYSTEM_VARIABLE, f"Unknown system variable '{name}'")

"""System variables (definitions, defaults, scopes, validation) and user variables.

`GlobalVariables` is the node's set (definitions and global values); `SessionVariables` is one
session's view of it: its own values, its user variables (@x), and the `Dialect` its statements
are translated in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal, final

from ._errors import ER_UNKNOWN_SYSTEM_VARIABLE, ER_WRONG_VALUE_FOR_VAR, SQLError
from ._plan import Dialect
from ._state import SessionState

Scope = Literal["both", "global", "session"]

_TRUE: Final = {"1", "on", "true", "yes"}
_FALSE: Final = {"0", "off", "false", "no"}


def as_bool(name: str, value: Any) -> int:
    """A boolean variable's value: 1 or 0 (ON, OFF, TRUE, ... accepted)."""
    text = str(value).lower()
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise SQLError(ER_WRONG_VALUE_FOR_VAR, f"Variable '{name}' can't be set to the value of '{value}'")


def as_int(name: str, value: Any) -> int:
    """An integer variable's value (1232 for what is not a number)."""
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise SQLError(1232, f"Incorrect argument type to variable '{name}'", "42000") from None


def as_str(name: str, value: Any) -> str:
    """A string variable's value (NULL is the empty string)."""
    return "" if value is None else str(value)


def as_seconds(name: str, value: Any) -> float:
    """A duration in seconds (max_statement_time, which the server enforces); below 0 is 0, as in MariaDB."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise SQLError(1232, f"Incorrect argument type to variable '{name}'", "42000") from None
    return max(0.0, seconds)


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
    """The system variables every node has."""
    defs = [
        Variable("autocommit", 1, convert=as_bool),
        Variable("innodb_lock_wait_timeout", 50, convert=as_int),
        Variable("lock_wait_timeout", 86400, convert=as_int),
        Variable("version", version, scope="global", read_only=True),
        Variable("version_comment", "app (MySQL-compatible server on SQLite)", scope="global", read_only=True),
        Variable("version_compile_os", "Linux", scope="global", read_only=True),
        Variable("sql_mode",
                 "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION"),
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
        # SHOW CREATE TABLE quotes names with backticks when 1, only where a name needs it when 0.
        Variable("sql_quote_show_create", 1, convert=as_bool),
        # Accepted for the clients that set it (mariadb-dump): SQLite's planner has no such switches.
        Variable("optimizer_switch", "", convert=as_str),
        Variable("max_statement_time", 0.0, convert=as_seconds),
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
        # Read from the session's diagnostics area (see SessionVariables.get).
        Variable("warning_count", 0, scope="session", read_only=True, convert=as_int),
        Variable("error_count", 0, scope="session", read_only=True, convert=as_int),
    ]
    return {v.name: v for v in defs}


def unknown_variable(name: str) -> SQLError:
    """1193 for a variable that does not exist."""
    return SQLError(ER_UNKNOWN_SYSTEM_VARIABLE, f"Unknown system variable '{name}'")


_SESSION_ALIASES: Final = frozenset({"last_insert_id", "identity"})  # the session's last insert id


@final
class GlobalVariables:
    """The node's system variables: their definitions and global values."""

    def __init__(self, version: str) -> None:
        self.definitions: dict[str, Variable] = default_variables(version)
        self.values: dict[str, Any] = {name: v.default for name, v in self.definitions.items()}
        # Counts changes, so that sessions know when to look again (their dialect).
        self.generation = 0
        self._lock = threading.Lock()

    def define(self, var: Variable) -> None:
        """Add a system variable (the server defines the cluster ones)."""
        with self._lock:
            self.definitions[var.name] = var
            self.values.setdefault(var.name, var.default)
            self.generation += 1

    def definition(self, name: str) -> Variable:
        var = self.definitions.get(name.lower())
        if var is None:
            raise unknown_variable(name)
        return var

    def get(self, name: str) -> Any:
        var = self.definition(name)
        if var.getter is not None:
            return var.getter()
        return self.values[var.name]

    def set(self, name: str, value: Any) -> None:
        """SET GLOBAL: validated, converted, and refused by the variable's `on_set` if it says so."""
        var = self.definition(name)
        if var.read_only:
            raise SQLError(1238, f"Variable '{var.name}' is a read only variable")
        if var.scope == "session":
            raise SQLError(1228, f"Variable '{var.name}' is a SESSION variable and can't be used with SET GLOBAL")
        converted = var.convert(var.name, value)
        if var.on_set is not None:
            var.on_set(converted)
        with self._lock:
            self.values[var.name] = converted
            self.generation += 1


@final
class SessionVariables:
    """One session's system variables (falling back to the global values) and user variables."""

    def __init__(self, globals_: GlobalVariables, state: SessionState) -> None:
        self.globals = globals_
        self.state = state
        self.values: dict[str, Any] = {}
        self.user: dict[str, Any] = {}
        self._dialect: Dialect | None = None
        self._dialect_generation = -1

    @property
    def autocommit(self) -> bool:
        return bool(self.get("autocommit"))

    @property
    def dialect(self) -> Dialect:
        """The settings this session's statements are translated with."""
        if self._dialect is None or self._dialect_generation != self.globals.generation:
            self._dialect_generation = self.globals.generation
            self._dialect = Dialect.from_variables(self.get)
        return self._dialect

    def get(self, name: str, scope: str = "") -> Any:
        """@@name, @@session.name (scope "session") or @@global.name (scope "global")."""
        key = name.lower()
        if scope != "global" and key in self.values:
            return self.values[key]
        if key in _SESSION_ALIASES:
            return self.state.last_insert_id
        if key == "warning_count" and scope != "global":
            return self.state.diagnostics.warning_count
        if key == "error_count" and scope != "global":
            return self.state.diagnostics.error_count
        var = self.globals.definition(name)
        if scope == "session" and var.scope == "global":
            raise SQLError(1238, f"Variable '{name}' is a GLOBAL variable", "HY000")
        return self.globals.get(key)

    def set(self, name: str, value: Any, scope: str = "") -> None:
        """SET [GLOBAL | SESSION] name = value."""
        key = name.lower()
        var = self.globals.definition(name)
        if scope == "global":
            self.globals.set(key, value)
            return
        if var.read_only:
            raise SQLError(1238, f"Variable '{var.name}' is a read only variable")
        if var.scope == "global":
            raise SQLError(1229, f"Variable '{var.name}' is a GLOBAL variable and should be set with SET GLOBAL")
        converted = var.convert(var.name, value)
        if key in _SESSION_ALIASES:
            self.state.last_insert_id = converted
            return
        self.values[key] = converted
        self._dialect = None

    def lookup(self, ref: str) -> Any:
        """The value of a variable reference as the translator recorded it: '@@[scope.]name' or '@name'."""
        if ref.startswith("@@"):
            body = ref[2:]
            scope = ""
            if "." in body:
                scope, body = body.split(".", 1)
            return self.get(body, scope)
        return self.user.get(ref[1:].lower())

    def bindings(self, var_params: tuple[tuple[str, str], ...], params: list[Any] | None) -> dict[str, Any] | None:
        """A statement's bindings: its shape's parameters (:p1, ...) and the variables it reads (:v0, ...)."""
        if params is None and not var_params:
            return None
        bindings: dict[str, Any] = {}
        if params:
            for i, value in enumerate(params, 1):
                bindings[f"p{i}"] = value
        for key, ref in var_params:
            bindings[key] = self.lookup(ref)
        return bindings

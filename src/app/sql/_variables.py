"""System variables (definitions, defaults, scopes, validation) and user variables.

`GlobalVariables` is the node's set (definitions and global values); `SessionVariables` is one
session's view of it: its own values, its user variables (@x), and the `Dialect` its statements
are translated in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Final, Literal, final

from . import _sqlmode as sqlmode
from ._errors import ER_UNKNOWN_SYSTEM_VARIABLE, ER_WRONG_VALUE_FOR_VAR, SQLError
from ._functions._timezone import zone
from ._plan import DEFAULT_SQL_MODE, Dialect
from ._sqltypes import SQLType, variable_type
from ._state import SessionState

Scope = Literal["both", "global", "session"]

_TRUE: Final = {"1", "on", "true", "yes"}
_FALSE: Final = {"0", "off", "false", "no"}
_INT64_MAX: Final = 2**63 - 1


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
    if isinstance(value, int):
        return value
    try:
        return int(value) if isinstance(value, str) and value.strip().lstrip("+-").isdigit() else int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise SQLError(1232, f"Incorrect argument type to variable '{name}'", "42000") from None


def as_str(name: str, value: Any) -> str:
    """A string variable's value (NULL is refused, as MariaDB refuses it: 1231)."""
    if value is None:
        raise SQLError(ER_WRONG_VALUE_FOR_VAR, f"Variable '{name}' can't be set to the value of 'NULL'")
    return str(value)


def as_str_or_null(name: str, value: Any) -> str:
    """A string variable that NULL empties (character_set_results, init_connect)."""
    return "" if value is None else str(value)


def bounded(low: int, high: int = 2**64 - 1) -> Callable[[str, Any], int]:
    """An integer variable kept within low..high (MariaDB clamps, with a warning)."""

    def convert(name: str, value: Any) -> int:
        return max(low, min(high, as_int(name, value)))

    _UNSIGNED_CONVERTERS.add(convert)
    return convert


# The converters of integer variables, which MariaDB types BIGINT UNSIGNED (booleans are signed).
_UNSIGNED_CONVERTERS: Final[set[Callable[[str, Any], Any]]] = {as_int}


# The converters of DOUBLE variables, which MariaDB sends and shows with 6 decimals.
_DOUBLE_CONVERTERS: Final[set[Callable[[str, Any], Any]]] = set()


def as_float(name: str, value: Any) -> float:
    """A DOUBLE variable's value (max_statement_time, long_query_time)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SQLError(1232, f"Incorrect argument type to variable '{name}'", "42000") from None


_DOUBLE_CONVERTERS.add(as_float)


def one_of(*choices: str) -> Callable[[str, Any], str]:
    """An ENUM variable: one of `choices` (any case), as MariaDB spells it; 1231 otherwise."""
    by_lower = {c.lower(): c for c in choices}

    def convert(name: str, value: Any) -> str:
        if isinstance(value, int) and 0 <= value < len(choices):
            return choices[value]
        found = by_lower.get(str(value).lower()) if value is not None else None
        if found is None:
            shown = "NULL" if value is None else value
            raise SQLError(ER_WRONG_VALUE_FOR_VAR, f"Variable '{name}' can't be set to the value of '{shown}'")
        return found

    return convert


def as_time_zone(name: str, value: Any) -> str:
    """SYSTEM, an offset within -12:59 .. +13:00, or a zone the tz database names (1298 otherwise)."""
    text = as_str(name, value)
    if zone(text) is None:
        raise SQLError(1298, f"Unknown or incorrect time zone: '{text}'", "HY000")
    return text


# The character sets MariaDB knows (every one is read as utf8mb4 here: the connection speaks it).
CHARSETS: Final = frozenset({
    "armscii8", "ascii", "big5", "binary", "cp1250", "cp1251", "cp1256", "cp1257", "cp850", "cp852", "cp866",
    "cp932", "dec8", "eucjpms", "euckr", "gb2312", "gbk", "geostd8", "greek", "hebrew", "hp8", "keybcs2", "koi8r",
    "koi8u", "latin1", "latin2", "latin5", "latin7", "macce", "macroman", "sjis", "swe7", "tis620", "ucs2", "ujis",
    "utf16", "utf16le", "utf32", "utf8", "utf8mb3", "utf8mb4"})


# The default collation of the character sets whose default is not <charset>_general_ci.
_DEFAULT_COLLATIONS: Final = {
    "big5": "big5_chinese_ci", "dec8": "dec8_swedish_ci", "hp8": "hp8_english_ci", "latin1": "latin1_swedish_ci",
    "swe7": "swe7_swedish_ci", "ujis": "ujis_japanese_ci", "sjis": "sjis_japanese_ci", "tis620": "tis620_thai_ci",
    "euckr": "euckr_korean_ci", "gb2312": "gb2312_chinese_ci", "gbk": "gbk_chinese_ci",
    "latin5": "latin5_turkish_ci", "binary": "binary", "cp932": "cp932_japanese_ci",
    "eucjpms": "eucjpms_japanese_ci"}
# Character sets a client cannot speak (2 or 4 bytes per ASCII character): SET NAMES refuses them.
_NOT_CLIENT: Final = frozenset({"ucs2", "utf16", "utf16le", "utf32"})


def default_collation(charset: str) -> str:
    """The collation a character set gets when none is named (latin1: latin1_swedish_ci)."""
    return _DEFAULT_COLLATIONS.get(charset, f"{charset}_general_ci")


def as_charset(name: str, value: Any) -> str:
    """A character set's name as MariaDB spells it (utf8 is utf8mb3: old_mode UTF8_IS_UTF8MB3); 1115 for
    one MariaDB does not know."""
    text = as_str(name, value)
    charset = text.lower()
    if charset not in CHARSETS:
        raise SQLError(1115, f"Unknown character set: '{text}'", "42000")
    return "utf8mb3" if charset == "utf8" else charset


def as_client_charset(name: str, value: Any) -> str:
    """character_set_client (and SET NAMES): a character set a client can speak (1231 for ucs2 and the like)."""
    charset = as_charset(name, value)
    if charset in _NOT_CLIENT:
        raise SQLError(ER_WRONG_VALUE_FOR_VAR, f"Variable '{name}' can't be set to the value of '{value}'")
    return charset


def as_charset_or_null(name: str, value: Any) -> str | None:
    """character_set_results: a character set, or NULL (results are then sent as stored)."""
    return None if value is None else as_charset(name, value)


def as_engine_or_null(name: str, value: Any) -> str | None:
    """default_tmp_storage_engine: an engine's name, or NULL (the default engine's then)."""
    return None if value is None else as_str(name, value)


def as_collation(name: str, value: Any) -> str:
    """A collation's name: a known character set's, `_bin` or `_..._ci` / `_cs` (1273 otherwise)."""
    text = as_str(name, value)
    charset, _, rest = text.lower().partition("_")
    if text.lower() == "binary":
        return "binary"
    if charset not in CHARSETS or not (rest == "bin" or rest.endswith(("_ci", "_cs", "_bin"))):
        raise SQLError(1273, f"Unknown collation: '{text}'", "HY000")
    return f"{'utf8mb3' if charset == 'utf8' else charset}_{rest}"


ISOLATION_LEVELS: Final = ("READ-UNCOMMITTED", "READ-COMMITTED", "REPEATABLE-READ", "SERIALIZABLE")
# Names of one variable: setting one sets the other. (MariaDB 10.11 lacks MySQL 8's transaction_isolation, but
# app's @@version is MySQL's, so clients such as SQLAlchemy read it.)
_ALIASES: Final = {"tx_isolation": "transaction_isolation", "transaction_isolation": "tx_isolation",
                   "tx_read_only": "transaction_read_only", "transaction_read_only": "tx_read_only"}

# The locales lc_time_names accepts (MariaDB knows more; these are the ones DATE_FORMAT may name).
LOCALES: Final = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "ja_JP", "nl_NL", "pt_BR", "pt_PT",
                  "ru_RU", "sv_SE", "zh_CN", "pl_PL", "fi_FI", "da_DK", "nb_NO", "ko_KR", "cs_CZ", "tr_TR")
_LOCALES_BY_LOWER: Final = {name.lower(): name for name in LOCALES}


def as_locale(name: str, value: Any) -> str:
    """lc_time_names / lc_messages: a locale this server knows (`LOCALES`), as MariaDB spells it; 1649 for
    another name, 1231 for NULL."""
    text = as_str(name, value)
    found = _LOCALES_BY_LOWER.get(text.lower())
    if found is None:
        raise SQLError(1649, f"Unknown locale: '{text}'", "HY000")
    return found


def as_seconds(name: str, value: Any) -> float:
    """A duration in seconds (max_statement_time, which the server enforces); below 0 is 0, as in MariaDB."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise SQLError(1232, f"Incorrect argument type to variable '{name}'", "42000") from None
    return max(0.0, seconds)


_DOUBLE_CONVERTERS.add(as_seconds)


def stored_value(value: Any, t: SQLType | None) -> Any:
    """The value a user variable keeps of `value`, an expression of type `t`: MariaDB keeps an integer, a
    DECIMAL (with its scale), a DOUBLE, a string (a date is its text) or a binary string."""
    if value is None or t is None:
        return value
    if t.kind == "decimal":
        try:
            exact = Decimal(value.decode() if isinstance(value, bytes) else str(value))
        except ArithmeticError:
            return value
        return exact.quantize(Decimal(1).scaleb(-t.scale)) if t.scale and exact.is_finite() else exact
    if t.kind == "int":
        if isinstance(value, bytes):  # a BIGINT UNSIGNED past 2**63 - 1: its digits
            value = value.decode()
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    if t.kind == "double" and isinstance(value, (int, str)):
        try:
            return float(value)
        except ValueError:
            return value
    if t.kind in ("binary", "varbinary") and isinstance(value, str):
        return value.encode()
    if t.kind in ("string", "date", "datetime", "time") and isinstance(value, (int, float)):
        return str(value)
    return value


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
        Variable("sql_mode", DEFAULT_SQL_MODE, convert=sqlmode.normalize),
        Variable("time_zone", "SYSTEM", convert=as_time_zone),
        Variable("system_time_zone", "UTC", scope="global", read_only=True),
        # REPEATABLE-READ: a transaction's reads see one snapshot, from its first read (`Transaction.snapshot`).
        Variable("transaction_isolation", "REPEATABLE-READ", convert=one_of(*ISOLATION_LEVELS)),
        Variable("tx_isolation", "REPEATABLE-READ", convert=one_of(*ISOLATION_LEVELS)),
        Variable("transaction_read_only", 0, convert=as_bool),
        Variable("tx_read_only", 0, convert=as_bool),
        Variable("read_only", 0, scope="global", convert=as_bool),
        Variable("max_allowed_packet", 16777216, convert=as_int),
        Variable("net_buffer_length", 16384, convert=as_int),
        Variable("wait_timeout", 28800, convert=as_int),
        Variable("interactive_timeout", 28800, convert=as_int),
        Variable("net_read_timeout", 30, convert=as_int),
        Variable("net_write_timeout", 60, convert=as_int),
        Variable("character_set_client", "utf8mb4", convert=as_client_charset),
        Variable("character_set_connection", "utf8mb4", convert=as_charset),
        Variable("character_set_results", "utf8mb4", convert=as_charset_or_null),
        Variable("character_set_server", "utf8mb4", convert=as_charset),
        Variable("character_set_database", "utf8mb4", convert=as_charset),
        Variable("collation_connection", "utf8mb4_general_ci", convert=as_collation),
        Variable("collation_server", "utf8mb4_general_ci", convert=as_collation),
        Variable("collation_database", "utf8mb4_general_ci", convert=as_collation),
        Variable("default_storage_engine", "InnoDB"),
        Variable("storage_engine", "InnoDB"),
        Variable("lower_case_table_names", 0, scope="global", read_only=True, convert=as_int),
        Variable("max_connections", 151, scope="global", convert=as_int),
        Variable("sql_select_limit", 18446744073709551615, convert=bounded(0)),
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
        Variable("init_connect", "", scope="global", convert=as_str_or_null),
        Variable("have_ssl", "DISABLED", scope="global", read_only=True),
        Variable("query_cache_size", 0, scope="global", convert=as_int),
        Variable("query_cache_type", "OFF"),
        Variable("explicit_defaults_for_timestamp", 1, convert=as_bool),
        Variable("last_insert_id", 0, scope="session", convert=as_int),
        Variable("identity", 0, scope="session", convert=as_int),
        # Read from the session's diagnostics area (see SessionVariables.get).
        Variable("warning_count", 0, scope="session", read_only=True, convert=as_int),
        Variable("error_count", 0, scope="session", read_only=True, convert=as_int),
        *_session_state_variables(),
        *_accepted_variables(),
    ]
    return {v.name: v for v in defs}


def _session_state_variables() -> list[Variable]:
    """Variables whose session value is the session's state (`SessionVariables.get` reads them there)."""
    return [
        Variable("timestamp", 0.0, scope="session", convert=as_float),
        Variable("insert_id", 0, scope="session", convert=bounded(0)),
        Variable("in_transaction", 0, scope="session", read_only=True, convert=as_int),  # BIGINT UNSIGNED
    ]


def _accepted_variables() -> list[Variable]:
    """Variables MariaDB has that set and read back here as there; the ones that tune MariaDB's
    optimizer, buffers or logs change nothing else here (SQLite plans and buffers on its own)."""
    on_off = as_bool
    return [
        Variable("max_sort_length", 1024, convert=bounded(64, 8388608)),
        Variable("sql_buffer_result", 0, convert=on_off),
        Variable("lc_time_names", "en_US", convert=as_locale),
        Variable("lc_messages", "en_US", convert=as_locale),
        Variable("default_week_format", 0, convert=bounded(0, 7)),
        Variable("max_join_size", 18446744073709551615, convert=bounded(1)),
        Variable("sql_big_selects", 1, convert=on_off),
        Variable("sql_warnings", 0, convert=on_off),
        Variable("sql_log_off", 0, convert=on_off),
        Variable("big_tables", 0, convert=on_off),
        Variable("profiling", 0, convert=on_off),
        Variable("old_passwords", 0, convert=on_off),
        Variable("old_mode", "UTF8_IS_UTF8MB3"),
        Variable("auto_increment_increment", 1, convert=bounded(1, 65535)),
        Variable("auto_increment_offset", 1, convert=bounded(1, 65535)),
        Variable("protocol_version", 10, scope="global", read_only=True, convert=as_int),
        Variable("thread_handling", "one-thread-per-connection", scope="global", read_only=True),
        Variable("default_tmp_storage_engine", None, convert=as_engine_or_null),
        Variable("character_set_filesystem", "binary"),
        Variable("character_set_system", "utf8mb3", scope="global", read_only=True),
        Variable("character_sets_dir", "/usr/share/mysql/charsets/", scope="global", read_only=True),
        Variable("optimizer_switch", "index_merge=on,index_merge_union=on,derived_merge=on,semijoin=on"),
        Variable("optimizer_search_depth", 62, convert=bounded(0, 62)),
        Variable("join_buffer_size", 262144, convert=bounded(128)),
        Variable("sort_buffer_size", 2097152, convert=bounded(1024)),
        Variable("read_buffer_size", 131072, convert=bounded(8192)),
        Variable("tmp_table_size", 16777216, convert=bounded(0)),
        Variable("max_heap_table_size", 16777216, convert=bounded(16384)),
        Variable("session_track_schema", 1, convert=on_off),
        Variable("idle_transaction_timeout", 0, convert=bounded(0, 31536000)),
        Variable("histogram_size", 254, convert=bounded(0, 255)),
        Variable("histogram_type", "DOUBLE_PREC_HB", convert=one_of("SINGLE_PREC_HB", "DOUBLE_PREC_HB", "JSON_HB")),
        Variable("use_stat_tables", "PREFERABLY_FOR_QUERIES", convert=one_of(
            "NEVER", "COMPLEMENTARY", "PREFERABLY", "COMPLEMENTARY_FOR_QUERIES", "PREFERABLY_FOR_QUERIES")),
        Variable("max_error_count", 64, convert=bounded(0, 65535)),
        Variable("cte_max_recursion_depth", 1000, convert=bounded(0, 4294967295)),
        Variable("max_recursive_iterations", 1000, convert=bounded(0)),
        Variable("completion_type", "NO_CHAIN", convert=one_of("NO_CHAIN", "CHAIN", "RELEASE")),
        Variable("long_query_time", 10.0, convert=as_float),
        Variable("check_constraint_checks", 1, convert=on_off),
        Variable("standard_compliant_cte", 1, convert=on_off),
    ]


def shown(var: Variable, value: Any) -> str:
    """A value as SHOW VARIABLES writes it: booleans ON / OFF, DOUBLEs with 6 decimals, NULL empty."""
    if value is None:
        return ""
    if var.convert is as_bool:
        return "ON" if value else "OFF"
    if var.convert in _DOUBLE_CONVERTERS:
        return f"{float(value):.6f}"
    return str(value)


def unknown_variable(name: str) -> SQLError:
    """1193 for a variable that does not exist."""
    return SQLError(ER_UNKNOWN_SYSTEM_VARIABLE, f"Unknown system variable '{name}'")


# A variable whose assignment sets another: (the other, its value from the one assigned).
_LINKED: Final[dict[str, tuple[str, Callable[[str], str]]]] = {
    "character_set_connection": ("collation_connection", default_collation),
    "collation_connection": ("character_set_connection", lambda c: c.split("_", 1)[0]),
    "character_set_database": ("collation_database", default_collation),
    "collation_database": ("character_set_database", lambda c: c.split("_", 1)[0]),
    "character_set_server": ("collation_server", default_collation),
    "collation_server": ("character_set_server", lambda c: c.split("_", 1)[0]),
}
_DEPRECATED: Final = frozenset({"big_tables"})  # SET warns 1287
_SESSION_READ_ONLY: Final = frozenset({"max_allowed_packet", "net_buffer_length"})  # set globally only
_SESSION_ALIASES: Final = frozenset({"last_insert_id", "identity"})  # the session's last insert id
# Read from the session's state rather than from a stored value (see SessionVariables.get).
_NOT_PLAIN: Final = _SESSION_ALIASES | {"warning_count", "error_count"}


@final
class GlobalVariables:
    """The node's system variables: their definitions and global values."""

    def __init__(self, version: str) -> None:
        self.definitions: dict[str, Variable] = default_variables(version)
        self.values: dict[str, Any] = {name: v.default for name, v in self.definitions.items()}
        # The (lower-case) names whose value is just the one stored in `values`: no getter, nothing
        # the session computes. Every statement reads a few (autocommit, max_statement_time), and
        # SessionVariables.get answers them without the general path's checks.
        self.plain: set[str] = {name for name, v in self.definitions.items() if v.getter is None} - _NOT_PLAIN
        # Counts changes, so that sessions know when to look again (their dialect).
        self.generation = 0
        self._lock = threading.Lock()

    def define(self, var: Variable) -> None:
        """Add a system variable (the server defines the cluster ones)."""
        with self._lock:
            self.definitions[var.name] = var
            self.values.setdefault(var.name, var.default)
            if var.getter is None and var.name not in _NOT_PLAIN:
                self.plain.add(var.name)
            else:
                self.plain.discard(var.name)
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
            if var.name in _ALIASES:
                self.values[_ALIASES[var.name]] = converted
            self.generation += 1


@final
class SessionVariables:
    """One session's system variables (falling back to the global values) and user variables."""

    def __init__(self, globals_: GlobalVariables, state: SessionState) -> None:
        self.globals = globals_
        self.state = state
        self.values: dict[str, Any] = {}
        self.user: dict[str, Any] = state.user_variables
        # Session variables that read the session's state (in_transaction, warning_count), by name.
        self.state_getters: dict[str, Callable[[], Any]] = {
            "timestamp": self._timestamp,
        }
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
        if not scope:  # the common case, first: a stored value, asked for by its lower-case name
            values = self.values
            if name in values:
                return values[name]
            if name in self.globals.plain and name not in self.state_getters:
                return self.globals.values[name]
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
        getter = self.state_getters.get(key)
        if getter is not None and scope != "global":
            return getter()
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
        if key in _SESSION_READ_ONLY:
            raise SQLError(1621, f"SESSION variable '{var.name}' is read-only. Use SET GLOBAL to assign the value",
                           "HY000")
        converted = var.convert(var.name, value)
        self._warn_converted(var, value, converted)
        if key in _SESSION_ALIASES:
            self.state.last_insert_id = converted
            return
        if key == "timestamp":  # NOW() and the like answer this time until it is set to 0 or DEFAULT
            self.state.fixed_time = datetime.fromtimestamp(converted) if converted > 0 else None
            return
        self.values[key] = converted
        if key in _ALIASES:
            self.values[_ALIASES[key]] = converted
        linked = _LINKED.get(key)
        if linked is not None:  # a charset and its collation name one setting: each follows the other
            other, follow = linked
            self.values[other] = follow(converted)
        self._state_of(key, converted)
        self._dialect = None

    def reset(self) -> None:
        """Every session variable back to its global value, and the user variables gone (COM_RESET_CONNECTION)."""
        for key in list(self.values):
            self._state_of(key, self.globals.get(key))
        self.values.clear()
        self.user.clear()

    def _state_of(self, key: str, value: Any) -> None:
        """Keep what the session's functions read of a variable in step with it."""
        if key == "sql_notes":
            self.state.diagnostics.notes = bool(value)
        elif key == "time_zone":
            self.state.time_zone = None if str(value).upper() == "SYSTEM" else zone(value)

    def _warn_converted(self, var: Variable, value: Any, converted: Any) -> None:
        """The warnings of an assignment: 1292 for a number clamped into the variable's range, 1287 for a
        deprecated variable (as MariaDB warns on SET)."""
        if var.name in _DEPRECATED:
            self.state.diagnostics.push("Warning", 1287,
                                        f"'@@{var.name}' is deprecated and will be removed in a future release")
        if var.convert in _UNSIGNED_CONVERTERS and var.convert is not as_int and converted != as_int(var.name, value):
            self.state.diagnostics.push("Warning", 1292, f"Truncated incorrect {var.name} value: '{value}'")

    def _timestamp(self) -> float:
        """@@timestamp: the time set, or the statement's (as seconds since the epoch, with microseconds)."""
        return round(self.state.statement_time().timestamp(), 6)

    def lookup(self, ref: str) -> Any:
        """The value of a variable reference as the translator recorded it ('@@[scope.]name' or '@name'),
        as SQLite binds it."""
        if ref.startswith("@@"):
            body = ref[2:]
            scope = ""
            if "." in body:
                scope, body = body.split(".", 1)
            value = self.get(body, scope)
        else:
            value = self.user.get(ref[1:].lower())
        if type(value) is Decimal:  # a DECIMAL variable: its digits, which the exact helpers read
            return str(value)
        if type(value) is int and value > _INT64_MAX:
            # past SQLite's integers (@@max_join_size is 2**64 - 1): bound as a BIGINT UNSIGNED
            # column stores such a value, its 20 digits in a BLOB (see _statements.dml)
            return str(value).zfill(20).encode()
        return value

    def user_types(self, var_params: tuple[tuple[str, str], ...]) -> tuple[tuple[str, SQLType], ...]:
        """The types of the user variables among a statement's variable references, by their values now."""
        if not var_params:
            return ()
        user = self.user
        return tuple((ref[1:].lower(), variable_type(user.get(ref[1:].lower())))
                     for _, ref in var_params if ref[1:2] != "@")

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


# The system variables @@name reads as BIGINT UNSIGNED (the translator types them so: `_rewrite`).
UNSIGNED_VARIABLES: Final = frozenset(name for name, v in default_variables("").items()
                                      if v.convert in _UNSIGNED_CONVERTERS)
# The string system variables that may be NULL: a VARCHAR column even then.
NULLABLE_STRING_VARIABLES: Final = frozenset(name for name, v in default_variables("").items()
                                             if v.convert in (as_charset_or_null, as_engine_or_null))
# The system variables @@name reads as a DOUBLE of 6 decimals.
DOUBLE_VARIABLES: Final = frozenset(name for name, v in default_variables("").items()
                                    if v.convert in _DOUBLE_CONVERTERS)

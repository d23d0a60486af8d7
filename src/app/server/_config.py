"""Server configuration: the YAML file, its schema, and flags that override it.

Every error names the key, the file and the line, so that a typo in a config
file is a one-line fix rather than a hunt.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

DEFAULT_HOST: Final = "127.0.0.1"
# Not 3306: a MySQL or MariaDB on the same machine usually has that one.
DEFAULT_PORT: Final = 3310
LOG_LEVELS: Final = ("trace", "debug", "info", "warning", "error")
ROLES: Final = ("primary", "standby")


class ConfigError(Exception):
    """A configuration value is wrong; says which, where, and how to fix it."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.key = key

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


@dataclass(frozen=True)
class ListenerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT


@dataclass(frozen=True)
class UserConfig:
    name: str
    password: str = ""


@dataclass(frozen=True)
class StandbyRemote:
    name: str
    remote_url_template: str


@dataclass(frozen=True)
class ClusterConfig:
    standby_remotes: tuple[StandbyRemote, ...] = ()
    bootstrap_role: Literal["primary", "standby"] = "primary"
    bootstrap_epoch: int = 0
    remotesapi_port: int | None = None


@dataclass(frozen=True)
class ServerConfig:
    """Everything a node is configured with. Frozen: override with `dataclasses.replace`."""

    log_level: str = "info"
    data_dir: str | None = None
    listener: ListenerConfig = field(default_factory=ListenerConfig)
    users: tuple[UserConfig, ...] = (UserConfig("root", ""),)
    cluster: ClusterConfig | None = None
    source: str | None = None

    def with_overrides(self, *, host: str | None = None, port: int | None = None, data_dir: str | None = None,
                       log_level: str | None = None) -> ServerConfig:
        """This config with command-line flags applied (flags win over the file)."""
        cfg = self
        if host is not None or port is not None:
            cfg = dataclasses.replace(cfg, listener=ListenerConfig(
                host if host is not None else cfg.listener.host, port if port is not None else cfg.listener.port))
        if data_dir is not None:
            cfg = dataclasses.replace(cfg, data_dir=data_dir)
        if log_level is not None:
            if log_level not in LOG_LEVELS:
                raise ConfigError(f"unknown log level {log_level!r}; use one of {', '.join(LOG_LEVELS)}",
                                  key="--log-level")
            cfg = dataclasses.replace(cfg, log_level=log_level)
        if not 0 <= cfg.listener.port <= 65535:
            raise ConfigError(f"port {cfg.listener.port} is out of range; use 0..65535 (0 picks a free port)",
                              key="--port")
        return cfg


# -- loading -----------------------------------------------------------------------------------


class _Node:
    """A YAML value with the line it came from."""

    __slots__ = ("line", "value")

    def __init__(self, value: Any, line: int) -> None:
        self.value = value
        self.line = line


def _compose(text: str, file: str) -> _Node | None:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ConfigError(f"not valid YAML: {getattr(e, 'problem', e)}", file=file,
                          line=mark.line + 1 if mark else None) from None
    if root is None:
        return None
    return _convert(root)


def _convert(node: Any) -> _Node:
    import yaml

    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return _Node({k.value: (_convert(v), k.start_mark.line + 1) for k, v in node.value}, line)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_convert(v) for v in node.value], line)
    return _Node(_scalar(node), line)


def _scalar(node: Any) -> Any:
    import yaml

    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, message: str, line: int | None, key: str) -> ConfigError:
        return ConfigError(message, file=self.file, line=line, key=key)

    def mapping(self, node: _Node, key: str, allowed: tuple[str, ...]) -> dict[str, tuple[_Node, int]]:
        if not isinstance(node.value, dict):
            raise self.fail(f"expected a mapping with keys {', '.join(allowed)}", node.line, key)
        for name, (_, line) in node.value.items():
            if name not in allowed:
                raise self.fail(f"unknown key {name!r}; allowed here: {', '.join(allowed)}", line,
                                f"{key}.{name}" if key else str(name))
        return node.value  # type: ignore[no-any-return]

    def string(self, node: _Node, key: str, choices: tuple[str, ...] | None = None) -> str:
        if not isinstance(node.value, (str, int, float)) or isinstance(node.value, bool):
            raise self.fail(f"expected a string, got {node.value!r}", node.line, key)
        value = str(node.value)
        if choices and value not in choices:
            raise self.fail(f"{value!r} is not one of {', '.join(choices)}", node.line, key)
        return value

    def integer(self, node: _Node, key: str, low: int, high: int) -> int:
        if not isinstance(node.value, int) or isinstance(node.value, bool) or not low <= node.value <= high:
            raise self.fail(f"expected a whole number from {low} to {high}, got {node.value!r}", node.line, key)
        return node.value

    def sequence(self, node: _Node, key: str) -> list[_Node]:
        if not isinstance(node.value, list):
            raise self.fail(f"expected a list, got {node.value!r}", node.line, key)
        return node.value  # type: ignore[no-any-return]


def parse_config(text: str, file: str = "<config>") -> ServerConfig:
    """Parse and validate a server.yaml text."""
    root = _compose(text, file)
    if root is None:
        return ServerConfig(source=file)
    r = _Reader(file)
    top = r.mapping(root, "", ("log_level", "data_dir", "listener", "users", "cluster"))
    kwargs: dict[str, Any] = {"source": file}
    if "log_level" in top:
        kwargs["log_level"] = r.string(top["log_level"][0], "log_level", LOG_LEVELS)
    if "data_dir" in top:
        node = top["data_dir"][0]
        if node.value is not None:
            path = r.string(node, "data_dir")
            base = Path(file).parent if file != "<config>" else Path.cwd()
            kwargs["data_dir"] = str((base / path).resolve())
    if "listener" in top:
        lst = r.mapping(top["listener"][0], "listener", ("host", "port"))
        kwargs["listener"] = ListenerConfig(
            r.string(lst["host"][0], "listener.host") if "host" in lst else DEFAULT_HOST,
            r.integer(lst["port"][0], "listener.port", 0, 65535) if "port" in lst else DEFAULT_PORT,
        )
    if "users" in top:
        users = []
        for i, item in enumerate(r.sequence(top["users"][0], "users")):
            u = r.mapping(item, f"users[{i}]", ("name", "password"))
            if "name" not in u:
                raise r.fail("a user needs a name", item.line, f"users[{i}]")
            password = u["password"][0] if "password" in u else None
            users.append(UserConfig(r.string(u["name"][0], f"users[{i}].name"),
                                    "" if password is None or password.value is None else r.string(password, f"users[{i}].password")))
        kwargs["users"] = tuple(users)
    if "cluster" in top:
        kwargs["cluster"] = _parse_cluster(r, top["cluster"][0])
    return ServerConfig(**kwargs)


def _parse_cluster(r: _Reader, node: _Node) -> ClusterConfig:
    c = r.mapping(node, "cluster", ("standby_remotes", "bootstrap_role", "bootstrap_epoch", "remotesapi"))
    remotes = []
    if "standby_remotes" in c:
        for i, item in enumerate(r.sequence(c["standby_remotes"][0], "cluster.standby_remotes")):
            key = f"cluster.standby_remotes[{i}]"
            m = r.mapping(item, key, ("name", "remote_url_template"))
            for required in ("name", "remote_url_template"):
                if required not in m:
                    raise r.fail(f"missing {required!r}", item.line, key)
            template = r.string(m["remote_url_template"][0], key + ".remote_url_template")
            if "{database}" not in template:
                raise r.fail("remote_url_template must contain {database}", m["remote_url_template"][0].line,
                             key + ".remote_url_template")
            remotes.append(StandbyRemote(r.string(m["name"][0], key + ".name"), template))
    port = None
    if "remotesapi" in c:
        api = r.mapping(c["remotesapi"][0], "cluster.remotesapi", ("port",))
        if "port" in api:
            port = r.integer(api["port"][0], "cluster.remotesapi.port", 0, 65535)
    return ClusterConfig(
        standby_remotes=tuple(remotes),
        bootstrap_role=r.string(c["bootstrap_role"][0], "cluster.bootstrap_role", ROLES) if "bootstrap_role" in c else "primary",  # type: ignore[arg-type]
        bootstrap_epoch=r.integer(c["bootstrap_epoch"][0], "cluster.bootstrap_epoch", 0, 2**31) if "bootstrap_epoch" in c else 0,
        remotesapi_port=port,
    )


def load_config(path: str | Path) -> ServerConfig:
    """Read and validate a configuration file."""
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as e:
        raise ConfigError(f"cannot read the config file: {e.strerror}", file=str(path)) from None
    return parse_config(text, str(path))

"""Server configuration: the YAML file, its schema, and flags that override it.

Every error names the key, the file and the line, so that a typo in a config
file is a one-line fix rather than a hunt.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from app._lineyaml import LineYAMLError, Node, compose
from app.testingshim import TestingKnobs
from app.testingshim._knobs import knobs_from_config

K = TypeVar("K", bound=TestingKnobs)

DEFAULT_HOST: Final = "127.0.0.1"
# Not 3306: a MySQL or MariaDB on the same machine usually has that one.
DEFAULT_PORT: Final = 3310
LOG_LEVELS: Final = ("trace", "debug", "info", "warning", "error")
ROLES: Final = ("primary", "standby")
MIN_SECRET_LENGTH: Final = 16


class ConfigError(Exception):
    """A configuration value is wrong; says which, where, and how to fix it."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 key: str | None = None) -> None:
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


#: The authentication plugins an account may use (see `_auth`).
AUTH_PLUGINS: Final = ("mysql_native_password", "caching_sha2_password")


@dataclass(frozen=True)
class UserConfig:
    name: str
    password: str = ""
    plugin: str = "mysql_native_password"


@dataclass(frozen=True)
class TLSConfig:
    """PEM files: the node's certificate (with its chain) and key, and the CA its peers' certificates
    must chain to (for the SQL listener: client certificates, optional; for replication: required)."""

    cert: str
    key: str
    ca: str | None = None


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
    secret: str | None = None  # the shared cluster secret (see _peerauth)
    # Mutual TLS on the replication links: each node's certificate, and the cluster's CA (see _tls).
    tls: TLSConfig | None = None
    # Commits wait up to this long for every standby's ack; a SET GLOBAL of it is kept across restarts.
    ack_writes_timeout_secs: float = 0.0


@dataclass(frozen=True)
class ServerConfig:
    """Everything a node is configured with. Frozen: override with `dataclasses.replace`."""

    log_level: str = "info"
    data_dir: str | None = None
    listener: ListenerConfig = field(default_factory=ListenerConfig)
    users: tuple[UserConfig, ...] = (UserConfig("root", ""),)
    tls: TLSConfig | None = None
    require_secure_transport: bool = False
    cluster: ClusterConfig | None = None
    knobs: tuple[TestingKnobs, ...] = ()
    source: str | None = None

    def knob(self, cls: type[K]) -> K | None:
        """The testing knobs of `cls`'s subsystem, if configured (`testing_knobs:`)."""
        return next((k for k in self.knobs if isinstance(k, cls)), None)

    def with_overrides(self, *, host: str | None = None, port: int | None = None, data_dir: str | None = None,
                       log_level: str | None = None, tls_cert: str | None = None, tls_key: str | None = None,
                       tls_ca: str | None = None, require_secure_transport: bool | None = None) -> ServerConfig:
        """This config with command-line flags applied (flags win over the file)."""
        cfg = self
        if tls_cert is not None or tls_key is not None or tls_ca is not None:
            old = cfg.tls
            cert = tls_cert if tls_cert is not None else old.cert if old else None
            key = tls_key if tls_key is not None else old.key if old else None
            if cert is None or key is None:
                raise ConfigError("TLS needs both a certificate and its key: give --tls-cert and --tls-key",
                                  key="--tls-cert" if cert is None else "--tls-key")
            cfg = dataclasses.replace(cfg, tls=TLSConfig(
                str(Path(cert).resolve()), str(Path(key).resolve()),
                str(Path(tls_ca).resolve()) if tls_ca is not None else old.ca if old else None))
        if require_secure_transport is not None:
            cfg = dataclasses.replace(cfg, require_secure_transport=require_secure_transport)
        if cfg.require_secure_transport and cfg.tls is None:
            raise ConfigError("require_secure_transport needs TLS: configure tls: {cert, key} (or --tls-cert and "
                              "--tls-key)", key="require_secure_transport", file=cfg.source)
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


def _compose(text: str, file: str) -> Node | None:
    try:
        return compose(text)
    except LineYAMLError as e:
        raise ConfigError(e.message, file=file, line=e.line) from None


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, message: str, line: int | None, key: str) -> ConfigError:
        return ConfigError(message, file=self.file, line=line, key=key)

    def mapping(self, node: Node, key: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        if not isinstance(node.value, dict):
            raise self.fail(f"expected a mapping with keys {', '.join(allowed)}", node.line, key)
        for name in node.value:
            if name not in allowed:
                raise self.fail(f"unknown key {name!r}; allowed here: {', '.join(allowed)}", node.key_line(name),
                                f"{key}.{name}" if key else str(name))
        mapping: dict[str, Node] = node.value
        return mapping

    def string(self, node: Node, key: str, choices: tuple[str, ...] | None = None) -> str:
        if not isinstance(node.value, (str, int, float)) or isinstance(node.value, bool):
            raise self.fail(f"expected a string, got {node.value!r}", node.line, key)
        value = str(node.value)
        if choices and value not in choices:
            raise self.fail(f"{value!r} is not one of {', '.join(choices)}", node.line, key)
        return value

    def integer(self, node: Node, key: str, low: int, high: int) -> int:
        if not isinstance(node.value, int) or isinstance(node.value, bool) or not low <= node.value <= high:
            raise self.fail(f"expected a whole number from {low} to {high}, got {node.value!r}", node.line, key)
        return node.value

    def seconds(self, node: Node, key: str) -> float:
        value = node.value
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value < 2**31:
            raise self.fail(f"expected a number of seconds, 0 or more, got {value!r}", node.line, key)
        return float(value)

    def sequence(self, node: Node, key: str) -> list[Node]:
        if not isinstance(node.value, list):
            raise self.fail(f"expected a list, got {node.value!r}", node.line, key)
        items: list[Node] = node.value
        return items


def parse_config(text: str, file: str = "<config>") -> ServerConfig:
    """Parse and validate a server.yaml text."""
    root = _compose(text, file)
    if root is None:
        return ServerConfig(source=file)
    r = _Reader(file)
    top = r.mapping(root, "", ("log_level", "data_dir", "listener", "users", "tls", "require_secure_transport",
                               "cluster", "testing_knobs"))
    kwargs: dict[str, Any] = {"source": file}
    if "log_level" in top:
        kwargs["log_level"] = r.string(top["log_level"], "log_level", LOG_LEVELS)
    if "data_dir" in top:
        node = top["data_dir"]
        if node.value is not None:
            path = r.string(node, "data_dir")
            base = Path(file).parent if file != "<config>" else Path.cwd()
            kwargs["data_dir"] = str((base / path).resolve())
    if "listener" in top:
        lst = r.mapping(top["listener"], "listener", ("host", "port"))
        kwargs["listener"] = ListenerConfig(
            r.string(lst["host"], "listener.host") if "host" in lst else DEFAULT_HOST,
            r.integer(lst["port"], "listener.port", 0, 65535) if "port" in lst else DEFAULT_PORT,
        )
    if "users" in top:
        users = []
        for i, item in enumerate(r.sequence(top["users"], "users")):
            u = r.mapping(item, f"users[{i}]", ("name", "password", "plugin"))
            if "name" not in u:
                raise r.fail("a user needs a name", item.line, f"users[{i}]")
            password = u.get("password")
            users.append(UserConfig(r.string(u["name"], f"users[{i}].name"),
                                    "" if password is None or password.value is None
                                    else r.string(password, f"users[{i}].password"),
                                    r.string(u["plugin"], f"users[{i}].plugin", AUTH_PLUGINS) if "plugin" in u
                                    else AUTH_PLUGINS[0]))
        kwargs["users"] = tuple(users)
    if "tls" in top:
        kwargs["tls"] = _parse_tls(r, top["tls"], "tls", ca_required=False)
    if "require_secure_transport" in top:
        node = top["require_secure_transport"]
        if not isinstance(node.value, bool):
            raise r.fail(f"expected true or false, got {node.value!r}", node.line, "require_secure_transport")
        kwargs["require_secure_transport"] = node.value
    if "cluster" in top:
        kwargs["cluster"] = _parse_cluster(r, top["cluster"])
    if "testing_knobs" in top:
        kwargs["knobs"] = _parse_knobs(r, top["testing_knobs"])
    return ServerConfig(**kwargs)


def _parse_tls(r: _Reader, node: Node, key: str, *, ca_required: bool) -> TLSConfig:
    """`{cert, key, ca}`: PEM files, relative to the config file; each must be readable now."""
    m = r.mapping(node, key, ("cert", "key", "ca"))
    base = Path(r.file).parent if r.file != "<config>" else Path.cwd()
    paths: dict[str, str | None] = {}
    for name in ("cert", "key", "ca"):
        if name not in m:
            if name != "ca" or ca_required:
                raise r.fail(f"missing {name!r} (a PEM file)", node.line, key)
            paths[name] = None
            continue
        path = base / r.string(m[name], f"{key}.{name}")
        try:
            path.read_bytes()
        except OSError as e:
            raise r.fail(f"cannot read {str(path)!r}: {e.strerror}", m[name].line, f"{key}.{name}") from None
        paths[name] = str(path.resolve())
    cert, private_key = paths["cert"], paths["key"]
    assert cert is not None and private_key is not None
    return TLSConfig(cert, private_key, paths["ca"])


def _parse_knobs(r: _Reader, node: Node) -> tuple[TestingKnobs, ...]:
    # The subsystems declare their knobs where they read them (app.sql's storage, the cluster); importing
    # app.server, the package of this module, imported both already.
    if not isinstance(node.value, dict):
        raise r.fail("expected a mapping of subsystem to knobs", node.line, "testing_knobs")
    knobs = []
    for subsystem, value in node.value.items():
        key = f"testing_knobs.{subsystem}"
        if not isinstance(value.value, dict):
            raise r.fail("expected a mapping of knob names to values", value.line, key)
        try:
            knobs.append(knobs_from_config(subsystem, {name: f.value for name, f in value.value.items()}))
        except ValueError as e:
            raise r.fail(str(e), node.key_line(subsystem), key) from None
    return tuple(knobs)


def _parse_cluster(r: _Reader, node: Node) -> ClusterConfig:
    c = r.mapping(node, "cluster", ("standby_remotes", "bootstrap_role", "bootstrap_epoch", "remotesapi",
                                    "ack_writes_timeout_secs", "secret", "secret_file", "tls"))
    remotes = []
    if "standby_remotes" in c:
        for i, item in enumerate(r.sequence(c["standby_remotes"], "cluster.standby_remotes")):
            key = f"cluster.standby_remotes[{i}]"
            m = r.mapping(item, key, ("name", "remote_url_template"))
            for required in ("name", "remote_url_template"):
                if required not in m:
                    raise r.fail(f"missing {required!r}", item.line, key)
            template = r.string(m["remote_url_template"], key + ".remote_url_template")
            if "{database}" not in template:
                raise r.fail("remote_url_template must contain {database}", m["remote_url_template"].line,
                             key + ".remote_url_template")
            remotes.append(StandbyRemote(r.string(m["name"], key + ".name"), template))
    port = None
    if "remotesapi" in c:
        api = r.mapping(c["remotesapi"], "cluster.remotesapi", ("port",))
        if "port" in api:
            port = r.integer(api["port"], "cluster.remotesapi.port", 0, 65535)
    secret = _cluster_secret(r, node, c)
    tls = _parse_tls(r, c["tls"], "cluster.tls", ca_required=True) if "tls" in c else None
    if secret is None and tls is None and (remotes or port is not None):
        raise r.fail("replication needs the cluster's credentials: set cluster.secret or cluster.secret_file "
                     "(the same secret on every node, at least 16 characters), or cluster.tls {cert, key, ca} "
                     "(mutual TLS with the cluster's CA), or both", node.line, "cluster")
    return ClusterConfig(
        secret=secret,
        tls=tls,
        standby_remotes=tuple(remotes),
        bootstrap_role="standby" if "bootstrap_role" in c and r.string(
            c["bootstrap_role"], "cluster.bootstrap_role", ROLES) == "standby" else "primary",
        bootstrap_epoch=r.integer(c["bootstrap_epoch"], "cluster.bootstrap_epoch", 0, 2**31)
        if "bootstrap_epoch" in c else 0,
        remotesapi_port=port,
        ack_writes_timeout_secs=r.seconds(c["ack_writes_timeout_secs"], "cluster.ack_writes_timeout_secs")
        if "ack_writes_timeout_secs" in c else 0.0,
    )


def _cluster_secret(r: _Reader, node: Node, c: dict[str, Node]) -> str | None:
    if "secret" in c and "secret_file" in c:
        raise r.fail("set cluster.secret or cluster.secret_file, not both", node.key_line("secret_file"),
                     "cluster.secret_file")
    if "secret" in c:
        secret, key = r.string(c["secret"], "cluster.secret"), "secret"
    elif "secret_file" in c:
        base = Path(r.file).parent if r.file != "<config>" else Path.cwd()
        path = base / r.string(c["secret_file"], "cluster.secret_file")
        try:
            secret = path.read_text().strip()
        except OSError as e:
            raise r.fail(f"cannot read the secret file {str(path)!r}: {e.strerror}", node.key_line("secret_file"),
                         "cluster.secret_file") from None
        key = "secret_file"
    else:
        return None
    if len(secret) < MIN_SECRET_LENGTH:
        raise r.fail(f"the cluster secret must have at least {MIN_SECRET_LENGTH} characters", node.key_line(key),
                     "cluster." + key)
    return secret


def load_config(path: str | Path) -> ServerConfig:
    """Read and validate a configuration file."""
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as e:
        raise ConfigError(f"cannot read the config file: {e.strerror}", file=str(path)) from None
    return parse_config(text, str(path))

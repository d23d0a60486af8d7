"""The scenario file format: YAML with line numbers, validated into frozen dataclasses.

Everything is checked here, at load (pytest's collection): unknown keys,
wrong types, bad templates, bad regular expressions, connections to servers
that do not exist, missing `source_path` files. Every error names the file
and the line, and what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from app._lineyaml import LineYAMLError, compose
from app._lineyaml import Node as _Node

from ._errors import ScenarioSchemaError, Where
from ._template import TemplateError, check, placeholder

DEFAULT_TIMEOUT: Final = 60.0
ACTIONS: Final = ("restart_server", "kill_server", "start_server", "stop_server", "freeze_server", "thaw_server")
FAULTS: Final = ("partition", "heal", "delay")
_DB_NAME = re.compile(r"[A-Za-z0-9_$]+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

ActionKind = Literal["restart_server", "kill_server", "start_server", "stop_server", "freeze_server", "thaw_server"]
FaultKind = Literal["partition", "heal", "delay"]


@dataclass(frozen=True)
class FileSpec:
    """A file written into the server's directory before it starts (contents are templated)."""

    name: str
    contents: str
    where: Where


@dataclass(frozen=True)
class ServerSpec:
    """One `app sql-server` process of a test."""

    name: str
    where: Where
    args: tuple[str, ...] = ()
    envs: tuple[tuple[str, str], ...] = ()
    port: str = ""
    databases: tuple[str, ...] = ()
    files: tuple[FileSpec, ...] = ()
    debug_port: str | None = None
    log_matches: tuple[str, ...] = ()
    log_not_matches: tuple[str, ...] = ()
    error_matches: tuple[str, ...] = ()
    command: tuple[str, ...] = ()
    setup: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ResultSpec:
    """What a query must return: column names and rows as the server sends them (text, NULL as "NULL")."""

    where: Where
    columns: tuple[str, ...] | None = None
    rows: tuple[tuple[str, ...], ...] | None = None
    order: Literal["exact", "any"] = "exact"


@dataclass(frozen=True)
class QuerySpec:
    """One statement of a connection: `exec` (must succeed) or `query` (may check the result)."""

    kind: Literal["exec", "query"]
    sql: str
    where: Where
    args: tuple[Any, ...] = ()
    result: ResultSpec | None = None
    error_match: str | None = None
    retry_attempts: int = 1


@dataclass(frozen=True)
class ServerAction:
    """What happens to the connection's server after its queries. None args/envs: keep the current ones."""

    kind: ActionKind
    where: Where
    args: tuple[str, ...] | None = None
    envs: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class FaultStep:
    """A fault on the replication links between the test's servers (an entry of `connections`).

    partition: `groups` of server names; links between groups are cut. heal: every link restored,
    every delay removed. delay: bytes from `source` to `target` arrive `seconds` later.
    """

    kind: FaultKind
    where: Where
    groups: tuple[tuple[str, ...], ...] = ()
    source: str = ""
    target: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class ClientTLS:
    """A connection's TLS (templated paths): the CA that must have signed the server's certificate, and
    optionally a client certificate and key; the server's name is checked unless verify_identity is false."""

    ca: str
    cert: str | None = None
    key: str | None = None
    verify_identity: bool = True


@dataclass(frozen=True)
class ConnectionSpec:
    """A connection to one server, its queries in order, then an optional server action; or a fault step
    (`fault` set, `on` empty)."""

    on: str
    where: Where
    fault: FaultStep | None = None
    user: str = "root"
    password: str = ""
    tls: ClientTLS | None = None
    database: str | None = None
    retry_attempts: int = 1
    queries: tuple[QuerySpec, ...] = ()
    action: ServerAction | None = None


@dataclass(frozen=True)
class ScenarioTest:
    """One test of a scenario file."""

    name: str
    file: str
    where: Where
    skip: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    parallel: bool = False
    servers: tuple[ServerSpec, ...] = ()
    connections: tuple[ConnectionSpec, ...] = ()

    def server(self, name: str) -> ServerSpec:
        return next(s for s in self.servers if s.name == name)


@dataclass(frozen=True)
class ScenarioFile:
    """A loaded, validated scenario file."""

    path: str
    parallel: bool
    tests: tuple[ScenarioTest, ...] = field(default=())


# -- YAML with line numbers (app._lineyaml) ----------------------------------------------------


def _compose(text: str, file: str) -> _Node | None:
    try:
        return compose(text)
    except LineYAMLError as e:
        raise ScenarioSchemaError(e.message, Where(file, e.line) if e.line else None, file=file) from None


class _Reader:
    """Typed access to nodes; every complaint carries the file and line."""

    def __init__(self, file: str) -> None:
        self.file = file

    def where(self, node: _Node, key: str | None = None) -> Where:
        return Where(self.file, node.keys.get(key, node.line) if key else node.line)

    def fail(self, message: str, node: _Node, key: str | None = None) -> ScenarioSchemaError:
        return ScenarioSchemaError(message, self.where(node, key))

    def mapping(self, node: _Node, what: str, allowed: tuple[str, ...],
                required: tuple[str, ...] = ()) -> dict[str, _Node]:
        if not isinstance(node.value, dict):
            raise self.fail(f"{what} must be a mapping with keys {', '.join(allowed)}; got {_show(node)}", node)
        for name in node.value:
            if name not in allowed:
                hint = _near(name, allowed)
                raise self.fail(f"unknown key {name!r} in {what}{hint}; allowed here: {', '.join(allowed)}",
                                node, name)
        for name in required:
            if name not in node.value:
                raise self.fail(f"{what} needs {name!r}", node)
        return node.value

    def sequence(self, node: _Node, what: str) -> list[_Node]:
        if node.value is None and node.raw == "":
            return []
        if not isinstance(node.value, list):
            raise self.fail(f"{what} must be a list; got {_show(node)}", node)
        return node.value

    def string(self, node: _Node, what: str, *, template: bool = True, empty: bool = False) -> str:
        if node.raw is None or node.value is None:
            raise self.fail(f"{what} must be a string; got {_show(node)}", node)
        text = node.raw
        if not text and not empty:
            raise self.fail(f"{what} must not be empty", node)
        if template:
            self.template(text, node, what)
        return text

    def template(self, text: str, node: _Node, what: str) -> None:
        try:
            check(text)
        except TemplateError as e:
            raise self.fail(f"{what}: {e}", node) from None

    def regex(self, node: _Node, what: str) -> str:
        text = self.string(node, what)
        try:
            re.compile(placeholder(text))
        except re.error as e:
            raise self.fail(f"{what}: {text!r} is not a valid regular expression ({e})", node) from None
        return text

    def regexes(self, node: _Node, what: str) -> tuple[str, ...]:
        return tuple(self.regex(item, what) for item in self.sequence(node, what))

    def integer(self, node: _Node, what: str, low: int) -> int:
        if not isinstance(node.value, int) or isinstance(node.value, bool) or node.value < low:
            raise self.fail(f"{what} must be a whole number of at least {low}; got {_show(node)}", node)
        return node.value

    def number(self, node: _Node, what: str) -> float:
        if not isinstance(node.value, (int, float)) or isinstance(node.value, bool) or node.value <= 0:
            raise self.fail(f"{what} must be a number of seconds above 0; got {_show(node)}", node)
        return float(node.value)

    def boolean(self, node: _Node, what: str) -> bool:
        if not isinstance(node.value, bool):
            raise self.fail(f"{what} must be true or false; got {_show(node)}", node)
        return node.value

    def strings(self, node: _Node, what: str) -> tuple[str, ...]:
        return tuple(self.string(item, what, empty=True) for item in self.sequence(node, what))

    def envs(self, node: _Node, what: str) -> tuple[tuple[str, str], ...]:
        if not isinstance(node.value, dict):
            raise self.fail(f"{what} must be a mapping of variable names to values; got {_show(node)}", node)
        out = []
        for name, value in node.value.items():
            if not _ENV_NAME.fullmatch(name):
                raise self.fail(f"{what}: {name!r} is not a valid environment variable name", node, name)
            out.append((name, self.string(value, f"{what}.{name}", empty=True)))
        return tuple(out)


def _show(node: _Node) -> str:
    if isinstance(node.value, dict):
        return "a mapping"
    if isinstance(node.value, list):
        return "a list"
    if node.value is None:
        return "nothing"
    return repr(node.raw if node.raw is not None else node.value)


def _near(name: str, allowed: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(name, allowed, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- the format --------------------------------------------------------------------------------

_TOP = ("parallel", "tests")
_TEST = ("name", "skip", "timeout", "servers", "connections")
_SERVER = ("name", "args", "envs", "port", "databases", "with_files", "debug_port", "log_matches",
           "log_not_matches", "error_matches", "command", "setup")
_CONNECTION = ("on", "user", "password", "tls", "database", "retry_attempts", "queries", *ACTIONS, *FAULTS)
_QUERY = ("exec", "query", "args", "result", "error_match", "retry_attempts")
_RESULT = ("columns", "rows", "order")


def load_file(path: str | Path, display: str | None = None) -> ScenarioFile:
    """Read and validate a scenario file; raises ScenarioSchemaError naming the file and line.

    `display` is the file name used in messages (default: `path` as given).
    """
    p = Path(path)
    name = display or str(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ScenarioSchemaError(f"cannot read the scenario file: {e.strerror or e}", file=name) from None
    return parse(text, name, base_dir=p.resolve().parent)


def parse(text: str, file: str = "<scenarios>", base_dir: Path | None = None) -> ScenarioFile:
    """Validate a scenario file's text. `base_dir` resolves `source_path` (default: the current directory)."""
    root = _compose(text, file)
    if root is None:
        raise ScenarioSchemaError("the file is empty; it needs `tests:`, a list of tests", file=file)
    r = _Reader(file)
    top = r.mapping(root, "the file", _TOP, required=("tests",))
    parallel = r.boolean(top["parallel"], "parallel") if "parallel" in top else False
    tests = r.sequence(top["tests"], "tests")
    if not tests:
        raise r.fail("tests is empty; add at least one test", top["tests"])
    seen: dict[str, int] = {}
    out = []
    for node in tests:
        test = _test(r, node, parallel, base_dir or Path.cwd())
        if test.name in seen:
            raise r.fail(f"a second test named {test.name!r} (the first is on line {seen[test.name]}); "
                         "names select tests, so each must be unique in its file", node, "name")
        seen[test.name] = test.where.line
        out.append(test)
    return ScenarioFile(path=file, parallel=parallel, tests=tuple(out))


def _test(r: _Reader, node: _Node, parallel: bool, base: Path) -> ScenarioTest:
    t = r.mapping(node, "a test", _TEST, required=("name",))
    name = r.string(t["name"], "name", template=False)
    skip = None
    if "skip" in t:
        s = t["skip"]
        if s.value is True:
            skip = "skipped in the scenario file"
        elif s.value is not False:
            skip = r.string(s, "skip", template=False)
    timeout = r.number(t["timeout"], "timeout") if "timeout" in t else DEFAULT_TIMEOUT
    servers: list[ServerSpec] = []
    for item in r.sequence(t["servers"], "servers") if "servers" in t else []:
        server = _server(r, item, base)
        if any(s.name == server.name for s in servers):
            raise r.fail(f"a second server named {server.name!r}; server names must be unique in a test",
                         item, "name")
        servers.append(server)
    if not servers:
        raise r.fail(f"test {name!r} has no servers; add `servers:` with at least one server", node)
    names = [s.name for s in servers]
    connections = tuple(_connection(r, item, names) for item in
                        (r.sequence(t["connections"], "connections") if "connections" in t else []))
    return ScenarioTest(name=name, file=r.file, where=r.where(node), skip=skip, timeout=timeout, parallel=parallel,
                        servers=tuple(servers), connections=connections)


def _server(r: _Reader, node: _Node, base: Path) -> ServerSpec:
    s = r.mapping(node, "a server", _SERVER, required=("name",))
    name = r.string(s["name"], "server name", template=False)
    files = []
    for item in r.sequence(s["with_files"], "with_files") if "with_files" in s else []:
        files.append(_file(r, item, base))
    debug_port = None
    if "debug_port" in s:
        d = s["debug_port"]
        if isinstance(d.value, int) and not isinstance(d.value, bool):
            debug_port = str(r.integer(d, "debug_port", 1))
        else:
            debug_port = r.string(d, "debug_port")
    databases = r.strings(s["databases"], "databases") if "databases" in s else ()
    for i, db in enumerate(databases):
        if not _DB_NAME.fullmatch(db):
            raise r.fail(f"database name {db!r} must be letters, digits, _ or $",
                         r.sequence(s["databases"], "databases")[i])
    error_matches = r.regexes(s["error_matches"], "error_matches") if "error_matches" in s else ()
    if error_matches and "databases" in s:
        raise r.fail("a server with error_matches never accepts connections, so it cannot have databases",
                     node, "databases")
    command = r.strings(s["command"], "command") if "command" in s else ()
    if "command" in s and not command:
        raise r.fail("command must name a program, for example [mariadbd, --port, ...]", s["command"])
    for other in ("args", "debug_port"):
        if command and other in s:
            raise r.fail(f"a server with `command` runs that program, not app's server: `{other}` does not apply "
                         "(put its arguments in the command)", node, other)
    setup = tuple(r.strings(item, "a setup command") for item in r.sequence(s["setup"], "setup")) \
        if "setup" in s else ()
    if any(not c for c in setup):
        raise r.fail("each setup entry is a command: a list with the program first", s["setup"])
    return ServerSpec(
        name=name,
        where=r.where(node),
        command=command,
        setup=setup,
        args=r.strings(s["args"], "args") if "args" in s else (),
        envs=r.envs(s["envs"], "envs") if "envs" in s else (),
        port=r.string(s["port"], "port", template=False) if "port" in s else name,
        databases=databases,
        files=tuple(files),
        debug_port=debug_port,
        log_matches=r.regexes(s["log_matches"], "log_matches") if "log_matches" in s else (),
        log_not_matches=r.regexes(s["log_not_matches"], "log_not_matches") if "log_not_matches" in s else (),
        error_matches=error_matches,
    )


def _file(r: _Reader, node: _Node, base: Path) -> FileSpec:
    f = r.mapping(node, "a with_files entry", ("name", "contents", "source_path"), required=("name",))
    name = r.string(f["name"], "with_files name")
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise r.fail(f"with_files name {name!r} must be a path inside the server's directory "
                     "(relative, without '..')", f["name"])
    if ("contents" in f) == ("source_path" in f):
        raise r.fail("a with_files entry needs exactly one of `contents` or `source_path`", node)
    if "contents" in f:
        contents = r.string(f["contents"], "contents", empty=True)
    else:
        src = r.string(f["source_path"], "source_path", template=False)
        path = base / src
        try:
            contents = path.read_text(encoding="utf-8")
        except OSError as e:
            raise r.fail(f"source_path {src!r} cannot be read ({e.strerror or e}); it is relative to the "
                         f"scenario file's directory, {base}", f["source_path"]) from None
        r.template(contents, f["source_path"], f"the contents of {src}")
    return FileSpec(name=name, contents=contents, where=r.where(node))


def _fault(r: _Reader, node: _Node, kind: FaultKind, servers: list[str]) -> FaultStep:
    value = node.value[kind]
    where = r.where(node, kind)

    def server(item: _Node, what: str) -> str:
        name = r.string(item, what, template=False)
        if name not in servers:
            raise r.fail(f"{what}: the test has no server {name!r}; its servers: {', '.join(servers)}", item)
        return name

    if kind == "heal":
        if value.value is not None:
            r.mapping(value, "heal", ())
        return FaultStep(kind, where)
    if kind == "delay":
        d = r.mapping(value, "delay", ("from", "to", "seconds"), required=("from", "to", "seconds"))
        seconds = d["seconds"].value
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
            raise r.fail(f"delay.seconds must be a number of seconds, 0 or more; got {_show(d['seconds'])}",
                         d["seconds"])
        return FaultStep(kind, where, source=server(d["from"], "delay.from"), target=server(d["to"], "delay.to"),
                         seconds=float(seconds))
    groups = tuple(tuple(server(item, "partition") for item in r.sequence(group, "a group of partition"))
                   for group in r.sequence(value, "partition"))
    if len(groups) < 2:
        raise r.fail("partition needs at least two groups, for example [[server1], [server2, server3]]", value)
    return FaultStep(kind, where, groups=groups)


def _connection(r: _Reader, node: _Node, servers: list[str]) -> ConnectionSpec:
    faults: list[FaultKind] = [f for f in ("partition", "heal", "delay") if isinstance(node.value, dict)
                               and f in node.value]
    if faults:
        r.mapping(node, f"a {faults[0]} step", (faults[0],))  # a fault step is an entry of its own
        return ConnectionSpec(on="", where=r.where(node), fault=_fault(r, node, faults[0], servers))
    c = r.mapping(node, "a connection", _CONNECTION, required=("on",))
    on = r.string(c["on"], "on", template=False)
    if on not in servers:
        raise r.fail(f"connection on {on!r}, but the test has no server of that name; "
                     f"its servers: {', '.join(servers)}", node, "on")
    actions = [a for a in ACTIONS if a in c]
    if len(actions) > 1:
        raise r.fail(f"a connection can do one of {', '.join(ACTIONS)}; this one has {' and '.join(actions)}. "
                     "Split it into several connections (they run in order)", node, actions[1])
    action = _action(r, c[actions[0]], actions[0]) if actions else None
    queries = tuple(_query(r, q) for q in r.sequence(c["queries"], "queries")) if "queries" in c else ()
    if not queries and action is None:
        raise r.fail("a connection needs `queries` or one of " + ", ".join(ACTIONS), node)
    database = r.string(c["database"], "database", template=False) if "database" in c else None
    return ConnectionSpec(
        on=on,
        where=r.where(node),
        user=r.string(c["user"], "user") if "user" in c else "root",
        password=r.string(c["password"], "password", empty=True) if "password" in c else "",
        tls=_client_tls(r, c["tls"]) if "tls" in c else None,
        database=database,
        retry_attempts=r.integer(c["retry_attempts"], "retry_attempts", 1) if "retry_attempts" in c else 1,
        queries=queries,
        action=action,
    )


def _client_tls(r: _Reader, node: _Node) -> ClientTLS:
    t = r.mapping(node, "tls", ("ca", "cert", "key", "verify_identity"), required=("ca",))
    if ("cert" in t) != ("key" in t):
        raise r.fail("a client certificate needs its key: give both cert and key, or neither", node, "tls")
    verify = True
    if "verify_identity" in t:
        if not isinstance(t["verify_identity"].value, bool):
            raise r.fail(f"verify_identity must be true or false; got {_show(t['verify_identity'])}",
                         t["verify_identity"], "verify_identity")
        verify = t["verify_identity"].value
    return ClientTLS(r.string(t["ca"], "tls.ca"), r.string(t["cert"], "tls.cert") if "cert" in t else None,
                     r.string(t["key"], "tls.key") if "key" in t else None, verify)


def _action(r: _Reader, node: _Node, kind: ActionKind) -> ServerAction:
    where = r.where(node)
    if node.value is None:
        return ServerAction(kind=kind, where=where)
    if kind in ("kill_server", "stop_server", "freeze_server", "thaw_server"):
        r.mapping(node, kind, ())
        return ServerAction(kind=kind, where=where)
    a = r.mapping(node, kind, ("args", "envs"))
    return ServerAction(kind=kind, where=where,
                        args=r.strings(a["args"], f"{kind}.args") if "args" in a else None,
                        envs=r.envs(a["envs"], f"{kind}.envs") if "envs" in a else None)


def _query(r: _Reader, node: _Node) -> QuerySpec:
    q = r.mapping(node, "a query", _QUERY)
    kinds = [k for k in ("exec", "query") if k in q]
    if len(kinds) != 1:
        raise r.fail("each entry of queries needs exactly one of `exec` or `query`", node)
    kind = kinds[0]
    sql = r.string(q[kind], kind)
    args: list[Any] = []
    for a in r.sequence(q["args"], "args") if "args" in q else []:
        if isinstance(a.value, (dict, list)):
            raise r.fail(f"query args must be plain values; got {_show(a)}", a)
        if isinstance(a.value, str):
            r.template(a.value, a, "args")
        args.append(a.value)
    result = _result(r, q["result"]) if "result" in q else None
    error_match = r.regex(q["error_match"], "error_match") if "error_match" in q else None
    if result is not None and kind == "exec":
        raise r.fail("`exec` does not check results; write `query:` to compare a result", node, "result")
    if result is not None and error_match is not None:
        raise r.fail("a statement cannot both return a result and fail; keep `result` or `error_match`", node,
                     "error_match")
    return QuerySpec(kind=kind, sql=sql, where=r.where(node), args=tuple(args), result=result,
                     error_match=error_match,
                     retry_attempts=r.integer(q["retry_attempts"], "retry_attempts", 1) if "retry_attempts" in q else 1)


def _result(r: _Reader, node: _Node) -> ResultSpec:
    res = r.mapping(node, "result", _RESULT)
    columns = r.strings(res["columns"], "columns") if "columns" in res else None
    rows = None
    if "rows" in res:
        rows = tuple(tuple(_cell(r, cell) for cell in r.sequence(row, "a row of rows"))
                     for row in r.sequence(res["rows"], "rows"))
    order = r.string(res["order"], "order", template=False) if "order" in res else "exact"
    if order not in ("exact", "any"):
        raise r.fail(f"order must be `exact` or `any`; got {order!r}", res["order"])
    return ResultSpec(where=r.where(node), columns=columns, rows=rows, order=order)  # type: ignore[arg-type]


def _cell(r: _Reader, node: _Node) -> str:
    if isinstance(node.value, (dict, list)):
        raise r.fail(f"a row is a list of values; got {_show(node)} as a value", node)
    if node.value is None and node.raw in ("", "~", "null", "Null", "NULL"):
        return "NULL"
    return r.string(node, "a row value", empty=True)

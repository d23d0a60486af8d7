"""`app sql-server` as a real process: startup, clients, signals, persistence, config errors, CLI.

Each test starts `python -m app ...` with the test's own interpreter (see _proc.py), waits for
conditions with deadlines (never a sleep), and kills whatever is left in a `finally`.
"""

from __future__ import annotations

import re
import shutil
import signal
import sys
from pathlib import Path

import pymysql
import pytest

from _proc import (
    assert_no_process_left,
    describe_run,
    listening_socket,
    run_app,
    run_command,
    server,
    started_command,
    stop_gracefully,
)
from app.testingshim import scaled

# pymysql's client-side codes for a connection the server dropped.
CR_SERVER_GONE_ERROR = 2006
CR_SERVER_LOST = 2013
ER_ACCESS_DENIED_ERROR = 1045


def connect(port: int, **kwargs: object) -> pymysql.connections.Connection:
    params: dict[str, object] = {"host": "127.0.0.1", "port": port, "user": "root", "password": "",
                                 "connect_timeout": scaled(10), "read_timeout": scaled(20),
                                 "write_timeout": scaled(20)}
    params.update(kwargs)
    return pymysql.connect(**params)  # type: ignore[arg-type]


def query(conn: pymysql.connections.Connection, sql: str) -> list[tuple[object, ...]]:
    with conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def assert_connection_lost(conn: pymysql.connections.Connection, what: str) -> None:
    """The next query on `conn` fails with a connection error (not a SQL error)."""
    with pytest.raises((pymysql.err.OperationalError, pymysql.err.InterfaceError)) as info:
        query(conn, "SELECT 1")
    err = info.value
    if isinstance(err, pymysql.err.OperationalError):
        assert err.args and err.args[0] in (CR_SERVER_GONE_ERROR, CR_SERVER_LOST), (
            f"{what}: expected a lost-connection error (2006 or 2013), got {err!r}")


def write_config(tmp_path: Path, text: str, name: str = "server.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# -- 1. start, connect, query ---------------------------------------------------------------------


def test_start_on_free_port_and_run_sql() -> None:
    with server() as (proc, port):
        assert port != 0, proc.describe()
        conn = connect(port)
        try:
            query(conn, "CREATE DATABASE shop")
            query(conn, "USE shop")
            query(conn, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))")
            query(conn, "INSERT INTO items VALUES (1, 'apple'), (2, 'pear')")
            conn.commit()
            assert query(conn, "SELECT id, name FROM items ORDER BY id") == [(1, "apple"), (2, "pear")], proc.describe()
        finally:
            conn.close()
        code = stop_gracefully(proc)
        assert code == 0, proc.describe()
        assert_no_process_left(proc)


# -- 2./3. graceful shutdown -------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_graceful_shutdown_with_clients_connected(sig: signal.Signals) -> None:
    with server() as (proc, port):
        idle = connect(port, autocommit=True)
        in_tx = connect(port)
        try:
            query(idle, "CREATE DATABASE d")
            query(idle, "CREATE TABLE d.t (id INT PRIMARY KEY)")
            query(in_tx, "BEGIN")
            query(in_tx, "INSERT INTO d.t VALUES (1)")
            assert query(in_tx, "SELECT COUNT(*) FROM d.t") == [(1,)], proc.describe()

            code = stop_gracefully(proc, sig, timeout=5)
            assert code == 0, f"{sig.name} should exit 0{proc.describe()}"
            assert_no_process_left(proc)
            assert not any("Traceback" in line for line in proc.stderr_lines), proc.describe()

            assert_connection_lost(idle, "the idle client after shutdown")
            assert_connection_lost(in_tx, "the client in a transaction after shutdown")
        finally:
            idle.close()
            in_tx.close()


# -- 4. persistence in --data-dir --------------------------------------------------------------


def test_data_dir_keeps_committed_rows_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with server("--data-dir", str(data)) as (proc, port):
        assert str(data) in proc.stderr, f"the ready line should name the data directory{proc.describe()}"
        conn = connect(port, autocommit=True)
        pending = connect(port)
        try:
            query(conn, "CREATE DATABASE keep")
            query(conn, "CREATE TABLE keep.t (id INT PRIMARY KEY, v VARCHAR(10))")
            query(conn, "INSERT INTO keep.t VALUES (1, 'one'), (2, 'two')")
            query(conn, "BEGIN")
            query(conn, "INSERT INTO keep.t VALUES (3, 'three')")
            query(conn, "COMMIT")

            query(pending, "BEGIN")
            query(pending, "INSERT INTO keep.t VALUES (100, 'lost'), (101, 'lost')")
            query(pending, "UPDATE keep.t SET v = 'changed' WHERE id = 1")
            assert query(pending, "SELECT COUNT(*) FROM keep.t") == [(5,)], proc.describe()

            code = stop_gracefully(proc)
            assert code == 0, proc.describe()
            assert_no_process_left(proc)
        finally:
            conn.close()
            pending.close()

    with server("--data-dir", str(data)) as (proc, port):
        conn = connect(port, autocommit=True)
        try:
            rows = query(conn, "SELECT id, v FROM keep.t ORDER BY id")
            assert rows == [(1, "one"), (2, "two"), (3, "three")], (
                f"committed rows should survive the restart, uncommitted ones should not: {rows}{proc.describe()}")
        finally:
            conn.close()
        assert stop_gracefully(proc) == 0, proc.describe()
        assert_no_process_left(proc)


# -- 5. configuration errors -------------------------------------------------------------------


def assert_config_error(proc_args: tuple[str, ...], *needles: str) -> str:
    """The server exits 1 with a one-line error (no traceback) containing every needle; the message."""
    proc = run_app("sql-server", "--port", "0", *proc_args)
    assert proc.returncode == 1, f"expected exit code 1{proc.describe()}"
    assert "Traceback" not in proc.stderr, f"a config error should be a message, not a traceback{proc.describe()}"
    assert "ready for connections" not in proc.stderr, proc.describe()
    lines = [line for line in proc.stderr_lines if line.strip()]
    assert len(lines) == 1, f"expected one error line{proc.describe()}"
    for needle in needles:
        assert needle in lines[0], f"the error should mention {needle!r}{proc.describe()}"
    return lines[0]


def test_config_unknown_key(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "log_level: info\nlistner:\n  port: 0\n")
    line = assert_config_error(("--config", str(cfg)), "listner", str(cfg), ":2:")
    assert f"{cfg}:2: listner:" in line, line


def test_config_unknown_nested_key(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "listener:\n  host: 127.0.0.1\n  prot: 0\n")
    line = assert_config_error(("--config", str(cfg)), "listener.prot", str(cfg), ":3:")
    assert f"{cfg}:3: listener.prot:" in line, line


def test_config_bad_value(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "log_level: info\nlistener:\n  port: \"abc\"\n")
    line = assert_config_error(("--config", str(cfg)), "listener.port", str(cfg), ":3:")
    assert f"{cfg}:3: listener.port:" in line, line


def test_config_bad_log_level_value(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "\nlog_level: loud\n")
    assert_config_error(("--config", str(cfg)), "log_level", "loud", f"{cfg}:2:")


def test_config_not_yaml(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "log_level: info\nlistener: {port: 0\nusers: [\n")
    line = assert_config_error(("--config", str(cfg)), str(cfg))
    assert re.search(re.escape(str(cfg)) + r":\d+: ", line), f"the error should give FILE:LINE: {line}"


def test_config_not_a_mapping(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "- just\n- a list\n")
    assert_config_error(("--config", str(cfg)), str(cfg), ":1:")


def test_config_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    line = assert_config_error(("--config", str(missing)), str(missing))
    assert "No such file" in line or "cannot read" in line, line


def test_bogus_log_level_flag() -> None:
    assert_config_error(("--log-level", "bogus"), "--log-level", "bogus")


def test_port_flag_out_of_range() -> None:
    assert_config_error(("--port", "70000"), "--port", "70000")


# -- 6. a taken port ---------------------------------------------------------------------------


def test_taken_port_is_one_line_error() -> None:
    with listening_socket("127.0.0.1") as port:
        proc = run_app("sql-server", "--host", "127.0.0.1", "--port", str(port))
    assert proc.returncode == 1, f"expected exit code 1 for a taken port{proc.describe()}"
    lines = [line for line in proc.stderr_lines if line.strip()]
    assert len(lines) == 1, f"expected exactly one stderr line{proc.describe()}"
    assert str(port) in lines[0] and "--port" in lines[0], proc.describe()
    assert "Traceback" not in proc.stderr, proc.describe()


def test_unusable_data_dir_is_one_line_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    assert_config_error(("--data-dir", str(not_a_dir)), str(not_a_dir), "--data-dir")


def test_host_that_cannot_be_bound_is_one_line_error() -> None:
    assert_config_error(("--host", "999.1.1.1"), "999.1.1.1")


# -- 7. passwords ------------------------------------------------------------------------------


def test_wrong_password_is_refused(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "users:\n  - name: root\n    password: secret\n")
    with server("--config", str(cfg)) as (proc, port):
        with pytest.raises(pymysql.err.OperationalError) as info:
            connect(port, password="wrong").close()
        assert info.value.args[0] == ER_ACCESS_DENIED_ERROR, f"{info.value!r}{proc.describe()}"
        with pytest.raises(pymysql.err.OperationalError) as info:
            connect(port, password="").close()
        assert info.value.args[0] == ER_ACCESS_DENIED_ERROR, f"{info.value!r}{proc.describe()}"
        with pytest.raises(pymysql.err.OperationalError) as info:
            connect(port, user="nobody", password="secret").close()
        assert info.value.args[0] == ER_ACCESS_DENIED_ERROR, f"{info.value!r}{proc.describe()}"

        conn = connect(port, password="secret")
        try:
            assert query(conn, "SELECT 1") == [(1,)], proc.describe()
        finally:
            conn.close()
        assert stop_gracefully(proc) == 0, proc.describe()


# -- 8. the mariadb command-line client --------------------------------------------------------


def mariadb_command(port: int, *args: str) -> list[str]:
    exe = shutil.which("mariadb")
    assert exe is not None
    # --no-defaults: no ~/.my.cnf or /etc/mysql options (a default user, SSL settings) leak in.
    return [exe, "--no-defaults", "-h127.0.0.1", f"-P{port}", "-uroot", "--connect-timeout=10", *args]


@pytest.mark.skipif(shutil.which("mariadb") is None, reason="the `mariadb` command-line client is not installed")
def test_mariadb_client_smoke() -> None:
    with server() as (proc, port):
        result = run_command(mariadb_command(
            port, "--batch", "-e",
            "CREATE DATABASE smoke; USE smoke; CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)); "
            "INSERT INTO t VALUES (1,'a'); SELECT v FROM t"))
        assert result.returncode == 0, describe_run(result) + proc.describe()
        assert result.stdout.splitlines() == ["v", "a"], describe_run(result) + proc.describe()

        # Statements on stdin, as a script or a terminal session would send them.
        script = ("USE smoke;\n"
                  "INSERT INTO t VALUES (2, 'b');\n"
                  "UPDATE t SET v = 'aa' WHERE id = 1;\n"
                  "SELECT id, v FROM t ORDER BY id;\n"
                  "SELECT COUNT(*) AS n FROM t;\n")
        result = run_command(mariadb_command(port), input=script)
        assert result.returncode == 0, describe_run(result) + proc.describe()
        assert result.stdout.splitlines() == ["id\tv", "1\taa", "2\tb", "n", "2"], \
            describe_run(result) + proc.describe()

        # A SQL error: the client reports it and exits non-zero, and the server keeps serving.
        result = run_command(mariadb_command(port, "--batch", "-e", "SELECT * FROM smoke.missing"))
        assert result.returncode != 0 and "missing" in result.stderr, describe_run(result) + proc.describe()
        result = run_command(mariadb_command(port, "--batch", "-N", "-e", "SELECT COUNT(*) FROM smoke.t"))
        assert result.returncode == 0 and result.stdout.split() == ["2"], describe_run(result) + proc.describe()

        assert stop_gracefully(proc) == 0, proc.describe()
        assert_no_process_left(proc)


# -- 9. --help ---------------------------------------------------------------------------------


def test_help() -> None:
    proc = run_app("--help")
    assert proc.returncode == 0, proc.describe()
    assert "sql-server" in proc.stdout, proc.describe()

    proc = run_app("sql-server", "--help")
    assert proc.returncode == 0, proc.describe()
    for flag in ("--config", "--host", "--port", "--data-dir", "--log-level"):
        assert flag in proc.stdout, f"`app sql-server --help` should document {flag}{proc.describe()}"


def test_console_script_help() -> None:
    script = Path(sys.executable).parent / "app"
    if not script.exists():
        pytest.skip(f"the `app` console script is not installed next to {sys.executable}")
    with started_command([str(script), "sql-server", "--help"]) as proc:
        code = proc.wait_exit("`app sql-server --help` to finish", 30)
    assert code == 0, proc.describe()
    assert "--port" in proc.stdout, proc.describe()

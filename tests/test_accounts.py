"""Accounts as MariaDB has them (src/app/sql/_accounts.py, _statements/accounts.py, grants.py): the same
account statements run on app and on the MariaDB at 127.0.0.1:3306 and answer alike; logins check the
stored passwords; CURRENT_USER() is the account.

Every test makes its own accounts, named `h_acc_<hex>` (unique across parallel runs), and drops them on
MariaDB when it ends.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pymysql
import pytest

from _sqldiff import Differ
from app.sql._passwords import (
    NATIVE,
    SHA2,
    check_native_scramble,
    check_password,
    check_sha2_scramble,
    native_auth_string,
    sha2_auth_string,
    sha2_digest,
    sha256_crypt,
)


@pytest.fixture
def names(differ: Differ) -> Iterator[list[str]]:
    """A list to put new account names in (unique `h_acc_<hex>`); they are dropped on MariaDB at the end."""
    made: list[str] = []
    yield made
    with differ.reference.cursor() as cur:
        for name in made:
            cur.execute(f"DROP USER IF EXISTS '{name}'@'%', '{name}'@'localhost', '{name}'@'127.0.0.1'")


def _name(made: list[str]) -> str:
    name = "h_acc_" + uuid.uuid4().hex[:12]
    made.append(name)
    return name


def _check(differ: Differ, statements: list[str], **kwargs: Any) -> None:
    differ.check(statements, unordered=True, **kwargs)


def test_native_auth_string_is_what_mariadb_password_gives(differ: Differ) -> None:
    for password in ("abc", "", "pässwörd", "x" * 80):
        with differ.reference.cursor() as cur:
            cur.execute("SELECT PASSWORD(%s)", (password,))
            assert native_auth_string(password) == cur.fetchone()[0]


def test_sha256_crypt_matches_openssl() -> None:
    for password, salt in (("Hello world!", "saltstring"), ("pw", "abcdefghijklmnop")):
        made = subprocess.run(["openssl", "passwd", "-5", "-salt", salt, password], capture_output=True, text=True,
                              check=True).stdout.strip()
        assert made == f"$5${salt}${sha256_crypt(password.encode(), salt.encode())}"


def test_password_checks() -> None:
    native = native_auth_string("secret")
    assert check_password(NATIVE, native, "secret") and not check_password(NATIVE, native, "Secret")
    stored = sha2_auth_string("secret")
    assert stored.startswith("$A$005$") and len(stored) == 70
    assert check_password(SHA2, stored, "secret") and not check_password(SHA2, stored, "secreT")
    assert check_password(SHA2, "", "") and not check_password(SHA2, "", "x")
    # The native scramble, as a client computes it.
    import hashlib
    salt = b"12345678901234567890"
    stage1 = hashlib.sha1(b"secret").digest()
    scramble = bytes(a ^ b for a, b in zip(stage1, hashlib.sha1(salt + hashlib.sha1(stage1).digest()).digest(),
                                           strict=True))
    assert check_native_scramble(native, salt, scramble)
    assert not check_native_scramble(native, b"x" * 20, scramble)
    assert not check_native_scramble(native, salt, b"")
    # The caching_sha2_password fast path.
    s1 = hashlib.sha256(b"secret").digest()
    fast = bytes(a ^ b for a, b in zip(s1, hashlib.sha256(hashlib.sha256(s1).digest() + salt).digest(), strict=True))
    assert check_sha2_scramble(sha2_digest("secret"), salt, fast)
    assert not check_sha2_scramble(sha2_digest("other"), salt, fast)


def test_create_alter_drop_rename_answer_as_mariadb(differ: Differ, names: list[str]) -> None:
    a, b, c = _name(names), _name(names), _name(names)
    _check(differ, [
        f"CREATE USER '{a}'@'%' IDENTIFIED BY 'pw1'",
        f"CREATE USER '{a}'@'%'",
        f"CREATE USER IF NOT EXISTS '{a}'",
        "SHOW WARNINGS",
        f"CREATE USER {b}@'%' IDENTIFIED BY PASSWORD '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29'",
        f"CREATE USER {c} IDENTIFIED WITH mysql_native_password AS 'bad'",
        f"SHOW CREATE USER {b}",
        f"SHOW GRANTS FOR '{a}'@'%'",
        f"ALTER USER {a} IDENTIFIED BY 'pw2'",
        f"SHOW GRANTS FOR {a}",
        f"ALTER USER {c} IDENTIFIED BY 'x'",
        f"ALTER USER IF EXISTS {c} IDENTIFIED BY 'x'",
        f"SET PASSWORD FOR {a} = PASSWORD('abc')",
        f"SHOW GRANTS FOR {a}",
        f"SET PASSWORD FOR {a} = '*0D3CED9BEC10A777AEC23CCC353A8C08A633045E'",
        f"SET PASSWORD FOR {a} = 'abc'",
        f"SET PASSWORD FOR {c} = PASSWORD('abc')",
        f"RENAME USER {b} TO {c}",
        f"SHOW GRANTS FOR {c}",
        f"SHOW GRANTS FOR {b}",
        f"RENAME USER {a} TO {c}",
        f"DROP USER IF EXISTS {b}",
        "SHOW WARNINGS",
        f"DROP USER {b}, {c}",
        f"SELECT COUNT(*) FROM mysql.user WHERE user = '{c}'",
        f"DROP USER {a}",
    ])


def test_grant_and_revoke_answer_as_mariadb(differ: Differ, names: list[str]) -> None:
    a = _name(names)
    _check(differ, [
        "CREATE TABLE {db}.t (a INT, b INT)",
        f"GRANT SELECT ON *.* TO {a}",
        f"CREATE USER {a} IDENTIFIED BY 'pw'",
        f"GRANT SELECT, INSERT ON {{db}}.* TO {a} WITH GRANT OPTION",
        f"GRANT UPDATE, DELETE ON {{db}}.t TO {a}",
        f"GRANT SELECT ON {{db}}.nosuch TO {a}",
        f"GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR, CONNECTION ADMIN ON *.* TO {a}",
        f"SHOW GRANTS FOR {a}",
        f"REVOKE INSERT ON {{db}}.* FROM {a}",
        f"REVOKE DELETE ON {{db}}.t FROM {a}",
        f"REVOKE SELECT ON {{db}}_other.* FROM {a}",
        f"SHOW GRANTS FOR {a}",
        f"GRANT ALL ON {{db}}.* TO {a}",
        f"GRANT ALL PRIVILEGES ON *.* TO {a}",
        f"SHOW GRANTS FOR {a}",
        f"REVOKE SELECT ON *.* FROM {a}",
        f"SHOW GRANTS FOR {a}",
        f"REVOKE ALL PRIVILEGES, GRANT OPTION FROM {a}",
        f"SHOW GRANTS FOR {a}",
        f"GRANT PROCESS ON {{db}}.* TO {a}",
        f"GRANT NOSUCH ON *.* TO {a}",
        f"SHOW GRANTS FOR {a}_none",
        f"DROP USER {a}",
    ])


def _connect(differ: Differ, user: str, password: str, **kwargs: Any) -> tuple[Any, Any]:
    return differ.connect(user=user, password=password, autocommit=True, database="", **kwargs)


def test_login_checks_the_password_and_current_user_is_the_account(differ: Differ, names: list[str]) -> None:
    a = _name(names)
    _check(differ, [f"CREATE USER {a} IDENTIFIED BY 'right'", f"GRANT SELECT ON {{db}}.* TO {a}"])
    for password in ("wrong", ""):
        for connect in (differ.connect_ours, differ.connect_reference):
            with pytest.raises(pymysql.err.OperationalError) as refused:
                connect(user=a, password=password, database="")
            assert refused.value.args[0] == 1045
    ours, ref = _connect(differ, a, "right")
    _check(differ, ["SELECT CURRENT_USER()", "SELECT SUBSTRING_INDEX(USER(), '@', 1)", "SHOW GRANTS",
                    "SET PASSWORD = PASSWORD('new')", "CREATE USER h_acc_never"], conns=(ours, ref))
    _connect(differ, a, "new")
    _check(differ, [f"DROP USER {a}"])


def test_accounts_persist_across_a_restart(tmp_path: Any) -> None:
    from app import testingshim
    from app.testingshim import TestServerArgs

    name = "h_acc_" + uuid.uuid4().hex[:12]
    args = TestServerArgs(data_dir=str(tmp_path), requires=frozenset({"restart"}))
    with testingshim.new_test_server(args) as server:
        db = server.application_layer().database
        try:
            with server.application_layer().sql_conn(autocommit=True) as conn, conn.cursor() as cur:
                cur.execute(f"CREATE USER {name} IDENTIFIED BY 'pw'")
                cur.execute(f"GRANT SELECT ON `{db}`.* TO {name}")
            server.restart()
            host, port = server.application_layer().sql_addr
            with pymysql.connect(host=host, port=port, user=name, password="pw") as conn, conn.cursor() as cur:
                cur.execute("SHOW GRANTS")
                assert {r[0] for r in cur.fetchall()} == {
                    f"GRANT USAGE ON *.* TO `{name}`@`%` IDENTIFIED BY PASSWORD "
                    "'*D821809F681A40A6E379B50D0463EFAE20BDD122'",
                    f"GRANT SELECT ON `{db}`.* TO `{name}`@`%`"}
        finally:
            with server.application_layer().sql_conn(autocommit=True) as conn, conn.cursor() as cur:
                cur.execute(f"DROP USER IF EXISTS {name}")


def test_caching_sha2_password_accounts_log_in(app_server: Any) -> None:
    """An account made with caching_sha2_password logs in (full authentication by RSA on a plaintext
    connection, then the fast path); its stored form is MySQL 8's."""
    name = "h_acc_" + uuid.uuid4().hex[:12]
    app = app_server.application_layer()
    with app.sql_conn(autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE USER {name} IDENTIFIED WITH caching_sha2_password BY 'sha2pw'")
        cur.execute(f"SELECT plugin, authentication_string FROM mysql.user WHERE user = '{name}'")
        plugin, stored = cur.fetchone()
        assert plugin == "caching_sha2_password" and check_password(SHA2, stored, "sha2pw")
        cur.execute(f"SHOW CREATE USER {name}")
        assert cur.fetchone()[0] == f"CREATE USER `{name}`@`%` IDENTIFIED VIA caching_sha2_password USING '{stored}'"
    host, port = app.sql_addr
    for _ in range(2):
        with pymysql.connect(host=host, port=port, user=name, password="sha2pw") as conn, conn.cursor() as cur:
            cur.execute("SELECT CURRENT_USER()")
            assert cur.fetchone() == (f"{name}@%",)
    with pytest.raises(pymysql.err.OperationalError) as refused:
        pymysql.connect(host=host, port=port, user=name, password="wrong")
    assert refused.value.args[0] == 1045

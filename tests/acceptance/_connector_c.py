"""Run one scenario of test_drivers.py with mysql-connector's C extension, in a fresh interpreter.

    python _connector_c.py SCENARIO '{"side": ..., "host": ..., "port": ..., "user": ..., "password": ...,
                                      "database": ...}'

prints the scenario's observations as JSON, or exits non-zero with the traceback. The extension is
imported before anything else: it links the OpenSSL its wheel ships, which cannot load once Python's
ssl module has loaded the system's libssl.so.3 (test_drivers.py's docstring). Exit code 3: it does
not load even so, with the reason on stdout.
"""

from __future__ import annotations

try:
    import _mysql_connector  # noqa: F401  (first of all: see above)
except ImportError as e:
    print(e)
    raise SystemExit(3) from None

import json
import os
import sys
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/: _sqldiff


def main() -> None:
    import mysql.connector
    from _harness import Target
    from test_drivers import SCENARIOS, open_connection

    assert mysql.connector.HAVE_CEXT, "mysql.connector did not take up its C extension"
    name, target_json = sys.argv[1], sys.argv[2]
    target = Target(**json.loads(target_json))
    opened: list[Any] = []

    def connect(driver: str, target: Target, *, autocommit: bool = True) -> Any:
        conn = open_connection(driver, target, autocommit=autocommit)
        if driver == "connector-c":
            assert type(conn).__name__ == "CMySQLConnection", type(conn)
        opened.append(conn)
        return conn

    try:
        result = SCENARIOS[name](connect, target, "connector-c")
    finally:
        for conn in reversed(opened):
            try:
                conn.close()
            except Exception:
                pass
    print(json.dumps(result))


if __name__ == "__main__":
    main()

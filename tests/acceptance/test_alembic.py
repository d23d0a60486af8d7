"""Alembic through its command API: autogenerate, upgrade, a revision adding a column, an index and a
foreign key, autogenerate finding nothing left to do, and downgrade to base.

In the test's process: Alembic's commands keep no global state between calls (env.py is executed
afresh by each), so each side gets its own script directory under tmp_path and its own private
database, and the connection and target metadata reach env.py through `Config.attributes`. Each step's
generated operations and the reflected schema are compared between MariaDB and app.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from _harness import Sides, Target, require_module

sa = require_module("sqlalchemy", "SQLAlchemy")
alembic_command = require_module("alembic.command", "alembic")
from alembic.autogenerate import compare_metadata  # noqa: E402  (after the skip when Alembic is absent)
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402

ENV_PY = '''\
from alembic import context

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=config.attributes["target_metadata"],
                  compare_type=True, compare_server_default=True)
with context.begin_transaction():
    context.run_migrations()
'''


def metadata(version: int) -> Any:
    """The application's models: version 1, then version 2 with invoice.payer_id (FK, indexed)."""
    md = sa.MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"})
    sa.Table("account", md,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("email", sa.String(120), nullable=False, unique=True),
             sa.Column("created", sa.DateTime, nullable=False),
             sa.Column("balance", sa.Numeric(12, 2), nullable=False, server_default="0.00"))
    invoice = sa.Table("invoice", md,
                       sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),
                       sa.Column("amount", sa.Numeric(10, 2), nullable=False),
                       sa.Column("issued", sa.Date, nullable=False, index=True),
                       sa.Column("note", sa.Text))
    if version >= 2:
        invoice.append_column(sa.Column("payer_id", sa.Integer, sa.ForeignKey("account.id", ondelete="SET NULL"),
                                        nullable=True, index=True))
    return md


def ops_of(script: Path) -> dict[str, list[str]]:
    """The op.* lines of a generated revision's upgrade() and downgrade(): what autogenerate decided."""
    text = script.read_text()
    found = {}
    for fn in ("upgrade", "downgrade"):
        body = text.split(f"def {fn}()", 1)[1].split("\ndef ", 1)[0]
        found[fn] = [re.sub(r"\s+", " ", line.strip()) for line in body.splitlines()
                     if line.strip() and not line.strip().startswith(("#", '"""', "->"))]
    return found


def schema_of(conn: Any) -> dict[str, Any]:
    insp = sa.inspect(conn)
    return {t: {"columns": [[c["name"], str(c["type"]), c["nullable"]] for c in insp.get_columns(t)],
                "fks": insp.get_foreign_keys(t),
                "indexes": sorted(insp.get_indexes(t), key=lambda i: str(i["name"]))}
            for t in sorted(insp.get_table_names())}


@pytest.fixture
def engines() -> Any:
    made: list[Any] = []

    def engine(target: Target) -> Any:
        eng = sa.create_engine(target.url("pymysql"), poolclass=sa.pool.NullPool,
                               connect_args={"connect_timeout": 5, "read_timeout": 30})
        made.append(eng)
        return eng

    yield engine
    for eng in made:
        eng.dispose()


def test_autogenerate_upgrade_and_downgrade(sides: Sides, engines: Any, tmp_path: Path) -> None:
    def scenario(target: Target) -> Any:
        home = tmp_path / target.side
        home.mkdir()
        cfg = Config(str(home / "alembic.ini"))
        alembic_command.init(cfg, str(home / "migrations"))
        (home / "migrations" / "env.py").write_text(ENV_PY)
        cfg.set_main_option("script_location", str(home / "migrations"))
        versions = home / "migrations" / "versions"
        seen: dict[str, Any] = {}
        with engines(target).connect() as conn:
            cfg.attributes["connection"] = conn

            def step(version: int, rev: str, message: str) -> None:
                cfg.attributes["target_metadata"] = metadata(version)
                alembic_command.revision(cfg, message=message, autogenerate=True, rev_id=rev)
                seen[f"{rev} ops"] = ops_of(next(versions.glob(f"{rev}_*.py")))
                alembic_command.upgrade(cfg, "head")
                conn.commit()
                seen[f"{rev} schema"] = schema_of(conn)
                # Autogenerate against what it just made finds nothing: reflection sees what DDL did.
                left = compare_metadata(MigrationContext.configure(conn), metadata(version))
                assert left == [], f"after {rev}, autogenerate still finds {left}"

            step(1, "0001", "initial")
            conn.execute(sa.text("INSERT INTO account (id, email, created) VALUES (1, 'a@x', '2024-01-02 03:04')"))
            conn.execute(sa.text("INSERT INTO invoice (id, account_id, amount, issued) "
                                 "VALUES (1, 1, 9.99, '2024-01-02')"))
            conn.commit()
            step(2, "0002", "payer")
            conn.execute(sa.text("UPDATE invoice SET payer_id = 1"))
            conn.commit()
            rows = conn.execute(sa.text("SELECT id, account_id, amount, payer_id FROM invoice"))
            seen["rows"] = [list(r) for r in rows]
            alembic_command.downgrade(cfg, "0001")
            conn.commit()
            seen["downgraded to 0001"] = schema_of(conn)
            alembic_command.downgrade(cfg, "base")
            conn.commit()
            seen["base"] = schema_of(conn)
            seen["version"] = [list(r) for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))]
        assert list(seen["base"]) == ["alembic_version"] and seen["version"] == [], seen["base"]
        seen["rows"] = [[str(v) for v in r] for r in seen["rows"]]
        return seen

    sides.compare(scenario)

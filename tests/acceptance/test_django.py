"""Django 5.2 on mysqlclient: migrate the contrib apps and a shop app, ORM queries, atomic rollbacks,
and a second migration altering fields (django_project/drive.py does the steps).

Each side runs in processes of its own, on a copy of django_project/ under tmp_path with the
database in the environment: Django's settings, app registry and model classes are global to a
process (settings are configured once, models register once), so two servers and two versions of
the models cannot share the test's process without resetting Django's internals. A step costs
Django's start-up (about 0.3 s) besides its SQL. v1 and v2 are separate processes because the
models change between them, as between two deployments.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from _harness import Sides, Target, require_module, run_tool

PROJECT = Path(__file__).parent / "django_project"


def drive(home: Path, target: Target, step: str) -> Any:
    env = {**os.environ, "APP_DJANGO_HOST": target.host, "APP_DJANGO_PORT": str(target.port),
           "APP_DJANGO_USER": target.user, "APP_DJANGO_PASSWORD": target.password, "APP_DJANGO_NAME": target.database,
           "PYTHONDONTWRITEBYTECODE": "1"}
    out = run_tool([sys.executable, str(home / "drive.py"), step], env=env, cwd=str(home), timeout=120).decode()
    line = next((x for x in out.splitlines() if x.startswith("RESULT: ")), None)
    assert line is not None, f"drive.py {step} printed no result:\n{out}"
    return json.loads(line.removeprefix("RESULT: "))


def test_migrate_orm_and_altering_migration(sides: Sides, tmp_path: Path) -> None:
    require_module("django", "Django")
    require_module("MySQLdb", "mysqlclient")

    def scenario(target: Target) -> Any:
        home = tmp_path / target.side
        shutil.copytree(PROJECT, home, ignore=shutil.ignore_patterns("__pycache__", "models.py", "0*.py"))
        seen = {"v1": drive(home, target, "v1"), "v2": drive(home, target, "v2")}
        v1 = seen["v1"]
        # 19 migrations with Django 5.2: contenttypes 2, auth 12, admin 3, sessions 1, and shop's.
        assert {app for app, _ in v1["applied"]} == {"contenttypes", "auth", "admin", "sessions", "shop"}, v1["applied"]
        assert v1["applied"][-1] == ["shop", "0001_initial"], v1["applied"]
        assert v1["skus after atomic"].count("PEN") == 1 and "GONE" not in v1["skus after atomic"], v1
        assert "KEPT" in v1["skus after atomic"] and "INNER" not in v1["skus after atomic"], v1
        assert v1["duplicate sku"][0] == v1["missing product"][0] == "IntegrityError", v1
        assert v1["negative quantity"] == ["DataError", 1264], v1
        assert seen["v2"]["applied"][0][1].startswith("0002"), seen["v2"]
        return seen

    sides.compare(scenario)

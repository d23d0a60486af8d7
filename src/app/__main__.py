"""`app` command line: `app sql-server ...`, `app scenarios FILE...` (also `python -m app ...`)."""

from __future__ import annotations

import os
import sys


def _cache_bytecode() -> None:
    """Start from cached bytecode even where PYTHONDONTWRITEBYTECODE is set.

    Sandboxes and CI images set it to keep source trees free of __pycache__; then each
    `app sql-server` compiles app's ~50 modules again, about 50 ms of a 200 ms start, paid by
    every one of the dozens of servers a test run starts. The bytecode goes to a cache outside
    the source tree instead (the tree stays as clean as the setting asks). APP_BYTECODE_CACHE=0
    turns this off; an explicit PYTHONPYCACHEPREFIX is left alone.
    """
    if not sys.dont_write_bytecode or sys.pycache_prefix is not None or os.environ.get("APP_BYTECODE_CACHE") == "0":
        return
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    sys.pycache_prefix = os.path.join(base, "app", "pycache")
    sys.dont_write_bytecode = False


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `app` console script."""
    args = sys.argv[1:] if argv is None else argv
    _cache_bytecode()
    if args[:1] == ["scenarios"]:
        # The scenario runner drives servers as processes; it never loads the server package itself.
        from app.scenarios._cli import main as scenarios_main

        return scenarios_main(args[1:])
    # Imported here so that the command line costs nothing before it is parsed.
    from app.server._cli import main as server_main

    return server_main(args)


if __name__ == "__main__":
    sys.exit(main())

"""`app` command line: `app sql-server ...`, `app scenarios FILE...` (also `python -m app ...`)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `app` console script."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["scenarios"]:
        # The scenario runner drives servers as processes; it never loads the server package itself.
        from app.scenarios._cli import main as scenarios_main

        return scenarios_main(args[1:])
    # Imported here so that the command line costs nothing before it is parsed.
    from app.server._cli import main as server_main

    return server_main(args)


if __name__ == "__main__":
    sys.exit(main())

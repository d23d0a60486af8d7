"""`app` command line: `app sql-server ...` (also `python -m app sql-server ...`)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `app` console script."""
    # Imported here so `app --help` and `app scenarios` do not pay for the server's imports.
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "scenarios":
        from app.scenarios._cli import main as scenarios_main

        return scenarios_main(args[1:])
    from app.server._cli import main as server_main

    return server_main(args)


if __name__ == "__main__":
    sys.exit(main())

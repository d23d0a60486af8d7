"""`app` command line: `app sql-server ...` (also `python -m app sql-server ...`)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `app` console script."""
    args = sys.argv[1:] if argv is None else argv
    # Imported here so that the command line costs nothing before it is parsed.
    from app.server._cli import main as server_main

    return server_main(args)


if __name__ == "__main__":
    sys.exit(main())

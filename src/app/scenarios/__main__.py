"""`python -m app.scenarios FILE[::TEST]...`: the same as `app scenarios`."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())

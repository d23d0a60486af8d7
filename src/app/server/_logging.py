"""Logging to stderr at the configured level (trace is below debug)."""

from __future__ import annotations

import logging
import sys

TRACE = 5
_LEVELS = {"trace": TRACE, "debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
           "error": logging.ERROR}


def configure(level: str) -> None:
    logging.addLevelName(TRACE, "TRACE")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(_LEVELS[level])
    # mysql-mimic logs every connection at INFO; that is debug detail for us.
    logging.getLogger("mysql_mimic").setLevel(max(_LEVELS[level], logging.WARNING))
    logging.getLogger("mysql_mimic.connection").addFilter(_drop_client_errors)


def _drop_client_errors(record: logging.LogRecord) -> bool:
    """mysql-mimic logs each SQL error a client caused at ERROR; keep only real failures (with tracebacks)."""
    return record.levelno != logging.ERROR or record.exc_info is not None

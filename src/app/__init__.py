"""A MySQL-compatible SQL server on SQLite, and the test framework that tests it."""

from __future__ import annotations

__version__ = "0.1.0"

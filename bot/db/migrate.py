"""Numbered SQL migrations shipped in ``bot/db/migrations``: found, ordered and split into statements."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

_MIGRATION_NAME = re.compile(r"(\d{3})_([a-z0-9_]+)\.sql")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered ``NNN_name.sql`` files shipped in ``bot/db/migrations``, in order."""
    found: list[Migration] = []
    for entry in resources.files("bot.db").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 001, 002, ... without gaps, found {versions}")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements with sqlite3's own completeness test (handles triggers)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer)
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise RuntimeError(f"migration ends with an incomplete statement: {buffer.strip()[:80]!r}")
    return statements

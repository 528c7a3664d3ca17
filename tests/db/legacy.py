"""Databases as earlier releases left them: the numbered SQL files applied the old way (sqlite3, each
recorded in ``schema_migrations``), for upgrade tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.db.migrate import bundled_migrations, split_statements


def legacy_database(path: Path, *, below: int) -> Path:
    """Apply ``001`` ... up to (not including) migration ``below`` the way releases before Alembic did."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for migration in bundled_migrations():
        if migration.version >= below:
            break
        connection.execute("BEGIN IMMEDIATE")
        for statement in split_statements(migration.sql):
            if statement.strip():
                connection.execute(statement)
        connection.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)",
            (migration.version, migration.name, "2026-11-01T00:00:00+00:00"),
        )
        connection.execute("COMMIT")
    connection.close()
    return path

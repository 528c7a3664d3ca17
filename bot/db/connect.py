"""Which backend: ``DATABASE_URL`` (PostgreSQL) when set, else the SQLite file at ``DATABASE_PATH``."""

from __future__ import annotations

from pathlib import Path

from bot.clock import Clock, system_clock
from bot.db.base import Database
from bot.db.postgres import PostgresDatabase
from bot.db.sqlite import SQLiteDatabase


async def open_database(url: str | None, path: Path, *, clock: Clock = system_clock) -> Database:
    """Open and migrate the configured database (:class:`DatabaseUnavailable` if it cannot be used)."""
    if url:
        return await PostgresDatabase.open(url, clock=clock)
    return await SQLiteDatabase.open(path, clock=clock)

"""The SQLite store: one aiosqlite connection, numbered migrations, one repository per feature."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.clock import Clock, system_clock

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"(\d{3})_([a-z0-9_]+)\.sql")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered ``NNN_name.sql`` files shipped in ``bot/store/migrations``, in order."""
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


class Store:
    """Owns the connection. Writes go through :meth:`write`, one transaction at a time."""

    def __init__(self, db: aiosqlite.Connection, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str, *, clock: Clock = system_clock) -> Store:
        db = await aiosqlite.connect(str(path), isolation_level=None)
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA busy_timeout = 5000")
        if str(path) != ":memory:":
            await db.execute("PRAGMA journal_mode = WAL")
            await db.execute("PRAGMA synchronous = NORMAL")
        store = cls(db, clock)
        try:
            await store.migrate()
        except BaseException:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        await self.db.close()

    def now_text(self) -> str:
        return self.clock().isoformat()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error)."""
        async with self._write_lock:
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            await self.db.execute("COMMIT")

    async def applied_versions(self) -> set[int]:
        await self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        async with self.db.execute("SELECT version FROM schema_migrations") as cursor:
            return {row[0] async for row in cursor}

    async def migrate(self, migrations: list[Migration] | None = None) -> list[int]:
        """Apply each pending migration once, in its own transaction, and record it."""
        applied = await self.applied_versions()
        done: list[int] = []
        for migration in migrations if migrations is not None else bundled_migrations():
            if migration.version in applied:
                continue
            statements = [s for s in _split_statements(migration.sql) if s.strip()]
            async with self.write() as db:
                for statement in statements:
                    await db.execute(statement)
                await db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, self.now_text()),
                )
            log.info("applied migration %03d_%s", migration.version, migration.name)
            done.append(migration.version)
        return done


def _split_statements(sql: str) -> list[str]:
    """Split a migration into statements with sqlite3's own completeness test (handles triggers)."""
    import sqlite3

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

"""The SQLite implementation of the database seam: one aiosqlite connection, WAL, numbered migrations.

The only module (with :mod:`bot.db.migrate`) that touches aiosqlite or sqlite3.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from bot.clock import Clock, system_clock
from bot.db.base import Conflict, DatabaseUnavailable, Params, Result
from bot.db.migrate import Migration, bundled_migrations, split_statements

log = logging.getLogger(__name__)


async def _run(db: aiosqlite.Connection, sql: str, params: Params) -> Result:
    try:
        async with db.execute(sql, tuple(params)) as cursor:
            rows = [tuple(row) for row in await cursor.fetchall()]
            columns = tuple(d[0] for d in cursor.description or ())
            return Result(rows, cursor.rowcount, cursor.lastrowid, columns)
    except sqlite3.IntegrityError as error:
        raise Conflict(str(error)) from error


class SQLiteTransaction:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def execute(self, sql: str, params: Params = ()) -> Result:
        return await _run(self._db, sql, params)

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            await self._db.executemany(sql, [tuple(r) for r in rows])
        except sqlite3.IntegrityError as error:
            raise Conflict(str(error)) from error


class SQLiteDatabase:
    """Owns the connection. Writes go through :meth:`transaction`, one at a time."""

    def __init__(self, db: aiosqlite.Connection, clock: Clock) -> None:
        self._db = db
        self.clock = clock
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str, *, clock: Clock = system_clock) -> SQLiteDatabase:
        """Open (creating if needed) and migrate. :class:`DatabaseUnavailable` if the file cannot be used."""
        try:
            db = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as error:
            raise DatabaseUnavailable(str(error)) from error
        try:
            try:
                await db.execute("PRAGMA foreign_keys = ON")
                await db.execute("PRAGMA busy_timeout = 5000")
                if str(path) != ":memory:":
                    await db.execute("PRAGMA journal_mode = WAL")
                    await db.execute("PRAGMA synchronous = NORMAL")
                await db.execute("SELECT count(*) FROM sqlite_master")  # reads the file's header
            except sqlite3.DatabaseError as error:  # "file is not a database", "unable to open ..."
                raise DatabaseUnavailable(str(error)) from error
            database = cls(db, clock)
            await database.migrate()
        except BaseException:
            await db.close()
            raise
        return database

    async def close(self) -> None:
        await self._db.close()

    def now_text(self) -> str:
        return self.clock().isoformat()

    async def query(self, sql: str, params: Params = ()) -> Result:
        return await _run(self._db, sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SQLiteTransaction]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error)."""
        async with self._write_lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield SQLiteTransaction(self._db)
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    async def table_columns(self) -> list[tuple[str, list[str]]]:
        names = await self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        result = []
        for (name,) in names.rows:
            info = await self.query(f'PRAGMA table_info("{name}")')
            result.append((name, [row[1] for row in info.rows]))
        return result

    async def applied_versions(self) -> set[int]:
        await self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        return {row[0] for row in (await self.query("SELECT version FROM schema_migrations")).rows}

    async def migrate(self, migrations: list[Migration] | None = None) -> list[int]:
        """Apply each pending migration once, in its own transaction, and record it."""
        applied = await self.applied_versions()
        done: list[int] = []
        for migration in migrations if migrations is not None else bundled_migrations():
            if migration.version in applied:
                continue
            statements = [s for s in split_statements(migration.sql) if s.strip()]
            async with self.transaction() as tx:
                for statement in statements:
                    await tx.execute(statement)
                await tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, self.now_text()),
                )
            log.info("applied migration %03d_%s", migration.version, migration.name)
            done.append(migration.version)
        return done

"""The SQLite backend: a SQLAlchemy engine whose one connection lives on one dedicated thread.

Every call is one hop to that thread and back: a statement, or a whole unit of work
(:meth:`SQLiteDatabase.run`). Every connection gets WAL, foreign keys and a busy timeout from a connect
event listener. Writes are ``BEGIN IMMEDIATE ... COMMIT``, one at a time.

The only module (with :mod:`bot.db.migrate`) that touches sqlite3.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc

from bot.clock import Clock, system_clock
from bot.db import migrate, statements
from bot.db.base import Conflict, DatabaseUnavailable, Params, Result, Statement
from bot.db.migrate import Migration

log = logging.getLogger(__name__)
T = TypeVar("T")


def sqlite_engine(path: Path | str) -> sa.Engine:
    """An engine for the file. The driver never begins on its own: the bot says ``BEGIN IMMEDIATE``
    itself, and a connection with the ``sqlite_begin`` option (Alembic's) gets it from SQLAlchemy's
    begin (the recipe in SQLAlchemy's SQLite dialect documentation)."""
    engine = sa.create_engine(  # the file is named to sqlite3 itself: any path, even with '?' or '#'
        "sqlite://", creator=lambda: sqlite3.connect(str(path)), poolclass=sa.pool.NullPool
    )
    memory = str(path) == ":memory:"

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        dbapi_connection.execute("PRAGMA busy_timeout = 5000")
        if not memory:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA synchronous = NORMAL")
        dbapi_connection.execute("SELECT count(*) FROM sqlite_master")  # reads the file's header

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        if connection.get_execution_options().get("sqlite_begin"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class SQLiteTransaction:
    dialect = "sqlite"

    def __init__(self, database: SQLiteDatabase) -> None:
        self._database = database

    async def execute(self, sql: Statement, params: Params = ()) -> Result:
        return await self._database._call(statements.execute, self._database._conn, sql, params)

    async def execute_many(self, sql: Statement, rows: Iterable[Params]) -> None:
        await self._database._call(statements.execute_many, self._database._conn, sql, list(rows))


class SQLiteDatabase:
    """Owns the thread and its connection. Writes go through :meth:`transaction` or :meth:`run`."""

    dialect = "sqlite"

    def __init__(self, path: Path | str, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._write_lock = asyncio.Lock()
        self._engine = sqlite_engine(path)
        self._conn: sa.Connection = None  # type: ignore[assignment]  # opened on the thread

    @classmethod
    async def open(
        cls, path: Path | str, *, clock: Clock = system_clock, migrate: bool = True
    ) -> SQLiteDatabase:
        """Open (creating if needed) and migrate. :class:`DatabaseUnavailable` if the file cannot be used."""
        database = cls(path, clock)
        try:
            await database._call(database._connect)
            if migrate:
                await database.migrate()
        except BaseException:
            await database.close()
            raise
        return database

    @property
    def sync_engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for event listeners: tests and benchmarks count statements)."""
        return self._engine

    def _connect(self) -> None:
        try:
            self._conn = self._engine.connect()
        except (exc.DBAPIError, sqlite3.Error) as error:  # "file is not a database", "unable to open ..."
            raise DatabaseUnavailable(
                statements.unwrap(error) if isinstance(error, exc.DBAPIError) else str(error)
            ) from None

    async def _call(self, function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(function, *args))

    async def close(self) -> None:
        def _close() -> None:
            if self._conn is not None:
                self._conn.close()
            self._engine.dispose()

        await self._call(_close)
        self._executor.shutdown(wait=True)

    def now_text(self) -> str:
        return self.clock().isoformat()

    async def query(self, sql: Statement, params: Params = ()) -> Result:
        return await self._call(statements.execute, self._conn, sql, params)

    async def run(self, work: Callable[[sa.Connection], T]) -> T:
        """``work(connection)`` inside BEGIN IMMEDIATE ... COMMIT, in one hop to the database thread."""

        def unit() -> T:
            self._conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                result = work(self._conn)
            except BaseException:
                self._conn.exec_driver_sql("ROLLBACK")
                raise
            self._conn.exec_driver_sql("COMMIT")
            return result

        def guarded() -> T:
            try:
                return unit()
            except exc.IntegrityError as error:
                raise Conflict(str(error.orig)) from error

        async with self._write_lock:
            return await self._call(guarded)

    async def read(self, work: Callable[[sa.Connection], T]) -> T:
        """``work(connection)`` for reads only, in one hop (no transaction of its own)."""
        return await self._call(work, self._conn)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SQLiteTransaction]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error)."""
        async with self._write_lock:
            await self.query("BEGIN IMMEDIATE")
            try:
                yield SQLiteTransaction(self)
            except BaseException:
                await self.query("ROLLBACK")
                raise
            await self.query("COMMIT")

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
        """The numbered migrations recorded (every one up to the newest, once migrated)."""
        return await self._call(migrate.legacy_versions, self._conn)

    async def migrate(self, migrations: list[Migration] | None = None) -> list[int]:
        """Alembic to the newest revision, then any newer numbered SQL file; the numbers applied now."""
        before = await self.applied_versions()

        def upgrade() -> None:
            self._conn.commit()  # SQLAlchemy's own autobegun transaction (nothing at the driver)
            self._conn.execution_options(sqlite_begin=True)
            try:
                migrate.upgrade(self._conn, migrations, now=self.now_text())
            finally:
                if self._conn.in_transaction():
                    self._conn.rollback()
                self._conn.execution_options(sqlite_begin=False)

        async with self._write_lock:
            await self._call(upgrade)
        return sorted(await self.applied_versions() - before)

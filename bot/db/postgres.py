"""The PostgreSQL backend: SQLAlchemy's async engine on asyncpg.

A read is one round trip (an autocommit connection from the pool: no BEGIN, no ROLLBACK); a unit of
work (:meth:`PostgresDatabase.run`) is one ``run_sync`` on one connection in one transaction.
Instants are TIMESTAMPTZ (:class:`bot.db.tables.UtcInstant`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.clock import Clock, system_clock
from bot.db import migrate, statements
from bot.db.base import Conflict, DatabaseUnavailable, Params, Result, Statement

log = logging.getLogger(__name__)
T = TypeVar("T")
SCHEMES = ("postgresql", "postgres", "postgresql+asyncpg")


def postgres_url(text: str) -> URL:
    """``postgresql://user:pass@host:5432/db`` as SQLAlchemy's asyncpg URL; ValueError if malformed."""
    try:
        url = make_url(text.strip())
    except exc.ArgumentError:
        raise ValueError("it is not a URL such as postgresql://user:password@host:5432/dbname") from None
    if url.drivername not in SCHEMES:
        raise ValueError(f"it must start with postgresql://, not {url.drivername}://")
    if not url.database:
        raise ValueError("it names no database (postgresql://user:password@host:5432/dbname)")
    return url.set(drivername="postgresql+asyncpg")


def safe(url: URL) -> str:
    """The URL without its password, for messages."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def describe_connect_error(error: BaseException) -> str:
    """What failed when connecting, in a few words (never the password)."""
    cause = error.orig if isinstance(error, exc.DBAPIError) and error.orig is not None else error
    name = type(cause).__name__
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else name
    sqlstate = str(getattr(cause, "sqlstate", None) or getattr(cause.__cause__, "sqlstate", None) or "")
    if sqlstate.startswith("28") or "password" in text.lower() or "authentication" in text.lower():
        return f"the server refused the credentials ({text})"
    if sqlstate == "3D000":
        return f"no such database ({text})"
    if isinstance(cause, (OSError, socket.gaierror, asyncio.TimeoutError, ConnectionError)):
        return f"cannot reach the server ({text})"
    return f"cannot connect ({text})"


class PostgresTransaction:
    dialect = "postgresql"

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def execute(self, sql: Statement, params: Params = ()) -> Result:
        return await self._connection.run_sync(statements.execute, sql, params)

    async def execute_many(self, sql: Statement, rows: Iterable[Params]) -> None:
        await self._connection.run_sync(statements.execute_many, sql, list(rows))


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self._reads = engine.execution_options(isolation_level="AUTOCOMMIT")

    @classmethod
    async def open(
        cls, url: str | URL, *, clock: Clock = system_clock, pool_size: int = 10
    ) -> PostgresDatabase:
        """Connect and migrate. :class:`DatabaseUnavailable` (naming what failed, no password) if not."""
        parsed = url if isinstance(url, URL) else postgres_url(url)
        engine = create_async_engine(parsed, pool_size=pool_size, max_overflow=0)
        database = cls(engine, clock)
        try:
            try:
                async with engine.connect() as connection:
                    await connection.exec_driver_sql("SELECT 1")
            except (TimeoutError, exc.DBAPIError, OSError) as error:
                raise DatabaseUnavailable(f"{safe(parsed)}: {describe_connect_error(error)}") from None
            try:
                await database.migrate()
            except exc.DBAPIError as error:  # e.g. the user may not create tables in that database
                raise DatabaseUnavailable(
                    f"{safe(parsed)}: cannot migrate ({statements.unwrap(error)})"
                ) from None
        except BaseException:
            await engine.dispose()
            raise
        return database

    @property
    def sync_engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for event listeners: tests and benchmarks count statements)."""
        return self.engine.sync_engine

    async def close(self) -> None:
        await self.engine.dispose()

    def now_text(self) -> str:
        return self.clock().isoformat()

    async def query(self, sql: Statement, params: Params = ()) -> Result:
        async with self._reads.connect() as connection:
            return await connection.run_sync(statements.execute, sql, params)

    async def read(self, work: Callable[[sa.Connection], T]) -> T:
        async with self._reads.connect() as connection:
            return await connection.run_sync(work)

    async def run(self, work: Callable[[sa.Connection], T]) -> T:
        try:
            async with self.engine.begin() as connection:
                return await connection.run_sync(work)
        except exc.IntegrityError as error:
            raise Conflict(str(error.orig)) from error

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        async with self.engine.begin() as connection:
            yield PostgresTransaction(connection)

    async def table_columns(self) -> list[tuple[str, list[str]]]:
        result = await self.query(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        )
        tables: dict[str, list[str]] = {}
        for table, column in result.rows:
            tables.setdefault(table, []).append(column)
        return list(tables.items())

    async def applied_versions(self) -> set[int]:
        return await self.read(migrate.legacy_versions)

    async def migrate(self, migrations: list[migrate.Migration] | None = None) -> list[int]:
        before = await self.applied_versions()
        async with self.engine.connect() as connection:
            await connection.run_sync(
                functools.partial(migrate.upgrade, extra=migrations, now=self.now_text())
            )
            await connection.commit()
        return sorted(await self.applied_versions() - before)

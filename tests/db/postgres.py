"""PostgreSQL for tests: one server per session (tests/db/pg_server.py), a migrated template database,
and a fresh copy of it per test (``CREATE DATABASE ... TEMPLATE``: milliseconds, not a migration).

Without a server the PostgreSQL half of a test is skipped, saying why."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.clock import Clock
from bot.db.postgres import PostgresDatabase
from tests.db import pg_server

TEMPLATE = "studybot_template"
_server: pg_server.Server | None = None
_failure: str | None = None
_template_ready = False
_numbers = itertools.count()


def server_url() -> str:
    """The session's server (started on first use, stopped at exit); pytest.skip if there is none."""
    global _server, _failure
    if _server is None and _failure is None:
        try:
            _server = pg_server.start()
        except RuntimeError as error:
            _failure = str(error)
    if _server is None:
        pytest.skip(f"PostgreSQL half skipped: {_failure}")
    return _server.url


def stop_server() -> None:
    """At the end of the session (tests/conftest.py): stop the server this session started, if any."""
    global _server
    if _server is not None:
        _server.stop()
        _server = None


def database_url(name: str) -> str:
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def _asyncpg_dsn(url: str) -> Any:
    parsed = make_url(url)
    return {
        "user": parsed.username,
        "password": parsed.password,
        "host": parsed.query.get("host") or parsed.host,
        "port": parsed.port,
        "database": parsed.database,
    }


async def _connect_admin() -> asyncpg.Connection:
    return await asyncpg.connect(**_asyncpg_dsn(server_url()))


async def _create(name: str, template: str | None = None) -> None:
    """(Re)create database ``name`` on the server, empty or as a copy of ``template``."""
    admin = await _connect_admin()
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        copy = f' TEMPLATE "{template}"' if template else ""
        await admin.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await admin.close()


async def empty_database() -> str:
    """A new, empty database's URL (for copy targets and first-migration tests)."""
    name = f"studybot_empty_{next(_numbers)}"
    await _create(name)
    return database_url(name)


async def _ensure_template() -> None:
    global _template_ready
    if _template_ready:
        return
    await _create(TEMPLATE)
    database = await PostgresDatabase.open(database_url(TEMPLATE))
    await database.close()
    _template_ready = True


@asynccontextmanager
async def fresh_postgres(request: pytest.FixtureRequest, clock: Clock) -> AsyncIterator[PostgresDatabase]:
    server_url()
    await _ensure_template()
    name = f"studybot_test_{next(_numbers)}"
    await _create(name, TEMPLATE)
    database = await PostgresDatabase.open(database_url(name), clock=clock, pool_size=2)
    try:
        yield database
    finally:
        await database.close()
        admin = await _connect_admin()
        try:
            await asyncio.wait_for(admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'), 30)
        finally:
            await admin.close()

"""Shared fixtures: a bot on a temporary SQLite store, driven by simcord on a fake clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.quiz.bank import DEFAULT_BANK_DIR, QuestionBank, load_bank
from bot.policy import Policy, load_policy
from bot.settings import Settings

#: The instant tests start at: Monday 2026-11-23, 15:00 UTC (10:00 in New York).
START = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
#: simcord's virtual clock starts here (simcord/_clock.py).
SIMCORD_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class SimClock:
    """The bot's clock in tests: ``start`` plus however far simcord's virtual clock has moved."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.start = start
        self.env: Any = None

    def __call__(self) -> dt.datetime:
        if self.env is None:
            return self.start
        return self.start + (self.env.now() - SIMCORD_EPOCH)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="session")
def bank(policy: Policy) -> QuestionBank:
    return load_bank(DEFAULT_BANK_DIR, policy)


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        discord_token="test-token",  # type: ignore[arg-type]
        database_path=tmp_path / "test.sqlite3",
        default_timezone="America/New_York",
        shard_count=1,  # simcord asks no GET /gateway/bot (Discord's recommended count): name the one shard
        _env_file=None,  # type: ignore[call-arg]
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test (or module) marked ``both_backends`` runs once on SQLite and once on PostgreSQL."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import sys

    if "tests.db.postgres" in sys.modules:  # only if a test used PostgreSQL
        sys.modules["tests.db.postgres"].stop_server()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest_asyncio.fixture
async def store(
    settings: Settings, clock: SimClock, backend: str, request: pytest.FixtureRequest
) -> AsyncIterator[SQLiteDatabase]:
    if backend == "postgresql":
        from tests.db.postgres import fresh_postgres

        async with fresh_postgres(request, clock) as database:
            yield database  # type: ignore[misc]
        return
    store = await SQLiteDatabase.open(settings.database_path, clock=clock)
    yield store
    await store.close()


@pytest.fixture
def simcord_bot(
    settings: Settings, store: SQLiteDatabase, policy: Policy, bank: QuestionBank, clock: SimClock
) -> StudyBot:
    return StudyBot(settings=settings, db=store, policy=policy, bank=bank, clock=clock)


def restarted(bot: StudyBot) -> StudyBot:
    """A new bot process on the same store, policy, bank and clock (for restart tests)."""
    return StudyBot(settings=bot.settings, db=bot.db, policy=bot.policy, bank=bot.bank, clock=bot.clock)


class _SchedulerDatetime(dt.datetime):
    """APScheduler reads ``datetime.now``; in tests it must read the bot's clock, like the bot does."""

    clock: SimClock | None = None

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        assert cls.clock is not None
        return cls.clock().astimezone(tz)


@pytest.fixture(autouse=True)
def scheduler_follows_clock(clock: SimClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """simcord virtualises the event loop's timers; this makes APScheduler's "now" virtual too."""
    import apscheduler.schedulers.base

    shim = type("SchedulerDatetime", (_SchedulerDatetime,), {"clock": clock})
    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", shim)


@pytest_asyncio.fixture
async def env(simcord_env: Any, clock: SimClock) -> AsyncIterator[Any]:
    """simcord's env with the bot's clock bound to it. Any error that reached an error handler fails the
    test: refusals are answered inside the command (bot/core/interactions.py), so only bugs get there."""
    clock.env = simcord_env
    yield simcord_env
    unexpected = simcord_env.errors
    if unexpected:
        raise ExceptionGroup("the bot raised unexpected errors", unexpected)  # type: ignore[arg-type]


@dataclass
class World:
    guild: Any
    channel: Any
    alice: Any
    bob: Any
    organiser: Any


@pytest.fixture
def world(env: Any) -> World:
    import discord

    guild = env.create_guild(name="EMR study group")
    channel = guild.create_text_channel("study")
    organisers = guild.create_role("Organisers", permissions=discord.Permissions(manage_guild=True))
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    organiser = guild.add_member(env.create_user("olive"), roles=[organisers])
    return World(guild, channel, alice, bob, organiser)

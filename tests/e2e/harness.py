"""Start the real bot against the loopback fake of Discord (shared by the end-to-end tests)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import discord
import pytest
import yarl

from bot.app import StudyBot
from bot.db import SQLiteDatabase
from bot.features.quiz.bank import DEFAULT_BANK_DIR, load_bank
from bot.policy import load_policy
from bot.settings import Settings
from tests.e2e.fake_discord import FakeDiscord

T = TypeVar("T")

TOKEN = "e2e-token"
WAIT = 15.0  # seconds; a bound, not a pause: every wait ends as soon as its event arrives


@dataclass
class Running:
    fake: FakeDiscord
    bot: StudyBot
    task: asyncio.Task[None]
    store: SQLiteDatabase

    async def within(self, awaitable: Awaitable[T], what: str) -> T:
        return await within(awaitable, self.task, what)


async def within(awaitable: Awaitable[T], bot_task: asyncio.Task[None], what: str) -> T:
    """Await ``awaitable`` for at most WAIT seconds; fail at once if the bot stops first."""
    waiting = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({waiting, bot_task}, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED)
    if waiting in done:
        return waiting.result()
    waiting.cancel()
    if bot_task in done:
        error = bot_task.exception()
        pytest.fail(f"the bot stopped while waiting for {what}: {error!r}")
    pytest.fail(f"timed out after {WAIT:.0f}s waiting for {what}")


async def shut_down(bot: StudyBot, bot_task: asyncio.Task[None]) -> None:
    await bot.close()
    done, _ = await asyncio.wait({bot_task}, timeout=5)
    if not done:
        bot_task.cancel()


async def start(
    cleanup: AsyncExitStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    recommended_shards: int = 1,
    **settings_: Any,
) -> Running:
    """The bot as bot/__main__.py builds it (settings given directly, ``settings_`` added), logged in to a
    fresh fake that recommends ``recommended_shards`` shards."""
    fake = FakeDiscord(token=TOKEN, shard_count=recommended_shards)
    port = await fake.start()
    cleanup.push_async_callback(fake.stop)
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(f"ws://127.0.0.1:{port}/")
    )
    settings = Settings(
        discord_token=TOKEN,  # type: ignore[arg-type]
        database_path=tmp_path / "e2e.sqlite3",
        dev_guild_id=fake.guild_id,
        _env_file=None,  # type: ignore[call-arg]
        **settings_,
    )
    policy = load_policy()
    store = await SQLiteDatabase.open(settings.database_path)
    cleanup.push_async_callback(store.close)
    bot = StudyBot(
        settings=settings,
        db=store,
        policy=policy,
        bank=load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False),
    )
    bot._connection.guild_ready_timeout = 0.1
    task = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()))
    cleanup.push_async_callback(shut_down, bot, task)
    return Running(fake, bot, task, store)

"""The sandbox: the real bot in a simulated study-group guild, on a virtual clock, with a store of its own."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import simcord

from bot.app import EXTENSIONS, StudyBot
from bot.db import SQLiteDatabase
from bot.features.quiz.bank import DEFAULT_BANK_DIR, QuestionBank, load_bank
from bot.policy import Policy, load_policy
from bot.sandbox.text import WELCOME
from bot.settings import Settings

log = logging.getLogger("bot.sandbox")

ZONE = "America/New_York"
QUIZ_TIME = "07:00"


def preview_available() -> bool:
    """simcord's preview page needs its optional runtime (aiohttp, markdown, media libraries, fonts)."""
    try:
        from simcord.preview import _require_preview_runtime

        _require_preview_runtime()
    except Exception:
        return False
    return True


class VirtualClock:
    """The bot's clock in the sandbox: simcord's virtual time, which starts at the real now."""

    def __init__(self) -> None:
        self.env: simcord.Env | None = None

    def __call__(self) -> dt.datetime:
        return self.env.now() if self.env is not None else dt.datetime.now(dt.UTC)


class _SchedulerDatetime(dt.datetime):
    """APScheduler reads ``datetime.now``; in the sandbox it must read the virtual clock too."""

    clock: VirtualClock

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        return cls.clock().astimezone(tz)


@dataclass
class Sandbox:
    env: simcord.Env
    bot: StudyBot
    store: SQLiteDatabase
    guild: Any
    channel: Any
    you: Any
    sam: Any
    riley: Any

    @property
    def members(self) -> tuple[Any, ...]:
        return (self.you, self.sam, self.riley)

    def now(self) -> dt.datetime:
        return self.env.now()


@asynccontextmanager
async def open_sandbox(database: Path | None = None, *, seed: bool = True) -> AsyncIterator[Sandbox]:
    """Start the real bot in a simulated study-group guild, with a store of its own."""
    import apscheduler.schedulers.base as aps_base

    policy: Policy = load_policy()
    bank: QuestionBank = load_bank(DEFAULT_BANK_DIR, policy, near_duplicates=False)
    with tempfile.TemporaryDirectory(prefix="emr-sandbox-") as folder:
        path = database or Path(folder) / "sandbox.sqlite3"
        clock = VirtualClock()
        store = await SQLiteDatabase.open(path, clock=clock)
        settings = Settings(
            discord_token="sandbox",  # type: ignore[arg-type]
            database_path=path,
            default_timezone=ZONE,
            shard_count=1,  # simcord asks no GET /gateway/bot: the one simulated shard is named
            _env_file=None,  # type: ignore[call-arg]
        )
        bot = StudyBot(
            settings=settings,
            db=store,
            policy=policy,
            bank=bank,
            clock=clock,
            extensions=(*EXTENSIONS, "bot.sandbox._cog"),
        )
        env = simcord.Env(bot, check_errors=False)
        # simcord's virtual clock starts on a fixed date; start it at the real "now" instead.
        env.backend.clock._epoch = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
        env.backend.bot_user.name = "EMR Study Bot"
        clock.env = env
        original_datetime = aps_base.datetime
        aps_base.datetime = type("SandboxDatetime", (_SchedulerDatetime,), {"clock": clock})
        try:
            await env.start()
            sandbox = _build_world(env, bot, store)
            bot.dm_mirror_channel_id = sandbox.channel.id
            if seed:
                await _seed(sandbox)
            yield sandbox
        finally:
            try:
                await env.shutdown()
            finally:
                aps_base.datetime = original_datetime
                await store.close()


def _build_world(env: simcord.Env, bot: StudyBot, store: SQLiteDatabase) -> Sandbox:
    guild = env.create_guild(name="EMR Study Group")
    channel = guild.create_text_channel("daily-quiz")
    organizers = guild.create_role("Organizers", permissions=discord.Permissions(manage_guild=True))
    you = guild.add_member(env.create_user("you", global_name="You (organizer)"), roles=[organizers])
    sam = guild.add_member(env.create_user("sam", global_name="Sam"))
    riley = guild.add_member(env.create_user("riley", global_name="Riley"))
    return Sandbox(env, bot, store, guild, channel, you, sam, riley)


async def _seed(sandbox: Sandbox) -> None:
    """Sam is mid-pathway with some misses logged; the quiz channel is set up; Riley is new."""
    today = sandbox.now().date()
    await sandbox.bot.get_partial_messageable(sandbox.channel.id).send(WELCOME)
    course = (today - dt.timedelta(days=200)).isoformat()
    await sandbox.you.slash(
        sandbox.channel, "quiz setup", channel=sandbox.channel, time=QUIZ_TIME, timezone=ZONE
    )
    await sandbox.sam.slash(sandbox.channel, "gate", gate="course", mark="done", date=course)
    await sandbox.sam.slash(sandbox.channel, "gate", gate="verification", mark="done")
    for bucket, note in (
        ("scope", "chose CPAP for a patient in respiratory distress"),
        ("scope", "picked IV access"),
        ("scope", "thought a supraglottic airway was EMR-level"),
        ("reading", "missed 'unresponsive' in the stem"),
        ("reading", "missed 'infant'"),
        ("knowledge", "compression depth for a child"),
    ):
        await sandbox.sam.slash(sandbox.channel, "errorlog add", bucket=bucket, note=note)


async def advance(sandbox: Sandbox, seconds: float) -> None:
    """Move the virtual clock: scheduled posts and reminders fall due and run."""
    for _ in range(100):
        try:
            await sandbox.env.advance_time(seconds)
            return
        except simcord.SetupError as error:  # another simcord operation (a page action) is settling
            if "overlaps" not in str(error):
                raise
            await asyncio.sleep(0.05)
    raise RuntimeError("the sandbox stayed busy; the clock was not moved")

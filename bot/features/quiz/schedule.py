"""Where and when a guild's daily post goes: set up, paused, resumed, or paused by the bot itself."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.core.outbox import Outbox
from bot.features.quiz.daily import DailyPosts, NextPost
from bot.features.quiz.guild_repo import GuildRepository, GuildSettings
from bot.features.quiz.repo import PostRecord


class QuizSchedule:
    """Setup, pause and resume move the guild's next post by the same rule the scheduler uses
    (:meth:`DailyPosts.next_post`), so what /quiz setup promises is what happens."""

    def __init__(
        self, guilds: GuildRepository, daily: DailyPosts, outbox: Outbox[PostRecord], clock: Clock
    ) -> None:
        self.guilds = guilds
        self.daily = daily
        self.outbox = outbox
        self.clock = clock

    async def start(self) -> None:
        for guild in await self.guilds.active():  # a guild set up before next_post_at existed
            if guild.next_post_at is None and guild.quiz_time and guild.quiz_timezone:
                zone = ZoneInfo(guild.quiz_timezone)
                upcoming = await self.daily.next_post(guild.guild_id, self.clock(), guild.quiz_time, zone)
                await self.guilds.set_next_post(guild.guild_id, upcoming.at)
        await self.outbox.start()

    async def configure(self, guild_id: int, channel_id: int, at: dt.time, zone: ZoneInfo) -> NextPost:
        """Set (or change) where and when, lifting a pause the bot made itself; when the next post goes."""
        upcoming = await self.daily.next_post(guild_id, self.clock(), at, zone)
        await self.guilds.set_quiz(guild_id, channel_id, at, zone.key, upcoming.at)
        await self.outbox.reschedule()
        return upcoming

    async def set_paused(self, guild: GuildSettings, paused: bool) -> dt.datetime | None:
        """Pause, or resume from the next local occurrence (no catch-up for paused days)."""
        await self.guilds.set_paused(guild.guild_id, paused)
        upcoming = None
        if not paused and guild.quiz_time and guild.quiz_timezone:
            zone = ZoneInfo(guild.quiz_timezone)
            upcoming = (await self.daily.next_post(guild.guild_id, self.clock(), guild.quiz_time, zone)).at
            await self.guilds.set_next_post(guild.guild_id, upcoming)
        await self.outbox.reschedule()
        return upcoming

    async def pause_reason(self, guild_id: int) -> str | None:
        """Why the bot paused this guild's daily post by itself, if it did."""
        guild = await self.guilds.get(guild_id)
        return guild.pause_reason if guild is not None and guild.paused else None

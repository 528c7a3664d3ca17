"""The reminder engine's Discord side: delivering DMs and fallback notes, and /reminders."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.features.members.repo import MemberRepository
from bot.features.reminders import text as render
from bot.features.reminders.model import (
    DeliveryClosed,
    DeliveryGone,
    DeliveryTransient,
    DueReminder,
    ReminderEngine,
)
from bot.features.reminders.repo import ReminderRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

DMS_CLOSED = 50007  # Discord: Cannot send messages to this user
HISTORY_LOOKBACK = 25


def translate(error: Exception) -> Exception:
    """A discord.py / aiohttp failure as the engine's delivery outcome."""
    if isinstance(error, discord.Forbidden):
        return DeliveryClosed(str(error)) if error.code == DMS_CLOSED else DeliveryGone(str(error))
    if isinstance(error, discord.NotFound):
        return DeliveryGone(str(error))
    if isinstance(error, discord.HTTPException):
        if error.status == 429 or error.status >= 500:
            retry_after = getattr(error, "retry_after", None)
            return DeliveryTransient(f"HTTP {error.status}", retry_after)
        return DeliveryGone(f"HTTP {error.status}: {error.text}")
    if isinstance(error, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
        return DeliveryTransient(repr(error))
    return error


class DiscordDeliverer:
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def _dm(self, user_id: int) -> discord.DMChannel:
        user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
        return user.dm_channel or await user.create_dm()

    async def send_dm(self, reminder: DueReminder, *, late: bool) -> int:
        try:
            channel = await self._dm(reminder.user_id)
            embed = render.reminder_embed(reminder, self.bot.policy, late=late)
            message = await channel.send(embed=embed, nonce=reminder.nonce)
        except Exception as error:
            raise translate(error) from error
        if self.bot.dm_mirror_channel_id is not None:  # the preview sandbox: show the DM in the channel
            mirror = self.bot.get_partial_messageable(self.bot.dm_mirror_channel_id)
            await mirror.send(
                render.mirrored_dm(reminder.user_id),
                embed=embed,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        return message.id

    async def send_fallback(self, reminder: DueReminder, channel_id: int) -> int:
        try:
            channel = self.bot.get_partial_messageable(channel_id)
            message = await channel.send(
                render.fallback_note(reminder.user_id),
                allowed_mentions=discord.AllowedMentions(users=[discord.Object(reminder.user_id)]),
            )
        except Exception as error:
            raise translate(error) from error
        return message.id

    async def find_sent(self, reminder: DueReminder) -> int | None:
        channel = await self._dm(reminder.user_id)
        me = self.bot.user
        async for message in channel.history(limit=HISTORY_LOOKBACK):
            if me is not None and message.author.id != me.id:
                continue
            if any(reminder.marked_in(embed.footer.text or "") for embed in message.embeds):
                return message.id
        return None


class Reminders(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.members = MemberRepository(bot.db)
        self.repo = ReminderRepository(bot.db)
        self.engine = ReminderEngine(self.repo, DiscordDeliverer(bot), bot.scheduler, bot.clock, bot.policy)

    async def cog_load(self) -> None:
        self.bot.reminder_engine = self.engine
        await self.engine.start()

    async def cog_unload(self) -> None:
        self.bot.reminder_engine = None

    @app_commands.command(name="reminders", description="Turn reminder DMs off, or back on")
    @app_commands.describe(enabled="True: DM me on retest day, results day and course-window deadlines")
    async def reminders(self, interaction: discord.Interaction[StudyBot], enabled: bool) -> None:
        user_id = interaction.user.id
        await self.members.set_reminders(user_id, enabled)
        await self.bot.member_changed(user_id, interaction.guild_id)
        pending = len(await self.repo.pending_for(user_id))
        await interaction.response.send_message(render.reminders_set(enabled, pending), ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Reminders(bot))

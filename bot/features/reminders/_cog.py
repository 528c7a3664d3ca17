"""/reminders, and the reminder outbox: started with the cog, stopped (drained) with it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.outbox import Outbox, RetryPolicy
from bot.features.members.repo import MemberRepository
from bot.features.reminders import text as render
from bot.features.reminders.delivery import ReminderDelivery
from bot.features.reminders.model import DueReminder
from bot.features.reminders.repo import ReminderRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)


class Reminders(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.members = MemberRepository(bot.db)
        self.repo = ReminderRepository(bot.db)
        self.delivery = ReminderDelivery(bot, self.repo)
        self.outbox: Outbox[DueReminder] = Outbox(
            self.delivery,
            bot.scheduler,
            bot.clock,
            RetryPolicy.from_policy(bot.policy),
            bot.claimant,
            bot.pacer,
        )

    async def cog_load(self) -> None:
        # A nudge chain broken by a crash between finishing one nudge and planning the next is mended here.
        for user_id in await self.repo.nudges_without_next():
            await self.delivery.replan(user_id, None)
        await self.outbox.start()

    async def cog_unload(self) -> None:
        await self.outbox.stop()

    @commands.Cog.listener()
    async def on_member_changed(self, user_id: int, guild_id: int | None) -> None:
        """A member's data changed (or was deleted): move, add or cancel their reminders."""
        await self.delivery.replan(user_id, guild_id)
        await self.outbox.reschedule()

    @commands.Cog.listener()
    async def on_member_deleted(self, user_id: int) -> None:
        await self.outbox.reschedule()

    @app_commands.command(name="reminders", description="Turn reminder DMs off, or back on")
    @app_commands.describe(enabled="True: DM me on retest day, results day and course-window deadlines")
    async def reminders(self, interaction: discord.Interaction[StudyBot], enabled: bool) -> None:
        user_id = interaction.user.id
        await self.members.set_reminders(user_id, enabled)
        await self.bot.member_changed(user_id, interaction.guild_id)
        pending = len(await self.repo.pending_for(user_id))
        await interaction.response.send_message(
            render.reminders_set(enabled, pending, self.bot.policy.reminder_local_hour), ephemeral=True
        )


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Reminders(bot))

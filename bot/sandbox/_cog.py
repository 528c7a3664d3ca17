"""/sandbox advance: move the sandbox's virtual clock (loaded only by ``python -m bot preview``)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.features.quiz.guild_repo import GuildRepository
from bot.sandbox import text

if TYPE_CHECKING:
    from bot.app import StudyBot


async def guild_zone(bot: StudyBot, guild_id: int | None) -> ZoneInfo:
    """The server's time zone: its daily question's zone, else the bot's default."""
    settings = await GuildRepository(bot.db).get(guild_id) if guild_id is not None else None
    name = settings.quiz_timezone if settings is not None and settings.quiz_timezone else None
    return ZoneInfo(name or bot.settings.default_timezone)


class SandboxCog(commands.Cog, name="Sandbox"):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    sandbox = app_commands.Group(name="sandbox", description="Preview only: control the simulated world")

    @sandbox.command(
        name="advance", description="Preview only: move the clock forward to see posts and reminders"
    )
    @app_commands.describe(days="Whole days to move forward", hours="Hours to move forward")
    async def advance(
        self,
        interaction: discord.Interaction[StudyBot],
        days: app_commands.Range[int, 0, 60] = 0,
        hours: app_commands.Range[int, 0, 23] = 0,
    ) -> None:
        seconds = (days * 24 + hours) * 3600
        if seconds == 0 or self.bot.sandbox_advance is None:
            await interaction.response.send_message(text.ADVANCE_NOTHING, ephemeral=True)
            return
        zone = await guild_zone(self.bot, interaction.guild_id)
        await interaction.response.send_message(
            text.advancing(days, hours, self.bot.clock().astimezone(zone))
        )
        self.bot.sandbox_advance(float(seconds))


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(SandboxCog(bot))

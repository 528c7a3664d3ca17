"""/sandbox advance: move the sandbox's virtual clock (loaded only by ``python -m bot preview``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

if TYPE_CHECKING:
    from bot.app import StudyBot


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
            await interaction.response.send_message(
                "Give `days` or `hours` to move the clock forward.", ephemeral=True
            )
            return
        await interaction.response.send_message(
            f"⏩ Moving the sandbox clock forward by {days} day(s) and {hours} hour(s) from "
            f"{self.bot.clock():%Y-%m-%d %H:%M} UTC. Scheduled posts and reminders that fall due will appear here "
            "(DMs are mirrored into this channel).",
        )
        self.bot.sandbox_advance(float(seconds))


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(SandboxCog(bot))

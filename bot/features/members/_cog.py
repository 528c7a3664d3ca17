"""/timezone: the member's own settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.dates import choose_timezone, matching_zones
from bot.features.members import text as render
from bot.features.members._privacy_cog import Privacy
from bot.features.members.repo import MemberRepository

if TYPE_CHECKING:
    from bot.app import StudyBot


class Preferences(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.members = MemberRepository(bot.db)

    @app_commands.command(name="timezone", description="Your time zone, for reminders and dates")
    @app_commands.describe(name="An IANA time zone name such as America/Chicago: start typing to search")
    async def timezone(
        self, interaction: discord.Interaction[StudyBot], name: app_commands.Range[str, 1, 64]
    ) -> None:
        zone = choose_timezone(name)
        await self.members.set_timezone(interaction.user.id, zone.key)
        await self.bot.member_changed(interaction.user.id, interaction.guild_id)
        await interaction.response.send_message(
            render.timezone_set(zone.key, self.bot.clock().astimezone(zone)), ephemeral=True
        )

    @timezone.autocomplete("name")
    async def _timezone_autocomplete(
        self, interaction: discord.Interaction[StudyBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=n, value=n) for n in matching_zones(current)]


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Preferences(bot))
    await bot.add_cog(Privacy(bot))

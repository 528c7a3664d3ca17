"""/errorlog add and /errorlog show: the member's own map of their weak spots."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.core.text import day
from bot.features.errorlog import text as render
from bot.features.errorlog.model import BUCKETS, Bucket, focus_buckets
from bot.features.errorlog.repo import ErrorLogRepository
from bot.features.practice.views import start_view

if TYPE_CHECKING:
    from bot.app import StudyBot


class ErrorLog(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.misses = ErrorLogRepository(bot.db)

    errorlog = app_commands.Group(
        name="errorlog", description="Your error log: the only map of your weak spots"
    )

    @errorlog.command(name="add", description="Log one miss in one of the five buckets")
    @app_commands.describe(
        bucket="knowledge, sequence, scope, reading or pacing",
        note="A few words to remember it by (optional)",
    )
    @app_commands.choices(bucket=[Choice(name=b.value, value=b.value) for b in BUCKETS])
    async def errorlog_add(
        self,
        interaction: discord.Interaction[StudyBot],
        bucket: str,
        note: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        user_id = interaction.user.id
        state = await self.bot.member_state(user_id)
        chosen = Bucket(bucket)
        await self.misses.log_miss(user_id, chosen, state.today, note=note)
        last = state.retake.last
        since = await self.misses.miss_counts(user_id, since=last.taken_on if last else None)
        await interaction.response.send_message(
            render.miss_logged(chosen, since, focus_buckets(since, self.bot.policy)), ephemeral=True
        )

    @errorlog.command(name="show", description="Your misses by bucket, and the one or two to attack")
    async def errorlog_show(self, interaction: discord.Interaction[StudyBot]) -> None:
        user_id = interaction.user.id
        state = await self.bot.member_state(user_id)
        last = state.retake.last
        since = await self.misses.miss_counts(user_id, since=last.taken_on if last else None)
        overall = await self.misses.miss_counts(user_id)
        focus = focus_buckets(since, self.bot.policy)
        embed = render.errorlog_embed(
            since,
            overall,
            focus,
            day(last.taken_on) if last else None,
            await self.misses.recent_misses(user_id),
        )
        if focus:  # one button per bucket to attack: it opens that drill
            await interaction.response.send_message(embed=embed, view=start_view(list(focus)), ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(ErrorLog(bot))

"""Spaced review's listener: every item a member answers anywhere becomes a card. The commands are
``/practice review``, ``goal``, ``progress`` and ``nudge`` (the practice cog), the nudge DM a reminder
kind (the reminders feature)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from bot.core.events import ItemAnswered
from bot.features.review.flow import ReviewFlow

if TYPE_CHECKING:
    from bot.app import StudyBot


class Review(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.flow = ReviewFlow(bot)

    @commands.Cog.listener()
    async def on_item_answered(self, answer: ItemAnswered) -> None:
        await self.flow.record(answer)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Review(bot))

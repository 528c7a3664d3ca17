"""/practice: drills for each error bucket, timed blocks at exam pace, the scope list. Thin: the session
rules are in model.py, the choice of items in selection.py, the words in text.py."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.features.errorlog.model import BUCKETS, Bucket
from bot.features.practice import text as render
from bot.features.practice.content import PRACTICE_DIR, check_content
from bot.features.practice.flow import PracticeFlow
from bot.features.practice.model import (
    Mode,
)
from bot.features.practice.repo import PracticeRepository
from bot.features.practice.views import (
    LadderMenu,
    PracticeButton,
    StartDrill,
)
from bot.features.quiz.bank import DOMAIN_LABEL, EXAM_DOMAINS
from bot.features.review.flow import ReviewFlow

if TYPE_CHECKING:
    from bot.app import StudyBot

log = logging.getLogger(__name__)

Interaction = discord.Interaction["StudyBot"]


class Practice(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.repo = PracticeRepository(bot.db)
        self.content, problems = check_content(PRACTICE_DIR, {q.id: q.stem for q in bot.bank.questions})
        for problem in problems:  # the shipped content has none (a test checks); a host's edited bank may
            log.warning("practice content: %s (left out)", problem)
        self.flow = PracticeFlow(bot, self.repo, self.content)
        self.review_flow = ReviewFlow(bot)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PracticeButton, LadderMenu, StartDrill)
        await self.flow.checkin.calibration.load()
        self.flow.checkin.calibration.poke()  # recalibrates in the background if due

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PracticeButton, LadderMenu, StartDrill)
        await self.flow.checkin.calibration.drain()

    practice = app_commands.Group(
        name="practice", description="Drills for your error buckets and timed blocks"
    )

    @practice.command(name="drill", description="A private drill aimed at one error bucket")
    @app_commands.describe(bucket="The bucket to work on", length="How many items (5-30, default 10)")
    @app_commands.choices(bucket=[Choice(name=b.value, value=b.value) for b in BUCKETS])
    async def drill(
        self, interaction: Interaction, bucket: str, length: app_commands.Range[int, 5, 30] = 10
    ) -> None:
        await self.flow.start_drill(interaction, Bucket(bucket), length)

    @practice.command(name="timed", description="A timed block at exam pace, with your time per item")
    @app_commands.describe(
        count="How many questions (10-110, default 20)", domain="One exam domain (optional)"
    )
    @app_commands.choices(domain=[Choice(name=DOMAIN_LABEL[d], value=d.value) for d in EXAM_DOMAINS])
    async def timed(
        self,
        interaction: Interaction,
        count: app_commands.Range[int, 10, 110] = 20,
        domain: str | None = None,
    ) -> None:
        await self.flow.start(interaction, Mode.TIMED, Bucket.PACING, count, domain)

    @practice.command(name="checkin", description="An adaptive check-in against the bot's readiness standard")
    async def checkin(self, interaction: Interaction) -> None:
        await self.flow.start(interaction, Mode.CHECKIN, Bucket.KNOWLEDGE, 1, None)

    @practice.command(
        name="review", description="Your spaced-review cards that are due, toward your target date"
    )
    async def review(self, interaction: Interaction) -> None:
        await self.flow.start(interaction, Mode.REVIEW, None, self.bot.policy.review_session_size, None)

    @practice.command(name="goal", description="Your target exam date for spaced review")
    @app_commands.describe(date="YYYY-MM-DD (default: your retest day); leave it out to clear your own date")
    async def goal(self, interaction: Interaction, date: str | None = None) -> None:
        await self.review_flow.goal(interaction, date)

    @practice.command(name="progress", description="Cards due today and this week, and how well they'll hold")
    async def progress(self, interaction: Interaction) -> None:
        await self.review_flow.progress(interaction)

    @practice.command(name="nudge", description="A daily DM when review cards are due")
    @app_commands.describe(enabled="True: DM me on days with cards due", hour="Your local hour (0-23)")
    async def nudge(
        self, interaction: Interaction, enabled: bool, hour: app_commands.Range[int, 0, 23] | None = None
    ) -> None:
        await self.review_flow.nudge(interaction, enabled, hour)

    @practice.command(
        name="scope-list", description="What an EMR may and may not do under the national model"
    )
    async def scope_list(self, interaction: Interaction) -> None:
        await interaction.response.send_message(
            embed=render.scope_list(list(self.content.cards)), ephemeral=True
        )

    @practice.command(name="resume", description="Show the item your practice session is on")
    async def resume(self, interaction: Interaction) -> None:
        session = await self.repo.active(interaction.user.id)
        if session is None:
            await interaction.response.send_message(render.NO_SESSION, ephemeral=True)
            return
        await self.flow.show(interaction, session, edit=False)

    @practice.command(name="stop", description="Stop your practice session and see its summary")
    async def stop(self, interaction: Interaction) -> None:
        session = await self.repo.active(interaction.user.id)
        if session is None:
            await interaction.response.send_message(render.NO_SESSION, ephemeral=True)
            return
        await self.flow.finish(interaction, session, abandon=True, edit=False)

    # the persistent buttons route here
    async def start_drill(self, interaction: Interaction, bucket: Bucket, length: int | None) -> None:
        await self.flow.start_drill(interaction, bucket, length)

    async def on_button(
        self, interaction: Interaction, action: str, session_id: int, position: int, value: int | None
    ) -> None:
        await self.flow.on_button(interaction, action, session_id, position, value)

    async def on_ladder_pick(
        self, interaction: Interaction, session_id: int, position: int, picked: str, choice: str
    ) -> None:
        await self.flow.on_ladder_pick(interaction, session_id, position, picked, choice)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Practice(bot))

"""/status and /gate: the member's certification pathway."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.dates import local_today, parse_date
from bot.pathway import GATE_ORDER, RECORDABLE_MARKS, Gate, Mark, PathwayCard, build_card, validate_gate
from bot.store.members import MemberRepository
from bot.store.pathway import PathwayRepository
from cogs.common import member_today, zone_of
from cogs.render import status as render

if TYPE_CHECKING:
    from bot.app import StudyBot


async def pathway_card(bot: StudyBot, user_id: int) -> PathwayCard:
    """Store + domain: the member's card as of now in their time zone."""
    profile = await MemberRepository(bot.store).get(user_id)
    today = local_today(bot.clock(), zone_of(profile, bot.settings.default_timezone))
    gates = await PathwayRepository(bot.store).gates(user_id)
    return build_card(gates, today, bot.policy)


class Status(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.members = MemberRepository(bot.store)
        self.pathway = PathwayRepository(bot.store)

    @app_commands.command(
        name="status", description="Your certification pathway: gates, next step, results timing"
    )
    @app_commands.describe(member="Another member's card (only if they chose to share it)")
    async def status(
        self, interaction: discord.Interaction[StudyBot], member: discord.User | None = None
    ) -> None:
        if member is not None and member.id != interaction.user.id:
            profile = await self.members.get(member.id)
            if profile is None or not profile.share_status:
                await interaction.response.send_message(render.NOT_SHARED, ephemeral=True)
                return
            card = await pathway_card(self.bot, member.id)
            embed = render.status_embed(card, self.bot.policy, owner=member.display_name)
        else:
            card = await pathway_card(self.bot, interaction.user.id)
            embed = render.status_embed(card, self.bot.policy)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="gate", description="Record where you are on one gate of the pathway")
    @app_commands.describe(
        gate="Which gate",
        mark="done, pending, not_required (license only) or issue (an account or status problem)",
        date="When it happened, YYYY-MM-DD (needed for done on course, exam and skills)",
    )
    @app_commands.choices(
        gate=[Choice(name=g.value, value=g.value) for g in GATE_ORDER],
        mark=[Choice(name=m.value, value=m.value) for m in RECORDABLE_MARKS],
    )
    async def gate(
        self,
        interaction: discord.Interaction[StudyBot],
        gate: str,
        mark: str,
        date: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        user_id = interaction.user.id
        today = await member_today(self.bot, user_id)
        when: dt.date | None = parse_date(date, option="date", today=today) if date else None
        course = next((g for g in await self.pathway.gates(user_id) if g.gate is Gate.COURSE), None)
        record = validate_gate(
            Gate(gate),
            Mark(mark),
            when,
            course_date=course.date if course and course.mark is Mark.DONE else None,
        )
        await self.pathway.record(user_id, record)
        await interaction.response.send_message(render.gate_recorded(record), ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Status(bot))

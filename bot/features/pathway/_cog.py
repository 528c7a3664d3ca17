"""/status and /gate: the member's certification pathway."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.dates import earliest_for, parse_date
from bot.features.members.repo import MemberRepository
from bot.features.pathway import text as render
from bot.features.pathway.model import GATE_ORDER, RECORDABLE_MARKS, Gate, Mark, validate_gate
from bot.features.pathway.repo import PathwayRepository
from bot.features.reminders.repo import ReminderRepository

if TYPE_CHECKING:
    from bot.app import StudyBot


class Status(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.members = MemberRepository(bot.db)
        self.pathway = PathwayRepository(bot.db)
        self.reminders = ReminderRepository(bot.db)

    @app_commands.command(
        name="status", description="Your certification pathway: gates, next step, results timing"
    )
    @app_commands.describe(member="Another member's card (only if they chose to share it)")
    async def status(
        self, interaction: discord.Interaction[StudyBot], member: discord.User | None = None
    ) -> None:
        if member is not None and member.id != interaction.user.id:
            # Shared means shared with the group: only in a server, about a member of that server.
            in_group = interaction.guild is not None and isinstance(member, discord.Member)
            profile = await self.members.get(member.id) if in_group else None
            if profile is None or not profile.share_status:
                await interaction.response.send_message(render.NOT_SHARED, ephemeral=True)
                return
            state = await self.bot.member_state(member.id)
            embed = render.status_embed(state, self.bot.policy, owner=member.display_name)
        else:
            state = await self.bot.member_state(interaction.user.id)
            missed = list(state.missed)
            embed = render.status_embed(state, self.bot.policy, missed=missed)
            await interaction.response.send_message(embed=embed, ephemeral=True)
            await self.reminders.mark_shown([r.id for r in missed], self.bot.clock())  # only once seen
            return
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
        state = await self.bot.member_state(user_id)
        earliest = earliest_for(gate, state.today, self.bot.policy)
        when: dt.date | None = (
            parse_date(date, option="date", today=state.today, earliest=earliest) if date else None
        )
        if when is None and Gate(gate) is Gate.VERIFICATION and Mark(mark) is Mark.DONE:
            when = state.today  # the day it was recorded: results timing counts from the last requirement
        record = validate_gate(Gate(gate), Mark(mark), when, current=state.card)
        await self.pathway.record(user_id, record)
        await self.bot.member_changed(user_id, interaction.guild_id)
        await interaction.response.send_message(render.gate_recorded(record), ephemeral=True)


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Status(bot))

"""/retake: a failed attempt read correctly, the wait, the count, and the repair plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.dates import earliest_for, parse_date
from bot.features.errorlog.repo import ErrorLogRepository
from bot.features.practice.views import StartDrill
from bot.features.retake import text as render
from bot.features.retake.model import (
    Attempt,
    AttemptProblem,
    AttemptRefusal,
    Band,
    RepairPlan,
    check_new_attempt,
    check_refresher,
    read_score,
    repair_plan,
    retake_state,
)
from bot.features.retake.repo import RetakeRepository

if TYPE_CHECKING:
    from bot.app import StudyBot
    from bot.features.pathway.state import MemberState


class Retake(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.retakes = RetakeRepository(bot.db)
        self.misses = ErrorLogRepository(bot.db)

    async def _plan(self, state: MemberState, band: Band | None) -> RepairPlan:
        last = state.retake.last
        misses = await self.misses.miss_counts(state.user_id, since=last.taken_on if last else None)
        return repair_plan(misses, state.today, state.retake.eligible_on, band, self.bot.policy)

    @app_commands.command(
        name="retake", description="Log a failed attempt, record a refresher, or see your retake plan"
    )
    @app_commands.describe(
        score="The scaled score on your failing report (100-1500)",
        date="The attempt date, YYYY-MM-DD (default: today)",
        refresher="The date you completed a refresher course, YYYY-MM-DD: starts a new count of attempts",
        undo="Remove your most recent attempt (to correct a wrong entry)",
    )
    async def retake(
        self,
        interaction: discord.Interaction[StudyBot],
        score: app_commands.Range[int, 0, 100_000] | None = None,
        date: app_commands.Range[str, 1, 40] | None = None,
        refresher: app_commands.Range[str, 1, 40] | None = None,
        undo: bool = False,
    ) -> None:
        user_id, policy = interaction.user.id, self.bot.policy
        state = await self.bot.member_state(user_id)
        if undo:
            removed = await self.retakes.remove_last_attempt(user_id)
            if removed is None:
                raise AttemptRefusal(AttemptProblem.NOTHING_TO_UNDO)
            await self.bot.member_changed(user_id, interaction.guild_id)
            await interaction.response.send_message(render.undone(removed), ephemeral=True)
            return
        # Validate everything first: a refusal must change nothing.
        reading = read_score(score, policy) if score is not None else None
        since_course = earliest_for("refresher", state.today, policy)
        since_scores = earliest_for("attempt", state.today, policy)
        completed = (
            parse_date(refresher, option="refresher", today=state.today, earliest=since_course)
            if refresher
            else None
        )
        taken_on = (
            parse_date(date, option="date", today=state.today, earliest=since_scores) if date else state.today
        )
        retake = state.retake
        if completed is not None:
            check_refresher(retake, completed)
            retake = retake_state(retake.attempts, completed, state.today, policy)
        if reading is not None:
            if state.passed:
                raise AttemptRefusal(AttemptProblem.ALREADY_PASSED)
            check_new_attempt(retake, taken_on, policy)
        # Then write, both or neither.
        if completed is not None or reading is not None:
            attempt = Attempt(taken_on, reading.score) if reading is not None else None
            await self.retakes.record(user_id, refresher=completed, attempt=attempt)
            await self.bot.member_changed(user_id, interaction.guild_id)
            state = await self.bot.member_state(user_id)
        if reading is None and completed is not None:
            await interaction.response.send_message(render.refresher_recorded(state.retake), ephemeral=True)
            return
        if reading is None and not state.retake.attempts:
            await interaction.response.send_message(render.NO_ATTEMPTS, ephemeral=True)
            return
        last = state.retake.last
        band = reading.band if reading else (read_score(last.score, policy).band if last else None)
        plan = await self._plan(state, band)
        embeds = render.attempt_embeds(reading, state.retake, plan, policy)
        view = drill_view(plan)
        if reading is None:
            await interaction.response.send_message(embeds=embeds, view=view, ephemeral=True)
            return
        await interaction.response.send_message(
            embeds=embeds, view=view, file=render.chart_file(state.retake, policy), ephemeral=True
        )


def drill_view(plan: RepairPlan) -> discord.ui.View:
    """The plan's "Start today's drill" button (today's bucket, else the top one); empty with no focus."""
    view = discord.ui.View(timeout=None)
    first = plan.days[0].bucket if plan.days else None
    bucket = first or (plan.focus[0] if plan.focus else None)
    if bucket is not None:
        view.add_item(StartDrill(bucket, label="Start today's drill"))
    return view


async def setup(bot: StudyBot) -> None:
    await bot.add_cog(Retake(bot))

"""Spaced review on Discord: recording answers as cards, /practice goal, progress and nudge.

The practice cog's subcommands call this; the review session itself runs in the practice session
engine (its items come from :meth:`ReviewFlow.session_items`). The rules are in :mod:`model`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from fsrs import Scheduler

from bot.core.events import ItemAnswered
from bot.dates import parse_date
from bot.features.members.repo import MemberRepository
from bot.features.review import model
from bot.features.review import text as render
from bot.features.review.repo import ReviewRepository

if TYPE_CHECKING:
    from bot.app import StudyBot
    from bot.features.pathway.state import MemberState

Interaction = discord.Interaction["StudyBot"]


@dataclass(frozen=True, slots=True)
class ReviewContext:
    state: MemberState
    target: model.Target | None
    left: int | None
    scheduler: Scheduler


def _retest_on(state: MemberState) -> dt.date | None:
    """The first day the member may retest, when that is a date to aim at (not passed, no refresher due)."""
    return None if state.passed or state.retake.refresher_required else state.retake.eligible_on


class ReviewFlow:
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.repo = ReviewRepository(bot.db)
        self.members = MemberRepository(bot.db)

    async def context(self, user_id: int) -> ReviewContext:
        state = await self.bot.member_state(user_id)
        goal = state.profile.review_goal if state.profile else None
        target = model.choose_target(goal, _retest_on(state), state.today)
        left = model.days_left(target, state.today)
        return ReviewContext(state, target, left, model.scheduler_for(left, self.bot.policy))

    async def record(self, answer: ItemAnswered) -> None:
        """Every answered item becomes (or updates) the member's card for it."""
        context = await self.context(answer.user_id)
        rating = model.rating_for(answer.correct, answer.seconds, answer.pace_seconds)
        await self.repo.apply(
            answer.user_id,
            answer.item,
            lambda stored: model.review(stored, answer.item, rating, answer.at, context.scheduler),
        )

    async def session_items(self, user_id: int) -> list[str]:
        """Every card's item, best first (see :func:`model.session_order`)."""
        context = await self.context(user_id)
        cards = await self.repo.cards(user_id)
        exam_at = (
            model.exam_instant(context.target, context.state.zone, self.bot.policy)
            if context.target
            else None
        )
        final = model.final_stretch(context.left, self.bot.policy)
        now = self.bot.clock()
        return await asyncio.to_thread(
            model.session_order, cards, context.scheduler, now, exam_at=exam_at, final=final
        )

    # ----------------------------------------------------------------------------------- commands

    async def goal(self, interaction: Interaction, date: str | None) -> None:
        """Set the member's target date, or clear it when ``date`` is None. Refusals change nothing."""
        user_id = interaction.user.id
        state = await self.bot.member_state(user_id)
        policy = self.bot.policy
        if date is None:
            await self.members.set_review_goal(user_id, None)
            target = model.choose_target(None, _retest_on(state), state.today)  # what is left once cleared
            await interaction.response.send_message(render.goal_cleared(target), ephemeral=True)
            return
        day = model.check_goal(parse_date(date, option="date"), state.today, policy)
        await self.members.set_review_goal(user_id, day)
        target = model.Target(day, model.TargetSource.GOAL)
        left = (day - state.today).days
        await interaction.response.send_message(
            render.goal_set(target, left, policy.review_final_days), ephemeral=True
        )

    async def progress(self, interaction: Interaction) -> None:
        user_id = interaction.user.id
        context = await self.context(user_id)
        cards = await self.repo.cards(user_id)
        if not cards:
            await interaction.response.send_message(render.NO_CARDS, ephemeral=True)
            return
        policy, zone, now = self.bot.policy, context.state.zone, self.bot.clock()
        progress = await asyncio.to_thread(
            model.progress, cards, context.scheduler, now, zone, context.target, policy
        )
        chart = await asyncio.to_thread(render.progress_chart, progress)
        await interaction.response.send_message(
            embed=render.progress_embed(progress, policy), file=chart, ephemeral=True
        )

    async def nudge(self, interaction: Interaction, enabled: bool, hour: int | None) -> None:
        user_id = interaction.user.id
        chosen = (hour if hour is not None else self.bot.policy.reminder_local_hour) if enabled else None
        await self.members.set_nudge_hour(user_id, chosen)
        await self.bot.member_changed(user_id, interaction.guild_id)
        state = await self.bot.member_state(user_id)
        await interaction.response.send_message(
            render.nudge_set(chosen, state.zone.key, state.reminders_enabled), ephemeral=True
        )

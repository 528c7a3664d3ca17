"""/practice checkin on Discord: the adaptive session's own steps, called by the practice engine (flow.py).

A check-in is a practice session (Mode.CHECKIN) that starts with one item; after each answer the engine
asks :meth:`CheckinFlow.next_item` for the next one, which the repository appends in the same step as
the answer, or None when the stopping rule says stop. Showing items and taking answers is the engine's
usual work; the result (verdict, picture, domains, change since the last check-in) is built here.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import discord

from bot.features.practice import checkin_text
from bot.features.practice.checkin import CheckinEngine, change
from bot.features.practice.checkin_repo import CheckinRepository
from bot.features.practice.model import ItemRef, Outcome, Session, Status
from bot.features.practice.recalibration import Recalibration
from bot.features.practice.repo import PracticeRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

Interaction = discord.Interaction["StudyBot"]


class CheckinFlow:
    def __init__(self, bot: StudyBot, repo: PracticeRepository) -> None:
        self.bot = bot
        self.repo = repo
        self.results = CheckinRepository(bot.db)
        self.policy = bot.policy.checkin
        self.engine = CheckinEngine(bot.bank, bot.policy.domain_weights, self.policy)
        self.calibration = Recalibration(self.results, bot.bank, self.policy, bot.clock)
        self.rng = random.Random()

    async def first_items(self, user_id: int) -> list[ItemRef]:
        """A new check-in's one first item (none of the member's last check-in's items)."""
        self.calibration.poke()
        exclude = await self.results.last_checkin_items(user_id)
        first = self.engine.next([], self.calibration.difficulties, exclude, self.rng)
        return [first] if first else []

    async def next_item(self, session: Session, answered: Outcome) -> ItemRef | None:
        """The item after ``answered``, or None: the check-in stops here."""
        outcomes = [*await self.repo.outcomes(session.id), answered]
        exclude = await self.results.last_checkin_items(session.user_id, excluding=session.id)
        return self.engine.next(outcomes, self.calibration.difficulties, exclude, self.rng)

    async def finish(
        self, interaction: Interaction, session: Session, *, abandon: bool, edit: bool, feedback: str | None
    ) -> None:
        if abandon:
            await self.repo.end(session.id, Status.ABANDONED)
        outcomes = await self.repo.outcomes(session.id)
        files: list[discord.File] = []
        if abandon and len(outcomes) < self.policy.min_items:
            embed = checkin_text.stopped_embed(len(outcomes), self.policy.min_items, feedback)
        else:
            report = self.engine.report(outcomes, self.calibration.difficulties)
            earlier = [r for r in await self.results.results(session.user_id) if r.session_id != session.id]
            previous = earlier[0] if earlier else None
            await self.results.save_result(
                session.id,
                session.user_id,
                report.estimate,
                report.interval,
                report.standard,
                report.verdict,
                self.bot.clock(),
            )
            moved = change(
                report.estimate.ability, previous.ability if previous else None, self.policy.same_within
            )
            previous_on = previous.finished_at.date().isoformat() if previous else None
            embed = checkin_text.result_embed(report, moved, previous_on, feedback)
            files = [checkin_text.interval_file(report, previous.ability if previous else None)]
            self.calibration.poke()
        if edit:
            await interaction.response.edit_message(embed=embed, view=None, attachments=files)
        else:
            await interaction.response.send_message(embed=embed, files=files, ephemeral=True)

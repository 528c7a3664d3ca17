"""A practice session on Discord: starting, showing an item, taking an answer, the summary.

Called by the practice cog's commands and by its persistent buttons; the rules it follows are in
model.py (outcomes, misses), ladders.py, pace.py and selection.py.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING

import discord

from bot.core.events import ItemAnswered
from bot.dates import local_today, parse_timezone
from bot.features.errorlog.model import Bucket
from bot.features.members.repo import MemberRepository
from bot.features.practice import selection
from bot.features.practice import text as render
from bot.features.practice.checkin_flow import CheckinFlow
from bot.features.practice.content import PracticeContent
from bot.features.practice.ladders import score_ladder
from bot.features.practice.model import (
    ItemKind,
    ItemRef,
    Mode,
    Outcome,
    Session,
    Status,
    misses_for,
    summarize,
)
from bot.features.practice.pace import pace_summary, target_seconds
from bot.features.practice.repo import PracticeRepository
from bot.features.practice.views import (
    PracticeButton,
    answer_buttons,
    ladder_view,
    next_buttons,
    show_options_button,
    yes_no_buttons,
)
from bot.features.review import text as review_text
from bot.features.review.flow import ReviewFlow

if TYPE_CHECKING:
    from bot.app import StudyBot

Interaction = discord.Interaction["StudyBot"]


class PracticeFlow:
    def __init__(self, bot: StudyBot, repo: PracticeRepository, content: PracticeContent) -> None:
        self.bot = bot
        self.repo = repo
        self.content = content
        self.members = MemberRepository(bot.db)
        self.review = ReviewFlow(bot)
        self.rng = random.Random()
        self.checkin = CheckinFlow(bot, repo)  # adaptive sessions: first item, next item, result

    # ------------------------------------------------------------------------------------ starting

    async def start_drill(self, interaction: Interaction, bucket: Bucket, length: int | None) -> None:
        if bucket is Bucket.PACING:
            await self.start(interaction, Mode.TIMED, bucket, length or 20, None)
        else:
            await self.start(interaction, Mode.DRILL, bucket, length or 10, None)

    async def _items(
        self, user_id: int, mode: Mode, bucket: Bucket | None, n: int, domain: str | None
    ) -> list[ItemRef]:
        bank, weights = self.bot.bank, self.bot.policy.domain_weights
        if mode is Mode.CHECKIN:
            return await self.checkin.first_items(user_id)
        if mode is Mode.REVIEW or bucket is None:
            return selection.review_items(await self.review.session_items(user_id), bank, self.content, n)
        recent = await self.repo.recent_items(user_id)
        if mode is Mode.TIMED:
            return selection.timed_items(bank, weights, domain, recent, n, self.rng)
        if bucket is Bucket.SCOPE:
            return selection.scope_items(bank, self.content, n, self.rng)
        if bucket is Bucket.SEQUENCE:
            return selection.sequence_items(self.content, n, self.rng)
        if bucket is Bucket.READING:
            return selection.reading_items(self.content, recent, n, self.rng)
        history = await self.repo.domain_history(user_id)
        return selection.knowledge_items(bank, weights, history, recent, n, self.rng)

    async def start(
        self, interaction: Interaction, mode: Mode, bucket: Bucket | None, n: int, domain: str | None
    ) -> None:
        user_id = interaction.user.id
        current = await self.repo.active(user_id)
        if current is not None:
            view = discord.ui.View(timeout=None)
            view.add_item(PracticeButton("n", current.id, current.position, label="Resume"))
            view.add_item(PracticeButton("s", current.id, current.position, label="Stop it"))
            await interaction.response.send_message(render.in_progress(current), view=view, ephemeral=True)
            return
        items = await self._items(user_id, mode, bucket, n, domain)
        if not items:
            empty = review_text.NO_CARDS if mode is Mode.REVIEW else render.NOTHING_TO_PRACTICE
            await interaction.response.send_message(empty, ephemeral=True)
            return
        policy = self.bot.policy
        target = target_seconds(policy.exam_minutes, policy.exam_max_items) if mode is Mode.TIMED else None
        session = await self.repo.start(user_id, mode, bucket, items, self.bot.clock(), target)
        if session is None:  # another click started one first
            await interaction.response.send_message(render.STALE, ephemeral=True)
            return
        await self.show(interaction, session, edit=False)

    # ------------------------------------------------------------------------------------- showing

    async def _elapsed(self, session: Session) -> float:
        """Time used in the block so far (only a timed block shows it: drills skip the look-up)."""
        if session.mode is not Mode.TIMED:
            return 0.0
        done = sum(o.seconds or 0.0 for o in await self.repo.outcomes(session.id))
        shown = session.shown_at or self.bot.clock()
        return done + max(0.0, (self.bot.clock() - shown).total_seconds())

    async def show(
        self, interaction: Interaction, session: Session, *, edit: bool, options: bool = False
    ) -> None:
        item = session.current
        assert item is not None
        now = self.bot.clock()
        await self.repo.mark_shown(session.id, session.position, now)
        session = replace(session, shown_at=session.shown_at or now)  # what mark_shown stored (coalesce)
        elapsed = await self._elapsed(session)
        sid, pos = session.id, session.position
        if item.kind is ItemKind.CARD:
            card = self.content.card(item.id)
            assert card is not None
            embed, view = render.card_item(session, card, elapsed), yes_no_buttons(sid, pos)
        elif item.kind is ItemKind.LADDER:
            ladder = self.content.ladder(item.id)
            assert ladder is not None
            embed, view = render.ladder_item(session, ladder, [], elapsed), ladder_view(sid, pos, "", ladder)
        else:
            question = self.bot.bank.get(item.id)
            assert question is not None
            hide = item.reading and not options
            embed = render.question_item(session, question, elapsed, options=not hide)
            view = show_options_button(sid, pos) if hide else answer_buttons(sid, pos)
        if edit:
            await interaction.response.edit_message(content=None, embed=embed, view=view, attachments=[])
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    # ----------------------------------------------------------------------------------- answering

    async def _own(self, interaction: Interaction, session_id: int) -> Session | None:
        session = await self.repo.get(session_id)
        if session is None or session.user_id != interaction.user.id:
            await interaction.response.send_message(
                render.NOT_YOURS if session else render.STALE, ephemeral=True
            )
            return None
        return session

    async def on_button(
        self, interaction: Interaction, action: str, session_id: int, position: int, value: int | None
    ) -> None:
        session = await self._own(interaction, session_id)
        if session is None:
            return
        if action == "s" and session.status is Status.ACTIVE:
            await self.finish(interaction, session, abandon=True, edit=True)
        elif session.status is not Status.ACTIVE or session.position != position:
            stale = action == "a" and session.position > position
            await interaction.response.send_message(render.ALREADY if stale else render.STALE, ephemeral=True)
        elif action in ("n", "o"):
            await self.show(interaction, session, edit=True, options=action == "o")
        elif action == "a" and value is not None:
            await self._answer_choice(interaction, session, value)

    async def on_ladder_pick(
        self, interaction: Interaction, session_id: int, position: int, picked: str, choice: str
    ) -> None:
        session = await self._own(interaction, session_id)
        if session is None:
            return
        item = session.current
        ladder = self.content.ladder(item.id) if item and item.kind is ItemKind.LADDER else None
        if (
            session.position != position
            or item is None
            or ladder is None
            or not choice.isdigit()
            or choice in picked
        ):
            await interaction.response.send_message(render.STALE, ephemeral=True)
            return
        order = [int(c) for c in picked + choice]
        if len(order) < len(ladder.steps):
            elapsed = await self._elapsed(session)
            embed = render.ladder_item(session, ladder, order, elapsed)
            view = ladder_view(session.id, position, picked + choice, ladder)
            await interaction.response.edit_message(embed=embed, view=view)
            return
        score = score_ladder(ladder, order)
        seconds = self._seconds(session)
        outcome = Outcome(
            position, item, ladder.domain, Bucket.SEQUENCE, score.exact, seconds, score.in_place
        )
        await self._record(
            interaction,
            session,
            outcome,
            render.ladder_feedback(ladder, order, score, seconds, self._pace(session)),
        )

    def _seconds(self, session: Session) -> float | None:
        if session.shown_at is None:
            return None
        return max(0.0, (self.bot.clock() - session.shown_at).total_seconds())

    def _pace(self, session: Session) -> float:
        return session.target if session.target is not None else float(self.bot.policy.pacing_seconds)

    async def _answer_choice(self, interaction: Interaction, session: Session, value: int) -> None:
        item = session.current
        assert item is not None
        seconds, pace = self._seconds(session), self._pace(session)
        if item.kind is ItemKind.CARD:
            card = self.content.card(item.id)
            assert card is not None
            outcome = Outcome(session.position, item, None, Bucket.SCOPE, bool(value) == card.answer, seconds)
            feedback = render.card_feedback(card, bool(value), seconds, pace)
        else:
            question = self.bot.bank.get(item.id)
            if question is None or not 0 <= value < len(question.options):
                await interaction.response.send_message(render.STALE, ephemeral=True)
                return
            bucket = Bucket.READING if item.reading else question.bucket
            outcome = Outcome(
                session.position, item, question.domain.value, bucket, value == question.answer, seconds
            )
            keywords = self.content.keywords.get(question.id) if item.reading else None
            feedback = render.question_feedback(question, value, seconds, pace, keywords)
        await self._record(interaction, session, outcome, feedback)

    async def _record(
        self, interaction: Interaction, session: Session, outcome: Outcome, feedback: str
    ) -> None:
        profile = await self.members.get(session.user_id)
        zone = parse_timezone(
            profile.timezone if profile and profile.timezone else self.bot.settings.default_timezone
        )
        today = local_today(self.bot.clock(), zone)  # one look-up, not the whole member state
        misses = misses_for(outcome, self._pace(session))
        adaptive = session.mode is Mode.CHECKIN
        following = await self.checkin.next_item(session, outcome) if adaptive else None
        if not await self.repo.record(session, outcome, misses, today, following):
            await interaction.response.send_message(render.ALREADY, ephemeral=True)
            return
        if outcome.position + 1 >= session.length + (following is not None):
            await self.finish(interaction, session, abandon=False, edit=True, feedback=feedback)
        else:
            embed = render.feedback_embed(session, feedback)
            await interaction.response.edit_message(
                embed=embed, view=next_buttons(session.id, outcome.position + 1)
            )
        item, pace = replace(outcome.item, reading=False).encode(), self._pace(session)  # after the reply:
        answered = ItemAnswered(
            session.user_id, item, outcome.correct, outcome.seconds, pace, self.bot.clock()
        )
        await self.bot.item_answered(answered)  # a member's review card never delays it

    async def finish(
        self,
        interaction: Interaction,
        session: Session,
        *,
        abandon: bool,
        edit: bool,
        feedback: str | None = None,
    ) -> None:
        if session.mode is Mode.CHECKIN:
            await self.checkin.finish(interaction, session, abandon=abandon, edit=edit, feedback=feedback)
            return
        if abandon:
            await self.repo.end(session.id, Status.ABANDONED)
        outcomes = await self.repo.outcomes(session.id)
        summary = summarize(outcomes, session.length, self._pace(session))
        pace = pace_summary(summary.seconds, session.target) if session.target is not None else None
        text = render.summary_text(session, summary, pace)
        if feedback:
            text = f"{feedback}\n\n{text}"
        embed = render.summary_embed(session, text)
        files = [render.seconds_chart(summary.seconds, pace.target_seconds)] if pace and pace.answered else []
        if edit:
            await interaction.response.edit_message(embed=embed, view=None, attachments=files)
        else:
            await interaction.response.send_message(embed=embed, files=files, ephemeral=True)

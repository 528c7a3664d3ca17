"""Answering a quiz question: /quiz now (buttons or a multi-select) and the daily post's buttons.

One write per answer: the answer and the misses it means, in one transaction (quiz repo).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.events import ItemAnswered
from bot.features.quiz import multi_text
from bot.features.quiz import text as render
from bot.features.quiz.bank import LETTERS, Question
from bot.features.quiz.model import misses_for
from bot.features.quiz.repo import Answer, QuizRepository
from bot.features.quiz.views import report_view

if TYPE_CHECKING:
    from bot.app import StudyBot


class QuizAnswers:
    def __init__(self, bot: StudyBot, posts: QuizRepository) -> None:
        self.bot = bot
        self.posts = posts

    async def answer_now(
        self,
        interaction: discord.Interaction[StudyBot],
        question_id: str,
        choice: int | frozenset[int],  # a button's option, or the options chosen in a multi-select
        issued: int,
    ) -> None:
        question = self.bot.bank.get(question_id)
        if question is None:
            await interaction.response.edit_message(content=render.POST_GONE, embed=None, view=None)
            return
        if question.multiple != isinstance(choice, frozenset):  # the control does not fit the question
            await interaction.response.send_message(multi_text.WRONG_CONTROL, ephemeral=True)
            return
        seconds = max(0.0, self.bot.clock().timestamp() - issued)
        recorded = await self._record(interaction, question, choice, issued_at=issued, seconds=seconds)
        pacing = self.bot.policy.pacing_seconds
        if isinstance(choice, frozenset):
            embed = multi_text.feedback_embed(question, choice, seconds=seconds, pacing_seconds=pacing)
        else:
            embed = render.feedback_embed(question, choice, seconds=seconds, pacing_seconds=pacing)
        await interaction.response.edit_message(embed=embed, view=report_view(question.id))
        if recorded:
            await self._to_review(interaction.user.id, question, choice, seconds)

    async def _to_review(
        self, user_id: int, question: Question, choice: int | frozenset[int], seconds: float | None
    ) -> None:
        """After the reply (so it never delays one): the answer becomes the member's review card."""
        if question.multiple:  # a review session serves single-answer questions only
            return
        pace = float(self.bot.policy.pacing_seconds) if seconds is not None else None
        right = question.is_right(choice)
        answered = ItemAnswered(user_id, f"q:{question.id}", right, seconds, pace, self.bot.clock())
        await self.bot.item_answered(answered)

    async def _record(
        self,
        interaction: discord.Interaction[StudyBot],
        question: Question,
        choice: int | frozenset[int],
        *,
        post_id: int | None = None,
        issued_at: int | None = None,
        seconds: float | None = None,
    ) -> bool:
        """Store the answer; a miss (and a slow answer) goes into the error log. False if already answered."""
        user_id = interaction.user.id
        today = (await self.bot.member_state(user_id)).today
        right = question.is_right(choice)  # a set of choices: all or nothing
        answer = Answer(
            user_id,
            interaction.guild_id,
            question.id,
            question.domain.value,
            choice,
            right,
            today,
            post_id=post_id,
            issued_at=issued_at,
            seconds=seconds,
        )
        return await self.posts.record_answer(
            answer, misses_for(question, right, seconds, self.bot.policy.pacing_seconds)
        )

    # ------------------------------------------------------------------------------------ daily post

    async def answer_daily(
        self, interaction: discord.Interaction[StudyBot], post_id: int, choice: int
    ) -> None:
        post = await self.posts.get_post(post_id)
        question = self.bot.bank.get(post.question_id) if post else None
        if post is None or question is None:
            await interaction.response.send_message(render.POST_GONE, ephemeral=True)
            return
        latest = await self.posts.last_post(post.guild_id)
        if latest is not None and latest.id != post.id:
            text = render.POST_CLOSED.format(
                letter=question.answer_letter, option=question.options[question.answer]
            )
            await interaction.response.send_message(text, ephemeral=True)
            return
        if not await self._record(interaction, question, choice, post_id=post.id):
            first = await self.posts.first_choice(interaction.user.id, post.id)
            letter = LETTERS[first] if first is not None else "?"
            await interaction.response.send_message(
                render.ALREADY_ANSWERED.format(letter=letter), ephemeral=True
            )
            return
        await interaction.response.send_message(
            embed=render.feedback_embed(
                question, choice, seconds=None, pacing_seconds=self.bot.policy.pacing_seconds
            ),
            view=report_view(question.id),
            ephemeral=True,
        )
        await self._to_review(interaction.user.id, question, choice, None)

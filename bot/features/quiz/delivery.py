"""The daily post's Discord side: publishing it with its nonce, and finding it again after a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.delivery import translate
from bot.features.quiz import text as render
from bot.features.quiz.bank import Question
from bot.features.quiz.daily import Reveal
from bot.features.quiz.repo import PostRecord
from bot.features.quiz.views import DailyChoice, answer_view

if TYPE_CHECKING:
    from bot.app import StudyBot

HISTORY_LOOKBACK = 25


def _marker(post_id: int) -> str:
    """The answer buttons' custom ids carry the post id: they are the post's marker in the channel."""
    return f"quiz:daily:{post_id}:"


class DiscordPublisher:
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot

    async def publish(self, post: PostRecord, question: Question, reveal: Reveal | None) -> int:
        channel = self.bot.get_partial_messageable(post.channel_id)
        try:
            message = await channel.send(
                # Yesterday's answer is the message's text, so it reads above today's question.
                content=render.reveal_text(reveal, post.post_date) if reveal else None,
                embed=render.daily_embed(question, post.post_date),
                allowed_mentions=discord.AllowedMentions.none(),
                view=answer_view(lambda choice: DailyChoice(post.id, choice)),
                nonce=post.nonce,  # a retry of the same post is not shown twice
            )
        except Exception as error:
            raise translate(error) from error
        return message.id

    async def find_published(self, post: PostRecord) -> int | None:
        """Look at the channel's latest messages for this post's buttons (needs Read Message History)."""
        channel = self.bot.get_partial_messageable(post.channel_id)
        marker = _marker(post.id)
        me = self.bot.user
        try:
            async for message in channel.history(limit=HISTORY_LOOKBACK):
                if me is not None and message.author.id != me.id:
                    continue
                for row in message.components:
                    for child in getattr(row, "children", ()):
                        if str(getattr(child, "custom_id", "") or "").startswith(marker):
                            return message.id
        except Exception as error:
            raise translate(error) from error  # a lost permission is DeliveryGone: the quiz pauses
        return None

"""/quiz now's multi-select for a multiple-response question. Persistent: a DynamicItem whose custom id
carries the question and when it was shown, so the menu still answers after a restart. It only reads
the choice and routes it to the quiz cog, which scores it (all or nothing), records it and replies.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.core.fit import fit
from bot.core.interactions import guarded
from bot.features.quiz import multi_text as words
from bot.features.quiz.bank import OPTION_LETTERS, Question
from bot.features.quiz.views import QID

if TYPE_CHECKING:
    from bot.app import StudyBot
    from bot.features.quiz._cog import Quiz


class MultiChoice(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=rf"quiz:multi:(?P<qid>{QID}):(?P<issued>[0-9]{{1,19}})",
):
    """The answer menu under a multiple-response practice question: one to five of A-E."""

    def __init__(self, question_id: str, issued: int, options: list[discord.SelectOption]) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"quiz:multi:{question_id}:{issued}",
                placeholder=words.PLACEHOLDER,
                min_values=1,
                max_values=len(OPTION_LETTERS),
                options=options,
            )
        )
        self.question_id, self.issued = question_id, issued

    @classmethod
    def for_question(cls, question: Question, issued: int) -> MultiChoice:
        options = [
            discord.SelectOption(
                label=letter, value=letter, description=fit(text, words.OPTION_DESCRIPTION_LIMIT)
            )
            for letter, text in zip(question.letters, question.options, strict=True)
        ]
        return cls(question.id, issued, options)

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Select[Any], match: re.Match[str]
    ) -> MultiChoice:
        return cls(match["qid"], int(match["issued"]), list(item.options))

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        values = self.item.values
        choices = frozenset(OPTION_LETTERS.index(v) for v in values if v in OPTION_LETTERS)
        if not choices or len(choices) != len(values):  # only a modified client sends these
            await interaction.response.send_message(words.CANNOT_READ, ephemeral=True)
            return
        cog: Quiz = interaction.client.get_cog("Quiz")  # type: ignore[assignment]
        await guarded(interaction, cog.answer_now(interaction, self.question_id, choices, self.issued))


def multi_view(question: Question, issued: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(MultiChoice.for_question(question, issued))
    return view

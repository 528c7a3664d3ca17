"""The quiz's buttons and form. Persistent: DynamicItems with namespaced custom ids, so every button
the bot ever sent still answers after a restart. They only route the click to the quiz cog. Numbers in
the templates are bounded (:data:`bot.core.components.NUMBER`): a crafted over-long id matches nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.core.components import NUMBER, check_form_limits
from bot.core.interactions import answer_error, guarded
from bot.features.quiz import text as render
from bot.features.quiz.bank import LETTERS

if TYPE_CHECKING:
    from bot.app import StudyBot
    from bot.features.quiz._cog import Quiz

QID = r"[a-z]+-[a-z]+-[0-9]{3}"


def _quiz(interaction: discord.Interaction[StudyBot]) -> Quiz:
    cog = interaction.client.get_cog("Quiz")
    assert cog is not None
    return cog  # type: ignore[return-value]


class NowChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"quiz:now:(?P<qid>{QID}):(?P<choice>[0-3]):(?P<issued>{NUMBER})",
):
    """An answer button on a /quiz now question; the custom id carries when it was shown."""

    def __init__(self, question_id: str, choice: int, issued: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=LETTERS[choice],
                style=discord.ButtonStyle.secondary,
                custom_id=f"quiz:now:{question_id}:{choice}:{issued}",
            )
        )
        self.question_id, self.choice, self.issued = question_id, choice, issued

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> NowChoice:
        return cls(match["qid"], int(match["choice"]), int(match["issued"]))

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await guarded(
            interaction,
            _quiz(interaction).answer_now(interaction, self.question_id, self.choice, self.issued),
        )


class DailyChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"quiz:daily:(?P<post>{NUMBER}):(?P<choice>[0-3])",
):
    """An answer button on a daily post."""

    def __init__(self, post_id: int, choice: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=LETTERS[choice],
                style=discord.ButtonStyle.primary,
                custom_id=f"quiz:daily:{post_id}:{choice}",
            )
        )
        self.post_id, self.choice = post_id, choice

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> DailyChoice:
        return cls(int(match["post"]), int(match["choice"]))

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await guarded(interaction, _quiz(interaction).answer_daily(interaction, self.post_id, self.choice))


class ReportButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"quiz:report:(?P<qid>{QID})"):
    """Report a question as wrong: opens a short form."""

    def __init__(self, question_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Report this question",
                emoji="🚩",
                style=discord.ButtonStyle.secondary,
                custom_id=f"quiz:report:{question_id}",
            )
        )
        self.question_id = question_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> ReportButton:
        return cls(match["qid"])

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await interaction.response.send_modal(ReportModal(self.question_id))


class ReportModal(discord.ui.Modal):
    reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="What looks wrong?",
        style=discord.TextStyle.paragraph,
        custom_id="quiz:report:reason",
        min_length=5,
        max_length=500,
        placeholder="For example: option C is also correct because ...",
    )

    def __init__(self, question_id: str) -> None:
        super().__init__(title="Report this question", custom_id=f"quiz:report-form:{question_id}")
        self.question_id = question_id

    async def on_error(self, interaction: discord.Interaction[StudyBot], error: Exception) -> None:  # type: ignore[override]
        await answer_error(interaction, error)

    async def on_submit(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await guarded(interaction, self._submit(interaction))  # a refusal is an answer, not a failure

    async def _submit(self, interaction: discord.Interaction[StudyBot]) -> None:
        check_form_limits(self)  # a modified client can send more than the form allows
        await _quiz(interaction).posts.add_report(
            interaction.user.id, interaction.guild_id, self.question_id, self.reason.value
        )
        await interaction.response.send_message(render.REPORT_THANKS, ephemeral=True)


def answer_view(make: Any, count: int = 4) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in range(count):
        view.add_item(make(choice))
    return view


def report_view(question_id: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReportButton(question_id))
    return view

"""Practice buttons and menus: persistent DynamicItems whose custom ids carry the session and position,
so every one still answers after a restart. They only route the click to the practice cog.

Custom ids: ``prac:<action>:<session>:<position>[:<value>]`` with bounded digits; actions: ``a`` answer
(value: a choice, or 1/0 for yes/no), ``o`` show the options (reading), ``n`` next item, ``s`` stop;
``prac:l:<session>:<position>:<picked>`` is a ladder's menu (``picked``: the step indices chosen so far).
``prac:go:<bucket>`` starts a drill (the repair plan's and the error log's buttons).
"""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.core.components import NUMBER
from bot.core.fit import fit
from bot.core.interactions import guarded
from bot.features.errorlog.model import Bucket
from bot.features.practice.ladders import Ladder
from bot.features.quiz.bank import LETTERS

if TYPE_CHECKING:
    from bot.app import StudyBot
    from bot.features.practice._cog import Practice

_ID = rf"(?P<sid>{NUMBER}):(?P<pos>[0-9]{{1,4}})"


def _practice(interaction: discord.Interaction[StudyBot]) -> Practice:
    cog = interaction.client.get_cog("Practice")
    assert cog is not None
    return cog  # type: ignore[return-value]


class PracticeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"prac:(?P<action>[aons]):{_ID}(?::(?P<value>[0-9]{{1,2}}))?",
):
    def __init__(
        self,
        action: str,
        session_id: int,
        position: int,
        value: int | None = None,
        *,
        label: str = "",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
    ) -> None:
        suffix = f":{value}" if value is not None else ""
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=f"prac:{action}:{session_id}:{position}{suffix}"
            )
        )
        self.action, self.session_id, self.position, self.value = action, session_id, position, value

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> PracticeButton:
        value = int(match["value"]) if match["value"] is not None else None
        return cls(match["action"], int(match["sid"]), int(match["pos"]), value)

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await guarded(
            interaction,
            _practice(interaction).on_button(
                interaction, self.action, self.session_id, self.position, self.value
            ),
        )


class LadderMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=rf"prac:l:{_ID}:(?P<picked>[0-5]{{0,6}})",
):
    def __init__(self, session_id: int, position: int, picked: str, ladder: Ladder | None = None) -> None:
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=f"prac:l:{session_id}:{position}:{picked}", placeholder="Pick the step that comes next"
        )
        if ladder is not None:
            remaining = [i for i in range(len(ladder.steps)) if str(i) not in picked]
            random.Random(f"{session_id}:{position}:{picked}").shuffle(remaining)  # same menu after a restart
            for index in remaining:
                select.add_option(label=fit(ladder.steps[index], 100), value=str(index))
        super().__init__(select)
        self.session_id, self.position, self.picked = session_id, position, picked

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Select[Any], match: re.Match[str]
    ) -> LadderMenu:
        return cls(int(match["sid"]), int(match["pos"]), match["picked"])

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        choice = self.item.values[0] if self.item.values else ""
        await guarded(
            interaction,
            _practice(interaction).on_ladder_pick(
                interaction, self.session_id, self.position, self.picked, choice
            ),
        )


class StartDrill(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"prac:go:(?P<bucket>[a-z]{4,10})"):
    """Start today's drill for a bucket (on the repair plan and the error log)."""

    def __init__(self, bucket: Bucket, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or f"Start a {bucket.value} drill",
                style=discord.ButtonStyle.success,
                custom_id=f"prac:go:{bucket.value}",
            )
        )
        self.bucket = bucket

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> StartDrill:
        try:
            bucket = Bucket(match["bucket"])
        except ValueError:
            bucket = Bucket.KNOWLEDGE
        return cls(bucket)

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        await guarded(interaction, _practice(interaction).start_drill(interaction, self.bucket, None))


def answer_buttons(session_id: int, position: int, count: int = 4) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for choice in range(count):
        view.add_item(PracticeButton("a", session_id, position, choice, label=LETTERS[choice]))
    view.add_item(PracticeButton("s", session_id, position, label="Stop", style=discord.ButtonStyle.danger))
    return view


def yes_no_buttons(session_id: int, position: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        PracticeButton("a", session_id, position, 1, label="Yes", style=discord.ButtonStyle.success)
    )
    view.add_item(PracticeButton("a", session_id, position, 0, label="No", style=discord.ButtonStyle.danger))
    view.add_item(PracticeButton("s", session_id, position, label="Stop"))
    return view


def show_options_button(session_id: int, position: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        PracticeButton("o", session_id, position, label="Show options", style=discord.ButtonStyle.primary)
    )
    view.add_item(PracticeButton("s", session_id, position, label="Stop"))
    return view


def ladder_view(session_id: int, position: int, picked: str, ladder: Ladder) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(LadderMenu(session_id, position, picked, ladder))
    view.add_item(PracticeButton("s", session_id, position, label="Stop"))
    return view


def next_buttons(session_id: int, next_position: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(
        PracticeButton("n", session_id, next_position, label="Next", style=discord.ButtonStyle.primary)
    )
    view.add_item(PracticeButton("s", session_id, next_position, label="Stop"))
    return view


def start_view(buckets: list[Bucket]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for bucket in buckets:
        view.add_item(StartDrill(bucket))
    return view

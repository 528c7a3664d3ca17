"""/privacy: share or unshare the status card, export all of one's data, delete all of it.

The delete confirm's two buttons are persistent (DynamicItems carrying the member's id and when the
confirm was shown), so a click answers within Discord's three seconds whenever it comes: after a
restart, after the confirm expired ("this click deleted nothing"), or several at once (one deletion,
and every click gets its answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.core.components import NUMBER
from bot.core.interactions import guarded
from bot.features.members import privacy_text as render
from bot.features.members.privacy_repo import PrivacyRepository
from bot.features.members.repo import MemberRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

CONFIRM_SECONDS = 120


def _privacy(interaction: discord.Interaction[StudyBot]) -> Privacy:
    cog = interaction.client.get_cog("Privacy")
    assert cog is not None
    return cog  # type: ignore[return-value]


class DeleteChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"privacy:delete:(?P<user>{NUMBER}):(?P<issued>{NUMBER}):(?P<choice>yes|no)",
):
    """ "Delete everything" or "Cancel" on a delete confirm; routes the click to the cog."""

    def __init__(self, user_id: int, issued: int, confirm: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete everything" if confirm else "Cancel",
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
                custom_id=f"privacy:delete:{user_id}:{issued}:{'yes' if confirm else 'no'}",
            )
        )
        self.user_id, self.issued, self.confirm = user_id, issued, confirm

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction[StudyBot], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> DeleteChoice:
        return cls(int(match["user"]), int(match["issued"]), match["choice"] == "yes")

    async def callback(self, interaction: discord.Interaction[StudyBot]) -> None:  # type: ignore[override]
        work = _privacy(interaction).answer_confirm(interaction, self.user_id, self.issued, self.confirm)
        await guarded(interaction, work)


def confirm_view(user_id: int, issued: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteChoice(user_id, issued, confirm=True))
    view.add_item(DeleteChoice(user_id, issued, confirm=False))
    return view


class Privacy(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.members = MemberRepository(bot.db)
        self.privacy = PrivacyRepository(bot.db)
        #: Confirms shown or answered by this process, by message id: None while open, else the answer
        #: every later click on it gets. Each entry is forgotten when its confirm expires.
        self._answers: dict[int, str | None] = {}
        self._answering = asyncio.Lock()
        self._timers: set[asyncio.Task[None]] = set()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DeleteChoice)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DeleteChoice)
        for timer in self._timers:
            timer.cancel()

    @app_commands.command(name="privacy", description="Share your card, export your data, or delete it")
    @app_commands.describe(action="share or unshare your status card; export or delete all your data")
    @app_commands.choices(
        action=[Choice(name=name, value=name) for name in ("share", "unshare", "export", "delete")]
    )
    async def privacy_command(self, interaction: discord.Interaction[StudyBot], action: str) -> None:
        user_id = interaction.user.id
        if action in ("share", "unshare"):
            await self.members.set_sharing(user_id, action == "share")
            text = render.SHARED if action == "share" else render.UNSHARED
            await interaction.response.send_message(text, ephemeral=True)
        elif action == "export":
            tables = await self.privacy.export(user_id)
            file = render.export_file(user_id, self.bot.clock(), tables)
            await interaction.response.send_message(render.EXPORT_TEXT, file=file, ephemeral=True)
        else:
            issued = int(self.bot.clock().timestamp())
            view = confirm_view(user_id, issued)
            await interaction.response.send_message(render.DELETE_CONFIRM, view=view, ephemeral=True)
            message = await interaction.original_response()
            self._answers[message.id] = None
            self._forget_at_expiry(message.id, CONFIRM_SECONDS, message)

    def _seconds_left(self, issued: int) -> float:
        elapsed = self.bot.clock().timestamp() - issued
        return CONFIRM_SECONDS - elapsed if elapsed >= 0 else -1.0

    def _forget_at_expiry(
        self, message_id: int, seconds: float, message: discord.InteractionMessage | None = None
    ) -> None:
        """When the confirm expires: forget its answer; if nobody answered it, say it expired."""

        async def expire() -> None:
            await asyncio.sleep(seconds)
            if self._answers.pop(message_id, None) is None and message is not None:
                with contextlib.suppress(discord.HTTPException):  # the member may have dismissed it
                    await message.edit(content=render.DELETE_EXPIRED, view=None)

        timer = asyncio.get_running_loop().create_task(expire(), name=f"privacy-confirm-{message_id}")
        self._timers.add(timer)
        timer.add_done_callback(self._timers.discard)

    async def answer_confirm(
        self, interaction: discord.Interaction[StudyBot], user_id: int, issued: int, confirm: bool
    ) -> None:
        """Every click on a confirm gets an answer; the first one inside the time decides for all."""
        if interaction.user.id != user_id:
            await interaction.response.send_message(render.DELETE_NOT_YOURS, ephemeral=True)
            return
        message_id = interaction.message.id if interaction.message else 0
        async with self._answering:  # one decision per confirm, also when clicks arrive together
            text = self._answers.get(message_id)
            left = self._seconds_left(issued)
            if text is None and left < 0:
                text = render.DELETE_CLICK_EXPIRED
            elif text is None:
                if confirm:
                    rows = await self.privacy.delete(user_id)
                    await self.bot.member_deleted(user_id)
                    text = render.deleted(rows)
                else:
                    text = render.DELETE_CANCELLED
                if message_id not in self._answers:  # shown before a restart: forget it at expiry too
                    self._forget_at_expiry(message_id, left)
                self._answers[message_id] = text
        await interaction.response.edit_message(content=text, view=None)

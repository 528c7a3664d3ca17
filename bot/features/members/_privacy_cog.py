"""/privacy: share or unshare the status card, export all of one's data, delete all of it."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.core.interactions import answer_error
from bot.features.members import privacy_text as render
from bot.features.members.privacy_repo import PrivacyRepository
from bot.features.members.repo import MemberRepository

if TYPE_CHECKING:
    from bot.app import StudyBot

CONFIRM_SECONDS = 120


class ConfirmDelete(discord.ui.View):
    """Two buttons on an ephemeral message; only the member who asked can see or press them."""

    def __init__(self, bot: StudyBot, privacy: PrivacyRepository, user_id: int) -> None:
        super().__init__(timeout=CONFIRM_SECONDS)
        self.bot = bot
        self.privacy = privacy
        self.user_id = user_id
        self.message: discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction[StudyBot]) -> bool:  # type: ignore[override]
        return interaction.user.id == self.user_id

    @discord.ui.button(label="Delete everything", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[StudyBot], button: discord.ui.Button[ConfirmDelete]
    ) -> None:
        self.stop()
        rows = await self.privacy.delete(self.user_id)
        await self.bot.member_deleted(self.user_id)
        await interaction.response.edit_message(content=render.deleted(rows), view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[StudyBot], button: discord.ui.Button[ConfirmDelete]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(content=render.DELETE_CANCELLED, view=None)

    async def on_error(  # type: ignore[override]
        self,
        interaction: discord.Interaction[StudyBot],
        error: Exception,
        item: discord.ui.Item[ConfirmDelete],
    ) -> None:
        await answer_error(interaction, error)

    async def on_timeout(self) -> None:
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):  # the member may have dismissed it
                await self.message.edit(content=render.DELETE_EXPIRED, view=None)


class Privacy(commands.Cog):
    def __init__(self, bot: StudyBot) -> None:
        self.bot = bot
        self.members = MemberRepository(bot.db)
        self.privacy = PrivacyRepository(bot.db)

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
            view = ConfirmDelete(self.bot, self.privacy, user_id)
            await interaction.response.send_message(render.DELETE_CONFIRM, view=view, ephemeral=True)
            view.message = await interaction.original_response()

"""The one answer to anything that went wrong in a command, button or form: friendly, private, logged."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.core.refusals import Refusal
from bot.core.wording import describe_refusal, permission_refusal, unexpected_error

log = logging.getLogger(__name__)


class StudyTree(app_commands.CommandTree[Any]):
    """Turns refusals into friendly ephemeral replies; logs anything unexpected, never shows a traceback."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        await answer_error(interaction, error)


async def answer_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    original = getattr(error, "original", None) or error
    if isinstance(original, Refusal):
        text = describe_refusal(original)
    elif isinstance(error, app_commands.CheckFailure):
        text = permission_refusal(error)
    else:
        incident = uuid.uuid4().hex[:8]
        what = f"/{interaction.command.qualified_name}" if interaction.command else "a button or form"
        log.error("%s failed (incident %s)", what, incident, exc_info=original)
        text = unexpected_error(incident)
    await reply_ephemeral(interaction, text)


async def reply_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer privately, whether or not the interaction was already acknowledged."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error reply for interaction %s", interaction.id, exc_info=True)


async def guarded(interaction: discord.Interaction[Any], work: Coroutine[Any, Any, None]) -> None:
    """Run a button's work; anything unexpected gets the same friendly, logged answer as a command."""
    try:
        await work
    except Exception as error:
        await answer_error(interaction, error)

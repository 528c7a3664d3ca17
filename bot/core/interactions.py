"""The one answer to anything that went wrong in a command, button or form: friendly, private, logged.

A refusal (a :class:`Refusal` from a command's body or a transformer, or a failed check such as a missing
Manage Server permission) is an answer, not a failure: every command added to the tree answers its
refusals itself, so the interaction completes normally. Only real bugs reach the tree's ``on_error``,
which answers with an incident id and logs the traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.abc import Snowflake
from discord.utils import MISSING

from bot.core.refusals import Refusal
from bot.core.wording import describe_refusal, permission_refusal, unexpected_error

log = logging.getLogger(__name__)


class StudyTree(app_commands.CommandTree[Any]):
    """Commands answer their own refusals; anything unexpected is logged, never shown as a traceback."""

    def add_command(
        self,
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu | app_commands.Group,
        /,
        *,
        guild: Snowflake | None = MISSING,
        guilds: Sequence[Snowflake] = MISSING,
        override: bool = False,
    ) -> None:
        leaves = command.walk_commands() if isinstance(command, app_commands.Group) else (command,)
        for leaf in leaves:
            if isinstance(leaf, app_commands.Command):
                answer_refusals(leaf)
        super().add_command(command, guild=guild, guilds=guilds, override=override)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        await answer_error(interaction, error)


Invoke = Callable[[discord.Interaction[Any], app_commands.Namespace], Awaitable[Any]]


def answer_refusals(command: app_commands.Command[Any, ..., Any]) -> None:
    """Make ``command`` answer a refusal itself instead of raising it to the tree's error handler.

    discord.py runs a command's checks, transformers and body in ``_invoke_with_namespace`` and sends
    whatever they raise to ``on_error``, marking the interaction failed. This wraps that one step of
    this one command (idempotent), so refusals complete the interaction like any other answer.
    """
    invoke: Invoke = command._invoke_with_namespace
    if getattr(invoke, "answers_refusals", False):
        return

    async def invoke_answering_refusals(
        interaction: discord.Interaction[Any], namespace: app_commands.Namespace
    ) -> Any:
        try:
            return await invoke(interaction, namespace)
        except app_commands.AppCommandError as error:
            text = refusal_text(error)
            if text is None:
                raise
            log.debug("refused /%s for %s: %r", command.qualified_name, interaction.user.id, error)
            await reply_ephemeral(interaction, text)
            return None

    invoke_answering_refusals.answers_refusals = True  # type: ignore[attr-defined]
    command._invoke_with_namespace = invoke_answering_refusals  # type: ignore[method-assign]


def refusal_text(error: BaseException) -> str | None:
    """The member's words for a refusal (from a body, a transformer or a check), or None for a bug."""
    original = getattr(error, "original", None) or error.__cause__ or error
    if isinstance(original, Refusal):
        return describe_refusal(original)
    if isinstance(error, app_commands.CheckFailure):
        return permission_refusal(error)
    return None


async def answer_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    text = refusal_text(error)
    if text is None:
        original = getattr(error, "original", None) or error
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

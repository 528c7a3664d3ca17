"""The Bot subclass: receives its resources, loads the cogs, syncs the commands."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock
from bot.core.refusals import Refusal
from bot.core.wording import describe_refusal, permission_refusal, unexpected_error
from bot.db import Database
from bot.features import extensions
from bot.features.pathway.state import MemberState, load_member_state
from bot.features.quiz.bank import QuestionBank
from bot.features.quiz.daily import DailyQuizEngine
from bot.features.reminders.model import ReminderEngine
from bot.policy import Policy
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS: tuple[str, ...] = extensions()


class StudyTree(app_commands.CommandTree["StudyBot"]):
    """Turns refusals into friendly ephemeral replies; logs anything unexpected, never shows a traceback."""

    async def on_error(
        self, interaction: discord.Interaction[StudyBot], error: app_commands.AppCommandError
    ) -> None:
        await answer_error(interaction, error)


async def answer_error(interaction: discord.Interaction[StudyBot], error: BaseException) -> None:
    """The one answer to anything that went wrong in a command, button or form: friendly, private, logged."""
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


async def reply_ephemeral(interaction: discord.Interaction[StudyBot], text: str) -> None:
    """Answer privately, whether or not the interaction was already acknowledged."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error reply for interaction %s", interaction.id, exc_info=True)


class StudyBot(commands.Bot):
    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        policy: Policy,
        bank: QuestionBank,
        scheduler: AsyncIOScheduler | None = None,
        clock: Clock = discord.utils.utcnow,
        extensions: tuple[str, ...] = EXTENSIONS,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channels and roles for the quiz post; no privileged intents
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=StudyTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
        )
        self.settings = settings
        self.db = db
        self.policy = policy
        self.clock = clock
        self.scheduler = scheduler or AsyncIOScheduler(timezone=dt.UTC)
        self.bank = bank
        self.reminder_engine: ReminderEngine | None = None  # set by the reminders cog
        self.quiz_engine: DailyQuizEngine | None = None  # set by the quiz cog
        #: Preview only: a channel that also shows every reminder DM (the preview page shows no DMs).
        self.dm_mirror_channel_id: int | None = None
        #: Preview only: moves the sandbox's virtual clock forward by this many seconds.
        self.sandbox_advance: Callable[[float], None] | None = None
        self._extensions = extensions

    async def setup_hook(self) -> None:
        if not self.scheduler.running:
            self.scheduler.start()
        for extension in self._extensions:
            await self.load_extension(extension)
        await self.sync_commands()

    async def close(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for engine in (self.reminder_engine, self.quiz_engine):
            if engine is not None:
                await engine.stop()
        await super().close()

    async def member_state(self, user_id: int) -> MemberState:
        return await load_member_state(
            self.db, self.policy, user_id, now=self.clock(), default_zone=self.settings.default_timezone
        )

    async def member_changed(self, user_id: int, guild_id: int | None) -> None:
        """A member's data changed: move, add or cancel their reminders. Never fails the command."""
        if self.reminder_engine is None:
            return
        try:
            await self.reminder_engine.sync_member(await self.member_state(user_id), guild_id)
        except Exception:
            log.exception("could not update reminders for member %s", user_id)

    async def sync_commands(self) -> None:
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to dev guild %s", len(synced), self.settings.dev_guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guild(s)", self.user, len(self.guilds))
